use super::*;

fn plain() -> FenceOptions {
    FenceOptions::default()
}

fn fence(info: &str) -> FenceOptions {
    parse_fence_info(info).1
}

#[test]
fn highlighter_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Highlighter>();
}

#[test]
fn rust_gets_classed_spans() {
    let out = Highlighter::new().highlight(Some("rust"), "fn main() {}\n", &plain());
    assert!(out.known_language);
    assert!(
        out.html
            .starts_with(r#"<pre class="code" data-lang="rust"><code class="language-rust">"#),
        "{}",
        out.html
    );
    assert!(
        out.html.contains(r#"<span class="hl-source hl-rust">"#),
        "{}",
        out.html
    );
    assert!(
        out.html
            .contains(r#"<span class="hl-storage hl-type hl-function hl-rust">fn</span>"#)
    );
    assert!(
        out.html
            .contains(r#"<span class="hl-entity hl-name hl-function hl-rust">main</span>"#)
    );
    assert!(out.html.ends_with("</code></pre>\n"));
    assert!(
        !out.html.contains("style="),
        "classes only, no inline styles"
    );
}

#[test]
fn languages_match_by_extension_and_name_case_insensitively() {
    let highlighter = Highlighter::new();
    for lang in [
        "rs",
        "RUST",
        "toml",
        "ts",
        "TypeScript",
        "yaml",
        "yml",
        "bash",
        "sh",
    ] {
        let out = highlighter.highlight(Some(lang), "x = 1\n", &plain());
        assert!(out.known_language, "{lang} should be known");
        assert!(out.html.contains("hl-source"), "{lang}: {}", out.html);
    }
}

#[test]
fn toml_and_typescript_are_highlighted() {
    let highlighter = Highlighter::new();
    let toml = highlighter.highlight(Some("toml"), "[package]\nname = \"binder\"\n", &plain());
    assert!(toml.html.contains("hl-toml"), "{}", toml.html);
    assert!(toml.html.contains("hl-string"), "{}", toml.html);
    let ts = highlighter.highlight(Some("typescript"), "const x: number = 1;\n", &plain());
    assert!(ts.html.contains("hl-ts"), "{}", ts.html);
    assert!(ts.html.contains("hl-storage"), "{}", ts.html);
}

#[test]
fn plain_and_missing_languages_are_escaped_and_known() {
    let highlighter = Highlighter::new();
    let none = highlighter.highlight(None, "<b>&</b>\n", &plain());
    assert!(none.known_language);
    assert_eq!(
        none.html,
        "<pre class=\"code\"><code>&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
    );
    let text = highlighter.highlight(Some("text"), "a < b\n", &plain());
    assert!(text.known_language);
    assert!(text.html.contains("a &lt; b"));
    assert!(!text.html.contains("hl-"));
}

#[test]
fn unknown_language_is_plain_and_flagged() {
    let out = Highlighter::new().highlight(Some("klingon\"x"), "qapla' <\n", &plain());
    assert!(!out.known_language);
    assert!(out.html.contains("qapla&#39; &lt;"), "{}", out.html);
    assert!(
        out.html.contains(r#"data-lang="klingon&quot;x""#),
        "{}",
        out.html
    );
}

#[test]
fn linenos_wrap_every_line_with_a_number() {
    let out = Highlighter::new().highlight(Some("text"), "a\nb\n", &fence("text,linenos"));
    assert_eq!(
        out.html,
        concat!(
            "<pre class=\"code\" data-lang=\"text\"><code class=\"language-text\">",
            "<span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">1</span>a</span>\n",
            "<span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">2</span>b</span>\n",
            "</code></pre>\n"
        )
    );
}

#[test]
fn hl_lines_mark_lines_without_numbers() {
    let code = "one\ntwo\nthree\nfour\n";
    let out = Highlighter::new().highlight(None, code, &fence("hl_lines=2-3"));
    assert!(out.html.contains("<span class=\"line\">one</span>\n"));
    assert!(out.html.contains("<span class=\"line hl\">two</span>\n"));
    assert!(out.html.contains("<span class=\"line hl\">three</span>\n"));
    assert!(out.html.contains("<span class=\"line\">four</span>\n"));
    assert!(!out.html.contains("class=\"ln\""));
}

#[test]
fn spans_are_balanced_on_every_line_of_a_multiline_token() {
    let code = "/* first\n   second */\nfn x() {}\n";
    let out = Highlighter::new().highlight(Some("rust"), code, &fence("rust linenos hl_lines=2"));
    let lines: Vec<&str> = out
        .html
        .lines()
        .filter(|l| l.contains("class=\"line"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", out.html);
    for line in &lines {
        assert_eq!(
            line.matches("<span").count(),
            line.matches("</span>").count(),
            "{line}"
        );
    }
    // The comment scope is reopened on the second line.
    assert!(
        lines[1].starts_with("<span class=\"line hl\">"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("hl-comment"), "{}", lines[1]);
}

#[test]
fn code_without_final_newline_keeps_its_last_line() {
    let out = Highlighter::new().highlight(Some("rust"), "let a = 1;", &plain());
    assert!(out.html.contains("hl-storage"), "{}", out.html);
    assert!(
        out.html.ends_with("</span>\n</code></pre>\n"),
        "{}",
        out.html
    );
}

#[test]
fn knows_many_languages() {
    assert!(Highlighter::new().language_count() > 100);
}

const TINY_SYNTAX: &str = r#"%YAML 1.2
---
name: Coachscript
file_extensions: [coach]
scope: source.coach
contexts:
  main:
    - match: '\b(ask|listen)\b'
      scope: keyword.control.coach
"#;

#[test]
fn extra_syntaxes_are_loaded_from_a_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("coach.sublime-syntax"), TINY_SYNTAX).expect("write");
    std::fs::write(dir.path().join("notes.txt"), "ignored").expect("write");
    let highlighter = Highlighter::with_extra_syntaxes(dir.path()).expect("valid syntax");
    let out = highlighter.highlight(Some("coach"), "ask then listen\n", &plain());
    assert!(out.known_language);
    assert!(
        out.html.contains("hl-keyword hl-control hl-coach"),
        "{}",
        out.html
    );
    // The bundled languages are still there.
    assert!(
        highlighter
            .highlight(Some("toml"), "a = 1\n", &plain())
            .known_language
    );
    assert!(
        !Highlighter::new()
            .highlight(Some("coach"), "ask\n", &plain())
            .known_language
    );
}

#[test]
fn broken_syntax_file_is_named_in_the_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.sublime-syntax");
    std::fs::write(
        &path,
        "name: Broken\nscope: source.broken\ncontexts:\n  main:\n    - match: '[a'\n",
    )
    .expect("write");
    let err = Highlighter::with_extra_syntaxes(dir.path()).expect_err("bad regex");
    let message = err.to_string();
    assert!(message.contains("broken.sublime-syntax"), "{message}");
}

#[test]
fn missing_directory_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let err = Highlighter::with_extra_syntaxes(&missing).expect_err("missing dir");
    assert!(matches!(err, HighlightError::Io { .. }));
    assert!(err.to_string().contains("nope"));
}

#[test]
fn an_unknown_language_warns_once_per_site_at_its_first_use() {
    use crate::diag::Diagnostic;
    let warn = |path: &str, lang: &str| {
        Diagnostic::warning(
            path,
            format!("{UNKNOWN_LANGUAGE}{lang}`; shown without highlighting"),
        )
    };
    let all = vec![
        warn("content/a.md", "klingon"),
        Diagnostic::warning("content/a.md", "something else"),
        warn("content/b.md", "Klingon"),
        warn("content/c.md", "klingon"),
        warn("content/c.md", "vulcan"),
    ];
    let out = one_warning_per_language(all);
    let shown: Vec<(String, String)> = out
        .iter()
        .map(|d| (d.path.clone(), d.message.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "content/a.md".to_owned(),
                "unknown code block language `klingon`; shown without highlighting (and in 2 more pages)".to_owned()
            ),
            ("content/a.md".to_owned(), "something else".to_owned()),
            (
                "content/c.md".to_owned(),
                "unknown code block language `vulcan`; shown without highlighting".to_owned()
            ),
        ]
    );
}
