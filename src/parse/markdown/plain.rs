//! Plain text by heading section, for the search index: a body in; the words before the
//! first heading, then each heading with the words under it, out. Headings carry the same
//! ids `render` gives them, so a search hit can link straight to its section.

use pulldown_cmark::{Event, Tag};

use super::events::{matching_end, plain_text};
use super::ids::IdStyle;
use super::{Heading, MarkdownOptions, callout, prepare};

/// The words of one part of a body.
#[derive(Debug, Clone)]
pub struct TextSection {
    /// The heading that opens the part; `None` for the text before the first heading.
    pub heading: Option<Heading>,
    /// Plain text under the heading (not the heading itself), as [`super::Scan`] counts words.
    pub text: String,
}

/// Splits `body` into its intro and one [`TextSection`] per heading, in order.
pub fn text_sections(body: &str, opts: &MarkdownOptions) -> Vec<TextSection> {
    let prepared = prepare(body, opts);
    // Rendering callouts with hidden ids drops their `[!tip]` markers, as `scan` does.
    let events = callout::render(prepared.events, &prepared.analysis, IdStyle::hidden(), None);
    let mut out = Vec::new();
    let (mut heading, mut start, mut i) = (None, 0, 0);
    while i < events.len() {
        if let (Event::Start(Tag::Heading { .. }), range) = &events[i] {
            out.push(TextSection {
                heading,
                text: plain_text(&events[start..i]),
            });
            heading = prepared.analysis.heading_at(range.start).cloned();
            i = matching_end(&events, i).map_or(events.len(), |end| end + 1);
            start = i;
            continue;
        }
        i += 1;
    }
    out.push(TextSection {
        heading,
        text: plain_text(&events[start..]),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_headings_with_their_ids() {
        let body = "Intro *words*.\n\n## First {#one}\n\nUnder one.\n\n> [!tip]\n> A tip.\n\n### Second\n\nUnder two.\n";
        let parts = text_sections(body, &MarkdownOptions::default());
        let summary: Vec<(Option<&str>, &str)> = parts
            .iter()
            .map(|p| (p.heading.as_ref().map(|h| h.id.as_str()), p.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (None, "Intro words."),
                (Some("one"), "Under one. A tip."),
                (Some("second"), "Under two.")
            ]
        );
        assert_eq!(
            parts[2].heading.as_ref().map(|h| h.text.as_str()),
            Some("Second")
        );
    }

    #[test]
    fn code_blocks_are_not_words() {
        let parts = text_sections(
            "Text.\n\n```rust\nfn main() {}\n```\n",
            &MarkdownOptions::default(),
        );
        assert_eq!(parts[0].text, "Text.");
    }
}
