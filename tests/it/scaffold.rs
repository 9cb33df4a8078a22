//! `binder init`, `binder new` and `binder check`, mostly through the real binary: what a new
//! team types on day one and what its CI runs on every change.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{self, Site};

/// Runs the built `binder` with `args` in `dir`.
fn binder(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_binder"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run binder")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn build_report(root: &Path) -> binder::build::Report {
    let opts = binder::BuildOptions {
        root: root.to_owned(),
        ..Default::default()
    };
    binder::build::build(&opts, true)
        .unwrap_or_else(|e| panic!("build failed:\n{}", support::render(&e.diagnostics)))
}

#[test]
fn init_scaffolds_a_handbook_that_builds_without_warnings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = binder(tmp.path(), &["init", "team-handbook"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let created = stdout(&out);
    for file in [
        "site.toml",
        ".gitignore",
        "content/_index.md",
        "content/tips/ask-one-question-at-a-time.md",
        "themes/default/templates/base.html",
        "themes/default/static/search.js",
    ] {
        assert!(
            created.contains(&format!("created team-handbook/{file}\n")),
            "{file} not reported:\n{created}"
        );
    }
    let root = tmp.path().join("team-handbook");
    let ignore = std::fs::read_to_string(root.join(".gitignore")).expect("gitignore");
    // The output, and (issue 11) what an interrupted build leaves beside it.
    for pattern in ["public/", ".*.binder-staging-*", ".*.binder-old-*"] {
        assert!(ignore.lines().any(|l| l == pattern), "{pattern}:\n{ignore}");
    }
    assert!(
        std::fs::read_to_string(root.join("site.toml"))
            .expect("config")
            .contains("title = \"Team handbook\"")
    );
    // The theme written is byte-for-byte the one in the repo.
    for rel in ["templates/base.html", "static/style.css"] {
        assert_eq!(
            std::fs::read(root.join("themes/default").join(rel)).ok(),
            std::fs::read(support::repo().join("themes/default").join(rel)).ok(),
            "{rel}"
        );
    }

    let report = build_report(&root);
    assert!(
        report.warnings.is_empty(),
        "warnings:\n{}",
        support::render(&report.warnings)
    );
    assert_eq!(
        report.pages, 4,
        "one principle, one tip, two pair-blog posts"
    );
    let public = root.join("public");
    for page in [
        "index.html",
        "principles/trust-comes-first/index.html",
        "tips/ask-one-question-at-a-time/index.html",
        "pair-blog/the-first-session-coach/index.html",
        "pair-blog/the-first-session-lead/index.html",
        "atom.xml",
        "search/index.js",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    // The pair names each other, so each post shows its partner.
    let coach =
        std::fs::read_to_string(public.join("pair-blog/the-first-session-coach/index.html"))
            .expect("page");
    assert!(
        coach.contains("the-first-session-lead/"),
        "the coach's post links its partner"
    );
    let out = binder(&root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("checked 4 articles: no errors, no warnings"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_refuses_to_overwrite_anything() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("site.toml"), "# mine\n").expect("write");
    let failed = binder::scaffold::init(tmp.path()).expect_err("site.toml exists");
    let text = support::render(&failed.diagnostics);
    assert!(
        text.contains("site.toml") && text.contains("never overwrites"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site.toml")).expect("read"),
        "# mine\n",
        "untouched"
    );
    assert!(
        !tmp.path().join("content").exists(),
        "nothing written when anything is in the way"
    );

    let out = binder(tmp.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(2), "usage error: {}", stderr(&out));
    assert!(
        stderr(&out).contains("site.toml: this folder already holds a handbook"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_in_a_repository_keeps_its_gitignore() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join(".gitignore"), "target/\n").expect("write");
    let created = binder::scaffold::init(tmp.path())
        .unwrap_or_else(|e| panic!("{}", support::render(&e.diagnostics)));
    assert!(!created.iter().any(|p| p.ends_with(".gitignore")));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".gitignore")).expect("read"),
        "target/\n"
    );
    assert!(tmp.path().join("site.toml").is_file());
}

#[test]
fn new_creates_an_article_with_front_matter_and_prints_its_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    binder::scaffold::init(tmp.path())
        .unwrap_or_else(|e| panic!("{}", support::render(&e.diagnostics)));
    let out = binder(tmp.path(), &["new", "tips", "Ask Better Questions"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "content/tips/ask-better-questions.md\n");
    let text = std::fs::read_to_string(tmp.path().join("content/tips/ask-better-questions.md"))
        .expect("article");
    let today = jiff::Zoned::now().date();
    assert_eq!(
        text,
        format!("---\ntitle: \"Ask Better Questions\"\ndate: {today}\nconcepts: []\n---\n\n")
    );
    let report = build_report(tmp.path());
    assert!(
        report.warnings.is_empty(),
        "{}",
        support::render(&report.warnings)
    );
    assert!(
        tmp.path()
            .join("public/tips/ask-better-questions/index.html")
            .is_file()
    );

    // Never twice.
    let again = binder(tmp.path(), &["new", "tips", "Ask better questions!"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains(
            "content/tips/ask-better-questions.md: an article with this name already exists"
        ),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("content/tips/ask-better-questions.md"))
            .expect("article"),
        text
    );
}

#[test]
fn new_needs_an_existing_section_and_a_site() {
    let tmp = tempfile::tempdir().expect("tempdir");
    binder::scaffold::init(tmp.path())
        .unwrap_or_else(|e| panic!("{}", support::render(&e.diagnostics)));
    let e =
        binder::scaffold::new_article(tmp.path(), "tipz", "Hello").expect_err("no such section");
    assert_eq!(e.diagnostics[0].path, "content/tipz");
    assert_eq!(
        e.diagnostics[0].hint.as_deref(),
        Some(
            "did you mean `tips`? sections: pair-blog, principles, tips; to start a new section, \
             create content/tipz/_index.md"
        )
    );
    let e = binder::scaffold::new_article(tmp.path(), "concepts", "Hello")
        .expect_err("a glossary folder");
    assert!(
        e.diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("tips")),
        "{:?}",
        e.diagnostics[0]
    );
    let e = binder::scaffold::new_article(tmp.path(), "tips", "???").expect_err("nothing to slug");
    assert!(e.diagnostics[0].message.contains("no letters or digits"));
    assert!(!tmp.path().join("content/tipz").exists());

    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = binder(elsewhere.path(), &["new", "tips", "Hello"]);
    assert_eq!(out.status.code(), Some(2), "no site.toml is a usage error");
    assert!(stderr(&out).contains("binder init"), "{}", stderr(&out));
}

#[test]
fn check_exits_0_on_a_good_site_and_writes_nothing() {
    let s = Site::new();
    s.article("tips/a.md", "title: A", "See [B](b.md).")
        .article("tips/b.md", "title: B", "Back to [A](a.md).");
    let out = binder(s.root(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("checked 2 articles: no errors"),
        "{}",
        stderr(&out)
    );
    assert!(!s.root().join("public").exists(), "check writes no output");
}

#[test]
fn check_exits_1_on_a_broken_link_and_says_where() {
    let s = Site::new();
    s.article(
        "tips/a.md",
        "title: A",
        "Fine text.\n\nSee [the missing page](missing.md) and [B](b.md#nowhere).",
    )
    .article("tips/b.md", "title: B", "Body.");
    let out = binder(s.root(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/tips/a.md:6:5"),
        "path:line:col of the first broken link:\n{err}"
    );
    assert!(
        err.contains("nowhere"),
        "every problem is reported, the broken anchor too:\n{err}"
    );
    // Regression (issue 10): `check` never writes, so it never says "nothing was written".
    assert!(!err.contains("nothing was written"), "{err}");
    assert!(err.contains("\nchecked 2 articles: 2 errors, "), "{err}");
    assert!(!s.root().join("public").exists());
}
