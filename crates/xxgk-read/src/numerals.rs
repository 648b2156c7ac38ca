//! Chinese numerals, as printed in item markers ("三、", "（十二）") and dates ("二〇二五年一月
//! 十一日"). The characters come from the catalogue ([`catalogue::CHINESE_NUMERALS`],
//! [`catalogue::CHINESE_ZEROS`]); this is the one place that gives them values.

use std::sync::OnceLock;

use xxgk_model::catalogue;

/// 一..十 as characters, and 〇/零, read from the catalogue once.
struct Chars {
    numerals: Vec<char>,
    zeros: Vec<char>,
}

fn chars() -> &'static Chars {
    static CHARS: OnceLock<Chars> = OnceLock::new();
    CHARS.get_or_init(|| {
        let first = |s: &&str| s.chars().next();
        Chars {
            numerals: catalogue::CHINESE_NUMERALS
                .iter()
                .filter_map(first)
                .collect(),
            zeros: catalogue::CHINESE_ZEROS.iter().filter_map(first).collect(),
        }
    })
}

/// The value of 一..十 (1..=10).
pub fn value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return None;
    }
    chars()
        .numerals
        .iter()
        .position(|n| *n == c)
        .map(|i| i as u32 + 1)
}

/// The value of a digit 〇/零..九 (0..=9), as read one by one in "二〇二五".
pub fn digit(c: char) -> Option<u32> {
    if c.is_ascii() {
        return None;
    }
    if chars().zeros.contains(&c) {
        return Some(0);
    }
    value(c).filter(|d| *d < 10)
}

/// 十.
pub fn is_ten(c: char) -> bool {
    value(c) == Some(10)
}

/// A positional number 1..=99: "三", "十", "十二", "二十", "三十一". At most one 十, at most one
/// digit on each side of it; anything else is `None`.
pub fn positional(run: &[char]) -> Option<u32> {
    match run {
        [d] => digit(*d)
            .filter(|v| *v > 0)
            .or_else(|| is_ten(*d).then_some(10)),
        [t, rest @ ..] if is_ten(*t) => match rest {
            [] => Some(10),
            [u] => digit(*u).filter(|v| *v > 0).map(|u| 10 + u),
            _ => None,
        },
        [d, t, rest @ ..] if is_ten(*t) => {
            let tens = digit(*d).filter(|v| *v > 0)? * 10;
            match rest {
                [] => Some(tens),
                [u] => digit(*u).filter(|v| *v > 0).map(|u| tens + u),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<u32> {
        positional(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn values_and_digits() {
        assert_eq!(value('一'), Some(1));
        assert_eq!(value('十'), Some(10));
        assert_eq!(value('1'), None);
        assert_eq!(digit('〇'), Some(0));
        assert_eq!(digit('九'), Some(9));
        assert_eq!(digit('十'), None);
    }

    #[test]
    fn positional_numbers() {
        assert_eq!(p("三"), Some(3));
        assert_eq!(p("十"), Some(10));
        assert_eq!(p("十二"), Some(12));
        assert_eq!(p("二十"), Some(20));
        assert_eq!(p("三十一"), Some(31));
        for bad in ["", "二二", "十十", "二十十", "十二三", "〇", "零十", "a"] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }
}
