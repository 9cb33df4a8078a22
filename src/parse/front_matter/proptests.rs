//! Property tests: no input makes the front-matter parser panic, and what binder writes
//! it reads back unchanged. The case count is bounded so the run takes seconds in CI; set
//! `PROPTEST_CASES=100000` for a longer run.

use std::sync::Arc;

use proptest::prelude::*;

use super::{Kind, Syntax, parse};

fn cfg() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text made of front-matter-ish pieces, so the generator reaches deep into both readers.
fn fm_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_owned()),
        Just("+++\n".to_owned()),
        Just("title: ".to_owned()),
        Just("title = ".to_owned()),
        Just("# Heading\n".to_owned()),
        Just("tags: [a, b]\n".to_owned()),
        Just("\"\\0\"".to_owned()),
        Just("- x\n".to_owned()),
        Just("  ".to_owned()),
        Just("[extra]\n".to_owned()),
        Just("<!--".to_owned()),
        Just("=====\n".to_owned()),
        "[a-z_:{}\\[\\]\"'#=, .\n-]{0,12}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// A value for a plain YAML/TOML string: printable, no quotes or backslashes to escape.
fn plain_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 ,.!?()&;_-]{0,30}[A-Za-z0-9.!?)]".prop_map(|s| s)
}

fn check_never_panics(text: &str) {
    let text: Arc<str> = Arc::from(text);
    for kind in [Kind::Article, Kind::Section, Kind::Glossary] {
        if let Ok(p) = parse(&text, "content/a.md", kind, &["levels".into()]) {
            assert!(p.body_start <= text.len());
            assert!(text.is_char_boundary(p.body_start));
            for problem in &p.problems {
                let d = problem.to_diagnostic("content/a.md", &text);
                assert!(d.line >= 1, "{d:?}");
            }
            for u in &p.unknown {
                assert!(u.span.end <= text.len());
            }
            let clean = |s: &str| !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
            assert!(p.meta.title.as_deref().is_none_or(clean));
        }
    }
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_never_panics(&text);
    }

    #[test]
    fn front_matter_like_text_never_panics(text in fm_like()) {
        check_never_panics(&text);
    }

    #[test]
    fn yaml_round_trip(title in plain_text(), terms in proptest::collection::vec("[a-z][a-z-]{0,10}", 0..5),
                       order in 1i64..1000, body in "[a-z \n]{0,40}") {
        let list = terms.join(", ");
        let text = format!("---\ntitle: \"{title}\"\nconcepts: [{list}]\nseries: s\nseries_order: {order}\n---\n{body}");
        let text: Arc<str> = Arc::from(text.as_str());
        let p = parse(&text, "content/a.md", Kind::Article, &[]).expect("valid");
        prop_assert_eq!(p.meta.title.as_deref(), Some(title.as_str()));
        prop_assert_eq!(p.meta.terms_of("concepts"), terms.as_slice());
        prop_assert_eq!(p.meta.series_order, Some(order));
        prop_assert_eq!(&text[p.body_start..], body.as_str());
        prop_assert!(p.problems.is_empty());
    }

    #[test]
    fn toml_round_trip(title in plain_text(), weight in -1000i64..1000, draft in any::<bool>()) {
        let text = format!("+++\ntitle = \"{title}\"\nweight = {weight}\ndraft = {draft}\n+++\nBody");
        let text: Arc<str> = Arc::from(text.as_str());
        let p = parse(&text, "content/a.md", Kind::Article, &[]).expect("valid");
        prop_assert_eq!(p.syntax, Some(Syntax::Toml));
        prop_assert_eq!(p.meta.title.as_deref(), Some(title.as_str()));
        prop_assert_eq!(p.meta.weight, Some(weight));
        prop_assert_eq!(p.meta.draft, draft);
    }

    #[test]
    fn heading_title_round_trip(title in "[A-Za-z0-9][A-Za-z0-9 ,.!?-]{0,30}[A-Za-z0-9.!?]", rest in "[a-z ]{0,20}") {
        let text = format!("# {title}\n\n{rest}");
        let text: Arc<str> = Arc::from(text.as_str());
        let p = parse(&text, "content/a.md", Kind::Article, &[]).expect("valid");
        prop_assert_eq!(p.meta.title.as_deref(), Some(title.trim()));
        prop_assert_eq!(&text[p.body_start..], format!("\n{rest}"));
    }

    #[test]
    fn unknown_keys_round_trip_into_extra(key in "[a-z][a-z_]{3,12}", value in plain_text()) {
        let text = format!("---\ntitle: t\nx_{key}: \"{value}\"\n---\n");
        let text: Arc<str> = Arc::from(text.as_str());
        let p = parse(&text, "content/a.md", Kind::Article, &[]).expect("valid");
        let k = format!("x_{key}");
        prop_assert_eq!(p.meta.extra.get(&k), Some(&serde_json::Value::String(value)));
        prop_assert_eq!(p.unknown.len(), 1);
    }
}
