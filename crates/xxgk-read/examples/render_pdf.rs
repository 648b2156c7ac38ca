//! Read any report file and render it as PDF (`xxgk_write::render_pdf`), until `xxgk render`
//! does it: `cargo run -p xxgk-read --example render_pdf -- IN OUT.pdf [force]`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("用法：render_pdf 输入文件 输出.pdf [force]");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{input}: {e}");
            std::process::exit(2);
        }
    };
    let report = match xxgk_read::read(&bytes, Some(input)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{input}: {e}");
            std::process::exit(2);
        }
    };
    let opts = xxgk_write::PdfOptions {
        failed_checks: args.get(3).is_some_and(|a| a == "force"),
    };
    match xxgk_write::render_pdf(&report, &opts) {
        Ok(pdf) => match std::fs::write(out, &pdf) {
            Ok(()) => println!("{out}: {} bytes", pdf.len()),
            Err(e) => {
                eprintln!("{out}: {e}");
                std::process::exit(2);
            }
        },
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
