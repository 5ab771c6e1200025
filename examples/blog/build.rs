// Rebuild when a migration file is added or removed (embed_migrations! tracks edits by itself).
fn main() {
    println!("cargo::rerun-if-changed=migrations");
}
