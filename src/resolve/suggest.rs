//! "Did you mean" for broken links: a list of candidates (source paths or titles) in, an
//! index by name and by trigram out, so that each broken link is compared with a few
//! likely candidates instead of every path of the site.
//!
//! A real handbook moved to binder may have thousands of broken links at first; comparing
//! each with every page (10,000 × 2,000 Jaro-Winkler scores) made `resolve` take seconds.
//! Here a query looks up the trigrams of its name, keeps the [`SHORTLIST`] candidates that
//! share the most, plus the candidates with exactly the same name (a moved file), and
//! scores only those.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Candidates scored per query (besides exact name matches).
const SHORTLIST: usize = 24;
/// A trigram in more candidates than this says little (`art`, `ing`) and is skipped.
const COMMON: usize = 2_000;
/// Lowest similarity worth suggesting.
const THRESHOLD: f64 = 0.7;

type Trigram = [char; 3];

/// Candidates indexed by name and by trigram of their name.
pub(super) struct Suggester {
    items: Vec<String>,
    /// The name of each item (file stem, or the folder of an index file), lower-case, and
    /// each item lower-case, as characters: Jaro-Winkler walks them by index, which on a
    /// `&str` means decoding it again for every character compared.
    name_chars: Vec<Vec<char>>,
    item_chars: Vec<Vec<char>>,
    by_name: HashMap<String, Vec<u32>>,
    by_trigram: HashMap<Trigram, Vec<u32>>,
    kind: Kind,
    /// How many similarity scores were computed (tests pin the work per query).
    comparisons: AtomicUsize,
}

/// What the candidates are: paths are remembered by their file name, titles as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Source paths (`tips/ask.md`).
    Paths,
    /// Titles and other names.
    Titles,
}

impl Suggester {
    /// Indexes `items` (sorted, so ties are broken the same way every build).
    pub(super) fn new(kind: Kind, mut items: Vec<String>) -> Self {
        items.sort();
        items.dedup();
        let names: Vec<String> = items.iter().map(|i| name_of(kind, i)).collect();
        let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_trigram: HashMap<Trigram, Vec<u32>> = HashMap::new();
        for (id, name) in names.iter().enumerate() {
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            by_name.entry(name.clone()).or_default().push(id);
            let mut grams = trigrams(name);
            grams.sort_unstable();
            grams.dedup();
            for g in grams {
                by_trigram.entry(g).or_default().push(id);
            }
        }
        let name_chars = names.iter().map(|n| n.chars().collect()).collect();
        let item_chars = items
            .iter()
            .map(|i| i.to_lowercase().chars().collect())
            .collect();
        Suggester {
            items,
            name_chars,
            item_chars,
            by_name,
            by_trigram,
            kind,
            comparisons: AtomicUsize::new(0),
        }
    }

    /// Up to `n` candidates closest to `wanted`, best first.
    pub(super) fn suggest(&self, wanted: &str, n: usize) -> Vec<&str> {
        let wanted_l = wanted.to_lowercase();
        let name = name_of(self.kind, &wanted_l);
        let mut shortlist: Vec<u32> = self.by_name.get(&name).cloned().unwrap_or_default();
        shortlist.truncate(SHORTLIST);
        shortlist.extend(self.sharing_trigrams(&name));
        shortlist.sort_unstable();
        shortlist.dedup();
        self.comparisons
            .fetch_add(shortlist.len(), Ordering::Relaxed);
        let name: Vec<char> = name.chars().collect();
        let wanted_l: Vec<char> = wanted_l.chars().collect();
        let mut scored: Vec<(f64, &str)> = shortlist
            .into_iter()
            .filter_map(|id| {
                let id = id as usize;
                let item = self.items.get(id)?;
                let (item_name, item_l) = (self.name_chars.get(id)?, self.item_chars.get(id)?);
                let score = strsim::generic_jaro_winkler(&name, item_name)
                    .max(strsim::generic_jaro_winkler(&wanted_l, item_l));
                (score > THRESHOLD).then_some((score, item.as_str()))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(n).map(|(_, item)| item).collect()
    }

    /// Similarity scores computed so far.
    pub(super) fn comparisons(&self) -> usize {
        self.comparisons.load(Ordering::Relaxed)
    }

    /// The [`SHORTLIST`] candidates sharing the most trigrams with `name` (at least a third
    /// of them), ties by path order.
    fn sharing_trigrams(&self, name: &str) -> Vec<u32> {
        let grams = trigrams(name);
        // Hits per candidate in a dense table (a hash map of thousands of counters per
        // query was most of the cost of a broken link), plus the candidates touched.
        let mut hits = vec![0u32; self.items.len()];
        let mut touched: Vec<u32> = Vec::new();
        for g in &grams {
            match self.by_trigram.get(g) {
                Some(ids) if ids.len() <= COMMON => {
                    for &id in ids {
                        let Some(h) = hits.get_mut(id as usize) else {
                            continue;
                        };
                        if *h == 0 {
                            touched.push(id);
                        }
                        *h += 1;
                    }
                }
                _ => {}
            }
        }
        let needed = u32::try_from(grams.len() / 3).unwrap_or(u32::MAX).max(1);
        let mut best: Vec<(u32, u32)> = touched
            .into_iter()
            .map(|id| (id, hits[id as usize]))
            .filter(|(_, h)| *h >= needed)
            .collect();
        best.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        best.into_iter().take(SHORTLIST).map(|(id, _)| id).collect()
    }
}

/// The part of a path people remember: the file stem, or the folder of an index file
/// (`values/README.md` → `values`), lower-case. A title is its own name.
fn name_of(kind: Kind, item: &str) -> String {
    if kind == Kind::Titles {
        return item.to_lowercase();
    }
    let item = item.trim_end_matches('/');
    let (dir, file) = item.rsplit_once('/').unwrap_or(("", item));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let stem = if is_index_name(stem) && !dir.is_empty() {
        dir.rsplit('/').next().unwrap_or(dir)
    } else {
        stem
    };
    stem.to_lowercase()
}

fn is_index_name(stem: &str) -> bool {
    matches!(stem, "_index" | "index") || stem.eq_ignore_ascii_case("readme")
}

/// Trigrams of ` name ` (padded, so short names still have some).
fn trigrams(name: &str) -> Vec<Trigram> {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(name.chars())
        .chain(std::iter::once(' '))
        .collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("section-{}/article-number-{i}.md", i % 7))
            .collect()
    }

    #[test]
    fn finds_a_typo_and_a_moved_file() {
        let mut items = paths(50);
        items.push("tips/ask-for-clarity.md".into());
        items.push("values/README.md".into());
        let s = Suggester::new(Kind::Paths, items);
        assert_eq!(
            s.suggest("tips/ask-for-clarty.md", 2),
            ["tips/ask-for-clarity.md"]
        );
        assert_eq!(
            s.suggest("old/ask-for-clarity.md", 1),
            ["tips/ask-for-clarity.md"]
        );
        assert_eq!(s.suggest("valeus/", 1), ["values/README.md"]);
        assert!(s.suggest("zzzz.md", 2).is_empty());
    }

    #[test]
    fn a_query_scores_a_shortlist_not_every_candidate() {
        let s = Suggester::new(Kind::Paths, paths(5_000));
        for i in 0..100 {
            s.suggest(&format!("section-1/article-numbr-{i}.md"), 2);
            s.suggest(&format!("missing/page-{i}.md"), 2);
        }
        // At most SHORTLIST trigram candidates plus SHORTLIST same-name files per query.
        assert!(
            s.comparisons() <= 200 * 2 * SHORTLIST,
            "{}",
            s.comparisons()
        );
    }

    #[test]
    fn names_of_index_files_are_their_folder() {
        assert_eq!(name_of(Kind::Paths, "a/values/README.md"), "values");
        assert_eq!(name_of(Kind::Paths, "a/values/_index.md"), "values");
        assert_eq!(name_of(Kind::Paths, "a/Values.md"), "values");
        assert_eq!(name_of(Kind::Paths, "index.md"), "index");
        assert_eq!(name_of(Kind::Titles, "A/B testing"), "a/b testing");
    }
}
