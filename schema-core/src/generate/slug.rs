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
