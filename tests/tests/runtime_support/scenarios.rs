//! Scenarios every database must pass; each test file runs them on its database.

use super::{create_table, folder_of, recorded_versions, tables, Folder};
use schema_runtime::migrator::{MigrationState, Problem};
use schema_runtime::{DatabasePool, Dialect, MigrateError};

fn three_tables() -> Vec<(String, String)> {
    [(1, "alpha"), (2, "beta"), (3, "gamma")]
        .iter()
        .flat_map(|(v, t)| create_table(*v, t))
        .collect()
}

/// Apply, re-run, status, rollback by steps and to a version, run_to, dry-run plan.
pub async fn round_trip(pool: &DatabasePool) {
    let folder = folder_of(&three_tables());
    let migrator = folder.migrator();

    let report = migrator.run(pool).await.unwrap_or_else(|e| panic!("{e}"));
    let versions: Vec<i64> = report.migrations.iter().map(|m| m.version).collect();
    assert_eq!(versions, vec![1, 2, 3]);
    assert_eq!(tables(pool).await, vec!["alpha", "beta", "gamma"]);
    assert_eq!(recorded_versions(pool).await, vec![1, 2, 3]);

    let again = migrator.run(pool).await.unwrap();
    assert!(again.migrations.is_empty(), "a second run applies nothing");

    let status = migrator.status(pool).await.unwrap();
    assert_eq!(status.current_version, Some(3));
    assert!(status.is_up_to_date(), "{status:#?}");
    assert!(status.migrations.iter().all(|m| m.applied_at.is_some()));

    let undone = migrator.rollback_steps(pool, 1).await.unwrap();
    assert_eq!(undone.migrations.len(), 1);
    assert_eq!(undone.migrations[0].file, "0003_create_gamma.down.sql");
    assert_eq!(tables(pool).await, vec!["alpha", "beta"]);
    let status = migrator.status(pool).await.unwrap();
    assert_eq!(status.current_version, Some(2));
    assert_eq!(status.with_state(MigrationState::Pending).count(), 1);

    migrator.rollback_to(pool, 0).await.unwrap();
    assert!(tables(pool).await.is_empty());
    assert!(recorded_versions(pool).await.is_empty());

    migrator.run_to(pool, 2).await.unwrap();
    assert_eq!(tables(pool).await, vec!["alpha", "beta"]);

    let plan = migrator.plan_run(pool, None).await.unwrap();
    assert_eq!(plan.migrations.len(), 1);
    assert_eq!(
        plan.migrations[0].statements,
        vec!["CREATE TABLE gamma (id INTEGER PRIMARY KEY)"]
    );
    assert_eq!(
        tables(pool).await,
        vec!["alpha", "beta"],
        "a plan changes nothing"
    );
    let down = migrator
        .plan_rollback(pool, schema_runtime::migrator::RollbackTarget::Steps(2))
        .await
        .unwrap();
    let files: Vec<&str> = down.migrations.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(
        files,
        vec!["0002_create_beta.down.sql", "0001_create_alpha.down.sql"]
    );

    migrator.run(pool).await.unwrap();
    assert_eq!(recorded_versions(pool).await, vec![1, 2, 3]);
}

/// A failing statement in migration 2 leaves the database at 1 and names file, line,
/// statement and the database's message; after fixing the file the run completes.
pub async fn failure_then_fix(pool: &DatabasePool, dialect: Dialect) {
    let mut files: Vec<(String, String)> = create_table(1, "alpha").to_vec();
    files.push((
        "0002_broken.up.sql".into(),
        "CREATE TABLE beta (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);\n"
            .into(),
    ));
    files.push(("0002_broken.down.sql".into(), "DROP TABLE beta;\n".into()));
    let folder = folder_of(&files);

    let error = folder
        .migrator()
        .run(pool)
        .await
        .expect_err("migration 2 must fail");
    let MigrateError::Statement(failure) = &error else {
        panic!("expected a statement failure, got {error}");
    };
    assert_eq!(failure.version, 2);
    assert_eq!(failure.file, "0002_broken.up.sql");
    assert_eq!(failure.line, 2);
    assert_eq!(
        failure.statement,
        "INSERT INTO no_such_table (id) VALUES (1)"
    );
    assert!(
        failure.message.to_lowercase().contains("no_such_table"),
        "{}",
        failure.message
    );
    assert_eq!(failure.version_now, Some(1));
    let text = error.to_string();
    assert!(
        text.contains("0002_broken.up.sql") && text.contains("line 2"),
        "{text}"
    );
    assert_eq!(recorded_versions(pool).await, vec![1]);
    if dialect != Dialect::Mysql {
        assert!(failure.transactional);
        assert_eq!(
            tables(pool).await,
            vec!["alpha"],
            "migration 2 was rolled back"
        );
    }

    folder.write(
        "0002_broken.up.sql",
        "CREATE TABLE beta (id INTEGER PRIMARY KEY);\nINSERT INTO alpha (id) VALUES (1);\n",
    );
    let report = folder
        .migrator()
        .run(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.migrations.len(), 1);
    assert_eq!(recorded_versions(pool).await, vec![1, 2]);
    assert_eq!(tables(pool).await, vec!["alpha", "beta"]);
}

/// Changed, CRLF-only changed, out-of-order and missing files.
pub async fn tamper(pool: &DatabasePool) {
    let mut files: Vec<(String, String)> = create_table(1, "alpha").to_vec();
    files.extend(create_table(3, "gamma"));
    let folder = folder_of(&files);
    folder.migrator().run(pool).await.unwrap();

    // Line endings and a BOM are not a change.
    let up1 = "0001_create_alpha.up.sql";
    folder.write(
        up1,
        "\u{feff}CREATE TABLE alpha (id INTEGER PRIMARY KEY);\r\n",
    );
    let status = folder.migrator().status(pool).await.unwrap();
    assert!(status.is_up_to_date(), "{status:#?}");
    folder
        .migrator()
        .run(pool)
        .await
        .expect("CRLF-only change is accepted");

    // An edited applied file is refused.
    folder.write(
        up1,
        "CREATE TABLE alpha (id INTEGER PRIMARY KEY, extra INTEGER);\n",
    );
    let error = folder
        .migrator()
        .run(pool)
        .await
        .expect_err("edited file refused");
    let MigrateError::Refused(problems) = &error else {
        panic!("{error}")
    };
    assert!(
        matches!(&problems[..], [Problem::Changed { version: 1, .. }]),
        "{problems:?}"
    );
    assert!(error.to_string().contains(up1), "{error}");
    assert_eq!(
        folder.migrator().status(pool).await.unwrap().migrations[0].state,
        MigrationState::Changed
    );
    folder.write(up1, "CREATE TABLE alpha (id INTEGER PRIMARY KEY);\n");

    // A new migration numbered below an applied one is refused, and nothing runs.
    for (name, content) in create_table(2, "beta") {
        folder.write(&name, &content);
    }
    let error = folder
        .migrator()
        .run(pool)
        .await
        .expect_err("out of order refused");
    let MigrateError::Refused(problems) = &error else {
        panic!("{error}")
    };
    assert!(
        matches!(
            &problems[..],
            [Problem::OutOfOrder {
                version: 2,
                highest_applied: 3,
                ..
            }]
        ),
        "{problems:?}"
    );
    assert!(error.to_string().contains("renumber"), "{error}");
    assert_eq!(tables(pool).await, vec!["alpha", "gamma"]);
    for (name, _) in create_table(2, "beta") {
        folder.remove(&name);
    }

    // An applied migration missing from the set is refused.
    for (name, _) in create_table(3, "gamma") {
        folder.remove(&name);
    }
    let error = folder
        .migrator()
        .run(pool)
        .await
        .expect_err("missing refused");
    let MigrateError::Refused(problems) = &error else {
        panic!("{error}")
    };
    assert!(
        matches!(&problems[..], [Problem::Missing { version: 3, .. }]),
        "{problems:?}"
    );
    let status = folder.migrator().status(pool).await.unwrap();
    assert_eq!(status.with_state(MigrationState::Missing).count(), 1);
}

/// `from_dir` lists the down files but reads them only when a rollback needs them: a down file
/// that cannot be read does not stop `run`, and fails the rollback (and its plan) naming the
/// file, before anything is undone; a down file edited after `from_dir` runs as edited; an
/// invalid directive in a down file fails the rollback that would run it.
pub async fn down_files_read_when_rolling_back(pool: &DatabasePool) {
    let folder = folder_of(&three_tables());
    let migrator = folder.migrator();
    folder.remove("0003_create_gamma.down.sql");
    std::fs::write(
        folder.file("0002_create_beta.down.sql"),
        b"DROP TABLE \xff;\n",
    )
    .unwrap();

    let report = migrator.run(pool).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.migrations.len(), 3, "run needs no down file");

    let unreadable = |error: MigrateError| {
        let text = error.to_string();
        assert!(
            matches!(error, MigrateError::Resolve(ref e) if e.len() == 2),
            "{text}"
        );
        assert!(
            text.contains("cannot read `")
                && text.contains("0003_create_gamma.down.sql`: ")
                && text.contains("`0002_create_beta.down.sql` is not valid UTF-8"),
            "{text}"
        );
    };
    unreadable(migrator.rollback_to(pool, 0).await.unwrap_err());
    let target = schema_runtime::migrator::RollbackTarget::To(0);
    unreadable(migrator.plan_rollback(pool, target).await.unwrap_err());
    assert_eq!(tables(pool).await, vec!["alpha", "beta", "gamma"]);
    assert_eq!(recorded_versions(pool).await, vec![1, 2, 3]);

    // Rolling back only the newest needs only its down file, as it is now.
    folder.write(
        "0003_create_gamma.down.sql",
        "DROP TABLE gamma;\nCREATE TABLE gamma_was_here (id INTEGER PRIMARY KEY);\n",
    );
    let undone = migrator.rollback_steps(pool, 1).await.unwrap();
    assert_eq!(undone.migrations[0].file, "0003_create_gamma.down.sql");
    assert_eq!(tables(pool).await, vec!["alpha", "beta", "gamma_was_here"]);

    folder.write(
        "0002_create_beta.down.sql",
        "-- schema:bogus\nDROP TABLE beta;\n",
    );
    let error = migrator.rollback_steps(pool, 1).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`0002_create_beta.down.sql`, line 1: unknown directive"),
        "{error}"
    );
    assert_eq!(recorded_versions(pool).await, vec![1, 2]);

    folder.write("0002_create_beta.down.sql", "DROP TABLE beta;\n");
    migrator.rollback_to(pool, 0).await.unwrap();
    assert_eq!(tables(pool).await, vec!["gamma_was_here"]);
    assert!(recorded_versions(pool).await.is_empty());
}

/// A folder whose migrations are applied: reused by database-specific tests.
pub fn folder(files: &[(&str, &str)]) -> Folder {
    Folder::new(files)
}
