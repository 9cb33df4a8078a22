//! Load stage: walk `content/` → [`Sources`]: Markdown files (articles, sections, glossary
//! entries) with their text, and asset files to copy.
//!
//! Text is normalised here once (UTF-8 BOM dropped, CRLF → LF) so every later stage and every
//! byte offset in a diagnostic refers to the same string.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;

/// One Markdown source file.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to `content/`, with `/` separators (`tips/ask-for-clarity.md`).
    pub rel: String,
    /// Path shown in diagnostics, relative to the site root (`content/tips/ask-for-clarity.md`).
    pub shown: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// Normalised text.
    pub text: Arc<str>,
    /// What the file is.
    pub role: Role,
}

/// The role a Markdown file plays, decided by its name and folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An article.
    Article,
    /// `_index.md`: describes its folder.
    Section,
    /// `content/<taxonomy>/<term>.md`: glossary entry shown on a term page.
    Glossary,
}

/// A non-Markdown file under `content/`, copied to the same place in the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/`.
    pub rel: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
}

/// Everything found under `content/`, sorted by path.
#[derive(Debug, Default)]
pub struct Sources {
    /// Markdown files.
    pub files: Vec<Source>,
    /// Other files.
    pub assets: Vec<Asset>,
    /// Folders (relative to `content/`, `""` for the root), for sections without `_index.md`.
    pub dirs: Vec<String>,
    /// The files copied to the output root as they are, by output path (`images/logo.png`,
    /// `style.css`): the site's `static/` and its theme's, sorted. Links may point at them.
    pub statics: Vec<String>,
}

/// True for names an editor or the OS writes while saving: hidden files, swap and backup
/// files (`.x.swp`, `x~`, `#x#`, vim's `4913` probe). Shared with the watcher.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// What a walk of `content/` finds, before any file is read.
#[derive(Debug, Default)]
pub struct Listing {
    /// Markdown files: (path relative to `content/`, absolute path), sorted.
    pub markdown: Vec<(String, PathBuf)>,
    /// Other files.
    pub assets: Vec<Asset>,
    /// Folders (relative to `content/`, `""` for the root).
    pub dirs: Vec<String>,
}

/// How the walk treats symlinks.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Read files and folders that a symlink points to outside the site root
    /// (`[content] follow_external_symlinks`).
    pub follow_external_symlinks: bool,
}

/// Walks `content_dir` without reading files (skipping editor temp files and hidden
/// entries); [`read_source`] reads each Markdown file. Symlinks are followed inside the site root like any file or
/// folder; one that points outside it is an error naming the link and its target (unless
/// allowed), so a contributor cannot publish `/etc/passwd` or `site.toml` by linking it from
/// `content/`. A symlink loop is an error too.
pub fn list(
    content_dir: &Path,
    root: &Path,
    opts: LoadOptions,
) -> Result<Listing, Vec<Diagnostic>> {
    if !content_dir.is_dir() {
        return Err(vec![Diagnostic::error(
            shown_path(content_dir, root),
            "the content folder does not exist",
        )
        .with_hint("create `content/` with an `_index.md` and your articles (binder init scaffolds one)")]);
    }
    let site_root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    let mut listing = Listing::default();
    let mut errors = Vec::new();
    let mut walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(walk_error(&e, content_dir, root));
                continue;
            }
        };
        if entry.path_is_symlink() && !opts.follow_external_symlinks {
            if let Some(d) = external_link(entry.path(), &site_root, root) {
                errors.push(d);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            listing.dirs.push(rel);
        } else if rel.ends_with(".md") {
            listing.markdown.push((rel, entry.into_path()));
        } else {
            listing.assets.push(Asset {
                rel,
                abs: entry.into_path(),
            });
        }
    }
    if errors.is_empty() {
        Ok(listing)
    } else {
        Err(errors)
    }
}

/// A located error for a symlink under `content/` whose target is outside the site root.
fn external_link(link: &Path, site_root: &Path, root: &Path) -> Option<Diagnostic> {
    let target = link.canonicalize().ok()?;
    // Inside the site, only the config and hidden files (`.git/`, `.env`) are off limits.
    let private = target.strip_prefix(site_root).map_or(true, |rel| {
        rel == Path::new("site.toml")
            || rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    });
    if !private {
        return None;
    }
    Some(
        Diagnostic::error(
            shown_path(link, root),
            format!(
                "this is a symlink to {}, outside the site's content; binder does not read files outside the site (or its config and hidden files) through symlinks",
                target.display()
            ),
        )
        .with_hint(
            "copy the file into the site, or set `follow_external_symlinks = true` under `[content]` in site.toml if you trust every author",
        ),
    )
}

/// A walk error in words: a symlink loop names both ends.
fn walk_error(e: &walkdir::Error, content_dir: &Path, root: &Path) -> Diagnostic {
    let at = e.path().unwrap_or(content_dir);
    match e.loop_ancestor() {
        Some(ancestor) => Diagnostic::error(
            shown_path(at, root),
            format!(
                "this symlink loops back to its own ancestor {}",
                shown_path(ancestor, root)
            ),
        )
        .with_hint("remove the symlink or point it at a folder outside its own path"),
        None if at.is_symlink() && !at.exists() => Diagnostic::error(
            shown_path(at, root),
            format!(
                "this symlink points to {}, which does not exist",
                std::fs::read_link(at).unwrap_or_default().display()
            ),
        )
        .with_hint("remove the symlink or restore its target"),
        None => {
            let d = Diagnostic::error(shown_path(at, root), format!("cannot read: {e}"));
            match e.io_error() {
                Some(io) => d.with_io(shown_path(at, root), io),
                None => d,
            }
        }
    }
}

/// Reads one Markdown file and decides its role.
pub fn read_source(
    rel: String,
    abs: PathBuf,
    root: &Path,
    taxonomies: &[String],
) -> Result<Source, Diagnostic> {
    let shown = shown_path(&abs, root);
    let bytes = std::fs::read(&abs).map_err(|e| {
        Diagnostic::error(&shown, format!("cannot read the file: {e}")).with_io(&shown, &e)
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            &shown,
            format!(
                "the file is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .with_hint("save the file as UTF-8 in your editor")
    })?;
    let role = role_of(&rel, taxonomies);
    Ok(Source {
        rel,
        shown,
        abs,
        text: normalise(text),
        role,
    })
}

/// Drops a UTF-8 BOM and turns CRLF line endings into LF.
pub fn normalise(text: String) -> Arc<str> {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    if text.contains('\r') {
        Arc::from(text.replace("\r\n", "\n"))
    } else {
        Arc::from(text)
    }
}

fn role_of(rel: &str, taxonomies: &[String]) -> Role {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if name == "_index.md" {
        Role::Section
    } else if taxonomies.iter().any(|t| t == dir) {
        Role::Glossary
    } else {
        Role::Article
    }
}

/// `path` relative to `root`, with `/`, for messages.
pub fn shown_path(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(
            &*normalise("\u{feff}---\r\ntitle: a\r\n".into()),
            "---\ntitle: a\n"
        );
    }

    #[test]
    fn roles_follow_names_and_folders() {
        let tax = vec!["concepts".to_owned()];
        assert_eq!(role_of("tips/_index.md", &tax), Role::Section);
        assert_eq!(role_of("_index.md", &tax), Role::Section);
        assert_eq!(role_of("concepts/trust.md", &tax), Role::Glossary);
        assert_eq!(role_of("tips/trust.md", &tax), Role::Article);
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for n in [".x.md.swp", "x.md~", "4913", "#x.md#", ".hidden"] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("ask-for-clarity.md"));
    }
}
