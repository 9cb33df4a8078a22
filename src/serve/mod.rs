//! The dev server (placeholder until it lands).

use crate::diag::{BuildFailed, Diagnostic};
use crate::site::BuildOptions;

/// Options of `binder serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build.
    pub build: BuildOptions,
    /// Port to try first.
    pub port: u16,
    /// Address to bind.
    pub bind: String,
    /// Rebuild on changes.
    pub watch: bool,
    /// Open a browser.
    pub open: bool,
}

/// Runs the server until Ctrl-C.
pub fn run(_opts: ServeOptions) -> Result<(), BuildFailed> {
    Err(Diagnostic::error("", "serve is not available yet").into())
}
