//! `binder check`: every health finding, in all three formats, at each severity setting, and
//! the exit code following them.

use std::process::Command;

use binder::health::{self, Format, Report, Rule};

use crate::support::Site;

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 6, 1)
}

const KINDS: &str = r#"review_after = "180d"

[kinds.tip]
sections = ["tips"]

[kinds.pair-blog]
sections = ["pair-blog"]
required = ["pair"]
"#;

/// A small handbook with exactly one finding of every kind (also behind the error snapshots
/// of `check`, tests/it/errors.rs).
pub(crate) fn broken() -> Site {
    let s = Site::new();
    s.config(KINDS);
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.write(
        "content/pair-blog/_index.md",
        "---\ntitle: Pair blog\n---\n",
    );
    s.write(
        "content/concepts/trust.md",
        "---\ntitle: Trust\n---\nConfidence that you will do what you said.\n",
    );
    s.article(
        "tips/listen.md",
        "title: Listen\ndescription: Hear them out.\nconcepts: [trust]\nlast_reviewed: 2026-05-01",
        "See [[Ask]], [[Bare]] and [[Nowhere]].",
    );
    s.article(
        "tips/ask.md",
        "title: Ask\ndescription: Ask first.\nconcepts: [trust, curiosity]\nlast_reviewed: 2026-05-01",
        "Back to [[Listen]]; see [[Old]] and [[Other side]].",
    );
    s.article(
        "tips/old.md",
        "title: Old\ndescription: Was right once.\nconcepts: [trust]\nlast_reviewed: 2025-01-10\nowner: Ada",
        "See [[Listen]].",
    );
    s.article(
        "tips/bare.md",
        "title: Bare\nlast_reviewed: 2026-05-01\nconcepts: [trust]",
        "See [[Listen]]; a tip with no description.",
    );
    s.article(
        "pair-blog/side.md",
        "title: Other side\ndescription: One view.\nconcepts: [trust]\npair: gone.md\nlast_reviewed: 2026-05-01",
        "See [[Listen]].",
    );
    s.article(
        "about.md",
        "title: About\nlast_reviewed: 2026-05-01",
        "Nothing links here; see [[Listen]].",
    );
    s
}

fn check(s: &Site) -> Report {
    health::check(&s.options(), today()).expect("check runs")
}

fn rules(r: &Report) -> Vec<(Rule, String)> {
    r.findings
        .iter()
        .map(|f| (f.rule, f.diagnostic.to_string()))
        .collect()
}

#[test]
fn a_broken_handbook_reports_each_finding_once_with_its_location() {
    let s = broken();
    let r = check(&s);
    let found = rules(&r);
    let expected = [
        (
            Rule::BrokenLinks,
            "content/tips/listen.md:7:27: broken wikilink: no article titled, slugged or aliased `Nowhere`",
        ),
        (
            Rule::KindViolations,
            "content/tips/bare.md:1:1: kind `tip`: an article of this kind needs `description`, which every kind requires",
        ),
        (
            Rule::UnpairedPosts,
            "content/pair-blog/side.md:5:1: pair `gone.md` is not an article",
        ),
        (
            Rule::Orphans,
            "content/about.md:2:1: orphan article: no other article links to it and no reading path includes it",
        ),
        (
            Rule::SingleUseConcepts,
            "content/tips/ask.md:4:1: the concept `curiosity` is used by this article only",
        ),
        (
            Rule::UndefinedConcepts,
            "content/tips/ask.md:4:1: the concept `curiosity` has no glossary entry",
        ),
        (
            Rule::Stale,
            "content/tips/old.md:5:1: stale: last reviewed 2025-01-10 (507 days ago; review_after is 180 days)",
        ),
        (
            Rule::MissingDescriptions,
            "content/about.md:2:1: no `description`: listings, feeds and search show the first paragraph instead",
        ),
    ];
    let expected: Vec<(Rule, String)> = expected
        .iter()
        .map(|(r, m)| (*r, (*m).to_owned()))
        .collect();
    assert_eq!(found, expected);
    assert!(r.failed(), "broken links and kind violations are errors");
    assert_eq!(r.counts(), (3, 5));
    let stale = &r.findings[6].diagnostic;
    assert_eq!(
        stale.hint.as_deref(),
        Some("ask Ada (the owner) to reread it, then set `last_reviewed: 2026-06-01`")
    );
}

#[test]
fn the_human_report_is_grouped_and_counted() {
    let text = health::format::render(&check(&broken()), Format::Human);
    assert!(text.contains("\nBroken or ambiguous links (1 error) [broken_links]\n  error: content/tips/listen.md:7:27: broken wikilink"), "{text}");
    assert!(
        text.contains(
            "\nStale articles (1 warning) [stale]\n  warning: content/tips/old.md:5:1: stale"
        ),
        "{text}"
    );
    assert!(
        text.contains("      help: create content/concepts/curiosity.md"),
        "{text}"
    );
    assert!(
        text.ends_with("\nchecked 6 articles: 3 errors, 5 warnings\n"),
        "{text}"
    );
}

#[test]
fn the_json_report_lists_every_finding() {
    let text = health::format::render(&check(&broken()), Format::Json);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["articles"], 6);
    assert_eq!(v["errors"], 3);
    assert_eq!(v["warnings"], 5);
    for key in [
        "broken_links",
        "kind_violations",
        "unpaired_posts",
        "orphans",
        "single_use_concepts",
        "undefined_concepts",
        "stale",
        "missing_descriptions",
    ] {
        assert_eq!(v["counts"][key], 1, "{key}: {text}");
    }
    let first = &v["findings"][0];
    assert_eq!(first["rule"], "broken_links");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "content/tips/listen.md");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(7), Some(27))
    );
    assert!(first["hint"].is_string() || first["hint"].is_null());
}

#[test]
fn the_github_report_annotates_files_and_lines() {
    let text = health::format::render(&check(&broken()), Format::Github);
    // The fixture is not a git repository: one notice says so, before the findings.
    let (notices, lines): (Vec<&str>, Vec<&str>) =
        text.lines().partition(|l| l.starts_with("::notice "));
    assert_eq!(notices.len(), 1, "{text}");
    assert!(notices[0].contains("not a git repository"), "{text}");
    assert_eq!(lines.len(), 8, "{text}");
    assert!(lines[0].starts_with("::error file=content/tips/listen.md,line=7,col=27,title=Broken or ambiguous links::broken wikilink"), "{}", lines[0]);
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::warning file=content/about.md,line=2,col=1,title=Orphan articles::orphan article"
        )),
        "{text}"
    );
    assert!(
        lines.iter().all(|l| l.contains("%0Ahelp: ")),
        "every finding carries its fix: {text}"
    );
}

/// The tag names of `html` in order, `/name` for a closing tag (enough for the page binder
/// writes by hand: no comments, no `<` inside its stylesheet or text).
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.chars()
                .take_while(|c| !c.is_whitespace() && *c != '>')
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

#[test]
fn check_format_html_writes_a_standalone_page_of_every_finding() {
    let s = broken();
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .args(["check", "--today", "2026-06-01", "--format", "html"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "error findings fail the check");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).expect("UTF-8");

    // Structure: an HTML5 document in English with a title, one h1 and a main landmark,
    // every element closed in order.
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"en\">\n"),
        "{html}"
    );
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        html.contains("<title>Health report · Fixture · binder check</title>"),
        "{html}"
    );
    assert_eq!(html.matches("<h1>").count(), 1);
    assert_eq!(html.matches("<main>").count(), 1);
    let mut open: Vec<String> = Vec::new();
    for tag in tags(&html) {
        if let Some(closed) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(closed), "misnested: {html}");
        } else if tag != "!doctype" && tag != "meta" {
            open.push(tag);
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");

    // Counts: the totals, and a row and a section per kind of finding.
    assert!(
        html.contains("<p>3 errors, 5 warnings in 6 articles, as of 2026-06-01."),
        "{html}"
    );
    for (key, title, count) in [
        ("broken_links", "Broken or ambiguous links", "1 error"),
        ("kind_violations", "Kind violations", "1 error"),
        ("unpaired_posts", "Pair posts without a partner", "1 error"),
        ("orphans", "Orphan articles", "1 warning"),
        ("stale", "Stale articles", "1 warning"),
    ] {
        assert!(
            html.contains(&format!("<a href=\"#{key}\">{title}</a>")),
            "{key} row: {html}"
        );
        assert!(
            html.contains(&format!("<h2 id=\"{key}\">{title} ({count})</h2>")),
            "{key} section: {html}"
        );
    }
    assert_eq!(html.matches("<li class=\"finding error\">").count(), 3);
    assert_eq!(html.matches("<li class=\"finding warning\">").count(), 5);

    // Findings: file:line:col as text, the message and the fix, all escaped.
    for at in [
        "content/tips/listen.md:7:27",
        "content/tips/bare.md:1:1",
        "content/pair-blog/side.md:5:1",
        "content/about.md:2:1",
        "content/tips/ask.md:4:1",
        "content/tips/old.md:5:1",
    ] {
        assert!(
            html.contains(&format!("<code class=\"where\">{at}</code>")),
            "{at}: {html}"
        );
    }
    assert!(html.contains(
        "<p class=\"message\">broken wikilink: no article titled, slugged or aliased `Nowhere`</p>"
    ));
    assert!(html.contains(
        "<p class=\"hint\">Fix: ask Ada (the owner) to reread it, then set `last_reviewed: 2026-06-01`</p>"
    ));
    assert!(
        html.contains("<li>the site is not a git repository"),
        "{html}"
    );

    // Self-contained: no links out of the page, nothing to fetch.
    assert_eq!(
        html.matches("href=\"").count(),
        html.matches("href=\"#").count(),
        "{html}"
    );
    for fetch in ["<script", "<link", "<img", "src=", "url(", "@import"] {
        assert!(!html.contains(fetch), "{fetch}: {html}");
    }
}

#[test]
fn each_severity_setting_is_obeyed() {
    let s = broken();
    s.config("[health]\nbroken_links = \"warn\"\nkind_violations = \"warn\"\norphans = \"error\"\nstale = \"off\"\n");
    let r = check(&s);
    let level = |rule: Rule| {
        r.findings
            .iter()
            .find(|f| f.rule == rule)
            .map(|f| f.diagnostic.severity)
    };
    use binder::diag::Severity;
    assert_eq!(level(Rule::BrokenLinks), Some(Severity::Warning));
    assert_eq!(level(Rule::KindViolations), Some(Severity::Warning));
    assert_eq!(level(Rule::Orphans), Some(Severity::Error));
    assert_eq!(level(Rule::Stale), None);
    assert_eq!(
        r.counts(),
        (2, 5),
        "orphans and the unpaired post are errors"
    );
    assert!(r.failed());
}

#[test]
fn every_rule_can_be_turned_off_and_the_exit_code_follows() {
    let s = broken();
    s.config(
        "[health]\nbroken_links = \"off\"\norphans = \"off\"\nsingle_use_concepts = \"off\"\nundefined_concepts = \"off\"\nunpaired_posts = \"off\"\nstale = \"off\"\nmissing_descriptions = \"off\"\nkind_violations = \"off\"\n",
    );
    let r = check(&s);
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .args(["--root"])
        .arg(s.root())
        .args(["check", "--today", "2026-06-01"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.ends_with("\nchecked 6 articles: no errors, no warnings\n"),
        "{text}"
    );
    assert_eq!(
        text.matches("checked ").count(),
        1,
        "one totals line: {text}"
    );
}

#[test]
fn the_cli_exits_1_on_error_findings_in_every_format() {
    let s = broken();
    for format in ["human", "json", "github", "html"] {
        let out = Command::new(env!("CARGO_BIN_EXE_binder"))
            .arg("--root")
            .arg(s.root())
            .args(["check", "--today", "2026-06-01", "--format", format])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{format}");
        // The human report goes to stderr beside other diagnostics; JSON and annotations to
        // stdout for tools.
        let (report, other) = if format == "human" {
            (&out.stderr, &out.stdout)
        } else {
            (&out.stdout, &out.stderr)
        };
        let report = String::from_utf8_lossy(report);
        assert!(
            report.contains("content/tips/listen.md"),
            "{format}: {report}"
        );
        assert!(
            !String::from_utf8_lossy(other).contains("content/tips/listen.md"),
            "{format}"
        );
    }
    s.config("[health]\nbroken_links = \"warn\"\nkind_violations = \"warn\"\nunpaired_posts = \"warn\"\n");
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .args(["check", "--today", "2026-06-01"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "warnings only: exit 0");
}

#[test]
fn stale_detection_uses_the_given_clock_and_review_dates() {
    let s = broken();
    let at = |d: jiff::civil::Date| {
        health::check(&s.options(), d)
            .expect("check")
            .findings
            .iter()
            .filter(|f| f.rule == Rule::Stale)
            .count()
    };
    // old.md was reviewed 2025-01-10: 180 days later it is still fresh, a day after stale.
    assert_eq!(at(jiff::civil::date(2025, 7, 9)), 0);
    assert_eq!(at(jiff::civil::date(2025, 7, 10)), 1);
    // Every other article was reviewed 2026-05-01.
    assert_eq!(at(jiff::civil::date(2026, 12, 1)), 6);
}

/// With `[links] broken = "warn"` the build groups link problems of one cause into one
/// warning; `check` files the group under broken links like a single one, at its level.
#[test]
fn grouped_link_warnings_are_broken_link_findings() {
    let s = Site::new();
    s.config("[links]\nbroken = \"warn\"\n[health]\nbroken_links = \"warn\"\n");
    s.article(
        "a.md",
        "title: A\ndescription: D.",
        "See [one](/x/one/), [again](/x/one/), [and again](/x/one/) and [[Nowhere]].",
    );
    let r = check(&s);
    let links: Vec<&str> = (r.findings.iter())
        .filter(|f| f.rule == Rule::BrokenLinks)
        .map(|f| f.diagnostic.message.as_str())
        .collect();
    assert_eq!(
        links.len(),
        2,
        "the group and the single one: {:?}",
        rules(&r)
    );
    assert!(links.iter().any(|m| m.starts_with("3 ")), "{links:?}");
    assert!(
        !r.findings.iter().any(|f| f.rule == Rule::Build),
        "{:?}",
        rules(&r)
    );
    assert!(!r.failed(), "warn level: {:?}", rules(&r));
}

#[test]
fn a_clean_handbook_is_healthy() {
    let s = Site::new();
    s.write(
        "content/concepts/trust.md",
        "---\ntitle: Trust\n---\nConfidence that you will do what you said.\n",
    );
    s.article(
        "a.md",
        "title: A\ndescription: D.\nconcepts: [trust]",
        "See [[B]].",
    );
    s.article(
        "b.md",
        "title: B\ndescription: D.\nconcepts: [trust]",
        "See [[A]].",
    );
    let r = check(&s);
    assert!(r.findings.is_empty(), "{:?}", rules(&r));
    assert!(!r.failed());
}

#[test]
fn template_errors_are_build_findings() {
    let s = Site::new();
    s.article(
        "a.md",
        "title: A\ndescription: D.\ntemplate: missing.html",
        "x",
    );
    let r = check(&s);
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == Rule::Build && f.diagnostic.is_error()),
        "{:?}",
        rules(&r)
    );
}

#[test]
fn owner_review_date_and_edit_link_show_on_the_page() {
    let s = Site::new();
    s.config("edit_url = \"https://example.org/handbook/edit/main/{path}\"\n");
    s.article(
        "tips/a.md",
        "title: A\nowner: Ada Lovelace\nlast_reviewed: 2026-03-04",
        "x",
    );
    s.article("b.md", "title: B", "x");
    s.build_ok();
    let a = s.main("tips/a/index.html");
    assert!(a.contains("Owner: Ada Lovelace"), "{a}");
    assert!(
        a.contains("Last reviewed <time datetime=\"2026-03-04\""),
        "{a}"
    );
    assert!(
        a.contains(r#"<a href="https://example.org/handbook/edit/main/content/tips/a.md">Edit this page</a>"#),
        "{a}"
    );
    let b = s.main("b/index.html");
    assert!(
        !b.contains("Owner:") && b.contains("edit/main/content/b.md"),
        "{b}"
    );
}

#[test]
fn an_edit_url_without_a_placeholder_is_a_config_error() {
    let s = Site::new();
    s.config("edit_url = \"https://example.org/edit/\"\n");
    let e = s.build().expect_err("config error");
    assert!(
        e.diagnostics[0]
            .to_string()
            .starts_with("site.toml:3:1: edit_url has no `{path}`"),
        "{:?}",
        e.diagnostics
    );
}

/// Regression: `binder check` skipped the front-matter report, so an unknown key that
/// `binder build` warns about was missing from the health report.
#[test]
fn unknown_front_matter_keys_are_build_findings() {
    let s = Site::new();
    s.article("a.md", "title: A\ndescription: D.\nstatus: draft", "Body.");
    let r = check(&s);
    let found: Vec<_> = rules(&r)
        .into_iter()
        .filter(|(_, d)| d.contains("unknown front-matter key `status`"))
        .collect();
    assert_eq!(found.len(), 1, "{:?}", rules(&r));
    assert_eq!(found[0].0, Rule::Build);
    assert!(
        found[0].1.starts_with("content/a.md:4:1:"),
        "{}",
        found[0].1
    );
    // The same warning as the build's.
    let built = s.build_ok();
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.message.contains("unknown front-matter key `status`"))
    );
}

/// A link of the print edition with no target is a broken link in `check`, not a "build
/// problem" (the last session's note listed it as left).
#[test]
fn a_print_edition_link_without_a_target_is_a_broken_link_finding() {
    let s = Site::new();
    s.config("[markdown]\nraw_html = \"allow\"\n");
    s.article(
        "a.md",
        "title: A\ndescription: One.",
        "## Start\n\nA <a href=\"#nowhere\">raw link</a>.",
    );
    let r = check(&s);
    let found = rules(&r);
    assert!(
        found.iter().any(|(rule, text)| *rule == Rule::BrokenLinks
            && text.contains("in the print edition, the link `#a-nowhere` has no target")),
        "{found:#?}"
    );
}
