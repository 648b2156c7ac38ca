//! Seeded mutations of PDFs for the reading budget of issue 12 item 5, shared by the fuzz
//! example (`examples/pdf_fuzz.rs`) and the property test (`tests/pdf_budget.rs`).

pub use super::mutation_budget::Rng;

/// Content-stream and object tokens that stress the interpreter and the parser.
const TOKENS: &[&[u8]] = &[
    b"q ",
    b"Q ",
    b"BT ",
    b"ET ",
    b"[",
    b"(",
    b"<",
    b"<<",
    b"1 ",
    b"99999999999999999999 ",
    b"-1e38 ",
    b"BI /W 1 /H 1 ID ",
    b"/X0 Do ",
    b"/F1 12 Tf ",
    b"(1234567890) Tj ",
    b"0 0 m 500 0 l S ",
    b"0 0 0.5 800 re f ",
    b"1 0 0 1 0 -12 cm ",
    b" T* ",
    b"[(1)-100(2)] TJ ",
    b"%",
    b"\\",
    b"endstream ",
    b"endobj ",
    b"1 0 obj ",
    b"stream\n",
    b"/Filter /FlateDecode ",
    b"/Length 999999999 ",
    b"/Type /Pages /Kids [1 0 R 1 0 R] ",
];

pub fn mutate(base: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = base.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = b.len().max(1);
        match rng.below(9) {
            // Random byte flips.
            0 => {
                for _ in 0..1 + rng.below(64) {
                    let i = rng.below(b.len());
                    if let Some(x) = b.get_mut(i) {
                        *x = rng.next() as u8;
                    }
                }
            }
            // Truncation.
            1 => b.truncate(rng.below(len)),
            // A chunk repeated many times in place.
            2 => {
                let at = rng.below(len);
                let n = 1 + rng.below(4096.min(len - at.min(len - 1)));
                let chunk = b[at.min(b.len())..(at + n).min(b.len())].to_vec();
                let times = 1 + rng.below((4 << 20) / chunk.len().max(1)).min(100_000);
                let rep = chunk.repeat(times);
                b.splice(at.min(b.len())..at.min(b.len()), rep);
            }
            // A hostile token repeated.
            3 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let times = 1 + rng.below(200_000);
                let at = rng.below(len);
                b.splice(at.min(b.len())..at.min(b.len()), t.repeat(times));
            }
            // Damage the cross-reference data.
            4 => {
                for key in [&b"startxref"[..], b"xref", b"trailer", b"/Root", b"/Size"] {
                    if rng.below(2) == 0 {
                        if let Some(p) = b.windows(key.len()).rposition(|w| w == key) {
                            b[p] = b'x';
                        }
                    }
                }
            }
            // Offsets' digits shifted.
            5 => {
                for _ in 0..1 + rng.below(200) {
                    let i = rng.below(b.len());
                    if b.get(i).is_some_and(u8::is_ascii_digit) {
                        b[i] = b'0' + rng.below(10) as u8;
                    }
                }
            }
            // A range deleted.
            6 => {
                let at = rng.below(len);
                let n = rng.below(65536);
                let end = (at + n).min(b.len());
                if at < end {
                    b.drain(at..end);
                }
            }
            // A stream's data replaced by a flate bomb of zeros (a valid zlib stream).
            7 => {
                if let Some(p) = b.windows(7).position(|w| w == b"stream\n") {
                    let start = p + 7;
                    let end = b[start..]
                        .windows(9)
                        .position(|w| w == b"endstream")
                        .map_or(b.len(), |e| start + e);
                    let mut e =
                        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
                    let zeros = vec![b' '; 1 << 20];
                    for _ in 0..1 + rng.below(64) {
                        std::io::Write::write_all(&mut e, &zeros).ok();
                    }
                    let z = e.finish().unwrap_or_default();
                    b.splice(start..end, z);
                }
            }
            // Two random ranges swapped (objects moved: offsets all wrong).
            _ => {
                let a = rng.below(len);
                let c = rng.below(len);
                let (a, c) = (a.min(c), a.max(c));
                if c > a && c < b.len() {
                    b[a..c].rotate_left((c - a) / 2);
                }
            }
        }
        if b.len() > 48 << 20 {
            b.truncate(48 << 20);
        }
    }
    b
}
