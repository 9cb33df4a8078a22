//! Headings: heading events plus the page's id table in; `<hN id="…">` markup with a
//! trailing self-link anchor out (`<hN>` alone when ids are hidden, as in summaries).
//!
//! The anchor comes after the heading's content, as a sibling of any link the heading text
//! contains, so there are never nested `<a>` elements.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::events::{Ev, escape, html};
use super::ids::{Analysis, IdStyle};
use super::{Heading, RendererWords};

/// Replaces heading `Start`/`End` events with markup carrying ids and anchors.
pub(super) fn render<'a>(
    events: Vec<Ev<'a>>,
    analysis: &Analysis,
    ids: IdStyle,
    labels: Option<&RendererWords>,
) -> Vec<Ev<'a>> {
    let mut current: Option<&Heading> = None;
    events
        .into_iter()
        .map(|(event, range)| match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                current = analysis.heading_at(range.start);
                let id = current
                    .map(|heading| ids.attr(&heading.id))
                    .unwrap_or_default();
                let extra = attributes(&classes, &attrs);
                html(format!("<{level}{id}{extra}>"), &range)
            }
            Event::End(TagEnd::Heading(level)) => {
                let anchor = match current.take() {
                    Some(heading) if ids.emits() => anchor(heading, ids, labels),
                    _ => String::new(),
                };
                html(format!("{anchor}</{level}>\n"), &range)
            }
            event => (event, range),
        })
        .collect()
}

/// The visible, accessible self-link: `#`, labelled with the section name.
fn anchor(heading: &Heading, ids: IdStyle, labels: Option<&RendererWords>) -> String {
    let text = escape(&heading.text);
    let label = RendererWords::word(
        labels,
        "anchor_label",
        "Link to this section: {heading}",
        &[("heading", &text)],
    );
    format!(
        "<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"{label}\">#</a>",
        ids.id(&heading.id),
    )
}

/// `{.class key=value}` from the heading attribute syntax, escaped.
fn attributes(classes: &[CowStr<'_>], attrs: &[(CowStr<'_>, Option<CowStr<'_>>)]) -> String {
    let mut out = String::new();
    if !classes.is_empty() {
        let joined: Vec<&str> = classes.iter().map(|class| class.as_ref()).collect();
        out.push_str(&format!(" class=\"{}\"", escape(&joined.join(" "))));
    }
    for (key, value) in attrs {
        // Keys come from the author; keep only characters that are valid in a name.
        let key: String = key
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
            .collect();
        // `id`/`class` come from `#id`/`.class`; `on*` handlers would be script injection.
        let lower = key.to_ascii_lowercase();
        if key.is_empty() || lower == "id" || lower == "class" || lower.starts_with("on") {
            continue;
        }
        match value {
            Some(value) => out.push_str(&format!(" {key}=\"{}\"", escape(value))),
            None => out.push_str(&format!(" {key}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_escaped_and_event_handlers_dropped() {
        let classes = vec![CowStr::from("a"), CowStr::from("b\"")];
        let attrs = vec![
            (CowStr::from("data-x"), Some(CowStr::from("1<"))),
            (CowStr::from("onclick"), Some(CowStr::from("alert(1)"))),
            (CowStr::from("hidden"), None),
        ];
        assert_eq!(
            attributes(&classes, &attrs),
            " class=\"a b&quot;\" data-x=\"1&lt;\" hidden"
        );
    }
}
