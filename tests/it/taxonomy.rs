//! Taxonomies: term normalisation, near-duplicate warnings, glossary entries, pagination.

use crate::support::Site;

#[test]
fn spellings_of_one_term_merge_and_the_first_is_the_name() {
    let s = Site::new();
    s.article("a.md", "title: A\nconcepts: [Coaching Up]", "x");
    s.article("b.md", "title: B\nconcepts: [coaching-up]", "x");
    s.article("c.md", "title: C\nconcepts: [coaching_up]", "x");
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let list = s.main("concepts/index.html");
    assert!(list.contains("Coaching Up"), "{list}");
    assert!(list.contains("concepts/coaching-up/"));
    let term = s.main("concepts/coaching-up/index.html");
    for t in ["A", "B", "C"] {
        assert!(term.contains(&format!(">{t}</a>")), "{t} listed: {term}");
    }
}

#[test]
fn near_duplicates_warn() {
    let s = Site::new();
    s.article("a.md", "title: A\nconcepts: [feedback]", "x");
    s.article("b.md", "title: B\nconcepts: [feed-back]", "x");
    let report = s.build_ok();
    let w: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("`feed-back` and `feedback` look like the same term")
            || w[0].contains("`feedback` and `feed-back`"),
        "{}",
        w[0]
    );
}

#[test]
fn a_glossary_entry_tops_its_term_page() {
    let s = Site::new();
    s.article("a.md", "title: A\nconcepts: [trust]", "x");
    s.write(
        "content/concepts/trust.md",
        "---\ntitle: Trust\n---\nTrust is **earned** in small moments.\n",
    );
    s.build_ok();
    let m = s.main("concepts/trust/index.html");
    let g = m.find("<strong>earned</strong>").expect("glossary shown");
    let a = m.find(">A</a>").expect("article listed");
    assert!(g < a, "glossary first");
    assert!(!s.exists("concepts/trust/index.html.md"));
}

#[test]
fn authors_get_term_pages_too() {
    let s = Site::new();
    s.article("a.md", "title: A\nauthors: [Maya Okafor]", "x");
    s.build_ok();
    assert!(s.main("authors/maya-okafor/index.html").contains(">A</a>"));
    assert!(s.main("authors/index.html").contains("Maya Okafor"));
}

#[test]
fn term_pages_paginate() {
    let s = Site::new();
    s.config("[[taxonomies]]\nname = \"concepts\"\npaginate_by = 2\n");
    for i in 1..=5 {
        s.article(
            &format!("p{i}.md"),
            &format!("title: P{i}\ndate: 2026-01-0{i}\nconcepts: [trust]"),
            "x",
        );
    }
    s.build_ok();
    assert!(
        s.main("concepts/trust/index.html").contains("P5"),
        "newest first"
    );
    assert!(s.main("concepts/trust/page/3/index.html").contains("P1"));
    assert!(
        !s.exists("authors/index.html"),
        "only configured taxonomies are built"
    );
}

#[test]
fn unknown_taxonomy_key_suggests_the_configured_name() {
    let s = Site::new();
    s.config("[front_matter]\nunknown_keys = \"error\"\n");
    s.article("a.md", "title: A\nconcept: [trust]", "x");
    let e = s.build_err();
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `concepts`?"));
}

/// Real handbooks carry empty list entries (`authors: ["@a", ""]`): skipped with a warning,
/// never a failed build.
#[test]
fn an_empty_term_entry_is_skipped_with_a_warning() {
    let s = Site::new();
    s.article("a.md", "title: A\nauthors: [\"@rehab\", \"\"]", "x");
    let report = s.build_ok();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message == "authors: an empty entry is skipped"),
        "{:#?}",
        report.warnings
    );
    assert!(s.exists("authors/rehab/index.html"));
}
