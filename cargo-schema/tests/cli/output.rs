//! Streams and colour: results on stdout, progress on stderr; `--color`, `CARGO_TERM_COLOR`
//! and `NO_COLOR` decide about escape codes.

use crate::support::Fixture;

const ESCAPE: &str = "\u{1b}[";

#[test]
fn no_color_by_default_when_not_a_terminal_or_no_color_is_set() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["generate"]);
    run.assert_code(0);
    assert!(
        !run.stderr.contains(ESCAPE) && !run.stdout.contains(ESCAPE),
        "{run}"
    );
}

#[test]
fn color_always_and_cargo_term_color() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["generate", "--color", "always"]);
    assert!(run.stderr.contains(ESCAPE), "{run}");
    let run = fixture.run_in(".", &["generate"], &[("CARGO_TERM_COLOR", "always")]);
    assert!(run.stderr.contains(ESCAPE), "{run}");
    let run = fixture.run_in(
        ".",
        &["generate", "--color", "never"],
        &[("CARGO_TERM_COLOR", "always")],
    );
    assert!(
        !run.stderr.contains(ESCAPE),
        "the flag beats the variable\n{run}"
    );
    let help = fixture.run(&["--color", "always", "--help"]);
    assert!(
        help.stdout.contains(ESCAPE),
        "help follows --color too\n{help}"
    );
}

#[test]
fn json_stays_plain_with_color() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["generate", "--format", "json", "--color", "always"]);
    run.assert_code(0);
    assert_eq!(run.json()["status"], "written");
}

#[test]
fn runs_without_the_cargo_subcommand_argument() {
    let fixture = Fixture::new("basic");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-schema"))
        .args(["new", "direct"])
        .current_dir(&fixture.root)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert!(fixture.path("migrations/0001_direct.up.sql").is_file());
}

#[test]
fn verify_problems_in_json() {
    let fixture = Fixture::new("basic");
    fixture.run(&["generate"]).assert_code(0);
    fixture.write("migrations/0001_extra.up.sql", "SELECT 1;\n");
    let run = fixture.run(&["verify", "--format", "json"]);
    run.assert_code(1);
    let value = run.json();
    assert_eq!(value["status"], "problems");
    let problems = value["targets"][0]["problems"].as_array().expect("a list");
    assert_eq!(problems[0]["kind"], "duplicate_number", "{run}");
    assert!(problems[0]["fix"]
        .as_str()
        .is_some_and(|f| f.contains("cargo schema generate")));
}
