//! Code blocks: fenced and indented code events in; highlighted `<pre class="code">`
//! markup out, with one warning per unknown language per page (folded into one per site by
//! `highlight::one_warning_per_language`).

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, Event, Tag};

use super::Warning;
use super::events::{Ev, element, html};
use crate::parse::highlight::{FenceOptions, Highlighter, parse_fence_info};

/// Replaces every code block with the highlighter's output.
pub(super) fn render<'a>(
    events: Vec<Ev<'a>>,
    highlighter: &Highlighter,
    warnings: &mut Vec<Warning>,
) -> Vec<Ev<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut warned = HashSet::new();
    let mut index = 0;
    while let Some((event, range)) = events.get(index) {
        let Some((Tag::CodeBlock(kind), end)) =
            element(&events, index, |tag| matches!(tag, Tag::CodeBlock(_)))
        else {
            out.push((event.clone(), range.clone()));
            index += 1;
            continue;
        };
        let (lang, fence) = match kind {
            CodeBlockKind::Fenced(info) => parse_fence_info(info),
            CodeBlockKind::Indented => (None, FenceOptions::default()),
        };
        let code = code_text(&events[index + 1..end]);
        let highlighted = highlighter.highlight(lang.as_deref(), &code, &fence);
        if let (false, Some(lang)) = (highlighted.known_language, &lang) {
            if warned.insert(lang.to_lowercase()) {
                warnings.push(unknown_language(lang, range.start, highlighter));
            }
        }
        out.push(html(highlighted.html, range));
        index = end + 1;
    }
    out
}

fn code_text(events: &[Ev<'_>]) -> String {
    events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Text(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect()
}

fn unknown_language(lang: &str, offset: usize, highlighter: &Highlighter) -> Warning {
    Warning {
        offset,
        message: format!(
            "{}{lang}`; shown without highlighting",
            crate::parse::highlight::UNKNOWN_LANGUAGE
        ),
        hint: Some({
            // Only near misses (`russt`, `pyton`): a language binder lacks gets no guess.
            let wanted = lang.to_lowercase();
            let near = (wanted.chars().count() / 4).clamp(1, 2);
            let names = highlighter.language_names();
            let close = (names.iter().map(String::as_str))
                .filter(|n| strsim::levenshtein(&wanted, n) <= near);
            let guess = crate::diag::did_you_mean(lang, close)
                .map_or_else(String::new, |g| format!("{g} "));
            format!(
                "{guess}binder knows {} languages; check the spelling, or add a .sublime-syntax file to syntaxes/",
                highlighter.language_count()
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::MarkdownOptions;
    use crate::parse::markdown::events::parse;

    fn run(body: &str) -> (String, Vec<Warning>) {
        let mut warnings = Vec::new();
        let events = render(
            parse(body, &MarkdownOptions::default()),
            &Highlighter::new(),
            &mut warnings,
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        (html, warnings)
    }

    #[test]
    fn fenced_and_indented_blocks_are_highlighted() {
        let (html, warnings) = run("```rust,linenos\nfn a() {}\n```\n\n    plain <code>\n");
        assert!(warnings.is_empty());
        assert!(html.contains("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">1</span>"), "{html}");
        assert!(
            html.contains("<pre class=\"code\"><code>plain &lt;code&gt;\n</code></pre>"),
            "{html}"
        );
    }

    #[test]
    fn a_misspelt_language_gets_a_guess() {
        let (_, warnings) = run("```russt\nfn a() {}\n```\n");
        let hint = warnings[0].hint.as_deref().unwrap_or_default();
        assert!(hint.starts_with("did you mean `rust`"), "{hint}");
    }

    #[test]
    fn unknown_language_warns_once_per_language() {
        let body = "```klingon\na\n```\n\n```Klingon\nb\n```\n\n```vulcan\nc\n```\n";
        let (html, warnings) = run(body);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].message.contains("`klingon`"));
        assert_eq!(warnings[0].offset, 0);
        assert!(warnings[1].message.contains("`vulcan`"));
        let hint = warnings[0].hint.as_deref().unwrap_or_default();
        assert!(
            hint.starts_with("binder knows ") && hint.contains("syntaxes/"),
            "{hint}"
        );
        assert!(
            html.contains("<code class=\"language-klingon\">a\n</code>"),
            "{html}"
        );
    }
}
