//! Write generated reports as text files, for the throughput benchmark and for eyeballing.
//!
//! ```text
//! cargo run --release -p xxgk-write --example gen_corpus -- OUT_DIR COUNT [FIRST_SEED]
//! ```
//!
//! Report `i` uses seed `FIRST_SEED + i` and layout `i mod 4` (tsv, cell-per-line, markdown,
//! spaced), is padded with narrative to 6–30 KB and is written as `OUT_DIR/NNNNNN_LAYOUT.txt`.
//! Layouts that can print a blank cell get a few; `spaced` gets none.

use std::path::PathBuf;
use std::process::ExitCode;

use xxgk_testgen::{random_report, GenOptions};
use xxgk_write::text::{render_text, TextLayout, TextOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(count)) = (
        args.first(),
        args.get(1).and_then(|c| c.parse::<u64>().ok()),
    ) else {
        eprintln!("用法：gen_corpus 输出目录 数量 [起始种子]");
        return ExitCode::from(2);
    };
    let first: u64 = match args.get(2).map(|s| s.parse::<u64>()) {
        None => 0,
        Some(Ok(v)) => v,
        Some(Err(_)) => {
            eprintln!("起始种子必须是非负整数：{}", args[2]);
            return ExitCode::from(2);
        }
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("无法创建目录 {}：{e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut bytes = 0usize;
    for i in 0..count {
        let seed = first.wrapping_add(i);
        let layout = TextLayout::ALL[(i % 4) as usize];
        let blank = if layout.represents_blanks() {
            0.01
        } else {
            0.0
        };
        let opts = GenOptions {
            blank_probability: blank,
            text_probability: 0.005,
            other_single_row: seed % 17 == 0,
            // Sizes spread over 6–30 KB, derived from the seed.
            narrative_bytes: (mix(seed) % 24_000) as usize,
            ..GenOptions::default()
        };
        let report = random_report(seed, &opts);
        let text_opts = TextOptions {
            wrap_labels: seed % 3 != 0,
            full_width_digits: seed % 11 == 0,
            crlf: seed % 7 == 0,
            space_around_numbers: seed % 5 == 0,
            seed,
        };
        let text = render_text(&report, layout, &text_opts);
        bytes += text.len();
        let path = dir.join(format!("{seed:06}_{}.txt", layout.name()));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("无法写入 {}：{e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!(
        "已生成 {count} 份报告，共 {:.1} MB，位于 {}",
        bytes as f64 / 1e6,
        dir.display()
    );
    ExitCode::SUCCESS
}

/// SplitMix64's finalizer: spreads consecutive seeds over the whole range.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
