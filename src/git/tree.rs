//! Raw git tree objects compared without decoding every entry: consecutive versions of a
//! handbook's folder differ in a few of its thousands of entries, so the identical runs
//! between them are skipped with a byte comparison, and only the entries around a difference
//! are parsed. Each tree remembers where its entries start; the old tree of a comparison
//! learns its starts from the new one (they coincide, shifted, over the identical runs), so
//! the walk, which meets each tree first as the older side of a commit and then as the newer
//! side of its parent, never parses a tree in full except the first.

use std::cmp::Ordering;

use gix::hash::Kind;
use gix::objs::TreeRefIter;
use gix::objs::tree::EntryRef;

/// What is wrong with a tree object.
#[derive(Debug, thiserror::Error)]
#[error("malformed git tree object at byte {0}")]
pub(super) struct Malformed(usize);

/// A tree object's bytes and where each of its entries starts.
#[derive(Debug)]
pub(super) struct Tree {
    data: Vec<u8>,
    /// Offset of each entry, then `data.len()`.
    starts: Vec<u32>,
    kind: Kind,
}

/// A difference between a new tree and an old one: the index of an entry of the new tree
/// and the offset of the entry of the old tree with the same name and kind, if any. Pairs
/// with equal ids are left out; entries only the old tree has are not reported.
pub(super) type Change = (usize, Option<usize>);

impl Tree {
    /// Finds where every entry of `data` starts.
    pub(super) fn parse(data: Vec<u8>, kind: Kind) -> Result<Tree, Malformed> {
        let mut starts = Vec::new();
        let mut at = 0;
        while at < data.len() {
            starts.push(offset(at)?);
            at = entry_end(&data, at, kind)?;
        }
        starts.push(offset(data.len())?);
        Ok(Tree { data, starts, kind })
    }

    /// The tree's bytes, for reuse as a buffer (the tree is empty afterwards).
    pub(super) fn take_bytes(&mut self) -> Vec<u8> {
        self.starts = vec![0];
        std::mem::take(&mut self.data)
    }

    /// Number of entries.
    pub(super) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The `i`-th entry.
    pub(super) fn entry(&self, i: usize) -> Result<EntryRef<'_>, Malformed> {
        entry_at(&self.data, self.starts[i] as usize, self.kind)
    }

    /// The entry starting at byte `at` (an offset from a [`Change`]).
    pub(super) fn entry_at(&self, at: usize) -> Result<EntryRef<'_>, Malformed> {
        entry_at(&self.data, at, self.kind)
    }

    /// Compares this (newer) tree with `old`'s bytes: the changes, and `old` as a [`Tree`].
    pub(super) fn diff(&self, old: Vec<u8>) -> Result<(Tree, Vec<Change>), Malformed> {
        let (starts, changes) = self.diff_starts(&old)?;
        let old = Tree {
            data: old,
            starts,
            kind: self.kind,
        };
        Ok((old, changes))
    }

    /// Compares this (newer) tree with `old`, a tree already indexed: the changes.
    pub(super) fn diff_indexed(&self, old: &Tree) -> Result<Vec<Change>, Malformed> {
        Ok(self.diff_starts(&old.data)?.1)
    }

    /// The changes against `old`'s bytes, and where `old`'s entries start.
    fn diff_starts(&self, old: &[u8]) -> Result<(Vec<u32>, Vec<Change>), Malformed> {
        let (n, kind) = (self.len(), self.kind);
        let mut old_starts = Vec::with_capacity(self.starts.len());
        let mut changes = Vec::new();
        let (mut a, mut j) = (0, 0);
        while a < n && j < old.len() {
            // Skip the entries that are byte for byte the same on both sides.
            let p = self.starts[a] as usize;
            let end = p + common_prefix(&self.data[p..], &old[j..]);
            let b = a + self.starts[a + 1..].partition_point(|&s| s as usize <= end);
            for &s in &self.starts[a..b] {
                old_starts.push(offset(s as usize - p + j)?);
            }
            j += self.starts[b] as usize - p;
            a = b;
            if a == n || j == old.len() {
                break;
            }
            let e = self.entry(a)?;
            let o = entry_at(old, j, kind)?;
            match order(&o, &e) {
                Ordering::Less => {
                    old_starts.push(offset(j)?);
                    j = entry_end(old, j, kind)?;
                }
                Ordering::Greater => {
                    changes.push((a, None));
                    a += 1;
                }
                Ordering::Equal => {
                    old_starts.push(offset(j)?);
                    if o.oid != e.oid {
                        changes.push((a, Some(j)));
                    }
                    a += 1;
                    j = entry_end(old, j, kind)?;
                }
            }
        }
        changes.extend((a..n).map(|i| (i, None)));
        while j < old.len() {
            old_starts.push(offset(j)?);
            j = entry_end(old, j, kind)?;
        }
        old_starts.push(offset(old.len())?);
        Ok((old_starts, changes))
    }
}

/// Git's tree order: names compare as bytes, a folder's name as if it ended in `/`.
fn order(a: &EntryRef<'_>, b: &EntryRef<'_>) -> Ordering {
    let x = a
        .filename
        .iter()
        .copied()
        .chain(a.mode.is_tree().then_some(b'/'));
    x.cmp(
        b.filename
            .iter()
            .copied()
            .chain(b.mode.is_tree().then_some(b'/')),
    )
}

/// How many leading bytes `a` and `b` share (64 at a time, then one by one).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const W: usize = 64;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + W <= n && a[i..i + W] == b[i..i + W] {
        i += W;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// End of the entry starting at `at`: `<mode> <name>\0<id>`.
fn entry_end(data: &[u8], at: usize, kind: Kind) -> Result<usize, Malformed> {
    let nul = data[at..]
        .iter()
        .position(|&b| b == 0)
        .ok_or(Malformed(at))?;
    let end = at + nul + 1 + kind.len_in_bytes();
    if end > data.len() {
        return Err(Malformed(at));
    }
    Ok(end)
}

fn entry_at(data: &[u8], at: usize, kind: Kind) -> Result<EntryRef<'_>, Malformed> {
    let end = entry_end(data, at, kind)?;
    match TreeRefIter::from_bytes(&data[at..end], kind).next() {
        Some(Ok(e)) => Ok(e),
        _ => Err(Malformed(at)),
    }
}

fn offset(at: usize) -> Result<u32, Malformed> {
    u32::try_from(at).map_err(|_| Malformed(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Kind = Kind::Sha1;

    /// A tree object of `(mode, name, id byte)` entries, in the order given.
    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    /// The changes of `new` against `old` as (name, old name) pairs, and the old tree's
    /// entry names read back through the starts the comparison gave it.
    fn compare(new: &[(&str, &str, u8)], old: &[(&str, &str, u8)]) -> (Vec<String>, Vec<String>) {
        let new = Tree::parse(tree(new), K).expect("parses");
        let (old, changes) = new.diff(tree(old)).expect("compares");
        let shown = changes
            .iter()
            .map(|&(i, o)| {
                let e = new.entry(i).expect("entry");
                let o = o.map(|at| old.entry_at(at).expect("old entry").filename.to_string());
                format!("{}<-{}", e.filename, o.unwrap_or_default())
            })
            .collect();
        let names = (0..old.len())
            .map(|i| old.entry(i).expect("entry").filename.to_string())
            .collect();
        (shown, names)
    }

    #[test]
    fn identical_trees_have_no_changes_and_the_old_one_learns_every_start() {
        let t = [
            ("100644", "a.md", 1),
            ("40000", "b", 2),
            ("100644", "c.md", 3),
        ];
        let (changes, names) = compare(&t, &t);
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(names, ["a.md", "b", "c.md"]);
    }

    #[test]
    fn changed_added_and_removed_entries_anywhere() {
        let old = [
            ("100644", "a.md", 1),
            ("100644", "b.md", 2),
            ("100644", "gone.md", 3),
            ("100644", "m.md", 4),
            ("100644", "z.md", 5),
        ];
        let new = [
            ("100644", "a.md", 9),
            ("100644", "b.md", 2),
            ("100644", "c.md", 7),
            ("100644", "m.md", 4),
            ("100644", "z.md", 8),
            ("100644", "zz.md", 6),
        ];
        let (changes, names) = compare(&new, &old);
        assert_eq!(changes, ["a.md<-a.md", "c.md<-", "z.md<-z.md", "zz.md<-"]);
        assert_eq!(names, ["a.md", "b.md", "gone.md", "m.md", "z.md"]);
    }

    #[test]
    fn a_mode_change_alone_is_no_change_and_a_file_becoming_a_folder_is_new() {
        let old = [("100644", "run", 1), ("100644", "x", 2)];
        let new = [("100755", "run", 1), ("40000", "x", 2)];
        let (changes, names) = compare(&new, &old);
        assert_eq!(changes, ["x<-"]);
        assert_eq!(names, ["run", "x"]);
    }

    #[test]
    fn names_sharing_a_prefix_sort_as_git_does() {
        // Git sorts the folder `a` as `a/`, after the file `a.md` ('.' < '/').
        let old = [("100644", "a.md", 1), ("40000", "a", 2)];
        let new = [
            ("100644", "a.md", 1),
            ("40000", "a", 3),
            ("100644", "a0", 4),
        ];
        let (changes, _) = compare(&new, &old);
        assert_eq!(changes, ["a<-a", "a0<-"]);
    }

    #[test]
    fn against_an_empty_tree_every_entry_is_new() {
        let new = [("100644", "a.md", 1), ("100644", "b.md", 2)];
        let (changes, names) = compare(&new, &[]);
        assert_eq!(changes, ["a.md<-", "b.md<-"]);
        assert!(names.is_empty());
    }

    #[test]
    fn a_truncated_tree_is_malformed() {
        let mut data = tree(&[("100644", "a.md", 1)]);
        data.truncate(data.len() - 3);
        assert!(Tree::parse(data, K).is_err());
    }
}
