//! Taxonomy stage: the `concepts`, `authors` (and any configured) front-matter lists → terms
//! with their pages, plus glossary entries from `content/<taxonomy>/<term>.md`.
//!
//! Terms are normalised to slugs (`Coaching Up`, `coaching-up` and `coaching_up` are one term);
//! the first spelling seen (pages in path order) is the display name. Spellings that differ
//! only by dashes (`feedback` vs `feed-back`) are almost certainly the same idea, so they
//! raise a warning naming both.

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Glossary, PageId, Site, Taxonomy, Term, TermIx, TiVec};
use crate::parse::front_matter::SortBy;
use typed_index_collections::ti_vec;

/// Builds every configured taxonomy and attaches the glossary entries (`concepts/trust.md`)
/// to their terms. Runs before links are resolved, so that a wikilink can name a term.
pub fn build(site: &mut Site, glossary: Vec<Glossary>, diags: &mut Diagnostics) {
    let mut glossary: BTreeMap<String, Glossary> = glossary
        .into_iter()
        .map(|g| (g.rel.trim_end_matches(".md").to_owned(), g))
        .collect();
    let configs = site.config.taxonomies.clone();
    site.taxonomies = configs
        .iter()
        .map(|c| {
            let entries: Vec<(&str, &Glossary)> =
                glossary.iter().map(|(k, g)| (k.as_str(), g)).collect();
            let synonyms = crate::glossary::synonyms(&c.name, &entries, diags);
            let mut t = collect_terms(site, &c.name, &synonyms, diags);
            t.title = c.display_title();
            t.paginate_by = c.paginate_by;
            t.feed = c.feed;
            attach_glossary(&mut t, &mut glossary);
            crate::glossary::check(&t, diags);
            t
        })
        .collect();
    for (key, g) in glossary {
        diags.push(
            Diagnostic::warning(
                &g.shown,
                format!("glossary entry `{key}` matches no taxonomy term"),
            )
            .with_hint("name the file after the term's slug, e.g. content/concepts/trust.md"),
        );
    }
}

fn collect_terms(
    site: &Site,
    name: &str,
    synonyms: &HashMap<String, String>,
    diags: &mut Diagnostics,
) -> Taxonomy {
    let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
    let mut first_seen: HashMap<String, String> = HashMap::new(); // slug → file that introduced it
    let mut page_slugs: TiVec<PageId, Vec<String>> = ti_vec![Vec::new(); site.pages.len()];
    for (id, p) in site.pages.iter_enumerated() {
        for raw in p.meta.terms_of(name) {
            let slug = slug::slugify(raw);
            // A synonym from the glossary (`managing up`) lands on its concept.
            let canonical = synonyms.get(&slug).cloned();
            let display = if canonical.is_some() {
                None
            } else {
                Some(raw.trim())
            };
            let slug = canonical.unwrap_or(slug);
            if slug.is_empty() {
                // An empty entry (`authors: ["@a", ""]`, common in migrated handbooks) is
                // skipped with a warning; a term with only punctuation is an error.
                let d = if raw.trim().is_empty() {
                    Diagnostic::warning(&p.shown, format!("{name}: an empty entry is skipped"))
                } else {
                    Diagnostic::error(
                        &p.shown,
                        format!("{name}: `{raw}` has no letters or digits"),
                    )
                    .with_hint("write the term with a word or two, e.g. `coaching-up`")
                };
                diags.push(d.at(&p.text, p.meta.span_of(name)));
                continue;
            }
            let term = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                name: display.unwrap_or(&slug).to_owned(),
                slug: slug.clone(),
                path: format!("{name}/{slug}/"),
                pages: Vec::new(),
                glossary: None,
            });
            if !term.pages.contains(&id) {
                term.pages.push(id);
                page_slugs[id].push(slug.clone());
            }
            first_seen.entry(slug).or_insert_with(|| p.shown.clone());
        }
    }
    warn_near_duplicates(name, &by_slug, &first_seen, diags);
    let mut terms: TiVec<TermIx, Term> = by_slug.into_values().collect();
    for t in &mut terms {
        t.pages.sort_by(|&a, &b| {
            crate::assemble::listing_order(SortBy::Date, &site.pages[a], &site.pages[b])
        });
    }
    let index: HashMap<&str, TermIx> = terms
        .iter_enumerated()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let page_terms = page_slugs
        .iter()
        .map(|slugs| {
            slugs
                .iter()
                .filter_map(|s| index.get(s.as_str()).copied())
                .collect()
        })
        .collect();
    Taxonomy {
        name: name.to_owned(),
        title: String::new(),
        path: format!("{name}/"),
        paginate_by: 20,
        feed: true,
        terms,
        page_terms,
    }
}

fn warn_near_duplicates(
    name: &str,
    terms: &BTreeMap<String, Term>,
    first_seen: &HashMap<String, String>,
    diags: &mut Diagnostics,
) {
    let mut squashed: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for slug in terms.keys() {
        squashed
            .entry(slug.replace('-', ""))
            .or_default()
            .push(slug);
    }
    for group in squashed.values().filter(|g| g.len() > 1) {
        let (a, b) = (group[0], group[1]);
        let file = first_seen.get(b).map_or("", String::as_str);
        diags.push(
            Diagnostic::warning(
                file,
                format!(
                    "{name}: `{}` and `{}` look like the same term spelt two ways",
                    terms[a].name, terms[b].name
                ),
            )
            .with_hint(format!(
                "pick one spelling; `{}` is first used in {}",
                terms[a].name,
                first_seen.get(a).map_or("", String::as_str)
            )),
        );
    }
}

fn attach_glossary(t: &mut Taxonomy, glossary: &mut BTreeMap<String, Glossary>) {
    let keys: Vec<String> = glossary
        .keys()
        .filter(|k| k.starts_with(&format!("{}/", t.name)))
        .cloned()
        .collect();
    for key in keys {
        let slug = slug::slugify(key.split_once('/').map_or("", |(_, s)| s));
        let Some(g) = glossary.remove(&key) else {
            continue;
        };
        match t.terms.iter_mut().find(|term| term.slug == slug) {
            Some(term) => {
                // A glossary title ("Clarifying questions") is a better display name than
                // the slug-like spelling front matter tends to use (`clarifying-questions`).
                if let Some(title) = &g.meta.title {
                    term.name = title.clone();
                }
                term.glossary = Some(g);
            }
            None => {
                // A glossary entry for a term no article uses yet: the term page still exists.
                let name = g.meta.title.clone().unwrap_or_else(|| slug.clone());
                let pos = t.terms.partition_point(|term| term.slug < slug);
                t.terms.insert(
                    pos,
                    Term {
                        name,
                        slug: slug.clone(),
                        path: format!("{}/{slug}/", t.name),
                        pages: Vec::new(),
                        glossary: Some(g),
                    },
                );
                for terms in &mut t.page_terms {
                    for i in terms.iter_mut().filter(|i| **i >= pos) {
                        *i = TermIx::from(i.index() + 1);
                    }
                }
            }
        }
    }
}
