//! URL collisions: two sources, a source and a generated page, or an alias and anything
//! else mapping to one URL is an error naming both.

use std::collections::{BTreeMap, BTreeSet};

use super::urls::alias_path;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;

/// Two sources (or a source and a generated page) mapping to one URL is an error naming both.
/// Old paths that another output already owns are dropped (a redirect is a courtesy, never
/// worth a collision).
pub(super) fn check_collisions(site: &mut Site, diags: &mut Diagnostics) {
    let owners = check_owners(site, diags);
    let redirects = site.config.front_matter.aliases == crate::config::AliasMeaning::Redirects;
    let mut taken: BTreeSet<String> = site
        .pages
        .iter()
        .filter(|_| redirects)
        .flat_map(|p| p.meta.aliases.iter())
        .filter_map(|a| alias_path(a).ok())
        .collect();
    for i in (0..site.pages.len()).map(crate::model::PageId::from) {
        let old = std::mem::take(&mut site.pages[i].old_paths);
        let kept: Vec<String> = old
            .into_iter()
            .filter(|o| alias_owner(site, &owners, o).is_none() && !taken.contains(o))
            .collect();
        taken.extend(kept.iter().cloned());
        site.pages[i].old_paths = kept;
    }
}

fn check_owners(site: &Site, diags: &mut Diagnostics) -> BTreeMap<String, String> {
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    for name in crate::model::RESERVED_PATHS {
        owners.insert(
            (*name).to_owned(),
            format!("binder's own `/{name}` page (pairs, questions and print are built in)"),
        );
    }
    // `binder serve` answers these itself, so a file there would be served differently
    // from how it is built.
    for (path, what) in SERVE_PATHS {
        owners.insert((*path).to_owned(), (*what).to_owned());
    }
    for t in &site.config.taxonomies {
        owners.insert(
            format!("{}/", t.name),
            format!("the `{}` taxonomy list", t.name),
        );
    }
    // Pages 2, 3 … of a section's listing (page 1 is the section's own URL): an article at
    // `tips/page/2/` would otherwise meet the listing only in the output registry, unlocated.
    for s in &site.sections {
        let n = s.pages.len().div_ceil(s.paginate_by());
        for k in 2..=n {
            owners.insert(
                format!("{}page/{k}/", s.path),
                format!("page {k} of the listing of {}", s.shown),
            );
        }
    }
    let mut claim = |path: &str, who: &str, d: Diagnostic| {
        match owners.get(path) {
        Some(first) => diags.push(d.with_hint(format!(
            "{first} already produces `/{path}`; rename this file or set a different `slug:` in its front matter"
        ))),
        None => {
            owners.insert(path.to_owned(), who.to_owned());
        }
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
    if site.config.front_matter.aliases == crate::config::AliasMeaning::Redirects {
        check_aliases(site, &owners, diags);
    }
    check_files(site, &owners, diags);
    owners
}

/// A file under `static/` or `content/` copied to a path that a generated page or file owns
/// (`static/tips/ask/index.html` beside `content/tips/ask.md`, `static/atom.xml`) is an error
/// naming both: otherwise which one lands in the output would depend on write order.
fn check_files(site: &Site, owners: &BTreeMap<String, String>, diags: &mut Diagnostics) {
    let static_dir = site.root.join("static");
    let mut files: Vec<(String, String)> = Vec::new();
    if static_dir.is_dir() {
        for e in walkdir::WalkDir::new(&static_dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(rel) = e.path().strip_prefix(&static_dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.push((format!("static/{rel}"), rel));
            }
        }
    }
    files.extend(
        site.assets
            .iter()
            .map(|a| (format!("content/{}", a.rel), a.rel.clone())),
    );
    for (shown, rel) in files {
        let page_path = if rel == "index.html" {
            Some(String::new())
        } else {
            rel.strip_suffix("/index.html").map(|d| format!("{d}/"))
        };
        let owner = match &page_path {
            Some(p) if p.is_empty() => Some("the home page".to_owned()),
            Some(p) => alias_owner(site, owners, p),
            // A site's own robots.txt replaces the generated one on purpose.
            None if rel == "robots.txt" => None,
            None => alias_owner(site, owners, &rel).filter(|_| generated_file(site, &rel)),
        };
        if let Some(owner) = owner {
            diags.push(
                Diagnostic::error(
                    &shown,
                    format!(
                        "`{shown}` would be copied to `/{rel}`, which is already {}",
                        owned_by(&owner)
                    ),
                )
                .with_hint(format!(
                    "rename or remove `{shown}`: a copied file may not replace a page or a file \
                     binder generates"
                )),
            );
        }
    }
}

/// A file path (not a page folder) that binder writes itself.
fn generated_file(site: &Site, rel: &str) -> bool {
    let first = rel.split('/').next().unwrap_or("");
    let last = rel.rsplit('/').next().unwrap_or("");
    GENERATED_FILES.contains(&first)
        || last == "atom.xml"
        || site.config.taxonomies.iter().any(|t| first == t.name)
        || rel == "graph.json"
}

/// Files binder writes at the top of the output, and the folders `binder serve` answers
/// itself; an alias or a static file may not replace one.
const GENERATED_FILES: &[&str] = &[
    "index.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "search",
    "_health",
    "__binder",
];

/// What `binder serve` serves at these paths instead of the site's files.
const SERVE_PATHS: &[(&str, &str)] = &[
    (
        "_health/",
        "the health report `binder serve` shows at `/_health/`",
    ),
    ("__binder/", "`binder serve`'s own files at `/__binder/`"),
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
    if let Some(s) = site.sections.iter().find(|s| {
        path.strip_prefix(s.path.as_str())
            .is_some_and(|rest| rest.starts_with("page/"))
    }) {
        return Some(format!("the pagination pages of {}", s.shown));
    }
    // Name what binder writes, not the path asked for: an alias `/sitemap.xml` would be the
    // folder `sitemap.xml/`, which collides with the file `sitemap.xml`.
    if GENERATED_FILES.contains(&first) {
        return Some(if first.contains('.') {
            format!("binder's own generated file `/{first}`")
        } else {
            format!("binder's own generated pages `/{first}/`")
        });
    }
    (last == "atom.xml").then(|| {
        let feed = path.trim_end_matches('/');
        format!("binder's own generated file `/{feed}`")
    })
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
                    .with_hint(if owner.starts_with("binder's own") {
                        "remove the alias, or give it a path binder does not write itself"
                            .to_owned()
                    } else {
                        format!("remove the alias: {owner} already produces `/{path}`")
                    }),
                ),
                None => {
                    seen.insert(path, p.shown.clone());
                }
            }
        }
    }
}

/// "produced by X", or "X" itself when X already says it is binder's.
fn owned_by(owner: &str) -> String {
    if owner.starts_with("binder's own") {
        owner.to_owned()
    } else {
        format!("produced by {owner}")
    }
}
