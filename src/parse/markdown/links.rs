//! Link inventory for `scan`: parsed events in, one [`LinkRef`] per internal link, image
//! and wikilink out, each with the sentence it sits in (for backlink excerpts).

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::events::{Ev, collapse_whitespace, is_external, is_word_boundary};
use super::{LinkKind, LinkRef};

/// Longest backlink excerpt, in characters.
const MAX_CONTEXT: usize = 240;

/// The kind of a link `Start`, or `None` for external links (and non-links).
pub(super) fn internal_kind(tag: &Tag<'_>) -> Option<LinkKind> {
    let (kind, dest) = match tag {
        Tag::Link {
            link_type: LinkType::Email,
            ..
        } => return None,
        Tag::Link {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        } => (LinkKind::Wiki, dest_url),
        Tag::Link { dest_url, .. } => (LinkKind::Link, dest_url),
        Tag::Image {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        } if is_note_name(dest_url) => (LinkKind::Embed, dest_url),
        Tag::Image { dest_url, .. } => (LinkKind::Image, dest_url),
        _ => return None,
    };
    (!is_external(dest)).then_some(kind)
}

/// `![[Note]]` and `![[note.md#Part]]` embed a note; `![[chart.png]]` shows a file.
fn is_note_name(dest: &str) -> bool {
    let name = dest.split('#').next().unwrap_or(dest);
    let file = name.rsplit('/').next().unwrap_or(name);
    match file.rsplit_once('.') {
        Some((_, ext)) => ext.eq_ignore_ascii_case("md") || ext.contains(' ') || ext.is_empty(),
        None => true,
    }
}

/// A link whose label is still being read; `link` is `None` for external links, which are
/// tracked only so that nesting stays balanced.
struct Open {
    link: Option<LinkRef>,
    /// Byte position in the block text where the label starts.
    from: usize,
}

/// Every internal link in document order.
///
/// Text is accumulated per block (paragraph, list item, heading, cell); when a block ends,
/// each link in it gets the sentence around its label as context.
pub(super) fn collect(events: &[Ev<'_>]) -> Vec<LinkRef> {
    let mut links = Vec::new();
    let mut block = String::new();
    let mut open: Vec<Open> = Vec::new();
    // Finished links of the current block with their label span in `block`.
    let mut done: Vec<(LinkRef, usize, usize)> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(tag) if matches!(tag, Tag::Link { .. } | Tag::Image { .. }) => {
                open.push(Open {
                    link: start_link(tag, range.clone()),
                    from: block.len(),
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(Open {
                    link: Some(link),
                    from,
                }) = open.pop()
                {
                    done.push((link, from, block.len()));
                }
            }
            Event::Text(text) | Event::Code(text) => {
                block.push_str(text);
                for link in open.iter_mut().filter_map(|open| open.link.as_mut()) {
                    link.text.push_str(text);
                }
            }
            event if is_word_boundary(event) && open.is_empty() => {
                finish_block(&mut links, &mut done, &block);
                block.clear();
            }
            event if is_word_boundary(event) => block.push(' '),
            _ => {}
        }
    }
    finish_block(&mut links, &mut done, &block);
    links
}

/// A [`LinkRef`] (text and context still empty) for an internal link or image `Start`.
fn start_link(tag: &Tag<'_>, range: std::ops::Range<usize>) -> Option<LinkRef> {
    let kind = internal_kind(tag)?;
    let (dest, has_label) = match tag {
        Tag::Link {
            link_type: LinkType::WikiLink { has_pothole },
            dest_url,
            ..
        }
        | Tag::Image {
            link_type: LinkType::WikiLink { has_pothole },
            dest_url,
            ..
        } => (dest_url.to_string(), *has_pothole),
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => (dest_url.to_string(), true),
        _ => return None,
    };
    Some(LinkRef {
        kind,
        dest,
        range,
        text: String::new(),
        has_label,
        context: String::new(),
    })
}

fn finish_block(links: &mut Vec<LinkRef>, done: &mut Vec<(LinkRef, usize, usize)>, block: &str) {
    // Links close inside-out; restore document order.
    done.sort_by_key(|(link, _, _)| link.range.start);
    for (mut link, from, to) in done.drain(..) {
        link.text = collapse_whitespace(&link.text);
        link.context = sentence_around(block, from, to);
        links.push(link);
    }
}

/// The sentence containing `block[from..to]`, trimmed to [`MAX_CONTEXT`] characters
/// around the link if the sentence is long.
pub(super) fn sentence_around(block: &str, from: usize, to: usize) -> String {
    // A sentence ends at `.`, `!` or `?` followed by whitespace (so `3.5` and `e.g.x` do not).
    let ends_sentence = |(at, c): &(usize, char)| {
        matches!(c, '.' | '!' | '?') && block[at + 1..].starts_with(char::is_whitespace)
    };
    let start = block[..from]
        .char_indices()
        .rev()
        .find(ends_sentence)
        .map_or(0, |(at, _)| at + 1);
    let end = block[to..]
        .char_indices()
        .map(|(at, c)| (to + at, c))
        .find(ends_sentence)
        .map_or(block.len(), |(at, _)| at + 1);
    let sentence = collapse_whitespace(&block[start..end]);
    if sentence.chars().count() <= MAX_CONTEXT {
        return sentence;
    }
    let label = collapse_whitespace(&block[from..to]);
    window(&sentence, &label)
}

/// About [`MAX_CONTEXT`] characters of `sentence` centred on `label`, with ellipses.
fn window(sentence: &str, label: &str) -> String {
    let chars: Vec<char> = sentence.chars().collect();
    let label_at = sentence
        .find(label)
        .map_or(0, |byte| sentence[..byte].chars().count());
    let margin = MAX_CONTEXT.saturating_sub(label.chars().count()) / 2;
    let from = label_at.saturating_sub(margin);
    let to = (from + MAX_CONTEXT).min(chars.len());
    let mut excerpt: String = chars[from..to].iter().collect();
    excerpt = excerpt.trim().to_string();
    if from > 0 {
        excerpt.insert(0, '…');
    }
    if to < chars.len() {
        excerpt.push('…');
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::MarkdownOptions;
    use crate::parse::markdown::events::parse;

    fn links(body: &str) -> Vec<LinkRef> {
        collect(&parse(body, &MarkdownOptions::default()))
    }

    #[test]
    fn context_is_the_sentence_around_the_link() {
        let found = links("First one. Then see [the guide](guide.md) for more! Last one.\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "the guide");
        assert_eq!(found[0].context, "Then see the guide for more!");
    }

    #[test]
    fn context_stays_within_its_block() {
        let found = links("Intro.\n\n- item with [[Page]]\n- other item\n");
        assert_eq!(found[0].context, "item with Page");
    }

    #[test]
    fn long_sentences_are_windowed() {
        let filler = "word ".repeat(100);
        let body = format!("{filler}[target](t.md) {filler}\n");
        let found = links(&body);
        let context = &found[0].context;
        assert!(context.chars().count() <= MAX_CONTEXT + 2, "{context}");
        assert!(context.starts_with('…') && context.ends_with('…'));
        assert!(context.contains("target"));
    }

    #[test]
    fn image_inside_link_gives_two_refs_in_order() {
        let found = links("[![logo](logo.png)](home.md)\n");
        let kinds: Vec<_> = found.iter().map(|l| (l.kind, l.dest.as_str())).collect();
        assert_eq!(
            kinds,
            vec![(LinkKind::Link, "home.md"), (LinkKind::Image, "logo.png")]
        );
        assert_eq!(found[0].text, "logo");
    }

    #[test]
    fn embeds_of_notes_and_of_files() {
        let found =
            links("![[Ask for clarity]] ![[notes/a.md#Why]] ![[chart.png]] ![[v1. draft]]\n");
        let kinds: Vec<_> = found.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LinkKind::Embed,
                LinkKind::Embed,
                LinkKind::Image,
                LinkKind::Embed
            ]
        );
    }

    #[test]
    fn external_links_are_skipped() {
        let found = links("[a](https://x.org) <https://y.org> <me@x.org> [b](//cdn.x) [c](c.md)\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].dest, "c.md");
    }
}
