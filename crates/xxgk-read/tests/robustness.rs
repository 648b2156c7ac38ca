//! Bad input never panics: arbitrary bytes, and text made of the pieces real tables are made of
//! (labels, numbers, tabs, pipes, blank lines) in random order. Reading either succeeds or
//! returns a `ReadError`; a report it returns names only cells of the catalogue.

use proptest::prelude::*;
use xxgk_model::catalogue;
use xxgk_model::CellId;

fn pieces() -> Vec<String> {
    let mut p: Vec<String> = vec![
        "\t",
        "\n",
        "\n\n",
        "|",
        " ",
        "　",
        "0",
        "12",
        "-3",
        "96171.6",
        "/",
        "无",
        "—",
        "1,234",
        "（",
        "）",
        "、",
        "1.",
        "三、",
        "（六）",
        "第二十条第（一）项",
        "信息内容",
        "[image: ]",
        "- 4 -",
        "2024年",
        "1月11日",
        "一、总体情况",
        "五、存在的主要问题及改进情况",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    for f in xxgk_model::Format::ALL {
        for t in catalogue::tables(f) {
            for r in t.rows {
                p.push(r.printed_label());
                for c in r.columns {
                    p.push(c.label.to_string());
                }
            }
        }
    }
    p.push(catalogue::NOTE_BALANCE.to_string());
    p
}

fn check_no_panic(bytes: &[u8]) {
    if let Ok(report) = xxgk_read::read(bytes, None) {
        for id in report.cells.keys() {
            assert_eq!(CellId::parse(&id.to_string()), Some(*id));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check_no_panic(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,600}") {
        check_no_panic(s.as_bytes());
    }

    #[test]
    fn shuffled_table_pieces_never_panic(idx in proptest::collection::vec(0usize..1000, 0..400)) {
        let p = pieces();
        let text: String = idx.iter().map(|i| p[i % p.len()].as_str()).collect();
        check_no_panic(text.as_bytes());
    }
}
