//! Lookup tables for link resolution: source path, folder, output path, and
//! title/slug/alias names; plus the "did you mean" indexes, built only when a link is broken.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::suggest::{Kind, Suggester};

use crate::model::{PageId, SectionId, Site};
use crate::parse::markdown::Scan;

/// Something a link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// An article.
    Page(PageId),
    /// A section listing.
    Section(SectionId),
}

/// Every name a link may use, built once per resolve.
pub struct Index<'a> {
    site: &'a Site,
    by_rel: HashMap<String, Target>,
    by_path: HashMap<&'a str, Target>,
    /// Lower-case titles and file names.
    by_name: HashMap<String, Vec<Target>>,
    /// Lower-case slugs: a link matches them only when it matches no title or file name (an
    /// Obsidian Publish `permalink` sets the slug, and links there go by file name).
    by_slug: HashMap<String, Vec<Target>>,
    /// Lower-case aliases (and their last segments): a link matches them only when it
    /// matches no title, slug or file name, as Obsidian resolves a link by file name.
    by_alias: HashMap<String, Vec<Target>>,
    assets: HashSet<&'a str>,
    generated: HashSet<String>,
    /// Folder → the page or section that stands for it (`values` → `values/_index.md`).
    by_dir: HashMap<String, Target>,
    /// Path of `base_url` without slashes (`handbook` for `https://x.org/handbook/`).
    base_path: String,
    rels: Vec<String>,
    /// Glossary terms by lower-case title, slug and synonym → (title, term page path).
    terms: HashMap<String, (String, String)>,
    path_suggester: OnceLock<Suggester>,
    title_suggester: OnceLock<Suggester>,
    /// Top-level folders anything of the site lives in (made on the first broken link).
    top_folders: OnceLock<HashSet<String>>,
    /// Pages by lower-case file name (`templates.md`) → (lower-case path, page), for
    /// wikilinks by path; made on the first one that is not an exact path.
    by_file_name: OnceLock<HashMap<String, Vec<(String, Target)>>>,
}

impl<'a> Index<'a> {
    /// Indexes `site`.
    pub fn new(site: &'a Site) -> Self {
        let mut by_rel = HashMap::new();
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<Target>> = HashMap::new();
        let mut by_alias: HashMap<String, Vec<Target>> = HashMap::new();
        let mut by_slug: HashMap<String, Vec<Target>> = HashMap::new();
        for (i, p) in site.pages.iter_enumerated() {
            let t = Target::Page(i);
            by_rel.insert(p.rel.clone(), t);
            by_path.insert(p.path.as_str(), t);
            let stem = p.rel.rsplit('/').next().unwrap_or(&p.rel);
            let stem = stem.strip_suffix(".md").unwrap_or(stem);
            let names = [p.title.as_str(), stem];
            let aliases = (p.meta.aliases.iter())
                .map(|a| a.trim_matches('/'))
                .flat_map(|a| [a, a.rsplit('/').next().unwrap_or(a)]);
            add_names(&mut by_name, t, names.into_iter());
            add_names(&mut by_slug, t, std::iter::once(p.slug.as_str()));
            add_names(&mut by_alias, t, aliases);
        }
        for (i, s) in site.sections.iter_enumerated() {
            let t = Target::Section(i);
            by_rel.insert(synthetic_rel(&s.dir), t);
            by_rel.insert(s.rel.clone(), t);
            by_path.insert(s.path.as_str(), t);
        }
        let by_dir = folder_targets(site);
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
            by_slug,
            by_alias,
            assets: site.assets.iter().map(|a| a.rel.as_str()).collect(),
            generated,
            by_dir,
            base_path: base_path(&site.config.base_url),
            rels,
            path_suggester: OnceLock::new(),
            title_suggester: OnceLock::new(),
            top_folders: OnceLock::new(),
            by_file_name: OnceLock::new(),
        }
    }

    /// A glossary term named `name` (title, slug or synonym): (title, term page path).
    pub fn term_by_name(&self, name: &str) -> Option<(&str, &str)> {
        self.terms
            .get(&name.trim().to_lowercase())
            .or_else(|| self.terms.get(&slug::slugify(name)))
            .map(|(t, p)| (t.as_str(), p.as_str()))
    }

    /// The page or section standing for folder `dir` (no trailing `/`).
    pub fn by_dir(&self, dir: &str) -> Option<Target> {
        self.by_dir.get(dir.trim_end_matches('/')).copied()
    }

    /// `base_url`'s path without slashes (`handbook`), empty at a domain root.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Up to two source paths close to `wanted`.
    pub fn similar_paths(&self, wanted: &str) -> Vec<&str> {
        self.path_suggester
            .get_or_init(|| Suggester::new(Kind::Paths, self.rels.clone()))
            .suggest(wanted, 2)
    }

    /// Similarity scores computed for suggestions so far: the work "did you mean" costs,
    /// which tests pin per broken link (wall time on a shared machine cannot).
    pub fn suggestion_comparisons(&self) -> usize {
        self.path_suggester.get().map_or(0, Suggester::comparisons)
            + self.title_suggester.get().map_or(0, Suggester::comparisons)
    }

    /// Up to three titles close to `wanted`.
    pub fn similar_titles(&self, wanted: &str) -> Vec<&str> {
        self.title_suggester
            .get_or_init(|| {
                Suggester::new(
                    Kind::Titles,
                    self.site.pages.iter().map(|p| p.title.clone()).collect(),
                )
            })
            .suggest(wanted, 3)
    }

    /// Target of a source path relative to `content/`.
    pub fn by_rel(&self, rel: &str) -> Option<Target> {
        self.by_rel.get(rel).copied()
    }

    /// Target of an output path (`tips/ask/`).
    pub fn by_path(&self, path: &str) -> Option<Target> {
        self.by_path.get(path).copied()
    }

    /// Targets with this title or file name, else with this slug, else with this alias
    /// (case-insensitive).
    pub fn by_name(&self, name: &str) -> &[Target] {
        let key = name.to_lowercase();
        self.by_name
            .get(&key)
            .or_else(|| self.by_slug.get(&key))
            .or_else(|| self.by_alias.get(&key))
            .map_or(&[], Vec::as_slice)
    }

    /// The page a wikilink's path names (`[[Plugins/Templates]]`): the file at that path
    /// under `content/` (`.md` optional, case-insensitive), else the one file whose path ends
    /// so.
    pub fn by_wiki_path(&self, name: &str) -> Option<Target> {
        let name = name.trim_start_matches('/');
        let file = if name.ends_with(".md") {
            name.to_owned()
        } else {
            format!("{name}.md")
        };
        if let Some(t) = self.by_rel.get(&file) {
            return Some(*t);
        }
        let lower = file.to_lowercase();
        let tail = format!("/{lower}");
        let by_file = self.by_file_name.get_or_init(|| {
            let mut map: HashMap<String, Vec<(String, Target)>> = HashMap::new();
            for (i, p) in self.site.pages.iter_enumerated() {
                let rel = p.rel.to_lowercase();
                let file = rel.rsplit('/').next().unwrap_or(&rel).to_owned();
                map.entry(file).or_default().push((rel, Target::Page(i)));
            }
            map
        });
        let file_name = lower.rsplit('/').next().unwrap_or(&lower);
        let mut found = (by_file.get(file_name)?.iter())
            .filter(|(rel, _)| *rel == lower || rel.ends_with(&tail))
            .map(|(_, t)| *t);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// A file under `content/` that is copied as is.
    pub fn has_asset(&self, rel: &str) -> bool {
        self.assets.contains(rel)
    }

    /// True if anything of the site lives under the top folder `dir`: a source file, a
    /// page or section, an alias, an asset, a static file or a generated page.
    pub fn has_folder(&self, dir: &str) -> bool {
        self.top_folders
            .get_or_init(|| {
                let site = self.site;
                let aliases = site.pages.iter().flat_map(|p| &p.meta.aliases);
                let paths = (self.rels.iter().map(String::as_str))
                    .chain(site.statics.iter().map(String::as_str))
                    .chain(site.pages.iter().map(|p| p.path.as_str()))
                    .chain(site.sections.iter().map(|s| s.path.as_str()))
                    .chain(aliases.map(|a| a.trim_start_matches('/')))
                    .chain(self.assets.iter().copied())
                    .chain(self.generated.iter().map(String::as_str));
                paths
                    .filter_map(|p| p.split_once('/').map(|(top, _)| top.to_owned()))
                    .collect()
            })
            .contains(dir)
    }

    /// True if the site's or the theme's `static/` folder has a file at output path `path`.
    pub fn has_static(&self, path: &str) -> bool {
        self.site
            .statics
            .binary_search_by(|s| s.as_str().cmp(path))
            .is_ok()
    }

    /// Files named `name` under `content/` (as `content/…`) and `static/` (as `static/…`):
    /// where a missing file may really be.
    pub fn files_named(&self, name: &str) -> Vec<String> {
        let assets = self.assets_named(name).into_iter();
        let mut found: Vec<String> = assets.map(|a| format!("content/{a}")).collect();
        let statics = (self.site.statics.iter()).filter(|s| s.rsplit('/').next() == Some(name));
        let own = self.site.root.join("static");
        found.extend(statics.map(|s| {
            if own.join(s).is_file() {
                format!("static/{s}")
            } else {
                format!("`/{s}` (from the theme)")
            }
        }));
        found
    }

    /// Files under `content/` named `name` in any folder, sorted (Obsidian finds an
    /// attachment by its name alone). A scan: asked only for images not found otherwise.
    pub fn assets_named(&self, name: &str) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .assets
            .iter()
            .copied()
            .filter(|a| a.rsplit('/').next() == Some(name))
            .collect();
        found.sort_unstable();
        found
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
            Target::Section(i) => &self.site.sections[i].rel,
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

/// Names of glossary entries (attached to their terms by the taxonomy stage, which runs
/// first): lower-case title, slug and synonym → (title, term page path).
fn glossary_names(site: &Site) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for t in &site.taxonomies {
        for term in &t.terms {
            let Some(g) = &term.glossary else { continue };
            let title = g.meta.title.clone().unwrap_or_else(|| term.slug.clone());
            let names = std::iter::once(title.to_lowercase())
                .chain(std::iter::once(term.slug.clone()))
                .chain(g.meta.aliases.iter().map(|a| a.trim().to_lowercase()))
                .chain(g.meta.aliases.iter().map(slug::slugify));
            for n in names {
                out.entry(n)
                    .or_insert_with(|| (title.clone(), term.path.clone()));
            }
        }
    }
    out
}

/// `tips/_index.md` (`_index.md` for the home page): the name a section answers to even
/// when the folder has no such file.
fn synthetic_rel(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".to_owned()
    } else {
        format!("{dir}/_index.md")
    }
}

/// Records `t` under each of `names` (lower-cased, each name once per target).
fn add_names<'n>(
    map: &mut HashMap<String, Vec<Target>>,
    t: Target,
    names: impl Iterator<Item = &'n str>,
) {
    for n in names {
        let n = n.to_lowercase();
        if n.is_empty() {
            continue;
        }
        let targets = map.entry(n).or_default();
        if targets.last() != Some(&t) {
            targets.push(t);
        }
    }
}

/// The names a folder's own page may have, in the order binder looks for them.
const FOLDER_INDEX_NAMES: [&str; 4] = ["_index.md", "index.md", "README.md", "readme.md"];

/// True for `_index.md`, `index.md` and `README.md` (any case of `readme`).
pub(super) fn is_folder_index(file: &str) -> bool {
    FOLDER_INDEX_NAMES.contains(&file) || file.eq_ignore_ascii_case("readme.md")
}

/// For each folder, what a link to it (`../values/`) means: the section described by a
/// file (`_index.md`, or `README.md`/`index.md` once they describe sections), else the
/// page written for the folder (`values/index.md`, `values/README.md`, or `values.md`
/// beside it), else the section binder generates for the folder.
fn folder_targets(site: &Site) -> HashMap<String, Target> {
    let mut described = HashMap::new();
    let mut generated = HashMap::new();
    for (i, s) in site.sections.iter_enumerated() {
        let map = if s.source.is_some() {
            &mut described
        } else {
            &mut generated
        };
        map.insert(s.dir.clone(), Target::Section(i));
    }
    let mut pages: HashMap<String, Target> = HashMap::new();
    for (i, p) in site.pages.iter_enumerated() {
        let (dir, file) = p.rel.rsplit_once('/').unwrap_or(("", p.rel.as_str()));
        let folder = if is_folder_index(file) {
            dir.to_owned()
        } else {
            p.rel.trim_end_matches(".md").to_owned()
        };
        // An index file beats `x.md` for the same folder.
        if is_folder_index(file) || !pages.contains_key(&folder) {
            pages.insert(folder, Target::Page(i));
        }
    }
    let mut out = generated;
    out.extend(pages);
    out.extend(described);
    out
}

/// `https://x.org/handbook/` → `handbook`.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    after_scheme
        .split_once('/')
        .map_or("", |(_, path)| path)
        .trim_matches('/')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_url_path() {
        assert_eq!(base_path("https://example.org/handbook/"), "handbook");
        assert_eq!(base_path("https://example.org/a/b"), "a/b");
        assert_eq!(base_path("https://example.org/"), "");
        assert_eq!(base_path("https://example.org"), "");
    }

    #[test]
    fn folder_index_names() {
        for f in [
            "_index.md",
            "index.md",
            "README.md",
            "readme.md",
            "Readme.md",
        ] {
            assert!(is_folder_index(f), "{f}");
        }
        assert!(!is_folder_index("indexes.md"));
    }
}
