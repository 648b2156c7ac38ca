//! Sanitizers: whatever text a report holds (it may come from any file a user renders), every
//! output stays valid and harmless.
//!
//! * [`xml_char`] / [`xml_text`]: the characters XML 1.0 allows (`Char` production: tab, LF, CR,
//!   U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF). DOCX and XLSX drop every other character:
//!   one U+FFFE makes `word/document.xml` ill-formed and Word refuses the file.
//! * [`html_char`]: what an HTML page may carry as text: the XML characters less the other
//!   control characters (DEL, C1) and the noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF of every
//!   plane), which the HTML standard makes parse errors.
//! * [`markdown_inline`] / [`markdown_line`] / [`markdown_block`]: text as Markdown that renders to
//!   exactly that text — no HTML (`<script>`, `<img onerror=…>`), no link or image
//!   (`[..](javascript:..)`, `<javascript:..>`), no heading, quote, list, code or table that the
//!   text did not hold. Only characters that would start such syntax are escaped (with a
//!   backslash, as CommonMark defines), so ordinary Chinese prose — "1.主动公开" included — is
//!   printed unchanged.

use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document.
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` without the characters XML forbids (borrowed when there is none).
pub fn xml_text(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| xml_char(c)).collect())
    }
}

/// Whether `c` is a Unicode noncharacter (U+FDD0–U+FDEF, and the last two code points of every
/// plane).
fn noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// Whether an HTML page may carry `c` as text: an XML character that is neither another control
/// character (DEL, U+0080–U+009F) nor a noncharacter.
pub fn html_char(c: char) -> bool {
    xml_char(c) && !noncharacter(c) && (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
}

/// `s` without the characters [`html_char`] refuses (borrowed when there is none).
pub fn html_text(s: &str) -> Cow<'_, str> {
    if s.chars().all(html_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| html_char(c)).collect())
    }
}

/// Whether `c` is a character that starts or ends inline Markdown syntax wherever it stands:
/// links and images (`[`, `]`), code spans (`` ` ``), emphasis and strikethrough (`*`, `_`, `~`),
/// table cells (`|`). (`<` starts HTML or an autolink only before an ASCII letter, `/`, `!` or
/// `?`: see [`push_inline`].)
fn markdown_special(c: char) -> bool {
    matches!(c, '[' | ']' | '`' | '*' | '_' | '~' | '|')
}

/// Append `s` as Markdown inline text: control characters dropped, line breaks as spaces (call
/// [`markdown_line`] per line to keep them), the characters of inline syntax escaped, a backslash
/// escaped where it would escape the next character, `&` escaped where it would start an entity.
/// (A backslash ending a table cell or a heading is literal, and stays as it is: the placeholder
/// `\` of a table cell prints unchanged.)
fn push_inline(out: &mut String, s: &str) {
    // Dropped first, so that the character after a backslash or `&` is the one that follows it
    // in the output ("\\\u{1}<" must not become "\\<").
    let chars: Vec<char> = s
        .chars()
        .filter(|&c| html_char(c))
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            c if markdown_special(c) => {
                out.push('\\');
                out.push(c);
            }
            // HTML (`<script`, `</p`, `<!--`, `<?`) and autolinks (`<javascript:…>`) start
            // with one of these after `<`; "<政府信息公开信息处理费管理办法>" is plain text.
            '<' if next
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("\\<");
            }
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push_str("\\\\");
            }
            '&' if next.is_some_and(|n| n == '#' || n.is_ascii_alphanumeric()) => {
                out.push_str("\\&");
            }
            c => out.push(c),
        }
    }
}

/// `s` as Markdown inline text, for a table cell or a heading: one line (line breaks become
/// spaces), every inline syntax character escaped (see the module doc).
pub fn markdown_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_inline(&mut out, s);
    out
}

/// `line` (one line, no line break) as the text of a Markdown paragraph line: leading blanks
/// dropped (four would start a code block), a character that would open a block — heading `#`,
/// quote `>`, list or rule `-` `+` `*` `_`, setext underline `=`, code fence `` ` `` `~`, an
/// ordered-list number `1.` / `1)` before a blank — escaped, and the rest as [`markdown_inline`].
pub fn markdown_line(line: &str) -> String {
    // Dropped first, so that the line's first character is the one the output starts with.
    let clean: String = line.chars().filter(|&c| html_char(c)).collect();
    let line = clean.trim_start_matches([' ', '\t']);
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    if let Some(first) = line.chars().next() {
        if matches!(first, '#' | '>' | '-' | '+' | '=') {
            out.push('\\');
            out.push(first);
            rest = &line[first.len_utf8()..];
        } else {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            let marker = line.as_bytes().get(digits).copied();
            let after = line.as_bytes().get(digits + 1).copied();
            if (1..=9).contains(&digits)
                && matches!(marker, Some(b'.' | b')'))
                && after.is_none_or(|b| b == b' ' || b == b'\t')
            {
                out.push_str(&line[..digits]);
                out.push('\\');
                out.push(char::from(marker.unwrap_or(b'.')));
                rest = &line[digits + 1..];
            }
        }
    }
    push_inline(&mut out, rest);
    // A backslash ending a paragraph line would make a hard line break.
    if out.ends_with('\\') && rest.ends_with('\\') {
        out.push('\\');
    }
    out
}

/// `text` as one Markdown paragraph (or heading text): each of its lines through
/// [`markdown_line`], blank lines dropped (they would end the paragraph), lines joined by a line
/// break. Empty when `text` holds nothing printable.
pub fn markdown_block(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(markdown_line)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A Markdown ATX heading of `level` (1–6) whose text is `text` as [`markdown_inline`]; a `#`
/// ending the text is escaped (it would be taken for a closing sequence and dropped).
pub fn markdown_heading(level: usize, text: &str) -> String {
    let mut t = markdown_inline(text).trim().to_string();
    if t.ends_with('#') {
        t.pop();
        t.push_str("\\#");
    }
    format!("{} {t}", "#".repeat(level.clamp(1, 6)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_drops_exactly_the_forbidden_characters() {
        assert_eq!(
            xml_text("a\u{0}b\u{1}\u{8}\u{B}\u{C}\u{1F}c\td\ne\rf\u{FFFE}g\u{FFFF}h"),
            "abc\td\ne\rfgh"
        );
        // Allowed: the edges of each range, a supplementary-plane character, U+FFFD.
        let ok = "\u{20}\u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}\u{7F}\u{85}";
        assert_eq!(xml_text(ok), ok);
        assert!(matches!(xml_text("政府信息公开"), Cow::Borrowed(_)));
    }

    #[test]
    fn html_drops_controls_and_noncharacters() {
        assert_eq!(
            html_text("a\u{0}\u{7}\u{7F}\u{80}\u{9F}b\u{FDD0}\u{FDEF}\u{1FFFE}\u{10FFFF}c\td\ne"),
            "abc\td\ne"
        );
        assert_eq!(
            html_text("\u{A0}《条例》\u{FDCF}"),
            "\u{A0}《条例》\u{FDCF}"
        );
    }

    #[test]
    fn markdown_inline_escapes_markup() {
        assert_eq!(
            markdown_inline("<script>alert(1)</script>"),
            "\\<script>alert(1)\\</script>"
        );
        assert_eq!(
            markdown_inline("[点此](javascript:alert(1))"),
            "\\[点此\\](javascript:alert(1))"
        );
        assert_eq!(
            markdown_inline("a|b*c*_d_`e`~~f~~"),
            "a\\|b\\*c\\*\\_d\\_\\`e\\`\\~\\~f\\~\\~"
        );
        assert_eq!(markdown_inline("&lt; &#60; & 和"), "\\&lt; \\&#60; & 和");
        assert_eq!(markdown_inline("<!-- <?php <a <"), "\\<!-- \\<?php \\<a <");
        // Not HTML: printed as it is (a real report's 《…》 typed as <…>).
        assert_eq!(
            markdown_inline("关于印发<政府信息公开信息处理费管理办法>的通知 1<2"),
            "关于印发<政府信息公开信息处理费管理办法>的通知 1<2"
        );
        assert_eq!(markdown_inline("a\\*b \\中 c\\"), "a\\\\\\*b \\中 c\\");
        // The placeholder `\` of a table cell is unchanged.
        assert_eq!(markdown_inline("\\"), "\\");
        assert_eq!(markdown_inline("一\n二\r三\u{0}\u{7F}"), "一 二 三");
        // A dropped character between a backslash and markup does not let the markup through.
        assert_eq!(markdown_inline("\\\u{85}<svg>"), "\\\\\\<svg>");
        assert_eq!(markdown_inline("&\u{1}#60;"), "\\&#60;");
        // Ordinary prose is unchanged.
        let prose = "2024年，本机关主动公开政府信息1,234条（含《条例》规定的内容）。";
        assert_eq!(markdown_inline(prose), prose);
    }

    #[test]
    fn markdown_line_escapes_block_starts_only() {
        assert_eq!(markdown_line("# 标题"), "\\# 标题");
        assert_eq!(markdown_line("   > 引用"), "\\> 引用");
        assert_eq!(markdown_line("- 项"), "\\- 项");
        assert_eq!(markdown_line("+ 项"), "\\+ 项");
        assert_eq!(markdown_line("* 项"), "\\* 项");
        assert_eq!(markdown_line("==="), "\\===");
        assert_eq!(markdown_line("```"), "\\`\\`\\`");
        assert_eq!(markdown_line("1. 项"), "1\\. 项");
        assert_eq!(markdown_line("12) 项"), "12\\) 项");
        assert_eq!(markdown_line("3."), "3\\.");
        // A backslash ending the line (a hard break) is escaped.
        assert_eq!(markdown_line("甲\\"), "甲\\\\");
        assert_eq!(markdown_line("甲\\\\"), "甲\\\\\\\\");
        assert_eq!(markdown_line("\u{1} \u{85}# 标题"), "\\# 标题");
        // Not block starts: left as they are.
        assert_eq!(markdown_line("1.主动公开"), "1.主动公开");
        assert_eq!(markdown_line("2024年"), "2024年");
        assert_eq!(markdown_line("一、总体情况"), "一、总体情况");
    }

    #[test]
    fn markdown_headings_keep_their_text() {
        assert_eq!(markdown_heading(1, "某局2024年报告"), "# 某局2024年报告");
        assert_eq!(markdown_heading(2, "一、总体情况 #"), "## 一、总体情况 \\#");
        assert_eq!(markdown_heading(3, "a\n<b>"), "### a \\<b>");
    }

    #[test]
    fn markdown_block_keeps_one_paragraph() {
        assert_eq!(markdown_block("甲\n\n# 乙\r\n丙"), "甲\n\\# 乙\n丙");
        assert_eq!(markdown_block("\n \u{1}\n"), "");
    }
}
