//! `xxgk aggregate`: several agencies' reports of one year → the input file of the 本级政府
//! summary (`xxgk_write::input::aggregate_input`). Unreadable inputs are named and nothing is
//! written.

use std::process::ExitCode;

use anyhow::Result;
use rayon::prelude::*;
use xxgk_write::input::aggregate_input;

use crate::cli::AggregateArgs;
use crate::inputs::{expand, read_bytes};
use crate::new::write_output;

pub fn run(args: &AggregateArgs) -> Result<ExitCode> {
    let inputs = expand(&args.files);
    let results: Vec<Result<xxgk_model::Report, (String, String)>> = inputs
        .par_iter()
        .map(|input| {
            let name = input.name();
            let bytes = read_bytes(input).map_err(|m| (name.clone(), m))?;
            xxgk_read::read(&bytes, Some(&name)).map_err(|e| (name, e.to_string()))
        })
        .collect();
    let mut reports = Vec::with_capacity(results.len());
    let mut failed = 0;
    for r in results {
        match r {
            Ok(report) => reports.push(report),
            Err((name, message)) => {
                eprintln!("xxgk: {name}: {message}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("xxgk: {failed} 个报告无法读取，没有生成汇总");
        return Ok(ExitCode::from(2));
    }
    let text = match aggregate_input(&reports, &args.agency, args.year) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("xxgk: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let code = write_output(args.output.as_deref(), args.force, &text)?;
    if code == ExitCode::SUCCESS {
        if let Some(out) = &args.output {
            eprintln!(
                "已生成 {}：{} 份报告的表格之和（{}，{} 年度）。正文需另行撰写。",
                out.display(),
                reports.len(),
                args.agency,
                args.year
            );
        }
    }
    Ok(code)
}
