//! The stderr of every error kind binder can report, with the exit code, pinned by insta
//! snapshots: one small fixture per kind, run through the real binary. Temp paths are
//! replaced by `[ROOT]`. After an intended change to a message, review with
//! `cargo insta review`.

use std::process::Command;

use crate::support::Site;

const STRICT: &str = "[front_matter]\nunknown_keys = \"error\"\n";

/// Runs `binder --root <site> <args>` and returns `exit N` then the stderr, paths normalised.
fn run(s: &Site, args: &[&str]) -> String {
    run_in(s.root(), args)
}

/// [`run`] for a site root that is not a [`Site`].
fn run_in(root: &std::path::Path, args: &[&str]) -> String {
    let (code, _, stderr) = run_full(root, args);
    format!("exit {code}\n{stderr}")
}

/// Runs `binder --root <root> <args>`: the exit code, stdout and stderr, paths normalised.
fn run_full(root: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run binder");
    let shown = root.display().to_string();
    let text = |b: &[u8]| String::from_utf8_lossy(b).replace(&shown, "[ROOT]");
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
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

#[test]
fn broken_wikilink_with_three_close_titles() {
    let s = Site::new();
    s.article("a.md", "title: Listen first", "x");
    s.article("b.md", "title: Listen later", "x");
    s.article("c.md", "title: Listen often", "x");
    s.article("d.md", "title: D", "See [[Listen]].");
    let out = build(&s);
    assert!(
        out.contains("did you mean `Listen first`, `Listen later` or `Listen often`?"),
        "three candidates read as a list: {out}"
    );
    insta::assert_snapshot!(out);
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

// ---- output paths: one owner each ----

#[test]
fn alias_collides_with_an_article() {
    let s = Site::new();
    s.article("tips/x.md", "title: X", "x");
    s.article("tips/y.md", "title: Y\naliases: [/tips/x/]", "y");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

/// Regression: an article at `tips/page/2/` met the listing's page 2 only in the output
/// registry, which could not say where (no line, no hint).
#[test]
fn pagination_page_collides_with_an_article() {
    let s = Site::new();
    s.write(
        "content/tips/_index.md",
        "---\ntitle: Tips\npaginate_by: 2\n---\n",
    );
    for n in ["a", "b", "c"] {
        s.article(&format!("tips/{n}.md"), &format!("title: {n}"), "x");
    }
    s.article("tips/page/2.md", "title: Second page", "x");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    assert!(out.contains("content/tips/page/2.md:1:1:"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn two_articles_with_one_url() {
    let s = Site::new();
    s.article("tips/ask.md", "title: Ask", "x");
    s.article("tips/other.md", "title: Other\nslug: ask", "y");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

// ---- translations ----

#[test]
fn translation_lists_of_the_wrong_length() {
    let s = Site::new();
    s.config("language = \"xx\"\n");
    s.write(
        "i18n/xx.toml",
        "# Words\ndate_long = \"%d %B %Y\"\nmonths = [\"Jan\", \"Feb\", \"Mar\"]\nread_more = [\"a\"]\n",
    );
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    assert!(out.contains("i18n/xx.toml:3:1:"), "located: {out}");
    insta::assert_snapshot!(out);
}

#[test]
fn translation_table_bad_toml() {
    let s = Site::new();
    s.config("language = \"xx\"\n");
    s.write("i18n/xx.toml", "date_long = \"%d %B\nmonths = []\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

/// Regression: "data did not match any variant of untagged enum WordEntry".
#[test]
fn translation_value_of_the_wrong_kind() {
    let s = Site::new();
    s.config("language = \"xx\"\n");
    s.write("i18n/xx.toml", "months = 3\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    assert!(!out.contains("enum"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn translations_in_site_toml() {
    let s = Site::new();
    s.config(
        "language = \"xx\"\n\n[translations.xx]\nweekdays = \"Mon\"\nmonths_short = [\"a\"]\n",
    );
    let out = build(&s);
    assert_eq!(code(&out), "exit 2");
    assert!(out.contains("site.toml:6:1:"), "located: {out}");
    insta::assert_snapshot!(out);
}

#[test]
fn translation_value_of_the_wrong_kind_in_site_toml() {
    let s = Site::new();
    s.config("[translations.en]\nhome = 3\n");
    let out = build(&s);
    assert_eq!(code(&out), "exit 2");
    assert!(!out.contains("enum"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn unknown_translation_key_in_a_site_template() {
    let s = Site::new();
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ t(key=\"reading_tme\") }}</p>\n{% endblock %}\n",
    );
    s.article("a.md", "title: A", "x");
    let out = build(&s);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

// ---- highlighting ----

/// One warning per unknown language for the whole site, however many pages use it.
#[test]
fn unknown_fence_language_warns_once_per_site() {
    let s = Site::new();
    s.article(
        "a.md",
        "title: A",
        "```russt\nfn a() {}\n```\n\n```russt\nfn b() {}\n```",
    );
    s.article(
        "b.md",
        "title: B",
        "```russt\nfn c() {}\n```\n\n```pyton\nx = 1\n```",
    );
    s.article("c.md", "title: C", "```russt\nfn d() {}\n```");
    let out = build(&s);
    assert_eq!(code(&out), "exit 0");
    assert_eq!(
        out.matches("unknown code block language `russt`").count(),
        1,
        "{out}"
    );
    insta::assert_snapshot!(out);
}

/// Regression: a misspelt theme was found only while rendering: no location in site.toml,
/// no suggestion, and exit 1 for what is a configuration error.
#[test]
fn unknown_highlight_theme() {
    let s = Site::new();
    s.config("[highlight]\nlight_theme = \"solarised\"\n");
    s.article("a.md", "title: A", "x");
    let out = build(&s);
    assert_eq!(code(&out), "exit 2");
    assert!(out.contains("site.toml:4:16:"), "{out}");
    insta::assert_snapshot!(out);
}

// ---- init and new ----

/// `binder init` where a handbook already is: nothing is written, and it says what to do.
#[test]
fn init_into_a_folder_that_holds_a_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("site.toml"), "# mine\n").expect("write");
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    std::fs::write(dir.path().join("content/_index.md"), "# mine\n").expect("write");
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(code(&out), "exit 2");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.toml")).expect("read"),
        "# mine\n"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn new_into_a_section_that_does_not_exist() {
    let s = Site::new();
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.write("content/guides/_index.md", "---\ntitle: Guides\n---\n");
    let out = run(&s, &["new", "tipz", "Ask for clarity"]);
    assert_eq!(code(&out), "exit 2");
    assert!(!s.root().join("content/tipz").exists());
    insta::assert_snapshot!(out);
}

#[test]
fn new_of_an_article_that_exists() {
    let s = Site::new();
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.article("tips/ask-for-clarity.md", "title: Ask for clarity", "Mine.");
    let out = run(&s, &["new", "tips", "Ask for clarity"]);
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

// ---- import ----

fn import(s: &Site, from: &str, to: &str) -> String {
    let root = s.root();
    run(
        s,
        &[
            "import",
            &root.join(from).display().to_string(),
            &root.join(to).display().to_string(),
        ],
    )
}

#[test]
fn import_source_missing() {
    let s = Site::bare();
    let out = import(&s, "old-handbook", "new");
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

#[test]
fn import_source_is_a_file() {
    let s = Site::bare();
    s.write("notes.md", "# Notes\n");
    let out = import(&s, "notes.md", "new");
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

#[test]
fn import_destination_not_empty() {
    let s = Site::bare();
    s.write("old/content/a.md", "---\ntitle: A\n---\nx\n");
    s.write("new/keep.txt", "mine");
    let out = import(&s, "old", "new");
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

/// Regression: a folder without a single Markdown file "imported" as 0 pages, exit 0.
#[test]
fn import_source_not_a_handbook() {
    let s = Site::bare();
    s.write("old/notes.txt", "not Markdown");
    s.write("old/photo.png", "png");
    let out = import(&s, "old", "new");
    assert_eq!(code(&out), "exit 2");
    assert!(!s.root().join("new").exists(), "nothing written");
    insta::assert_snapshot!(out);
}

// ---- check: every health finding ----

/// The clock of the stale rule, as in the health tests.
const TODAY: &str = "2026-06-01";

/// Every rule of `binder check` but the build itself, by its `[health]` key.
const RULES: &[&str] = &[
    "broken_links",
    "orphans",
    "single_use_concepts",
    "undefined_concepts",
    "unpaired_posts",
    "stale",
    "missing_descriptions",
    "kind_violations",
];

/// A small handbook with exactly one finding of every kind (the health tests' fixture).
fn unhealthy() -> Site {
    crate::health::broken()
}

/// `binder check` of [`unhealthy`] with only `rule` on, at the level it has by default.
fn check_only(rule: &str) -> String {
    let s = unhealthy();
    let off: String = RULES
        .iter()
        .filter(|r| **r != rule)
        .map(|r| format!("{r} = \"off\"\n"))
        .collect();
    s.config(&format!("\n[health]\n{off}"));
    run(&s, &["check", "--today", TODAY])
}

#[test]
fn check_broken_link() {
    let out = check_only("broken_links");
    assert_eq!(code(&out), "exit 1", "broken links are errors");
    insta::assert_snapshot!(out);
}

#[test]
fn check_orphan() {
    let out = check_only("orphans");
    assert_eq!(code(&out), "exit 0", "a warning");
    insta::assert_snapshot!(out);
}

#[test]
fn check_concept_used_once() {
    let out = check_only("single_use_concepts");
    assert_eq!(code(&out), "exit 0");
    insta::assert_snapshot!(out);
}

#[test]
fn check_concept_without_glossary_entry() {
    let out = check_only("undefined_concepts");
    assert_eq!(code(&out), "exit 0");
    insta::assert_snapshot!(out);
}

#[test]
fn check_pair_without_partner() {
    let out = check_only("unpaired_posts");
    assert_eq!(code(&out), "exit 1", "an unpaired post is an error");
    insta::assert_snapshot!(out);
}

#[test]
fn check_stale_with_a_fixed_clock() {
    let out = check_only("stale");
    assert_eq!(code(&out), "exit 0");
    assert!(out.contains("507 days ago"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn check_missing_description() {
    let out = check_only("missing_descriptions");
    assert_eq!(code(&out), "exit 0");
    insta::assert_snapshot!(out);
}

#[test]
fn check_kind_violation() {
    let out = check_only("kind_violations");
    assert_eq!(code(&out), "exit 1", "a kind violation is an error");
    insta::assert_snapshot!(out);
}

/// A warning rule set to `error` fails the check: exit 1.
#[test]
fn check_severity_error_fails() {
    let s = unhealthy();
    let off: String = RULES
        .iter()
        .filter(|r| **r != "orphans")
        .map(|r| format!("{r} = \"off\"\n"))
        .collect();
    s.config(&format!("\n[health]\norphans = \"error\"\n{off}"));
    let out = run(&s, &["check", "--today", TODAY]);
    assert_eq!(code(&out), "exit 1");
    insta::assert_snapshot!(out);
}

/// The GitHub annotations go to stdout; stderr stays empty.
#[test]
fn check_format_github() {
    let s = unhealthy();
    let (code, stdout, stderr) =
        run_full(s.root(), &["check", "--today", TODAY, "--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
    insta::assert_snapshot!(stdout);
}

/// The JSON report goes to stdout, and parses.
#[test]
fn check_format_json() {
    let s = unhealthy();
    let (code, stdout, stderr) =
        run_full(s.root(), &["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(3), Some(5))
    );
    insta::assert_snapshot!(stdout);
}

// ---- serve: errors before the first build ----

/// `binder serve` that cannot start: the exit code and stderr, `port` and the last port
/// tried shown as `[PORT]` and `[LAST]`. A server that starts after all is killed, and the
/// result says so.
fn serve(s: &Site, args: &[&str], port: Option<u16>) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .args(["serve", "--no-watch"])
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start binder serve");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            child.kill().expect("kill");
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("read");
    let _ = child.wait();
    let mut stderr = stderr.replace(&s.root().display().to_string(), "[ROOT]");
    if let Some(p) = port {
        stderr = stderr
            .replace(&(p + 19).to_string(), "[LAST]")
            .replace(&p.to_string(), "[PORT]");
    }
    match status {
        Some(status) => format!("exit {}\n{stderr}", status.code().unwrap_or(-1)),
        None => format!("still running\n{stderr}"),
    }
}

/// Twenty consecutive loopback ports, all held, or None when the machine has no such run
/// free (ports must not be borrowed from anything else).
fn hold_twenty_ports() -> Option<(u16, Vec<std::net::TcpListener>)> {
    for _ in 0..50 {
        let first = std::net::TcpListener::bind("127.0.0.1:0").ok()?;
        let p = first.local_addr().ok()?.port();
        if p > u16::MAX - 19 {
            continue;
        }
        let rest: Vec<_> = (1..20)
            .map_while(|i| std::net::TcpListener::bind(("127.0.0.1", p + i)).ok())
            .collect();
        if rest.len() == 19 {
            let mut all = vec![first];
            all.extend(rest);
            return Some((p, all));
        }
    }
    None
}

/// The port and the nineteen after it are taken: serve gives up, as a usage error.
#[test]
fn serve_ports_all_taken() {
    let s = Site::new();
    s.article("a.md", "title: A", "x");
    let Some((port, _held)) = hold_twenty_ports() else {
        eprintln!("skipped: no run of twenty free loopback ports");
        return;
    };
    let out = serve(&s, &["--port", &port.to_string()], Some(port));
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

#[test]
fn serve_bind_not_an_ip_address() {
    let s = Site::new();
    let out = serve(&s, &["--bind", "my-laptop.local"], None);
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}

/// 192.0.2.1 (TEST-NET-1, RFC 5737) is never an address of this machine.
#[test]
fn serve_bind_an_address_of_another_machine() {
    let s = Site::new();
    let out = serve(&s, &["--bind", "192.0.2.1", "--port", "1111"], None);
    if out.starts_with("still running") {
        eprintln!("skipped: this machine accepts binds to any address (ip_nonlocal_bind)");
        return;
    }
    assert_eq!(code(&out), "exit 2");
    insta::assert_snapshot!(out);
}
