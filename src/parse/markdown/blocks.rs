//! Obsidian's block ids: a paragraph or list item that ends in ` ^name` can be linked to as
//! `[[Note#^name]]` (and embedded as `![[Note#^name]]`). Parsed events in; the blocks that
//! carry one (for the id table) and events with the marker gone and the id on the block out.
//!
//! The marker is syntax, not text: it is never shown, counted as a word or put in a summary.
//! The block's own tag gets the id (`<p id="^name">`, `<li id="^name">`), so a link scrolls
//! to the block and an embed can cut it out by its id. A marker on the block's last line of
//! its own (`![[chart.png]]` then `^chart` below it, or a callout's lazy last line) marks
//! the same block; after a blank line, as a paragraph alone, it is not read and stays text.

use pulldown_cmark::{CowStr, Event, Tag};

use super::events::{Ev, html, matching_end};
use super::ids::IdStyle;

/// A block with an id: where its marker's text event starts (source offset: later passes
/// may rebuild the block's tags, as callouts do, but keep its text) and the id (`^name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    pub(super) text_at: usize,
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

/// The block marker ending a block whose last text event is `last`: the text to keep and
/// the id, and whether the marker sits on a line of its own (after a line break event).
fn marker(events: &[Ev<'_>], start: usize, last: usize) -> Option<(String, String, bool)> {
    let Event::Text(t) = &events[last].0 else {
        return None;
    };
    if let Some((kept, id)) = split_marker(t) {
        return Some((kept.to_owned(), id, false));
    }
    let name = t.trim().strip_prefix('^')?;
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let after_break =
        last > start + 1 && matches!(events[last - 1].0, Event::SoftBreak | Event::HardBreak);
    (valid && after_break).then(|| (String::new(), format!("^{name}"), true))
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
    for (i, (event, _)) in events.iter().enumerate() {
        if !matches!(event, Event::Start(Tag::Paragraph | Tag::Item)) {
            continue;
        }
        let Some(end) = matching_end(events, i) else {
            continue;
        };
        let Some(last) = last_text_index(events, i, end) else {
            continue;
        };
        if let Some((_, id, _)) = marker(events, i, last) {
            out.push(Block {
                text_at: events[last].1.start,
                id,
            });
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
    for last in 0..events.len() {
        if !matches!(events[last].0, Event::Text(_)) {
            continue;
        }
        let Some(block) = blocks.iter().find(|b| b.text_at == events[last].1.start) else {
            continue;
        };
        let Some(start) = enclosing_block(&events, last) else {
            continue;
        };
        let Some(end) = matching_end(&events, start) else {
            continue;
        };
        if last_text_index(&events, start, end) != Some(last) {
            continue;
        }
        let Some((kept, _, own_line)) = marker(&events, start, last) else {
            continue;
        };
        events[last].0 = Event::Text(CowStr::from(kept));
        if own_line {
            events[last - 1].0 = Event::Text(CowStr::Borrowed(""));
        }
        if ids.emits() {
            let tag = if matches!(events[start].0, Event::Start(Tag::Item)) {
                "li"
            } else {
                "p"
            };
            // Both tags are written here, so the stream stays balanced for any later pass.
            let (start_range, end_range) = (events[start].1.clone(), events[end].1.clone());
            events[start] = html(format!("<{tag}{}>", ids.attr(&block.id)), &start_range);
            events[end] = html(format!("</{tag}>\n"), &end_range);
        }
    }
    events
}

/// The paragraph or list item whose `Start` most closely encloses event `at`.
fn enclosing_block(events: &[Ev<'_>], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..at).rev() {
        match &events[i].0 {
            Event::End(_) => depth += 1,
            Event::Start(tag) if depth == 0 => {
                return matches!(tag, Tag::Paragraph | Tag::Item).then_some(i);
            }
            Event::Start(_) => depth -= 1,
            _ => {}
        }
    }
    None
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
