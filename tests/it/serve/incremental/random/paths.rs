//! Edits of reading paths: a path file read, changed (entries added, removed, reordered,
//! reworded, its title) and written back, a new path, a deleted one.

use std::path::Path;

use super::edits::{Done, content, set_field};
use super::fixture::{PATH_ENTRIES, reading_paths};
use super::generate::Rng;

/// A path file: front matter, `(target, why)` entries, and any other body lines.
struct PathFile {
    front: String,
    entries: Vec<(String, String)>,
    rest: Vec<String>,
}

impl PathFile {
    fn new(title: &str, entries: Vec<(String, String)>) -> PathFile {
        PathFile {
            front: format!("---\ntitle: {title}\n---\n"),
            entries,
            rest: Vec::new(),
        }
    }

    fn read(path: &Path) -> Option<PathFile> {
        let text = std::fs::read_to_string(path).ok()?;
        let end = text.strip_prefix("---\n")?.find("\n---\n")? + 4 + 5;
        let (front, body) = text.split_at(end);
        let mut entries = Vec::new();
        let mut rest = Vec::new();
        for line in body.lines() {
            let entry = line
                .split_once(". [[")
                .filter(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|(_, r)| r.split_once("]]: "));
            match entry {
                Some((target, why)) => entries.push((target.to_owned(), why.to_owned())),
                None => rest.push(line.to_owned()),
            }
        }
        Some(PathFile {
            front: front.to_owned(),
            entries,
            rest,
        })
    }

    fn write(&self, path: &Path) {
        let mut out = self.front.clone();
        for (k, (target, why)) in self.entries.iter().enumerate() {
            out.push_str(&format!("{}. [[{target}]]: {why}\n", k + 1));
        }
        for line in &self.rest {
            out.push_str(line);
            out.push('\n');
        }
        std::fs::write(path, out).expect("write");
    }
}

/// A few distinct path entries in random order, each with its line of why.
fn random_entries(rng: &mut Rng, n: usize) -> Vec<(String, String)> {
    let mut pool: Vec<&str> = PATH_ENTRIES.to_vec();
    let count = 1 + rng.below(4);
    (0..count)
        .map(|k| {
            let target = pool.remove(rng.below(pool.len()));
            (target.to_owned(), format!("step {k} of edit {n}."))
        })
        .collect()
}

/// One edit of a reading path: its entries (all new, reordered, one added or removed, a
/// line of why), its title, a new path or a deleted one.
pub(super) fn path_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let at = |rel: &str| root.join("content").join(rel);
    let paths = reading_paths(root);
    if paths.is_empty() || rng.one_in(6) {
        let rel = format!("paths/p{n}.md");
        PathFile::new(&format!("Path {n}"), random_entries(rng, n)).write(&at(&rel));
        return (format!("add path {rel}"), vec![content(&rel)]);
    }
    let rel = rng.pick(&paths).clone();
    let Some(mut file) = PathFile::read(&at(&rel)) else {
        return (format!("{rel} unreadable: nothing"), Vec::new());
    };
    let len = file.entries.len();
    let what = match rng.below(7) {
        0 => {
            std::fs::remove_file(at(&rel)).expect("delete");
            return (format!("delete path {rel}"), vec![content(&rel)]);
        }
        1 => {
            file.entries = random_entries(rng, n);
            "new entries"
        }
        2 if len > 0 => {
            file.entries[rng.below(len)].1 = format!("why, rewritten at {n}.");
            "a line of why"
        }
        3 if len > 1 => {
            let i = rng.below(len - 1);
            file.entries.swap(i, i + 1);
            "two entries swapped"
        }
        4 if len > 0 => {
            file.entries.remove(rng.below(len));
            "an entry removed"
        }
        5 => {
            set_field(&at(&rel), "title", Some(&format!("Path {n}")));
            return (format!("title of path {rel}"), vec![content(&rel)]);
        }
        _ => {
            let target = *rng.pick(PATH_ENTRIES);
            let i = rng.below(len + 1);
            file.entries
                .insert(i, (target.to_owned(), format!("added at {n}.")));
            "an entry added"
        }
    };
    file.write(&at(&rel));
    (format!("path {rel}: {what}"), vec![content(&rel)])
}
