//! The title heading: a level-1 heading that opens a body (after blank lines and HTML
//! comments only) is the page's title when front matter gives none, as on GitHub and in
//! Docusaurus. The parse stage moves the body's start past it, so it is not shown twice.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The plain text of the level-1 heading that opens `body`, and the byte offset just past
/// it (past its line break). `None` if the body opens with anything else.
pub fn leading_h1(body: &str) -> Option<(String, usize)> {
    let start = first_content_line(body)?;
    let rest = &body[start..];
    let first_end = line_end(rest, 0);
    let first = &rest[..first_end];
    let indent = first.len() - first.trim_start_matches(' ').len();
    let end = if indent <= 3 && first.trim_start().starts_with('#') {
        first_end
    } else {
        let second_end = line_end(rest, first_end);
        let second = rest[first_end..second_end].trim_end();
        let underline = second.trim_start_matches(' ');
        if second.len() - underline.len() > 3
            || underline.is_empty()
            || !underline.bytes().all(|b| b == b'=')
        {
            return None;
        }
        second_end
    };
    let text = heading_text(&rest[..end])?;
    Some((text, start + end))
}

/// Byte offset of the first line that is neither blank nor part of an HTML comment.
fn first_content_line(body: &str) -> Option<usize> {
    let mut pos = 0;
    while pos < body.len() {
        let end = line_end(body, pos);
        let line = body[pos..end].trim();
        if line.is_empty() {
            pos = end;
        } else if line.starts_with("<!--") {
            let close = body[pos..].find("-->")? + pos + 3;
            let after = line_end(body, close);
            if !body[close..after].trim().is_empty() {
                return None; // text after the comment on the same line
            }
            pos = after;
        } else {
            return Some(pos);
        }
    }
    None
}

/// Offset just past the line break of the line containing `pos` (or the end of `text`).
fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// Plain text of the heading `snippet` holds, if it is exactly one level-1 heading.
fn heading_text(snippet: &str) -> Option<String> {
    let options = Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_WIKILINKS;
    let mut events = Parser::new_ext(snippet, options);
    match events.next()? {
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) => {}
        _ => return None,
    }
    let mut text = String::new();
    for event in events.by_ref() {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    if events.next().is_some() {
        return None;
    }
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::leading_h1;

    #[test]
    fn atx_heading_after_blank_lines_and_comments() {
        let body = "\n<!-- generated -->\n\n# License *troubleshooting* {#lic}\n\nText\n";
        let (title, end) = leading_h1(body).expect("title");
        assert_eq!(title, "License troubleshooting");
        assert_eq!(&body[end..], "\nText\n");
    }

    #[test]
    fn setext_heading_counts() {
        let (title, end) = leading_h1("Values\n======\nWe care.\n").expect("title");
        assert_eq!(title, "Values");
        assert_eq!(end, "Values\n======\n".len());
    }

    #[test]
    fn other_openings_are_not_titles() {
        for body in [
            "Intro first.\n\n# Later\n",
            "## Second level\n",
            "    # code\n",
            "- # in a list\n",
            "> # quoted\n",
            "Title\n---\n",
            "#hashtag\n",
            "",
            "<!-- never closed\n# x\n",
        ] {
            assert_eq!(leading_h1(body), None, "{body:?}");
        }
    }

    #[test]
    fn heading_at_end_of_text_without_newline() {
        assert_eq!(leading_h1("# Only"), Some(("Only".into(), 6)));
    }
}
