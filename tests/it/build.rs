//! `binder build`: pretty URLs, sections, templates, static files, drafts, and every error
//! case of config, front matter, URLs and the output folder (issue 2).

use crate::support::{Site, render, snapshot_dir};

fn messages(ds: &[binder::diag::Diagnostic]) -> Vec<String> {
    ds.iter().map(ToString::to_string).collect()
}

#[test]
fn every_article_gets_a_pretty_url() {
    let s = Site::new();
    s.article(
        "tips/ask-for-clarity.md",
        "title: Ask for clarity",
        "Ask *what* first.",
    );
    s.article("about.md", "title: About", "About us.");
    s.article(
        "tips/bundle/index.md",
        "title: A bundle",
        "![A chart](chart.svg)",
    );
    s.write(
        "content/tips/bundle/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.build_ok();
    assert!(
        s.main("tips/ask-for-clarity/index.html")
            .contains("<em>what</em>")
    );
    assert!(s.exists("about/index.html"));
    assert!(s.exists("tips/bundle/index.html"));
    assert!(
        s.exists("tips/bundle/chart.svg"),
        "bundle assets sit next to the page"
    );
    assert!(
        s.main("tips/bundle/index.html")
            .contains("src=\"../../tips/bundle/chart.svg\"")
    );
}

#[test]
fn assets_beside_an_article_are_copied_next_to_its_page() {
    let s = Site::new();
    s.article(
        "tips/ask.md",
        "title: Ask",
        "![What, why, how](map.svg) and [the handout](files/handout.pdf)",
    );
    s.write(
        "content/tips/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.write("content/tips/files/handout.pdf", "%PDF-1.4");
    s.build_ok();
    assert!(s.exists("tips/ask/map.svg"), "next to the page");
    assert!(s.exists("tips/ask/files/handout.pdf"));
    assert!(s.exists("tips/map.svg"), "and at its own path");
    let m = s.main("tips/ask/index.html");
    assert!(m.contains("src=\"../../tips/ask/map.svg\""), "{m}");
    assert!(
        m.contains("href=\"../../tips/ask/files/handout.pdf\""),
        "{m}"
    );
}

#[test]
fn slug_in_front_matter_overrides_the_file_name() {
    let s = Site::new();
    s.article("tips/x.md", "title: X\nslug: Better Name", "x");
    s.build_ok();
    assert!(s.exists("tips/better-name/index.html"));
}

#[test]
fn section_listing_sorts_and_paginates() {
    let s = Site::new();
    s.write(
        "content/tips/_index.md",
        "---\ntitle: Tips\nsort_by: weight\npaginate_by: 2\n---\nAll tips.\n",
    );
    s.article("tips/a.md", "title: Alpha\nweight: 30", "a");
    s.article("tips/b.md", "title: Bravo\nweight: 10", "b");
    s.article("tips/c.md", "title: Charlie\nweight: 20", "c");
    s.build_ok();
    let first = s.main("tips/index.html");
    let (b, c) = (
        first.find("Bravo").expect("Bravo"),
        first.find("Charlie").expect("Charlie"),
    );
    assert!(b < c, "weight order");
    assert!(!first.contains("Alpha"), "third item is on page 2");
    assert!(s.main("tips/page/2/index.html").contains("Alpha"));
}

#[test]
fn sections_sort_by_date_and_title() {
    let s = Site::new();
    s.write("content/blog/_index.md", "---\ntitle: Blog\n---\n");
    s.article("blog/old.md", "title: Old post\ndate: 2024-01-01", "x");
    s.article("blog/new.md", "title: New post\ndate: 2026-01-01", "x");
    s.write(
        "content/az/_index.md",
        "---\ntitle: AZ\nsort_by: title\n---\n",
    );
    s.article("az/z.md", "title: Zulu", "x");
    s.article("az/a.md", "title: Alpha", "x");
    s.build_ok();
    let blog = s.main("blog/index.html");
    assert!(
        blog.find("New post") < blog.find("Old post"),
        "newest first"
    );
    let az = s.main("az/index.html");
    assert!(az.find("Alpha") < az.find("Zulu"));
}

#[test]
fn nested_sections_have_parents() {
    let s = Site::new();
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.write(
        "content/tips/remote/_index.md",
        "---\ntitle: Remote tips\n---\n",
    );
    s.article("tips/remote/camera.md", "title: Camera on", "x");
    s.build_ok();
    assert!(s.exists("tips/remote/camera/index.html"));
    assert!(
        s.main("tips/index.html").contains("Remote tips"),
        "subsection listed"
    );
    let crumbs = s.read("tips/remote/camera/index.html");
    assert!(crumbs.contains("Remote tips") && crumbs.contains("Tips"));
}

#[test]
fn a_site_template_overrides_the_theme_by_name() {
    let s = Site::new();
    s.article("a.md", "title: A", "body");
    s.write(
        "templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><main>custom {{ page.title }}</main>",
    );
    s.build_ok();
    assert!(s.read("a/index.html").contains("custom A"));
    assert!(
        s.read("index.html").contains("skip-link"),
        "other templates still come from the theme"
    );
}

#[test]
fn site_static_files_win_over_theme_static_files() {
    let s = Site::new();
    s.write("themes/default/static/only-theme.txt", "theme");
    s.write("themes/default/static/both.txt", "theme");
    s.write("static/both.txt", "site");
    s.build_ok();
    assert_eq!(s.read("only-theme.txt"), "theme");
    assert_eq!(s.read("both.txt"), "site");
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let s = Site::new();
    s.article("wip.md", "title: Work in progress\ndraft: true", "x");
    s.build_ok();
    assert!(!s.exists("wip/index.html"));
    let mut opts = s.options();
    opts.drafts = true;
    binder::build::build(&opts, true).expect("build with drafts");
    assert!(s.exists("wip/index.html"));
}

#[test]
fn crlf_and_bom_are_accepted() {
    let s = Site::new();
    s.write(
        "content/win.md",
        "\u{feff}---\r\ntitle: Windows\r\nconcepts: [trust]\r\n---\r\nLine one\r\n",
    );
    s.build_ok();
    assert!(s.main("win/index.html").contains("Line one"));
}

#[test]
fn raw_html_is_escaped_by_default_and_allowed_on_request() {
    let s = Site::new();
    s.article("x.md", "title: X", "<script>alert(1)</script>\n\nText");
    s.build_ok();
    let main = s.main("x/index.html");
    assert!(!main.contains("<script>alert"), "escaped");
    assert!(main.contains("&lt;script&gt;"));
    s.config("[markdown]\nraw_html = \"allow\"\n");
    s.build_ok();
    assert!(s.main("x/index.html").contains("<script>alert(1)</script>"));
}

#[test]
fn base_url_subpath_keeps_links_relative() {
    let s = Site::new();
    s.article("tips/a.md", "title: A", "See [B](b.md).");
    s.article("tips/b.md", "title: B", "b");
    s.build_ok();
    let html = s.read("tips/a/index.html");
    assert!(
        html.contains("href=\"../../tips/b/\""),
        "relative internal link"
    );
    assert!(
        html.contains("href=\"../../style.css\""),
        "relative stylesheet"
    );
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://example.org/handbook/tips/a/\">")
    );
}

// ---- errors -------------------------------------------------------------------------

#[test]
fn unknown_config_key_names_line_and_suggests() {
    let s = Site::new();
    s.config("titel = \"oops\"\n");
    let e = s.build_err();
    assert_eq!(messages(&e), ["site.toml:3:1: unknown key `titel`"]);
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `title`?"));
}

/// Front matter checked as `binder init` sets it up (unknown keys are errors).
const STRICT: &str = "[front_matter]\nunknown_keys = \"error\"\n";

#[test]
fn front_matter_errors_are_located_and_reported_together() {
    let s = Site::new();
    s.config(STRICT);
    s.article("b.md", "title: B\ndate: 2026-02-30", "x");
    s.article("a.md", "title: A\nconcpts: [trust]", "x");
    s.article("c.md", "title: C\nweight: heavy", "x");
    s.article("d.md", "date: 2026-01-01", "x");
    let e = s.build_err();
    let m = messages(&e);
    assert_eq!(m.len(), 4, "{m:?}");
    assert_eq!(m[0], "content/a.md:3:1: unknown front-matter key `concpts`");
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `concepts`?"));
    assert!(m[1].starts_with("content/b.md:3:"), "{}", m[1]);
    assert!(m[1].contains("date"));
    assert!(m[2].starts_with("content/c.md:3:"), "{}", m[2]);
    assert!(
        m[3].starts_with("content/d.md:1:1: front matter has no `title`"),
        "{}",
        m[3]
    );
    let out = render(&e);
    assert!(
        out.contains("concpts: [trust]"),
        "the offending line is shown:\n{out}"
    );
}

#[test]
fn two_files_on_one_url_is_an_error_naming_both() {
    let s = Site::new();
    s.article("tips/a.md", "title: A\nslug: same", "x");
    s.article("tips/same.md", "title: Same", "x");
    let e = s.build_err();
    let all = render(&e);
    assert!(
        all.contains("content/tips/a.md") && all.contains("content/tips/same.md"),
        "{all}"
    );
    assert!(all.contains("/tips/same/"), "{all}");
}

#[test]
fn a_missing_template_is_an_error() {
    let s = Site::new();
    s.article("a.md", "title: A\ntemplate: wide.html", "x");
    let e = s.build_err();
    assert!(
        e[0].to_string()
            .contains("template `wide.html` does not exist"),
        "{}",
        e[0]
    );
}

#[test]
fn a_template_error_names_file_and_line() {
    let s = Site::new();
    s.article("a.md", "title: A", "x");
    s.write(
        "templates/page.html",
        "<!doctype html>\n<main>\n{{ page.title | nosuchfilter }}\n</main>\n",
    );
    let e = s.build_err();
    let m = e[0].to_string();
    assert!(m.starts_with("templates/page.html:3:"), "{m}");
}

#[test]
fn output_folder_may_not_be_content_or_root() {
    let s = Site::new();
    for bad in [".", "content"] {
        let mut opts = s.options();
        opts.output = Some(s.root().join(bad));
        let e = binder::build::build(&opts, true).expect_err("refused");
        assert!(
            e.diagnostics[0].message.contains("refusing"),
            "{}",
            e.diagnostics[0]
        );
    }
    let foreign = tempfile::tempdir().expect("tempdir");
    std::fs::write(foreign.path().join("thesis.docx"), "precious").expect("write");
    let mut opts = s.options();
    opts.output = Some(foreign.path().to_owned());
    let e = binder::build::build(&opts, true).expect_err("refused");
    assert!(e.diagnostics[0].message.contains("did not write"));
    assert_eq!(
        std::fs::read_to_string(foreign.path().join("thesis.docx")).expect("kept"),
        "precious"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let s = Site::new();
    s.article("a.md", "title: A", "first version");
    s.build_ok();
    let before = snapshot_dir(&s.root().join("public"));
    s.article(
        "a.md",
        "title: A",
        "second version, with a [broken](missing.md) link",
    );
    s.build_err();
    assert_eq!(
        snapshot_dir(&s.root().join("public")),
        before,
        "byte-for-byte unchanged"
    );
    let leftovers: Vec<_> = std::fs::read_dir(s.root())
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("binder-staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder left behind: {leftovers:?}"
    );
}

#[test]
fn cli_exit_codes_and_help() {
    let bin = env!("CARGO_BIN_EXE_binder");
    let help = std::process::Command::new(bin)
        .args(["build", "--help"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    for opt in ["--output", "--drafts", "--base-url", "--root"] {
        assert!(text.contains(opt), "build --help mentions {opt}");
    }
    let s = Site::new();
    s.article("a.md", "title: A", "x");
    let ok = std::process::Command::new(bin)
        .args(["--root"])
        .arg(s.root())
        .arg("build")
        .output()
        .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    s.config(STRICT);
    s.article("a.md", "title: A\nbogus: 1", "x");
    let bad = std::process::Command::new(bin)
        .args(["--root"])
        .arg(s.root())
        .arg("build")
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("content/a.md:3:1: unknown front-matter key `bogus`"),
        "{err}"
    );
    s.config("nonsense = 1\n");
    let cfg = std::process::Command::new(bin)
        .args(["--root"])
        .arg(s.root())
        .arg("build")
        .output()
        .expect("run");
    assert_eq!(cfg.status.code(), Some(2), "config errors exit 2");
}

#[test]
fn diagnostics_render_with_source_line_and_hint() {
    let s = Site::new();
    s.config(STRICT);
    s.article(
        "tips/ask.md",
        "title: Ask for clarity\nconcpts: [trust]",
        "Body.",
    );
    s.article("tips/b.md", "title: B", "See [a](ask-for-clarty.md).");
    let out = render(&s.build_err());
    insta::assert_snapshot!(out);
}

#[test]
fn a_draft_section_disappears_with_its_pages() {
    let s = Site::new();
    s.write(
        "content/wip/_index.md",
        "---\ntitle: Work in progress\ndraft: true\n---\n",
    );
    s.article("wip/idea.md", "title: Idea", "x");
    s.article("a.md", "title: A", "x");
    s.build_ok();
    assert!(
        !s.exists("wip/index.html"),
        "no listing for a draft section"
    );
    assert!(!s.exists("wip/idea/index.html"));
    assert!(
        !s.read("index.html").contains("Work in progress"),
        "not in the navigation"
    );
    let mut opts = s.options();
    opts.drafts = true;
    binder::build::build(&opts, true).expect("build with drafts");
    assert!(s.exists("wip/idea/index.html"));
}
