//! The resolve stage's fast path for `serve`'s most common edit: the body of an article
//! changed, and nothing that other pages depend on did. The stage that computes links,
//! backlinks and excerpts is the one that says when an edit leaves them as they are.
//!
//! What other pages take from an article in the model: its front matter (title, slug, date,
//! terms, series, pair, aliases, draft…), its headings (anchors other pages link to) and
//! where its links point (outgoing links, backlinks, related articles), plus, on the pages it
//! links to, the sentence around each link (the backlink excerpt). When the front matter and
//! headings are unchanged and the links are the same links in the same order, the whole-site
//! stages (assemble, resolve, taxonomy, graph) would produce the same model except for this
//! page's own text, scan and link offsets, and those excerpts; so we patch exactly these
//! into the previous model instead of re-running the stages. Anything else (a new title, a
//! new link, a heading, a file created or deleted, a page with warnings) takes the full path.
//!
//! A new title alone (the body unchanged) is patched too when the page keeps its place in
//! every listing (by the assemble stage's own order): the pages linking to the page and every
//! section and glossary body are resolved again ([`relink`]),
//! since wikilinks show the title; if that changes more than their link texts, or the title
//! collides with another name, the full path runs. `tests/it/serve/incremental.rs` compares
//! the result with full builds.

use std::cmp::Ordering;

use crate::assemble::listing_order;
use crate::model::{PageId, ResolvedLinks, Site};
use crate::parse::ParsedSource;
use crate::parse::front_matter::SortBy;
use crate::parse::markdown::Scan;

/// One article's body edit, checked and ready to apply (to the engine's model, then to the
/// extras' replica).
#[derive(Clone)]
pub struct BodyEdit {
    id: PageId,
    parsed: ParsedSource,
    links: ResolvedLinks,
    /// (linked page, new excerpt) for the backlinks this page contributes.
    excerpts: Vec<(PageId, String)>,
    /// The title changed (and nothing else in the front matter).
    retitled: bool,
}

/// Links of other pages resolved again after a retitle: (page, its new links).
pub type Relinks = Vec<(PageId, ResolvedLinks)>;

/// What a set of changed files means for the model.
pub enum Plan {
    /// Body edits of these built articles (possibly none: an edited draft that stays out).
    Bodies(Vec<BodyEdit>),
    /// Something else changed: re-run the whole-site stages.
    Full,
}

/// Checks every changed file (its new parse) against the previous model.
pub fn plan(site: &Site, drafts: bool, changed: Vec<ParsedSource>) -> Plan {
    let mut edits = Vec::with_capacity(changed.len());
    for parsed in changed {
        if parsed.source.role != crate::load::Role::Article {
            return Plan::Full;
        }
        let Ok(id) = site
            .pages
            .binary_search_by(|p| p.rel.as_str().cmp(&parsed.source.rel))
        else {
            // Not in the site: fine only if it was and stays an excluded draft, and is not
            // what describes a section (`README.md`, `index.md` or `x.md` beside `x/` are
            // read as articles until the assemble stage sees their folder).
            let rel = parsed.source.rel.as_str();
            let describes = site
                .sections
                .iter()
                .any(|s| s.source.as_deref() == Some(rel));
            if parsed.parsed.meta.draft && !drafts && !describes {
                continue;
            }
            return Plan::Full;
        };
        match check(site, id, parsed) {
            Some(edit) => edits.push(edit),
            None => return Plan::Full,
        }
    }
    Plan::Bodies(edits)
}

/// The edit of page `id`, if only its body changed.
fn check(site: &Site, id: PageId, parsed: ParsedSource) -> Option<BodyEdit> {
    let page = &site.pages[id];
    let new_text = &parsed.source.text;
    let same_front = parsed.parsed.body_start == page.body_start
        && new_text.get(..page.body_start) == page.text.get(..page.body_start);
    let retitled = !same_front && retitle_only(site, id, &parsed);
    if !(same_front || retitled)
        || !same_headings(&page.scan, &parsed.scan)
        || page.scan.blocks != parsed.scan.blocks
        || !same_link_targets(&page.scan, &parsed.scan)
    {
        return None;
    }
    // Its diagnostics (a downgraded broken link, say) would move with the text.
    if site.warnings.iter().any(|d| d.path == page.shown) {
        return None;
    }
    // The same links resolve the same way; only their offsets in the body moved.
    let mut links = ResolvedLinks::with_capacity(page.links.len());
    for (old, new) in page.scan.links.iter().zip(&parsed.scan.links) {
        if let Some(l) = page.links.get(&old.range.start) {
            links.insert(new.range.start, l.clone());
        }
    }
    let excerpts = excerpts(site, id, &parsed.scan)?;
    Some(BodyEdit {
        id,
        parsed,
        links,
        excerpts,
        retitled,
    })
}

/// True if the edit of page `id` changed its title and nothing else, and the page keeps its
/// place in every listing it is in (its section's, its term pages'), by the order the
/// assemble stage sorts them with.
fn retitle_only(site: &Site, id: PageId, parsed: &ParsedSource) -> bool {
    let page = &site.pages[id];
    let new_text = &parsed.source.text;
    let (old_front, old_body) = page.text.split_at(page.body_start.min(page.text.len()));
    let Some((new_front, new_body)) = new_text.split_at_checked(parsed.parsed.body_start) else {
        return false;
    };
    let other = |front: &str| -> Vec<String> {
        front
            .lines()
            .filter(|l| !l.starts_with("title:"))
            .map(str::to_owned)
            .collect()
    };
    let title = parsed.parsed.meta.title.as_deref().unwrap_or("");
    if old_body != new_body || other(old_front) != other(new_front) || title.trim().is_empty() {
        return false;
    }
    // Listings are sorted with no ties, so the order stays as it is exactly when the
    // retitled page still sorts between its neighbours.
    let mut moved = page.clone();
    moved.title = title.to_owned();
    let keeps_place = |list: &[PageId], by: SortBy| {
        let Some(at) = list.iter().position(|&p| p == id) else {
            return true;
        };
        let before = at.checked_sub(1).map(|i| &site.pages[list[i]]);
        let after = list.get(at + 1).map(|&p| &site.pages[p]);
        before.is_none_or(|b| listing_order(by, b, &moved) == Ordering::Less)
            && after.is_none_or(|a| listing_order(by, &moved, a) == Ordering::Less)
    };
    let sec = &site.sections[page.section];
    keeps_place(&sec.pages, sec.sort_by())
        && site
            .taxonomies
            .iter()
            .flat_map(|t| t.page_terms[id].iter().map(move |&i| &t.terms[i].pages))
            .all(|pages| keeps_place(pages, SortBy::Date))
}

fn same_headings(a: &Scan, b: &Scan) -> bool {
    a.headings.len() == b.headings.len()
        && a.headings
            .iter()
            .zip(&b.headings)
            .all(|(x, y)| x.level == y.level && x.id == y.id && x.text == y.text)
}

fn same_link_targets(a: &Scan, b: &Scan) -> bool {
    a.links.len() == b.links.len()
        && a.links
            .iter()
            .zip(&b.links)
            .all(|(x, y)| x.kind == y.kind && x.dest == y.dest)
}

/// The backlink excerpts page `id` contributes: for each page it links to, the sentence
/// around the same link the resolve stage took it from (the links are the same, in order).
fn excerpts(site: &Site, id: PageId, scan: &Scan) -> Option<Vec<(PageId, String)>> {
    let page = &site.pages[id];
    let firsts = site.graph.excerpt_links.get(id)?;
    page.outgoing
        .iter()
        .zip(firsts)
        .map(|(&t, &li)| Some((t, super::excerpt(scan.links.get(li)?))))
        .collect()
}

/// Applies checked edits to the model; returns the edited pages and every page whose data
/// changed (the edited pages and those whose backlink excerpts did).
pub fn apply(site: &mut Site, edits: Vec<BodyEdit>) -> (Vec<PageId>, Vec<PageId>) {
    let mut ids = Vec::with_capacity(edits.len());
    let mut changed = Vec::new();
    for edit in edits {
        for (target, excerpt) in edit.excerpts {
            if let Some(entry) = site.graph.backlinks[target]
                .iter_mut()
                .find(|(from, _)| *from == edit.id)
            {
                if entry.1 != excerpt {
                    entry.1 = excerpt;
                    changed.push(target);
                }
            }
        }
        let page = &mut site.pages[edit.id];
        if edit.retitled {
            page.title = edit.parsed.parsed.meta.title.clone().unwrap_or_default();
            page.meta = edit.parsed.parsed.meta;
            page.body_start = edit.parsed.parsed.body_start;
        }
        page.text = edit.parsed.source.text;
        page.scan = edit.parsed.scan;
        page.links = edit.links;
        ids.push(edit.id);
        changed.push(edit.id);
    }
    (ids, changed)
}

/// After retitles: resolves the links of the pages linking to a retitled page (and of every
/// section and glossary body) again; returns the pages whose links changed, with their new
/// links. `None` when that changes anything but link texts of pages (the full path runs).
pub fn relink(site: &Site, edits: &[BodyEdit]) -> Option<Relinks> {
    let retitled: Vec<PageId> = edits.iter().filter(|e| e.retitled).map(|e| e.id).collect();
    if retitled.is_empty() {
        return Some(Vec::new());
    }
    let mut linkers: Vec<PageId> = retitled
        .iter()
        .flat_map(|&t| site.graph.backlinks[t].iter().map(|(b, _)| *b))
        .collect();
    linkers.sort_unstable();
    linkers.dedup();
    let names: Vec<&str> = retitled
        .iter()
        .map(|&p| site.pages[p].title.as_str())
        .collect();
    let again = super::relink(site, &linkers, &names)?;
    let same_others = again
        .others
        .iter()
        .all(|(id, l)| site.doc(*id).is_some_and(|d| same_links(&d.links, l)));
    if !same_others {
        return None;
    }
    let mut out = Vec::new();
    for (id, links, reached) in again.pages {
        if reached != site.pages[id].outgoing {
            return None;
        }
        if !same_links(&site.pages[id].links, &links) {
            out.push((id, links));
        }
    }
    Some(out)
}

fn same_links(a: &ResolvedLinks, b: &ResolvedLinks) -> bool {
    a.len() == b.len()
        && a.iter().all(|(k, x)| {
            b.get(k)
                .is_some_and(|y| x.href == y.href && x.text == y.text)
        })
}
