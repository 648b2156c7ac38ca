//! List numbers as Word prints them: a counter value in one of Word's number formats (the
//! `w:numFmt` values of WordprocessingML, `ST_NumberFormat`): "一" (chineseCounting), "1"
//! (decimal), "①" (decimalEnclosedCircle), "甲" (ideographTraditional) …
//!
//! Used by the DOCX reader for automatically numbered paragraphs ("一、总体情况" typed as
//! "总体情况" with a list number); a DOC reader can map its own format codes to these names.

/// The text of `n` in Word number format `fmt`; `None` for formats that print no number
/// (`bullet`, `none`). Unknown formats print decimal.
pub fn format(n: i64, fmt: &str) -> Option<String> {
    let u = u64::try_from(n).ok();
    let s = match (fmt, u) {
        ("bullet" | "none", _) => return None,
        (_, None) => n.to_string(),
        (_, Some(u)) => match fmt {
            "chineseCounting"
            | "chineseCountingThousand"
            | "japaneseCounting"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand" => counting(u, &SIMPLE),
            "chineseLegalSimplified" => counting_full(u, &LEGAL),
            "ideographLegalTraditional" => counting_full(u, &LEGAL_TRADITIONAL),
            "ideographDigital" | "japaneseDigitalTenThousand" | "taiwaneseDigital" => u
                .to_string()
                .chars()
                .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
                .collect(),
            "ideographTraditional" => cycle(u, &TIANGAN),
            "ideographZodiac" => cycle(u, &DIZHI),
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => match u {
                1..=20 => offset(0x2460, u - 1),
                21..=35 => offset(0x3251, u - 21),
                36..=50 => offset(0x32B1, u - 36),
                _ => u.to_string(),
            },
            "ideographEnclosedCircle" => match u {
                1..=10 => offset(0x3280, u - 1),
                _ => u.to_string(),
            },
            "decimalEnclosedParen" => match u {
                1..=20 => offset(0x2474, u - 1),
                _ => format!("({u})"),
            },
            "decimalEnclosedFullstop" => match u {
                1..=20 => offset(0x2488, u - 1),
                _ => format!("{u}."),
            },
            "decimalFullWidth" | "decimalFullWidth2" => u
                .to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
                .collect(),
            "decimalZero" => format!("{u:02}"),
            "upperLetter" => letters(u, b'A'),
            "lowerLetter" => letters(u, b'a'),
            "upperRoman" => roman(u),
            "lowerRoman" => roman(u).to_lowercase(),
            _ => u.to_string(),
        },
    };
    Some(s)
}

/// 零 一 … 九, then 十 百 千 万.
struct Counting {
    digits: [char; 10],
    /// The zero inside a number ("一百零一"); `digits[0]` is zero on its own.
    zero: char,
    units: [char; 4],
}

const SIMPLE: Counting = Counting {
    digits: ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    zero: '零',
    units: ['十', '百', '千', '万'],
};
const LEGAL: Counting = Counting {
    digits: ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    zero: '零',
    units: ['拾', '佰', '仟', '万'],
};
const LEGAL_TRADITIONAL: Counting = Counting {
    digits: ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'],
    zero: '零',
    units: ['拾', '佰', '仟', '萬'],
};
const DIGITS: [char; 10] = SIMPLE.digits;
const TIANGAN: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const DIZHI: [char; 12] = [
    '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
];

/// Counting numerals as list numbers print them: 一 … 十, 十一, 二十, 一百零一. 10–19 drop the
/// leading 一 ("十一"); 0 is 〇.
fn counting(n: u64, c: &Counting) -> String {
    let s = counting_full(n, c);
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(one), Some(ten)) if one == c.digits[1] && ten == c.units[0] => {
            s.chars().skip(1).collect()
        }
        _ => s,
    }
}

/// Counting numerals with every digit written ("一十一"); up to 9999 in units, larger numbers
/// as `n / 10000` 万 `n % 10000`.
fn counting_full(n: u64, c: &Counting) -> String {
    if n == 0 {
        return c.digits[0].to_string();
    }
    if n >= 10_000 {
        let high = counting_full(n / 10_000, c);
        let low = n % 10_000;
        let mut s = format!("{high}{}", c.units[3]);
        if low > 0 {
            if low < 1000 {
                s.push(c.zero);
            }
            s.push_str(&counting_full(low, c));
        }
        return s;
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut s = String::new();
    let mut zero = false;
    for (i, d) in digits.iter().enumerate() {
        if *d == 0 {
            zero = !s.is_empty();
            continue;
        }
        if zero {
            s.push(c.zero);
            zero = false;
        }
        s.push(c.digits[*d as usize]);
        if i < 3 {
            s.push(c.units[2 - i]);
        }
    }
    s
}

fn cycle(n: u64, items: &[char]) -> String {
    let len = items.len() as u64;
    let i = (n.max(1) - 1) % len;
    items[i as usize].to_string()
}

fn offset(base: u32, i: u64) -> String {
    u32::try_from(i)
        .ok()
        .and_then(|i| char::from_u32(base + i))
        .map(String::from)
        .unwrap_or_default()
}

/// A, B … Z, AA, BB … (Word repeats the letter).
fn letters(n: u64, a: u8) -> String {
    if n == 0 {
        return "0".into();
    }
    let i = (n - 1) % 26;
    let times = ((n - 1) / 26 + 1).min(64) as usize;
    char::from(a + i as u8).to_string().repeat(times)
}

fn roman(n: u64) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: i64, fmt: &str) -> String {
        format(n, fmt).unwrap_or_default()
    }

    #[test]
    fn chinese_counting() {
        let got: Vec<String> = [1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 1005, 10_001]
            .iter()
            .map(|n| f(*n, "chineseCounting"))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "二",
                "九",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零一",
                "一百一十",
                "一千零五",
                "一万零一"
            ]
        );
        assert_eq!(f(12, "chineseCountingThousand"), "十二");
        assert_eq!(f(0, "chineseCounting"), "〇");
        assert_eq!(f(11, "chineseLegalSimplified"), "壹拾壹");
        assert_eq!(f(10, "ideographDigital"), "一〇");
    }

    #[test]
    fn other_formats() {
        assert_eq!(f(3, "decimal"), "3");
        assert_eq!(f(-2, "decimal"), "-2");
        assert_eq!(f(1, "decimalEnclosedCircle"), "①");
        assert_eq!(f(20, "decimalEnclosedCircle"), "⑳");
        assert_eq!(f(21, "decimalEnclosedCircleChinese"), "㉑");
        assert_eq!(f(51, "decimalEnclosedCircle"), "51");
        assert_eq!(f(1, "decimalEnclosedParen"), "⑴");
        assert_eq!(f(2, "decimalEnclosedFullstop"), "⒉");
        assert_eq!(f(1, "ideographTraditional"), "甲");
        assert_eq!(f(11, "ideographTraditional"), "甲");
        assert_eq!(f(3, "ideographZodiac"), "寅");
        assert_eq!(f(3, "ideographEnclosedCircle"), "㊂");
        assert_eq!(f(12, "decimalFullWidth"), "１２");
        assert_eq!(f(7, "decimalZero"), "07");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(3, "lowerLetter"), "c");
        assert_eq!(f(14, "upperRoman"), "XIV");
        assert_eq!(f(4, "lowerRoman"), "iv");
        assert_eq!(f(5, "somethingNew"), "5");
        assert_eq!(format(1, "bullet"), None);
        assert_eq!(format(1, "none"), None);
    }
}
