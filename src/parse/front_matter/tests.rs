use super::*;
use crate::diag::line_col;

fn parse_as(kind: Kind, text: &str) -> Result<Parsed, Diagnostic> {
    let text: Arc<str> = Arc::from(text);
    parse(
        &text,
        "content/tips/license_troubleshooting.md",
        kind,
        &["concepts".into(), "authors".into()],
    )
}

fn parse_article(text: &str) -> Result<Parsed, Diagnostic> {
    parse_as(Kind::Article, text)
}

fn errors(p: &Parsed) -> Vec<&FmError> {
    p.problems.iter().map(|p| &p.error).collect()
}

#[test]
fn reads_every_key() {
    let p = parse_article(
        "---\ntitle: \"Trust\"\ndate: 2026-03-04\nupdated: 2026-03-05T10:00:00\nconcepts: [trust, Coaching Up]\nauthors:\n  - Ada\nseries: foundations\nseries_order: 2\npair: ../x.md\ndraft: true\nweight: 3\naliases: /old/\nextra:\n  level: 2\n---\n\nBody\n",
    )
    .expect("valid");
    assert!(p.problems.is_empty() && p.unknown.is_empty());
    let m = p.meta;
    assert_eq!(m.title.as_deref(), Some("Trust"));
    assert_eq!(m.title_source, TitleSource::FrontMatter);
    assert_eq!(m.date.map(|d| d.ymd()).as_deref(), Some("2026-03-04"));
    assert_eq!(
        m.updated.map(|d| d.rfc3339()).as_deref(),
        Some("2026-03-05T10:00:00Z")
    );
    assert_eq!(m.terms_of("concepts"), ["trust", "Coaching Up"]);
    assert_eq!(m.terms_of("authors"), ["Ada"]);
    assert_eq!(m.series_order, Some(2));
    assert!(m.draft);
    assert_eq!(m.aliases, ["/old/"]);
    assert_eq!(m.extra.get("level"), Some(&serde_json::json!(2)));
    assert_eq!(m.span_of("pair").start, "---\ntitle: \"Trust\"\ndate: 2026-03-04\nupdated: 2026-03-05T10:00:00\nconcepts: [trust, Coaching Up]\nauthors:\n  - Ada\nseries: foundations\nseries_order: 2\n".len());
}

#[test]
fn no_front_matter_takes_the_heading_and_drops_it_from_the_body() {
    let text = "# License troubleshooting: a guide\n\nFirst paragraph.\n";
    let p = parse_article(text).expect("valid");
    assert_eq!(p.syntax, None);
    assert_eq!(
        p.meta.title.as_deref(),
        Some("License troubleshooting: a guide")
    );
    assert_eq!(p.meta.title_source, TitleSource::Heading);
    assert_eq!(&text[p.body_start..], "\nFirst paragraph.\n");
}

#[test]
fn no_front_matter_and_no_heading_takes_the_file_name() {
    let p = parse_article("Just text.\n\n# A later heading\n").expect("valid");
    assert_eq!(p.meta.title.as_deref(), Some("License troubleshooting"));
    assert_eq!(p.meta.title_source, TitleSource::FileName);
    assert_eq!(p.body_start, 0);
    assert_eq!(file_name_title("content/values/README.md"), "Values");
    assert_eq!(
        file_name_title("content/team-rituals/index.md"),
        "Team rituals"
    );
    assert_eq!(file_name_title("content/README.md"), "README");
}

#[test]
fn front_matter_without_title_takes_the_heading_after_it() {
    let text = "---\ndate: 2026-01-01\n---\n\n# From the heading\nBody\n";
    let p = parse_article(text).expect("valid");
    assert_eq!(p.meta.title.as_deref(), Some("From the heading"));
    assert_eq!(&text[p.body_start..], "Body\n");
    // A heading that repeats the title is not shown twice either; another one stays.
    let text = "---\ntitle: Same\n---\n# Same\nBody\n";
    assert_eq!(
        &text[parse_article(text).expect("ok").body_start..],
        "Body\n"
    );
    let text = "---\ntitle: One\n---\n# Other\nBody\n";
    assert_eq!(
        &text[parse_article(text).expect("ok").body_start..],
        "# Other\nBody\n"
    );
}

#[test]
fn sections_and_glossary_entries_take_a_heading_but_never_the_file_name() {
    let p = parse_as(Kind::Section, "# Values\nWhat we hold.\n").expect("ok");
    assert_eq!(p.meta.title.as_deref(), Some("Values"));
    let p = parse_as(Kind::Section, "What we hold.\n").expect("ok");
    assert_eq!(p.meta.title, None);
    let p = parse_as(Kind::Glossary, "Trust is earned.\n").expect("ok");
    assert_eq!(p.meta.title, None);
}

#[test]
fn toml_front_matter_is_read_with_file_positions() {
    let text = "+++\ntitle = \"Trust\"\ndate = 2026-03-04\ntags = [\"trust\"]\nweight = \"heavy\"\n[extra]\nlevel = 2\n+++\nBody\n";
    let p = parse_article(text).expect("valid");
    assert_eq!(p.syntax, Some(Syntax::Toml));
    assert_eq!(p.meta.title.as_deref(), Some("Trust"));
    assert_eq!(p.meta.date.map(|d| d.ymd()).as_deref(), Some("2026-03-04"));
    assert_eq!(p.meta.terms_of("concepts"), ["trust"]);
    assert_eq!(p.meta.extra.get("level"), Some(&serde_json::json!(2)));
    assert_eq!(&text[p.body_start..], "Body\n");
    let bad = &p.problems[0];
    assert_eq!(line_col(text, bad.span.start), (5, 10));
    assert_eq!(
        bad.error.to_string(),
        "`weight` must be a whole number, like 3, not \"heavy\""
    );
    let e = parse_article("+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n").expect_err("dup");
    assert_eq!(e.line, 3, "{e:?}");
    assert!(e.message.contains("TOML"), "{}", e.message);
}

#[test]
fn typed_errors_carry_key_and_expected_type_and_read_as_words() {
    let p = parse_article(
        "---\ntitle: A\nseries: s\nseries_order: first\ndate: 2026-13-40\nconcepts: {a: 1}\ndraft: maybe\n---\n",
    )
    .expect("parses");
    let got: Vec<(String, String)> = p
        .problems
        .iter()
        .map(|p| match &p.error {
            FmError::WrongValue { key, expected, .. } => (key.clone(), format!("{expected:?}")),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        [
            ("series_order".into(), "WholeNumber".into()),
            ("date".into(), "Date".into()),
            ("concepts".into(), "List".into()),
            ("draft".into(), "YesNo".into()),
        ]
    );
    let words: Vec<String> = p.problems.iter().map(|p| p.error.to_string()).collect();
    assert_eq!(
        words[0],
        "`series_order` must be a whole number, like 3, not \"first\""
    );
    assert!(
        words[1].starts_with("`date` must be a date like 2026-03-04"),
        "{}",
        words[1]
    );
    assert_eq!(
        words[2],
        "`concepts` must be a list, like [trust, feedback], not a map of keys"
    );
    for w in &words {
        assert!(!w.contains("invalid type") && !w.contains("i64"), "{w}");
        assert_eq!(
            w.matches("series_order").count(),
            w.contains("series_order") as usize
        );
    }
    // The file still carries what was valid, and the rejected keys are marked.
    assert_eq!(p.meta.series.as_deref(), Some("s"));
    assert!(p.meta.is_invalid("series_order"));
    let text: Arc<str> = Arc::from("---\ntitle: A\n\nweight: heavy\n---\n");
    let p = parse(&text, "a.md", Kind::Article, &[]).expect("parses");
    let d = p.problems[0].to_diagnostic("a.md", &text);
    assert_eq!((d.line, d.col), (4, 9));
}

#[test]
fn foreign_keys_are_mapped_and_kept_in_extra() {
    let p = parse_article(
        "---\ntitle: A\ntags: [trust, feedback]\ncategories: [coaching]\nauthor: Ada\nsummary: One line.\nlastmod: 2026-03-05\npublishDate: 2026-03-01\nsidebar_position: 4\nredirect_from: [/old/]\npermalink: /handbook/ask-well/\nsidebar_label: Ask\nlayout: post\n---\n",
    )
    .expect("valid");
    let m = &p.meta;
    assert!(p.problems.is_empty() && p.unknown.is_empty(), "{p:?}");
    assert_eq!(m.terms_of("concepts"), ["trust", "feedback", "coaching"]);
    assert_eq!(m.terms_of("authors"), ["Ada"]);
    assert_eq!(m.description.as_deref(), Some("One line."));
    assert_eq!(m.updated.map(|d| d.ymd()).as_deref(), Some("2026-03-05"));
    assert_eq!(m.date.map(|d| d.ymd()).as_deref(), Some("2026-03-01"));
    assert_eq!(m.weight, Some(4));
    assert_eq!(m.aliases, ["/old/"]);
    assert_eq!(m.slug.as_deref(), Some("ask-well"));
    for key in ["tags", "sidebar_label", "layout", "permalink"] {
        assert!(m.extra.contains_key(key), "{key}");
    }
}

#[test]
fn binder_keys_win_over_foreign_ones() {
    let p = parse_article(
        "---\ntitle: A\nconcepts: [mine]\ntags: [theirs]\ndate: 2026-01-01\npublishDate: 2020-01-01\npublished: false\ndraft: false\n---\n",
    )
    .expect("valid");
    assert_eq!(p.meta.terms_of("concepts"), ["mine"]);
    assert_eq!(p.meta.date.map(|d| d.ymd()).as_deref(), Some("2026-01-01"));
    assert!(!p.meta.draft);
    let p = parse_article("---\ntitle: A\npublished: false\n---\n").expect("valid");
    assert!(p.meta.draft, "Jekyll's published: false is a draft");
}

#[test]
fn docusaurus_authors_and_last_update_and_zola_taxonomies() {
    let p = parse_article(
        "---\ntitle: A\nauthors:\n  - name: Ada\n    url: https://x\nlast_update:\n  date: 2026-02-02\n  author: Bob\nsidebar_position: 1.5\n---\n",
    )
    .expect("valid");
    assert_eq!(p.meta.terms_of("authors"), ["Ada"]);
    assert_eq!(
        p.meta.updated.map(|d| d.ymd()).as_deref(),
        Some("2026-02-02")
    );
    assert_eq!(p.meta.weight, Some(2));
    assert!(matches!(errors(&p)[..], [FmError::Rounded { .. }]));
    let p = parse_article(
        "+++\ntitle = \"A\"\n[taxonomies]\ntags = [\"t\"]\nauthors = [\"Ada\"]\n+++\n",
    )
    .expect("valid");
    assert_eq!(p.meta.terms_of("concepts"), ["t"]);
    assert_eq!(p.meta.terms_of("authors"), ["Ada"]);
}

#[test]
fn unknown_keys_are_kept_in_extra_with_a_suggestion_when_close() {
    let p = parse_article("---\ntitle: A\nstatus: draft\ncontepts: [x]\nowning-stage: plan\n---\n")
        .expect("valid");
    let keys: Vec<(&str, Option<&str>)> = p
        .unknown
        .iter()
        .map(|u| (u.key.as_str(), u.suggestion.as_deref()))
        .collect();
    assert_eq!(
        keys,
        [
            ("status", None),
            ("contepts", Some("concepts")),
            ("owning-stage", None)
        ]
    );
    assert_eq!(
        p.meta.extra.get("status"),
        Some(&serde_json::json!("draft"))
    );
    assert_eq!(p.meta.terms_of("concepts"), [] as [&str; 0]);
}

#[test]
fn duplicate_keys_are_errors_naming_both_lines() {
    let p = parse_article("---\ntitle: First\ndate: 2026-01-01\n\ntitle: Second\n---\n")
        .expect("parses");
    assert_eq!(p.meta.title.as_deref(), Some("First"));
    assert_eq!(
        p.problems[0].error.to_string(),
        "`title` is given twice, on lines 2 and 5"
    );
}

#[test]
fn control_characters_never_survive_and_are_reported_where_they_were() {
    let text = "---\ntitle: \"Ask\\0 for\\u001b clarity\"\nextra:\n  note: \"a\\0b\"\n---\n";
    let p = parse_article(text).expect("valid");
    assert_eq!(p.meta.title.as_deref(), Some("Ask for clarity"));
    assert_eq!(p.meta.extra.get("note"), Some(&serde_json::json!("ab")));
    let warnings: Vec<_> = p.problems.iter().collect();
    assert_eq!(warnings.len(), 2);
    assert!(
        warnings
            .iter()
            .all(|w| w.severity == crate::diag::Severity::Warning)
    );
    assert_eq!(line_col(text, warnings[0].span.start), (2, 8));
    assert_eq!(
        warnings[0].error,
        FmError::ControlChar {
            key: "title".into(),
            found: '\0'
        }
    );
}

#[test]
fn syntax_errors_and_unclosed_front_matter_stop_the_file() {
    let e = parse_article("---\ntitle: [A\n---\n").expect_err("bad yaml");
    assert_eq!(e.line, 2);
    assert!(
        e.message.starts_with("the front matter is not valid YAML"),
        "{}",
        e.message
    );
    let e = parse_article("---\ntitle: A\n").expect_err("unclosed");
    assert!(e.message.contains("never closed"));
}

#[test]
fn section_keys_differ_from_article_keys() {
    let text: Arc<str> = Arc::from("---\ntitle: Tips\nsort_by: weight\npaginate_by: 5\n---\n");
    let p = parse(&text, "_index.md", Kind::Section, &[]).expect("valid");
    assert_eq!(p.meta.sort_by, Some(SortBy::Weight));
    assert_eq!(p.meta.paginate_by, Some(5));
    let p = parse_as(
        Kind::Section,
        "---\ntitle: Tips\nsort_by: size\nseries: x\n---\n",
    )
    .expect("parses");
    assert!(
        p.problems[0]
            .error
            .to_string()
            .contains("one of `date`, `title`")
    );
    assert_eq!(p.unknown[0].key, "series");
}

#[test]
fn custom_taxonomy_keys_are_allowed() {
    let text: Arc<str> = Arc::from("---\ntitle: A\nlevels: [one]\n---\n");
    let p = parse(&text, "a.md", Kind::Article, &["levels".into()]).expect("valid");
    assert_eq!(p.meta.terms_of("levels"), ["one"]);
}

#[test]
fn body_start_follows_closing_line() {
    let p = parse_article("---\ntitle: A\n---\nHello").expect("valid");
    assert_eq!(p.body_start, "---\ntitle: A\n---\n".len());
}

#[test]
fn strict_report_lists_every_unknown_key_and_a_missing_title() {
    use crate::config::{FrontMatterConfig, UnknownKeys};
    let text: Arc<str> = Arc::from("---\ndate: 2026-01-01\nstatus: x\nowner: y\n---\nbody\n");
    let p = parse(&text, "content/a.md", Kind::Article, &[]).expect("ok");
    let strict = FrontMatterConfig {
        unknown_keys: UnknownKeys::Error,
        extra_keys: vec!["owner".into()],
        ..FrontMatterConfig::default()
    };
    let mut diags = crate::diag::Diagnostics::default();
    report([("content/a.md", &text, &p)], &strict, &mut diags);
    let got: Vec<String> = diags.sorted().iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "content/a.md:1:1: front matter has no `title`",
            "content/a.md:3:1: unknown front-matter key `status`",
        ]
    );
}

#[test]
fn lenient_report_counts_files_per_key() {
    let texts: Vec<Arc<str>> = ["b", "a", "c"]
        .iter()
        .map(|n| Arc::from(format!("---\ntitle: {n}\nstatus: x\n---\n").as_str()))
        .collect();
    let parsed: Vec<Parsed> = texts
        .iter()
        .map(|t| parse(t, "x.md", Kind::Article, &[]).expect("ok"))
        .collect();
    let paths = ["content/b.md", "content/a.md", "content/c.md"];
    let mut diags = crate::diag::Diagnostics::default();
    report(
        (0..3).map(|i| (paths[i], &texts[i], &parsed[i])),
        &Default::default(),
        &mut diags,
    );
    let all = diags.sorted();
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0].to_string(),
        "content/a.md:3:1: unknown front-matter key `status` in 3 files: kept in page.extra"
    );
    assert!(!all[0].is_error());
}

#[test]
fn folder_pages_take_section_and_article_keys() {
    let text: Arc<str> = Arc::from("---\nsort_by: weight\ntags: [x]\n---\n# Guide\n");
    let p = parse(&text, "content/guide/README.md", Kind::FolderPage, &[]).expect("ok");
    assert_eq!(p.meta.sort_by, Some(SortBy::Weight));
    assert_eq!(p.meta.terms_of("concepts"), ["x"]);
    assert_eq!(p.meta.title.as_deref(), Some("Guide"));
    let p = parse(
        &Arc::from("text\n"),
        "content/guide/index.md",
        Kind::FolderPage,
        &[],
    )
    .expect("ok");
    assert_eq!(
        p.meta.title.as_deref(),
        Some("Guide"),
        "named after the folder"
    );
}

#[test]
fn a_docusaurus_sidebar_label_names_a_page_without_title_or_heading() {
    let p = parse_article("---\nsidebar_label: Licences\n---\nJust text.\n").expect("valid");
    assert_eq!(p.meta.title.as_deref(), Some("Licences"));
    assert!(p.unknown.is_empty(), "sidebar_label is a known key");
    let p = parse_article("---\nsidebar_label: Short\n---\n# The long title\n").expect("valid");
    assert_eq!(
        p.meta.title.as_deref(),
        Some("The long title"),
        "a heading wins"
    );
}

#[test]
fn key_roles_name_the_binder_field_a_foreign_key_fills() {
    let tax = ["concepts".to_owned(), "authors".to_owned()];
    assert_eq!(key_role("title", Kind::Article, &tax), KeyRole::Native);
    assert_eq!(key_role("concepts", Kind::Article, &tax), KeyRole::Native);
    assert_eq!(
        key_role("tags", Kind::Article, &tax),
        KeyRole::Mapped("concepts".into())
    );
    assert_eq!(
        key_role("lastmod", Kind::Article, &tax),
        KeyRole::Mapped("updated".into())
    );
    assert_eq!(key_role("toc_hide", Kind::Article, &tax), KeyRole::Kept);
    assert_eq!(
        key_role("titel", Kind::Article, &tax),
        KeyRole::Unknown(Some("title".into()))
    );
}
