//! Which folders are sections, which file describes each, and which are page bundles.
//!
//! The conventions of the tools handbooks come from: a folder is described by the first of
//! `[content] section_index` it holds (`_index.md`, `index.md`, `README.md`), or else by
//! `x.md` beside the folder `x/`. A folder whose only Markdown file is its `index.md` (or
//! `README.md`) is a page bundle: that file is the page at the folder's URL and its images
//! sit beside it. A folder with more Markdown below it is always a section: its `index.md`
//! never swallows its subfolders. Folders without any Markdown (images only) are not
//! sections at all. `x.md` beside an `x/` that has an index file of its own is an error
//! naming both.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The folder structure of a site.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Folders {
    /// Section folders, sorted, `""` (home) first.
    pub(super) sections: Vec<String>,
    /// File (relative to `content/`) → the section folder it describes.
    pub(super) describes: HashMap<String, String>,
    /// Bundle folder → its page file.
    pub(super) bundles: BTreeMap<String, String>,
    /// (`x.md`, `x/index.md`): two files that both claim to be the folder's page.
    pub(super) conflicts: Vec<(String, String)>,
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Classifies the folders holding the Markdown files `md` (paths relative to `content/`;
/// glossary folders already left out). `index_names` is `[content] section_index`.
pub(super) fn classify(md: &[&str], index_names: &[String]) -> Folders {
    let files: BTreeSet<&str> = md.iter().copied().collect();
    // Markdown files at or below each folder.
    let mut below: BTreeMap<String, usize> = BTreeMap::new();
    below.insert(String::new(), 0);
    for rel in &files {
        let mut d = parent(rel);
        loop {
            *below.entry(d.to_owned()).or_default() += 1;
            if d.is_empty() {
                break;
            }
            d = parent(d);
        }
    }
    let mut out = Folders::default();
    for (dir, &count) in &below {
        let index = index_names
            .iter()
            .map(|n| join(dir, n))
            .find(|f| files.contains(f.as_str()));
        let sibling = (!dir.is_empty())
            .then(|| format!("{dir}.md"))
            .filter(|s| files.contains(s.as_str()));
        let is_underscore = index.as_deref().is_some_and(|f| f.ends_with("/_index.md"));
        if let (Some(index), true) = (&index, !dir.is_empty() && count == 1 && !is_underscore) {
            // The folder's only Markdown file: a bundle page.
            if let Some(s) = &sibling {
                out.conflicts.push((s.clone(), index.clone()));
            }
            out.bundles.insert(dir.clone(), index.clone());
            continue;
        }
        out.sections.push(dir.clone());
        match (index, sibling) {
            (Some(index), Some(sibling)) => {
                out.conflicts.push((sibling, index.clone()));
                out.describes.insert(index, dir.clone());
            }
            (Some(f), None) | (None, Some(f)) => {
                out.describes.insert(f, dir.clone());
            }
            (None, None) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["_index.md", "index.md", "README.md"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn index_files_describe_their_folder_in_order() {
        let f = classify(
            &[
                "_index.md",
                "a/_index.md",
                "a/README.md",
                "a/x.md",
                "b/README.md",
                "b/y.md",
            ],
            &names(),
        );
        assert_eq!(f.sections, vec!["", "a", "b"]);
        assert_eq!(
            f.describes.get("a/_index.md").map(String::as_str),
            Some("a")
        );
        assert_eq!(
            f.describes.get("b/README.md").map(String::as_str),
            Some("b")
        );
        assert!(
            !f.describes.contains_key("a/README.md"),
            "a plain article then"
        );
        assert!(f.conflicts.is_empty());
    }

    /// Regression (issue 13): a folder's index.md turned everything below it into one
    /// bundle, and its pages moved up a level.
    #[test]
    fn an_index_md_with_more_below_is_a_section_not_a_bundle() {
        let f = classify(&["handbook/index.md", "handbook/values/x.md"], &names());
        assert_eq!(f.sections, vec!["", "handbook", "handbook/values"]);
        assert!(f.bundles.is_empty());
        let leaf = classify(&["tips/ask/index.md", "tips/other.md"], &names());
        assert_eq!(leaf.sections, vec!["", "tips"]);
        assert_eq!(
            leaf.bundles.get("tips/ask").map(String::as_str),
            Some("tips/ask/index.md")
        );
    }

    /// Regression (issue 13): `x.md` beside a folder `x/` collided with the folder's URL.
    #[test]
    fn a_file_beside_its_folder_describes_it() {
        let f = classify(&["values.md", "values/trust.md"], &names());
        assert_eq!(
            f.describes.get("values.md").map(String::as_str),
            Some("values")
        );
        assert!(f.conflicts.is_empty());
        let both = classify(&["values.md", "values/README.md", "values/a.md"], &names());
        assert_eq!(
            both.conflicts,
            vec![("values.md".to_owned(), "values/README.md".to_owned())]
        );
    }

    #[test]
    fn folders_without_markdown_are_not_sections() {
        let f = classify(&["x.md"], &names());
        assert_eq!(f.sections, vec![""]);
    }
}
