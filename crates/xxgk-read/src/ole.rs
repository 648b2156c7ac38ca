//! Legacy Word .doc and WPS .wps (OLE compound files), read in pure Rust.
//!
//! Produces a [`crate::doc::Document`]; see that module for the grid-row convention.
//!
//! The Word 97–2003 binary format ([MS-DOC]), as far as a report needs it:
//! 1. the compound file (crate `cfb`) holds the `WordDocument` stream and a table stream
//!    (`1Table` or `0Table`, chosen by the FIB's `fWhichTblStm` bit);
//! 2. the FIB at the start of `WordDocument` gives `ccpText` (the characters of the main story)
//!    and the offsets of the structures below in the table stream;
//! 3. the CLX's piece table maps character positions to the stream: each piece is 8-bit text
//!    (`fCompressed`, Windows-1252 at `fc / 2`) or UTF-16LE at `fc`;
//! 4. special characters: `\r` ends a paragraph, `\x07` a table cell (or a row), `\x0B` is a line
//!    break, `\x0C` a page or section break, `\x13 instruction \x14 result \x15` a field (the
//!    result is kept), `\x01`/`\x08` object anchors are dropped;
//! 5. the paragraph properties (`PlcBtePapx` → PAPX FKPs in `WordDocument`) tell table cells
//!    (`sprmPFInTable`, `sprmPItap`) from the row-end mark (`sprmPFTtp`), and the row-end
//!    paragraph's `sprmTDefTable` gives the cell boundaries, from which every table's column
//!    grid is built (the union of its rows' boundaries), so a cell merged across columns
//!    prints its text once and empty fields for the columns it covers;
//! 6. the character properties (`PlcBteChpx` → CHPX FKPs) mark deleted revisions and hidden text,
//!    which are not printed and are dropped (a tracked deletion of "56" before "78" is 78).
//!
//! Kingsoft WPS writes the same format into its .wps files (since WPS 2005), so they are read
//! the same way. Nested tables are flattened into the text of their outer cell.
//!
//! Every offset read from the file is checked against the stream it points into; hostile input
//! yields a [`ReadError`], never a panic, and the work is bounded by the file's size.

use std::io::{Cursor, Read};

use xxgk_model::{Finding, Report, Severity};

use crate::doc::{self, Document, Origin};
use crate::ReadError;

/// The largest DOC/WPS file read.
pub const MAX_FILE_SIZE: usize = 64 * 1024 * 1024;

const KIND: &str = "DOC/WPS";

/// Read a report from the bytes of a DOC/WPS file.
pub fn read(bytes: &[u8], source: Option<&str>) -> Result<Report, ReadError> {
    doc::read_document(document(bytes)?, source)
}

/// The DOC/WPS file as a [`Document`]: paragraphs of the main story and table grid rows, each
/// with its 1-based paragraph number as origin line.
pub fn document(bytes: &[u8]) -> Result<Document, ReadError> {
    let streams = open(bytes)?;
    let word = Word::parse(&streams.word, &streams.table, &streams.data)?;
    Ok(word.document())
}

fn damaged(reason: impl Into<String>) -> ReadError {
    ReadError::Damaged {
        kind: KIND,
        reason: reason.into(),
    }
}

struct Streams {
    word: Vec<u8>,
    table: Vec<u8>,
    /// The `Data` stream (empty when absent).
    data: Vec<u8>,
}

/// Open the compound file and read the two streams a Word document needs.
fn open(bytes: &[u8]) -> Result<Streams, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE_SIZE,
        });
    }
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| damaged(format!("OLE 复合文档结构无效（{e}）")))?;
    if !cf.is_stream("/WordDocument") {
        if cf.is_stream("/EncryptedPackage") {
            return Err(ReadError::Encrypted { kind: "DOCX" });
        }
        let found = if cf.is_stream("/Workbook") || cf.is_stream("/Book") {
            "Excel 表格（.xls）"
        } else if cf.is_stream("/PowerPoint Document") {
            "PowerPoint 演示文稿（.ppt）"
        } else if cf.is_stream("/WksSSWorkBook") {
            "WPS 表格（.et）"
        } else {
            "其他 OLE 复合文档，可能是旧版 WPS 或不支持的格式"
        };
        return Err(ReadError::NotWord { found });
    }
    let word = read_stream(&mut cf, "/WordDocument", bytes.len())?;
    let table_name = match fib_flags(&word) {
        Some(flags) if flags & 0x0200 != 0 => "/1Table",
        _ => "/0Table",
    };
    let table = if cf.is_stream(table_name) {
        read_stream(&mut cf, table_name, bytes.len())?
    } else {
        // Checked again (with the FIB) below; a missing table stream leaves no text.
        Vec::new()
    };
    let data = if cf.is_stream("/Data") {
        read_stream(&mut cf, "/Data", bytes.len())?
    } else {
        Vec::new()
    };
    Ok(Streams { word, table, data })
}

fn read_stream(
    cf: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
    let stream = cf
        .open_stream(name)
        .map_err(|e| damaged(format!("无法打开 {name} 数据流（{e}）")))?;
    let mut out = Vec::new();
    stream
        .take(limit as u64)
        .read_to_end(&mut out)
        .map_err(|e| damaged(format!("无法读取 {name} 数据流（{e}）")))?;
    Ok(out)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn i16_at(b: &[u8], at: usize) -> Option<i16> {
    u16_at(b, at).map(|v| v as i16)
}

/// The FibBase flags word, when the stream starts with a Word FIB.
fn fib_flags(word: &[u8]) -> Option<u16> {
    (u16_at(word, 0)? == 0xA5EC)
        .then(|| u16_at(word, 0x0A))
        .flatten()
}

/// The parts of the FIB the reader uses.
#[derive(Debug, Clone, Copy)]
struct Fib {
    ccp_text: u32,
    clx: (u32, u32),
    plcf_bte_papx: (u32, u32),
    plcf_sed: (u32, u32),
    plcf_bte_chpx: (u32, u32),
}

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, ReadError> {
        let ident = u16_at(word, 0).ok_or_else(|| damaged("WordDocument 数据流过短"))?;
        if ident != 0xA5EC {
            return Err(damaged(format!(
                "WordDocument 数据流不以 Word 文件头开始（标识 0x{ident:04X}）"
            )));
        }
        let n_fib = u16_at(word, 2).unwrap_or(0);
        let flags = u16_at(word, 0x0A).unwrap_or(0);
        if flags & 0x0100 != 0 {
            return Err(ReadError::Encrypted { kind: KIND });
        }
        if n_fib < 0x0070 {
            return Err(ReadError::Unsupported {
                kind: "Word 6.0/95 格式的 DOC",
            });
        }
        let short = || damaged("文件头（FIB）不完整");
        let csw = usize::from(u16_at(word, 0x20).ok_or_else(short)?);
        let lw_count_at = 0x22 + csw * 2;
        let cslw = usize::from(u16_at(word, lw_count_at).ok_or_else(short)?);
        let lw_at = lw_count_at + 2;
        if cslw < 4 {
            return Err(short());
        }
        let ccp_text = u32_at(word, lw_at + 0x0C).ok_or_else(short)?;
        let fclcb_count_at = lw_at + cslw * 4;
        let cb_rg_fc_lcb = usize::from(u16_at(word, fclcb_count_at).ok_or_else(short)?);
        let fclcb_at = fclcb_count_at + 2;
        let pair = |i: usize| -> Result<(u32, u32), ReadError> {
            if i >= cb_rg_fc_lcb {
                return Ok((0, 0));
            }
            let at = fclcb_at + i * 8;
            Ok((
                u32_at(word, at).ok_or_else(short)?,
                u32_at(word, at + 4).ok_or_else(short)?,
            ))
        };
        let clx = pair(33)?;
        if clx.1 == 0 {
            return Err(damaged("文件头（FIB）没有给出文本片段表（CLX）"));
        }
        if ccp_text as usize > word.len() {
            return Err(damaged(format!(
                "正文字符数 {ccp_text} 超出 WordDocument 数据流长度 {}",
                word.len()
            )));
        }
        Ok(Fib {
            ccp_text,
            clx,
            plcf_bte_papx: pair(13)?,
            plcf_sed: pair(6)?,
            plcf_bte_chpx: pair(12)?,
        })
    }
}

/// A slice of `stream` given by an (offset, length) pair of the FIB.
fn fc_lcb<'a>(stream: &'a [u8], (fc, lcb): (u32, u32), what: &str) -> Result<&'a [u8], ReadError> {
    let start = fc as usize;
    start
        .checked_add(lcb as usize)
        .and_then(|end| stream.get(start..end))
        .ok_or_else(|| {
            damaged(format!(
                "{what}（偏移 {fc}，长度 {lcb}）超出数据流（{} 字节）",
                stream.len()
            ))
        })
}

/// One piece of the piece table: characters `cp..cp_end` stored at `fc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    cp: u32,
    cp_end: u32,
    /// Byte offset of the first character in `WordDocument` (already halved when compressed).
    fc: u32,
    compressed: bool,
    /// Index into the CLX's property modifiers (`Prc`), when the piece's `Prm` is complex.
    prc: Option<usize>,
}

/// The CLX: property modifiers (`Prc` grpprls, as ranges of the table stream) and pieces.
#[derive(Debug, Default)]
struct Clx {
    prcs: Vec<(usize, usize)>,
    pieces: Vec<Piece>,
}

fn parse_clx(table: &[u8], at: (u32, u32)) -> Result<Clx, ReadError> {
    let clx = fc_lcb(table, at, "文本片段表（CLX）")?;
    let base = at.0 as usize;
    let mut clx_out = Clx::default();
    let mut i = 0usize;
    loop {
        match clx.get(i) {
            Some(1) => {
                // Prc: clxt, cbGrpprl (i16), grpprl.
                let cb = i16_at(clx, i + 1).ok_or_else(|| damaged("CLX 属性修改项不完整"))?;
                let cb = usize::try_from(cb).map_err(|_| damaged("CLX 属性修改项长度为负"))?;
                let start = i + 3;
                let end = start + cb;
                if end > clx.len() {
                    return Err(damaged("CLX 属性修改项超出范围"));
                }
                clx_out.prcs.push((base + start, base + end));
                i = end;
            }
            Some(2) => {
                let lcb = u32_at(clx, i + 1).ok_or_else(|| damaged("片段表（PlcPcd）不完整"))?;
                let start = i + 5;
                let plc = (start as u64)
                    .checked_add(u64::from(lcb))
                    .and_then(|end| clx.get(start..usize::try_from(end).ok()?))
                    .ok_or_else(|| damaged("片段表（PlcPcd）超出范围"))?;
                clx_out.pieces = parse_plc_pcd(plc, clx_out.prcs.len())?;
                return Ok(clx_out);
            }
            Some(t) => return Err(damaged(format!("CLX 中出现未知的类型 {t}"))),
            None => return Err(damaged("CLX 中没有片段表（Pcdt）")),
        }
    }
}

fn parse_plc_pcd(plc: &[u8], n_prcs: usize) -> Result<Vec<Piece>, ReadError> {
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(12) {
        return Err(damaged(format!("片段表长度 {} 无效", plc.len())));
    }
    let n = (plc.len() - 4) / 12;
    let pcd_at = (n + 1) * 4;
    let mut pieces = Vec::with_capacity(n);
    for k in 0..n {
        let bad = || damaged("片段表不完整");
        let cp = u32_at(plc, k * 4).ok_or_else(bad)?;
        let cp_end = u32_at(plc, k * 4 + 4).ok_or_else(bad)?;
        if cp_end < cp || pieces.last().is_some_and(|p: &Piece| p.cp_end != cp) {
            return Err(damaged(format!("片段表的字符位置不递增（{cp}..{cp_end}）")));
        }
        let fc_raw = u32_at(plc, pcd_at + k * 8 + 2).ok_or_else(bad)?;
        let prm = u16_at(plc, pcd_at + k * 8 + 6).ok_or_else(bad)?;
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = fc_raw & 0x3FFF_FFFF;
        let prc = (prm & 1 == 1)
            .then_some(usize::from(prm >> 1))
            .filter(|&i| i < n_prcs);
        pieces.push(Piece {
            cp,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
            prc,
        });
    }
    Ok(pieces)
}

/// Windows-1252 for the bytes 0x80..=0x9F of compressed text (the others map to themselves).
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

fn cp1252(b: u8) -> u16 {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => u16::from(b),
    }
}

/// How a paragraph ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// `\r`
    Paragraph,
    /// `\x07`: a cell end, or (with `sprmPFTtp`) a table row end.
    Cell,
    /// `\x0C` at the end of a section.
    Section,
    /// The end of the main story without a mark.
    End,
}

/// A paragraph of the main story: its text (fields resolved, special characters handled), how it
/// ends, and the stream offset of its mark (for the paragraph properties).
#[derive(Debug, Clone)]
struct Para {
    text: String,
    mark: Mark,
    /// Byte offset of the mark in `WordDocument`, and the piece it lies in.
    fc: Option<(u32, usize)>,
}

/// The characters of the main story as paragraphs.
fn paragraphs(
    word: &[u8],
    pieces: &[Piece],
    ccp_text: u32,
    section_ends: &[u32],
    hidden: &[(u32, u32)],
) -> Result<Vec<Para>, ReadError> {
    let mut out = Vec::new();
    let mut units: Vec<u16> = Vec::new();
    // Field nesting: for each open field, whether its instruction part is being read.
    let mut fields: Vec<bool> = Vec::new();
    let mut in_instruction = 0usize;
    let flush =
        |units: &mut Vec<u16>, mark: Mark, fc: Option<(u32, usize)>, out: &mut Vec<Para>| {
            out.push(Para {
                text: String::from_utf16_lossy(units),
                mark,
                fc,
            });
            units.clear();
        };
    for (pi, p) in pieces.iter().enumerate() {
        if p.cp >= ccp_text {
            break;
        }
        let count = p.cp_end.min(ccp_text) - p.cp;
        let width: u32 = if p.compressed { 1 } else { 2 };
        let len = count
            .checked_mul(width)
            .ok_or_else(|| damaged("片段长度溢出"))?;
        let start = p.fc as usize;
        let bytes = start
            .checked_add(len as usize)
            .and_then(|end| word.get(start..end))
            .ok_or_else(|| {
                damaged(format!(
                    "文本片段（偏移 {}，{} 个字符）超出 WordDocument 数据流（{} 字节）",
                    p.fc,
                    count,
                    word.len()
                ))
            })?;
        for k in 0..count {
            let unit = if p.compressed {
                cp1252(bytes[k as usize])
            } else {
                let i = 2 * k as usize;
                u16::from_le_bytes([bytes[i], bytes[i + 1]])
            };
            let fc = (p.fc + k * width, pi);
            if !matches!(unit, 0x0D | 0x07 | 0x0C) && is_hidden(hidden, fc.0) {
                continue;
            }
            match unit {
                0x13 => {
                    fields.push(true);
                    in_instruction += 1;
                    continue;
                }
                0x14 => {
                    if let Some(f) = fields.last_mut() {
                        if *f {
                            *f = false;
                            in_instruction -= 1;
                        }
                    }
                    continue;
                }
                0x15 => {
                    if let Some(f) = fields.pop() {
                        if f {
                            in_instruction -= 1;
                        }
                    }
                    continue;
                }
                0x0D => {
                    flush(&mut units, Mark::Paragraph, Some(fc), &mut out);
                    continue;
                }
                0x07 => {
                    flush(&mut units, Mark::Cell, Some(fc), &mut out);
                    continue;
                }
                0x0C if section_ends.binary_search(&(p.cp + k + 1)).is_ok() => {
                    flush(&mut units, Mark::Section, Some(fc), &mut out);
                    continue;
                }
                _ => {}
            }
            if in_instruction > 0 {
                continue;
            }
            match unit {
                0x0B | 0x0C => units.push(u16::from(b'\n')),
                0x09 => units.push(0x09),
                0x1E => units.push(u16::from(b'-')),
                // Object anchors, footnote and annotation references, optional hyphens, other
                // control characters.
                0x00..=0x1F => {}
                _ => units.push(unit),
            }
        }
    }
    if !units.is_empty() {
        flush(&mut units, Mark::End, None, &mut out);
    }
    Ok(out)
}

/// The stream ranges (`start..end`, sorted, disjoint) of characters that are not printed:
/// deleted revisions (`sprmCFRMarkDel`, tracked changes not yet accepted) and hidden text
/// (`sprmCFVanish`), from the character properties (`PlcBteChpx` → CHPX FKPs).
fn hidden_ranges(word: &[u8], table: &[u8], at: (u32, u32)) -> Vec<(u32, u32)> {
    let Ok(plc) = fc_lcb(table, at, "") else {
        return Vec::new();
    };
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(8) {
        return Vec::new();
    }
    let n = (plc.len() - 4) / 8;
    let mut ranges = Vec::new();
    let mut last_page = None;
    for k in 0..n {
        let Some(pn) = u32_at(plc, 4 * (n + 1) + 4 * k).map(|pn| pn & 0x003F_FFFF) else {
            break;
        };
        if last_page == Some(pn) {
            continue;
        }
        last_page = Some(pn);
        let start = pn as usize * 512;
        let Some(page) = word.get(start..start + 512) else {
            continue;
        };
        let crun = usize::from(page[511]);
        if crun == 0 || (crun + 1) * 4 + crun > 511 {
            continue;
        }
        for j in 0..crun {
            let (Some(from), Some(to)) = (u32_at(page, 4 * j), u32_at(page, 4 * j + 4)) else {
                break;
            };
            let offset = usize::from(page[(crun + 1) * 4 + j]) * 2;
            if offset == 0 || from >= to {
                continue;
            }
            let cb = usize::from(*page.get(offset).unwrap_or(&0));
            let grpprl = page
                .get(offset + 1..(offset + 1 + cb).min(511))
                .unwrap_or(&[]);
            if chpx_hides(grpprl) {
                ranges.push((from, to));
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (from, to) in ranges {
        match merged.last_mut() {
            Some((_, end)) if from <= *end => *end = (*end).max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// Whether a CHPX grpprl marks its characters deleted or hidden. The operands are toggles:
/// 1 on, 0x81 the opposite of the style (taken as on: styles are not hidden).
fn chpx_hides(grpprl: &[u8]) -> bool {
    let (mut deleted, mut vanish) = (false, false);
    let mut i = 0usize;
    while let Some(sprm) = u16_at(grpprl, i) {
        let op_at = i + 2;
        let Some(len) = operand_len(sprm, grpprl.get(op_at..).unwrap_or(&[])) else {
            break;
        };
        let on = matches!(grpprl.get(op_at), Some(1 | 0x81));
        match sprm {
            0x0800 => deleted = on,
            0x083C => vanish = on,
            _ => {}
        }
        i = op_at + len;
    }
    deleted || vanish
}

fn is_hidden(hidden: &[(u32, u32)], fc: u32) -> bool {
    if hidden.is_empty() {
        return false;
    }
    let k = hidden.partition_point(|&(from, _)| from <= fc);
    k > 0 && hidden.get(k - 1).is_some_and(|&(_, to)| fc < to)
}

/// The paragraph properties the reader uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Props {
    in_table: bool,
    /// The row-end mark of a table at depth 1.
    ttp: bool,
    /// Table depth (`sprmPItap`), 0 when not given.
    itap: i32,
    inner_ttp: bool,
    /// Cell boundaries (twips) of the row, from the row-end mark's `sprmTDefTable`.
    boundaries: Option<Vec<i16>>,
}

impl Props {
    fn depth(&self) -> i32 {
        if self.itap > 0 {
            self.itap
        } else if self.in_table {
            1
        } else {
            0
        }
    }

    /// Apply the sprms of a grpprl; parsing stops at the first malformed sprm. `data` is the
    /// `Data` stream, where `sprmPHugePapx` keeps the properties too large for an FKP.
    fn apply(&mut self, grpprl: &[u8], data: &[u8]) {
        let mut i = 0usize;
        while let Some(sprm) = u16_at(grpprl, i) {
            let op_at = i + 2;
            let Some(len) = operand_len(sprm, grpprl.get(op_at..).unwrap_or(&[])) else {
                return;
            };
            let Some(op) = op_at
                .checked_add(len)
                .and_then(|end| grpprl.get(op_at..end))
            else {
                return;
            };
            match sprm {
                0x2416 => self.in_table = op.first().is_some_and(|&b| b != 0),
                0x2417 => self.ttp = op.first().is_some_and(|&b| b != 0),
                0x244C => self.inner_ttp = op.first().is_some_and(|&b| b != 0),
                0x6649 => self.itap = u32_at(op, 0).map_or(0, |v| v.min(64) as i32),
                0x664A => {
                    let d = u32_at(op, 0).map_or(0, |v| v as i32).clamp(-64, 64);
                    self.itap = (self.itap + d).clamp(0, 64);
                }
                0xD608 => self.boundaries = tdef_boundaries(op),
                0x6646 => {
                    // sprmPHugePapx: the grpprl is in the Data stream (and holds no other).
                    let huge = u32_at(op, 0).and_then(|at| {
                        let at = at as usize;
                        let cb = usize::from(u16_at(data, at)?);
                        data.get(at + 2..(at + 2).checked_add(cb)?)
                    });
                    if let Some(g) = huge {
                        self.apply(g, &[]);
                    }
                }
                _ => {}
            }
            i = op_at + len;
        }
    }
}

/// The length of a sprm's operand ([MS-DOC] 2.2.5.1), given the bytes that follow the sprm.
fn operand_len(sprm: u16, rest: &[u8]) -> Option<usize> {
    Some(match sprm >> 13 {
        0 | 1 => 1,
        2 | 4 | 5 => 2,
        3 => 4,
        7 => 3,
        _ => match sprm {
            // sprmTDefTable, sprmTDefTable10: a 2-byte count of the bytes that follow, plus one.
            0xD608 | 0xD606 => 2 + usize::from(u16_at(rest, 0)?).checked_sub(1)?,
            // sprmPChgTabs: a count of 255 means the size is computed from the tab counts.
            0xC615 if *rest.first()? == 255 => {
                let del = usize::from(*rest.get(1)?);
                let add = usize::from(*rest.get(2 + 4 * del)?);
                2 + 4 * del + 1 + 3 * add
            }
            _ => 1 + usize::from(*rest.first()?),
        },
    })
}

/// The cell boundaries of a `TDefTableOperand` (`cb`, `itcMac`, `rgdxaCenter[itcMac + 1]`, …).
fn tdef_boundaries(op: &[u8]) -> Option<Vec<i16>> {
    let n = usize::from(*op.get(2)?);
    if n == 0 || n > 63 {
        return None;
    }
    (0..=n).map(|k| i16_at(op, 3 + 2 * k)).collect()
}

/// The paragraph properties from `PlcBtePapx` and the PAPX FKPs.
struct Papx<'a> {
    word: &'a [u8],
    /// FC boundaries (`n + 1`) and FKP page numbers (`n`).
    fcs: Vec<u32>,
    pages: Vec<u32>,
}

impl<'a> Papx<'a> {
    fn parse(word: &'a [u8], table: &[u8], at: (u32, u32)) -> Option<Papx<'a>> {
        let plc = fc_lcb(table, at, "").ok()?;
        if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(8) {
            return None;
        }
        let n = (plc.len() - 4) / 8;
        let fcs = (0..=n)
            .map(|k| u32_at(plc, 4 * k))
            .collect::<Option<Vec<_>>>()?;
        let pages = (0..n)
            .map(|k| u32_at(plc, 4 * (n + 1) + 4 * k).map(|pn| pn & 0x003F_FFFF))
            .collect::<Option<Vec<_>>>()?;
        Some(Papx { word, fcs, pages })
    }

    /// The grpprl of the paragraph whose mark is at `fc`, if any.
    fn grpprl(&self, fc: u32) -> Option<&'a [u8]> {
        let k = self.fcs.partition_point(|&f| f <= fc).checked_sub(1)?;
        let page_no = *self.pages.get(k)?;
        let start = (page_no as usize).checked_mul(512)?;
        let page = self.word.get(start..start + 512)?;
        let crun = usize::from(page[511]);
        if crun == 0 || (crun + 1) * 4 + crun * 13 > 511 {
            return None;
        }
        let rgfc: Vec<u32> = (0..=crun)
            .map(|j| u32_at(page, 4 * j))
            .collect::<Option<_>>()?;
        if fc < rgfc[0] || fc >= rgfc[crun] {
            return None;
        }
        let j = rgfc.partition_point(|&f| f <= fc).checked_sub(1)?;
        let b_offset = usize::from(*page.get((crun + 1) * 4 + j * 13)?) * 2;
        if b_offset == 0 {
            return Some(&[]);
        }
        let cb = usize::from(*page.get(b_offset)?);
        let (len, at) = if cb != 0 {
            ((2 * cb).checked_sub(1)?, b_offset + 1)
        } else {
            (2 * usize::from(*page.get(b_offset + 1)?), b_offset + 2)
        };
        // GrpPrlAndIstd: the style index, then the grpprl.
        let papx = page.get(at..(at + len).min(511))?;
        papx.get(2..)
    }
}

/// A parsed Word document: its paragraphs, each with its properties.
struct Word {
    paras: Vec<(Para, Props)>,
    /// The paragraph properties could not be read: tables are guessed from the marks.
    no_papx: bool,
}

impl Word {
    fn parse(word: &[u8], table: &[u8], data: &[u8]) -> Result<Word, ReadError> {
        let fib = Fib::parse(word)?;
        if table.is_empty() {
            return Err(damaged("缺少表格数据流（0Table/1Table）"));
        }
        let clx = parse_clx(table, fib.clx)?;
        let section_ends = section_ends(table, fib.plcf_sed);
        let hidden = hidden_ranges(word, table, fib.plcf_bte_chpx);
        let paras = paragraphs(word, &clx.pieces, fib.ccp_text, &section_ends, &hidden)?;
        let papx = Papx::parse(word, table, fib.plcf_bte_papx);
        let no_papx = papx.is_none();
        let paras = paras
            .into_iter()
            .map(|p| {
                let mut props = Props::default();
                if let (Some(papx), Some((fc, pi))) = (&papx, p.fc) {
                    if let Some(g) = papx.grpprl(fc) {
                        props.apply(g, data);
                    }
                    let prc = clx.pieces.get(pi).and_then(|pc| pc.prc);
                    if let Some(&(s, e)) = prc.and_then(|i| clx.prcs.get(i)) {
                        props.apply(table.get(s..e).unwrap_or(&[]), data);
                    }
                }
                (p, props)
            })
            .collect();
        Ok(Word { paras, no_papx })
    }

    fn document(self) -> Document {
        let mut doc = Document::new();
        let mut table: Vec<Row> = Vec::new();
        let mut cells: Vec<String> = Vec::new();
        let mut cell = String::new();
        let mut row_origin: Option<Origin> = None;
        let mut number = 0u32;
        let mut last_origin = Origin::line(1);
        let guess = self.no_papx;
        let mut guessed_rows = false;
        let mut prev_cell_mark = false;
        for (p, props) in self.paras {
            let depth = if guess {
                i32::from(p.mark == Mark::Cell)
            } else {
                props.depth()
            };
            let row_end = if guess {
                // Without properties, an empty cell paragraph right after a cell end is taken
                // for the row end (an empty last cell is then misread; a finding says so).
                p.mark == Mark::Cell && p.text.is_empty() && prev_cell_mark && cells.len() > 1
            } else {
                depth == 1 && props.ttp
            };
            if !(row_end || depth >= 2 && props.inner_ttp) {
                number += 1;
            }
            let origin = Origin::line(number.max(1));
            last_origin = origin;
            prev_cell_mark = p.mark == Mark::Cell && !row_end;
            guessed_rows |= guess && depth > 0;
            if depth == 0 {
                if !table.is_empty() || !cells.is_empty() || !cell.is_empty() {
                    if !cell.is_empty() {
                        cells.push(std::mem::take(&mut cell));
                    }
                    if !cells.is_empty() {
                        table.push(Row {
                            cells: std::mem::take(&mut cells),
                            boundaries: None,
                            origin: row_origin.take().unwrap_or(origin),
                        });
                    }
                    emit_table(&mut doc, std::mem::take(&mut table), origin);
                }
                doc.paragraph(&p.text, origin);
                continue;
            }
            if depth >= 2 && props.inner_ttp {
                continue;
            }
            let origin = *row_origin.get_or_insert(origin);
            if row_end {
                if !cell.is_empty() {
                    cells.push(std::mem::take(&mut cell));
                }
                table.push(Row {
                    cells: std::mem::take(&mut cells),
                    boundaries: props.boundaries,
                    origin,
                });
                row_origin = None;
                continue;
            }
            if !cell.is_empty() && !p.text.is_empty() {
                cell.push('\n');
            }
            cell.push_str(&p.text);
            if p.mark == Mark::Cell && depth == 1 {
                cells.push(std::mem::take(&mut cell));
            }
        }
        if !cell.is_empty() {
            cells.push(cell);
        }
        if !cells.is_empty() {
            table.push(Row {
                cells,
                boundaries: None,
                origin: row_origin.unwrap_or(last_origin),
            });
        }
        if !table.is_empty() {
            emit_table(&mut doc, table, last_origin);
        }
        if guessed_rows {
            doc.finding(Finding::new(
                "READ-DOC-TABLE",
                Severity::Warning,
                "DOC/WPS 文件的段落属性无法读取，表格的行由单元格标记推断，空白的末列单元格可能被误读",
            ));
        }
        doc
    }
}

/// The character positions where sections end (`PlcfSed`), sorted.
fn section_ends(table: &[u8], at: (u32, u32)) -> Vec<u32> {
    let Ok(plc) = fc_lcb(table, at, "") else {
        return Vec::new();
    };
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(16) {
        return Vec::new();
    }
    let n = (plc.len() - 4) / 16;
    let mut cps: Vec<u32> = (1..=n).filter_map(|k| u32_at(plc, 4 * k)).collect();
    cps.sort_unstable();
    cps
}

/// A table row as read: its cells' text, its cell boundaries when known, its origin.
#[derive(Debug, Clone)]
struct Row {
    cells: Vec<String>,
    boundaries: Option<Vec<i16>>,
    origin: Origin,
}

/// Boundaries closer than this (twips, 1/1440 inch; 30 ≈ 0.5 mm) are one grid line.
const GRID_TOLERANCE: i32 = 30;

/// Print a table's rows on its column grid, then an empty line.
fn emit_table(doc: &mut Document, rows: Vec<Row>, after: Origin) {
    // The grid lines: every row boundary, those within the tolerance taken as one.
    let mut all: Vec<i32> = rows
        .iter()
        .filter(|r| {
            r.boundaries
                .as_ref()
                .is_some_and(|b| b.len() == r.cells.len() + 1)
        })
        .flat_map(|r| r.boundaries.iter().flatten().map(|&b| i32::from(b)))
        .collect();
    all.sort_unstable();
    let mut lines: Vec<(i32, i32)> = Vec::new(); // (first, last) of each cluster
    for b in all {
        match lines.last_mut() {
            Some((_, last)) if b - *last <= GRID_TOLERANCE => *last = b,
            _ => lines.push((b, b)),
        }
    }
    let grid_index = |b: i16| -> usize {
        let b = i32::from(b);
        lines.partition_point(|&(_, last)| last < b)
    };
    for row in rows {
        match &row.boundaries {
            Some(b) if b.len() == row.cells.len() + 1 => {
                let mut fields: Vec<&str> = Vec::new();
                for (k, text) in row.cells.iter().enumerate() {
                    let span = grid_index(b[k + 1]).saturating_sub(grid_index(b[k])).max(1);
                    fields.push(text);
                    fields.extend(std::iter::repeat_n("", span - 1));
                }
                doc.table_row(&fields, row.origin);
            }
            _ => doc.table_row(&row.cells, row.origin),
        }
    }
    doc.blank(after);
}

#[cfg(test)]
mod tests;
