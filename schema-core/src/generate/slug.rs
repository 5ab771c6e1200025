//! The migration's name from its changes: `create_users_posts`, `add_email_to_users`,
//! `drop_bio_from_users`, `rename_users_to_accounts`, otherwise `alter_<tables>`.

use crate::diff::Change;

/// Longest slug, in bytes; longer ones are cut at a word boundary.
const MAX_LEN: usize = 48;

pub fn slug(changes: &[Change]) -> String {
    let raw = describe(changes);
    truncate(&sanitize(&raw))
}

fn describe(changes: &[Change]) -> String {
    use Change::*;
    let all = |f: fn(&Change) -> bool| !changes.is_empty() && changes.iter().all(f);
    if changes.is_empty() {
        return String::new();
    }
    let tables = touched(changes);
    if all(|c| matches!(c, CreateTable(_) | CreateEnum(_))) {
        let names: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                CreateTable(t) => Some(t.name.as_str()),
                _ => None,
            })
            .collect();
        return if names.is_empty() {
            format!("create_{}", enum_names(changes).join("_"))
        } else {
            format!("create_{}", names.join("_"))
        };
    }
    if all(|c| matches!(c, DropTable(_) | DropEnum(_))) {
        let names = if tables.is_empty() {
            enum_names(changes)
        } else {
            tables.clone()
        };
        return format!("drop_{}", names.join("_"));
    }
    if tables.len() == 1 {
        let t = &tables[0];
        if all(|c| matches!(c, AddColumn { .. })) {
            return format!("add_{}_to_{t}", column_names(changes).join("_"));
        }
        if all(|c| matches!(c, DropColumn { .. })) {
            return format!("drop_{}_from_{t}", column_names(changes).join("_"));
        }
        if let [RenameTable { from, to }] = changes {
            return format!("rename_{from}_to_{to}");
        }
        if let [RenameColumn { from, to, table }] = changes {
            return format!("rename_{from}_to_{to}_in_{table}");
        }
        if all(|c| matches!(c, AddIndex { .. })) {
            return format!("add_index_to_{t}");
        }
    }
    if tables.is_empty() {
        return format!("alter_{}", enum_names(changes).join("_"));
    }
    format!("alter_{}", tables.join("_"))
}

fn touched(changes: &[Change]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in changes {
        if let Some(t) = c.table() {
            if !out.iter().any(|o| o == t) {
                out.push(t.to_string());
            }
        }
    }
    out
}

fn enum_names(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateEnum(e) | Change::DropEnum(e) => Some(e.name.clone()),
            Change::AlterEnum { to, .. } => Some(to.name.clone()),
            _ => None,
        })
        .collect()
}

fn column_names(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::AddColumn { column, .. } | Change::DropColumn { column, .. } => {
                Some(column.name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Lowercase ASCII letters, digits and single underscores.
fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "migration".to_string()
    } else {
        out
    }
}

fn truncate(s: &str) -> String {
    if s.len() <= MAX_LEN {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split('_') {
        let extra = if out.is_empty() {
            word.len()
        } else {
            word.len() + 1
        };
        if out.len() + extra > MAX_LEN {
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        s[..MAX_LEN].to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Enum, Table};

    fn t(name: &str) -> Table {
        Table {
            name: name.into(),
            columns: vec![],
            primary_key: None,
            uniques: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
        }
    }

    fn c(name: &str) -> Column {
        Column {
            name: name.into(),
            ty: "text".into(),
            nullable: true,
            default: None,
            auto_increment: false,
        }
    }

    #[test]
    fn slugs_from_changes() {
        use Change::*;
        let add = |table: &str, col: &str| AddColumn {
            table: table.into(),
            column: c(col),
        };
        let cases: Vec<(Vec<Change>, &str)> = vec![
            (
                vec![CreateTable(t("users")), CreateTable(t("posts"))],
                "create_users_posts",
            ),
            (vec![add("users", "email")], "add_email_to_users"),
            (
                vec![add("users", "email"), add("users", "bio")],
                "add_email_bio_to_users",
            ),
            (
                vec![DropColumn {
                    table: "users".into(),
                    column: c("bio"),
                }],
                "drop_bio_from_users",
            ),
            (vec![DropTable(t("users"))], "drop_users"),
            (
                vec![RenameTable {
                    from: "users".into(),
                    to: "accounts".into(),
                }],
                "rename_users_to_accounts",
            ),
            (
                vec![add("users", "email"), CreateTable(t("posts"))],
                "alter_users_posts",
            ),
            (
                vec![CreateEnum(Enum {
                    name: "user_role".into(),
                    values: vec![],
                })],
                "create_user_role",
            ),
            (vec![], "migration"),
        ];
        for (changes, want) in cases {
            assert_eq!(slug(&changes), want, "{changes:?}");
        }
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let changes: Vec<Change> = (0..20)
            .map(|i| Change::CreateTable(t(&format!("table_number_{i}"))))
            .collect();
        let s = slug(&changes);
        assert!(s.len() <= MAX_LEN, "{s}");
        assert!(s.starts_with("create_table_number_0_table_number_1"));
        assert!(!s.ends_with('_'));
        assert_eq!(sanitize("Add Email-To \"Users\""), "add_email_to_users");
    }
}
