mod common;

use common::*;
use schema_core::decl::*;
use schema_core::generate::generate;
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;

#[test]
fn dump_blog_sql() {
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let (to, hints) = schema(&blog(), dialect);
        let g = generate(&Schema::empty(dialect), &to, &hints).unwrap();
        println!("=== {dialect} up\n{}\n=== down\n{}", g.up_sql, g.down_sql);
        assert_eq!(g.slug, "create_users_posts");
    }
    let _ = RenameHints::default();
    let _ = TypeDecl::Bool;
}
