//! The concept map on `/concepts/`: the taxonomy's terms in, an inline SVG string out, drawn
//! at build time so it needs no script.
//!
//! Each concept is a circle sized by its article count (area ∝ count) with its name beside
//! it, and links to its term page; a line joins two concepts that share articles, thicker
//! when they share more. Only each concept's strongest links are drawn (see `layout`),
//! and at most [`MAX_NODES`] concepts (the most used), so the map stays readable. Colours
//! come from the theme's CSS custom properties with `currentColor` fallbacks, so the map
//! follows dark mode and still works under a theme that defines none of them. Accessibility:
//! the `<svg>` is a labelled group (not `role="img"`, which would hide its links from
//! assistive technology) with a `<title>` and `<desc>`; every node link has a `<title>`.
//! Their words are the theme's (`concept_map_title`, `concept_map_desc`, `n_articles` …),
//! in the site's language.

mod layout;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::RendererWords;
use crate::html::escape;
use crate::model::{Site, Taxonomy, TaxonomyId, TermIx, TiVec};
use crate::render::i18n::plural_category;
use layout::{Edge, Layout, R_MAX};
use typed_index_collections::ti_vec;

/// Most concepts drawn; beyond this a ring of labels is no longer readable.
pub const MAX_NODES: usize = 60;
/// Label font size (px in the SVG's own units).
const FONT: f64 = 13.0;
/// Longest label, in characters (the full name stays in the node's `<title>`).
const MAX_LABEL: usize = 28;
/// Space between a node and its label.
const LABEL_GAP: f64 = 6.0;
/// Space around the drawing.
const MARGIN: f64 = 8.0;

/// SVG markup for taxonomy `t`, with links relative to `root`; empty if it has no terms.
pub fn svg(site: &Site, t: TaxonomyId, root: &str) -> String {
    let tax = &site.taxonomies[t];
    let shown = chosen_terms(tax);
    if shown.is_empty() {
        return String::new();
    }
    let counts: Vec<usize> = shown.iter().map(|&i| tax.terms[i].pages.len()).collect();
    let l = layout::layout(&counts, &co_occurrence(tax, &shown));
    let labels: Vec<String> = shown.iter().map(|&i| label(&tax.terms[i].name)).collect();
    let half = half_size(&l, &labels);
    let mut out = String::new();
    let size = num(2.0 * half);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"concept-map-svg\" viewBox=\"{m} {m} {size} {size}\" width=\"{size}\" height=\"{size}\" role=\"group\" aria-labelledby=\"concept-map-title\" aria-describedby=\"concept-map-desc\">",
        m = num(-half),
    );
    let words = Words {
        table: &site.config.renderer_words,
        language: &site.config.language,
    };
    let title = RendererWords::word(
        Some(words.table),
        "concept_map_title",
        "Map of {lower}",
        &[
            ("taxonomy", &tax.title),
            ("lower", &tax.title.to_lowercase()),
        ],
    );
    let _ = writeln!(
        out,
        "<title id=\"concept-map-title\">{}</title>",
        escape(&title)
    );
    let _ = writeln!(
        out,
        "<desc id=\"concept-map-desc\">{}</desc>",
        escape(&description(tax, &shown, &words))
    );
    out.push_str(STYLE);
    draw_edges(&mut out, tax, &shown, &l, &words);
    draw_nodes(&mut out, (tax, &shown, &l), &labels, root, &words);
    out.push_str("</svg>\n");
    out
}

/// Scoped to the map; custom properties of the default theme, `currentColor` otherwise.
const STYLE: &str = "<style>\
.concept-map-svg{font-family:var(--font-sans,system-ui,sans-serif)}\
.concept-map-svg .cm-edge{fill:none;stroke:var(--muted,currentColor);stroke-opacity:.6;stroke-linecap:round}\
.concept-map-svg .cm-node circle{fill:var(--chip-bg,transparent);stroke:var(--link,currentColor);stroke-width:2}\
.concept-map-svg .cm-node text{fill:currentColor;font-size:13px}\
.concept-map-svg .cm-node:hover circle,.concept-map-svg .cm-node:focus-visible circle{fill:var(--link,currentColor)}\
.concept-map-svg .cm-node:hover text,.concept-map-svg .cm-node:focus-visible text{text-decoration:underline}\
</style>\n";

/// Terms to draw: the most used first (then by name), at most [`MAX_NODES`].
fn chosen_terms(tax: &Taxonomy) -> Vec<TermIx> {
    let mut order: Vec<TermIx> = tax.terms.keys().collect();
    order.sort_by_cached_key(|&i| {
        (
            std::cmp::Reverse(tax.terms[i].pages.len()),
            tax.terms[i].name.to_lowercase(),
            tax.terms[i].slug.clone(),
        )
    });
    order.truncate(MAX_NODES);
    order
}

/// How many articles each pair of drawn concepts shares, as edges between node indexes.
fn co_occurrence(tax: &Taxonomy, shown: &[TermIx]) -> Vec<Edge> {
    let mut node_of: TiVec<TermIx, Option<usize>> = ti_vec![None; tax.terms.len()];
    for (node, &term) in shown.iter().enumerate() {
        node_of[term] = Some(node);
    }
    let mut weights: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for terms in &tax.page_terms {
        let mut nodes: Vec<usize> = terms
            .iter()
            .filter_map(|&t| node_of.get(t).copied().flatten())
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                *weights.entry((a, b)).or_default() += 1;
            }
        }
    }
    weights
        .into_iter()
        .map(|((a, b), weight)| Edge { a, b, weight })
        .collect()
}

fn draw_edges(out: &mut String, tax: &Taxonomy, shown: &[TermIx], l: &Layout, words: &Words) {
    let max = l.edges.iter().map(|e| e.weight).max().unwrap_or(1);
    out.push_str("<g class=\"cm-edges\" aria-hidden=\"true\">\n");
    for e in &l.edges {
        let (p, q) = (l.nodes[e.a], l.nodes[e.b]);
        // The control point is the chord's midpoint pulled towards the centre, more for long
        // chords than short ones: neighbours get a gentle arc, distant pairs a bundled curve.
        let chord = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt() / (2.0 * l.ring.max(1.0));
        let pull = 0.5 * (0.8 - 0.5 * chord);
        let (cx, cy) = ((p.x + q.x) * pull, (p.y + q.y) * pull);
        let width = if max > 1 {
            1.0 + 3.0 * f64::from(e.weight - 1) / f64::from(max - 1)
        } else {
            1.5
        };
        let (a, b) = (&tax.terms[shown[e.a]].name, &tax.terms[shown[e.b]].name);
        let shared = words.count(
            "n_shared_articles",
            e.weight as usize,
            ("{count} shared article", "{count} shared articles"),
            &[],
        );
        let title = RendererWords::word(
            Some(words.table),
            "concept_map_edge",
            "{a} and {b}: {shared}",
            &[("a", a), ("b", b), ("shared", &shared)],
        );
        let _ = writeln!(
            out,
            "<path class=\"cm-edge\" d=\"M{} {}Q{} {} {} {}\" stroke-width=\"{}\"><title>{}</title></path>",
            num(p.x),
            num(p.y),
            num(cx),
            num(cy),
            num(q.x),
            num(q.y),
            num(width),
            escape(&title),
        );
    }
    out.push_str("</g>\n");
}

fn draw_nodes(
    out: &mut String,
    (tax, shown, l): (&Taxonomy, &[TermIx], &Layout),
    labels: &[String],
    root: &str,
    words: &Words,
) {
    out.push_str("<g class=\"cm-nodes\">\n");
    for (node, &i) in shown.iter().enumerate() {
        let term = &tax.terms[i];
        let p = l.nodes[node];
        let (tx, ty, rotate, anchor) = label_position(l, node);
        let _ = writeln!(
            out,
            "<a class=\"cm-node\" href=\"{}{}\"><title>{}: {}</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\"/><text x=\"{}\" y=\"{}\" dy=\".35em\" text-anchor=\"{anchor}\" transform=\"rotate({} {} {})\">{}</text></a>",
            escape(root),
            escape(&term.path),
            escape(&term.name),
            words.count(
                "n_articles",
                term.pages.len(),
                ("{count} article", "{count} articles"),
                &[],
            ),
            num(p.x),
            num(p.y),
            num(p.r),
            num(tx),
            num(ty),
            num(rotate),
            num(tx),
            num(ty),
            escape(&labels[node]),
        );
    }
    out.push_str("</g>\n");
}

/// Where a node's label starts, its rotation (degrees) and anchor: radially outward, turned
/// the right way up on the left half of the ring.
fn label_position(l: &Layout, node: usize) -> (f64, f64, f64, &'static str) {
    let p = l.nodes[node];
    let rho = l.ring + p.r + LABEL_GAP;
    let (x, y) = (rho * p.angle.cos(), rho * p.angle.sin());
    let degrees = p.angle.to_degrees();
    if p.angle.cos() < -1e-9 {
        (x, y, degrees + 180.0, "end")
    } else {
        (x, y, degrees, "start")
    }
}

/// Half the side of the square viewBox: the ring plus its longest label, plus a margin.
fn half_size(l: &Layout, labels: &[String]) -> f64 {
    let ring = l.ring + R_MAX;
    let longest = l
        .nodes
        .iter()
        .zip(labels)
        .map(|(p, text)| l.ring + p.r + LABEL_GAP + text_width(text))
        .fold(ring, f64::max);
    longest + MARGIN
}

/// A generous estimate of rendered text width (no font metrics at build time): wide
/// characters (CJK and the like) count double.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) < 0x2e80 { 0.62 } else { 1.05 })
        .sum::<f64>()
        * FONT
}

/// The name, shortened with `…` past [`MAX_LABEL`] characters.
fn label(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL {
        return name.to_owned();
    }
    let cut: String = name.chars().take(MAX_LABEL - 1).collect();
    format!("{}…", cut.trim_end())
}

fn description(tax: &Taxonomy, shown: &[TermIx], words: &Words) -> String {
    let lower = tax.title.to_lowercase();
    let args = [("taxonomy", tax.title.as_str()), ("lower", lower.as_str())];
    let mut d = words.count(
        "concept_map_desc",
        shown.len(),
        (
            "{count} {lower}, drawn as a circle sized by its number of articles and linking to its page.",
            "{count} {lower}, each drawn as a circle sized by its number of articles and linking to its page. A line joins two that share articles; thicker lines mean more shared articles.",
        ),
        &args,
    );
    if shown.len() < tax.terms.len() {
        let shown_n = shown.len().to_string();
        d.push(' ');
        d.push_str(&words.count(
            "concept_map_only",
            tax.terms.len(),
            (
                "Only the {shown} most used of {count} are shown.",
                "Only the {shown} most used of {count} are shown.",
            ),
            &[("shown", &shown_n)],
        ));
    }
    d
}

/// The theme's words for the map, in the site's language (English where it has none).
struct Words<'a> {
    table: &'a RendererWords,
    language: &'a str,
}

impl Words<'_> {
    /// `key`'s plural form for `n`, with `{count}` and `args` filled.
    fn count(&self, key: &str, n: usize, english: (&str, &str), args: &[(&str, &str)]) -> String {
        let category = plural_category(self.language, i64::try_from(n).unwrap_or(i64::MAX));
        RendererWords::counted(Some(self.table), key, (category, n), english, args)
    }
}

/// A coordinate with one decimal, without a trailing `.0` or a `-0`.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".to_owned();
    }
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(0.04), "0");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-3.25), "-3.3");
        assert_eq!(num(7.16), "7.2");
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(label("trust"), "trust");
        let long = label("a very long concept name that goes on and on");
        assert!(
            long.ends_with('…') && long.chars().count() <= MAX_LABEL,
            "{long}"
        );
    }

    #[test]
    fn labels_face_outward_and_read_left_to_right() {
        let l = layout::layout(&[1, 1, 1, 1], &[]);
        // Four nodes: top, right, bottom, left.
        assert_eq!(label_position(&l, 1).3, "start");
        assert_eq!(label_position(&l, 3).3, "end");
        assert!(
            (label_position(&l, 3).2 - 360.0).abs() < 1e-6 || label_position(&l, 3).2.abs() < 1e-6
        );
    }
}
