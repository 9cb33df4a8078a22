//! Untrusted content (issue 11): names, links and sizes chosen by a hostile contributor can
//! never write outside `public/`, crash a build, or blow up the output.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::support::Site;

/// Every file below `dir`, relative to it.
fn files_below(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// What binder left beside the output folder (staging and old copies of the site).
fn left_beside_output(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("binder-"))
        .collect()
}

fn binder(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run binder")
}

/// Regression (issue 11, 1): folder and file names that slug to nothing gave the URL `/` and
/// pages written at absolute paths (`/index.html`, `/etc/passwd/index.html`), or `tips//`
/// silently overwritten by the tips listing.
#[test]
fn hostile_names_never_write_outside_the_output() {
    let outside = ["/index.html", "/atom.xml", "/etc/passwd/index.html"];
    let existed: Vec<bool> = outside.iter().map(|p| Path::new(p).exists()).collect();
    let s = Site::new();
    s.article("tips/_index.md", "title: Tips", "")
        .article("tips/real.md", "title: Real tip", "A real tip.")
        .article("!!!/evil.md", "title: Evil", "body")
        .article("!!!/etc/passwd.md", "title: Passwd", "body")
        .article("!!!.md", "title: Bangs", "body")
        .article("tips/!!!.md", "title: Bang tip", "body")
        .article("....md", "title: Dots", "body")
        .article("a/.../b.md", "title: Dot folder", "body")
        .article(
            "tips/terms.md",
            "title: Terms\nconcepts: [\"../../x\", \"a/b\", \"..\"]\naliases: [\"/x/\"]",
            "body",
        );
    let before: BTreeSet<String> = files_below(s.root())
        .into_iter()
        .filter(|f| !f.starts_with("public"))
        .collect();
    let out = binder(s.root(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let after: BTreeSet<String> = files_below(s.root())
        .into_iter()
        .filter(|f| !f.starts_with("public"))
        .collect();
    assert_eq!(before, after, "nothing written beside the output\n{stderr}");
    for (p, was) in outside.iter().zip(existed) {
        assert_eq!(Path::new(p).exists(), was, "{p} created\n{stderr}");
    }
    // The ".." concept is an error (nothing to make a URL of); the rest build.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`..` has no letters or digits"), "{stderr}");

    // Without the bad concept, everything builds, each page at its own safe URL.
    s.article(
        "tips/terms.md",
        "title: Terms\nconcepts: [\"../../x\", \"a/b\"]",
        "body",
    );
    let out = binder(s.root(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("has no letters or digits to make a URL"),
        "{stderr}"
    );
    let public = files_below(&s.root().join("public"));
    let pages: Vec<&String> = public
        .iter()
        .filter(|f| f.ends_with("index.html") && f.contains("untitled-"))
        .collect();
    assert!(pages.len() >= 5, "{pages:?}");
    assert!(
        public
            .iter()
            .all(|f| !f.contains("//") && !f.starts_with('/'))
    );
    assert!(
        s.main("tips/index.html").contains("Bang tip"),
        "the tip is listed"
    );
    assert!(
        s.read("tips/index.html").contains("Tips"),
        "the listing kept its URL"
    );
}

/// Regression (issue 10): a static file and a generated page claimed one output path, and
/// which one ended up in `public/` changed from run to run.
#[test]
fn a_static_file_over_a_generated_page_is_an_error_naming_both() {
    let s = Site::new();
    s.article("tips/ask-for-clarity.md", "title: Ask", "Ask.")
        .write("static/tips/ask-for-clarity/index.html", "<p>static</p>")
        .write("static/atom.xml", "<feed/>")
        .write("static/robots.txt", "User-agent: *\n");
    let errors = s.build_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{text:#?}");
    assert!(text[0].contains("static/atom.xml") && text[0].contains("/atom.xml"));
    assert!(
        text[1].contains("static/tips/ask-for-clarity/index.html")
            && text[1].contains("content/tips/ask-for-clarity.md"),
        "{text:#?}"
    );
    assert!(errors.iter().all(|e| e.hint.is_some()));
}

/// `binder serve` answers `/_health/` and `/__binder/` itself: a file there would be served
/// differently from how it is built, so it is an error in both.
#[test]
fn files_where_serve_answers_itself_are_errors() {
    let s = Site::new();
    s.article("tips/ask.md", "title: Ask", "Ask.")
        .write("static/_health/index.html", "<p>mine</p>")
        .write("static/__binder/reload.js", "// mine");
    let errors = s.build_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{text:#?}");
    assert!(
        text.iter().any(|t| t.contains("static/_health/index.html")
            && t.contains("the health report `binder serve` shows at `/_health/`")),
        "{text:#?}"
    );
    assert!(
        text.iter().any(|t| t.contains("static/__binder/reload.js")
            && t.contains("binder's own generated pages `/__binder/`")),
        "{text:#?}"
    );
}

/// Regression (issue 11, 2): a broken link on a line of 65,540 characters panicked in the
/// diagnostics renderer (exit 101), in warn mode after writing the output.
#[test]
fn a_diagnostic_past_column_65535_is_reported_not_a_crash() {
    let s = Site::new();
    let long = "word ".repeat(13_108);
    s.article("a.md", "title: A", &format!("{long}[x](missing.md)"));
    let out = binder(s.root(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/a.md:4:65541"), "{stderr}");
    assert!(
        stderr.len() < 4_000,
        "the long line is cut: {} bytes",
        stderr.len()
    );
    s.config("[links]\nbroken = \"warn\"\n");
    let out = binder(s.root(), &["build"]);
    assert_eq!(out.status.code(), Some(0));
}

/// Issue 11, 2: a bug in binder is one report with exit code 70, never a backtrace, and the
/// previous output stays.
#[test]
fn a_panic_is_one_bug_report_with_exit_code_70() {
    let s = Site::new();
    s.article("a.md", "title: A", "body");
    s.build_ok();
    let before = s.read("a/index.html");
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .arg("build")
        .env("BINDER_INJECT_BUG", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(70), "{stderr}");
    assert!(stderr.contains("binder hit a bug: injected"), "{stderr}");
    assert!(stderr.contains("please report it"), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert_eq!(s.read("a/index.html"), before);
    let beside = left_beside_output(s.root());
    assert!(beside.is_empty(), "staging removed: {beside:?}");
}

/// Regression (issue 10): a failure to write the output exited 2 ("usage or configuration").
#[test]
fn a_failed_write_exits_1() {
    let s = Site::new();
    s.article("a.md", "title: A", "body");
    // The output's parent is a file: the staging folder cannot be created.
    s.write("blocked", "a file");
    let out = binder(s.root(), &["build", "--output", "blocked/public"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let bad_config = binder(s.root(), &["build", "--output", "content"]);
    assert_eq!(
        bad_config.status.code(),
        Some(2),
        "refusing --output is usage"
    );
}

/// Regression (issue 11, 5): symlinked files pointing outside the site were published, and
/// a symlinked folder failed with a misleading `Is a directory`.
#[cfg(unix)]
#[test]
fn symlinks_stay_inside_the_site() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nkey\n",
    )
    .expect("write");
    let s = Site::new();
    s.article("a.md", "title: A", "body").article(
        "../shared/notes/n.md",
        "title: Shared note",
        "Shared.",
    );
    let content = s.root().join("content");
    symlink(outside.path().join("secret.md"), content.join("leak.md")).expect("link");
    symlink(s.root().join("site.toml"), content.join("config.txt")).expect("link");
    symlink(s.root().join("shared/notes"), content.join("notes")).expect("link");
    let errors = s.build_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{text:#?}");
    assert!(
        text.iter()
            .any(|t| t.starts_with("content/leak.md") && t.contains("symlink"))
    );
    assert!(text.iter().any(|t| t.starts_with("content/config.txt")));
    assert!(errors.iter().all(|e| {
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains("follow_external_symlinks"))
    }));

    // A folder linked from inside the site is read like any folder; the setting allows the rest.
    std::fs::remove_file(content.join("config.txt")).expect("rm");
    s.config("[content]\nfollow_external_symlinks = true\n");
    s.build_ok();
    assert!(s.read("notes/n/index.html").contains("Shared note"));
    assert!(s.read("leak/index.html").contains("Secret"));
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_says_where_it_points() {
    let s = Site::new();
    std::os::unix::fs::symlink(s.root().join("gone.md"), s.root().join("content/x.md"))
        .expect("link");
    let errors = s.build_err();
    assert!(
        errors[0].message.contains("points to")
            && errors[0].message.contains("gone.md")
            && errors[0].path == "content/x.md",
        "{errors:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error() {
    let s = Site::new();
    s.article("a/x.md", "title: X", "body");
    std::os::unix::fs::symlink(s.root().join("content/a"), s.root().join("content/a/loop"))
        .expect("link");
    let errors = s.build_err();
    assert!(
        errors.iter().any(|e| e.message.contains("loops back")),
        "{errors:#?}"
    );
}

/// Regression (issue 11, 6): two articles sharing 2,000 concepts (53 KB of source) wrote
/// 613 MB in 4,026 files. Output must stay proportional to input.
#[test]
fn output_is_bounded_by_input_with_thousands_of_shared_concepts() {
    let s = Site::new();
    let concepts: Vec<String> = (0..2_000).map(|i| format!("concept-{i}")).collect();
    let fm = format!("concepts: [{}]", concepts.join(", "));
    s.article("a.md", &format!("title: A\n{fm}"), "Body of A.")
        .article("b.md", &format!("title: B\n{fm}"), "Body of B.");
    let source: u64 = ["content/a.md", "content/b.md"]
        .iter()
        .map(|f| std::fs::metadata(s.root().join(f)).expect("meta").len())
        .sum();
    s.build_ok();
    let total: u64 = walkdir::WalkDir::new(s.root().join("public"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    // Each of the 2,000 term pages (and its feed) is a page of its own, so the output is a
    // few KB per term; what must not happen is every term page listing every term.
    let per_term = total / 2_000;
    assert!(
        per_term < 40_000,
        "{total} bytes for {source} bytes of source ({per_term} per term)"
    );
    assert!(
        s.main("concepts/concept-7/index.html")
            .contains("+1992 more concepts")
    );
}

/// Regression (issue 11, 3), as reported: builds killed with SIGKILL at random moments left
/// their staging folders beside the output, and the next build did not remove them.
#[cfg(unix)]
#[test]
fn killed_builds_leave_nothing_behind_after_the_next_build() {
    let s = Site::new();
    for i in 0..300 {
        s.article(
            &format!("tips/t{i}.md"),
            &format!("title: Tip {i}\nconcepts: [c{}]", i % 17),
            &"Some words about coaching. ".repeat(40),
        );
    }
    for delay_ms in [30, 90, 200, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_binder"))
            .arg("--root")
            .arg(s.root())
            .arg("build")
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    s.build_ok();
    let beside = left_beside_output(s.root());
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
    assert!(s.exists("tips/t299/index.html"));
}

/// Issue 10 (one output registry): two outputs the assemble stage cannot see colliding (a
/// content file copied to the path of a theme file) are one error naming both owners.
#[test]
fn a_content_file_over_a_theme_file_is_an_error_naming_both_owners() {
    let s = Site::new();
    s.article("a.md", "title: A", "A.")
        .write("content/style.css", "body { color: red }");
    let errors = s.build_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{text:#?}");
    assert!(
        text[0].contains("the file content/style.css")
            && text[0].contains("static/style.css")
            && text[0].contains("both produce this file"),
        "{text:#?}"
    );
    assert!(!s.exists("index.html"), "a failed build writes nothing");
}
