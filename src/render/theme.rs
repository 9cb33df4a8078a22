//! Themes: where a site's theme comes from (its own `themes/<name>/` folder, else the
//! default theme built into the binary) and the files it offers (templates, static files,
//! translations), read from disk or from memory alike.
//!
//! The built-in copy is what makes `binder build` work on a folder of Markdown with no
//! theme in it; a site that wants to change the theme copies it (`binder init` does) and
//! its folder then wins.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Name of the theme built into the binary.
pub const BUILTIN: &str = "default";

/// Where a theme's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Theme {
    /// `themes/<name>/` of the site.
    Folder(PathBuf),
    /// The default theme embedded in the binary.
    Builtin,
}

/// Contents of one theme or site file, on disk or in the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSource {
    /// A file on disk.
    Disk(PathBuf),
    /// A file of the built-in theme (path below the theme folder, bytes).
    Embedded(&'static str, &'static [u8]),
}

impl FileSource {
    /// The bytes of the file.
    pub fn read(&self) -> std::io::Result<Cow<'static, [u8]>> {
        match self {
            FileSource::Disk(path) => std::fs::read(path).map(Cow::Owned),
            FileSource::Embedded(_, bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }

    /// The path shown in messages: relative to the site root, or `(built-in theme)/…`.
    pub fn shown(&self, root: &Path) -> String {
        match self {
            FileSource::Disk(path) => crate::load::shown_path(path, root),
            FileSource::Embedded(rel, _) => format!("(built-in theme {BUILTIN})/{rel}"),
        }
    }
}

impl Theme {
    /// The theme `name` of the site at `root`: its folder if there is one, else the built-in
    /// theme if the name is `default`, else an error listing the themes there are.
    pub fn locate(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Ok(Theme::Folder(dir));
        }
        if name == BUILTIN {
            return Ok(Theme::Builtin);
        }
        let mut themes: Vec<String> = std::fs::read_dir(root.join("themes"))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        if !themes.iter().any(|t| t == BUILTIN) {
            themes.push(BUILTIN.to_owned());
        }
        themes.sort();
        let hint = crate::diag::did_you_mean(name, themes.iter().map(String::as_str))
            .unwrap_or_else(|| {
                format!(
                    "themes here: {} (`default` is built in); remove `theme` to use it",
                    themes.join(", ")
                )
            });
        Err(Diagnostic::error(
            "site.toml",
            format!("theme `{name}` not found (no folder themes/{name}/)"),
        )
        .with_hint(hint))
    }

    /// Files below the theme's `sub` folder (`templates`, `static`, `i18n`), as (path below
    /// `sub` with `/` separators, source), sorted by path.
    pub fn files(&self, sub: &str) -> Vec<(String, FileSource)> {
        match self {
            Theme::Folder(dir) => folder_files(&dir.join(sub)),
            Theme::Builtin => builtin_files(sub),
        }
    }

    /// Where the theme's templates are, for messages (`themes/x/templates`).
    pub fn shown_templates(&self) -> String {
        match self {
            Theme::Folder(dir) => format!(
                "themes/{}/templates",
                dir.file_name().unwrap_or_default().to_string_lossy()
            ),
            Theme::Builtin => format!("(built-in theme {BUILTIN})/templates"),
        }
    }
}

/// Files of the built-in theme below `sub`.
pub fn builtin_files(sub: &str) -> Vec<(String, FileSource)> {
    let prefix = format!("{sub}/");
    DEFAULT_THEME
        .iter()
        .filter_map(|&(rel, bytes)| {
            let below = rel.strip_prefix(&prefix)?;
            Some((below.to_owned(), FileSource::Embedded(rel, bytes)))
        })
        .collect()
}

/// Every file below `dir` (none if it does not exist), skipping editor leftovers.
pub fn folder_files(dir: &Path) -> Vec<(String, FileSource)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && !crate::load::is_ignored_name(&e.file_name().to_string_lossy())
        })
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, FileSource::Disk(e.into_path())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_has_the_required_templates_and_static_files() {
        let templates: Vec<String> = builtin_files("templates")
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        for t in [
            "base.html",
            "page.html",
            "section.html",
            "index.html",
            "404.html",
        ] {
            assert!(templates.iter().any(|r| r == t), "{t} in {templates:?}");
        }
        let statics: Vec<String> = builtin_files("static")
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert!(statics.iter().any(|r| r == "style.css"), "{statics:?}");
    }

    #[test]
    fn a_missing_default_theme_folder_means_the_builtin_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            Theme::locate(dir.path(), "default").expect("found"),
            Theme::Builtin
        );
        std::fs::create_dir_all(dir.path().join("themes/default")).expect("mkdir");
        assert_eq!(
            Theme::locate(dir.path(), "default").expect("found"),
            Theme::Folder(dir.path().join("themes/default"))
        );
    }

    #[test]
    fn an_unknown_theme_is_an_error_with_a_suggestion() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = Theme::locate(dir.path(), "defualt").expect_err("unknown");
        assert!(d.message.contains("theme `defualt` not found"), "{d:?}");
        assert_eq!(d.hint.as_deref(), Some("did you mean `default`?"));
    }

    #[test]
    fn embedded_sources_read_from_memory() {
        let (_, src) = builtin_files("static")
            .into_iter()
            .find(|(r, _)| r == "style.css")
            .expect("style.css");
        assert!(!src.read().expect("bytes").is_empty());
        assert_eq!(
            src.shown(Path::new("/x")),
            "(built-in theme default)/static/style.css"
        );
    }
}
