//! The canonical text of a SQL expression (a check, a partial-index predicate, a default), so an
//! expression as declared and the same expression as a database prints it back compare equal.
//!
//! Databases do not echo expressions as written: PostgreSQL parenthesizes every operator
//! (`CHECK ((age >= 0))`), casts literals (`'member'::user_role`, `'-1'::integer`) and turns
//! `x IN ('a', 'b')` into `x = ANY (ARRAY['a'::text, 'b'::text])`; MySQL quotes identifiers with
//! backticks. [`canonical_expr`] parses the expression and prints it one way: minimal
//! parentheses, casts of literals dropped, `= ANY (ARRAY[...])` as `IN (...)`, keywords upper
//! case, functions and unquoted identifiers lower case, identifiers quoted only when they must
//! be. Text it cannot parse is returned with whitespace collapsed.

mod lex;
mod normalize;
mod parse;
mod print;

use crate::dialect::Dialect;
use normalize::{function_aliases, rename_idents, simplify};
use parse::parse;
use print::print;

pub use print::quote_ident_if_needed;

/// The canonical form of `sql` (see the module documentation).
pub fn canonical_expr(sql: &str, dialect: Dialect) -> String {
    match parse(sql) {
        Some(expr) => print(&function_aliases(simplify(expr), dialect), dialect),
        None => collapse_whitespace(sql),
    }
}

/// `sql` with the column `from` renamed to `to`, in canonical form: what PostgreSQL and SQLite
/// do to checks and index predicates on `ALTER TABLE .. RENAME COLUMN`. Text that does not
/// parse is returned unchanged.
pub fn rename_column(sql: &str, from: &str, to: &str, dialect: Dialect) -> String {
    rename_columns(sql, |c| (c == from).then(|| to.to_string()), dialect)
}

/// `sql` with every unqualified column `c` for which `new_name(c)` is `Some` renamed at once
/// (so swapping two names works), in canonical form. Text that does not parse is returned
/// unchanged.
pub fn rename_columns(
    sql: &str,
    new_name: impl Fn(&str) -> Option<String>,
    dialect: Dialect,
) -> String {
    match parse(sql) {
        Some(expr) => print(&rename_idents(simplify(expr), &new_name), dialect),
        None => sql.to_string(),
    }
}

fn collapse_whitespace(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    fn pg(s: &str) -> String {
        canonical_expr(s, Postgres)
    }

    #[test]
    fn postgres_parentheses_and_casts_are_dropped() {
        assert_eq!(pg("((age >= 0))"), "age >= 0");
        assert_eq!(pg("age>=0"), "age >= 0");
        assert_eq!(pg("((a > 0) AND (b > 0))"), "a > 0 AND b > 0");
        assert_eq!(pg("(a > 0 or b > 0) and c"), "(a > 0 OR b > 0) AND c");
        assert_eq!(pg("'member'::user_role"), "'member'");
        assert_eq!(pg("'x'::text"), "'x'");
        assert_eq!(pg("'-1'::integer"), "-1");
        assert_eq!(pg("'5'::text"), "'5'");
        assert_eq!(pg("'{}'::integer[]"), "'{}'");
        assert_eq!(
            pg("'2020-01-01 00:00:00'::timestamp without time zone"),
            "'2020-01-01 00:00:00'"
        );
        assert_eq!(pg("now()"), "now()");
        assert_eq!(pg("NOW( )"), "now()");
        assert_eq!(pg("current_timestamp"), "CURRENT_TIMESTAMP");
        assert_eq!(pg("current_timestamp()"), "CURRENT_TIMESTAMP");
        assert_eq!(pg("1.50"), "1.5");
        assert_eq!(pg("TRUE"), "true");
    }

    #[test]
    fn postgres_any_array_is_in() {
        let want = "role IN ('a', 'b')";
        assert_eq!(pg("(role = ANY (ARRAY['a'::text, 'b'::text]))"), want);
        assert_eq!(pg("((role)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"), want);
        assert_eq!(pg("role in ('a','b')"), want);
        assert_eq!(pg("\"role\" IN ('a', 'b')"), want);
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(pg("\"order\" > 0"), "\"order\" > 0");
        assert_eq!(pg("\"Mixed\" > 0"), "\"Mixed\" > 0");
        assert_eq!(canonical_expr("`order` > 0", Mysql), "`order` > 0");
        assert_eq!(
            canonical_expr("octet_length(`a`) > 0", Mysql),
            "length(a) > 0"
        );
        assert_eq!(canonical_expr("\"price\" > 0", Sqlite), "price > 0");
        assert_eq!(pg("[price] > 0"), "price > 0");
    }

    #[test]
    fn precedence_is_kept() {
        assert_eq!(pg("(a + b) * c"), "(a + b) * c");
        assert_eq!(pg("a + (b * c)"), "a + b * c");
        assert_eq!(pg("a - (b - c)"), "a - (b - c)");
        assert_eq!(pg("NOT (a AND b)"), "NOT (a AND b)");
        assert_eq!(pg("(deleted_at IS NULL)"), "deleted_at IS NULL");
        assert_eq!(pg("x between 1 and 5"), "x >= 1 AND x <= 5");
        assert_eq!(pg("x not between 1 and 5"), "x < 1 OR x > 5");
        assert_eq!(pg("length(name) > 0"), "length(name) > 0");
        assert_eq!(pg("(length(name) > 0)"), "length(name) > 0");
        assert_eq!(pg("name like 'a%'"), "name LIKE 'a%'");
        assert_eq!(pg("a <> b"), pg("a != b"));
    }

    #[test]
    fn canonical_form_is_a_fixed_point() {
        for s in [
            "((a > 0) AND (b > 0))",
            "(role = ANY (ARRAY['a'::text]))",
            "'-1'::integer",
            "x::date > '2020-01-01'::date",
        ] {
            let once = pg(s);
            assert_eq!(pg(&once), once, "{s}");
        }
    }

    #[test]
    fn renames_columns_inside_expressions() {
        assert_eq!(
            rename_column("a >= 0 AND b < a", "a", "c", Postgres),
            "c >= 0 AND b < c"
        );
        assert_eq!(
            rename_column("a IN ('x', 'y')", "a", "order", Postgres),
            "\"order\" IN ('x', 'y')"
        );
        assert_eq!(
            rename_column("length(a) > 0", "a", "b", Sqlite),
            "length(b) > 0"
        );
        assert_eq!(rename_column("t.a > 0", "a", "b", Sqlite), "t.a > 0");
        assert_eq!(rename_column("a() > 0", "a", "b", Sqlite), "a() > 0");
        let swap = |c: &str| match c {
            "a" => Some("b".to_string()),
            "b" => Some("a".to_string()),
            _ => None,
        };
        assert_eq!(rename_columns("a < b", swap, Postgres), "b < a");
    }

    #[test]
    fn unparsable_text_is_whitespace_collapsed() {
        assert_eq!(pg("CASE  WHEN a THEN 1 END"), "CASE WHEN a THEN 1 END");
    }
}
