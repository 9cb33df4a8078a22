//! Site-wide front-matter report: each file's problems, and unknown keys either once per
//! key for the whole site with a count (the default, for migrated handbooks) or as one
//! error per key per file (`[front_matter] unknown_keys = "error"`), all in one run.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::error::{FmError, Problem};
use super::{Kind, Parsed, TitleSource};
use crate::config::{FrontMatterConfig, UnknownKeys};
use crate::diag::{Diagnostic, Diagnostics};

/// The first place a key was seen, and how many files use it.
struct Seen<'a> {
    files: usize,
    path: &'a str,
    text: &'a Arc<str>,
    span: Range<usize>,
    suggestion: Option<String>,
}

/// Adds the diagnostics of every parsed file (`(shown path, text, parse)`) to `diags`.
pub fn report<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a Arc<str>, &'a Parsed)>,
    config: &FrontMatterConfig,
    diags: &mut Diagnostics,
) {
    let strict = config.unknown_keys == UnknownKeys::Error;
    let mut seen: BTreeMap<&'a str, Seen<'a>> = BTreeMap::new();
    for (path, text, parsed) in files {
        for p in &parsed.problems {
            diags.push(p.to_diagnostic(path, text));
        }
        if strict {
            if let Some(p) = missing_title(parsed) {
                diags.push(p.to_diagnostic(path, text));
            }
        }
        for u in &parsed.unknown {
            if config.extra_keys.contains(&u.key) {
                continue;
            }
            if strict {
                let error = FmError::Unknown {
                    key: u.key.clone(),
                    suggestion: u.suggestion.clone(),
                };
                diags.push(Problem::error(error, u.span.clone()).to_diagnostic(path, text));
                continue;
            }
            let entry = seen.entry(u.key.as_str()).or_insert_with(|| Seen {
                files: 0,
                path,
                text,
                span: u.span.clone(),
                suggestion: u.suggestion.clone(),
            });
            entry.files += 1;
            if path < entry.path {
                (entry.path, entry.text, entry.span) = (path, text, u.span.clone());
                entry.suggestion.clone_from(&u.suggestion);
            }
        }
    }
    for (key, s) in seen {
        diags.push(unknown_warning(key, &s));
    }
}

/// Under strict rules a file with front matter must name its title (or open with one).
fn missing_title(parsed: &Parsed) -> Option<Problem> {
    let syntax = parsed.syntax?;
    let untitled = matches!(
        parsed.meta.title_source,
        TitleSource::FileName | TitleSource::None
    );
    let named_by_folder = matches!(parsed.kind, Kind::Section | Kind::FolderPage);
    (untitled && !named_by_folder && !parsed.meta.is_invalid("title"))
        .then(|| Problem::error(FmError::MissingTitle { syntax }, 0..3))
}

fn unknown_warning(key: &str, s: &Seen<'_>) -> Diagnostic {
    let files = if s.files == 1 {
        "1 file".to_owned()
    } else {
        format!("{} files", s.files)
    };
    let hint = match &s.suggestion {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "templates can read it as `page.extra[\"{key}\"]`; list it in `extra_keys` under `[front_matter]` in site.toml to silence this, or set `unknown_keys = \"error\"` there to make every unknown key an error"
        ),
    };
    Diagnostic::warning(
        s.path,
        format!("unknown front-matter key `{key}` in {files}: kept in page.extra"),
    )
    .at(s.text, s.span.clone())
    .with_hint(hint)
}
