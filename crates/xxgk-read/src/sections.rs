//! The six parts: headings in their real variants, and the text under each.

use xxgk_model::Section;

/// Find the six statutory parts in `lines`.
pub fn split(_lines: &[String]) -> Vec<Section> {
    Vec::new()
}
