//! Fence info strings (` ```rust,linenos,hl_lines=2-4 7 `) in, language token and
//! [`FenceOptions`] out.

use std::ops::RangeInclusive;

/// Per-block display options written after the language in a code fence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FenceOptions {
    /// Show a line-number gutter (`linenos`).
    pub linenos: bool,
    /// 1-based line ranges to emphasise (`hl_lines=2-4 7`).
    pub hl_lines: Vec<RangeInclusive<usize>>,
}

impl FenceOptions {
    /// True when the block must be rendered line by line (numbers or emphasis).
    pub fn wants_lines(&self) -> bool {
        self.linenos || !self.hl_lines.is_empty()
    }

    /// True when 1-based `line` falls into one of the `hl_lines` ranges.
    pub fn is_highlighted(&self, line: usize) -> bool {
        self.hl_lines.iter().any(|range| range.contains(&line))
    }
}

/// Splits a fence info string into its language and options.
///
/// Options may be separated by commas or spaces (`rust,linenos`, `rust linenos
/// hl_lines=2-4`). Because `hl_lines` takes a space-separated list itself
/// (`hl_lines=2-4 7`), bare numbers and ranges after it keep extending it. Unknown
/// options are ignored rather than rejected: other generators accept extras such as
/// `ignore` or `no_run`, and a page must not break over them.
pub fn parse_fence_info(info: &str) -> (Option<String>, FenceOptions) {
    let mut lang = None;
    let mut fence = FenceOptions::default();
    let mut in_hl_lines = false;
    let tokens = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|token| token.trim_matches(|c| c == '"' || c == '\''))
        .filter(|token| !token.is_empty());
    for (index, token) in tokens.enumerate() {
        if token.eq_ignore_ascii_case("linenos") {
            fence.linenos = true;
            in_hl_lines = false;
        } else if let Some(list) = strip_prefix_ignore_case(token, "hl_lines=") {
            in_hl_lines = true;
            fence
                .hl_lines
                .extend(parse_line_range(list.trim_matches('"')));
        } else if in_hl_lines && looks_like_range(token) {
            // Malformed entries (`4-2`, `0`) are dropped without ending the list.
            fence.hl_lines.extend(parse_line_range(token));
        } else if index == 0 && !token.contains('=') {
            // Only the first token can be the language, as in CommonMark.
            lang = Some(token.to_string());
        } else {
            in_hl_lines = false;
        }
    }
    (lang, fence)
}

fn looks_like_range(token: &str) -> bool {
    token.chars().all(|c| c.is_ascii_digit() || c == '-')
}

fn strip_prefix_ignore_case<'t>(token: &'t str, prefix: &str) -> Option<&'t str> {
    let head = token.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &token[prefix.len()..])
}

/// `7` → 7..=7, `2-4` → 2..=4; anything else (including `4-2` or `0`) → None.
fn parse_line_range(text: &str) -> Option<RangeInclusive<usize>> {
    let (start, end) = match text.split_once('-') {
        Some((start, end)) => (start.parse().ok()?, end.parse().ok()?),
        None => {
            let line = text.parse().ok()?;
            (line, line)
        }
    };
    (start >= 1 && start <= end).then_some(start..=end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_only() {
        let (lang, fence) = parse_fence_info("rust");
        assert_eq!(lang.as_deref(), Some("rust"));
        assert_eq!(fence, FenceOptions::default());
        assert!(!fence.wants_lines());
    }

    #[test]
    fn empty_info_has_no_language() {
        assert_eq!(parse_fence_info("  ").0, None);
    }

    #[test]
    fn comma_separated_options() {
        let (lang, fence) = parse_fence_info("rust,linenos");
        assert_eq!(lang.as_deref(), Some("rust"));
        assert!(fence.linenos);
    }

    #[test]
    fn hl_lines_list_continues_over_spaces() {
        let (lang, fence) = parse_fence_info("rust,hl_lines=2-4 7");
        assert_eq!(lang.as_deref(), Some("rust"));
        assert_eq!(fence.hl_lines, vec![2..=4, 7..=7]);
        assert!(!fence.linenos);
        assert!(fence.is_highlighted(3) && fence.is_highlighted(7));
        assert!(!fence.is_highlighted(5));
    }

    #[test]
    fn space_separated_options_in_any_order() {
        let (lang, fence) = parse_fence_info("rust linenos hl_lines=2-4");
        assert_eq!(lang.as_deref(), Some("rust"));
        assert!(fence.linenos);
        assert_eq!(fence.hl_lines, vec![2..=4]);
    }

    #[test]
    fn quoted_list_and_bad_ranges() {
        let (_, fence) = parse_fence_info(r#"py hl_lines="1 3-2 0 5""#);
        assert_eq!(fence.hl_lines, vec![1..=1, 5..=5]);
    }

    #[test]
    fn options_without_language() {
        let (lang, fence) = parse_fence_info("hl_lines=1");
        assert_eq!(lang, None);
        assert_eq!(fence.hl_lines, vec![1..=1]);
    }
}
