//! Markdown: a page body (front matter already removed) in; a [`Scan`] (headings, links,
//! callouts, word count, summary text) for indexing, and [`Rendered`] HTML (body, summary,
//! warnings) for output.
//!
//! Rendering is a chain of small passes over `(Event, source range)` vectors, each in its
//! own submodule: raw-HTML policy → callouts → headings → link resolution → images → code
//! highlighting → footnotes → pulldown-cmark's HTML writer. `scan` and `render` derive ids
//! from the same table (`ids::analyze`), so they always agree.
//!
//! # CSS classes a theme must style
//!
//! ```text
//! a.heading-anchor         self-link at the end of every h1–h6 ("#", aria-labelled)
//! aside.callout            a callout (role="note", aria-label "Tip: <title>")
//! .callout-tip, .callout-question, .callout-example, .callout-note, .callout-warning,
//! .callout-important, .callout-caution
//! p.callout-title          first child of the aside: icon + title (default: the kind name)
//! span.callout-icon        the SVG icon before the title (aria-hidden)
//! span.callout-title-text  the title, with its inline Markdown (links, code, emphasis)
//! sup.footnote-reference   a footnote marker in the text; its <a> has role="doc-noteref"
//! section.footnotes        the numbered list of notes at the end of the body (ol > li#fn-N)
//! a.footnote-backref       the ↩ link(s) back from a note to its reference(s)
//! section.embed            an included note (`![[Note]]` on a line of its own)
//! p.embed-source           its first child: the link to the note
//! img[loading=lazy]        every Markdown image
//! pre.code …               code blocks: see `parse::highlight` for their classes
//! ```
//!
//! Ids: headings get GitHub-style slugs (or `{#explicit}`), callouts `q-<slug>` (questions)
//! or `<kind>-<slug>`, footnotes `fn-N` / `fnref-N`, blocks marked ` ^name` (Obsidian)
//! `^name`; all are unique within the page and all get `{prefix}-` in print mode.

pub use callout::RendererWords;
mod blocks;
mod callout;
mod code;
mod events;
mod footnotes;
mod heading;
mod ids;
mod links;
mod plain;
mod raw_html;
mod resolve;
mod summary;
mod title;
mod toc;

use std::ops::Range;

use serde::Serialize;

use crate::parse::highlight::Highlighter;
use events::{Ev, parse, plain_text};
use ids::{Analysis, IdStyle};

pub use ids::heading_id;
pub use plain::{TextSection, text_sections};
pub use title::leading_h1;
pub use toc::toc;

/// Markdown features that can be switched per site; they live in the config
/// ([`crate::config::Config::markdown_options`]).
pub use crate::config::MarkdownOptions;

/// What kind of reference a [`LinkRef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`, reference links and autolinks.
    Link,
    /// `![alt](dest)` and `![[file.png]]`.
    Image,
    /// `[[Target]]`, `[[Target|label]]`, `[[Target#Heading]]`.
    Wiki,
    /// `![[Note]]`: an Obsidian embed of a note (`![[file.png]]` is an [`LinkKind::Image`]).
    Embed,
}

/// An internal link, image or wikilink found by [`scan`].
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Link, image or wikilink.
    pub kind: LinkKind,
    /// Destination as written; for wikilinks the target incl. `#fragment`, without `|label`.
    pub dest: String,
    /// Byte range of the whole link in the body.
    pub range: Range<usize>,
    /// Plain text of the label (for unlabeled wikilinks, the target).
    pub text: String,
    /// Wikilink written with `|label`; always true for links and images.
    pub has_label: bool,
    /// Plain-text sentence around the link, label included, at most ~240 characters.
    pub context: String,
}

/// A heading: level 1–6, plain text, and its id (unique in the page).
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    /// 1 for `#`, 6 for `######`.
    pub level: u8,
    /// Plain text, markup removed.
    pub text: String,
    /// `{#explicit}` id or slug of the text; never empty.
    pub id: String,
}

/// The callout kinds binder understands (`> [!tip]`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CalloutKind {
    /// `[!tip]`: a practical suggestion.
    Tip,
    /// `[!question]`: a question worth asking; collected into the question bank.
    Question,
    /// `[!example]`: a worked example or story.
    Example,
    /// `[!note]`: background or an aside.
    Note,
    /// `[!warning]`: a pitfall.
    Warning,
    /// `[!important]` (GitHub): what a reader must not miss.
    Important,
    /// `[!caution]` (GitHub): what can go badly wrong.
    Caution,
}

/// A callout found by [`scan`].
#[derive(Debug, Clone, Serialize)]
pub struct Callout {
    /// Which marker was used.
    pub kind: CalloutKind,
    /// Text after the marker on its line, if any.
    pub title: Option<String>,
    /// Element id (`q-…` for questions), unique in the page.
    pub id: String,
    /// Plain text of the body; a one-line callout's title (a question) when it has no body.
    pub text: String,
    /// Byte offset of the callout in the body.
    pub offset: usize,
}

/// Everything binder needs to know about a body before rendering anything.
#[derive(Debug, Clone)]
pub struct Scan {
    /// All headings in order.
    pub headings: Vec<Heading>,
    /// Internal links/images/wikilinks (external URLs skipped; `#fragment`s kept).
    pub links: Vec<LinkRef>,
    /// All callouts in order.
    pub callouts: Vec<Callout>,
    /// Ids of the blocks marked with an Obsidian block id (`^name`), in order.
    pub blocks: Vec<String>,
    /// Whitespace-separated words outside code blocks.
    pub word_count: usize,
    /// Plain text of the summary, for meta descriptions and feeds.
    pub summary_text: String,
    /// The body has at least one fenced or indented code block.
    pub has_code: bool,
}

/// The resolver's answer for one link.
#[derive(Debug, Clone, Default)]
pub struct ResolvedLink {
    /// Where the link should point in the output.
    pub href: String,
    /// Replaces the label of a wikilink written without `|label` (e.g. the page title).
    pub text: Option<String>,
    /// Write the label as plain text, without a link (a link that could not be resolved).
    pub plain: bool,
    /// For an embed (`![[Note]]`) the resolver includes: the key the render stage splices
    /// the note's body in by (see [`embed_marker`]). `None` shows the embed as a link.
    pub embed: Option<String>,
}

/// How deep embeds nest: a note embedded in a note … embedded in the page, this many times;
/// deeper (and repeated) notes are shown as the link at the top of their box.
pub const EMBED_DEPTH: usize = 4;

/// The placeholder a body holds where the embedded note `key` goes; the render stage
/// replaces it with the note's body when a page is shown (so an edit of the note shows in
/// every page that embeds it).
pub fn embed_marker(key: &str) -> String {
    format!("<!--binder:embed {}-->", events::escape(key))
}

/// Maps internal destinations to output URLs; implemented by the site model.
pub trait LinkResolver {
    /// `offset` is [`LinkRef::range`]`.start`; `None` writes `dest` unchanged.
    fn resolve(&self, kind: LinkKind, dest: &str, offset: usize) -> Option<ResolvedLink>;
}

/// The warning for an image without alt text (one per image; builds fold them when there
/// are many, see [`crate::diag::fold_repeats`]).
pub const NO_ALT_TEXT: &str = "image has no alt text";

/// Settings for one [`render`] call.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Site-wide Markdown options (must match those given to [`scan`]).
    pub markdown: &'a MarkdownOptions,
    /// Highlighter for code blocks.
    pub highlighter: &'a Highlighter,
    /// Print mode: every id the body emits becomes `{prefix}-{id}`.
    pub id_prefix: Option<&'a str>,
    /// Default callout titles in the site's language (English when `None`).
    pub renderer_words: Option<&'a RendererWords>,
}

/// One entry of a nested table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// Heading level.
    pub level: u8,
    /// Heading id (unprefixed).
    pub id: String,
    /// Heading plain text.
    pub title: String,
    /// Deeper headings until the next one at this level or above.
    pub children: Vec<TocEntry>,
}

/// A problem in the body worth telling the author about; the page still renders.
#[derive(Debug, Clone)]
pub struct Warning {
    /// Byte offset in the body.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Output of [`render`].
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The full body.
    pub html: String,
    /// The summary (before `<!-- more -->`, else the first paragraph), without any ids.
    pub summary_html: String,
    /// Problems found while rendering, in source order.
    pub warnings: Vec<Warning>,
}

/// A body parsed and policed, with its id table and summary slice.
struct Prepared<'a> {
    events: Vec<Ev<'a>>,
    summary: Vec<Ev<'a>>,
    analysis: Analysis,
}

fn prepare<'a>(body: &'a str, opts: &MarkdownOptions) -> Prepared<'a> {
    let raw = parse(body, opts);
    // The summary is cut before the policy pass, which removes the `<!-- more -->` marker.
    let summary = raw_html::apply(summary::slice(&raw), opts.allow_raw_html);
    let events = raw_html::apply(raw, opts.allow_raw_html);
    let analysis = ids::analyze(&events, opts.heading_ids);
    Prepared {
        events,
        summary,
        analysis,
    }
}

/// Collects what indexing needs from a body without producing HTML.
pub fn scan(body: &str, opts: &MarkdownOptions) -> Scan {
    let Prepared {
        events,
        summary,
        analysis,
    } = prepare(body, opts);
    let has_code = events.iter().any(|(event, _)| {
        matches!(
            event,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(_))
        )
    });
    let links = links::collect(&events);
    // Callout markers (`[!tip]`) and block markers (`^name`) are syntax, not words. `events`
    // is not needed after this, so it is moved rather than cloned.
    let hidden = IdStyle::hidden();
    let events = blocks::render(events, &analysis.blocks, hidden);
    let word_count = events::word_count(&callout::render(events, &analysis, hidden, None));
    let summary = blocks::render(summary, &analysis.blocks, hidden);
    let summary_text = plain_text(&callout::render(summary, &analysis, hidden, None));
    Scan {
        headings: analysis.headings.iter().map(|(_, h)| h.clone()).collect(),
        links,
        callouts: analysis.callouts.clone(),
        blocks: analysis.blocks.iter().map(|b| b.id.clone()).collect(),
        word_count,
        summary_text,
        has_code,
    }
}

/// Renders a body to HTML (full body and summary), resolving internal links via `links`.
pub fn render(body: &str, opts: &RenderOptions, links: &dyn LinkResolver) -> Rendered {
    let Prepared {
        events,
        summary,
        analysis,
    } = prepare(body, opts.markdown);
    let resolver = resolve::Memo::new(links);
    let mut warnings = Vec::new();
    let html = to_html(
        events,
        &analysis,
        opts,
        &resolver,
        IdStyle::full(opts.id_prefix),
        &mut warnings,
    );
    // The summary repeats body content: its warnings would be duplicates.
    let summary_html = to_html(
        summary,
        &analysis,
        opts,
        &resolver,
        IdStyle::hidden(),
        &mut Vec::new(),
    );
    warnings.sort_by_key(|warning| warning.offset);
    Rendered {
        html,
        summary_html,
        warnings,
    }
}

/// The render chain proper; `ids` decides whether ids, anchors and footnotes appear.
fn to_html(
    events: Vec<Ev<'_>>,
    analysis: &Analysis,
    opts: &RenderOptions,
    resolver: &dyn LinkResolver,
    ids: IdStyle,
    warnings: &mut Vec<Warning>,
) -> String {
    let events = callout::render(events, analysis, ids, opts.renderer_words);
    let events = heading::render(events, analysis, ids, opts.renderer_words);
    let events = resolve::links(events, resolver, ids.emits(), warnings);
    let events = resolve::images(events, warnings);
    let events = code::render(events, opts.highlighter, warnings);
    let events = footnotes::render(events, ids, opts.renderer_words);
    let events = blocks::render(events, &analysis.blocks, ids);
    let events = task_markers(events, opts.renderer_words);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
    html
}

/// Task-list boxes with an accessible name: pulldown-cmark's bare `<input type=checkbox>`
/// has none, which screen readers announce as an unlabelled control.
fn task_markers<'a>(events: Vec<Ev<'a>>, labels: Option<&RendererWords>) -> Vec<Ev<'a>> {
    let done = events::escape(&RendererWords::word(labels, "task_done", "Done", &[]));
    let open = events::escape(&RendererWords::word(labels, "task_open", "Not done", &[]));
    events
        .into_iter()
        .map(|(event, range)| match event {
            pulldown_cmark::Event::TaskListMarker(checked) => {
                let html = if checked {
                    format!("<input type=\"checkbox\" disabled checked aria-label=\"{done}\"> ")
                } else {
                    format!("<input type=\"checkbox\" disabled aria-label=\"{open}\"> ")
                };
                (pulldown_cmark::Event::InlineHtml(html.into()), range)
            }
            other => (other, range),
        })
        .collect()
}

#[cfg(test)]
mod tests;
