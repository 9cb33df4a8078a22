//! Related articles, ranked by shared terms (rare terms weigh more: inverse document
//! frequency) and direct links, with a deterministic tie-break (newer first, then path).
//!
//! No all-pairs comparison: candidates come from each term's posting list. A rare term's
//! whole list is scanned; for a common one only a window of its list around the page (the
//! list is sorted by date, so the window holds the nearest articles in time). Cost is
//! O(pages × terms per page × window), linear in the size of the site.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::model::{PageId, Site};

/// Posting lists longer than this are scanned through a window of this size.
const WINDOW: usize = 256;
/// Score of a direct link between two pages (either direction): about one shared concept of
/// middling rarity, so a shared rare concept still outranks a passing link.
const LINK_WEIGHT: f64 = 1.0;

/// Fills `site.graph.related`.
pub(super) fn build(site: &mut Site) {
    let limit = site.config.related.limit;
    let n = site.pages.len().max(1) as f64;
    // (term pages, idf) for every term of every taxonomy but authors, and each page's postings.
    let mut lists: Vec<(&[PageId], f64)> = Vec::new();
    let mut page_terms: Vec<Vec<(usize, usize)>> = vec![Vec::new(); site.pages.len()];
    for t in site.taxonomies.iter().filter(|t| t.name != "authors") {
        for term in &t.terms {
            let li = lists.len();
            lists.push((&term.pages, (1.0 + n / term.pages.len().max(1) as f64).ln()));
            for (pos, &p) in term.pages.iter().enumerate() {
                page_terms[p].push((li, pos));
            }
        }
    }
    let backlinks = &site.graph.backlinks;
    let pages = &site.pages;
    let related: Vec<Vec<PageId>> = (0..pages.len())
        .into_par_iter()
        .map(|a| {
            let mut score: HashMap<PageId, f64> = HashMap::new();
            for &(li, pos) in &page_terms[a] {
                let (list, idf) = lists[li];
                let window = if list.len() <= WINDOW {
                    list
                } else {
                    let start = pos.saturating_sub(WINDOW / 2).min(list.len() - WINDOW);
                    &list[start..start + WINDOW]
                };
                for &b in window.iter().filter(|&&b| b != a) {
                    *score.entry(b).or_default() += idf;
                }
            }
            for &b in pages[a]
                .outgoing
                .iter()
                .chain(backlinks[a].iter().map(|(b, _)| b))
            {
                if b != a {
                    *score.entry(b).or_default() += LINK_WEIGHT;
                }
            }
            let mut ranked: Vec<(PageId, f64)> = score.into_iter().collect();
            ranked.sort_by(|x, y| {
                y.1.total_cmp(&x.1)
                    .then_with(|| pages[y.0].meta.date.cmp(&pages[x.0].meta.date))
                    .then_with(|| pages[x.0].rel.cmp(&pages[y.0].rel))
            });
            ranked.into_iter().take(limit).map(|(b, _)| b).collect()
        })
        .collect();
    site.graph.related = related;
}
