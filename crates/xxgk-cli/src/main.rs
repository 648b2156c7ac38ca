//! `xxgk`: the command line of the project.
//!
//! The binary is thin: [`cli`] defines the arguments (clap, Chinese help), [`inputs`] turns the
//! arguments into an ordered list of files and reads their bytes, [`render`] turns a report into
//! JSON, JSON Lines or CSV, [`extract`] runs the reader over the inputs in parallel and prints the
//! results in input order; [`check`] reads and checks the inputs (with `xxgk_check`, across years
//! too) and lists the findings (as text, JSON Lines, CSV, or an xlsx workbook via [`xlsx`]);
//! [`rules`] prints the rule catalogues; [`progress`] is the bar shown on a terminal. Every label
//! printed comes from `xxgk_model::catalogue`, every rule title from `xxgk_check::RULES` or
//! `xxgk_read::rules::RULES`. [`new`] writes the input file of a new report and [`aggregate`] the
//! 本级政府 sums (both from `xxgk_write::input`); [`publish`] is `xxgk render`: check a report, then write
//! it as DOCX, HTML, Markdown, XLSX or JSON (`xxgk_write`).

mod admin;
mod aggregate;
mod calendar;
mod check;
mod cli;
mod csvout;
mod extract;
mod inputs;
mod new;
mod progress;
mod publish;
mod register;
mod render;
mod rules;
mod serve;

use std::process::ExitCode;

/// mimalloc rather than the system allocator: reading a report allocates many small strings (one
/// per line, cell and label), and glibc's malloc took about a sixth of `xxgk extract`'s time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return cli::usage_error(e),
    };
    let result = match args.command {
        cli::Command::Extract(opts) => extract::run(&opts),
        cli::Command::Check(opts) => check::run(&opts),
        cli::Command::Rules(opts) => rules::run(&opts),
        cli::Command::New(opts) => new::run(&opts),
        cli::Command::Aggregate(opts) => aggregate::run(&opts),
        cli::Command::Render(opts) => publish::run(&opts),
        cli::Command::Agency(opts) => admin::agency(&opts),
        cli::Command::User(opts) => admin::user(&opts),
        cli::Command::Token(opts) => admin::token(&opts),
        cli::Command::Serve(opts) => serve::run(&opts),
        cli::Command::Calendar(opts) => calendar::run(&opts),
        cli::Command::Register(opts) => register::run(&opts),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xxgk: {}", error_text(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, joined by "：", with I/O errors in Chinese (never the system's
/// English "… (os error 2)").
fn error_text(e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) if io.get_ref().is_none() => inputs::io_message(io),
            // An I/O error built around a message of ours: the message.
            Some(io) => io
                .get_ref()
                .map_or_else(|| io.to_string(), ToString::to_string),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join("：")
}
