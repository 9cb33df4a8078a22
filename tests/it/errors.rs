//! The stderr of every error kind binder can report, with the exit code, pinned by insta
//! snapshots: one small fixture per kind, run through the real binary. Temp paths are
//! replaced by `[ROOT]`. After an intended change to a message, review with
//! `cargo insta review`.

use std::process::Command;

use crate::support::Site;

const STRICT: &str = "[front_matter]\nunknown_keys = \"error\"\n";

/// Runs `binder --root <site> <args>` and returns `exit N` then the stderr, paths normalised.
fn run(s: &Site, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run binder");
    let root = s.root().display().to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&root, "[ROOT]");
    format!("exit {}\n{stderr}", out.status.code().unwrap_or(-1))
}

fn build(s: &Site) -> String {
    run(s, &["build"])
}

/// The exit code of a [`run`] result.
fn code(out: &str) -> &str {
    out.lines().next().unwrap_or_default()
}

/// Every error line (`path:line:col: error: …` or `error: …`) of a [`run`] result.
fn error_lines(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.contains("error")).collect()
}

// ---- front matter ----

#[test]
fn missing_title_without_heading() {
    let s = Site::new();
    s.config(STRICT);
    s.article("tips/a.md", "date: 2024-01-05", "Just a paragraph.");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

/// One missing title is one error, even when the article is in a series, a pair and a kind
/// that other files lean on.
#[test]
fn one_missing_title_is_one_error() {
    let s = Site::new();
    s.config(STRICT);
    s.config("[kinds.tip]\nsections = [\"tips\"]\nrequired = [\"series\"]\n");
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.article(
        "tips/a.md",
        "description: D.\nconcepts: [trust]\nseries: basics\nseries_order: 1\npair: b.md",
        "No heading here.",
    );
    s.article(
        "tips/b.md",
        "title: B\ndescription: D.\nconcepts: [trust]\nseries: basics\nseries_order: 2\npair: a.md",
        "See [a](a.md) and [[B]].",
    );
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    let errors: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": error") || l.starts_with("error"))
        .collect();
    assert_eq!(errors.len(), 1, "one error, no knock-on: {out}");
    insta::assert_snapshot!(out);
}

#[test]
fn series_order_not_a_number() {
    let s = Site::new();
    s.article("a.md", "title: A\nseries: basics\nseries_order: first", "x");
    let out = build(&s);
    assert!(!out.contains("i64"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn wrong_types_of_typed_fields() {
    let s = Site::new();
    s.article("a.md", "title: [A, B]", "x");
    s.article("b.md", "title: B\ndraft: maybe", "x");
    s.article("c.md", "title: C\nweight: heavy", "x");
    s.article("d.md", "title: D\nconcepts: 3", "x");
    s.article("e.md", "title: E\naliases: {a: 1}", "x");
    let out = build(&s);
    for rust in ["i64", "u64", "usize", "bool`", "Vec<", "String", "sequence"] {
        assert!(!out.contains(rust), "Rust type `{rust}` in: {out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn invalid_date() {
    let s = Site::new();
    s.article("a.md", "title: A\ndate: 2024-13-45", "x");
    insta::assert_snapshot!(build(&s));
}

#[test]
fn bad_yaml() {
    let s = Site::new();
    s.article("a.md", "title: [unclosed", "x");
    insta::assert_snapshot!(build(&s));
}

#[test]
fn bad_toml() {
    let s = Site::new();
    s.write("content/a.md", "+++\ntitle = \n+++\nx\n");
    insta::assert_snapshot!(build(&s));
}

#[test]
fn unknown_key_in_strict_mode() {
    let s = Site::new();
    s.config(STRICT);
    s.article("a.md", "title: A\nconcpts: [trust]", "x");
    insta::assert_snapshot!(build(&s));
}

// ---- links ----

#[test]
fn broken_link_and_missing_anchor() {
    let s = Site::new();
    s.article(
        "tips/ask.md",
        "title: Ask for clarity",
        "## Why it matters\n\nx",
    );
    s.article(
        "b.md",
        "title: B",
        "One [a](tips/ask-for-clarty.md).\n\nTwo [[Ask for clarit]].\n\nThree [c](tips/ask.md#why-it-maters).",
    );
    insta::assert_snapshot!(build(&s));
}

#[test]
fn ambiguous_wikilink() {
    let s = Site::new();
    s.article("a/trust.md", "title: Trust", "x");
    s.article("b/trust.md", "title: Trust", "y");
    s.article("c.md", "title: C", "See [[Trust]].");
    insta::assert_snapshot!(build(&s));
}

#[test]
fn content_on_a_reserved_path() {
    let s = Site::new();
    s.article("pairs.md", "title: Pairs", "x");
    insta::assert_snapshot!(build(&s));
}

#[test]
fn series_order_taken_twice_and_bad_pair() {
    let s = Site::new();
    s.article(
        "p/one.md",
        "title: One\nseries: basics\nseries_order: 1",
        "x",
    );
    s.article(
        "p/two.md",
        "title: Two\nseries: basics\nseries_order: 1",
        "x",
    );
    s.article("p/three.md", "title: Three\npair: nope.md", "x");
    insta::assert_snapshot!(build(&s));
}

// ---- config ----

#[test]
fn config_unknown_key() {
    let s = Site::new();
    s.config("nonsense = 1\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

#[test]
fn config_bad_value() {
    let s = Site::bare();
    s.write("site.toml", "title = \"F\"\nbase_url = \"not a url\"\n");
    s.write("content/_index.md", "---\ntitle: Home\n---\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

#[test]
fn config_missing_file() {
    let s = Site::bare();
    s.write("content/_index.md", "---\ntitle: Home\n---\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

#[test]
fn theme_not_found() {
    let s = Site::new();
    s.config("theme = \"defualt\"\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

// ---- templates ----

#[test]
fn template_syntax_error() {
    let s = Site::new();
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{% if %}{% endblock %}\n",
    );
    s.article("a.md", "title: A", "x");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

#[test]
fn template_unknown_variable() {
    let s = Site::new();
    s.write(
        "templates/page.html",
        "<main>{{ page.nope.deeper }}</main>\n",
    );
    s.article("a.md", "title: A", "x");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

#[test]
fn template_unknown_filter() {
    let s = Site::new();
    s.write("templates/404.html", "<main>{{ \"x\" | shout }}</main>\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

// ---- output ----

#[test]
fn static_file_and_page_on_one_path() {
    let s = Site::new();
    s.article("tips/ask.md", "title: Ask", "x");
    s.write("static/tips/ask/index.html", "<p>static</p>");
    s.write("static/atom.xml", "<feed/>");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

#[test]
fn two_pages_on_one_path() {
    let s = Site::new();
    s.article("tips/ask.md", "title: Ask", "x");
    s.article("tips/ask/index.md", "title: Ask again", "y");
    insta::assert_snapshot!(build(&s));
}

#[test]
fn output_not_writable() {
    let s = Site::new();
    s.article("a.md", "title: A", "x");
    s.write("blocker", "a file where a folder should be");
    let out = run(
        &s,
        &[
            "build",
            "--output",
            &s.root().join("blocker/public").display().to_string(),
        ],
    );
    assert_eq!(code(&out), "exit 1", "could not write output is exit 1");
    insta::assert_snapshot!(out);
}

// ---- kinds, glossary, reading paths ----

#[test]
fn kinds_violations() {
    let s = Site::new();
    s.config(
        "[kinds.principle]\nsections = [\"principles\"]\nrequired = [\"series\", \"series_order\"]\n\n[kinds.tip]\nsections = [\"tips\"]\nallowed = { level = [\"new\", \"practised\"] }\n",
    );
    s.write(
        "content/principles/_index.md",
        "---\ntitle: Principles\n---\n",
    );
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.article("principles/trust.md", "title: Trust", "x");
    s.article("tips/a.md", "title: A\nextra:\n  level: practsed", "x");
    insta::assert_snapshot!(build(&s));
}

fn entry(s: &Site, slug: &str, fm: &str) {
    s.write(
        &format!("content/concepts/{slug}.md"),
        &format!("---\n{fm}\n---\nx\n"),
    );
}

#[test]
fn glossary_cycle_dangling_see_also_and_duplicate_synonym() {
    let s = Site::new();
    entry(&s, "a", "title: A\nparent: b");
    entry(&s, "b", "title: B\nparent: a");
    entry(
        &s,
        "trust",
        "title: Trust\nsee_also: [feedbak]\naliases: [safety]",
    );
    entry(&s, "feedback", "title: Feedback\naliases: [Managing Up]");
    entry(
        &s,
        "stakeholders",
        "title: Stakeholders\naliases: [Managing Up]",
    );
    entry(&s, "safety", "title: Safety");
    insta::assert_snapshot!(build(&s));
}

#[test]
fn reading_path_entry_unresolved() {
    let s = Site::new();
    s.write(
        "content/paths/_index.md",
        "---\ntitle: Reading paths\n---\n",
    );
    s.article("three.md", "title: Three", "x");
    s.article("paths/bad.md", "title: Bad", "1. [[Thre]]: a typo.");
    insta::assert_snapshot!(build(&s));
}

// ---- usage ----

#[test]
fn usage_bad_flag() {
    let s = Site::new();
    let out = run(&s, &["build", "--bogus"]);
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

#[test]
fn usage_missing_dir() {
    let s = Site::new();
    let gone = s.root().join("gone");
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(&gone)
        .arg("build")
        .env("NO_COLOR", "1")
        .output()
        .expect("run binder");
    let stderr =
        String::from_utf8_lossy(&out.stderr).replace(&s.root().display().to_string(), "[ROOT]");
    let out = format!("exit {}\n{stderr}", out.status.code().unwrap_or(-1));
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

// ---- check ----

/// `binder check` writes nothing, so it never says "nothing was written".
#[test]
fn check_reports_without_nothing_was_written() {
    let s = Site::new();
    s.config(STRICT);
    s.article("tips/a.md", "date: 2024-01-05", "No heading.");
    s.article("b.md", "title: B", "See [x](nope.md).");
    let out = run(&s, &["check"]);
    assert_eq!(code(&out), "exit 1");
    assert!(!out.to_lowercase().contains("nothing was written"), "{out}");
    assert!(!error_lines(&out).is_empty(), "{out}");
    insta::assert_snapshot!(out);
}
