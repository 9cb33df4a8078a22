//! The output registry: the one place every output path passes through.
//!
//! Whatever produced a path (a slug from a hostile folder name, an alias, a taxonomy term, a
//! static file), [`check_path`] admits only relative, normalised paths that stay inside the
//! output folder, and [`Registry`] admits each path once: a second write of the same path is
//! an error instead of a race whose winner changes from run to run. The assemble stage
//! already reports the collisions it can name (two sources for one URL, a static file over a
//! page); this is the guarantee behind it, for build and serve alike.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};

use super::Sink;

/// Why a path may not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathProblem {
    /// Empty path.
    #[error("the output path is empty")]
    Empty,
    /// `/x`, `C:x`, `\\x`.
    #[error("the output path `{0}` is absolute")]
    Absolute(String),
    /// `a//b`, `a/./b`, `a/../b`, a trailing `/`.
    #[error("the output path `{0}` has an empty, `.` or `..` segment")]
    NotNormal(String),
    /// NUL, other control characters or a backslash.
    #[error("the output path `{0}` holds a control character or a backslash")]
    BadCharacter(String),
}

/// Admits `path` (a file path below the output folder, `/`-separated) only if it is
/// relative and normalised: no empty, `.` or `..` segment, no control character, so
/// joining it to the output folder can never leave that folder.
pub fn check_path(path: &str) -> Result<(), PathProblem> {
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    let shown = || path.chars().take(200).collect::<String>();
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return Err(PathProblem::BadCharacter(shown()));
    }
    let first = path.split('/').next().unwrap_or("");
    if path.starts_with('/') || first.contains(':') {
        return Err(PathProblem::Absolute(shown()));
    }
    if path
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(PathProblem::NotNormal(shown()));
    }
    Ok(())
}

/// A sink that checks every path and lets each be written once, then passes the write on.
/// Writers say who they are ([`Registry::owned_by`]: "the article content/tips/ask.md",
/// "the static file static/atom.xml"), so a second claim of a path is an error naming both.
pub struct Registry<S> {
    inner: S,
    claimed: Mutex<HashMap<String, Arc<str>>>,
}

/// A [`Registry`] seen by one owner: every path written through it is claimed in its name.
pub struct Owned<'a, S> {
    registry: &'a Registry<S>,
    owner: Arc<str>,
}

impl<S: Sink> Registry<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        Registry {
            inner,
            claimed: Mutex::new(HashMap::new()),
        }
    }

    /// The registry as `owner` writes to it (`owner` says what produces the files, in words
    /// an author recognises: "the article content/tips/ask.md").
    pub fn owned_by(&self, owner: impl Into<Arc<str>>) -> Owned<'_, S> {
        Owned {
            registry: self,
            owner: owner.into(),
        }
    }

    /// Who claimed `path`, if anyone has.
    pub fn owner_of(&self, path: &str) -> Option<Arc<str>> {
        let claimed = self.claimed.lock().ok()?;
        claimed.get(path).cloned()
    }

    /// The wrapped sink.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The wrapped sink, once everything is written.
    pub fn into_inner(self) -> S {
        self.inner
    }

    fn claim(&self, path: &str, owner: &Arc<str>) -> io::Result<()> {
        check_path(path).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let mut claimed = self
            .claimed
            .lock()
            .map_err(|_| io::Error::other("the output registry was poisoned by a panic"))?;
        match claimed.get(path) {
            Some(first) => Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{first} and {owner} both produce this file; rename or remove one of them \
                     (each output path has one owner)"
                ),
            )),
            None => {
                claimed.insert(path.to_owned(), Arc::clone(owner));
                Ok(())
            }
        }
    }
}

/// Writes without naming an owner: for outputs that have no better name.
impl<S: Sink> Sink for Registry<S> {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.owned_by("an output of this build").write(path, bytes)
    }

    fn write_streamed(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        (self.owned_by("an output of this build")).write_streamed(path, fill)
    }
}

impl<S: Sink> Sink for Owned<'_, S> {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.registry.claim(path, &self.owner)?;
        self.registry.inner.write(path, bytes)
    }

    fn write_streamed(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        self.registry.claim(path, &self.owner)?;
        self.registry.inner.write_streamed(path, fill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::MemorySink;

    #[test]
    fn only_relative_normal_paths_pass() {
        for ok in ["index.html", "tips/ask/index.html", "a b/ü.html", "x..y/z"] {
            assert_eq!(check_path(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "/index.html",
            "/etc/passwd/index.html",
            "tips//index.html",
            "../x.html",
            "a/../../x",
            "./x",
            "a/",
            "C:/x",
            "a\\..\\b",
            "a\0b",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_path_is_written_once() {
        let r = Registry::new(MemorySink::default());
        r.write("a/index.html", b"1").expect("first");
        let e = r.write("a/index.html", b"2").expect_err("second");
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        let page = r.owned_by("the article content/a.md");
        page.write("b/index.html", b"3").expect("first");
        let e = (r.owned_by("the static file static/b/index.html"))
            .write("b/index.html", b"4")
            .expect_err("second owner");
        assert_eq!(
            e.to_string(),
            "the article content/a.md and the static file static/b/index.html both produce \
             this file; rename or remove one of them (each output path has one owner)"
        );
        assert_eq!(
            r.owner_of("b/index.html").as_deref(),
            Some("the article content/a.md")
        );
        assert!(r.write("/etc/passwd", b"x").is_err());
        let files = r.inner().files.lock().expect("lock");
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].1, b"1");
    }
}
