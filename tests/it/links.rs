//! Internal links, backlinks, related articles, series and pairs (issue 3).

use crate::support::{Site, render};

fn linked_site() -> Site {
    let s = Site::new();
    s.article(
        "tips/ask-for-clarity.md",
        "title: Ask for clarity\naliases: [/tips/clarify/]",
        "## Why it matters\n\nBecause.\n\n## How\n\nSteps.",
    );
    s.article(
        "principles/trust.md",
        "title: Trust\nconcepts: [trust]",
        "## Why it matters\n\nTrust first.",
    );
    s
}

#[test]
fn every_link_form_resolves_to_a_relative_url() {
    let s = linked_site();
    s.article(
        "principles/partnership.md",
        "title: Partnership",
        "Relative [a](../tips/ask-for-clarity.md), root [b](@/tips/ask-for-clarity.md#how), \
         wiki [[Ask for clarity]], slug [[ask-for-clarity|custom text]], alias [[clarify]], \
         heading [[Trust#Why it matters]], same folder [t](trust.md), external [w](https://example.com/x).",
    );
    s.build_ok();
    let m = s.main("principles/partnership/index.html");
    assert!(
        m.contains("<a href=\"../../tips/ask-for-clarity/\">a</a>"),
        "{m}"
    );
    assert!(
        m.contains("<a href=\"../../tips/ask-for-clarity/#how\">b</a>"),
        "{m}"
    );
    assert!(
        m.contains("<a href=\"../../tips/ask-for-clarity/\">Ask for clarity</a>"),
        "{m}"
    );
    assert!(m.contains(">custom text</a>"), "{m}");
    assert!(
        m.contains("<a href=\"../../principles/trust/#why-it-matters\">Trust</a>"),
        "{m}"
    );
    assert!(
        m.contains("<a href=\"../../principles/trust/\">t</a>"),
        "{m}"
    );
    assert!(
        m.contains("href=\"https://example.com/x\""),
        "external untouched"
    );
}

#[test]
fn links_from_the_home_page_and_to_sections() {
    let s = linked_site();
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.write("content/_index.md", "---\ntitle: Home\n---\nStart with [tips](@/tips/_index.md) or [clarity](tips/ask-for-clarity.md).\n");
    s.build_ok();
    let m = s.main("index.html");
    assert!(m.contains("href=\"./tips/\""), "{m}");
    assert!(m.contains("href=\"./tips/ask-for-clarity/\""), "{m}");
}

#[test]
fn broken_links_are_located_with_suggestions() {
    let s = linked_site();
    s.article("principles/x.md", "title: X", "One [a](../tips/ask-for-clarty.md).\n\nTwo [[Ask for clarit]].\n\nThree [c](../tips/ask-for-clarity.md#why-it-maters).");
    let e = s.build_err();
    let m: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(
        m[0].starts_with("content/principles/x.md:4:5: broken link: `../tips/ask-for-clarty.md`"),
        "{}",
        m[0]
    );
    assert_eq!(
        e[0].hint.as_deref(),
        Some("did you mean `tips/ask-for-clarity.md`?")
    );
    assert!(
        m[1].starts_with("content/principles/x.md:6:5: broken wikilink"),
        "{}",
        m[1]
    );
    assert!(
        e[1].hint
            .as_deref()
            .unwrap_or("")
            .contains("`Ask for clarity`")
    );
    assert!(m[2].starts_with("content/principles/x.md:8:7:"), "{}", m[2]);
    assert!(m[2].contains("#why-it-maters"));
    assert_eq!(
        e[2].hint.as_deref(),
        Some("did you mean `#why-it-matters`?")
    );
}

#[test]
fn an_ambiguous_wikilink_names_both_candidates() {
    let s = Site::new();
    s.article("a/trust.md", "title: Trust", "x");
    s.article("b/trust.md", "title: Trust", "y");
    s.article("c.md", "title: C", "See [[Trust]].");
    let e = s.build_err();
    let all = render(&e);
    assert!(
        all.contains("content/c.md:4:5: ambiguous wikilink `[[Trust]]`"),
        "{all}"
    );
    assert!(
        all.contains("a/trust.md") && all.contains("b/trust.md"),
        "{all}"
    );
}

#[test]
fn link_errors_can_be_downgraded_to_warnings() {
    let s = linked_site();
    s.config("[links]\nbroken = \"warn\"\n");
    s.article("x.md", "title: X", "A [broken](nope.md) link.");
    let report = s.build_ok();
    assert_eq!(report.warnings.len(), 1);
    assert!(report.warnings[0].to_string().contains("broken link"));
}

#[test]
fn backlinks_show_the_sentence_around_the_link() {
    let s = linked_site();
    s.article("principles/partnership.md", "title: Partnership", "Partners talk often. When in doubt, [ask for clarity](../tips/ask-for-clarity.md) before acting. Then move on.");
    s.build_ok();
    let m = s.main("tips/ask-for-clarity/index.html");
    assert!(m.contains("Partnership"), "backlink title shown");
    assert!(
        m.contains("When in doubt, ask for clarity before acting."),
        "excerpt shown: {m}"
    );
    assert!(!m.contains("Partners talk often"), "only the sentence");
}

#[test]
fn related_articles_rank_rare_shared_concepts_first() {
    let s = Site::new();
    // `rare` is on two pages, `common` on all; `a`'s best match is `b` (shares the rare concept),
    // then `c` (links to `a`), then the others by date (newest first).
    s.article(
        "a.md",
        "title: A\ndate: 2026-01-01\nconcepts: [rare, common]",
        "x",
    );
    s.article(
        "b.md",
        "title: B\ndate: 2020-01-01\nconcepts: [rare, common]",
        "x",
    );
    s.article(
        "c.md",
        "title: C\ndate: 2021-01-01\nconcepts: [common]",
        "See [[A]].",
    );
    s.article(
        "d.md",
        "title: D\ndate: 2025-01-01\nconcepts: [common]",
        "x",
    );
    s.article(
        "e.md",
        "title: E\ndate: 2024-01-01\nconcepts: [common]",
        "x",
    );
    s.config("[related]\nlimit = 3\n");
    let opts = s.options();
    let site = binder::site::load_site(&opts, &mut Default::default()).expect("site");
    let id = |t: &str| site.pages.iter().position(|p| p.title == t).expect("page");
    let titles: Vec<&str> = site.graph.related[id("A")]
        .iter()
        .map(|&p| site.pages[p].title.as_str())
        .collect();
    assert_eq!(titles, ["B", "C", "D"]);
}

#[test]
fn series_get_order_prev_next_and_errors() {
    let s = Site::new();
    s.article(
        "p/one.md",
        "title: One\nseries: basics\nseries_order: 1",
        "x",
    );
    s.article(
        "p/two.md",
        "title: Two\nseries: basics\nseries_order: 2",
        "x",
    );
    s.article(
        "p/three.md",
        "title: Three\nseries: basics\nseries_order: 3",
        "x",
    );
    s.build_ok();
    let m = s.main("p/two/index.html");
    assert!(
        m.contains("../../p/one/") && m.contains("../../p/three/"),
        "prev and next"
    );
    assert!(m.contains("aria-current"), "current part marked");
    s.article(
        "p/three.md",
        "title: Three\nseries: basics\nseries_order: 2",
        "x",
    );
    let e = s.build_err();
    let all = render(&e);
    assert!(all.contains("also used by content/p/t"), "{all}");
    assert!(
        all.contains("content/p/three.md") && all.contains("content/p/two.md"),
        "names both: {all}"
    );
    s.article("p/three.md", "title: Three\nseries: basics", "x");
    let e = s.build_err();
    assert!(
        e[0].to_string().contains("has no `series_order`"),
        "{}",
        e[0]
    );
}

#[test]
fn pairs_are_mutual_mirrored_or_conflicting() {
    let s = Site::new();
    s.article(
        "pair-blog/a.md",
        "title: A view\npair: b.md\nauthors: [Ann]\ndate: 2026-01-01",
        "x",
    );
    s.article(
        "pair-blog/b.md",
        "title: B view\nauthors: [Ben]\ndate: 2026-01-01",
        "y",
    );
    s.build_ok();
    assert!(
        s.main("pair-blog/b/index.html").contains("A view"),
        "mirrored pair shown on b"
    );
    assert!(s.main("pair-blog/a/index.html").contains("B view"));
    s.article("pair-blog/c.md", "title: C view\npair: a.md", "z");
    s.article("pair-blog/b.md", "title: B view\npair: c.md", "y");
    let e = s.build_err();
    let all = render(&e);
    assert!(all.contains("conflicting pair"), "{all}");
    s.article("pair-blog/a.md", "title: A view\npair: nope.md", "x");
    let all = render(&s.build_err());
    assert!(all.contains("pair `nope.md` is not an article"), "{all}");
}
