//! Search index, encoding: postings in; compact strings and index shards out.
//!
//! A posting list is one string: per article, the gap to the previous article id as a
//! base-64 varint (five bits a digit, the sixth set on every digit but the last), then its
//! score as one digit. A word found in every article costs two characters an article.
//! The digits are JSON-safe, so the shards are plain JSON arrays that `search.js` decodes
//! lazily, one word at a time.

/// The 64 digits, in value order.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

fn push_varint(out: &mut String, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(char::from(DIGITS[low]));
            return;
        }
        out.push(char::from(DIGITS[low | 32]));
    }
}

/// `(article, score)` pairs, articles ascending.
pub(super) fn posting_list(list: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev = 0;
    for &(id, score) in list {
        push_varint(&mut out, id - prev);
        out.push(char::from(DIGITS[usize::from(score & 63)]));
        prev = id;
    }
    out
}

/// Article ids only (section and concept filters), ascending.
pub(super) fn id_list(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len() * 2);
    let mut prev = 0;
    for &id in ids {
        push_varint(&mut out, id - prev);
        prev = id;
    }
    out
}

/// Cuts the sorted `(word, encoded postings)` list into shards of about `target` bytes;
/// returns each shard's words and postings, flattened (`[word, postings, word, …]`).
/// Shards are ranges of the sorted words, so the client finds every word with a prefix in a
/// run of consecutive shards, knowing only each shard's first word.
pub(super) fn shards(words: Vec<(String, String)>, target: usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut size = usize::MAX;
    for (word, list) in words {
        if size >= target {
            out.push(Vec::new());
            size = 0;
        }
        size += word.len() + list.len() + 6;
        if let Some(shard) = out.last_mut() {
            shard.push(word);
            shard.push(list);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder `search.js` uses, in Rust, to pin the format.
    fn decode(s: &str) -> Vec<(u32, u8)> {
        let value = |c: u8| DIGITS.iter().position(|&d| d == c).expect("digit") as u32;
        let bytes = s.as_bytes();
        let (mut i, mut id, mut out) = (0, 0, Vec::new());
        while i < bytes.len() {
            let (mut gap, mut shift) = (0, 0);
            loop {
                let v = value(bytes[i]);
                i += 1;
                gap |= (v & 31) << shift;
                shift += 5;
                if v < 32 {
                    break;
                }
            }
            id += gap;
            out.push((id, value(bytes[i]) as u8));
            i += 1;
        }
        out
    }

    #[test]
    fn posting_lists_round_trip() {
        let list = [(0, 1), (1, 63), (33, 7), (1_100, 12), (5_000_000, 2)];
        let s = posting_list(&list);
        assert_eq!(decode(&s), list);
        assert_eq!(&s[..4], "011_", "gaps 0 and 1 take one digit each");
    }

    #[test]
    fn shards_are_ranges_of_about_the_target_size() {
        let words: Vec<(String, String)> = (0..100)
            .map(|i| (format!("w{i:03}"), "x".repeat(10)))
            .collect();
        let shards = shards(words, 100);
        assert!(shards.len() > 10);
        assert_eq!(shards[0][0], "w000");
        assert!(shards.iter().all(|s| s.len() % 2 == 0));
        assert_eq!(shards.iter().map(|s| s.len() / 2).sum::<usize>(), 100);
    }
}
