//! xxgk-register: the request register (依申请公开台账) as a pure domain.
//!
//! - [`day`]: dates as day numbers;
//! - [`calendar`]: the working-day calendar of the State Council's 节假日安排 notices, shipped for
//!   2019–2026 (`data/calendar/*.toml`, embedded) and overridable year by year;
//! - [`case`]: applications and their events (条例 第二十七–四十五条, 国办函〔2020〕109号) and the
//!   validation of an event sequence;
//! - [`clock`]: the statutory clock (due date, status, and how the date was computed);
//! - [`import`]: the office's 台账 read from CSV (UTF-8 / GBK) or XLSX bytes, row by row;
//! - [`tables`]: tables 三 and 四 of a year derived from the register, each cell with the cases
//!   behind it (the counting rules are stated there).
//!
//! No I/O, no SQL, no clock reads: "today" and every file's text are arguments. Every type is
//! serde-serialisable so that the store can keep it.

pub mod calendar;
pub mod case;
pub mod clock;
pub mod day;
pub mod import;
pub mod tables;

pub use calendar::{Calendar, CalendarDataError, CalendarMissing, CalendarSource, CalendarYear};
pub use case::{
    ApplicantType, Application, Case, CaseProblem, Channel, ConsultKind, Event, FeeBasis, Outcome,
    Validation,
};
pub use clock::{clock, ClockState, DueExplanation, Status};
pub use day::Day;
pub use tables::{
    derive_tables, derive_tables_from, derive_tables_from_counts, derive_tables_from_groups,
    AppealCase, AppealKind, AppealResult, CaseCount, CaseGroup, CaseSummary, DerivedTables,
};
