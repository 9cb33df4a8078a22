//! Assemble stage: parsed files → sections (nested, with `_index.md` metadata), pages
//! placed in them with their URL, draft sections dropped, listings sorted.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

mod collisions;
mod folders;
mod urls;

use collisions::check_collisions;
use folders::{Folders, classify};
pub use urls::alias_path;
use urls::{dir_path, segment};

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{Role, Sources};
use crate::model::{Doc, Glossary, Page, PageId, Section, SectionId, Site, TiVec};
use crate::parse::ParsedSource;
use crate::parse::front_matter::SortBy;
use crate::parse::markdown::{self, MarkdownOptions};
use typed_index_collections::TiSlice;

/// Places parsed files into sections and gives every page its URL; the glossary entries
/// come back beside the site, for the taxonomy stage to attach to their terms.
pub fn assemble(
    config: Config,
    root: &std::path::Path,
    drafts: bool,
    sources: Sources,
    parsed: Vec<ParsedSource>,
    diags: &mut Diagnostics,
) -> (Site, Vec<Glossary>) {
    let glossary_dirs: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    let in_glossary = |rel: &str| {
        rel.split_once('/')
            .is_some_and(|(top, _)| glossary_dirs.contains(&top))
    };
    let md: Vec<&str> = parsed
        .iter()
        .map(|p| p.source.rel.as_str())
        .filter(|rel| !in_glossary(rel))
        .collect();
    let folders = classify(&md, &config.content.section_index);
    report_conflicts(&folders, &parsed, diags);
    let keep = config.urls.keep_names;

    let mut section_index: BTreeMap<String, SectionId> = BTreeMap::new();
    let mut sections: TiVec<SectionId, Section> = TiVec::new();
    for dir in &folders.sections {
        section_index.insert(dir.clone(), sections.next_key());
        sections.push(empty_section(dir, keep, diags));
    }
    let mut pages = Vec::with_capacity(parsed.len());
    let mut glossary = Vec::new();
    for p in parsed {
        let describes = folders.describes.get(&p.source.rel).cloned();
        match (p.source.role, describes) {
            (Role::Glossary, _) => glossary.push(p.into_doc()),
            (_, Some(dir)) => match section_index.get(&dir) {
                Some(&i) => fill_section(&mut sections[i], p, drafts),
                None => diags.push(Diagnostic::warning(
                    &p.source.shown,
                    "this file describes a folder that is not a section and is ignored",
                )),
            },
            (Role::Section, None) => diags.push(Diagnostic::warning(
                &p.source.shown,
                "this _index.md is inside a page bundle or glossary folder and is ignored",
            )),
            (Role::Article, None) => {
                let conflicting = folders.conflicts.iter().any(|(f, _)| *f == p.source.rel);
                if conflicting || (p.parsed.meta.draft && !drafts) {
                    continue;
                }
                pages.push(p);
            }
        }
    }
    link_sections(&mut sections);
    let pages = place_pages(pages, &section_index, &folders, keep, diags);
    let mut site = Site {
        config,
        root: root.to_path_buf(),
        pages,
        sections,
        taxonomies: TiVec::new(),
        graph: Default::default(),
        assets: sources.assets,
        statics: sources.statics,
        warnings: Vec::new(),
        git: Default::default(),
    };
    drop_draft_sections(&mut site, drafts);
    fill_listings(&mut site);
    check_collisions(&mut site, diags);
    (site, glossary)
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `x.md` beside a folder `x/` that has an index file of its own: both claim the folder.
fn report_conflicts(folders: &Folders, parsed: &[ParsedSource], diags: &mut Diagnostics) {
    for (sibling, index) in &folders.conflicts {
        let shown = parsed
            .iter()
            .find(|p| &p.source.rel == sibling)
            .map_or_else(|| format!("content/{sibling}"), |p| p.source.shown.clone());
        diags.push(
            Diagnostic::error(
                &shown,
                format!("`{shown}` and `content/{index}` both describe the folder's page"),
            )
            .with_hint(format!(
                "merge one into the other, or rename `{sibling}`; a folder is described by \
                 its index file, or by a file of the same name beside it, not both"
            )),
        );
    }
}

fn empty_section(dir: &str, keep_names: bool, diags: &mut Diagnostics) -> Section {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    let (path, fallbacks) = dir_path(dir, keep_names);
    for f in fallbacks {
        diags.push(
            Diagnostic::warning(
                format!("content/{dir}"),
                format!("the folder name `{f}` has no letters or digits to make a URL from; its pages are under `/{path}`"),
            )
            .with_hint("rename the folder with a word or two, e.g. `coaching-up`"),
        );
    }
    Section {
        doc: Doc {
            rel: if dir.is_empty() {
                "_index.md".to_owned()
            } else {
                format!("{dir}/_index.md")
            },
            shown: if dir.is_empty() {
                "content".into()
            } else {
                format!("content/{dir}")
            },
            text: std::sync::Arc::from(""),
            meta: Default::default(),
            body_start: 0,
            scan: markdown::scan("", &MarkdownOptions::default()),
            links: HashMap::new(),
        },
        dir: dir.to_owned(),
        title: if dir.is_empty() {
            String::new()
        } else {
            crate::config::capitalise(name)
        },
        path,
        parent: None,
        subsections: Vec::new(),
        pages: Vec::new(),
        source: None,
    }
}

fn fill_section(s: &mut Section, p: ParsedSource, drafts: bool) {
    if let Some(t) = &p.parsed.meta.title {
        s.title = t.clone();
    }
    s.source = Some(p.source.rel.clone());
    s.doc = p.into_doc();
    if s.meta.draft && drafts {
        s.meta.draft = false;
    }
}

fn link_sections(sections: &mut TiSlice<SectionId, Section>) {
    let dirs: TiVec<SectionId, String> = sections.iter().map(|s| s.dir.clone()).collect();
    for (i, dir) in dirs.iter_enumerated().skip(1) {
        let mut parent = parent_dir(dir).to_owned();
        loop {
            if let Some(p) = dirs.position(|d| *d == parent) {
                sections[i].parent = Some(p);
                break;
            }
            parent = parent_dir(&parent).to_owned();
        }
    }
    let mut children: TiVec<SectionId, Vec<SectionId>> = vec![Vec::new(); sections.len()].into();
    for (i, s) in sections.iter_enumerated() {
        if let Some(p) = s.parent {
            children[p].push(i);
        }
    }
    for (i, mut kids) in children.into_iter_enumerated() {
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
    section_index: &BTreeMap<String, SectionId>,
    folders: &Folders,
    keep_names: bool,
    diags: &mut Diagnostics,
) -> TiVec<PageId, Page> {
    let mut pages = TiVec::with_capacity(parsed.len());
    for p in parsed {
        let rel = p.source.rel.clone();
        // A bundle's page takes the folder's name; any other page its file name.
        let bundle = folders.bundles.iter().find(|(_, f)| **f == rel);
        let (dir, stem) = match bundle {
            Some((b, _)) => (
                parent_dir(b).to_owned(),
                b.rsplit('/').next().unwrap_or(b).to_owned(),
            ),
            None => (
                parent_dir(&rel).to_owned(),
                rel.rsplit('/')
                    .next()
                    .unwrap_or(&rel)
                    .trim_end_matches(".md")
                    .to_owned(),
            ),
        };
        let mut sdir = dir.clone();
        let section = loop {
            if let Some(&i) = section_index.get(&sdir) {
                break i;
            }
            if sdir.is_empty() {
                break SectionId::HOME;
            }
            sdir = parent_dir(&sdir).to_owned();
        };
        let slug = page_slug(&p, &stem, keep_names, diags);
        // The page's own folder path: its section's, plus any folders between (a bundle's
        // parent may itself be a bundle-free folder without a section); or the whole path
        // the old tool gave it.
        let (dir_url, _) = dir_path(&dir, keep_names);
        let path = match p
            .parsed
            .meta
            .url
            .as_deref()
            .map(|u| url_path(u, keep_names))
        {
            Some(path) if !path.is_empty() => path,
            _ => format!("{dir_url}{slug}/"),
        };
        let old_paths = if keep_names || p.parsed.meta.slug.is_some() {
            Vec::new()
        } else {
            let (kept_dir, fell) = dir_path(&dir, true);
            let kept = segment(&stem, true);
            let old = format!("{kept_dir}{}/", kept.text);
            if kept.fallback || !fell.is_empty() || old == path {
                Vec::new()
            } else {
                vec![old]
            }
        };
        let title = p.parsed.meta.title.clone().unwrap_or_default();
        pages.push(Page {
            doc: p.into_doc(),
            title,
            slug,
            path,
            section,
            outgoing: Vec::new(),
            assets: Vec::new(),
            old_paths,
        });
    }
    pages
}

/// The URL path for a whole path another tool gave a page (`team/values` → `team/values/`):
/// each segment made URL-safe as folder names are; empty, `.` and `..` segments are left
/// out, so the path stays inside the site.
fn url_path(url: &str, keep_names: bool) -> String {
    let mut path = String::new();
    for seg in url.split('/').filter(|s| !matches!(*s, "" | "." | "..")) {
        path.push_str(&segment(seg, keep_names).text);
        path.push('/');
    }
    path
}

/// The page's URL slug: `slug:` from front matter (an error if it has nothing usable), else
/// its file (or bundle folder) name, with a hashed fallback and a warning for a name that has
/// nothing usable.
fn page_slug(p: &ParsedSource, stem: &str, keep_names: bool, diags: &mut Diagnostics) -> String {
    if let Some(s) = &p.parsed.meta.slug {
        let clean = slug::slugify(s);
        if !clean.is_empty() {
            return clean;
        }
        diags.push(
            Diagnostic::error(
                &p.source.shown,
                format!("slug `{s}` has no letters or digits"),
            )
            .at(&p.source.text, p.parsed.meta.span_of("slug"))
            .with_hint("use lower-case words joined by `-`, e.g. `ask-for-clarity`"),
        );
        return segment(s, false).text;
    }
    let seg = segment(stem, keep_names);
    if seg.fallback {
        diags.push(
            Diagnostic::warning(
                &p.source.shown,
                format!(
                    "the file name `{stem}` has no letters or digits to make a URL from; using `{}`",
                    seg.text
                ),
            )
            .with_hint("rename the file with a word or two, or set `slug:` in its front matter"),
        );
    }
    seg.text
}

/// Without `--drafts`, a section marked `draft` disappears with everything in it.
fn drop_draft_sections(site: &mut Site, drafts: bool) {
    if drafts {
        return;
    }
    let hidden: TiVec<SectionId, bool> = site
        .sections
        .keys()
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
    let mut new_index: TiVec<SectionId, Option<SectionId>> = vec![None; hidden.len()].into();
    let mut next = 0;
    for (old, &h) in hidden.iter_enumerated() {
        if !h {
            new_index[old] = Some(SectionId::from(next));
            next += 1;
        }
    }
    let old_sections = std::mem::take(&mut site.sections);
    for (old, mut s) in old_sections.into_iter_enumerated() {
        if hidden[old] {
            continue;
        }
        s.parent = s.parent.and_then(|p| new_index[p]);
        s.subsections = s.subsections.iter().filter_map(|&c| new_index[c]).collect();
        site.sections.push(s);
    }
    for p in &mut site.pages {
        p.section = new_index[p.section].unwrap_or(SectionId::HOME);
    }
}

/// Lists each section's pages in its sort order (`sort_by` in `_index.md`).
fn fill_listings(site: &mut Site) {
    for s in &mut site.sections {
        s.pages.clear();
    }
    for (id, p) in site.pages.iter_enumerated() {
        site.sections[p.section].pages.push(id);
    }
    let pages = &site.pages;
    for s in &mut site.sections {
        let by = s.sort_by();
        s.pages
            .sort_by(|&a, &b| listing_order(by, &pages[a], &pages[b]));
    }
}

/// The order of every listing of pages: by `by` (dates newest first), then by title, then by
/// source path, so no two pages tie. Section listings sort with it, term pages with
/// [`SortBy::Date`]; `serve` asks it whether a retitled page keeps its place.
pub fn listing_order(by: SortBy, a: &Page, b: &Page) -> Ordering {
    let primary = match by {
        SortBy::Date => b.meta.date.cmp(&a.meta.date),
        SortBy::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        SortBy::Weight => weight_key(a.meta.weight).cmp(&weight_key(b.meta.weight)),
        SortBy::Series => series_key(a).cmp(&series_key(b)),
    };
    primary
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.rel.cmp(&b.rel))
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
