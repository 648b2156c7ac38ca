//! Fonts: how a string of a text-showing operator is cut into codes, each code's width, and its
//! Unicode text (ToUnicode map, else the predefined CJK CMap, else the simple font's encoding).

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{Predefined, ToUnicode};
use super::{left, name_of, number, resolve, stream_data, take, Work};

/// Most width entries read from one font's `W` array.
const MAX_WIDTHS: usize = 100_000;

#[derive(Debug, Clone)]
enum Widths {
    Simple {
        first: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    Cid {
        default: f32,
        map: HashMap<u32, f32>,
    },
}

#[derive(Debug, Clone)]
enum Encoding {
    /// A composite (Type0) font with a predefined CMap.
    Composite(Predefined),
    /// A composite font with an embedded CMap: codes cut by the ToUnicode codespace, or 2 bytes.
    CompositeEmbedded,
    /// A simple font: one byte per code, the table of its encoding.
    Simple(Box<[Option<char>; 256]>),
}

/// A font as the text extraction needs it.
#[derive(Debug, Clone)]
pub struct Font {
    encoding: Encoding,
    to_unicode: Option<ToUnicode>,
    widths: Widths,
    /// Glyph units → text space (1/1000, or a Type3 font's FontMatrix).
    scale: f32,
    /// Vertical writing (Identity-V …): glyphs advance downwards.
    pub vertical: bool,
}

/// One code of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub struct Code<'a> {
    /// The code's bytes.
    pub bytes: &'a [u8],
    /// Advance in text space units for a font size of 1.
    pub width: f32,
    /// The Unicode text, when the font says.
    pub text: Option<std::borrow::Cow<'a, str>>,
}

impl Font {
    /// A font that maps nothing (a font resource that could not be read): widths of half an em.
    pub fn unknown() -> Font {
        Font {
            encoding: Encoding::CompositeEmbedded,
            to_unicode: None,
            widths: Widths::Cid {
                default: 500.0,
                map: HashMap::new(),
            },
            scale: 0.001,
            vertical: false,
        }
    }

    /// Read a font dictionary.
    pub fn load(doc: &Document, font: &Dictionary) -> Font {
        let subtype = font.get(b"Subtype").ok().and_then(|o| name_of(doc, o));
        let to_unicode = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| resolve(doc, o).as_stream().ok())
            .and_then(|s| stream_data(s, super::MAX_STREAM))
            // Within the file's budget of font entries (1,000 fonts may share one map).
            .map(|d| ToUnicode::parse_at_most(&d, left(Work::FontEntries)))
            .inspect(|c| {
                take(Work::FontEntries, c.len());
            })
            .filter(|c| !c.is_empty());
        if subtype == Some(&b"Type0"[..]) {
            let enc = font.get(b"Encoding").ok().map(|o| resolve(doc, o));
            let (encoding, vertical) = match enc {
                Some(Object::Name(n)) => (
                    Predefined::from_name(n)
                        .map_or(Encoding::CompositeEmbedded, Encoding::Composite),
                    n.ends_with(b"-V"),
                ),
                Some(Object::Stream(s)) => {
                    let name = s.dict.get(b"CMapName").ok().and_then(|o| name_of(doc, o));
                    let wmode = s.dict.get(b"WMode").ok().and_then(|o| number(doc, o));
                    (
                        name.and_then(Predefined::from_name)
                            .map_or(Encoding::CompositeEmbedded, Encoding::Composite),
                        wmode == Some(1.0),
                    )
                }
                _ => (Encoding::Composite(Predefined::Identity), false),
            };
            let descendant = font
                .get(b"DescendantFonts")
                .ok()
                .and_then(|o| resolve(doc, o).as_array().ok())
                .and_then(|a| a.first())
                .and_then(|o| resolve(doc, o).as_dict().ok());
            let widths = descendant.map_or(
                Widths::Cid {
                    default: 1000.0,
                    map: HashMap::new(),
                },
                |d| cid_widths(doc, d),
            );
            Font {
                encoding,
                to_unicode,
                widths,
                scale: 0.001,
                vertical,
            }
        } else {
            let scale = if subtype == Some(&b"Type3"[..]) {
                font.get(b"FontMatrix")
                    .ok()
                    .and_then(|o| resolve(doc, o).as_array().ok())
                    .and_then(|a| a.first())
                    .and_then(|o| number(doc, o))
                    .filter(|v| v.is_finite() && *v != 0.0)
                    .unwrap_or(0.001)
            } else {
                0.001
            };
            Font {
                encoding: Encoding::Simple(simple_encoding(doc, font)),
                to_unicode,
                widths: simple_widths(doc, font, scale),
                scale,
                vertical: false,
            }
        }
    }

    fn width(&self, code: u32, text: Option<&str>) -> f32 {
        let w = match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid { default, map } => match self.encoding {
                // CIDs are codes only for Identity; otherwise the CMap (not read) decides:
                // half an em for ASCII, the default width else.
                Encoding::Composite(Predefined::Identity) | Encoding::CompositeEmbedded => {
                    map.get(&code).copied().unwrap_or(*default)
                }
                Encoding::Composite(_) | Encoding::Simple(_) => {
                    if text.is_some_and(|t| t.is_ascii()) {
                        *default / 2.0
                    } else {
                        *default
                    }
                }
            },
        };
        w * self.scale
    }

    /// Cut `bytes` into codes and call `f` for each.
    pub fn each_code<'a>(&self, bytes: &'a [u8], mut f: impl FnMut(Code<'a>)) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let len = match &self.encoding {
                Encoding::Simple(_) => 1,
                Encoding::Composite(p) => p.code_len(rest),
                Encoding::CompositeEmbedded => self
                    .to_unicode
                    .as_ref()
                    .and_then(|t| t.code_len(rest))
                    .unwrap_or(2),
            }
            .clamp(1, rest.len());
            let (code_bytes, tail) = rest.split_at(len);
            rest = tail;
            let code = code_bytes
                .iter()
                .fold(0u32, |a, &b| (a << 8) | u32::from(b));
            let text: Option<std::borrow::Cow<'a, str>> =
                match self.to_unicode.as_ref().and_then(|t| t.get(len, code)) {
                    Some(t) => Some(std::borrow::Cow::Owned(t.to_string())),
                    None => match &self.encoding {
                        Encoding::Simple(table) => table
                            .get(code as usize)
                            .copied()
                            .flatten()
                            .map(|c| std::borrow::Cow::Owned(c.to_string())),
                        Encoding::Composite(p) => p.text(code_bytes).map(std::borrow::Cow::Owned),
                        Encoding::CompositeEmbedded => None,
                    },
                };
            let width = self.width(code, text.as_deref());
            f(Code {
                bytes: code_bytes,
                width,
                text,
            });
        }
    }
}

fn cid_widths(doc: &Document, d: &Dictionary) -> Widths {
    let default = d
        .get(b"DW")
        .ok()
        .and_then(|o| number(doc, o))
        .unwrap_or(1000.0);
    let mut map = HashMap::new();
    // Entries made (not kept: a range may set the same codes again), within the font's and
    // the file's limits.
    let limit = MAX_WIDTHS.min(left(Work::FontEntries));
    let mut made = 0usize;
    if let Some(w) = d
        .get(b"W")
        .ok()
        .and_then(|o| resolve(doc, o).as_array().ok())
    {
        let mut i = 0;
        while i < w.len() && made < limit {
            made += 1;
            let Some(first) = number(doc, &w[i]) else {
                break;
            };
            let first = first.max(0.0) as u32;
            match w.get(i + 1).map(|o| resolve(doc, o)) {
                Some(Object::Array(list)) => {
                    for (k, o) in list.iter().enumerate().take(limit - made) {
                        made += 1;
                        if let Some(v) = number(doc, o) {
                            map.insert(first.saturating_add(k as u32), v);
                        }
                    }
                    i += 2;
                }
                Some(o) => {
                    let last = number(doc, o).map_or(first, |v| v.max(0.0) as u32);
                    let v = w.get(i + 2).and_then(|o| number(doc, o)).unwrap_or(default);
                    if last >= first && (last - first) as usize <= MAX_WIDTHS {
                        for c in (first..=last).take(limit - made) {
                            made += 1;
                            map.insert(c, v);
                        }
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }
    take(Work::FontEntries, made);
    Widths::Cid { default, map }
}

fn simple_widths(doc: &Document, font: &Dictionary, scale: f32) -> Widths {
    let first = font
        .get(b"FirstChar")
        .ok()
        .and_then(|o| number(doc, o))
        .unwrap_or(0.0)
        .max(0.0) as u32;
    let widths: Vec<f32> = font
        .get(b"Widths")
        .ok()
        .and_then(|o| resolve(doc, o).as_array().ok())
        .map(|a| {
            a.iter()
                .take(256)
                .map(|o| number(doc, o).unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default();
    let missing = font
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| resolve(doc, o).as_dict().ok())
        .and_then(|d| d.get(b"MissingWidth").ok())
        .and_then(|o| number(doc, o))
        .filter(|w| *w > 0.0)
        // A standard font without widths: half an em.
        .unwrap_or(0.5 / scale.abs().max(1e-6));
    Widths::Simple {
        first,
        widths,
        missing,
    }
}

fn simple_encoding(doc: &Document, font: &Dictionary) -> Box<[Option<char>; 256]> {
    let enc = font.get(b"Encoding").ok().map(|o| resolve(doc, o));
    let base = match enc {
        Some(Object::Name(n)) => Some(n.as_slice()),
        Some(Object::Dictionary(d)) => d.get(b"BaseEncoding").ok().and_then(|o| name_of(doc, o)),
        _ => None,
    };
    let mut table = base_table(base);
    if let Some(Object::Dictionary(d)) = enc {
        if let Some(diffs) = d
            .get(b"Differences")
            .ok()
            .and_then(|o| resolve(doc, o).as_array().ok())
        {
            let mut code: usize = 0;
            for o in diffs {
                match resolve(doc, o) {
                    Object::Integer(i) => code = (*i).clamp(0, 256) as usize,
                    Object::Name(n) => {
                        if let Some(slot) = table.get_mut(code) {
                            *slot = glyph_name_char(n);
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    table
}

fn base_table(name: Option<&[u8]>) -> Box<[Option<char>; 256]> {
    let mut t: Box<[Option<char>; 256]> = Box::new([None; 256]);
    let enc = match name {
        Some(b"MacRomanEncoding") => encoding_rs::MACINTOSH,
        _ => encoding_rs::WINDOWS_1252,
    };
    for (b, slot) in t.iter_mut().enumerate() {
        if b < 0x20 {
            continue;
        }
        let byte = [b as u8];
        let (s, bad) = enc.decode_without_bom_handling(&byte);
        if !bad {
            *slot = s.chars().next();
        }
    }
    if name == Some(b"StandardEncoding") || name.is_none() {
        t[0x27] = Some('\u{2019}');
        t[0x60] = Some('\u{2018}');
    }
    t
}

/// The character of a glyph name: `uniXXXX`, `uXXXX[XX]`, or a common Latin name.
pub fn glyph_name_char(name: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(name).ok()?;
    let s = s.split('.').next().unwrap_or(s);
    if let Some(hex) = s.strip_prefix("uni") {
        if hex.len() >= 4 {
            return u32::from_str_radix(hex.get(..4)?, 16)
                .ok()
                .and_then(char::from_u32);
        }
    }
    if let Some(hex) = s.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
        }
    }
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_ascii_alphabetic() {
            return Some(c);
        }
    }
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("quoteright", '\u{2019}'),
        ("quoteleft", '\u{2018}'),
        ("quotedblleft", '\u{201C}'),
        ("quotedblright", '\u{201D}'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("minus", '\u{2212}'),
        ("endash", '\u{2013}'),
        ("emdash", '\u{2014}'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("asciicircum", '^'),
        ("underscore", '_'),
        ("grave", '`'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
        ("bullet", '\u{2022}'),
        ("periodcentered", '\u{00B7}'),
        ("degree", '\u{00B0}'),
        ("nbspace", '\u{00A0}'),
        ("fi", '\u{FB01}'),
        ("fl", '\u{FB02}'),
    ];
    NAMES.iter().find(|(n, _)| *n == s).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_char(b"uni5E74"), Some('年'));
        assert_eq!(glyph_name_char(b"u20000"), Some('\u{20000}'));
        assert_eq!(glyph_name_char(b"zero"), Some('0'));
        assert_eq!(glyph_name_char(b"A"), Some('A'));
        assert_eq!(glyph_name_char(b"a.sc"), Some('a'));
        assert_eq!(glyph_name_char(b"g123"), None);
    }

    #[test]
    fn simple_font_with_differences_and_widths() {
        let doc = Document::with_version("1.5");
        let mut enc = Dictionary::new();
        enc.set(
            "Differences",
            vec![Object::Integer(65), Object::Name(b"uni5E74".to_vec())],
        );
        let mut f = Dictionary::new();
        f.set("Subtype", Object::Name(b"TrueType".to_vec()));
        f.set("Encoding", Object::Dictionary(enc));
        f.set("FirstChar", 65);
        f.set("Widths", vec![Object::Integer(1000), Object::Integer(600)]);
        let font = Font::load(&doc, &f);
        let mut got = Vec::new();
        font.each_code(b"AB", |c| {
            got.push((c.text.map(|t| t.into_owned()), c.width))
        });
        assert_eq!(
            got,
            vec![(Some("年".to_string()), 1.0), (Some("B".to_string()), 0.6)]
        );
    }

    #[test]
    fn composite_gbk_font_without_tounicode() {
        let doc = Document::with_version("1.5");
        let mut f = Dictionary::new();
        f.set("Subtype", Object::Name(b"Type0".to_vec()));
        f.set("Encoding", Object::Name(b"GBK-EUC-H".to_vec()));
        let font = Font::load(&doc, &f);
        let mut got = Vec::new();
        font.each_code(b"2\xC4\xEA", |c| {
            got.push((c.text.map(|t| t.into_owned()), c.width))
        });
        assert_eq!(
            got,
            vec![(Some("2".to_string()), 0.5), (Some("年".to_string()), 1.0)]
        );
    }
}
