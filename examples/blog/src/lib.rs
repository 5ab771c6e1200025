//! The example blog: its tables (`schema`), its start-up (`app`) and what it does with the
//! tables (`demo`).

pub mod app;
pub mod demo;
pub mod schema;
