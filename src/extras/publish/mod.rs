//! Extras, publish: what makes a built handbook publishable. The resolved [`Site`] and its
//! rendered bodies in; Atom feeds, `sitemap.xml`, `robots.txt`, alias redirect pages and the
//! client-side search index out, written into the build's [`Sink`].
//!
//! Everything here is derived from the model alone (dates from front matter, never the clock;
//! lists in model order), so two builds of the same sources write byte-identical files.

mod aliases;
mod feeds;
mod search;
mod sitemap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{PageId, SectionId, Site, TiVec};
use crate::parse::front_matter::Date;
use crate::render::{Bodies, Renderer};
use crate::write::Sink;
use typed_index_collections::ti_vec;

/// Writes this group's outputs; returns the number of files written.
pub(super) fn write(
    site: &Site,
    _renderer: &Renderer,
    bodies: &Bodies,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> usize {
    let mut files = Vec::new();
    if site.config.feeds.enabled {
        files.extend(feeds::feeds(site, bodies));
    }
    files.extend(sitemap::files(site));
    files.extend(aliases::pages(site));
    let mut written = 0;
    if site.config.search.enabled {
        match search::write(site, sink) {
            Ok(n) => written += n,
            Err(d) => diags.push(d),
        }
    }
    // Thousands of small files on a big site (the search index): write them in parallel.
    let results: Vec<Result<(), Diagnostic>> = files
        .par_iter()
        .map(|f| {
            sink.write(&f.path, &f.bytes)
                .map_err(|e| crate::write::write_error(&f.path, &e))
        })
        .collect();
    for r in results {
        match r {
            Ok(()) => written += 1,
            Err(d) => diags.push(d),
        }
    }
    written
}

/// One generated file: path below the output root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
struct File {
    path: String,
    bytes: Vec<u8>,
}

impl File {
    fn new(path: impl Into<String>, text: String) -> Self {
        File {
            path: path.into(),
            bytes: text.into_bytes(),
        }
    }
}

/// For each section, the pages in it or in any section below it.
fn section_pages(site: &Site) -> TiVec<SectionId, Vec<PageId>> {
    let mut subtree = ti_vec![Vec::new(); site.sections.len()];
    for (id, page) in site.pages.iter_enumerated() {
        let mut cur = Some(page.section);
        while let Some(s) = cur {
            subtree[s].push(id);
            cur = site.sections[s].parent;
        }
    }
    subtree
}

/// For each section, whether it is a draft (or inside one): without `--drafts` its pages
/// are gone, and it gets no feed and no sitemap entry either. (With `--drafts` the model
/// clears the flag.)
fn hidden_sections(site: &Site) -> TiVec<SectionId, bool> {
    site.sections
        .keys()
        .map(|mut s| {
            loop {
                if site.sections[s].meta.draft {
                    break true;
                }
                match site.sections[s].parent {
                    Some(parent) => s = parent,
                    None => break false,
                }
            }
        })
        .collect()
}

/// The newest `updated`/`date` among `pages`.
fn newest(site: &Site, pages: impl IntoIterator<Item = PageId>) -> Option<Date> {
    pages
        .into_iter()
        .filter_map(|p| last_modified(site, p))
        .max()
}

/// The date a page last changed: `updated`, else its last change in git, else `date`.
fn last_modified(site: &Site, page: PageId) -> Option<Date> {
    let p = &site.pages[page];
    (p.meta.updated)
        .or(p.git(site).map(|g| g.updated))
        .or(p.meta.date)
}

/// Escapes text for XML element content and attribute values. Characters XML 1.0 forbids
/// (control characters other than tab and newlines) are dropped: a feed reader rejects the
/// whole feed over a single one.
fn xml_escape(text: &str) -> String {
    // Byte scan that copies unchanged runs in one go: feeds escape whole article bodies, so
    // this is hot (a per-char loop was 5% of a build). Everything escaped or dropped is ASCII
    // except U+FFFE/U+FFFF (EF BF BE / EF BF BF), so runs always split on char boundaries.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            0..=0x1f => ("", 1),
            0xef if bytes.get(i + 1) == Some(&0xbf)
                && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)) =>
            {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[run..i]);
        out.push_str(replacement);
        i += len;
        run = i;
    }
    out.push_str(&text[run..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(xml_escape("bell\u{7}\ttab"), "bell\ttab");
        assert_eq!(xml_escape("é\u{fffe}ü\u{ffff}—"), "éü—");
    }
}
