//! What a render job read: views report every piece of the model they show ([`record`]) while
//! a job renders under [`recording`], and [`crate::render::views::Ctx::read_hash`] gives the
//! value of one read, built by the same view code. `serve` keeps, per job, the reads and
//! their hashes, and after an edit re-renders exactly the jobs whose reads changed value
//! ("verifying traces": the reads a job makes depend only on the values of its earlier
//! reads, so unchanged values mean an unchanged page).

use std::cell::RefCell;

use serde::Serialize;
use typed_index_collections::ti_vec;
use xxhash_rust::xxh3::Xxh3;

use crate::model::{PageId, SectionId, SeriesId, Site, TaxonomyId, TermId, TermIx, TiVec};
use crate::render::Job;

/// One thing a view read. Indexes are the current model's; [`Remap`] carries them over to a
/// rebuilt model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// What a page's own page shows of it besides its list entry (body, table of contents,
    /// extra, assets, template).
    PageOwn(PageId),
    /// A page as a list entry (`page_ref`).
    Entry(PageId),
    /// A page's `{title, path}`.
    PageLink(PageId),
    /// A page's place in the graph: backlinks with excerpts, related pages, series, pair.
    Graph(PageId),
    /// A page's terms in a taxonomy.
    Terms(PageId, TaxonomyId),
    /// A series: name and parts.
    Series(SeriesId),
    /// What a section's own listing shows of it (title, body, settings).
    SectionOwn(SectionId),
    /// A section as a link or card (title, description, path, count).
    SectionLink(SectionId),
    /// Which pages and subsections a section holds, in order.
    SectionPages(SectionId),
    /// A taxonomy with its terms and counts.
    Taxonomy(TaxonomyId),
    /// A term: name, glossary entry and which pages carry it.
    Term(TermId),
    /// A taxonomy's concept map.
    ConceptMap(TaxonomyId),
}

/// What a [`Read`] is about: after a patch that changed some entities, only reads of those
/// can have changed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// An article.
    Page(PageId),
    /// A section.
    Section(SectionId),
    /// A taxonomy (or one of its terms).
    Taxonomy(TaxonomyId),
    /// A series.
    Series(SeriesId),
}

impl Read {
    /// The entity whose data this read's value is made of.
    pub fn entity(self) -> Entity {
        match self {
            Read::PageOwn(p)
            | Read::Entry(p)
            | Read::PageLink(p)
            | Read::Graph(p)
            | Read::Terms(p, _) => Entity::Page(p),
            Read::Series(s) => Entity::Series(s),
            Read::SectionOwn(s) | Read::SectionLink(s) | Read::SectionPages(s) => {
                Entity::Section(s)
            }
            Read::Taxonomy(t) | Read::ConceptMap(t) => Entity::Taxonomy(t),
            Read::Term(id) => Entity::Taxonomy(id.taxonomy),
        }
    }
}

thread_local! {
    static READS: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Notes that the job rendering on this thread read `r` (nothing when not recording).
pub fn record(r: Read) {
    READS.with(|reads| {
        if let Some(v) = reads.borrow_mut().as_mut() {
            v.push(r);
        }
    });
}

/// Runs `f` (one job's render, on this thread) and returns what it read, deduplicated.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let out = f();
    let mut reads = READS
        .with(|r| std::mem::replace(&mut *r.borrow_mut(), outer))
        .unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    (out, reads)
}

/// Hash of `value` as JSON: exactly what a template would receive.
pub fn value_hash<T: Serialize + ?Sized>(value: &T) -> u64 {
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
    // Serialising views cannot fail (string keys, no non-finite floats); if it ever did, the
    // partial hash still changes with the value, which is all we need.
    let _ = serde_json::to_writer(&mut w, value);
    w.0.digest()
}

/// Carries indexes of one model over to a rebuilt one, by what survives a rebuild (source
/// paths, folders, names, slugs).
pub struct Remap {
    pages: TiVec<PageId, Option<PageId>>,
    sections: TiVec<SectionId, Option<SectionId>>,
    taxonomies: TiVec<TaxonomyId, Option<TaxonomyId>>,
    terms: TiVec<TaxonomyId, TiVec<TermIx, Option<TermIx>>>,
    series: TiVec<SeriesId, Option<SeriesId>>,
}

impl Remap {
    /// The map from `old`'s indexes to `new`'s.
    pub fn new(old: &Site, new: &Site) -> Remap {
        fn by<'a, T: 'a, I: From<usize> + Copy>(
            old: impl Iterator<Item = &'a T>,
            new: impl Iterator<Item = &'a T>,
            key: impl Fn(&T) -> &str,
        ) -> TiVec<I, Option<I>> {
            let index: std::collections::HashMap<&str, I> =
                new.enumerate().map(|(i, x)| (key(x), I::from(i))).collect();
            old.map(|x| index.get(key(x)).copied()).collect()
        }
        let taxonomies: TiVec<TaxonomyId, Option<TaxonomyId>> =
            by(old.taxonomies.iter(), new.taxonomies.iter(), |t| &t.name);
        let terms = old
            .taxonomies
            .iter()
            .zip(&taxonomies)
            .map(|(t, n)| match n {
                Some(n) => by(t.terms.iter(), new.taxonomies[*n].terms.iter(), |t| &t.slug),
                None => ti_vec![None; t.terms.len()],
            })
            .collect();
        Remap {
            pages: by(old.pages.iter(), new.pages.iter(), |p| &p.rel),
            sections: by(old.sections.iter(), new.sections.iter(), |s| &s.dir),
            series: by(old.graph.series.iter(), new.graph.series.iter(), |s| {
                &s.name
            }),
            taxonomies,
            terms,
        }
    }

    /// `r` in the new model; `None` if what it read is gone.
    pub fn read(&self, r: Read) -> Option<Read> {
        let p = |p: PageId| self.pages[p];
        let s = |s: SectionId| self.sections[s];
        let t = |t: TaxonomyId| self.taxonomies[t];
        Some(match r {
            Read::PageOwn(x) => Read::PageOwn(p(x)?),
            Read::Entry(x) => Read::Entry(p(x)?),
            Read::PageLink(x) => Read::PageLink(p(x)?),
            Read::Graph(x) => Read::Graph(p(x)?),
            Read::Terms(x, y) => Read::Terms(p(x)?, t(y)?),
            Read::Series(x) => Read::Series(self.series[x]?),
            Read::SectionOwn(x) => Read::SectionOwn(s(x)?),
            Read::SectionLink(x) => Read::SectionLink(s(x)?),
            Read::SectionPages(x) => Read::SectionPages(s(x)?),
            Read::Taxonomy(x) => Read::Taxonomy(t(x)?),
            Read::Term(x) => Read::Term(self.term(x)?),
            Read::ConceptMap(x) => Read::ConceptMap(t(x)?),
        })
    }

    /// Term `id` in the new model; `None` if its taxonomy or its slug is gone.
    fn term(&self, id: TermId) -> Option<TermId> {
        Some(TermId {
            taxonomy: self.taxonomies[id.taxonomy]?,
            term: self.terms[id.taxonomy][id.term]?,
        })
    }

    /// `job` in the new model (what `Job::key` matches); `None` if it is gone.
    pub fn job(&self, job: Job) -> Option<Job> {
        Some(match job {
            Job::Page(x) => Job::Page(self.pages[x]?),
            Job::Section(x, n) => Job::Section(self.sections[x]?, n),
            Job::TaxonomyList(x) => Job::TaxonomyList(self.taxonomies[x]?),
            Job::Term(x, n) => Job::Term(self.term(x)?, n),
            Job::NotFound | Job::SyntaxCss => job,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_collects_reads_of_this_thread_only() {
        record(Read::Entry(PageId::from(9))); // not recording: dropped
        let ((), reads) = recording(|| {
            record(Read::Entry(PageId::from(2)));
            record(Read::Entry(PageId::from(1)));
            record(Read::Entry(PageId::from(2)));
            let ((), inner) = recording(|| record(Read::Graph(PageId::from(5))));
            assert_eq!(inner, vec![Read::Graph(PageId::from(5))]);
        });
        assert_eq!(
            reads,
            vec![Read::Entry(PageId::from(1)), Read::Entry(PageId::from(2))]
        );
    }

    #[test]
    fn value_hash_follows_the_value() {
        assert_eq!(value_hash(&("a", 1)), value_hash(&("a", 1)));
        assert_ne!(value_hash(&("a", 1)), value_hash(&("a", 2)));
    }

    /// A site of `pages` (file name, concepts, series) built in a fresh folder.
    fn site(pages: &[(&str, &str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::write(
            root.join("site.toml"),
            "title = \"t\"\nbase_url = \"https://x.org/\"\n",
        )
        .expect("site.toml");
        for (name, concepts, series) in pages {
            let text = format!(
                "---\ntitle: {name}\nconcepts: [{concepts}]\nseries: {series}\nseries_order: 1\n---\nBody.\n"
            );
            std::fs::write(root.join("content").join(format!("{name}.md")), text).expect("page");
        }
        let opts = crate::site::BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let site = crate::site::load_site(&opts, &mut Default::default()).expect("site");
        (dir, site)
    }

    #[test]
    fn remap_follows_terms_and_series_by_name_when_indexes_shift() {
        let (_a, old) = site(&[("one", "trust", "s-trust")]);
        // `safety` sorts before `trust` and `alpha` before `s-trust`: both indexes shift by one.
        let (_b, new) = site(&[("one", "trust", "s-trust"), ("two", "safety", "alpha")]);
        let concepts = |s: &Site| {
            s.taxonomies
                .position(|t| t.name == "concepts")
                .expect("concepts")
        };
        let term = |s: &Site, slug: &str| TermId {
            taxonomy: concepts(s),
            term: (s.taxonomies[concepts(s)].terms)
                .position(|t| t.slug == slug)
                .expect("term"),
        };
        let series =
            |s: &Site, name: &str| s.graph.series.position(|x| x.name == name).expect("series");
        let (old_trust, new_trust) = (term(&old, "trust"), term(&new, "trust"));
        assert_ne!(
            old_trust.term, new_trust.term,
            "the test must shift the term"
        );
        assert_ne!(series(&old, "s-trust"), series(&new, "s-trust"));
        let remap = Remap::new(&old, &new);
        assert_eq!(
            remap.job(Job::Term(old_trust, 1)),
            Some(Job::Term(new_trust, 1))
        );
        assert_eq!(
            remap.read(Read::Term(old_trust)),
            Some(Read::Term(new_trust))
        );
        assert_eq!(
            remap.read(Read::Series(series(&old, "s-trust"))),
            Some(Read::Series(series(&new, "s-trust")))
        );
        // Backwards, the term and series only the new model has are gone.
        let back = Remap::new(&new, &old);
        assert_eq!(back.read(Read::Term(term(&new, "safety"))), None);
        assert_eq!(back.read(Read::Series(series(&new, "alpha"))), None);
    }

    #[test]
    fn reads_know_their_entity() {
        assert_eq!(
            Read::Terms(PageId::from(3), TaxonomyId::from(1)).entity(),
            Entity::Page(PageId::from(3))
        );
        let term = TermId {
            taxonomy: TaxonomyId::from(1),
            term: TermIx::from(4),
        };
        assert_eq!(Read::Term(term).entity(), Entity::Taxonomy(term.taxonomy));
        assert_eq!(
            Read::SectionPages(SectionId::from(2)).entity(),
            Entity::Section(SectionId::from(2))
        );
    }
}
