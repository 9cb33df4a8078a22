//! The migration report of `binder import`: the new site in; `MIGRATION.md` (what was
//! mapped, what was kept, which links do not resolve and why, with `file:line` examples)
//! and a few summary lines for the terminal out. The site is loaded the way `binder check`
//! loads it, so the report lists what the build will say, grouped so an author can act.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::diag::{Diagnostic, Severity};
use crate::model::Site;
use crate::parse::front_matter::{KeyRole, Kind, key_role};
use crate::resolve::{LinkProblem, link_problems};

use super::Imported;

/// Examples listed per group of links.
const EXAMPLES: usize = 8;
/// Subjects (missing files, names) listed per reason.
const SUBJECTS: usize = 12;
/// Other warnings listed one by one.
const OTHERS: usize = 30;

/// The report as written to `MIGRATION.md`, and its summary for the terminal.
pub struct Report {
    /// The whole report (Markdown).
    pub markdown: String,
    /// A few lines for the terminal.
    pub summary: Vec<String>,
}

/// How often a key occurs and what binder does with it.
struct KeyUse {
    role: KeyRole,
    files: usize,
}

/// Loads the site at `root` (as imported) and reports on it.
pub fn report(root: &Path, imported: &Imported) -> Report {
    let opts = crate::BuildOptions {
        root: root.to_owned(),
        ..Default::default()
    };
    let mut md = String::new();
    let _ = writeln!(md, "# Migration report\n");
    let _ = writeln!(
        md,
        "Written by `binder import`: {} and {} copied from {}. The old folder was only read. Delete this file when you are done with it.\n",
        count(imported.pages, "Markdown file", "Markdown files"),
        count(imported.assets, "other file", "other files"),
        imported.generator
    );
    settings(&mut md, imported);
    match crate::site::load_site_lenient(&opts) {
        Ok((site, diags)) => loaded(md, &site, &diags),
        Err(failed) => {
            let _ = writeln!(md, "## The site does not load\n");
            for d in &failed.diagnostics {
                let _ = writeln!(md, "- {}", one_line(d));
            }
            Report {
                markdown: md,
                summary: vec![format!(
                    "the imported site does not load ({} problems): see MIGRATION.md",
                    failed.diagnostics.len()
                )],
            }
        }
    }
}

/// `1 article`, `3 articles`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn settings(md: &mut String, imported: &Imported) {
    let d = &imported.detected;
    let _ = writeln!(md, "## Settings taken over (site.toml)\n");
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not found: default)".into());
    let _ = writeln!(md, "- title: {}", show(&d.title));
    let _ = writeln!(md, "- base_url: {}", show(&d.base_url));
    let _ = writeln!(md, "- language: {}", show(&d.language));
    for note in &imported.notes {
        let _ = writeln!(md, "- {note}");
    }
    md.push('\n');
}

fn loaded(mut md: String, site: &Site, diags: &[Diagnostic]) -> Report {
    let keys = key_uses(site);
    let links = link_problems(site);
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let _ = writeln!(
        md,
        "{} and {} load. {}\n",
        count(site.pages.len(), "article", "articles"),
        count(site.sections.len(), "section", "sections"),
        match errors.len() {
            0 => "The site builds as it is; what follows is what to review.".to_owned(),
            1 => "1 error stops the build: it comes first.".to_owned(),
            n => format!("{n} errors stop the build: they come first."),
        }
    );
    if !errors.is_empty() {
        let _ = writeln!(md, "## Errors (fix these first)\n");
        for d in &errors {
            let _ = writeln!(md, "- {}", one_line(d));
        }
        md.push('\n');
    }
    key_tables(&mut md, &keys);
    link_section(&mut md, &links);
    other_warnings(&mut md, diags, &links);
    let mapped: usize = keys
        .values()
        .filter(|k| matches!(k.role, KeyRole::Mapped(_)))
        .count();
    let unknown: usize = keys
        .values()
        .filter(|k| matches!(k.role, KeyRole::Unknown(_)))
        .count();
    let kept: usize = keys
        .values()
        .filter(|k| matches!(k.role, KeyRole::Kept))
        .count();
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &links {
        *reasons.entry(l.reason).or_default() += 1;
    }
    let reasons: Vec<String> = reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    let summary = vec![
        format!(
            "front matter: {mapped} keys of other tools mapped to binder fields, {kept} kept quietly, {unknown} unknown keys kept in page.extra"
        ),
        if links.is_empty() {
            "links: every internal link resolves".to_owned()
        } else {
            format!(
                "links: {} do not resolve ({})",
                links.len(),
                reasons.join(", ")
            )
        },
        "the full report, with file:line for each problem and what to do, is in MIGRATION.md"
            .to_owned(),
    ];
    Report {
        markdown: md,
        summary,
    }
}

/// Every front-matter key of the site's files, with what binder does with it.
fn key_uses(site: &Site) -> BTreeMap<String, KeyUse> {
    let taxonomies: Vec<String> = site
        .config
        .taxonomies
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let mut out: BTreeMap<String, KeyUse> = BTreeMap::new();
    let files = site
        .pages
        .iter()
        .map(|p| (Kind::Article, &p.meta.key_spans))
        .chain(
            site.sections
                .iter()
                .map(|s| (Kind::Section, &s.meta.key_spans)),
        );
    for (kind, spans) in files {
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in spans {
            if seen.contains(&key.as_str()) {
                continue;
            }
            seen.push(key);
            out.entry(key.clone())
                .or_insert_with(|| KeyUse {
                    role: key_role(key, kind, &taxonomies),
                    files: 0,
                })
                .files += 1;
        }
    }
    out
}

fn key_tables(md: &mut String, keys: &BTreeMap<String, KeyUse>) {
    let _ = writeln!(md, "## Front matter\n");
    if keys.is_empty() {
        let _ = writeln!(
            md,
            "No file has front matter: titles come from each file's first `# Heading`, else its file name.\n"
        );
        return;
    }
    let by_count = |wanted: fn(&KeyRole) -> bool| {
        let mut list: Vec<(&String, &KeyUse)> =
            keys.iter().filter(|(_, k)| wanted(&k.role)).collect();
        list.sort_by(|a, b| b.1.files.cmp(&a.1.files).then(a.0.cmp(b.0)));
        list
    };
    let mapped = by_count(|r| matches!(r, KeyRole::Mapped(_)));
    if !mapped.is_empty() {
        let _ = writeln!(md, "### Keys of the old tool read as binder fields\n");
        let _ = writeln!(md, "| key | binder field | files |\n|---|---|---:|");
        for (key, k) in &mapped {
            if let KeyRole::Mapped(field) = &k.role {
                let _ = writeln!(md, "| `{}` | `{}` | {} |", cell(key), field, k.files);
            }
        }
        md.push('\n');
    }
    let native = by_count(|r| matches!(r, KeyRole::Native));
    if !native.is_empty() {
        let _ = writeln!(md, "### binder's own keys\n");
        let list: Vec<String> = native
            .iter()
            .map(|(k, u)| format!("`{k}` ({})", u.files))
            .collect();
        let _ = writeln!(md, "{}\n", list.join(", "));
    }
    let kept = by_count(|r| matches!(r, KeyRole::Kept | KeyRole::Unknown(_)));
    if !kept.is_empty() {
        let _ = writeln!(
            md,
            "### Kept in `page.extra` (templates can use them; nothing else does)\n"
        );
        let _ = writeln!(md, "| key | files | note |\n|---|---:|---|");
        for (key, k) in &kept {
            let note = match &k.role {
                KeyRole::Kept => "a key of the old tool with no binder counterpart: kept without a warning".to_owned(),
                KeyRole::Unknown(Some(close)) => format!("unknown, warned once: did you mean `{close}`?"),
                _ => "unknown, warned once per build: list it under `[front_matter] extra_keys` to keep it quietly".to_owned(),
            };
            let _ = writeln!(md, "| `{}` | {} | {} |", cell(key), k.files, note);
        }
        md.push('\n');
    }
}

fn link_section(md: &mut String, links: &[LinkProblem]) {
    let _ = writeln!(md, "## Links that do not resolve\n");
    if links.is_empty() {
        let _ = writeln!(md, "Every internal link resolves.\n");
        return;
    }
    let _ = writeln!(
        md,
        "{} links. They are warnings in this site (`[links] broken = \"warn\"`): the output shows their text without a link, or the page without the missing heading. Fix them, then set `broken = \"error\"`. `binder --verbose check` lists each with its own hint.\n",
        links.len()
    );
    let mut by_reason: BTreeMap<&str, Vec<&LinkProblem>> = BTreeMap::new();
    for l in links {
        by_reason.entry(l.reason).or_default().push(l);
    }
    let mut reasons: Vec<(&str, Vec<&LinkProblem>)> = by_reason.into_iter().collect();
    reasons.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    for (reason, list) in reasons {
        let _ = writeln!(
            md,
            "### {} ({})\n",
            crate::config::capitalise(reason),
            list.len()
        );
        let _ = writeln!(md, "Why, and what to do: {}.\n", list[0].advice);
        let translated = list.iter().filter(|l| is_translated_anchor(l)).count();
        let generated = list.iter().filter(|l| is_generated_anchor(l)).count();
        if generated > 0 {
            let _ = writeln!(
                md,
                "{generated} of them point into pages with no headings at all: the old site made those anchors from data or HTML (a team list, a component). Link the page, or add headings with those ids (`## Name {{#the-id}}`).\n"
            );
        }
        if translated > 0 {
            let _ = writeln!(
                md,
                "{translated} of them are Latin-script anchors into pages whose headings are in another script: the headings were translated, the links were not. Give each such heading its old id (`## 見出し {{#old-id}}`) and every link to it works again.\n"
            );
        }
        let mut by_subject: BTreeMap<&str, Vec<&LinkProblem>> = BTreeMap::new();
        for l in &list {
            by_subject.entry(&l.subject).or_default().push(l);
        }
        let mut subjects: Vec<(&str, Vec<&LinkProblem>)> = by_subject.into_iter().collect();
        subjects.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let shown = subjects.len().min(SUBJECTS);
        for (subject, group) in &subjects[..shown] {
            let examples: Vec<String> = group
                .iter()
                .take(EXAMPLES)
                .map(|l| format!("{} `{}`", l.location, l.detail))
                .collect();
            let more = group.len().saturating_sub(EXAMPLES);
            let more = if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            };
            let hint = group[0]
                .hint
                .as_deref()
                .map(|h| format!(" — {h}"))
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "- `{}` ({}){hint}: {}{more}",
                subject,
                n_links(group.len()),
                examples.join(", ")
            );
        }
        if subjects.len() > shown {
            let rest: usize = subjects[shown..].iter().map(|(_, g)| g.len()).sum();
            let _ = writeln!(
                md,
                "- … {rest} more links to {} other targets",
                subjects.len() - shown
            );
        }
        md.push('\n');
    }
}

/// Warnings that are not about links (those are above), one by one up to [`OTHERS`].
fn other_warnings(md: &mut String, diags: &[Diagnostic], links: &[LinkProblem]) {
    let link_at: std::collections::HashSet<&str> =
        links.iter().map(|l| l.location.as_str()).collect();
    let others: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning && !link_at.contains(d.location().as_str()))
        // `… and 312 more links to missing pages`: counted above already.
        .filter(|d| !(d.path.is_empty() && d.message.starts_with("… and")))
        .collect();
    if others.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Other warnings ({})\n", others.len());
    for d in others.iter().take(OTHERS) {
        let _ = writeln!(md, "- {}", one_line(d));
    }
    if others.len() > OTHERS {
        let _ = writeln!(
            md,
            "- … and {} more: `binder check` lists them",
            others.len() - OTHERS
        );
    }
    md.push('\n');
}

fn n_links(n: usize) -> String {
    if n == 1 {
        "1 link".to_owned()
    } else {
        format!("{n} links")
    }
}

/// A missing `#anchor` in ASCII, in a page most of whose heading ids (listed in the hint)
/// are in a non-Latin script (a translated page).
fn is_translated_anchor(l: &LinkProblem) -> bool {
    let foreign =
        |c: char| c.is_alphabetic() && !c.is_ascii() && !('\u{c0}'..='\u{24f}').contains(&c);
    let ids: Vec<&str> = l
        .hint
        .as_deref()
        .unwrap_or("")
        .split(['`', ',', ' '])
        .filter_map(|w| w.strip_prefix('#'))
        .filter(|id| !id.is_empty())
        .collect();
    let translated = ids.iter().filter(|id| id.chars().any(foreign)).count();
    l.detail.is_ascii() && !ids.is_empty() && translated * 2 >= ids.len()
}

/// A missing `#anchor` in a page with no headings at all (the old site made the anchor from
/// data or an HTML component).
fn is_generated_anchor(l: &LinkProblem) -> bool {
    l.hint
        .as_deref()
        .is_some_and(|h| h.ends_with("headings there: none"))
}

fn one_line(d: &Diagnostic) -> String {
    let at = d.location();
    let hint = d
        .hint
        .as_deref()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    if at.is_empty() {
        format!("{}{hint}", d.message)
    } else {
        format!("{at}: {}{hint}", d.message)
    }
}

/// A table cell: `|` would end it.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(detail: &str, hint: &str) -> LinkProblem {
        LinkProblem {
            reason: "links to missing anchors",
            advice: "",
            subject: "content/a.md".into(),
            location: "content/b.md:1:1".into(),
            detail: detail.into(),
            message: String::new(),
            hint: Some(hint.into()),
        }
    }

    #[test]
    fn translated_anchors_are_latin_links_into_mostly_non_latin_headings() {
        let ja = anchor("#hierarchy", "headings there: #interfaces, #階層, #命名");
        assert!(is_translated_anchor(&ja));
        // Accented Latin and an emoji heading are not a translation.
        let fr = anchor("#cafe", "headings there: #café, #über");
        assert!(!is_translated_anchor(&fr));
        let emoji = anchor("#x", "did you mean `#⏱️-efficiency`?");
        assert!(!is_translated_anchor(&emoji));
        assert!(!is_translated_anchor(&anchor("#x", "headings there: none")));
    }

    #[test]
    fn anchors_into_pages_without_headings_are_generated() {
        assert!(is_generated_anchor(&anchor("#ada", "headings there: none")));
        assert!(!is_generated_anchor(&anchor("#ada", "headings there: #bo")));
    }
}
