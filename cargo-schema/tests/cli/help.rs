//! Every command has help that names its exit statuses; the top level lists the commands.

use crate::support::Fixture;

const COMMANDS: [&str; 7] = [
    "generate", "verify", "new", "migrate", "rollback", "status", "erd",
];

#[test]
fn top_level_help_lists_every_command() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["--help"]);
    run.assert_code(0).assert_stdout("Usage: cargo schema");
    for command in COMMANDS {
        run.assert_stdout(&format!("  {command}"));
    }
    run.assert_stdout("--manifest-path")
        .assert_stdout("--color");
}

#[test]
fn every_command_has_help_with_exit_statuses() {
    let fixture = Fixture::new("basic");
    for command in COMMANDS {
        let run = fixture.run(&[command, "--help"]);
        run.assert_code(0)
            .assert_stdout(&format!("Usage: cargo schema {command}"))
            .assert_stdout("Exit status:")
            .assert_stdout("--package")
            .assert_stdout("--format");
        assert!(run.stderr.is_empty(), "help writes only to stdout\n{run}");
    }
}

#[test]
fn database_commands_document_the_url_variable() {
    let fixture = Fixture::new("basic");
    for command in ["verify", "migrate", "rollback", "status", "erd"] {
        fixture
            .run(&[command, "--help"])
            .assert_code(0)
            .assert_stdout("--database-url")
            .assert_stdout("DATABASE_URL");
    }
}

#[test]
fn unknown_command_is_a_usage_error() {
    let fixture = Fixture::new("basic");
    fixture
        .run(&["frobnicate"])
        .assert_code(2)
        .assert_stderr("frobnicate");
}

#[test]
fn version_is_printed() {
    let fixture = Fixture::new("basic");
    fixture
        .run(&["--version"])
        .assert_code(0)
        .assert_stdout(env!("CARGO_PKG_VERSION"));
}
