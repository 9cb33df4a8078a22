//! Parse stage: a source file's text → typed front matter and rendered Markdown.
//!
//! `front_matter` is the only module that knows the YAML library; `markdown` turns a body
//! into a scan (headings, links, callouts) and later into HTML; `highlight` wraps syntect.

pub mod front_matter;
pub mod highlight;
pub mod markdown;
