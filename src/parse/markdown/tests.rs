//! End-to-end tests of `scan` and `render` (the passes have their own unit tests).

use std::cell::RefCell;

use super::*;

/// Records every question and answers `/r/<dest>`, titling wikilinks `Title of <dest>`.
#[derive(Default)]
struct Recorder {
    calls: RefCell<Vec<(LinkKind, String, usize)>>,
}

impl LinkResolver for Recorder {
    fn resolve(&self, kind: LinkKind, dest: &str, offset: usize) -> Option<ResolvedLink> {
        self.calls
            .borrow_mut()
            .push((kind, dest.to_string(), offset));
        if dest == "missing" {
            return None;
        }
        Some(ResolvedLink {
            href: format!("/r/{dest}"),
            text: matches!(kind, LinkKind::Wiki | LinkKind::Embed)
                .then(|| format!("Title of {dest}")),
            plain: dest == "unlinked",
            embed: None,
        })
    }
}

fn opts() -> MarkdownOptions {
    MarkdownOptions::default()
}

fn render_with(body: &str, markdown: &MarkdownOptions, prefix: Option<&str>) -> Rendered {
    let highlighter = Highlighter::new();
    let options = RenderOptions {
        markdown,
        highlighter: &highlighter,
        id_prefix: prefix,
        renderer_words: None,
    };
    render(body, &options, &Recorder::default())
}

fn html(body: &str) -> String {
    render_with(body, &opts(), None).html
}

#[test]
fn heading_ids_slug_custom_and_duplicates() {
    let body = "# Why it matters\n\n## What's next?\n\n## Why it matters\n\n## Intro {#why-it-matters-1}\n\n## ?!\n";
    let ids: Vec<String> = scan(body, &opts())
        .headings
        .into_iter()
        .map(|h| h.id)
        .collect();
    // The explicit id is reserved first, so the duplicate slug skips to -2.
    assert_eq!(
        ids,
        [
            "why-it-matters",
            "whats-next",
            "why-it-matters-2",
            "why-it-matters-1",
            "section"
        ]
    );
    let out = html(body);
    for id in &ids {
        assert!(
            out.contains(&format!("id=\"{id}\"")),
            "{id} missing in {out}"
        );
    }
}

#[test]
fn heading_renders_with_accessible_anchor() {
    let out = html("## Why it matters\n");
    assert_eq!(
        out,
        "<h2 id=\"why-it-matters\">Why it matters<a class=\"heading-anchor\" href=\"#why-it-matters\" aria-label=\"Link to this section: Why it matters\">#</a></h2>\n"
    );
}

#[test]
fn scan_and_render_agree_with_smart_punctuation_and_links_in_headings() {
    let markdown = MarkdownOptions {
        smart_punctuation: true,
        ..MarkdownOptions::default()
    };
    let body = "## What's [[Next]] -- really\n";
    let heading = &scan(body, &markdown).headings[0];
    assert_eq!(heading.id, "whats-next--really");
    // The resolver retitles the wikilink in the output; the id must not change.
    let out = render_with(body, &markdown, None).html;
    assert!(out.starts_with("<h2 id=\"whats-next--really\">What’s <a href=\"/r/Next\">Title of Next</a> – really<a class=\"heading-anchor\""), "{out}");
}

#[test]
fn heading_classes_are_kept() {
    let out = html("## Title {#custom .wide}\n");
    assert!(
        out.starts_with(
            "<h2 id=\"custom\" class=\"wide\">Title<a class=\"heading-anchor\" href=\"#custom\""
        ),
        "{out}"
    );
}

#[test]
fn scan_reports_internal_links_with_offsets() {
    let body = "See [guide](guide.md), [[Target#Part|label]], [[Other]], ![chart](c.png), [top](#top), [ext](https://x.org) and ![[pic.png]].\n";
    let links = scan(body, &opts()).links;
    let got: Vec<_> = links
        .iter()
        .map(|l| {
            (
                l.kind,
                l.dest.as_str(),
                &body[l.range.clone()],
                l.text.as_str(),
                l.has_label,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                LinkKind::Link,
                "guide.md",
                "[guide](guide.md)",
                "guide",
                true
            ),
            (
                LinkKind::Wiki,
                "Target#Part",
                "[[Target#Part|label]]",
                "label",
                true
            ),
            (LinkKind::Wiki, "Other", "[[Other]]", "Other", false),
            (LinkKind::Image, "c.png", "![chart](c.png)", "chart", true),
            (LinkKind::Link, "#top", "[top](#top)", "top", true),
            (LinkKind::Image, "pic.png", "![[pic.png]]", "pic.png", false),
        ]
    );
    assert!(
        links[0].context.starts_with("See guide, label, Other"),
        "{}",
        links[0].context
    );
}

#[test]
fn render_asks_the_resolver_with_scan_offsets_and_writes_hrefs() {
    let body = "A [guide](guide.md \"T\") and [[Target#Part|label]] and [[Other]] and ![chart](c.png) and [ext](https://x.org) and <https://y.org> and [[missing]].\n";
    let highlighter = Highlighter::new();
    let markdown = opts();
    let recorder = Recorder::default();
    let options = RenderOptions {
        markdown: &markdown,
        highlighter: &highlighter,
        id_prefix: None,
        renderer_words: None,
    };
    let out = render(body, &options, &recorder).html;
    let expected: Vec<_> = scan(body, &markdown)
        .links
        .into_iter()
        .map(|l| (l.kind, l.dest, l.range.start))
        .collect();
    // Body and summary are both rendered, but each link is asked about once.
    assert_eq!(*recorder.calls.borrow(), expected);
    assert!(
        out.contains("<a href=\"/r/guide.md\" title=\"T\">guide</a>"),
        "{out}"
    );
    assert!(
        out.contains("<a href=\"/r/Target#Part\">label</a>"),
        "{out}"
    );
    assert!(
        out.contains("<a href=\"/r/Other\">Title of Other</a>"),
        "{out}"
    );
    assert!(
        out.contains("<img src=\"/r/c.png\" alt=\"chart\" loading=\"lazy\">"),
        "{out}"
    );
    assert!(out.contains("<a href=\"https://x.org\">ext</a>"), "{out}");
    assert!(
        out.contains("<a href=\"https://y.org\">https://y.org</a>"),
        "{out}"
    );
    // No answer: the wikilink still renders, pointing at what was written.
    assert!(out.contains("<a href=\"missing\">missing</a>"), "{out}");
}

#[test]
fn raw_html_escaped_by_default_and_allowed_on_request() {
    let body = "<script>alert(1)</script>\n\nText <b>bold</b>.\n";
    let escaped = html(body);
    assert!(
        !escaped.contains("<script>") && !escaped.contains("<b>"),
        "{escaped}"
    );
    assert!(
        escaped.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{escaped}"
    );
    let allowed = MarkdownOptions {
        allow_raw_html: true,
        ..MarkdownOptions::default()
    };
    let out = render_with(body, &allowed, None).html;
    assert!(
        out.contains("<script>alert(1)</script>") && out.contains("<b>bold</b>"),
        "{out}"
    );
}

#[test]
fn summary_before_more_marker() {
    let body = "## Start\n\nFirst *para*.\n\nSecond.\n\n<!-- more -->\n\nThird.\n";
    let scanned = scan(body, &opts());
    assert_eq!(scanned.summary_text, "Start First para. Second.");
    let rendered = render_with(body, &opts(), None);
    assert_eq!(
        rendered.summary_html,
        "<h2>Start</h2>\n<p>First <em>para</em>.</p>\n<p>Second.</p>\n"
    );
    assert!(!rendered.html.contains("more"), "{}", rendered.html);
    assert!(rendered.html.contains("<p>Third.</p>"));
}

#[test]
fn summary_defaults_to_first_paragraph() {
    let body = "# Title\n\nThe opening line[^n] with [[Link]].\n\nLater.\n\n[^n]: A note.\n";
    assert_eq!(
        scan(body, &opts()).summary_text,
        "The opening line with Link."
    );
    let rendered = render_with(body, &opts(), None);
    assert_eq!(
        rendered.summary_html,
        "<p>The opening line with <a href=\"/r/Link\">Title of Link</a>.</p>\n"
    );
}

#[test]
fn word_count_skips_code_and_callout_markers() {
    let body = "# Two words\n\nThree more words.\n\n```\nnot counted at all\n```\n\n> [!tip]\n> Four words in tip.\n\n- a `b` c\n";
    assert_eq!(scan(body, &opts()).word_count, 2 + 3 + 4 + 3);
    assert!(scan(body, &opts()).has_code);
    assert!(!scan("No code `here`.\n", &opts()).has_code);
}

#[test]
fn callouts_render_for_every_kind_with_and_without_title() {
    for kind in [
        "tip",
        "question",
        "example",
        "note",
        "warning",
        "important",
        "caution",
    ] {
        let label = format!("{}{}", kind[..1].to_uppercase(), &kind[1..]);
        let untitled = html(&format!("> [!{kind}]\n> Body text.\n"));
        assert!(
            untitled.starts_with(&format!("<aside class=\"callout callout-{kind}\" id=\"")),
            "{untitled}"
        );
        assert!(
            untitled.contains(&format!("role=\"note\" aria-label=\"{label}\">")),
            "{untitled}"
        );
        assert!(untitled.contains("aria-hidden=\"true\">"), "{untitled}");
        assert!(
            untitled.contains(&format!(
                "<span class=\"callout-title-text\">{label}</span></p>\n<p>Body text.</p>\n</aside>\n"
            )),
            "{untitled}"
        );
        let titled = html(&format!(
            "> [!{}] Before *the* meeting\n> Body.\n",
            kind.to_uppercase()
        ));
        assert!(
            titled.contains(&format!("aria-label=\"{label}: Before the meeting\"")),
            "{titled}"
        );
        assert!(
            titled.contains(
                "<span class=\"callout-title-text\">Before <em>the</em> meeting</span></p>\n<p>Body.</p>\n</aside>"
            ),
            "{titled}"
        );
    }
}

#[test]
fn callout_exact_markup() {
    let out = html("> [!tip] Before the meeting\n> Prepare.\n");
    // The icon is an inline SVG; compare the markup around it.
    let (start, end) = (
        out.find("<svg").expect("icon"),
        out.find("</svg>").expect("icon") + 6,
    );
    let out = format!("{}{{ICON}}{}", &out[..start], &out[end..]);
    assert_eq!(
        out,
        "<aside class=\"callout callout-tip\" id=\"tip-before-the-meeting\" role=\"note\" aria-label=\"Tip: Before the meeting\">\n<p class=\"callout-title\"><span class=\"callout-icon\" aria-hidden=\"true\">{ICON}</span><span class=\"callout-title-text\">Before the meeting</span></p>\n<p>Prepare.</p>\n</aside>\n"
    );
}

#[test]
fn unknown_marker_stays_a_blockquote() {
    let out = html("> [!foo] Title\n> body\n");
    assert_eq!(
        out,
        "<blockquote>\n<p>[!foo] Title\nbody</p>\n</blockquote>\n"
    );
    assert!(scan("> [!foo] Title\n", &opts()).callouts.is_empty());
}

#[test]
fn question_callouts_get_unique_ids_from_their_text() {
    let body = "> [!question]\n> How can I be most useful to you right now?\n\n> [!question] How can I be most useful to you right now?\n\n## Q how can I help\n\n> [!question]\n> How can I help?\n";
    let scanned = scan(body, &opts());
    let got: Vec<_> = scanned
        .callouts
        .iter()
        .map(|c| (c.id.as_str(), c.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "q-how-can-i-be-most-useful-to-you-right-now",
                "How can I be most useful to you right now?"
            ),
            (
                "q-how-can-i-be-most-useful-to-you-right-now-1",
                "How can I be most useful to you right now?"
            ),
            // The heading slug `q-how-can-i-help` was taken first.
            ("q-how-can-i-help-1", "How can I help?"),
        ]
    );
    assert_eq!(
        scanned.callouts[1].title.as_deref(),
        Some("How can I be most useful to you right now?")
    );
    let out = html(body);
    for callout in &scanned.callouts {
        assert!(out.contains(&format!("id=\"{}\"", callout.id)), "{out}");
    }
    assert_eq!(scanned.callouts[0].offset, 0);
}

#[test]
fn id_prefix_applies_to_every_id_and_self_link() {
    let body = "## Intro\n\nText[^n].\n\n> [!question]\n> Why?\n\n[^n]: Note.\n";
    let out = render_with(body, &opts(), Some("p3")).html;
    assert!(
        out.contains("<h2 id=\"p3-intro\">Intro<a class=\"heading-anchor\" href=\"#p3-intro\""),
        "{out}"
    );
    assert!(out.contains("id=\"p3-q-why\""), "{out}");
    assert!(out.contains("href=\"#p3-fn-1\" id=\"p3-fnref-1\""), "{out}");
    assert!(out.contains("<li id=\"p3-fn-1\">"), "{out}");
    let ids = out.matches(" id=\"").count();
    assert_eq!(
        ids,
        out.matches(" id=\"p3-").count(),
        "every id is prefixed: {out}"
    );
}

#[test]
fn summary_html_has_no_ids_or_anchors() {
    let body = "## Intro\n\n> [!tip]\n> Tip text[^n].\n\n<!-- more -->\n\nRest.\n\n[^n]: Note.\n";
    let summary = render_with(body, &opts(), None).summary_html;
    assert!(
        !summary.contains("id=") && !summary.contains("heading-anchor"),
        "{summary}"
    );
    assert!(!summary.contains("footnote"), "{summary}");
    assert!(
        summary.contains("<aside class=\"callout callout-tip\" role=\"note\""),
        "{summary}"
    );
}

/// Obsidian's `![[chart.png|300]]` and `|300x200` size the image; the label was its alt.
#[test]
fn a_number_after_an_image_wikilinks_pipe_is_its_size() {
    let body = "![[c.png|300]] ![[d.png|120x80]] ![[e.png|A chart]] ![300](f.png)\n";
    let rendered = render_with(body, &opts(), None);
    assert!(
        rendered
            .html
            .contains("<img src=\"/r/c.png\" alt=\"\" width=\"300\" loading=\"lazy\">"),
        "{}",
        rendered.html
    );
    assert!(
        rendered
            .html
            .contains("alt=\"\" width=\"120\" height=\"80\""),
        "{}",
        rendered.html
    );
    assert!(
        rendered.html.contains("alt=\"A chart\" loading"),
        "{}",
        rendered.html
    );
    assert!(
        rendered.html.contains("alt=\"300\" loading"),
        "Markdown images keep their alt: {}",
        rendered.html
    );
    assert_eq!(
        rendered.warnings.len(),
        2,
        "sized images still have no alt text"
    );
}

#[test]
fn images_without_alt_warn() {
    let body = "Fine ![a chart](c.png).\n\nBad ![](x.png) and ![[y.png]].\n";
    let rendered = render_with(body, &opts(), None);
    let offsets: Vec<usize> = rendered.warnings.iter().map(|w| w.offset).collect();
    assert_eq!(
        offsets,
        vec![body.find("![]").unwrap_or(0), body.find("![[").unwrap_or(0)]
    );
    assert_eq!(rendered.warnings[0].message, "image has no alt text");
    assert_eq!(
        rendered.warnings[0].hint.as_deref(),
        Some("describe the image: ![what it shows](file.png)")
    );
    assert!(
        rendered
            .html
            .contains("<img src=\"/r/y.png\" alt=\"\" loading=\"lazy\">"),
        "{}",
        rendered.html
    );
}

#[test]
fn unknown_language_warns_once_per_page() {
    let body = "```klingon\na\n```\n\n```klingon\nb\n```\n\n```rust\nfn x() {}\n```\n";
    let rendered = render_with(body, &opts(), None);
    assert_eq!(rendered.warnings.len(), 1, "{:?}", rendered.warnings);
    assert!(rendered.warnings[0].message.contains("klingon"));
    assert!(rendered.html.contains("hl-rust"));
}

#[test]
fn gfm_extensions_render() {
    let out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n");
    assert!(
        out.contains("<table>") && out.contains("<td>1</td>"),
        "{out}"
    );
    assert!(out.contains("<del>old</del>"), "{out}");
    assert!(
        out.contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\">"),
        "{out}"
    );
    assert!(out.contains("aria-label=\"Not done\""), "{out}");
}

#[test]
fn a_bracketed_link_text_keeps_its_url() {
    // Regression (issue 13): `[[1]](https://…)` was read as the wikilink `[[1]]`.
    let out = html("See [[1]](https://example.org/paper) and [[Page]].\n");
    assert!(
        out.contains("<a href=\"https://example.org/paper\">[1]</a>"),
        "{out}"
    );
    assert!(
        out.contains("<a href=\"/r/Page\">Title of Page</a>"),
        "{out}"
    );
    let links = scan("[[1]](https://example.org/paper) [[Page]]\n", &opts()).links;
    assert_eq!(links.len(), 1, "the external link is not internal");
    assert_eq!(links[0].kind, LinkKind::Wiki);
}

#[test]
fn a_note_embed_is_asked_for_as_an_embed_and_shown_as_a_link() {
    let recorder = Recorder::default();
    let highlighter = Highlighter::new();
    let options = RenderOptions {
        markdown: &opts(),
        highlighter: &highlighter,
        id_prefix: None,
        renderer_words: None,
    };
    let out = render("Before ![[Ask]] after.\n", &options, &recorder).html;
    assert_eq!(
        out,
        "<p>Before <a href=\"/r/Ask\">Title of Ask</a> after.</p>\n"
    );
    assert_eq!(recorder.calls.borrow()[0].0, LinkKind::Embed);
}

#[test]
fn an_unresolved_link_keeps_its_label_as_text() {
    let out = html("A [broken *link*](unlinked) and [[unlinked]] here.\n");
    assert_eq!(out, "<p>A broken <em>link</em> and unlinked here.</p>\n");
}

/// Includes every embed under the key `key:<dest>`.
struct Includer;

impl LinkResolver for Includer {
    fn resolve(&self, kind: LinkKind, dest: &str, _offset: usize) -> Option<ResolvedLink> {
        Some(ResolvedLink {
            href: format!("/r/{dest}"),
            text: Some(format!("Title of {dest}")),
            plain: false,
            embed: (kind == LinkKind::Embed).then(|| format!("key:{dest}")),
        })
    }
}

#[test]
fn an_embed_on_its_own_line_becomes_a_box_with_a_marker_and_stays_a_link_in_the_summary() {
    let highlighter = Highlighter::new();
    let options = RenderOptions {
        markdown: &opts(),
        highlighter: &highlighter,
        id_prefix: None,
        renderer_words: None,
    };
    let out = render("![[Ask]]\n\nText.\n", &options, &Includer);
    assert_eq!(
        out.html,
        "<section class=\"embed\">\n<p class=\"embed-source\"><a href=\"/r/Ask\">Title of Ask</a></p>\n<!--binder:embed key:Ask-->\n</section>\n<p>Text.</p>\n"
    );
    assert!(out.warnings.is_empty());
    assert_eq!(
        out.summary_html,
        "<p><a href=\"/r/Ask\">Title of Ask</a></p>\n"
    );
    let inline = render("See ![[Ask]] here.\n", &options, &Includer);
    assert_eq!(
        inline.html,
        "<p>See <a href=\"/r/Ask\">Title of Ask</a> here.</p>\n"
    );
    assert_eq!(inline.warnings.len(), 1);
    assert_eq!(inline.warnings[0].offset, 4);
}
