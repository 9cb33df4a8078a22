//! Callouts: blockquotes whose first line is `[!tip]`, `[!question]`, `[!example]`,
//! `[!note]`, `[!warning]` or GitHub's `[!important]` and `[!caution]`, in any case
//! (optionally followed by a title, which may hold inline Markdown) in; [`Callout`] records
//! for `scan` and `<aside class="callout …">` markup for `render` out.
//!
//! pulldown-cmark splits `[!tip]` into several text events (`[`, `!tip`, `]`) because `[`
//! may open a link, so the marker is matched on the concatenated leading text.

use pulldown_cmark::{CowStr, Event, Tag};

use super::events::{Ev, html, matching_end, plain_text};
use super::ids::{Analysis, IdStyle};
use super::{Callout, CalloutKind};

impl CalloutKind {
    /// Lower-case name, as written in the marker and used in CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tip => "tip",
            Self::Question => "question",
            Self::Example => "example",
            Self::Note => "note",
            Self::Warning => "warning",
            Self::Important => "important",
            Self::Caution => "caution",
        }
    }

    /// The default title shown when the marker has none.
    pub fn label(self) -> &'static str {
        match self {
            Self::Tip => "Tip",
            Self::Question => "Question",
            Self::Example => "Example",
            Self::Note => "Note",
            Self::Warning => "Warning",
            Self::Important => "Important",
            Self::Caution => "Caution",
        }
    }

    /// A small inline SVG drawn with `currentColor`: emoji need a colour-emoji font, which
    /// many Linux desktops and headless browsers lack, and then show as empty boxes.
    fn icon(self) -> &'static str {
        match self {
            // a light bulb
            Self::Tip => concat!(
                "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\">",
                "<path fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" ",
                "d=\"M6 13.5h4M6.5 11h3c0-2 2.5-3 2.5-5.5a4 4 0 0 0-8 0C4 8 6.5 9 6.5 11z\"/></svg>"
            ),
            // a question mark in a circle
            Self::Question => concat!(
                "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\">",
                "<circle cx=\"8\" cy=\"8\" r=\"6.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
                "<path fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" ",
                "d=\"M6.2 6.3a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.1v.4\"/>",
                "<circle cx=\"8\" cy=\"11.6\" r=\".9\" fill=\"currentColor\"/></svg>"
            ),
            // a page with lines
            Self::Example => concat!(
                "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\">",
                "<path fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" ",
                "d=\"M3.5 1.75h9v12.5h-9zM6 5.5h4M6 8h4M6 10.5h2.5\"/></svg>"
            ),
            // an i in a circle
            Self::Note => concat!(
                "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\">",
                "<circle cx=\"8\" cy=\"8\" r=\"6.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
                "<path stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" d=\"M8 7.2v4.3\"/>",
                "<circle cx=\"8\" cy=\"4.8\" r=\".9\" fill=\"currentColor\"/></svg>"
            ),
            // an exclamation mark in a triangle
            Self::Warning => concat!(
                "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\">",
                "<path fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\" ",
                "d=\"M8 1.75 15 14.25H1z\"/>",
                "<path stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" d=\"M8 6v4\"/>",
                "<circle cx=\"8\" cy=\"12\" r=\".9\" fill=\"currentColor\"/></svg>"
            ),
            // a speech bubble with an exclamation mark
            Self::Important => concat!(
                "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\">",
                "<path fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\" ",
                "d=\"M2 2.75h12v8.5H7.5L4.5 14v-2.75H2z\"/>",
                "<path stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" d=\"M8 4.6v3.2\"/>",
                "<circle cx=\"8\" cy=\"9.6\" r=\".85\" fill=\"currentColor\"/></svg>"
            ),
            // an exclamation mark in an octagon (a stop sign)
            Self::Caution => concat!(
                "<svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" focusable=\"false\">",
                "<path fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linejoin=\"round\" ",
                "d=\"M5.2 1.75h5.6l3.45 3.45v5.6l-3.45 3.45H5.2L1.75 10.8V5.2z\"/>",
                "<path stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" d=\"M8 4.75v3.75\"/>",
                "<circle cx=\"8\" cy=\"11\" r=\".9\" fill=\"currentColor\"/></svg>"
            ),
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [
            Self::Tip,
            Self::Question,
            Self::Example,
            Self::Note,
            Self::Warning,
            Self::Important,
            Self::Caution,
        ]
        .into_iter()
        .find(|kind| kind.as_str().eq_ignore_ascii_case(name))
    }
}

pub use crate::config::RendererWords;

impl RendererWords {
    /// The site's word for `key` (one of [`RendererWords::WORDS`]: text binder writes
    /// itself, not a template), else `english`, with each `{name}` filled from `args`. The
    /// same table as the callout titles: the theme's words.
    pub fn word(labels: Option<&Self>, key: &str, english: &str, args: &[(&str, &str)]) -> String {
        let mut out = labels
            .and_then(|l| l.0.get(key))
            .map_or(english, String::as_str)
            .to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The site's plural form of `key` for `category` (`one`, `other`…, as
    /// `render::i18n::plural_category` picks it), else its `other` form, else
    /// `english[category == "one"]`; `{count}` and each `{name}` filled from `args`.
    pub fn counted(
        labels: Option<&Self>,
        key: &str,
        (category, count): (&str, usize),
        (english_one, english_other): (&str, &str),
        args: &[(&str, &str)],
    ) -> String {
        let english = if category == "one" {
            english_one
        } else {
            english_other
        };
        let found = labels.and_then(|l| {
            l.0.get(&format!("{key}.{category}"))
                .or_else(|| l.0.get(&format!("{key}.other")))
        });
        let count = count.to_string();
        let mut all = vec![("count", count.as_str())];
        all.extend_from_slice(args);
        Self::word(None, "", found.map_or(english, String::as_str), &all)
    }

    /// The keys with plural forms that [`RendererWords::counted`] looks up; stored as
    /// `key.one`, `key.other`….
    pub const PLURAL_WORDS: [&'static str; 4] = [
        "concept_map_desc",
        "concept_map_only",
        "n_articles",
        "n_shared_articles",
    ];

    /// The keys [`RendererWords::word`] looks up.
    pub const WORDS: [&'static str; 12] = [
        "anchor_label",
        "footnotes_label",
        "footnote_back",
        "footnote_back_nth",
        "task_done",
        "task_open",
        "feed_title_section",
        "feed_title_term",
        "moved_title",
        "moved_text",
        "concept_map_title",
        "concept_map_edge",
    ];

    /// The title shown for a callout of `kind` that has none of its own.
    pub fn label(&self, kind: CalloutKind) -> &str {
        self.0
            .get(kind.as_str())
            .map_or(kind.label(), String::as_str)
    }

    /// Every kind binder knows.
    pub fn kinds() -> [CalloutKind; 7] {
        [
            CalloutKind::Tip,
            CalloutKind::Question,
            CalloutKind::Example,
            CalloutKind::Note,
            CalloutKind::Warning,
            CalloutKind::Important,
            CalloutKind::Caution,
        ]
    }
}

/// A callout blockquote taken apart.
struct Split<'a> {
    kind: CalloutKind,
    /// Inline events of the marker line after `[!kind]`, leading space trimmed.
    title: Vec<Ev<'a>>,
    /// Index where the body continues.
    resume: usize,
    /// The first paragraph had more lines: the body must reopen it.
    reopen_paragraph: bool,
    /// Index of the blockquote's `End`.
    end: usize,
}

/// Recognises the callout starting at `start` (a blockquote `Start`), if it is one.
fn split<'a>(events: &[Ev<'a>], start: usize) -> Option<Split<'a>> {
    if !matches!(
        events.get(start + 1),
        Some((Event::Start(Tag::Paragraph), _))
    ) {
        return None;
    }
    let paragraph_end = matching_end(events, start + 1)?;
    let (kind, rest, after_marker) = marker(events, start + 2)?;
    let line_end = first_line_end(events, after_marker, paragraph_end);
    let mut title = vec![(Event::Text(CowStr::from(rest)), events[start].1.clone())];
    title.extend(events[after_marker..line_end].iter().cloned());
    trim_leading_space(&mut title);
    let reopen_paragraph = line_end < paragraph_end;
    Some(Split {
        kind,
        title,
        resume: line_end + 1,
        reopen_paragraph,
        end: matching_end(events, start)?,
    })
}

/// Drops the space between `[!kind]` and the title, wherever the parser split the text.
fn trim_leading_space(title: &mut Vec<Ev<'_>>) {
    while let Some((Event::Text(text), _)) = title.first_mut() {
        let trimmed = text.trim_start();
        if !trimmed.is_empty() {
            *text = CowStr::from(trimmed.to_string());
            return;
        }
        title.remove(0);
    }
}

/// Matches `[!kind]` on the text events from `from`; returns the kind, the text left over
/// after the marker and the index of the first event not consumed.
fn marker(events: &[Ev<'_>], from: usize) -> Option<(CalloutKind, String, usize)> {
    let mut text = String::new();
    let mut next = from;
    while let Some((Event::Text(chunk), _)) = events.get(next) {
        text.push_str(chunk);
        next += 1;
        if text.contains(']') {
            break;
        }
    }
    let name_and_rest = text.strip_prefix("[!")?;
    let (name, rest) = name_and_rest.split_once(']')?;
    let kind = CalloutKind::parse(name)?;
    Some((kind, rest.to_string(), next))
}

/// First line break at paragraph level, or the paragraph's end.
fn first_line_end(events: &[Ev<'_>], from: usize, paragraph_end: usize) -> usize {
    let mut depth = 0usize;
    for (index, (event, _)) in events.iter().enumerate().take(paragraph_end).skip(from) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if depth == 0 => return index,
            _ => {}
        }
    }
    paragraph_end
}

/// Every callout on the page, ids not yet assigned (see `ids::analyze`).
pub(super) fn collect(events: &[Ev<'_>]) -> Vec<Callout> {
    let mut callouts = Vec::new();
    for (index, (event, range)) in events.iter().enumerate() {
        if !matches!(event, Event::Start(Tag::BlockQuote(_))) {
            continue;
        }
        let Some(split) = split(events, index) else {
            continue;
        };
        let title = Some(plain_text(&split.title)).filter(|title| !title.is_empty());
        let body = plain_text(&events[split.resume.min(split.end)..split.end]);
        // A one-line question (`> [!question] How do I start?`) is its own text.
        let text = match (&title, body.is_empty()) {
            (Some(title), true) => title.clone(),
            _ => body,
        };
        callouts.push(Callout {
            kind: split.kind,
            title,
            id: String::new(),
            text,
            offset: range.start,
        });
    }
    callouts
}

/// Rewrites callout blockquotes into `<aside>` markup; other blockquotes pass through.
pub(super) fn render<'a>(
    events: Vec<Ev<'a>>,
    analysis: &Analysis,
    ids: IdStyle,
    labels: Option<&RendererWords>,
) -> Vec<Ev<'a>> {
    let english = RendererWords::default();
    let labels = labels.unwrap_or(&english);
    let mut out = Vec::with_capacity(events.len());
    let mut closes = Vec::new();
    let mut index = 0;
    while let Some((event, range)) = events.get(index) {
        if closes.last() == Some(&index) {
            closes.pop();
            out.push(html("</aside>\n".to_string(), range));
            index += 1;
            continue;
        }
        let found = match event {
            Event::Start(Tag::BlockQuote(_)) => analysis
                .callout_at(range.start)
                .and_then(|callout| Some((callout, split(&events, index)?))),
            _ => None,
        };
        match found {
            Some((callout, split)) => {
                push_opening(&mut out, callout, &split, (ids, labels), range);
                closes.push(split.end);
                index = split.resume;
            }
            None => {
                out.push((event.clone(), range.clone()));
                index += 1;
            }
        }
    }
    out
}

fn push_opening<'a>(
    out: &mut Vec<Ev<'a>>,
    callout: &Callout,
    split: &Split<'a>,
    (ids, labels): (IdStyle, &RendererWords),
    range: &std::ops::Range<usize>,
) {
    let kind = callout.kind;
    let label = match &callout.title {
        Some(title) => format!("{}: {title}", labels.label(kind)),
        None => labels.label(kind).to_string(),
    };
    out.push(html(
        format!(
            "<aside class=\"callout callout-{}\"{} role=\"note\" aria-label=\"{}\">\n\
             <p class=\"callout-title\"><span class=\"callout-icon\" aria-hidden=\"true\">{}</span>\
             <span class=\"callout-title-text\">",
            kind.as_str(),
            ids.attr(&callout.id),
            super::events::escape(&label),
            kind.icon(),
        ),
        range,
    ));
    if split.title.is_empty() {
        // Markup, not text: the default title is chrome and must not count as words.
        out.push(html(super::events::escape(labels.label(kind)), range));
    } else {
        out.extend(split.title.iter().cloned());
    }
    // One box for the title: as flex items, its text, links and code would each become a
    // column of their own.
    out.push(html("</span></p>\n".to_string(), range));
    if split.reopen_paragraph {
        out.push((Event::Start(Tag::Paragraph), range.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::MarkdownOptions;
    use crate::parse::markdown::events::parse;

    fn callouts(body: &str) -> Vec<Callout> {
        collect(&parse(body, &MarkdownOptions::default()))
    }

    #[test]
    fn every_kind_is_recognised_case_insensitively() {
        for (marker, kind) in [
            ("[!tip]", CalloutKind::Tip),
            ("[!QUESTION]", CalloutKind::Question),
            ("[!Example]", CalloutKind::Example),
            ("[!note]", CalloutKind::Note),
            ("[!warning]", CalloutKind::Warning),
        ] {
            let found = callouts(&format!("> {marker}\n> Body text.\n"));
            assert_eq!(found.len(), 1, "{marker}");
            assert_eq!(found[0].kind, kind);
            assert_eq!(found[0].title, None);
            assert_eq!(found[0].text, "Body text.");
        }
    }

    #[test]
    fn title_on_the_marker_line() {
        let found = callouts("> [!tip] Before the *meeting*\n> Read the notes.\n>\n> Twice.\n");
        assert_eq!(found[0].title.as_deref(), Some("Before the meeting"));
        assert_eq!(found[0].text, "Read the notes. Twice.");
        assert_eq!(found[0].offset, 0);
    }

    #[test]
    fn unknown_marker_and_plain_quotes_are_not_callouts() {
        assert!(callouts("> [!foo] Title\n> body\n").is_empty());
        assert!(callouts("> Just a quote [!tip]\n").is_empty());
        assert!(callouts("> [!tip](https://x.org)\n").is_empty());
    }

    #[test]
    fn one_line_question_is_its_own_text() {
        let found = callouts("> [!question] How do I start?\n");
        assert_eq!(found[0].title.as_deref(), Some("How do I start?"));
        assert_eq!(found[0].text, "How do I start?");
    }

    /// Renders `body`, resolving every link to `/r/<dest>`.
    fn rendered(body: &str) -> String {
        struct Everything;
        impl crate::parse::markdown::LinkResolver for Everything {
            fn resolve(
                &self,
                _: crate::parse::markdown::LinkKind,
                dest: &str,
                _: usize,
            ) -> Option<crate::parse::markdown::ResolvedLink> {
                Some(crate::parse::markdown::ResolvedLink {
                    href: format!("/r/{dest}"),
                    text: None,
                    plain: false,
                    embed: None,
                })
            }
        }
        let highlighter = crate::parse::highlight::Highlighter::new();
        let markdown = MarkdownOptions::default();
        let options = crate::parse::markdown::RenderOptions {
            markdown: &markdown,
            highlighter: &highlighter,
            id_prefix: None,
            renderer_words: None,
        };
        crate::parse::markdown::render(body, &options, &Everything).html
    }

    #[test]
    fn github_alerts_of_all_five_kinds_are_callouts() {
        for (marker, kind) in [
            ("[!NOTE]", CalloutKind::Note),
            ("[!TIP]", CalloutKind::Tip),
            ("[!IMPORTANT]", CalloutKind::Important),
            ("[!WARNING]", CalloutKind::Warning),
            ("[!CAUTION]", CalloutKind::Caution),
            ("[!Important]", CalloutKind::Important),
            ("[!caution]", CalloutKind::Caution),
        ] {
            let body = format!("> {marker}\n> Read this first.\n");
            let found = callouts(&body);
            assert_eq!(found.len(), 1, "{marker}");
            assert_eq!(found[0].kind, kind, "{marker}");
            assert_eq!(found[0].text, "Read this first.");
            let html = rendered(&body);
            let class = format!("<aside class=\"callout callout-{}\"", kind.as_str());
            assert!(html.contains(&class), "{marker}: {html}");
            assert!(html.contains("<svg"), "{marker} has an icon: {html}");
            assert!(
                html.contains(&format!(
                    "<span class=\"callout-title-text\">{}</span>",
                    kind.label()
                )),
                "{marker}: {html}"
            );
            assert!(html.contains("<p>Read this first.</p>"), "{marker}: {html}");
        }
    }

    #[test]
    fn callout_title_with_a_link_and_code_is_one_title() {
        let body = "> [!note] See [the guide](guide.md) and `make test` *first*\n> Body.\n";
        let found = callouts(body);
        assert_eq!(
            found[0].title.as_deref(),
            Some("See the guide and make test first")
        );
        let html = rendered(body);
        assert!(
            html.contains(
                "<span class=\"callout-title-text\">See <a href=\"/r/guide.md\">the guide</a> and <code>make test</code> <em>first</em></span></p>"
            ),
            "{html}"
        );
        assert!(
            html.contains("aria-label=\"Note: See the guide and make test first\""),
            "{html}"
        );
        assert!(html.contains("<p>Body.</p>"), "{html}");
    }

    #[test]
    fn nested_callout_inside_callout() {
        let found = callouts("> [!note]\n> Outer.\n>\n> > [!warning] Inner\n> > Careful.\n");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, CalloutKind::Note);
        assert_eq!(found[1].kind, CalloutKind::Warning);
        assert_eq!(found[1].text, "Careful.");
    }
}
