//! A report reads the same whatever its encoding: each seed re-encoded as GB18030, UTF-16LE and
//! UTF-16BE with a BOM, and UTF-8 with a BOM, gives the JSON of the UTF-8 original (without
//! "source").

mod common;

use serde_json::Value as Json;

fn report_json(bytes: &[u8]) -> Result<Json, String> {
    let report = xxgk_read::read(bytes, None).map_err(|e| e.to_string())?;
    let mut json = xxgk_model::json::report_json(&report);
    if let Some(o) = json.as_object_mut() {
        o.remove("source");
    }
    Ok(json)
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[test]
fn seeds_read_the_same_in_every_encoding() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let seeds = common::seeds(&corpus);
    assert!(!seeds.is_empty(), "no seeds in {}", corpus.display());
    let mut failures = Vec::new();
    for rel in &seeds {
        let bytes = common::read(&corpus.join(rel));
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", rel.display()));
        let original = match report_json(&bytes) {
            Ok(j) => j,
            Err(e) => {
                failures.push(format!(
                    "{}: the UTF-8 original is not read: {e}",
                    rel.display()
                ));
                continue;
            }
        };
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(
            !unmappable,
            "{}: not representable in GB18030",
            rel.display()
        );
        let mut utf8_bom = b"\xEF\xBB\xBF".to_vec();
        utf8_bom.extend_from_slice(&bytes);
        let variants: [(&str, Vec<u8>); 4] = [
            ("GB18030", gb.into_owned()),
            ("UTF-16LE with BOM", utf16(&text, true)),
            ("UTF-16BE with BOM", utf16(&text, false)),
            ("UTF-8 with BOM", utf8_bom),
        ];
        for (name, encoded) in variants {
            match report_json(&encoded) {
                Ok(j) if j == original => {}
                Ok(j) => failures.push(format!(
                    "{} as {name}: the report differs from the UTF-8 original\n  original: {}\n  {name}: {}",
                    rel.display(),
                    first_difference(&original, &j).0,
                    first_difference(&original, &j).1,
                )),
                Err(e) => failures.push(format!("{} as {name}: not read: {e}", rel.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The first differing member (by path), for a short failure message.
fn first_difference(a: &Json, b: &Json) -> (String, String) {
    fn walk(path: &str, a: &Json, b: &Json) -> Option<(String, String)> {
        if a == b {
            return None;
        }
        match (a, b) {
            (Json::Object(x), Json::Object(y)) => {
                for k in x.keys().chain(y.keys()) {
                    let (va, vb) = (
                        x.get(k).unwrap_or(&Json::Null),
                        y.get(k).unwrap_or(&Json::Null),
                    );
                    if let Some(d) = walk(&format!("{path}.{k}"), va, vb) {
                        return Some(d);
                    }
                }
                None
            }
            (Json::Array(x), Json::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (va, vb))| walk(&format!("{path}[{i}]"), va, vb)),
            _ => Some((format!("{path} = {a}"), format!("{path} = {b}"))),
        }
    }
    walk("", a, b).unwrap_or_default()
}
