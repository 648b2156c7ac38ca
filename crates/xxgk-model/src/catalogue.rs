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

    /// The rows a report of this format may print, in printed order: a 2021 table 三 may print
    /// the single （六）其他处理 row of 2019 (before （七）总计) instead of its three sub-rows.
    pub fn printed_rows(&'static self) -> Vec<&'static RowDef> {
        let mut rows: Vec<&'static RowDef> = self.rows.iter().collect();
        if self.id == TableId::Requests && self.row(ROW_OTHER_SINGLE.key).is_none() {
            let at = self.row_index("total").unwrap_or(rows.len());
            rows.insert(at, &ROW_OTHER_SINGLE);
        }
        rows
    }

    /// The rows a report prints, in printed order. With `single_other`, a 2021 table 三 prints
    /// the single （六）其他处理 row in place of its three sub-rows, as some real reports do.
    pub fn rows_for(&'static self, single_other: bool) -> Vec<&'static RowDef> {
        let mut rows: Vec<&'static RowDef> = self.rows.iter().collect();
        if self.id == TableId::Requests && single_other && self.row(ROW_OTHER_SINGLE.key).is_none()
        {
            let group = ROW_OTHER_SINGLE.printed_label();
            rows.retain(|r| r.group != Some(group.as_str()));
            let at = rows
                .iter()
                .position(|r| r.key == "total")
                .unwrap_or(rows.len());
            rows.insert(at, &ROW_OTHER_SINGLE);
        }
        rows
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

/// What every block caption of table 二 starts with ("第二十条第（一）项").
pub const BLOCK_PREFIX: &str = "第二十条";

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
/// The words of [`NOTE_BALANCE`] that identify it even when it is wrapped or cut.
pub const NOTE_BALANCE_KEY: &str = "勾稽关系";
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

/// The 条例 basis of each outcome row of table 三 (2021 row ids; `other` is the single （六） row
/// of 2019), as `../shared/spec/rules.md` §3.3 maps the answer types to the rows. The register
/// (`xxgk-register`) shows it with every answer. `None` for a row the spec names no article for
/// (（五）5, （六）3 and the 2019 （六）) and for an unknown key.
pub fn requests_outcome_basis(key: &str) -> Option<&'static str> {
    Some(match key {
        "granted" => "第三十六条第（一）（二）项",
        "partially_granted" => "第三十七条",
        "denied_state_secret"
        | "denied_prohibited_by_law"
        | "denied_three_security_one_stability" => "第三十六条第（三）项、第十四条",
        "denied_third_party_rights" => "第三十六条第（三）项、第十五条、第三十二条",
        "denied_internal_affairs" => "第三十六条第（三）项、第十六条第一款",
        "denied_process_information" | "denied_enforcement_case_file" => {
            "第三十六条第（三）项、第十六条第二款"
        }
        "denied_administrative_query" => "第三十六条第（七）项",
        "unavailable_not_held" => "第三十六条第（四）（五）项",
        "unavailable_needs_creation" => "第三十八条",
        "unavailable_unclear_after_correction" => "第三十条",
        "unprocessed_petition_complaint" | "unprocessed_publication" => "第三十九条",
        "unprocessed_duplicate" => "第三十六条第（六）项",
        "unprocessed_excessive_repeated" => "第三十五条",
        "other_no_correction" => "第三十条",
        "other_unpaid_fee" => "第四十二条、国办函〔2020〕109号",
        _ => return None,
    })
}

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

/// The definition of row `key` of `table`: in `format` when it has the row, else in the other
/// format (an old-format row printed in a 2021 report), else the single （六）其他处理 row.
pub fn find_row(format: Option<Format>, table: TableId, key: &str) -> Option<&'static RowDef> {
    let formats = match format {
        Some(Format::F2019) => [Format::F2019, Format::F2021],
        _ => [Format::F2021, Format::F2019],
    };
    formats
        .iter()
        .find_map(|f| self::table(*f, table).row(key))
        .or_else(|| {
            (table == TableId::Requests && key == ROW_OTHER_SINGLE.key).then_some(&ROW_OTHER_SINGLE)
        })
}

/// The definitions of cell `row`.`column` of `table`. A row key may have different columns in
/// the two formats (`rules`: 本年制发件数… in 2021, 本年新制作数量… in 2019), so the row is looked
/// for in `format` first, then in the other format, then as the single （六）其他处理 row, and
/// the first that has the column is taken.
pub fn find_cell(
    format: Option<Format>,
    table: TableId,
    row: &str,
    column: &str,
) -> Option<(&'static RowDef, &'static ColumnDef)> {
    let formats = match format {
        Some(Format::F2019) => [Format::F2019, Format::F2021],
        _ => [Format::F2021, Format::F2019],
    };
    formats
        .iter()
        .filter_map(|f| self::table(*f, table).row(row))
        .chain(
            (table == TableId::Requests && row == ROW_OTHER_SINGLE.key)
                .then_some(&ROW_OTHER_SINGLE),
        )
        .find_map(|r| r.columns.iter().find(|c| c.key == column).map(|c| (r, c)))
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

impl PartDef {
    /// The marker its heading prints: "五、".
    pub fn marker(&self) -> String {
        let i = usize::from(self.number.saturating_sub(1));
        format!("{}、", CHINESE_NUMERALS.get(i).copied().unwrap_or_default())
    }

    /// The table printed under this part, if it prints one.
    pub fn table(&self) -> Option<TableId> {
        TableId::ALL.into_iter().find(|t| t.part() == self.number)
    }
}

/// The part numbered `number` (1–6).
pub fn part(number: u8) -> Option<&'static PartDef> {
    PARTS.iter().find(|p| p.number == number)
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

/// Part 一: the topics it covers (rules.md §1.2, 30号), in the usual order. `xxgk new` writes them
/// as the sub-headings （一）…（五） of its template.
pub const PART1_TOPICS: &[&str] = &[
    "主动公开",
    "依申请公开",
    "政府信息管理",
    "政府信息公开平台建设",
    "监督保障",
];

/// Part 一 of a people's government's report: the 条例 第五十条第（四）项 statement under 监督保障
/// (see [`PART1_ACCOUNTABILITY_KEYWORDS`]).
pub const PART1_ACCOUNTABILITY_TOPIC: &str = "工作考核、社会评议和责任追究结果情况";

/// Part 五: the two things it states (problems, then improvements); sub-headings of the template.
pub const PART5_TOPICS: &[&str] = &["存在的主要问题", "改进情况"];

/// Part 六: the items every 2021-format report states (rules.md §1.2 (a)–(c)), as sub-headings of
/// the template; each contains a keyword of [`PART6_FEE_KEYWORDS`], [`PART6_KEY_POINTS_KEYWORDS`]
/// and [`PART6_PROPOSAL_KEYWORDS`] respectively, so the checks find them.
pub const PART6_ITEMS: &[&str] = &[
    "信息处理费收取情况",
    "上级年度政务公开工作要点落实情况",
    "人大代表建议和政协提案办理结果公开情况",
];

/// Text that the input files written by `xxgk new` and `xxgk aggregate` put where a person must
/// write: the input reader reports any paragraph still containing it as an error, so that a
/// template is never published as it is.
pub const TEXT_TO_BE_WRITTEN: &str = "【待填写】";

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
    ("管委会", "管理委员会"),
    ("工信局", "工业和信息化局"),
    ("住建局", "住房和城乡建设局"),
    ("人社局", "人力资源和社会保障局"),
    ("发改局", "发展和改革局"),
    ("市场监管局", "市场监督管理局"),
    ("卫健局", "卫生健康局"),
    ("生态环境局", "生态环境局"),
];

// ---------------------------------------------------------------------------------------------
// Report-level wording (headings, title, dates, contact)
// ---------------------------------------------------------------------------------------------

/// Words that continue a part heading wrapped over two lines: a heading line that ends with one
/// of these, or a short next line that starts with one ("五、政府信息公开工作存在的主要问题" /
/// "及改进情况"), is joined with the next line.
pub const HEADING_CONTINUATIONS: &[&str] = &["及", "和", "与", "、", "的", "或"];

/// The words after the agency and the year in a title that writers compose (a report whose
/// title was not read: an input file's agency and year).
pub const TITLE_SUFFIX: &str = "年政府信息公开工作年度报告";

/// A line containing one of these ends the report's title ("…政府信息公开工作年度报告").
pub const TITLE_KEYWORDS: &[&str] = &["年度报告", "年报"];

/// Prefixes that some exports print before the title ("标题: 平潭综合实验区2017年度…").
/// The labels of a portal page's or an archive's publication-date line ("发布时间: 2023-02-20
/// 15:07"), used when the report's end prints no date.
pub const PUBLISHED_PREFIXES: &[&str] = &["发布时间", "发布日期"];

pub const TITLE_PREFIXES: &[&str] = &["标题:", "标题：", "题目:", "题目：", "标 题:", "标 题："];

/// Artefact lines of converters that can precede the title and are not part of it
/// ("正文" from a PDF-to-Markdown converter, "==== 正文 ====" from a web archive).
pub const TITLE_ARTEFACTS: &[&str] = &["正文", "目录", "全文", "文字版"];

/// In a title that starts with the year ("2024 年上海市科委政府信息公开工作年度报告"), the agency
/// ends where one of these begins.
pub const TITLE_AGENCY_ENDS: &[&str] = &[
    "政府信息公开",
    "政务公开",
    "信息公开",
    "政府公开",
    "年度报告",
    "工作年度报告",
    "年报",
];

/// Words that introduce the statistics period ("统计期限自2024年1月1日起至2024年12月31日止").
pub const PERIOD_KEYWORDS: &[&str] = &[
    "统计期限",
    "统计周期",
    "统计时限",
    "统计期间",
    "统计区间",
    "统计时间",
    "统计时段",
];

/// Words that may follow the first date of a period before the connector
/// ("自2024年1月1日起，至2024年12月31日止").
pub const PERIOD_START_SUFFIXES: &[&str] = &["起"];

/// Words between the two dates of a period ("2024年1月1日起至12月31日", "…至…", "…到…").
pub const PERIOD_CONNECTORS: &[&str] = &["起至", "至", "到", "—", "－", "-", "～", "~"];

/// Words that make a date at the end of a line a date of the body, not the publication date
/// ("截至 2024 年 12 月 31 日").
pub const BODY_DATE_PREFIXES: &[&str] = &["截至", "截止", "截止到", "至", "到", "起至"];

/// Chinese zero digits used in dates printed in numerals ("二〇二五年一月十一日").
pub const CHINESE_ZEROS: &[&str] = &["〇", "零", "○"];

/// Words that mark a contact sentence of the preamble (phone numbers).
pub const CONTACT_TRIGGERS: &[&str] = &["联系电话", "咨询电话", "联系方式", "电话"];

/// Words allowed between a contact trigger and the number ("联系电话为 0536-…").
pub const CONTACT_VALUE_LEADS: &[&str] = &["为", "是"];

/// Words a contact fragment may start with, earliest first in the sentence ("联系地址：…，
/// 邮编：…，联系电话：…").
pub const CONTACT_STARTS: &[&str] = &[
    "联系地址",
    "办公地址",
    "通讯地址",
    "地址：",
    "地址:",
    "邮政编码",
    "邮编",
    "联系电话",
    "咨询电话",
    "联系方式",
    "电话",
];

// ---------------------------------------------------------------------------------------------
// Checks: words the checker (xxgk-check) looks for
// ---------------------------------------------------------------------------------------------
//
// Every list below is matched against a part's text with its whitespace removed (line breaks
// inside a sentence do not matter). A match is only ever the start of a conservative pattern;
// the checks document what must surround it.

/// An agency whose name ends with this is a people's government: its report is the 本级政府
/// report, due by 31 March (条例 第四十九条); a department's report is due by 31 January. Its
/// part 一 must also cover 工作考核、社会评议和责任追究 (条例 第五十条第（四）项).
pub const GOVERNMENT_SUFFIX: &str = "人民政府";

/// Endings of an agency's name as a portal prints it in its page title or breadcrumb trail
/// ("淮安市洪泽区人民政府", "某某市教育局"): a segment ending so names the agency of an article
/// that prints no title of its own.
pub const AGENCY_NAME_ENDS: &[&str] = &[
    "人民政府",
    "办公室",
    "办公厅",
    "委员会",
    "管理委员会",
    "局",
    "厅",
    "委",
    "办",
    "中心",
    "院",
    "署",
];

/// Township-level bodies: the 条例 sets no publication deadline for them (dates are set locally),
/// so no lateness is reported.
pub const TOWNSHIP_SUFFIXES: &[&str] = &["乡人民政府", "镇人民政府", "街道办事处"];

/// Part 一 of a government's report: words of the 工作考核、社会评议和责任追究结果 statement.
pub const PART1_ACCOUNTABILITY_KEYWORDS: &[&str] = &["考核", "评议", "责任追究"];

/// Part 六 item (a): the 信息处理费 statement ("本年度未收取信息处理费", "未发生政府信息公开收费事项").
pub const PART6_FEE_KEYWORDS: &[&str] = &["信息处理费", "处理费", "收费"];

/// Part 六 item (b): carrying out the superior's annual 政务公开工作要点.
pub const PART6_KEY_POINTS_KEYWORDS: &[&str] = &["工作要点", "公开要点", "重点工作"];

/// Part 六 item (c): publication of the outcomes of 人大代表建议 and 政协提案.
pub const PART6_PROPOSAL_KEYWORDS: &[&str] = &["提案", "代表建议", "人大建议", "议案"];

/// Part 六: words that mention the fee notices behind table 三 （六）2 (逾期未按收费通知要求缴纳费用).
pub const FEE_NOTICE_KEYWORDS: &[&str] = &["收费通知", "缴费通知", "缴纳", "缴费"];

/// Part 六: a verb of charging; followed in its clause by [`FEE_WORD`] it states what was charged
/// ("全年收取政府信息公开信息处理费3940元", "未收取任何费用", "本年度无因政府信息公开申请收取费用的情况").
pub const FEE_CHARGE_VERBS: &[&str] = &["收取", "收缴"];
/// The character of 费 / 费用 / 信息处理费.
pub const FEE_WORD: &str = "费";
/// Part 六: the word of charging ("收费") that [`FEE_NONE_WORDS`] negate.
pub const FEE_CHARGE_WORD: &str = "收费";
/// Part 六: "收费" ([`FEE_CHARGE_WORD`]) preceded in its clause by one of these states that
/// nothing was charged ("不存在收费情况", "未发生政府信息公开收费事项", "无收费").
pub const FEE_NONE_WORDS: &[&str] = &["不存在", "未发生", "未产生", "没有", "无", "未"];

/// The unit 元 in a 收费金额 cell, where the table asks for 万元 ([`WAN_YUAN`]).
pub const YUAN: &str = "元";
/// The unit the 2021 table 二 prints for 本年收费金额.
pub const WAN_YUAN: &str = "万元";

/// The word for an application; "未收到…申请" must contain it ("申请人" does not count).
pub const APPLICATION_WORD: &str = "申请";
/// The word after [`APPLICATION_WORD`] that makes it "applicant", not "application".
pub const APPLICANT_SUFFIX: &str = "人";

/// Narrative: words that make a sentence of part 一 speak of information disclosure. Outside the
/// part of its table (三 for requests, 四 for reviews and lawsuits), a number of applications,
/// reviews or lawsuits is compared only when its sentence contains one of these: "全年受理申请
/// 12000件" about 政务服务 is not a disclosure request count.
pub const TEXT_DISCLOSURE_CONTEXT: &[&str] = &["信息公开", "依申请"];

/// Characters that, just before a keyword, negate it ("未收到", "没收到").
pub const TEXT_NEGATION_CHARS: &[char] = &['未', '没'];

/// Narrative: verbs introducing the number of applications received this year
/// ("全年收到政府信息公开申请 34 件", "共受理政府信息公开申请3119件"). Compared with 一 (or 一 + 二,
/// since some reports count 受理 with the carried-over requests).
pub const TEXT_RECEIVED_KEYWORDS: &[&str] = &["收到", "新收", "受理", "接收"];

/// Narrative: the year's workload of applications ("全年共办理政府信息公开申请48件"), 一 + 二.
/// Reports also say "办理" of the new requests (一) or of those closed (（七）总计); a number that
/// fits none of the three is a contradiction.
pub const TEXT_WORKLOAD_KEYWORDS: &[&str] = &["办理"];
/// Words that, in the clause before [`TEXT_WORKLOAD_KEYWORDS`], make it another count
/// ("结转下年度继续办理6件", "按时办理", "逾期办理").
pub const TEXT_WORKLOAD_NOT_BEFORE: &[&str] = &[
    "结转", "顺延", "转下", "转入", "转至", "继续", "按时", "按期", "逾期", "超期", "延期",
];

/// Narrative: requests carried over from last year ("上年结转政府信息公开申请 2 件"). Compared with 二.
pub const TEXT_CARRIED_OVER_KEYWORDS: &[&str] =
    &["上年结转", "上年度结转", "上一年度结转", "上一年结转"];

/// Narrative: requests carried forward to next year ("结转下年办理0件", "另有103件顺延到下年度答复",
/// "转下一年度办理答复的有 1 件"). Compared with 四.
pub const TEXT_CARRIED_FORWARD_KEYWORDS: &[&str] = &[
    "结转下年",
    "结转至下年",
    "结转到下年",
    "结转下一年",
    "转下一年",
    "转入下一年",
    "转入下年",
    "顺延到下年",
    "顺延至下年",
    "顺延到下一年",
    "顺延至下一年",
    "结转至下一年",
    "结转到下一年",
    "结转至次年",
    "结转到次年",
    "结转次年",
    "结转至明年",
    "转至下一年",
    "转至下年",
    "转入次年",
    "顺延至次年",
];

/// Narrative: "carried forward into" followed by the next year ("结转至2025年继续办理1件"): one of
/// these, then the year after the report's, then "年". Compared with 四.
pub const TEXT_CARRIED_FORWARD_TO_YEAR: &[&str] = &[
    "结转至",
    "结转到",
    "结转入",
    "转入",
    "转至",
    "顺延至",
    "顺延到",
];

/// Narrative: a plain "结转" with a number ("结转2件") is the carried-forward count when its
/// sentence, before it, states outcomes of the year ("收到9件，部分公开2件，信息不存在5件，结转2件";
/// rules.md §4.5 #20). Without them ("收到申请45件，其中新收42件，结转3件") it may be the
/// carried-over one and is not read.
pub const TEXT_CARRIED_PLAIN: &str = "结转";
/// Outcome words that make a plain [`TEXT_CARRIED_PLAIN`] the carried-forward count.
pub const TEXT_OUTCOME_WORDS: &[&str] = &[
    "予以公开",
    "同意公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "信息不存在",
    "办结",
];
/// In the clause before a plain [`TEXT_CARRIED_PLAIN`]: it is part of a count, not a count of its
/// own ("（含结转2件）", "办结42件，其中结转申请6件").
pub const TEXT_CARRIED_PLAIN_NOT_BEFORE: &[&str] = &["含", "包括", "其中"];

/// Narrative: requests handled this year ("答复3050件", "共办结申请 12 件"). Compared with （七）总计.
pub const TEXT_HANDLED_KEYWORDS: &[&str] = &["办结", "答复", "办理完成", "办理完毕", "办理完结"];

/// Words that, just before a [`TEXT_HANDLED_KEYWORDS`] verb, make it one outcome rather than all
/// requests handled ("同意公开答复 9 件", "不予公开答复 2 件").
pub const TEXT_HANDLED_QUALIFIERS: &[&str] = &[
    "公开", "不予", "无法", "处理", "同意", "告知", "部分", "提供", "逾期", "超期", "延期",
];

/// Words that, just before a [`TEXT_HANDLED_KEYWORDS`] verb, count only the requests closed in time
/// ("按时办结42件"): compared only when the sentence names no late ones ([`TEXT_LATE_WORDS`]).
pub const TEXT_ON_TIME_WORDS: &[&str] = &["按时", "按期", "如期"];
/// Words of requests closed late.
pub const TEXT_LATE_WORDS: &[&str] = &["逾期", "超期", "延期", "超时"];

/// Narrative: counts of documents by disclosure attribute ("主动公开49件，依申请公开316件") are not
/// counts of applications: a number right after this word, in a sentence that also says
/// [`TEXT_ACTIVE_ATTRIBUTE`], is not compared with table 三.
pub const TEXT_REQUEST_ATTRIBUTE: &str = "依申请公开";
/// See [`TEXT_REQUEST_ATTRIBUTE`].
pub const TEXT_ACTIVE_ATTRIBUTE: &str = "主动公开";

/// Words allowed between a keyword and its number ("收到" + "政府信息公开申请" + "34件",
/// "行政诉讼" + "数为" + "0件").
/// Anything else between them and the sentence is not read.
pub const TEXT_COUNT_FILLERS: &[&str] = &[
    "政府信息公开申请",
    "信息公开申请",
    "依申请公开事项",
    "依申请公开",
    "公开申请",
    "政府信息",
    "申请",
    "案件",
    "案",
    "数量",
    "总数",
    "件数",
    "共计",
    "合计",
    "累计",
    "共",
    "计",
    "数",
    "为",
    "达",
    "了",
    "有",
];

/// Narrative: the application nouns a count may follow when other words stand between it and its
/// keyword ("受理公民、法人和其他组织提出的政府信息公开申请26件").
pub const TEXT_APPLICATION_NOUNS: &[&str] = &["政府信息公开申请", "信息公开申请", "依申请公开申请"];
/// Words that, between a keyword and [`TEXT_APPLICATION_NOUNS`], make the count another one
/// ("办理上年结转的政府信息公开申请6件" is not the workload): other keywords, negations.
pub const TEXT_GAP_STOP_WORDS: &[&str] = &[
    "结转",
    "顺延",
    "新收",
    "收到",
    "受理",
    "办理",
    "办结",
    "答复",
    "不予",
    "部分",
    "未",
    "没有",
    "行政复议",
    "行政诉讼",
    "建议",
    "提案",
];

/// Characters that, right before a keyword, make it the second member of a combined count
/// ("本年新收和上年结转政府信息公开申请共48件" is 一 + 二, not 二).
pub const TEXT_COMBINING_CHARS: &[char] = &['和', '与', '及', '、'];

/// The unit of a count of requests in the narrative.
pub const TEXT_REQUEST_UNITS: &[&str] = &["件"];
/// Units of a count of review or litigation cases in the narrative.
pub const TEXT_CASE_UNITS: &[&str] = &["件", "起", "宗"];

/// Words that, just before a narrative number's keyword, make it a number of another period
/// ("上年收到申请5件", "同比…") — such numbers are not compared.
pub const TEXT_OTHER_PERIOD_MARKERS: &[&str] =
    &["上年", "去年", "上一年", "同比", "较", "前年", "往年"];

/// Narrative: "no application was received" ("未收到依申请公开案件"); must be followed in the same
/// clause by [`APPLICATION_WORD`]. Compared with 一.
pub const TEXT_NONE_RECEIVED: &[&str] = &[
    "未收到",
    "没有收到",
    "未接到",
    "没有接到",
    "未受理",
    "没有受理",
];

/// Narrative: "no review / lawsuit occurred" ("未发生行政复议案、行政诉讼案"); must be followed in
/// the same clause by [`REVIEW_HEADER`] or [`LITIGATION_HEADER`]. Compared with table 四.
pub const TEXT_NO_APPEAL_NEGATIONS: &[&str] = &[
    "未发生",
    "没有发生",
    "未有",
    "没有",
    "未收到",
    "未被申请",
    "未被提起",
    "未涉及",
    "无",
];

/// Words that make a negated review/lawsuit clause a statement about outcomes, not about the
/// absence of cases ("未发生被行政复议纠错的情况"); such clauses are not compared.
pub const TEXT_APPEAL_OUTCOME_WORDS: &[&str] =
    &["纠错", "纠正", "败诉", "撤销", "确认违法", "维持"];

/// Narrative: "every request was closed" ("所有申请均已按要求办理完成"). Contradicted by a
/// non-zero 四、结转下年度继续办理.
pub const TEXT_ALL_HANDLED: &[&str] = &[
    "均已按要求办理完成",
    "均已按要求办结",
    "均已办理完成",
    "均已办理完毕",
    "全部办理完成",
    "全部办理完毕",
    "均已办结",
    "全部办结",
    "均已按时办结",
    "全部按时办结",
    "均按时办结",
    "均按期办结",
    "均已按期办结",
    "全部按期办结",
];

/// Narrative: introduces a breakdown of the number just stated ("154条，其中：1.组织机构4条；…").
/// A breakdown introduced so is added up only when it claims to be complete: it is introduced by
/// a word of [`TEXT_SUBTOTAL_COMPLETE`] or ends with a residual item ([`TEXT_SUBTOTAL_RESIDUAL`]);
/// "其中，予以公开12件" names only some of the items.
pub const TEXT_SUBTOTAL_INTRO: &str = "其中";
/// After [`TEXT_SUBTOTAL_INTRO`]: the breakdown may be partial ("其中包括…"), so it is not added up.
pub const TEXT_SUBTOTAL_PARTIAL: &[&str] = &["包括", "包含", "含"];
/// Right after a total (or after [`TEXT_SUBTOTAL_INTRO`]): the breakdown that follows is the whole
/// of it ("共154条，分别为：组织机构4条、…").
pub const TEXT_SUBTOTAL_COMPLETE: &[&str] = &["分别为", "分别是"];
/// An item of a breakdown that starts with one of these is the rest of the total ("5.其他3条",
/// "其余2件"): a list that has one names every item.
pub const TEXT_SUBTOTAL_RESIDUAL: &[&str] = &["其他", "其它", "其余", "剩余"];
/// Words that may open a residual item before [`TEXT_SUBTOTAL_RESIDUAL`] ("以及其他信息3条").
pub const TEXT_SUBTOTAL_RESIDUAL_LEAD: &[&str] = &["以及", "及", "和", "还有", "另有"];
/// Items that start like a residual one but name a category of their own (table 三's
/// "其他法律行政法规禁止公开").
pub const TEXT_SUBTOTAL_NOT_RESIDUAL: &[&str] = &["其他法律", "其它法律"];
/// Units of the numbers of a breakdown (the total and every item must use the same one).
pub const TEXT_LIST_UNITS: &[&str] = &["条", "件", "篇", "项", "个", "次"];

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
    fn rows_for_a_single_other_row() {
        let rows = REQUESTS_2021.rows_for(true);
        assert_eq!(rows.len(), 23);
        let keys: Vec<&str> = rows.iter().map(|r| r.key).collect();
        assert_eq!(keys[20..], ["other", "total", "carried_forward"]);
        assert!(!keys.contains(&"other_other"));
        assert_eq!(REQUESTS_2021.rows_for(false).len(), 25);
        // The 2019 table already prints the single row.
        assert_eq!(REQUESTS_2019.rows_for(true).len(), 23);
        assert_eq!(ACTIVE_2021.rows_for(true).len(), 6);
    }

    #[test]
    fn find_row_prefers_the_format_then_the_other_then_the_single_row() {
        let n = find_row(Some(Format::F2021), TableId::Active, "normative_documents");
        assert_eq!(n.map(|r| r.label), Some("行政规范性文件"));
        let n = find_row(Some(Format::F2019), TableId::Active, "normative_documents");
        assert_eq!(n.map(|r| r.label), Some("规范性文件"));
        let o = find_row(Some(Format::F2021), TableId::Active, "other_services");
        assert_eq!(o.map(|r| r.label), Some("其他对外管理服务事项"));
        let s = find_row(Some(Format::F2021), TableId::Requests, "other");
        assert_eq!(s, Some(&ROW_OTHER_SINGLE));
        assert_eq!(find_row(None, TableId::Appeals, "other"), None);
    }

    #[test]
    fn find_cell_looks_in_the_format_that_has_the_column() {
        let (r, c) = find_cell(None, TableId::Active, "rules", "new_made").unwrap();
        assert_eq!((r.label, c.label), ("规章", "本年新制作数量"));
        let (_, c) = find_cell(
            Some(Format::F2019),
            TableId::Active,
            "licensing",
            "decisions",
        )
        .unwrap();
        assert_eq!(c.label, "处理决定数量");
        let (_, c) = find_cell(
            Some(Format::F2021),
            TableId::Active,
            "licensing",
            "decisions",
        )
        .unwrap();
        assert_eq!(c.label, "本年处理决定数量");
        assert!(find_cell(None, TableId::Active, "rules", "decisions").is_none());
        assert!(find_cell(None, TableId::Requests, "other", "total").is_some());
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
    fn template_headings_carry_the_keywords_the_checks_look_for() {
        let groups = [
            PART6_FEE_KEYWORDS,
            PART6_KEY_POINTS_KEYWORDS,
            PART6_PROPOSAL_KEYWORDS,
        ];
        assert_eq!(PART6_ITEMS.len(), groups.len());
        for (item, keys) in PART6_ITEMS.iter().zip(groups) {
            assert!(keys.iter().any(|k| item.contains(k)), "{item}");
        }
        for k in PART1_ACCOUNTABILITY_KEYWORDS {
            assert!(PART1_ACCOUNTABILITY_TOPIC.contains(k), "{k}");
        }
        let part5 = PART5_TOPICS.concat();
        assert!(PARTS[4]
            .keywords
            .iter()
            .all(|g| g.iter().any(|k| part5.contains(k))));
    }

    #[test]
    fn parts_are_numbered_one_to_six() {
        for (i, p) in PARTS.iter().enumerate() {
            assert_eq!(p.number as usize, i + 1);
        }
    }
}
