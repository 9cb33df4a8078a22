//! Glossary relations (taxonomy stage): the `aliases`, `parent` and `see_also` keys of
//! `content/<taxonomy>/<slug>.md` → a synonym map used while collecting terms, and each
//! term's parent, children and see-also terms for the term pages and the concept index.
//!
//! Synonyms are resolved before terms are collected, so an article tagged `managing up`
//! lands on `coaching-up` exactly as if it had said so. A parent cycle, a dangling `parent`
//! or `see_also`, and a synonym claimed twice are errors naming the files involved.

use std::collections::HashMap;

pub mod views;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Glossary, Taxonomy, TermIx, TiVec};
use typed_index_collections::ti_vec;

/// The term slug a glossary entry's file name gives (`concepts/coaching-up` → `coaching-up`).
fn entry_slug(key: &str) -> String {
    slug::slugify(key.split_once('/').map_or(key, |(_, s)| s))
}

/// Synonym slug → canonical slug for taxonomy `name`, from the glossary entries (keyed
/// `name/<slug>`). Conflicts are reported into `diags` and left out of the map.
pub fn synonyms(
    name: &str,
    glossary: &[(&str, &Glossary)],
    diags: &mut Diagnostics,
) -> HashMap<String, String> {
    let prefix = format!("{name}/");
    let entries: Vec<(String, &Glossary)> = glossary
        .iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(k, g)| (entry_slug(k), *g))
        .collect();
    let own: HashMap<&str, &Glossary> = entries.iter().map(|(s, g)| (s.as_str(), *g)).collect();
    let mut map: HashMap<String, String> = HashMap::new();
    let mut claimed_by: HashMap<String, &Glossary> = HashMap::new();
    for (slug, g) in &entries {
        for alias in &g.meta.aliases {
            let a = slug::slugify(alias);
            if a.is_empty() || a == *slug {
                continue;
            }
            let at = |d: Diagnostic| d.at(&g.text, g.meta.span_of("aliases"));
            if let Some(other) = own.get(a.as_str()) {
                diags.push(
                    at(Diagnostic::error(
                        &g.shown,
                        format!(
                            "the synonym `{alias}` is itself a concept, defined in {}",
                            other.shown
                        ),
                    ))
                    .with_hint(format!(
                        "remove `{alias}` from `aliases`, or merge {} into {}",
                        other.shown, g.shown
                    )),
                );
            } else if let Some(first) = claimed_by.get(&a) {
                map.remove(&a);
                diags.push(
                    at(Diagnostic::error(
                        &g.shown,
                        format!(
                            "the synonym `{alias}` is claimed by two concepts: {} and {}",
                            first.shown, g.shown
                        ),
                    ))
                    .with_hint("a synonym names one concept: keep it in only one of the two `aliases` lists"),
                );
            } else {
                claimed_by.insert(a.clone(), g);
                map.insert(a, slug.clone());
            }
        }
    }
    map
}

/// Each term's parent, children and see-also terms, as indexes into `Taxonomy::terms`.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    /// Parent term.
    pub parent: TiVec<TermIx, Option<TermIx>>,
    /// Child terms, by slug.
    pub children: TiVec<TermIx, Vec<TermIx>>,
    /// See-also terms, in the order written.
    pub see_also: TiVec<TermIx, Vec<TermIx>>,
}

impl Relations {
    /// Terms without a parent, by slug: the roots of the hierarchy.
    pub fn roots(&self) -> Vec<TermIx> {
        (self.parent.iter_enumerated())
            .filter(|(_, p)| p.is_none())
            .map(|(i, _)| i)
            .collect()
    }
}

/// Looks a concept name up by slug, then by synonym.
fn lookup(t: &Taxonomy, name: &str) -> Option<TermIx> {
    let s = slug::slugify(name);
    t.terms.position(|term| term.slug == s).or_else(|| {
        t.terms.position(|term| {
            term.glossary
                .as_ref()
                .is_some_and(|g| g.meta.aliases.iter().any(|a| slug::slugify(a) == s))
        })
    })
}

/// The relations of taxonomy `t` (unresolvable names are skipped: [`check`] reports them).
pub fn relations(t: &Taxonomy) -> Relations {
    let n = t.terms.len();
    let mut r = Relations {
        parent: ti_vec![None; n],
        children: ti_vec![Vec::new(); n],
        see_also: ti_vec![Vec::new(); n],
    };
    if t.terms.iter().all(|term| term.glossary.is_none()) {
        return r; // authors and most custom taxonomies: nothing to resolve
    }
    let mut names: HashMap<String, TermIx> = HashMap::new();
    for (i, term) in t.terms.iter_enumerated() {
        for a in term.glossary.iter().flat_map(|g| g.meta.aliases.iter()) {
            names.entry(slug::slugify(a)).or_insert(i);
        }
    }
    for (i, term) in t.terms.iter_enumerated() {
        names.insert(term.slug.clone(), i); // a term's own slug beats a synonym
    }
    let find = |name: &str| names.get(&slug::slugify(name)).copied();
    for (i, term) in t.terms.iter_enumerated() {
        let Some(g) = &term.glossary else { continue };
        r.parent[i] = g.meta.parent.as_deref().and_then(find).filter(|&p| p != i);
        let mut seen = Vec::new();
        for s in &g.meta.see_also {
            if let Some(j) = find(s).filter(|&j| j != i && !seen.contains(&j)) {
                seen.push(j);
            }
        }
        r.see_also[i] = seen;
    }
    for i in t.terms.keys() {
        if let Some(p) = r.parent[i] {
            r.children[p].push(i);
        }
    }
    r
}

/// Dangling `parent` and `see_also` names and parent cycles, as errors.
pub fn check(t: &Taxonomy, diags: &mut Diagnostics) {
    let slugs: Vec<&str> = t.terms.iter().map(|term| term.slug.as_str()).collect();
    for term in &t.terms {
        let Some(g) = &term.glossary else { continue };
        let names = g
            .meta
            .parent
            .iter()
            .map(|p| ("parent", p))
            .chain(g.meta.see_also.iter().map(|s| ("see_also", s)));
        for (key, name) in names {
            if key == "parent" && slug::slugify(name) == term.slug {
                diags.push(
                    Diagnostic::error(&g.shown, format!("`{name}` is its own parent"))
                        .at(&g.text, g.meta.span_of("parent"))
                        .with_hint("name a broader concept, or remove `parent`"),
                );
            } else if lookup(t, name).is_none() {
                let hint = did_you_mean(&slug::slugify(name), slugs.iter().copied())
                    .unwrap_or_else(|| {
                        format!(
                            "create content/{}/{}.md, or name an existing concept",
                            t.name,
                            slug::slugify(name)
                        )
                    });
                diags.push(
                    Diagnostic::error(
                        &g.shown,
                        format!(
                            "{key}: `{name}` is not a concept (no content/{}/{}.md and no synonym)",
                            t.name,
                            slug::slugify(name)
                        ),
                    )
                    .at(&g.text, g.meta.span_of(key))
                    .with_hint(hint),
                );
            }
        }
    }
    report_cycles(t, &relations(t), diags);
}

fn report_cycles(t: &Taxonomy, r: &Relations, diags: &mut Diagnostics) {
    let mut reported: Vec<TermIx> = Vec::new();
    for start in t.terms.keys() {
        let mut chain = vec![start];
        let mut cur = r.parent[start];
        while let Some(p) = cur {
            if p == start {
                break;
            }
            if chain.contains(&p) || chain.len() > t.terms.len() {
                cur = None; // a cycle that does not pass through `start`: reported from it
                break;
            }
            chain.push(p);
            cur = r.parent[p];
        }
        let in_cycle = cur == Some(start);
        if !in_cycle || chain.iter().any(|c| reported.contains(c)) {
            continue;
        }
        reported.extend(&chain);
        let Some(g) = &t.terms[start].glossary else {
            continue;
        };
        let files: Vec<&str> = chain
            .iter()
            .filter_map(|&c| t.terms[c].glossary.as_ref().map(|g| g.shown.as_str()))
            .collect();
        let path: Vec<&str> = chain
            .iter()
            .chain(std::iter::once(&start))
            .map(|&c| t.terms[c].slug.as_str())
            .collect();
        diags.push(
            Diagnostic::error(
                &g.shown,
                format!(
                    "parent cycle: {} (in {})",
                    path.join(" → "),
                    files.join(" and ")
                ),
            )
            .at(&g.text, g.meta.span_of("parent"))
            .with_hint("a concept's parent must be broader than it: remove `parent` from one of these files"),
        );
    }
}
