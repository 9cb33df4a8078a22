//! `binder import`: copies (never moves) a handbook written for another tool into a new
//! binder site. The generator is detected from its files (Hugo, Zola, Jekyll, Docusaurus,
//! mdBook, an Obsidian vault, or plain Markdown); the site gets a `site.toml` that keeps what
//! migrations need (URLs as named, unknown keys and broken links as warnings) and a
//! migration report; it builds with the theme built into binder. The source folder is only read.

mod html;
mod mdbook;
mod report;
mod shortcodes;

use std::fmt;
use std::path::{Path, PathBuf};

pub use report::{Report, report};

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

/// Which source folder goes where in the new site.
struct Plan {
    /// (source folder, destination under the site root).
    copies: Vec<(PathBuf, String)>,
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
    for (src, dest) in &plan.copies {
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
        Generator::Zola => zola_shortcodes(&to.join("content"), &mut imported),
        Generator::Docusaurus => {
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

/// Docusaurus describes a folder in `_category_.json` (`label`, `position`, `link`'s
/// `description`): they become the title, weight and description of the folder's index
/// file (keys it sets itself win), and the JSON file is not kept.
fn categories(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let found: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "_category_.json")
        .map(walkdir::DirEntry::into_path)
        .collect();
    let mut n = 0;
    for json in &found {
        let Some(dir) = json.parent() else { continue };
        let text = std::fs::read_to_string(json).unwrap_or_default();
        let Ok(serde_json::Value::Object(cat)) = serde_json::from_str(&text) else {
            out.notes.push(format!(
                "{} is not a JSON object: kept as a file, not read",
                json.strip_prefix(content).unwrap_or(json).display()
            ));
            continue;
        };
        let description = cat
            .get("link")
            .and_then(|l| l.get("description"))
            .or_else(|| cat.get("description"))
            .and_then(|d| d.as_str());
        let keys = [
            (
                "title",
                cat.get("label").and_then(|v| v.as_str()).map(str::to_owned),
            ),
            ("weight", cat.get("position").and_then(as_weight)),
            ("description", description.map(str::to_owned)),
        ];
        let index = index_file(dir);
        let mut text = std::fs::read_to_string(&index).unwrap_or_default();
        for (key, value) in keys {
            if let Some(value) = value.filter(|_| !has_key(&text, key)) {
                text = with_str_key(&text, key, &value);
            }
        }
        std::fs::write(&index, text).map_err(|e| io_error(&index, &e))?;
        std::fs::remove_file(json).map_err(|e| io_error(json, &e))?;
        out.assets = out.assets.saturating_sub(1);
        n += 1;
    }
    if n > 0 {
        out.notes.push(format!(
            "{n} `_category_.json` files became the title, weight and description of their folder's index file"
        ));
    }
    Ok(())
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

/// Zola's config (`zola.toml`, else a `config.toml` with Zola's `base_url` key, which Hugo
/// spells `baseURL`), parsed.
fn zola_config(from: &Path) -> Option<toml::Table> {
    ["zola.toml", "config.toml"].iter().find_map(|f| {
        let t = std::fs::read_to_string(from.join(f))
            .ok()?
            .parse::<toml::Table>()
            .ok()?;
        (*f == "zola.toml" || t.get("base_url").is_some_and(toml::Value::is_str)).then_some(t)
    })
}

/// Zola's shortcodes (`{{ name(…) }}`, `{% name(…) %}…{% end %}`) call the old theme's
/// templates: they are listed in the report, by name with a first location, to rewrite by
/// hand (code blocks, where docs show them as examples, are left out).
fn zola_shortcodes(content: &Path, out: &mut Imported) {
    let mut found: std::collections::BTreeMap<String, (usize, String)> = Default::default();
    for entry in markdown_files(content) {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let rel = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let lines: Vec<&str> = text.lines().collect();
        let code = shortcodes::code_lines(&lines);
        for (n, line) in lines.iter().enumerate().filter(|(n, _)| !code[*n]) {
            for name in zola_calls(line) {
                let at = format!("content/{}:{}", rel.display(), n + 1);
                found.entry(name).or_insert((0, at)).0 += 1;
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let list: Vec<String> = found
        .iter()
        .map(|(name, (n, at))| format!("`{name}` ×{n} (first at {at})"))
        .collect();
    out.notes.push(format!(
        "Zola shortcodes call templates of the old theme and show as written until rewritten in Markdown: {}",
        list.join(", ")
    ));
}

/// The shortcode names called on `line`: `{{ name(` and `{% name(`.
fn zola_calls(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for open in ["{{", "{%"] {
        for (i, _) in line.match_indices(open) {
            let rest = line[i + 2..].trim_start();
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && rest[name.len()..].starts_with('(') {
                out.push(name);
            }
        }
    }
    out
}

/// A page's `template` names a template of the old site's theme, which binder's theme does
/// not have (the build would stop on it): the key is taken out of the front matter and the
/// report lists what was taken out, to bring over by hand.
fn old_templates(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let mut names: std::collections::BTreeMap<String, (usize, String)> = Default::default();
    for entry in markdown_files(content) {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some((without, name, line)) = without_key(&text, "template") else {
            continue;
        };
        std::fs::write(path, without).map_err(|e| io_error(path, &e))?;
        let rel = path.strip_prefix(content).unwrap_or(path);
        let at = format!("content/{}:{line}", rel.display());
        names.entry(name).or_insert((0, at)).0 += 1;
    }
    if names.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = names
        .iter()
        .map(|(name, (n, at))| format!("`{name}` ×{n} (first at {at})"))
        .collect();
    out.notes.push(format!(
        "front-matter `template` named templates of the old theme, so it was taken out and binder's theme is used: {}. To keep a page's own layout, add the template under templates/ and put the key back",
        list.join(", ")
    ));
    Ok(())
}

/// `text` without the top-level `key` of its front matter (YAML or TOML), the key's value
/// as written (unquoted) and its line; `None` if the front matter does not set it.
fn without_key(text: &str, key: &str) -> Option<(String, String, usize)> {
    let (fence, sep) = if text.starts_with("+++\n") {
        ("+++", '=')
    } else if text.starts_with("---\n") {
        ("---", ':')
    } else {
        return None;
    };
    let mut out = String::with_capacity(text.len());
    let mut found = None;
    let mut in_front = false;
    let mut searching = true;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if n == 0 {
            in_front = true;
        } else if in_front && bare == fence {
            in_front = false;
        } else if in_front && fence == "+++" && bare.starts_with('[') {
            // A TOML table (`[extra]`): the keys after it are not top-level.
            searching = false;
        } else if in_front && searching && found.is_none() {
            let value = bare
                .strip_prefix(key)
                .and_then(|rest| rest.trim_start().strip_prefix(sep));
            if let Some(v) = value {
                let v = v.split(" #").next().unwrap_or(v).trim();
                found = Some((v.trim_matches(['"', '\'']).to_owned(), n + 1));
                continue;
            }
        }
        out.push_str(line);
    }
    let (value, line) = found?;
    Some((out, value, line))
}

/// Hugo's shortcodes have no meaning outside Hugo: the boxes and videos binder can show are
/// rewritten as Markdown, and the others are listed in the report.
fn hugo_shortcodes(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let mut tally = shortcodes::Tally::default();
    for entry in markdown_files(content) {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if !text.contains("{{") {
            continue;
        }
        let page = shortcodes::rewrite(&text);
        let rel = path.strip_prefix(content).unwrap_or(path);
        tally.add(&format!("content/{}", rel.display()), &page);
        if page.text != text {
            std::fs::write(path, &page.text).map_err(|e| io_error(path, &e))?;
        }
    }
    out.notes.extend(tally.notes());
    Ok(())
}

/// A `position` as a whole weight (Docusaurus allows `2.5`: scaled so the order holds).
fn as_weight(v: &serde_json::Value) -> Option<String> {
    let f = v.as_f64()?;
    Some(if f.fract() == 0.0 {
        format!("{}", f as i64)
    } else {
        format!("{}", (f * 100.0).round() as i64)
    })
}

/// The index file describing `dir` (created as `_index.md` when there is none).
fn index_file(dir: &Path) -> PathBuf {
    ["_index.md", "index.md", "README.md"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
        .unwrap_or_else(|| dir.join("_index.md"))
}

/// True if the front matter of `text` sets `key` at its top level.
fn has_key(text: &str, key: &str) -> bool {
    let (fence, sep) = if text.starts_with("+++\n") {
        ("+++", '=')
    } else if text.starts_with("---\n") {
        ("---", ':')
    } else {
        return false;
    };
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != fence)
        .any(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(sep))
        })
}

/// `text` with `key` set to the string `value` (quoted for YAML or TOML).
fn with_str_key(text: &str, key: &str, value: &str) -> String {
    if text.starts_with("+++\n") || value.parse::<i64>().is_ok() {
        return with_key(text, key, value);
    }
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    with_key(text, key, &quoted)
}

fn plan(from: &Path, generator: Generator) -> Plan {
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
            copies.push((dir("docs"), "content".into()));
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

/// The collections a Jekyll `_config.yml` publishes (`output: true`), each with whether its
/// permalink puts its documents at the site root (`/:path/`, `/:name/`) rather than under
/// the collection's name (`/:collection/:path/`, Jekyll's default).
fn jekyll_collections(from: &Path) -> Vec<(String, bool)> {
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
    fn skip_in(&self, src: &Path, from: &Path) -> Vec<String> {
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
fn has_markdown(dir: &Path) -> bool {
    dir.is_dir()
        && walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// Whether `src` holds a Markdown file that [`copy_tree`] would copy.
fn copies_markdown(src: &Path, skip: &[String]) -> bool {
    source_files(src, skip)
        .flatten()
        .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// The entries under `src` an import copies: `skip` and hidden names left out.
fn source_files<'a>(
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
            !(skip.contains(&rel) || hidden)
        })
}

/// Copies `src` to `dest`, skipping tool folders; `.md` files count as pages.
fn copy_tree(
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
fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head[..3] == b"---" && matches!(head[3], b'\n' | b'\r'))
}

fn mdbook_src(from: &Path) -> String {
    std::fs::read_to_string(from.join("book.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("book")?.get("src")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "src".into())
}

/// mdBook's order lives in `SUMMARY.md`: each chapter gets `weight` = its position, and
/// each folder sorts by weight.
fn order_by_summary(src: &Path, content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let Ok(summary) = std::fs::read_to_string(src.join("SUMMARY.md")) else {
        return Ok(());
    };
    let mut folders = std::collections::BTreeSet::new();
    let mut n = 0;
    for link in summary_links(&summary) {
        let path = content.join(&link);
        let Ok(text) = std::fs::read_to_string(&path) else {
            out.notes
                .push(format!("SUMMARY.md lists `{link}`, which does not exist"));
            continue;
        };
        n += 1;
        std::fs::write(&path, with_key(&text, "weight", &n.to_string()))
            .map_err(|e| io_error(&path, &e))?;
        folders.insert(
            link.rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned()),
        );
    }
    sort_by_weight(content, &folders)?;
    out.notes
        .push(format!("{n} chapters ordered as in SUMMARY.md (weight)"));
    Ok(())
}

/// Docusaurus orders each folder by `sidebar_position` (read as `weight`).
fn order_by_position(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let folders: std::collections::BTreeSet<String> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(content).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    sort_by_weight(content, &folders)?;
    out.notes
        .push("folders list their pages by sidebar_position (sort_by = weight)".into());
    Ok(())
}

/// Sets `sort_by: weight` in the index file of each folder (creating `_index.md`), unless
/// it chooses an order itself.
fn sort_by_weight(
    content: &Path,
    folders: &std::collections::BTreeSet<String>,
) -> Result<(), BuildFailed> {
    for folder in folders {
        let dir = content.join(folder);
        let index = ["_index.md", "index.md", "README.md"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .unwrap_or_else(|| dir.join("_index.md"));
        let text = std::fs::read_to_string(&index).unwrap_or_default();
        if text.contains("sort_by") {
            continue;
        }
        std::fs::write(&index, with_key(&text, "sort_by", "weight"))
            .map_err(|e| io_error(&index, &e))?;
    }
    Ok(())
}

/// mdBook's `{{#include}}`, `{{#playground}}` and `{{#title}}` are expanded as mdBook
/// expands them (see [`mdbook`]); the fragments only other chapters include, and
/// SUMMARY.md does not list, are not kept as pages.
fn mdbook_directives(
    from: &Path,
    src: &Path,
    content: &Path,
    out: &mut Imported,
) -> Result<(), BuildFailed> {
    let book = mdbook::Book {
        src,
        bound: mdbook::Book::bound_for(from),
    };
    let mut done = mdbook::Expansion::default();
    for entry in markdown_files(content) {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if !text.contains("{{#") {
            continue;
        }
        let rel = path.strip_prefix(content).unwrap_or(path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let expanded = book.expand(&text, &rel, &mut done);
        if expanded != text {
            std::fs::write(path, expanded).map_err(|e| io_error(path, &e))?;
            done.pages += 1;
        }
    }
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

/// Link targets of `SUMMARY.md` list items, in order (`- [Intro](intro.md)`).
fn summary_links(summary: &str) -> Vec<String> {
    summary
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once("](")?;
            let target = rest.split(')').next()?.trim();
            let target = target.split('#').next()?.trim_start_matches("./");
            target.ends_with(".md").then(|| target.to_owned())
        })
        .collect()
}

/// `text` with `key` set to the plain word or number `value` in its front matter (YAML
/// or TOML; YAML front matter is created if it has none).
fn with_key(text: &str, key: &str, value: &str) -> String {
    if let Some(rest) = text.strip_prefix("+++\n") {
        return format!("+++\n{key} = {}\n{rest}", toml_literal(value));
    }
    match text.strip_prefix("---\n") {
        Some(rest) => format!("---\n{key}: {value}\n{rest}"),
        None => format!("---\n{key}: {value}\n---\n{text}"),
    }
}

fn toml_literal(value: &str) -> String {
    if value.parse::<i64>().is_ok() {
        value.to_owned()
    } else {
        toml_str(value)
    }
}

fn read_settings(from: &Path, generator: Generator) -> Detected {
    let read = |rel: &str| std::fs::read_to_string(from.join(rel)).ok();
    match generator {
        Generator::Hugo => {
            let toml_text = [
                "hugo.toml",
                "config.toml",
                "config/_default/hugo.toml",
                "config/_default/config.toml",
            ]
            .iter()
            .find_map(|f| read(f));
            if let Some(text) = toml_text {
                let t = text.parse::<toml::Table>().unwrap_or_default();
                let get = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                return Detected {
                    title: get("title"),
                    base_url: get("baseURL").or_else(|| get("baseurl")),
                    language: get("languageCode").or_else(|| get("defaultContentLanguage")),
                    raw_html: html::hugo_unsafe(&text, true),
                };
            }
            let text = [
                "hugo.yaml",
                "hugo.yml",
                "config.yaml",
                "config.yml",
                "config/_default/hugo.yaml",
                "config/_default/config.yaml",
                "config/_default/config.yml",
            ]
            .iter()
            .find_map(|f| read(f))
            .unwrap_or_default();
            Detected {
                title: yaml_line(&text, "title"),
                base_url: yaml_line(&text, "baseURL").or_else(|| yaml_line(&text, "baseurl")),
                language: yaml_line(&text, "languageCode")
                    .or_else(|| yaml_line(&text, "defaultContentLanguage")),
                raw_html: html::hugo_unsafe(&text, false),
            }
        }
        Generator::Zola => {
            let t = zola_config(from).unwrap_or_default();
            let get = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            Detected {
                title: get("title"),
                base_url: get("base_url"),
                language: get("default_language"),
                // Zola's Markdown passes raw HTML through, always.
                raw_html: true,
            }
        }
        Generator::Jekyll => {
            let text = read("_config.yml").unwrap_or_default();
            let url = yaml_line(&text, "url");
            let base = yaml_line(&text, "baseurl").unwrap_or_default();
            Detected {
                title: yaml_line(&text, "title"),
                base_url: url.map(|u| format!("{}{base}", u.trim_end_matches('/'))),
                language: yaml_line(&text, "lang"),
                // Jekyll's kramdown passes raw HTML through.
                raw_html: true,
            }
        }
        Generator::MdBook => {
            let t = read("book.toml")
                .and_then(|t| t.parse::<toml::Table>().ok())
                .unwrap_or_default();
            let book = t.get("book");
            let get = |k: &str| {
                book.and_then(|b| b.get(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            Detected {
                title: get("title"),
                base_url: None,
                language: get("language"),
                // mdBook's Markdown passes raw HTML through, always.
                raw_html: true,
            }
        }
        Generator::Docusaurus => {
            let text = read("docusaurus.config.js")
                .or_else(|| read("docusaurus.config.ts"))
                .unwrap_or_default();
            let url = js_string(&text, "url");
            let base = js_string(&text, "baseUrl").unwrap_or_default();
            Detected {
                title: js_string(&text, "title"),
                base_url: url.map(|u| format!("{}{base}", u.trim_end_matches('/'))),
                language: None,

                raw_html: false,
            }
        }
        Generator::Obsidian | Generator::Plain => Detected {
            title: read("README.md")
                .as_deref()
                .and_then(readme_title)
                .or_else(|| {
                    from.canonicalize().ok().and_then(|p| {
                        p.file_name()
                            .map(|n| crate::config::capitalise(&n.to_string_lossy()))
                    })
                }),
            ..Detected::default()
        },
    }
}

/// The title a repository gives itself in its README's first `# Heading`, without the
/// badges (inline HTML) and the leading emoji such headings often carry. A plain
/// repository has no config with a title, and its folder name is often a short clone name.
fn readme_title(readme: &str) -> Option<String> {
    let line = readme.lines().find_map(|l| l.strip_prefix("# "))?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(['#', ' '])
        .trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A top-level `key: value` of a simple YAML file (Jekyll's `_config.yml`).
fn yaml_line(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?;
        let v = v.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_owned())
    })
}

/// The first `key: 'value'` of a JavaScript config (`title: 'Docs'`), without running it.
fn js_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix(':')?
            .trim();
        let quote = v.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let inner = &v[1..];
        Some(inner[..inner.find(quote)?].to_owned())
    })
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn site_toml(d: &Detected, generator: Generator) -> String {
    let mut base = d
        .base_url
        .clone()
        .unwrap_or_else(|| "https://example.org/".into());
    if !base.ends_with('/') {
        base.push('/');
    }
    format!(
        "# Written by `binder import`; the README lists every key.\ntitle = {}\nbase_url = {}\nlanguage = {}\ntheme = \"default\"\n\n[urls]\n# Keep file and folder names in URLs as the old site had them: no link breaks.\nkeep_names = true\n\n[links]\n# Broken links are reported, not fatal; set \"error\" once they are fixed.\nbroken = \"warn\"\n\n[health]\n# `binder check` agrees: broken links are warnings there too until [links] says \"error\".\nbroken_links = \"warn\"\n\n[front_matter]\n# Keys of the old tool and of your own scripts are kept in page.extra, one warning per key.\nunknown_keys = \"warn\"\n{}{}",
        toml_str(d.title.as_deref().unwrap_or("Handbook")),
        toml_str(&base),
        toml_str(d.language.as_deref().unwrap_or("en")),
        if generator == Generator::Obsidian {
            "# Obsidian's aliases are other names of a note for [[wikilinks]], not old URLs.\naliases = \"names\"\n"
        } else {
            ""
        },
        markdown_section(d.raw_html, generator),
    )
}

/// `[markdown]` of an imported site: raw HTML as the old site had it, and wikilinks only
/// where the old tool had them (elsewhere `[[x]]` is text: a TOML table name, a shell test).
fn markdown_section(raw_html: bool, generator: Generator) -> String {
    let mut lines = Vec::new();
    if raw_html {
        lines.push("# The old site passed raw HTML in pages through; so does this one.\nraw_html = \"allow\"");
    }
    if generator != Generator::Obsidian {
        lines.push(
            "# The old tool had no [[wikilinks]]: `[[x]]` in its pages is text.\nwikilinks = false",
        );
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("\n[markdown]\n{}\n", lines.join("\n"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_links_in_order() {
        let s = "# Summary\n\n[Intro](README.md)\n- [One](ch/one.md)\n  - [Two](./ch/two.md#x)\n- [Web](https://x)\n";
        assert_eq!(summary_links(s), ["README.md", "ch/one.md", "ch/two.md"]);
    }

    #[test]
    fn settings_from_js_and_yaml_without_running_them() {
        let js = "module.exports = {\n  title: 'Team docs',\n  url: \"https://docs.example.org\",\n  baseUrl: '/handbook/',\n};\n";
        assert_eq!(js_string(js, "title").as_deref(), Some("Team docs"));
        assert_eq!(js_string(js, "baseUrl").as_deref(), Some("/handbook/"));
        let yml = "title: \"Our handbook\" # comment\nurl: https://x.org\nbaseurl: /hb\n";
        assert_eq!(yaml_line(yml, "title").as_deref(), Some("Our handbook"));
        assert_eq!(yaml_line(yml, "baseurl").as_deref(), Some("/hb"));
    }

    #[test]
    fn a_readme_heading_names_a_plain_repository() {
        let readme = "Intro line\n# 📘 Team handbook <a href=\"x\"><img alt=\"Status\" src=\"y\"></a>\n## Two\n";
        assert_eq!(readme_title(readme).as_deref(), Some("Team handbook"));
        assert_eq!(readme_title("# Ops #\n").as_deref(), Some("Ops"));
        assert_eq!(readme_title("# <img src=\"logo\">\n"), None);
        assert_eq!(readme_title("No heading\n"), None);
    }

    #[test]
    fn keys_are_added_to_front_matter_or_create_it() {
        assert_eq!(
            with_key("# T\n", "weight", "1"),
            "---\nweight: 1\n---\n# T\n"
        );
        assert_eq!(
            with_key("---\ntitle: A\n---\n", "weight", "2"),
            "---\nweight: 2\ntitle: A\n---\n"
        );
        assert_eq!(
            with_key("+++\ntitle = \"A\"\n+++\n", "sort_by", "weight"),
            "+++\nsort_by = \"weight\"\ntitle = \"A\"\n+++\n"
        );
    }
}
