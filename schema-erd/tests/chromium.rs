//! The diagrams as a person sees them: the example app's schema and a 100-table schema drawn
//! as SVG and HTML, opened in headless Chromium. From the page: every table's name is there
//! as text inside its box, no two boxes intersect, no text sticks out of its box, every
//! foreign key has an edge that runs between its two tables; the HTML page loads nothing,
//! highlights a table's relations on selection and zooms. Screenshots are kept under
//! `target/tmp/erd-screenshots/`. The Mermaid text is rendered by Mermaid itself when its
//! bundle is at hand (`MERMAID_JS`, `.ci/run` fetches it).

mod support;

use schema_core::model::Schema;
use schema_erd::{element_id, Format, Graph};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::browser;

const CHECK: &str = include_str!("support/page_check.js");

/// A page that shows the SVG as it is, with the checking script after it.
fn svg_page(svg: &str) -> String {
    let element = &svg[svg.find("<svg").expect("an svg element")..];
    format!("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\n{element}\n<script>\n{CHECK}</script>\n</body></html>\n")
}

/// The HTML output with the checking script added at the end (and a table to probe).
fn html_page(html: &str, probe: &str) -> String {
    let at = html.rfind("</body>").expect("a body");
    format!(
        "{}<script>window.__erdProbe = {};\n{CHECK}</script>\n{}",
        &html[..at],
        serde_json::to_string(probe).unwrap(),
        &html[at..]
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the page");
    path
}

/// Everything the page must show for `schema`.
fn check_drawing(schema: &Schema, found: &Value, what: &str) {
    let boxes = found["boxes"].as_object().expect("boxes");
    let mut problems = Vec::new();
    for table in schema.tables.values() {
        let id = element_id::table(&table.name);
        match found["texts"][&id].as_array() {
            None => problems.push(format!("table {} has no box", table.name)),
            Some(texts) => {
                if !texts.iter().any(|t| t == &Value::from(table.name.clone())) {
                    problems.push(format!(
                        "table {}: its name is not in its box: {texts:?}",
                        table.name
                    ));
                }
            }
        }
    }
    let drawn_tables = boxes.keys().filter(|k| k.starts_with("table:")).count();
    if drawn_tables != schema.tables.len() {
        problems.push(format!(
            "{drawn_tables} table boxes for {} tables",
            schema.tables.len()
        ));
    }
    for pair in found["overlaps"].as_array().expect("overlaps") {
        problems.push(format!("boxes intersect: {pair}"));
    }
    for text in found["outside"].as_array().expect("outside") {
        problems.push(format!("text outside its box: {text}"));
    }
    for table in schema.tables.values() {
        for fk in &table.foreign_keys {
            let id = element_id::relation(&table.name, &fk.name);
            let edge = &found["edges"][&id];
            if edge.is_null() {
                problems.push(format!("no edge for foreign key {id}"));
                continue;
            }
            if edge["length"].as_f64().unwrap_or(0.0) <= 1.0 {
                problems.push(format!("edge {id} has no length"));
            }
            // One end at the referenced table, the other at the referencing one.
            let near = |point: &Value, table: &str| {
                let b = &boxes[&element_id::table(table)];
                let (x, y) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
                let (bx, by) = (b["x"].as_f64().unwrap(), b["y"].as_f64().unwrap());
                let (bw, bh) = (b["w"].as_f64().unwrap(), b["h"].as_f64().unwrap());
                // The path stops where its arrowhead (up to ~20 pt) begins.
                let slack = 24.0 * found["scale"].as_f64().unwrap_or(1.0) + 2.0;
                x >= bx - slack && x <= bx + bw + slack && y >= by - slack && y <= by + bh + slack
            };
            if !near(&edge["start"], &fk.ref_table) || !near(&edge["end"], &table.name) {
                problems.push(format!(
                    "edge {id} does not run from {} to {}: {edge}",
                    fk.ref_table, table.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

fn check(name: &str, schema: &Schema, probe: &str) {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().expect("pages folder");
    let shots = browser::artifacts();
    let graph = Graph::from_schema(schema);

    let svg = schema_erd::render(&graph, Format::Svg, name).expect("svg");
    let page = write(dir.path(), &format!("{name}.svg.html"), &svg_page(&svg));
    let found = browser::findings(&chromium, &page, 5000);
    check_drawing(schema, &found, &format!("{name} as SVG"));
    std::fs::write(shots.join(format!("{name}.svg")), &svg).expect("keep the svg");
    browser::screenshot(
        &chromium,
        &page,
        &shots.join(format!("{name}.svg.png")),
        "1600,1200",
    );

    let html = schema_erd::render(&graph, Format::Html, name).expect("html");
    let outside: Vec<&str> = [
        "<script src",
        "<link",
        "url(",
        "@import",
        "fetch(",
        "XMLHttpRequest",
    ]
    .into_iter()
    .filter(|needle| html.contains(needle))
    .collect();
    assert!(
        outside.is_empty(),
        "{name}.html may load something: {outside:?}"
    );
    let page = write(
        dir.path(),
        &format!("{name}.html"),
        &html_page(&html, &element_id::table(probe)),
    );
    let found = browser::findings(&chromium, &page, 5000);
    check_drawing(schema, &found, &format!("{name} as HTML"));
    assert_eq!(
        found["resources"],
        Value::Array(vec![]),
        "the page loaded something"
    );
    assert_eq!(
        found["selected"],
        serde_json::json!([element_id::table(probe)])
    );
    assert_eq!(found["focused"], Value::Bool(true));
    assert_eq!(found["cleared"], Value::Bool(true));
    assert_eq!(found["zoomed"], Value::Bool(true));
    let related: BTreeSet<String> = found["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|v| v.as_str().expect("id").to_string())
        .collect();
    let mut expected = BTreeSet::new();
    for table in schema.tables.values() {
        for fk in &table.foreign_keys {
            if table.name == probe || fk.ref_table == probe {
                expected.insert(element_id::relation(&table.name, &fk.name));
                for end in [&table.name, &fk.ref_table] {
                    if end != probe {
                        expected.insert(element_id::table(end));
                    }
                }
            }
        }
    }
    for used in &graph.enum_uses {
        if used.table == probe {
            expected.insert(element_id::enum_use(&used.table, &used.column));
            expected.insert(element_id::enum_box(&used.enum_name));
        }
    }
    assert_eq!(related, expected, "what selecting {probe} highlights");
    std::fs::write(shots.join(format!("{name}.html")), &html).expect("keep the page");
    browser::screenshot(
        &chromium,
        &write(dir.path(), "shot.html", &html),
        &shots.join(format!("{name}.html.png")),
        "1600,1000",
    );
}

#[test]
fn the_example_apps_schema_in_chromium() {
    check("blog", &support::blog("postgres"), "posts");
}

#[test]
fn a_hundred_tables_in_chromium() {
    let schema = support::synthetic::schema(100);
    assert_eq!(schema.tables.len(), 100);
    let probe = support::synthetic::table_name(3);
    check("synthetic-100", &schema, &probe);
}

/// The Mermaid text, rendered by Mermaid 11 in the browser: it parses, and draws a box per
/// table and enum.
#[test]
fn mermaid_renders_it() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let bundle = std::env::var_os("MERMAID_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| support::workspace().join("target/erd-node/mermaid.min.js"));
    if !bundle.is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Mermaid's bundle at {} (.ci/run fetches it)",
            bundle.display()
        );
        eprintln!("\n==================== SKIPPED: no Mermaid bundle at {} (set MERMAID_JS) ====================\n", bundle.display());
        return;
    }
    let blog = support::blog("postgres");
    let before = blog.clone();
    let mut after = blog.clone();
    after.tables.remove("post_tags");
    let changes = schema_core::diff::diff(&before, &after, &Default::default());
    let diagrams: Vec<(String, usize)> = [
        Graph::from_schema(&blog),
        Graph::from_schema(&support::blog("sqlite")),
        Graph::from_schema(&support::synthetic::schema(100)),
        schema_erd::changes(&before, &after, &changes),
    ]
    .iter()
    .map(|g| {
        (
            schema_erd::render(g, Format::Mermaid, "check").expect("mermaid"),
            g.tables.len() + g.enums.len(),
        )
    })
    .collect();
    let texts: Vec<&String> = diagrams.iter().map(|(t, _)| t).collect();
    let page = format!(
        "<!DOCTYPE html><html><body><script src=\"file://{}\"></script><script>\n\
         (async () => {{\n  mermaid.initialize({{ startOnLoad: false }});\n  const out = [];\n\
           for (const [i, text] of {}.entries()) {{\n\
             try {{ const r = await mermaid.render('d' + i, text);\n\
               const doc = new DOMParser().parseFromString(r.svg, 'image/svg+xml');\n\
               const ids = [...doc.querySelectorAll('g.node')].map((g) => g.id);\n\
               out.push({{ ok: true, entities: ids.length, ids }}); }}\n\
             catch (e) {{ out.push({{ ok: false, error: String(e && e.message || e) }}); }}\n\
           }}\n  const pre = document.createElement('pre'); pre.id = 'erd-test-result';\n\
           pre.textContent = JSON.stringify(out); document.body.appendChild(pre);\n}})();\n</script></body></html>\n",
        bundle.display(),
        serde_json::to_string(&texts).unwrap()
    );
    let dir = tempfile::tempdir().expect("pages folder");
    let found = browser::findings(&chromium, &write(dir.path(), "mermaid.html", &page), 60000);
    let results = found.as_array().expect("one result per diagram");
    assert_eq!(results.len(), diagrams.len());
    for ((text, boxes), result) in diagrams.iter().zip(results) {
        assert_eq!(
            result["ok"],
            Value::Bool(true),
            "Mermaid refused:\n{result}\n{text}"
        );
        assert_eq!(
            result["entities"].as_u64(),
            Some(*boxes as u64),
            "entities drawn: {}\n{text}",
            result["ids"]
        );
    }
}
