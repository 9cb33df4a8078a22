//! The pipeline driver: runs load → parse → resolve → taxonomy to build the [`Site`] model,
//! then render → write. `binder build`, `binder check` and `binder serve` all come through
//! here, so they can never disagree about what a site means.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{BuildFailed, Diagnostic, Diagnostics};
use crate::load::{self, Role, Source, Sources};
use crate::model::{Glossary, Page, Section, Site};
use crate::parse::front_matter::{self, Kind, Parsed};
use crate::parse::markdown::{self, MarkdownOptions};

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
    let mut config = Config::load(&path, "site.toml")?;
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
    let config = load_config(opts)?;
    let taxonomy_names: Vec<String> = config.taxonomies.iter().map(|t| t.name.clone()).collect();
    let sources = load::load(&opts.root.join("content"), &opts.root, &taxonomy_names)
        .map_err(|diagnostics| BuildFailed { diagnostics })?;
    timings.lap("load", &mut clock);

    let mut diags = Diagnostics::default();
    let md = markdown_options(&config);
    let parsed = parse_all(&sources.files, &md, &taxonomy_names, &mut diags);
    timings.lap("parse", &mut clock);

    model_from_parsed(config, opts, sources, parsed, diags, timings)
}

/// The stages after parsing: assemble, resolve, taxonomies, graph. `sources` supplies the
/// folders and assets (its `files` are not read: `parsed` holds them). Split from
/// [`load_site`] so `serve` can re-run them on cached parses after an edit.
pub(crate) fn model_from_parsed(
    config: Config,
    opts: &BuildOptions,
    sources: Sources,
    parsed: Vec<ParsedSource>,
    mut diags: Diagnostics,
    timings: &mut Timings,
) -> Result<Site, BuildFailed> {
    let mut clock = Instant::now();
    let mut site = assemble(config, opts, sources, parsed, &mut diags);
    crate::resolve::resolve(&mut site, &mut diags);
    crate::taxonomy::build(&mut site, &mut diags);
    crate::resolve::graph(&mut site, &mut diags);
    timings.lap("resolve", &mut clock);

    let all = diags.sorted();
    if all.iter().any(Diagnostic::is_error) {
        return Err(BuildFailed { diagnostics: all });
    }
    site.warnings = all;
    Ok(site)
}

/// Markdown options from the config.
pub fn markdown_options(config: &Config) -> MarkdownOptions {
    MarkdownOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        allow_raw_html: config.markdown.raw_html == crate::config::RawHtml::Allow,
    }
}

/// A parsed source, before it is placed in the site.
#[derive(Clone)]
pub(crate) struct ParsedSource {
    pub(crate) source: Source,
    pub(crate) parsed: Parsed,
    pub(crate) scan: markdown::Scan,
}

/// Front matter + first Markdown pass of every file, in parallel.
fn parse_all(
    files: &[Source],
    md: &MarkdownOptions,
    taxonomies: &[String],
    diags: &mut Diagnostics,
) -> Vec<ParsedSource> {
    let results: Vec<Result<ParsedSource, Diagnostic>> = files
        .par_iter()
        .map(|s| parse_one(s.clone(), md, taxonomies))
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => out.push(p),
            Err(d) => diags.push(d),
        }
    }
    out
}

/// Front matter + scan of one file.
pub(crate) fn parse_one(
    source: Source,
    md: &MarkdownOptions,
    taxonomies: &[String],
) -> Result<ParsedSource, Diagnostic> {
    let kind = match source.role {
        Role::Article => Kind::Article,
        Role::Section => Kind::Section,
        Role::Glossary => Kind::Glossary,
    };
    let parsed = front_matter::parse(&source.text, &source.shown, kind, taxonomies)?;
    let scan = markdown::scan(&source.text[parsed.body_start..], md);
    Ok(ParsedSource {
        source,
        parsed,
        scan,
    })
}

/// Places parsed files into sections and gives every page its URL.
fn assemble(
    config: Config,
    opts: &BuildOptions,
    sources: Sources,
    parsed: Vec<ParsedSource>,
    diags: &mut Diagnostics,
) -> Site {
    let bundles: Vec<String> = parsed
        .iter()
        .filter(|p| p.source.rel.ends_with("/index.md") || p.source.rel == "index.md")
        .map(|p| {
            p.source
                .rel
                .trim_end_matches("index.md")
                .trim_end_matches('/')
                .to_owned()
        })
        .collect();
    let in_bundle = |dir: &str| {
        bundles
            .iter()
            .any(|b| !b.is_empty() && (dir == b || dir.starts_with(&format!("{b}/"))))
    };
    let glossary_dirs: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();

    // Sections: every folder that is not a bundle or a glossary folder.
    let mut section_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut dirs: Vec<String> = sources.dirs.clone();
    if !dirs.iter().any(String::is_empty) {
        dirs.insert(0, String::new());
    }
    dirs.sort();
    for dir in dirs {
        let top = dir.split('/').next().unwrap_or("");
        if in_bundle(&dir) || glossary_dirs.contains(&top) {
            continue;
        }
        section_index.insert(dir.clone(), sections.len());
        sections.push(empty_section(&dir));
    }
    let mut pages = Vec::new();
    let mut glossary = Vec::new();
    for p in parsed {
        match p.source.role {
            Role::Section => {
                let dir = parent_dir(&p.source.rel).to_owned();
                match section_index.get(&dir) {
                    Some(&i) => fill_section(&mut sections[i], p, opts.drafts),
                    None => diags.push(Diagnostic::warning(
                        &p.source.shown,
                        "this _index.md is inside a page bundle or glossary folder and is ignored",
                    )),
                }
            }
            Role::Glossary => glossary.push(p),
            Role::Article => {
                if p.parsed.meta.draft && !opts.drafts {
                    continue;
                }
                pages.push(p);
            }
        }
    }
    link_sections(&mut sections);
    let pages = place_pages(
        pages,
        &sections,
        &section_index,
        &bundles,
        opts.drafts,
        diags,
    );
    let mut site = Site {
        config,
        root: opts.root.clone(),
        pages,
        sections,
        taxonomies: Vec::new(),
        graph: Default::default(),
        assets: sources.assets,
        warnings: Vec::new(),
        pending_glossary: Vec::new(),
    };
    drop_draft_sections(&mut site, opts.drafts);
    fill_listings(&mut site);
    crate::taxonomy::attach_glossary_sources(&mut site, glossary, diags);
    check_collisions(&site, diags);
    site
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn empty_section(dir: &str) -> Section {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    let path = if dir.is_empty() {
        String::new()
    } else {
        let segs: Vec<String> = dir.split('/').map(slug::slugify).collect();
        format!("{}/", segs.join("/"))
    };
    Section {
        dir: dir.to_owned(),
        shown: if dir.is_empty() {
            "content".into()
        } else {
            format!("content/{dir}")
        },
        text: std::sync::Arc::from(""),
        meta: Default::default(),
        title: if dir.is_empty() {
            String::new()
        } else {
            crate::config::capitalise(name)
        },
        body_start: 0,
        scan: markdown::scan(
            "",
            &MarkdownOptions {
                smart_punctuation: false,
                allow_raw_html: false,
            },
        ),
        path,
        parent: None,
        subsections: Vec::new(),
        pages: Vec::new(),
        links: HashMap::new(),
    }
}

fn fill_section(s: &mut Section, p: ParsedSource, drafts: bool) {
    if let Some(t) = &p.parsed.meta.title {
        s.title = t.clone();
    }
    s.shown = p.source.shown;
    s.text = p.source.text;
    s.body_start = p.parsed.body_start;
    s.meta = p.parsed.meta;
    s.scan = p.scan;
    if s.meta.draft && drafts {
        s.meta.draft = false;
    }
}

fn link_sections(sections: &mut [Section]) {
    let dirs: Vec<String> = sections.iter().map(|s| s.dir.clone()).collect();
    for i in 1..sections.len() {
        let mut parent = parent_dir(&dirs[i]).to_owned();
        loop {
            if let Some(p) = dirs.iter().position(|d| *d == parent) {
                sections[i].parent = Some(p);
                break;
            }
            parent = parent_dir(&parent).to_owned();
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
    for (i, s) in sections.iter().enumerate() {
        if let Some(p) = s.parent {
            children[p].push(i);
        }
    }
    for (i, mut kids) in children.into_iter().enumerate() {
        kids.sort_by(|&a, &b| {
            let (sa, sb) = (&sections[a], &sections[b]);
            sa.meta
                .weight
                .unwrap_or(0)
                .cmp(&sb.meta.weight.unwrap_or(0))
                .then_with(|| sa.title.cmp(&sb.title))
        });
        sections[i].subsections = kids;
    }
}

fn place_pages(
    parsed: Vec<ParsedSource>,
    sections: &[Section],
    section_index: &BTreeMap<String, usize>,
    bundles: &[String],
    _drafts: bool,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut pages = Vec::with_capacity(parsed.len());
    for p in parsed {
        let rel = p.source.rel.clone();
        let is_bundle =
            rel.ends_with("/index.md") && bundles.iter().any(|b| format!("{b}/index.md") == rel);
        let (dir, stem) = if is_bundle {
            let b = parent_dir(&rel);
            (
                parent_dir(b).to_owned(),
                b.rsplit('/').next().unwrap_or(b).to_owned(),
            )
        } else {
            (
                parent_dir(&rel).to_owned(),
                rel.rsplit('/')
                    .next()
                    .unwrap_or(&rel)
                    .trim_end_matches(".md")
                    .to_owned(),
            )
        };
        let mut sdir = dir.clone();
        let section = loop {
            if let Some(&i) = section_index.get(&sdir) {
                break i;
            }
            sdir = parent_dir(&sdir).to_owned();
        };
        let slug = match &p.parsed.meta.slug {
            Some(s) => {
                let clean = slug::slugify(s);
                if clean.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            &p.source.shown,
                            format!("slug `{s}` has no letters or digits"),
                        )
                        .at(&p.source.text, p.parsed.meta.span_of("slug"))
                        .with_hint("use lower-case words joined by `-`, e.g. `ask-for-clarity`"),
                    );
                }
                clean
            }
            None => slug::slugify(&stem),
        };
        let path = format!("{}{}/", sections[section].path, slug);
        let title = p.parsed.meta.title.clone().unwrap_or_default();
        pages.push(Page {
            rel,
            shown: p.source.shown,
            text: p.source.text,
            title,
            meta: p.parsed.meta,
            body_start: p.parsed.body_start,
            scan: p.scan,
            slug,
            path,
            section,
            links: HashMap::new(),
            outgoing: Vec::new(),
            assets: Vec::new(),
        });
    }
    pages
}

/// Without `--drafts`, a section marked `draft` disappears with everything in it.
fn drop_draft_sections(site: &mut Site, drafts: bool) {
    if drafts {
        return;
    }
    let hidden: Vec<bool> = (0..site.sections.len())
        .map(|mut i| {
            loop {
                if site.sections[i].meta.draft {
                    break true;
                }
                match site.sections[i].parent {
                    Some(p) => i = p,
                    None => break false,
                }
            }
        })
        .collect();
    if !hidden.iter().any(|&h| h) {
        return;
    }
    // Remove the hidden sections from the model entirely and renumber the rest, so no later
    // stage (listings, feeds, sitemap) has to remember to skip them.
    site.pages.retain(|p| !hidden[p.section]);
    let mut new_index = vec![None; hidden.len()];
    let mut next = 0;
    for (old, &h) in hidden.iter().enumerate() {
        if !h {
            new_index[old] = Some(next);
            next += 1;
        }
    }
    let old_sections = std::mem::take(&mut site.sections);
    for (old, mut s) in old_sections.into_iter().enumerate() {
        if hidden[old] {
            continue;
        }
        s.parent = s.parent.and_then(|p| new_index[p]);
        s.subsections = s.subsections.iter().filter_map(|&c| new_index[c]).collect();
        site.sections.push(s);
    }
    for p in &mut site.pages {
        p.section = new_index[p.section].unwrap_or(0);
    }
}

/// Lists each section's pages in its sort order (`sort_by` in `_index.md`).
fn fill_listings(site: &mut Site) {
    use crate::parse::front_matter::SortBy;
    for s in &mut site.sections {
        s.pages.clear();
    }
    for (id, p) in site.pages.iter().enumerate() {
        site.sections[p.section].pages.push(id);
    }
    let pages = &site.pages;
    for s in &mut site.sections {
        let by = s.sort_by();
        s.pages.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            let primary = match by {
                SortBy::Date => pb.meta.date.cmp(&pa.meta.date),
                SortBy::Title => pa.title.to_lowercase().cmp(&pb.title.to_lowercase()),
                SortBy::Weight => weight_key(pa.meta.weight).cmp(&weight_key(pb.meta.weight)),
                SortBy::Series => series_key(pa).cmp(&series_key(pb)),
            };
            primary
                .then_with(|| pa.title.cmp(&pb.title))
                .then_with(|| pa.rel.cmp(&pb.rel))
        });
    }
}

/// Pages without a weight sort after weighted ones.
fn weight_key(w: Option<i64>) -> (bool, i64) {
    (w.is_none(), w.unwrap_or(0))
}

/// Series parts first (by series name, then position), then everything else.
fn series_key(p: &Page) -> (bool, String, i64) {
    (
        p.meta.series.is_none(),
        p.meta.series.clone().unwrap_or_default(),
        p.meta.series_order.unwrap_or(0),
    )
}

/// Two sources (or a source and a generated page) mapping to one URL is an error naming both.
fn check_collisions(site: &Site, diags: &mut Diagnostics) {
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    for name in crate::render::RESERVED_PATHS {
        owners.insert((*name).to_owned(), "a page binder generates".to_owned());
    }
    for t in &site.config.taxonomies {
        owners.insert(
            format!("{}/", t.name),
            format!("the `{}` taxonomy list", t.name),
        );
    }
    let mut claim = |path: &str, who: &str, d: Diagnostic| match owners.get(path) {
        Some(first) => diags.push(d.with_hint(format!(
            "`{first}` already produces `/{path}`; rename one file or set a different `slug:`"
        ))),
        None => {
            owners.insert(path.to_owned(), who.to_owned());
        }
    };
    for s in site.sections.iter().filter(|s| !s.dir.is_empty()) {
        let d = Diagnostic::error(
            &s.shown,
            format!("the section's URL `/{}` is already taken", s.path),
        );
        claim(&s.path, &s.shown, d);
    }
    for p in &site.pages {
        let d = Diagnostic::error(
            &p.shown,
            format!(
                "`{}` maps to the URL `/{}`, which is already taken",
                p.shown, p.path
            ),
        )
        .at(&p.text, p.meta.span_of("slug"));
        claim(&p.path, &p.shown, d);
    }
    check_aliases(site, &owners, diags);
}

/// Output path of an `aliases:` entry: `/tips/old-name/` → `tips/old-name/` (a folder: the
/// redirect goes to its `index.html`), `/old.html` → `old.html` (a file). Errors say why an
/// alias is not a plain path on this site.
pub fn alias_path(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err("an alias is an old path on this site, not a URL");
    }
    if trimmed.contains(['?', '#', '\\']) {
        return Err("an alias cannot contain `?`, `#` or `\\`");
    }
    let path = trimmed.trim_start_matches('/');
    if path.is_empty() {
        return Err("an alias cannot be the home page");
    }
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err("an alias cannot contain empty, `.` or `..` segments");
    }
    let is_file = !path.ends_with('/') && (path.ends_with(".html") || path.ends_with(".htm"));
    Ok(if is_file || path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    })
}

/// Files binder writes at the top of the output; an alias may not replace one.
const GENERATED_FILES: &[&str] = &[
    "index.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "search",
];

/// What already produces the output path `path`, if anything: a page or section, a
/// taxonomy page, a pagination page or a file binder writes itself.
fn alias_owner(site: &Site, owners: &BTreeMap<String, String>, path: &str) -> Option<String> {
    let first = path.split('/').next().unwrap_or("");
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if let Some(owner) = owners.get(path) {
        return Some(owner.clone());
    }
    if let Some(t) = site.config.taxonomies.iter().find(|t| first == t.name) {
        return Some(format!("the `{}` taxonomy pages", t.name));
    }
    if let Some(s) = site
        .sections
        .iter()
        .find(|s| path.starts_with(&format!("{}page/", s.path)))
    {
        return Some(format!("the pagination pages of {}", s.shown));
    }
    (GENERATED_FILES.contains(&first) || last == "atom.xml")
        .then(|| "a file binder generates".to_owned())
}

/// An alias must be a plain path that no page, generated page or other alias produces.
fn check_aliases(site: &Site, owners: &BTreeMap<String, String>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for p in &site.pages {
        for alias in &p.meta.aliases {
            let key = p.meta.span_of("aliases");
            let start = key.start;
            let span = p.text[start..]
                .find(alias.as_str())
                .map_or(key, |i| start + i..start + i + alias.len());
            let path = match alias_path(alias) {
                Ok(path) => path,
                Err(why) => {
                    diags.push(
                        Diagnostic::error(&p.shown, format!("alias `{alias}`: {why}"))
                            .at(&p.text, span)
                            .with_hint("write the old path, e.g. `/tips/old-name/`"),
                    );
                    continue;
                }
            };
            let taken = alias_owner(site, owners, &path)
                .or_else(|| seen.get(&path).map(|other| format!("an alias in {other}")));
            match taken {
                Some(owner) => diags.push(
                    Diagnostic::error(
                        &p.shown,
                        format!("the alias `{alias}` of {} collides with {owner}", p.shown),
                    )
                    .at(&p.text, span)
                    .with_hint(format!(
                        "remove the alias: {owner} already produces `/{path}`"
                    )),
                ),
                None => {
                    seen.insert(path, p.shown.clone());
                }
            }
        }
    }
}

/// True if `path` is inside `dir` (both absolute or both relative).
pub fn is_inside(path: &Path, dir: &Path) -> bool {
    path.starts_with(dir)
}

/// Keeps `Glossary` reachable for the taxonomy stage.
pub(crate) fn glossary_from(p: ParsedSource) -> Glossary {
    Glossary {
        shown: p.source.shown,
        text: p.source.text,
        meta: p.parsed.meta,
        body_start: p.parsed.body_start,
        scan: p.scan,
        links: HashMap::new(),
    }
}
