//! Compile-fail UI tests of the derives. The expected `.stderr` text depends on the compiler,
//! so the tests run on the pinned toolchain only; regenerate with `TRYBUILD=overwrite` and
//! read every changed file before committing it.

const PINNED_TOOLCHAIN: &str = "rustc 1.95.";

fn on_pinned_toolchain() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).starts_with(PINNED_TOOLCHAIN))
        .unwrap_or(false)
}

#[test]
fn ui() {
    if !on_pinned_toolchain() {
        eprintln!("skipped: the UI expectations are written for {PINNED_TOOLCHAIN}x");
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    t.pass("tests/pass/*.rs");
}
