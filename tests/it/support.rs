//! Fixture sites for integration tests: a temp dir with `site.toml`, the default theme
//! (linked from the repo) and whatever content a test writes.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use binder::BuildOptions;
use binder::build::Report;
use binder::diag::BuildFailed;

/// The repo root (for the default theme and the sample handbook).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A throwaway site.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// Minimal config; tests append sections with [`Site::config`].
pub const CONFIG: &str = "title = \"Fixture\"\nbase_url = \"https://example.org/handbook/\"\n";

impl Site {
    /// A site with the default config and theme, and an empty home page.
    pub fn new() -> Self {
        let s = Site::bare();
        s.write("site.toml", CONFIG);
        s.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        s
    }

    /// A site with the default theme and nothing else.
    pub fn bare() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        Site { dir }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) and returns self for chaining.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    /// Appends to site.toml.
    pub fn config(&self, extra: &str) -> &Self {
        let p = self.root().join("site.toml");
        let mut text = std::fs::read_to_string(&p).unwrap_or_default();
        text.push_str(extra);
        std::fs::write(p, text).expect("write");
        self
    }

    /// An article with front matter lines `fm` (without the `---`) and `body`.
    pub fn article(&self, rel: &str, fm: &str, body: &str) -> &Self {
        self.write(
            &format!("content/{rel}"),
            &format!("---\n{fm}\n---\n{body}\n"),
        )
    }

    /// Build options for this site.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_owned(),
            ..Default::default()
        }
    }

    /// Builds into `public/`.
    pub fn build(&self) -> Result<Report, BuildFailed> {
        binder::build::build(&self.options(), true)
    }

    /// Builds and panics with the rendered diagnostics on failure.
    pub fn build_ok(&self) -> Report {
        match self.build() {
            Ok(r) => r,
            Err(e) => panic!("build failed:\n{}", render(&e.diagnostics)),
        }
    }

    /// Builds, expecting failure; returns the diagnostics as `path:line:col: message` lines
    /// followed by their hints.
    pub fn build_err(&self) -> Vec<binder::diag::Diagnostic> {
        match self.build() {
            Ok(_) => panic!("build unexpectedly succeeded"),
            Err(e) => e.errors().cloned().collect(),
        }
    }

    /// Output file text.
    pub fn read(&self, rel: &str) -> String {
        let p = self.root().join("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// True if the output file exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).exists()
    }

    /// The `<main>` element of an output page (assertions stay clear of theme chrome).
    pub fn main(&self, rel: &str) -> String {
        let html = self.read(rel);
        let start = html.find("<main").unwrap_or(0);
        let end = html.rfind("</main>").map_or(html.len(), |i| i + 7);
        html[start..end].to_owned()
    }
}

/// Diagnostics as the CLI prints them (no colour).
pub fn render(ds: &[binder::diag::Diagnostic]) -> String {
    ds.iter().map(|d| binder::diag::render(d, false)).collect()
}

/// Recursively copies a folder.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// Every file under `dir` as (relative path, bytes), sorted.
pub fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}
