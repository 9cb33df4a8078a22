//! Search tokens: text in, the lower-case words the index is keyed by out.
//!
//! `search.js` splits a query with the same rules (Unicode `Alphabetic` and `N` characters
//! form words, apostrophes vanish, one-letter words are skipped), so a word a reader types
//! is the word the index holds. The stop words are shipped in the index for the same reason.

use std::borrow::Cow;

/// English words too common to help a search; dropped from the index and from queries.
pub(super) const STOP_WORDS_EN: &[&str] = &[
    "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
    "each", "for", "from", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "if", "in", "into", "is", "it", "its", "just", "me", "more", "most", "my", "no",
    "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over",
    "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "yours",
];

/// Longest word worth indexing, in characters: longer runs are hashes, URLs or noise.
const MAX_WORD: usize = 40;

/// The stop words for a site language (`en`, `en-GB`…); none for other languages.
pub(super) fn stop_words(language: &str) -> &'static [&'static str] {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    if primary.eq_ignore_ascii_case("en") {
        STOP_WORDS_EN
    } else {
        &[]
    }
}

/// The index words of `text`, in order, stop words included (the caller drops them).
/// Words already in index form (most of them) are borrowed, not copied.
pub(super) fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c)))
        .filter_map(normalise)
}

fn normalise(w: &str) -> Option<Cow<'_, str>> {
    let plain = w
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let word: Cow<'_, str> = if plain {
        Cow::Borrowed(w)
    } else {
        // Final and medial sigma are one letter to a reader (JavaScript lower-cases by context).
        Cow::Owned(
            w.chars()
                .filter(|&c| !is_apostrophe(c))
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'ς' { 'σ' } else { c })
                .collect(),
        )
    };
    let n = if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    (2..=MAX_WORD).contains(&n).then_some(word)
}

/// True if `word` is one of the (sorted) `stop` words.
pub(super) fn is_stop(stop: &[&str], word: &str) -> bool {
    stop.binary_search(&word).is_ok()
}

/// `don't` and `don’t` are one word, `dont`, in the index and in queries.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        words(text).map(Cow::into_owned).collect()
    }

    #[test]
    fn words_are_lower_case_runs_of_letters_and_digits() {
        assert_eq!(
            all("Don’t ask: 1:1 Café-Trust, a B2B x"),
            ["dont", "ask", "café", "trust", "b2b"]
        );
        assert_eq!(all("ÉTÉ straße ΟΔΟΣ"), ["été", "straße", "οδοσ"]);
    }

    #[test]
    fn stop_words_follow_the_language() {
        assert!(stop_words("en-GB").contains(&"the"));
        assert!(stop_words("de").is_empty());
        assert!(is_stop(STOP_WORDS_EN, "the") && !is_stop(STOP_WORDS_EN, "trust"));
        let mut sorted = STOP_WORDS_EN.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS_EN, "keep the list sorted");
    }
}
