//! `xxgk`: the command line of the project.
//!
//! The binary is thin: [`cli`] defines the arguments (clap, Chinese help), [`inputs`] turns the
//! arguments into an ordered list of files and reads their bytes, [`render`] turns a report into
//! JSON, JSON Lines or CSV, [`extract`] runs the reader over the inputs in parallel and prints the
//! results in input order. Every label printed comes from `xxgk_model::catalogue`.

mod cli;
mod extract;
mod inputs;
mod render;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return cli::usage_error(e),
    };
    match args.command {
        cli::Command::Extract(opts) => match extract::run(&opts) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("xxgk: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}
