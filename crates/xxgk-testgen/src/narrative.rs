//! The prose of a generated report: preamble, the narrative of parts 一, 五 and 六, and padding
//! paragraphs. Everything is built from templates in the style of real reports, with numbers
//! taken from the report's tables where the narrative states them. It is test data: the
//! generator puts it into the report it draws (`meta.preamble`, the sections' text), and writers
//! print it as they print any report's own text.
//!
//! The prose never starts a line with a part marker ("一、"…"六、"), never prints a full date
//! after the tables (so the publication date stays the last date of the document) and never
//! spells a table row label.

use xxgk_model::catalogue::{Format, TableId, PARTS};
use xxgk_model::{CellId, Report, Section};

use crate::names;
use crate::rng::Rng;

/// One paragraph of a part: a numbered sub-heading or a body paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Para {
    Subheading(String),
    Body(String),
}

impl Para {
    pub(crate) fn text(&self) -> &str {
        match self {
            Para::Subheading(s) | Para::Body(s) => s,
        }
    }
}

/// The prose of one report.
#[derive(Debug, Clone, Default)]
pub(crate) struct Narrative {
    pub preamble: Vec<Para>,
    pub overview: Vec<Para>,
    pub problems: Vec<Para>,
    pub other: Vec<Para>,
    /// Sentences of parts 二, 三 and 四, printed before their table (none are generated).
    pub before_tables: [Vec<Para>; 3],
}

impl Narrative {
    /// The paragraphs printed in part `number` (1–6) besides its table.
    pub(crate) fn part(&self, number: u8) -> &[Para] {
        match number {
            1 => &self.overview,
            2..=4 => &self.before_tables[usize::from(number - 2)],
            5 => &self.problems,
            _ => &self.other,
        }
    }
}

const SUB_MARKERS: [&str; 10] = [
    "（一）",
    "（二）",
    "（三）",
    "（四）",
    "（五）",
    "（六）",
    "（七）",
    "（八）",
    "（九）",
    "（十）",
];

const INTROS: &[&str] = &[
    "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级关于政务公开工作的决策部署，坚持以公开为常态、不公开为例外，推进决策公开、执行公开、管理公开、服务公开、结果公开，切实保障人民群众的知情权、参与权、表达权和监督权。",
    "{year}年，{self}认真落实党中央、国务院和省委、省政府关于全面推进政务公开工作的系列部署，坚持统筹兼顾、突出重点，扎实推进新时代政务公开工作，持续提升政务公开标准化、规范化水平，进一步发挥政务公开引导、服务和监督的功能。",
    "{year}年，在上级政务公开主管部门的指导下，{self}紧紧围绕中心工作，严格执行《条例》各项规定，不断健全工作机制，拓宽公开渠道，规范公开内容，政府信息公开工作运行平稳，各项任务均按要求完成。",
];

const ACTIVE_SENTENCES: &[&str] = &[
    "围绕重点领域信息公开，{self}及时发布财政预决算、行政执法、公共服务等信息，主动回应社会关切，全年发布政策解读材料{k}篇。",
    "对涉及群众切身利益的政策文件，坚持同步起草、同步审签、同步发布解读材料，采用图文、问答等形式提高政策解读的可读性。",
    "按照主动公开基本目录要求，持续做好机构职能、权责清单、办事指南等基础信息的动态更新，确保公开信息准确、完整。",
];

const MANAGEMENT_SENTENCES: &[&str] = &[
    "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，明确审查程序和责任，全年共审查拟公开公文{k}件。",
    "动态调整主动公开基本目录，及时更新政府信息公开指南，规范公文公开属性源头认定，做到应公开尽公开。",
    "开展规范性文件清理工作，对现行有效的规范性文件进行集中梳理，并在门户网站集中公开、动态更新。",
    "加强政府信息资源的规范化管理，建立健全政府信息的收集、保存、审查和发布机制，确保信息来源可靠、内容准确。",
];

const PLATFORM_SENTENCES: &[&str] = &[
    "充分发挥政府门户网站信息公开第一平台作用，优化栏目设置，规范栏目内容，确保信息发布及时、准确、完整。",
    "加强政务新媒体管理，利用微信公众号等平台同步发布政策文件和工作动态，全年通过政务新媒体发布信息{k}条。",
    "做好政务服务便民热线与政府信息公开工作的衔接，对群众反映集中的问题及时予以回应，全年回复网民留言{k}条。",
    "规范政府信息公开专栏建设，统一栏目名称和内容要求，方便公众查阅和使用。",
];

const SUPERVISION_SENTENCES: &[&str] = &[
    "成立由主要负责同志任组长的政务公开工作领导小组，明确分管领导和具体工作人员，形成主要领导亲自抓、分管领导具体抓、办公室统筹协调的工作格局。",
    "将政务公开工作纳入年度目标考核，全年组织开展政务公开业务培训{k}次，不断提升工作人员的业务能力和水平。",
    "主动接受社会公众和新闻媒体的监督，畅通意见建议反映渠道，对发现的问题及时整改。",
    "本年度未发生因政府信息公开工作被追究责任的情况。",
];

const PROBLEM_SENTENCES: &[&str] = &[
    "{year}年，{self}政府信息公开工作取得了一定成效，但也存在一些不足：一是公开内容的深度和广度有待进一步拓展；二是政策解读的形式还不够丰富；三是工作人员的业务能力有待进一步提升。",
    "对照上年度报告中提出的问题，{self}逐条制定整改措施，明确责任人和完成时限，已全部整改到位。",
    "从工作实际看，部分科室对政务公开工作的重视程度还不够，信息报送的主动性和及时性有待加强，公开信息的系统化和精细化水平仍需提升。",
];

const IMPROVEMENT_SENTENCES: &[&str] = &[
    "针对上述问题，下一步{self}将重点做好以下工作：一是进一步加大主动公开力度，围绕群众关注的热点问题，及时准确公开相关信息；二是丰富政策解读形式，采用图表图解、视频解读等方式提高解读质量；三是加强业务培训，提升工作人员的专业素养。",
    "下一步，{self}将持续推进政务公开标准化规范化建设，严格执行政府信息公开审查制度，加强信息公开平台维护，切实提升依申请公开办理质效。",
];

/// Sentences for padding paragraphs: general statements any agency's report makes.
const FILLER_SENTENCES: &[&str] = &[
    "坚持把政务公开作为建设法治政府、服务型政府的重要抓手，统筹推进各项公开任务。",
    "进一步完善政务公开工作制度，细化工作流程，明确各环节的责任主体和办理时限。",
    "围绕优化营商环境，及时公开涉企政策、审批服务事项和监管执法信息，方便企业和群众办事。",
    "加强对重大决策预公开工作的组织，在决策前广泛听取社会公众和利益相关方的意见建议。",
    "推进基层政务公开标准化规范化，结合实际编制并动态调整本领域政务公开事项标准目录。",
    "严格落实政务公开审查机制，对拟公开的信息逐条审核，切实防止失泄密问题发生。",
    "依托门户网站集中发布政策文件，对现行有效的文件实行分类管理，方便公众检索查询。",
    "注重发挥政务新媒体的传播优势，以群众喜闻乐见的形式做好政策宣传和解读工作。",
    "健全政民互动机制，通过在线访谈、意见征集等方式增强公众参与的深度和广度。",
    "认真办理政府信息公开申请，严格按照法定程序和时限答复，确保答复内容准确、依据充分、程序合法。",
    "加强与保密、法制等部门的沟通协作，对疑难申请进行集体研究，依法妥善处理。",
    "持续做好建议提案办理结果公开工作，对涉及公共利益、社会关注度高的办理复文全文公开。",
    "定期开展网站内容检查，及时发现并整改错链、断链和信息更新不及时等问题。",
    "组织工作人员认真学习《条例》及相关配套制度，准确把握公开范围和公开要求。",
    "进一步规范依申请公开受理、登记、审查、答复等环节，实现全流程留痕管理。",
    "加强政府信息公开工作的日常监督检查，对发现的问题建立台账、限期整改。",
    "坚持以公开促落实、以公开促规范、以公开促服务，推动政务公开与业务工作深度融合。",
    "按照“谁公开、谁审查，谁审查、谁负责”的原则，落实信息发布的审核责任。",
    "全面梳理本机关职责范围内的公开事项，做到公开内容与权责清单相衔接。",
    "聚焦群众关心关注的教育、医疗、就业、社会保障等民生领域，加大信息公开力度。",
    "在政策文件发布后及时跟踪社会反响，对误解误读及时予以回应和澄清。",
    "推进政务公开专区建设，为企业和群众提供政策查询、办事咨询等便利服务。",
    "完善政务信息发布协调机制，确保发布信息口径统一、内容准确。",
    "对公开的政府信息进行定期评估，及时清理过时失效的信息，保证信息的时效性。",
    "深入推进“互联网+政务服务”，推动更多事项网上办、掌上办，提升服务便利化水平。",
    "积极探索政务公开新方式，以公开促进政策落地见效，增强人民群众的获得感。",
];

const FEE_NONE: &str = "{year}年，{self}未收取信息处理费。";
const FEE_SOME: &str =
    "依据《政府信息公开信息处理费管理办法》，{year}年{self}共发出收费通知{a}件，收取信息处理费{k}元。";
const KEY_POINTS: &str =
    "{self}按照上级年度政务公开工作要点要求，逐项分解任务，明确责任分工，各项任务均已按要求落实。";
const PROPOSALS: &str =
    "{year}年，{self}共承办人大代表建议{a}件、政协提案{b}件，均已按时办结并公开办理结果。";
const INNOVATION: &str = "本年度无其他需要说明的创新做法。";
const NOTHING_ELSE: &str = "{self}本年度无需要说明的其他事项。";

struct Ctx<'a> {
    year: i32,
    agency: &'a str,
    this: &'static str,
}

impl Ctx<'_> {
    fn fill(&self, template: &str, rng: &mut Rng) -> String {
        let mut s = template
            .replace("{year}", &self.year.to_string())
            .replace("{agency}", self.agency)
            .replace("{self}", self.this);
        for key in ["{k}", "{a}", "{b}"] {
            while let Some(at) = s.find(key) {
                let n = rng.skewed(300).max(1);
                s.replace_range(at..at + key.len(), &n.to_string());
            }
        }
        s
    }
}

fn total_of(report: &Report, row: &'static str) -> Option<i64> {
    report
        .value(&CellId {
            table: TableId::Requests,
            row,
            column: "total",
        })
        .and_then(|v| v.as_int())
}

/// Build the narrative of `report`; `extra_bytes` of padding paragraphs are added to parts 一
/// and 五 (about that many bytes of UTF-8).
pub(crate) fn build(report: &Report, seed: u64, extra_bytes: usize) -> Narrative {
    let mut rng = Rng::derive(seed, 0x6e61_7272);
    let agency = report
        .meta
        .agency_printed
        .as_deref()
        .or(report.meta.agency.as_deref())
        .unwrap_or_default();
    let year = report.meta.year.unwrap_or(2024);
    let format = report.format().unwrap_or(Format::F2021);
    let ctx = Ctx {
        year,
        agency,
        this: names::self_reference(agency),
    };
    let mut n = Narrative::default();

    // Preamble.
    let area = rng.range(530, 999);
    let phone = rng.range(2_000_000, 8_999_999);
    let mut pre = format!(
        "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（{}）要求编制。",
        format.instrument()
    );
    if rng.chance(0.6) {
        pre.push_str("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分内容。");
    }
    pre.push_str(&format!(
        "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    ));
    pre.push_str("本报告电子版可在本机关门户网站政府信息公开专栏查阅或下载。");
    pre.push_str(&format!(
        "如对本报告有疑问，请与{agency}办公室联系（联系电话：0{area}-{phone}）。"
    ));
    n.preamble.push(Para::Body(pre));

    // Part 一.
    n.overview
        .push(Para::Body(ctx.fill(rng.pick(INTROS), &mut rng)));
    let published = rng.skewed(800) + 5;
    let parts = split_total(&mut rng, published, 4);
    let subsections: [(&str, Vec<String>); 5] = [
        (
            "主动公开情况",
            vec![
                format!(
                    "{year}年，{}通过政府门户网站主动公开政府信息{published}条，其中机构职能类信息{}条，政策文件类信息{}条，工作动态类信息{}条，其他信息{}条。",
                    ctx.this, parts[0], parts[1], parts[2], parts[3]
                ),
                ctx.fill(rng.pick(ACTIVE_SENTENCES), &mut rng),
            ],
        ),
        ("依申请公开情况", vec![requests_sentence(report, &ctx)]),
        (
            "政府信息管理情况",
            vec![ctx.fill(rng.pick(MANAGEMENT_SENTENCES), &mut rng)],
        ),
        (
            "政府信息公开平台建设情况",
            vec![ctx.fill(rng.pick(PLATFORM_SENTENCES), &mut rng)],
        ),
        (
            "监督保障情况",
            vec![ctx.fill(rng.pick(SUPERVISION_SENTENCES), &mut rng)],
        ),
    ];
    for (i, (heading, bodies)) in subsections.into_iter().enumerate() {
        n.overview
            .push(Para::Subheading(format!("{}{heading}", SUB_MARKERS[i])));
        for b in bodies {
            n.overview.push(Para::Body(b));
        }
    }

    // Part 五.
    n.problems
        .push(Para::Body(ctx.fill(rng.pick(PROBLEM_SENTENCES), &mut rng)));
    n.problems.push(Para::Body(
        ctx.fill(rng.pick(IMPROVEMENT_SENTENCES), &mut rng),
    ));

    // Part 六.
    match format {
        Format::F2021 => {
            let fee = if rng.chance(0.85) { FEE_NONE } else { FEE_SOME };
            let items = [
                ("收取信息处理费情况。", fee),
                ("上级年度政务公开工作要点落实情况。", KEY_POINTS),
                ("人大代表建议和政协提案办理结果公开情况。", PROPOSALS),
                ("年度政务公开工作创新情况。", INNOVATION),
            ];
            for (i, (head, body)) in items.into_iter().enumerate() {
                let body = ctx.fill(body, &mut rng);
                n.other
                    .push(Para::Body(format!("{}{head}{body}", SUB_MARKERS[i])));
            }
        }
        Format::F2019 => n.other.push(Para::Body(ctx.fill(NOTHING_ELSE, &mut rng))),
    }

    // Padding: alternate between part 一 (before its last sub-section) and part 五.
    let mut added = 0usize;
    let mut to_overview = true;
    while added < extra_bytes {
        let k = rng.range(3, 7) as usize;
        let mut p = String::new();
        for _ in 0..k {
            p.push_str(rng.pick(FILLER_SENTENCES));
        }
        added += p.len();
        if to_overview {
            let at = n.overview.len().saturating_sub(1);
            n.overview.insert(at, Para::Body(p));
        } else {
            n.problems.insert(1, Para::Body(p));
        }
        to_overview = !to_overview;
    }
    n
}

fn requests_sentence(report: &Report, ctx: &Ctx<'_>) -> String {
    let year = ctx.year;
    let this = ctx.this;
    let new = total_of(report, "new_received");
    let carried_over = total_of(report, "carried_over");
    let handled = total_of(report, "total");
    let forward = total_of(report, "carried_forward");
    match (new, carried_over, handled, forward) {
        (Some(0), Some(0), _, _) => format!("{year}年，{this}未收到政府信息公开申请。"),
        (Some(a), Some(b), Some(c), Some(d)) => format!(
            "{year}年，{this}共收到政府信息公开申请{a}件，上年结转{b}件，办结{c}件，结转下年度继续办理{d}件，均在法定期限内予以答复。"
        ),
        _ => format!(
            "{year}年，{this}严格按照《条例》规定的时限和程序办理政府信息公开申请，做到依法受理、规范答复。"
        ),
    }
}

/// Split `total` into `n` non-negative parts.
fn split_total(rng: &mut Rng, total: i64, n: usize) -> Vec<i64> {
    let mut cuts: Vec<i64> = (0..n.saturating_sub(1))
        .map(|_| rng.range(0, total))
        .collect();
    cuts.sort_unstable();
    let mut parts = Vec::with_capacity(n);
    let mut prev = 0;
    for c in cuts {
        parts.push(c - prev);
        prev = c;
    }
    parts.push(total - prev);
    parts
}

/// Put the generated prose of `report` into it, as a reader would have found it in a document:
/// the preamble in `meta.preamble`, the six parts as sections (catalogue markers and headings,
/// sub-headings and paragraphs one per line), and the signature (agency, publication date) as
/// the last lines of part 六.
pub(crate) fn write_into(report: &mut Report, seed: u64, extra_bytes: usize) {
    let n = build(report, seed, extra_bytes);
    report.meta.preamble = n.preamble.iter().map(|p| p.text().to_string()).collect();
    let mut signature = Vec::new();
    if let Some(a) = &report.meta.agency_printed {
        signature.push(a.clone());
    }
    if let Some(d) = &report.meta.published {
        let d = d.value;
        signature.push(format!("{}年{}月{}日", d.year, d.month, d.day));
    }
    report.sections = PARTS
        .iter()
        .map(|def| {
            let mut lines: Vec<String> = n
                .part(def.number)
                .iter()
                .map(|p| p.text().to_string())
                .collect();
            if usize::from(def.number) == PARTS.len() {
                lines.extend(signature.iter().cloned());
            }
            Section {
                part: def.number,
                marker: def.marker(),
                heading: def.heading.to_string(),
                line: 0,
                end_line: 0,
                text: lines.join("\n"),
            }
        })
        .collect();
}

/// The table-row labels of every format, to make sure no prose line can be taken for a row.
#[cfg(test)]
fn all_row_labels() -> Vec<String> {
    let mut v = Vec::new();
    for f in Format::ALL {
        for t in xxgk_model::catalogue::tables(f) {
            for r in t.rows {
                v.push(r.printed_label());
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{random_report, GenOptions};

    #[test]
    fn padding_reaches_the_target_and_prose_avoids_markers() {
        let labels = all_row_labels();
        for seed in 0..50 {
            let r = random_report(seed, &GenOptions::default());
            let small = build(&r, seed, 0);
            let big = build(&r, seed, 20_000);
            let bytes = |n: &Narrative| -> usize {
                [&n.preamble, &n.overview, &n.problems, &n.other]
                    .iter()
                    .flat_map(|v| v.iter())
                    .map(|p| p.text().len())
                    .sum()
            };
            assert!(bytes(&big) >= bytes(&small) + 20_000);
            for p in [&big.preamble, &big.overview, &big.problems, &big.other]
                .iter()
                .flat_map(|v| v.iter())
            {
                let t = p.text();
                for num in xxgk_model::catalogue::CHINESE_NUMERALS {
                    assert!(!t.starts_with(&format!("{num}、")), "{t}");
                }
                assert!(!labels.iter().any(|l| t == l), "{t}");
            }
        }
    }
}
