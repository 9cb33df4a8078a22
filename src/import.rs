//! `binder import`: copies (never moves) a handbook written for another tool into a new
//! binder site. The generator is detected from its files (Hugo, Zola, Jekyll, Docusaurus,
//! mdBook, an Obsidian vault, or plain Markdown); the site gets a `site.toml` that keeps what
//! migrations need (URLs as named, unknown keys and broken links as warnings) and a
//! migration report; it builds with the theme built into binder. The source folder is only read.

mod copy;
mod front;
mod html;
mod jekyll;
mod mdbook;
mod mdx;
mod order;
mod report;
mod settings;
mod shortcodes;

use std::fmt;
use std::path::Path;

pub use report::{Report, report};

use copy::{copies_markdown, copy_tree, plan};
use front::old_templates;
use mdbook::mdbook_directives;
use order::{categories, order_by_position, order_by_summary};
use settings::{read_settings, site_toml, zola_config};
use shortcodes::{hugo_shortcodes, zola_shortcodes};

use crate::diag::{BuildFailed, Diagnostic};

/// The tool a handbook was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    /// `hugo.toml` / `config.toml` beside `content/`.
    Hugo,
    /// `config.toml` (or `zola.toml`) with Zola's `base_url` beside `content/`.
    Zola,
    /// `_config.yml`.
    Jekyll,
    /// `docusaurus.config.js` (or `.ts`) beside `docs/`.
    Docusaurus,
    /// `book.toml` with `SUMMARY.md`.
    MdBook,
    /// A folder with `.obsidian/`, or Markdown written with `[[wikilinks]]` (a vault whose
    /// settings folder is not in the repository).
    Obsidian,
    /// Markdown files and nothing else.
    Plain,
}

impl fmt::Display for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Generator::Hugo => "Hugo",
            Generator::Zola => "Zola",
            Generator::Jekyll => "Jekyll",
            Generator::Docusaurus => "Docusaurus",
            Generator::MdBook => "mdBook",
            Generator::Obsidian => "an Obsidian vault",
            Generator::Plain => "plain Markdown",
        })
    }
}

/// Settings read from the source's own configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detected {
    /// Site title.
    pub title: Option<String>,
    /// Published address.
    pub base_url: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// The old tool passed raw HTML through (Hugo's `markup.goldmark.renderer.unsafe`).
    pub raw_html: bool,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The detected tool.
    pub generator: Generator,
    /// Settings taken over.
    pub detected: Detected,
    /// Markdown files copied into `content/`.
    pub pages: usize,
    /// Other files copied (images, downloads, static files).
    pub assets: usize,
    /// What the import did beyond copying (ordering, folder titles), for the report.
    pub notes: Vec<String>,
    /// The report's summary for the terminal (the whole report is `MIGRATION.md`).
    pub summary: Vec<String>,
}

/// Detects the generator of the handbook at `from`.
pub fn detect(from: &Path) -> Generator {
    let has = |rel: &str| from.join(rel).exists();
    if has("book.toml") {
        Generator::MdBook
    } else if has("docusaurus.config.js") || has("docusaurus.config.ts") {
        Generator::Docusaurus
    } else if has("content") && (has("zola.toml") || zola_config(from).is_some()) {
        Generator::Zola
    } else if (has("hugo.toml") || has("hugo.yaml") || has("config.toml") || has("config/_default"))
        && has("content")
    {
        Generator::Hugo
    } else if has("_config.yml") {
        Generator::Jekyll
    } else if has(".obsidian") || written_with_wikilinks(from) {
        Generator::Obsidian
    } else {
        Generator::Plain
    }
}

/// True if the Markdown under `from` is written with wikilinks: `[[Note]]` or `![[Note]]`
/// outside code in at least one file in fifty (a vault kept in git often leaves its
/// `.obsidian/` settings out). A stray `[[x]]` in one page of a big repository is not enough.
fn written_with_wikilinks(from: &Path) -> bool {
    let (mut files, mut with) = (0usize, 0usize);
    let walk = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "node_modules")
        })
        .flatten();
    for e in walk {
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        files += 1;
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        let code = shortcodes::code_lines(&lines);
        let wikilink = |l: &&str| {
            l.match_indices("[[").any(|(i, _)| {
                let rest = &l[i + 2..];
                rest.find("]]").is_some_and(|end| {
                    let inner = &rest[..end];
                    !inner.is_empty()
                        && !inner.starts_with([' ', '-', '['])
                        && !inner.contains(['`', '\n'])
                })
            })
        };
        if lines.iter().zip(&code).any(|(l, c)| !c && wikilink(l)) {
            with += 1;
        }
    }
    with > 0 && with * 50 >= files
}

/// Imports the handbook at `from` into a new site at `to` (which must not exist or be
/// empty).
pub fn import(from: &Path, to: &Path) -> Result<Imported, BuildFailed> {
    if !from.is_dir() {
        let what = if from.exists() {
            "this is a file, not a folder: binder imports a handbook's folder"
        } else {
            "there is no folder here to import"
        };
        return Err(Diagnostic::error(from.display().to_string(), what)
            .with_hint("give the folder of the handbook, e.g. `binder import ../old-handbook`")
            .with_origin(crate::diag::Origin::Usage)
            .into());
    }
    let not_empty = std::fs::read_dir(to).is_ok_and(|mut d| d.next().is_some());
    if not_empty {
        return Err(Diagnostic::error(
            to.display().to_string(),
            "this folder is not empty; binder import never overwrites files",
        )
        .with_hint("name a new folder: `binder import SOURCE NEW-FOLDER`")
        .with_origin(crate::diag::Origin::Usage)
        .into());
    }
    let generator = detect(from);
    let detected = read_settings(from, generator);
    let plan = plan(from, generator);
    if !plan
        .copies
        .iter()
        .any(|(src, _)| copies_markdown(src, &plan.skip_in(src, from)))
    {
        return Err(Diagnostic::error(
            from.display().to_string(),
            "no Markdown files here: this does not look like a handbook, and nothing was imported",
        )
        .with_hint(
            "binder imports a folder of `.md` files (plain, or a Hugo, Zola, Jekyll, Docusaurus, \
             mdBook or Obsidian site): point it at the folder that holds them",
        )
        .with_origin(crate::diag::Origin::Usage)
        .into());
    }
    let mut imported = Imported {
        generator,
        detected,
        pages: 0,
        assets: 0,
        notes: Vec::new(),
        summary: Vec::new(),
    };
    // A folder the plan names but the site does not have (a Docusaurus site without a blog)
    // is nothing to copy.
    for (src, dest) in plan.copies.iter().filter(|(src, _)| src.is_dir()) {
        copy_tree(
            src,
            &to.join(dest),
            &plan,
            &plan.skip_in(src, from),
            &mut imported,
        )?;
    }
    match generator {
        Generator::MdBook => {
            let src = plan
                .copies
                .first()
                .map_or(from.to_owned(), |(s, _)| s.clone());
            mdbook_directives(from, &src, &to.join("content"), &mut imported)?;
            order_by_summary(&src, &to.join("content"), &mut imported)?;
        }
        Generator::Hugo => hugo_shortcodes(&to.join("content"), &mut imported)?,
        Generator::Jekyll => {
            html::kramdown_pages(&to.join("content"), &mut imported)?;
            jekyll::post_aliases(from, &to.join("content"), &mut imported)?;
        }
        Generator::Zola => zola_shortcodes(&to.join("content"), &mut imported)?,
        Generator::Docusaurus => {
            mdx::mdx_pages(&to.join("content"), &mut imported)?;
            categories(&to.join("content"), &mut imported)?;
            order_by_position(&to.join("content"), &mut imported)?;
        }
        _ => {}
    }
    old_templates(&to.join("content"), &mut imported)?;
    let html_pages = html::HtmlPages::scan(&to.join("content"));
    let allowed_by = match generator {
        Generator::Hugo => "Hugo's `markup.goldmark.renderer.unsafe`",
        Generator::Zola => "Zola always does",
        Generator::MdBook => "mdBook always does",
        Generator::Jekyll => "Jekyll's kramdown does",
        _ => "",
    };
    let allowed_by = imported.detected.raw_html.then_some(allowed_by);
    imported.notes.extend(html_pages.note(allowed_by));
    write(
        to,
        "site.toml",
        site_toml(&imported.detected, generator).as_bytes(),
    )?;
    imported.notes.push(
        "site.toml keeps file names in URLs ([urls] keep_names), keeps unknown front-matter keys in page.extra with one warning per key, and reports broken links as warnings (in `build` and `check`): fix them, then set `broken = \"error\"` under [links] and `broken_links = \"error\"` under [health]".into(),
    );
    if generator == Generator::Obsidian {
        imported.notes.push(
            "front-matter `aliases` are other names of a note for wikilinks, as in Obsidian ([front_matter] aliases = \"names\"), not redirects".into(),
        );
    }
    let report = report(to, &imported);
    write(to, "MIGRATION.md", report.markdown.as_bytes())?;
    imported.summary = report.summary;
    Ok(imported)
}

/// The Markdown files under `content`, in file-name order (what the import rewrites and
/// scans after copying).
fn markdown_files(content: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// Gives each Markdown page under `content` to `f`, with its path below `content`
/// (`/`-separated) and its text; a page `f` returns new text for is written back. Returns
/// how many pages were.
fn rewrite_pages(
    content: &Path,
    mut f: impl FnMut(&str, &str) -> Option<String>,
) -> Result<usize, BuildFailed> {
    let mut changed = 0;
    for entry in markdown_files(content) {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let rel = path.strip_prefix(content).unwrap_or(path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        if let Some(new) = f(&rel, &text).filter(|new| *new != text) {
            std::fs::write(path, new).map_err(|e| io_error(path, &e))?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Names counted with where each was first seen, for the report.
#[derive(Debug, Default)]
struct Seen(std::collections::BTreeMap<String, (usize, String)>);

impl Seen {
    /// One more `name`, at `at` (`content/a.md:4`).
    fn add(&mut self, name: String, at: String) {
        self.0.entry(name).or_insert((0, at)).0 += 1;
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `` `a` ×3 (first at content/x.md:4), `b` ×1 (first at …) ``.
    fn list(&self) -> String {
        let items: Vec<String> = (self.0.iter())
            .map(|(name, (n, at))| format!("`{name}` ×{n} (first at {at})"))
            .collect();
        items.join(", ")
    }
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), BuildFailed> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| io_error(&path, &e).into())
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path.display().to_string(), format!("cannot write: {e}"))
        .with_origin(crate::diag::Origin::Io)
}
