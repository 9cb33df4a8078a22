//! Obsidian's block ids: a paragraph or list item that ends in ` ^name` can be linked to as
//! `[[Note#^name]]` (and embedded as `![[Note#^name]]`). Parsed events in; the blocks that
//! carry one (for the id table) and events with the marker gone and the id on the block out.
//!
//! The marker is syntax, not text: it is never shown, counted as a word or put in a summary.
//! The block's own tag gets the id (`<p id="^name">`, `<li id="^name">`), so a link scrolls
//! to the block and an embed can cut it out by its id. A marker on a line of its own after a
//! table, quote or list is not read (binder cannot put an id on those): it stays text.

use pulldown_cmark::{CowStr, Event, Tag};

use super::events::{Ev, html, matching_end};
use super::ids::IdStyle;

/// A block with an id: where its `Start` event is (source offset) and the id (`^name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    pub(super) offset: usize,
    pub(super) id: String,
}

/// `text` without a trailing block marker, and the marker's id (`^name`).
fn split_marker(text: &str) -> Option<(&str, String)> {
    let trimmed = text.trim_end();
    let at = trimmed.rfind('^')?;
    let name = &trimmed[at + 1..];
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let before = &trimmed[..at];
    // ` ^name` after text; a paragraph that is only `^name` is the own-line form.
    (valid && before.ends_with([' ', '\t']) && !before.trim().is_empty())
        .then(|| (before.trim_end(), format!("^{name}")))
}

/// The event that ends a block's own text: the last before its `End` (a list item's text
/// stops where a nested list starts).
fn last_text_index(events: &[Ev<'_>], start: usize, end: usize) -> Option<usize> {
    let stop = events[start + 1..end]
        .iter()
        .position(|(e, _)| matches!(e, Event::Start(Tag::List(_) | Tag::Paragraph)))
        .map_or(end, |p| start + 1 + p);
    let last = stop.checked_sub(1).filter(|&i| i > start)?;
    matches!(events[last].0, Event::Text(_)).then_some(last)
}

/// The blocks of `events` that end in a block marker, in order (ids not yet unique).
pub(super) fn collect(events: &[Ev<'_>]) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, (event, range)) in events.iter().enumerate() {
        if !matches!(event, Event::Start(Tag::Paragraph | Tag::Item)) {
            continue;
        }
        let Some(end) = matching_end(events, i) else {
            continue;
        };
        let Some(last) = last_text_index(events, i, end) else {
            continue;
        };
        if let Event::Text(t) = &events[last].0 {
            if let Some((_, id)) = split_marker(t) {
                out.push(Block {
                    offset: range.start,
                    id,
                });
            }
        }
    }
    out
}

/// `events` with each marker of `blocks` removed and, unless ids are hidden, the block's
/// start tag written with its id.
pub(super) fn render<'a>(mut events: Vec<Ev<'a>>, blocks: &[Block], ids: IdStyle) -> Vec<Ev<'a>> {
    if blocks.is_empty() {
        return events;
    }
    for i in 0..events.len() {
        let Some(block) = blocks.iter().find(|b| b.offset == events[i].1.start) else {
            continue;
        };
        let tag = match &events[i].0 {
            Event::Start(Tag::Paragraph) => "p",
            Event::Start(Tag::Item) => "li",
            _ => continue,
        };
        let Some(end) = matching_end(&events, i) else {
            continue;
        };
        let Some(last) = last_text_index(&events, i, end) else {
            continue;
        };
        let Event::Text(t) = &events[last].0 else {
            continue;
        };
        let Some((kept, _)) = split_marker(t) else {
            continue;
        };
        events[last].0 = Event::Text(CowStr::from(kept.to_owned()));
        if ids.emits() {
            // Both tags are written here, so the stream stays balanced for any later pass.
            let (start_range, end_range) = (events[i].1.clone(), events[end].1.clone());
            events[i] = html(format!("<{tag}{}>", ids.attr(&block.id)), &start_range);
            events[end] = html(format!("</{tag}>\n"), &end_range);
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_is_a_space_caret_and_a_name_at_the_end() {
        assert_eq!(
            split_marker("The limit is 4 GB. ^publish-limit"),
            Some(("The limit is 4 GB.", "^publish-limit".into()))
        );
        assert_eq!(split_marker("x ^a1 \n").map(|m| m.1), Some("^a1".into()));
        assert_eq!(split_marker("2^10"), None, "no space before the caret");
        assert_eq!(split_marker("^alone"), None, "the own-line form");
        assert_eq!(split_marker("x ^"), None);
        assert_eq!(
            split_marker("x ^a_b"),
            None,
            "Obsidian allows letters, digits and -"
        );
    }
}
