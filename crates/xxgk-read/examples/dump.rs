//! Developer tool: print the flat cells and findings of the files given, as JSON Lines.
//! `cargo run -p xxgk-read --example dump -- FILE...`
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match xxgk_read::read(&bytes, Some(&path)) {
            Ok(r) => {
                let cells: serde_json::Map<String, serde_json::Value> = r
                    .flat_cells()
                    .into_iter()
                    .map(|(k, v)| (k, v.to_json()))
                    .collect();
                let findings: Vec<String> = r
                    .findings
                    .iter()
                    .map(|f| format!("{}: {}", f.rule, f.message))
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({"source": path, "format": r.kind.id(), "agency": r.meta.agency, "year": r.meta.year,
                        "published": r.meta.published.map(|d| d.value.to_string()), "cells": cells, "findings": findings})
                );
            }
            Err(e) => println!(
                "{}",
                serde_json::json!({"source": path, "error": e.to_string()})
            ),
        }
    }
}
