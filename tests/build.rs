// `embed_migrations!` reads migration folders at compile time; tell cargo to rebuild when a
// file is added to one (changes to existing files are tracked by the macro itself).
fn main() {
    println!("cargo::rerun-if-changed=tests/runtime_fixtures");
}
