//! The reader's rule catalogue: every `READ-…` finding a reader (or the command line, for an
//! input it cannot read at all) emits, as static data of the same type as the checks' catalogue
//! ([`xxgk_model::RuleDef`]), so that `xxgk rules` lists both.
//!
//! A test reads every source file of this crate and fails when a `READ-…` id is emitted that is
//! not listed here. Ids are stable: a reader finding that is no longer emitted stays listed.
//! The severity listed is the severity the reader gives the finding.

use xxgk_model::Severity::{Error, Info, Warning};
use xxgk_model::{find_rule, Finding, RuleDef, Severity};

const fn rule(
    id: &'static str,
    severity: xxgk_model::Severity,
    title: &'static str,
    explanation: &'static str,
    reference: &'static str,
) -> RuleDef {
    RuleDef::new(id, severity, title, explanation, reference)
}

/// The reference of rules that follow from the reader's principle that a number is never
/// invented.
const NEVER_INVENTED: &str = "读取原则：数字绝不臆造，读不准的行不读并如实报告";

/// The finding of a file that cannot be read at all (the CLI's batches and the server's uploads
/// record it in place of the report).
pub const UNREADABLE: &str = "READ-UNREADABLE";

/// A report (or its tables) read from images by OCR (crate `xxgk-ocr`).
pub const OCR_READ: &str = "READ-OCR";
/// A cell the OCR engine read with low confidence.
pub const OCR_LOW_CONFIDENCE: &str = "READ-OCR-LOW-CONFIDENCE";
/// The agency taken from the web page around an article without one.
pub const AGENCY_FROM_PAGE: &str = "READ-AGENCY-FROM-PAGE";
/// A value printed with its unit in the cell, read as the number.
pub const VALUE_UNIT: &str = "READ-VALUE-UNIT";

/// The one finding of a file that cannot be read: `message` says why.
pub fn unreadable(message: impl Into<String>) -> Finding {
    Finding::new(UNREADABLE, Severity::Error, message)
}

/// Every reader rule: the input, the tables, the rows, the title and dates.
pub static RULES: &[RuleDef] = &[
    // ---------------------------------------------------------------- the input
    rule(
        UNREADABLE,
        Error,
        "文件无法读取",
        "文件无法打开，或内容无法识别为年度报告（如文件为空、过大、编码无法识别、不是支持的文件格式、文件已损坏）。这份报告的任何内容都没有被检查。请确认文件完整，或换用报告的其他版本（如网页、Word 文档）再检查。",
        "读取原则：无法读取的文件单独报告，不中断其余文件的检查",
    ),
    rule(
        "READ-PRE-2019",
        Info,
        "2019 年以前的旧年报",
        "报告年度早于 2019 年（《政府信息公开条例》2019 年修订之前），没有统一的标准表格，因此不按标准格式读取表格，也不做表格勾稽关系等检查。",
        "《中华人民共和国政府信息公开条例》（2019 年修订）",
    ),
    rule(
        "READ-DOC-TABLE",
        Warning,
        "DOC/WPS 表格的行由单元格标记推断",
        "旧版 Word（.doc）或 WPS 文件的段落属性无法读取，表格的行只能由单元格结束标记推断；行末的空白单元格可能因此被误读到下一行。请对照原文核对相关表格，或用 .docx、网页版本检查。",
        NEVER_INVENTED,
    ),
    // ---------------------------------------------------------------- tables
    rule(
        "READ-TABLE-MISSING",
        Error,
        "未读到表格",
        "报告中没有读到某张标准表格（表二、表三或表四）的任何一行：表格可能缺失、以图片形式发布，或排版无法识别。《条例》要求年度报告包含这些统计数据，表格缺失或无法读取时，其中的数字都无法核验。请以文字表格的形式发布完整的三张表格。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "READ-TABLE-IMAGE",
        Error,
        "表格为图片，无法核验",
        "标准表格以图片（或扫描件）的形式发布，没有可读取的文字，表中的数字无法读取和核验。年度报告的表格应以文字表格发布，便于公众查阅和统计。请改为发布文字表格。",
        "国办公开办函〔2021〕30号",
    ),
    // ---------------------------------------------------------------- rows
    rule(
        "READ-ROW-MISSING",
        Warning,
        "未读到表格中的某一行",
        "表格读到了，但其中某一行没有读到：该行可能被删去、改了名称，或排版无法识别。这一行的单元格在结果中缺失（不按 0 计算），涉及它的勾稽关系无法核验。请按标准格式补全该行。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "READ-ROW-UNREADABLE",
        Error,
        "表格的一行无法读取",
        "表格的一行印有的数值个数与该行应有的列数不符（多了、少了，或空白单元格可以对应不同的列），无法确定每个数值属于哪一列。为不臆造数字，这一行整行不读取，其单元格在结果中缺失。请检查该行是否漏填、多填或错位。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-ROW-DUPLICATE",
        Warning,
        "同一行印了两次",
        "表格中同一行（同一个行名称）出现了两次。按第一次出现的读取，第二次出现的不读取。请删去重复的行，或核对是否把另一行的名称写错。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-ROW-UNPLACED",
        Error,
        "无法确定是哪一行的数值行",
        "表格中有一行数值没有可识别的行名称，在前后已识别的行之间也不能唯一确定它是哪一行，因此未读取。对应行的单元格在结果中缺失。请检查该行的名称是否缺失或被改写。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-ROW-BY-ORDER",
        Info,
        "按位置确定的行",
        "表三中一行数值没有可识别的行名称，但它位于两个已识别的行之间，且只有一种放法，于是按位置读作该行。读取结果应当正确，但请核对该行的名称是否印错或缺失。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-ROW-BY-COLUMNS",
        Info,
        "按同表同样排版的行确定列位置",
        "一行的空白单元格可以对应不同的列，单看这一行无法确定；同一表格中同样排版的其他行给出了唯一的列位置，于是按它读取。读取结果应当正确，但请核对该行的空白单元格。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-ROW-SPLIT",
        Info,
        "压平的一行按行总计拆分",
        "网页或文本中两行表格被压成了一行，按该行的总计（等于前几列之和的位置）拆分成两行读取。读取结果应当正确，但请核对原文该处的排版。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-FLAT",
        Info,
        "整篇报告被压成长行，按标签切分、按勾稽关系拆分",
        "网页去掉标签后的文本（如网站归档的正文）把整篇报告压成少数几行：标题、行标签和数字连在一起，每行表格的各个数值连成一串数字。读取时按目录中的行标签切分出各行，再把各行的数字串按各行总计和表三的勾稽关系（一加二等于（七）总计加四；（七）总计等于各办理结果之和）对整张表一起拆分；只有所有满足这些关系的拆分都给出同一个数值的单元格才读取。请对照原网页核对。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-FLAT-UNDETERMINED",
        Warning,
        "连成一串的数字有多种拆分，无法确定",
        "压平文本中一行的数值连成一串数字，满足全部勾稽关系的拆分不止一种（例如表二“行政规范性文件”的本年制发、本年废止、现行有效三个数之间没有勾稽关系）。为不臆造数字，拆分不唯一的单元格不读取，结果中缺失；提示中列出了可能的读法，请对照原网页确定。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-FLAT-INCONSISTENT",
        Warning,
        "连成一串的数字无法满足勾稽关系，未强行凑平",
        "压平文本中表格的数字串无论怎样拆分都不满足该行总计或表三的勾稽关系，说明报告本身的数字有误。读取时不强行凑平：不再使用不成立的关系，只读取其余条件仍能唯一确定的单元格；不成立的关系仍由校验报告。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-FLAT-TOO-LONG",
        Error,
        "连成一串的数字过长，不予拆分",
        "压平文本中一行表格的数字串远长于该行所有单元格可能印出的位数，不是正常的表格数值（可能是文件损坏或恶意输入）。为保证读取时间有界，这一行不拆分、不读取。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-FLAT-BUDGET",
        Warning,
        "连成一串的数字拆分组合过多，超出计算上限",
        "压平文本中数字串可能的拆分组合超过了读取的计算上限。为保证读取时间有界，超出上限的行不读取，或只按各行自身的总计拆分、读取唯一确定的单元格。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-STRAY-VALUES",
        Info,
        "不属于任何一行的数值",
        "表格区域中有一些数值不属于表格的任何一行（如单独成行的数字），未读取。通常是排版残留；若它们本应是某一行的数值，请检查该行的排版。",
        NEVER_INVENTED,
    ),
    rule(
        crate::displaced::DISPLACED,
        Info,
        "表二的数值印在表格上方，按阅读顺序读入",
        "由 PDF 转换而来的文本（如 Markdown）把表二的数值连同括号中的说明（如“22（其中修订 16 件）”）印在了表格上方，表格中对应的单元格为空。上方数值的个数与空白单元格的个数相同，且每个数值都符合所在列（件数为非负整数，只有收费金额可以有小数），按阅读顺序只有一种对应方式，于是读入这些单元格；括号中的说明不作为数值读取。读取结果应当正确，但请对照原文核对。",
        NEVER_INVENTED,
    ),
    rule(
        crate::displaced::DISPLACED_UNREADABLE,
        Error,
        "表二上方错位的数值无法唯一对应",
        "表二的单元格为空，而表格上方印有可能属于这些单元格的数值，但对应方式不唯一：数值个数与空白单元格个数不同、某个数值不符合所在列（如件数带小数），或几个栏目的空白单元格都可能是它们的位置。为不臆造数字，这些单元格不读取，在结果中缺失；每个单元格各有一条提示，列出上方的候选数值。请按标准格式把数值填入表格。",
        NEVER_INVENTED,
    ),
    // ---------------------------------------------------------------- title, year, dates
    rule(
        VALUE_UNIT,
        Warning,
        "单元格数字带单位",
        "单元格在数字后印有单位（如“22件”“251000元”），按数字读取并注明单位。金额栏以万元计：印作“元”的金额已按万元换算（如 251000元 = 25.1 万元），原文在说明中保留，请核对；计数栏的“件”“项”等单位不改变数值。",
        "国办公开办函〔2021〕30号表二“本年收费金额（单位：万元）”",
    ),
    rule(
        crate::meta::AGENCY_PREFECTURE,
        Info,
        "机关名称补全所属市",
        "标题中的机关名称以区、县开头，未写所属市（如“洪泽区人民政府”），而正文或网页写明了所属市（“淮安市洪泽区”）：机关名称按正文补全（“淮安市洪泽区人民政府”），标题中的写法照录为 agency_printed。正文提到多个不同的市时不补全。",
        "读取原则：只读取文件中印有的内容",
    ),
    rule(
        AGENCY_FROM_PAGE,
        Info,
        "机关名称取自网页",
        "报告正文（标题）没有写明发布机关，机关名称取自网页的标题或导航位置（面包屑，如“首页 > 信息公开 > 某某区人民政府”），原文照录为 agency_printed。网页所属机关可能是报告机关的上级门户，请核对。",
        "读取原则：只读取文件中印有的内容",
    ),
    rule(
        "READ-NO-TITLE",
        Warning,
        "未找到年度报告标题",
        "报告开头没有找到“……政府信息公开工作年度报告”这样的标题，因此也无法从标题读出机关和年度。请在报告开头写明完整标题。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "READ-NO-AGENCY",
        Warning,
        "标题中未找到机关名称",
        "标题中没有读到发布机关的名称，跨年度核对无法把这份报告与同一机关其他年度的报告对应起来。请在标题中写明机关全称。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "READ-PUBLISHED-FROM-PAGE",
        Info,
        "发布日期取自网页的发布时间",
        "报告末尾没有落款日期，发布日期取自网页或归档页面的“发布时间/发布日期”一行。网页的发布时间可能晚于报告的成文日期，请核对。",
        "读取原则：只读取文件中印有的内容",
    ),
    rule(
        "READ-NO-YEAR",
        Warning,
        "未找到报告年度",
        "标题中没有年份，也没有读到统计期限，无法确定报告年度：按年度的检查（格式是否适用、发布是否逾期、跨年度衔接）都无法进行。请在标题中写明年度。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "READ-YEAR-FROM-PERIOD",
        Info,
        "报告年度取自统计期限",
        "标题中没有年份，报告年度按正文所写的统计期限确定；若统计期限写错，按年度的检查也会随之出错。请在标题中写明年度，并核对统计期限。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "READ-PERIOD-UNREADABLE",
        Info,
        "统计期限无法读出",
        "报告提到了统计期限，但没能读出起止日期（如日期写法不完整），因此无法核对统计期限与年度是否一致。请写明“本报告中所列数据的统计期限自某年1月1日起至某年12月31日止”。",
        "国办公开办函〔2021〕30号",
    ),
    // ---------------------------------------------------------------- PDF
    rule(
        "READ-PDF-UNMAPPED",
        Warning,
        "PDF 字符无法解码",
        "PDF 中部分字符所用的字体没有给出字符与文字的对应关系（缺少 ToUnicode），这些字符无法读出；若它们位于表格中，相关单元格不会被读取。请换用报告的网页或 Word 版本核对。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-PDF-IMAGE-PAGE",
        Warning,
        "PDF 页面为图片",
        "PDF 的某一页只有图片（扫描件），没有文字层，这一页的内容没有读出。若表格在这一页，表格中的数字无法核验。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "READ-PDF-REPAIRED",
        Warning,
        "PDF 结构已修复",
        "PDF 的交叉引用表缺失或有误（文件可能不完整），已按文件中的对象重建后读取。读出的内容可能不全，请确认文件完整。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-PDF-LIMIT",
        Warning,
        "PDF 超出读取上限",
        "PDF 的页数（上限 1,000 页）、每页的绘制操作数或字符数超出读取上限，超出的部分没有读出；若表格在其中，相关单元格无法核验。",
        "读取原则：对异常文件限定读取的时间与内存",
    ),
    rule(
        "READ-LIMIT",
        Warning,
        "内容超出读取上限",
        "文件中的一行字段过多（上限 1,000 个）、表格的单元格过多（上限 200,000 个）或数据行过多，超出上限的部分没有读出；正常的年度报告远在上限之内，这通常是损坏或异常的文件。若表格在其中，相关单元格无法核验。",
        "读取原则：对异常文件限定读取的时间与内存",
    ),
    // ---------------------------------------------------------------- values
    rule(
        "READ-VALUE-TOO-LARGE",
        Warning,
        "数值超出可处理的范围",
        "单元格印有数字，但位数超过 18 位（或小数超过 6 位），超出可精确处理的范围。单元格按原文保留为文字，不当作空白，也不截断或近似；相关勾稽关系无法核验。请核对报告原文。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-VALUE-NOT-NUMBER",
        Warning,
        "单元格印的不是规范的数字",
        "单元格印有类似数字的内容（如 NaN、inf、科学记数法 1e5、“3.”、“.5”、带“万”“%”的数字、逗号位置不对的数字），不是表格应填的规范数字。单元格按原文保留为文字，不当作空白，也不猜测其数值；请核对报告原文。",
        NEVER_INVENTED,
    ),
    rule(
        "READ-VALUE-GROUPED",
        Warning,
        "分组书写的数字未读作数值",
        "单元格印有用空格或逗号分组的数字（如“1 234”“1,234”），而同一列的其他单元格没有同样的分组书写，无法确定是一个数还是几个数连在一起。单元格按原文保留为文字（不当作空白）；同一列有同样分组的单元格时才读作数值（如 1234）。",
        NEVER_INVENTED,
    ),
    // ---------------------------------------------------------------- scans (xxgk-ocr)
    rule(
        OCR_READ,
        Info,
        "内容由文字识别读出",
        "报告（或其中的表格）是图片或扫描件，其文字和数字由文字识别（OCR）从图片中读出，不是文件中的文字。表格按图片中的表格线切分为单元格逐格识别，没有墨迹的单元格保持空白；数字均应与原件核对，表格的勾稽关系检查可发现识别错误。",
        NEVER_INVENTED,
    ),
    rule(
        OCR_LOW_CONFIDENCE,
        Warning,
        "识别结果不可靠",
        "文字识别对这个单元格的读数把握不足（置信度低于 70%），读出的数字可能有误。请对照原件核对这个单元格。",
        NEVER_INVENTED,
    ),
    // ---------------------------------------------------------------- input files
    rule(
        "READ-INPUT-PLACEHOLDER",
        Error,
        "输入文件仍有待填写内容",
        "输入文件的正文中还有 xxgk new 生成的占位文字“【待填写】”：这部分内容还没有写。请换成实际内容后再生成报告，否则发布的年度报告会缺少相应内容。",
        "国办公开办函〔2021〕30号（年度报告的六部分内容）",
    ),
    rule(
        "READ-CELL-MISSING",
        Warning,
        "输入文件缺少单元格",
        "输入文件中某一行缺少部分单元格：缺少的单元格不会印出，也无法核验。空白单元格请写作 \"\"，不要删除该项。",
        NEVER_INVENTED,
    ),
];

/// The reader rule with identifier `id`.
pub fn rule_by_id(id: &str) -> Option<&'static RuleDef> {
    find_rule(RULES, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    #[test]
    fn ids_are_unique_well_formed_and_explained() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "{} listed twice", r.id);
            assert!(r.id.starts_with("READ-"), "{}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
            assert!(!r.series, "{}", r.id);
            let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(
                cjk(r.title) && r.explanation.chars().count() >= 40,
                "{}",
                r.id
            );
            assert!(!r.reference.is_empty(), "{}", r.id);
        }
    }

    /// The `READ-…` string literals of the code (not the tests) of every source file of the
    /// crate, read from disk so that a reader added later is covered without editing this test.
    fn emitted_ids() -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("src is readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() >= 10, "found only {files:?}");
        let mut ids = BTreeSet::new();
        for path in files {
            if path.ends_with("rules.rs") {
                continue;
            }
            let src = std::fs::read_to_string(&path).expect("source is UTF-8");
            let code = src.split("#[cfg(test)]").next().unwrap_or(&src);
            for lit in code.split('"').skip(1).step_by(2) {
                let id_like = lit.len() > "READ-".len()
                    && lit.starts_with("READ-")
                    && lit
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
                if id_like {
                    ids.insert(lit.to_string());
                }
            }
        }
        ids
    }

    #[test]
    fn every_id_the_readers_emit_is_listed() {
        let ids = emitted_ids();
        // The scan finds the ids we know are emitted (so it is not vacuous).
        for known in ["READ-TABLE-MISSING", "READ-ROW-BY-ORDER", "READ-NO-TITLE"] {
            assert!(ids.contains(known), "scan missed {known}: {ids:?}");
        }
        for id in &ids {
            assert!(
                rule_by_id(id).is_some(),
                "{id} is emitted but not in xxgk_read::rules::RULES"
            );
        }
    }

    #[test]
    fn listed_severities_match_the_emitted_ones() {
        // Checked by hand against the Finding::new calls of tables.rs and meta.rs.
        let sev = |id: &str| rule_by_id(id).map(|r| r.severity);
        assert_eq!(sev("READ-ROW-UNREADABLE"), Some(Error));
        assert_eq!(sev("READ-ROW-MISSING"), Some(Warning));
        assert_eq!(sev("READ-ROW-BY-ORDER"), Some(Info));
        assert_eq!(sev("READ-TABLE-MISSING"), Some(Error));
        assert_eq!(sev("READ-NO-AGENCY"), Some(Warning));
        assert_eq!(sev("READ-PERIOD-UNREADABLE"), Some(Info));
        // Checked by hand against displaced.rs.
        assert_eq!(sev("READ-DISPLACED"), Some(Info));
        assert_eq!(sev("READ-DISPLACED-UNREADABLE"), Some(Error));
        assert!(rule_by_id("READ-TABLE-IMAGE").is_some());
        assert!(rule_by_id("READ-ROW-SPLIT").is_some());
    }
}
