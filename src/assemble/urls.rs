//! URL segments from file and folder names: never empty, never `.` or `..`, whatever the
//! name is.
//!
//! A name is slugged (`Ask for Clarity` → `ask-for-clarity`, `Über` → `uber`); with
//! `[urls] keep_names = true` it is kept as written, only made URL-safe (`license_troubleshooting`
//! stays, a space becomes `-`), so a migrated handbook keeps its URLs. A name with nothing
//! usable in it (`!!!`) gets a stable `untitled-<hash>` segment and a warning, instead of an
//! empty segment that would put its pages at the site root or outside the output.

use xxhash_rust::xxh3::xxh3_64;

/// One URL segment for a file or folder `name` (without `.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    /// The segment.
    pub(crate) text: String,
    /// True when the name had nothing usable and a hashed fallback was used.
    pub(crate) fallback: bool,
}

/// The URL segment for `name`.
pub(crate) fn segment(name: &str, keep_names: bool) -> Segment {
    let text = if keep_names {
        kept(name)
    } else {
        slug::slugify(name)
    };
    if text.is_empty() || text.chars().all(|c| c == '.') {
        return Segment {
            text: format!("untitled-{:08x}", xxh3_64(name.as_bytes()) as u32),
            fallback: true,
        };
    }
    Segment {
        text,
        fallback: false,
    }
}

/// `name` as written, with what cannot stand in a URL path segment turned into `-`: letters
/// (any script), digits, `_`, `-`, `.` and `~` stay; runs of anything else become one `-`.
fn kept(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '~') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The folder path (`tips/`, `""` for the root) for a content folder `dir` (`tips`,
/// `a/b`), one [`segment`] per folder; also reports the folders that fell back.
pub(crate) fn dir_path(dir: &str, keep_names: bool) -> (String, Vec<String>) {
    if dir.is_empty() {
        return (String::new(), Vec::new());
    }
    let mut path = String::new();
    let mut fallbacks = Vec::new();
    for name in dir.split('/') {
        let s = segment(name, keep_names);
        if s.fallback {
            fallbacks.push(name.to_owned());
        }
        path.push_str(&s.text);
        path.push('/');
    }
    (path, fallbacks)
}

/// Output path of an `aliases:` entry: `/tips/old-name/` → `tips/old-name/` (a folder: the
/// redirect goes to its `index.html`), `/old.html` → `old.html` (a file). Errors say why an
/// alias is not a plain path on this site.
pub fn alias_path(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err("an alias is an old path on this site, not a URL");
    }
    if trimmed.chars().any(char::is_control) {
        return Err("an alias cannot contain control characters");
    }
    if trimmed.contains(['?', '#', '\\']) {
        return Err("an alias cannot contain `?`, `#` or `\\`");
    }
    let path = trimmed.trim_start_matches('/');
    if path.is_empty() {
        return Err("an alias cannot be the home page");
    }
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err("an alias cannot contain empty, `.` or `..` segments");
    }
    let is_file = !path.ends_with('/') && (path.ends_with(".html") || path.ends_with(".htm"));
    Ok(if is_file || path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_slugs() {
        assert_eq!(segment("Ask for Clarity", false).text, "ask-for-clarity");
        assert_eq!(
            segment("license_troubleshooting", false).text,
            "license-troubleshooting"
        );
        assert_eq!(segment("Über", false).text, "uber");
    }

    #[test]
    fn kept_names_stay_as_written_but_url_safe() {
        assert_eq!(
            segment("license_troubleshooting", true).text,
            "license_troubleshooting"
        );
        assert_eq!(segment("My Notes", true).text, "My-Notes");
        assert_eq!(segment("a?b#c%d", true).text, "a-b-c-d");
        assert_eq!(segment("日本語", true).text, "日本語");
    }

    /// Regression (issue 11, 1): a name that slugs to nothing gave an empty URL segment, and
    /// its pages were written at the file system root.
    #[test]
    fn names_with_nothing_usable_get_a_stable_fallback() {
        for name in ["!!!", "", "..", ".", "???", "   "] {
            for keep in [false, true] {
                let s = segment(name, keep);
                assert!(s.fallback, "{name:?}");
                assert!(s.text.starts_with("untitled-"), "{name:?}: {}", s.text);
                assert_eq!(s, segment(name, keep), "stable");
            }
        }
        assert_ne!(segment("!!!", false).text, segment("???", false).text);
        let (path, fell) = dir_path("!!!/etc", false);
        assert!(
            path.starts_with("untitled-") && path.ends_with("/etc/"),
            "{path}"
        );
        assert_eq!(fell, vec!["!!!"]);
        assert_eq!(dir_path("", false), (String::new(), Vec::new()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// Whatever the file and folder names, the output path of a page built from them
        /// passes the registry's check: relative, normalised, inside the output folder.
        #[test]
        fn any_names_give_a_safe_output_path(
            dirs in proptest::collection::vec("\\PC{0,12}", 0..4),
            stem in "\\PC{0,16}",
            keep in proptest::bool::ANY,
        ) {
            let dirs: Vec<String> = dirs.into_iter().map(|d| d.replace('/', "")).collect();
            let (dir, _) = dir_path(&dirs.join("/"), keep);
            let path = format!("{dir}{}/index.html", segment(&stem, keep).text);
            proptest::prop_assert!(crate::write::check_path(&path).is_ok(), "{path:?}");
        }
    }
}
