//! A list as a one-sheet workbook: a header row, then the rows as text (an empty text is an
//! empty cell). The register's export (`xxgk register list --format xlsx`, the register page's
//! 导出 Excel) writes its columns through this, so the two cannot differ.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook bytes of one sheet named `sheet` (bold, frozen header row).
pub fn list_xlsx<R>(sheet: &str, header: &[&str], rows: R) -> Result<Vec<u8>, XlsxError>
where
    R: IntoIterator<Item = Vec<String>>,
{
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (i, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold)?;
        ws.set_column_width(i as u16, 14)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.into_iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, i as u16, v)?;
            }
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::list_xlsx;

    #[test]
    fn writes_a_zip_with_the_sheet_and_its_strings() {
        let bytes = list_xlsx(
            "台账",
            &["编号", "状态"],
            vec![vec!["A-1".to_string(), "逾期".to_string()]],
        )
        .unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut strings,
        )
        .unwrap();
        for s in ["编号", "状态", "A-1", "逾期"] {
            assert!(strings.contains(s), "{s} missing: {strings}");
        }
        let mut book = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut book)
            .unwrap();
        assert!(book.contains("name=\"台账\""), "{book}");
    }
}
