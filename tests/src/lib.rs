//! Test support shared by every database test.
pub mod apply;
pub mod build;
pub mod embedded_pg;
pub mod evolution;
pub mod live;
pub mod scenario;
pub mod squawk;
pub mod testdb;
