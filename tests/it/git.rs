//! Git dates and contributors: a repository the test creates (with the `git` CLI, for the
//! fixture only; binder reads it with gix), a site that is not a repository and a shallow
//! clone, which both build and say once what they could not know.

use std::path::Path;
use std::process::Command;

use crate::support::Site;

/// Runs `git` in `dir` as `author` at `date`, panicking with its stderr on failure.
fn git(dir: &Path, author: &str, date: &str, args: &[&str]) {
    let email = format!("{}@example.org", author.to_lowercase());
    let out = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", &email)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", &email)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn commit(site: &Site, author: &str, date: &str, message: &str) {
    git(site.root(), author, date, &["add", "content", "site.toml"]);
    git(site.root(), author, date, &["commit", "-q", "-m", message]);
}

/// A site whose history has three authors: `tips/a.md` changed by Alice twice and Bob once
/// (last on 2025-04-01), `tips/b.md` only in the first commit, `tips/c.md` never committed.
fn repository() -> Site {
    let s = Site::new();
    s.config("review_after = \"100d\"\n");
    git(s.root(), "Alice", "2025-01-10T10:00:00Z", &["init", "-q"]);
    s.article("tips/a.md", "title: A\ndescription: a", "First. See [[B]].");
    s.article("tips/b.md", "title: B\ndescription: b", "Bee. See [[A]].");
    commit(&s, "Alice", "2025-01-10T10:00:00Z", "add a and b");
    s.article(
        "tips/a.md",
        "title: A\ndescription: a",
        "Second. See [[B]].",
    );
    commit(&s, "Bob", "2025-03-05T10:00:00Z", "bob edits a");
    s.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nWelcome home.\n",
    );
    commit(&s, "Carol", "2025-03-20T10:00:00Z", "carol edits home only");
    s.article("tips/a.md", "title: A\ndescription: a", "Third. See [[B]].");
    commit(&s, "Alice", "2025-04-01T10:00:00Z", "alice edits a again");
    s.article(
        "tips/c.md",
        "title: C\ndescription: c",
        "Not committed. [[A]]",
    );
    s
}

#[test]
fn dates_and_contributors_come_from_the_history() {
    let s = repository();
    let report = s.build_ok();
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    let a = s.main("tips/a/index.html");
    assert!(a.contains("Last updated"), "{a}");
    assert!(a.contains("2025-04-01"), "{a}");
    // Most commits first: Alice (2) before Bob (1); Carol never touched it.
    assert!(a.contains("by Alice, Bob</span>"), "{a}");
    let b = s.main("tips/b/index.html");
    assert!(
        b.contains("2025-01-10") && b.contains("by Alice</span>"),
        "{b}"
    );
    let c = s.main("tips/c/index.html");
    assert!(
        !c.contains("Last updated"),
        "an uncommitted file has no git date: {c}"
    );
    // The sitemap's lastmod follows the git date where the page has none of its own.
    let sitemap = s.read("sitemap.xml");
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("tips/a/"))
        .expect("a in sitemap");
    assert!(
        entry.contains("<lastmod>2025-04-01T10:00:00Z</lastmod>"),
        "{entry}"
    );
}

#[test]
fn the_model_and_freshness_use_the_git_date() {
    let s = repository();
    let (site, diags) = binder::site::load_site_lenient(&s.options()).expect("loads");
    assert!(diags.is_empty(), "{diags:?}");
    let page = |rel: &str| {
        site.pages
            .iter()
            .find(|p| p.rel == rel)
            .expect("page exists")
    };
    let a = page("tips/a.md").git(&site).expect("a has history");
    assert_eq!(a.updated.ymd(), "2025-04-01");
    assert_eq!(a.contributors, ["Alice", "Bob"]);
    assert!(page("tips/c.md").git(&site).is_none());
    // review_after = 100d: on 2025-05-01, a (changed 2025-04-01) is fresh, b (2025-01-10) is
    // stale, and c has no date at all.
    let report = binder::health::report(&site, diags, jiff::civil::date(2025, 5, 1));
    let stale: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == binder::health::Rule::Stale)
        .map(|f| f.diagnostic.path.as_str())
        .collect();
    assert_eq!(stale, ["content/tips/b.md", "content/tips/c.md"]);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

#[test]
fn git_can_be_switched_off() {
    let s = repository();
    s.config("[git]\nenabled = false\n");
    let report = s.build_ok();
    assert!(report.notes.is_empty());
    assert!(!s.main("tips/a/index.html").contains("Last updated"));
}

#[test]
fn a_site_outside_git_builds_and_says_so_once() {
    let s = Site::new();
    s.article("tips/a.md", "title: A", "Body.");
    s.article("tips/b.md", "title: B", "Body.");
    let report = s.build_ok();
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert!(
        report.notes[0].contains("not a git repository"),
        "{:?}",
        report.notes
    );
    assert!(!s.main("tips/a/index.html").contains("Last updated"));
    // The CLI prints it as one line.
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .arg("build")
        .output()
        .expect("binder runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("not a git repository").count(),
        1,
        "{stderr}"
    );
    // `binder check` says it once too, as a note of the report.
    let check = binder::health::check(&s.options(), jiff::civil::date(2026, 1, 1)).expect("checks");
    assert_eq!(check.notes.len(), 1, "{:?}", check.notes);
}

#[test]
fn git_enabled_without_a_repository_is_one_warning() {
    let s = Site::new();
    s.config("[git]\nenabled = true\n");
    s.article("tips/a.md", "title: A", "Body.");
    let report = s.build_ok();
    let git_warnings: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("not a git repository"))
        .collect();
    assert_eq!(git_warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.notes.is_empty());
}

#[test]
fn a_shallow_clone_builds_and_says_so_once() {
    let s = repository();
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", s.root().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(clone.path().join("site"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git clone runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = clone.path().join("site");
    crate::support::copy_dir(&s.root().join("themes"), &root.join("themes"));
    let opts = binder::BuildOptions {
        root: root.clone(),
        ..Default::default()
    };
    let report = binder::build::build(&opts, true).expect("builds");
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert!(report.notes[0].contains("shallow"), "{:?}", report.notes);
    let a = std::fs::read_to_string(root.join("public/tips/a/index.html")).expect("a built");
    assert!(
        !a.contains("Last updated"),
        "no dates from a shallow history"
    );
}

/// A commit that changes nothing under `content/` (site.toml, a theme file) is skipped
/// without reading its trees: its author is nobody's contributor and no date moves. Nested
/// folders and one change among many files of a folder are found as before.
#[test]
fn commits_outside_content_change_no_dates_or_contributors() {
    let s = repository();
    for i in 0..40 {
        s.article(
            &format!("notes/p{i:02}.md"),
            &format!("title: P{i}\ndescription: p"),
            "Body.",
        );
    }
    s.article("tips/deep/er/d.md", "title: D\ndescription: d", "Deep.");
    commit(
        &s,
        "Erin",
        "2025-05-01T10:00:00Z",
        "many notes and a deep tip",
    );
    s.config("# tuned by Dave\n");
    s.write("themes/default/static/extra.css", "body { margin: 0 }\n");
    git(s.root(), "Dave", "2025-06-01T10:00:00Z", &["add", "-A"]);
    git(
        s.root(),
        "Dave",
        "2025-06-01T10:00:00Z",
        &["commit", "-q", "-m", "config and theme"],
    );
    s.article("notes/p17.md", "title: P17\ndescription: p", "Edited.");
    s.article("tips/deep/er/d.md", "title: D\ndescription: d", "Deeper.");
    commit(
        &s,
        "Frank",
        "2025-07-01T10:00:00Z",
        "one note and the deep tip",
    );
    let (site, diags) = binder::site::load_site_lenient(&s.options()).expect("loads");
    assert!(diags.is_empty(), "{diags:?}");
    let git = |rel: &str| {
        let page = site
            .pages
            .iter()
            .find(|p| p.rel == rel)
            .expect("page exists");
        let g = page.git(&site).expect("has history");
        (g.updated.ymd(), g.contributors.clone())
    };
    assert_eq!(
        git("tips/a.md"),
        ("2025-04-01".into(), vec!["Alice".into(), "Bob".into()])
    );
    assert_eq!(
        git("notes/p16.md"),
        ("2025-05-01".into(), vec!["Erin".into()])
    );
    assert_eq!(
        git("notes/p17.md"),
        ("2025-07-01".into(), vec!["Erin".into(), "Frank".into()])
    );
    assert_eq!(
        git("tips/deep/er/d.md"),
        ("2025-07-01".into(), vec!["Erin".into(), "Frank".into()])
    );
    assert!(
        site.pages
            .iter()
            .filter_map(|p| p.git(&site))
            .all(|g| !g.contributors.iter().any(|c| c == "Dave")),
        "Dave only changed files outside content/"
    );
}
