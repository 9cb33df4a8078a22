//! Chapter order and folder descriptions an import takes over: mdBook's `SUMMARY.md`,
//! Docusaurus's `sidebar_position` and `_category_.json`, written as `weight`, titles and
//! descriptions of the copied pages.

use std::path::{Path, PathBuf};

use crate::diag::BuildFailed;

use super::front::{as_weight, has_key, index_file, with_key, with_str_key};
use super::{Imported, io_error};

/// Docusaurus describes a folder in `_category_.json` (`label`, `position`, `link`'s
/// `description`): they become the title, weight and description of the folder's index
/// file (keys it sets itself win), and the JSON file is not kept.
pub(super) fn categories(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
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

/// mdBook's order lives in `SUMMARY.md`: each chapter gets `weight` = its position, and
/// each folder sorts by weight.
pub(super) fn order_by_summary(
    src: &Path,
    content: &Path,
    out: &mut Imported,
) -> Result<(), BuildFailed> {
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
pub(super) fn order_by_position(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
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
pub(super) fn sort_by_weight(
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

/// Link targets of `SUMMARY.md` list items, in order (`- [Intro](intro.md)`).
pub(super) fn summary_links(summary: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_links_in_order() {
        let s = "# Summary\n\n[Intro](README.md)\n- [One](ch/one.md)\n  - [Two](./ch/two.md#x)\n- [Web](https://x)\n";
        assert_eq!(summary_links(s), ["README.md", "ch/one.md", "ch/two.md"]);
    }
}
