//! Whitespace at the byte level, for the hot paths of reading: `str::trim` and "holds
//! whitespace" answered without decoding characters where the bytes already tell (most text is
//! Chinese characters and ASCII). Each is tested against the standard library's answer for
//! every character.

/// Whether `b` may start a whitespace character (`char::is_whitespace`): ASCII whitespace, or
/// the lead byte of U+0085 and U+00A0 (0xC2), U+1680 (0xE1), U+2000–U+205F (0xE2) or U+3000
/// (0xE3). A byte that is none of these starts no whitespace.
pub(crate) const fn may_start_space(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, 0x0B | 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// `str::trim`, without decoding the first and last characters where their bytes show they are
/// not whitespace (a cell mostly starts and ends with a Chinese character or a digit), and with
/// ASCII whitespace (a cell line's tab) stripped byte by byte.
pub(crate) fn trim(s: &str) -> &str {
    let ascii_space = |b: u8| b.is_ascii_whitespace() || b == 0x0B;
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return s;
    };
    if !(ascii_space(first)
        || ascii_space(last)
        || wide_space_at(b, true)
        || wide_space_at(b, false))
    {
        return s;
    }
    let mut start = 0;
    while start < b.len() && ascii_space(b[start]) {
        start += 1;
    }
    let mut end = b.len();
    while end > start && ascii_space(b[end - 1]) {
        end -= 1;
    }
    // ASCII bytes are whole characters: both ends are character boundaries.
    let t = &s[start..end];
    let tb = t.as_bytes();
    if wide_space_at(tb, true) || wide_space_at(tb, false) {
        t.trim()
    } else {
        t
    }
}

/// Whether `b` (UTF-8) starts (`at_start`) or ends with a whitespace character that is not
/// ASCII: U+0085, U+00A0 (C2 85, C2 A0), U+1680 (E1 9A 80), U+2000–U+200A (E2 80 80–8A),
/// U+2028, U+2029, U+202F (E2 80 A8, A9, AF), U+205F (E2 81 9F), U+3000 (E3 80 80). Told by
/// their bytes: a cell's first or last character is rarely one of them, often a character with
/// one of the same lead bytes (Chinese punctuation).
#[inline]
fn wide_space_at(b: &[u8], at_start: bool) -> bool {
    let n = b.len();
    // Most ends are ASCII, or a character whose lead byte is none of these (Chinese text).
    if at_start
        && !b
            .first()
            .is_some_and(|&f| !f.is_ascii() && may_start_space(f))
    {
        return false;
    }
    if !at_start && b.last().is_none_or(|&l| l < 0x80) {
        return false;
    }
    let (c0, c1, c2) = if at_start {
        (b.first(), b.get(1), b.get(2))
    } else {
        // The last character, if it is two or three bytes long: (lead, second, third).
        match n {
            0 | 1 => return false,
            _ if b[n - 2] == 0xC2 => (b.get(n - 2), b.get(n - 1), None),
            2 => return false,
            _ => (b.get(n - 3), b.get(n - 2), b.get(n - 1)),
        }
    };
    matches!(
        (c0.copied(), c1.copied(), c2.copied()),
        (Some(0xC2), Some(0x85 | 0xA0), _)
            | (Some(0xE1), Some(0x9A), Some(0x80))
            | (
                Some(0xE2),
                Some(0x80),
                Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)
            )
            | (Some(0xE2), Some(0x81), Some(0x9F))
            | (Some(0xE3), Some(0x80), Some(0x80))
    )
}

/// Whether `s` holds a whitespace character (`char::is_whitespace`). Only the characters whose
/// first byte may start one ([`may_start_space`]) are decoded; most Chinese text is skipped
/// byte by byte.
pub(crate) fn has_whitespace(s: &str) -> bool {
    /// 1 for an ASCII whitespace byte, 2 for a lead byte that may start a wider one.
    const MAY_START: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            if may_start_space(b as u8) {
                t[b] = if b < 128 { 1 } else { 2 };
            }
            b += 1;
        }
        t
    };
    let bytes = s.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| match MAY_START[usize::from(b)] {
            0 => false,
            1 => true,
            _ => s[i..].chars().next().is_some_and(char::is_whitespace),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_whitespace_character_starts_with_a_byte_said_to_start_one() {
        let firsts: Vec<u8> = (0u32..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .map(|c| c.encode_utf8(&mut [0u8; 4]).as_bytes()[0])
            .collect();
        // Exactly those bytes: every whitespace character's first byte, and no other.
        for b in 0u8..=255 {
            assert_eq!(may_start_space(b), firsts.contains(&b), "{b:#x}");
        }
    }

    #[test]
    fn has_whitespace_answers_as_the_char_test_does() {
        let mut all: Vec<char> = (0..0x3100u32).filter_map(char::from_u32).collect();
        all.extend(['\u{FEFF}', '\u{FF10}', '中', '（', '、']);
        for c in all {
            for s in [
                format!("{c}"),
                format!("a{c}b"),
                format!("中{c}"),
                format!("{c}、"),
            ] {
                assert_eq!(has_whitespace(&s), s.contains(char::is_whitespace), "{s:?}");
            }
        }
    }

    #[test]
    fn trim_trims_as_str_trim_does() {
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            for t in [
                c.to_string(),
                format!("{c}一{c}"),
                format!("1{c}"),
                format!("{c}1"),
                format!(" {c}件 "),
                format!("\t\t{c}\r\n"),
                format!("\u{b} {c} \u{3000}\t"),
                format!("\u{3000}\t{c}"),
            ] {
                assert_eq!(trim(&t), t.trim(), "{:?}", t);
            }
        }
        assert_eq!(trim(""), "");
    }
}
