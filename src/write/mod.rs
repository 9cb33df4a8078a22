//! Write stage: rendered files → the output folder, atomically.
//!
//! A build writes into a staging folder beside the output and swaps it into place only when
//! everything succeeded, so a failed build leaves the previous site byte-for-byte untouched
//! (and a static host never serves half a site): [`Staging`]. Every output path goes through
//! the [`Registry`], which keeps it inside the output folder and gives it one owner. The
//! output folder is checked first: it may never be the content folder, the site root, or a
//! foreign folder full of other files.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::Diagnostic;

mod registry;
mod swap;

pub use registry::{Owned, PathProblem, Registry, check_path};
pub use swap::Staging;

/// A marker file identifying a folder binder wrote, so rebuilding over it is safe.
pub const MARKER: &str = ".binder-output";

/// A failed write of one output file: an I/O failure (exit 1), not a content problem.
pub fn write_error(path: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error("", format!("cannot write {path}: {e}"))
        .with_origin(crate::diag::Origin::Io)
        .with_io(path, e)
}

/// Where rendered files go.
pub trait Sink: Sync {
    /// Writes one file at `path` (relative, `/`-separated).
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Writes one file produced piece by piece by `fill`, for outputs too big to hold twice
    /// (the print binder of a large handbook). The default buffers it and calls `write`.
    fn write_streamed(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut buf = Vec::new();
        fill(&mut buf)?;
        self.write(path, &buf)
    }
}

/// A borrowed sink writes where the sink it borrows writes (so a [`Registry`] can wrap any
/// `&dyn Sink`).
impl<T: Sink + ?Sized> Sink for &T {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        (**self).write(path, bytes)
    }

    fn write_streamed(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        (**self).write_streamed(path, fill)
    }
}

/// Writes files under a folder on disk.
pub struct DiskSink {
    dir: PathBuf,
}

impl DiskSink {
    /// A sink writing below `dir`.
    pub fn new(dir: PathBuf) -> Self {
        DiskSink { dir }
    }
}

impl DiskSink {
    /// `path` below the folder; refuses any path [`check_path`] does not admit, so no
    /// caller can write outside it.
    fn full(&self, path: &str) -> io::Result<PathBuf> {
        check_path(path).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Ok(self.dir.join(path))
    }
}

impl Sink for DiskSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = self.full(path)?;
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, bytes)
    }

    fn write_streamed(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let full = self.full(path)?;
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(full)?);
        fill(&mut out)?;
        io::Write::flush(&mut out)
    }
}

/// Keeps files in memory (tests, `check`).
#[derive(Default)]
pub struct MemorySink {
    /// (path, bytes) in write order.
    pub files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .push((path.to_owned(), bytes.to_vec()));
        Ok(())
    }
}

/// Discards everything (`binder check`).
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, _path: &str, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

/// Refuses output folders that would destroy sources or foreign files.
pub fn check_output(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    let out = absolute(output, &root);
    let refuse = |why: &str, hint: &str| {
        Err(Diagnostic::error(
            "",
            format!("refusing to write the site to {}: {why}", out.display()),
        )
        .with_hint(hint.to_owned()))
    };
    if out == root || root.starts_with(&out) {
        return refuse(
            "it is the site root or contains it",
            "use a folder of its own, e.g. --output public",
        );
    }
    for src in [
        "content",
        "templates",
        "static",
        "themes",
        "syntaxes",
        "i18n",
    ] {
        let dir = root.join(src);
        if out.starts_with(&dir) {
            return refuse(
                &format!("it is inside the site's `{src}/` folder"),
                "use a folder of its own, e.g. --output public",
            );
        }
    }
    if out.is_file() {
        return refuse("it is a file", "pass a folder to --output");
    }
    let foreign = out.is_dir()
        && !out.join(MARKER).exists()
        && std::fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
    if foreign && !out.starts_with(&root) {
        return refuse(
            "the folder already holds files binder did not write",
            "pick an empty or new folder, or delete its contents first",
        );
    }
    Ok(())
}

fn absolute(p: &Path, root: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_owned()
    } else {
        root.join(p)
    };
    // Canonicalise the longest existing ancestor so `..` and symlinks cannot fool the checks.
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.iter().rev() {
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_and_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        assert!(check_output(root, root).is_err());
        assert!(check_output(&root.join("content"), root).is_err());
        assert!(check_output(&root.join("content/x"), root).is_err());
        assert!(check_output(&root.join("public"), root).is_ok());
    }

    #[test]
    fn refuses_foreign_folder_outside_site() {
        let site = tempfile::tempdir().expect("tempdir");
        let other = tempfile::tempdir().expect("tempdir");
        std::fs::write(other.path().join("notes.txt"), "mine").expect("write");
        let e = check_output(other.path(), site.path()).expect_err("foreign");
        assert!(e.message.contains("did not write"));
        std::fs::write(other.path().join(MARKER), "").expect("write");
        assert!(check_output(other.path(), site.path()).is_ok());
    }
}
