//! Test support shared by every database test.
pub mod build;
pub mod testdb;
