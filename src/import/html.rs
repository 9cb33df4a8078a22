//! Raw HTML in imported pages: the site's Markdown files and the old tool's setting in; a
//! note for the report (and the `[markdown] raw_html` choice for site.toml) out.
//!
//! binder shows raw HTML as text unless a site allows it, so a page that embeds a video
//! with `<iframe>` or lays out a `<table>` by hand shows its tags after an import. Hugo
//! says in its own config whether it passed HTML through (`markup.goldmark.renderer.unsafe`):
//! then the new site allows it too, and the old site's trust carries over. Other tools
//! leave no such trace, so the report counts the pages and names the setting.

use std::path::Path;

/// True when a line of Markdown starts with an HTML element tag (`<div`, `</td>`, `<br/>`),
/// not an autolink (`<https://…>`) or a comment.
fn starts_with_tag(line: &str) -> bool {
    let t = line.trim_start();
    let Some(rest) = t.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .count();
    let first_is_letter = rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let after = rest[name_len..].chars().next();
    first_is_letter && matches!(after, None | Some(' ' | '\t' | '>' | '/'))
}

/// The 1-based line of the first HTML tag that opens a line outside code, if any.
pub(super) fn first_html_line(page: &str) -> Option<usize> {
    let lines: Vec<&str> = page.lines().collect();
    let code = super::shortcodes::code_lines(&lines);
    lines
        .iter()
        .zip(&code)
        .position(|(line, is_code)| !is_code && starts_with_tag(line))
        .map(|n| n + 1)
}

/// Pages with raw HTML: how many, and the first as `path:line`.
#[derive(Debug, Default)]
pub(super) struct HtmlPages {
    pub count: usize,
    pub first: Option<String>,
}

impl HtmlPages {
    /// Scans the Markdown files under `content` (named `content/…` in the report).
    pub(super) fn scan(content: &Path) -> Self {
        let mut found = Self::default();
        for entry in super::markdown_files(content) {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            if let Some(line) = first_html_line(&text) {
                found.count += 1;
                if found.first.is_none() {
                    let rel = entry.path().strip_prefix(content).unwrap_or(entry.path());
                    found.first = Some(format!("content/{}:{line}", rel.display()));
                }
            }
        }
        found
    }

    /// The report's note, given whether site.toml allows raw HTML.
    /// The report's note; `allowed_by` says why the old site passed raw HTML through, if it
    /// did (`Hugo's \`markup.goldmark.renderer.unsafe\``, `mdBook always does`).
    pub(super) fn note(&self, allowed_by: Option<&str>) -> Option<String> {
        let first = self.first.as_deref()?;
        let pages = if self.count == 1 {
            "page holds"
        } else {
            "pages hold"
        };
        Some(if let Some(why) = allowed_by {
            format!(
                "{} {pages} raw HTML (first at {first}); the old site passed it through ({why}), so site.toml allows it too (`[markdown] raw_html = \"allow\"`)",
                self.count
            )
        } else {
            format!(
                "{} {pages} raw HTML (first at {first}), which binder shows as text: if the old site rendered it and you trust everyone who writes here, set `raw_html = \"allow\"` under `[markdown]` in site.toml; otherwise rewrite it as Markdown",
                self.count
            )
        })
    }
}

/// Whether a Hugo config passes raw HTML through: `markup.goldmark.renderer.unsafe`, in a
/// TOML table or an indented YAML file.
pub(super) fn hugo_unsafe(config: &str, is_toml: bool) -> bool {
    const PATH: [&str; 4] = ["markup", "goldmark", "renderer", "unsafe"];
    if is_toml {
        let t = config.parse::<toml::Table>().unwrap_or_default();
        let mut v: Option<&toml::Value> = t.get(PATH[0]);
        for key in &PATH[1..] {
            v = v.and_then(|x| x.get(key));
        }
        return v.and_then(toml::Value::as_bool).unwrap_or(false);
    }
    // YAML, without a YAML parser here: follow the keys down by indentation.
    let mut depth = 0;
    let mut indents: Vec<usize> = Vec::new();
    for line in config.lines() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indent = line.len() - t.len();
        while indents.last().is_some_and(|i| indent <= *i) {
            indents.pop();
            depth -= 1;
        }
        if depth < PATH.len() && indents.len() == depth {
            if let Some(value) = t
                .strip_prefix(PATH[depth])
                .and_then(|r| r.strip_prefix(':'))
            {
                if depth == PATH.len() - 1 {
                    return value.split('#').next().is_some_and(|v| v.trim() == "true");
                }
                indents.push(indent);
                depth += 1;
            }
        }
    }
    false
}

/// HTML elements whose content kramdown's `markdown="1"` reads as text of one paragraph:
/// CommonMark cannot read Markdown inside them, so the tags go and the text stays.
const PHRASING: &[&str] = &[
    "p", "span", "em", "strong", "small", "h1", "h2", "h3", "h4", "h5", "h6",
];

/// Jekyll's kramdown reads Markdown inside an HTML element marked `markdown="1"`
/// (`<aside markdown="1" class="pquote">` with a link inside); CommonMark reads an HTML
/// block as HTML up to the next blank line, so the links show as written. `page` with each
/// such element rewritten the CommonMark way: its content between blank lines (and out of
/// the indent that would make it code), the attribute dropped (it is not HTML), the tags of
/// a phrasing element (`<p markdown="1">`) left out so no paragraph sits inside another.
/// `None` if the page has none.
pub(super) fn kramdown_blocks(page: &str) -> Option<String> {
    if !page.contains("markdown=\"1\"") {
        return None;
    }
    let lines: Vec<&str> = page.lines().collect();
    let code = super::shortcodes::code_lines(&lines);
    let mut out = String::with_capacity(page.len() + 64);
    // Open marked elements: (tag name, whether its tags are kept).
    let mut open: Vec<(String, bool)> = Vec::new();
    for (line, is_code) in lines.iter().zip(&code) {
        let t = line.trim();
        if *is_code {
            out.push_str(line);
            out.push('\n');
        } else if let Some(name) = marked_open_tag(t) {
            let keep = !PHRASING.contains(&name.as_str());
            if keep {
                out.push_str(&t.replacen(" markdown=\"1\"", "", 1));
                out.push('\n');
            }
            out.push('\n');
            open.push((name, keep));
        } else if let Some((_, keep)) = open
            .last()
            .filter(|(name, _)| t == format!("</{name}>"))
            .cloned()
        {
            open.pop();
            out.push('\n');
            if keep {
                out.push_str(t);
                out.push('\n');
            }
        } else if !open.is_empty() {
            out.push_str(t);
            out.push('\n');
            if t.starts_with('<') && t.ends_with('>') && !t[1..].contains('<') {
                // A tag alone on its line (`<img …>`) would start an HTML block that swallows
                // the text after it.
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !page.ends_with('\n') {
        out.pop();
    }
    (out != page).then_some(out)
}

/// Rewrites the `markdown="1"` elements of every page under `content` (see
/// [`kramdown_blocks`]) and notes how many pages had them.
pub(super) fn kramdown_pages(
    content: &Path,
    out: &mut super::Imported,
) -> Result<(), crate::diag::BuildFailed> {
    let pages = super::rewrite_pages(content, |_, text| kramdown_blocks(text))?;
    if pages > 0 {
        out.notes.push(format!(
            "kramdown's `markdown=\"1\"` elements in {pages} page{} were rewritten so their Markdown (links, emphasis) is read here too",
            if pages == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}

/// The element name if `line` is only an opening tag marked `markdown="1"`.
fn marked_open_tag(line: &str) -> Option<String> {
    let rest = line.strip_prefix('<')?;
    if !line.ends_with('>') || !line.contains(" markdown=\"1\"") || line[1..].contains('<') {
        return None;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_lines_are_found_outside_code_only() {
        assert_eq!(
            first_html_line(
                "Text <b>inline</b>.\n\n<https://x.org>\n<!-- c -->\n<div class=\"x\">\n"
            ),
            Some(5)
        );
        assert_eq!(first_html_line("```html\n<div>\n```\n"), None);
        assert_eq!(first_html_line("a\n  </td>\n"), Some(2));
        assert_eq!(first_html_line("<3 and <-> arrows\n"), None);
    }

    #[test]
    fn hugo_unsafe_from_yaml_and_toml() {
        let yaml = "title: X\nmarkup:\n  goldmark:\n    renderHooks:\n      link: {}\n    renderer:\n      unsafe: true # needed\n  highlight:\n    tabWidth: 2\n";
        assert!(hugo_unsafe(yaml, false));
        let elsewhere = "params:\n  renderer:\n    unsafe: true\nmarkup:\n  goldmark:\n    renderer:\n      hardWraps: false\n";
        assert!(!hugo_unsafe(elsewhere, false));
        assert!(hugo_unsafe(
            "[markup.goldmark.renderer]\nunsafe = true\n",
            true
        ));
        assert!(!hugo_unsafe(
            "[markup.goldmark.renderer]\nunsafe = false\n",
            true
        ));
    }

    #[test]
    fn the_note_names_the_setting_either_way() {
        let found = HtmlPages {
            count: 2,
            first: Some("content/a.md:3".into()),
        };
        let kept = found.note(None).unwrap_or_default();
        assert!(kept.starts_with(
            "2 pages hold raw HTML (first at content/a.md:3), which binder shows as text"
        ));
        assert!(kept.contains("`raw_html = \"allow\"` under `[markdown]`"));
        assert!(
            found
                .note(Some("Hugo's `markup.goldmark.renderer.unsafe`"))
                .unwrap_or_default()
                .contains("so site.toml allows it too")
        );
        assert_eq!(HtmlPages::default().note(None), None);
    }

    #[test]
    fn kramdown_markdown_blocks_become_commonmark() {
        let page = "---\ntitle: T\n---\n<aside markdown=\"1\" class=\"pquote\">\n  <img src=\"a.png\" alt=\"avatar\">\n  Working on [freenode] helped.\n  <p markdown=\"1\" class=\"pquote-credit\">\n— [@e](https://x.org)\n  </p>\n</aside>\n\n```html\n<aside markdown=\"1\">\n```\n";
        let out = kramdown_blocks(page).expect("rewritten");
        assert_eq!(
            out,
            "---\ntitle: T\n---\n<aside class=\"pquote\">\n\n<img src=\"a.png\" alt=\"avatar\">\n\nWorking on [freenode] helped.\n\n— [@e](https://x.org)\n\n\n</aside>\n\n```html\n<aside markdown=\"1\">\n```\n"
        );
        assert_eq!(kramdown_blocks("<div class=\"x\">\nplain\n</div>\n"), None);
    }
}
