//! The fast path for the most common edit: the body of an article changed, and nothing that
//! other pages depend on did.
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
//! `tests/it/serve.rs` compares the result with full builds.

use crate::model::{PageId, ResolvedLinks, Site};
use crate::render::reads::Entity;
use crate::parse::markdown::Scan;
use crate::site::ParsedSource;

/// One article's body edit, checked and ready to apply (to the engine's model, then to the
/// extras' replica).
#[derive(Clone)]
pub(super) struct BodyEdit {
    id: PageId,
    parsed: ParsedSource,
    links: ResolvedLinks,
    /// (linked page, new excerpt) for the backlinks this page contributes.
    excerpts: Vec<(PageId, String)>,
}

/// What a set of changed files means for the model.
pub(super) enum Plan {
    /// Body edits of these built articles (possibly none: an edited draft that stays out).
    Bodies(Vec<BodyEdit>),
    /// Something else changed: re-run the whole-site stages.
    Full,
}

/// Checks every changed file (its new parse) against the previous model.
pub(super) fn plan(site: &Site, drafts: bool, changed: Vec<ParsedSource>) -> Plan {
    let mut edits = Vec::with_capacity(changed.len());
    for parsed in changed {
        if parsed.source.role != crate::load::Role::Article {
            return Plan::Full;
        }
        let Ok(id) = site
            .pages
            .binary_search_by(|p| p.rel.as_str().cmp(&parsed.source.rel))
        else {
            // Not in the site: fine only if it was and stays an excluded draft.
            if parsed.parsed.meta.draft && !drafts {
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
    if !same_front
        || !same_headings(&page.scan, &parsed.scan)
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
    })
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
        .map(|(&t, &li)| Some((t, crate::resolve::excerpt(scan.links.get(li)?))))
        .collect()
}

/// Applies checked edits to the model; returns the edited pages and every entity whose data
/// changed (the edited pages and those whose backlink excerpts did).
pub(super) fn apply(site: &mut Site, edits: Vec<BodyEdit>) -> (Vec<PageId>, Vec<Entity>) {
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
                    changed.push(Entity::Page(target));
                }
            }
        }
        let page = &mut site.pages[edit.id];
        page.text = edit.parsed.source.text;
        page.scan = edit.parsed.scan;
        page.links = edit.links;
        ids.push(edit.id);
        changed.push(Entity::Page(edit.id));
    }
    (ids, changed)
}
