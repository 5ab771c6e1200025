//! Test support shared by every database test.
pub mod testdb;
