//! Resolve stage: internal links → target URLs, then the graph between pages (backlinks,
//! related articles, series, pairs).
//!
//! Links are resolved against an [`index::Index`] of every source path, title, slug and alias;
//! a broken link, a missing anchor or an ambiguous wikilink becomes a located diagnostic with
//! the closest candidates. Hrefs are written as [`ROOT_MARK`] + target path, so the render
//! stage can make them relative to wherever the body is shown.

mod index;
mod pairs;
mod related;
mod series;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::LinkPolicy;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{PageId, ROOT_MARK, Site};
use crate::parse::markdown::{LinkKind, LinkRef, ResolvedLink, Scan};

pub use index::{Index, Target};

/// A body to resolve: where it lives and what its scan found.
struct Body<'a> {
    rel: &'a str,
    /// Output folder of an article (assets it references are copied there); None otherwise.
    out_dir: Option<&'a str>,
    shown: &'a str,
    text: &'a Arc<str>,
    body_start: usize,
    scan: &'a Scan,
}

/// What resolving one body produced.
#[derive(Default)]
struct Resolved {
    links: HashMap<usize, ResolvedLink>,
    pages: Vec<(PageId, usize)>, // (target, index into scan.links)
    assets: Vec<(String, String)>,
    diags: Vec<Diagnostic>,
}

/// Resolves the links of every page, section and glossary entry.
pub fn resolve(site: &mut Site, diags: &mut Diagnostics) {
    let index = Index::new(site);
    let policy = site.config.links.broken;
    let page_results: Vec<Resolved> = site
        .pages
        .par_iter()
        .map(|p| {
            resolve_body(
                &index,
                &Body {
                    rel: &p.rel,
                    out_dir: Some(&p.path),
                    shown: &p.shown,
                    text: &p.text,
                    body_start: p.body_start,
                    scan: &p.scan,
                },
            )
        })
        .collect();
    let section_results: Vec<Resolved> = site
        .sections
        .iter()
        .map(|s| {
            let rel = if s.dir.is_empty() {
                "_index.md".to_owned()
            } else {
                format!("{}/_index.md", s.dir)
            };
            resolve_body(
                &index,
                &Body {
                    rel: &rel,
                    out_dir: None,
                    shown: &s.shown,
                    text: &s.text,
                    body_start: s.body_start,
                    scan: &s.scan,
                },
            )
        })
        .collect();
    drop(index);
    let mut backlinks: Vec<Vec<(PageId, String)>> = vec![Vec::new(); site.pages.len()];
    for (id, r) in page_results.into_iter().enumerate() {
        let page = &mut site.pages[id];
        for &(target, li) in &r.pages {
            if target != id && !page.outgoing.contains(&target) {
                page.outgoing.push(target);
                backlinks[target].push((id, excerpt(&page.scan.links[li])));
            }
        }
        page.links = r.links;
        page.assets = r.assets;
        report(r.diags, policy, diags);
    }
    for (s, r) in site.sections.iter_mut().zip(section_results) {
        s.links = r.links;
        report(r.diags, policy, diags);
    }
    site.graph.backlinks = backlinks;
}

/// Resolves the links of glossary bodies (called by the taxonomy stage once terms exist).
pub fn resolve_glossary(site: &mut Site, diags: &mut Diagnostics) {
    let index = Index::new(site);
    let policy = site.config.links.broken;
    let mut results = Vec::new();
    for (ti, t) in site.taxonomies.iter().enumerate() {
        for (i, term) in t.terms.iter().enumerate() {
            if let Some(g) = &term.glossary {
                let rel = format!("{}/{}.md", t.name, term.slug);
                results.push((
                    ti,
                    i,
                    resolve_body(
                        &index,
                        &Body {
                            rel: &rel,
                            out_dir: None,
                            shown: &g.shown,
                            text: &g.text,
                            body_start: g.body_start,
                            scan: &g.scan,
                        },
                    ),
                ));
            }
        }
    }
    drop(index);
    for (ti, i, r) in results {
        if let Some(g) = site.taxonomies[ti].terms[i].glossary.as_mut() {
            g.links = r.links;
        }
        report(r.diags, policy, diags);
    }
}

fn report(ds: Vec<Diagnostic>, policy: LinkPolicy, diags: &mut Diagnostics) {
    for d in ds {
        diags.push(if policy == LinkPolicy::Warn && d.is_error() {
            d.downgraded()
        } else {
            d
        });
    }
}

/// The sentence around a link, for a backlink excerpt (`serve` recomputes it after a body
/// edit without resolving the whole site again).
pub(crate) fn excerpt(link: &LinkRef) -> String {
    let c = link.context.trim();
    if c.is_empty() {
        link.text.clone()
    } else {
        c.to_owned()
    }
}

fn resolve_body(index: &Index, body: &Body) -> Resolved {
    let mut out = Resolved::default();
    for (li, link) in body.scan.links.iter().enumerate() {
        match resolve_link(index, body, link) {
            Ok(Some(r)) => {
                if let Some(Target::Page(p)) = r.target {
                    out.pages.push((p, li));
                }
                if let Some(a) = r.asset {
                    if !out.assets.contains(&a) {
                        out.assets.push(a);
                    }
                }
                out.links.insert(link.range.start, r.link);
            }
            Ok(None) => {}
            Err((message, hint)) => {
                let span = body.body_start + link.range.start..body.body_start + link.range.end;
                let mut d = Diagnostic::error(body.shown, message).at(body.text, span);
                d.hint = hint;
                out.diags.push(d);
            }
        }
    }
    out
}

struct LinkOutcome {
    link: ResolvedLink,
    target: Option<Target>,
    /// (asset path under content/, where the output copy lives).
    asset: Option<(String, String)>,
}

/// Where a referenced asset is served from: next to the article's page when the file sits in
/// (or below) the article's folder, so `![](chart.png)` keeps working; else its own path.
fn asset_outcome(body: &Body, asset: &str) -> LinkOutcome {
    let src_dir = parent(body.rel);
    let below = if src_dir.is_empty() {
        Some(asset)
    } else {
        asset
            .strip_prefix(src_dir)
            .and_then(|r| r.strip_prefix('/'))
    };
    let dest = match (body.out_dir, below) {
        (Some(dir), Some(rest)) => format!("{dir}{rest}"),
        _ => asset.to_owned(),
    };
    LinkOutcome {
        link: ResolvedLink {
            href: format!("{ROOT_MARK}{dest}"),
            text: None,
        },
        target: None,
        asset: Some((asset.to_owned(), dest)),
    }
}

type LinkError = (String, Option<String>);

fn resolve_link(
    index: &Index,
    body: &Body,
    link: &LinkRef,
) -> Result<Option<LinkOutcome>, LinkError> {
    if link.kind == LinkKind::Wiki {
        return resolve_wiki(index, link).map(Some);
    }
    let dest = link.dest.trim();
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or("").replace("%20", " ");
    if path.is_empty() {
        // `#anchor` in the same page.
        let Some(f) = fragment else { return Ok(None) };
        let own = Anchors { scan: body.scan };
        if f.is_empty() || own.has(f) || f.starts_with("fn") {
            return Ok(None);
        }
        return Err((
            format!("no heading with the anchor `#{f}` in this page"),
            own.suggest(f),
        ));
    }
    let joined = if let Some(site_rel) = path.strip_prefix("@/") {
        Some(site_rel.to_owned())
    } else if let Some(abs) = path.strip_prefix('/') {
        return resolve_site_path(index, abs, fragment, dest);
    } else {
        join(parent(body.rel), &path)
    };
    let Some(joined) = joined else {
        return Err((
            format!("the link `{dest}` points outside the content folder"),
            Some("internal links are relative to the file, or start with `@/` for content/".into()),
        ));
    };
    if joined.ends_with(".md") {
        let Some(target) = index.by_rel(&joined) else {
            let hint = did_you_mean_path(index, &joined).unwrap_or_else(|| {
                "link a Markdown file relative to this one (`../tips/x.md`), \
                 or from content/ with `@/tips/x.md`"
                    .into()
            });
            return Err((
                format!("broken link: `{dest}` (no file content/{joined})"),
                Some(hint),
            ));
        };
        return finish(index, target, fragment, None, dest);
    }
    if index.has_asset(&joined) {
        return Ok(Some(asset_outcome(body, &joined)));
    }
    resolve_site_path(index, &joined, fragment, dest)
}

/// A link to an output path (`/tips/ask/` or `../tips/`): allowed when it names a page.
fn resolve_site_path(
    index: &Index,
    path: &str,
    fragment: Option<&str>,
    dest: &str,
) -> Result<Option<LinkOutcome>, LinkError> {
    let trimmed = path.trim_end_matches("index.html").trim_end_matches('/');
    let key = if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}/")
    };
    if let Some(target) = index.by_path(&key) {
        return finish(index, target, fragment, None, dest);
    }
    if index.has_asset(path) {
        return Ok(Some(LinkOutcome {
            link: ResolvedLink {
                href: format!("{ROOT_MARK}{path}"),
                text: None,
            },
            target: None,
            asset: None,
        }));
    }
    if index.is_generated(&key) {
        let href = format!(
            "{ROOT_MARK}{key}{}",
            fragment.map(|f| format!("#{f}")).unwrap_or_default()
        );
        return Ok(Some(LinkOutcome {
            link: ResolvedLink { href, text: None },
            target: None,
            asset: None,
        }));
    }
    Err((
        format!("broken link: `{dest}` matches no page or file"),
        did_you_mean_path(index, path),
    ))
}

fn finish(
    index: &Index,
    target: Target,
    fragment: Option<&str>,
    text: Option<String>,
    dest: &str,
) -> Result<Option<LinkOutcome>, LinkError> {
    let anchors = Anchors {
        scan: index.scan(target),
    };
    let frag = match fragment {
        None | Some("") => String::new(),
        Some(f) => match anchors.find(f) {
            Some(id) => format!("#{id}"),
            None => {
                let hint = anchors.suggest(f);
                return Err((
                    format!("`{dest}`: the target has no heading `#{f}`"),
                    hint.or_else(|| Some(format!("headings there: {}", anchors.list()))),
                ));
            }
        },
    };
    let href = format!("{ROOT_MARK}{}{frag}", index.path(target));
    Ok(Some(LinkOutcome {
        link: ResolvedLink { href, text },
        target: Some(target),
        asset: None,
    }))
}

fn resolve_wiki(index: &Index, link: &LinkRef) -> Result<LinkOutcome, LinkError> {
    let (name, fragment) = match link.dest.split_once('#') {
        Some((n, f)) => (n.trim(), Some(f.trim())),
        None => (link.dest.trim(), None),
    };
    let candidates = index.by_name(name);
    let target = match candidates {
        [one] => *one,
        [] if fragment.is_none() && index.term_by_name(name).is_some() => {
            // A glossary term by title, slug or synonym (`[[managing up]]`): its term page.
            let (title, path) = index.term_by_name(name).unwrap_or_default();
            return Ok(LinkOutcome {
                link: ResolvedLink {
                    href: format!("{ROOT_MARK}{path}"),
                    text: (!link.has_label).then(|| title.to_owned()),
                },
                target: None,
                asset: None,
            });
        }
        [] => {
            let hint = did_you_mean(name, index.names())
                .map(|h| format!("{h} (wikilinks match a title, slug or alias)"));
            return Err((
                format!("broken wikilink: no article titled, slugged or aliased `{name}`"),
                hint,
            ));
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|t| format!("`{}`", index.rel(*t)))
                .collect();
            return Err((
                format!(
                    "ambiguous wikilink `[[{name}]]`: it matches {}",
                    list.join(" and ")
                ),
                Some(format!(
                    "link one file directly, e.g. `[text](@/{})`",
                    index.rel(many[0])
                )),
            ));
        }
    };
    let text = (!link.has_label).then(|| index.title(target).to_owned());
    finish(index, target, fragment, text, &link.dest)?
        .ok_or_else(|| ("unresolved wikilink".to_owned(), None))
}

/// The anchors a page offers: heading ids and callout ids.
struct Anchors<'a> {
    scan: &'a Scan,
}

impl Anchors<'_> {
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.scan
            .headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.scan.callouts.iter().map(|c| c.id.as_str()))
    }
    fn has(&self, id: &str) -> bool {
        self.ids().any(|i| i == id)
    }
    /// An id, or a heading text (case-insensitive), → the id.
    fn find(&self, f: &str) -> Option<String> {
        if self.has(f) {
            return Some(f.to_owned());
        }
        let lower = f.to_lowercase();
        self.scan
            .headings
            .iter()
            .find(|h| h.text.to_lowercase() == lower || h.id == slug::slugify(f))
            .map(|h| h.id.clone())
    }
    fn suggest(&self, f: &str) -> Option<String> {
        let ids: Vec<String> = self.ids().map(|i| format!("#{i}")).collect();
        did_you_mean(&format!("#{f}"), ids.iter().map(String::as_str))
    }
    fn list(&self) -> String {
        let ids: Vec<String> = self
            .scan
            .headings
            .iter()
            .take(8)
            .map(|h| format!("#{}", h.id))
            .collect();
        if ids.is_empty() {
            "none".into()
        } else {
            ids.join(", ")
        }
    }
}

fn did_you_mean_path(index: &Index, wanted: &str) -> Option<String> {
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    let rels = index.rels();
    let mut best: Vec<(f64, &str)> = rels
        .iter()
        .map(|r| {
            let file = r.rsplit('/').next().unwrap_or(r);
            (
                strsim::jaro_winkler(name, file).max(strsim::jaro_winkler(wanted, r)),
                *r,
            )
        })
        .filter(|(s, _)| *s > 0.7)
        .collect();
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let list: Vec<String> = best.iter().take(2).map(|(_, r)| format!("`{r}`")).collect();
    (!list.is_empty()).then(|| format!("did you mean {}?", list.join(" or ")))
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Joins a relative link onto a folder, resolving `.` and `..`; None if it leaves the root.
pub fn join(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if link.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Backlinks are done in [`resolve`]; this adds series, pairs and related articles.
pub fn graph(site: &mut Site, diags: &mut Diagnostics) {
    series::build(site, diags);
    pairs::build(site, diags);
    related::build(site);
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn join_resolves_dots() {
        assert_eq!(
            join("tips", "../principles/trust.md").as_deref(),
            Some("principles/trust.md")
        );
        assert_eq!(join("tips", "ask.md").as_deref(), Some("tips/ask.md"));
        assert_eq!(join("", "./a/b.md").as_deref(), Some("a/b.md"));
        assert_eq!(join("tips", "../../x.md"), None);
        assert_eq!(join("a/b", "../").as_deref(), Some("a/"));
    }
}
