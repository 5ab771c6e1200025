//! Graphviz DOT text: the `--format dot` output and what the SVG is laid out from.
//!
//! Each table is an HTML-like table (name, type, keys per column; `type?` is nullable) with a
//! port on both ends of every row, so an edge leaves the referenced column and enters the
//! referencing one. Left to right: referenced tables stand left of the tables that reference
//! them. Crow's-foot arrowheads give the cardinality (`teetee` exactly one, `teeodot` at most
//! one, `crowodot` many), so no edge needs a label that could sit on top of another. Text is
//! monospaced (`Courier`), whose width every renderer measures alike.
//!
//! A large diagram (more than [`LARGE`] tables) is laid out for speed: edges attach to the
//! tables rather than to column rows, enums are not linked to their columns (the column's
//! type names the enum), and crossing reduction stops early. Graphviz's crossing reduction
//! and row ports grow much faster than the number of tables; this keeps 1000 tables near a
//! second (see `bench/erd.sh`).

use crate::graph::{Cardinality, ColumnRow, EnumBox, EnumUse, Graph, Mark, Relation, TableBox};
use crate::ids;
use std::fmt::Write;

/// Above this many tables a diagram is drawn in its large form.
pub const LARGE: usize = 250;

pub fn render(graph: &Graph, title: &str) -> String {
    let large = graph.tables.len() > LARGE;
    let mut out = String::with_capacity(256 + graph.tables.len() * 1500);
    out.push_str("digraph erd {\n");
    if !title.is_empty() {
        let _ = writeln!(out, "  // {}", title.replace(['\n', '\r'], " "));
    }
    out.push_str(concat!(
        "  graph [rankdir=LR, nodesep=0.35, ranksep=0.9, pad=0.3, bgcolor=\"white\", fontname=\"Courier\"];\n",
        "  node [shape=plaintext, fontname=\"Courier\", fontsize=10, fontcolor=\"#1a1a1a\", margin=0];\n",
        "  edge [dir=both, arrowsize=0.8, penwidth=1.2];\n",
    ));
    if large {
        out.push_str("  graph [mclimit=0.01, remincross=false, nslimit=0.2, nslimit1=0.2];\n");
    }
    for e in &graph.enums {
        enum_node(&mut out, e);
    }
    for table in &graph.tables {
        table_node(&mut out, table);
    }
    for relation in &graph.relations {
        relation_edge(&mut out, graph, relation, !large);
    }
    if !large {
        for used in &graph.enum_uses {
            enum_use_edge(&mut out, graph, used);
        }
    }
    out.push_str("}\n");
    out
}

/// The colours of one mark.
struct Palette {
    border: &'static str,
    header: &'static str,
    text: &'static str,
    row: &'static str,
}

fn palette(mark: Mark) -> Palette {
    match mark {
        Mark::Plain => Palette {
            border: "#5a6b80",
            header: "#dbe4f0",
            text: "#1a1a1a",
            row: "#ffffff",
        },
        Mark::Added => Palette {
            border: "#2e7d32",
            header: "#c8e6c9",
            text: "#1b5e20",
            row: "#e8f5e9",
        },
        Mark::Dropped => Palette {
            border: "#c62828",
            header: "#ffcdd2",
            text: "#b71c1c",
            row: "#ffebee",
        },
        Mark::Changed => Palette {
            border: "#ef6c00",
            header: "#ffe0b2",
            text: "#8a4b00",
            row: "#fff3e0",
        },
        Mark::Faded => Palette {
            border: "#cfcfcf",
            header: "#f2f2f2",
            text: "#a8a8a8",
            row: "#ffffff",
        },
    }
}

fn edge_color(mark: Mark, plain: &'static str) -> &'static str {
    match mark {
        Mark::Plain => plain,
        Mark::Faded => "#d6d6d6",
        other => palette(other).border,
    }
}

/// `+ `, `- `, `~ `: what happened to a row, readable without colour too.
fn prefix(mark: Mark) -> &'static str {
    match mark {
        Mark::Added => "+ ",
        Mark::Dropped => "- ",
        Mark::Changed => "~ ",
        Mark::Plain | Mark::Faded => "",
    }
}

fn table_node(out: &mut String, table: &TableBox) {
    let outer = palette(table.mark);
    let classes = match table.mark.word() {
        Some(word) => format!("table {word}"),
        None if table.mark == Mark::Faded => "table faded".to_string(),
        None => "table".to_string(),
    };
    let _ = write!(
        out,
        "  {} [id={}, class={}, label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\" COLOR=\"{}\" BGCOLOR=\"{}\">",
        quote(&node_id_table(&table.name)),
        quote(&ids::table(&table.name)),
        quote(&classes),
        outer.border,
        outer.row,
    );
    let mut title = format!("{}{}", prefix(table.mark), table.name);
    if let Some(old) = &table.renamed_from {
        title.push_str(&format!(" (was {old})"));
    }
    let _ = write!(
        out,
        "<TR><TD COLSPAN=\"3\" BGCOLOR=\"{}\"><FONT COLOR=\"{}\"><B>{}</B></FONT></TD></TR>",
        outer.header,
        outer.text,
        html(&title)
    );
    if let Some((a, b)) = &table.joins {
        let _ = write!(
            out,
            "<TR><TD COLSPAN=\"3\"><FONT COLOR=\"{}\" POINT-SIZE=\"9\"><I>{}</I></FONT></TD></TR>",
            outer.text,
            html(&format!("join: {a} <-> {b}"))
        );
    }
    for (index, column) in table.columns.iter().enumerate() {
        column_row(out, index, column, table.mark);
    }
    for note in &table.notes {
        let colours = palette(note.mark);
        let text = format!(
            "{}{} {} ({})",
            prefix(note.mark),
            note.kind.replace('_', " "),
            note.name,
            note.detail
        );
        let _ = write!(
            out,
            "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\" BGCOLOR=\"{}\"><FONT COLOR=\"{}\" POINT-SIZE=\"9\"><I>{}</I></FONT></TD></TR>",
            colours.row,
            colours.text,
            html(&text)
        );
    }
    out.push_str("</TABLE>>];\n");
}

fn column_row(out: &mut String, index: usize, column: &ColumnRow, table_mark: Mark) {
    // A faded table's rows are faded; a new or dropped table's rows are all new or dropped;
    // in a table that changed, each row has its own mark.
    let mark = match (table_mark, column.mark) {
        (Mark::Faded, _) => Mark::Faded,
        (Mark::Added | Mark::Dropped, Mark::Plain) => table_mark,
        (_, own) => own,
    };
    let colours = palette(mark);
    // The box's title already says a whole table is new or dropped.
    let row_prefix = match table_mark {
        Mark::Added | Mark::Dropped => "",
        _ => prefix(column.mark),
    };
    let mut ty = column.ty.clone();
    if column.nullable {
        ty.push('?');
    }
    for was in &column.was {
        ty.push_str(&format!(" ({was})"));
    }
    let keys = column.keys().join(",");
    // Plain rows take the table's colours: every attribute left out is work the layout
    // engine does not do and a polygon the SVG does not hold.
    let plain = mark.is_plain();
    let cell = |port: Option<String>, text: &str| {
        let port = port.map(|p| format!(" PORT=\"{p}\"")).unwrap_or_default();
        let text = if text.is_empty() {
            " ".to_string()
        } else {
            html(text)
        };
        if plain {
            format!("<TD{port} ALIGN=\"LEFT\">{text}</TD>")
        } else if text == " " {
            // Graphviz refuses an empty <FONT>.
            format!(
                "<TD{port} ALIGN=\"LEFT\" BGCOLOR=\"{}\"> </TD>",
                colours.row
            )
        } else {
            format!(
                "<TD{port} ALIGN=\"LEFT\" BGCOLOR=\"{}\"><FONT COLOR=\"{}\">{text}</FONT></TD>",
                colours.row, colours.text
            )
        }
    };
    let _ = write!(
        out,
        "<TR>{}{}{}</TR>",
        cell(
            Some(format!("l{index}")),
            &format!("{}{}", row_prefix, column.name)
        ),
        cell(None, &ty),
        cell(Some(format!("r{index}")), &keys),
    );
}

fn enum_node(out: &mut String, e: &EnumBox) {
    let colours = match e.mark {
        Mark::Plain => Palette {
            border: "#7e57c2",
            header: "#ede7f6",
            text: "#311b92",
            row: "#ffffff",
        },
        other => palette(other),
    };
    let classes = match e.mark {
        Mark::Plain => "enum".to_string(),
        Mark::Faded => "enum faded".to_string(),
        other => format!("enum {}", other.word().unwrap_or_default()),
    };
    let _ = write!(
        out,
        "  {} [id={}, class={}, label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\" STYLE=\"ROUNDED\" COLOR=\"{}\" BGCOLOR=\"#ffffff\">",
        quote(&node_id_enum(&e.name)),
        quote(&ids::enum_box(&e.name)),
        quote(&classes),
        colours.border,
    );
    let _ = write!(
        out,
        "<TR><TD BGCOLOR=\"{}\"><FONT COLOR=\"{}\"><I>enum</I> <B>{}</B></FONT></TD></TR>",
        colours.header,
        colours.text,
        html(&format!("{}{}", prefix(e.mark), e.name))
    );
    for value in &e.values {
        let mark = if e.mark == Mark::Faded {
            Mark::Faded
        } else {
            value.mark
        };
        let row = palette(mark);
        let mut text = format!("{}{}", prefix(value.mark), value.value);
        if let Some(was) = &value.was {
            text.push_str(&format!(" (was {was})"));
        }
        let text_colour = if mark.is_plain() {
            colours.text
        } else {
            row.text
        };
        let _ = write!(
            out,
            "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"{}\"><FONT COLOR=\"{}\">{}</FONT></TD></TR>",
            row.row,
            text_colour,
            html(&text)
        );
    }
    out.push_str("</TABLE>>];\n");
}

fn relation_edge(out: &mut String, graph: &Graph, relation: &Relation, ports: bool) {
    let (Some(parent), Some(child)) = (
        graph.table(&relation.ref_table),
        graph.table(&relation.table),
    ) else {
        return;
    };
    let (tail, head) = if ports {
        (
            endpoint(parent, relation.ref_columns.first(), 'r', "e"),
            endpoint(child, relation.columns.first(), 'l', "w"),
        )
    } else {
        (
            quote(&node_id_table(&parent.name)),
            quote(&node_id_table(&child.name)),
        )
    };
    let arrowtail = if relation.optional {
        "teeodot"
    } else {
        "teetee"
    };
    let arrowhead = match relation.cardinality {
        Cardinality::OneToMany => "crowodot",
        Cardinality::OneToOne => "teeodot",
    };
    let mut tooltip = format!(
        "{}.{} -> {}.{}",
        relation.table,
        relation.columns.join(","),
        relation.ref_table,
        relation.ref_columns.join(",")
    );
    if !relation.on_delete.is_default() {
        tooltip.push_str(&format!(", on delete {}", relation.on_delete.as_str()));
    }
    let _ = writeln!(
        out,
        "  {tail} -> {head} [id={}, class={}, arrowtail={arrowtail}, arrowhead={arrowhead}, color=\"{}\"{}, tooltip={}];",
        quote(&ids::relation(&relation.table, &relation.name)),
        quote(&edge_class("relation", relation.mark)),
        edge_color(relation.mark, "#546e7a"),
        emphasis(relation.mark),
        quote(&tooltip),
    );
}

fn enum_use_edge(out: &mut String, graph: &Graph, used: &EnumUse) {
    let Some(table) = graph.table(&used.table) else {
        return;
    };
    if graph.enum_box(&used.enum_name).is_none() {
        return;
    }
    let head = endpoint(table, Some(&used.column), 'l', "w");
    let _ = writeln!(
        out,
        "  {} -> {head} [id={}, class={}, dir=none, style=dashed, color=\"{}\"{}];",
        quote(&node_id_enum(&used.enum_name)),
        quote(&ids::enum_use(&used.table, &used.column)),
        quote(&edge_class("enum-use", used.mark)),
        edge_color(used.mark, "#9575cd"),
        emphasis(used.mark),
    );
}

fn edge_class(kind: &str, mark: Mark) -> String {
    match (mark.word(), mark) {
        (Some(word), _) => format!("{kind} {word}"),
        (None, Mark::Faded) => format!("{kind} faded"),
        (None, _) => kind.to_string(),
    }
}

fn emphasis(mark: Mark) -> &'static str {
    match mark {
        Mark::Dropped => ", penwidth=2, style=dashed",
        m if m.is_change() => ", penwidth=2",
        _ => "",
    }
}

/// `"t:users":"r0":e`: the row of `column` on the given side, or the box when the column is
/// not drawn.
fn endpoint(table: &TableBox, column: Option<&String>, side: char, compass: &str) -> String {
    let node = quote(&node_id_table(&table.name));
    match column.and_then(|c| table.columns.iter().position(|row| &row.name == c)) {
        Some(index) => format!("{node}:\"{side}{index}\":{compass}"),
        None => node,
    }
}

fn node_id_table(name: &str) -> String {
    format!("t:{name}")
}

fn node_id_enum(name: &str) -> String {
    format!("e:{name}")
}

/// A DOT double-quoted string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside an HTML-like label.
fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(html("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
    }
}
