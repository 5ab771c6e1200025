//! Writes the snapshot of a synthetic N-table schema (the benchmark's input) to stdout:
//! `cargo run --release -p schema-erd --example synthetic_snapshot -- 1000 > schema.snapshot.json`

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

fn main() {
    let n: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        Some(Ok(n)) => n,
        _ => {
            eprintln!("usage: synthetic_snapshot N");
            std::process::exit(2);
        }
    };
    let snapshot = schema_core::snapshot::Snapshot {
        schema: synthetic::schema(n),
        migrations: Vec::new(),
    };
    print!("{}", snapshot.to_text());
}
