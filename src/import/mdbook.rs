//! mdBook's preprocessor directives, expanded on import as `mdbook build` expands them: a
//! book's pages in, pages with the included text in place (and a note for the report) out.
//!
//! binder has no `{{#include}}`, so without this a chapter shows the directive as text where
//! mdBook showed a code listing or a shared fragment. The directives:
//!
//! - `{{#include path}}`, with `:2`, `::10`, `:2:`, `:2:10` (lines) or `:name` (the lines
//!   between `ANCHOR: name` and `ANCHOR_END: name`); included Markdown is expanded in turn;
//! - `{{#rustdoc_include …}}`: the same lines (binder cannot fold the rest away, so it is
//!   left out);
//! - `{{#playground path attrs…}}`: a ```` ```rust,attrs ```` code block of the file;
//! - `{{#title …}}`: the page's `<title>`; binder has one title, so it is dropped;
//! - `\{{#…}}` is the directive written out: the backslash goes, the text stays.
//!
//! Included files are read from the book's own folders, or from the git repository that
//! holds the book (a book often includes its project's `examples/`), never from elsewhere:
//! an imported page must not carry `/etc/passwd` into a published site. A fragment that only
//! other chapters include and SUMMARY.md does not list is no page of the book: it is not
//! kept as one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::BuildFailed;

use super::order::summary_links;
use super::{Imported, io_error, rewrite_pages};

/// How deep included Markdown may include more (mdBook's own limit).
const MAX_DEPTH: usize = 10;

/// What the expansion of a book did, for the report.
#[derive(Debug, Default)]
pub(super) struct Expansion {
    /// Directives expanded, by name.
    pub(super) expanded: BTreeMap<&'static str, usize>,
    /// Pages changed.
    pub(super) pages: usize,
    /// Files included (canonical paths).
    pub(super) included: BTreeSet<PathBuf>,
    /// Directives left as written: `file:line: directive: why`.
    pub(super) problems: Vec<String>,
}

/// Where included files may come from, and where the book's pages are.
pub(super) struct Book<'a> {
    /// The book's source folder (what `src` in `book.toml` names).
    pub(super) src: &'a Path,
    /// Included files must be under this folder: the git repository holding the book, or the
    /// imported folder.
    pub(super) bound: PathBuf,
}

impl Book<'_> {
    /// The folder includes may read from for a book imported from `from`.
    pub(super) fn bound_for(from: &Path) -> PathBuf {
        let from = from.canonicalize().unwrap_or_else(|_| from.to_owned());
        from.ancestors()
            .find(|d| d.join(".git").exists())
            .unwrap_or(&from)
            .to_owned()
    }

    /// `text` (the page at `rel` under the book's source folder) with its directives
    /// expanded; `shown` names the page in problems.
    pub(super) fn expand(&self, text: &str, rel: &str, out: &mut Expansion) -> String {
        let dir = self
            .src
            .join(rel)
            .parent()
            .map_or_else(|| self.src.to_owned(), Path::to_owned);
        self.expand_in(text, &dir, &format!("content/{rel}"), 0, out)
    }

    fn expand_in(
        &self,
        text: &str,
        dir: &Path,
        shown: &str,
        depth: usize,
        out: &mut Expansion,
    ) -> String {
        let mut result = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("{{#") {
            let escaped = rest[..at].ends_with('\\');
            let Some(len) = rest[at..].find("}}") else {
                break;
            };
            let directive = &rest[at..at + len + 2];
            if escaped {
                result.push_str(&rest[..at - 1]);
                result.push_str(directive);
            } else {
                result.push_str(&rest[..at]);
                let line = text[..text.len() - rest.len() + at].matches('\n').count() + 1;
                match self.directive(directive, dir, depth, out) {
                    Ok(Some((name, expanded))) => {
                        *out.expanded.entry(name).or_default() += 1;
                        result.push_str(&expanded);
                    }
                    Ok(None) => result.push_str(directive),
                    Err(why) => {
                        out.problems
                            .push(format!("{shown}:{line}: `{directive}`: {why}"));
                        result.push_str(directive);
                    }
                }
            }
            rest = &rest[at + len + 2..];
        }
        result.push_str(rest);
        result
    }

    /// The text for one `{{#name args}}`; `None` for a name that is not mdBook's.
    fn directive(
        &self,
        directive: &str,
        dir: &Path,
        depth: usize,
        out: &mut Expansion,
    ) -> Result<Option<(&'static str, String)>, String> {
        let inner = directive[3..directive.len() - 2].trim();
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let args = args.trim();
        let name: &'static str = match name {
            "include" => "include",
            "rustdoc_include" => "rustdoc_include",
            "playground" => "playground",
            "title" => return Ok(Some(("title", String::new()))),
            _ => return Ok(None),
        };
        let (target, attrs) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
        let (path, selector) = split_selector(target);
        if path.is_empty() {
            // `{{#include}}` alone is how docs name the directive; mdBook leaves it as text.
            return Ok(None);
        }
        let file = self.resolve(dir, path)?;
        let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read it: {e}"))?;
        out.included.insert(file.clone());
        let mut picked = select(&text, selector)?;
        if name == "playground" {
            let info = match attrs.trim() {
                "" => "rust".to_owned(),
                a => format!(
                    "rust,{}",
                    a.split_whitespace().collect::<Vec<_>>().join(",")
                ),
            };
            let body = picked.trim_end_matches('\n');
            return Ok(Some((name, format!("```{info}\n{body}\n```"))));
        }
        if file.extension().is_some_and(|x| x == "md") {
            if depth >= MAX_DEPTH {
                return Err(format!("includes nest deeper than {MAX_DEPTH} files"));
            }
            let inner_dir = file.parent().map_or_else(|| dir.to_owned(), Path::to_owned);
            picked = self.expand_in(
                &picked,
                &inner_dir,
                &file.display().to_string(),
                depth + 1,
                out,
            );
        }
        // The directive usually stands on its own line: the file's last newline is that
        // line's end.
        Ok(Some((
            name,
            picked.strip_suffix('\n').unwrap_or(&picked).to_owned(),
        )))
    }

    /// The canonical path of `path` (relative to `dir`), if it lies inside the bound.
    fn resolve(&self, dir: &Path, path: &str) -> Result<PathBuf, String> {
        let joined = dir.join(path);
        let file = joined
            .canonicalize()
            .map_err(|_| format!("`{path}` does not exist"))?;
        if !file.starts_with(&self.bound) {
            return Err(format!(
                "`{path}` is outside {}; binder import includes only files of the book's own repository",
                self.bound.display()
            ));
        }
        if !file.is_file() {
            return Err(format!("`{path}` is not a file"));
        }
        Ok(file)
    }
}

/// `file.rs:2:10` → (`file.rs`, `Some("2:10")`).
fn split_selector(target: &str) -> (&str, Option<&str>) {
    match target.split_once(':') {
        Some((path, sel)) => (path, Some(sel)),
        None => (target, None),
    }
}

/// The lines of `text` a selector names: `2` (line 2), `::10` / `:10` after the path's
/// colon (up to 10), `2:` (from 2), `2:10`, or an anchor name.
fn select(text: &str, selector: Option<&str>) -> Result<String, String> {
    let Some(sel) = selector else {
        return Ok(text.to_owned());
    };
    let lines: Vec<&str> = text.lines().collect();
    let number = |s: &str| -> Result<Option<usize>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<usize>()
            .map(Some)
            .map_err(|_| format!("`{s}` is not a line number"))
    };
    let is_range = sel.chars().all(|c| c.is_ascii_digit() || c == ':');
    let picked: Vec<&str> = if is_range {
        let (start, end) = match sel.split_once(':') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(sel)?;
                (n, n)
            }
        };
        let from = start.unwrap_or(1).max(1) - 1;
        let to = end.unwrap_or(lines.len()).min(lines.len());
        lines.get(from..to.max(from)).unwrap_or_default().to_vec()
    } else {
        anchored(&lines, sel).ok_or_else(|| format!("no `ANCHOR: {sel}` in the file"))?
    };
    let mut out = picked.join("\n");
    out.push('\n');
    Ok(out)
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without other anchor lines.
fn anchored<'a>(lines: &[&'a str], name: &str) -> Option<Vec<&'a str>> {
    let names = |l: &str, tag: &str| -> bool {
        l.split(tag).nth(1).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.strip_prefix(name).is_some_and(|after| {
                !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
            })
        })
    };
    let start = lines.iter().position(|l| names(l, "ANCHOR:"))?;
    let mut out = Vec::new();
    for l in &lines[start + 1..] {
        if names(l, "ANCHOR_END:") {
            return Some(out);
        }
        if !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:") {
            out.push(*l);
        }
    }
    Some(out)
}

/// mdBook's `{{#include}}`, `{{#playground}}` and `{{#title}}` are expanded as mdBook
/// expands them (see [`mdbook`]); the fragments only other chapters include, and
/// SUMMARY.md does not list, are not kept as pages.
pub(super) fn mdbook_directives(
    from: &Path,
    src: &Path,
    content: &Path,
    out: &mut Imported,
) -> Result<(), BuildFailed> {
    let book = Book {
        src,
        bound: Book::bound_for(from),
    };
    let mut done = Expansion::default();
    done.pages = rewrite_pages(content, |rel, text| {
        text.contains("{{#")
            .then(|| book.expand(text, rel, &mut done))
    })?;
    let listed: std::collections::HashSet<String> =
        summary_links(&std::fs::read_to_string(src.join("SUMMARY.md")).unwrap_or_default())
            .into_iter()
            .collect();
    let src_dir = src.canonicalize().unwrap_or_else(|_| src.to_owned());
    let mut fragments = Vec::new();
    for file in &done.included {
        let Ok(rel) = file.strip_prefix(&src_dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let copy = content.join(&rel);
        if rel.ends_with(".md") && !listed.contains(&rel) && copy.is_file() {
            std::fs::remove_file(&copy).map_err(|e| io_error(&copy, &e))?;
            out.pages = out.pages.saturating_sub(1);
            fragments.push(format!("`{rel}`"));
        }
    }
    if !done.expanded.is_empty() {
        let counts: Vec<String> = done
            .expanded
            .iter()
            .map(|(name, n)| format!("`{{{{#{name}}}}}` ×{n}"))
            .collect();
        out.notes.push(format!(
            "mdBook directives expanded in {} pages as `mdbook build` expands them: {} (`{{{{#title}}}}` is dropped: a page's title is its heading)",
            done.pages,
            counts.join(", ")
        ));
    }
    if !fragments.is_empty() {
        let (n, what) = match fragments.len() {
            1 => (
                "1".to_owned(),
                "file that other chapters include, and SUMMARY.md does not list, is not a page here either",
            ),
            n => (
                n.to_string(),
                "files that other chapters include, and SUMMARY.md does not list, are not pages here either",
            ),
        };
        out.notes
            .push(format!("{n} {what}: {}", fragments.join(", ")));
    }
    if !done.problems.is_empty() {
        let n = done.problems.len();
        out.notes.push(format!(
            "{n} mdBook directive{} could not be expanded and show{} as written: {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            done.problems.join("; ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "fn a() {}\n// ANCHOR: two\nlet x = 1;\n// ANCHOR: inner\nlet y = 2;\n// ANCHOR_END: inner\n// ANCHOR_END: two\nlast\n";

    #[test]
    fn line_ranges_as_mdbook_reads_them() {
        let text = "1\n2\n3\n4\n";
        assert_eq!(select(text, Some("2")).as_deref(), Ok("2\n"));
        assert_eq!(select(text, Some(":2")).as_deref(), Ok("1\n2\n"));
        assert_eq!(select(text, Some("3:")).as_deref(), Ok("3\n4\n"));
        assert_eq!(select(text, Some("2:3")).as_deref(), Ok("2\n3\n"));
        assert_eq!(select(text, Some("9:")).as_deref(), Ok("\n"));
        assert_eq!(select(text, None).as_deref(), Ok(text));
    }

    #[test]
    fn anchors_select_their_lines_without_nested_anchor_lines() {
        assert_eq!(
            select(FILE, Some("two")).as_deref(),
            Ok("let x = 1;\nlet y = 2;\n")
        );
        assert_eq!(select(FILE, Some("inner")).as_deref(), Ok("let y = 2;\n"));
        assert!(
            select(FILE, Some("tw")).is_err(),
            "a prefix is not the name"
        );
    }

    #[test]
    fn directives_expand_in_place_and_escapes_stay_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("src/ch")).expect("mkdir");
        std::fs::create_dir_all(root.join("examples")).expect("mkdir");
        std::fs::write(root.join("examples/a.rs"), FILE).expect("write");
        std::fs::write(
            root.join("src/ch/frag.md"),
            "Shared {{#include ../../examples/a.rs:inner}}\n",
        )
        .expect("write");
        let book = Book {
            src: &root.join("src"),
            bound: root.clone(),
        };
        let mut out = Expansion::default();
        let page = "{{#title T}}\n# Ch\n\n```rust\n{{#include ../../examples/a.rs:two}}\n```\n\n{{#include frag.md}}\n\n\\{{#include x.rs}}\n\n{{#playground ../../examples/a.rs:inner editable}}\n\n{{#include ../../../etc/passwd}}\n{{#other}}\n";
        let text = book.expand(page, "ch/page.md", &mut out);
        assert_eq!(
            text,
            "\n# Ch\n\n```rust\nlet x = 1;\nlet y = 2;\n```\n\nShared let y = 2;\n\n{{#include x.rs}}\n\n```rust,editable\nlet y = 2;\n```\n\n{{#include ../../../etc/passwd}}\n{{#other}}\n"
        );
        assert_eq!(out.expanded.get("include"), Some(&3));
        assert_eq!(out.expanded.get("playground"), Some(&1));
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert!(
            out.problems[0]
                .starts_with("content/ch/page.md:14: `{{#include ../../../etc/passwd}}`")
        );
        assert!(out.included.contains(&root.join("src/ch/frag.md")));
    }
}
