//! No password of a database URL is ever printed: not in errors, not in `--format json`, not in
//! verify's "Replaying ... on" line, whether the URL is given with `--database-url` or
//! `DATABASE_URL`, whether the driver can read it or not. A URL the driver would misread (an
//! unencoded `/`, `#` or `?` in the password, no `//`) is refused with the part that is wrong
//! named and none of the URL shown.

use crate::support::{Fixture, Run};

/// The commands that take a URL, each run in both output formats.
const COMMANDS: &[&[&str]] = &[
    &["migrate"],
    &["migrate", "--dry-run"],
    &["status"],
    &["rollback", "--steps", "1"],
    &["rollback", "--to", "0", "--dry-run"],
    &["verify", "--dialect", "postgres"],
];

fn fixture() -> Fixture {
    let fixture = Fixture::new("multi_target");
    fixture.run(&["generate"]).assert_code(0);
    fixture
}

/// Runs `args` with `url` given both ways and in both formats; returns the runs.
fn every_way(fixture: &Fixture, url: &str, args: &[&str]) -> Vec<(String, Run)> {
    let mut runs = Vec::new();
    for json in [false, true] {
        let mut with_flag: Vec<&str> = args.to_vec();
        if json {
            with_flag.extend(["--format", "json"]);
        }
        let mut flagged = with_flag.clone();
        flagged.extend(["--database-url", url]);
        let how = format!(
            "{} ({})",
            args.join(" "),
            if json { "json" } else { "human" }
        );
        runs.push((format!("{how} --database-url"), fixture.run(&flagged)));
        runs.push((
            format!("{how} DATABASE_URL"),
            fixture.run_in(".", &with_flag, &[("DATABASE_URL", url)]),
        ));
    }
    runs
}

#[track_caller]
fn assert_hidden(how: &str, run: &Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{how}: {secret:?} printed\n{run}"
        );
    }
}

/// URLs the driver cannot read as meant: every command refuses them (exit 2) with the part
/// that is wrong, on stderr and in the JSON error, and shows none of the URL.
#[test]
fn urls_the_driver_would_misread_are_refused_without_showing_them() {
    let fixture = fixture();
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "postgres://u:S3cret/PW@127.0.0.1:5432/x",
            "could not be parsed (invalid port number)",
            &["S3cret", "PW", "127.0.0.1"],
        ),
        (
            "postgres://u:S3cret#PW@127.0.0.1:5432/x",
            "could not be parsed (invalid port number)",
            &["S3cret", "PW", "127.0.0.1"],
        ),
        (
            "postgres://u:5432#S3cretPW@127.0.0.1:5432/x",
            "has a `#`",
            &["S3cret", "PW", "127.0.0.1"],
        ),
        (
            "postgres://u:1234/S3cretPW@127.0.0.1:5432/x",
            "an `@` after its host (in the database name)",
            &["S3cret", "PW", "127.0.0.1"],
        ),
        (
            "postgres:u:pw@h/x",
            "no `//` after `postgres:`",
            &["u:pw", "pw@", "h/x"],
        ),
        (
            "postgresql:u:S3cretPW@127.0.0.1/x",
            "no `//` after `postgresql:`",
            &["S3cret", "PW", "127.0.0.1"],
        ),
    ];
    for (url, problem, secrets) in cases {
        for args in COMMANDS {
            for (how, run) in every_way(&fixture, url, args) {
                let how = format!("{url}: {how}");
                assert_eq!(run.code, 2, "{how}\n{run}");
                assert!(run.stderr.contains(problem), "{how}\n{run}");
                assert!(run.stderr.contains("percent-encode"), "{how}\n{run}");
                assert_hidden(&how, &run, secrets);
                if how.contains("(json)") {
                    let value = run.json();
                    assert_eq!(value["status"], "error", "{how}\n{run}");
                    let error = value["error"].as_str().unwrap_or_default();
                    assert!(error.contains(problem), "{how}\n{run}");
                }
            }
        }
    }
}

/// The same for MySQL URLs, on a package with a MySQL target.
#[test]
fn mysql_urls_the_driver_would_misread_are_refused_without_showing_them() {
    let fixture = mysql_fixture();
    for (url, problem) in [
        (
            "mysql://root:S3cret/PW@127.0.0.1:3306/x",
            "could not be parsed (invalid port number)",
        ),
        (
            "mariadb://root:S3cret#PW@127.0.0.1:3306/x",
            "could not be parsed (invalid port number)",
        ),
        ("mysql:root:S3cretPW@127.0.0.1/x", "no `//` after `mysql:`"),
    ] {
        for args in [
            &["status"][..],
            &["migrate"],
            &["rollback", "--steps", "1"],
            &["verify"],
        ] {
            for (how, run) in every_way(&fixture, url, args) {
                let how = format!("{url}: {how}");
                assert_eq!(run.code, 2, "{how}\n{run}");
                assert!(run.stderr.contains(problem), "{how}\n{run}");
                assert_hidden(&how, &run, &["S3cret", "PW", "127.0.0.1"]);
            }
        }
    }
}

fn mysql_fixture() -> Fixture {
    let fixture = Fixture::new("basic");
    fixture.edit("Cargo.toml", "dialect = \"sqlite\"", "dialect = \"mysql\"");
    fixture.run(&["generate"]).assert_code(0);
    fixture
}

/// A password with a space (the driver reads it: the parser encodes the space) against the
/// real server, which trusts the user and ignores the password: everything works, and the
/// password shows nowhere; verify's replay line names the server with `***`.
#[test]
fn a_working_url_with_a_password_is_shown_with_stars() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::postgres()) else {
        return;
    };
    let fixture = fixture();
    assert!(db.url.contains("://postgres@"), "{}", db.url);
    let url = db.url.replacen("://postgres@", "://postgres:S3cret PW@", 1);
    let shown = db.url.replacen("://postgres@", "://postgres:***@", 1);
    for args in COMMANDS {
        for (how, run) in every_way(&fixture, &url, args) {
            assert!(run.code == 0 || run.code == 1, "{how}\n{run}");
            assert_hidden(&how, &run, &["S3cret", "PW"]);
            if args[0] == "verify" && how.contains("(human)") {
                run.assert_stderr(&format!(
                    "Replaying multi_target (postgres) on a scratch database on {shown}"
                ));
            }
        }
    }
    // A connection error (no such database) names the URL with stars, in both formats.
    let missing = format!("{url}_missing");
    for (how, run) in every_way(&fixture, &missing, &["status"]) {
        assert_eq!(run.code, 2, "{how}\n{run}");
        assert!(
            run.stderr.contains(&format!("{shown}_missing")),
            "{how}\n{run}"
        );
        assert_hidden(&how, &run, &["S3cret", "PW"]);
    }
    // A password the server refuses (MariaDB's root has none): the driver's error, no password.
    let Some(mysql) = runtime.block_on(schema_tests::testdb::mysql()) else {
        return;
    };
    let refused = mysql
        .url
        .replacen("mysql://root@", "mysql://root:S3cret%2FPW@", 1);
    assert_ne!(refused, mysql.url, "{}", mysql.url);
    let mysql_fixture = mysql_fixture();
    for (how, run) in every_way(&mysql_fixture, &refused, &["status"]) {
        assert_eq!(run.code, 2, "{how}\n{run}");
        assert!(run.stderr.contains("mysql://root:***@"), "{how}\n{run}");
        assert_hidden(&how, &run, &["S3cret", "PW"]);
    }
}
