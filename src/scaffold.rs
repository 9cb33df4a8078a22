//! `binder init` and `binder new`: the two commands that write sources rather than a site.
//!
//! `init` lays out a small, complete handbook (config, one article per section, a pair of
//! pair-blog posts naming each other, the default theme this binary embeds, a `.gitignore`)
//! that builds with no warnings, so a new team starts from something that works and shows
//! each feature once. `new` adds one article with its front matter at a slugged path.
//! Neither ever overwrites a file: every file that is in the way is named, and nothing is
//! written.

use std::path::{Path, PathBuf};

use crate::diag::{BuildFailed, Diagnostic};

use crate::render::theme::DEFAULT_THEME;

/// Scaffolds a handbook in `dir` (created if missing); returns the files created.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, BuildFailed> {
    let mut files = init_files(&handbook_title(dir));
    // A folder that is already a repository keeps its own .gitignore.
    files.retain(|(rel, _)| rel != ".gitignore" || !dir.join(rel).exists());
    let taken: Vec<PathBuf> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .collect();
    if let Some(first) = taken.first() {
        let more = match taken.len() {
            1 => String::new(),
            2 => " (and 1 more of the files it writes)".to_owned(),
            n => format!(" (and {} more of the files it writes)", n - 1),
        };
        let site = dir.join("site.toml");
        let (shown, what, hint) = if site.exists() {
            (
                site.display().to_string(),
                format!("this folder already holds a handbook: site.toml exists{more}"),
                format!(
                    "to add an article to it, run `binder --root {} new SECTION \"Title\"`; to start another handbook, run binder init in a new or empty folder, e.g. `binder init my-handbook`",
                    dir.display()
                ),
            )
        } else {
            (
                first.display().to_string(),
                format!("this file already exists{more}"),
                "run binder init in a new or empty folder, e.g. `binder init my-handbook`"
                    .to_owned(),
            )
        };
        return Err(Diagnostic::error(
            shown,
            format!("{what}; binder init never overwrites files"),
        )
        .with_hint(hint)
        .into());
    }
    let mut created = Vec::with_capacity(files.len());
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        write_new(&path, &bytes)?;
        created.push(path);
    }
    Ok(created)
}

/// Creates an article titled `title` in section folder `section` (`tips`, `guides/remote`)
/// of the handbook at `root`; returns its path.
pub fn new_article(root: &Path, section: &str, title: &str) -> Result<PathBuf, BuildFailed> {
    let config = crate::config::Config::load(&root.join("site.toml"), "site.toml")?;
    let section = section.trim().trim_matches('/');
    // `binder new` in the site folder prints `content/tips/x.md`, not `./content/tips/x.md`.
    let content = if root == Path::new(".") {
        PathBuf::from("content")
    } else {
        root.join("content")
    };
    let folder = content.join(section);
    let taxonomies: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    let plain = !section.is_empty()
        && section
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    // `content/concepts/` holds glossary entries, not articles.
    let glossary = taxonomies.contains(&section.split('/').next().unwrap_or(""));
    if !plain || glossary || !folder.is_dir() {
        let sections = section_folders(&content, &taxonomies);
        let create = format!("to start a new section, create content/{section}/_index.md");
        let hint = if glossary {
            format!(
                "content/{section}/ holds glossary entries, not articles; sections: {}",
                sections.join(", ")
            )
        } else if sections.is_empty() {
            format!("the handbook has no sections yet; {create}")
        } else {
            let guess = crate::diag::did_you_mean(section, sections.iter().map(String::as_str))
                .map_or_else(String::new, |g| format!("{g} "));
            format!("{guess}sections: {}; {create}", sections.join(", "))
        };
        return Err(Diagnostic::error(
            format!("content/{section}"),
            "there is no such section folder",
        )
        .with_hint(hint)
        .into());
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            "",
            format!("the title `{title}` has no letters or digits to name a file after"),
        )
        .with_hint("give the article a title with words, e.g. \"Ask better questions\"")
        .into());
    }
    let path = folder.join(format!("{slug}.md"));
    for existing in [path.clone(), folder.join(&slug).join("index.md")] {
        if existing.exists() {
            return Err(Diagnostic::error(
                existing.display().to_string(),
                "an article with this name already exists",
            )
            .with_hint("edit that article, or pick a different title")
            .into());
        }
    }
    let today = jiff::Zoned::now().date();
    write_new(&path, article(title, &today.to_string()).as_bytes())?;
    Ok(path)
}

/// Front matter (title, date, empty concepts) and an empty body.
fn article(title: &str, date: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar, with every escape YAML needs.
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| "\"Untitled\"".to_owned());
    format!("---\ntitle: {quoted}\ndate: {date}\nconcepts: []\n---\n\n")
}

/// Writes a file that must not exist yet (checked again here: the folder may be shared).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    use std::io::Write as _;
    let shown = path.display().to_string();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(&shown, format!("cannot create its folder: {e}")))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "this file already exists".to_owned()
            } else {
                format!("cannot create: {e}")
            };
            Diagnostic::error(&shown, why)
        })?;
    file.write_all(bytes)
        .map_err(|e| Diagnostic::error(&shown, format!("cannot write: {e}")))
}

/// Section folders under `content/` (those holding Markdown), glossary folders excluded.
fn section_folders(content: &Path, taxonomies: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(content)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_dir()
                && !crate::load::is_ignored_name(&e.file_name().to_string_lossy())
        })
        .filter_map(|e| {
            e.path()
                .strip_prefix(content)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .filter(|rel| !taxonomies.contains(&rel.split('/').next().unwrap_or("")))
        .filter(|rel| !content.join(rel).join("index.md").exists())
        .collect();
    out.sort();
    out
}

/// "team-handbook" → "Team handbook"; the current folder's name for `.`.
fn handbook_title(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = crate::config::capitalise(name.trim());
    if title.is_empty() || title.contains(['"', '\\']) {
        "Coaching handbook".to_owned()
    } else {
        title
    }
}

/// Every file `init` writes: (path relative to the new site, contents).
fn init_files(title: &str) -> Vec<(String, Vec<u8>)> {
    let today = jiff::Zoned::now().date().to_string();
    let fill = |text: &str| {
        text.replace("{title}", title)
            .replace("{date}", &today)
            .into_bytes()
    };
    let mut files: Vec<(String, Vec<u8>)> = STARTER
        .iter()
        .map(|(rel, text)| ((*rel).to_owned(), fill(text)))
        .collect();
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(rel, bytes)| (format!("themes/default/{rel}"), bytes.to_vec())),
    );
    files
}

/// The starter handbook; `{title}` and `{date}` (today) are filled in.
const STARTER: &[(&str, &str)] = &[
    (
        ".gitignore",
        "# The built site: binder writes it, nobody edits it; and the staging folders an\n# interrupted build leaves beside it (the next build removes them).\npublic/\n.*.binder-staging-*\n.*.binder-old-*\n",
    ),
    ("site.toml", SITE_TOML),
    ("content/_index.md", HOME),
    ("content/principles/_index.md", PRINCIPLES),
    ("content/principles/trust-comes-first.md", PRINCIPLE),
    ("content/tips/_index.md", TIPS),
    ("content/tips/ask-one-question-at-a-time.md", TIP),
    ("content/pair-blog/_index.md", PAIR_BLOG),
    ("content/pair-blog/the-first-session-coach.md", PAIR_COACH),
    ("content/pair-blog/the-first-session-lead.md", PAIR_LEAD),
    ("content/concepts/trust.md", GLOSSARY_TRUST),
    ("content/concepts/listening.md", GLOSSARY_LISTENING),
];

const SITE_TOML: &str = r#"# binder site configuration; the README lists every key.
title = "{title}"
description = "How we coach: principles, practical tips and paired blog posts."
# The address the site will be published at; a subpath such as /handbook/ works too.
base_url = "https://example.org/"
language = "en"
theme = "default"

[[taxonomies]]
name = "concepts"

[[taxonomies]]
name = "authors"

[feeds]
# "full" articles or their "summary" in the Atom feeds.
content = "full"

[search]
enabled = true

[front_matter]
# A handbook written for binder: a misspelt front-matter key fails the build. Use "warn"
# to keep unknown keys in page.extra with one warning per key (what `binder import` sets).
unknown_keys = "error"
"#;

const HOME: &str = r#"---
title: "{title}"
description: "How we coach: principles, practical tips and paired blog posts."
---

Welcome to our coaching handbook. It collects what we have learned about helping people
think for themselves: the **principles** we hold, practical **tips** for everyday
conversations, and the **pair blog**, where two of us write about the same moment from
different chairs.

Start with [Trust comes first](principles/trust-comes-first.md), or press `/` to search.
"#;

const PRINCIPLES: &str = r#"---
title: "Principles"
description: "The beliefs behind how we coach."
weight: 1
---

Principles are the few ideas everything else rests on. Each one is short, and each one
links to the tips that put it into practice.
"#;

const PRINCIPLE: &str = r#"---
title: "Trust comes first"
date: {date}
description: "Without trust, every coaching technique sounds like a trick."
concepts: ["trust", "listening"]
authors: ["Alex Rivera"]
---

People only think out loud with someone they trust. Before any question, framework or
exercise, the person in front of you needs to believe that you are on their side and that
what they say will not be used against them.

## What builds it

Trust grows from small promises kept: starting on time, remembering what was said last
week, and keeping a conversation confidential. It also grows when you are willing to not
know the answer.

## What it looks like in practice

Listen more than you speak, and ask about their goal before you ask about obstacles. The
tip [Ask one question at a time](../tips/ask-one-question-at-a-time.md) is a good first
habit to build.
"#;

const TIPS: &str = r#"---
title: "Tips"
description: "Small habits that make coaching conversations better."
weight: 2
---

Tips are practical and short: one habit each, with the question to try next time.
"#;

const TIP: &str = r#"---
title: "Ask one question at a time"
date: {date}
description: "Stacked questions let people answer the easiest one; single questions invite thinking."
concepts: ["listening"]
authors: ["Sam Okoro"]
---

When we are keen to help, we tend to stack questions: "What happened, and why do you
think that was, and what would you do differently?" The other person answers the easiest
one and the conversation stays on the surface.

## Try this

Ask one open question, then stop talking. Let the silence do some of the work. When the
answer comes, ask the next question from what you heard, not from your list.

> [!question]
> What would you like to be different after this conversation?

This habit rests on [Trust comes first](../principles/trust-comes-first.md): people only
take time over a question when they trust the person asking it.
"#;

const PAIR_BLOG: &str = r#"---
title: "Pair blog"
description: "Two people, one moment, two points of view."
weight: 3
---

Each pair-blog post has a partner: the same moment told by the coach and by the person
being coached. Read them side by side.
"#;

const PAIR_COACH: &str = r#"---
title: "The first session, from the coach's chair"
date: {date}
description: "What I try to do in a first coaching session, and what I leave for later."
concepts: ["trust"]
authors: ["Alex Rivera"]
pair: "the-first-session-lead.md"
---

In a first session I try to do very little. I ask what the person wants from our time
together, I explain what I will keep confidential, and I listen. Sam wrote about the same
session from the other chair in
[The first session, from the team lead's chair](the-first-session-lead.md).

## What I leave for later

Advice, frameworks and homework can wait. If the first session ends with the person
feeling heard and curious about the next one, it went well.
"#;

const PAIR_LEAD: &str = r#"---
title: "The first session, from the team lead's chair"
date: {date}
description: "What a first coaching session felt like from the other side of the table."
concepts: ["trust"]
authors: ["Sam Okoro"]
pair: "the-first-session-coach.md"
---

I expected a first coaching session to be a plan for fixing me. Instead, Alex mostly
asked what I wanted and then listened. Alex's side of the same hour is in
[The first session, from the coach's chair](the-first-session-coach.md).

## What surprised me

How much I said once nobody interrupted. By the end I had named the real problem myself,
which made it much easier to want to work on it.
"#;

const GLOSSARY_TRUST: &str = r#"---
title: "Trust"
description: "Believing the other person is on your side."
---

Trust is the belief that the other person is on your side and that what you say will not
be used against you. In this handbook it is the ground every other practice stands on.
"#;

// Every concept the starter uses has an entry, so `binder check` reports a healthy handbook.
const GLOSSARY_LISTENING: &str = r#"---
title: "Listening"
description: "Attending to what the other person says, and to what they leave out."
---

Listening is giving the other person your full attention and letting them see that you have
understood, before you offer anything of your own.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_is_embedded() {
        let names: Vec<&str> = DEFAULT_THEME.iter().map(|(rel, _)| *rel).collect();
        for needed in [
            "templates/base.html",
            "templates/page.html",
            "static/style.css",
            "static/search.js",
        ] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
        assert!(
            names.windows(2).all(|w| w[0] < w[1]),
            "sorted, so init writes in a stable order"
        );
    }

    #[test]
    fn init_config_is_strict_about_front_matter() {
        let config: crate::config::Config =
            toml::from_str(&SITE_TOML.replace("{title}", "T")).expect("valid site.toml");
        assert_eq!(
            config.front_matter.unknown_keys,
            crate::config::UnknownKeys::Error
        );
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(
            article("Say \"no\": kindly", "2026-03-04"),
            "---\ntitle: \"Say \\\"no\\\": kindly\"\ndate: 2026-03-04\nconcepts: []\n---\n\n"
        );
    }

    #[test]
    fn handbook_title_comes_from_the_folder() {
        assert_eq!(
            handbook_title(Path::new("/tmp/team-handbook")),
            "Team handbook"
        );
    }
}
