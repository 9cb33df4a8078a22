//! URL collisions: two sources, a source and a generated page, or an alias and anything
//! else mapping to one URL is an error naming both.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;

/// Two sources (or a source and a generated page) mapping to one URL is an error naming both.
pub(super) fn check_collisions(site: &Site, diags: &mut Diagnostics) {
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
