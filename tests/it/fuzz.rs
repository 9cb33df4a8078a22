//! Property tests over hostile input (issue 11, 7): the Markdown pipeline, diagnostics and
//! whole builds never panic, whatever the text. CI runs a bounded number of cases; set
//! `PROPTEST_CASES` for a longer run (README: "Fuzzing").

use std::sync::{Arc, OnceLock};

use binder::diag::{Diagnostic, render};
use binder::parse::highlight::Highlighter;
use binder::parse::markdown::{
    self, LinkKind, LinkResolver, MarkdownOptions, RenderOptions, ResolvedLink,
};
use proptest::prelude::*;

use crate::support::Site;

/// `PROPTEST_CASES` if set (a longer local run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn highlighter() -> &'static Highlighter {
    static HL: OnceLock<Highlighter> = OnceLock::new();
    HL.get_or_init(Highlighter::new)
}

struct NoLinks;

impl LinkResolver for NoLinks {
    fn resolve(&self, _kind: LinkKind, _dest: &str, _offset: usize) -> Option<ResolvedLink> {
        None
    }
}

/// Markdown-ish text: the characters that make structure, plus anything at all.
fn markdownish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("[[".to_owned()),
        Just("]]".to_owned()),
        Just("![[".to_owned()),
        Just("[x](".to_owned()),
        Just(")".to_owned()),
        Just("\n> [!tip] ".to_owned()),
        Just("\n```rust,hl_lines=2-".to_owned()),
        Just("\n```\n".to_owned()),
        Just("\n# ".to_owned()),
        Just(" {#".to_owned()),
        Just("}".to_owned()),
        Just("[^1]".to_owned()),
        Just("\n[^1]: ".to_owned()),
        Just("<!-- more -->".to_owned()),
        Just("\n| a | b |\n|---|---|\n".to_owned()),
        Just("<script>".to_owned()),
        Just("\n- [ ] ".to_owned()),
        Just("\t".to_owned()),
        "\\PC{0,8}",
        ".{0,4}",
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    #[test]
    fn markdown_never_panics(body in markdownish(), smart in any::<bool>(), raw in any::<bool>()) {
        let md = MarkdownOptions { smart_punctuation: smart, allow_raw_html: raw, ..Default::default() };
        let scan = markdown::scan(&body, &md);
        let opts = RenderOptions { markdown: &md, highlighter: highlighter(), id_prefix: None, renderer_words: None };
        let out = markdown::render(&body, &opts, &NoLinks);
        if !raw {
            prop_assert!(!out.html.contains("<script>"), "raw HTML escaped");
        }
        prop_assert!(scan.word_count <= body.len());
    }

    #[test]
    fn diagnostics_render_anywhere(text in "\\PC{0,300}", at in 0usize..400, len in 0usize..50) {
        let src: Arc<str> = Arc::from(text.as_str());
        let d = Diagnostic::error("content/a.md", "x").at(&src, at..at + len);
        let out = render(&d, false);
        prop_assert!(out.starts_with("error: content/a.md"));
    }
}

proptest! {
    // Whole builds are slower: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(cases(24)))]

    #[test]
    fn builds_of_arbitrary_articles_never_panic(
        fm in "\\PC{0,80}",
        body in markdownish(),
        name in "[a-z!._ -]{1,12}",
    ) {
        let s = Site::new();
        s.write(&format!("content/{}.md", name.trim()), &format!("---\n{fm}\n---\n{body}\n"));
        // Ok or a located error: both fine; a panic fails the test.
        let _ = binder::build::build(&s.options(), false);
    }
}
