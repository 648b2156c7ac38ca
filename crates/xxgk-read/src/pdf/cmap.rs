//! CMaps: a font's ToUnicode map (codes → Unicode text) and how the predefined CJK encodings
//! cut a string into codes.

use std::collections::HashMap;

/// Most entries one ToUnicode CMap may define (a full CJK font has about 30,000).
const MAX_ENTRIES: usize = 200_000;

/// One codespace range: codes of `len` bytes from `lo` to `hi` (compared byte by byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRange {
    pub len: u8,
    pub lo: u32,
    pub hi: u32,
}

impl CodeRange {
    fn contains(&self, bytes: &[u8]) -> bool {
        let n = self.len as usize;
        if bytes.len() < n {
            return false;
        }
        // Byte by byte: each byte within the range's bytes at that position.
        (0..n).all(|i| {
            let shift = 8 * (n - 1 - i);
            let lo = (self.lo >> shift) as u8;
            let hi = (self.hi >> shift) as u8;
            (lo..=hi).contains(&bytes[i])
        })
    }
}

/// A parsed ToUnicode CMap.
#[derive(Debug, Default, Clone)]
pub struct ToUnicode {
    /// Key: code length in bytes << 32 | code.
    map: HashMap<u64, String>,
    pub codespace: Vec<CodeRange>,
}

fn key(len: usize, code: u32) -> u64 {
    ((len as u64) << 32) | u64::from(code)
}

impl ToUnicode {
    /// The text of a code of `len` bytes.
    pub fn get(&self, len: usize, code: u32) -> Option<&str> {
        self.map.get(&key(len, code)).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Length of the code at the start of `bytes` by the codespace ranges, if they say.
    pub fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        self.codespace
            .iter()
            .find(|r| r.contains(bytes))
            .map(|r| r.len as usize)
    }

    /// The number of codes mapped.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Parse the text of a CMap stream. Unknown or broken parts are skipped; never panics.
    #[cfg(test)]
    pub fn parse(data: &[u8]) -> ToUnicode {
        ToUnicode::parse_at_most(data, MAX_ENTRIES)
    }

    /// [`ToUnicode::parse`], making at most `limit` entries (and never more than
    /// [`MAX_ENTRIES`]). The limit counts entries made, not entries kept: ranges that define
    /// the same codes again and again (a small file can repeat a 65,536-code range a million
    /// times) stop at it too.
    pub fn parse_at_most(data: &[u8], limit: usize) -> ToUnicode {
        let mut limit = limit.min(MAX_ENTRIES);
        let mut cmap = ToUnicode::default();
        let mut lex = Lexer { data, pos: 0 };
        let mut ops: Vec<Tok> = Vec::new();
        while let Some(tok) = lex.next() {
            match tok {
                Tok::Word(b"begincodespacerange") => {
                    ops.clear();
                    while let Some(t) = lex.next() {
                        if matches!(t, Tok::Word(_)) {
                            break;
                        }
                        ops.push(t);
                    }
                    for pair in ops.chunks_exact(2) {
                        if let (Tok::Hex(lo), Tok::Hex(hi)) = (&pair[0], &pair[1]) {
                            if lo.len() == hi.len() && (1..=4).contains(&lo.len()) {
                                cmap.codespace.push(CodeRange {
                                    len: lo.len() as u8,
                                    lo: be(lo),
                                    hi: be(hi),
                                });
                            }
                        }
                    }
                }
                Tok::Word(b"beginbfchar") => {
                    ops.clear();
                    while let Some(t) = lex.next() {
                        if matches!(t, Tok::Word(_)) {
                            break;
                        }
                        ops.push(t);
                    }
                    for pair in ops.chunks_exact(2) {
                        if let (Tok::Hex(src), Some(text)) = (&pair[0], dest_text(&pair[1])) {
                            if (1..=4).contains(&src.len()) && limit > 0 {
                                limit -= 1;
                                cmap.map.insert(key(src.len(), be(src)), text);
                            }
                        }
                    }
                }
                Tok::Word(b"beginbfrange") => {
                    ops.clear();
                    while let Some(t) = lex.next() {
                        if matches!(t, Tok::Word(_)) {
                            break;
                        }
                        ops.push(t);
                    }
                    for triple in ops.chunks_exact(3) {
                        cmap.range(&triple[0], &triple[1], &triple[2], &mut limit);
                    }
                }
                _ => {}
            }
        }
        cmap
    }

    /// Define the codes of a `bfrange`, at most `limit` of them (decreased by those made).
    fn range(&mut self, lo: &Tok, hi: &Tok, dest: &Tok, limit: &mut usize) {
        let (Tok::Hex(lo), Tok::Hex(hi)) = (lo, hi) else {
            return;
        };
        if lo.len() != hi.len() || !(1..=4).contains(&lo.len()) {
            return;
        }
        let len = lo.len();
        let (lo, hi) = (be(lo), be(hi));
        if hi < lo || (hi - lo) as usize > 0xFFFF || *limit == 0 {
            return;
        }
        match dest {
            Tok::Hex(d) => {
                let units = utf16_units(d);
                for (i, code) in (lo..=hi).enumerate().take(*limit) {
                    *limit -= 1;
                    if let Some(text) = offset_text(&units, i as u32) {
                        self.map.insert(key(len, code), text);
                    }
                }
            }
            Tok::Array(items) => {
                for (code, item) in (lo..=hi).zip(items).take(*limit) {
                    *limit -= 1;
                    if let Some(text) = dest_text(item) {
                        self.map.insert(key(len, code), text);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Big-endian integer of up to 4 bytes.
fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| match c {
            [a, b] => u16::from_be_bytes([*a, *b]),
            [a] => u16::from(*a),
            _ => 0,
        })
        .collect()
}

/// UTF-16BE text (surrogate pairs allowed) → String; `None` when empty or invalid.
pub fn utf16_text(units: &[u16]) -> Option<String> {
    let s: String = char::decode_utf16(units.iter().copied())
        .collect::<Result<String, _>>()
        .ok()?;
    (!s.is_empty()).then_some(s)
}

/// The destination of a bfrange entry `i` codes after its first: the last character advanced.
fn offset_text(units: &[u16], i: u32) -> Option<String> {
    let mut chars: Vec<char> = char::decode_utf16(units.iter().copied())
        .collect::<Result<Vec<char>, _>>()
        .ok()?;
    let last = chars.pop()?;
    chars.push(char::from_u32(u32::from(last).checked_add(i)?)?);
    Some(chars.into_iter().collect())
}

fn dest_text(tok: &Tok) -> Option<String> {
    match tok {
        Tok::Hex(d) => utf16_text(&utf16_units(d)),
        Tok::Name(n) => crate::pdf::font::glyph_name_char(n).map(String::from),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Name(&'a [u8]),
    Word(&'a [u8]),
    Array(Vec<Tok<'a>>),
    Other,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Option<Tok<'a>> {
        self.next_at(0)
    }

    fn next_at(&mut self, depth: usize) -> Option<Tok<'a>> {
        let d = self.data;
        loop {
            let b = *d.get(self.pos)?;
            if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < d.len() && !matches!(d[self.pos], b'\n' | b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let b = d[self.pos];
        match b {
            b'<' if d.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Some(Tok::Other)
            }
            b'>' => {
                self.pos += 1;
                if d.get(self.pos) == Some(&b'>') {
                    self.pos += 1;
                }
                Some(Tok::Other)
            }
            b'<' => {
                self.pos += 1;
                let mut out = Vec::new();
                let mut half: Option<u8> = None;
                while let Some(&c) = d.get(self.pos) {
                    self.pos += 1;
                    if c == b'>' {
                        break;
                    }
                    let v = match c {
                        b'0'..=b'9' => c - b'0',
                        b'a'..=b'f' => c - b'a' + 10,
                        b'A'..=b'F' => c - b'A' + 10,
                        _ => continue,
                    };
                    match half.take() {
                        Some(h) => out.push(h << 4 | v),
                        None => half = Some(v),
                    }
                }
                if let Some(h) = half {
                    out.push(h << 4);
                }
                Some(Tok::Hex(out))
            }
            b'[' => {
                self.pos += 1;
                if depth >= 8 {
                    return Some(Tok::Other);
                }
                let mut items = Vec::new();
                loop {
                    while d.get(self.pos).is_some_and(|c| c.is_ascii_whitespace()) {
                        self.pos += 1;
                    }
                    match d.get(self.pos) {
                        None => break,
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(_) => match self.next_at(depth + 1) {
                            Some(t) => items.push(t),
                            None => break,
                        },
                    }
                }
                Some(Tok::Array(items))
            }
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while d
                    .get(self.pos)
                    .is_some_and(|&c| !c.is_ascii_whitespace() && !is_delim(c))
                {
                    self.pos += 1;
                }
                Some(Tok::Name(&d[start..self.pos]))
            }
            b'(' => {
                // Literal strings are not used by ToUnicode maps in practice: skip them.
                let mut level = 0usize;
                while let Some(&c) = d.get(self.pos) {
                    self.pos += 1;
                    match c {
                        b'\\' => self.pos += 1,
                        b'(' => level += 1,
                        b')' => {
                            level = level.saturating_sub(1);
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                Some(Tok::Other)
            }
            _ if is_delim(b) => {
                self.pos += 1;
                Some(Tok::Other)
            }
            _ => {
                let start = self.pos;
                while d
                    .get(self.pos)
                    .is_some_and(|&c| !c.is_ascii_whitespace() && !is_delim(c))
                {
                    self.pos += 1;
                }
                let w = &d[start..self.pos];
                if w.first()
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'-' || *c == b'.')
                {
                    Some(Tok::Other)
                } else {
                    Some(Tok::Word(w))
                }
            }
        }
    }
}

/// How a predefined CMap of a composite font cuts strings into codes, and what the codes mean
/// when the font has no ToUnicode map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predefined {
    /// Identity-H / Identity-V: 2-byte codes that are CIDs (no Unicode without ToUnicode).
    Identity,
    /// UniGB-UCS2-H and the like: 2-byte UCS-2 codes.
    Ucs2,
    /// UniGB-UTF16-H and the like: UTF-16BE, 2 or 4 bytes.
    Utf16,
    /// GBK-EUC-H, GBKp-EUC-H, GBK2K-H: 1 byte below 0x81, else 2 bytes of GBK.
    Gbk,
    /// GB-EUC-H: 1 byte below 0xA1, else 2 bytes of GB 2312 (a subset of GBK).
    GbEuc,
}

impl Predefined {
    /// The predefined CMap of this name, if it is one this reader knows.
    pub fn from_name(name: &[u8]) -> Option<Predefined> {
        let n = name
            .strip_suffix(b"-H")
            .or_else(|| name.strip_suffix(b"-V"))?;
        Some(match n {
            b"Identity" => Predefined::Identity,
            b"UniGB-UCS2" | b"UniCNS-UCS2" | b"UniJIS-UCS2" | b"UniKS-UCS2" => Predefined::Ucs2,
            b"UniGB-UTF16" | b"UniCNS-UTF16" | b"UniJIS-UTF16" | b"UniKS-UTF16" => {
                Predefined::Utf16
            }
            b"GBK-EUC" | b"GBKp-EUC" | b"GBK2K" => Predefined::Gbk,
            b"GB-EUC" | b"GBpc-EUC" | b"GBT-EUC" => Predefined::GbEuc,
            _ => return None,
        })
    }

    /// The length of the code at the start of `bytes` (at least 1).
    pub fn code_len(self, bytes: &[u8]) -> usize {
        let first = bytes.first().copied().unwrap_or(0);
        let n = match self {
            Predefined::Identity | Predefined::Ucs2 => 2,
            Predefined::Utf16 => {
                if (0xD8..=0xDB).contains(&first) {
                    4
                } else {
                    2
                }
            }
            Predefined::Gbk => {
                if first < 0x81 {
                    1
                } else {
                    2
                }
            }
            Predefined::GbEuc => {
                if first < 0xA1 {
                    1
                } else {
                    2
                }
            }
        };
        n.min(bytes.len()).max(1)
    }

    /// The text of a code without ToUnicode map, where the encoding itself says.
    pub fn text(self, code: &[u8]) -> Option<String> {
        match self {
            Predefined::Identity => None,
            Predefined::Ucs2 | Predefined::Utf16 => utf16_text(&utf16_units(code)),
            Predefined::Gbk | Predefined::GbEuc => {
                if code.len() == 1 {
                    return (code[0] < 0x80).then(|| char::from(code[0]).to_string());
                }
                let (s, _, bad) = encoding_rs::GBK.decode(code);
                (!bad && !s.is_empty()).then(|| s.into_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_and_bfrange_with_hex_and_array_destinations() {
        let cmap = ToUnicode::parse(
            b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
              1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
              3 beginbfchar\n<0611> <6DEE>\n<0003> <0020>\n<0010><002D>\nendbfchar\n\
              2 beginbfrange\n<0013> <0015> <0030>\n<0100> <0102> [<4E00> <4E8C> <4E09>]\nendbfrange\n\
              endcmap\n",
        );
        assert_eq!(cmap.get(2, 0x0611), Some("淮"));
        assert_eq!(cmap.get(2, 0x0003), Some(" "));
        assert_eq!(cmap.get(2, 0x0010), Some("-"));
        assert_eq!(cmap.get(2, 0x0013), Some("0"));
        assert_eq!(cmap.get(2, 0x0015), Some("2"));
        assert_eq!(cmap.get(2, 0x0016), None);
        assert_eq!(cmap.get(2, 0x0101), Some("二"));
        assert_eq!(cmap.get(2, 0x0102), Some("三"));
        assert_eq!(cmap.get(1, 0x13), None, "length is part of the code");
        assert_eq!(cmap.code_len(&[0x06, 0x11]), Some(2));
    }

    #[test]
    fn surrogates_and_ligatures() {
        let cmap = ToUnicode::parse(
            b"1 beginbfchar <01> <D840DC00> endbfchar 1 beginbfchar <02> <00660069> endbfchar\n\
              1 beginbfrange <03> <04> <D840DC00> endbfrange",
        );
        assert_eq!(cmap.get(1, 1), Some("\u{20000}"));
        assert_eq!(cmap.get(1, 2), Some("fi"));
        assert_eq!(cmap.get(1, 4), Some("\u{20001}"));
    }

    #[test]
    fn mixed_codespace_lengths() {
        let cmap =
            ToUnicode::parse(b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange");
        assert_eq!(cmap.code_len(b"A\x81\x40"), Some(1));
        assert_eq!(cmap.code_len(b"\xB0\xA1"), Some(2));
        assert_eq!(cmap.code_len(b"\xFF"), None);
    }

    #[test]
    fn broken_cmaps_do_not_panic() {
        for data in [
            &b"beginbfrange <00> <FFFFFFFF> <0041> endbfrange"[..],
            b"beginbfchar <",
            b"beginbfrange [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            b"begincodespacerange <00> endcodespacerange",
            b"beginbfrange <0000> <0002> [<> <D800>] endbfrange",
            b"((((\\",
        ] {
            let _ = ToUnicode::parse(data);
        }
        let c = ToUnicode::parse(b"beginbfrange <0000> <0002> [<> <D800>] endbfrange");
        assert!(c.is_empty());
    }

    #[test]
    fn predefined_gb_cmaps() {
        assert_eq!(Predefined::from_name(b"GBK-EUC-H"), Some(Predefined::Gbk));
        assert_eq!(
            Predefined::from_name(b"UniGB-UCS2-H"),
            Some(Predefined::Ucs2)
        );
        assert_eq!(Predefined::from_name(b"Foo-H"), None);
        let gbk = Predefined::Gbk;
        let bytes = b"A\xC4\xEA";
        assert_eq!(gbk.code_len(bytes), 1);
        assert_eq!(gbk.code_len(&bytes[1..]), 2);
        assert_eq!(gbk.text(&bytes[1..]).as_deref(), Some("年"));
        assert_eq!(gbk.text(b"A").as_deref(), Some("A"));
        assert_eq!(Predefined::Ucs2.text(&[0x5E, 0x74]).as_deref(), Some("年"));
        assert_eq!(Predefined::Utf16.code_len(&[0xD8, 0x40, 0xDC, 0x00]), 4);
        assert_eq!(Predefined::Identity.text(&[0, 1]), None);
    }
}
