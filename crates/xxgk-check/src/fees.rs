//! Part 六's statement of the 信息处理费 (国办函〔2020〕109号), as real reports phrase it.
//!
//! Two questions are asked of the part's text (whitespace removed, see
//! [`crate::structure::compact`]):
//! * does it speak of fees at all (`PART6-FEES`): a word of [`PART6_FEE_KEYWORDS`] or a
//!   statement of what was charged;
//! * does it say what was charged or noticed (`TEXT-FEE-NOTICE`): a word of
//!   [`FEE_NOTICE_KEYWORDS`] (收费通知, 缴费…), or a statement of what was charged —
//!   "收取" … "费" in one clause ("全年收取政府信息公开信息处理费3940元", "未收取任何费用",
//!   "本年度无因政府信息公开申请收取费用的情况", "未收取信息处理费"), or a negated "收费"
//!   ("不存在收费情况", "未发生政府信息公开收费事项"). Not charging is consistent with a
//!   non-zero （六）2: the notice was sent and the applicant did not pay (rules.md §4.1 #6).

use xxgk_model::catalogue::{
    FEE_CHARGE_VERBS, FEE_CHARGE_WORD, FEE_NONE_WORDS, FEE_NOTICE_KEYWORDS, FEE_WORD,
    PART6_FEE_KEYWORDS,
};

/// Characters that end a clause.
const CLAUSE_BREAKS: &[char] = &['，', '。', '；', ',', ';', '！', '？', '!', '?', '：', ':'];

fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split(CLAUSE_BREAKS).filter(|c| !c.is_empty())
}

/// "收取 … 费" within the clause.
fn charge_in(clause: &str) -> bool {
    FEE_CHARGE_VERBS.iter().any(|v| {
        clause
            .match_indices(v)
            .any(|(i, _)| clause[i + v.len()..].contains(FEE_WORD))
    })
}

/// "收费" preceded in the clause by a negation ("不存在收费情况").
fn none_charged_in(clause: &str) -> bool {
    clause
        .match_indices(FEE_CHARGE_WORD)
        .any(|(i, _)| FEE_NONE_WORDS.iter().any(|n| clause[..i].contains(n)))
}

/// Whether the text states what was charged, or that nothing was.
pub(crate) fn states_charges(text: &str) -> bool {
    clauses(text).any(|c| charge_in(c) || none_charged_in(c))
}

/// Whether the text speaks of the 信息处理费 at all (`PART6-FEES`).
pub(crate) fn mentions_fees(text: &str) -> bool {
    PART6_FEE_KEYWORDS.iter().any(|k| text.contains(k)) || states_charges(text)
}

/// Whether the text says what became of the fee notices behind （六）2 (`TEXT-FEE-NOTICE`).
pub(crate) fn explains_notices(text: &str) -> bool {
    FEE_NOTICE_KEYWORDS.iter().any(|k| text.contains(k)) || states_charges(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_phrasings() {
        for t in [
            // huaian-city-2024.pdf, part 六.
            "2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。",
            // seeds/000.
            "2024年，我中心未收取任何政府信息公开信息处理费。",
            // seeds/002.
            "我局2023年度不存在收取信息处理费情况。",
            // seeds/003.
            "本年度无收取信息处理费情况。",
            "本机关未收取任何费用。",
            "本年度无因政府信息公开申请收取费用的情况。",
            "本年度不存在收费情况。",
            "2024年，市科委未发生政府信息公开收费事项。",
        ] {
            assert!(states_charges(t), "{t}");
            assert!(mentions_fees(t), "{t}");
            assert!(explains_notices(t), "{t}");
        }
        for t in [
            "本年度无其他需要报告的事项。",
            "严格执行收费标准，规范收费行为。",
            "向申请人收取的材料均已归档。",
            "收取申请材料后，按时收费。",
            "不断规范收费管理。",
        ] {
            assert!(!states_charges(t), "{t}");
        }
        // A fee word without what was charged: PART6-FEES is satisfied, TEXT-FEE-NOTICE not.
        let t = "严格落实《政府信息公开信息处理费管理办法》。";
        assert!(mentions_fees(t) && !explains_notices(t));
    }
}
