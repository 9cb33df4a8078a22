//! Hugo shortcodes in the pages of an imported Hugo site: each page's Markdown in; the same
//! Markdown with the shortcodes binder has an equivalent for rewritten, and a tally of the
//! others for the migration report, out.
//!
//! Hugo expands `{{% alert %}}…{{% /alert %}}` through the old theme's templates. binder
//! runs no templates inside pages, so left alone every such line shows as literal braces.
//! The common boxes map onto callouts binder renders (`alert`, `note`, `warning`,
//! `details`, `panel`), and `youtube` onto a link to the video. The rest (lists drawn from
//! data files, includes, card layouts) has no Markdown equivalent: it is left as written and
//! the report names it with a `file:line` to start from. Code blocks and code spans are
//! never touched: a page that documents a shortcode keeps its example.
//!
//! Zola's shortcodes (`{{ name(…) }}`, `{% name(…) %}`) call the old theme's templates too;
//! they are only listed ([`zola_shortcodes`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::BuildFailed;

use super::{Imported, Seen, rewrite_pages};

/// One page after rewriting.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Rewritten {
    /// The new Markdown.
    pub text: String,
    /// Boxes that became callouts.
    pub callouts: usize,
    /// `youtube` shortcodes that became links.
    pub videos: usize,
    /// Shortcodes left as written: (name, 1-based line).
    pub unknown: Vec<(String, usize)>,
}

/// A shortcode tag found in a line.
#[derive(Debug, Clone, Copy)]
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    args: &'a str,
    /// Byte range of the whole tag in the line.
    start: usize,
    end: usize,
}

/// The first shortcode tag in `line` at or after `from`, outside code spans.
fn next_tag(line: &str, from: usize) -> Option<Tag<'_>> {
    let mut at = from;
    while let Some(i) = line.get(at..)?.find("{{") {
        let start = at + i;
        let rest = line[start + 2..].trim_start();
        let open = rest.chars().next()?;
        let close = match open {
            '<' => ">}}",
            '%' => "%}}",
            _ => {
                at = start + 2;
                continue;
            }
        };
        let inner_start = line.len() - rest.len() + 1;
        let len = line[inner_start..].find(close)?;
        let end = inner_start + len + close.len();
        let inner = line[inner_start..inner_start + len].trim();
        let in_code = line[..start].matches('`').count() % 2 == 1;
        // `{{</* x */>}}` is Hugo's escape for showing a shortcode as text.
        if in_code || inner.starts_with("/*") {
            at = end;
            continue;
        }
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, inner),
        };
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        return Some(Tag {
            name,
            closing,
            args: args.trim(),
            start,
            end,
        });
    }
    None
}

/// The value of `key="value"` (or `key=value`) in shortcode arguments.
fn named_arg(args: &str, key: &str) -> Option<String> {
    let mut rest = args;
    while let Some(i) = rest.find(key) {
        let before_ok = rest[..i].chars().last().is_none_or(char::is_whitespace);
        let after = rest[i + key.len()..].trim_start();
        if let Some(value) = after.strip_prefix('=').filter(|_| before_ok) {
            return Some(first_value(value.trim_start()));
        }
        rest = &rest[i + key.len()..];
    }
    None
}

/// The first argument when it is positional (`"id"` or `id`), not `key=value`.
fn positional_arg(args: &str) -> Option<String> {
    let key_len = args
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .count();
    let named = key_len > 0 && args[key_len..].trim_start().starts_with('=');
    let value = first_value(args);
    (!value.is_empty() && !named).then_some(value)
}

/// The watch address of a video id, which may carry Hugo's `?start=seconds`.
fn youtube_url(id: &str) -> String {
    match id.split_once('?') {
        Some((id, query)) => {
            let query = query.replace("start=", "t=");
            format!("https://www.youtube.com/watch?v={id}&{query}")
        }
        None => format!("https://www.youtube.com/watch?v={id}"),
    }
}

/// A quoted or bare value at the start of `s`.
fn first_value(s: &str) -> String {
    match s.chars().next() {
        Some(q @ ('"' | '\'' | '`')) => s[1..].split(q).next().unwrap_or("").to_owned(),
        _ => s.split_whitespace().next().unwrap_or("").to_owned(),
    }
}

/// The callout a box shortcode becomes: (marker kind, title), or None for other names.
fn callout(tag: &Tag<'_>) -> Option<(&'static str, Option<String>)> {
    let kind = match tag.name {
        "alert" => match named_arg(tag.args, "color")?.to_lowercase().as_str() {
            "danger" => "caution",
            "warning" => "warning",
            "success" => "tip",
            _ => "note",
        },
        "note" | "details" | "panel" => "note",
        "warning" => "warning",
        _ => return None,
    };
    let title = ["title", "summary", "header"]
        .iter()
        .find_map(|k| named_arg(tag.args, k))
        .filter(|t| !t.trim().is_empty());
    Some((kind, title))
}

/// `callout` for an alert with no colour: Docsy draws it as a note.
fn callout_of(tag: &Tag<'_>) -> Option<(&'static str, Option<String>)> {
    callout(tag).or_else(|| {
        (tag.name == "alert").then(|| {
            let title = named_arg(tag.args, "title").filter(|t| !t.trim().is_empty());
            ("note", title)
        })
    })
}

/// Where a line opens or closes a box: opener at the line's start, closer at its end.
#[derive(Debug, Default, Clone)]
struct BoxLine {
    /// (kind, title, text after the opener) when the line opens a paired box.
    open: Option<(&'static str, Option<String>, String)>,
    /// Text before the closer when the line closes a paired box.
    close: Option<String>,
}

/// Pairs box openers with their closers (nesting allowed); unpaired tags stay text.
fn pair_boxes(lines: &[&str], code: &[bool]) -> Vec<BoxLine> {
    let mut out = vec![BoxLine::default(); lines.len()];
    let mut stack: Vec<(usize, &str)> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if code[n] {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(tag) = next_tag(line, 0).filter(|t| t.start == indent && !t.closing) {
            if let Some((kind, title)) = callout_of(&tag) {
                let after = line[tag.end..].to_owned();
                out[n].open = Some((kind, title, after));
                stack.push((n, tag.name));
            }
        }
        let from = out[n]
            .open
            .as_ref()
            .map_or(0, |(_, _, after)| line.len() - after.len());
        let mut closer = None;
        let mut at = from;
        while let Some(tag) = next_tag(line, at) {
            if tag.closing && line[tag.end..].trim().is_empty() {
                closer = Some(tag);
            }
            at = tag.end;
        }
        if let Some(tag) = closer {
            if stack.last().is_some_and(|(_, name)| *name == tag.name) {
                stack.pop();
                out[n].close = Some(line[from..tag.start].to_owned());
            }
        }
    }
    for (n, _) in stack {
        out[n].open = None;
    }
    out
}

/// Marks the lines of front matter and fenced code, which are never rewritten.
pub(super) fn code_lines(lines: &[&str]) -> Vec<bool> {
    let mut code = vec![false; lines.len()];
    let mut n = 0;
    if let Some(fence @ ("---" | "+++")) = lines.first().map(|l| l.trim_end()) {
        code[0] = true;
        n = 1;
        while n < lines.len() {
            code[n] = true;
            n += 1;
            if lines[n - 1].trim_end() == fence {
                break;
            }
        }
    }
    let mut fence: Option<(char, usize)> = None;
    for (line, is_code) in lines.iter().zip(code.iter_mut()).skip(n) {
        let t = line.trim_start().trim_start_matches(['>', ' ']);
        let mark = t.chars().next().filter(|c| matches!(c, '`' | '~'));
        let run = mark.map_or(0, |c| t.chars().take_while(|x| *x == c).count());
        match (fence, mark) {
            (Some((c, len)), Some(m)) if m == c && run >= len && t[run..].trim().is_empty() => {
                *is_code = true;
                fence = None;
            }
            (Some(_), _) => *is_code = true,
            (None, Some(m)) if run >= 3 => {
                *is_code = true;
                fence = Some((m, run));
            }
            (None, _) => {}
        }
    }
    code
}

/// `line` (0-based `n` in the new page) with its `youtube` shortcodes as links; unknown
/// tags recorded.
fn inline_tags(line: &str, n: usize, out: &mut Rewritten) -> String {
    let mut text = String::with_capacity(line.len());
    let mut at = 0;
    while let Some(tag) = next_tag(line, at) {
        text.push_str(&line[at..tag.start]);
        let id = positional_arg(tag.args).or_else(|| named_arg(tag.args, "id"));
        match (tag.name, id) {
            ("youtube", Some(id)) if !tag.closing => {
                let title = named_arg(tag.args, "title").unwrap_or_else(|| "Video".into());
                text.push_str(&format!("[{title} (YouTube)]({})", youtube_url(&id)));
                out.videos += 1;
            }
            _ => {
                text.push_str(&line[tag.start..tag.end]);
                if !tag.closing {
                    out.unknown.push((tag.name.to_owned(), n + 1));
                }
            }
        }
        at = tag.end;
    }
    text.push_str(&line[at..]);
    text
}

/// Rewrites the shortcodes of one page.
pub(super) fn rewrite(page: &str) -> Rewritten {
    let lines: Vec<&str> = page.lines().collect();
    let code = code_lines(&lines);
    let boxes = pair_boxes(&lines, &code);
    let mut out = Rewritten::default();
    // One quote prefix per open box, with the indent of its opener.
    let mut prefixes: Vec<String> = Vec::new();
    let mut emitted: Vec<String> = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let prefix = |p: &[String]| p.last().cloned().unwrap_or_default();
        let body = |text: &str, p: &[String]| {
            let indent = p.last().map_or(0, |q| q.len() - q.trim_start().len());
            let spaces = text.len() - text.trim_start_matches(' ').len();
            let text = &text[spaces.min(indent)..];
            format!("{}{text}", prefix(p)).trim_end().to_owned()
        };
        if code[n] {
            emitted.push(body(line, &prefixes));
            continue;
        }
        let mut rest: &str = line;
        if let Some((kind, title, after)) = &boxes[n].open {
            let indent = &line[..line.len() - line.trim_start().len()];
            let outer = prefix(&prefixes);
            let title = title
                .as_deref()
                .map(|t| format!(" {t}"))
                .unwrap_or_default();
            emitted.push(format!("{outer}{indent}> [!{kind}]{title}"));
            prefixes.push(format!("{outer}{indent}> "));
            out.callouts += 1;
            rest = after;
        }
        let (text, closes) = match &boxes[n].close {
            Some(before) => (before.as_str(), true),
            None => (rest, false),
        };
        if !(boxes[n].open.is_some() || closes) || !text.trim().is_empty() {
            // Unknown tags are located in the page as written to the new site.
            let at = emitted.len();
            emitted.push(body(&inline_tags(text, at, &mut out), &prefixes));
        }
        if closes {
            prefixes.pop();
            // A following paragraph would otherwise continue the quote lazily.
            let next_blank = lines.get(n + 1).is_none_or(|l| l.trim().is_empty());
            if !next_blank {
                emitted.push(prefix(&prefixes).trim_end().to_owned());
            }
        }
    }
    out.text = emitted.join("\n");
    if page.ends_with('\n') {
        out.text.push('\n');
    }
    out
}

/// What the shortcode pass did over a whole site, for the report.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub callouts: usize,
    pub videos: usize,
    /// Name → (count, first `path:line`).
    pub unknown: BTreeMap<String, (usize, String)>,
}

impl Tally {
    /// Adds one page's results; `rel` names the page in the report.
    pub(super) fn add(&mut self, rel: &str, page: &Rewritten) {
        self.callouts += page.callouts;
        self.videos += page.videos;
        for (name, line) in &page.unknown {
            let entry = self
                .unknown
                .entry(name.clone())
                .or_insert_with(|| (0, format!("{rel}:{line}")));
            entry.0 += 1;
        }
    }

    /// The report's notes: what became what, and what is left to do by hand.
    pub(super) fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.callouts + self.videos > 0 {
            notes.push(format!(
                "Hugo shortcodes rewritten as Markdown: {} boxes (alert, note, warning, details, panel) became callouts (`> [!note] Title`), {} `youtube` shortcodes became links to the video",
                self.callouts, self.videos
            ));
        }
        if !self.unknown.is_empty() {
            let mut names: Vec<_> = self.unknown.iter().collect();
            names.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
            let total: usize = names.iter().map(|(_, (c, _))| c).sum();
            let list: Vec<String> = names
                .iter()
                .take(12)
                .map(|(name, (count, at))| format!("`{name}` ×{count} (first at {at})"))
                .collect();
            let more = names.len().saturating_sub(12);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            notes.push(format!(
                "{total} Hugo shortcodes have no binder equivalent and show as written, in braces: {}{more}. Replace each with Markdown (a table, a link, the included text) or delete it",
                list.join(", ")
            ));
        }
        notes
    }
}

/// Hugo's shortcodes have no meaning outside Hugo: the boxes and videos binder can show are
/// rewritten as Markdown, and the others are listed in the report.
pub(super) fn hugo_shortcodes(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let mut tally = Tally::default();
    rewrite_pages(content, |rel, text| {
        if !text.contains("{{") {
            return None;
        }
        let page = rewrite(text);
        tally.add(&format!("content/{rel}"), &page);
        Some(page.text)
    })?;
    out.notes.extend(tally.notes());
    Ok(())
}

/// Zola's shortcodes (`{{ name(…) }}`, `{% name(…) %}…{% end %}`) call the old theme's
/// templates: they are listed in the report, by name with a first location, to rewrite by
/// hand (code blocks, where docs show them as examples, are left out).
pub(super) fn zola_shortcodes(content: &Path, out: &mut Imported) -> Result<(), BuildFailed> {
    let mut found = Seen::default();
    rewrite_pages(content, |rel, text| {
        let lines: Vec<&str> = text.lines().collect();
        let code = code_lines(&lines);
        for (n, line) in lines.iter().enumerate().filter(|(n, _)| !code[*n]) {
            for name in zola_calls(line) {
                found.add(name, format!("content/{rel}:{}", n + 1));
            }
        }
        None
    })?;
    if !found.is_empty() {
        out.notes.push(format!(
            "Zola shortcodes call templates of the old theme and show as written until rewritten in Markdown: {}",
            found.list()
        ));
    }
    Ok(())
}

/// The shortcode names called on `line`: `{{ name(` and `{% name(`.
pub(super) fn zola_calls(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for open in ["{{", "{%"] {
        for (i, _) in line.match_indices(open) {
            let rest = line[i + 2..].trim_start();
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && rest[name.len()..].starts_with('(') {
                out.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_becomes_a_callout_with_its_title_and_colour() {
        let page = "Intro.\n\n{{% alert title=\"Heads up\" color=\"danger\" %}}\nBody *one*.\n\nBody two.\n{{% /alert %}}\nAfter.\n";
        let out = rewrite(page);
        assert_eq!(
            out.text,
            "Intro.\n\n> [!caution] Heads up\n> Body *one*.\n>\n> Body two.\n\nAfter.\n"
        );
        assert_eq!((out.callouts, out.unknown.len()), (1, 0));
    }

    #[test]
    fn one_line_and_nested_boxes() {
        let one = rewrite("{{% alert color=\"info\" %}}Short.{{% /alert %}}\n");
        assert_eq!(one.text, "> [!note]\n> Short.\n");
        let nested = rewrite(
            "{{% details summary=\"More\" %}}\nA\n{{% alert color=\"warning\" %}}\nB\n{{% /alert %}}\n{{% /details %}}\n",
        );
        assert_eq!(
            nested.text,
            "> [!note] More\n> A\n> > [!warning]\n> > B\n>\n"
        );
    }

    #[test]
    fn an_indented_box_keeps_its_list_indent() {
        let out = rewrite("1. Step\n\n   {{% note %}}\n   Careful.\n   {{% /note %}}\n");
        assert_eq!(out.text, "1. Step\n\n   > [!note]\n   > Careful.\n");
    }

    #[test]
    fn youtube_becomes_a_link_in_any_argument_form() {
        let out = rewrite(
            "{{< youtube \"abc\" >}}\n| {{< youtube id=\"def\" title=\"Demo\" >}} |\n{{< youtube ghi >}}\n{{< youtube \"jkl?start=42\" >}}\n",
        );
        assert_eq!(
            out.text,
            "[Video (YouTube)](https://www.youtube.com/watch?v=abc)\n| [Demo (YouTube)](https://www.youtube.com/watch?v=def) |\n[Video (YouTube)](https://www.youtube.com/watch?v=ghi)\n[Video (YouTube)](https://www.youtube.com/watch?v=jkl&t=42)\n"
        );
        assert_eq!(out.videos, 4);
    }

    #[test]
    fn code_front_matter_and_unpaired_tags_are_left_alone() {
        let page = "---\ntitle: \"{{< x >}}\"\n---\n```md\n{{% alert %}}\n```\nUse `{{< youtube id >}}` inline.\n{{% alert %}}\nnever closed\n{{< member-by-name \"A\" >}}\n";
        let out = rewrite(page);
        assert_eq!(out.text, page);
        let names: Vec<_> = out.unknown.iter().map(|(n, l)| (n.as_str(), *l)).collect();
        assert_eq!(names, [("alert", 8), ("member-by-name", 10)]);
    }

    #[test]
    fn the_tally_lists_unknown_names_by_count_with_a_first_location() {
        let mut tally = Tally::default();
        tally.add(
            "content/a.md",
            &rewrite("{{< team >}}\n{{< team >}}\n{{< label x >}}\n"),
        );
        tally.add(
            "content/b.md",
            &rewrite("{{< label y >}}\n{{< label z >}}\n"),
        );
        let notes = tally.notes();
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].starts_with("5 Hugo shortcodes have no binder equivalent")
                && notes[0].contains(
                    "`label` ×3 (first at content/a.md:3), `team` ×2 (first at content/a.md:1)."
                ),
            "{}",
            notes[0]
        );
    }
}
