//! The format catalogue: every table, row, column and part of the annual report, in both official
//! formats, with canonical identifiers (`../shared/spec/schema.md`), printed labels and the
//! variants seen in the wild.
//!
//! This module is the single source of truth for labels and identifiers. Readers match against
//! it, checks name cells through it, writers print its labels. No other crate spells a table label.
//!
//! Architecture invariant: everything here is `'static` data; nothing allocates or parses.

use serde::{Deserialize, Serialize};

/// The two official table formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Format {
    /// 国办公开办函〔2021〕30号, used from the 2021 report on.
    #[serde(rename = "2021")]
    F2021,
    /// 国办公开办函〔2019〕60号 trial format, used for the 2019 and 2020 reports.
    #[serde(rename = "2019")]
    F2019,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::F2021, Format::F2019];

    /// The identifier used in JSON (`"2021"` / `"2019"`).
    pub fn id(self) -> &'static str {
        match self {
            Format::F2021 => "2021",
            Format::F2019 => "2019",
        }
    }

    /// The instrument that defines the format, as users know it.
    pub fn instrument(self) -> &'static str {
        match self {
            Format::F2021 => "国办公开办函〔2021〕30号",
            Format::F2019 => "国办公开办函〔2019〕60号（试行）",
        }
    }

    /// The format an agency must use for a report about `year`.
    pub fn for_year(year: i32) -> Option<Format> {
        match year {
            y if y >= 2021 => Some(Format::F2021),
            2019 | 2020 => Some(Format::F2019),
            _ => None,
        }
    }

    pub fn from_id(s: &str) -> Option<Format> {
        match s {
            "2021" => Some(Format::F2021),
            "2019" => Some(Format::F2019),
            _ => None,
        }
    }
}

/// The three standard tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableId {
    /// 二、主动公开政府信息情况
    Active,
    /// 三、收到和处理政府信息公开申请情况
    Requests,
    /// 四、政府信息公开行政复议、行政诉讼情况
    Appeals,
}

impl TableId {
    pub const ALL: [TableId; 3] = [TableId::Active, TableId::Requests, TableId::Appeals];

    pub fn key(self) -> &'static str {
        match self {
            TableId::Active => "active",
            TableId::Requests => "requests",
            TableId::Appeals => "appeals",
        }
    }

    pub fn from_key(s: &str) -> Option<TableId> {
        TableId::ALL.into_iter().find(|t| t.key() == s)
    }

    /// The table's title as the official format prints it (the part heading it sits under).
    pub fn title(self) -> &'static str {
        match self {
            TableId::Active => "主动公开政府信息情况",
            TableId::Requests => "收到和处理政府信息公开申请情况",
            TableId::Appeals => "政府信息公开行政复议、行政诉讼情况",
        }
    }

    /// Short Chinese name used in messages: 表二 / 表三 / 表四.
    pub fn short_name(self) -> &'static str {
        match self {
            TableId::Active => "表二",
            TableId::Requests => "表三",
            TableId::Appeals => "表四",
        }
    }

    /// The part (1–6) under which this table is printed.
    pub fn part(self) -> u8 {
        match self {
            TableId::Active => 2,
            TableId::Requests => 3,
            TableId::Appeals => 4,
        }
    }
}

/// What kind of number a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A non-negative integer count (件, 项).
    Count,
    /// A signed integer (2019 本年增/减).
    SignedCount,
    /// An amount of money: 万元 in 2021 (本年收费金额), unit not printed in 2019 (采购总金额).
    Amount,
}

/// One column of a table.
#[derive(Debug, PartialEq, Eq)]
pub struct ColumnDef {
    /// Canonical identifier (the last part of a flat key).
    pub key: &'static str,
    /// The label printed in the official table.
    pub label: &'static str,
    /// Other spellings seen in real reports (typos, truncations, old wordings).
    pub aliases: &'static [&'static str],
    pub unit: Unit,
}

/// One data row of a table, in one format.
#[derive(Debug, PartialEq, Eq)]
pub struct RowDef {
    /// Canonical identifier (the middle part of a flat key).
    pub key: &'static str,
    /// The item marker printed before the label: "一、", "（一）", "1.", or "" for table 二 rows.
    pub marker: &'static str,
    /// The row label as printed in the official table, without its marker.
    pub label: &'static str,
    /// The group (row-spanning label) this row sits under, if any, e.g. "（三）不予公开".
    pub group: Option<&'static str>,
    /// Other spellings seen in the wild, without markers. Truncations need not be listed: readers
    /// accept any prefix of `label` or an alias of at least [`MIN_PREFIX_CHARS`] characters.
    pub aliases: &'static [&'static str],
    /// For table 二: the caption of the block (e.g. "第二十条第（一）项") the row belongs to.
    pub block: Option<&'static str>,
    /// The columns of this row, in printed order.
    pub columns: &'static [ColumnDef],
}

impl RowDef {
    /// The label with its marker, as printed: "（三）1.属于国家秘密" is printed as two cells, so
    /// this returns only "1.属于国家秘密".
    pub fn printed_label(&self) -> String {
        format!("{}{}", self.marker, self.label)
    }
}

/// The shortest truncated label a reader may accept as a row label ("2. 其他法律行政法规禁").
pub const MIN_PREFIX_CHARS: usize = 4;

/// A table in one format.
#[derive(Debug)]
pub struct TableDef {
    pub id: TableId,
    pub format: Format,
    pub rows: &'static [RowDef],
    /// Notes printed inside the table that a generator must reproduce exactly.
    pub notes: &'static [&'static str],
}

impl TableDef {
    pub fn row(&self, key: &str) -> Option<&'static RowDef> {
        self.rows.iter().find(|r| r.key == key)
    }

    pub fn row_index(&self, key: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.key == key)
    }

    /// Every cell of the table as (row, column), in printed order.
    pub fn cells(&self) -> impl Iterator<Item = (&'static RowDef, &'static ColumnDef)> + '_ {
        self.rows
            .iter()
            .flat_map(|r| r.columns.iter().map(move |c| (r, c)))
    }
}

// ---------------------------------------------------------------------------------------------
// Table 二 — 主动公开政府信息情况
// ---------------------------------------------------------------------------------------------

/// Block captions of table 二 (the full-width caption rows).
pub const BLOCK_20_1: &str = "第二十条第（一）项";
pub const BLOCK_20_5: &str = "第二十条第（五）项";
pub const BLOCK_20_6: &str = "第二十条第（六）项";
pub const BLOCK_20_8: &str = "第二十条第（八）项";
pub const BLOCK_20_9: &str = "第二十条第（九）项";

/// The header cell over the row labels of every table-二 block.
pub const ACTIVE_ROW_HEADER: &str = "信息内容";

const fn count(key: &'static str, label: &'static str) -> ColumnDef {
    ColumnDef {
        key,
        label,
        aliases: &[],
        unit: Unit::Count,
    }
}

const ACTIVE_DOCS_2021: &[ColumnDef] = &[
    count("issued", "本年制发件数"),
    ColumnDef {
        key: "repealed",
        label: "本年废止件数",
        aliases: &["本年度止件数"],
        unit: Unit::Count,
    },
    count("in_force", "现行有效件数"),
];
const ACTIVE_DECISIONS_2021: &[ColumnDef] = &[ColumnDef {
    key: "decisions",
    label: "本年处理决定数量",
    aliases: &["处理决定数量"],
    unit: Unit::Count,
}];
const ACTIVE_FEES_2021: &[ColumnDef] = &[ColumnDef {
    key: "amount",
    label: "本年收费金额（单位：万元）",
    aliases: &["本年收费金额"],
    unit: Unit::Amount,
}];

const ACTIVE_DOCS_2019: &[ColumnDef] = &[
    count("new_made", "本年新制作数量"),
    count("new_published", "本年新公开数量"),
    count("total_published", "对外公开总数量"),
];
const ACTIVE_ITEMS_2019: &[ColumnDef] = &[
    count("previous_items", "上一年项目数量"),
    ColumnDef {
        key: "change",
        label: "本年增/减",
        aliases: &["本年增减"],
        unit: Unit::SignedCount,
    },
    count("decisions", "处理决定数量"),
];
const ACTIVE_FEES_2019: &[ColumnDef] = &[
    count("previous_items", "上一年项目数量"),
    ColumnDef {
        key: "change",
        label: "本年增/减",
        aliases: &["本年增减"],
        unit: Unit::SignedCount,
    },
];
const ACTIVE_PROCUREMENT_2019: &[ColumnDef] = &[
    count("items", "采购项目数量"),
    ColumnDef {
        key: "amount",
        label: "采购总金额",
        aliases: &[],
        unit: Unit::Amount,
    },
];

const fn active_row(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    block: &'static str,
    columns: &'static [ColumnDef],
) -> RowDef {
    RowDef {
        key,
        marker: "",
        label,
        group: None,
        aliases,
        block: Some(block),
        columns,
    }
}

pub static ACTIVE_2021: TableDef = TableDef {
    id: TableId::Active,
    format: Format::F2021,
    rows: &[
        active_row("rules", "规章", &[], BLOCK_20_1, ACTIVE_DOCS_2021),
        active_row(
            "normative_documents",
            "行政规范性文件",
            &["规范性文件"],
            BLOCK_20_1,
            ACTIVE_DOCS_2021,
        ),
        active_row(
            "licensing",
            "行政许可",
            &[],
            BLOCK_20_5,
            ACTIVE_DECISIONS_2021,
        ),
        active_row(
            "punishment",
            "行政处罚",
            &[],
            BLOCK_20_6,
            ACTIVE_DECISIONS_2021,
        ),
        active_row(
            "coercion",
            "行政强制",
            &[],
            BLOCK_20_6,
            ACTIVE_DECISIONS_2021,
        ),
        active_row("fees", "行政事业性收费", &[], BLOCK_20_8, ACTIVE_FEES_2021),
    ],
    notes: &[],
};

pub static ACTIVE_2019: TableDef = TableDef {
    id: TableId::Active,
    format: Format::F2019,
    rows: &[
        active_row("rules", "规章", &[], BLOCK_20_1, ACTIVE_DOCS_2019),
        active_row(
            "normative_documents",
            "规范性文件",
            &["行政规范性文件"],
            BLOCK_20_1,
            ACTIVE_DOCS_2019,
        ),
        active_row("licensing", "行政许可", &[], BLOCK_20_5, ACTIVE_ITEMS_2019),
        active_row(
            "other_services",
            "其他对外管理服务事项",
            &[],
            BLOCK_20_5,
            ACTIVE_ITEMS_2019,
        ),
        active_row("punishment", "行政处罚", &[], BLOCK_20_6, ACTIVE_ITEMS_2019),
        active_row("coercion", "行政强制", &[], BLOCK_20_6, ACTIVE_ITEMS_2019),
        active_row("fees", "行政事业性收费", &[], BLOCK_20_8, ACTIVE_FEES_2019),
        active_row(
            "procurement",
            "政府集中采购",
            &[],
            BLOCK_20_9,
            ACTIVE_PROCUREMENT_2019,
        ),
    ],
    notes: &[],
};

// ---------------------------------------------------------------------------------------------
// Table 三 — 收到和处理政府信息公开申请情况
// ---------------------------------------------------------------------------------------------

/// The printed 勾稽 note in the header cell of table 三.
pub const NOTE_BALANCE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
/// The printed note attached to （二）部分公开.
pub const NOTE_PARTIAL: &str = "（区分处理的，只计这一情形，不计其他情形）";
/// Header over the applicant columns.
pub const APPLICANT_HEADER: &str = "申请人情况";
/// Header over the five organisation columns.
pub const ORGANISATION_HEADER: &str = "法人或其他组织";
/// The row-spanning label of the outcome block.
pub const OUTCOMES_GROUP: &str = "三、本年度办理结果";

pub const APPLICANT_COLUMNS: &[ColumnDef] = &[
    count("natural_person", "自然人"),
    count("commercial_enterprise", "商业企业"),
    count("research_institution", "科研机构"),
    count("social_welfare_organization", "社会公益组织"),
    count("legal_service_organization", "法律服务机构"),
    count("other_organization", "其他"),
    count("total", "总计"),
];

const fn req(
    key: &'static str,
    marker: &'static str,
    label: &'static str,
    group: Option<&'static str>,
    aliases: &'static [&'static str],
) -> RowDef {
    RowDef {
        key,
        marker,
        label,
        group,
        aliases,
        block: None,
        columns: APPLICANT_COLUMNS,
    }
}

const G3: Option<&str> = Some("（三）不予公开");
const G4: Option<&str> = Some("（四）无法提供");
const G5: Option<&str> = Some("（五）不予处理");
const G6: Option<&str> = Some("（六）其他处理");
const GO: Option<&str> = Some(OUTCOMES_GROUP);

macro_rules! requests_rows {
    ($($other:expr),* $(,)?) => {
        &[
            req("new_received", "一、", "本年新收政府信息公开申请数量", None, &[]),
            req("carried_over", "二、", "上年结转政府信息公开申请数量", None, &[]),
            req("granted", "（一）", "予以公开", GO, &[]),
            req(
                "partially_granted",
                "（二）",
                "部分公开（区分处理的，只计这一情形，不计其他情形）",
                GO,
                &["部分公开"],
            ),
            req("denied_state_secret", "1.", "属于国家秘密", G3, &[]),
            req("denied_prohibited_by_law", "2.", "其他法律行政法规禁止公开", G3, &[]),
            req(
                "denied_three_security_one_stability",
                "3.",
                "危及“三安全一稳定”",
                G3,
                &["危及\"三安全一稳定\"", "危及三安全一稳定"],
            ),
            req("denied_third_party_rights", "4.", "保护第三方合法权益", G3, &[]),
            req("denied_internal_affairs", "5.", "属于三类内部事务信息", G3, &[]),
            req("denied_process_information", "6.", "属于四类过程性信息", G3, &[]),
            req("denied_enforcement_case_file", "7.", "属于行政执法案卷", G3, &[]),
            req("denied_administrative_query", "8.", "属于行政查询事项", G3, &[]),
            req("unavailable_not_held", "1.", "本机关不掌握相关政府信息", G4, &[]),
            req("unavailable_needs_creation", "2.", "没有现成信息需要另行制作", G4, &[]),
            req("unavailable_unclear_after_correction", "3.", "补正后申请内容仍不明确", G4, &[]),
            req("unprocessed_petition_complaint", "1.", "信访举报投诉类申请", G5, &[]),
            req("unprocessed_duplicate", "2.", "重复申请", G5, &[]),
            req("unprocessed_publication", "3.", "要求提供公开出版物", G5, &[]),
            req("unprocessed_excessive_repeated", "4.", "无正当理由大量反复申请", G5, &[]),
            req(
                "unprocessed_confirmation",
                "5.",
                "要求行政机关确认或重新出具已获取信息",
                G5,
                &[],
            ),
            $($other,)*
            req("total", "（七）", "总计", GO, &[]),
            req("carried_forward", "四、", "结转下年度继续办理", None, &[]),
        ]
    };
}

/// The single （六）其他处理 row of the 2019 format (also printed by some 2021-format reports).
pub static ROW_OTHER_SINGLE: RowDef = req("other", "（六）", "其他处理", GO, &[]);

pub static REQUESTS_2021: TableDef = TableDef {
    id: TableId::Requests,
    format: Format::F2021,
    rows: requests_rows![
        req(
            "other_no_correction",
            "1.",
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            G6,
            &[],
        ),
        req(
            "other_unpaid_fee",
            "2.",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            G6,
            &[],
        ),
        req("other_other", "3.", "其他", G6, &[]),
    ],
    notes: &[NOTE_BALANCE, NOTE_PARTIAL],
};

pub static REQUESTS_2019: TableDef = TableDef {
    id: TableId::Requests,
    format: Format::F2019,
    rows: requests_rows![req("other", "（六）", "其他处理", GO, &[])],
    notes: &[NOTE_BALANCE, NOTE_PARTIAL],
};

/// Group labels of table 三 that span several rows and carry no numbers of their own.
pub const REQUESTS_GROUPS: &[&str] = &[
    OUTCOMES_GROUP,
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
];

// ---------------------------------------------------------------------------------------------
// Table 四 — 行政复议、行政诉讼情况
// ---------------------------------------------------------------------------------------------

pub const REVIEW_HEADER: &str = "行政复议";
pub const LITIGATION_HEADER: &str = "行政诉讼";

pub const APPEAL_COLUMNS: &[ColumnDef] = &[
    count("upheld", "结果维持"),
    count("corrected", "结果纠正"),
    count("other", "其他结果"),
    count("pending", "尚未审结"),
    count("total", "总计"),
];

const fn appeal(key: &'static str, label: &'static str, group: Option<&'static str>) -> RowDef {
    RowDef {
        key,
        marker: "",
        label,
        group,
        aliases: &[],
        block: None,
        columns: APPEAL_COLUMNS,
    }
}

const APPEALS_ROWS: &[RowDef] = &[
    appeal("review", REVIEW_HEADER, None),
    appeal(
        "litigation_direct",
        "未经复议直接起诉",
        Some(LITIGATION_HEADER),
    ),
    appeal(
        "litigation_after_review",
        "复议后起诉",
        Some(LITIGATION_HEADER),
    ),
];

/// Table 四 is printed as one data row of 15 numbers; the catalogue models it as three groups
/// (the "rows" of the identifiers) of five columns each, in printed order.
pub static APPEALS_2021: TableDef = TableDef {
    id: TableId::Appeals,
    format: Format::F2021,
    rows: APPEALS_ROWS,
    notes: &[],
};

pub static APPEALS_2019: TableDef = TableDef {
    id: TableId::Appeals,
    format: Format::F2019,
    rows: APPEALS_ROWS,
    notes: &[],
};

/// The number of values in the single printed data row of table 四.
pub const APPEALS_WIDTH: usize = 15;

/// The definition of `table` in `format`.
pub fn table(format: Format, table: TableId) -> &'static TableDef {
    match (format, table) {
        (Format::F2021, TableId::Active) => &ACTIVE_2021,
        (Format::F2021, TableId::Requests) => &REQUESTS_2021,
        (Format::F2021, TableId::Appeals) => &APPEALS_2021,
        (Format::F2019, TableId::Active) => &ACTIVE_2019,
        (Format::F2019, TableId::Requests) => &REQUESTS_2019,
        (Format::F2019, TableId::Appeals) => &APPEALS_2019,
    }
}

/// All three tables of a format, in printed order.
pub fn tables(format: Format) -> [&'static TableDef; 3] {
    TableId::ALL.map(|t| table(format, t))
}

/// Labels that only the 2019 trial format prints (used to recognise the format, and by the
/// checker to flag "使用旧版格式" in a 2021+ report).
pub const LABELS_ONLY_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购项目数量",
    "采购总金额",
    BLOCK_20_9,
];

/// Labels that only the 2021 format prints.
pub const LABELS_ONLY_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "本年度止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
];

// ---------------------------------------------------------------------------------------------
// Parts (the six statutory headings)
// ---------------------------------------------------------------------------------------------

/// One of the six parts of the report.
#[derive(Debug, PartialEq, Eq)]
pub struct PartDef {
    /// 1–6.
    pub number: u8,
    /// Stable identifier used in JSON.
    pub key: &'static str,
    /// The heading as the official format prints it (without the "一、" marker).
    pub heading: &'static str,
    /// Keyword groups: a heading matches when it contains one keyword of every group.
    pub keywords: &'static [&'static [&'static str]],
}

pub static PARTS: [PartDef; 6] = [
    PartDef {
        number: 1,
        key: "overview",
        heading: "总体情况",
        keywords: &[&["总体情况", "概述", "总体概况", "基本情况"]],
    },
    PartDef {
        number: 2,
        key: "active",
        heading: "主动公开政府信息情况",
        keywords: &[&["主动公开"]],
    },
    PartDef {
        number: 3,
        key: "requests",
        heading: "收到和处理政府信息公开申请情况",
        keywords: &[&["收到和处理", "依申请", "申请情况", "申请办理"]],
    },
    PartDef {
        number: 4,
        key: "appeals",
        heading: "政府信息公开行政复议、行政诉讼情况",
        keywords: &[&["行政复议", "行政诉讼", "复议", "诉讼"]],
    },
    PartDef {
        number: 5,
        key: "problems",
        heading: "存在的主要问题及改进情况",
        keywords: &[&["问题"], &["改进", "整改", "措施", "改正"]],
    },
    PartDef {
        number: 6,
        key: "other",
        heading: "其他需要报告的事项",
        keywords: &[&["其他需要报告", "其他需报告", "其他事项", "需要报告的"]],
    },
];

/// Chinese numerals used as part and item markers, 1-based.
pub const CHINESE_NUMERALS: [&str; 10] =
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// Placeholders printed in a cell instead of a number; they are kept as text, never read as 0.
pub const PLACEHOLDERS: &[&str] = &["/", "-", "—", "－", "--", "——", "无", "／", "\\", "—-", "–"];

// ---------------------------------------------------------------------------------------------
// Agencies
// ---------------------------------------------------------------------------------------------

/// Common abbreviations in agency names and their official forms. Used to give one name to an
/// agency whose title says "上海市科委" and whose previous report said "上海市科学技术委员会".
/// The name as printed is always kept beside the expanded one.
pub const AGENCY_ABBREVIATIONS: &[(&str, &str)] = &[
    ("科委", "科学技术委员会"),
    ("发改委", "发展和改革委员会"),
    ("经信委", "经济和信息化委员会"),
    ("卫健委", "卫生健康委员会"),
    ("教委", "教育委员会"),
    ("民宗委", "民族宗教事务委员会"),
    ("住建委", "住房和城乡建设委员会"),
    ("交委", "交通委员会"),
    ("国资委", "国有资产监督管理委员会"),
    ("工信局", "工业和信息化局"),
    ("住建局", "住房和城乡建设局"),
    ("人社局", "人力资源和社会保障局"),
    ("发改局", "发展和改革局"),
    ("市场监管局", "市场监督管理局"),
    ("卫健局", "卫生健康局"),
    ("生态环境局", "生态环境局"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn requests_have_the_row_counts_of_the_spec() {
        // rules.md §1.4: 25 data rows in 2021, 23 in 2019.
        assert_eq!(REQUESTS_2021.rows.len(), 25);
        assert_eq!(REQUESTS_2019.rows.len(), 23);
        assert_eq!(APPLICANT_COLUMNS.len(), 7);
    }

    #[test]
    fn cell_counts_match_the_truth_files() {
        // 200 cells in a 2021 report (truth/*.json), 198 in the 2019 report 001 (checked by hand).
        let n = |f| tables(f).iter().map(|t| t.cells().count()).sum::<usize>();
        assert_eq!(n(Format::F2021), 10 + 25 * 7 + 15);
        assert_eq!(n(Format::F2021), 200);
        assert_eq!(n(Format::F2019), 22 + 23 * 7 + 15);
        assert_eq!(n(Format::F2019), 198);
    }

    #[test]
    fn identifiers_are_unique_within_a_table() {
        for f in Format::ALL {
            for t in tables(f) {
                let mut seen = HashSet::new();
                for r in t.rows {
                    assert!(seen.insert(r.key), "duplicate row {}", r.key);
                    let mut cols = HashSet::new();
                    for c in r.columns {
                        assert!(cols.insert(c.key), "duplicate column {}.{}", r.key, c.key);
                    }
                }
            }
        }
    }

    #[test]
    fn identifiers_are_snake_case_ascii() {
        for f in Format::ALL {
            for t in tables(f) {
                for (r, c) in t.cells() {
                    for k in [r.key, c.key] {
                        assert!(k.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'));
                    }
                }
            }
        }
    }

    #[test]
    fn format_for_year() {
        assert_eq!(Format::for_year(2024), Some(Format::F2021));
        assert_eq!(Format::for_year(2021), Some(Format::F2021));
        assert_eq!(Format::for_year(2020), Some(Format::F2019));
        assert_eq!(Format::for_year(2019), Some(Format::F2019));
        assert_eq!(Format::for_year(2017), None);
    }

    #[test]
    fn format_specific_labels_do_not_overlap() {
        for l in LABELS_ONLY_2019 {
            assert!(!LABELS_ONLY_2021.contains(l));
        }
    }

    #[test]
    fn parts_are_numbered_one_to_six() {
        for (i, p) in PARTS.iter().enumerate() {
            assert_eq!(p.number as usize, i + 1);
        }
    }
}
