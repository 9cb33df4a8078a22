//! Reading paths (after resolve): the articles of `content/paths/` → ordered lists of
//! articles, each with its line of why, and every article's place on the paths it is on.
//!
//! A path is an ordinary article whose body is an ordered list of links, one entry per item
//! with a sentence of why (`1. [[Partnership before technique]]: start here, because…`). So a
//! path gets its page, its search entry and its located "did you mean" errors for entries
//! that do not resolve from the normal pipeline; this module only reads the order back from
//! the links the resolve stage found.

use serde::Serialize;

use crate::model::{PageId, Site};

/// The folder under `content/` that holds reading paths.
pub const PATHS_DIR: &str = "paths";

/// One reading path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingPath {
    /// The path's own page.
    pub page: PageId,
    /// Its articles in reading order, each with the sentence around its link (the why).
    pub entries: Vec<(PageId, String)>,
}

/// True if page `id` is a reading path (it sits in `content/paths/`).
pub fn is_path(site: &Site, id: PageId) -> bool {
    in_paths_dir(&site.sections[site.pages[id].section].dir)
}

/// True for `paths` and the folders under it (no allocation: called for every section,
/// once or twice per rendered page).
fn in_paths_dir(dir: &str) -> bool {
    dir.strip_prefix(PATHS_DIR)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Every reading path, by source path. Walks only the paths sections, so it stays cheap
/// enough to call once per rendered page.
pub fn paths(site: &Site) -> Vec<ReadingPath> {
    let mut ids: Vec<PageId> = site
        .sections
        .iter()
        .filter(|s| in_paths_dir(&s.dir))
        .flat_map(|s| s.pages.iter().copied())
        .collect();
    ids.sort_by(|&a, &b| site.pages[a].rel.cmp(&site.pages[b].rel));
    ids.into_iter()
        .map(|id| ReadingPath {
            page: id,
            entries: site.pages[id]
                .outgoing
                .iter()
                .filter(|&&t| !is_path(site, t))
                .map(|&t| (t, why(site, id, t)))
                .collect(),
        })
        .collect()
}

/// The sentence around path `path`'s link to `target` (its backlink excerpt).
fn why(site: &Site, path: PageId, target: PageId) -> String {
    site.graph
        .backlinks
        .get(target)
        .and_then(|b| b.iter().find(|(from, _)| *from == path))
        .map(|(_, excerpt)| excerpt.clone())
        .unwrap_or_default()
}

/// Pages some reading path includes.
pub fn pages_on_paths(site: &Site) -> std::collections::HashSet<PageId> {
    paths(site)
        .into_iter()
        .flat_map(|p| p.entries.into_iter().map(|(id, _)| id))
        .collect()
}

/// `{title, path}` of a page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PathLink<'a> {
    /// Title.
    pub title: &'a str,
    /// Output path.
    pub path: &'a str,
}

/// Where an article sits on one path: "part `index` of `total` of `title`".
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PathPosition<'a> {
    /// The path's title.
    pub title: &'a str,
    /// The path's page.
    pub path: &'a str,
    /// 1-based position.
    pub index: usize,
    /// Articles on the path.
    pub total: usize,
    /// Previous article on this path.
    pub prev: Option<PathLink<'a>>,
    /// Next article on this path.
    pub next: Option<PathLink<'a>>,
}

fn link(site: &Site, id: PageId) -> PathLink<'_> {
    PathLink {
        title: &site.pages[id].title,
        path: &site.pages[id].path,
    }
}

/// Every path page `id` is on, by path title.
pub fn positions(site: &Site, id: PageId) -> Vec<PathPosition<'_>> {
    let mut out: Vec<PathPosition<'_>> = paths(site)
        .into_iter()
        .filter_map(|p| {
            let k = p.entries.iter().position(|(e, _)| *e == id)?;
            let page = &site.pages[p.page];
            Some(PathPosition {
                title: &page.title,
                path: &page.path,
                index: k + 1,
                total: p.entries.len(),
                prev: k.checked_sub(1).map(|i| link(site, p.entries[i].0)),
                next: p.entries.get(k + 1).map(|(n, _)| link(site, *n)),
            })
        })
        .collect();
    out.sort_by(|a, b| a.title.cmp(b.title).then(a.path.cmp(b.path)));
    out
}
