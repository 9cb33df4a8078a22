//! The git stage's walk state: the trees read (each once while commits use it), the author
//! names seen, and per content file its newest change and commits per author.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::tree::Tree;
use super::{BoxError, FileHistory};
use crate::parse::front_matter::Date;

/// Per file while walking: newest author time, commits per author (by [`Walker::names`]
/// index; a file has few authors, so a list beats a map).
#[derive(Default)]
pub(super) struct Acc {
    newest: i64,
    authors: Vec<(u32, usize)>,
}

/// The walk's state: the trees it has read, the author names it has seen, what it found.
pub(super) struct Walker<'a> {
    repo: &'a gix::Repository,
    /// Content files by path (relative to `content/`): their index in `acc`.
    wanted: HashMap<&'a str, usize>,
    /// Folders holding a wanted file (`tips`, `tips/deep`): no other subtree is entered.
    folders: HashSet<&'a str>,
    acc: Vec<Option<Acc>>,
    /// Trees read, with the number of the commit that last used them. A commit's older trees
    /// are its parent's newer ones, so they are kept for a few commits.
    trees: HashMap<gix::ObjectId, (usize, Rc<Tree>)>,
    /// Author names, and their index by the bytes of the commit's author name.
    names: Vec<String>,
    by_bytes: HashMap<Vec<u8>, u32>,
    /// Buffers of trees no longer kept, for the next reads.
    spare: Vec<Vec<u8>>,
    /// Number of the commit being compared.
    now: usize,
}

/// How many commits a tree stays in [`Walker::trees`] unused: enough for a history whose
/// branches interleave a little; a tree met later is read again, which is only slower.
const KEEP_TREES: usize = 8;

impl<'a> Walker<'a> {
    pub(super) fn new(repo: &'a gix::Repository, wanted: &[&'a str]) -> Self {
        let mut folders = HashSet::new();
        for rel in wanted {
            let mut rest = *rel;
            while let Some((dir, _)) = rest.rsplit_once('/') {
                if !folders.insert(dir) {
                    break;
                }
                rest = dir;
            }
        }
        Walker {
            repo,
            wanted: wanted.iter().enumerate().map(|(i, r)| (*r, i)).collect(),
            folders,
            acc: wanted.iter().map(|_| None).collect(),
            trees: HashMap::new(),
            names: Vec::new(),
            by_bytes: HashMap::new(),
            spare: Vec::new(),
            now: 0,
        }
    }

    /// Starts the next commit's comparison, forgetting trees no recent commit used.
    pub(super) fn next_commit(&mut self) {
        self.now += 1;
        let now = self.now;
        if self.trees.len() > 64 {
            let spare = &mut self.spare;
            self.trees.retain(|_, (used, t)| {
                let keep = *used + KEEP_TREES >= now;
                if let (false, Some(t)) = (keep, Rc::get_mut(t)) {
                    spare.push(t.take_bytes());
                }
                keep
            });
            spare.truncate(64);
        }
    }

    /// The tree `id`, read and indexed once while commits keep using it.
    fn tree(&mut self, id: gix::ObjectId) -> Result<Rc<Tree>, BoxError> {
        if let Some((used, t)) = self.trees.get_mut(&id) {
            *used = self.now;
            return Ok(Rc::clone(t));
        }
        let t = Rc::new(Tree::parse(self.tree_bytes(id)?, self.repo.object_hash())?);
        self.trees.insert(id, (self.now, Rc::clone(&t)));
        Ok(t)
    }

    /// The bytes of the tree `id`, read into a spare buffer (a tree of a large folder is a
    /// few hundred kB: fresh memory for each would cost more than reading it).
    fn tree_bytes(&mut self, id: gix::ObjectId) -> Result<Vec<u8>, BoxError> {
        use gix::objs::Find;
        let mut buf = self.spare.pop().unwrap_or_default();
        let Some(found) = self.repo.objects.try_find(&id, &mut buf)? else {
            return Err(format!("tree {id} is missing").into());
        };
        if found.kind != gix::objs::Kind::Tree {
            return Err(format!("object {id} is a {}, not a tree", found.kind).into());
        }
        let (at, len) = (found.data.as_ptr(), found.data.len());
        if at == buf.as_ptr() && len <= buf.len() {
            buf.truncate(len);
            return Ok(buf);
        }
        // Not read into the buffer after all (an in-memory object): the usual way.
        Ok(self.repo.find_tree(id)?.data.clone())
    }

    /// The id of the tree at `path` (folder names) below `root`, if there is one.
    pub(super) fn content_tree(
        &mut self,
        mut tree: gix::ObjectId,
        path: &[String],
    ) -> Result<Option<gix::ObjectId>, BoxError> {
        for name in path {
            let t = self.tree(tree)?;
            let mut found = None;
            for i in 0..t.len() {
                let e = t.entry(i)?;
                if e.filename == name.as_bytes() && e.mode.is_tree() {
                    found = Some(e.oid.to_owned());
                    break;
                }
            }
            let Some(id) = found else { return Ok(None) };
            tree = id;
        }
        Ok(Some(tree))
    }

    /// The wanted files below `new` (at `prefix`) that differ from `old`, by index.
    pub(super) fn diff(
        &mut self,
        new: gix::ObjectId,
        old: Option<gix::ObjectId>,
        prefix: &mut String,
        out: &mut Vec<usize>,
    ) -> Result<(), BoxError> {
        let new_tree = self.tree(new)?;
        let (old_tree, changes) = match old {
            None => (None, (0..new_tree.len()).map(|i| (i, None)).collect()),
            Some(old) => {
                let (old_tree, changes) = match self.trees.get_mut(&old) {
                    Some((used, t)) => {
                        *used = self.now;
                        let t = Rc::clone(t);
                        let changes = new_tree.diff_indexed(&t)?;
                        (t, changes)
                    }
                    None => {
                        let (t, changes) = new_tree.diff(self.tree_bytes(old)?)?;
                        let t = Rc::new(t);
                        self.trees.insert(old, (self.now, Rc::clone(&t)));
                        (t, changes)
                    }
                };
                (Some(old_tree), changes)
            }
        };
        let len = prefix.len();
        for (i, before) in changes {
            let e = new_tree.entry(i)?;
            let before = match (&old_tree, before) {
                (Some(t), Some(at)) => Some(t.entry_at(at)?),
                _ => None,
            };
            let is_tree = e.mode.is_tree();
            if !(is_tree || e.mode.is_blob() || e.mode.is_link()) {
                continue;
            }
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(&String::from_utf8_lossy(e.filename));
            if is_tree {
                if self.folders.contains(prefix.as_str()) {
                    let old_sub = before
                        .filter(|o| o.mode.is_tree())
                        .map(|o| o.oid.to_owned());
                    self.diff(e.oid.to_owned(), old_sub, prefix, out)?;
                }
            } else if let Some(&i) = self.wanted.get(prefix.as_str()) {
                out.push(i);
            }
            prefix.truncate(len);
        }
        Ok(())
    }

    /// Counts one commit by `name` at `seconds` for each file of `changed`.
    pub(super) fn count(&mut self, name: &gix::bstr::BStr, seconds: i64, changed: &[usize]) {
        let id = match self.by_bytes.get(name.as_ref() as &[u8]) {
            Some(&id) => id,
            None => {
                let shown = name.to_string().trim().to_owned();
                let id = match self.names.iter().position(|n| *n == shown) {
                    Some(i) => i as u32,
                    None => {
                        self.names.push(shown);
                        (self.names.len() - 1) as u32
                    }
                };
                self.by_bytes.insert(name.to_vec(), id);
                id
            }
        };
        for &i in changed {
            let a = self.acc[i].get_or_insert_with(Acc::default);
            a.newest = a.newest.max(seconds);
            match a.authors.iter_mut().find(|(n, _)| *n == id) {
                Some((_, c)) => *c += 1,
                None => a.authors.push((id, 1)),
            }
        }
    }

    /// Each file's date and contributors, most commits first (then by name).
    pub(super) fn finish(self) -> HashMap<String, FileHistory> {
        let names = self.names;
        let mut paths: Vec<&str> = vec![""; self.acc.len()];
        for (p, i) in self.wanted {
            paths[i] = p;
        }
        self.acc
            .into_iter()
            .zip(paths)
            .filter_map(|(a, rel)| {
                let a = a?;
                let ts = jiff::Timestamp::from_second(a.newest).ok()?;
                let updated = Date(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime());
                let mut authors: Vec<(&str, usize)> = a
                    .authors
                    .iter()
                    .map(|&(n, c)| (names[n as usize].as_str(), c))
                    .collect();
                authors.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0)));
                let contributors = authors.into_iter().map(|(n, _)| n.to_owned()).collect();
                Some((
                    rel.to_owned(),
                    FileHistory {
                        updated,
                        contributors,
                    },
                ))
            })
            .collect()
    }
}
