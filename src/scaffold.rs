//! `binder init` and `binder new` (placeholder until they land).

use std::path::{Path, PathBuf};

use crate::diag::{BuildFailed, Diagnostic};

/// Scaffolds a handbook in `dir`; returns the files created.
pub fn init(_dir: &Path) -> Result<Vec<PathBuf>, BuildFailed> {
    Err(Diagnostic::error("", "init is not available yet").into())
}

/// Creates an article; returns its path.
pub fn new_article(_root: &Path, _section: &str, _title: &str) -> Result<PathBuf, BuildFailed> {
    Err(Diagnostic::error("", "new is not available yet").into())
}
