//! One self-contained HTML page: the SVG inline, its style and script inline (nothing is
//! loaded from anywhere), pan and zoom, find a table, click a box to see its relations.

use crate::error::Error;
use crate::graph::{Graph, Mark};
use crate::{ids, svg};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

const STYLE: &str = include_str!("html/erd.css");
const SCRIPT: &str = include_str!("html/erd.js");

pub fn render(graph: &Graph, title: &str) -> Result<String, Error> {
    let drawn = svg::render(graph, title)?;
    let title = escape(title);
    let mut out = String::with_capacity(drawn.len() + STYLE.len() + SCRIPT.len() + 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header class=\"erd-bar\">\n<span class=\"erd-title\">{title}</span>\n<span class=\"erd-summary\">{}</span>\n",
        escape(&summary(graph))
    );
    out.push_str("<input id=\"erd-search\" type=\"search\" placeholder=\"Find a table\" list=\"erd-names\" autocomplete=\"off\">\n<datalist id=\"erd-names\">");
    for table in &graph.tables {
        let _ = write!(out, "<option value=\"{}\"></option>", escape(&table.name));
    }
    out.push_str("</datalist>\n<button type=\"button\" data-zoom=\"in\" title=\"Zoom in (+)\">+</button><button type=\"button\" data-zoom=\"out\" title=\"Zoom out (-)\">&minus;</button><button type=\"button\" data-zoom=\"fit\" title=\"Whole diagram (0)\">Fit</button>\n");
    legend(&mut out, graph);
    out.push_str("</header>\n<main id=\"erd-diagram\">\n");
    out.push_str(svg::element(&drawn));
    out.push_str("</main>\n<script type=\"application/json\" id=\"erd-data\">");
    // `</` would end the script element early.
    out.push_str(&data(graph).to_string().replace("</", "<\\/"));
    let _ = write!(
        out,
        "</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    Ok(out)
}

fn summary(graph: &Graph) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        plural(graph.tables.len(), "table", "tables"),
        plural(graph.relations.len(), "relation", "relations"),
        plural(graph.enums.len(), "enum", "enums"),
    )
}

fn legend(out: &mut String, graph: &Graph) {
    out.push_str("<span class=\"erd-legend\"><span>|| one</span><span>o| at most one</span><span>o&lt; many</span><span>type? nullable</span><span>PK FK UK keys</span>");
    let marks = graph
        .tables
        .iter()
        .map(|t| t.mark)
        .chain(graph.relations.iter().map(|r| r.mark));
    let mut seen: Vec<Mark> = Vec::new();
    for mark in marks {
        if mark.is_change() && !seen.contains(&mark) {
            seen.push(mark);
        }
    }
    for (mark, fill, stroke) in [
        (Mark::Added, "#e8f5e9", "#2e7d32"),
        (Mark::Dropped, "#ffebee", "#c62828"),
        (Mark::Changed, "#fff3e0", "#ef6c00"),
    ] {
        if seen.contains(&mark) {
            let _ = write!(
                out,
                "<span><i class=\"erd-swatch\" style=\"background:{fill};border-color:{stroke}\"></i>{}</span>",
                mark.word().unwrap_or_default()
            );
        }
    }
    out.push_str("</span>\n");
}

/// For the script: each box's edges and neighbouring boxes, and the names to search.
fn data(graph: &Graph) -> Value {
    let mut boxes: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let mut link = |a: String, b: String, edge: String| {
        let entry = boxes.entry(a.clone()).or_default();
        entry.0.push(edge.clone());
        entry.1.push(b.clone());
        let entry = boxes.entry(b).or_default();
        entry.0.push(edge);
        entry.1.push(a);
    };
    for r in &graph.relations {
        link(
            ids::table(&r.table),
            ids::table(&r.ref_table),
            ids::relation(&r.table, &r.name),
        );
    }
    for u in &graph.enum_uses {
        link(
            ids::table(&u.table),
            ids::enum_box(&u.enum_name),
            ids::enum_use(&u.table, &u.column),
        );
    }
    let mut names = Map::new();
    for t in &graph.tables {
        boxes.entry(ids::table(&t.name)).or_default();
        names.insert(t.name.clone(), json!(ids::table(&t.name)));
    }
    for e in &graph.enums {
        boxes.entry(ids::enum_box(&e.name)).or_default();
        names
            .entry(e.name.clone())
            .or_insert_with(|| json!(ids::enum_box(&e.name)));
    }
    let boxes: Map<String, Value> = boxes
        .into_iter()
        .map(|(id, (mut edges, mut neighbours))| {
            edges.sort();
            edges.dedup();
            neighbours.sort();
            neighbours.dedup();
            (id, json!({"edges": edges, "neighbours": neighbours}))
        })
        .collect();
    json!({"boxes": boxes, "names": names})
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
