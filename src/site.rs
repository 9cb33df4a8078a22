//! The pipeline driver: runs load → parse → resolve → taxonomy to build the [`Site`] model,
//! then render → write. `binder build`, `binder check` and `binder serve` all come through
//! here, so they can never disagree about what a site means.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::assemble::assemble;
use crate::config::Config;
use crate::diag::{BuildFailed, Diagnostic, Diagnostics};
use crate::load::Sources;
use crate::model::Site;
use crate::parse::front_matter;
pub use crate::parse::{ParsedSource, parse_one};

mod inputs;
pub use inputs::{Delta, Inputs, Loaded};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (the folder holding `site.toml`).
    pub root: PathBuf,
    /// Output folder (default: `output_dir` of the config, relative to the root).
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Override `base_url`.
    pub base_url: Option<String>,
    /// List every broken-link warning on its own instead of grouping them by cause.
    pub verbose: bool,
}

/// Time spent per stage, for `--timings`.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// (stage, duration) in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Records the time since `start` under `stage` and restarts the clock.
    pub fn lap(&mut self, stage: &'static str, start: &mut Instant) {
        self.stages.push((stage, start.elapsed()));
        *start = Instant::now();
    }
}

/// Reads `site.toml` under `root`, applying a `--base-url` override.
pub fn load_config(opts: &BuildOptions) -> Result<Config, BuildFailed> {
    let path = opts.root.join("site.toml");
    if !opts.root.is_dir() {
        return Err(BuildFailed::one(
            Diagnostic::error(
                "",
                format!("the site folder {} does not exist", opts.root.display()),
            )
            .with_origin(crate::diag::Origin::Usage)
            .with_hint("pass --root DIR with the folder that holds site.toml, or create a site there with `binder init DIR`"),
        ));
    }
    let mut config =
        Config::load(&path, "site.toml").map_err(|d| d.with_origin(crate::diag::Origin::Config))?;
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    Ok(config)
}

/// Builds the model of the site at `opts.root`: every content error of the site at once.
pub fn load_site(opts: &BuildOptions, timings: &mut Timings) -> Result<Site, BuildFailed> {
    let mut clock = Instant::now();
    let inputs = Inputs::load(opts, None)?;
    timings.lap("load", &mut clock);
    let loaded = inputs.into_parsed()?;
    timings.lap("parse", &mut clock);
    model_from_parsed(loaded, opts, timings)
}

/// Like [`load_site`], but content errors do not stop it: the model of everything that did
/// parse comes back with every diagnostic, for `binder check`'s health report. Only a broken
/// `site.toml`, an unreadable `content/` or an unreadable file fails.
pub fn load_site_lenient(opts: &BuildOptions) -> Result<(Site, Vec<Diagnostic>), BuildFailed> {
    let Loaded {
        config,
        layout,
        parsed,
        mut diags,
    } = Inputs::load_lenient(opts, None)?.into_parsed()?;
    let site = model_stages(
        config,
        opts,
        layout,
        parsed,
        &mut diags,
        &mut Timings::default(),
    );
    Ok((site, diags.sorted()))
}

/// [`load_site_lenient`] for a caller that loads the same site again and again (`serve`'s
/// live health report): the inputs are kept in `cache`, so the next call reads the files
/// again but parses only those whose text changed.
pub fn load_site_lenient_cached(
    opts: &BuildOptions,
    cache: &mut Option<Inputs>,
) -> Result<(Site, Vec<Diagnostic>), BuildFailed> {
    let mut inputs = Inputs::load_lenient(opts, cache.take())?;
    let (parsed, mut diags, _) = inputs.parse()?;
    let site = model_stages(
        inputs.config.clone(),
        opts,
        inputs.layout(),
        parsed,
        &mut diags,
        &mut Timings::default(),
    );
    *cache = Some(inputs);
    Ok((site, diags.sorted()))
}

/// The stages after parsing: assemble, taxonomies, resolve, graph. Split from
/// [`load_site`] so `serve` can re-run them on cached parses after an edit.
pub(crate) fn model_from_parsed(
    loaded: Loaded,
    opts: &BuildOptions,
    timings: &mut Timings,
) -> Result<Site, BuildFailed> {
    let Loaded {
        config,
        layout,
        parsed,
        mut diags,
    } = loaded;
    let mut site = model_stages(config, opts, layout, parsed, &mut diags, timings);

    let all = diags.sorted();
    if all.iter().any(Diagnostic::is_error) {
        return Err(BuildFailed { diagnostics: all });
    }
    site.warnings = all;
    Ok(site)
}

/// Assemble, taxonomies, resolve, graph, kinds: the model, problems into `diags`, each
/// stage's time into `timings`.
fn model_stages(
    config: Config,
    opts: &BuildOptions,
    sources: Sources,
    parsed: Vec<ParsedSource>,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Site {
    let mut clock = Instant::now();
    let files = parsed
        .iter()
        .map(|p| (p.source.shown.as_str(), &p.source.text, &p.parsed));
    front_matter::report(files, &config.front_matter, diags);
    let rels: Vec<&str> = parsed.iter().map(|p| p.source.rel.as_str()).collect();
    let git = crate::git::read(&opts.root, &rels, &config.git);
    timings.lap("git", &mut clock);
    drop(rels);
    if let (true, Some(note)) = (git.required, &git.note) {
        diags.push(Diagnostic::warning("site.toml", note.clone()).with_hint(
            "run binder inside a full git clone, or remove `enabled = true` under [git]",
        ));
    }
    let (mut site, glossary) = assemble(config, &opts.root, opts.drafts, sources, parsed, diags);
    site.git = git;
    timings.lap("assemble", &mut clock);
    crate::taxonomy::build(&mut site, glossary, diags);
    timings.lap("taxonomy", &mut clock);
    crate::resolve::resolve(&mut site, diags, opts.verbose);
    timings.lap("resolve", &mut clock);
    crate::resolve::graph(&mut site, diags);
    crate::kinds::check(&site, diags);
    timings.lap("graph", &mut clock);
    site
}
