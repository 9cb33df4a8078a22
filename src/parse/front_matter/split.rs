//! Finding the front-matter block: YAML between `---` lines, TOML between `+++` lines, or
//! none at all (the whole file is the body).

use std::ops::Range;

use super::error::{FmError, Problem, Syntax};

/// Where the front matter is in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    /// YAML or TOML.
    pub(super) syntax: Syntax,
    /// Bytes between the fence lines.
    pub(super) inner: Range<usize>,
    /// Where the Markdown body starts (after the closing fence line).
    pub(super) body_start: usize,
}

/// The front-matter block of `text`, `None` if the file has none.
pub(super) fn split(text: &str) -> Result<Option<Block>, Problem> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let syntax = match text[..first_end].trim_end() {
        "---" => Syntax::Yaml,
        "+++" => Syntax::Toml,
        _ => return Ok(None),
    };
    let inner_start = (first_end + 1).min(text.len());
    let mut pos = inner_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        let closes = match syntax {
            Syntax::Yaml => line == "---" || line == "...",
            Syntax::Toml => line == "+++",
        };
        if closes {
            return Ok(Some(Block {
                syntax,
                inner: inner_start..pos,
                body_start: (end + 1).min(text.len()),
            }));
        }
        pos = end + 1;
    }
    Err(Problem::error(FmError::Unclosed { syntax }, 0..first_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_yaml_toml_and_none() {
        let b = split("---\ntitle: A\n---\nBody")
            .expect("ok")
            .expect("block");
        assert_eq!((b.syntax, b.inner, b.body_start), (Syntax::Yaml, 4..13, 17));
        let b = split("+++\ntitle = \"A\"\n+++\n")
            .expect("ok")
            .expect("block");
        assert_eq!(b.syntax, Syntax::Toml);
        assert_eq!(b.body_start, "+++\ntitle = \"A\"\n+++\n".len());
        assert_eq!(split("# Title\n").expect("ok"), None);
        assert_eq!(split("").expect("ok"), None);
        let b = split("---\ntitle: A\n...\n").expect("ok").expect("block");
        assert_eq!(b.inner, 4..13);
    }

    #[test]
    fn unclosed_is_an_error_on_the_first_line() {
        let e = split("+++\ntitle = 1\n").expect_err("unclosed");
        assert_eq!(
            e.error,
            FmError::Unclosed {
                syntax: Syntax::Toml
            }
        );
        assert_eq!(e.span, 0..3);
    }
}
