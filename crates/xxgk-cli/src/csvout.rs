//! CSV for people who double-click it: Excel on Windows opens a CSV file in the local code page
//! unless the file starts with a UTF-8 byte-order mark. The CSV outputs of `extract` and `check`
//! therefore start with a BOM by default, or are written in GB18030 (a superset of GBK, the code
//! page of Chinese Windows) with `--encoding gbk`; `--headers zh` prints Chinese column names.

use std::io::{self, Write};

use clap::ValueEnum;

/// The encoding of a CSV output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark (Excel recognises it).
    #[default]
    #[value(name = "utf8", alias = "utf-8")]
    Utf8,
    /// UTF-8 without a byte-order mark (for programs).
    #[value(name = "utf8-nobom", alias = "utf-8-nobom")]
    Utf8NoBom,
    /// GBK (written as GB18030, which encodes every character; GBK's are the same bytes).
    #[value(name = "gbk", alias = "gb18030")]
    Gbk,
}

/// The language of the CSV header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CsvHeaders {
    /// English identifiers (stable, for programs).
    #[default]
    En,
    /// Chinese column names.
    Zh,
}

/// A writer that encodes the UTF-8 written to it (see [`CsvEncoding`]); the BOM is written
/// before the first byte.
pub struct Encoded<W: Write> {
    inner: W,
    encoding: CsvEncoding,
    started: bool,
    /// An incomplete UTF-8 sequence at the end of the last write.
    pending: Vec<u8>,
}

impl<W: Write> Encoded<W> {
    pub fn new(inner: W, encoding: CsvEncoding) -> Encoded<W> {
        Encoded {
            inner,
            encoding,
            started: false,
            pending: Vec::new(),
        }
    }

    /// Write the BOM (UTF-8) now, even when nothing else is written.
    pub fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            if self.encoding == CsvEncoding::Utf8 {
                self.inner.write_all(b"\xEF\xBB\xBF")?;
            }
        }
        Ok(())
    }
}

impl<W: Write> Write for Encoded<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.start()?;
        if self.encoding != CsvEncoding::Gbk {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_some() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "CSV 输出不是有效的 UTF-8",
                ))
            }
            Err(e) => e.valid_up_to(),
        };
        let text = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        self.inner.write_all(&bytes)?;
        self.pending.drain(..valid);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(encoding: CsvEncoding, pieces: &[&[u8]]) -> Vec<u8> {
        let mut w = Encoded::new(Vec::new(), encoding);
        for p in pieces {
            w.write_all(p).expect("writes");
        }
        w.inner
    }

    #[test]
    fn utf8_gets_a_bom_once() {
        assert_eq!(
            encode(CsvEncoding::Utf8, &[b"a,", "表".as_bytes()]),
            b"\xEF\xBB\xBFa,\xE8\xA1\xA8"
        );
        assert_eq!(encode(CsvEncoding::Utf8NoBom, &[b"a"]), b"a");
    }

    #[test]
    fn gbk_encodes_characters_split_across_writes() {
        // 表 is U+8868: UTF-8 E8 A1 A8, GBK B1 ED.
        let utf8 = "表".as_bytes();
        assert_eq!(
            encode(CsvEncoding::Gbk, &[b"x", &utf8[..1], &utf8[1..]]),
            b"x\xB1\xED"
        );
    }
}
