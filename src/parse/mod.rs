//! Parse stage: a source file's text → typed front matter and rendered Markdown.
//!
//! `front_matter` is the only module that knows the YAML library; `markdown` turns a body
//! into a scan (headings, links, callouts) and later into HTML; `highlight` wraps syntect.

pub mod front_matter;
pub mod highlight;
pub mod markdown;

use crate::diag::Diagnostic;
use crate::load::{Role, Source};
use crate::model::Doc;
use front_matter::{Kind, Parsed};
use markdown::MarkdownOptions;

/// A parsed source, before it is placed in the site.
#[derive(Clone)]
pub struct ParsedSource {
    pub source: Source,
    pub parsed: Parsed,
    pub scan: markdown::Scan,
}

/// Front matter + scan of one file.
pub fn parse_one(
    source: Source,
    md: &MarkdownOptions,
    taxonomies: &[String],
) -> Result<ParsedSource, Diagnostic> {
    let name = source.rel.rsplit('/').next().unwrap_or(&source.rel);
    let kind = match source.role {
        // `index.md` / `README.md` may turn out to describe their folder.
        Role::Article if name == "index.md" || name.eq_ignore_ascii_case("readme.md") => {
            Kind::FolderPage
        }
        Role::Article => Kind::Article,
        Role::Section => Kind::Section,
        Role::Glossary => Kind::Glossary,
    };
    let parsed = front_matter::parse(&source.text, &source.shown, kind, taxonomies)?;
    let scan = markdown::scan(&source.text[parsed.body_start..], md);
    Ok(ParsedSource {
        source,
        parsed,
        scan,
    })
}

impl ParsedSource {
    /// The parsed file as a document of the model (links not resolved yet).
    pub fn into_doc(self) -> Doc {
        Doc {
            rel: self.source.rel,
            shown: self.source.shown,
            text: self.source.text,
            meta: self.parsed.meta,
            body_start: self.parsed.body_start,
            scan: self.scan,
            links: std::collections::HashMap::new(),
        }
    }
}
