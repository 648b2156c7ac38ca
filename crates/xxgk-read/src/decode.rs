//! Bytes → normalized lines.
//!
//! Encoding is decided from the content: a BOM (UTF-8, UTF-16LE/BE), else valid UTF-8, else
//! UTF-16 without BOM (many NUL bytes on one parity), else GB18030 (a superset of GBK and GB2312).
//! Binary containers (PDF, ZIP/DOCX, OLE .doc/.wps) are recognised by their magic bytes and
//! refused with a clear error until their readers exist.
//!
//! Normalization is per line and never changes the number of lines, so a line number is the same
//! in the normalized text and in the file. Within a line, characters map one to one except that
//! `&nbsp;`-style entities shrink to one character and zero-width characters are dropped; in a
//! Markdown document a heading's `#` marker and backslash escapes are dropped (`markdown_line`).

use std::borrow::Cow;

use crate::ReadError;

/// Text decoded from a file, split into normalized lines.
#[derive(Debug, Clone)]
pub struct Text {
    /// The encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// Normalized lines, without line terminators. `lines[0]` is line 1.
    pub lines: Vec<String>,
}

/// The largest input read as text (a report is 6–30 KB; 32 MB leaves room for a whole
/// concatenated batch while bounding memory).
pub const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;

/// Decode `bytes` and normalize every line.
pub fn decode(bytes: &[u8]) -> Result<Text, ReadError> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: MAX_TEXT_BYTES,
        });
    }
    let (raw, encoding) = decode_raw(bytes)?;
    if raw.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    // Most files hold no character that normalization maps (no entity, no full-width digit…):
    // one look at the whole text, and each line is copied as it is (less a '\r').
    let plain = !raw.contains('&') && (raw.is_ascii() || unchanged(&raw));
    let mut lines: Vec<String> =
        Vec::with_capacity(memchr::memchr_iter(b'\n', raw.as_bytes()).count() + 1);
    if plain {
        lines.extend(lines_of(&raw).map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()));
    } else {
        lines.extend(lines_of(&raw).map(normalize_line));
    }
    if looks_like_markdown(&lines) {
        for line in &mut lines {
            // Most lines have neither a heading marker nor an escape: kept, not copied.
            if line.contains('\\') || atx_marker_len(line).is_some() {
                *line = markdown_line(line);
            }
        }
    }
    Ok(Text { encoding, lines })
}

/// `text.split('\n')`, the line breaks found by `memchr` (one search per line cost more in
/// setting up than in searching: most lines are short).
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain([None])
        .map(move |nl| {
            let end = nl.unwrap_or(text.len());
            // '\n' is ASCII: `start` and `end` are character boundaries.
            let line = &text[start..end];
            start = end + 1;
            line
        })
}

fn sniff_container(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF") {
        Some("PDF")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("ZIP/DOCX")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("DOC/WPS")
    } else {
        None
    }
}

/// The text of `bytes` and its encoding's name; borrowed when the bytes are UTF-8 already.
pub(crate) fn decode_raw(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), ReadError> {
    if let Some(kind) = sniff_container(bytes) {
        return Err(ReadError::Unsupported { kind });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match utf8(rest) {
            Some(s) => Ok((Cow::Borrowed(s), "UTF-8")),
            None => owned(lossy_checked(encoding_rs::UTF_8, rest, "UTF-8")),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return owned(lossy_checked(
            encoding_rs::UTF_16LE,
            &bytes[2..],
            "UTF-16LE",
        ));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return owned(lossy_checked(
            encoding_rs::UTF_16BE,
            &bytes[2..],
            "UTF-16BE",
        ));
    }
    if let Some(s) = utf8(bytes) {
        if memchr::memchr(0, bytes).is_none() {
            return Ok((Cow::Borrowed(s), "UTF-8"));
        }
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let name = if enc == encoding_rs::UTF_16LE {
            "UTF-16LE"
        } else {
            "UTF-16BE"
        };
        return owned(lossy_checked(enc, bytes, name));
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(ReadError::Binary);
    }
    owned(lossy_checked(encoding_rs::GB18030, bytes, "GB18030"))
}

/// `bytes` as UTF-8 if they are valid: `std::str::from_utf8`, SIMD-accelerated.
fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

fn owned(
    r: Result<(String, &'static str), ReadError>,
) -> Result<(Cow<'static, str>, &'static str), ReadError> {
    r.map(|(s, name)| (Cow::Owned(s), name))
}

/// UTF-16 without a BOM: text of CJK and ASCII has a NUL in most ASCII code units, all on one
/// parity; text of mostly Chinese has few NULs (a line break's) but nearly all its code units,
/// read in the right byte order, are characters a report prints (ASCII, CJK, full-width forms
/// and punctuation), in the wrong order hardly any. A trailing odd byte is ignored here (the
/// decoder then reports it as one undecodable sequence).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 {
        return None;
    }
    let bytes = &bytes[..bytes.len() & !1];
    let pairs = bytes.len() / 2;
    let even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd * 10 > pairs && even * 50 < pairs {
        return Some(encoding_rs::UTF_16LE);
    } else if even * 10 > pairs && odd * 50 < pairs {
        return Some(encoding_rs::UTF_16BE);
    }
    let plausible = |unit: u16| {
        matches!(unit,
            0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xFF | 0x2000..=0x206F | 0x2100..=0x27FF
            | 0x3000..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF)
    };
    let score = |le: bool| {
        bytes
            .chunks_exact(2)
            .filter(|p| {
                let unit = if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                };
                plausible(unit)
            })
            .count()
    };
    let (le, be) = (score(true), score(false));
    if le * 10 >= pairs * 9 && le > be {
        Some(encoding_rs::UTF_16LE)
    } else if be * 10 >= pairs * 9 && be > le {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Decode, refusing text with more than a handful of undecodable sequences.
pub(crate) fn lossy_checked(
    enc: &'static encoding_rs::Encoding,
    bytes: &[u8],
    name: &'static str,
) -> Result<(String, &'static str), ReadError> {
    let (s, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        let bad = s.chars().filter(|c| *c == '\u{FFFD}').count();
        let total = s.chars().count().max(1);
        if bad * 100 > total {
            return Err(ReadError::Encoding);
        }
    }
    Ok((s.into_owned(), name))
}

/// Normalize one line: drop `\r`, map full-width digits, letters' punctuation used in numbers and
/// spaces to ASCII, turn non-breaking spaces and their HTML entities into spaces, drop
/// zero-width characters. Chinese punctuation (（）、：) is kept; label matching folds it.
pub fn normalize_line(line: &str) -> String {
    let line = line.strip_suffix('\r').unwrap_or(line);
    // Fast path: most lines hold none of the characters mapped below (an entity starts with
    // '&'; every other mapped character is outside ASCII and is checked exactly).
    if !line.contains('&') && (line.is_ascii() || unchanged(line)) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            if let Some((entity, len)) = entity_at(rest) {
                out.push(entity);
                rest = &rest[len..];
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '\u{FF10}'..='\u{FF19}' => {
                out.push(char::from(b'0' + (c as u32 - 0xFF10) as u8));
            }
            '\u{3000}' | '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{202F}' => {
                out.push(' ')
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{2060}' => {}
            '\u{FF0E}' => out.push('.'),
            '\u{FF0D}' | '\u{2212}' => out.push('-'),
            '\u{FF0B}' => out.push('+'),
            '\u{FF0C}' if prev_is_digit(&out) && rest.starts_with(|n: char| n.is_ascii_digit()) => {
                out.push(',')
            }
            '\u{FF05}' => out.push('%'),
            _ => out.push(c),
        }
    }
    out
}

/// Whether [`normalize_line`] leaves a line without '&' as it is: no character it maps or
/// drops, and no full-width comma between two ASCII digits.
fn unchanged(line: &str) -> bool {
    // Every character mapped or dropped is encoded in UTF-8 with one of these lead bytes (U+00A0:
    // 0xC2; U+2002–U+2212: 0xE2; U+3000: 0xE3; U+FEFF and U+FF05–U+FF19: 0xEF), and is told from
    // the other characters with those lead bytes (Chinese punctuation: “”、。（），：) by its next
    // bytes, without decoding it. These bytes are never continuation bytes, so each is the start
    // of a character; most Chinese text (U+4E00–U+9FFF: lead bytes 0xE4–0xE9) is passed over.
    let b = line.as_bytes();
    // U+00A0 (C2 A0): one search for the pair.
    if memchr::memmem::find(b, "\u{A0}".as_bytes()).is_some() {
        return false;
    }
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    // The other lead bytes are found by memchr (SIMD; they start Chinese punctuation and spaces,
    // a few in a hundred bytes) and each is looked at with its next bytes.
    for i0 in memchr::memchr3_iter(0xE2, 0xE3, 0xEF, b) {
        let mapped = match b[i0] {
            // U+2002, U+2003, U+2009, U+200B–U+200D, U+202F; U+2060; U+2212
            0xE2 => matches!(
                (at(i0 + 1), at(i0 + 2)),
                (0x80, 0x82 | 0x83 | 0x89 | 0x8B..=0x8D | 0xAF) | (0x81, 0xA0) | (0x88, 0x92)
            ),
            // U+3000
            0xE3 => at(i0 + 1) == 0x80 && at(i0 + 2) == 0x80,
            _ => match (at(i0 + 1), at(i0 + 2)) {
                // U+FEFF
                (0xBB, 0xBF) => true,
                // U+FF05, U+FF0B, U+FF0D, U+FF0E, U+FF10–U+FF19
                (0xBC, 0x85 | 0x8B | 0x8D | 0x8E | 0x90..=0x99) => true,
                // U+FF0C, the full-width comma, between two ASCII digits (an ASCII byte is a
                // whole character)
                (0xBC, 0x8C) => i0 > 0 && b[i0 - 1].is_ascii_digit() && at(i0 + 3).is_ascii_digit(),
                _ => false,
            },
        };
        if mapped {
            return false;
        }
    }
    true
}

/// Whether [`normalize_line`] maps or drops `c` (outside entities), the full-width comma aside:
/// the reference `unchanged` is tested against.
#[cfg(test)]
fn is_mapped(c: char) -> bool {
    matches!(
        c,
        '\u{FF10}'
            ..='\u{FF19}'
                | '\u{3000}'
                | '\u{00A0}'
                | '\u{2002}'
                | '\u{2003}'
                | '\u{2009}'
                | '\u{202F}'
                | '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{FEFF}'
                | '\u{2060}'
                | '\u{FF0E}'
                | '\u{FF0D}'
                | '\u{2212}'
                | '\u{FF0B}'
                | '\u{FF05}'
    )
}

/// The length of a Markdown ATX heading marker at the start of `line` ("## " or a bare "#"):
/// up to three spaces, one to six `#`, then a space or the end of the line.
fn atx_marker_len(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let after = &rest[hashes..];
    if after.is_empty() {
        return Some(indent + hashes);
    }
    after
        .starts_with([' ', '\t'])
        .then(|| line.len() - after.trim_start().len())
}

/// Whether the lines are a Markdown document: an ATX heading ("# 标题") or a pipe table's
/// delimiter row ("|---|---|").
fn looks_like_markdown(lines: &[String]) -> bool {
    lines.iter().any(|l| {
        // Both forms start, after whitespace, with '#' or '|': a line starting with any other
        // character that is not whitespace (most lines: a Chinese character, a digit, "（") is
        // neither.
        let could_be = l
            .as_bytes()
            .first()
            .is_some_and(|&b| matches!(b, b'#' | b'|') || crate::spaces::may_start_space(b));
        could_be
            && (atx_marker_len(l).is_some() || {
                let t = crate::spaces::trim(l);
                t.starts_with('|')
                    && t.contains("---")
                    && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
            })
    })
}

/// A line of a Markdown document as its text reads: the heading marker dropped and backslash
/// escapes of ASCII punctuation resolved ("1\." → "1.", "\#" → "#"), except `\|`, which the
/// table reader splits on. A report in Markdown (and xxgk's own Markdown output, which escapes
/// what would otherwise start markup) then reads as its printed text.
pub(crate) fn markdown_line(line: &str) -> String {
    let line = match atx_marker_len(line) {
        Some(n) => line[n..].trim_end().trim_end_matches('#').trim_end(),
        None => line,
    };
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_punctuation() && n != '|' {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn prev_is_digit(s: &str) -> bool {
    s.chars().last().is_some_and(|c| c.is_ascii_digit())
}

/// HTML entities that survive in text copied from web pages.
fn entity_at(s: &str) -> Option<(char, usize)> {
    const ENTITIES: &[(&str, char)] = &[
        ("&nbsp;", ' '),
        ("&NBSP;", ' '),
        ("&#160;", ' '),
        ("&#xa0;", ' '),
        ("&#xA0;", ' '),
        ("&ensp;", ' '),
        ("&emsp;", ' '),
        ("&#12288;", ' '),
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&ldquo;", '“'),
        ("&rdquo;", '”'),
        ("&mdash;", '—'),
    ];
    ENTITIES
        .iter()
        .find(|(e, _)| s.starts_with(e))
        .map(|(e, c)| (*c, e.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_test_looks_past_every_leading_character_it_should() {
        let full = |l: &str| {
            atx_marker_len(l).is_some() || {
                let t = l.trim();
                t.starts_with('|')
                    && t.contains("---")
                    && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
            }
        };
        for c in (0u32..0x3100)
            .chain(0xFE00..0x10000)
            .filter_map(char::from_u32)
        {
            for rest in [
                "# 标题",
                "| --- | --- |",
                "|---|",
                "## ",
                "#",
                "一、总体情况",
            ] {
                for line in [format!("{c}{rest}"), format!("{c}{c}{rest}"), c.to_string()] {
                    let lines = [line];
                    assert_eq!(
                        looks_like_markdown(&lines),
                        full(&lines[0]),
                        "{:?}",
                        lines[0]
                    );
                }
            }
        }
    }

    /// The character-by-character form of [`unchanged`] it replaced (the reference).
    fn unchanged_by_chars(line: &str) -> bool {
        let mut prev: Option<char> = None;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if is_mapped(c) {
                return false;
            }
            if c == '\u{FF0C}'
                && prev.is_some_and(|p| p.is_ascii_digit())
                && chars.peek().is_some_and(|n| n.is_ascii_digit())
            {
                return false;
            }
            prev = Some(c);
        }
        true
    }

    #[test]
    fn unchanged_looks_at_every_character_that_matters() {
        for cp in 0u32..0x11000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for line in [
                format!("{c}"),
                format!("1{c}2"),
                format!("年{c}"),
                format!("{c}，3，4"),
                format!("x{c}{c}中"),
            ] {
                assert_eq!(unchanged(&line), unchanged_by_chars(&line), "{line:?}");
            }
        }
        assert!(!unchanged("共1，234件"));
        assert!(unchanged("共1，中"));
    }

    /// The fast path of `normalize_line` leaves exactly the lines the full loop leaves.
    #[test]
    fn lines_without_mapped_characters_are_kept_as_they_are() {
        for line in [
            "本机关共收到申请12件，办结10件。",
            "plain ascii 1,234",
            "12，不是数字",
        ] {
            assert!(unchanged(line), "{line}");
            assert_eq!(normalize_line(line), line);
        }
        // A full-width comma between two ASCII digits, full-width digits, an ideographic space:
        // each takes the full loop.
        assert!(!unchanged("1，234"));
        assert_eq!(normalize_line("1，234"), "1,234");
        assert!(!unchanged("１２件"));
        assert_eq!(normalize_line("１２件"), "12件");
        assert!(!unchanged("总计\u{3000}5"));
        assert_eq!(normalize_line("a&nbsp;b\r"), "a b");
    }

    #[test]
    fn markdown_headings_and_escapes_read_as_text() {
        let md = "# 某局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n### （一）主动公开\n\n1\\. 本年度\\#公开\\[条\\]\n\n| 规章 \\| 0 |\n|---|---|\n";
        let t = decode(md.as_bytes()).unwrap();
        assert_eq!(t.lines[0], "某局2024年政府信息公开工作年度报告");
        assert_eq!(t.lines[2], "一、总体情况");
        assert_eq!(t.lines[4], "（一）主动公开");
        assert_eq!(t.lines[6], "1. 本年度#公开[条]");
        // A pipe stays escaped for the table reader.
        assert_eq!(t.lines[8], "| 规章 \\| 0 |");
        // Plain text is left alone: no heading, no table, so no unescaping.
        let t = decode("一、总体情况\n路径 C:\\#1\n".as_bytes()).unwrap();
        assert_eq!(t.lines[1], "路径 C:\\#1");
        // "#1" is not a heading marker (no space after it).
        assert_eq!(atx_marker_len("#1号文件"), None);
        assert_eq!(atx_marker_len("   ## 二、"), Some(6));
        assert_eq!(atx_marker_len("    # 代码"), None);
    }

    #[test]
    fn lines_of_splits_as_str_split_splits() {
        for text in ["", "\n", "a", "a\n", "\na", "一\n\n二\r\n三", "\n\n\n"] {
            let got: Vec<&str> = lines_of(text).collect();
            let expected: Vec<&str> = text.split('\n').collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }

    /// The whole-text look (no line needs normalizing) gives the lines `normalize_line` gives,
    /// whatever mix of mapped characters, entities, commas and line ends the text has.
    #[test]
    fn the_whole_text_shortcut_normalizes_as_each_line_would() {
        let pieces = [
            "一", "1", "，", "\r", "\n", "\r\n", "&nbsp;", "&", "\u{3000}", "１", "\u{200B}", "。",
            "a", " ",
        ];
        let texts = crate::every_string_of(&pieces, 4);
        for s in &texts {
            let text = format!("总{s}");
            let expected: Vec<String> = text.split('\n').map(normalize_line).collect();
            let got = decode(text.as_bytes()).expect("text").lines;
            assert_eq!(got, expected, "{text:?}");
        }
        let n = texts.len();
        assert!(n > 40_000);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let t = decode("一、总体情况\r\n0".as_bytes()).unwrap();
        assert_eq!(t.encoding, "UTF-8");
        assert_eq!(t.lines, vec!["一、总体情况", "0"]);
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("规章\t0".as_bytes());
        assert_eq!(decode(&b).unwrap().lines, vec!["规章\t0"]);
    }

    #[test]
    fn gb18030_and_utf16() {
        let s = "行政许可\t３\n总计 12";
        let (gb, _, _) = encoding_rs::GB18030.encode(s);
        let t = decode(&gb).unwrap();
        assert_eq!(t.encoding, "GB18030");
        assert_eq!(t.lines, vec!["行政许可\t3", "总计 12"]);

        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap().lines, vec!["行政许可\t3", "总计 12"]);
        let mut be = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn full_width_digits_spaces_and_entities() {
        assert_eq!(normalize_line("１２３　４&nbsp;5"), "123 4 5");
        assert_eq!(normalize_line("－８"), "-8");
        assert_eq!(normalize_line("a\u{200B}b"), "ab");
        assert_eq!(normalize_line("1，234"), "1,234");
        assert_eq!(normalize_line("，好"), "，好");
    }

    #[test]
    fn containers_and_binary_are_refused() {
        assert!(matches!(
            decode(b"%PDF-1.7 ..."),
            Err(ReadError::Unsupported { kind: "PDF" })
        ));
        assert!(matches!(
            decode(b"PK\x03\x04...."),
            Err(ReadError::Unsupported { .. })
        ));
        assert!(decode(b"\x00\x01\x02\x03\x00\x00\x05").is_err());
        assert!(matches!(decode(b"  \n "), Err(ReadError::Empty)));
    }
}
