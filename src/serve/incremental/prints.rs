//! Fingerprints: a 64-bit hash of everything one render job shows, and the reverse index of
//! which jobs show which page.
//!
//! A job is re-rendered only when its fingerprint differs from the previous build's. A
//! fingerprint never hashes the rendered HTML of other pages; it combines small per-item
//! hashes: each page's text and body, and its *list entry* (the serialised `page_ref` view
//! that listings, backlinks, related lists, series and pairs show), each section's text and
//! body, each term's name and path, and the site-wide template context. So an edit that
//! leaves a page's list entry unchanged (most body edits) re-renders that page alone, while a
//! new title re-renders every page that lists it.
//!
//! One traversal per job kind ([`Prints::walk`]) feeds either the hash or a collector of the
//! pages the job shows, so the fingerprints and the reverse index cannot disagree: after a
//! body edit the engine fingerprints only the edited page's job and the jobs that show it.

use std::collections::HashMap;

use rayon::prelude::*;
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
    Fp::new()
        .str(&b.html)
        .str(&b.summary_html)
        .u64(serialized(&b.toc))
        .finish()
}

/// Per-page hashes the fingerprints combine, aligned with `site.pages`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PageHashes {
    /// The source text (front matter and body).
    pub(super) text: u64,
    /// The rendered body.
    pub(super) body: u64,
    /// The page's list entry (`page_ref`).
    pub(super) entry: u64,
}

/// What a job's traversal reports: plain data, or data belonging to a page.
trait Visit {
    fn u64(&mut self, v: u64);
    fn str(&mut self, s: &str);
    /// `hash` is data of page `page` (its entry, or its own text and body).
    fn page(&mut self, page: PageId, hash: u64);
}

impl Visit for Fp {
    fn u64(&mut self, v: u64) {
        Fp::u64(self, v);
    }
    fn str(&mut self, s: &str) {
        Fp::str(self, s);
    }
    fn page(&mut self, _page: PageId, hash: u64) {
        Fp::u64(self, hash);
    }
}

/// Collects the pages a job shows.
struct Shown(Vec<PageId>);

impl Visit for Shown {
    fn u64(&mut self, _v: u64) {}
    fn str(&mut self, _s: &str) {}
    fn page(&mut self, page: PageId, _hash: u64) {
        self.0.push(page);
    }
}

/// The per-item hashes of one build; owns its data so it can be kept for the next build.
pub(super) struct Prints {
    pages: Vec<PageHashes>,
    global: u64,
    section_own: Vec<u64>,
    crumbs: Vec<u64>,
    terms: Vec<Vec<u64>>,
    taxonomies: Vec<u64>,
    /// Per taxonomy: which terms each page carries (the concept map's co-occurrences).
    structure: Vec<u64>,
    page_terms: Vec<u64>,
    glossary: HashMap<(usize, usize), u64>,
    /// Per taxonomy and term: its glossary relations (synonyms, parent, children, see-also).
    relations: Vec<Vec<u64>>,
}

impl Prints {
    /// Precomputes the per-section and per-term hashes. `global` covers what every page shows
    /// (the `site` template variable and the template set). Page hashes come later
    /// ([`Prints::set_page`]): list entries need the term and section hashes first.
    pub(super) fn new(site: &Site, bodies: &Bodies, global: u64) -> Self {
        let terms: Vec<Vec<u64>> = site
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| {
                        Fp::new()
                            .str(&term.name)
                            .str(&term.slug)
                            .str(&term.path)
                            .finish()
                    })
                    .collect()
            })
            .collect();
        Prints {
            pages: vec![PageHashes::default(); site.pages.len()],
            global,
            section_own: section_hashes(site, bodies),
            crumbs: (0..site.sections.len())
                .map(|s| crumb_hash(site, s))
                .collect(),
            taxonomies: taxonomy_hashes(site, &terms),
            structure: site.taxonomies.iter().map(structure_hash).collect(),
            page_terms: (0..site.pages.len())
                .into_par_iter()
                .map(|p| page_terms_hash(site, &terms, p))
                .collect(),
            glossary: glossary_hashes(site, bodies),
            relations: site.taxonomies.iter().map(relation_hashes).collect(),
            terms,
        }
    }

    /// The hash of what every page shows.
    pub(super) fn global(&self) -> u64 {
        self.global
    }

    /// Sets page `p`'s hashes.
    pub(super) fn set_page(&mut self, p: PageId, hashes: PageHashes) {
        self.pages[p] = hashes;
    }

    /// The inputs of page `p`'s list entry besides its own text and body: its path, section
    /// and terms. Equal inputs give an equal entry.
    pub(super) fn entry_inputs(&self, site: &Site, p: PageId, h: PageHashes) -> u64 {
        let page = &site.pages[p];
        Fp::new()
            .u64(h.text)
            .u64(h.body)
            .str(&page.path)
            .u64(self.crumbs[page.section])
            .u64(self.page_terms[p])
            .finish()
    }

    /// The fingerprint of `job`.
    pub(super) fn job(&self, site: &Site, job: Job) -> u64 {
        let mut fp = Fp::new();
        fp.u64(self.global);
        self.walk(site, job, &mut fp);
        fp.finish()
    }

    /// For every page, the jobs that show it (its own page job included).
    pub(super) fn reverse_index(&self, site: &Site, jobs: &[Job]) -> Vec<Vec<Job>> {
        let shown: Vec<Vec<PageId>> = jobs
            .par_iter()
            .map(|&job| {
                let mut shown = Shown(Vec::new());
                self.walk(site, job, &mut shown);
                shown.0.sort_unstable();
                shown.0.dedup();
                shown.0
            })
            .collect();
        let mut index: Vec<Vec<Job>> = vec![Vec::new(); site.pages.len()];
        for (&job, pages) in jobs.iter().zip(shown) {
            for p in pages {
                index[p].push(job);
            }
        }
        index
    }

    /// Everything `job` shows, in a fixed order.
    fn walk(&self, site: &Site, job: Job, v: &mut impl Visit) {
        match job {
            Job::Page(id) => self.page(site, id, v),
            Job::Section(s, n) => self.section(site, s, n, v),
            Job::Term(t, i, n) => self.term(site, t, i, n, v),
            // The list of terms and the concept map: names, counts, co-occurrences.
            Job::TaxonomyList(t) => {
                v.u64(self.taxonomies[t]);
                v.u64(self.structure[t]);
                for &r in &self.relations[t] {
                    v.u64(r); // the hierarchy
                }
            }
            Job::NotFound => v.str("404"),
            Job::SyntaxCss => v.str("syntax.css"),
        }
    }

    fn entry(&self, p: PageId, v: &mut impl Visit) {
        v.page(p, self.pages[p].entry);
    }

    fn page(&self, site: &Site, id: PageId, v: &mut impl Visit) {
        let p = &site.pages[id];
        let h = self.pages[id];
        v.page(id, h.text);
        v.page(id, h.body);
        v.page(id, h.entry);
        v.str(&p.path);
        v.u64(self.crumbs[p.section]);
        v.u64(self.page_terms[id]);
        for (_, dest) in &p.assets {
            v.str(dest);
        }
        let g = &site.graph;
        v.str("backlinks");
        for (b, excerpt) in &g.backlinks[id] {
            self.entry(*b, v);
            v.str(excerpt);
        }
        v.str("related");
        for &r in &g.related[id] {
            self.entry(r, v);
        }
        if let Some((si, pos)) = g.series_of[id] {
            let s = &g.series[si];
            v.str("series");
            v.str(&s.name);
            v.u64(pos as u64);
            for &part in &s.parts {
                self.entry(part, v);
            }
        }
        if let Some(other) = g.pair[id] {
            v.str("pair");
            self.entry(other, v);
        }
        // Reading paths: the path's own text (its order) and the neighbours shown.
        for rp in crate::paths::paths(site) {
            let Some(k) = rp.entries.iter().position(|(e, _)| *e == id) else {
                continue;
            };
            v.str("path");
            v.page(rp.page, self.pages[rp.page].entry);
            v.page(rp.page, self.pages[rp.page].text);
            v.u64(k as u64);
            v.u64(rp.entries.len() as u64);
            for n in [k.checked_sub(1), Some(k + 1)].into_iter().flatten() {
                if let Some(&(n, _)) = rp.entries.get(n) {
                    self.entry(n, v);
                }
            }
        }
    }

    fn section(&self, site: &Site, s: SectionId, n: usize, v: &mut impl Visit) {
        let sec = &site.sections[s];
        let per = sec.paginate_by();
        for x in [
            self.section_own[s],
            self.crumbs[s],
            n as u64,
            per as u64,
            sec.pages.len() as u64,
        ] {
            v.u64(x);
        }
        for &p in chunk(&sec.pages, per, n) {
            self.entry(p, v);
        }
        for &c in &sec.subsections {
            let child = &site.sections[c];
            v.u64(self.section_own[c]);
            v.u64(child.pages.len() as u64);
            if s == 0 {
                // The home page shows the first articles of each top-level section.
                for &p in &child.pages[..child.pages.len().min(3)] {
                    self.entry(p, v);
                }
            }
        }
    }

    fn term(&self, site: &Site, t: usize, i: usize, n: usize, v: &mut impl Visit) {
        let tax = &site.taxonomies[t];
        let term = &tax.terms[i];
        for x in [
            self.taxonomies[t],
            self.terms[t][i],
            term.pages.len() as u64,
            n as u64,
        ] {
            v.u64(x);
        }
        for &p in chunk(&term.pages, tax.paginate_by, n) {
            self.entry(p, v);
        }
        v.u64(self.glossary.get(&(t, i)).copied().unwrap_or(0));
        v.u64(self.relations[t][i]);
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
        Job::Term(t, i, n) => fp
            .str("term")
            .str(&site.taxonomies[t].name)
            .str(&site.taxonomies[t].terms[i].slug)
            .usize(n),
        Job::NotFound => fp.str("404"),
        Job::SyntaxCss => fp.str("syntax.css"),
    };
    fp.finish()
}

/// Each section's own text, rendered body, title and path.
fn section_hashes(site: &Site, bodies: &Bodies) -> Vec<u64> {
    let own = |(s, b): (&crate::model::Section, &Body)| {
        Fp::new()
            .str(&s.text)
            .u64(body_hash(b))
            .str(&s.title)
            .str(&s.path)
            .str(&s.shown)
            .finish()
    };
    site.sections
        .iter()
        .zip(&bodies.sections)
        .map(own)
        .collect()
}

/// Each taxonomy's name, title, path and settings, with every term and its count.
fn taxonomy_hashes(site: &Site, terms: &[Vec<u64>]) -> Vec<u64> {
    site.taxonomies
        .iter()
        .zip(terms)
        .map(|(t, hashes)| {
            let mut fp = Fp::new();
            fp.str(&t.name)
                .str(&t.title)
                .str(&t.path)
                .usize(t.paginate_by)
                .u64(u64::from(t.feed));
            for (term, h) in t.terms.iter().zip(hashes) {
                fp.u64(*h).usize(term.pages.len());
            }
            fp.finish()
        })
        .collect()
}

/// Which terms of a taxonomy each page carries (what the concept map's co-occurrences are
/// made of).
fn structure_hash(t: &crate::model::Taxonomy) -> u64 {
    let mut fp = Fp::new();
    for terms in &t.page_terms {
        fp.usize(terms.len());
        for &i in terms {
            fp.usize(i);
        }
    }
    fp.finish()
}

/// The terms page `p` carries, in every taxonomy.
fn page_terms_hash(site: &Site, terms: &[Vec<u64>], p: PageId) -> u64 {
    let mut fp = Fp::new();
    for (t, hashes) in site.taxonomies.iter().zip(terms) {
        fp.str(&t.name);
        for &i in t.page_terms.get(p).map_or(&[][..], Vec::as_slice) {
            fp.u64(hashes[i]);
        }
    }
    fp.finish()
}

/// Each term's glossary relations as its page shows them: synonyms, and the names and paths
/// of its parent, children and see-also terms.
fn relation_hashes(t: &crate::model::Taxonomy) -> Vec<u64> {
    let r = crate::glossary::relations(t);
    (0..t.terms.len())
        .map(|i| {
            let mut fp = Fp::new();
            if let Some(g) = &t.terms[i].glossary {
                for a in &g.meta.aliases {
                    fp.str(a);
                }
            }
            let related = r.parent[i]
                .iter()
                .chain(std::iter::once(&usize::MAX))
                .chain(&r.children[i])
                .chain(std::iter::once(&usize::MAX))
                .chain(&r.see_also[i]);
            for &j in related {
                match t.terms.get(j) {
                    Some(term) => fp.str(&term.name).str(&term.path).usize(term.pages.len()),
                    None => fp.str("|"),
                };
            }
            fp.finish()
        })
        .collect()
}

/// Each glossary entry's text and rendered body, by (taxonomy, term).
fn glossary_hashes(site: &Site, bodies: &Bodies) -> HashMap<(usize, usize), u64> {
    bodies
        .glossary
        .iter()
        .map(|(&(t, i), b)| {
            let text = site.taxonomies[t].terms[i]
                .glossary
                .as_ref()
                .map_or("", |g| &*g.text);
            ((t, i), Fp::new().str(text).u64(body_hash(b)).finish())
        })
        .collect()
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

    #[test]
    fn shown_collects_pages_and_fp_hashes_them() {
        let mut shown = Shown(Vec::new());
        shown.page(3, 7);
        shown.str("x");
        assert_eq!(shown.0, vec![3]);
        let mut a = Fp::new();
        Visit::page(&mut a, 3, 7);
        let mut b = Fp::new();
        Visit::page(&mut b, 4, 8);
        assert_ne!(a.finish(), b.finish());
    }
}
