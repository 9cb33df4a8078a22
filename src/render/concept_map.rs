//! The concept map: an SVG drawn at build time for `/concepts/` (placeholder until the extras land).

use crate::model::Site;

/// SVG markup for taxonomy `t`, with links relative to `root`.
pub fn svg(_site: &Site, _t: usize, _root: &str) -> String {
    String::new()
}
