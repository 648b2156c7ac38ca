//! `xxgk extract`: read every input, in parallel, and print the results in input order.
//!
//! Inputs are processed in chunks: each chunk is read and rendered in parallel (rayon), then
//! printed in order before the next chunk starts, so memory holds one chunk's output at most.
//! On a terminal, a progress bar on standard error counts the inputs (see [`crate::progress`]).

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use rayon::prelude::*;

use crate::cli::{ExtractArgs, OutputFormat};
use crate::csvout::{CsvEncoding, CsvHeaders, Encoded};
use crate::inputs::{self, Input};
use crate::progress::Progress;
use crate::render;

/// Inputs read in parallel before their output is printed.
const CHUNK: usize = 256;

/// What one input produced.
struct Outcome {
    /// For standard output (empty when the input failed).
    out: Vec<u8>,
    /// For standard error: the findings, or the reason the input failed.
    err: String,
    failed: bool,
}

/// How the results are laid out on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One pretty-printed object (exactly one input).
    Object,
    /// A JSON array of pretty-printed objects (`--format json` with several inputs).
    Array,
    Lines,
    Csv,
}

pub fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let single = args.files.len() == 1 && !inputs::is_dir(&args.files[0]);
    let format = args.format.unwrap_or(if single {
        OutputFormat::Json
    } else {
        OutputFormat::Jsonl
    });
    let layout = match format {
        OutputFormat::Json if single => Layout::Object,
        OutputFormat::Json => Layout::Array,
        OutputFormat::Jsonl => Layout::Lines,
        OutputFormat::Csv => Layout::Csv,
    };
    let inputs = inputs::expand(&args.files);

    let progress = Progress::new(inputs.len(), "读取");
    let mut printer = Printer::new(layout, args.encoding, args.headers);
    let mut failed = false;
    let result = (|| -> io::Result<()> {
        printer.start()?;
        for chunk in inputs.chunks(CHUNK) {
            let outcomes: Vec<Outcome> = chunk
                .par_iter()
                .map(|input| {
                    let outcome = process(input, layout, args.quiet);
                    progress.inc();
                    outcome
                })
                .collect();
            // The bar is cleared while the chunk's results and messages are written.
            progress.suspend(|| -> io::Result<()> {
                for outcome in outcomes {
                    failed |= outcome.failed;
                    printer.print(&outcome)?;
                }
                printer.flush()
            })?;
        }
        progress.finish();
        printer.finish()
    })();
    let code = if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    };
    match result {
        Ok(()) => Ok(code),
        // The reader of our output went away (`xxgk extract … | head`): stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(anyhow::Error::new(e).context("无法写出结果")),
    }
}

/// Read, parse and render one input. Never panics on bad input: every problem becomes a message.
fn process(input: &Input, layout: Layout, quiet: bool) -> Outcome {
    let name = input.name();
    let fail = |message: String| Outcome {
        out: Vec::new(),
        err: format!("xxgk: {name}: {message}\n"),
        failed: true,
    };
    let bytes = match inputs::read_bytes(input) {
        Ok(b) => b,
        Err(message) => return fail(message),
    };
    let report = match xxgk_ocr::read_with_dir(
        &bytes,
        Some(&name),
        &mut |_| Vec::new(),
        ocr_engine(),
        input.dir(),
    ) {
        Ok((r, _)) => r,
        Err(e) => return fail(e.to_string()),
    };
    drop(bytes);
    let rendered = match layout {
        Layout::Object | Layout::Array => render::json_pretty(&report),
        Layout::Lines => render::json_line(&report),
        Layout::Csv => render::csv_rows(&report),
    };
    match rendered {
        Ok(out) => Outcome {
            out,
            err: if quiet {
                String::new()
            } else {
                render::findings_text(&name, &report)
            },
            failed: false,
        },
        Err(e) => fail(format!("无法生成输出：{e}")),
    }
}

/// The Chinese names of the CSV columns (`--headers zh`), in the order of `render::CSV_HEADER`.
pub const CSV_HEADER_ZH: [&str; 7] = ["文件", "标识符", "表", "行", "列", "值", "行号"];

/// Writes outcomes in order: standard output buffered, standard error as it comes.
struct Printer {
    layout: Layout,
    headers: CsvHeaders,
    out: Box<dyn Write>,
    /// Objects printed so far (for the separators of a JSON array).
    printed: usize,
}

impl Printer {
    fn new(layout: Layout, encoding: CsvEncoding, headers: CsvHeaders) -> Printer {
        let stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        Printer {
            layout,
            headers,
            out: if layout == Layout::Csv {
                Box::new(Encoded::new(stdout, encoding))
            } else {
                Box::new(stdout)
            },
            printed: 0,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        match self.layout {
            Layout::Csv => {
                let header = match self.headers {
                    CsvHeaders::En => render::csv_header().map_err(io::Error::other)?,
                    CsvHeaders::Zh => {
                        let mut w = csv::Writer::from_writer(Vec::new());
                        w.write_record(CSV_HEADER_ZH)?;
                        w.into_inner()
                            .map_err(|e| io::Error::other(e.to_string()))?
                    }
                };
                self.out.write_all(&header)
            }
            Layout::Array => self.out.write_all(b"["),
            Layout::Object | Layout::Lines => Ok(()),
        }
    }

    fn print(&mut self, outcome: &Outcome) -> io::Result<()> {
        if !outcome.err.is_empty() {
            // Keep standard error in step with standard output on a terminal.
            self.out.flush()?;
            // A closed standard error is no reason to stop.
            let _ = io::stderr().lock().write_all(outcome.err.as_bytes());
        }
        if outcome.failed {
            return Ok(());
        }
        if self.layout == Layout::Array {
            self.out
                .write_all(if self.printed == 0 { b"\n" } else { b",\n" })?;
            // Drop the object's final newline: the separator follows it.
            let body = outcome.out.strip_suffix(b"\n").unwrap_or(&outcome.out);
            self.out.write_all(body)?;
        } else {
            self.out.write_all(&outcome.out)?;
        }
        self.printed += 1;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.layout == Layout::Array {
            self.out
                .write_all(if self.printed == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// The OCR engine for scans and images (Tesseract when installed; `XXGK_OCR=off` disables it).
pub(crate) fn ocr_engine() -> Option<&'static dyn xxgk_ocr::Engine> {
    // Looked for only when a file needs it (a scan, an image, a table as an image).
    xxgk_ocr::lazy_default_engine()
}
