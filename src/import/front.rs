//! Front-matter edits an import makes to the copied pages, on their text (YAML or TOML
//! front matter, keys added or taken out) so the rest of each file stays as written.

use std::path::{Path, PathBuf};

use crate::diag::BuildFailed;

use super::settings::toml_str;
use super::{Imported, Seen, rewrite_pages};

/// True if the front matter of `text` sets `key` at its top level.
pub(super) fn has_key(text: &str, key: &str) -> bool {
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
pub(super) fn with_str_key(text: &str, key: &str, value: &str) -> String {
    if text.starts_with("+++\n") || value.parse::<i64>().is_ok() {
        return with_key(text, key, value);
    }
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    with_key(text, key, &quoted)
}

/// `text` with `key` set to the plain word or number `value` in its front matter (YAML
/// or TOML; YAML front matter is created if it has none).
pub(super) fn with_key(text: &str, key: &str, value: &str) -> String {
    if let Some(rest) = text.strip_prefix("+++\n") {
        return format!("+++\n{key} = {}\n{rest}", toml_literal(value));
    }
    match text.strip_prefix("---\n") {
        Some(rest) => format!("---\n{key}: {value}\n{rest}"),
        None => format!("---\n{key}: {value}\n---\n{text}"),
    }
}

pub(super) fn toml_literal(value: &str) -> String {
    if value.parse::<i64>().is_ok() {
        value.to_owned()
    } else {
        toml_str(value)
    }
}

/// `text` without the top-level `key` of its front matter (YAML or TOML), the key's value
/// as written (unquoted) and its line; `None` if the front matter does not set it.
pub(super) fn without_key(text: &str, key: &str) -> Option<(String, String, usize)> {
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

/// A page's `template` names a template of the old site's theme, which binder's theme does
/// not have (the build would stop on it): the key is taken out of the front matter and the
/// report lists what was taken out, to bring over by hand.
pub(super) fn old_templates(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let mut names = Seen::default();
    rewrite_pages(content, |rel, text| {
        let (without, name, line) = without_key(text, "template")?;
        names.add(name, format!("content/{rel}:{line}"));
        Some(without)
    })?;
    if names.is_empty() {
        return Ok(());
    }
    out.notes.push(format!(
        "front-matter `template` named templates of the old theme, so it was taken out and binder's theme is used: {}. To keep a page's own layout, add the template under templates/ and put the key back",
        names.list()
    ));
    Ok(())
}

/// The index file describing `dir` (created as `_index.md` when there is none).
pub(super) fn index_file(dir: &Path) -> PathBuf {
    ["_index.md", "index.md", "README.md"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
        .unwrap_or_else(|| dir.join("_index.md"))
}

/// A `position` as a whole weight (Docusaurus allows `2.5`: scaled so the order holds).
pub(super) fn as_weight(v: &serde_json::Value) -> Option<String> {
    let f = v.as_f64()?;
    Some(if f.fract() == 0.0 {
        format!("{}", f as i64)
    } else {
        format!("{}", (f * 100.0).round() as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
