//! Unit tests of the DOC/WPS reader on compound files built here, byte by byte, after [MS-DOC]:
//! the piece table (8-bit and UTF-16 pieces), the special characters, tables from the paragraph
//! properties, and hostile input.

use std::io::{Cursor, Write};

use super::*;

/// One piece of text: its characters and whether it is stored compressed (8-bit).
struct P<'a>(&'a str, bool);

/// A paragraph-property run: the properties apply to the paragraphs whose mark is among the
/// characters up to (excluding) `until_cp`.
struct Run {
    until_cp: u32,
    grpprl: Vec<u8>,
}

const TEXT_AT: u32 = 0x400;

/// Build a WordDocument stream, a 1Table stream and (when `data` is not empty) a Data stream
/// for the pieces and paragraph-property runs given, and return the compound file's bytes.
fn build(pieces: &[P], runs: &[Run], data: &[u8], flags: u16) -> Vec<u8> {
    let (word, table) = streams(pieces, runs, flags);
    let mut named = vec![("WordDocument", word), ("1Table", table)];
    if !data.is_empty() {
        named.push(("Data", data.to_vec()));
    }
    compound(&named)
}

fn compound(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (name, bytes) in streams {
        let mut s = cf.create_stream(format!("/{name}")).unwrap();
        s.write_all(bytes).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// The FIB offsets of FibRgFcLcb97 pair `i`.
fn fc_lcb_at(i: usize) -> usize {
    0x9A + 8 * i
}

fn streams(pieces: &[P], runs: &[Run], flags: u16) -> (Vec<u8>, Vec<u8>) {
    let mut word = vec![0u8; TEXT_AT as usize];
    put16(&mut word, 0, 0xA5EC);
    put16(&mut word, 2, 0x00C1);
    put16(&mut word, 0x0A, flags | 0x0200);
    put16(&mut word, 0x20, 14);
    put16(&mut word, 0x3E, 22);
    put16(&mut word, 0x98, 0x5D);

    // Text, and the FC of every character (to place the property runs).
    let mut cps = vec![0u32];
    let mut pcds = Vec::new();
    let mut char_fcs = Vec::new();
    for P(text, compressed) in pieces {
        let fc = word.len() as u32;
        let units: Vec<u16> = text.encode_utf16().collect();
        for (k, &u) in units.iter().enumerate() {
            if *compressed {
                char_fcs.push(fc + k as u32);
                word.push(u8::try_from(u).expect("compressed text is 8-bit"));
            } else {
                char_fcs.push(fc + 2 * k as u32);
                word.extend_from_slice(&u.to_le_bytes());
            }
        }
        cps.push(cps.last().unwrap() + units.len() as u32);
        let raw = if *compressed {
            (fc * 2) | 0x4000_0000
        } else {
            fc
        };
        pcds.push(raw);
    }
    let ccp = *cps.last().unwrap();
    put32(&mut word, 0x4C, ccp);
    char_fcs.push(word.len() as u32);

    let mut table = Vec::new();
    // CLX: one Pcdt.
    let mut plc = Vec::new();
    for cp in &cps {
        plc.extend_from_slice(&cp.to_le_bytes());
    }
    for fc in &pcds {
        plc.extend_from_slice(&0u16.to_le_bytes());
        plc.extend_from_slice(&fc.to_le_bytes());
        plc.extend_from_slice(&0u16.to_le_bytes());
    }
    table.push(2);
    table.extend_from_slice(&(plc.len() as u32).to_le_bytes());
    table.extend_from_slice(&plc);
    let clx_len = table.len() as u32;
    put32(&mut word, fc_lcb_at(33), 0);
    put32(&mut word, fc_lcb_at(33) + 4, clx_len);

    if !runs.is_empty() {
        // One PAPX FKP page holding every run.
        while !word.len().is_multiple_of(512) {
            word.push(0);
        }
        let pn = (word.len() / 512) as u32;
        let mut page = vec![0u8; 512];
        let crun = runs.len();
        let mut bounds = vec![char_fcs[0]];
        for r in runs {
            bounds.push(char_fcs[r.until_cp as usize]);
        }
        for (j, fc) in bounds.iter().enumerate() {
            put32(&mut page, 4 * j, *fc);
        }
        let mut free = 511usize;
        for (j, r) in runs.iter().enumerate() {
            // PapxInFkp: cb = 0, cb', then istd and the grpprl (even length).
            let mut papx = vec![0u8, 0];
            papx.extend_from_slice(&0u16.to_le_bytes());
            papx.extend_from_slice(&r.grpprl);
            if !papx.len().is_multiple_of(2) {
                papx.push(0);
            }
            papx[1] = ((papx.len() - 2) / 2) as u8;
            free = (free - papx.len()) & !1;
            page[free..free + papx.len()].copy_from_slice(&papx);
            page[4 * (crun + 1) + 13 * j] = (free / 2) as u8;
        }
        assert!(
            free > 4 * (crun + 1) + 13 * crun,
            "FKP overflow in the test builder"
        );
        page[511] = crun as u8;
        word.extend_from_slice(&page);

        let bte_at = table.len() as u32;
        table.extend_from_slice(&bounds[0].to_le_bytes());
        table.extend_from_slice(&bounds[crun].to_le_bytes());
        table.extend_from_slice(&pn.to_le_bytes());
        put32(&mut word, fc_lcb_at(13), bte_at);
        put32(&mut word, fc_lcb_at(13) + 4, 12);
    }
    (word, table)
}

fn lines(bytes: &[u8]) -> Vec<String> {
    document(bytes).unwrap().lines().to_vec()
}

fn sprm8(sprm: u16, v: u8) -> Vec<u8> {
    let mut g = sprm.to_le_bytes().to_vec();
    g.push(v);
    g
}

fn in_table() -> Vec<u8> {
    sprm8(0x2416, 1)
}

/// The row-end properties: in table, TTP, and sprmTDefTable with these boundaries.
fn row_end(bounds: &[i16]) -> Vec<u8> {
    let mut g = in_table();
    g.extend(sprm8(0x2417, 1));
    let n = bounds.len() - 1;
    let mut op = vec![n as u8];
    for b in bounds {
        op.extend_from_slice(&b.to_le_bytes());
    }
    op.extend(std::iter::repeat_n(0u8, 20 * n)); // TC80s
    g.extend_from_slice(&0xD608u16.to_le_bytes());
    g.extend_from_slice(&((op.len() + 1) as u16).to_le_bytes());
    g.extend(op);
    g
}

#[test]
fn compressed_and_unicode_pieces() {
    let d = build(
        &[
            P("Plain \u{201C}text\u{201D}\r", false),
            P("8-bit\r", true),
            P("中文段落\r", false),
        ],
        &[],
        &[],
        0,
    );
    assert_eq!(
        lines(&d),
        ["Plain \u{201C}text\u{201D}", "8-bit", "中文段落"]
    );
}

#[test]
fn compressed_bytes_are_windows_1252() {
    let mut pieces = vec![P("a\r", true)];
    pieces.push(P("b\r", true));
    let d = build(&pieces, &[], &[], 0);
    let streams = open(&d).unwrap();
    // Rewrite the first compressed character to 0x93 (“ in Windows-1252).
    let mut word = streams.word.clone();
    let at = TEXT_AT as usize;
    assert_eq!(word[at], b'a');
    word[at] = 0x93;
    let w = Word::parse(&word, &streams.table, &[]).unwrap();
    assert_eq!(w.paras[0].0.text, "\u{201C}");
    assert_eq!(w.paras[1].0.text, "b");
}

#[test]
fn main_story_only() {
    // Characters past ccpText (footnotes, headers) are not read.
    let d = build(&[P("正文\r", false)], &[], &[], 0);
    let streams = open(&d).unwrap();
    let mut word = streams.word.clone();
    put32(&mut word, 0x4C, 2);
    let w = Word::parse(&word, &streams.table, &[]).unwrap();
    assert_eq!(w.paras.len(), 1);
    assert_eq!(w.paras[0].0.text, "正文");
    assert_eq!(w.paras[0].0.mark, Mark::End);
}

#[test]
fn special_characters() {
    let d = build(
        &[P(
            "页码\u{13} PAGE \u{14}3\u{15}页\r第一行\u{0B}第二行\r图\u{01}\u{08}表\u{1F}格\u{1E}号\r\
             \u{13} TOC \u{15}目录\r外\u{13} IF \u{13} PAGE \u{14}1\u{15} \u{14}结果\u{13} X \u{14}内\u{15}\u{15}尾\r",
            false,
        )],
        &[],
        &[],
        0,
    );
    assert_eq!(
        lines(&d),
        [
            "页码3页",
            "第一行",
            "第二行",
            "图表格-号",
            "目录",
            "外结果内尾"
        ]
    );
}

#[test]
fn page_break_is_a_line_break_and_origins_are_paragraphs() {
    let d = build(&[P("一\r二\u{0C}三\r四\r", false)], &[], &[], 0);
    let doc = document(&d).unwrap();
    assert_eq!(doc.lines(), ["一", "二", "三", "四"]);
    let origins: Vec<u32> = (1..=4).map(|l| doc.origin(l).unwrap().line).collect();
    assert_eq!(origins, [1, 2, 2, 3]);
}

#[test]
fn tables_from_paragraph_properties() {
    // Two rows of three cells, the second row's first cell empty, then a paragraph.
    let text = "标题\r规章\u{07}1\u{07}2\u{07}\u{07}\u{07}3\u{07}\u{07}\u{07}后文\r";
    let cp =
        |needle: &str| text.encode_utf16().count() as u32 - needle.encode_utf16().count() as u32;
    let d = build(
        &[P(text, false)],
        &[
            Run {
                until_cp: 3,
                grpprl: vec![],
            },
            Run {
                until_cp: cp("\u{07}\u{07}3\u{07}\u{07}\u{07}后文\r"),
                grpprl: in_table(),
            },
            Run {
                until_cp: cp("\u{07}3\u{07}\u{07}\u{07}后文\r"),
                grpprl: row_end(&[0, 1000, 2000, 3000]),
            },
            Run {
                until_cp: cp("\u{07}后文\r"),
                grpprl: in_table(),
            },
            Run {
                until_cp: cp("后文\r"),
                grpprl: row_end(&[0, 1000, 2000, 3000]),
            },
            Run {
                until_cp: text.encode_utf16().count() as u32,
                grpprl: vec![],
            },
        ],
        &[],
        0,
    );
    let doc = document(&d).unwrap();
    // The empty cell and the blank last cell stay empty fields; the row-end marks are no cells.
    assert_eq!(doc.lines(), ["标题", "规章\t1\t2", "\t3\t", "", "后文"]);
    let origins: Vec<u32> = (1..=5).map(|l| doc.origin(l).unwrap().line).collect();
    // Paragraphs: 标题 1, cells 2..4, cells 5..7, 后文 8.
    assert_eq!(origins, [1, 2, 5, 8, 8]);
}

#[test]
fn merged_cells_fill_the_grid() {
    // Row 1: a label merged over two columns and one value; row 2: three cells.
    let text = "合并\u{07}甲\u{07}\u{07}乙\u{07}丙\u{07}丁\u{07}\u{07}";
    let n = text.encode_utf16().count() as u32;
    let d = build(
        &[P(text, false)],
        &[
            Run {
                until_cp: 2 + 1 + 1 + 1,
                grpprl: in_table(),
            },
            Run {
                until_cp: 6,
                grpprl: row_end(&[0, 2000, 3000]),
            },
            Run {
                until_cp: n - 1,
                grpprl: in_table(),
            },
            // Boundaries a few twips off the first row's are the same grid lines.
            Run {
                until_cp: n,
                grpprl: row_end(&[5, 1000, 1995, 3010]),
            },
        ],
        &[],
        0,
    );
    assert_eq!(lines(&d), ["合并\t\t甲", "乙\t丙\t丁", ""]);
}

#[test]
fn huge_papx_in_the_data_stream() {
    let text = "甲\u{07}乙\u{07}\u{07}";
    let mut data = vec![0u8; 16];
    let g = row_end(&[0, 100, 200]);
    data.extend_from_slice(&(g.len() as u16).to_le_bytes());
    data.extend(g);
    let mut huge = 0x6646u16.to_le_bytes().to_vec();
    huge.extend_from_slice(&16u32.to_le_bytes());
    let d = build(
        &[P(text, false)],
        &[
            Run {
                until_cp: 4,
                grpprl: in_table(),
            },
            Run {
                until_cp: 5,
                grpprl: huge,
            },
        ],
        &data,
        0,
    );
    assert_eq!(lines(&d), ["甲\t乙", ""]);
}

#[test]
fn nested_table_flattens_into_its_cell() {
    // Outer cell holding an inner table of two cells (inner cell marks are \r with itap 2).
    let text = "外\u{07}内一\r内二\r\r值\u{07}\u{07}";
    let itap2 = {
        let mut g = in_table();
        g.extend_from_slice(&0x6649u16.to_le_bytes());
        g.extend_from_slice(&2u32.to_le_bytes());
        g
    };
    let inner_ttp = {
        let mut g = itap2.clone();
        g.extend(sprm8(0x244C, 1));
        g
    };
    let d = build(
        &[P(text, false)],
        &[
            Run {
                until_cp: 2,
                grpprl: in_table(),
            },
            Run {
                until_cp: 8,
                grpprl: itap2,
            },
            Run {
                until_cp: 9,
                grpprl: inner_ttp,
            },
            Run {
                until_cp: 11,
                grpprl: in_table(),
            },
            Run {
                until_cp: 12,
                grpprl: row_end(&[0, 100, 200]),
            },
        ],
        &[],
        0,
    );
    assert_eq!(lines(&d), ["外\t内一 内二 值", ""]);
}

#[test]
fn without_paragraph_properties_rows_are_guessed() {
    let d = build(
        &[P("a\u{07}b\u{07}\u{07}c\u{07}d\u{07}\u{07}", true)],
        &[],
        &[],
        0,
    );
    let doc = document(&d).unwrap();
    assert_eq!(doc.lines(), ["a\tb", "c\td", ""]);
}

#[test]
fn a_report_reads_through_the_pipeline() {
    let text = "某某局2024年政府信息公开工作年度报告\r二、主动公开政府信息情况\r\
                信息内容\u{07}本年制发件数\u{07}本年废止件数\u{07}现行有效件数\u{07}\u{07}\
                规章\u{07}1\u{07}0\u{07}5\u{07}\u{07}结束\r";
    let units: Vec<u16> = text.encode_utf16().collect();
    let row_ends: Vec<u32> = units
        .windows(2)
        .enumerate()
        .filter(|(_, w)| **w == [7, 7])
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let first_cell = text
        .split('\r')
        .take(2)
        .map(|s| s.encode_utf16().count() + 1)
        .sum::<usize>() as u32;
    let b = [0, 2000, 4000, 6000, 8000];
    let d = build(
        &[P(text, false)],
        &[
            Run {
                until_cp: first_cell,
                grpprl: vec![],
            },
            Run {
                until_cp: row_ends[0],
                grpprl: in_table(),
            },
            Run {
                until_cp: row_ends[0] + 1,
                grpprl: row_end(&b),
            },
            Run {
                until_cp: row_ends[1],
                grpprl: in_table(),
            },
            Run {
                until_cp: row_ends[1] + 1,
                grpprl: row_end(&b),
            },
            Run {
                until_cp: units.len() as u32,
                grpprl: vec![],
            },
        ],
        &[],
        0,
    );
    let r = read(&d, Some("x.doc")).unwrap();
    let c = r.get("active.rules.in_force").unwrap();
    assert_eq!(
        c.value,
        xxgk_model::Value::Number(xxgk_model::Number::Int(5))
    );
    // Paragraphs: title 1, heading 2, header cells 3..6, 规章 row 7..10.
    assert_eq!(c.span.line, 7);
    assert_eq!(c.span.page, None);
}

// ---- hostile input ----

#[test]
fn not_an_ole_file() {
    for bytes in [
        &b"hello"[..],
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
        &[0u8; 600][..],
    ] {
        assert!(
            matches!(read(bytes, None), Err(ReadError::Damaged { .. })),
            "{bytes:?}"
        );
    }
    assert!(matches!(read(&[], None), Err(ReadError::Empty)));
}

#[test]
fn too_large_is_refused_before_parsing() {
    let big = vec![0u8; MAX_FILE_SIZE + 1];
    assert!(matches!(read(&big, None), Err(ReadError::TooLarge { .. })));
}

#[test]
fn ole_without_word_document() {
    let xls = compound(&[("Workbook", vec![0u8; 100])]);
    let e = read(&xls, None).unwrap_err();
    assert!(matches!(e, ReadError::NotWord { .. }));
    assert!(e.to_string().contains("不是 Word 文档"), "{e}");
    assert!(e.to_string().contains("xls"), "{e}");
    let other = compound(&[("Contents", vec![1u8; 10])]);
    assert!(matches!(read(&other, None), Err(ReadError::NotWord { .. })));
    let encrypted_docx = compound(&[
        ("EncryptionInfo", vec![0u8; 8]),
        ("EncryptedPackage", vec![0u8; 64]),
    ]);
    assert!(matches!(
        read(&encrypted_docx, None),
        Err(ReadError::Encrypted { .. })
    ));
}

#[test]
fn encrypted_doc() {
    let d = build(&[P("秘密\r", false)], &[], &[], 0x0100);
    let e = read(&d, None).unwrap_err();
    assert!(matches!(e, ReadError::Encrypted { .. }), "{e}");
    assert!(e.to_string().contains("加密"));
}

#[test]
fn word_95_is_unsupported() {
    let (mut word, table) = streams(&[P("x\r", true)], &[], 0);
    put16(&mut word, 2, 0x0068);
    let d = compound(&[("WordDocument", word), ("1Table", table)]);
    assert!(matches!(read(&d, None), Err(ReadError::Unsupported { .. })));
}

#[test]
fn fib_pointing_past_the_streams() {
    let (word, table) = streams(&[P("正文内容\r", false)], &[], 0);
    let cases: Vec<(usize, u32)> = vec![
        (fc_lcb_at(33), 1_000_000),    // fcClx past the table stream
        (fc_lcb_at(33) + 4, u32::MAX), // lcbClx huge
        (fc_lcb_at(33) + 4, 0),        // no CLX
        (0x4C, u32::MAX),              // ccpText huge
        (0x98, 0),                     // no FcLcb pairs
        (0x20, 0xFFFF),                // csw past the stream
    ];
    for (at, v) in cases {
        let mut w = word.clone();
        if at == 0x98 || at == 0x20 {
            put16(&mut w, at, v as u16);
        } else {
            put32(&mut w, at, v);
        }
        let d = compound(&[("WordDocument", w), ("1Table", table.clone())]);
        let e = read(&d, None).unwrap_err();
        assert!(matches!(e, ReadError::Damaged { .. }), "at {at:#x}: {e}");
        assert!(e.to_string().contains("已损坏"), "{e}");
    }
    // A piece whose text lies past the WordDocument stream.
    let mut t = table.clone();
    put32(&mut t, 5 + 8 + 2, 0x0FFF_0000);
    let d = compound(&[("WordDocument", word.clone()), ("1Table", t)]);
    assert!(matches!(read(&d, None), Err(ReadError::Damaged { .. })));
    // Missing table stream.
    let d = compound(&[("WordDocument", word.clone())]);
    assert!(matches!(read(&d, None), Err(ReadError::Damaged { .. })));
    // Not a FIB at all.
    let d = compound(&[("WordDocument", vec![1u8; 64]), ("1Table", table)]);
    assert!(matches!(read(&d, None), Err(ReadError::Damaged { .. })));
}

#[test]
fn bogus_paragraph_properties_do_not_panic() {
    let text = "甲\u{07}乙\u{07}\u{07}";
    // Malformed sprms: a TDefTable claiming more bytes than it has, a count of zero, junk.
    let mut bad_tdef = sprm8(0x2416, 1);
    bad_tdef.extend_from_slice(&0xD608u16.to_le_bytes());
    bad_tdef.extend_from_slice(&0xFFFFu16.to_le_bytes());
    let mut zero = sprm8(0x2417, 1);
    zero.extend_from_slice(&0xD608u16.to_le_bytes());
    zero.extend_from_slice(&0u16.to_le_bytes());
    for g in [
        bad_tdef,
        zero,
        vec![0xFF; 40],
        vec![0x46, 0x66, 0xFF, 0xFF, 0xFF, 0x7F],
    ] {
        let d = build(
            &[P(text, false)],
            &[Run {
                until_cp: 5,
                grpprl: g,
            }],
            &[],
            0,
        );
        let _ = document(&d).unwrap();
    }
}

/// A small deterministic generator for the mutation tests.
fn lcg(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

fn sample_doc() -> Vec<u8> {
    let text = "标题\r规章\u{07}1\u{07}2\u{07}\u{07}\u{07}3\u{07}\u{07}\u{07}后文\r";
    build(
        &[P(text, false), P("more text\r", true)],
        &[
            Run {
                until_cp: 3,
                grpprl: vec![],
            },
            Run {
                until_cp: 10,
                grpprl: in_table(),
            },
            Run {
                until_cp: 11,
                grpprl: row_end(&[0, 1000, 2000, 3000]),
            },
            Run {
                until_cp: 15,
                grpprl: in_table(),
            },
            Run {
                until_cp: 16,
                grpprl: row_end(&[0, 1000, 2000, 3000]),
            },
        ],
        &[],
        0,
    )
}

#[test]
fn truncated_files_do_not_panic() {
    let d = sample_doc();
    assert!(document(&d).is_ok());
    for len in (0..d.len()).step_by(37) {
        let _ = read(&d[..len], None);
    }
}

#[test]
fn mutated_files_do_not_panic() {
    let d = sample_doc();
    let mut seed = 7u64;
    for _ in 0..400 {
        let mut m = d.clone();
        for _ in 0..(1 + lcg(&mut seed) % 8) {
            let at = (lcg(&mut seed) as usize) % m.len();
            m[at] = lcg(&mut seed) as u8;
        }
        let _ = read(&m, None);
    }
}

#[test]
fn mutated_streams_do_not_panic() {
    // Mutations inside the Word structures themselves (the compound file stays valid).
    let text = "标题\r规章\u{07}1\u{07}2\u{07}\u{07}\u{07}3\u{07}\u{07}\u{07}后文\r";
    let runs = [
        Run {
            until_cp: 3,
            grpprl: vec![],
        },
        Run {
            until_cp: 10,
            grpprl: in_table(),
        },
        Run {
            until_cp: 11,
            grpprl: row_end(&[0, 1000, 2000, 3000]),
        },
    ];
    let (word, table) = streams(&[P(text, false), P("x\r", true)], &runs, 0);
    let mut seed = 11u64;
    for i in 0..300 {
        let (mut w, mut t) = (word.clone(), table.clone());
        for _ in 0..(1 + lcg(&mut seed) % 6) {
            if i % 2 == 0 {
                let at = (lcg(&mut seed) as usize) % w.len();
                w[at] = lcg(&mut seed) as u8;
            } else {
                let at = (lcg(&mut seed) as usize) % t.len();
                t[at] = lcg(&mut seed) as u8;
            }
        }
        if let Ok(word) = Word::parse(&w, &t, &[]) {
            let _ = word.document();
        }
    }
}

#[test]
fn guessed_rows_are_reported() {
    let text = "某某局2024年政府信息公开工作年度报告\r二、主动公开政府信息情况\r\
                信息内容\u{07}本年制发件数\u{07}本年废止件数\u{07}现行有效件数\u{07}\u{07}\
                规章\u{07}1\u{07}0\u{07}5\u{07}\u{07}结束\r";
    let r = read(&build(&[P(text, false)], &[], &[], 0), None).unwrap();
    assert_eq!(
        r.get("active.rules.in_force").unwrap().value,
        xxgk_model::Value::Number(xxgk_model::Number::Int(5))
    );
    assert!(r.findings.iter().any(|f| f.rule == "READ-DOC-TABLE"));
    // No table, no finding.
    let r = read(
        &build(
            &[P("某某局2024年政府信息公开工作年度报告\r正文\r", false)],
            &[],
            &[],
            0,
        ),
        None,
    )
    .unwrap();
    assert!(!r.findings.iter().any(|f| f.rule == "READ-DOC-TABLE"));
}
