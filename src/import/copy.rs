//! What an import copies: the plan of source folders → site folders for each generator
//! (tool folders left out, Jekyll's `_posts` and published collections renamed), and the
//! copy itself.

use std::path::{Path, PathBuf};

use crate::diag::{BuildFailed, Diagnostic};

use super::{Generator, Imported, io_error};

/// Which source folder goes where in the new site.
pub(super) struct Plan {
    /// (source folder, destination under the site root).
    pub(super) copies: Vec<(PathBuf, String)>,
    /// Names (relative to the imported folder) left out of a copy of that folder itself:
    /// tool folders and config files. A copy of a subfolder (Hugo's `content/`) keeps
    /// them, so a section named `themes/` or `build/` comes along.
    skip: Vec<String>,
    /// Names relative to each copied folder, always left out (mdBook's `SUMMARY.md`).
    skip_always: Vec<String>,
    /// Folder prefixes renamed in the copy (Jekyll's `_posts/` → `posts/`, an output
    /// collection's `_articles/` → `articles/` or the site root, as its permalink says).
    renames: Vec<(String, String)>,
    /// `.html` files with front matter are Liquid pages of the old site (Jekyll), not files
    /// to publish as they are: they are left out and listed.
    liquid_pages: bool,
}

pub(super) fn plan(from: &Path, generator: Generator) -> Plan {
    let dir = |rel: &str| from.join(rel);
    let mut copies = Vec::new();
    let mut skip_always = Vec::new();
    let mut renames = Vec::new();
    let mut skip: Vec<String> = [
        ".git",
        ".github",
        "node_modules",
        "public",
        "_site",
        "book",
        "build",
        "themes",
        "resources",
    ]
    .map(String::from)
    .to_vec();
    match generator {
        Generator::Hugo | Generator::Zola => {
            copies.push((dir("content"), "content".into()));
            if dir("static").is_dir() {
                copies.push((dir("static"), "static".into()));
            }
        }
        Generator::Docusaurus => {
            copies.push((dir(&docusaurus_docs(from)), "content".into()));
            if dir("blog").is_dir() {
                copies.push((dir("blog"), "content/blog".into()));
            }
            if dir("static").is_dir() {
                copies.push((dir("static"), "static".into()));
            }
        }
        Generator::MdBook => {
            let src = mdbook_src(from);
            copies.push((from.join(src), "content".into()));
            skip_always.push("SUMMARY.md".into());
        }
        Generator::Jekyll => {
            copies.push((from.to_owned(), "content".into()));
            renames.push(("_posts/".to_owned(), "posts/".to_owned()));
            for (name, at_root) in jekyll_collections(from) {
                let to = if at_root {
                    String::new()
                } else {
                    format!("{name}/")
                };
                renames.push((format!("_{name}/"), to));
            }
            // What the old site did not publish (`exclude:` in `_config.yml`) is not content.
            skip.extend(jekyll_list(from, "exclude"));
            skip.extend(
                [
                    "_config.yml",
                    "_layouts",
                    "_includes",
                    "_sass",
                    "_data",
                    "vendor",
                    "Gemfile",
                    "Gemfile.lock",
                    "assets/css",
                ]
                .map(String::from),
            );
        }
        // A plain repository that keeps its pages in `content/` (a Next.js or custom site):
        // the pages are there, the rest is the old site's code.
        Generator::Plain if has_markdown(&dir("content")) => {
            copies.push((dir("content"), "content".into()));
        }
        Generator::Obsidian | Generator::Plain => {
            copies.push((from.to_owned(), "content".into()));
            skip.extend([".obsidian", ".trash"].map(String::from));
        }
    }
    Plan {
        copies,
        skip,
        skip_always,
        renames,
        liquid_pages: generator == Generator::Jekyll,
    }
}

/// The docs folder a Docusaurus config names (`docs: { path: './contents' }` in its preset),
/// else `docs`. The config is JavaScript: it is read, never run.
fn docusaurus_docs(from: &Path) -> String {
    let text = ["docusaurus.config.js", "docusaurus.config.ts"]
        .iter()
        .find_map(|f| std::fs::read_to_string(from.join(f)).ok())
        .unwrap_or_default();
    let presets = text.find("presets").map_or("", |i| &text[i..]);
    let docs = presets.find("docs:").map_or("", |i| &presets[i..]);
    // The `path:` of the docs options, before the next top-level option block closes it.
    let block = docs.find("blog:").map_or(docs, |end| &docs[..end]);
    super::settings::js_string(block, "path")
        .map(|p| p.trim_start_matches("./").trim_end_matches('/').to_owned())
        .filter(|p| !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|s| s == ".."))
        .unwrap_or_else(|| "docs".into())
}

/// The collections a Jekyll `_config.yml` publishes (`output: true`), each with whether its
/// permalink puts its documents at the site root (`/:path/`, `/:name/`) rather than under
/// the collection's name (`/:collection/:path/`, Jekyll's default).
pub(super) fn jekyll_collections(from: &Path) -> Vec<(String, bool)> {
    let text = std::fs::read_to_string(from.join("_config.yml")).unwrap_or_default();
    let lines = text
        .lines()
        .skip_while(|l| l.trim_end() != "collections:")
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .take_while(|l| l.starts_with([' ', '\t']));
    // (name, output, at the root), one per collection.
    let mut found: Vec<(String, bool, bool)> = Vec::new();
    let mut child_indent = None;
    for line in lines {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if *child_indent.get_or_insert(indent) == indent {
            if let Some(name) = t.strip_suffix(':') {
                found.push((name.trim().to_owned(), false, false));
            }
            continue;
        }
        let Some(c) = found.last_mut() else { continue };
        let value = |key: &str| {
            t.strip_prefix(key)
                .and_then(|r| r.trim_start().strip_prefix(':'))
                .map(|v| v.trim().trim_matches(['"', '\'']))
        };
        if value("output") == Some("true") {
            c.1 = true;
        }
        if let Some(p) = value("permalink") {
            c.2 = !p.contains(":collection");
        }
    }
    found
        .into_iter()
        .filter(|(_, output, _)| *output)
        .map(|(name, _, root)| (name, root))
        .collect()
}

impl Plan {
    /// What a copy of `src` leaves out, for an import from `from`.
    pub(super) fn skip_in(&self, src: &Path, from: &Path) -> Vec<String> {
        let same = |a: &Path, b: &Path| {
            a == b
                || a.canonicalize()
                    .ok()
                    .is_some_and(|a| b.canonicalize().ok() == Some(a))
        };
        let mut out = self.skip_always.clone();
        if same(src, from) {
            out.extend(self.skip.iter().cloned());
        }
        out
    }
}

/// True if `dir` holds a Markdown file at any depth.
pub(super) fn has_markdown(dir: &Path) -> bool {
    dir.is_dir()
        && walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// Whether `src` holds a Markdown file that [`copy_tree`] would copy.
pub(super) fn copies_markdown(src: &Path, skip: &[String]) -> bool {
    source_files(src, skip)
        .flatten()
        .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// The entries under `src` an import copies: `skip` and hidden names left out.
pub(super) fn source_files<'a>(
    src: &'a Path,
    skip: &'a [String],
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + 'a {
    walkdir::WalkDir::new(src)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            let rel = e.path().strip_prefix(src).unwrap_or(e.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            !(hidden || skip.iter().any(|s| skips(s, &rel)))
        })
}

/// True if the skip entry `entry` names `rel`: the same path, or a `Gemfile*` pattern (a
/// trailing `*`) matching a name in that folder.
fn skips(entry: &str, rel: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(prefix) => rel
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.contains('/')),
        None => entry == rel,
    }
}

/// The items of a top-level list in a Jekyll `_config.yml` (`exclude:` then `  - name`
/// lines), without quotes or a trailing `/`.
fn jekyll_list(from: &Path, key: &str) -> Vec<String> {
    let text = std::fs::read_to_string(from.join("_config.yml")).unwrap_or_default();
    let head = format!("{key}:");
    text.lines()
        .skip_while(|l| l.trim_end() != head)
        .skip(1)
        .take_while(|l| l.starts_with([' ', '\t', '-']) || l.trim().is_empty())
        .filter_map(|l| l.trim().strip_prefix('-'))
        .map(|v| {
            v.trim()
                .trim_matches(['"', '\''])
                .trim_end_matches('/')
                .to_owned()
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// Copies `src` to `dest`, skipping tool folders; `.md` files count as pages.
pub(super) fn copy_tree(
    src: &Path,
    dest: &Path,
    plan: &Plan,
    skip: &[String],
    out: &mut Imported,
) -> Result<(), BuildFailed> {
    let mut liquid = Vec::new();
    for entry in source_files(src, skip) {
        let entry = entry.map_err(|e| {
            Diagnostic::error(src.display().to_string(), format!("cannot read: {e}"))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(src).unwrap_or(entry.path());
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        // Jekyll's `_posts` and published collections become folders; other `_folders`
        // are tool folders.
        let renamed = (plan.renames.iter()).find_map(|(from, to)| {
            rel_s
                .strip_prefix(from.as_str())
                .map(|rest| format!("{to}{rest}"))
        });
        let rel_s = match renamed {
            Some(r) => r,
            None if rel_s.starts_with('_') && !rel_s.starts_with("_index.md") => continue,
            None => rel_s,
        };
        if plan.liquid_pages && rel_s.ends_with(".html") && starts_with_front_matter(entry.path()) {
            liquid.push(format!("`{rel_s}`"));
            continue;
        }
        let target = dest.join(&rel_s);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        std::fs::copy(entry.path(), &target).map_err(|e| io_error(&target, &e))?;
        if rel_s.ends_with(".md") {
            out.pages += 1;
        } else {
            out.assets += 1;
        }
    }
    if !liquid.is_empty() {
        let shown: Vec<&str> = liquid.iter().take(10).map(String::as_str).collect();
        let more = liquid.len().saturating_sub(shown.len());
        out.notes.push(format!(
            "{} HTML page{} with front matter {} Liquid templates of the old site, which binder does not run, so {} not copied: {}{}. binder's theme makes the home page and listings; bring over their text as Markdown",
            liquid.len(),
            if liquid.len() == 1 { "" } else { "s" },
            if liquid.len() == 1 { "is a" } else { "are" },
            if liquid.len() == 1 { "it was" } else { "they were" },
            shown.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        ));
    }
    Ok(())
}

/// True if the file at `path` opens with a `---` front-matter line.
pub(super) fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head[..3] == b"---" && matches!(head[3], b'\n' | b'\r'))
}

pub(super) fn mdbook_src(from: &Path) -> String {
    std::fs::read_to_string(from.join("book.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("book")?.get("src")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "src".into())
}
