//! `graph.json`: the knowledge graph (articles, taxonomy terms, and the links, memberships,
//! pairs and series between them) for other tools. The format is documented, with an
//! example, in `docs/graph.md`; change both together.
//!
//! Node ids are output paths (`tips/ask/`, `concepts/trust/`): unique across the site (the
//! model refuses colliding paths) and directly usable as URLs below `base_url`. Everything is
//! listed in a fixed order so two builds of the same content are byte-identical.

use serde::Serialize;

use crate::model::Site;

/// Bumped when a field changes meaning or disappears (adding fields does not bump it).
const FORMAT_VERSION: u32 = 1;

/// A node: an article or a taxonomy term.
#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    path: &'a str,
    /// Articles: source file below `content/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// Articles: path of the section listing them.
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    /// Articles: publication date (`null` when the article has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Option<String>>,
    /// Articles: the content kind (`principle`), when the section has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    article_kind: Option<&'a str>,
    /// Terms: the taxonomy's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    taxonomy: Option<&'a str>,
    /// Terms: normalised slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    /// Terms: number of articles carrying the term.
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
}

/// A directed edge between two node ids.
#[derive(Serialize)]
struct Edge<'a> {
    kind: &'static str,
    source: &'a str,
    target: &'a str,
    /// Term edges: the taxonomy.
    #[serde(skip_serializing_if = "Option::is_none")]
    taxonomy: Option<&'a str>,
    /// Series edges: the series name.
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<&'a str>,
    /// Series edges: the source's position in the series (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<usize>,
}

impl<'a> Edge<'a> {
    fn new(kind: &'static str, source: &'a str, target: &'a str) -> Self {
        Edge {
            kind,
            source,
            target,
            taxonomy: None,
            series: None,
            order: None,
        }
    }
}

/// The node and edge kind of membership in taxonomy `name`.
fn term_kind(name: &str) -> &'static str {
    match name {
        "concepts" => "concept",
        "authors" => "author",
        _ => "term",
    }
}

/// The whole `graph.json` text: one node or edge per line, so diffs stay readable.
pub(super) fn json(site: &Site) -> String {
    let generator = format!("binder {}", env!("CARGO_PKG_VERSION"));
    let mut out = format!(
        "{{\n\"version\": {FORMAT_VERSION},\n\"generator\": {},\n\"base_url\": {},\n",
        serde_json::Value::from(generator),
        serde_json::Value::from(site.config.base_url.as_str()),
    );
    push_list(&mut out, "nodes", &nodes(site));
    out.push_str(",\n");
    push_list(&mut out, "edges", &edges(site));
    out.push_str("\n}\n");
    out
}

fn push_list<T: Serialize>(out: &mut String, name: &str, items: &[T]) {
    out.push_str(&format!("\"{name}\": ["));
    for (i, item) in items.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        // Plain structs of strings and numbers: serialising them cannot fail.
        out.push_str(&serde_json::to_string(item).unwrap_or_default());
    }
    out.push_str(if items.is_empty() { "]" } else { "\n]" });
}

/// Articles in source-path order, then each taxonomy's terms (config order, then slug).
fn nodes(site: &Site) -> Vec<Node<'_>> {
    let articles = site.pages.iter_enumerated().map(|(id, p)| Node {
        id: &p.path,
        kind: "article",
        title: &p.title,
        path: &p.path,
        source: Some(&p.rel),
        section: Some(&site.sections[p.section].path),
        date: Some(p.meta.date.map(|d| d.ymd())),
        article_kind: crate::kinds::kind_of(site, id).map(|k| k.name),
        taxonomy: None,
        slug: None,
        count: None,
    });
    let terms = site.taxonomies.iter().flat_map(|t| {
        t.terms.iter().map(move |term| Node {
            id: &term.path,
            kind: term_kind(&t.name),
            title: &term.name,
            path: &term.path,
            source: None,
            section: None,
            date: None,
            article_kind: None,
            taxonomy: Some(&t.name),
            slug: Some(&term.slug),
            count: Some(term.pages.len()),
        })
    });
    articles.chain(terms).collect()
}

/// Links, then term memberships (per taxonomy), then pairs, then series steps; within a
/// kind by source, then target, in node order.
fn edges(site: &Site) -> Vec<Edge<'_>> {
    let pages = &site.pages;
    let mut edges = Vec::new();
    for p in pages {
        let mut targets = p.outgoing.clone();
        targets.sort_unstable();
        edges.extend(
            targets
                .into_iter()
                .map(|t| Edge::new("link", &p.path, &pages[t].path)),
        );
    }
    for t in &site.taxonomies {
        for (id, terms) in t.page_terms.iter_enumerated() {
            let mut terms = terms.clone();
            terms.sort_unstable();
            terms.dedup();
            for i in terms {
                let e = Edge::new(term_kind(&t.name), &pages[id].path, &t.terms[i].path);
                edges.push(Edge {
                    taxonomy: Some(&t.name),
                    ..e
                });
            }
        }
    }
    for (a, partner) in site.graph.pair.iter_enumerated() {
        // A pair is mutual: list it once, from the page that sorts first.
        if let Some(b) = partner.filter(|&b| b > a) {
            edges.push(Edge::new("pair", &pages[a].path, &pages[b].path));
        }
    }
    for s in &site.graph.series {
        for (i, w) in s.parts.windows(2).enumerate() {
            let e = Edge::new("series", &pages[w[0]].path, &pages[w[1]].path);
            edges.push(Edge {
                series: Some(&s.name),
                order: Some(i + 1),
                ..e
            });
        }
    }
    // Reading paths: from the path's page to each entry, with its position on the path.
    for rp in crate::paths::paths(site) {
        for (i, (entry, _)) in rp.entries.iter().enumerate() {
            let e = Edge::new("path", &pages[rp.page].path, &pages[*entry].path);
            edges.push(Edge {
                order: Some(i + 1),
                ..e
            });
        }
    }
    edges
}
