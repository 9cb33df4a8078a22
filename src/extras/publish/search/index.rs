//! Search index, scoring: the searchable fields of each article in; for every word, the
//! articles that contain it with one small score each (1–63, one character once encoded).
//!
//! A score is where the word occurs, weighted (title > concept > author ≈ heading >
//! description), plus a BM25-style share for the body (term frequency saturates, long
//! articles are damped). Rarity (IDF) is left to the client, which knows each word's list
//! length, so it costs no bytes here.

use std::collections::HashMap;

use super::tokens::{is_stop, words};

/// The searchable fields of one article.
#[derive(Debug, Default)]
pub(super) struct Fields<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) concepts: Vec<&'a str>,
    pub(super) authors: Vec<&'a str>,
    pub(super) headings: Vec<&'a str>,
    pub(super) body: Vec<&'a str>,
}

/// Where a word occurs, counted per field.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    title: u32,
    concept: u32,
    author: u32,
    heading: u32,
    description: u32,
    body: u32,
}

/// One article's words with their counts, and its body length in words.
#[derive(Debug, Default)]
pub(super) struct DocWords {
    words: Vec<(String, Counts)>,
    body_len: u32,
}

/// Counts the words of one article's fields, skipping `stop` words (sorted).
pub(super) fn doc_words(f: &Fields<'_>, stop: &[&str]) -> DocWords {
    let mut counts: HashMap<String, Counts> = HashMap::new();
    let mut body_len = 0;
    let mut add = |text: &str, field: fn(&mut Counts) -> &mut u32| {
        let mut n = 0;
        for w in words(text) {
            // Look up before inserting: most words repeat, and a lookup needs no copy.
            match counts.get_mut(&*w) {
                Some(c) => *field(c) += 1,
                None => *field(counts.entry(w.into_owned()).or_default()) += 1,
            }
            n += 1;
        }
        n
    };
    add(f.title, |c| &mut c.title);
    add(f.description, |c| &mut c.description);
    for text in &f.concepts {
        add(text, |c| &mut c.concept);
    }
    for text in &f.authors {
        add(text, |c| &mut c.author);
    }
    for text in &f.headings {
        add(text, |c| &mut c.heading);
    }
    for text in &f.body {
        body_len += add(text, |c| &mut c.body);
    }
    // Stop words are dropped once per distinct word rather than once per occurrence; the
    // body length still counts them, which only scales every article alike.
    let mut words: Vec<(String, Counts)> = counts
        .into_iter()
        .filter(|(w, _)| !is_stop(stop, w))
        .collect();
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    DocWords { words, body_len }
}

/// Highest score (a score is one base-64 digit).
pub(super) const MAX_SCORE: u8 = 63;

fn score(c: Counts, body_len: u32, avg_len: f64) -> u8 {
    let tf = f64::from(c.body);
    let norm = 0.25 + 0.75 * f64::from(body_len) / avg_len.max(1.0);
    let body = if c.body == 0 {
        0.0
    } else {
        3.0 * tf * 2.2 / (tf + 1.2 * norm)
    };
    let fields = 10 * c.title.min(2)
        + 7 * c.concept.min(1)
        + 4 * c.author.min(1)
        + 3 * c.heading.min(3)
        + 2 * c.description.min(2);
    let total = (f64::from(fields) + body)
        .round()
        .clamp(1.0, f64::from(MAX_SCORE));
    // Clamped to 1..=63 above, so the cast cannot truncate.
    total as u8
}

/// Word → (article, score) postings, articles ascending, words in the order JavaScript
/// compares strings (UTF-16 code units), so the client can binary-search shard boundaries.
pub(super) fn postings(docs: &[DocWords]) -> Vec<(String, Vec<(u32, u8)>)> {
    let total: u64 = docs.iter().map(|d| u64::from(d.body_len)).sum();
    let avg_len = total as f64 / docs.len().max(1) as f64;
    let mut map: HashMap<&str, Vec<(u32, u8)>> = HashMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        for (word, counts) in &doc.words {
            map.entry(word.as_str())
                .or_default()
                .push((id, score(*counts, doc.body_len, avg_len)));
        }
    }
    let mut list: Vec<(String, Vec<(u32, u8)>)> =
        map.into_iter().map(|(w, p)| (w.to_owned(), p)).collect();
    list.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &'a str, body: &'a str) -> Fields<'a> {
        Fields {
            title,
            body: vec![body],
            ..Default::default()
        }
    }

    #[test]
    fn title_words_outrank_body_words() {
        let stop = ["the"];
        let docs = [
            doc_words(&doc("Trust first", "the team"), &stop),
            doc_words(&doc("Team", "trust the trust"), &stop),
        ];
        let p = postings(&docs);
        let trust = &p.iter().find(|(w, _)| w == "trust").expect("indexed").1;
        assert_eq!(trust.len(), 2);
        assert!(trust[0].1 > trust[1].1, "{trust:?}");
        assert!(
            p.iter().all(|(w, _)| w != "the"),
            "stop words are not indexed"
        );
    }

    #[test]
    fn words_sort_as_javascript_compares_them() {
        let docs = [doc_words(&doc("zebra \u{ff41}pple \u{1d400}b", ""), &[])];
        let order: Vec<String> = postings(&docs).into_iter().map(|(w, _)| w).collect();
        // U+1D400 is a surrogate pair in UTF-16 (0xD835…), which sorts before U+FF41.
        assert_eq!(order, ["zebra", "\u{1d400}b", "\u{ff41}pple"]);
    }
}
