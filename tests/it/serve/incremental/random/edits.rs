//! The edits of articles, glossary entries, section files and `site.toml` the generator
//! draws from, and the small file helpers they share. Each returns what it did and the paths
//! the watcher would report.

use std::path::Path;

use super::fixture::{GLOSSARY, Settings, site_toml};
use super::generate::Rng;

/// Sets (or with `None` removes) front-matter key `key` of the Markdown file at `path` (a
/// file that is not there stays away).
pub(super) fn set_field(path: &Path, key: &str, value: Option<&str>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let Some(rest) = text.strip_prefix("---\n") else {
        return;
    };
    let Some(end) = rest.find("\n---\n") else {
        return;
    };
    let mut lines: Vec<String> = rest[..end]
        .lines()
        .filter(|l| !l.starts_with(&format!("{key}:")))
        .map(str::to_owned)
        .collect();
    if let Some(v) = value {
        lines.push(format!("{key}: {v}"));
    }
    let out = format!("---\n{}{}", lines.join("\n"), &rest[end..]);
    std::fs::write(path, out).expect("write");
}

pub(super) fn append(path: &Path, text: &str) {
    let Ok(old) = std::fs::read_to_string(path) else {
        return;
    };
    std::fs::write(path, format!("{old}{text}")).expect("write");
}

/// What one edit did and the paths (relative to the site root) the watcher would report.
pub(super) type Done = (String, Vec<String>);

pub(super) fn content(rel: &str) -> String {
    format!("content/{rel}")
}

/// A glossary entry written again (synonyms, parent, see-also, definition) or deleted.
pub(super) fn glossary_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let (term, own) = *rng.pick(GLOSSARY);
    let rel = format!("concepts/{term}.md");
    let path = root.join("content").join(&rel);
    if path.exists() && rng.one_in(5) {
        std::fs::remove_file(&path).expect("delete");
        return (format!("delete glossary {rel}"), vec![content(&rel)]);
    }
    let mut aliases: Vec<&str> = own.iter().copied().filter(|_| !rng.one_in(4)).collect();
    if rng.one_in(8) {
        // Perhaps another concept's synonym: an error naming both files.
        let all: Vec<&str> = GLOSSARY
            .iter()
            .flat_map(|(_, a)| a.iter().copied())
            .collect();
        aliases.push(*rng.pick(&all));
        aliases.dedup();
    }
    let others: Vec<&str> = GLOSSARY
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| *t != term)
        .collect();
    let mut front = format!("title: {}\n", capitalise(term));
    if !aliases.is_empty() {
        front.push_str(&format!("aliases: [{}]\n", aliases.join(", ")));
    }
    if rng.one_in(3) {
        front.push_str(&format!("parent: {}\n", rng.pick(&others)));
    }
    let see_also = rng.some_of(&others, 4);
    if !see_also.is_empty() {
        front.push_str(&format!("see_also: [{}]\n", see_also.join(", ")));
    }
    if rng.one_in(2) {
        front.push_str(&format!("description: About {term} {n}.\n"));
    }
    let link = if rng.one_in(3) { " See [[ask]]." } else { "" };
    let text = format!("---\n{front}---\nGlossary {n} on *{term}*.{link}\n");
    std::fs::write(&path, text).expect("write");
    let what = format!("glossary {rel}: {}", front.trim_end().replace('\n', ", "));
    (what, vec![content(&rel)])
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// What a kind checks, edited: a `description`, a series, the concepts.
pub(super) fn kind_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let rel = *rng.pick(&[
        "principles/trust.md",
        "principles/curiosity.md",
        "pair-blog/a.md",
        "pair-blog/b.md",
        "tips/ask.md",
    ]);
    let path = root.join("content").join(rel);
    let what = match rng.below(3) {
        0 => {
            let d = format!("Described at {n}.");
            let v = (!rng.one_in(2)).then_some(d.as_str());
            set_field(&path, "description", v);
            format!("description of {rel} → {v:?}")
        }
        1 => {
            if rng.one_in(2) {
                set_field(&path, "series", None);
                set_field(&path, "series_order", None);
                format!("{rel} out of its series")
            } else {
                let order = (1 + rng.below(3)).to_string();
                set_field(&path, "series", Some("foundations"));
                set_field(&path, "series_order", Some(&order));
                format!("{rel} in the series at {order}")
            }
        }
        _ => {
            let v = if rng.one_in(2) { "[]" } else { "[trust]" };
            set_field(&path, "concepts", Some(v));
            format!("concepts of {rel} → {v}")
        }
    };
    (what, vec![content(rel)])
}

/// `site.toml` written again with other kind rules or Markdown options (a full rebuild).
pub(super) fn config_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let settings = Settings {
        severity: ["warn", "warn", "error", "off"][rng.below(4)],
        principle_title: rng.one_in(2).then(|| format!("Principle {n}")),
        tip_kind: rng.one_in(3),
        heading_ids: ["github", "github", "slug"][rng.below(3)],
        smart_punctuation: !rng.one_in(3),
        alias_names: rng.one_in(3),
        related: rng.below(6),
    };
    std::fs::write(root.join("site.toml"), site_toml(&settings)).expect("write");
    (
        format!("site.toml: {settings:?}"),
        vec!["site.toml".to_owned()],
    )
}

/// An owner or a review date set or removed.
pub(super) fn freshness_edit(rng: &mut Rng, root: &Path, article: &str) -> Done {
    let path = root.join("content").join(article);
    let what = if rng.one_in(2) {
        let v = (!rng.one_in(3)).then(|| *rng.pick(&["Ada", "Bo", "Team leads"]));
        set_field(&path, "owner", v);
        format!("owner of {article} → {v:?}")
    } else {
        let date = format!(
            "202{}-0{}-1{}",
            rng.below(7),
            1 + rng.below(9),
            rng.below(10)
        );
        let v = (!rng.one_in(3)).then_some(date.as_str());
        set_field(&path, "last_reviewed", v);
        format!("last_reviewed of {article} → {v:?}")
    };
    (what, vec![content(article)])
}

/// An embed (`![[note]]`, or `![[note#part-k]]` of a heading the note has) added to an
/// article, or one removed.
pub(super) fn embed_edit(rng: &mut Rng, root: &Path, host: &str) -> Done {
    let path = root.join("content").join(host);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (format!("{host} gone: nothing"), Vec::new());
    };
    let embeds: Vec<&str> = text.lines().filter(|l| l.starts_with("![[")).collect();
    if !embeds.is_empty() && rng.one_in(3) {
        let line = *rng.pick(&embeds);
        std::fs::write(&path, text.replacen(&format!("{line}\n"), "", 1)).expect("write");
        return (format!("{host}: removed {line}"), vec![content(host)]);
    }
    let note = *rng.pick(&["close", "listen", "ask", "curiosity"]);
    let dir = if note == "curiosity" {
        "principles"
    } else {
        "tips"
    };
    let parts: Vec<String> = std::fs::read_to_string(root.join(format!("content/{dir}/{note}.md")))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("## Part "))
        .map(|k| format!("part-{k}"))
        .collect();
    let embed = match parts.is_empty() || rng.one_in(2) {
        true => format!("![[{note}]]"),
        false => format!("![[{note}#{}]]", rng.pick(&parts)),
    };
    append(&path, &format!("\n{embed}\n"));
    (format!("{host}: {embed}"), vec![content(host)])
}

/// A section's `_index.md` deleted, renamed to `README.md` (which describes the folder just
/// as well), renamed back, or written anew.
pub(super) fn section_file_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let dir = *rng.pick(&["tips", "principles", "pair-blog", "paths"]);
    let index = format!("{dir}/_index.md");
    let readme = format!("{dir}/README.md");
    let at = |rel: &str| root.join("content").join(rel);
    let touched = vec![content(&index), content(&readme)];
    let what = if at(&index).exists() {
        if at(&readme).exists() || rng.one_in(2) {
            std::fs::remove_file(at(&index)).expect("delete");
            format!("delete {index}")
        } else {
            std::fs::rename(at(&index), at(&readme)).expect("rename");
            format!("rename {index} → {readme}")
        }
    } else if at(&readme).exists() && !rng.one_in(3) {
        std::fs::rename(at(&readme), at(&index)).expect("rename");
        format!("rename {readme} → {index}")
    } else {
        let text = format!("---\ntitle: {} {n}\n---\nAbout {dir}.\n", capitalise(dir));
        std::fs::write(at(&index), text).expect("write");
        format!("new {index}")
    };
    (what, touched)
}

/// The first line of `article`'s body (its summary, in a list entry) rewritten, links kept.
pub(super) fn summary_edit(rng: &mut Rng, root: &Path, article: &str, n: usize) -> Done {
    let path = root.join("content").join(article);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (format!("{article} gone: nothing"), Vec::new());
    };
    let Some(start) = text.strip_prefix("---\n").and_then(|r| r.find("\n---\n")) else {
        return (
            format!("{article} has no front matter: nothing"),
            Vec::new(),
        );
    };
    let body = start + 4 + 5;
    let words = *rng.pick(&["Changed opening", "Another start", "A *new* first line"]);
    let new = format!("{}{words} {n}: {}", &text[..body], &text[body..]);
    std::fs::write(&path, new).expect("write");
    (format!("summary of {article}"), vec![content(article)])
}
