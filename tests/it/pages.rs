//! The `<main>` element of every page kind, pinned by insta snapshots of one small fixture:
//! what docs/templates.md promises templates can show, as the default theme shows it.
//! After an intended change, review with `cargo insta review`.

use crate::support::Site;

/// Home, a paginated section, articles in a series, a pair, backlinks, concepts with a
/// glossary entry and a question callout.
fn fixture() -> Site {
    let s = Site::new();
    s.write(
        "content/tips/_index.md",
        "---\ntitle: Tips\ndescription: Short tips.\npaginate_by: 2\n---\nTips for sessions.\n",
    );
    s.write(
        "content/pair-blog/_index.md",
        "---\ntitle: Pair blog\n---\n",
    );
    s.article(
        "tips/ask.md",
        "title: Ask for clarity\ndescription: Check what was meant before acting.\ndate: 2024-01-05\nconcepts: [trust, questions]\nauthors: [Ada]\nseries: basics\nseries_order: 1",
        "Asking beats guessing. See [[Listen well]].\n\n> [!question]\n> What did you hear?\n",
    );
    s.article(
        "tips/listen.md",
        "title: Listen well\ndate: 2024-02-01\nconcepts: [trust]\nseries: basics\nseries_order: 2",
        "## Silence\n\nLet pauses work. Back to [[Ask for clarity]].",
    );
    s.article(
        "tips/close.md",
        "title: Close with a step\ndate: 2024-03-01\nconcepts: [questions]",
        "End with one next step.",
    );
    s.article(
        "pair-blog/a.md",
        "title: Pair A\ndate: 2024-04-01\nconcepts: [trust]\npair: b.md",
        "A's view.",
    );
    s.article(
        "pair-blog/b.md",
        "title: Pair B\ndate: 2024-04-02\nconcepts: [trust]\npair: a.md",
        "B's view, after [[Pair A]].",
    );
    s.write(
        "content/concepts/trust.md",
        "---\ntitle: Trust\ndescription: Confidence in each other.\n---\nTrust is **earned**.\n",
    );
    s
}

#[test]
fn main_element_of_every_page_kind() {
    let s = fixture();
    s.build_ok();
    for (name, path) in [
        ("home", "index.html"),
        ("article_series_backlinks", "tips/ask/index.html"),
        ("article_pair", "pair-blog/b/index.html"),
        ("section_page_1", "tips/index.html"),
        ("section_page_2", "tips/page/2/index.html"),
        ("term_list", "concepts/index.html"),
        ("term_with_glossary", "concepts/trust/index.html"),
        ("pairs", "pairs/index.html"),
        ("questions", "questions/index.html"),
        ("print", "print/index.html"),
        ("not_found", "404.html"),
    ] {
        insta::assert_snapshot!(name, s.main(path));
    }
}

/// The header shows the description the author wrote, never the first paragraph again.
#[test]
fn the_article_lede_is_the_written_description_only() {
    let s = fixture();
    s.build_ok();
    let ask = s.read("tips/ask/index.html");
    assert!(
        ask.contains("<p class=\"article-lede\">Check what was meant before acting.</p>"),
        "{ask}"
    );
    let b = s.read("pair-blog/b/index.html");
    assert!(!b.contains("article-lede"), "no description, no lede: {b}");
    let main = &b[b.find("<main").unwrap_or(0)..];
    assert_eq!(
        main.matches("B’s view").count(),
        1,
        "the body shows it once: {main}"
    );
}
