//! Summary selection: a page's parsed events in, the events of its summary out:
//! everything before the first `<!-- more -->`, or else the first paragraph that is body
//! text (not inside a quote/callout or a footnote).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::events::{Ev, close_open, matching_end};
use super::raw_html::is_more_marker;

/// Runs on the raw events, before the raw-HTML policy removes the marker.
pub(super) fn slice<'a>(events: &[Ev<'a>]) -> Vec<Ev<'a>> {
    match marker_index(events) {
        Some(index) => {
            let mut prefix = events[..index].to_vec();
            // The marker may sit inside a paragraph or list; close what it interrupts.
            close_open(&mut prefix);
            prefix
        }
        None => first_paragraph(events).to_vec(),
    }
}

fn marker_index(events: &[Ev<'_>]) -> Option<usize> {
    events.iter().position(|(event, _)| match event {
        Event::Html(html) | Event::InlineHtml(html) => is_more_marker(html),
        _ => false,
    })
}

fn first_paragraph<'e, 'a>(events: &'e [Ev<'a>]) -> &'e [Ev<'a>] {
    let mut nested = 0usize;
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => nested += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                nested = nested.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) if nested == 0 => {
                return match matching_end(events, index) {
                    Some(end) => &events[index..=end],
                    None => &[],
                };
            }
            _ => {}
        }
    }
    &[]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::MarkdownOptions;
    use crate::parse::markdown::events::{parse, plain_text};

    fn summary(body: &str) -> String {
        plain_text(&slice(&parse(body, &MarkdownOptions::default())))
    }

    #[test]
    fn first_paragraph_skips_headings_and_quotes() {
        let body = "# Title\n\n> [!tip]\n> Not this.\n\nThis one.\n\nNot this either.\n";
        assert_eq!(summary(body), "This one.");
    }

    #[test]
    fn marker_takes_everything_before_it() {
        let body = "# Title\n\nOne.\n\nTwo.\n\n<!-- more -->\n\nThree.\n";
        assert_eq!(summary(body), "Title One. Two.");
    }

    #[test]
    fn inline_marker_closes_the_paragraph() {
        let events = slice(&parse(
            "Intro *in <!-- more --> the* rest.\n",
            &MarkdownOptions::default(),
        ));
        assert_eq!(plain_text(&events), "Intro in");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        assert_eq!(html, "<p>Intro <em>in </em></p>\n");
    }

    #[test]
    fn no_paragraph_no_summary() {
        assert_eq!(summary("# Only a title\n"), "");
    }
}
