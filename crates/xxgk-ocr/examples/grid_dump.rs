//! Prints the tables found on page images: grid lines and cells. `cargo run -p xxgk-ocr --example grid_dump -- PAGE.png`
fn main() {
    for arg in std::env::args().skip(1) {
        let img = image::open(&arg).expect("image").to_luma8();
        let f = xxgk_ocr::grid::Frame::new(&img);
        println!("{arg}: skew {:.3}°", f.tan.atan().to_degrees());
        println!("  h: {:?}", xxgk_ocr::grid::horizontal_lines(&f));
        println!("  v: {:?}", xxgk_ocr::grid::vertical_lines(&f));
        for t in xxgk_ocr::grid::tables(&f) {
            println!("  table ys {:?}\n        xs {:?}", t.ys, t.xs);
            for c in &t.cells {
                println!("    r{} c{} {}x{}", c.row, c.col, c.rows, c.cols);
            }
        }
    }
}
