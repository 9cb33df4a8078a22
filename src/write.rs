//! Write stage: rendered files → the output folder, atomically.
//!
//! A build writes into a staging folder beside the output and swaps it into place only when
//! everything succeeded, so a failed build leaves the previous site byte-for-byte untouched
//! (and a static host never serves half a site). The output folder is checked first: it may
//! never be the content folder, the site root, or a foreign folder full of other files.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::Diagnostic;

/// A marker file identifying a folder binder wrote, so rebuilding over it is safe.
pub const MARKER: &str = ".binder-output";

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

impl Sink for DiskSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = self.dir.join(path);
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
        let full = self.dir.join(path);
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

/// A staging folder beside the output, swapped into place on success.
pub struct Staging {
    /// The staging folder being written.
    pub dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// Creates an empty staging folder for `target`.
    pub fn new(target: &Path) -> io::Result<Staging> {
        let name = target
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_owned);
        std::fs::create_dir_all(&parent)?;
        let dir = parent.join(format!(".{name}.binder-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(MARKER),
            "This folder was generated by binder; it is replaced on every build.\n",
        )?;
        Ok(Staging {
            dir,
            target: target.to_owned(),
        })
    }

    /// Moves the staging folder into place, replacing the previous output.
    pub fn commit(self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.binder-old-{}",
            self.target
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        if self.target.exists() {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if old.exists() {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Throws the staging folder away (the previous output stays).
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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

    #[test]
    fn staging_swaps_atomically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("old.html"), "old").expect("write");
        let s = Staging::new(&out).expect("staging");
        std::fs::write(s.dir.join("new.html"), "new").expect("write");
        s.abort();
        assert!(out.join("old.html").exists());
        let s = Staging::new(&out).expect("staging");
        std::fs::write(s.dir.join("new.html"), "new").expect("write");
        s.commit().expect("commit");
        assert!(out.join("new.html").exists());
        assert!(!out.join("old.html").exists());
    }
}
