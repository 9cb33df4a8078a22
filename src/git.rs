//! Git stage (between load and assemble): where the site is a git repository, each content
//! file's last change and its contributors, read from the history with `gix` (no `git`
//! process).
//!
//! The history is walked once, newest commit first: each commit's `content/` tree is
//! compared with its first parent's, descending only into subtrees whose ids differ, and every
//! changed file that still exists gets the commit's author date (the newest one seen is its
//! `updated`) and one more commit for its author. Contributors need the whole history, so
//! the walk does not stop early; `[git] max_commits` caps it (100,000 by default; the cap,
//! when reached, is said once). Merge commits are skipped: the commits they bring in are
//! walked themselves. The result is cached per repository and `HEAD`, so `serve` walks the
//! history again only after a commit.
//!
//! Speed (a 10,000-article handbook with 2,000 commits: about 0.2 s, see bench/README.md):
//! a commit whose `content/` entry has its parent's id is skipped after reading two small
//! root trees; each tree is read once (a commit's older trees are its parent's newer ones,
//! kept a few commits, in reused buffers); two versions of a folder are compared by
//! skipping their identical bytes (`src/git/tree.rs`); subtrees holding no content file are not
//! entered; author names are interned.
//!
//! A site that is not a repository, a shallow clone or an unreadable repository builds
//! normally: [`History::note`] says once what could not be known.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::config::GitConfig;
use crate::parse::front_matter::Date;

mod tree;
mod walk;
use walk::Walker;

/// What the history says about one content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    /// Author date of the newest commit that changed the file (UTC).
    pub updated: Date,
    /// Author names, most commits first (then by name).
    pub contributors: Vec<String>,
}

/// What the history says about the site's content files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// By path relative to `content/` (`tips/ask.md`).
    pub files: HashMap<String, FileHistory>,
    /// What could not be known, said once (not a repository, shallow clone…).
    pub note: Option<String>,
    /// True when `[git] enabled = true` and the note is a problem rather than information.
    pub required: bool,
}

impl History {
    /// The history of `rel` (relative to `content/`), if any commit changed it.
    pub fn file(&self, rel: &str) -> Option<&FileHistory> {
        self.files.get(rel)
    }
}

type CacheKey = (std::path::PathBuf, gix::ObjectId, usize, bool);

/// The last history read, by (repository, HEAD, cap).
static CACHE: Mutex<Option<(CacheKey, Arc<History>)>> = Mutex::new(None);

/// Reads the history of the content files `rels` (relative to `content/`) of the site at
/// `root`, as `config` says.
pub fn read(root: &Path, rels: &[&str], config: &GitConfig) -> Arc<History> {
    let required = config.enabled == Some(true);
    if config.enabled == Some(false) {
        return Arc::new(History::default());
    }
    let noted = |note: String| {
        Arc::new(History {
            files: HashMap::new(),
            note: Some(note),
            required,
        })
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    let repo = match gix::discover(&root) {
        Ok(r) => r,
        Err(_) => {
            return noted(
                "the site is not a git repository: pages have no git dates or contributors (page.git is empty)"
                    .into(),
            );
        }
    };
    if repo.is_shallow() {
        return noted(
            "the site is a shallow git clone: last-change dates and contributors would be wrong, so pages have none (fetch the whole history with `git fetch --unshallow`)"
                .into(),
        );
    }
    let Some(workdir) = repo
        .workdir()
        .map(|w| w.canonicalize().unwrap_or(w.to_owned()))
    else {
        return noted("the git repository has no work tree: pages have no git dates".into());
    };
    let Ok(prefix) = root.strip_prefix(&workdir) else {
        return noted("the site is outside its git work tree: pages have no git dates".into());
    };
    let head = match repo.head_id() {
        Ok(id) => id.detach(),
        Err(_) => {
            return noted(
                "the git repository has no commits yet: pages have no git dates or contributors"
                    .into(),
            );
        }
    };
    let key: CacheKey = (workdir.clone(), head, config.max_commits, required);
    if let Ok(cache) = CACHE.lock() {
        if let Some((k, h)) = cache.as_ref() {
            if *k == key {
                return Arc::clone(h);
            }
        }
    }
    let mut content: Vec<String> = prefix
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    content.push("content".into());
    let history = match walk(&repo, head, &content, rels, config.max_commits) {
        Ok(mut h) => {
            h.required = required;
            Arc::new(h)
        }
        Err(e) => noted(format!(
            "cannot read the git history ({e}): pages have no git dates or contributors"
        )),
    };
    if let Ok(mut cache) = CACHE.lock() {
        *cache = Some((key, Arc::clone(&history)));
    }
    history
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn walk(
    repo: &gix::Repository,
    head: gix::ObjectId,
    content: &[String],
    wanted: &[&str],
    max_commits: usize,
) -> Result<History, BoxError> {
    let walk = repo
        .rev_walk([head])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()?;
    let mut w = Walker::new(repo, wanted);
    let mut capped = false;
    let mut changed = Vec::new();
    // The parent of the commit before, and its `content/` tree: in a straight history, the
    // commit walked next.
    let mut last_parent: Option<(gix::ObjectId, Option<gix::ObjectId>)> = None;
    for (commits, info) in walk.enumerate() {
        let info = info?;
        if commits == max_commits {
            capped = true;
            break;
        }
        if info.parent_ids.len() > 1 {
            continue;
        }
        let commit = repo.find_commit(info.id)?;
        let decoded = commit.decode()?;
        let tree = match last_parent {
            Some((id, tree)) if id == info.id => tree,
            _ => w.content_tree(decoded.tree(), content)?,
        };
        let parent_tree = match info.parent_ids.first() {
            Some(p) => {
                let t = repo.find_commit(*p)?.decode()?.tree();
                let t = w.content_tree(t, content)?;
                last_parent = Some((*p, t));
                t
            }
            None => None,
        };
        // A commit that leaves `content/` alone (site.toml, the theme) costs nothing more.
        if tree == parent_tree {
            continue;
        }
        let Some(tree) = tree else { continue };
        w.next_commit();
        changed.clear();
        w.diff(tree, parent_tree, &mut String::new(), &mut changed)?;
        if changed.is_empty() {
            continue;
        }
        let author = decoded.author()?;
        w.count(author.name, author.seconds(), &changed);
    }
    let note = capped.then(|| {
        format!(
            "the git history has more than {max_commits} commits: contributors and dates come from the newest {max_commits} (raise `max_commits` under [git] in site.toml to read more)"
        )
    });
    Ok(History {
        files: w.finish(),
        note,
        required: false,
    })
}
