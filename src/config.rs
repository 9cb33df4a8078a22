//! Config stage: `site.toml` → [`Config`].
//!
//! Every key is typed and unknown keys are rejected with the line they are on and a
//! "did you mean" hint, because a misspelt option that is silently ignored is the worst kind
//! of configuration bug.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, did_you_mean};

/// The whole `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-sentence description (meta description, feed subtitle).
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is published at; may include a subpath. Always ends in `/`.
    pub base_url: String,
    /// Language code for `<html lang>` and feeds.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Output folder, relative to the site root.
    #[serde(default = "default_output")]
    pub output_dir: String,
    /// Taxonomies (default: concepts and authors).
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Markdown options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Code highlighting.
    #[serde(default)]
    pub highlight: HighlightConfig,
    /// Internal link checking.
    #[serde(default)]
    pub links: LinksConfig,
    /// Related-articles ranking.
    #[serde(default)]
    pub related: RelatedConfig,
    /// Atom feeds.
    #[serde(default)]
    pub feeds: FeedsConfig,
    /// Client-side search.
    #[serde(default)]
    pub search: SearchConfig,
    /// Front-matter policy.
    #[serde(default)]
    pub front_matter: FrontMatterConfig,
    /// Content kinds by name (`[kinds.principle]`): where each lives and what it must carry.
    #[serde(default)]
    pub kinds: std::collections::BTreeMap<String, KindConfig>,
    /// How long a review holds (`365d`, `26w`, `12m`, `1y`); older articles are stale.
    #[serde(default)]
    pub review_after: Option<String>,
    /// "Edit this page" URL pattern; `{path}` is the source path from the site root.
    #[serde(default)]
    pub edit_url: Option<String>,
    /// Severity of each kind of `binder check` finding.
    #[serde(default)]
    pub health: HealthConfig,
    /// Free table passed to templates as `site.extra`.
    #[serde(default)]
    pub extra: toml::Table,
    /// `[urls]`: how file and folder names become URLs.
    #[serde(default)]
    pub urls: UrlsConfig,
    /// `[content]`: which files describe a folder, symlinks.
    #[serde(default)]
    pub content: ContentConfig,
    /// `[git]`: dates and contributors from the site's git history.
    #[serde(default)]
    pub git: GitConfig,
    /// `[translations.<lang>]`: the theme's words for a language, added or overridden
    /// key by key (see `render::i18n`).
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, WordTable>,
    /// The words binder writes itself, in the site's language: not read from `site.toml` but set
    /// from the theme's translations when the theme is checked.
    #[serde(skip)]
    pub renderer_words: RendererWords,
}

/// One translated entry of the theme's words (see `render::i18n`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum WordEntry {
    /// A word or sentence; `{name}` placeholders are filled from `t`'s arguments.
    Text(String),
    /// Month or weekday names.
    List(Vec<String>),
    /// Plural forms (`one`, `other`; `zero`, `two`, `few`, `many` where a language has them),
    /// picked by `t`'s `count` argument.
    Plural(std::collections::BTreeMap<String, String>),
}

/// A language's table of the theme's words: key → entry.
pub type WordTable = std::collections::BTreeMap<String, WordEntry>;

/// The theme's words that binder writes itself rather than through a template, in the
/// site's language: callout titles by kind (`tip` → `Astuce`), heading-anchor, footnote and
/// task-box labels, feed titles and redirect pages. A word the theme lacks stays English
/// (see `parse::markdown` for the lookup).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RendererWords(pub std::collections::BTreeMap<String, String>);

/// One content kind, `[kinds.principle]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KindConfig {
    /// Display title (default: the capitalised name).
    #[serde(default)]
    pub title: Option<String>,
    /// Section folders under `content/` whose articles are of this kind (subsections too).
    pub sections: Vec<String>,
    /// Front-matter keys every article of the kind must set, besides `concepts` and
    /// `description`, which every kind requires.
    #[serde(default)]
    pub required: Vec<String>,
    /// Allowed values per front-matter key (`allowed = { level = ["new", "practised"] }`).
    #[serde(default)]
    pub allowed: std::collections::BTreeMap<String, Vec<String>>,
}

/// How seriously `binder check` takes a kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails `binder check` (exit code 1).
    Error,
    /// Reported; the exit code stays 0.
    Warn,
    /// Not reported.
    Off,
}

/// `[health]`: one [`Level`] per kind of finding.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HealthConfig {
    /// Links that resolve to nothing or to more than one article.
    #[serde(default = "level_error")]
    pub broken_links: Level,
    /// Articles nothing links to and no reading path includes.
    #[serde(default = "level_warn")]
    pub orphans: Level,
    /// Concepts only one article uses (often a typo or a synonym).
    #[serde(default = "level_warn")]
    pub single_use_concepts: Level,
    /// Concepts without a glossary entry.
    #[serde(default = "level_warn")]
    pub undefined_concepts: Level,
    /// Pair-blog posts without a partner (an error, as in `binder build`).
    #[serde(default = "level_error")]
    pub unpaired_posts: Level,
    /// Articles not reviewed within `review_after`.
    #[serde(default = "level_warn")]
    pub stale: Level,
    /// Articles without a `description`.
    #[serde(default = "level_warn")]
    pub missing_descriptions: Level,
    /// Articles breaking their kind's rules (these also fail `binder build` unless `off`
    /// or `warn`).
    #[serde(default = "level_error")]
    pub kind_violations: Level,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            broken_links: Level::Error,
            orphans: Level::Warn,
            single_use_concepts: Level::Warn,
            undefined_concepts: Level::Warn,
            unpaired_posts: Level::Error,
            stale: Level::Warn,
            missing_descriptions: Level::Warn,
            kind_violations: Level::Error,
        }
    }
}

fn level_error() -> Level {
    Level::Error
}
fn level_warn() -> Level {
    Level::Warn
}

/// One taxonomy, e.g. `concepts`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Front-matter key and URL segment (`concepts` → `/concepts/trust/`).
    pub name: String,
    /// Display title; defaults to the capitalised name.
    #[serde(default)]
    pub title: Option<String>,
    /// Articles per term page.
    #[serde(default = "default_page_size")]
    pub paginate_by: usize,
    /// Write an Atom feed per term.
    #[serde(default = "yes")]
    pub feed: bool,
}

impl TaxonomyConfig {
    fn named(name: &str) -> Self {
        TaxonomyConfig {
            name: name.to_owned(),
            title: None,
            paginate_by: default_page_size(),
            feed: true,
        }
    }

    /// Title shown in templates.
    pub fn display_title(&self) -> String {
        self.title.clone().unwrap_or_else(|| capitalise(&self.name))
    }
}

/// What to do with raw HTML in Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Show it as text (default: many contributors, no script injection).
    #[default]
    Escape,
    /// Pass it through.
    Allow,
}

/// `[markdown]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Raw HTML policy.
    #[serde(default)]
    pub raw_html: RawHtml,
    /// How heading ids are made from heading text.
    #[serde(default)]
    pub heading_ids: HeadingIds,
    /// Read `[[Title]]` as a wikilink and `![[Note]]` as an embed. Off for content written
    /// for a tool without them (Hugo, Jekyll …), where `[[x]]` is just text.
    #[serde(default = "yes")]
    pub wikilinks: bool,
}

/// How heading ids are derived from heading text (`[markdown] heading_ids`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingIds {
    /// GitHub's rules: letters of every script kept (`Café` → `café`, `日本語` → `日本語`),
    /// so links written against github.com, Hugo or Docusaurus keep working.
    #[default]
    Github,
    /// ASCII only, transliterated like URL slugs (`Café Über` → `cafe-uber`), as Zola does.
    Slug,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            raw_html: RawHtml::Escape,
            heading_ids: HeadingIds::Github,
            wikilinks: true,
        }
    }
}

/// `[highlight]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HighlightConfig {
    /// Theme for the light colour scheme.
    #[serde(default = "default_light")]
    pub light_theme: String,
    /// Theme for the dark colour scheme.
    #[serde(default = "default_dark")]
    pub dark_theme: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light_theme: default_light(),
            dark_theme: default_dark(),
        }
    }
}

/// Severity of broken internal links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    /// A broken link fails the build.
    #[default]
    Error,
    /// A broken link is reported, the build goes on.
    Warn,
}

/// `[links]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinksConfig {
    /// `error` (default) or `warn`.
    #[serde(default)]
    pub broken: LinkPolicy,
}

/// Markdown features that can be switched per site, as the parse stage takes them.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Curly quotes, en/em dashes and ellipses.
    pub smart_punctuation: bool,
    /// Pass raw HTML through; when false it is escaped and shown as text.
    pub allow_raw_html: bool,
    /// How heading ids are made from heading text.
    pub heading_ids: HeadingIds,
    /// `[[Title]]` wikilinks and `![[Note]]` embeds.
    pub wikilinks: bool,
}

impl Default for MarkdownOptions {
    /// Plain punctuation, raw HTML escaped, GitHub heading ids, wikilinks on.
    fn default() -> Self {
        MarkdownOptions {
            smart_punctuation: false,
            allow_raw_html: false,
            heading_ids: HeadingIds::default(),
            wikilinks: true,
        }
    }
}

impl Config {
    /// The Markdown options of `[markdown]`.
    pub fn markdown_options(&self) -> MarkdownOptions {
        MarkdownOptions {
            smart_punctuation: self.markdown.smart_punctuation,
            allow_raw_html: self.markdown.raw_html == RawHtml::Allow,
            heading_ids: self.markdown.heading_ids,
            wikilinks: self.markdown.wikilinks,
        }
    }
}

/// `[urls]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UrlsConfig {
    /// Keep file and folder names in URLs as written (`license_troubleshooting/`) instead of
    /// slugging them (`license-troubleshooting/`); for handbooks migrated from other tools.
    #[serde(default)]
    pub keep_names: bool,
}

/// `[content]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContentConfig {
    /// File names that describe their folder as a section, first found wins.
    #[serde(default = "default_section_index")]
    pub section_index: Vec<String>,
    /// Read files that a symlink under `content/` points to outside the site root (off:
    /// such a link is an error, so a contributor cannot publish `~/.ssh` or `site.toml`).
    #[serde(default)]
    pub follow_external_symlinks: bool,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            section_index: default_section_index(),
            follow_external_symlinks: false,
        }
    }
}

fn default_section_index() -> Vec<String> {
    ["_index.md", "index.md", "README.md"]
        .map(String::from)
        .to_vec()
}

/// `[related]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedConfig {
    /// How many related articles each page lists.
    #[serde(default = "default_related")]
    pub limit: usize,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            limit: default_related(),
        }
    }
}

/// What a feed entry carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    /// The whole article.
    #[default]
    Full,
    /// The summary only.
    Summary,
}

/// `[feeds]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// Write Atom feeds at all.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Full content or summary.
    #[serde(default)]
    pub content: FeedContent,
    /// Entries per feed.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            enabled: true,
            content: FeedContent::Full,
            limit: default_feed_limit(),
        }
    }
}

/// `[git]`: read each article's last change and contributors from the git history.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GitConfig {
    /// `true`: read the history (and warn if there is none); `false`: never; unset
    /// (the default): read it where the site is a git repository, else say so once.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Walk at most this many commits, newest first (contributors of older commits are
    /// then not counted; said once).
    #[serde(default = "default_max_commits")]
    pub max_commits: usize,
}

fn default_max_commits() -> usize {
    100_000
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            enabled: None,
            max_commits: default_max_commits(),
        }
    }
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the search index.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// What to do with a front-matter key binder does not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownKeys {
    /// Keep it in `page.extra` and warn once per key for the whole site (default: migrated
    /// handbooks carry keys of other tools and of their own scripts).
    #[default]
    Warn,
    /// Every unknown key of every file is an error (`binder init` sets this: a typo in a
    /// handbook written for binder should fail the build).
    Error,
}

/// `[front_matter]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterConfig {
    /// `warn` (default) or `error`.
    #[serde(default)]
    pub unknown_keys: UnknownKeys,
    /// Keys of the site's own that go to `page.extra` without a warning.
    #[serde(default)]
    pub extra_keys: Vec<String>,
    /// What an article's `aliases` are: old URLs to redirect (Hugo, default) or other
    /// names for wikilinks (Obsidian).
    #[serde(default)]
    pub aliases: AliasMeaning,
}

/// `[front_matter] aliases`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AliasMeaning {
    /// Old paths (`/tips/old-name/`) that get a redirect page; wikilinks may use them too.
    #[default]
    Redirects,
    /// Other names of the article (`[[Ask Questions]]` finds it), no redirects: what
    /// Obsidian's `aliases` are (`binder import` sets this for a vault).
    Names,
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output() -> String {
    "public".into()
}
fn default_taxonomies() -> Vec<TaxonomyConfig> {
    vec![
        TaxonomyConfig::named("concepts"),
        TaxonomyConfig::named("authors"),
    ]
}
fn default_page_size() -> usize {
    20
}
fn default_related() -> usize {
    5
}
fn default_feed_limit() -> usize {
    20
}
// Coldark is the only light/dark pair in the bundled set where every token colour meets
// WCAG AA (≥ 4.5:1) against its own background.
fn default_light() -> String {
    "Coldark-Cold".into()
}
fn default_dark() -> String {
    "Coldark-Dark".into()
}
fn yes() -> bool {
    true
}

/// `concepts` → `Concepts`, `pair-blog` → `Pair blog`.
pub fn capitalise(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Config {
    /// Reads and validates `site.toml` at `path` (shown to users as `shown`).
    pub fn load(path: &Path, shown: &str) -> Result<Config, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::NotFound {
                format!("there is no {shown} in {}", path.parent().map_or_else(String::new, |p| p.display().to_string()))
            } else {
                format!("cannot read the site config: {e}")
            };
            Diagnostic::error(shown, what).with_io(shown, &e).with_hint(
                "run binder in the folder that holds site.toml, or pass --root DIR (binder init creates one)",
            )
        })?;
        Self::parse(&text, shown)
    }

    /// Parses config text; `shown` names the file in errors.
    pub fn parse(text: &str, shown: &str) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| toml_error(&e, text, shown))?;
        config.validate(text, shown)?;
        Ok(config)
    }

    fn validate(&mut self, text: &str, shown: &str) -> Result<(), Diagnostic> {
        let src: Arc<str> = Arc::from(text);
        let locate = |key: &str| {
            let at = text
                .find(&format!("{key} "))
                .or_else(|| text.find(key))
                .unwrap_or(0);
            at..at + key.len()
        };
        let base = self.base_url.trim();
        if !(base.starts_with("http://")
            || base.starts_with("https://")
            || base.starts_with("file://"))
        {
            return Err(
                Diagnostic::error(shown, format!("base_url `{base}` is not an absolute URL"))
                    .at(&src, locate("base_url"))
                    .with_hint("write the full address the site is published at, e.g. `https://example.org/handbook/`"),
            );
        }
        if !base.ends_with('/') {
            self.base_url = format!("{base}/");
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.taxonomies {
            let ok = !t.name.is_empty()
                && t.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !ok {
                return Err(Diagnostic::error(
                    shown,
                    format!("taxonomy name `{}` is not a plain lower-case word", t.name),
                )
                .at(&src, locate(&t.name))
                .with_hint(
                    "taxonomy names are front-matter keys and URL segments: use e.g. `concepts`",
                ));
            }
            if !seen.insert(t.name.clone()) {
                return Err(Diagnostic::error(
                    shown,
                    format!("taxonomy `{}` is declared twice", t.name),
                )
                .at(&src, locate(&t.name)));
            }
            if t.paginate_by == 0 {
                return Err(Diagnostic::error(shown, "paginate_by must be at least 1")
                    .at(&src, locate("paginate_by")));
            }
        }
        self.validate_kinds(&src, &locate, shown)?;
        if self
            .edit_url
            .as_deref()
            .is_some_and(|u| !u.contains("{path}"))
        {
            return Err(
                Diagnostic::error(shown, "edit_url has no `{path}` placeholder")
                    .at(&src, locate("edit_url"))
                    .with_hint("write where the file can be edited, e.g. `https://example.org/handbook/edit/main/{path}`"),
            );
        }
        if let Some(period) = &self.review_after {
            parse_period(period).map_err(|e| {
                Diagnostic::error(shown, format!("review_after: {e}"))
                    .at(&src, locate("review_after"))
                    .with_hint("write a number and a unit: `365d`, `26w`, `12m` or `1y`")
            })?;
        }
        Ok(())
    }

    /// Kind names are plain words; no section belongs to two kinds.
    fn validate_kinds(
        &self,
        src: &Arc<str>,
        locate: &dyn Fn(&str) -> std::ops::Range<usize>,
        shown: &str,
    ) -> Result<(), Diagnostic> {
        let mut owner: std::collections::BTreeMap<String, &str> = Default::default();
        for (name, kind) in &self.kinds {
            let plain = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !plain {
                return Err(Diagnostic::error(
                    shown,
                    format!("kind name `{name}` is not a plain lower-case word"),
                )
                .at(src, locate(name))
                .with_hint(
                    "kind names appear in templates and CSS classes: use e.g. `principle`",
                ));
            }
            for section in &kind.sections {
                let dir = section.trim_matches('/').to_owned();
                if let Some(other) = owner.insert(dir.clone(), name) {
                    return Err(Diagnostic::error(
                        shown,
                        format!("section `{dir}` is claimed by the kinds `{other}` and `{name}`"),
                    )
                    .at(src, locate(&format!("[kinds.{name}]")))
                    .with_hint("an article has one kind: list the section under only one kind"));
                }
            }
        }
        Ok(())
    }

    /// The configured taxonomy named `name`.
    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// `365d`, `26w`, `12m`, `1y` → days.
pub fn parse_period(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: i64 = num
        .parse()
        .map_err(|_| format!("`{text}` does not start with a number"))?;
    let days = match unit.trim() {
        "d" => 1,
        "w" => 7,
        "m" => 30,
        "y" => 365,
        other => return Err(format!("unknown unit `{other}` in `{text}`")),
    };
    if n == 0 {
        return Err("the period must be longer than zero".into());
    }
    Ok(n * days)
}

/// Turns a TOML error into a located diagnostic; unknown keys get a "did you mean".
fn toml_error(e: &toml::de::Error, text: &str, shown: &str) -> Diagnostic {
    let src: Arc<str> = Arc::from(text);
    let message = plain_toml_message(e.message());
    let span = e.span().unwrap_or(0..0);
    let mut d = Diagnostic::error(shown, message.clone()).at(&src, span);
    if let Some((unknown, expected)) = parse_unknown_field(&message) {
        d.message = format!("unknown key `{unknown}`");
        let hint = did_you_mean(&unknown, expected.iter().map(String::as_str))
            .unwrap_or_else(|| format!("allowed keys here: {}", expected.join(", ")));
        d.hint = Some(hint);
    } else if message.contains("missing field") {
        d.hint = Some("add the key; see the README's site.toml reference".into());
    }
    d
}

/// A TOML error message in a writer's words: serde's "did not match any variant of untagged
/// enum WordEntry" names a Rust type, not what a translation may be.
pub(crate) fn plain_toml_message(message: &str) -> String {
    let message = message.trim();
    if message.contains("untagged enum WordEntry") {
        "a translation is text (`key = \"…\"`), plural forms (`key = { one = \"…\", other = \"…\" }`) or, for months and weekdays, a list of names".to_owned()
    } else {
        message.to_owned()
    }
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" into its parts.
pub(crate) fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((name.to_owned(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = "title = \"T\"\nbase_url = \"https://example.org/handbook\"\n";

    #[test]
    fn defaults_fill_in() {
        let c = Config::parse(MIN, "site.toml").expect("valid");
        assert_eq!(c.base_url, "https://example.org/handbook/");
        assert_eq!(c.theme, "default");
        assert_eq!(c.output_dir, "public");
        let names: Vec<_> = c.taxonomies.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["concepts", "authors"]);
        assert_eq!(c.markdown.raw_html, RawHtml::Escape);
        assert_eq!(c.related.limit, 5);
    }

    #[test]
    fn unknown_key_has_line_and_suggestion() {
        let text = format!("{MIN}descripton = \"x\"\n");
        let d = Config::parse(&text, "site.toml").expect_err("unknown key");
        assert_eq!(d.line, 3);
        assert_eq!(d.message, "unknown key `descripton`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn unknown_nested_key_is_reported() {
        let text = format!("{MIN}[markdown]\nsmart_punctuaton = true\n");
        let d = Config::parse(&text, "site.toml").expect_err("unknown key");
        assert_eq!(d.line, 4);
        assert_eq!(d.hint.as_deref(), Some("did you mean `smart_punctuation`?"));
    }

    #[test]
    fn wrong_type_and_bad_url() {
        let d =
            Config::parse("title = 3\nbase_url = \"https://x/\"\n", "site.toml").expect_err("type");
        assert_eq!(d.line, 1);
        let d = Config::parse("title = \"t\"\nbase_url = \"example.org\"\n", "site.toml")
            .expect_err("url");
        assert_eq!(d.line, 2);
        assert!(d.message.contains("not an absolute URL"));
    }

    #[test]
    fn raw_html_allow_parses() {
        let text = format!("{MIN}[markdown]\nraw_html = \"allow\"\n");
        let c = Config::parse(&text, "site.toml").expect("valid");
        assert_eq!(c.markdown.raw_html, RawHtml::Allow);
    }

    #[test]
    fn kinds_and_health_parse() {
        let text = format!(
            "{MIN}review_after = \"365d\"\n[kinds.tip]\nsections = [\"tips\"]\nallowed = {{ level = [\"new\"] }}\n[health]\norphans = \"off\"\n"
        );
        let c = Config::parse(&text, "site.toml").expect("valid");
        assert_eq!(c.kinds["tip"].sections, ["tips"]);
        assert_eq!(c.kinds["tip"].allowed["level"], ["new"]);
        assert_eq!(c.health.orphans, Level::Off);
        assert_eq!(c.health.kind_violations, Level::Error);
    }

    #[test]
    fn section_in_two_kinds_is_an_error() {
        let text = format!(
            "{MIN}[kinds.tip]\nsections = [\"tips\"]\n[kinds.note]\nsections = [\"tips\"]\n"
        );
        let d = Config::parse(&text, "site.toml").expect_err("two kinds");
        assert!(
            d.message.contains("`tip` and `note`") || d.message.contains("`note` and `tip`"),
            "{}",
            d.message
        );
        assert_eq!(d.line, 3);
    }

    #[test]
    fn review_after_periods() {
        assert_eq!(parse_period("365d"), Ok(365));
        assert_eq!(parse_period("2w"), Ok(14));
        assert_eq!(parse_period("1y"), Ok(365));
        assert!(parse_period("soon").is_err());
        assert!(parse_period("3x").is_err());
        let d = Config::parse(
            &format!("{MIN}review_after = \"1 fortnight\"\n"),
            "site.toml",
        )
        .expect_err("bad period");
        assert_eq!(d.line, 3);
    }

    #[test]
    fn unknown_health_key_suggests() {
        let d = Config::parse(&format!("{MIN}[health]\norphan = \"off\"\n"), "site.toml")
            .expect_err("unknown");
        assert_eq!(d.hint.as_deref(), Some("did you mean `orphans`?"));
    }

    #[test]
    fn capitalise_names() {
        assert_eq!(capitalise("concepts"), "Concepts");
        assert_eq!(capitalise("pair-blog"), "Pair blog");
    }
}
