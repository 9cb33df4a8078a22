//! Raw HTML policy: parsed events in; events with the `<!-- more -->` marker removed and,
//! unless raw HTML is allowed, every HTML block and inline tag turned into visible text out.
//!
//! This pass runs before any pass that emits markup of its own, so the only `Html` events
//! downstream of it are either trusted output of binder or HTML the site allows.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::events::Ev;

/// True for the summary marker, however it is spaced (`<!-- more -->`, `<!--more-->`).
pub(super) fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

/// Applies the policy to a whole event stream.
pub(super) fn apply(events: Vec<Ev<'_>>, allow_raw_html: bool) -> Vec<Ev<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<Vec<Ev<'_>>> = None;
    for (event, range) in events {
        match (event, block.as_mut()) {
            (Event::Start(Tag::HtmlBlock), _) => block = Some(Vec::new()),
            (Event::End(TagEnd::HtmlBlock), _) => {
                let lines = block.take().unwrap_or_default();
                push_block(&mut out, lines, range, allow_raw_html);
            }
            (Event::Html(html), Some(lines)) if !is_more_marker(&html) => {
                lines.push((Event::Html(html), range));
            }
            (Event::Html(html) | Event::InlineHtml(html), _) if is_more_marker(&html) => {}
            (Event::InlineHtml(html), _) if !allow_raw_html => out.push((Event::Text(html), range)),
            (event, _) => out.push((event, range)),
        }
    }
    out
}

/// Re-emits an HTML block: as-is when allowed, else as a paragraph of literal text.
/// A block that only held the marker disappears instead of leaving an empty `<p>`.
fn push_block<'a>(
    out: &mut Vec<Ev<'a>>,
    lines: Vec<Ev<'a>>,
    range: std::ops::Range<usize>,
    allow_raw_html: bool,
) {
    if lines.is_empty() {
        return;
    }
    if allow_raw_html {
        out.push((Event::Start(Tag::HtmlBlock), range.clone()));
        out.extend(lines);
        out.push((Event::End(TagEnd::HtmlBlock), range));
        return;
    }
    out.push((Event::Start(Tag::Paragraph), range.clone()));
    let last = lines.len() - 1;
    for (index, (event, line_range)) in lines.into_iter().enumerate() {
        let Event::Html(html) = event else { continue };
        let text = if index == last {
            html.trim_end().to_string()
        } else {
            html.to_string()
        };
        out.push((Event::Text(text.into()), line_range));
    }
    out.push((Event::End(TagEnd::Paragraph), range));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::MarkdownOptions;
    use crate::parse::markdown::events::parse;

    fn html_of(body: &str, allow: bool) -> String {
        let events = apply(parse(body, &MarkdownOptions::default()), allow);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn marker_variants() {
        assert!(is_more_marker("<!-- more -->\n"));
        assert!(is_more_marker("<!--more-->"));
        assert!(!is_more_marker("<!-- more stuff -->"));
        assert!(!is_more_marker("<div>"));
    }

    #[test]
    fn blocked_html_is_shown_as_text() {
        let out = html_of("<script>alert(1)</script>\n\nHi <b>there</b>.\n", false);
        assert_eq!(
            out,
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>Hi &lt;b&gt;there&lt;/b&gt;.</p>\n"
        );
    }

    #[test]
    fn allowed_html_passes_through() {
        let out = html_of("<div class=\"x\">\nhi\n</div>\n\nHi <b>there</b>.\n", true);
        assert_eq!(
            out,
            "<div class=\"x\">\nhi\n</div>\n<p>Hi <b>there</b>.</p>\n"
        );
    }

    #[test]
    fn marker_is_never_shown() {
        for allow in [true, false] {
            let out = html_of("Intro.\n\n<!-- more -->\n\nRest <!--more--> here.\n", allow);
            assert_eq!(out, "<p>Intro.</p>\n<p>Rest  here.</p>\n", "allow={allow}");
        }
    }
}
