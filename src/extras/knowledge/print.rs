//! `/print/`, the printed binder: the whole handbook on one page (template `print.html`,
//! variable `chapters`; see docs/templates.md).
//!
//! Chapters follow the navigation: the home section's own articles first, then each section
//! depth-first in nav order, each listing its articles in the section's order, except that
//! the parts of a series stay together in series order (at the place of the first part
//! listed). Every body is rendered again in print mode: its ids get the article's anchor as
//! prefix, so ids from different articles cannot clash, and internal links become in-page
//! anchors (`#tips-ask` or `#tips-ask-why-it-matters`) when their target is in the binder,
//! else relative URLs of the real pages. After rendering, every `href="#…"` is checked
//! against the ids of the page; a miss or a duplicate id is a warning.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{PageId, ROOT_MARK, ResolvedLinks, SectionId, Site};
use crate::parse::markdown::{self, LinkKind, LinkResolver, RenderOptions, ResolvedLink};
use crate::render::views::{Ctx, PageRef, root_prefix};
use crate::render::{Bodies, Output, Renderer};
use crate::site::markdown_options;

/// Output path of the print edition.
const PATH: &str = "print/";

/// Title of the print edition.
const TITLE: &str = "The whole handbook";

/// One section of the binder.
#[derive(Serialize)]
struct Chapter<'a> {
    title: &'a str,
    anchor: String,
    pages: Vec<Entry<'a>>,
}

/// One article in a chapter.
#[derive(Serialize)]
struct Entry<'a> {
    page: PageRef<'a>,
    anchor: String,
    content: &'a str,
}

/// Which sections and articles go in, in reading order, and the anchor of each.
struct Plan {
    /// (section, its anchor, its articles in reading order).
    chapters: Vec<(SectionId, String, Vec<PageId>)>,
    /// Anchor of each article in the binder.
    anchors: HashMap<PageId, String>,
}

/// Renders `print/index.html`; broken in-page anchors are reported into `diags`.
pub(super) fn render(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    diags: &mut Diagnostics,
) -> Result<Vec<Output>, Diagnostic> {
    let frame = renderer.generated_page(site, "print.html", (PATH, TITLE), |ctx, _| {
        ctx.insert("chapters", &Vec::<()>::new())
    })?;
    let frame_ids: HashSet<String> = frame
        .iter()
        .flat_map(|o| attr_values(&String::from_utf8_lossy(&o.bytes), "id").collect::<Vec<_>>())
        .collect();
    let plan = Plan::new(site, bodies, frame_ids);
    let contents = contents(site, renderer, &plan);
    let out = renderer.generated_page(site, "print.html", (PATH, TITLE), |ctx, root| {
        let c = Ctx { site, bodies, root };
        let chapters: Vec<Chapter> = plan
            .chapters
            .iter()
            .map(|(s, anchor, pages)| Chapter {
                title: chapter_title(site, *s),
                anchor: anchor.clone(),
                pages: pages
                    .iter()
                    .map(|p| Entry {
                        page: c.page_ref(*p),
                        anchor: plan.anchors[p].clone(),
                        content: &contents[p],
                    })
                    .collect(),
            })
            .collect();
        ctx.insert("chapters", &chapters);
    })?;
    for o in &out {
        check_anchors(
            site,
            &String::from_utf8_lossy(&o.bytes),
            &plan,
            &contents,
            diags,
        );
    }
    Ok(out)
}

fn chapter_title(site: &Site, s: SectionId) -> &str {
    let title = site.sections[s].title.as_str();
    if s == 0 && title.is_empty() {
        &site.config.title
    } else {
        title
    }
}

impl Plan {
    /// Orders the binder and hands out anchors that clash with no id of the page: not with
    /// the template's own (`frame_ids`), not with each other, and not with any article's
    /// prefixed ids (`tips-ask` + `why` must not meet an article anchored `tips-ask-why`).
    fn new(site: &Site, bodies: &Bodies, frame_ids: HashSet<String>) -> Plan {
        let mut used = frame_ids;
        let mut chapters = Vec::new();
        let mut anchors = HashMap::new();
        for s in section_order(site) {
            let pages = reading_order(site, s);
            if pages.is_empty() {
                continue;
            }
            let base = if s == 0 {
                "chapter-home".to_owned()
            } else {
                format!("chapter-{}", dashed(&site.sections[s].path))
            };
            chapters.push((s, claim(&mut used, &base, &[]), pages));
        }
        for (_, _, pages) in &chapters {
            for &p in pages {
                let body_ids: Vec<String> = attr_values(&bodies.pages[p].html, "id").collect();
                anchors.insert(p, claim(&mut used, &dashed(&site.pages[p].path), &body_ids));
            }
        }
        Plan { chapters, anchors }
    }
}

/// `tips/ask/` → `tips-ask`.
fn dashed(path: &str) -> String {
    path.trim_matches('/').replace('/', "-")
}

/// The first of `base`, `base-2`, `base-3`, … that is free together with the ids the
/// template derives from it (`{a}-title`) and the article's prefixed ids (`{a}-{id}`).
fn claim(used: &mut HashSet<String>, base: &str, body_ids: &[String]) -> String {
    let owned = |a: &str| -> Vec<String> {
        let mut ids = vec![a.to_owned(), format!("{a}-title")];
        ids.extend(body_ids.iter().map(|id| format!("{a}-{id}")));
        ids
    };
    let anchor = std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|a| owned(a).iter().all(|id| !used.contains(id)))
        .unwrap_or_default();
    used.extend(owned(&anchor));
    anchor
}

/// Sections depth-first from home, children in nav order (weight, then title); sections
/// the tree does not reach (none in a well-formed site) follow, so no article is lost.
fn section_order(site: &Site) -> Vec<SectionId> {
    let mut order = Vec::with_capacity(site.sections.len());
    let mut seen = vec![false; site.sections.len()];
    let mut stack = vec![0];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s], true) {
            continue;
        }
        order.push(s);
        stack.extend(site.sections[s].subsections.iter().rev());
    }
    order.extend((0..site.sections.len()).filter(|&s| !seen[s]));
    order
}

/// A section's articles in listing order, each series gathered in series order where its
/// first listed part is (a date-sorted section may list part 3 before part 1).
fn reading_order(site: &Site, s: SectionId) -> Vec<PageId> {
    let listed = &site.sections[s].pages;
    let here: HashSet<PageId> = listed.iter().copied().collect();
    let mut placed = HashSet::new();
    let mut order = Vec::with_capacity(listed.len());
    for &p in listed {
        let parts = match site.graph.series_of.get(p).copied().flatten() {
            Some((si, _)) => site.graph.series[si].parts.as_slice(),
            None => std::slice::from_ref(&p),
        };
        for &q in parts {
            if here.contains(&q) && placed.insert(q) {
                order.push(q);
            }
        }
    }
    order
}

/// Where internal links of one article point in the binder.
struct PrintLinks<'a> {
    /// The article's links as the resolve stage left them (`ROOT_MARK` + path + fragment).
    own: &'a ResolvedLinks,
    /// The article's anchor (for `#fragment` links within it).
    anchor: &'a str,
    /// Output path → (anchor, whether the target's ids carry that anchor as prefix).
    targets: &'a HashMap<&'a str, (&'a str, bool)>,
}

impl LinkResolver for PrintLinks<'_> {
    fn resolve(&self, kind: LinkKind, dest: &str, offset: usize) -> Option<ResolvedLink> {
        if let Some(link) = self.own.get(&offset) {
            let href = if kind == LinkKind::Image {
                None
            } else {
                self.in_page(&link.href)
            };
            return Some(ResolvedLink {
                href: href.unwrap_or_else(|| link.href.clone()),
                text: link.text.clone(),
            });
        }
        let fragment = dest.trim().strip_prefix('#').filter(|f| !f.is_empty())?;
        Some(ResolvedLink {
            href: format!("#{}-{fragment}", self.anchor),
            text: None,
        })
    }
}

impl PrintLinks<'_> {
    /// `ROOT_MARK tips/ask/#why` → `#tips-ask-why` when that article is in the binder.
    fn in_page(&self, href: &str) -> Option<String> {
        let rest = href.strip_prefix(ROOT_MARK)?;
        let (path, fragment) = rest.split_once('#').map_or((rest, ""), |(p, f)| (p, f));
        let &(anchor, prefixed) = self.targets.get(path)?;
        Some(if prefixed && !fragment.is_empty() {
            format!("#{anchor}-{fragment}")
        } else {
            format!("#{anchor}")
        })
    }
}

/// Every article body rendered in print mode, in parallel.
fn contents(site: &Site, renderer: &Renderer, plan: &Plan) -> HashMap<PageId, String> {
    let mut targets: HashMap<&str, (&str, bool)> = plan
        .anchors
        .iter()
        .map(|(&p, a)| (site.pages[p].path.as_str(), (a.as_str(), true)))
        .collect();
    for (s, anchor, _) in &plan.chapters {
        // A section's own headings are not in the binder: its links land on the chapter.
        targets.insert(&site.sections[*s].path, (anchor, false));
    }
    let md = markdown_options(&site.config);
    let root = root_prefix(PATH);
    let pages: Vec<(&PageId, &String)> = plan.anchors.iter().collect();
    pages
        .par_iter()
        .map(|&(&p, anchor)| {
            let page = &site.pages[p];
            let opts = RenderOptions {
                markdown: &md,
                highlighter: &renderer.highlighter,
                id_prefix: Some(anchor),
            };
            let links = PrintLinks {
                own: &page.links,
                anchor,
                targets: &targets,
            };
            // Warnings were reported when the article itself was rendered.
            let html = markdown::render(page.body(), &opts, &links).html;
            (p, html.replace(ROOT_MARK, &root))
        })
        .collect()
}

/// Values of every ` {attr}="…"` in `html`, decoded (`&amp;` → `&`).
fn attr_values<'h>(html: &'h str, attr: &str) -> impl Iterator<Item = String> + 'h {
    let needle = format!(" {attr}=\"");
    let mut rest = html;
    std::iter::from_fn(move || {
        let start = rest.find(&needle)? + needle.len();
        let len = rest[start..].find('"')?;
        let value = &rest[start..start + len];
        rest = &rest[start + len..];
        Some(unescape(value))
    })
}

/// Undoes HTML attribute escaping and URL percent-encoding, so an `href="#caf%C3%A9"` and
/// an `id="café"` compare equal, as they do in a browser.
fn unescape(value: &str) -> String {
    let text = value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Warns about in-page links without a target and ids used twice, naming the article.
fn check_anchors(
    site: &Site,
    html: &str,
    plan: &Plan,
    contents: &HashMap<PageId, String>,
    diags: &mut Diagnostics,
) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for id in attr_values(html, "id") {
        *count.entry(id).or_default() += 1;
    }
    for (_, _, pages) in &plan.chapters {
        for &p in pages {
            let shown = &site.pages[p].shown;
            let mut reported = HashSet::new();
            for href in attr_values(&contents[&p], "href") {
                let Some(target) = href.strip_prefix('#') else {
                    continue;
                };
                if !count.contains_key(target) && reported.insert(href.clone()) {
                    diags.push(
                        Diagnostic::warning(shown, format!("in the print edition, the link `{href}` has no target"))
                            .with_hint("link to a heading or callout that exists; raw HTML ids are not carried into /print/"),
                    );
                }
            }
            for id in attr_values(&contents[&p], "id") {
                if count.get(&id).copied().unwrap_or(0) > 1 && reported.insert(id.clone()) {
                    diags.push(
                        Diagnostic::warning(
                            shown,
                            format!("in the print edition, the id `{id}` is used more than once"),
                        )
                        .with_hint("give the heading another text or an explicit `{#id}`"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_values_are_found_and_decoded() {
        let html = r##"<h2 id="a">x</h2><a href="#caf%C3%A9" id="b&amp;c">y</a><p data-id="no">"##;
        assert_eq!(attr_values(html, "id").collect::<Vec<_>>(), ["a", "b&c"]);
        assert_eq!(attr_values(html, "href").collect::<Vec<_>>(), ["#café"]);
    }

    #[test]
    fn claim_avoids_every_derived_id() {
        let mut used: HashSet<String> = ["main".to_owned()].into();
        assert_eq!(claim(&mut used, "tips", &["ask".to_owned()]), "tips");
        assert!(used.contains("tips-title") && used.contains("tips-ask"));
        // An article anchored `tips-ask` would own `tips-ask`, already taken by a heading.
        assert_eq!(claim(&mut used, "tips-ask", &[]), "tips-ask-2");
        assert_eq!(claim(&mut used, "main", &[]), "main-2");
    }

    #[test]
    fn dashed_paths() {
        assert_eq!(dashed("tips/ask-for-clarity/"), "tips-ask-for-clarity");
        assert_eq!(dashed("about/"), "about");
    }
}
