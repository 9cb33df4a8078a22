//! Embeds (`![[Note]]`, `![[Note#Heading]]`): a rendered body holding embed markers in;
//! the same HTML with each marker replaced by the embedded note's body (or the part under
//! the heading) out. Done when a page is shown rather than when its body is rendered, so an
//! edit of the note shows in every page that embeds it: the splice records that it read
//! the note ([`Read::PageOwn`]), and `serve` re-renders the embedding page when the note's
//! body changes.
//!
//! Ids inside an included body get an `e{n}-` prefix (and its `#` links with them), so they
//! stay unique in the page; a note already being included higher up (a cycle) or more than
//! [`EMBED_DEPTH`] levels down is left out, its box keeping only the link to the note (the
//! resolve stage warned about both).

use std::borrow::Cow;

use crate::model::Site;
use crate::parse::markdown::EMBED_DEPTH;
use crate::render::Bodies;
use crate::render::reads::{self, Read};

const OPEN: &str = "<!--binder:embed ";
const CLOSE: &str = "-->";

/// `html` with every embed marker replaced by the body it names. `own` is the output path
/// of the body itself (a note never includes itself).
pub fn splice<'h>(site: &Site, bodies: &Bodies, html: &'h str, own: &str) -> Cow<'h, str> {
    if !html.contains(OPEN) {
        return Cow::Borrowed(html);
    }
    let mut counter = 0;
    let mut stack = vec![own.to_owned()];
    Cow::Owned(expand(site, bodies, html, &mut stack, &mut counter))
}

fn expand(
    site: &Site,
    bodies: &Bodies,
    html: &str,
    stack: &mut Vec<String>,
    counter: &mut usize,
) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else {
            out.push_str(&rest[at..]);
            return out;
        };
        let key = unescape(&after[..end]);
        rest = &after[end + CLOSE.len()..];
        let (path, id) = key.split_once('#').unwrap_or((&key, ""));
        let too_deep = stack.len() > EMBED_DEPTH;
        if too_deep || stack.iter().any(|p| p == path) {
            continue;
        }
        let Some(body) = body_at(site, bodies, path) else {
            continue;
        };
        let part = if id.is_empty() {
            body
        } else {
            section_of(body, id)
        };
        *counter += 1;
        let mut prefixed = prefix_ids(part, &format!("e{counter}-"));
        if prefixed.starts_with("<li") {
            // A list item embedded on its own needs a list around it to be valid HTML.
            prefixed = format!("<ul>\n{prefixed}</ul>\n");
        }
        stack.push(path.to_owned());
        out.push_str(&expand(site, bodies, &prefixed, stack, counter));
        stack.pop();
    }
    out.push_str(rest);
    out
}

/// The rendered body of the page or section at output path `path`, its read recorded.
fn body_at<'b>(site: &Site, bodies: &'b Bodies, path: &str) -> Option<&'b str> {
    if let Some(p) = site.pages.position(|p| p.path == path) {
        reads::record(Read::PageOwn(p));
        return bodies.pages.get(p).map(|b| b.html.as_str());
    }
    let s = site.sections.position(|s| s.path == path)?;
    reads::record(Read::SectionOwn(s));
    bodies.sections.get(s).map(|b| b.html.as_str())
}

/// The heading with id `id` and what follows it up to the next heading of its level or
/// above, or the block (`<p>`, `<li>`) with that id (an Obsidian block id); empty if there
/// is no such element (the resolve stage checked the anchor).
fn section_of<'h>(html: &'h str, id: &str) -> &'h str {
    let needle = format!(" id=\"{id}\"");
    let mut from = 0;
    while let Some(found) = html[from..].find(&needle) {
        let at = from + found;
        from = at + needle.len();
        let Some(open) = html[..at].rfind('<') else {
            continue;
        };
        if let Some(block) = block_at(html, open) {
            return block;
        }
        let Some(level) = heading_level(&html[open..]) else {
            continue;
        };
        let body_from = open + 3;
        let end = (1..=level)
            .filter_map(|l| find_heading(&html[body_from..], l))
            .min()
            .map_or(html.len(), |e| body_from + e);
        return &html[open..end];
    }
    ""
}

/// The `<p …>…</p>` or `<li …>…</li>` element starting at `open` (nested items counted).
fn block_at(html: &str, open: usize) -> Option<&str> {
    let rest = &html[open..];
    let tag = ["p", "li"]
        .into_iter()
        .find(|t| rest[1..].starts_with(t) && rest[1 + t.len()..].starts_with([' ', '>']))?;
    let (start, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 0usize;
    let mut at = 0;
    while at < rest.len() {
        let next_close = rest[at..].find(&close).map(|i| at + i)?;
        let next_open = rest[at..].find(&start).map(|i| at + i);
        match next_open {
            Some(o) if o < next_close && rest[o + start.len()..].starts_with([' ', '>']) => {
                depth += 1;
                at = o + start.len();
            }
            Some(o) if o < next_close => at = o + start.len(),
            _ => {
                depth = depth.saturating_sub(1);
                at = next_close + close.len();
                if depth == 0 {
                    return Some(&rest[..at]);
                }
            }
        }
    }
    None
}

/// `2` for `<h2 …`.
fn heading_level(tag: &str) -> Option<usize> {
    let b = tag.as_bytes();
    (b.len() > 3 && b[0] == b'<' && b[1] == b'h' && (b'1'..=b'6').contains(&b[2]))
        .then(|| usize::from(b[2] - b'0'))
        .filter(|_| matches!(b[3], b' ' | b'>'))
}

fn find_heading(html: &str, level: usize) -> Option<usize> {
    let open = format!("<h{level}");
    let mut from = 0;
    while let Some(found) = html[from..].find(&open) {
        let at = from + found;
        if heading_level(&html[at..]) == Some(level) {
            return Some(at);
        }
        from = at + open.len();
    }
    None
}

/// Every `id="x"` becomes `id="{prefix}x"`, and every `href="#x"` follows.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace("href=\"#", &format!("href=\"#{prefix}"))
}

fn unescape(key: &str) -> String {
    key.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>Intro</p>\n<h2 id=\"why\">Why<a class=\"heading-anchor\" href=\"#why\">#</a></h2>\n<p>Because.</p>\n<h3 id=\"more\">More</h3>\n<p>Detail</p>\n<h2 id=\"how\">How</h2>\n<p>So.</p>\n";

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let part = section_of(BODY, "why");
        assert!(part.starts_with("<h2 id=\"why\">"), "{part}");
        assert!(
            part.contains("Detail"),
            "deeper headings belong to it: {part}"
        );
        assert!(!part.contains("How"), "{part}");
        assert!(section_of(BODY, "how").ends_with("<p>So.</p>\n"));
        assert_eq!(section_of(BODY, "nowhere"), "");
    }

    #[test]
    fn ids_and_their_links_are_prefixed_together() {
        let out = prefix_ids(section_of(BODY, "why"), "e1-");
        assert!(out.contains("<h2 id=\"e1-why\">"), "{out}");
        assert!(out.contains("href=\"#e1-why\""), "{out}");
        assert!(out.contains("<h3 id=\"e1-more\">"), "{out}");
    }

    #[test]
    fn heading_levels_need_a_tag_end() {
        assert_eq!(heading_level("<h2 id=\"x\">"), Some(2));
        assert_eq!(heading_level("<h3>"), Some(3));
        assert_eq!(heading_level("<hr>"), None);
        assert_eq!(heading_level("<header>"), None);
    }
}
