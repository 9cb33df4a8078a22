//! Jekyll posts keep their old addresses: each imported post gets an alias at the URL Jekyll
//! published it at, so binder writes a redirect there and no link from outside breaks.
//!
//! Jekyll puts a post at its `permalink` pattern (`_config.yml`; `date` by default:
//! `/:categories/:year/:month/:day/:title.html`), filled from the file name
//! (`2026-01-05-first-post.md`) and the post's categories. binder puts it at
//! `/posts/2026-01-05-first-post/`. A post with its own `permalink` keeps that URL as its
//! page address already (see the front-matter mapping) and needs no alias.

use std::path::Path;

use crate::diag::BuildFailed;

use super::front::{has_key, with_key};
use super::settings::yaml_line;
use super::{Imported, rewrite_pages};

/// The site's permalink pattern, Jekyll's named styles spelled out.
fn pattern(config: &str) -> String {
    let style = yaml_line(config, "permalink").unwrap_or_else(|| "date".into());
    match style.as_str() {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        other => other.to_owned(),
    }
}

/// `2026-01-05-first-post.md` → (`2026`, `01`, `05`, `first-post`).
fn dated_name(file: &str) -> Option<(&str, &str, &str, &str)> {
    let stem = file.strip_suffix(".md")?;
    let (y, rest) = stem.split_once('-')?;
    let (m, rest) = rest.split_once('-')?;
    let (d, title) = rest.split_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (digits(y, 4) && digits(m, 2) && digits(d, 2) && !title.is_empty()).then_some((y, m, d, title))
}

/// The post's categories as its front matter lists them (`categories: [a, b]`,
/// `categories: a b`, a `- a` list, or `category: a`), lower-cased as Jekyll's URLs have them.
fn categories(text: &str) -> Vec<String> {
    let Some(front) = text
        .strip_prefix("---\n")
        .and_then(|r| r.split("\n---").next())
    else {
        return Vec::new();
    };
    let lines: Vec<&str> = front.lines().collect();
    for key in ["categories", "category"] {
        let Some(i) = lines.iter().position(|l| l.starts_with(&format!("{key}:"))) else {
            continue;
        };
        let value = lines[i][key.len() + 1..].trim();
        let items: Vec<String> = if let Some(list) = value.strip_prefix('[') {
            list.trim_end_matches(']')
                .split(',')
                .map(str::to_owned)
                .collect()
        } else if value.is_empty() {
            (lines[i + 1..].iter())
                .map_while(|l| l.trim_start().strip_prefix("- "))
                .map(str::to_owned)
                .collect()
        } else {
            value.split_whitespace().map(str::to_owned).collect()
        };
        return items
            .iter()
            .map(|c| c.trim().trim_matches(['"', '\'']).to_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
    }
    Vec::new()
}

/// The URL Jekyll gave the post `file` (its name) with front matter `text`, by `pattern`.
fn old_url(pattern: &str, file: &str, text: &str) -> Option<String> {
    let (year, month, day, title) = dated_name(file)?;
    let cats = categories(text).join("/");
    let url = pattern
        .replace(":categories", &cats)
        .replace(":year", year)
        .replace(":month", month)
        .replace(":day", day)
        .replace(":i_month", month.trim_start_matches('0'))
        .replace(":i_day", day.trim_start_matches('0'))
        .replace(":short_year", &year[2..])
        .replace(":title", title)
        .replace(":slug", title)
        .replace(":output_ext", ".html");
    // A placeholder binder does not fill (`:y_day`, `:week`) names no URL it can know.
    if url.contains(':') {
        return None;
    }
    let mut clean = String::with_capacity(url.len());
    for seg in url.split('/').filter(|s| !s.is_empty()) {
        clean.push('/');
        clean.push_str(seg);
    }
    if url.ends_with('/') {
        clean.push('/');
    }
    (!clean.is_empty()).then_some(clean)
}

/// Adds each post under `content/posts/` an `aliases` entry at its old Jekyll URL.
pub(super) fn post_aliases(
    from: &Path,
    content: &Path,
    out: &mut Imported,
) -> Result<(), BuildFailed> {
    let config = std::fs::read_to_string(from.join("_config.yml")).unwrap_or_default();
    let pattern = pattern(&config);
    let mut first = None;
    let count = rewrite_pages(content, |rel, text| {
        let file = rel.strip_prefix("posts/")?.rsplit('/').next()?;
        if has_key(text, "permalink") || has_key(text, "aliases") {
            return None;
        }
        let url = old_url(&pattern, file, text)?;
        first.get_or_insert_with(|| format!("`{url}` for content/{rel}"));
        Some(with_key(text, "aliases", &format!("[\"{url}\"]")))
    })?;
    if let Some(first) = first {
        out.notes.push(format!(
            "{count} post{} keep{} the address Jekyll gave {} (`permalink: {pattern}`) as an alias, so binder writes a redirect there: {first}{}",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" },
            if count == 1 { "it" } else { "them" },
            if count > 1 { ", …" } else { "" }
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_urls_follow_the_site_pattern() {
        let text = "---\ntitle: First\ncategories: [News, Team]\n---\nHi.\n";
        let date = pattern("title: x\n");
        assert_eq!(
            old_url(&date, "2026-01-05-first-post.md", text).as_deref(),
            Some("/news/team/2026/01/05/first-post.html")
        );
        assert_eq!(
            old_url(
                &pattern("permalink: pretty\n"),
                "2026-01-05-first-post.md",
                "---\ntitle: x\n---\n"
            )
            .as_deref(),
            Some("/2026/01/05/first-post/"),
            "no categories: no empty segment"
        );
        assert_eq!(
            old_url("/blog/:year/:title/", "2026-01-05-first-post.md", text).as_deref(),
            Some("/blog/2026/first-post/")
        );
        assert_eq!(
            old_url(&pattern("permalink: ordinal\n"), "2026-01-05-a.md", text),
            None
        );
        assert_eq!(old_url(&date, "notes.md", text), None, "not a dated post");
        assert_eq!(
            categories("---\ncategories:\n  - Ops\n  - \"On call\"\n---\n"),
            ["ops", "on call"]
        );
        assert_eq!(categories("---\ncategory: News\n---\n"), ["news"]);
    }
}
