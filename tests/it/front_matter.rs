//! Front matter for real, migrated handbooks (issue 13 items 1, 2, 4; issue 10 item 4;
//! issue 11 item 9): optional front matter, titles from headings and file names, the keys
//! of other generators, unknown keys kept and reported once per key, strict mode, TOML,
//! typed errors, duplicate keys and control characters.

use crate::support::{Site, render};

const STRICT: &str = "[front_matter]\nunknown_keys = \"error\"\n";

fn messages(ds: &[binder::diag::Diagnostic]) -> Vec<String> {
    ds.iter().map(ToString::to_string).collect()
}

/// A site with a custom template showing `page.extra`.
fn site_with_extra_template() -> Site {
    let s = Site::new();
    s.write(
        "templates/show-extra.html",
        "<main>status={{ page.extra.status }} stage={{ page.extra[\"owning-stage\"] }} layout={{ page.extra.layout }}</main>",
    );
    s
}

#[test]
fn a_file_without_front_matter_is_an_article_titled_by_its_heading_shown_once() {
    let s = Site::new();
    s.write(
        "content/support/license_troubleshooting.md",
        "# License troubleshooting guide\n\nCheck the *key* first.\n",
    );
    s.build_ok();
    let main = s.main("support/license-troubleshooting/index.html");
    assert_eq!(main.matches("<h1").count(), 1, "{main}");
    assert!(
        main.contains("<h1 class=\"article-title\">License troubleshooting guide</h1>"),
        "{main}"
    );
    assert!(main.contains("Check the <em>key</em> first."), "{main}");
}

#[test]
fn a_file_without_front_matter_or_heading_is_titled_by_its_file_name() {
    let s = Site::new();
    s.write(
        "content/support/license_troubleshooting.md",
        "Just the text.\n",
    );
    s.build_ok();
    let main = s.main("support/license-troubleshooting/index.html");
    assert!(
        main.contains("<h1 class=\"article-title\">License troubleshooting</h1>"),
        "{main}"
    );
}

#[test]
fn a_section_index_without_front_matter_takes_its_heading() {
    let s = Site::new();
    s.write(
        "content/values/_index.md",
        "# What we value\n\nOur values.\n",
    );
    s.write("content/values/trust.md", "# Trust\n\nEarned.\n");
    s.build_ok();
    let main = s.main("values/index.html");
    assert!(main.contains("<h1>What we value</h1>"), "{main}");
    let intro = &main[main.find("section-intro").expect("intro")..];
    assert!(
        !intro.contains("What we value"),
        "heading not repeated: {main}"
    );
    assert!(intro.contains("Our values."), "{main}");
}

#[test]
fn each_foreign_key_is_mapped() {
    // (front-matter lines, output file that must exist or a check on the article page)
    let cases: &[(&str, &str)] = &[
        ("tags: [trust]", "concepts/trust/index.html"),
        ("categories: [coaching]", "concepts/coaching/index.html"),
        ("author: Ada Lovelace", "authors/ada-lovelace/index.html"),
        ("redirect_from: [/old/ask/]", "old/ask/index.html"),
        // The whole path, as the old tool published it (it was `asking-well/` before).
        (
            "permalink: /blog/asking-well/",
            "blog/asking-well/index.html",
        ),
        ("url: /asking-better/", "asking-better/index.html"),
        ("path: team/ask", "team/ask/index.html"),
        ("permalink: /old/page.html", "old/page/index.html"),
        ("permalink: ../../../../etc/x", "etc/x/index.html"),
    ];
    for (fm, expected) in cases {
        let s = Site::new();
        s.article("ask.md", &format!("title: Ask\n{fm}"), "Body.");
        let report = s.build_ok();
        assert!(s.exists(expected), "{fm}: {expected} missing");
        assert!(
            report
                .warnings
                .iter()
                .all(|w| !w.message.contains("unknown")),
            "{fm}: {:?}",
            report.warnings
        );
    }
}

#[test]
fn foreign_dates_summary_and_weights_are_mapped() {
    let s = Site::new();
    s.write(
        "content/tips/_index.md",
        "---\ntitle: Tips\nsort_by: weight\n---\n",
    );
    s.article(
        "tips/b.md",
        "title: Second\nsidebar_position: 2\nsummary: The second tip.\nlastmod: 2026-03-05\npublishDate: 2026-03-01",
        "x",
    );
    s.article("tips/a.md", "title: First\nnav_order: 1", "x");
    s.article("tips/c.md", "title: Hidden draft\npublished: false", "x");
    s.build_ok();
    let listing = s.main("tips/index.html");
    let (first, second) = (listing.find("First"), listing.find("Second"));
    assert!(
        first.is_some() && first < second,
        "weights order the list: {listing}"
    );
    assert!(
        !s.exists("tips/c/index.html"),
        "published: false is a draft"
    );
    let page = s.read("tips/b/index.html");
    assert!(page.contains("The second tip."), "summary → description");
    assert!(page.contains("2026-03-01"), "publishDate → date");
    assert!(page.contains("2026-03-05"), "lastmod → updated");
}

#[test]
fn unknown_keys_are_kept_in_extra_and_reported_once_per_key_with_a_count() {
    let s = site_with_extra_template();
    for name in ["a", "b", "c"] {
        s.article(
            &format!("{name}.md"),
            &format!("title: {name}\ntemplate: show-extra.html\nstatus: live\nowning-stage: plan\nlayout: post"),
            "x",
        );
    }
    let report = s.build_ok();
    let warnings = messages(&report.warnings);
    assert_eq!(
        warnings,
        [
            "content/a.md:4:1: unknown front-matter key `status` in 3 files: kept in page.extra",
            "content/a.md:5:1: unknown front-matter key `owning-stage` in 3 files: kept in page.extra",
        ],
        "one warning per key; `layout` is a known key of other tools"
    );
    assert_eq!(
        s.main("b/index.html"),
        "<main>status=live stage=plan layout=post</main>"
    );
}

#[test]
fn a_close_unknown_key_suggests_the_known_one() {
    let s = Site::new();
    s.article("a.md", "title: A\ncontepts: [trust]", "x");
    let report = s.build_ok();
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(
        report.warnings[0].hint.as_deref(),
        Some("did you mean `concepts`?")
    );
}

#[test]
fn extra_keys_are_kept_without_a_warning() {
    let s = Site::new();
    s.config("[front_matter]\nextra_keys = [\"status\"]\n");
    s.article("a.md", "title: A\nstatus: live", "x");
    assert!(s.build_ok().warnings.is_empty());
}

#[test]
fn strict_mode_reports_every_unknown_key_of_every_file_in_one_run() {
    let s = Site::new();
    s.config(STRICT);
    s.article(
        "a.md",
        "title: A\nstatus: x\nsteward: y\ncontepts: [z]",
        "x",
    );
    s.article("b.md", "title: B\nstatus: x", "x");
    let e = s.build_err();
    assert_eq!(
        messages(&e),
        [
            "content/a.md:3:1: unknown front-matter key `status`",
            "content/a.md:4:1: unknown front-matter key `steward`",
            "content/a.md:5:1: unknown front-matter key `contepts`",
            "content/b.md:3:1: unknown front-matter key `status`",
        ]
    );
    assert_eq!(e[2].hint.as_deref(), Some("did you mean `concepts`?"));
}

#[test]
fn toml_front_matter_is_read_and_its_errors_are_located() {
    let s = Site::new();
    s.write(
        "content/ask.md",
        "+++\ntitle = \"Ask well\"\ndate = 2026-03-04\ntags = [\"trust\"]\n\n[extra]\nlevel = \"beginner\"\n+++\nBody.\n",
    );
    s.build_ok();
    assert!(s.main("ask/index.html").contains("Ask well"));
    assert!(s.exists("concepts/trust/index.html"));
    s.write(
        "content/ask.md",
        "+++\ntitle = \"Ask well\"\nweight = \"heavy\"\ndate = soon\n+++\nBody.\n",
    );
    let e = s.build_err();
    assert_eq!(e.len(), 1, "{}", render(&e));
    assert!(
        e[0].to_string().starts_with("content/ask.md:4:8: "),
        "{}",
        e[0]
    );
    assert!(e[0].message.contains("not valid TOML"), "{}", e[0].message);
}

#[test]
fn typed_errors_read_as_words_and_cause_no_knock_on_errors() {
    let s = Site::new();
    s.article("one.md", "title: One\nseries: s\nseries_order: 1", "x");
    s.article("two.md", "title: Two\nseries: s\nseries_order: first", "x");
    s.article("three.md", "title: Three\nseries: s\nseries_order: 3", "x");
    s.article("d.md", "title: D\ndate: 2026-13-40\nconcepts: {a: 1}", "x");
    let e = s.build_err();
    assert_eq!(
        messages(&e),
        [
            "content/d.md:3:7: `date` must be a date like 2026-03-04 (or 2026-03-04T09:30:00), not \"2026-13-40\"",
            "content/d.md:4:11: `concepts` must be a list, like [trust, feedback], not a map of keys",
            "content/two.md:4:15: `series_order` must be a whole number, like 3, not \"first\"",
        ],
        "no gap error in three.md"
    );
    let shown = render(&e);
    assert!(
        !shown.contains("invalid type") && !shown.contains("i64"),
        "{shown}"
    );
}

#[test]
fn one_missing_title_is_one_error_in_strict_mode() {
    let s = Site::new();
    s.config(STRICT);
    s.article("one.md", "series: s\nseries_order: 1", "No heading here.");
    s.article(
        "two.md",
        "title: Two\nseries: s\nseries_order: 2\npair: one.md",
        "x",
    );
    let e = s.build_err();
    assert_eq!(
        messages(&e),
        ["content/one.md:1:1: front matter has no `title`"]
    );
    // A heading provides one.
    s.article(
        "one.md",
        "series: s\nseries_order: 1",
        "# Part one\n\nText.",
    );
    s.build_ok();
}

#[test]
fn duplicate_keys_are_an_error_naming_both_lines() {
    let s = Site::new();
    s.article(
        "a.md",
        "title: First\ndate: 2026-01-01\n\ntitle: Second",
        "x",
    );
    let e = s.build_err();
    assert_eq!(
        messages(&e),
        ["content/a.md:5:1: `title` is given twice, on lines 2 and 5"]
    );
}

#[test]
fn a_nul_in_front_matter_never_reaches_the_html() {
    let s = Site::new();
    s.article(
        "a.md",
        "title: \"Ask\\0 for clarity\"\ndescription: \"x\\u0007y\"",
        "x",
    );
    let report = s.build_ok();
    let html = s.read("a/index.html");
    assert!(!html.contains('\0') && !html.contains('\u{7}'));
    assert!(html.contains("Ask for clarity"));
    let w = messages(&report.warnings);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].starts_with("content/a.md:2:8: `title` holds an invisible control character (U+0000)"),
        "{}",
        w[0]
    );
}
