//! Shared plumbing for the Markdown passes: a body in, pulldown-cmark events paired with
//! their source byte ranges out, plus the plain-text and structure helpers every pass needs.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::MarkdownOptions;
pub(super) use crate::html::escape;

/// One parser event with the byte range of the source it came from.
///
/// Every pass keeps the range of the event it replaces, so offsets (for warnings and the
/// link resolver) and lookups by position stay valid down the whole chain.
pub(super) type Ev<'a> = (Event<'a>, Range<usize>);

/// The extensions binder supports. GFM is deliberately off: it would claim
/// `> [!NOTE]` blockquotes, and binder has its own, larger set of callouts.
pub(super) fn parser_options(opts: &MarkdownOptions) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if opts.wikilinks {
        options |= Options::ENABLE_WIKILINKS;
    }
    if opts.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Parses `body` into a vector, so passes can look ahead (callouts, images, code blocks).
///
/// Wikilinks must not change what standard Markdown means: where pulldown-cmark read
/// `[[…]]` as a wikilink but CommonMark has a link there (`[[1]](https://…)`, a link whose
/// text is `[1]`; `[[*foo* bar]]` when `[*foo* bar]` is a defined reference), the
/// CommonMark reading wins. `[[[foo]]]` stays `[` + wikilink + `]`, as in Obsidian.
///
/// A paragraph that is only a table-of-contents marker (GitLab's `[[_TOC_]]`, and `[TOC]`
/// of GitLab and Python-Markdown) is dropped: the theme shows the page's own table of
/// contents, so the marker is neither text nor a broken link.
pub(super) fn parse<'a>(body: &'a str, opts: &MarkdownOptions) -> Vec<Ev<'a>> {
    let options = parser_options(opts);
    let parser = Parser::new_ext(body, options);
    let has_refs = parser.reference_definitions().iter().next().is_some();
    let events: Vec<Ev<'a>> = parser.into_offset_iter().collect();
    let conflicts = wikilink_conflicts(body, &events, has_refs);
    let events = if conflicts.is_empty() {
        events
    } else {
        let standard: Vec<Ev<'a>> = Parser::new_ext(body, options - Options::ENABLE_WIKILINKS)
            .into_offset_iter()
            .collect();
        prefer_standard_links(events, &standard, &conflicts)
    };
    drop_toc_markers(body, events)
}

/// True for a table-of-contents marker of another tool, as a paragraph's whole source.
fn is_toc_marker(source: &str) -> bool {
    let s = source.trim();
    s.eq_ignore_ascii_case("[[_TOC_]]") || s.eq_ignore_ascii_case("[TOC]")
}

/// `events` without the paragraphs that are only a [`is_toc_marker`].
fn drop_toc_markers<'a>(body: &str, events: Vec<Ev<'a>>) -> Vec<Ev<'a>> {
    let marker = |(event, range): &Ev<'_>| {
        matches!(event, Event::Start(Tag::Paragraph))
            && range.len() <= 16
            && body.get(range.clone()).is_some_and(is_toc_marker)
    };
    if !events.iter().any(marker) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut skipping = false;
    for (event, range) in events {
        let ev = (event, range);
        if marker(&ev) {
            skipping = true;
            continue;
        }
        let (event, range) = ev;
        match &event {
            Event::End(TagEnd::Paragraph) if skipping => skipping = false,
            _ if skipping => {}
            _ => out.push((event, range)),
        }
    }
    out
}

/// Wikilinks that CommonMark may read differently: followed by `(` or `[` (an inline or
/// reference link around `[…]`), or, when the body defines references, any wikilink (its
/// label may be one).
fn wikilink_conflicts(body: &str, events: &[Ev<'_>], has_refs: bool) -> Vec<Range<usize>> {
    events
        .iter()
        .filter(|(event, range)| {
            matches!(
                event,
                Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    ..
                })
            ) && (has_refs || body[range.end..].starts_with(['(', '[']))
        })
        .map(|(_, range)| range.clone())
        .collect()
}

/// For each conflicting wikilink that the standard parse covers with a link, the events
/// of the standard parse over that stretch of source replace those of the wikilink parse.
fn prefer_standard_links<'a>(
    mut events: Vec<Ev<'a>>,
    standard: &[Ev<'a>],
    conflicts: &[Range<usize>],
) -> Vec<Ev<'a>> {
    for wiki in conflicts {
        let covering = standard.iter().find(|(event, range)| {
            matches!(event, Event::Start(Tag::Link { .. }))
                && range.start < wiki.end
                && wiki.start < range.end
        });
        let Some((_, link)) = covering else { continue };
        let window = settle_window(
            wiki.start.min(link.start)..wiki.end.max(link.end),
            &events,
            standard,
        );
        let inside = |r: &Range<usize>| window.start <= r.start && r.end <= window.end;
        let Some(at) = events.iter().position(|(_, r)| inside(r)) else {
            continue;
        };
        events.retain(|(_, r)| !inside(r));
        let replacement = standard.iter().filter(|(_, r)| inside(r)).cloned();
        events.splice(at..at, replacement);
    }
    events
}

/// Widens `window` until no event of either parse straddles its edges (containers that
/// hold the whole window, like the paragraph, are left out), so both sides of the swap
/// are balanced runs of events over exactly the same source.
fn settle_window(mut window: Range<usize>, a: &[Ev<'_>], b: &[Ev<'_>]) -> Range<usize> {
    loop {
        let before = window.clone();
        for (_, r) in a.iter().chain(b) {
            let overlaps = r.start < window.end && window.start < r.end;
            let contains = r.start <= window.start && window.end <= r.end;
            if overlaps && !contains {
                window = window.start.min(r.start)..window.end.max(r.end);
            }
        }
        if window == before {
            return window;
        }
    }
}

/// A trusted HTML fragment produced by a pass (never user HTML: that goes through the
/// raw-HTML policy first).
pub(super) fn html<'a>(markup: String, range: &Range<usize>) -> Ev<'a> {
    (Event::Html(CowStr::from(markup)), range.clone())
}

/// Index of the `End` matching the `Start` at `start`; `None` if `start` is not a `Start`
/// or the stream is cut short.
pub(super) fn matching_end(events: &[Ev<'_>], start: usize) -> Option<usize> {
    if !matches!(events.get(start), Some((Event::Start(_), _))) {
        return None;
    }
    let mut depth = 0usize;
    for (index, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// If `events[index]` starts a tag that `wanted` accepts: that tag and the index of its
/// `End`. Checking the tag first keeps passes from scanning every element for its end.
pub(super) fn element<'e, 'a>(
    events: &'e [Ev<'a>],
    index: usize,
    wanted: fn(&Tag<'a>) -> bool,
) -> Option<(&'e Tag<'a>, usize)> {
    match events.get(index) {
        Some((Event::Start(tag), _)) if wanted(tag) => Some((tag, matching_end(events, index)?)),
        _ => None,
    }
}

/// Appends an `End` for every `Start` left open, so a cut-off prefix (the summary) is
/// still a well-formed event stream.
pub(super) fn close_open(events: &mut Vec<Ev<'_>>) {
    let mut open: Vec<(TagEnd, Range<usize>)> = Vec::new();
    for (event, range) in events.iter() {
        match event {
            Event::Start(tag) => open.push((tag.to_end(), range.clone())),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    while let Some((end, range)) = open.pop() {
        events.push((Event::End(end), range));
    }
}

/// Inline tags live inside a line of text; everything else is a block boundary.
pub(super) fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// True for events that separate words in plain text (breaks and block boundaries).
pub(super) fn is_word_boundary(event: &Event<'_>) -> bool {
    match event {
        Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        Event::Start(tag) => !is_inline(tag),
        Event::End(end) => !is_inline_end(end),
        _ => false,
    }
}

/// Visible text of `events` with whitespace collapsed: text and inline code, but not code
/// blocks, HTML or footnote markers (what a reader would call "the words").
pub(super) fn plain_text(events: &[Ev<'_>]) -> String {
    let mut text = String::new();
    let mut in_code_block = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(chunk) | Event::Code(chunk) if !in_code_block => text.push_str(chunk),
            event if is_word_boundary(event) => text.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&text)
}

pub(super) fn collapse_whitespace(text: &str) -> String {
    // One pass into one buffer: this runs for every heading, link and summary of the site.
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Number of words in [`plain_text`]`(events)`, counted without building the text (the
/// scan pass counts every body of the site).
pub(super) fn word_count(events: &[Ev<'_>]) -> usize {
    let mut count = 0;
    let mut in_word = false;
    let mut in_code_block = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(chunk) | Event::Code(chunk) if !in_code_block => {
                // Chunks join without a separator in the plain text, so a word may continue
                // from one chunk into the next (`**bo**ld`).
                let bytes = chunk.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    // ASCII without decoding (most text); the rest char by char.
                    let white = if bytes[i].is_ascii() {
                        i += 1;
                        matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
                    } else {
                        let c = chunk[i..].chars().next().unwrap_or(' ');
                        i += c.len_utf8();
                        c.is_whitespace()
                    };
                    if white {
                        in_word = false;
                    } else if !in_word {
                        in_word = true;
                        count += 1;
                    }
                }
            }
            event if is_word_boundary(event) => in_word = false,
            _ => {}
        }
    }
    count
}

/// External destinations are left alone: anything with a URL scheme (`https:`, `mailto:`)
/// or protocol-relative (`//host`). A colon followed by a space is prose, not a scheme, so
/// `[[Meeting: kickoff]]` stays an internal wikilink.
pub(super) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some((scheme, rest)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !rest.starts_with(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(body: &str) -> Vec<Ev<'_>> {
        parse(body, &MarkdownOptions::default())
    }

    fn html_of(body: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events(body).into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn table_of_contents_markers_are_dropped() {
        let opts = MarkdownOptions::default();
        for body in [
            "[[_TOC_]]\n\nText.",
            "[TOC]\n\nText.",
            "  [[_toc_]]  \n\nText.",
        ] {
            let events = parse(body, &opts);
            let links = events
                .iter()
                .filter(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
                .count();
            let paragraphs = events
                .iter()
                .filter(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))
                .count();
            assert_eq!((links, paragraphs), (0, 1), "{body}: {events:?}");
        }
        // Inside a sentence it is text (or a link), as before.
        let events = parse("See [TOC] here.", &opts);
        assert!(
            events
                .iter()
                .any(|(e, _)| matches!(e, Event::Text(t) if t.contains("TOC")))
        );
    }

    #[test]
    fn without_wikilinks_double_brackets_are_text() {
        let opts = MarkdownOptions {
            wikilinks: false,
            ..MarkdownOptions::default()
        };
        let mut out = String::new();
        let body = "Use [[menu.main]] in hugo.toml, or ![[x]].\n";
        pulldown_cmark::html::push_html(&mut out, parse(body, &opts).into_iter().map(|(e, _)| e));
        assert_eq!(out, "<p>Use [[menu.main]] in hugo.toml, or ![[x]].</p>\n");
    }

    #[test]
    fn a_link_whose_text_is_in_brackets_is_not_a_wikilink() {
        assert_eq!(
            html_of("See [[1]](https://x.org/a) and [[Page]].\n"),
            "<p>See <a href=\"https://x.org/a\">[1]</a> and <a href=\"Page\">Page</a>.</p>\n"
        );
        assert_eq!(
            html_of("Cite [[2]](https://x.org/b \"T\") now\n"),
            "<p>Cite <a href=\"https://x.org/b\" title=\"T\">[2]</a> now</p>\n"
        );
    }

    #[test]
    fn a_defined_reference_wins_over_a_wikilink() {
        assert_eq!(
            html_of("[[*foo* bar]]\n\n[*foo* bar]: /url \"title\"\n"),
            "<p>[<a href=\"/url\" title=\"title\"><em>foo</em> bar</a>]</p>\n"
        );
        // Without the definition it is a wikilink.
        assert_eq!(
            html_of("[[foo bar]]\n\n[other]: /url\n"),
            "<p><a href=\"foo%20bar\">foo bar</a></p>\n"
        );
    }

    #[test]
    fn triple_brackets_keep_the_outer_pair_as_text() {
        assert_eq!(html_of("[[[foo]]]\n"), "<p>[<a href=\"foo\">foo</a>]</p>\n");
    }

    #[test]
    fn external_destinations() {
        for dest in [
            "https://x.org",
            "mailto:a@b.c",
            "tel:+123",
            "//cdn.x/y",
            "ftp:x",
        ] {
            assert!(is_external(dest), "{dest}");
        }
        for dest in [
            "notes/a.md",
            "#intro",
            "Meeting: kickoff",
            "../x.png",
            "a.md#b",
            "",
        ] {
            assert!(!is_external(dest), "{dest}");
        }
    }

    #[test]
    fn plain_text_joins_blocks_and_skips_code_blocks() {
        let body = "# Title\n\nSome *em*phasis and `code`.\n\n```\nnot words\n```\n\n- a\n- b\n";
        assert_eq!(
            plain_text(&events(body)),
            "Title Some emphasis and code. a b"
        );
    }

    #[test]
    fn word_count_matches_the_plain_text() {
        for body in [
            "# Title\n\nSome *em*phasis and `code`.\n\n```\nnot words\n```\n\n- a\n- b\n",
            "**bo**ld   words\nover a soft break, and a hard  \nbreak\n\n| a | b |\n|---|---|\n| c d | e |\n",
            "",
            "   \n\n",
            "Unicode\u{a0}spaces and tabs\there\n\n> quoted *text*\n",
            "vertical\u{b}tab, form\u{c}feed, ünïcödé wörds\u{85}next\u{2003}em 日本語 テキスト\n",
        ] {
            let evs = events(body);
            let expected = plain_text(&evs).split_whitespace().count();
            assert_eq!(word_count(&evs), expected, "{body:?}");
        }
    }

    #[test]
    fn collapse_whitespace_joins_words_with_single_spaces() {
        assert_eq!(collapse_whitespace("  a \n\t b  c "), "a b c");
        assert_eq!(collapse_whitespace(" \n "), "");
    }

    #[test]
    fn matching_end_skips_nested_blocks() {
        let evs = events("> > inner\n\nafter\n");
        let end = matching_end(&evs, 0).expect("balanced");
        assert!(matches!(evs[end].0, Event::End(TagEnd::BlockQuote(_))));
        assert!(matches!(evs[end + 1].0, Event::Start(Tag::Paragraph)));
    }

    #[test]
    fn close_open_balances_a_prefix() {
        let evs = events("> para *em* text\n");
        let mut prefix: Vec<_> = evs[..4].to_vec(); // quote, para, text, emphasis start
        close_open(&mut prefix);
        let starts = prefix
            .iter()
            .filter(|(e, _)| matches!(e, Event::Start(_)))
            .count();
        let ends = prefix
            .iter()
            .filter(|(e, _)| matches!(e, Event::End(_)))
            .count();
        assert_eq!(starts, ends);
        assert!(matches!(
            prefix.last(),
            Some((Event::End(TagEnd::BlockQuote(_)), _))
        ));
    }

    #[test]
    fn escape_covers_attribute_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
        );
    }
}
