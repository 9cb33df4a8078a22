//! MDX in the pages of a Docusaurus site: each page's text in; the page without what only
//! MDX understands, and the component names for the report, out.
//!
//! Docusaurus reads its `.md` pages as MDX: `import`/`export` lines load React components,
//! `<head>` sets the page's `<title>` and meta tags, and `<Capitalised />` elements are those
//! components. binder reads Markdown, so left alone each shows as text at the top of the page
//! or wherever a component was. Imports, exports, `<head>` blocks and `{/* comments */}` are
//! dropped (binder writes the page head from the front matter); a component's own tag lines
//! are dropped and its content stays, a tab's `label` kept as a bold line. Code blocks are
//! never touched.

use std::path::Path;

use crate::diag::BuildFailed;

use super::shortcodes::code_lines;
use super::{Imported, Seen, rewrite_pages};

/// One page rewritten: the text and the components whose tags were dropped, by line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Rewritten {
    pub(super) text: String,
    /// (component name, 1-based line in the old text).
    pub(super) components: Vec<(String, usize)>,
}

/// The name of a component tag standing alone on `line` (`<Tabs>`, `</Tabs>`,
/// `<InDocAd />`, `<TabItem value="a" label="A">`), and its `label`.
fn component(line: &str) -> Option<(String, Option<String>)> {
    let t = line.trim();
    let rest = t.strip_prefix("</").or_else(|| t.strip_prefix('<'))?;
    if !t.ends_with('>') || !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let label = t
        .split_once("label=\"")
        .and_then(|(_, r)| r.split_once('"'))
        .map(|(l, _)| l.to_owned());
    Some((name, label))
}

/// `page` without its MDX-only lines; `None` if it has none.
pub(super) fn rewrite(page: &str) -> Option<Rewritten> {
    let lines: Vec<&str> = page.lines().collect();
    let code = code_lines(&lines);
    let mut out = Rewritten::default();
    let mut changed = false;
    let mut skipping: Option<Skip> = None;
    for (n, (line, is_code)) in lines.iter().zip(&code).enumerate() {
        let t = line.trim();
        if let Some(skip) = skipping.as_mut() {
            changed = true;
            if skip.ends_at(t) {
                skipping = None;
            }
            continue;
        }
        if *is_code {
            out.text.push_str(line);
            out.text.push('\n');
            continue;
        }
        if let Some(mut skip) = Skip::starting_at(t) {
            changed = true;
            if !skip.ends_at(t) {
                skipping = Some(skip);
            }
            continue;
        }
        if let Some((name, label)) = component(t) {
            changed = true;
            if !t.starts_with("</") {
                out.components.push((name, n + 1));
            }
            if let Some(label) = label.filter(|_| !t.starts_with("</")) {
                out.text.push_str(&format!("\n**{label}**\n\n"));
            }
            continue;
        }
        out.text.push_str(line);
        out.text.push('\n');
    }
    if !page.ends_with('\n') {
        out.text.pop();
    }
    changed.then_some(out)
}

/// A run of MDX-only lines being dropped, and what ends it.
enum Skip {
    /// `import …` / `export …` up to the line that closes its braces.
    Statement { depth: i64 },
    /// `<head>` up to `</head>`.
    Head,
    /// `{/*` up to `*/}`.
    Comment,
}

impl Skip {
    fn starting_at(t: &str) -> Option<Skip> {
        if t.starts_with("import ") && (t.contains(" from ") || t.contains('\'') || t.contains('"'))
            || t.starts_with("export ")
        {
            return Some(Skip::Statement { depth: 0 });
        }
        if t == "<head>" || t.starts_with("<head>") {
            return Some(Skip::Head);
        }
        t.starts_with("{/*").then_some(Skip::Comment)
    }

    /// True if line `t` (inside or starting the run) is its last.
    fn ends_at(&mut self, t: &str) -> bool {
        match self {
            Skip::Statement { depth } => {
                *depth += t.matches(['{', '(', '[']).count() as i64;
                *depth -= t.matches(['}', ')', ']']).count() as i64;
                *depth <= 0
            }
            Skip::Head => t.contains("</head>"),
            Skip::Comment => t.ends_with("*/}"),
        }
    }
}

/// Rewrites every page under `content` and notes what was dropped.
pub(super) fn mdx_pages(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let mut found = Seen::default();
    let pages = rewrite_pages(content, |rel, text| {
        let page = rewrite(text)?;
        for (name, line) in page.components {
            found.add(name, format!("content/{rel}:{line}"));
        }
        Some(page.text)
    })?;
    if pages == 0 {
        return Ok(());
    }
    let mut note = format!(
        "MDX in {pages} page{}: `import`/`export` lines, `<head>` blocks and `{{/* comments */}}` were dropped (binder writes each page's head from its front matter)",
        if pages == 1 { "" } else { "s" }
    );
    if !found.is_empty() {
        note.push_str(&format!(
            "; React components show their content without their tags: {}",
            found.list()
        ));
    }
    out.notes.push(note);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdx_only_lines_go_and_content_stays() {
        let page = "---\ntitle: T\n---\n\n<head>\n  <meta property=\"og:image\" content=\"x.png\" />\n</head>\n\nimport InDocAd from './_components/InDocAd';\nimport Tabs from '@theme/Tabs';\nexport const toc = [\n  {value: 'a'},\n];\n\nIntro.\n\n<InDocAd />\n\n<Tabs>\n<TabItem value=\"py\" label=\"Python\">\n\nUse a list.\n\n</TabItem>\n</Tabs>\n\n{/* a note\n   for editors */}\n\n```jsx\nimport X from 'x';\n<Tabs />\n```\n";
        let out = rewrite(page).expect("rewritten");
        assert_eq!(
            out.text,
            "---\ntitle: T\n---\n\n\n\nIntro.\n\n\n\n**Python**\n\n\nUse a list.\n\n\n\n```jsx\nimport X from 'x';\n<Tabs />\n```\n"
        );
        assert_eq!(
            out.components,
            [
                ("InDocAd".to_owned(), 17),
                ("Tabs".to_owned(), 19),
                ("TabItem".to_owned(), 20)
            ]
        );
        assert_eq!(rewrite("# Plain\n\nImport the data <b>now</b>.\n"), None);
    }
}
