//! The default theme built into the binary, the checks that run before any content work,
//! the theme's words in the site's language, GitHub alerts and fence aliases, end to end.

use std::time::{Duration, Instant};

use crate::support::{self, CONFIG, Site};

/// A site with no `themes/` folder: `site.toml`, a home page and `content`'s articles.
fn site_without_theme() -> Site {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    site.write("site.toml", CONFIG);
    site.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    site
}

/// A few articles touching most templates: authors, dates, concepts, a series, a callout.
fn fill(site: &Site) {
    site.article(
        "tips/ask.md",
        "title: Ask for clarity\ndate: 2026-03-04\nauthors: [Ada]\nconcepts: [trust]\nseries: Basics\nseries_order: 1",
        "Ask.\n\n> [!question] What did you try?\n\n> [!caution]\n> Careful.\n",
    );
    site.article(
        "tips/listen.md",
        "title: Listen\ndate: 2026-03-05\nauthors: [Ada, Bo]\nconcepts: [trust, listening]\nseries: Basics\nseries_order: 2",
        "See [ask](ask.md).\n",
    );
}

#[test]
fn a_site_without_a_themes_folder_builds_like_one_with_a_copy_of_the_theme() {
    let bare = site_without_theme();
    fill(&bare);
    let copied = Site::new();
    fill(&copied);
    bare.build_ok();
    copied.build_ok();
    let a = support::snapshot_dir(&bare.root().join("public"));
    let b = support::snapshot_dir(&copied.root().join("public"));
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert!(
        names(&a).iter().any(|n| n == "style.css"),
        "{:?}",
        names(&a)
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} differs between the built-in and the copied theme"
        );
    }
}

#[test]
fn site_templates_and_static_files_override_the_builtin_theme_by_name() {
    let site = site_without_theme();
    fill(&site);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">{{ page.title }}</p>{% endblock content %}",
    );
    site.write("static/style.css", "body { color: red }\n");
    site.build_ok();
    assert!(
        site.main("tips/ask/index.html")
            .contains("<p class=\"mine\">Ask for clarity</p>")
    );
    assert_eq!(site.read("style.css"), "body { color: red }\n");
    // The rest of the theme still comes from the binary.
    assert!(site.read("index.html").contains("class=\"site-header\""));
    assert!(site.exists("search.js"));
}

#[test]
fn a_themes_folder_of_the_site_is_used_instead_of_the_builtin_theme() {
    let site = Site::new();
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}own 404{% endblock content %}",
    );
    site.build_ok();
    assert!(site.read("404.html").contains("own 404"));
}

/// A content file with a front-matter error, to show that content was not looked at.
fn broken_content(site: &Site) {
    site.write("content/tips/bad.md", "---\ntitle: [unclosed\n---\nBody.\n");
}

fn messages(site: &Site) -> Vec<String> {
    site.build_err()
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

#[test]
fn a_missing_theme_is_reported_without_any_content_work() {
    let site = site_without_theme();
    site.config("theme = \"handbook\"\n");
    broken_content(&site);
    for i in 0..300 {
        site.article(&format!("many/a{i}.md"), &format!("title: A{i}"), "Text.");
    }
    let start = Instant::now();
    let errors = messages(&site);
    let took = start.elapsed();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("theme `handbook` not found"),
        "{errors:?}"
    );
    assert!(!errors.iter().any(|e| e.contains("bad.md")), "{errors:?}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let d = site.build_err();
    assert_eq!(binder::diag::exit_code(&d), 2, "a configuration error");
}

#[test]
fn a_template_error_is_reported_without_any_content_work() {
    let site = site_without_theme();
    broken_content(&site);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ oops( }}{% endblock content %}\n",
    );
    let errors = messages(&site);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("templates/page.html:2:"),
        "{errors:?}"
    );
}

#[test]
fn an_unknown_translation_key_names_the_template_and_comes_first() {
    let site = site_without_theme();
    broken_content(&site);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ t(key=\"linked_frm\") }}{% endblock content %}\n",
    );
    let d = site.build_err();
    assert_eq!(d.len(), 1, "{}", support::render(&d));
    assert_eq!(d[0].location(), "templates/page.html:2:30");
    assert_eq!(
        d[0].message,
        "unknown translation key `linked_frm` in template `page.html`"
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `linked_from`?"));
}

/// Builds `fill`'s site in `language` and returns (article page, home page).
fn pages_in(language: &str) -> (String, String, Vec<binder::diag::Diagnostic>) {
    let site = site_without_theme();
    site.config(&format!("language = \"{language}\"\n"));
    fill(&site);
    let report = site.build_ok();
    (
        site.read("tips/ask/index.html"),
        site.read("index.html"),
        report.warnings,
    )
}

#[test]
fn the_theme_speaks_the_site_language() {
    let cases = [
        (
            "en",
            "March 4, 2026",
            ["Skip to content", "Linked from", "Concepts", "By "],
            ["Question: What did you try?", ">Caution</span>"],
        ),
        (
            "de",
            "4. März 2026",
            ["Zum Inhalt springen", "Verlinkt von", "Konzepte", "Von "],
            ["Frage: What did you try?", ">Vorsicht</span>"],
        ),
        (
            "fr",
            "4 mars 2026",
            ["Aller au contenu", "Cité par", "Concepts", "Par "],
            ["Question: What did you try?", ">Attention</span>"],
        ),
        (
            "es",
            "4 de marzo de 2026",
            ["Saltar al contenido", "Enlazado desde", "Conceptos", "Por "],
            ["Pregunta: What did you try?", ">Precaución</span>"],
        ),
        (
            "ja",
            "2026年3月4日",
            [
                "本文へスキップ",
                "このページへのリンク",
                "コンセプト",
                " 著",
            ],
            ["質問: What did you try?", ">注意</span>"],
        ),
    ];
    for (lang, date, words, callouts) in cases {
        let (page, home, warnings) = pages_in(lang);
        assert!(warnings.is_empty(), "{lang}: {warnings:?}");
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(
            page.contains(&format!("<time datetime=\"2026-03-04\">{date}</time>")),
            "{lang}: {page}"
        );
        for w in words.iter().chain(&callouts) {
            assert!(page.contains(w), "{lang}: `{w}` missing");
        }
        if lang != "en" {
            for english in [
                "Skip to content",
                "Linked from",
                "On this page",
                "min read",
                "Part 1 of",
            ] {
                assert!(!page.contains(english), "{lang}: English `{english}` left");
            }
            for english in [
                ">Explore<",
                ">Question bank<",
                ">Print edition<",
                ">Sections<",
            ] {
                assert!(
                    !home.contains(english),
                    "{lang}: English `{english}` left on the home page"
                );
            }
        }
    }
}

#[test]
fn a_site_extends_and_overrides_the_translations() {
    let site = site_without_theme();
    site.config("language = \"de-AT\"\n[translations.de]\nlinked_from = \"Hierher verlinkt\"\nmy_word = \"Servus\"\n");
    site.write("i18n/de-at.toml", "home = \"Start\"\n");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ t(key=\"my_word\") }}/{{ t(key=\"home\") }}{% endblock content %}",
    );
    fill(&site);
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(
        site.read("tips/ask/index.html")
            .contains("Hierher verlinkt")
    );
    assert!(site.read("404.html").contains("Servus/Start"));
    // Keys the site does not set stay the theme's German.
    assert!(
        site.read("tips/ask/index.html")
            .contains("Zum Inhalt springen")
    );
}

#[test]
fn a_language_without_a_table_is_english_with_one_warning() {
    let (page, _, warnings) = pages_in("sw");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .message
            .contains("no translations for language `sw`"),
        "{warnings:?}"
    );
    assert!(page.contains("Skip to content"));
}

#[test]
fn github_alerts_and_callout_titles_with_markup_render_as_callouts() {
    let site = site_without_theme();
    site.article("tips/other.md", "title: Other", "Text.");
    let mut body = String::new();
    for kind in ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"] {
        body.push_str(&format!("> [!{kind}]\n> About {kind}.\n\n"));
    }
    body.push_str("> [!tip] Read [the other tip](other.md) and run `make test`\n> Body.\n");
    site.article("tips/alerts.md", "title: Alerts", &body);
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let main = site.main("tips/alerts/index.html");
    for kind in ["note", "tip", "important", "warning", "caution"] {
        assert!(
            main.contains(&format!("<aside class=\"callout callout-{kind}\"")),
            "{kind}: {main}"
        );
    }
    assert!(
        main.contains("<span class=\"callout-title-text\">Read <a href=\"../../tips/other/\">the other tip</a> and run <code>make test</code></span>"),
        "{main}"
    );
}

#[test]
fn fence_aliases_are_highlighted_without_warnings() {
    let site = site_without_theme();
    let mut body = String::new();
    for lang in [
        "shell",
        "console",
        "golang",
        "jsonc",
        "yml",
        "ps1",
        "dockerfile",
        "text",
    ] {
        body.push_str(&format!("```{lang}\nx = 1\n```\n\n"));
    }
    site.article("tips/code.md", "title: Code", &body);
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let main = site.main("tips/code/index.html");
    assert!(
        main.contains("data-lang=\"shell\"><code class=\"language-shell\"><span class=\"hl-"),
        "{main}"
    );
    assert!(
        main.contains("data-lang=\"golang\"><code class=\"language-golang\"><span class=\"hl-"),
        "{main}"
    );
}

#[test]
fn an_unknown_fence_language_warns_once_for_the_whole_site() {
    let site = site_without_theme();
    for page in ["a", "b", "c"] {
        site.article(
            &format!("tips/{page}.md"),
            &format!("title: {page}"),
            "```klingon\nx\n```\n\n```klingon\ny\n```\n",
        );
    }
    let report = site.build_ok();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    let w = &report.warnings[0];
    assert_eq!(w.path, "content/tips/a.md");
    assert!(
        w.message
            .starts_with("unknown code block language `klingon`; shown without highlighting (and in 2 more pages)"),
        "{}",
        w.message
    );
}

/// Words the Markdown renderer writes itself (anchor labels, footnotes, task boxes) follow
/// `language` like the templates' words.
#[test]
fn words_written_by_the_renderer_follow_the_site_language() {
    let site = site_without_theme();
    site.config("language = \"ja\"\n");
    site.article(
        "tips/ask.md",
        "title: 質問する",
        "## 理由\n\n本文[^1]と本文[^1]。\n\n- [x] 済み\n- [ ] まだ\n\n[^1]: 注。\n",
    );
    site.build_ok();
    let page = site.read("tips/ask/index.html");
    for word in [
        "aria-label=\"このセクションへのリンク: 理由\"",
        "aria-label=\"脚注\"",
        "aria-label=\"参照 1 に戻る\"",
        "aria-label=\"参照 1 (2) に戻る\"",
        "aria-label=\"完了\"",
        "aria-label=\"未完了\"",
    ] {
        assert!(page.contains(word), "`{word}` missing");
    }
    for english in [
        "Link to this section",
        "Footnotes",
        "Back to reference",
        "Not done",
    ] {
        assert!(!page.contains(english), "English `{english}` left");
    }
}

#[test]
fn the_concept_map_speaks_the_site_language() {
    for (lang, title, node, edge, english) in [
        (
            "en",
            "Map of concepts",
            "trust: 2 articles",
            "1 shared article",
            None,
        ),
        (
            "ja",
            "コンセプトのマップ",
            "trust: 2件の記事",
            "共通の記事1件",
            Some(["Map of", "shared article", " articles<", "each drawn"]),
        ),
        (
            "de",
            "Karte: Konzepte",
            "trust: 2 Artikel",
            "1 gemeinsamer Artikel",
            Some(["Map of", "shared article", " articles<", "each drawn"]),
        ),
    ] {
        let site = site_without_theme();
        site.config(&format!("language = \"{lang}\"\n"));
        fill(&site);
        site.build_ok();
        let list = site.read("concepts/index.html");
        let svg = &list[list.find("<svg xmlns").expect("a concept map")..];
        let svg = &svg[..svg.find("</svg>").expect("closed")];
        assert!(
            svg.contains(&format!("<title id=\"concept-map-title\">{title}</title>")),
            "{lang}: {svg}"
        );
        assert!(
            svg.contains(&format!("<title>{node}</title>")),
            "{lang}: {svg}"
        );
        assert!(svg.contains(edge), "{lang}: {svg}");
        for word in english.into_iter().flatten() {
            assert!(!svg.contains(word), "{lang}: English `{word}` left: {svg}");
        }
    }
}
