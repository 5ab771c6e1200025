//! The example blog: its tables (`schema`) and what the application does with them (`demo`).

pub mod demo;
pub mod schema;
