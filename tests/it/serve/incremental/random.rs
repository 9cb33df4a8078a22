//! The randomized differential test: seeded edit sequences over a handbook fixture (bodies,
//! titles, concepts, pairs, series, glossary entries with synonyms and a hierarchy, reading
//! paths, content kinds, owners and review dates, embeds, section indexes, a template, static
//! files, files added, deleted and renamed), and after every step the served files must be a
//! fresh full build's, byte for byte (or both must fail).

use std::collections::BTreeMap;
use std::path::Path;

use super::{Served, full_build, render};
use crate::serve::rich_site;
use crate::support::{CONFIG, Site};

/// A small seeded generator (SplitMix64): the same seed makes the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Each of `items` with probability 1/`n`, in order.
    fn some_of<T: Copy>(&mut self, items: &[T], n: usize) -> Vec<T> {
        items.iter().copied().filter(|_| self.one_in(n)).collect()
    }
}

/// Sets (or with `None` removes) front-matter key `key` of the Markdown file at `path` (a
/// file that is not there stays away).
fn set_field(path: &Path, key: &str, value: Option<&str>) {
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

fn append(path: &Path, text: &str) {
    let Ok(old) = std::fs::read_to_string(path) else {
        return;
    };
    std::fs::write(path, format!("{old}{text}")).expect("write");
}

/// The `site.toml` settings the generator varies; the default is the fixture's.
#[derive(Debug)]
struct Settings {
    /// `[health] kind_violations`.
    severity: &'static str,
    /// `title` of `[kinds.principle]`.
    principle_title: Option<String>,
    /// A `[kinds.tip]` for `tips/`.
    tip_kind: bool,
    /// `[markdown] heading_ids`.
    heading_ids: &'static str,
    /// `[markdown] smart_punctuation`.
    smart_punctuation: bool,
    /// `[front_matter] aliases = "names"` (no redirects).
    alias_names: bool,
    /// `[related] limit`.
    related: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            severity: "warn",
            principle_title: None,
            tip_kind: false,
            heading_ids: "github",
            smart_punctuation: true,
            alias_names: false,
            related: 5,
        }
    }
}

/// `site.toml` of the fixture: kinds for principles and pair posts (their violations warn, so
/// a removed `description` is a warning), a review period, and the variations of `settings`.
fn site_toml(settings: &Settings) -> String {
    let mut out = format!(
        "{CONFIG}review_after = \"365d\"\n\n[kinds.principle]\nsections = [\"principles\"]\nrequired = [\"series\", \"series_order\"]\n"
    );
    if let Some(t) = &settings.principle_title {
        out.push_str(&format!("title = \"{t}\"\n"));
    }
    out.push_str("\n[kinds.pair-blog]\nsections = [\"pair-blog\"]\nrequired = [\"pair\"]\n");
    if settings.tip_kind {
        out.push_str("\n[kinds.tip]\nsections = [\"tips\"]\n");
    }
    let aliases = if settings.alias_names {
        "names"
    } else {
        "redirects"
    };
    out.push_str(&format!(
        "\n[health]\nkind_violations = \"{}\"\n\n[markdown]\nheading_ids = \"{}\"\nsmart_punctuation = {}\n\n[front_matter]\naliases = \"{aliases}\"\n\n[related]\nlimit = {}\n",
        settings.severity, settings.heading_ids, settings.smart_punctuation, settings.related
    ));
    out
}

/// `rich_site` grown into a small handbook: kinds, glossary entries with synonyms, a parent
/// and see-also, an article tagged and linking by synonym, a reading path and an embed.
fn handbook_site() -> Site {
    let s = rich_site();
    s.write("site.toml", &site_toml(&Settings::default()));
    let content = s.root().join("content");
    for (rel, d) in [
        ("principles/trust.md", "Why trust comes first."),
        ("principles/curiosity.md", "Why we stay curious."),
        ("pair-blog/a.md", "A's side."),
        ("pair-blog/b.md", "B's side."),
    ] {
        set_field(&content.join(rel), "description", Some(d));
    }
    s.write(
        "content/concepts/questions.md",
        "---\ntitle: Questions\naliases: [asking, inquiry]\nparent: trust\n---\nAsking well. See [[listen]].\n",
    );
    s.write(
        "content/concepts/listening.md",
        "---\ntitle: Listening\naliases: [active listening]\nsee_also: [questions]\n---\nHearing the person.\n",
    );
    set_field(&content.join("tips/close.md"), "concepts", Some("[asking]"));
    append(
        &content.join("tips/close.md"),
        "\nListen first: [[active listening]].\n",
    );
    append(&content.join("tips/open.md"), "\n![[close]]\n");
    // Its id depends on `[markdown] heading_ids` (`café-über` or `cafe-uber`).
    append(
        &content.join("tips/listen.md"),
        "\n## Café Über\n\nIt's \"quoted\" -- smartly.\n",
    );
    append(
        &content.join("principles/curiosity.md"),
        "\nSee [the café](../tips/listen.md#cafe-uber).\n",
    );
    s.write(
        "content/paths/_index.md",
        "---\ntitle: Reading paths\n---\n",
    );
    s.write(
        "content/paths/start.md",
        "---\ntitle: Start here\ndescription: Where to begin.\n---\n1. [[ask]]: first, ask.\n2. [[listen]]: then listen.\n3. [[curiosity]]: the principle behind both.\n",
    );
    s
}

/// The articles of the fixture (content-relative); the generator adds the ones a sequence
/// added and the reading paths there are.
const ARTICLES: &[&str] = &[
    "tips/ask.md",
    "tips/listen.md",
    "tips/close.md",
    "tips/open.md",
    "principles/trust.md",
    "principles/curiosity.md",
    "pair-blog/a.md",
    "pair-blog/b.md",
];

/// The template the generator edits.
const TEMPLATE: &str = "themes/default/templates/404.html";

/// Glossary terms with the synonyms their entries usually claim.
const GLOSSARY: &[(&str, &[&str])] = &[
    ("trust", &["safety"]),
    ("questions", &["asking", "inquiry"]),
    ("listening", &["active listening"]),
    ("focus", &["attention"]),
];

/// Concepts an article may be tagged with: terms and synonyms.
const CONCEPTS: &[&str] = &[
    "trust",
    "questions",
    "listening",
    "focus",
    "asking",
    "active listening",
];

/// Wikilink targets by file name (titles change under the generator), a synonym among them.
const LINKS: &[&str] = &["listen", "ask", "trust", "open", "close", "asking"];

/// Entries a reading path may list (by file name).
const PATH_ENTRIES: &[&str] = &["ask", "listen", "close", "open", "curiosity", "b"];

/// The Markdown files in `content/<dir>` whose name starts with `prefix` (content-relative,
/// sorted), section indexes left out.
fn listed(root: &Path, dir: &str, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root.join("content").join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md") && n.starts_with(prefix) && !n.starts_with('_'))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    out.sort();
    out
}

/// The reading paths there are.
fn reading_paths(root: &Path) -> Vec<String> {
    listed(root, "paths", "")
}

/// The articles a sequence added (and perhaps renamed).
fn added(root: &Path) -> Vec<String> {
    let mut out = listed(root, "tips", "new-");
    out.extend(listed(root, "principles", "new-"));
    out
}

/// A path file: front matter, `(target, why)` entries, and any other body lines.
struct PathFile {
    front: String,
    entries: Vec<(String, String)>,
    rest: Vec<String>,
}

impl PathFile {
    fn new(title: &str, entries: Vec<(String, String)>) -> PathFile {
        PathFile {
            front: format!("---\ntitle: {title}\n---\n"),
            entries,
            rest: Vec::new(),
        }
    }

    fn read(path: &Path) -> Option<PathFile> {
        let text = std::fs::read_to_string(path).ok()?;
        let end = text.strip_prefix("---\n")?.find("\n---\n")? + 4 + 5;
        let (front, body) = text.split_at(end);
        let mut entries = Vec::new();
        let mut rest = Vec::new();
        for line in body.lines() {
            let entry = line
                .split_once(". [[")
                .filter(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|(_, r)| r.split_once("]]: "));
            match entry {
                Some((target, why)) => entries.push((target.to_owned(), why.to_owned())),
                None => rest.push(line.to_owned()),
            }
        }
        Some(PathFile {
            front: front.to_owned(),
            entries,
            rest,
        })
    }

    fn write(&self, path: &Path) {
        let mut out = self.front.clone();
        for (k, (target, why)) in self.entries.iter().enumerate() {
            out.push_str(&format!("{}. [[{target}]]: {why}\n", k + 1));
        }
        for line in &self.rest {
            out.push_str(line);
            out.push('\n');
        }
        std::fs::write(path, out).expect("write");
    }
}

/// A few distinct path entries in random order, each with its line of why.
fn random_entries(rng: &mut Rng, n: usize) -> Vec<(String, String)> {
    let mut pool: Vec<&str> = PATH_ENTRIES.to_vec();
    let count = 1 + rng.below(4);
    (0..count)
        .map(|k| {
            let target = pool.remove(rng.below(pool.len()));
            (target.to_owned(), format!("step {k} of edit {n}."))
        })
        .collect()
}

/// What one edit did and the paths (relative to the site root) the watcher would report.
type Done = (String, Vec<String>);

fn content(rel: &str) -> String {
    format!("content/{rel}")
}

/// One edit of a reading path: its entries (all new, reordered, one added or removed, a
/// line of why), its title, a new path or a deleted one.
fn path_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let at = |rel: &str| root.join("content").join(rel);
    let paths = reading_paths(root);
    if paths.is_empty() || rng.one_in(6) {
        let rel = format!("paths/p{n}.md");
        PathFile::new(&format!("Path {n}"), random_entries(rng, n)).write(&at(&rel));
        return (format!("add path {rel}"), vec![content(&rel)]);
    }
    let rel = rng.pick(&paths).clone();
    let Some(mut file) = PathFile::read(&at(&rel)) else {
        return (format!("{rel} unreadable: nothing"), Vec::new());
    };
    let len = file.entries.len();
    let what = match rng.below(7) {
        0 => {
            std::fs::remove_file(at(&rel)).expect("delete");
            return (format!("delete path {rel}"), vec![content(&rel)]);
        }
        1 => {
            file.entries = random_entries(rng, n);
            "new entries"
        }
        2 if len > 0 => {
            file.entries[rng.below(len)].1 = format!("why, rewritten at {n}.");
            "a line of why"
        }
        3 if len > 1 => {
            let i = rng.below(len - 1);
            file.entries.swap(i, i + 1);
            "two entries swapped"
        }
        4 if len > 0 => {
            file.entries.remove(rng.below(len));
            "an entry removed"
        }
        5 => {
            set_field(&at(&rel), "title", Some(&format!("Path {n}")));
            return (format!("title of path {rel}"), vec![content(&rel)]);
        }
        _ => {
            let target = *rng.pick(PATH_ENTRIES);
            let i = rng.below(len + 1);
            file.entries
                .insert(i, (target.to_owned(), format!("added at {n}.")));
            "an entry added"
        }
    };
    file.write(&at(&rel));
    (format!("path {rel}: {what}"), vec![content(&rel)])
}

/// A glossary entry written again (synonyms, parent, see-also, definition) or deleted.
fn glossary_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
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
fn kind_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
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
fn config_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
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
fn freshness_edit(rng: &mut Rng, root: &Path, article: &str) -> Done {
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
fn embed_edit(rng: &mut Rng, root: &Path, host: &str) -> Done {
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
fn section_file_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
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
fn summary_edit(rng: &mut Rng, root: &Path, article: &str, n: usize) -> Done {
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

/// One random edit of the site at `root`; returns what it did and the touched paths.
fn random_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let added = added(root);
    let at = |rel: &str| root.join("content").join(rel);
    let mut articles: Vec<String> = ARTICLES.iter().map(|s| (*s).to_owned()).collect();
    articles.extend(added.iter().cloned());
    articles.retain(|a| at(a).exists());
    articles.extend(reading_paths(root));
    let article = rng.pick(&articles).clone();
    let titles = [
        "Listen well",
        "Ask for clarity",
        "Quiet minds",
        "Zeta",
        "Alpha",
    ];
    match rng.below(28) {
        0 | 1 => {
            let link = match rng.below(3) {
                0 => format!(" See [[{}]].", rng.pick(LINKS)),
                _ => String::new(),
            };
            append(
                &at(&article),
                &format!("\nParagraph {n}, about {}.{link}\n", rng.pick(CONCEPTS)),
            );
            (format!("body of {article}"), vec![content(&article)])
        }
        2 => {
            let title = rng.pick(&titles);
            set_field(&at(&article), "title", Some(title));
            (
                format!("title of {article} → {title}"),
                vec![content(&article)],
            )
        }
        3 => {
            let v = format!("[{}]", rng.some_of(CONCEPTS, 3).join(", "));
            set_field(&at(&article), "concepts", Some(&v));
            (
                format!("concepts of {article} → {v}"),
                vec![content(&article)],
            )
        }
        4 => {
            let (rel, value) = *rng.pick(&[("pair-blog/a.md", "b.md"), ("pair-blog/b.md", "a.md")]);
            let value = rng.one_in(2).then_some(value);
            set_field(&at(rel), "pair", value);
            (format!("pair of {rel} → {value:?}"), vec![content(rel)])
        }
        5 => {
            let order = (1 + rng.below(3)).to_string();
            set_field(&at(&article), "series", Some("foundations"));
            set_field(&at(&article), "series_order", Some(&order));
            (
                format!("{article} in the series at {order}"),
                vec![content(&article)],
            )
        }
        6 | 7 => glossary_edit(rng, root, n),
        8 => {
            let rel = *rng.pick(&[
                "tips/_index.md",
                "principles/_index.md",
                "paths/_index.md",
                "_index.md",
            ]);
            if !at(rel).exists() {
                std::fs::write(at(rel), "---\ntitle: Again\n---\n").expect("write");
            }
            match rng.below(4) {
                0 => set_field(
                    &at(rel),
                    "paginate_by",
                    Some(&(1 + rng.below(3)).to_string()),
                ),
                1 => set_field(&at(rel), "title", Some(&format!("Section {n}"))),
                2 => {
                    let v = *rng.pick(&["date", "title", "weight", "series"]);
                    set_field(&at(rel), "sort_by", Some(v));
                }
                _ => append(&at(rel), &format!("\nMore words {n}.\n")),
            }
            (format!("section {rel}"), vec![content(rel)])
        }
        9 => {
            let rel = TEMPLATE;
            let p = root.join(rel);
            let text = std::fs::read_to_string(&p).expect("read");
            let marker = "{% block content %}";
            assert!(text.contains(marker), "{rel} has no `{marker}`");
            std::fs::write(
                &p,
                text.replacen(marker, &format!("{marker}<!-- {n} -->"), 1),
            )
            .expect("write");
            ("template 404.html".to_owned(), vec![rel.to_owned()])
        }
        10 => {
            let rel = format!("static/note-{}.txt", rng.below(3));
            let p = root.join(&rel);
            if p.exists() && rng.one_in(2) {
                std::fs::remove_file(&p).expect("delete");
            } else {
                std::fs::create_dir_all(root.join("static")).expect("mkdir");
                std::fs::write(&p, format!("note {n}")).expect("write");
            }
            (format!("static {rel}"), vec![rel])
        }
        11 => {
            let rel = format!("{}/new-{n}.md", rng.pick(&["tips", "principles"]));
            let fm = format!(
                "---\ntitle: New {n}\ndate: 2024-0{}-01\nconcepts: [{}]\n---\nFresh, see [[{}]].\n",
                1 + rng.below(9),
                rng.pick(CONCEPTS),
                rng.pick(&["listen", "ask", "trust"]),
            );
            std::fs::write(at(&rel), fm).expect("write");
            (format!("add {rel}"), vec![content(&rel)])
        }
        12 if !added.is_empty() => {
            let rel = rng.pick(&added).clone();
            if rng.one_in(2) {
                std::fs::remove_file(at(&rel)).expect("delete");
                (format!("delete {rel}"), vec![content(&rel)])
            } else {
                let to = rel.replace(".md", "-moved.md");
                std::fs::rename(at(&rel), at(&to)).expect("rename");
                (
                    format!("rename {rel} → {to}"),
                    vec![content(&rel), content(&to)],
                )
            }
        }
        13..=15 => path_edit(rng, root, n),
        16 => kind_edit(rng, root, n),
        17 => config_edit(rng, root, n),
        18 => freshness_edit(rng, root, &article),
        19 => embed_edit(rng, root, &article),
        20 => {
            append(
                &at(&article),
                &format!("\n## Part {n}\n\nPart {n}, in detail.\n"),
            );
            (format!("heading in {article}"), vec![content(&article)])
        }
        21 => section_file_edit(rng, root, n),
        22 => {
            // The note `open.md` embeds: its body shows on the embedding page.
            append(&at("tips/close.md"), &format!("\nClosing words {n}.\n"));
            (
                "body of the embedded tips/close.md".to_owned(),
                vec![content("tips/close.md")],
            )
        }
        23 => summary_edit(rng, root, &article, n),
        24 => {
            // Old URLs that redirect here, or a slug of its own (a new URL).
            let what = if rng.one_in(2) {
                let v = format!("[/old/{n}/]");
                let v = (!rng.one_in(3)).then_some(v.as_str());
                set_field(&at(&article), "aliases", v);
                format!("aliases of {article} → {v:?}")
            } else {
                let v = format!("slug-{}", rng.below(3));
                let v = (!rng.one_in(2)).then_some(v.as_str());
                set_field(&at(&article), "slug", v);
                format!("slug of {article} → {v:?}")
            };
            (what, vec![content(&article)])
        }
        _ => {
            let v = rng.one_in(2).then_some("true");
            set_field(&at(&article), "draft", v);
            set_field(
                &at(&article),
                "date",
                Some(&format!("2024-0{}-1{}", 1 + rng.below(9), rng.below(10))),
            );
            (format!("draft/date of {article}"), vec![content(&article)])
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |s| {
        s.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number"))
    })
}

/// File contents by path relative to the site root.
type Files = BTreeMap<String, Vec<u8>>;

/// The files edits touch (content, static files, site.toml, the 404 template), by path
/// relative to the site root: what an undo restores from.
fn snapshot(root: &Path) -> Files {
    fn walk(root: &Path, dir: &Path, out: &mut Files) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let (Ok(rel), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(&path)) {
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &root.join("content"), &mut out);
    walk(root, &root.join("static"), &mut out);
    for rel in ["site.toml", TEMPLATE] {
        if let Ok(bytes) = std::fs::read(root.join(rel)) {
            out.insert(rel.to_owned(), bytes);
        }
    }
    out
}

/// Puts `paths` back as they were in `before` (written again, or deleted if they were not
/// there), as an author undoing an edit that broke the build would.
fn undo(root: &Path, before: &Files, paths: &[String]) {
    for rel in paths {
        let path = root.join(rel);
        match before.get(rel) {
            Some(bytes) => std::fs::write(&path, bytes).expect("restore"),
            None if path.exists() => std::fs::remove_file(&path).expect("remove"),
            None => {}
        }
    }
}

/// One seeded sequence of `steps` edits; panics (naming the seed and the steps) at the
/// first difference. An edit that breaks the build is usually undone by the next step (so
/// most steps compare a working site), sometimes followed by more edits first. Returns how
/// many steps built (and were compared) and how many failed both ways.
fn run_sequence(seed: u64, steps: usize) -> (usize, usize) {
    let mut counts = (0, 0);
    let s = handbook_site();
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    // The edits that broke the build, newest last, with the files as they were before.
    let mut breaking: Vec<(Files, Vec<String>)> = Vec::new();
    for step in 0..steps {
        let before = snapshot(&root);
        let (what, paths) = match breaking.last() {
            Some(_) if !rng.one_in(4) => {
                let (old, paths) = breaking.pop().expect("an edit to undo");
                undo(&root, &old, &paths);
                (format!("undo {paths:?}"), paths)
            }
            // Now and then two saves land in one batch (a formatter, a search and replace).
            _ if rng.one_in(5) => {
                let (a, mut paths) = random_edit(&mut rng, &root, step);
                let (b, more) = random_edit(&mut rng, &root, step + 100);
                paths.extend(more);
                paths.sort();
                paths.dedup();
                (format!("{{{a}, with {b}}}"), paths)
            }
            _ => random_edit(&mut rng, &root, step),
        };
        log.push(what);
        let label = format!(
            "seed {seed} (rerun with BINDER_DIFF_SEED={seed}), steps: {}",
            log.join("; ")
        );
        let served_ok = served.try_apply(&paths.iter().map(String::as_str).collect::<Vec<_>>());
        match (served_ok, full_build(&served.opts)) {
            (Ok(()), Ok(full)) => {
                served.assert_served(&full, &label);
                counts.0 += 1;
                breaking.clear();
            }
            (Err(e), Err(_)) => {
                if std::env::var_os("BINDER_DIFF_VERBOSE").is_some() {
                    eprintln!("{label}: both fail:\n{}", render(&e));
                }
                counts.1 += 1;
                if !log.last().is_some_and(|w| w.starts_with("undo ")) {
                    breaking.push((before, paths));
                }
            }
            (Ok(()), Err(e)) => panic!("{label}: served, but a full build fails:\n{}", render(&e)),
            (Err(e), Ok(_)) => {
                panic!("{label}: a full build works, serve failed:\n{}", render(&e))
            }
        }
    }
    counts
}

/// Random edit sequences: after every step the served files equal a fresh full build (or
/// both fail). `BINDER_DIFF_SEED=<n>` replays one sequence; `BINDER_DIFF_SEQUENCES` sets how
/// many run (default 200), from `BINDER_DIFF_FIRST` (default 1); `BINDER_DIFF_STEPS` sets
/// the steps of each (default 10); `BINDER_DIFF_KEEP_GOING=1` runs every sequence and lists
/// the failing seeds at the end.
#[test]
fn random_edit_sequences_serve_what_a_full_build_writes() {
    let (first, count) = match std::env::var("BINDER_DIFF_SEED") {
        Ok(s) => (s.parse().expect("BINDER_DIFF_SEED is a number"), 1),
        Err(_) => (
            env_number("BINDER_DIFF_FIRST", 1),
            env_number("BINDER_DIFF_SEQUENCES", 200),
        ),
    };
    let steps = env_number("BINDER_DIFF_STEPS", 10) as usize;
    let keep_going = std::env::var_os("BINDER_DIFF_KEEP_GOING").is_some();
    let (mut compared, mut broken, mut failed) = (0, 0, Vec::new());
    for seed in first..first + count {
        if !keep_going {
            let (c, b) = run_sequence(seed, steps);
            (compared, broken) = (compared + c, broken + b);
            continue;
        }
        match std::panic::catch_unwind(|| run_sequence(seed, steps)) {
            Ok((c, b)) => (compared, broken) = (compared + c, broken + b),
            Err(_) => failed.push(seed),
        }
    }
    eprintln!("{count} sequences: {compared} steps compared, {broken} failed in both builds");
    assert!(
        failed.is_empty(),
        "{} sequences failed: seeds {failed:?}",
        failed.len()
    );
}

/// The fixture builds, and the edits the generator makes reach what they are meant to: a
/// synonym lands on its concept, the path shows on its articles, the embed is spliced in, a
/// principle shows its kind.
#[test]
fn the_differential_fixture_uses_glossary_paths_kinds_and_embeds() {
    let s = handbook_site();
    s.build_ok();
    let close = s.main("tips/close/index.html");
    assert!(close.contains("concepts/questions/"), "{close}");
    assert!(close.contains("concepts/listening/"), "{close}");
    let listen = s.main("tips/listen/index.html");
    assert!(
        listen.contains("Part 2 of 3 of the reading path"),
        "{listen}"
    );
    let open = s.main("tips/open/index.html");
    assert!(open.contains("End with one next step."), "{open}");
    let principle = s.main("principles/trust/index.html");
    assert!(
        principle.contains("badge-kind kind-principle"),
        "{principle}"
    );
}
