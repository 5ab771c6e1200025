//! Mermaid `erDiagram` text: what code hosts render in README files and pull requests.
//!
//! Crow's-foot relations from each referenced table to each referencing one (`||` exactly one
//! parent, `|o` at most one when the key is nullable; `o{` many children, `o|` at most one when
//! the key is unique); solid lines for identifying keys (part of the child's primary key),
//! dashed otherwise. Enums are entities whose attributes are their values. A diff's marks
//! are attribute comments (`"added"`) and `classDef` colours (Mermaid 11).

use crate::graph::{Cardinality, ColumnRow, Graph, Mark, Relation};
use std::fmt::Write;

pub fn render(graph: &Graph, title: &str) -> String {
    let mut out = String::with_capacity(64 + graph.tables.len() * 400);
    out.push_str("erDiagram\n");
    if !title.is_empty() {
        let _ = writeln!(out, "    %% {}", one_line(title));
    }
    for table in &graph.tables {
        let _ = writeln!(out, "    {} {{", entity(&table.name));
        for column in &table.columns {
            attribute(&mut out, column, table.mark);
        }
        for note in &table.notes {
            let (kind, _) = word(&note.kind);
            let (name, _) = word(&note.name);
            let words: Vec<&str> = note.mark.word().into_iter().collect();
            let comment = format!("{} {}", words.join(" "), note.detail);
            let _ = writeln!(out, "        {kind} {name} \"{}\"", comment_text(&comment));
        }
        out.push_str("    }\n");
    }
    for e in &graph.enums {
        let _ = writeln!(out, "    {} {{", entity(&e.name));
        for value in &e.values {
            let (name, changed) = word(&value.value);
            let mut comment: Vec<String> = Vec::new();
            if changed {
                comment.push(format!("value {}", value.value));
            }
            comment.extend(value.mark.word().map(str::to_string));
            if let Some(was) = &value.was {
                comment.push(format!("was {was}"));
            }
            let _ = write!(out, "        enum {name}");
            push_comment(&mut out, &comment);
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for relation in &graph.relations {
        relationship(&mut out, relation);
    }
    for table in &graph.tables {
        let Some((a, b)) = &table.joins else {
            continue;
        };
        let mut label = format!("many-to-many via {}", table.name);
        if let Some(word) = table.mark.word().filter(|_| table.mark != Mark::Changed) {
            label.push_str(&format!(" ({word})"));
        }
        let _ = writeln!(
            out,
            "    {} }}o..o{{ {} : \"{}\"",
            entity(a),
            entity(b),
            comment_text(&label)
        );
    }
    for used in &graph.enum_uses {
        let parent = if used.optional { "|o" } else { "||" };
        let mut label = used.column.clone();
        if let Some(word) = used.mark.word() {
            label.push_str(&format!(" ({word})"));
        }
        let _ = writeln!(
            out,
            "    {} {parent}..o{{ {} : \"{}\"",
            entity(&used.enum_name),
            entity(&used.table),
            comment_text(&label)
        );
    }
    classes(&mut out, graph);
    out
}

fn attribute(out: &mut String, column: &ColumnRow, table_mark: Mark) {
    let (ty, ty_changed) = word(&column.ty);
    let (name, name_changed) = word(&column.name);
    let mut comment: Vec<String> = Vec::new();
    if name_changed {
        comment.push(format!("column {}", column.name));
    }
    if ty_changed {
        comment.push(format!("type {}", column.ty));
    }
    if column.nullable {
        comment.push("nullable".into());
    }
    // A new or dropped table says so once per column: every one of them is.
    let mark = match (table_mark, column.mark) {
        (Mark::Added | Mark::Dropped, Mark::Plain) => table_mark,
        (_, own) => own,
    };
    if let Some(word) = mark.word() {
        comment.push(word.to_string());
    }
    comment.extend(column.was.iter().cloned());
    let _ = write!(out, "        {ty} {name}");
    let keys = column.keys();
    if !keys.is_empty() {
        let _ = write!(out, " {}", keys.join(", "));
    }
    push_comment(out, &comment);
    out.push('\n');
}

fn relationship(out: &mut String, relation: &Relation) {
    let parent = if relation.optional { "|o" } else { "||" };
    let child = match relation.cardinality {
        Cardinality::OneToMany => "o{",
        Cardinality::OneToOne => "o|",
    };
    let line = if relation.identifying { "--" } else { ".." };
    let mut label = relation.columns.join(", ");
    if let Some(word) = relation.mark.word() {
        label.push_str(&format!(" ({word})"));
    }
    let _ = writeln!(
        out,
        "    {} {parent}{line}{child} {} : \"{}\"",
        entity(&relation.ref_table),
        entity(&relation.table),
        comment_text(&label)
    );
}

/// The diff's colours, as Mermaid 11 classes (plain diagrams get none).
fn classes(out: &mut String, graph: &Graph) {
    let mut by_mark: Vec<(Mark, Vec<&str>)> = Vec::new();
    let names = graph
        .tables
        .iter()
        .map(|t| (t.mark, t.name.as_str()))
        .chain(graph.enums.iter().map(|e| (e.mark, e.name.as_str())));
    for (mark, name) in names.filter(|(m, _)| !m.is_plain()) {
        match by_mark.iter_mut().find(|(m, _)| *m == mark) {
            Some((_, list)) => list.push(name),
            None => by_mark.push((mark, vec![name])),
        }
    }
    by_mark.sort_by_key(|(m, _)| class_name(*m));
    for (mark, names) in by_mark {
        let _ = writeln!(
            out,
            "    classDef {} {}",
            class_name(mark),
            class_style(mark)
        );
        let list: Vec<String> = names.iter().map(|n| entity(n)).collect();
        let _ = writeln!(out, "    class {} {}", list.join(","), class_name(mark));
    }
}

fn class_name(mark: Mark) -> &'static str {
    match mark {
        Mark::Added => "added",
        Mark::Dropped => "dropped",
        Mark::Changed => "changed",
        Mark::Faded => "faded",
        Mark::Plain => "plain",
    }
}

fn class_style(mark: Mark) -> &'static str {
    match mark {
        Mark::Added => "fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20",
        Mark::Dropped => "fill:#ffebee,stroke:#c62828,color:#b71c1c",
        Mark::Changed => "fill:#fff8e1,stroke:#ef6c00,color:#8a4b00",
        Mark::Faded => "fill:#fafafa,stroke:#cfcfcf,color:#9e9e9e",
        Mark::Plain => "",
    }
}

fn push_comment(out: &mut String, parts: &[String]) {
    if !parts.is_empty() {
        let _ = write!(out, " \"{}\"", comment_text(&parts.join("; ")));
    }
}

/// An entity name as Mermaid reads it: bare when it is a plain word, else in double quotes.
fn entity(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", comment_text(name))
    }
}

/// An attribute type or name as Mermaid's grammar allows it (letters, digits, `_-[]()`, not
/// starting with a digit), and whether anything had to be replaced.
fn word(s: &str) -> (String, bool) {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-[]()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    {
        out.insert(0, '_');
    }
    let changed = out != s;
    (out, changed)
}

/// Text inside Mermaid's double quotes: no double quotes, one line.
fn comment_text(s: &str) -> String {
    one_line(&s.replace('"', "'"))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_mermaids_grammar() {
        assert_eq!(word("varchar(320)"), ("varchar(320)".into(), false));
        assert_eq!(word("text[]"), ("text[]".into(), false));
        assert_eq!(word("double precision"), ("double_precision".into(), true));
        assert_eq!(word("numeric(10,2)"), ("numeric(10_2)".into(), true));
        assert_eq!(word("2fa"), ("_2fa".into(), true));
        assert_eq!(word("read-only"), ("read-only".into(), false));
    }

    #[test]
    fn entities_are_quoted_when_they_must_be() {
        assert_eq!(entity("users"), "users");
        assert_eq!(entity("users.role"), "\"users.role\"");
        assert_eq!(entity("Order Items"), "\"Order Items\"");
    }
}
