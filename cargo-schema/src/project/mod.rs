//! The package being worked on: its manifest and targets, the structs in its source, the
//! snapshot file and the migrations folder.

pub mod manifest;
pub mod migrations;
pub mod package;
pub mod settings;
pub mod snapshot_file;
pub mod source;
pub mod structs;
