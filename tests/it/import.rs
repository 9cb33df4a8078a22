//! `binder import` (issue 13 item 5): a small site of each kind is copied into a new binder
//! site that builds with no hand edits; the source is never changed.

use std::path::Path;

use binder::import::{Generator, import};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Imports `src` into a fresh folder, builds it, and returns (dest dir, import result).
fn import_and_build(src: &Path) -> (tempfile::TempDir, binder::import::Imported) {
    let before = crate::support::snapshot_dir(src);
    let dest = tempfile::tempdir().expect("tempdir");
    let done = import(src, dest.path()).expect("import");
    assert_eq!(
        crate::support::snapshot_dir(src),
        before,
        "the source is only read"
    );
    let opts = binder::BuildOptions {
        root: dest.path().to_owned(),
        ..Default::default()
    };
    if let Err(e) = binder::build::build(&opts, true) {
        panic!(
            "imported site does not build:\n{}",
            crate::support::render(&e.diagnostics)
        );
    }
    (dest, done)
}

fn read(dest: &Path, rel: &str) -> String {
    std::fs::read_to_string(dest.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_hugo_site_imports_with_its_settings_and_toml_front_matter() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "hugo.toml",
        "baseURL = 'https://hb.example.org/handbook/'\ntitle = 'Team handbook'\nlanguageCode = 'en-us'\n",
    );
    write(
        s,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
    );
    write(
        s,
        "content/values/_index.md",
        "---\ntitle: Values\nweight: 1\nlinkTitle: Ours\n---\n",
    );
    write(
        s,
        "content/values/trust_first.md",
        "+++\ntitle = \"Trust first\"\ntags = [\"trust\"]\nlastmod = 2026-03-05\nstatus = \"live\"\n+++\nSee [home](/).\n",
    );
    write(s, "static/logo.txt", "logo");
    write(s, "themes/ananke/layouts/x.html", "not copied");
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::Hugo);
    assert_eq!(done.detected.title.as_deref(), Some("Team handbook"));
    let toml = std::fs::read_to_string(dest.path().join("site.toml")).expect("site.toml");
    assert!(
        toml.contains("base_url = \"https://hb.example.org/handbook/\""),
        "{toml}"
    );
    assert!(toml.contains("keep_names = true") && toml.contains("unknown_keys = \"warn\""));
    assert!(
        toml.contains("wikilinks = false"),
        "Hugo has no wikilinks: {toml}"
    );
    assert!(read(dest.path(), "values/trust_first/index.html").contains("Trust first"));
    assert!(
        dest.path()
            .join("public/concepts/trust/index.html")
            .exists()
    );
    assert!(dest.path().join("public/logo.txt").exists());
    assert!(!dest.path().join("content/themes").exists());
}

#[test]
fn a_jekyll_site_imports_posts_and_pages() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "_config.yml",
        "title: Our handbook\nurl: https://example.org\nbaseurl: /hb\n",
    );
    write(s, "_layouts/default.html", "<html>{{ content }}</html>");
    write(
        s,
        "index.md",
        "---\nlayout: home\n---\n# Welcome\n\nHello.\n",
    );
    write(
        s,
        "about.md",
        "---\nlayout: page\ntitle: About\npermalink: /about/\n---\nAbout us.\n",
    );
    write(
        s,
        "_posts/2026-01-05-first-post.md",
        "---\nlayout: post\ntitle: First post\ncategories: [news]\nauthor: Ada\n---\nHi.\n",
    );
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::Jekyll);
    assert_eq!(
        done.detected.base_url.as_deref(),
        Some("https://example.org/hb")
    );
    assert!(read(dest.path(), "about/index.html").contains("About us."));
    assert!(read(dest.path(), "posts/2026-01-05-first-post/index.html").contains("First post"));
    // Jekyll published it at /news/2026/01/05/first-post.html: a redirect is written there.
    let old = read(dest.path(), "news/2026/01/05/first-post.html");
    assert!(old.contains("posts/2026-01-05-first-post/"), "{old}");
    assert!(dest.path().join("public/authors/ada/index.html").exists());
    assert!(!dest.path().join("content/_layouts").exists());
}

#[test]
fn an_mdbook_keeps_the_summary_order() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "book.toml",
        "[book]\ntitle = \"The Guide\"\nsrc = \"src\"\n",
    );
    write(
        s,
        "src/SUMMARY.md",
        "# Summary\n\n[Introduction](README.md)\n\n- [Guide](guide/README.md)\n  - [Zebra first](guide/zebra.md)\n  - [Apple second](guide/apple.md)\n",
    );
    write(s, "src/README.md", "# Introduction\n\nStart here.\n");
    write(s, "src/guide/README.md", "# Guide\n\nThe chapters.\n");
    write(s, "src/guide/zebra.md", "# Zebra first\n\nZ.\n");
    write(s, "src/guide/apple.md", "# Apple second\n\nA.\n");
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::MdBook);
    assert_eq!(done.pages, 4, "SUMMARY.md is not a page");
    assert!(read(dest.path(), "index.html").contains("Start here."));
    let home = read(dest.path(), "guide/index.html");
    let (z, a) = (home.find("Zebra first"), home.find("Apple second"));
    assert!(z.is_some() && z < a, "SUMMARY order, not alphabetical");
}

#[test]
fn an_obsidian_vault_imports_without_its_settings_folder() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(s, ".obsidian/app.json", "{}");
    write(
        s,
        "Feedback loops.md",
        "---\ntags: [feedback]\naliases: [Loops]\ncssclasses: [wide]\n---\nSee [[Trust]].\n",
    );
    write(s, "Trust.md", "Trust is earned.\n");
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::Obsidian);
    assert!(!dest.path().join("content/.obsidian").exists());
    assert!(
        dest.path()
            .join("public/concepts/feedback/index.html")
            .exists()
    );
}

#[test]
fn a_docusaurus_site_imports_docs_with_sidebar_positions() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "docusaurus.config.js",
        "module.exports = {\n  title: 'Team docs',\n  url: 'https://docs.example.org',\n  baseUrl: '/',\n};\n",
    );
    write(
        s,
        "docs/intro.md",
        "---\nsidebar_position: 1\n---\n# Intro\n",
    );
    write(
        s,
        "docs/guide/b.md",
        "---\nsidebar_position: 1\nsidebar_label: B\n---\n# Second by name, first by position\n",
    );
    write(
        s,
        "docs/guide/a.md",
        "---\nsidebar_position: 2\n---\n# First by name\n",
    );
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::Docusaurus);
    assert_eq!(done.detected.title.as_deref(), Some("Team docs"));
    let home = read(dest.path(), "guide/index.html");
    let (b, a) = (home.find("Second by name"), home.find("First by name"));
    assert!(b.is_some() && b < a, "{home}");
}

#[test]
fn import_never_writes_into_a_folder_that_is_not_empty() {
    let src = tempfile::tempdir().expect("tempdir");
    write(src.path(), "a.md", "# A\n");
    let dest = tempfile::tempdir().expect("tempdir");
    write(dest.path(), "keep.txt", "mine");
    let e = import(src.path(), dest.path()).expect_err("not empty");
    assert!(e.diagnostics[0].message.contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(dest.path().join("keep.txt")).expect("kept"),
        "mine"
    );
}

/// Found importing sourcegraph/handbook: a repository whose pages sit in `content/` beside
/// the old site's code was copied whole, code and all.
#[test]
fn a_plain_repository_with_a_content_folder_imports_only_that_folder() {
    let src = tempfile::tempdir().expect("tempdir");
    write(
        src.path(),
        "README.md",
        "# The handbook repo\n\nHow to run the site.\n",
    );
    write(src.path(), "src/app.md", "# Code notes\n");
    write(src.path(), "content/index.md", "# Handbook\n\nWelcome.\n");
    write(
        src.path(),
        "content/values/trust.md",
        "# Trust\n\nWe trust.\n",
    );
    let (dest, done) = import_and_build(src.path());
    assert_eq!(done.generator, Generator::Plain);
    assert_eq!(
        done.detected.title.as_deref(),
        Some("The handbook repo"),
        "the README's heading names the site, not the folder"
    );
    assert!(read(dest.path(), "values/trust/index.html").contains("We trust."));
    assert!(!dest.path().join("content/src").exists());
    assert!(!dest.path().join("content/content").exists());
}

/// A Hugo site configured in YAML (`config/_default/config.yaml`), in Japanese, with the
/// kinds of problems a migration meets: the report says what was mapped, what was kept and
/// which links fail and why, with `file:line`.
#[test]
fn a_japanese_hugo_site_with_yaml_config_imports_with_an_actionable_report() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "config/_default/config.yaml",
        "languageCode: ja\ntitle: チームハンドブック\nbaseURL: https://hb.example.org/\nparams:\n  title: ignored\n",
    );
    write(
        s,
        "content/_index.md",
        "---\ntitle: ホーム\n---\nようこそ。\n",
    );
    write(s, "content/values/_index.md", "---\ntitle: 価値観\n---\n");
    write(
        s,
        "content/values/trust.md",
        "---\ntitle: 信頼\nlastmod: 2026-03-05\nstatus: live\naliases: [/old/trust/]\n---\n## 信頼とは\n\n本文。\n",
    );
    write(
        s,
        "content/values/links.md",
        "---\ntitle: リンク\ntags: [values]\nstatus: draft\n---\n[a](trust.md#what-is-trust) と [b](trust.md#what-is-trust)、[c](/job-library/pm/)、[d](missing.md)。\n",
    );
    let (dest, done) = import_and_build(s);
    let d = dest.path();
    assert_eq!(done.detected.language.as_deref(), Some("ja"));
    assert_eq!(done.detected.title.as_deref(), Some("チームハンドブック"));
    // Text binder writes itself follows the language too.
    let feed = std::fs::read_to_string(d.join("public/values/atom.xml")).expect("feed");
    assert!(
        feed.contains("<title>価値観 · チームハンドブック</title>"),
        "{feed}"
    );
    let moved = read(d, "old/trust/index.html");
    assert!(
        moved.contains("<title>移動しました: 信頼</title>"),
        "{moved}"
    );
    assert!(moved.contains("このページは <a href="), "{moved}");
    let report = std::fs::read_to_string(d.join("MIGRATION.md")).expect("MIGRATION.md");
    assert!(report.contains("| `lastmod` | `updated` | 1 |"), "{report}");
    assert!(report.contains("| `tags` | `concepts` | 1 |"), "{report}");
    assert!(
        report.contains("| `status` | 2 | unknown, warned once per build"),
        "{report}"
    );
    assert!(
        report.contains("### Links to missing anchors (2)"),
        "{report}"
    );
    assert!(
        report.contains(
            "2 of them are Latin-script anchors into pages whose headings are in another script"
        ),
        "{report}"
    );
    assert!(
        report.contains("content/values/links.md:6:1 `#what-is-trust`"),
        "{report}"
    );
    assert!(
        report.contains("### Links to missing pages (1)"),
        "{report}"
    );
    assert!(
        report.contains(
            "- `/job-library/pm/` (1 link) — nothing on this site is under `/job-library/`: if \
             the page is on another site, link its full URL (`https://…`), or remove the link: \
             content/values/links.md:6:59 `/job-library/pm/`"
        ),
        "{report}"
    );
    assert!(
        report.contains("### Links to missing files (1)"),
        "{report}"
    );
    assert!(
        report.contains("- `content/values/missing.md` (1 link)"),
        "{report}"
    );
    assert!(
        done.summary
            .iter()
            .any(|l| l.starts_with("links: 4 do not resolve (links to missing anchors: 2,")),
        "{:?}",
        done.summary
    );
}

#[test]
fn obsidian_aliases_are_wikilink_names_not_redirects_and_embeds_include_notes() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(s, ".obsidian/app.json", "{}");
    write(
        s,
        "Feedback loops.md",
        "---\naliases: [Loops, Rückkopplung]\n---\nClose the loop.\n",
    );
    write(
        s,
        "Daily.md",
        "See [[Loops]] and [[Rückkopplung|this]].\n\n![[Feedback loops]]\n\n![[diagram.png]]\n",
    );
    write(s, "attachments/diagram.png", "png");
    let (dest, done) = import_and_build(s);
    let d = dest.path();
    let toml = std::fs::read_to_string(d.join("site.toml")).expect("site.toml");
    assert!(toml.contains("aliases = \"names\""), "{toml}");
    assert!(
        !toml.contains("wikilinks = false"),
        "Obsidian has wikilinks: {toml}"
    );
    let daily = read(d, "Daily/index.html");
    assert!(daily.contains(">Feedback loops</a> and <a"), "{daily}");
    assert!(daily.contains("<section class=\"embed\">"), "{daily}");
    assert!(daily.contains("<p>Close the loop.</p>"), "{daily}");
    // Obsidian finds an attachment by its name alone.
    assert!(
        daily.contains("<img src=\"../Daily/attachments/diagram.png\""),
        "{daily}"
    );
    assert!(d.join("public/Daily/attachments/diagram.png").exists());
    assert!(
        !d.join("public/Loops/index.html").exists(),
        "no redirect page"
    );
    assert!(
        !d.join("public/loops/index.html").exists(),
        "no redirect page"
    );
    let report = std::fs::read_to_string(d.join("MIGRATION.md")).expect("MIGRATION.md");
    assert!(report.contains("not redirects"), "{report}");
    assert!(done.notes.iter().any(|n| n.contains("aliases")));
}

#[test]
fn a_docusaurus_category_file_names_orders_and_describes_its_folder() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "docusaurus.config.js",
        "module.exports = {\n  title: 'Team docs',\n  url: 'https://docs.example.org',\n  baseUrl: '/',\n};\n",
    );
    write(s, "docs/intro.md", "# Intro\n\nHello.\n");
    write(
        s,
        "docs/zz-basics/_category_.json",
        "{\n  \"label\": \"Getting started\",\n  \"position\": 1,\n  \"link\": { \"type\": \"generated-index\", \"description\": \"Read this first.\" }\n}\n",
    );
    write(
        s,
        "docs/zz-basics/setup.md",
        "---\nsidebar_label: Set up\n---\nInstall it.\n",
    );
    write(
        s,
        "docs/aa-advanced/_category_.json",
        "{ \"label\": \"Advanced\", \"position\": 2 }",
    );
    write(s, "docs/aa-advanced/tuning.md", "# Tuning\n\nFaster.\n");
    let (dest, done) = import_and_build(s);
    let d = dest.path();
    assert!(!d.join("content/zz-basics/_category_.json").exists());
    let basics = read(d, "zz-basics/index.html");
    assert!(basics.contains("Getting started"), "{basics}");
    assert!(basics.contains("Read this first."), "{basics}");
    assert!(
        basics.contains(">Set up<"),
        "sidebar_label names the page: {basics}"
    );
    let home = read(d, "index.html");
    let (g, a) = (home.find("Getting started"), home.find("Advanced"));
    assert!(
        g.is_some() && g < a,
        "position, not folder name, orders: {home}"
    );
    assert!(
        done.notes.iter().any(|n| n.contains("2 `_category_.json`")),
        "{:?}",
        done.notes
    );
}

/// Found importing a Japanese Hugo handbook: its 1,300 `{{% alert %}}` and `{{% details %}}`
/// boxes showed as literal braces, and its `<iframe>` embeds as text although Hugo passed
/// raw HTML through.
#[test]
fn hugo_shortcodes_become_callouts_and_links_and_raw_html_stays_allowed() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "config/_default/config.yaml",
        "title: Ops handbook\nmarkup:\n  goldmark:\n    renderer:\n      unsafe: true\n",
    );
    write(s, "content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    write(
        s,
        "content/oncall.md",
        "---\ntitle: On call\n---\n\
         {{% alert title=\"Before you page\" color=\"warning\" %}}\nCheck the *status page*.\n{{% /alert %}}\n\
         Paging rules follow.\n\n\
         {{% details summary=\"Escalation\" %}}\nCall the lead.\n{{% /details %}}\n\n\
         {{< youtube \"a1b2c3\" >}}\n\n\
         {{< team-by-manager-slug \"ops-lead\" >}}\n\n\
         <iframe src=\"about:blank\" width=\"960\" title=\"Rota\"></iframe>\n\n\
         ```text\n{{% alert %}} stays as an example {{% /alert %}}\n```\n",
    );
    let (dest, _) = import_and_build(s);
    let html = read(dest.path(), "oncall/index.html");
    assert!(
        html.contains("callout-warning") && html.contains("Before you page"),
        "{html}"
    );
    assert!(html.contains("<em>status page</em>"), "{html}");
    assert!(
        html.contains("Paging rules follow.") && !html.contains("&gt; Paging"),
        "the paragraph after the box is its own: {html}"
    );
    assert!(
        html.contains("callout-note") && html.contains("Escalation"),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://www.youtube.com/watch?v=a1b2c3\""),
        "{html}"
    );
    assert!(html.contains("<iframe src=\"about:blank\""), "{html}");
    assert!(
        html.contains("{{% alert %}} stays as an example"),
        "code keeps its shortcode: {html}"
    );
    let toml = std::fs::read_to_string(dest.path().join("site.toml")).expect("site.toml");
    assert!(
        toml.contains("[markdown]\n") && toml.contains("raw_html = \"allow\""),
        "{toml}"
    );
    let report = std::fs::read_to_string(dest.path().join("MIGRATION.md")).expect("report");
    assert!(
        report.contains("2 boxes (alert, note, warning, details, panel) became callouts")
            && report.contains("1 `youtube` shortcodes became links"),
        "{report}"
    );
    assert!(
        report.contains("`team-by-manager-slug` ×1 (first at content/oncall.md:14)"),
        "{report}"
    );
}

/// A plain repository's raw HTML is reported with the setting that would show it.
#[test]
fn raw_html_in_a_plain_repository_is_reported_not_allowed() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(s, "content/index.md", "# Team\n\nHello.\n");
    write(
        s,
        "content/values.md",
        "# Values\n\nSome text.\n\n<div class=\"video\">\n<iframe src=\"about:blank\"></iframe>\n</div>\n",
    );
    let (dest, _) = import_and_build(s);
    let toml = std::fs::read_to_string(dest.path().join("site.toml")).expect("site.toml");
    assert!(!toml.contains("raw_html"), "{toml}");
    let report = std::fs::read_to_string(dest.path().join("MIGRATION.md")).expect("report");
    assert!(
        report.contains(
            "1 page holds raw HTML (first at content/values.md:5), which binder shows as text"
        ),
        "{report}"
    );
}

/// Found on Zola's own documentation site: a Zola site (its `config.toml` has `base_url`)
/// was imported as Hugo, losing its address, and a section's `template = "documentation.html"`
/// (a template of the old theme) stopped the build.
#[test]
fn a_zola_site_imports_with_its_address_and_without_the_old_themes_templates() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "config.toml",
        "base_url = \"https://docs.example.org/\"\ntitle = \"Zola-made docs\"\ndefault_language = \"fr\"\ntaxonomies = [{ name = \"tags\" }]\n\n[extra]\nlogo = \"x\"\n",
    );
    write(
        s,
        "content/_index.md",
        "+++\ntitle = \"Home\"\ntemplate = \"index.html\"\n+++\nHi.\n",
    );
    write(
        s,
        "content/guide/_index.md",
        "+++\ntitle = \"Guide\"\ntemplate = \"documentation.html\"\ntransparent = true\nsort_by = \"weight\"\n+++\n",
    );
    write(
        s,
        "content/guide/start.md",
        "+++\ntitle = \"Start\"\nweight = 1\n\n[taxonomies]\ntags = [\"setup\"]\n\n[extra]\ntemplate = \"kept.html\"\n+++\nSee [the guide](@/guide/_index.md) and <kbd>Ctrl</kbd>.\n\n{{ resize_image(path=\"a.png\") }}\n\n```\n{{ youtube(id=\"in-code\") }}\n```\n",
    );
    write(s, "templates/documentation.html", "{{ not copied }}");
    // A section named like a tool folder is content (Zola's docs list themes so).
    write(
        s,
        "content/themes/_index.md",
        "+++\ntitle = \"Themes\"\n+++\nSee [the guide](@/guide/start.md).\n",
    );
    write(
        s,
        "content/themes/build/one.md",
        "+++\ntitle = \"One\"\n+++\n",
    );
    write(s, "themes/old/theme.toml", "not copied");
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::Zola);
    assert!(read(dest.path(), "themes/index.html").contains("Themes"));
    assert!(read(dest.path(), "themes/build/one/index.html").contains("One"));
    assert!(!dest.path().join("content/old").exists() && !dest.path().join("static/old").exists());
    let toml = std::fs::read_to_string(dest.path().join("site.toml")).expect("site.toml");
    assert!(
        toml.contains("base_url = \"https://docs.example.org/\"")
            && toml.contains("language = \"fr\"")
            && toml.contains("raw_html = \"allow\""),
        "{toml}"
    );
    let index = std::fs::read_to_string(dest.path().join("content/guide/_index.md")).expect("md");
    assert!(!index.contains("template"), "{index}");
    let start = std::fs::read_to_string(dest.path().join("content/guide/start.md")).expect("md");
    assert!(
        start.contains("template = \"kept.html\""),
        "a key of [extra] is not the page's template: {start}"
    );
    assert!(read(dest.path(), "guide/start/index.html").contains("<kbd>Ctrl</kbd>"));
    let report = std::fs::read_to_string(dest.path().join("MIGRATION.md")).expect("report");
    assert!(
        report.contains("`documentation.html` ×1 (first at content/guide/_index.md:3)")
            && report.contains("`index.html` ×1 (first at content/_index.md:3)"),
        "{report}"
    );
    assert!(
        report.contains("`resize_image` ×1 (first at content/guide/start.md:")
            && !report.contains("youtube"),
        "{report}"
    );
    // The source keeps its own templates.
    assert!(
        std::fs::read_to_string(s.join("content/guide/_index.md"))
            .expect("source")
            .contains("template = \"documentation.html\"")
    );
}

/// Found on mdBook's own guide: `{{#include}}` and `{{#playground}}` showed as text, and a
/// fragment that chapters include (`cli/arg-watcher.md`) became a page of its own.
#[test]
fn an_mdbook_expands_its_includes_and_drops_fragments_that_are_no_chapters() {
    let repo = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(repo.path().join(".git")).expect("git dir");
    write(
        repo.path(),
        "examples/hello.rs",
        "// ANCHOR: main\nfn main() {\n    println!(\"hi\");\n}\n// ANCHOR_END: main\n",
    );
    let s = &repo.path().join("guide");
    write(s, "book.toml", "[book]\ntitle = \"Guide\"\n");
    write(
        s,
        "src/SUMMARY.md",
        "# Summary\n\n- [Serve](cli/serve.md)\n- [Watch](cli/watch.md)\n",
    );
    write(
        s,
        "src/cli/arg-watcher.md",
        "#### `--watcher`\n\nPicks the <b>backend</b>.\n",
    );
    write(
        s,
        "src/cli/serve.md",
        "# Serve\n\n{{#include arg-watcher.md}}\n\n```rust\n{{#include ../../../examples/hello.rs:main}}\n```\n\nWrite `\\{{#include file.rs}}` to include.\n",
    );
    write(
        s,
        "src/cli/watch.md",
        "# Watch\n\n{{#include arg-watcher.md}}\n\n{{#playground ../../../examples/hello.rs editable}}\n",
    );
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::MdBook);
    assert_eq!(done.pages, 2, "the fragment is no page");
    let serve = read(dest.path(), "cli/serve/index.html");
    assert!(
        serve.contains("--watcher") && serve.contains("<b>backend</b>"),
        "included Markdown, its raw HTML passed as mdBook does: {serve}"
    );
    assert!(serve.contains("println!"), "{serve}");
    assert!(!serve.contains("ANCHOR"), "{serve}");
    assert!(
        serve.contains("{{#include file.rs}}"),
        "an escaped directive is text"
    );
    assert!(read(dest.path(), "cli/watch/index.html").contains("println!"));
    assert!(!dest.path().join("content/cli/arg-watcher.md").exists());
    let report = std::fs::read_to_string(dest.path().join("MIGRATION.md")).expect("report");
    assert!(
        report.contains("`{{#include}}` ×3, `{{#playground}}` ×1")
            && report.contains("1 file that other chapters include")
            && report.contains("`cli/arg-watcher.md`"),
        "{report}"
    );
}

/// Found on GitHub's Open Source Guides: the articles live in a Jekyll collection
/// (`_articles/`, `output: true`, `permalink: /:path/`), which was skipped as a tool folder,
/// and the Liquid `index.html` was copied over the home page, which stopped the build.
#[test]
fn a_jekyll_collection_is_imported_and_liquid_pages_are_listed() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "_config.yml",
        "title: Guides\n\nexclude:\n  - docs\n  - Gemfile*\n\ncollections:\n  articles:\n    output: true\n    permalink: \"/:path/\"\n  recipes:\n    output: true\n  data_only:\n    output: false\n\ndefaults: []\n",
    );
    write(s, "docs/maintainers.md", "# How we run this repository\n");
    write(s, "Gemfile.lock", "GEM\n");
    write(
        s,
        "_articles/quoted.md",
        "---\ntitle: Quoted\n---\n<aside markdown=\"1\" class=\"pquote\">\n  Working on [a project](https://example.org) helped.\n  <p markdown=\"1\" class=\"pquote-credit\">\n— [@ada](https://github.com/ada)\n  </p>\n</aside>\n",
    );
    write(
        s,
        "index.html",
        "---\nlayout: index\n---\n{% for a in site.articles %}{{ a.title }}{% endfor %}\n",
    );
    write(
        s,
        "google123.html",
        "google-site-verification: google123.html\n",
    );
    write(
        s,
        "_articles/how-to-contribute.md",
        "---\ntitle: How to contribute\n---\nSee [the legal guide](../legal/#why).\n\n<aside markdown=\"1\" class=\"pquote\">A quote.</aside>\n",
    );
    write(
        s,
        "_articles/legal.md",
        "---\ntitle: Legal\n---\n## Why\n\nBecause.\n",
    );
    write(s, "_recipes/bread.md", "---\ntitle: Bread\n---\nFlour.\n");
    write(s, "_data_only/x.md", "---\ntitle: X\n---\n");
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::Jekyll);
    let page = read(dest.path(), "how-to-contribute/index.html");
    assert!(page.contains("How to contribute"), "{page}");
    assert!(
        page.contains("<aside markdown=\"1\" class=\"pquote\">"),
        "kramdown passed raw HTML: {page}"
    );
    assert!(read(dest.path(), "recipes/bread/index.html").contains("Flour."));
    assert!(!dest.path().join("content/data_only").exists());
    assert!(
        !dest.path().join("content/docs").exists()
            && !dest.path().join("content/Gemfile.lock").exists(),
        "`exclude:` is honoured"
    );
    let quoted = read(dest.path(), "quoted/index.html");
    assert!(
        quoted.contains("<aside class=\"pquote\">")
            && quoted.contains("<a href=\"https://example.org\">a project</a>")
            && quoted.contains("<a href=\"https://github.com/ada\">@ada</a>"),
        "kramdown's markdown=\"1\" content is Markdown: {quoted}"
    );
    assert!(!dest.path().join("content/index.html").exists());
    assert!(
        dest.path().join("public/google123.html").exists(),
        "plain HTML is a file to publish"
    );
    let report = std::fs::read_to_string(dest.path().join("MIGRATION.md")).expect("report");
    assert!(
        report.contains("1 HTML page with front matter is a Liquid template")
            && report.contains("`index.html`"),
        "{report}"
    );
}

/// Found on the Tech Interview Handbook (Docusaurus): its docs live where the config says
/// (`docs: { path: './contents' }`), not in `docs/` (the import stopped with "cannot read
/// docs"), and its pages are MDX: imports, `<head>` blocks and React components showed as
/// text at the top of every page.
#[test]
fn a_docusaurus_site_with_its_own_docs_folder_and_mdx_pages() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    write(
        s,
        "docusaurus.config.js",
        "module.exports = {\n  title: 'Interview handbook',\n  presets: [\n    ['@docusaurus/preset-classic', {\n      docs: {\n        path: './contents',\n        routeBasePath: '/',\n      },\n      blog: { blogSidebarCount: 15 },\n    }],\n  ],\n};\n",
    );
    write(
        s,
        "contents/behavioral.md",
        "---\ntitle: Behavioral interviews\n---\n\n<head>\n  <meta property=\"og:image\" content=\"x.png\" />\n</head>\n\nimport InDocAd from './_components/InDocAd';\n\nPrepare your stories.\n\n<InDocAd />\n",
    );
    write(
        s,
        "contents/_components/InDocAd.js",
        "export default () => null;\n",
    );
    let (dest, done) = import_and_build(s);
    assert_eq!(done.generator, Generator::Docusaurus);
    let page = read(dest.path(), "behavioral/index.html");
    assert!(page.contains("Prepare your stories."), "{page}");
    for mdx in ["import InDocAd", "og:image", "&lt;InDocAd", "<InDocAd"] {
        assert!(!page.contains(mdx), "{mdx} in {page}");
    }
    let report = std::fs::read_to_string(dest.path().join("MIGRATION.md")).expect("report");
    assert!(
        report.contains("`InDocAd` ×1 (first at content/behavioral.md:13)"),
        "{report}"
    );
}
