//! `binder build` and `binder check`: model → bodies → jobs rendered in parallel into a sink
//! → static files and assets → atomic swap into the output folder.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::diag::{BuildFailed, Diagnostic, Diagnostics, Origin};
use crate::model::Site;
use crate::parse::highlight::Highlighter;
use crate::render::{self, Bodies, Renderer};
use crate::site::{BuildOptions, Timings, load_site};
use crate::write::{self, DiskSink, NullSink, Registry, Sink, Staging, write_error};

/// What a successful build reports.
#[derive(Debug)]
pub struct Report {
    /// Warnings (sorted).
    pub warnings: Vec<Diagnostic>,
    /// Articles built.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Where the site went (None for `check`).
    pub output: Option<PathBuf>,
    /// Time per stage.
    pub timings: Timings,
    /// Things the build could not know (no git history…), one line each.
    pub notes: Vec<String>,
}

/// Output folder for `opts`: `--output`, else `output_dir` from the config, under the root.
pub fn output_dir(opts: &BuildOptions, site: &Site) -> PathBuf {
    let out = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(&site.config.output_dir));
    if out.is_absolute() {
        out
    } else {
        opts.root.join(out)
    }
}

/// Loads a highlighter for the site: the default grammars plus `syntaxes/` if present.
pub fn highlighter(site: &Site) -> Result<Highlighter, Diagnostic> {
    check_highlight_themes(site)?;
    let dir = site.root.join("syntaxes");
    if dir.is_dir() {
        Highlighter::with_extra_syntaxes(&dir).map_err(|e| {
            Diagnostic::error("syntaxes", e.to_string())
                .with_hint("fix or remove the .sublime-syntax file")
        })
    } else {
        Ok(Highlighter::new())
    }
}

/// The `[highlight]` theme names, checked before anything renders: a misspelt one is a
/// configuration error (exit 2) located in site.toml, with the closest names.
fn check_highlight_themes(site: &Site) -> Result<(), Diagnostic> {
    let names = Highlighter::theme_names();
    let h = &site.config.highlight;
    for (key, name) in [
        ("light_theme", &h.light_theme),
        ("dark_theme", &h.dark_theme),
    ] {
        if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        let known = names.join(", ");
        let hint = match crate::diag::did_you_mean(name, names.iter().copied()) {
            Some(guess) => format!("{guess} The themes binder knows: {known}"),
            None => format!("set `{key}` under [highlight] to one of: {known}"),
        };
        let mut d = Diagnostic::error(
            "site.toml",
            format!("unknown highlight theme `{name}` in `{key}`"),
        )
        .with_origin(Origin::Config)
        .with_hint(hint);
        let text = std::fs::read_to_string(site.root.join("site.toml")).unwrap_or_default();
        if let Some(i) = text.find(&format!("\"{name}\"")) {
            d = d.at(&Arc::from(text.as_str()), i + 1..i + 1 + name.len());
        }
        return Err(d);
    }
    Ok(())
}

/// Builds the site into its output folder (`write = true`) or only checks it.
pub fn build(opts: &BuildOptions, write: bool) -> Result<Report, BuildFailed> {
    let mut timings = Timings::default();
    let site = load_site(opts, &mut timings)?;
    let hl = Arc::new(highlighter(&site)?);
    let out = output_dir(opts, &site);
    let notes: Vec<String> = (site.git.note.iter())
        .filter(|_| !site.git.required)
        .cloned()
        .collect();
    if write {
        write::check_output(&out, &opts.root).map_err(|d| d.with_origin(Origin::Usage))?;
    }
    let staging = if write {
        Some(Staging::new(&out).map_err(|e| {
            Diagnostic::error(
                "",
                format!(
                    "cannot create the staging folder next to the output folder {}: {e}",
                    out.display()
                ),
            )
            .with_origin(Origin::Io)
            .with_io(out.display().to_string(), &e)
            .with_hint(
                "binder builds beside the output folder, then swaps it in: make sure every folder \
                 on the way to it is a folder you may write to (not a file of the same name), \
                 or pass --output somewhere else",
            )
        })?)
    } else {
        None
    };
    let result = match &staging {
        Some(s) => render_site(&site, hl, &DiskSink::new(s.dir.clone()), &mut timings),
        None => render_site(&site, hl, &NullSink, &mut timings),
    }
    .map(|(warnings, files)| (fold_warnings(warnings, opts.verbose), files));
    match (result, staging) {
        (Ok((warnings, files)), Some(s)) => {
            let mut clock = Instant::now();
            s.commit().map_err(|e| {
                Diagnostic::error(
                    "",
                    format!("cannot move the new site into {}: {e}", out.display()),
                )
                .with_origin(Origin::Io)
            })?;
            timings.lap("swap", &mut clock);
            Ok(Report {
                warnings,
                pages: site.pages.len(),
                files,
                output: Some(out),
                timings,
                notes,
            })
        }
        (Ok((warnings, files)), None) => Ok(Report {
            warnings,
            pages: site.pages.len(),
            files,
            output: None,
            timings,
            notes,
        }),
        (Err(e), Some(s)) => {
            s.abort();
            Err(e)
        }
        (Err(e), None) => Err(e),
    }
}

/// The warnings as a build shows them: many images without alt text folded into one, unless
/// `--verbose` asks for each.
pub fn fold_warnings(warnings: Vec<Diagnostic>, verbose: bool) -> Vec<Diagnostic> {
    if verbose {
        return warnings;
    }
    crate::diag::fold_repeats(
        warnings,
        crate::parse::markdown::NO_ALT_TEXT,
        5,
        "images without alt text",
    )
}

/// Renders every job and copies static files into `sink`, every path through one output
/// [`Registry`] (one owner per path). Returns (warnings, files written).
pub fn render_site(
    site: &Site,
    hl: Arc<Highlighter>,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<(Vec<Diagnostic>, usize), BuildFailed> {
    let registry = Registry::new(sink);
    let mut clock = Instant::now();
    let mut diags = Diagnostics::default();
    diags.extend(site.warnings.iter().cloned());
    let renderer = Renderer::new(site, hl).map_err(|d| BuildFailed {
        diagnostics: d
            .into_iter()
            .map(|d| d.with_origin(Origin::Template))
            .collect(),
    })?;
    let bodies = render::render_bodies(site, &renderer.highlighter, &mut diags);
    timings.lap("markdown", &mut clock);
    let jobs = render::jobs(site);
    // The extras (feeds, search index, print page, graph.json…) are whole-site outputs with
    // long serial stretches; run them alongside the page jobs so those stretches fill the
    // cores the parallel page rendering leaves idle (default theme, 10,000 articles: ~10%
    // less wall time, bench/README.md). Both only read the model and write distinct files.
    let ((results, pages_took), (extra_files, extra_diags, extras_took)) = rayon::join(
        || {
            let start = Instant::now();
            let results: Vec<Result<usize, Diagnostic>> = jobs
                .par_iter()
                .map(|&job| {
                    inject_bug();
                    let owner = registry.owned_by(render::job_owner(site, job));
                    render_and_write(site, &renderer, &bodies, job, &owner)
                })
                .collect();
            (results, start.elapsed())
        },
        || {
            let start = Instant::now();
            let mut d = Diagnostics::default();
            let n = copy_files(site, &registry, &mut d)
                + crate::extras::write_all(site, &renderer, &bodies, &registry, &mut d);
            (n, d, start.elapsed())
        },
    );
    let mut files = extra_files;
    diags.extend(extra_diags.sorted());
    for r in results {
        match r {
            Ok(n) => files += n,
            Err(d) => diags.push(d),
        }
    }
    // The two overlap: each is reported with its own duration, then their joint wall time.
    timings.stages.push(("render+write", pages_took));
    timings.stages.push(("extras", extras_took));
    timings.lap("render+extras", &mut clock);
    let all = group_write_errors(crate::parse::highlight::one_warning_per_language(
        diags.sorted(),
    ));
    if all.iter().any(Diagnostic::is_error) {
        return Err(BuildFailed { diagnostics: all });
    }
    Ok((all, files))
}

/// Renders one job and writes its files.
pub fn render_and_write(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    job: render::Job,
    sink: &dyn Sink,
) -> Result<usize, Diagnostic> {
    let outputs = renderer
        .render(site, bodies, job)
        .map_err(|d| d.with_origin(Origin::Template))?;
    for o in &outputs {
        sink.write(&o.path, &o.bytes)
            .map_err(|e| write_error(&o.path, &e))?;
    }
    Ok(outputs.len())
}

/// Theme and site static files, then content assets, each claimed in its source's name.
pub(crate) fn copy_files<S: Sink>(
    site: &Site,
    registry: &Registry<S>,
    diags: &mut Diagnostics,
) -> usize {
    let mut list = render::static_files(&site.root, &site.config.theme);
    let disk = |abs: &std::path::Path| render::theme::FileSource::Disk(abs.to_path_buf());
    list.extend(site.assets.iter().map(|a| (a.rel.clone(), disk(&a.abs))));
    // Referenced assets also sit next to the page that uses them.
    let by_rel: std::collections::HashMap<&str, &std::path::Path> = site
        .assets
        .iter()
        .map(|a| (a.rel.as_str(), a.abs.as_path()))
        .collect();
    for p in &site.pages {
        for (src, dest) in p.assets.iter().filter(|(src, dest)| src != dest) {
            if let Some(abs) = by_rel.get(src.as_str()) {
                list.push((dest.clone(), disk(abs)));
            }
        }
    }
    let results: Vec<Result<(), Diagnostic>> = list
        .par_iter()
        .map(|(rel, src)| {
            let bytes = src.read().map_err(|e| {
                Diagnostic::error(src.shown(&site.root), format!("cannot read: {e}"))
                    .with_origin(Origin::Io)
                    .with_io(src.shown(&site.root), &e)
            })?;
            (registry.owned_by(format!("the file {}", src.shown(&site.root))))
                .write(rel, &bytes)
                .map_err(|e| write_error(rel, &e))
        })
        .collect();
    let mut n = 0;
    for r in results {
        match r {
            Ok(()) => n += 1,
            Err(d) => diags.push(d),
        }
    }
    n
}

/// `BINDER_INJECT_BUG=1` makes the render stage panic on a worker thread: the one way to test,
/// from outside, that a bug in binder becomes one report with exit code 70 (and, in
/// `serve`, an overlay) rather than a backtrace or a dead process.
fn inject_bug() {
    if std::env::var_os("BINDER_INJECT_BUG").is_some_and(|v| v == "1") {
        panic!("injected by BINDER_INJECT_BUG=1");
    }
}

/// One error per cause, not per file: a full disk failed 4,761 writes and printed 4,761
/// lines. Write failures with the same cause become one error naming the first few files.
fn group_write_errors(all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    const SHOWN: usize = 3;
    // The cause is the typed I/O failure the diagnostic carries (kind, errno and the
    // system's words), never a piece of the message.
    type Key = (String, Option<i32>, String);
    let cause = |d: &Diagnostic| -> Option<Key> {
        let io =
            d.io.as_ref()
                .filter(|_| d.origin == Origin::Io && d.is_error())?;
        Some((format!("{:?}", io.kind), io.os_code, io.text.clone()))
    };
    let mut groups: std::collections::BTreeMap<Key, Vec<String>> = Default::default();
    for d in &all {
        if let (Some(c), Some(io)) = (cause(d), d.io.as_ref()) {
            groups.entry(c).or_default().push(io.file.clone());
        }
    }
    let mut out: Vec<Diagnostic> = all
        .into_iter()
        .filter(|d| cause(d).is_none_or(|c| groups.get(&c).is_none_or(|g| g.len() <= SHOWN)))
        .collect();
    for ((_, _, cause), paths) in groups.into_iter().filter(|(_, g)| g.len() > SHOWN) {
        let first = paths[..SHOWN].join(", ");
        out.push(
            Diagnostic::error(
                "",
                format!("cannot write {} files: {cause} (first: {first})", paths.len()),
            )
            .with_origin(Origin::Io)
            .with_hint(
                "check the disk and the permissions of the output folder's parent, then build again; the previous output was not changed",
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 11, 9): a full disk printed one error per file.
    #[test]
    fn write_errors_of_one_cause_are_one_error() {
        let e = std::io::Error::from_raw_os_error(28);
        let mut all: Vec<Diagnostic> = (0..4_761)
            .map(|i| write_error(&format!("p{i}/index.html"), &e))
            .collect();
        all.push(write_error("only.html", &std::io::Error::other("odd")));
        all.push(Diagnostic::error("content/a.md", "broken link"));
        let out = group_write_errors(all);
        assert_eq!(out.len(), 3, "{out:#?}");
        assert!(out.iter().any(|d| {
            d.message
                .starts_with("cannot write 4761 files: No space left")
        }));
        assert!(
            out.iter()
                .any(|d| d.message == "cannot write only.html: odd")
        );
    }
}
