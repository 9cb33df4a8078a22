//! Template views of the glossary relations: a term page's synonyms, parent, children and
//! see-also terms, and the hierarchy the concept index shows.

use serde::Serialize;

use super::{Relations, relations};
use crate::model::{Taxonomy, TermIx, TiVec};
use typed_index_collections::ti_vec;

/// A related term: `{name, slug, path, count}`.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct TermLink<'a> {
    /// Display name.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Term page path.
    pub path: &'a str,
    /// Articles carrying the term.
    pub count: usize,
}

/// The relation fields of the `term` variable.
#[derive(Serialize, Debug, Default)]
pub struct TermRelations<'a> {
    /// Synonyms from the glossary entry's `aliases`.
    pub aliases: &'a [String],
    /// The broader term.
    pub parent: Option<TermLink<'a>>,
    /// Narrower terms, by name.
    pub children: Vec<TermLink<'a>>,
    /// Related terms, in the order written.
    pub see_also: Vec<TermLink<'a>>,
}

fn link(t: &Taxonomy, i: TermIx) -> TermLink<'_> {
    let term = &t.terms[i];
    TermLink {
        name: &term.name,
        slug: &term.slug,
        path: &term.path,
        count: term.pages.len(),
    }
}

fn by_name<'a>(t: &'a Taxonomy, ids: &[TermIx]) -> Vec<TermLink<'a>> {
    let mut out: Vec<TermLink<'a>> = ids.iter().map(|&i| link(t, i)).collect();
    out.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.slug.cmp(b.slug))
    });
    out
}

/// The relations of term `i` of `t`.
pub fn term_relations(t: &Taxonomy, i: TermIx) -> TermRelations<'_> {
    let r = relations(t);
    TermRelations {
        aliases: t.terms[i]
            .glossary
            .as_ref()
            .map_or(&[], |g| g.meta.aliases.as_slice()),
        parent: r.parent[i].map(|p| link(t, p)),
        children: by_name(t, &r.children[i]),
        see_also: r.see_also[i].iter().map(|&j| link(t, j)).collect(),
    }
}

/// A term in the concept index's hierarchy.
#[derive(Serialize, Debug)]
pub struct TreeNode<'a> {
    /// The term.
    #[serde(flatten)]
    pub term: TermLink<'a>,
    /// Narrower terms, by name.
    pub children: Vec<TreeNode<'a>>,
}

/// The terms of `t` as a forest: roots by name, each with its children.
pub fn tree(t: &Taxonomy) -> Vec<TreeNode<'_>> {
    let r = relations(t);
    let roots: Vec<TermIx> = r.roots();
    let mut visited = ti_vec![false; t.terms.len()];
    nodes(t, &r, &roots, &mut visited)
}

fn nodes<'a>(
    t: &'a Taxonomy,
    r: &Relations,
    ids: &[TermIx],
    visited: &mut TiVec<TermIx, bool>,
) -> Vec<TreeNode<'a>> {
    let mut out = Vec::new();
    for l in by_name(t, ids) {
        let Some(i) = t.terms.position(|term| term.slug == l.slug) else {
            continue;
        };
        // Cycles are build errors; never recurse into one in a lenient `check` model.
        if std::mem::replace(&mut visited[i], true) {
            continue;
        }
        out.push(TreeNode {
            term: l,
            children: nodes(t, r, &r.children[i], visited),
        });
    }
    out
}
