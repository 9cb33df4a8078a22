//! Fingerprints: a 64-bit hash of everything one render job shows.
//!
//! A job is re-rendered only when its fingerprint differs from the previous build's. A
//! fingerprint never hashes the rendered HTML of other pages; it combines small per-item
//! hashes computed once per rebuild: each page's text and body, and its *list entry* (the
//! serialised `page_ref` view that listings, backlinks, related lists, series and pairs show),
//! each section's text and body, each term's name and path, and the site-wide template
//! context. So an edit that leaves a page's list entry unchanged (most body edits) re-renders
//! that page alone, while a new title re-renders every page that lists it.

use std::collections::HashMap;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use crate::model::{PageId, SectionId, Site};
use crate::render::{Bodies, Body, Job};

/// A streaming hash with length-prefixed strings (so `("ab", "c")` ≠ `("a", "bc")`).
pub(super) struct Fp(Xxh3);

impl Fp {
    pub(super) fn new() -> Self {
        Fp(Xxh3::new())
    }

    pub(super) fn str(&mut self, s: &str) -> &mut Self {
        self.u64(s.len() as u64);
        self.0.update(s.as_bytes());
        self
    }

    pub(super) fn u64(&mut self, v: u64) -> &mut Self {
        self.0.update(&v.to_le_bytes());
        self
    }

    pub(super) fn usize(&mut self, v: usize) -> &mut Self {
        self.u64(v as u64)
    }

    pub(super) fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// Hash of `value` as JSON: exactly what a template would receive.
pub(super) fn serialized<T: Serialize>(value: &T) -> u64 {
    struct Writer(Xxh3);
    impl std::io::Write for Writer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = Writer(Xxh3::new());
    // Serialising the model's views cannot fail (string keys, no non-finite floats); if it
    // ever did, the partial hash still changes with the value, which is all we need.
    let _ = serde_json::to_writer(&mut w, value);
    w.0.digest()
}

/// Hash of a rendered body (HTML, summary and table of contents).
pub(super) fn body_hash(b: &Body) -> u64 {
    let mut fp = Fp::new();
    fp.str(&b.html).str(&b.summary_html).u64(serialized(&b.toc));
    fp.finish()
}

/// Per-page hashes the fingerprints combine, aligned with `site.pages`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PageHashes {
    /// The source text (front matter and body).
    pub(super) text: u64,
    /// The rendered body.
    pub(super) body: u64,
    /// The page's list entry (`page_ref`).
    pub(super) entry: u64,
}

/// Everything needed to fingerprint any job of one build.
pub(super) struct Prints<'a> {
    site: &'a Site,
    pages: Vec<PageHashes>,
    global: u64,
    section_own: Vec<u64>,
    crumbs: Vec<u64>,
    terms: Vec<Vec<u64>>,
    taxonomies: Vec<u64>,
    page_terms: Vec<u64>,
    glossary: HashMap<(usize, usize), u64>,
}

impl<'a> Prints<'a> {
    /// Precomputes the per-section and per-term hashes. `global` covers what every page shows
    /// (the `site` template variable and the template set). Page hashes come later
    /// ([`Prints::set_pages`]): the list entries need the term and section hashes first.
    pub(super) fn new(site: &'a Site, bodies: &Bodies, global: u64) -> Self {
        let section_own: Vec<u64> = site
            .sections
            .iter()
            .zip(&bodies.sections)
            .map(|(s, b)| Fp::new().str(&s.text).u64(body_hash(b)).str(&s.title).str(&s.path).str(&s.shown).finish())
            .collect();
        let crumbs = (0..site.sections.len()).map(|s| crumb_hash(site, s)).collect();
        let terms: Vec<Vec<u64>> =
            site.taxonomies.iter().map(|t| t.terms.iter().map(|term| Fp::new().str(&term.name).str(&term.slug).str(&term.path).finish()).collect()).collect();
        let taxonomies = site
            .taxonomies
            .iter()
            .zip(&terms)
            .map(|(t, hashes)| {
                let mut fp = Fp::new();
                fp.str(&t.name).str(&t.title).str(&t.path).usize(t.paginate_by).u64(u64::from(t.feed));
                for (term, h) in t.terms.iter().zip(hashes) {
                    fp.u64(*h).usize(term.pages.len());
                }
                fp.finish()
            })
            .collect();
        let page_terms = (0..site.pages.len())
            .map(|p| {
                let mut fp = Fp::new();
                for (t, hashes) in site.taxonomies.iter().zip(&terms) {
                    fp.str(&t.name);
                    for &i in t.page_terms.get(p).map_or(&[][..], Vec::as_slice) {
                        fp.u64(hashes[i]);
                    }
                }
                fp.finish()
            })
            .collect();
        let glossary = bodies
            .glossary
            .iter()
            .map(|(&(t, i), b)| {
                let text = site.taxonomies[t].terms[i].glossary.as_ref().map_or("", |g| &*g.text);
                ((t, i), Fp::new().str(text).u64(body_hash(b)).finish())
            })
            .collect();
        Prints { site, pages: Vec::new(), global, section_own, crumbs, terms, taxonomies, page_terms, glossary }
    }

    /// Sets the per-page hashes (aligned with `site.pages`).
    pub(super) fn set_pages(&mut self, pages: Vec<PageHashes>) {
        self.pages = pages;
    }

    /// The hash of page `p`'s taxonomy terms (part of its list entry's inputs).
    pub(super) fn page_terms(&self, p: PageId) -> u64 {
        self.page_terms[p]
    }

    /// The hash of the breadcrumb chain of section `s` (a page's list entry names its section).
    pub(super) fn crumbs(&self, s: SectionId) -> u64 {
        self.crumbs[s]
    }

    /// The fingerprint of `job`; `None` for jobs that are always re-rendered (the taxonomy
    /// list pages, whose concept map depends on every page's terms).
    pub(super) fn job(&self, job: Job) -> Option<u64> {
        let mut fp = Fp::new();
        fp.u64(self.global);
        match job {
            Job::Page(id) => self.page(&mut fp, id),
            Job::Section(s, n) => self.section(&mut fp, s, n),
            Job::Term(t, i, n) => self.term(&mut fp, t, i, n),
            Job::TaxonomyList(_) => return None,
            Job::NotFound => fp.str("404"),
            Job::SyntaxCss => fp.str("syntax.css"),
        };
        Some(fp.finish())
    }

    fn entry(&self, p: PageId) -> u64 {
        self.pages[p].entry
    }

    fn page<'f>(&self, fp: &'f mut Fp, id: PageId) -> &'f mut Fp {
        let site = self.site;
        let p = &site.pages[id];
        let h = self.pages[id];
        fp.u64(h.text).u64(h.body).u64(h.entry).str(&p.path).u64(self.crumbs[p.section]).u64(self.page_terms[id]);
        for (_, dest) in &p.assets {
            fp.str(dest);
        }
        let g = &site.graph;
        fp.str("backlinks");
        for (b, excerpt) in &g.backlinks[id] {
            fp.u64(self.entry(*b)).str(excerpt);
        }
        fp.str("related");
        for &r in &g.related[id] {
            fp.u64(self.entry(r));
        }
        if let Some((si, pos)) = g.series_of[id] {
            let s = &g.series[si];
            fp.str("series").str(&s.name).usize(pos);
            for &part in &s.parts {
                fp.u64(self.entry(part));
            }
        }
        if let Some(other) = g.pair[id] {
            fp.str("pair").u64(self.entry(other));
        }
        fp
    }

    fn section<'f>(&self, fp: &'f mut Fp, s: SectionId, n: usize) -> &'f mut Fp {
        let sec = &self.site.sections[s];
        let per = sec.paginate_by();
        fp.u64(self.section_own[s]).u64(self.crumbs[s]).usize(n).usize(per).usize(sec.pages.len());
        for &p in chunk(&sec.pages, per, n) {
            fp.u64(self.entry(p));
        }
        for &c in &sec.subsections {
            let child = &self.site.sections[c];
            fp.u64(self.section_own[c]).usize(child.pages.len());
            if s == 0 {
                // The home page shows the first articles of each top-level section.
                for &p in &child.pages[..child.pages.len().min(3)] {
                    fp.u64(self.entry(p));
                }
            }
        }
        fp
    }

    fn term<'f>(&self, fp: &'f mut Fp, t: usize, i: usize, n: usize) -> &'f mut Fp {
        let tax = &self.site.taxonomies[t];
        let term = &tax.terms[i];
        fp.u64(self.taxonomies[t]).u64(self.terms[t][i]).usize(term.pages.len()).usize(n);
        for &p in chunk(&term.pages, tax.paginate_by, n) {
            fp.u64(self.entry(p));
        }
        fp.u64(self.glossary.get(&(t, i)).copied().unwrap_or(0))
    }
}

/// The stable identity of a job across builds (page and term indexes shift when articles are
/// added or removed; source paths and slugs do not).
pub(super) fn job_key(site: &Site, job: Job) -> u64 {
    let mut fp = Fp::new();
    match job {
        Job::Page(id) => fp.str("page").str(&site.pages[id].rel),
        Job::Section(s, n) => fp.str("section").str(&site.sections[s].dir).usize(n),
        Job::TaxonomyList(t) => fp.str("taxonomy").str(&site.taxonomies[t].name),
        Job::Term(t, i, n) => fp.str("term").str(&site.taxonomies[t].name).str(&site.taxonomies[t].terms[i].slug).usize(n),
        Job::NotFound => fp.str("404"),
        Job::SyntaxCss => fp.str("syntax.css"),
    };
    fp.finish()
}

/// Home → … → section `s`: titles and paths.
fn crumb_hash(site: &Site, s: SectionId) -> u64 {
    let mut fp = Fp::new();
    let mut cur = Some(s);
    while let Some(i) = cur {
        let sec = &site.sections[i];
        fp.str(&sec.title).str(&sec.path);
        cur = sec.parent;
    }
    fp.finish()
}

/// Items of pagination page `n` (1-based), as the renderer cuts them.
fn chunk(items: &[PageId], per: usize, n: usize) -> &[PageId] {
    let start = (n.saturating_sub(1) * per).min(items.len());
    &items[start..(start + per).min(items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_length_prefixed() {
        let a = Fp::new().str("ab").str("c").finish();
        let b = Fp::new().str("a").str("bc").finish();
        assert_ne!(a, b);
        assert_eq!(a, Fp::new().str("ab").str("c").finish());
    }

    #[test]
    fn chunks_match_pagination() {
        let items: Vec<PageId> = (0..25).collect();
        assert_eq!(chunk(&items, 10, 1), &items[..10]);
        assert_eq!(chunk(&items, 10, 3), &items[20..]);
        assert!(chunk(&items, 10, 4).is_empty());
    }

    #[test]
    fn serialized_hash_follows_the_value() {
        assert_eq!(serialized(&("a", 1)), serialized(&("a", 1)));
        assert_ne!(serialized(&("a", 1)), serialized(&("a", 2)));
    }
}
