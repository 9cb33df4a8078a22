//! The inputs of the pipeline: the config, the files of `content/` and their parses.
//!
//! `binder build` and `binder check` read them once and parse everything
//! ([`Inputs::into_parsed`]). `serve` keeps them between rebuilds: after an edit only the
//! touched files are read again ([`Inputs::update`]); a created, deleted or renamed file
//! makes it list `content/` again (cheap: no file is read twice). Parses are cached by path
//! and checked against the text, so a file is parsed again only when its text changed. One
//! type for all three means they walk `content/` by the same rules (`[content]
//! follow_external_symlinks` included) and see the same files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{BuildFailed, Diagnostic, Diagnostics};
use crate::load::{self, Asset, LoadOptions, Source, Sources};
use crate::parse::markdown::MarkdownOptions;
use crate::parse::{ParsedSource, parse_one};

use super::{BuildOptions, load_config};

/// Every source parsed, with the folders and assets beside them: the input of the model
/// stages.
pub struct Loaded {
    /// The site's config.
    pub config: Config,
    /// Folders, assets and static files (its `files` are empty: `parsed` holds them).
    pub layout: Sources,
    /// The sources that parsed.
    pub parsed: Vec<ParsedSource>,
    /// Parse errors and the theme check's warnings.
    pub diags: Diagnostics,
}

/// One cached parse.
struct Cached {
    text: Arc<str>,
    result: Result<ParsedSource, Diagnostic>,
}

/// What an update found.
#[derive(Debug, Default, Clone)]
pub struct Delta {
    /// Markdown files whose text changed (paths relative to `content/`).
    pub changed: Vec<String>,
    /// Files or folders came or went: `content/` was listed again.
    pub relisted: bool,
    /// Some asset under `content/` changed, came or went.
    pub assets: bool,
}

/// Config, sources and parse cache of the site being served.
pub struct Inputs {
    /// The site's config (as the theme check completed it, for a strict load).
    pub config: Config,
    taxonomy_names: Vec<String>,
    markdown: MarkdownOptions,
    walk: LoadOptions,
    /// Markdown sources, sorted by path.
    sources: Vec<Source>,
    assets: Vec<Asset>,
    dirs: Vec<String>,
    /// The site's `static/` files by output path: links resolve against them.
    statics: Vec<String>,
    /// Files that could not be read (not UTF-8, permissions), by path.
    unreadable: HashMap<String, Diagnostic>,
    parses: HashMap<String, Cached>,
    /// Warnings of the theme check (a language without translations).
    theme_warnings: Vec<Diagnostic>,
}

impl Inputs {
    /// Reads the config, checks the theme and its templates, and reads every source. A
    /// previous `Inputs` lends its parse cache when the parse options are unchanged.
    pub fn load(opts: &BuildOptions, previous: Option<Inputs>) -> Result<Inputs, BuildFailed> {
        let mut config = load_config(opts)?;
        // Theme and templates first: their errors must not wait for the content.
        let theme_warnings = crate::render::templates::check(&opts.root, &mut config)?;
        Inputs::read(opts, config, theme_warnings, previous)
    }

    /// Like [`Inputs::load`] without the theme check (`binder check` reports on the content
    /// even when a template is broken).
    pub fn load_lenient(
        opts: &BuildOptions,
        previous: Option<Inputs>,
    ) -> Result<Inputs, BuildFailed> {
        Inputs::read(opts, load_config(opts)?, Vec::new(), previous)
    }

    fn read(
        opts: &BuildOptions,
        config: Config,
        theme_warnings: Vec<Diagnostic>,
        previous: Option<Inputs>,
    ) -> Result<Inputs, BuildFailed> {
        let taxonomy_names: Vec<String> =
            config.taxonomies.iter().map(|t| t.name.clone()).collect();
        let markdown = config.markdown_options();
        let walk = LoadOptions {
            follow_external_symlinks: config.content.follow_external_symlinks,
        };
        let parses = match previous {
            Some(p)
                if p.taxonomy_names == taxonomy_names && same_markdown(&p.markdown, &markdown) =>
            {
                p.parses
            }
            _ => HashMap::new(),
        };
        let statics = output_statics(&opts.root, &config.theme);
        let mut inputs = Inputs {
            config,
            taxonomy_names,
            markdown,
            walk,
            sources: Vec::new(),
            assets: Vec::new(),
            dirs: Vec::new(),
            statics,
            unreadable: HashMap::new(),
            parses,
            theme_warnings,
        };
        inputs.relist(&opts.root, &HashSet::new())?;
        Ok(inputs)
    }

    /// Every source parsed, for a single build: the cache is neither used nor filled.
    pub fn into_parsed(self) -> Result<Loaded, BuildFailed> {
        self.readable()?;
        let (md, names) = (&self.markdown, &self.taxonomy_names);
        let results: Vec<Result<ParsedSource, Diagnostic>> = self
            .sources
            .into_par_iter()
            .map(|s| parse_one(s, md, names))
            .collect();
        let mut diags = Diagnostics::default();
        diags.extend(self.theme_warnings);
        let mut parsed = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(p) => parsed.push(p),
                Err(d) => diags.push(d),
            }
        }
        let layout = Sources {
            files: Vec::new(),
            assets: self.assets,
            dirs: self.dirs,
            statics: self.statics,
        };
        Ok(Loaded {
            config: self.config,
            layout,
            parsed,
            diags,
        })
    }

    /// Fails with the files that could not be read: they are reported on their own, before
    /// the links to them would be reported as broken.
    fn readable(&self) -> Result<(), BuildFailed> {
        if self.unreadable.is_empty() {
            return Ok(());
        }
        let mut diags = Diagnostics::default();
        diags.extend(self.unreadable.values().cloned());
        Err(BuildFailed {
            diagnostics: diags.sorted(),
        })
    }

    /// Takes note of changed paths under `content/` (absolute).
    pub fn update(&mut self, root: &Path, changed: &[PathBuf]) -> Result<Delta, BuildFailed> {
        let content_dir = root.join("content");
        let mut delta = Delta::default();
        let mut relist = false;
        let mut touched = HashSet::new();
        for path in changed {
            let Some(rel) = rel_of(path, &content_dir) else {
                continue;
            };
            touched.insert(rel.clone());
            let is_file = path.is_file();
            if rel.ends_with(".md") {
                match (
                    is_file,
                    self.sources.binary_search_by(|s| s.rel.as_str().cmp(&rel)),
                ) {
                    (true, Ok(i)) => {
                        if self.reread(i, root) {
                            delta.changed.push(rel.clone());
                        }
                    }
                    (false, Err(_)) if !path.exists() => {} // a file that came and went
                    _ => relist = true,
                }
            } else if self.assets.iter().any(|a| a.rel == rel) {
                if is_file {
                    delta.assets = true;
                } else {
                    relist = true;
                }
            } else if is_file
                || (!path.exists() && self.dirs.contains(&rel))
                || (path.is_dir() && !self.dirs.contains(&rel))
            {
                relist = true;
            }
        }
        if relist {
            self.relist(root, &touched)?;
            delta.relisted = true;
            delta.assets = true;
        }
        Ok(delta)
    }

    /// Reads source `i` again; true if its text changed.
    fn reread(&mut self, i: usize, root: &Path) -> bool {
        let s = &self.sources[i];
        match load::read_source(s.rel.clone(), s.abs.clone(), root, &self.taxonomy_names) {
            Ok(new) => {
                let was_unreadable = self.unreadable.remove(&new.rel).is_some();
                let changed = was_unreadable || new.text != self.sources[i].text;
                if changed {
                    self.sources[i] = new;
                }
                changed
            }
            Err(d) => {
                self.unreadable.insert(self.sources[i].rel.clone(), d);
                true
            }
        }
    }

    /// Lists `content/` again, reading only files that are new or in `touched`.
    fn relist(&mut self, root: &Path, touched: &HashSet<String>) -> Result<(), BuildFailed> {
        let listing = load::list(&root.join("content"), root, self.walk)
            .map_err(|diagnostics| BuildFailed { diagnostics })?;
        let mut old: HashMap<String, Source> = std::mem::take(&mut self.sources)
            .into_iter()
            .map(|s| (s.rel.clone(), s))
            .collect();
        let (keep, read): (Vec<_>, Vec<_>) = listing.markdown.into_iter().partition(|(rel, _)| {
            old.contains_key(rel) && !touched.contains(rel) && !self.unreadable.contains_key(rel)
        });
        let fresh: Vec<Result<Source, Diagnostic>> = read
            .into_par_iter()
            .map(|(rel, abs)| load::read_source(rel, abs, root, &self.taxonomy_names))
            .collect();
        let mut sources: Vec<Source> = keep
            .into_iter()
            .filter_map(|(rel, _)| old.remove(&rel))
            .collect();
        self.unreadable.clear();
        for r in fresh {
            match r {
                Ok(s) => sources.push(s),
                Err(d) => {
                    let rel = d.path.trim_start_matches("content/").to_owned();
                    self.unreadable.insert(rel, d);
                }
            }
        }
        sources.sort_by(|a, b| a.rel.cmp(&b.rel));
        let live: HashSet<&str> = sources.iter().map(|s| s.rel.as_str()).collect();
        self.parses.retain(|rel, _| live.contains(rel.as_str()));
        self.sources = sources;
        self.assets = listing.assets;
        self.dirs = listing.dirs;
        Ok(())
    }

    /// Parses what changed (in parallel) and returns every source's parse, the diagnostics
    /// of files that failed to parse, and how many files were parsed. Fails if a file could
    /// not be read.
    pub fn parse(&mut self) -> Result<(Vec<ParsedSource>, Diagnostics, usize), BuildFailed> {
        self.readable()?;
        let stale: Vec<&Source> = self
            .sources
            .iter()
            .filter(|s| {
                self.parses
                    .get(&s.rel)
                    .is_none_or(|c| !Arc::ptr_eq(&c.text, &s.text) && c.text != s.text)
            })
            .collect();
        let (md, names) = (&self.markdown, &self.taxonomy_names);
        let fresh: Vec<(String, Cached)> = stale
            .into_par_iter()
            .map(|s| {
                (
                    s.rel.clone(),
                    Cached {
                        text: Arc::clone(&s.text),
                        result: parse_one(s.clone(), md, names),
                    },
                )
            })
            .collect();
        let count = fresh.len();
        self.parses.extend(fresh);
        let mut diags = Diagnostics::default();
        diags.extend(self.theme_warnings.iter().cloned());
        // The model stages consume their parses, so the cached ones are copied (in parallel:
        // thousands of scans with their strings).
        let parses = &self.parses;
        let parsed: Vec<ParsedSource> = self
            .sources
            .par_iter()
            .filter_map(|s| match parses.get(&s.rel).map(|c| &c.result) {
                Some(Ok(p)) => Some(p.clone()),
                _ => None,
            })
            .collect();
        for s in &self.sources {
            if let Some(Err(d)) = parses.get(&s.rel).map(|c| &c.result) {
                diags.push(d.clone());
            }
        }
        Ok((parsed, diags, count))
    }

    /// Parses (or takes from the cache) just the sources at `rels`; `None` if one is missing
    /// or does not parse (the full path reports every consequence of that).
    pub fn parse_only(&mut self, rels: &[String]) -> Option<Vec<ParsedSource>> {
        let mut out = Vec::with_capacity(rels.len());
        for rel in rels {
            let i = self
                .sources
                .binary_search_by(|s| s.rel.as_str().cmp(rel))
                .ok()?;
            if self.unreadable.contains_key(rel) {
                return None;
            }
            let s = &self.sources[i];
            let cached = self
                .parses
                .get(rel)
                .filter(|c| Arc::ptr_eq(&c.text, &s.text) || c.text == s.text);
            if cached.is_none() {
                let result = parse_one(s.clone(), &self.markdown, &self.taxonomy_names);
                self.parses.insert(
                    rel.clone(),
                    Cached {
                        text: Arc::clone(&s.text),
                        result,
                    },
                );
            }
            match self.parses.get(rel).map(|c| &c.result) {
                Some(Ok(p)) => out.push(p.clone()),
                _ => return None,
            }
        }
        Some(out)
    }

    /// Folders and assets for the assemble stage (the Markdown files travel as parses).
    pub fn layout(&self) -> Sources {
        Sources {
            files: Vec::new(),
            assets: self.assets.clone(),
            dirs: self.dirs.clone(),
            statics: self.statics.clone(),
        }
    }

    /// Lists `static/` again after a static file changed; true if a file came or went (links
    /// to it resolve differently, so the model is rebuilt).
    pub fn relist_statics(&mut self, root: &Path) -> bool {
        let now = output_statics(root, &self.config.theme);
        let moved = now != self.statics;
        self.statics = now;
        moved
    }
}

/// The output paths of the files copied to the output root as they are: the theme's
/// `static/` files and the site's own (which win on a shared path), sorted. Links may point
/// at them (`/images/logo.png`, `/style.css`).
fn output_statics(root: &Path, theme: &str) -> Vec<String> {
    crate::render::static_files(root, theme)
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// True if parses made under `a` hold under `b`: every option the parse stage reads is the
/// same (heading ids too: links are checked against the ids the scan computed).
fn same_markdown(a: &MarkdownOptions, b: &MarkdownOptions) -> bool {
    let MarkdownOptions {
        smart_punctuation,
        allow_raw_html,
        heading_ids,
        wikilinks,
    } = a;
    *smart_punctuation == b.smart_punctuation
        && *allow_raw_html == b.allow_raw_html
        && *heading_ids == b.heading_ids
        && *wikilinks == b.wikilinks
}

/// `path` relative to `content_dir` with `/` separators.
fn rel_of(path: &Path, content_dir: &Path) -> Option<String> {
    let rel = path.strip_prefix(content_dir).ok()?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    (!rel.is_empty()).then_some(rel)
}
