//! `/print/`, the printed binder: the whole handbook on one page (template `print.html`,
//! variable `chapters`; see docs/templates.md).
//!
//! Chapters follow the navigation: the home section's own articles first, then each section
//! depth-first in nav order, each listing its articles in the section's order, except that
//! the parts of a series stay together in series order (at the place of the first part
//! listed). Every rendered body is rewritten for print (one linear scan of its attributes,
//! not a second Markdown render): its ids get the article's anchor as prefix, so ids from
//! different articles cannot clash, and internal links become in-page anchors (`#tips-ask`
//! or `#tips-ask-why-it-matters`) when their target is in the binder, else relative URLs of
//! the real pages. The template sees a small placeholder per article, spliced with the
//! bodies afterwards, so the whole handbook never passes through Tera. Every `href="#…"` is
//! then checked against the ids of the page; a miss or a duplicate id is a warning.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Topic};
use crate::model::{PageId, ROOT_MARK, SectionId, Site};
use crate::render::views::{Ctx, PageRef, root_prefix};
use crate::render::{Bodies, Renderer};
use crate::write::Sink;
use typed_index_collections::ti_vec;

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

/// One chapter to plan: the section it stands for (none for a reading path), its title,
/// the base of its anchor, and its articles in reading order.
type ChapterSource<'a> = (Option<SectionId>, &'a str, String, Vec<PageId>);

/// Which sections and articles go in, in reading order, and the anchor of each.
struct Plan {
    /// (section, its anchor, its articles in reading order, its title).
    chapters: Vec<(Option<SectionId>, String, Vec<PageId>, String)>,
    /// Anchor of each article in the binder.
    anchors: HashMap<PageId, String>,
}

/// Writes `print/index.html` into `sink`, streaming the article bodies so the whole
/// handbook is never held in memory twice; broken in-page anchors are reported into `diags`.
pub(super) fn write(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Result<usize, Diagnostic> {
    let chapters = section_order(site)
        .into_iter()
        .map(|s| {
            let base = if s == SectionId::HOME {
                "chapter-home".to_owned()
            } else {
                format!("chapter-{}", dashed(&site.sections[s].path))
            };
            (
                Some(s),
                chapter_title(site, s),
                base,
                reading_order(site, s),
            )
        })
        .collect();
    write_binder(site, renderer, bodies, sink, diags, (PATH, TITLE), chapters)
}

/// Writes `print/<path>/`: one reading path as a binder of its own, its articles in the
/// path's order (the binder to hand a new team lead).
pub(super) fn write_path(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
    path: &crate::paths::ReadingPath,
) -> Result<usize, Diagnostic> {
    let page = &site.pages[path.page];
    let out = format!("{PATH}{}", page.path);
    let pages: Vec<PageId> = path.entries.iter().map(|(p, _)| *p).collect();
    let chapter = (None, page.title.as_str(), "chapter-path".to_owned(), pages);
    write_binder(
        site,
        renderer,
        bodies,
        sink,
        diags,
        (&out, &page.title),
        vec![chapter],
    )
}

fn write_binder(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
    (path, title): (&str, &str),
    source: Vec<ChapterSource<'_>>,
) -> Result<usize, Diagnostic> {
    let frame = renderer.generated_page(site, "print.html", (path, title), |ctx, _| {
        ctx.insert("chapters", &Vec::<()>::new());
        ctx.insert("reading_path", &(path != PATH).then_some(title));
    })?;
    let frame_ids: HashSet<String> = frame
        .iter()
        .flat_map(|o| attr_values(&String::from_utf8_lossy(&o.bytes), "id").collect::<Vec<_>>())
        .collect();
    let plan = Plan::new(bodies, frame_ids, source, site);
    let placeholders: HashMap<PageId, String> =
        plan.anchors.keys().map(|&p| (p, placeholder(p))).collect();
    let out = renderer.generated_page(site, "print.html", (path, title), |ctx, root| {
        let c = Ctx { site, bodies, root };
        let chapters: Vec<Chapter> = plan
            .chapters
            .iter()
            .map(|(_, anchor, pages, title)| Chapter {
                title,
                anchor: anchor.clone(),
                pages: pages
                    .iter()
                    .map(|p| Entry {
                        page: c.page_ref(*p),
                        anchor: plan.anchors[p].clone(),
                        content: &placeholders[p],
                    })
                    .collect(),
            })
            .collect();
        ctx.insert("chapters", &chapters);
        // A reading path's own binder is titled after the path.
        ctx.insert("reading_path", &(path != PATH).then_some(title));
    })?;
    let links = Links::new(site, &plan, path);
    let mut written = 0;
    for o in out {
        let template = String::from_utf8_lossy(&o.bytes).into_owned();
        let ids = id_counts(&template, (site, bodies), &plan);
        let mut problems = Vec::new();
        sink.write_streamed(&o.path, &mut |w| {
            stream(
                &template,
                (site, bodies),
                &plan,
                &links,
                &ids,
                w,
                &mut problems,
            )
        })
        .map_err(|e| crate::write::write_error(&o.path, &e))?;
        report(site, problems, diags);
        written += 1;
    }
    Ok(written)
}

fn chapter_title(site: &Site, s: SectionId) -> &str {
    let title = site.sections[s].title.as_str();
    if s == SectionId::HOME && title.is_empty() {
        &site.config.title
    } else {
        title
    }
}

impl Plan {
    /// Orders the binder and hands out anchors that clash with no id of the page: not with
    /// the template's own (`frame_ids`), not with each other, and not with any article's
    /// prefixed ids (`tips-ask` + `why` must not meet an article anchored `tips-ask-why`).
    fn new(
        bodies: &Bodies,
        frame_ids: HashSet<String>,
        source: Vec<ChapterSource<'_>>,
        site: &Site,
    ) -> Plan {
        let mut used = frame_ids;
        let mut chapters = Vec::new();
        let mut anchors = HashMap::new();
        for (s, title, base, pages) in source {
            if pages.is_empty() {
                continue;
            }
            chapters.push((s, claim(&mut used, &base, &[]), pages, title.to_owned()));
        }
        for (_, _, pages, _) in &chapters {
            for &p in pages {
                let body_ids: Vec<String> = attr_values(&body(site, bodies, p), "id").collect();
                anchors.insert(p, claim(&mut used, &dashed(&site.pages[p].path), &body_ids));
            }
        }
        Plan { chapters, anchors }
    }
}

/// Article `p`'s rendered body with the notes it embeds (`![[Note]]`) spliced in, as its
/// own page shows it.
fn body<'b>(site: &Site, bodies: &'b Bodies, p: PageId) -> std::borrow::Cow<'b, str> {
    crate::render::embeds::splice(site, bodies, &bodies.pages[p].html, &site.pages[p].path)
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
    let mut seen = ti_vec![false; site.sections.len()];
    let mut stack = vec![SectionId::HOME];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s], true) {
            continue;
        }
        order.push(s);
        stack.extend(site.sections[s].subsections.iter().rev());
    }
    order.extend(site.sections.keys().filter(|&s| !seen[s]));
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
    /// The article's anchor: prefix of its ids and of its `#fragment` links.
    anchor: &'a str,
    /// Output path → (anchor, whether the target's ids carry that anchor as prefix).
    targets: &'a HashMap<&'a str, (&'a str, bool)>,
    /// Relative path from `print/` to the site root.
    root: &'a str,
}

impl PrintLinks<'_> {
    /// Rewrites the `id`, `href` and `src` attributes of a rendered body. Our renderer writes
    /// every attribute as `name="value"` and escapes `"` in text, so `="` only ever starts an
    /// attribute value.
    fn rewrite(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut rest = html;
        while let Some(i) = rest.find("=\"") {
            let (before, after) = rest.split_at(i + 2);
            out.push_str(before);
            let end = after.find('"').unwrap_or(after.len());
            let value = &after[..end];
            let name = before[..i]
                .rsplit(|c: char| c.is_whitespace() || c == '<')
                .next()
                .unwrap_or("");
            match name {
                "id" => {
                    out.push_str(self.anchor);
                    out.push('-');
                    out.push_str(value);
                }
                "href" => out.push_str(&self.href(value)),
                "src" => out.push_str(&value.replace(ROOT_MARK, self.root)),
                _ => out.push_str(value),
            }
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    fn href(&self, value: &str) -> String {
        if let Some(fragment) = value.strip_prefix('#') {
            return format!("#{}-{fragment}", self.anchor);
        }
        match value.strip_prefix(ROOT_MARK) {
            Some(rest) => self
                .in_page(rest)
                .unwrap_or_else(|| format!("{}{rest}", self.root)),
            None => value.to_owned(),
        }
    }

    /// `tips/ask/#why` → `#tips-ask-why` when that article is in the binder.
    fn in_page(&self, rest: &str) -> Option<String> {
        let (path, fragment) = rest.split_once('#').map_or((rest, ""), |(p, f)| (p, f));
        let &(anchor, prefixed) = self.targets.get(path)?;
        Some(if prefixed && !fragment.is_empty() {
            format!("#{anchor}-{fragment}")
        } else {
            format!("#{anchor}")
        })
    }
}

/// Start of the marker for an article's body in the rendered template.
const MARK: &str = "<!--binder-print:";

/// Marks where an article's body goes in the rendered template.
fn placeholder(p: PageId) -> String {
    format!("{MARK}{p}-->")
}

/// Link targets of the binder: output path → (anchor, whether its ids carry the anchor).
struct Links<'a> {
    targets: HashMap<&'a str, (&'a str, bool)>,
    root: String,
}

impl<'a> Links<'a> {
    fn new(site: &'a Site, plan: &'a Plan, path: &str) -> Self {
        let mut targets: HashMap<&str, (&str, bool)> = plan
            .anchors
            .iter()
            .map(|(&p, a)| (site.pages[p].path.as_str(), (a.as_str(), true)))
            .collect();
        for (s, anchor, _, _) in &plan.chapters {
            // A section's own headings are not in the binder: its links land on the chapter.
            if let Some(s) = s {
                targets.insert(&site.sections[*s].path, (anchor, false));
            }
        }
        Links {
            targets,
            root: root_prefix(path),
        }
    }

    fn for_page<'b>(&'b self, anchor: &'b str) -> PrintLinks<'b> {
        PrintLinks {
            anchor,
            targets: &self.targets,
            root: &self.root,
        }
    }
}

/// How often each id occurs on the finished page: the template's own ids plus every
/// article's ids under its anchor prefix, counted without building the page.
fn id_counts(
    template: &str,
    (site, bodies): (&Site, &Bodies),
    plan: &Plan,
) -> HashMap<String, usize> {
    let per_page: Vec<Vec<String>> = plan
        .anchors
        .par_iter()
        .map(|(&p, anchor)| {
            attr_values(&body(site, bodies, p), "id")
                .map(|id| format!("{anchor}-{id}"))
                .collect()
        })
        .collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for id in attr_values(template, "id").chain(per_page.into_iter().flatten()) {
        *count.entry(id).or_default() += 1;
    }
    count
}

/// One print problem: (article, message, hint, what it is about).
type Problem = (PageId, String, &'static str, Topic);

/// Articles rewritten per parallel batch while streaming: enough to keep both cores busy,
/// few enough that memory stays flat.
const BATCH: usize = 256;

/// Writes the template with each placeholder replaced by its article's rewritten body.
fn stream(
    template: &str,
    (site, bodies): (&Site, &Bodies),
    plan: &Plan,
    links: &Links,
    ids: &HashMap<String, usize>,
    w: &mut dyn std::io::Write,
    problems: &mut Vec<Problem>,
) -> std::io::Result<()> {
    // Split the template into text pieces and the articles between them.
    let mut pieces: Vec<(&str, Option<PageId>)> = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(MARK) {
        let after = &rest[i + MARK.len()..];
        let Some(end) = after.find("-->") else { break };
        let page = after[..end]
            .parse::<usize>()
            .ok()
            .map(PageId::from)
            .filter(|p| plan.anchors.contains_key(p));
        pieces.push((&rest[..i], page));
        rest = &after[end + 3..];
    }
    pieces.push((rest, None));
    for batch in pieces.chunks(BATCH) {
        let rewritten: Vec<Option<(String, Vec<Problem>)>> = batch
            .par_iter()
            .map(|&(_, page)| page.map(|p| rewrite_checked(p, (site, bodies), plan, links, ids)))
            .collect();
        for (&(text, _), body) in batch.iter().zip(rewritten) {
            w.write_all(text.as_bytes())?;
            if let Some((html, found)) = body {
                w.write_all(html.as_bytes())?;
                problems.extend(found);
            }
        }
    }
    Ok(())
}

/// One article's body for the binder, with its broken in-page links and repeated ids.
fn rewrite_checked(
    p: PageId,
    (site, bodies): (&Site, &Bodies),
    plan: &Plan,
    links: &Links,
    ids: &HashMap<String, usize>,
) -> (String, Vec<Problem>) {
    let anchor = &plan.anchors[&p];
    let html = links.for_page(anchor).rewrite(&body(site, bodies, p));
    let mut problems = Vec::new();
    let mut reported = HashSet::new();
    for href in attr_values(&html, "href") {
        let Some(target) = href.strip_prefix('#') else {
            continue;
        };
        if !ids.contains_key(target) && reported.insert(href.clone()) {
            // A broken link of the print edition: `binder check` files it with broken links.
            problems.push((p, format!("in the print edition, the link `{href}` has no target"),
                "link to a heading or callout that exists; raw HTML ids are not carried into /print/",
                Topic::Link));
        }
    }
    for id in attr_values(&html, "id") {
        if ids.get(&id).copied().unwrap_or(0) > 1 && reported.insert(id.clone()) {
            problems.push((
                p,
                format!("in the print edition, the id `{id}` is used more than once"),
                "give the heading another text or an explicit `{#id}`",
                Topic::General,
            ));
        }
    }
    (html, problems)
}

fn report(site: &Site, problems: Vec<Problem>, diags: &mut Diagnostics) {
    for (p, message, hint, topic) in problems {
        diags.push(
            Diagnostic::warning(&site.pages[p].shown, message)
                .with_hint(hint)
                .about(topic),
        );
    }
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
    fn rewrite_prefixes_ids_and_maps_links() {
        let targets: HashMap<&str, (&str, bool)> = [("tips/b/", ("tips-b", true))].into();
        let links = PrintLinks {
            anchor: "tips-a",
            targets: &targets,
            root: "../",
        };
        let html = format!(
            "<h2 id=\"why\">Why<a class=\"heading-anchor\" href=\"#why\">#</a></h2>\
             <p><a href=\"{ROOT_MARK}tips/b/#how\">b</a> <a href=\"{ROOT_MARK}about/\">c</a> \
             <a href=\"https://x.org/\">x</a> <img src=\"{ROOT_MARK}tips/a/m.svg\" alt=\"id=&quot;q&quot;\"></p>"
        );
        assert_eq!(
            links.rewrite(&html),
            "<h2 id=\"tips-a-why\">Why<a class=\"heading-anchor\" href=\"#tips-a-why\">#</a></h2>\
             <p><a href=\"#tips-b-how\">b</a> <a href=\"../about/\">c</a> \
             <a href=\"https://x.org/\">x</a> <img src=\"../tips/a/m.svg\" alt=\"id=&quot;q&quot;\"></p>"
        );
    }

    #[test]
    fn dashed_paths() {
        assert_eq!(dashed("tips/ask-for-clarity/"), "tips-ask-for-clarity");
        assert_eq!(dashed("about/"), "about");
    }
}
