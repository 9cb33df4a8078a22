//! Build script: embeds the default theme in the binary.
//!
//! Writes `$OUT_DIR/default_theme.rs`, a sorted list of `(path, include_bytes!(file))` for
//! every file under `themes/default/` (templates, static files, translations), so a site
//! with no `themes/` folder builds with the theme this binary was built with
//! (`src/render/theme.rs`) and `binder init` can write a copy of it. Cargo reruns the script whenever anything in that folder changes, so files added or
//! removed by a theme edit are picked up without touching any list by hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let theme = root.join("themes/default");
    println!("cargo::rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file of `themes/default`: (path below the theme folder, contents).\n",
    );
    code.push_str("pub(crate) const DEFAULT_THEME: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("default_theme.rs");
    std::fs::write(out, code).expect("write default_theme.rs");
}

/// Files below `dir` as (`/`-separated path relative to `base`, absolute path), skipping
/// hidden files and editor leftovers.
fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // The same rule as `load::is_ignored_name` (a build script cannot call the crate).
        let junk = name.starts_with('.')
            || name.ends_with('~')
            || [".swp", ".swx", ".tmp", ".bak"]
                .iter()
                .any(|ext| name.ends_with(ext))
            || (name.starts_with('#') && name.ends_with('#'))
            || name == "4913";
        if junk {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
}
