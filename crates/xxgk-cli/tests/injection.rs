//! Defect injection (issue 3, Acceptance): start from correct reports — the seeds of
//! `../shared/corpus` and generated reports rendered in every text layout — inject one defect at
//! a time into the *text*, read it back and check it, and require that a new finding reports the
//! defect, naming the changed cell where there is one. Every uninjected correct report must give
//! no `error`.
//!
//! Defects are edited into the text where the reader says things are: a table cell through its
//! provenance (line and character column), a part through its heading line and body, the title
//! and the publication date through their spans. The reader is therefore exercised as much as
//! the checks: a defect the reader loses is a miss like one the checks overlook.
//!
//! An injection that cannot apply to a report (a blank in a layout that cannot print one, a late
//! date in a report that prints no date, …) is skipped with its reason and counted. Each test
//! prints its table of kinds (injected / found / skipped, with reasons); run with
//! `--nocapture` to see it.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use xxgk_model::catalogue::{self, Format, TableId};
use xxgk_model::{CellId, Finding, Number, Report, Severity, Value};
use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::text::{render_text, TextLayout, TextOptions};

// ---------------------------------------------------------------------------------------------
// Kinds of defect
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A number of table 三 or 四 changed.
    CellChange,
    /// A number of table 三 or 四 blanked.
    CellBlank,
    /// A number of table 三 or 四 made negative.
    CellNegative,
    /// The number of applications received stated in the text changed (or such a statement,
    /// with a wrong number, added to part 三 when the text states none).
    NarrativeReceived,
    /// "未收到政府信息公开申请" added to part 三 of a report with applications.
    NarrativeNoneReceived,
    /// A table-二 header of the 2021 format replaced by its 2019 label, in a 2021+ report.
    OldLabel,
    /// One of the six parts removed (heading and body).
    DropPart,
    /// The 信息处理费 statement of part 六 removed.
    DropFee,
    /// The publication date moved after the deadline.
    Late,
    /// The year of the title changed.
    TitleYear,
}

const KINDS: [Kind; 10] = [
    Kind::CellChange,
    Kind::CellBlank,
    Kind::CellNegative,
    Kind::NarrativeReceived,
    Kind::NarrativeNoneReceived,
    Kind::OldLabel,
    Kind::DropPart,
    Kind::DropFee,
    Kind::Late,
    Kind::TitleYear,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::CellChange => "change a cell",
            Kind::CellBlank => "blank a cell",
            Kind::CellNegative => "negative cell",
            Kind::NarrativeReceived => "narrative: received count",
            Kind::NarrativeNoneReceived => "narrative: 未收到申请",
            Kind::OldLabel => "old-format label",
            Kind::DropPart => "drop a part",
            Kind::DropFee => "drop the fee statement",
            Kind::Late => "publish late",
            Kind::TitleYear => "title year",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading, checking, expectations
// ---------------------------------------------------------------------------------------------

/// A report as read, with every finding (the reader's and the checks').
struct Checked {
    report: Report,
    findings: Vec<Finding>,
}

fn read_check(text: &str) -> Result<Checked, String> {
    let report = xxgk_read::read(text.as_bytes(), None).map_err(|e| e.to_string())?;
    let mut findings = report.findings.clone();
    findings.extend(xxgk_check::check(&report));
    Ok(Checked { report, findings })
}

/// A finding that must appear after the injection (and was not there before).
#[derive(Debug, Clone)]
struct Expect {
    /// One of these rules (any rule when empty).
    rules: &'static [&'static str],
    severity: Option<Severity>,
    cell: Option<CellId>,
    /// Words the message must contain.
    message: Option<String>,
}

/// The identities of tables 三 and 四.
const IDENTITY_RULES: &[&str] = &[
    "T3-BALANCE",
    "T3-OUTCOME-SUM",
    "T3-ROW-TOTAL",
    "T4-GROUP-TOTAL",
];

impl Expect {
    fn rule(rule: &'static str) -> Expect {
        Expect {
            rules: match rule {
                "VALUE-BLANK" => &["VALUE-BLANK"],
                "UNVERIFIABLE" => &["UNVERIFIABLE"],
                "VALUE-NEGATIVE" => &["VALUE-NEGATIVE"],
                "TEXT-RECEIVED" => &["TEXT-RECEIVED"],
                "TEXT-NONE-RECEIVED" => &["TEXT-NONE-RECEIVED"],
                "FORMAT-YEAR" => &["FORMAT-YEAR"],
                "STRUCT-PARTS" => &["STRUCT-PARTS"],
                "PART6-FEES" => &["PART6-FEES"],
                "DATE-LATE" => &["DATE-LATE"],
                "DATE-YEAR-MISMATCH" => &["DATE-YEAR-MISMATCH"],
                other => panic!("no expectation for {other}"),
            },
            severity: None,
            cell: None,
            message: None,
        }
    }

    fn naming(mut self, cell: CellId) -> Expect {
        self.cell = Some(cell);
        self
    }

    fn saying(mut self, words: &str) -> Expect {
        self.message = Some(words.to_string());
        self
    }

    /// An error of a table identity naming `cell`.
    fn identity_error_naming(cell: CellId) -> Expect {
        Expect {
            rules: IDENTITY_RULES,
            severity: Some(Severity::Error),
            cell: Some(cell),
            message: None,
        }
    }

    fn matches(&self, f: &Finding) -> bool {
        (self.rules.is_empty() || self.rules.contains(&f.rule))
            && self.severity.is_none_or(|s| f.severity == s)
            && self.cell.is_none_or(|c| f.cells.contains(&c))
            && self
                .message
                .as_deref()
                .is_none_or(|m| f.message.contains(m))
    }

    fn describe(&self) -> String {
        format!(
            "{} {} {} {}",
            self.rules.join("|"),
            self.severity.map_or("", |s| s.id()),
            self.cell.map(|c| c.to_string()).unwrap_or_default(),
            self.message.as_deref().unwrap_or("")
        )
    }
}

fn same(a: &Finding, b: &Finding) -> bool {
    a.rule == b.rule && a.message == b.message && a.cells == b.cells
}

/// One defect put into a text.
struct Injection {
    kind: Kind,
    /// A sub-kind counted on its own ("" for none).
    variant: &'static str,
    /// What was done, for the messages.
    what: String,
    text: String,
    expect: Vec<Expect>,
}

enum Outcome {
    Injected(Injection),
    Skipped(Kind, &'static str),
}

// ---------------------------------------------------------------------------------------------
// Editing the text
// ---------------------------------------------------------------------------------------------

/// The text as lines (split at '\n'; a CR stays at the end of its line) and back.
#[derive(Clone)]
struct Lines(Vec<String>);

impl Lines {
    fn of(text: &str) -> Lines {
        Lines(text.split('\n').map(str::to_string).collect())
    }

    fn text(&self) -> String {
        self.0.join("\n")
    }

    /// The 1-based line `n`.
    fn get(&self, n: u32) -> Option<&String> {
        self.0.get((n as usize).checked_sub(1)?)
    }

    fn set(&mut self, n: u32, s: String) {
        if let Some(l) = (n as usize).checked_sub(1).and_then(|i| self.0.get_mut(i)) {
            *l = s;
        }
    }

    /// Remove the 1-based lines `a..=b`.
    fn remove(&mut self, a: u32, b: u32) {
        let (a, b) = (a as usize - 1, (b as usize).min(self.0.len()));
        self.0.drain(a..b);
    }

    /// Insert `new` lines after the 1-based line `n`, keeping the file's line ending.
    fn insert_after(&mut self, n: u32, new: &[&str]) {
        let cr = if self.0.first().is_some_and(|l| l.ends_with('\r')) {
            "\r"
        } else {
            ""
        };
        let at = (n as usize).min(self.0.len());
        for (k, l) in new.iter().enumerate() {
            self.0.insert(at + k, format!("{l}{cr}"));
        }
    }
}

fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => {
            char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
        }
        '．' => '.',
        '－' => '-',
        '＋' => '+',
        _ => c,
    }
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => {
                char::from_u32(u32::from(c) - u32::from('0') + u32::from('０')).unwrap_or(c)
            }
            '.' => '．',
            _ => c,
        })
        .collect()
}

fn is_separator(c: char) -> bool {
    c == '\t' || c == '|' || c == '\r' || c.is_whitespace()
}

/// Where `cell` is printed: (line, first char, end char) of its token, verified to print the
/// cell's value. `None` when the provenance does not lead to the value.
fn locate(lines: &Lines, report: &Report, id: &CellId) -> Option<(u32, usize, usize)> {
    let cell = report.cells.get(id)?;
    let n = cell.value.as_number()?;
    let line: Vec<char> = lines.get(cell.span.line)?.chars().collect();
    let mut start = (cell.span.column? as usize).checked_sub(1)?;
    while line
        .get(start)
        .is_some_and(|c| c.is_whitespace() && *c != '\t')
    {
        start += 1;
    }
    let mut end = start;
    while line.get(end).is_some_and(|c| !is_separator(*c)) {
        end += 1;
    }
    let token: String = line[start..end].iter().map(|c| fold_digit(*c)).collect();
    (Number::parse(&token) == Some(n)).then_some((cell.span.line, start, end))
}

/// Replace the cell's printed value with `new` (printed in full width when the value was).
fn replace_cell(lines: &Lines, report: &Report, id: &CellId, new: &str) -> Option<Lines> {
    let (n, start, end) = locate(lines, report, id)?;
    let line: Vec<char> = lines.get(n)?.chars().collect();
    let wide = line[start..end].iter().any(|c| ('０'..='９').contains(c));
    let new = if wide {
        full_width(new)
    } else {
        new.to_string()
    };
    let mut out = lines.clone();
    let edited: String =
        line[..start].iter().collect::<String>() + &new + &line[end..].iter().collect::<String>();
    out.set(n, edited);
    Some(out)
}

/// A small deterministic hash (SplitMix64's finalizer) for picking cells.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The integer cells of tables 三 and 四 whose change an identity can see: every other cell of
/// the row is a number (T3-ROW-TOTAL, T4-GROUP-TOTAL), or, in table 三, every cell of the column
/// is (T3-OUTCOME-SUM or T3-BALANCE; every row of table 三 is in one of them).
fn identity_cells(report: &Report) -> Vec<CellId> {
    let is_num = |id: &CellId| report.value(id).and_then(Value::as_int).is_some();
    let all_num = |f: &dyn Fn(&CellId) -> bool| report.cells.keys().filter(|k| f(k)).all(is_num);
    report
        .cells
        .keys()
        .filter(|id| matches!(id.table, TableId::Requests | TableId::Appeals) && is_num(id))
        .filter(|id| {
            all_num(&|k| k.table == id.table && k.row == id.row)
                || (id.table == TableId::Requests
                    && all_num(&|k| k.table == id.table && k.column == id.column))
        })
        .copied()
        .collect()
}

/// `count` cells of `cells` picked by `salt`; the first is a total (a 总计 row or column)
/// when there is one.
fn pick(cells: &[CellId], count: usize, salt: u64) -> Vec<CellId> {
    let mut out: Vec<CellId> = Vec::new();
    let totals: Vec<CellId> = cells
        .iter()
        .filter(|c| c.row == "total" || c.column == "total")
        .copied()
        .collect();
    if let Some(t) = totals.get((mix(salt) % totals.len().max(1) as u64) as usize) {
        out.push(*t);
    }
    let mut k = 1;
    while out.len() < count.min(cells.len()) {
        let c = cells[(mix(salt ^ (k * 0x1_0000)) % cells.len() as u64) as usize];
        if !out.contains(&c) {
            out.push(c);
        }
        k += 1;
    }
    out
}

fn int_of(report: &Report, table: TableId, row: &str, column: &str) -> Option<i64> {
    report
        .cells
        .iter()
        .find(|(id, _)| id.table == table && id.row == row && id.column == column)
        .and_then(|(_, c)| c.value.as_int())
}

fn section_of(report: &Report, part: u8) -> Option<&xxgk_model::Section> {
    report.sections.iter().find(|s| s.part == part)
}

// ---------------------------------------------------------------------------------------------
// The injections
// ---------------------------------------------------------------------------------------------

/// A correct report.
struct Subject {
    name: String,
    text: String,
    /// The layout a generated report was rendered in.
    layout: Option<TextLayout>,
}

/// What a report gets: how many cells per cell kind, which parts are dropped (one case each),
/// how many table-二 headers are replaced (one case each).
struct Plan {
    cells: usize,
    parts: Vec<u8>,
    old_labels: Vec<usize>,
}

fn injected(kind: Kind, what: String, lines: &Lines, expect: Vec<Expect>) -> Outcome {
    Outcome::Injected(Injection {
        kind,
        variant: "",
        what,
        text: lines.text(),
        expect,
    })
}

fn cell_injections(s: &Subject, c: &Checked, plan: &Plan, salt: u64, out: &mut Vec<Outcome>) {
    let lines = Lines::of(&s.text);
    let report = &c.report;
    let candidates = identity_cells(report);
    for (k, kind) in [Kind::CellChange, Kind::CellBlank, Kind::CellNegative]
        .into_iter()
        .enumerate()
    {
        if candidates.is_empty() {
            out.push(Outcome::Skipped(
                kind,
                "no cell whose identities can be evaluated",
            ));
            continue;
        }
        for id in pick(&candidates, plan.cells, salt ^ ((k as u64) << 40)) {
            if kind == Kind::CellBlank && s.layout == Some(TextLayout::Spaced) {
                out.push(Outcome::Skipped(
                    kind,
                    "the spaced layout cannot print a blank cell",
                ));
                continue;
            }
            let v = report.value(&id).and_then(Value::as_int).unwrap_or(0);
            let (new, expect) = match kind {
                Kind::CellChange => {
                    let delta = 1 + (mix(salt ^ v.unsigned_abs()) % 5) as i64;
                    let nv = if v >= delta && mix(salt).is_multiple_of(2) {
                        v - delta
                    } else {
                        v + delta
                    };
                    (nv.to_string(), vec![Expect::identity_error_naming(id)])
                }
                Kind::CellBlank => (
                    String::new(),
                    vec![
                        Expect::rule("VALUE-BLANK").naming(id),
                        Expect::rule("UNVERIFIABLE").naming(id),
                    ],
                ),
                _ => (
                    format!("-{}", v.max(1)),
                    vec![Expect::rule("VALUE-NEGATIVE").naming(id)],
                ),
            };
            match replace_cell(&lines, report, &id, &new) {
                Some(edited) => out.push(injected(
                    kind,
                    format!("{id}: {v} → {new:?}"),
                    &edited,
                    expect,
                )),
                None => out.push(Outcome::Skipped(
                    kind,
                    "the cell's provenance does not lead to its printed value",
                )),
            }
        }
    }
}

/// The digits of a number starting at char `i` (ASCII or full width): their end.
fn digits_end(chars: &[char], i: usize) -> usize {
    let mut e = i;
    while chars
        .get(e)
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
    {
        e += 1;
    }
    e
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| *c == ' ' || *c == '\u{3000}') {
        i += 1;
    }
    i
}

/// The lines of a part (heading and body) as (line number, text).
fn part_lines(lines: &Lines, report: &Report, part: u8) -> Vec<(u32, String)> {
    section_of(report, part)
        .map(|s| {
            (s.line..=s.end_line)
                .filter_map(|n| lines.get(n).map(|l| (n, l.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// The number of applications received stated in the text changed; when the text states none,
/// a statement with a wrong number is added to part 三.
fn narrative_received(s: &Subject, c: &Checked) -> Outcome {
    let kind = Kind::NarrativeReceived;
    let report = &c.report;
    let Some(new) = int_of(report, TableId::Requests, "new_received", "total") else {
        return Outcome::Skipped(kind, "一、本年新收 总计 is not a number");
    };
    let over = int_of(report, TableId::Requests, "carried_over", "total").unwrap_or(0);
    let wrong = new + over + 7;
    let target = CellId::parse("requests.new_received.total").expect("canonical");
    let expect = vec![Expect::rule("TEXT-RECEIVED").naming(target)];
    let mut lines = Lines::of(&s.text);
    let phrase: Vec<char> = "收到政府信息公开申请".chars().collect();
    for part in [3, 1, 4] {
        for (n, line) in part_lines(&lines, report, part) {
            let chars: Vec<char> = line.chars().collect();
            for i in 0..chars.len() {
                if !chars[i..].starts_with(&phrase) {
                    continue;
                }
                let a = skip_spaces(&chars, i + phrase.len());
                let b = digits_end(&chars, a);
                if b == a || chars.get(skip_spaces(&chars, b)) != Some(&'件') {
                    continue;
                }
                let old: String = chars[a..b].iter().collect();
                let edited: String = chars[..a].iter().collect::<String>()
                    + &wrong.to_string()
                    + &chars[b..].iter().collect::<String>();
                lines.set(n, edited);
                return with_variant(
                    injected(
                        kind,
                        format!("part {part} line {n}: stated {old} → {wrong} (table {new})"),
                        &lines,
                        expect,
                    ),
                    "the stated number changed",
                );
            }
        }
    }
    let Some(heading) = section_of(report, 3).map(|s| s.line) else {
        return Outcome::Skipped(kind, "part 三 not found");
    };
    let sentence = format!("本年度共收到政府信息公开申请{wrong}件。");
    lines.insert_after(heading, &["", &sentence]);
    with_variant(
        injected(
            kind,
            format!("added to part 三: {sentence} (table {new})"),
            &lines,
            expect,
        ),
        "no number stated: a wrong one added to part 三",
    )
}

fn with_variant(o: Outcome, variant: &'static str) -> Outcome {
    match o {
        Outcome::Injected(i) => Outcome::Injected(Injection { variant, ..i }),
        o => o,
    }
}

/// "未收到政府信息公开申请" added to part 三 of a report with applications.
fn narrative_none_received(s: &Subject, c: &Checked) -> Outcome {
    let kind = Kind::NarrativeNoneReceived;
    let report = &c.report;
    match int_of(report, TableId::Requests, "new_received", "total") {
        None => return Outcome::Skipped(kind, "一、本年新收 总计 is not a number"),
        Some(0) => return Outcome::Skipped(kind, "the report received no application"),
        Some(_) => {}
    }
    let Some(heading) = section_of(report, 3).map(|s| s.line) else {
        return Outcome::Skipped(kind, "part 三 not found");
    };
    let mut lines = Lines::of(&s.text);
    let sentence = "本年度未收到政府信息公开申请。";
    lines.insert_after(heading, &["", sentence]);
    let target = CellId::parse("requests.new_received.total").expect("canonical");
    injected(
        kind,
        format!("added to part 三: {sentence}"),
        &lines,
        vec![Expect::rule("TEXT-NONE-RECEIVED").naming(target)],
    )
}

/// A header of table 二's documents block replaced by the 2019 format's label.
fn old_label(s: &Subject, c: &Checked, which: usize) -> Outcome {
    let kind = Kind::OldLabel;
    let report = &c.report;
    if report.format() != Some(Format::F2021) || report.meta.year.is_none_or(|y| y < 2021) {
        return Outcome::Skipped(kind, "not a 2021+ report (its format is the 2019 one)");
    }
    let new_cols = catalogue::table(Format::F2021, TableId::Active).rows[0].columns;
    let old_cols = catalogue::table(Format::F2019, TableId::Active).rows[0].columns;
    let (Some(new), Some(old)) = (new_cols.get(which), old_cols.get(which)) else {
        return Outcome::Skipped(kind, "no such header");
    };
    let mut lines = Lines::of(&s.text);
    for (n, line) in part_lines(&lines, report, 2) {
        if line.contains(new.label) {
            let edited = line.replacen(new.label, old.label, 1);
            lines.set(n, edited);
            return injected(
                kind,
                format!("line {n}: {} → {}", new.label, old.label),
                &lines,
                vec![Expect::rule("FORMAT-YEAR")],
            );
        }
    }
    Outcome::Skipped(kind, "the header is not printed on one line")
}

fn drop_part(s: &Subject, c: &Checked, part: u8) -> Outcome {
    let kind = Kind::DropPart;
    let Some(sec) = section_of(&c.report, part) else {
        return Outcome::Skipped(kind, "the part was not found before the injection");
    };
    let mut lines = Lines::of(&s.text);
    lines.remove(sec.line, sec.end_line);
    let heading = catalogue::PARTS[usize::from(part) - 1].heading;
    injected(
        kind,
        format!("part {part}: lines {}–{} removed", sec.line, sec.end_line),
        &lines,
        vec![Expect::rule("STRUCT-PARTS").saying(heading)],
    )
}

fn drop_fee(s: &Subject, c: &Checked) -> Outcome {
    let kind = Kind::DropFee;
    let report = &c.report;
    if report.meta.year.is_none_or(|y| y < 2021) {
        return Outcome::Skipped(kind, "the fee statement is required from 2021");
    }
    let mut lines = Lines::of(&s.text);
    let fee: Vec<u32> = part_lines(&lines, report, 6)
        .into_iter()
        .filter(|(_, l)| {
            let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
            catalogue::PART6_FEE_KEYWORDS.iter().any(|k| l.contains(k))
        })
        .map(|(n, _)| n)
        .collect();
    if fee.is_empty() {
        return Outcome::Skipped(kind, "part 六 states nothing about fees");
    }
    for n in fee.iter().rev() {
        lines.remove(*n, *n);
    }
    injected(
        kind,
        format!("lines {fee:?} of part 六 removed"),
        &lines,
        vec![Expect::rule("PART6-FEES")],
    )
}

fn late(s: &Subject, c: &Checked) -> Outcome {
    let kind = Kind::Late;
    let report = &c.report;
    let Some(published) = &report.meta.published else {
        return Outcome::Skipped(kind, "no publication date is printed");
    };
    let agency = report.meta.agency.as_deref().unwrap_or("");
    if catalogue::TOWNSHIP_SUFFIXES
        .iter()
        .any(|t| agency.ends_with(t))
    {
        return Outcome::Skipped(kind, "a township's deadline is set locally (not judged)");
    }
    let mut lines = Lines::of(&s.text);
    let n = published.span.line;
    let Some(line) = lines.get(n).cloned() else {
        return Outcome::Skipped(kind, "the date's line is not in the text");
    };
    let chars: Vec<char> = line.chars().collect();
    let year = published.value.year.to_string();
    let folded: String = chars.iter().map(|c| fold_digit(*c)).collect();
    // Character offsets equal byte offsets of `folded` only for ASCII; search by chars.
    let fchars: Vec<char> = folded.chars().collect();
    let ychars: Vec<char> = year.chars().collect();
    let Some(y) = (0..fchars.len()).find(|i| fchars[*i..].starts_with(&ychars)) else {
        return Outcome::Skipped(kind, "the date is not printed with Arabic digits");
    };
    let seps = ['年', '月', '-', '.', '/', '．', '－'];
    let mut i = skip_spaces(&chars, y + ychars.len());
    if !chars.get(i).is_some_and(|c| seps.contains(c)) {
        return Outcome::Skipped(kind, "the date is not printed with Arabic digits");
    }
    i = skip_spaces(&chars, i + 1);
    let (m0, m1) = (i, digits_end(&chars, i));
    i = skip_spaces(&chars, m1);
    if m1 == m0 || !chars.get(i).is_some_and(|c| seps.contains(c)) {
        return Outcome::Skipped(kind, "the date is not printed with Arabic digits");
    }
    i = skip_spaces(&chars, i + 1);
    let (d0, d1) = (i, digits_end(&chars, i));
    if d1 == d0 {
        return Outcome::Skipped(kind, "the date is not printed with Arabic digits");
    }
    let edited: String = chars[..m0].iter().collect::<String>()
        + "4"
        + &chars[m1..d0].iter().collect::<String>()
        + "15"
        + &chars[d1..].iter().collect::<String>();
    lines.set(n, edited.clone());
    injected(
        kind,
        format!("line {n}: {} → {}", line.trim(), edited.trim()),
        &lines,
        vec![Expect::rule("DATE-LATE")],
    )
}

fn title_year(s: &Subject, c: &Checked) -> Outcome {
    let kind = Kind::TitleYear;
    let report = &c.report;
    let (Some(title), Some(year)) = (&report.meta.title, report.meta.year) else {
        return Outcome::Skipped(kind, "no title or no year");
    };
    let mut lines = Lines::of(&s.text);
    let ychars: Vec<char> = year.to_string().chars().collect();
    for n in title.span.line..title.span.line + 3 {
        let Some(line) = lines.get(n).cloned() else {
            continue;
        };
        let chars: Vec<char> = line.chars().collect();
        let folded: Vec<char> = chars.iter().map(|c| fold_digit(*c)).collect();
        let at = (0..folded.len()).find(|i| {
            folded[*i..].starts_with(&ychars)
                && folded.get(skip_spaces(&folded, i + ychars.len())) == Some(&'年')
        });
        if let Some(i) = at {
            let edited: String = chars[..i].iter().collect::<String>()
                + &(year - 1).to_string()
                + &chars[i + ychars.len()..].iter().collect::<String>();
            lines.set(n, edited.clone());
            return injected(
                kind,
                format!("line {n}: {} → {}", line.trim(), edited.trim()),
                &lines,
                vec![Expect::rule("DATE-YEAR-MISMATCH")],
            );
        }
    }
    Outcome::Skipped(kind, "the title's year is not printed with Arabic digits")
}

fn injections(s: &Subject, c: &Checked, plan: &Plan, salt: u64) -> Vec<Outcome> {
    let mut out = Vec::new();
    cell_injections(s, c, plan, salt, &mut out);
    out.push(narrative_received(s, c));
    out.push(narrative_none_received(s, c));
    for w in &plan.old_labels {
        out.push(old_label(s, c, *w));
    }
    for p in &plan.parts {
        out.push(drop_part(s, c, *p));
    }
    out.push(drop_fee(s, c));
    out.push(late(s, c));
    out.push(title_year(s, c));
    out
}

// ---------------------------------------------------------------------------------------------
// Running and counting
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Count {
    injected: usize,
    variants: BTreeMap<&'static str, usize>,
    found: usize,
    skipped: BTreeMap<&'static str, usize>,
}

#[derive(Default)]
struct Tally {
    reports: usize,
    kinds: BTreeMap<Kind, Count>,
    /// Problems: correct reports with errors, injections not found.
    failures: Vec<String>,
}

impl Tally {
    fn table(&self, title: &str) -> String {
        let mut s = format!("{title}: {} correct reports\n", self.reports);
        let _ = writeln!(
            s,
            "  {:<28} {:>8} {:>6} {:>7}",
            "kind", "injected", "found", "skipped"
        );
        for k in KINDS {
            let c = self.kinds.get(&k);
            let (i, f) = c.map_or((0, 0), |c| (c.injected, c.found));
            let sk: usize = c.map_or(0, |c| c.skipped.values().sum());
            let _ = writeln!(s, "  {:<28} {i:>8} {f:>6} {sk:>7}", k.name());
            for (variant, n) in c.map(|c| &c.variants).into_iter().flatten() {
                let _ = writeln!(s, "      injected {n}: {variant}");
            }
            for (reason, n) in c.map(|c| &c.skipped).into_iter().flatten() {
                let _ = writeln!(s, "      skipped {n}: {reason}");
            }
        }
        s
    }
}

fn run(subjects: &[Subject], plan_of: impl Fn(usize) -> Plan) -> Tally {
    let mut tally = Tally::default();
    for (i, s) in subjects.iter().enumerate() {
        let before = match read_check(&s.text) {
            Ok(c) => c,
            Err(e) => {
                tally.failures.push(format!("{}: not read: {e}", s.name));
                continue;
            }
        };
        tally.reports += 1;
        for f in before
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            tally.failures.push(format!(
                "{}: correct report has an error: [{}] {}",
                s.name, f.rule, f.message
            ));
        }
        let plan = plan_of(i);
        for o in injections(s, &before, &plan, mix(i as u64 + 1)) {
            match o {
                Outcome::Skipped(kind, reason) => {
                    *tally
                        .kinds
                        .entry(kind)
                        .or_default()
                        .skipped
                        .entry(reason)
                        .or_default() += 1;
                }
                Outcome::Injected(inj) => {
                    let count = tally.kinds.entry(inj.kind).or_default();
                    count.injected += 1;
                    if !inj.variant.is_empty() {
                        *count.variants.entry(inj.variant).or_default() += 1;
                    }
                    if std::env::var_os("INJECTION_VERBOSE").is_some() {
                        println!("{}: {}: {}", s.name, inj.kind.name(), inj.what);
                    }
                    if inj.text == s.text {
                        tally.failures.push(format!(
                            "{}: {}: the injection changed nothing ({})",
                            s.name,
                            inj.kind.name(),
                            inj.what
                        ));
                        continue;
                    }
                    let after = match read_check(&inj.text) {
                        Ok(c) => c,
                        Err(e) => {
                            tally.failures.push(format!(
                                "{}: {} ({}): not read: {e}",
                                s.name,
                                inj.kind.name(),
                                inj.what
                            ));
                            continue;
                        }
                    };
                    let missing: Vec<&Expect> = inj
                        .expect
                        .iter()
                        .filter(|e| {
                            !after.findings.iter().any(|f| {
                                e.matches(f) && !before.findings.iter().any(|b| same(b, f))
                            })
                        })
                        .collect();
                    if missing.is_empty() {
                        count.found += 1;
                    } else {
                        let new: Vec<String> = after
                            .findings
                            .iter()
                            .filter(|f| !before.findings.iter().any(|b| same(b, f)))
                            .map(|f| {
                                let cells: Vec<String> =
                                    f.cells.iter().map(|c| c.to_string()).collect();
                                format!("    [{}] {} {:?}", f.rule, f.message, cells)
                            })
                            .collect();
                        tally.failures.push(format!(
                            "{}: {} ({}) not found: expected {}\n  new findings:\n{}",
                            s.name,
                            inj.kind.name(),
                            inj.what,
                            missing
                                .iter()
                                .map(|e| e.describe())
                                .collect::<Vec<_>>()
                                .join("; "),
                            new.join("\n")
                        ));
                    }
                }
            }
        }
    }
    tally
}

fn finish(tally: &Tally, title: &str) {
    println!("{}", tally.table(title));
    assert!(tally.reports > 0, "{title}: no report");
    let shown = tally.failures.len().min(20);
    assert!(
        tally.failures.is_empty(),
        "{title}: {} failures (first {shown}):\n{}",
        tally.failures.len(),
        tally.failures[..shown].join("\n")
    );
    for k in KINDS {
        let c = tally.kinds.get(&k);
        assert_eq!(
            c.map_or(0, |c| c.injected),
            c.map_or(0, |c| c.found),
            "{title}: {}",
            k.name()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
fn seeds() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let subjects: Vec<Subject> = common::seeds(&corpus)
        .into_iter()
        .map(|rel| {
            let bytes = common::read(&corpus.join(&rel));
            let text = xxgk_read::decode::decode(&bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", rel.display()))
                .lines
                .join("\n");
            Subject {
                name: rel.display().to_string(),
                text,
                layout: None,
            }
        })
        .collect();
    assert_eq!(subjects.len(), 5);
    let tally = run(&subjects, |_| Plan {
        cells: 12,
        parts: (1..=6).collect(),
        old_labels: vec![0, 1, 2],
    });
    finish(&tally, "seeds");
    // Every kind was injected into some seed.
    for k in KINDS {
        assert!(
            tally.kinds.get(&k).is_some_and(|c| c.injected > 0),
            "seeds: {} never injected",
            k.name()
        );
    }
}

/// How many generated reports per layout.
const GENERATED: u64 = 50;

fn generated(layout: TextLayout) {
    let li = TextLayout::ALL
        .iter()
        .position(|l| *l == layout)
        .unwrap_or(0) as u64;
    let subjects: Vec<Subject> = (0..GENERATED)
        .map(|i| {
            let seed = 1_000 * (li + 1) + i;
            let opts = GenOptions {
                other_single_row: seed.is_multiple_of(5),
                narrative_bytes: 0,
                ..GenOptions::default()
            };
            let report = random_report(seed, &opts);
            let text_opts = TextOptions {
                wrap_labels: seed.is_multiple_of(2),
                full_width_digits: seed.is_multiple_of(7),
                crlf: seed.is_multiple_of(9),
                space_around_numbers: seed.is_multiple_of(3),
                seed,
            };
            Subject {
                name: format!("seed {seed} {}", layout.name()),
                text: render_text(&report, layout, &text_opts),
                layout: Some(layout),
            }
        })
        .collect();
    let tally = run(&subjects, |i| Plan {
        cells: 2,
        parts: vec![1 + (i % 6) as u8],
        old_labels: vec![i % 3],
    });
    finish(&tally, &format!("generated, {}", layout.name()));
    for k in KINDS {
        assert!(
            tally.kinds.get(&k).is_some_and(|c| c.injected > 0)
                || (k == Kind::CellBlank && layout == TextLayout::Spaced),
            "{}: {} never injected",
            layout.name(),
            k.name()
        );
    }
}

#[test]
fn generated_tsv() {
    generated(TextLayout::Tsv);
}

#[test]
fn generated_cell_per_line() {
    generated(TextLayout::CellPerLine);
}

#[test]
fn generated_markdown() {
    generated(TextLayout::Markdown);
}

#[test]
fn generated_spaced() {
    generated(TextLayout::Spaced);
}
