//! Related articles, ranked by shared terms (rare terms weigh more: inverse document
//! frequency) and direct links, with a deterministic tie-break (newer first, then path).
//!
//! No all-pairs comparison: candidates come from each term's posting list. A rare term's
//! whole list is scanned; for a common one only a window of its list around the page (the
//! list is sorted by date, so the window holds the nearest articles in time). Cost is
//! O(pages × terms per page × window), linear in the size of the site.
//!
//! The per-page work is kept to that bound: scores accumulate in a dense array reused across
//! pages (no hashing), and only the best `limit` candidates are selected and sorted (no full
//! sort of several hundred candidates per page). At 10,000 articles this took the stage from
//! about a second to a few tens of milliseconds (bench/README.md).

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::model::{Page, PageId, Site, TiVec};
use typed_index_collections::TiSlice;
use typed_index_collections::ti_vec;

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
    let mut page_terms: TiVec<PageId, Vec<(usize, usize)>> = ti_vec![Vec::new(); site.pages.len()];
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
    let rank = tie_break_ranks(pages);
    let related: Vec<Vec<PageId>> = (0..pages.len())
        .into_par_iter()
        .map(PageId::from)
        .map_init(
            || Scores::new(pages.len()),
            |scores, a| {
                for &(li, pos) in &page_terms[a] {
                    let (list, idf) = lists[li];
                    for &b in window(list, pos).iter().filter(|&&b| b != a) {
                        scores.add(b, idf);
                    }
                }
                let links = pages[a]
                    .outgoing
                    .iter()
                    .chain(backlinks[a].iter().map(|(b, _)| b));
                for &b in links.filter(|&&b| b != a) {
                    scores.add(b, LINK_WEIGHT);
                }
                let ranked = top(scores.drain(), limit, |x, y| {
                    y.1.total_cmp(&x.1).then(rank[x.0].cmp(&rank[y.0]))
                });
                // From a slice, not `into_iter()`: an in-place collect would keep the
                // candidates' allocation (hundreds of entries) behind a five-entry list, for
                // every page of the site (90 MB at 10,000 articles).
                ranked.iter().map(|&(b, _)| b).collect()
            },
        )
        .collect();
    site.graph.related = related.into();
}

/// The part of a posting list scanned for the page at `pos`: all of it when short, else the
/// `WINDOW` entries around `pos`.
fn window(list: &[PageId], pos: usize) -> &[PageId] {
    if list.len() <= WINDOW {
        return list;
    }
    let start = pos.saturating_sub(WINDOW / 2).min(list.len() - WINDOW);
    &list[start..start + WINDOW]
}

/// Each page's place in the tie-break order (newer first, then path), so ranking compares
/// two integers instead of dates and strings.
fn tie_break_ranks(pages: &TiSlice<PageId, Page>) -> TiVec<PageId, usize> {
    let mut order: Vec<PageId> = pages.keys().collect();
    order.sort_by(|&x, &y| {
        pages[y]
            .meta
            .date
            .cmp(&pages[x].meta.date)
            .then_with(|| pages[x].rel.cmp(&pages[y].rel))
    });
    let mut rank: TiVec<PageId, usize> = vec![0; pages.len()].into();
    for (r, id) in order.into_iter().enumerate() {
        rank[id] = r;
    }
    rank
}

/// Scores of the candidates of one page: a dense array over all pages plus the list of
/// pages touched, so that resetting costs as much as the page's candidates, not the site.
struct Scores {
    score: TiVec<PageId, f64>,
    touched: Vec<PageId>,
}

impl Scores {
    fn new(pages: usize) -> Self {
        Scores {
            score: vec![0.0; pages].into(),
            touched: Vec::new(),
        }
    }

    /// Adds `weight` (always > 0) to page `b`. Sums accumulate in the order candidates are
    /// visited, so the floating-point totals do not depend on this data structure.
    fn add(&mut self, b: PageId, weight: f64) {
        if self.score[b] == 0.0 {
            self.touched.push(b);
        }
        self.score[b] += weight;
    }

    /// The (page, score) pairs accumulated so far; leaves the scores empty for the next page.
    fn drain(&mut self) -> Vec<(PageId, f64)> {
        let out = self.touched.iter().map(|&b| (b, self.score[b])).collect();
        for &b in &self.touched {
            self.score[b] = 0.0;
        }
        self.touched.clear();
        out
    }
}

/// The `limit` smallest items under `cmp` (a total order), sorted: the same as a full sort
/// followed by `take(limit)`, in time linear in the number of items.
fn top<T>(mut items: Vec<T>, limit: usize, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    if limit == 0 {
        return Vec::new();
    }
    if items.len() > limit {
        items.select_nth_unstable_by(limit - 1, &cmp);
        items.truncate(limit);
    }
    items.sort_by(cmp);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_matches_a_full_sort() {
        // Scores with ties, broken by the second field, as `build` does with its ranks.
        let items: Vec<(u32, usize)> = (0..200).map(|i| ((i * 7919) % 13, i as usize)).collect();
        let cmp = |x: &(u32, usize), y: &(u32, usize)| y.0.cmp(&x.0).then(x.1.cmp(&y.1));
        for limit in [0, 1, 5, 13, 199, 200, 250] {
            let mut sorted = items.clone();
            sorted.sort_by(cmp);
            sorted.truncate(limit);
            assert_eq!(top(items.clone(), limit, cmp), sorted, "limit {limit}");
        }
    }

    #[test]
    fn scores_accumulate_and_reset() {
        let mut s = Scores::new(4);
        let id = PageId::from;
        s.add(id(2), 1.5);
        s.add(id(0), 1.0);
        s.add(id(2), 0.5);
        assert_eq!(s.drain(), vec![(id(2), 2.0), (id(0), 1.0)]);
        assert_eq!(s.drain(), vec![]);
        assert!(s.score.iter().all(|&x| x == 0.0));
    }

    #[test]
    fn window_is_centred_and_clamped() {
        let list: Vec<PageId> = (0..1000).map(PageId::from).collect();
        assert_eq!(window(&list[..10], 3), &list[..10]);
        assert_eq!(window(&list, 0), &list[..WINDOW]);
        assert_eq!(
            window(&list, 500),
            &list[500 - WINDOW / 2..500 + WINDOW / 2]
        );
        assert_eq!(window(&list, 999), &list[1000 - WINDOW..]);
    }
}
