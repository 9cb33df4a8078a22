//! Element ids: parsed events in, one page-wide id table (headings and callouts, keyed by
//! source offset) out, plus the slug rules and how ids are written (prefixed or hidden).
//!
//! `scan` and `render` both build this table from the same events, which is what
//! guarantees they agree on every id.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag};

use super::callout;
use super::events::{Ev, escape, matching_end, plain_text};
use super::{Callout, Heading};
use crate::config::HeadingIds;

/// Longest slug taken from callout text: questions can be whole sentences.
const MAX_CALLOUT_SLUG: usize = 60;

/// The id GitHub gives a heading (github-slugger, as github.com, Hugo and Docusaurus do):
/// lower-case; letters, marks and digits of every script, `-` and `_` kept; each ASCII
/// space → `-`; everything else (punctuation, symbols, emoji, other spaces) dropped.
/// `What's next?` → `whats-next`, `Café Über` → `café-über`, `日本語の見出し` stays as is.
/// May be empty.
pub(super) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == ' ' {
            slug.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' || is_mark(c) || is_connector(c) {
            slug.extend(c.to_lowercase());
        }
    }
    slug
}

/// Combining marks GitHub keeps (Unicode category M) that `char::is_alphanumeric` misses:
/// decomposed accents (`e` + U+0301) and the kana voicing marks. Marks of Indic and other
/// scripts are already alphabetic.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{3099}'..='\u{309A}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}')
}

/// Connector punctuation (category Pc) besides `_`: GitHub keeps it.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
            ..='\u{FE4F}' | '\u{FF3F}'
    )
}

/// The id of a heading with this text under `style` (before de-duplication).
pub fn heading_id(text: &str, style: HeadingIds) -> String {
    match style {
        HeadingIds::Github => slugify(text),
        HeadingIds::Slug => slug::slugify(text),
    }
}

/// [`slugify`] cut back to a word boundary so long sentences give readable ids.
fn short_slug(text: &str, max: usize) -> String {
    let slug = slugify(text);
    if slug.len() <= max {
        return slug;
    }
    let mut cut = max;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &slug[..cut];
    if slug[cut..].starts_with('-') {
        return head.to_string();
    }
    head.rfind('-')
        .map_or(head, |hyphen| &head[..hyphen])
        .trim_end_matches('-')
        .to_string()
}

/// Hands out ids unique within a page: a taken id gets `-1`, `-2`, … appended.
#[derive(Debug, Default)]
pub(super) struct IdAllocator {
    used: HashSet<String>,
}

impl IdAllocator {
    pub(super) fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

/// How a render writes ids: with an optional print-mode prefix, or not at all (summaries,
/// which are shown many to a page and must not clash).
#[derive(Debug, Clone, Copy)]
pub(super) struct IdStyle<'p> {
    emit: bool,
    prefix: Option<&'p str>,
}

impl<'p> IdStyle<'p> {
    /// Ids written, each as `{prefix}-{id}` when a prefix is given.
    pub(super) fn full(prefix: Option<&'p str>) -> Self {
        Self { emit: true, prefix }
    }

    /// No ids, no self-links, no footnotes.
    pub(super) fn hidden() -> Self {
        Self {
            emit: false,
            prefix: None,
        }
    }

    pub(super) fn emits(&self) -> bool {
        self.emit
    }

    /// The id as it appears in the page (escaped, prefixed).
    pub(super) fn id(&self, id: &str) -> String {
        match self.prefix {
            Some(prefix) => escape(&format!("{prefix}-{id}")),
            None => escape(id),
        }
    }

    /// ` id="…"`, or nothing when ids are hidden.
    pub(super) fn attr(&self, id: &str) -> String {
        if self.emit {
            format!(" id=\"{}\"", self.id(id))
        } else {
            String::new()
        }
    }
}

/// Everything on a page that owns an id, keyed by the offset of its `Start` event.
#[derive(Debug, Default)]
pub(super) struct Analysis {
    pub(super) headings: Vec<(usize, Heading)>,
    pub(super) callouts: Vec<Callout>,
    /// Blocks with an Obsidian block id (`^name`).
    pub(super) blocks: Vec<super::blocks::Block>,
}

impl Analysis {
    pub(super) fn heading_at(&self, offset: usize) -> Option<&Heading> {
        self.headings
            .iter()
            .find(|(start, _)| *start == offset)
            .map(|(_, heading)| heading)
    }

    pub(super) fn callout_at(&self, offset: usize) -> Option<&Callout> {
        self.callouts
            .iter()
            .find(|callout| callout.offset == offset)
    }
}

/// Assigns every id on the page, in a fixed order so scan and render agree: footnote ids
/// are reserved first, then explicit `{#id}`s (an author's anchor must not be bumped to
/// `-1` by an earlier heading's slug), then heading slugs, then callouts.
pub(super) fn analyze(events: &[Ev<'_>], style: HeadingIds) -> Analysis {
    let mut ids = IdAllocator::default();
    reserve_footnote_ids(events, &mut ids);
    let mut headings = collect_headings(events);
    for (_, heading, explicit) in headings.iter_mut() {
        if let Some(explicit) = explicit.take() {
            heading.id = ids.claim(&explicit);
        }
    }
    for (_, heading, _) in headings.iter_mut() {
        if heading.id.is_empty() {
            let slug = heading_id(&heading.text, style);
            heading.id = ids.claim(if slug.is_empty() { "section" } else { &slug });
        }
    }
    let callouts = callout::collect(events)
        .into_iter()
        .map(|mut callout| {
            callout.id = ids.claim(&callout_id_base(&callout));
            callout
        })
        .collect();
    let blocks = super::blocks::collect(events)
        .into_iter()
        .map(|mut block| {
            block.id = ids.claim(&block.id);
            block
        })
        .collect();
    Analysis {
        headings: headings
            .into_iter()
            .map(|(offset, h, _)| (offset, h))
            .collect(),
        callouts,
        blocks,
    }
}

/// Headings with their explicit id (if any) still separate, ids not yet assigned.
fn collect_headings(events: &[Ev<'_>]) -> Vec<(usize, Heading, Option<String>)> {
    let mut headings = Vec::new();
    for (index, (event, range)) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { level, id, .. }) = event {
            let end = matching_end(events, index).unwrap_or(events.len());
            let text = plain_text(&events[index + 1..end]);
            let heading = Heading {
                level: *level as u8,
                text,
                id: String::new(),
            };
            let explicit = id
                .as_ref()
                .map(|id| id.to_string())
                .filter(|id| !id.is_empty());
            headings.push((range.start, heading, explicit));
        }
    }
    headings
}

/// `fn-N`/`fnref-N` are generated by the footnote pass; keep headings off them.
fn reserve_footnote_ids(events: &[Ev<'_>], ids: &mut IdAllocator) {
    let count = events
        .iter()
        .filter(|(event, _)| matches!(event, Event::Start(Tag::FootnoteDefinition(_))))
        .count();
    for number in 1..=count {
        ids.claim(&format!("fn-{number}"));
        ids.claim(&format!("fnref-{number}"));
    }
}

/// Questions are deep-linked by their wording (`q-how-do-i-start`); other callouts by
/// title, falling back to their text, under their kind (`tip-before-the-meeting`).
fn callout_id_base(callout: &Callout) -> String {
    let (prefix, source) = match callout.kind {
        super::CalloutKind::Question => ("q", callout.text.as_str()),
        kind => (
            kind.as_str(),
            callout.title.as_deref().unwrap_or(&callout.text),
        ),
    };
    let slug = short_slug(source, MAX_CALLOUT_SLUG);
    if slug.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}-{slug}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slugify("Why it matters"), "why-it-matters");
        assert_eq!(slugify("What’s next?"), "whats-next");
        assert_eq!(slugify("What's next?"), "whats-next");
        assert_eq!(slugify("C++ & Rust_2024"), "c--rust_2024");
        assert_eq!(slugify("Café Über"), "café-über");
        assert_eq!(slugify("?!"), "");
    }

    #[test]
    fn github_ids_keep_every_script() {
        assert_eq!(slugify("日本語の見出し"), "日本語の見出し");
        assert_eq!(slugify("はじめに：概要"), "はじめに概要");
        // An ideographic space is not an ASCII space: GitHub drops it.
        assert_eq!(slugify("価値\u{3000}観"), "価値観");
        assert_eq!(slugify("Ärger über Öl"), "ärger-über-öl");
        // Decomposed accents keep their combining mark, as on github.com.
        assert_eq!(slugify("Cafe\u{301} menu"), "cafe\u{301}-menu");
        assert_eq!(slugify("Emoji 🎉 party"), "emoji--party");
        assert_eq!(slugify("a\tb"), "ab");
    }

    #[test]
    fn slug_style_is_ascii() {
        assert_eq!(heading_id("Café Über", HeadingIds::Slug), "cafe-uber");
        assert_eq!(heading_id("Café Über", HeadingIds::Github), "café-über");
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        let slug = short_slug(
            "How do you open a session when the client seems reluctant to talk at all",
            30,
        );
        assert_eq!(slug, "how-do-you-open-a-session-when");
        assert!(slug.len() <= 30);
    }

    #[test]
    fn allocator_appends_counters() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.claim("a"), "a");
        assert_eq!(ids.claim("a-1"), "a-1");
        assert_eq!(ids.claim("a"), "a-2");
        assert_eq!(ids.claim("a"), "a-3");
    }

    #[test]
    fn id_style_prefixes_and_hides() {
        assert_eq!(IdStyle::full(Some("p")).attr("x"), " id=\"p-x\"");
        assert_eq!(IdStyle::full(None).attr("x"), " id=\"x\"");
        assert_eq!(IdStyle::hidden().attr("x"), "");
    }
}
