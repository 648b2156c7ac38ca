//! The OCR engine behind an interface, so that a better engine can replace Tesseract later.
//!
//! [`Tesseract`] runs Debian's `tesseract` (packages `tesseract-ocr`, `tesseract-ocr-chi-sim`)
//! as a process: the image as PNG on standard input, its TSV (one row per word, with its box and
//! confidence) on standard output. Found on `PATH` or at `$XXGK_TESSERACT`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use image::GrayImage;

use crate::OcrError;

/// What an image holds, which decides the engine's model and alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Simplified Chinese text with digits and punctuation.
    Chinese,
    /// Digits only (a number cell): `0-9`, the decimal point and a minus sign.
    Digits,
}

/// One word the engine read: its text, its confidence (0–100) and its box in the image.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub confidence: f32,
    pub left: i64,
    pub top: i64,
    pub width: i64,
    pub height: i64,
    /// The engine's line of the word (block, paragraph, line), for joining words into lines.
    pub line: (u32, u32, u32),
}

/// An OCR engine.
pub trait Engine {
    /// The words of an image.
    fn recognize(&self, image: &GrayImage, script: Script) -> Result<Vec<Word>, OcrError>;
    /// The engine's name and version, for the findings.
    fn name(&self) -> String;
    /// Whether the engine can run at all (a lazily found engine looks for its program here).
    fn available(&self) -> bool {
        true
    }
}

/// Tesseract, as a process.
#[derive(Debug, Clone)]
pub struct Tesseract {
    program: PathBuf,
    version: String,
}

impl Tesseract {
    /// The installed Tesseract with its Simplified Chinese data, or `None`.
    pub fn find() -> Option<Tesseract> {
        let program = std::env::var_os("XXGK_TESSERACT")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("tesseract"));
        let langs = Command::new(&program)
            .arg("--list-langs")
            .stdin(Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&langs.stdout).into_owned()
            + &String::from_utf8_lossy(&langs.stderr);
        if !text.lines().any(|l| l.trim() == "chi_sim") {
            return None;
        }
        let version = Command::new(&program)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "tesseract".to_owned());
        Some(Tesseract { program, version })
    }
}

impl Engine for Tesseract {
    fn recognize(&self, image: &GrayImage, script: Script) -> Result<Vec<Word>, OcrError> {
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(image.clone())
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| OcrError::Engine(e.to_string()))?;
        let mut cmd = Command::new(&self.program);
        cmd.args(["stdin", "stdout", "--psm", "6", "--dpi", "300"]);
        match script {
            Script::Chinese => {
                cmd.args(["-l", "chi_sim"]);
            }
            Script::Digits => {
                cmd.args(["-l", "eng", "-c", "tessedit_char_whitelist=0123456789.-"]);
            }
        }
        cmd.arg("tsv")
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| OcrError::Engine(format!("无法启动 tesseract：{e}")))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| OcrError::Engine("tesseract 无标准输入".to_owned()))?;
        let writer = std::thread::spawn(move || stdin.write_all(&png));
        let output = child
            .wait_with_output()
            .map_err(|e| OcrError::Engine(e.to_string()))?;
        writer
            .join()
            .map_err(|_| OcrError::Engine("写入 tesseract 失败".to_owned()))?
            .map_err(|e| OcrError::Engine(e.to_string()))?;
        if !output.status.success() {
            return Err(OcrError::Engine(format!(
                "tesseract 出错：{}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(parse_tsv(&String::from_utf8_lossy(&output.stdout)))
    }

    fn name(&self) -> String {
        self.version.clone()
    }
}

/// The words of Tesseract's TSV output (level 5 rows with text).
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<i64>().unwrap_or(0);
        words.push(Word {
            text: text.to_owned(),
            confidence: f[10].trim().parse::<f32>().unwrap_or(0.0),
            left: n(6),
            top: n(7),
            width: n(8),
            height: n(9),
            line: (n(2) as u32, n(3) as u32, n(4) as u32),
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_with_boxes_and_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t12\t30\t20\t96.5\t123\n\
                   5\t1\t1\t1\t2\t1\t10\t40\t30\t20\t41\t属于\n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "123");
        assert_eq!((words[0].left, words[0].top), (10, 12));
        assert!((words[0].confidence - 96.5).abs() < 1e-6);
        assert_eq!(words[1].line, (1, 1, 2));
    }
}
