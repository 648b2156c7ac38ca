//! The domain types the store speaks: no SQL types leave the crate.

use std::fmt;
use std::str::FromStr;

/// What an account may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, and manages accounts and agencies.
    Admin,
    /// Its agency's whole subtree.
    Supervisor,
    /// Its own agency only.
    Staff,
}

impl Role {
    /// The identifier stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Staff => "staff",
        }
    }

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Supervisor => "监督人员",
            Role::Staff => "工作人员",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "supervisor" => Ok(Role::Supervisor),
            "staff" => Ok(Role::Staff),
            _ => Err(format!("未知角色：{s}（应为 admin、supervisor 或 staff）")),
        }
    }
}

/// What kind of body an agency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AgencyKind {
    /// A people's government (省、市、县、乡镇人民政府).
    Government,
    /// A department of a government (局、委、办).
    Department,
    /// Anything else (not stated).
    #[default]
    Other,
}

impl AgencyKind {
    /// The identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Government => "government",
            AgencyKind::Department => "department",
            AgencyKind::Other => "other",
        }
    }

    pub(crate) fn parse(s: &str) -> AgencyKind {
        match s {
            "government" => AgencyKind::Government,
            "department" => AgencyKind::Department,
            _ => AgencyKind::Other,
        }
    }
}

/// One agency of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: i64,
    /// The agency's own identifier (统一社会信用代码 or a local code); unique.
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub kind: AgencyKind,
    /// Ids from the root to this agency, `/1/5/9/`: a subtree is every path with this prefix.
    pub path: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl Agency {
    /// Depth in the tree: 0 for a root.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

/// A new agency: its parent named by code.
#[derive(Debug, Clone, Default)]
pub struct NewAgency<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub parent_code: Option<&'a str>,
    pub kind: AgencyKind,
}

/// An account, as the store hands it to callers. Scoped queries take a `&User`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub agency_id: Option<i64>,
    /// The path of the user's agency (see [`Agency::path`]).
    pub agency_path: Option<String>,
    pub agency_code: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
}

/// A new account. The password is hashed (argon2id) and never stored.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub agency_code: Option<&'a str>,
}

/// An API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    /// The first characters of the token, printed with it, to name it later.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A token just created: the plain token is returned once and never stored.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub token: String,
    pub info: ApiToken,
}

/// The state of a stored report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    Processing,
    Ready,
    Unreadable,
}

impl ReportStatus {
    /// The identifier of the API (`"processing"`, `"ready"`, `"unreadable"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Processing => "processing",
            ReportStatus::Ready => "ready",
            ReportStatus::Unreadable => "unreadable",
        }
    }

    pub(crate) fn parse(s: &str) -> ReportStatus {
        match s {
            "ready" => ReportStatus::Ready,
            "unreadable" => ReportStatus::Unreadable,
            _ => ReportStatus::Processing,
        }
    }
}

/// A report to store: the original file and what was read from it.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub agency_id: i64,
    /// `None`: the report does not say (stored as NULL).
    pub year: Option<i32>,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub status: ReportStatus,
    pub unreadable_reason: Option<&'a str>,
    /// The JSON of `xxgk extract` for the file.
    pub extract_json: Option<&'a str>,
    /// The `findings` array of `xxgk check --format json` for the file.
    pub findings_json: Option<&'a str>,
    pub error_count: i64,
    pub warning_count: i64,
}

/// What reading and checking a stored report gave (see [`crate::Store::set_report_result`]).
#[derive(Debug, Clone)]
pub struct ReportResult<'a> {
    pub status: ReportStatus,
    pub unreadable_reason: Option<&'a str>,
    pub extract_json: Option<&'a str>,
    pub findings_json: Option<&'a str>,
    pub error_count: i64,
    pub warning_count: i64,
}

/// One stored report version (without the large JSON; see [`crate::Store::report_json`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub id: i64,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    /// `None`: the report does not say.
    pub year: Option<i32>,
    pub version: i32,
    pub status: ReportStatus,
    pub unreadable_reason: Option<String>,
    pub file_id: i64,
    pub file_name: String,
    pub file_sha256: String,
    pub file_size: i64,
    pub error_count: i64,
    pub warning_count: i64,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: i64,
    /// The format it was read in.
    pub format: ReportFormat,
    /// Whether this is the newest version of its agency and year.
    pub is_latest: bool,
}

/// One version of a report with the name of who uploaded it (see
/// [`crate::Store::report_versions`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportVersion {
    pub report: StoredReport,
    /// The uploader's account name; `None` for the command line or a deleted account.
    pub uploaded_by_name: Option<String>,
}

/// The JSON documents of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportJson {
    pub extract_json: Option<String>,
    pub findings_json: Option<String>,
}

/// Filters of the report list (all optional).
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub year: Option<i32>,
    /// Only this agency's subtree.
    pub agency_id: Option<i64>,
    /// Only the latest version of each agency and year.
    pub latest_only: bool,
    /// Only reports read in this format.
    pub format: Option<ReportFormat>,
    pub status: Option<ReportStatus>,
    /// `Some(true)`: only reports with at least one error; `Some(false)`: only those with none.
    pub has_errors: Option<bool>,
    /// Only reports with a finding of this rule.
    pub rule: Option<String>,
    pub sort: ReportSort,
    /// Reverse the sort (ignored by [`ReportSort::Default`]).
    pub descending: bool,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The format a stored report was read in (the `format` of its extract), or unknown when
/// nothing was read (unreadable, still processing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// 国办公开办函〔2021〕30号.
    F2021,
    /// The 2019 trial format (国办公开办函〔2019〕60号).
    F2019,
    /// Before the 2019 regulation.
    Pre2019,
    Unknown,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 4] = [
        ReportFormat::F2021,
        ReportFormat::F2019,
        ReportFormat::Pre2019,
        ReportFormat::Unknown,
    ];

    /// The identifier of the API and of the `format` column (`"unknown"` is a NULL column).
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::F2021 => "2021",
            ReportFormat::F2019 => "2019",
            ReportFormat::Pre2019 => "pre-2019",
            ReportFormat::Unknown => "unknown",
        }
    }

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::F2021 => "2021 年新版格式",
            ReportFormat::F2019 => "2019 年试行格式",
            ReportFormat::Pre2019 => "2019 年以前",
            ReportFormat::Unknown => "未知",
        }
    }

    /// From an identifier of [`ReportFormat::as_str`].
    pub fn parse(s: &str) -> Option<ReportFormat> {
        ReportFormat::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub(crate) fn of_column(s: Option<&str>) -> ReportFormat {
        s.and_then(ReportFormat::parse)
            .unwrap_or(ReportFormat::Unknown)
    }
}

/// The order of the report list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReportSort {
    /// Newest year first, then agency code, then version (latest first).
    #[default]
    Default,
    Year,
    /// By agency code.
    Agency,
    /// By number of errors.
    Errors,
    /// By upload time.
    Uploaded,
}

impl ReportSort {
    pub const ALL: [ReportSort; 5] = [
        ReportSort::Default,
        ReportSort::Year,
        ReportSort::Agency,
        ReportSort::Errors,
        ReportSort::Uploaded,
    ];

    /// The identifier of the API (`sort=`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReportSort::Default => "default",
            ReportSort::Year => "year",
            ReportSort::Agency => "agency",
            ReportSort::Errors => "errors",
            ReportSort::Uploaded => "uploaded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportSort::Default => "默认（年度、机构）",
            ReportSort::Year => "年度",
            ReportSort::Agency => "机构",
            ReportSort::Errors => "错误数",
            ReportSort::Uploaded => "上传时间",
        }
    }

    pub fn parse(s: &str) -> Option<ReportSort> {
        ReportSort::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Who makes a change, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// The command line (`xxgk agency add` …), run by whoever holds the data directory.
    pub fn command_line() -> Actor {
        Actor {
            user_id: None,
            name: "命令行".to_owned(),
        }
    }

    /// A signed-in user.
    pub fn user(user: &User) -> Actor {
        Actor {
            user_id: Some(user.id),
            name: user.name.clone(),
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub detail: Option<String>,
    pub before_sha256: Option<String>,
    pub after_sha256: Option<String>,
}
