//! Lookup tables for link resolution: source path, output path, and title/slug/alias names.

use std::collections::{HashMap, HashSet};

use crate::model::Site;
use crate::parse::markdown::Scan;

/// Something a link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// An article.
    Page(usize),
    /// A section listing.
    Section(usize),
}

/// Every name a link may use, built once per resolve.
pub struct Index<'a> {
    site: &'a Site,
    by_rel: HashMap<String, Target>,
    by_path: HashMap<&'a str, Target>,
    by_name: HashMap<String, Vec<Target>>,
    assets: HashSet<&'a str>,
    generated: HashSet<String>,
    rels: Vec<String>,
    /// Glossary terms by lower-case title, slug and synonym → (title, term page path).
    terms: HashMap<String, (String, String)>,
}

impl<'a> Index<'a> {
    /// Indexes `site`.
    pub fn new(site: &'a Site) -> Self {
        let mut by_rel = HashMap::new();
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<Target>> = HashMap::new();
        for (i, p) in site.pages.iter().enumerate() {
            let t = Target::Page(i);
            by_rel.insert(p.rel.clone(), t);
            by_path.insert(p.path.as_str(), t);
            let mut names = vec![p.title.to_lowercase(), p.slug.to_lowercase()];
            names.extend(
                p.meta
                    .aliases
                    .iter()
                    .map(|a| a.trim_matches('/').to_lowercase()),
            );
            names.extend(
                p.meta
                    .aliases
                    .iter()
                    .filter_map(|a| a.trim_matches('/').rsplit('/').next())
                    .map(str::to_lowercase),
            );
            names.sort();
            names.dedup();
            for n in names.into_iter().filter(|n| !n.is_empty()) {
                by_name.entry(n).or_default().push(t);
            }
        }
        for (i, s) in site.sections.iter().enumerate() {
            let t = Target::Section(i);
            let rel = if s.dir.is_empty() {
                "_index.md".to_owned()
            } else {
                format!("{}/_index.md", s.dir)
            };
            by_rel.insert(rel, t);
            if let Some(src) = &s.source {
                by_rel.insert(src.clone(), t);
            }
            by_path.insert(s.path.as_str(), t);
        }
        let mut generated: HashSet<String> = crate::model::RESERVED_PATHS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        for t in &site.config.taxonomies {
            generated.insert(format!("{}/", t.name));
        }
        for t in &site.taxonomies {
            for term in &t.terms {
                generated.insert(term.path.clone());
            }
        }
        let mut rels: Vec<String> = by_rel.keys().cloned().collect();
        rels.sort();
        Index {
            terms: glossary_names(site),
            site,
            by_rel,
            by_path,
            by_name,
            assets: site.assets.iter().map(|a| a.rel.as_str()).collect(),
            generated,
            rels,
        }
    }

    /// A glossary term named `name` (title, slug or synonym): (title, term page path).
    pub fn term_by_name(&self, name: &str) -> Option<(&str, &str)> {
        self.terms
            .get(&name.trim().to_lowercase())
            .or_else(|| self.terms.get(&slug::slugify(name)))
            .map(|(t, p)| (t.as_str(), p.as_str()))
    }

    /// Target of a source path relative to `content/`.
    pub fn by_rel(&self, rel: &str) -> Option<Target> {
        self.by_rel.get(rel).copied()
    }

    /// Target of an output path (`tips/ask/`).
    pub fn by_path(&self, path: &str) -> Option<Target> {
        self.by_path.get(path).copied()
    }

    /// Targets with this title, slug or alias (case-insensitive).
    pub fn by_name(&self, name: &str) -> &[Target] {
        self.by_name
            .get(&name.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// All names, for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.site.pages.iter().map(|p| p.title.as_str())
    }

    /// All source paths, sorted.
    pub fn rels(&self) -> Vec<&str> {
        self.rels.iter().map(String::as_str).collect()
    }

    /// A file under `content/` that is copied as is.
    pub fn has_asset(&self, rel: &str) -> bool {
        self.assets.contains(rel)
    }

    /// A page binder generates (taxonomy lists, term pages, `pairs/`, …).
    pub fn is_generated(&self, path: &str) -> bool {
        self.generated.contains(path)
    }

    /// Output path of a target.
    pub fn path(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self.site.pages[i].path,
            Target::Section(i) => &self.site.sections[i].path,
        }
    }

    /// Title of a target.
    pub fn title(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self.site.pages[i].title,
            Target::Section(i) => &self.site.sections[i].title,
        }
    }

    /// Source path of a target.
    pub fn rel(&self, t: Target) -> &str {
        match t {
            Target::Page(i) => &self.site.pages[i].rel,
            Target::Section(_) => self
                .rels
                .iter()
                .find(|r| self.by_rel.get(*r) == Some(&t))
                .map_or("", String::as_str),
        }
    }

    /// The scan (headings, callouts) of a target.
    pub fn scan(&self, t: Target) -> &Scan {
        match t {
            Target::Page(i) => &self.site.pages[i].scan,
            Target::Section(i) => &self.site.sections[i].scan,
        }
    }
}

/// Names of glossary entries, whether still waiting for the taxonomy stage (page bodies are
/// resolved first) or attached to their terms (glossary bodies are resolved after).
fn glossary_names(site: &Site) -> HashMap<String, (String, String)> {
    let pending = site.pending_glossary.iter().filter_map(|g| {
        let key = g.shown.strip_prefix("content/")?.strip_suffix(".md")?;
        let (tax, slug) = key.split_once('/')?;
        Some((tax.to_owned(), slug::slugify(slug), g))
    });
    let attached = site.taxonomies.iter().flat_map(|t| {
        t.terms.iter().filter_map(move |term| {
            Some((t.name.clone(), term.slug.clone(), term.glossary.as_ref()?))
        })
    });
    let mut out = HashMap::new();
    for (tax, slug, g) in pending.chain(attached) {
        let title = g.meta.title.clone().unwrap_or_else(|| slug.clone());
        let path = format!("{tax}/{slug}/");
        let names = std::iter::once(title.to_lowercase())
            .chain(std::iter::once(slug.clone()))
            .chain(g.meta.aliases.iter().map(|a| a.trim().to_lowercase()))
            .chain(g.meta.aliases.iter().map(slug::slugify));
        for n in names {
            out.entry(n)
                .or_insert_with(|| (title.clone(), path.clone()));
        }
    }
    out
}
