//! The fixture: `rich_site` grown into a small handbook, its `site.toml` and the settings
//! the generator varies, and the names (articles, terms, link targets) edits choose from.

use std::path::Path;

use super::edits::{append, set_field};
use crate::serve::rich_site;
use crate::support::{CONFIG, Site};

/// The `site.toml` settings the generator varies; the default is the fixture's.
#[derive(Debug)]
pub(super) struct Settings {
    /// `[health] kind_violations`.
    pub(super) severity: &'static str,
    /// `title` of `[kinds.principle]`.
    pub(super) principle_title: Option<String>,
    /// A `[kinds.tip]` for `tips/`.
    pub(super) tip_kind: bool,
    /// `[markdown] heading_ids`.
    pub(super) heading_ids: &'static str,
    /// `[markdown] smart_punctuation`.
    pub(super) smart_punctuation: bool,
    /// `[front_matter] aliases = "names"` (no redirects).
    pub(super) alias_names: bool,
    /// `[related] limit`.
    pub(super) related: usize,
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
pub(super) fn site_toml(settings: &Settings) -> String {
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
pub(super) fn handbook_site() -> Site {
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
pub(super) const ARTICLES: &[&str] = &[
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
pub(super) const TEMPLATE: &str = "themes/default/templates/404.html";

/// Glossary terms with the synonyms their entries usually claim.
pub(super) const GLOSSARY: &[(&str, &[&str])] = &[
    ("trust", &["safety"]),
    ("questions", &["asking", "inquiry"]),
    ("listening", &["active listening"]),
    ("focus", &["attention"]),
];

/// Concepts an article may be tagged with: terms and synonyms.
pub(super) const CONCEPTS: &[&str] = &[
    "trust",
    "questions",
    "listening",
    "focus",
    "asking",
    "active listening",
];

/// Wikilink targets by file name (titles change under the generator), a synonym among them.
pub(super) const LINKS: &[&str] = &["listen", "ask", "trust", "open", "close", "asking"];

/// Entries a reading path may list (by file name).
pub(super) const PATH_ENTRIES: &[&str] = &["ask", "listen", "close", "open", "curiosity", "b"];

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
pub(super) fn reading_paths(root: &Path) -> Vec<String> {
    listed(root, "paths", "")
}

/// The articles a sequence added (and perhaps renamed).
pub(super) fn added(root: &Path) -> Vec<String> {
    let mut out = listed(root, "tips", "new-");
    out.extend(listed(root, "principles", "new-"));
    out
}
