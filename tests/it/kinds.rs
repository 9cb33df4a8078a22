//! Content kinds: each rule with its message and location, and the kind reaching templates,
//! graph.json, feeds and search.

use crate::support::Site;

const KINDS: &str = r#"
[kinds.principle]
sections = ["principles"]
required = ["series", "series_order"]

[kinds.pair-blog]
title = "Pair post"
sections = ["pair-blog"]
required = ["pair", "authors"]

[kinds.tip]
sections = ["tips"]
allowed = { level = ["new", "practised"] }
"#;

fn site() -> Site {
    let s = Site::new();
    s.config(KINDS);
    s.write(
        "content/principles/_index.md",
        "---\ntitle: Principles\n---\n",
    );
    s.write(
        "content/pair-blog/_index.md",
        "---\ntitle: Pair blog\n---\n",
    );
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s
}

fn messages(s: &Site) -> Vec<String> {
    s.build_err().iter().map(ToString::to_string).collect()
}

#[test]
fn a_principle_needs_series_and_series_order() {
    let s = site();
    s.article(
        "principles/trust.md",
        "title: Trust\ndescription: Why.\nconcepts: [trust]",
        "x",
    );
    let e = s.build_err();
    assert_eq!(e.len(), 2, "{e:?}");
    let series = e
        .iter()
        .find(|d| d.message.contains("`series` ("))
        .expect("series is reported");
    assert_eq!(
        series.to_string(),
        "content/principles/trust.md:1:1: kind `principle`: an article of this kind needs `series` (`required` of [kinds.principle] in site.toml)"
    );
    assert_eq!(
        series.hint.as_deref(),
        Some("add `series: foundations` to the front matter")
    );
    assert!(e.iter().any(|d| d.message.contains("needs `series_order`")));
}

#[test]
fn a_pair_post_needs_pair_and_authors() {
    let s = site();
    s.article(
        "pair-blog/a.md",
        "title: A\ndescription: One side.\nconcepts: [trust]",
        "x",
    );
    let m = messages(&s);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].contains("kind `pair-blog`: an article of this kind needs `authors`"),
        "{}",
        m[0]
    );
    assert!(
        m[1].contains("kind `pair-blog`: an article of this kind needs `pair`"),
        "{}",
        m[1]
    );
}

#[test]
fn every_kind_needs_a_concept_and_a_description() {
    let s = site();
    s.article("tips/a.md", "title: A", "x");
    let m = messages(&s);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].contains(
            "kind `tip`: an article of this kind needs `concepts`, which every kind requires"
        ),
        "{}",
        m[0]
    );
    assert!(
        m[1].contains("needs `description`, which every kind requires"),
        "{}",
        m[1]
    );
}

#[test]
fn an_empty_concept_list_counts_as_missing() {
    let s = site();
    s.article("tips/a.md", "title: A\ndescription: D.\nconcepts: []", "x");
    let m = messages(&s);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("content/tips/a.md:4:1: kind `tip`"),
        "{}",
        m[0]
    );
}

#[test]
fn a_value_outside_allowed_is_located_with_a_suggestion() {
    let s = site();
    s.article(
        "tips/a.md",
        "title: A\ndescription: D.\nconcepts: [trust]\nextra:\n  level: practsed",
        "x",
    );
    let e = s.build_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        e[0].to_string(),
        "content/tips/a.md:6:3: kind `tip`: `level` may not be `practsed` (allowed: `new`, `practised`)"
    );
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `practised`?"));
}

#[test]
fn a_kind_naming_a_missing_section_is_a_config_error() {
    let s = site();
    s.config("[kinds.note]\nsections = [\"notes\"]\n");
    let m = messages(&s);
    assert_eq!(
        m,
        ["site.toml: kind `note` lists the section `notes`, which does not exist"]
    );
}

#[test]
fn kind_violations_can_be_warnings_or_off() {
    let s = site();
    s.article("tips/a.md", "title: A", "x");
    s.config("[health]\nkind_violations = \"warn\"\n");
    let r = s.build_ok();
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    let text = std::fs::read_to_string(s.root().join("site.toml")).expect("read");
    std::fs::write(
        s.root().join("site.toml"),
        text.replace("kind_violations = \"warn\"", "kind_violations = \"off\""),
    )
    .expect("write");
    assert!(s.build_ok().warnings.is_empty());
}

#[test]
fn pages_listings_graph_feeds_and_search_know_the_kind() {
    let s = site();
    s.article(
        "pair-blog/a.md",
        "title: Side A\ndate: 2026-01-02\ndescription: One side.\nconcepts: [trust]\nauthors: [Ada]\npair: b.md",
        "x",
    );
    s.article(
        "pair-blog/b.md",
        "title: Side B\ndate: 2026-01-02\ndescription: Other side.\nconcepts: [trust]\nauthors: [Bo]\npair: a.md",
        "x",
    );
    s.article("about.md", "title: About", "No kind here.");
    s.build_ok();
    let page = s.main("pair-blog/a/index.html");
    assert!(
        page.contains(
            r#"<span class="meta-item badge badge-kind kind-pair-blog">Pair post</span>"#
        ),
        "{page}"
    );
    assert!(!s.main("about/index.html").contains("badge-kind"));
    assert!(s.main("pair-blog/index.html").contains("kind-pair-blog"));
    let graph = s.read("graph.json");
    assert!(
        graph.contains(r#""id":"pair-blog/a/","kind":"article","title":"Side A","path":"pair-blog/a/","source":"pair-blog/a.md","section":"pair-blog/","date":"2026-01-02","article_kind":"pair-blog"}"#),
        "{graph}"
    );
    assert!(graph.contains(r#""id":"about/","kind":"article","title":"About","path":"about/","source":"about.md","section":"","date":null}"#), "{graph}");
    let feed = s.read("atom.xml");
    assert!(
        feed.contains(r##"<category term="pair-blog" label="Pair post" scheme="https://example.org/handbook/#kind"/>"##),
        "{feed}"
    );
    let index = s.read("search/index.js");
    assert!(
        index.contains(r#""kinds":[["Pair post","pair-blog","#),
        "{index}"
    );
}

#[test]
fn a_pair_named_by_its_partner_satisfies_a_required_pair() {
    let s = site();
    s.article(
        "pair-blog/a.md",
        "title: Side A\ndescription: One side.\nconcepts: [trust]\nauthors: [Ada]\npair: b.md",
        "x",
    );
    s.article(
        "pair-blog/b.md",
        "title: Side B\ndescription: Other side.\nconcepts: [trust]\nauthors: [Bo]",
        "x",
    );
    s.build_ok();
}
