//! Footnotes: reference and definition events in; numbered `<sup>` references and one
//! `<section class="footnotes">` list at the end of the body, with back-references, out.
//! When ids are hidden (summaries) footnotes are dropped: their targets would not exist.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::RendererWords;
use super::events::{Ev, element, escape, html};
use super::ids::IdStyle;

/// One definition: its label, body events and source range.
struct Definition<'a> {
    label: String,
    body: Vec<Ev<'a>>,
    range: std::ops::Range<usize>,
}

/// Numbers in order of first reference (body, then inside notes), then unreferenced notes.
struct Numbering {
    numbers: HashMap<String, usize>,
    /// How many references each number has had so far, for `fnref-N-2` ids.
    seen: HashMap<usize, usize>,
}

pub(super) fn render<'a>(
    events: Vec<Ev<'a>>,
    ids: IdStyle,
    labels: Option<&RendererWords>,
) -> Vec<Ev<'a>> {
    let (body, mut definitions) = extract(events);
    if !ids.emits() {
        return body
            .into_iter()
            .filter(|(event, _)| !matches!(event, Event::FootnoteReference(_)))
            .collect();
    }
    let mut numbering = number(&body, &definitions);
    let mut out = replace_references(body, &mut numbering, ids);
    if definitions.is_empty() {
        return out;
    }
    definitions.sort_by_key(|definition| numbering.numbers.get(&definition.label).copied());
    let range = definitions[0].range.clone();
    let title = RendererWords::word(labels, "footnotes_label", "Footnotes", &[]);
    out.push(html(
        format!(
            "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n",
            escape(&title)
        ),
        &range,
    ));
    for definition in definitions {
        push_definition(&mut out, definition, &mut numbering, (ids, labels));
    }
    out.push(html("</ol>\n</section>\n".to_string(), &range));
    out
}

fn key(label: &str) -> String {
    label.to_lowercase()
}

/// Splits definitions out of the stream; they are re-emitted at the end.
fn extract(events: Vec<Ev<'_>>) -> (Vec<Ev<'_>>, Vec<Definition<'_>>) {
    let mut body = Vec::with_capacity(events.len());
    let mut definitions = Vec::new();
    let mut index = 0;
    while let Some((event, range)) = events.get(index) {
        let Some((Tag::FootnoteDefinition(label), end)) = element(&events, index, |tag| {
            matches!(tag, Tag::FootnoteDefinition(_))
        }) else {
            body.push((event.clone(), range.clone()));
            index += 1;
            continue;
        };
        definitions.push(Definition {
            label: key(label),
            body: events[index + 1..end].to_vec(),
            range: range.clone(),
        });
        index = end + 1;
    }
    (body, definitions)
}

fn number(body: &[Ev<'_>], definitions: &[Definition<'_>]) -> Numbering {
    let mut numbers = HashMap::new();
    let defined: Vec<&str> = definitions.iter().map(|d| d.label.as_str()).collect();
    let referenced = body
        .iter()
        .chain(definitions.iter().flat_map(|d| d.body.iter()))
        .filter_map(|(event, _)| match event {
            Event::FootnoteReference(label) => Some(key(label)),
            _ => None,
        });
    for label in referenced.chain(defined.iter().map(|label| label.to_string())) {
        if defined.contains(&label.as_str()) {
            let next = numbers.len() + 1;
            numbers.entry(label).or_insert(next);
        }
    }
    Numbering {
        numbers,
        seen: HashMap::new(),
    }
}

fn replace_references<'a>(
    events: Vec<Ev<'a>>,
    numbering: &mut Numbering,
    ids: IdStyle,
) -> Vec<Ev<'a>> {
    events
        .into_iter()
        .map(|(event, range)| match event {
            Event::FootnoteReference(label) => match numbering.numbers.get(&key(&label)) {
                Some(&number) => {
                    let count = numbering.seen.entry(number).or_insert(0);
                    *count += 1;
                    html(reference(number, *count, ids), &range)
                }
                // A reference without a definition reads as what was typed.
                None => (Event::Text(CowStr::from(format!("[^{label}]"))), range),
            },
            event => (event, range),
        })
        .collect()
}

fn reference_id(number: usize, nth: usize) -> String {
    if nth == 1 {
        format!("fnref-{number}")
    } else {
        format!("fnref-{number}-{nth}")
    }
}

fn reference(number: usize, nth: usize, ids: IdStyle) -> String {
    format!(
        "<sup class=\"footnote-reference\"><a href=\"#{}\" id=\"{}\" role=\"doc-noteref\">{number}</a></sup>",
        ids.id(&format!("fn-{number}")),
        ids.id(&reference_id(number, nth)),
    )
}

fn push_definition<'a>(
    out: &mut Vec<Ev<'a>>,
    definition: Definition<'a>,
    numbering: &mut Numbering,
    (ids, labels): (IdStyle, Option<&RendererWords>),
) {
    let number = numbering
        .numbers
        .get(&definition.label)
        .copied()
        .unwrap_or(0);
    let range = definition.range.clone();
    out.push(html(
        format!("<li{}>\n", ids.attr(&format!("fn-{number}"))),
        &range,
    ));
    let mut body = replace_references(definition.body, numbering, ids);
    let backrefs = backrefs(
        number,
        numbering.seen.get(&number).copied().unwrap_or(0),
        ids,
        labels,
    );
    // Inside the last paragraph when there is one, so the arrow follows the text.
    match body.last() {
        Some((Event::End(TagEnd::Paragraph), _)) => {
            let at = body.len() - 1;
            body.insert(at, html(backrefs, &range));
        }
        _ => body.push(html(backrefs, &range)),
    }
    out.extend(body);
    out.push(html("</li>\n".to_string(), &range));
}

fn backrefs(number: usize, count: usize, ids: IdStyle, labels: Option<&RendererWords>) -> String {
    let n = number.to_string();
    (1..=count)
        .map(|nth| {
            let (mark, label) = if nth == 1 {
                let label = RendererWords::word(
                    labels,
                    "footnote_back",
                    "Back to reference {number}",
                    &[("number", &n)],
                );
                (String::new(), label)
            } else {
                let label = RendererWords::word(
                    labels,
                    "footnote_back_nth",
                    "Back to reference {number} ({nth})",
                    &[("number", &n), ("nth", &nth.to_string())],
                );
                (format!("<sup>{nth}</sup>"), label)
            };
            let label = escape(&label);
            format!(
                " <a href=\"#{}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"{label}\">↩\u{fe0e}{mark}</a>",
                ids.id(&reference_id(number, nth)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::MarkdownOptions;
    use crate::parse::markdown::events::parse;

    fn run(body: &str, ids: IdStyle) -> String {
        let events = render(parse(body, &MarkdownOptions::default()), ids, None);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        html
    }

    #[test]
    fn references_are_numbered_and_linked_both_ways() {
        let html = run(
            "A[^b] B[^a] C[^b].\n\n[^a]: Note a.\n[^b]: Note b.\n",
            IdStyle::full(None),
        );
        assert!(html.starts_with(concat!(
            "<p>A<sup class=\"footnote-reference\"><a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\">1</a></sup>",
            " B<sup class=\"footnote-reference\"><a href=\"#fn-2\" id=\"fnref-2\" role=\"doc-noteref\">2</a></sup>",
            " C<sup class=\"footnote-reference\"><a href=\"#fn-1\" id=\"fnref-1-2\" role=\"doc-noteref\">1</a></sup>.</p>\n",
        )), "{html}");
        let section = &html[html.find("<section").unwrap_or(0)..];
        // Note b is referenced first, so it is number 1 and listed first.
        assert!(
            section.find("Note b.").unwrap_or(usize::MAX) < section.find("Note a.").unwrap_or(0)
        );
        assert!(section.contains(
            "<li id=\"fn-1\">\n<p>Note b. <a href=\"#fnref-1\" class=\"footnote-backref\""
        ));
        assert!(section.contains("<a href=\"#fnref-1-2\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to reference 1 (2)\">↩\u{fe0e}<sup>2</sup></a></p>"));
        assert!(section.ends_with("</li>\n</ol>\n</section>\n"), "{section}");
    }

    #[test]
    fn prefixed_ids() {
        let html = run("A[^n].\n\n[^n]: Note.\n", IdStyle::full(Some("p")));
        assert!(html.contains("href=\"#p-fn-1\" id=\"p-fnref-1\""), "{html}");
        assert!(html.contains("<li id=\"p-fn-1\">"), "{html}");
        assert!(html.contains("href=\"#p-fnref-1\""), "{html}");
    }

    #[test]
    fn hidden_ids_drop_footnotes() {
        assert_eq!(
            run("A[^n].\n\n[^n]: Note.\n", IdStyle::hidden()),
            "<p>A.</p>\n"
        );
    }
}
