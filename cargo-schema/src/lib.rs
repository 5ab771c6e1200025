//! cargo schema: the command-line front end.

pub fn main_impl() -> i32 {
    eprintln!("cargo-schema: not built yet");
    2
}
