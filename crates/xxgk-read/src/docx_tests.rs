//! Unit tests of the DOCX reader on packages built here from XML snippets.

use std::io::{Cursor, Write};

use super::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn document_xml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"{W}\" \
         xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
         xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" \
         xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>{body}</w:body></w:document>"
    )
}

/// A ZIP of `parts` (name, content), deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn package(body: &str, numbering: Option<&str>, styles: Option<&str>) -> Vec<u8> {
    let doc = document_xml(body);
    let mut parts: Vec<(&str, &[u8])> = vec![("word/document.xml", doc.as_bytes())];
    let num;
    if let Some(n) = numbering {
        num = format!("<w:numbering xmlns:w=\"{W}\">{n}</w:numbering>");
        parts.push(("word/numbering.xml", num.as_bytes()));
    }
    let sty;
    if let Some(s) = styles {
        sty = format!("<w:styles xmlns:w=\"{W}\">{s}</w:styles>");
        parts.push(("word/styles.xml", sty.as_bytes()));
    }
    zip_of(&parts)
}

fn lines_of(body: &str) -> Vec<String> {
    document(&package(body, None, None))
        .unwrap()
        .lines()
        .to_vec()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

#[test]
fn runs_tabs_breaks_and_symbols() {
    let body = "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"800\"/></w:tabs></w:pPr>\
        <w:r><w:rPr><w:b/></w:rPr><w:t>一、总体</w:t></w:r><w:r><w:t>情况</w:t></w:r>\
        <w:r><w:tab/><w:t>A&amp;B</w:t><w:br/><w:t>第二行</w:t></w:r>\
        <w:r><w:t>x</w:t><w:noBreakHyphen/><w:t>y</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/>\
        <w:sym w:font=\"SimSun\" w:char=\"2014\"/><w:t>&#x4E00;</w:t></w:r></w:p>";
    assert_eq!(
        lines_of(body),
        vec!["一、总体情况\tA&B".to_string(), "第二行x-y—一".to_string()]
    );
}

#[test]
fn tracked_changes_are_accepted() {
    let body = "<w:p><w:r><w:t>本年</w:t></w:r>\
        <w:ins w:id=\"1\" w:author=\"a\"><w:r><w:t>新收</w:t></w:r></w:ins>\
        <w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>旧的</w:delText></w:r></w:del>\
        <w:moveFrom w:id=\"3\"><w:r><w:t>移走</w:t></w:r></w:moveFrom>\
        <w:moveTo w:id=\"4\"><w:r><w:t>申请</w:t></w:r></w:moveTo>\
        <w:r><w:rPr><w:del w:id=\"5\" w:author=\"a\"/></w:rPr><w:t>数量</w:t></w:r></w:p>";
    assert_eq!(lines_of(body), vec!["本年新收申请数量".to_string()]);
}

#[test]
fn fields_keep_their_result_only() {
    let body = "<w:p><w:r><w:t>共</w:t></w:r>\
        <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
        <w:r><w:instrText xml:space=\"preserve\"> =SUM(ABOVE) </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
        <w:r><w:t>12</w:t></w:r>\
        <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
        <w:r><w:t>件，</w:t></w:r>\
        <w:fldSimple w:instr=\" PAGE \"><w:r><w:t>3</w:t></w:r></w:fldSimple>\
        <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
        <w:r><w:instrText>IF </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
        <w:r><w:instrText>MERGEFIELD x</w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
        <w:r><w:t>inner</w:t></w:r>\
        <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
        <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
        <w:r><w:t>页</w:t></w:r>\
        <w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
    assert_eq!(lines_of(body), vec!["共12件，3页".to_string()]);
}

#[test]
fn content_controls_text_boxes_and_alternate_content() {
    let body = format!(
        "<w:sdt><w:sdtPr><w:alias w:val=\"标题\"/><w:placeholder><w:docPart w:val=\"x\"/></w:placeholder></w:sdtPr>\
         <w:sdtContent>{}</w:sdtContent></w:sdt>\
         <w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">\
         <w:drawing><wps:wsp><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></w:drawing>\
         </mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent>\
         </v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>{}",
        p("XX局2024年政府信息公开工作年度报告"),
        p("文本框"),
        p("文本框"),
        p("后文")
    );
    let doc = document(&package(&body, None, None)).unwrap();
    assert_eq!(
        doc.lines(),
        &[
            "XX局2024年政府信息公开工作年度报告",
            "正文",
            "文本框",
            "后文"
        ]
    );
    // Paragraph numbers: the text box's paragraph is the third (Fallback is not read).
    let origins: Vec<u32> = (1..=4).map(|i| doc.origin(i).unwrap().line).collect();
    assert_eq!(origins, vec![1, 2, 2, 4]);
}

const NUMBERING: &str = "<w:abstractNum w:abstractNumId=\"0\">\
    <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>\
    <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/><w:suff w:val=\"nothing\"/></w:lvl>\
    <w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%3.\"/></w:lvl>\
    </w:abstractNum>\
    <w:abstractNum w:abstractNumId=\"1\">\
    <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimalEnclosedCircle\"/><w:lvlText w:val=\"%1\"/><w:suff w:val=\"nothing\"/></w:lvl>\
    </w:abstractNum>\
    <w:abstractNum w:abstractNumId=\"2\">\
    <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1\"/></w:lvl>\
    <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.%2\"/></w:lvl>\
    </w:abstractNum>\
    <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>\
    <w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>\
    <w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"5\"/></w:lvlOverride></w:num>\
    <w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/></w:num>";

fn np(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr>\
         <w:r><w:t>{text}</w:t></w:r></w:p>"
    )
}

#[test]
fn list_numbers_are_printed() {
    let body = [
        np(1, 0, "总体情况"),
        np(1, 1, "主动公开"),
        np(1, 1, "依申请公开"),
        np(1, 2, "规章"),
        np(1, 2, "规范性文件"),
        np(1, 0, "主动公开政府信息情况"),
        np(1, 1, "重新开始"),
        np(2, 0, "甲"),
        np(2, 0, "乙"),
        np(3, 0, "重启"),
        np(4, 0, "一"),
        np(4, 1, "二"),
        np(0, 0, "无编号"),
    ]
    .concat();
    let mut body = body;
    for _ in 0..8 {
        body.push_str(&np(1, 0, "x"));
    }
    let bytes = package(&body, Some(NUMBERING), None);
    let doc = document(&bytes).unwrap();
    let lines = doc.lines();
    assert_eq!(
        &lines[..13],
        &[
            "一、总体情况",
            "（一）主动公开",
            "（二）依申请公开",
            "1.规章",
            "2.规范性文件",
            "二、主动公开政府信息情况",
            "（一）重新开始",
            "①甲",
            "②乙",
            "⑤重启",
            "1 一",
            "1.1 二",
            "无编号",
        ]
    );
    // 三、… 十、: the tenth heading is 十, the eleventh would be 十一.
    assert_eq!(lines.last().map(String::as_str), Some("十、x"));
}

#[test]
fn style_numbering_and_missing_numbering_part() {
    let styles = "<w:style w:type=\"paragraph\" w:styleId=\"H1\"><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"H1b\"><w:basedOn w:val=\"H1\"/></w:style>";
    let body = "<w:p><w:pPr><w:pStyle w:val=\"H1b\"/></w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p>\
        <w:p><w:pPr><w:pStyle w:val=\"H1\"/></w:pPr><w:r><w:t>主动公开</w:t></w:r></w:p>\
        <w:p><w:pPr><w:pStyle w:val=\"H1\"/><w:numPr><w:numId w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>不编号</w:t></w:r></w:p>";
    let doc = document(&package(body, Some(NUMBERING), Some(styles))).unwrap();
    assert_eq!(doc.lines(), &["一、总体情况", "二、主动公开", "不编号"]);
    // Without numbering.xml the list paragraphs print their text only.
    let doc = document(&package(body, None, Some(styles))).unwrap();
    assert_eq!(doc.lines(), &["总体情况", "主动公开", "不编号"]);
}

/// A table cell: text (paragraphs separated by '/'), gridSpan, vMerge ("restart"/"continue").
fn tc(text: &str, span: u32, vmerge: Option<&str>) -> String {
    let mut pr = String::new();
    if span > 1 {
        pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
    }
    match vmerge {
        Some("continue") => pr.push_str("<w:vMerge/>"),
        Some(v) => pr.push_str(&format!("<w:vMerge w:val=\"{v}\"/>")),
        None => {}
    }
    let paras: String = if text.is_empty() {
        "<w:p/>".to_string()
    } else {
        text.split('/').map(p).collect()
    };
    format!("<w:tc><w:tcPr>{pr}</w:tcPr>{paras}</w:tc>")
}

fn tbl(cols: usize, rows: &[(String, &str)]) -> String {
    let grid: String = (0..cols).map(|_| "<w:gridCol w:w=\"500\"/>").collect();
    let rows: String = rows
        .iter()
        .map(|(cells, trpr)| format!("<w:tr><w:trPr>{trpr}</w:trPr>{cells}</w:tr>"))
        .collect();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
    )
}

#[test]
fn tables_print_grid_rows() {
    let rows = vec![
        (tc("甲", 3, None) + &tc("乙", 1, Some("restart")), ""),
        (
            tc("本年新/公开数量", 1, None)
                + &tc("", 1, None)
                + &tc("a\tb", 1, None)
                + &tc("x", 1, Some("continue")),
            "",
        ),
        (
            tc("12/34", 1, None) + &tc("5", 1, None),
            "<w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/>",
        ),
        (tc("短", 1, None), ""),
    ];
    let body = format!("{}{}{}", p("前"), tbl(4, &rows), p("后"));
    let doc = document(&package(&body, None, None)).unwrap();
    assert_eq!(
        doc.lines(),
        &[
            "前",
            "甲\t乙",
            "本年新公开数量\t\ta b\t",
            "\t12 34\t5\t",
            "短\t\t\t",
            "",
            "后"
        ]
    );
    // Origins: paragraph numbers (the cell "本年新/公开数量" holds paragraphs 4 and 5).
    let origins: Vec<u32> = (1..=7).map(|i| doc.origin(i).unwrap().line).collect();
    assert_eq!(origins, vec![1, 2, 4, 9, 12, 12, 13]);
}

#[test]
fn nested_tables_follow_their_row() {
    let inner = tbl(2, &[(tc("内1", 1, None) + &tc("内2", 1, None), "")]);
    let outer_cell = format!("<w:tc>{}{}</w:tc>", p("外"), inner);
    let rows = vec![
        (outer_cell + &tc("值", 1, None), ""),
        (tc("下", 1, None) + &tc("行", 1, None), ""),
    ];
    let body = tbl(2, &rows);
    assert_eq!(
        lines_of(&body),
        vec!["外\t值", "内1\t内2", "", "下\t行", ""]
    );
}

#[test]
fn one_cell_rows_stay_tab_rows() {
    let rows = vec![(tc("第二十条第（一）项", 1, None), "")];
    assert_eq!(lines_of(&tbl(1, &rows)), vec!["第二十条第（一）项\t", ""]);
}

#[test]
fn cell_paragraphs_join_without_space_between_cjk() {
    assert_eq!(join_cell(&["商业".into(), "企业".into()]), "商业企业");
    assert_eq!(join_cell(&["12".into(), "34".into()]), "12 34");
    assert_eq!(join_cell(&["合计".into(), "".into(), "5".into()]), "合计5");
    assert_eq!(join_cell(&[]), "");
}

// ---------------------------------------------------------------------------------------------
// Hostile and broken input
// ---------------------------------------------------------------------------------------------

fn err(bytes: &[u8]) -> ReadError {
    match read(bytes, None) {
        Ok(_) => panic!("read"),
        Err(e) => e,
    }
}

#[test]
fn random_bytes_and_truncated_files_are_damaged() {
    let mut bytes = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..10_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        bytes.push((x >> 16) as u8);
    }
    assert!(matches!(err(&bytes), ReadError::Damaged { .. }));
    let mut pk = b"PK\x03\x04".to_vec();
    pk.extend_from_slice(&bytes);
    assert!(matches!(err(&pk), ReadError::Damaged { .. }));

    let good = package(&p("XX局2024年政府信息公开工作年度报告"), None, None);
    assert!(read(&good, None).is_ok());
    for cut in [10, good.len() / 2, good.len() - 10] {
        let e = err(&good[..cut]);
        assert!(matches!(e, ReadError::Damaged { .. }), "{cut}: {e}");
        assert!(e.to_string().starts_with("DOCX 文件已损坏"), "{e}");
    }
    // A byte flipped inside the compressed document: a decompression or CRC error.
    let mut flipped = good.clone();
    if let Some(i) = find_bytes(&flipped, b"word/document.xml").map(|i| i + 17 + 20) {
        flipped[i] ^= 0x55;
    }
    assert!(read(&flipped, None).is_err());
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn a_zip_without_the_document_part() {
    let z = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<x/>"),
    ]);
    let e = err(&z);
    assert!(e.to_string().contains("word/document.xml"), "{e}");
}

#[test]
fn malformed_xml_and_deep_nesting() {
    let z = zip_of(&[(
        "word/document.xml",
        b"<w:document><w:body><w:p></w:r></w:body>",
    )]);
    assert!(matches!(err(&z), ReadError::Damaged { .. }));
    let deep = format!(
        "<w:document xmlns:w=\"{W}\"><w:body>{}{}</w:body></w:document>",
        "<w:sdt><w:sdtContent>".repeat(5000),
        "</w:sdtContent></w:sdt>".repeat(5000)
    );
    let z = zip_of(&[("word/document.xml", deep.as_bytes())]);
    let e = err(&z);
    assert!(e.to_string().contains("嵌套过深"), "{e}");
    let z = zip_of(&[("word/document.xml", b"\xFF\xFE\xFD not xml")]);
    assert!(matches!(err(&z), ReadError::Damaged { .. }));
}

#[test]
fn hostile_spans_are_bounded() {
    let rows = vec![(
        tc("甲", 4_000_000_000, None) + &tc("1", 1, None),
        "<w:gridBefore w:val=\"999999999\"/>",
    )];
    let doc = document(&package(&tbl(2, &rows), None, None)).unwrap();
    assert!(doc.lines().iter().all(|l| l.len() <= MAX_COLUMNS * 4));
}

/// A document of more table cells than the limit (a small file inflating to tens of MB of
/// XML) stops at the limit with READ-LIMIT; what came before is read.
#[test]
fn documents_are_cut_at_the_cell_limit() {
    let row = format!(
        "<w:tr>{}</w:tr>",
        "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>".repeat(100)
    );
    let body = format!(
        "{}<w:tbl>{}</w:tbl>{}",
        p("第一段"),
        row.repeat(MAX_CELLS / 100 + 1),
        p("最后一段")
    );
    let doc = document(&package(&body, None, None)).unwrap();
    assert_eq!(doc.lines()[0], "第一段");
    assert!(!doc.lines().iter().any(|l| l == "最后一段"));
    let limit: Vec<_> = doc
        .findings()
        .iter()
        .filter(|f| f.rule == "READ-LIMIT")
        .collect();
    assert_eq!(limit.len(), 1);
    // Under the limit: the whole document, no finding.
    let body = format!(
        "{}<w:tbl>{}</w:tbl>{}",
        p("第一段"),
        row.repeat(10),
        p("最后一段")
    );
    let doc = document(&package(&body, None, None)).unwrap();
    assert!(doc.lines().iter().any(|l| l == "最后一段"));
    assert!(doc.findings().iter().all(|f| f.rule != "READ-LIMIT"));
}

// `deflate_zeros` and `raw_zip`, shared with xxgk-cli's hostile-input test.
include!("../tests/support/zip_bomb.rs");

#[test]
fn a_zip_bomb_stops_at_the_bound() {
    // 1 GiB of zeros (1 + 258·4161790 bytes) in about 6.8 MB.
    let k = 4_161_790;
    let data = deflate_zeros(k);
    let size = 1 + 258 * k as u32;
    assert!(size > 1 << 29);
    // Honest header: refused before decompressing.
    let e = err(&raw_zip("word/document.xml", &data, size));
    assert!(matches!(e, ReadError::PartTooLarge { .. }), "{e}");
    // Lying header (declares 100 bytes): decompression stops at the bound.
    let e = err(&raw_zip("word/document.xml", &data, 100));
    assert!(
        matches!(
            e,
            ReadError::PartTooLarge { .. } | ReadError::Damaged { .. }
        ),
        "{e}"
    );
}

#[test]
fn the_deflate_stream_of_the_bomb_is_valid() {
    // The same construction, small: 1 + 258·3 zeros read back exactly.
    let data = deflate_zeros(3);
    let z = raw_zip("a", &data, 775);
    let mut zip = zip::ZipArchive::new(Cursor::new(&z[..])).unwrap();
    let mut out = Vec::new();
    let _ = std::io::Read::read_to_end(&mut zip.by_index(0).unwrap(), &mut out);
    assert_eq!(out.len(), 775);
    assert!(out.iter().all(|b| *b == 0));
}

#[test]
fn a_table_image_where_a_table_should_be() {
    let body = [
        p("XX市XX局2024年政府信息公开工作年度报告"),
        p("一、总体情况"),
        p("本机关认真落实条例。"),
        p("二、主动公开政府信息情况"),
        tbl(
            4,
            &[
                (tc("第二十条第（一）项", 4, None), ""),
                (tc("信息内容", 1, None) + &tc("本年制发件数", 1, None) + &tc("本年废止件数", 1, None) + &tc("现行有效件数", 1, None), ""),
                (tc("规章", 1, None) + &tc("1", 1, None) + &tc("0", 1, None) + &tc("3", 1, None), ""),
            ],
        ),
        p("三、收到和处理政府信息公开申请情况"),
        "<w:p><w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"/></w:drawing></w:r></w:p>".to_string(),
        p("四、政府信息公开行政复议、行政诉讼情况"),
        p("五、存在的主要问题及改进情况"),
        p("六、其他需要报告的事项"),
        p("无。"),
    ]
    .concat();
    let bytes = package(&body, None, None);
    assert_eq!(parse(&bytes).unwrap().images, vec![15]);
    let r = read(&bytes, Some("x.docx")).unwrap();
    let images: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == "READ-TABLE-IMAGE")
        .collect();
    assert_eq!(images.len(), 1, "{:?}", r.findings);
    assert!(images[0].message.starts_with("表格为图片，无法核验"));
    assert!(images[0].message.contains("表三"), "{}", images[0].message);
    assert_eq!(images[0].severity, Severity::Warning);
    // The image is paragraph 15 (the table's 9 cell paragraphs counted).
    assert_eq!(images[0].spans[0].line, 15);
    // Table 二 was read from the grid.
    assert!(r.get("active.rules.in_force").is_some());
}
