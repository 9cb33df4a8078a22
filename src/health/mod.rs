//! The health report behind `binder check`: the site model plus the build's own diagnostics →
//! [`Finding`]s, one per thing a team should fix before the handbook rots (broken links,
//! orphans, concepts used once or never defined, partnerless pair posts, stale articles,
//! missing descriptions, kind violations), each at the severity `[health]` gives its rule.
//!
//! The build's diagnostics are sorted into rules by the stage that made them, so a broken
//! wikilink is a `broken_links` finding whether the build would have failed on it or not.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{Config, Level};
use crate::diag::{Diagnostic, Severity, Topic};
use crate::model::{PageId, Site};
use crate::parse::front_matter::Date;

pub mod format;
pub mod html;
pub mod live;
pub mod notice;

pub use format::Format;

/// What a finding is about; its name is the `[health]` key that sets its severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Anything else the build reported (front matter, templates, series…).
    Build,
    /// A link to nothing, to a missing anchor, or a wikilink matching several articles.
    BrokenLinks,
    /// An article breaking its kind's rules.
    KindViolations,
    /// A pair-blog post whose partner is missing or names another post.
    UnpairedPosts,
    /// An article nothing links to and no reading path includes.
    Orphans,
    /// A concept only one article uses.
    SingleUseConcepts,
    /// A concept without a glossary entry.
    UndefinedConcepts,
    /// An article not reviewed within `review_after`.
    Stale,
    /// An article without a `description`.
    MissingDescriptions,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 9] = [
        Rule::Build,
        Rule::BrokenLinks,
        Rule::KindViolations,
        Rule::UnpairedPosts,
        Rule::Orphans,
        Rule::SingleUseConcepts,
        Rule::UndefinedConcepts,
        Rule::Stale,
        Rule::MissingDescriptions,
    ];

    /// The `[health]` key (`single_use_concepts`).
    pub fn key(self) -> &'static str {
        match self {
            Rule::Build => "build",
            Rule::BrokenLinks => "broken_links",
            Rule::KindViolations => "kind_violations",
            Rule::UnpairedPosts => "unpaired_posts",
            Rule::Orphans => "orphans",
            Rule::SingleUseConcepts => "single_use_concepts",
            Rule::UndefinedConcepts => "undefined_concepts",
            Rule::Stale => "stale",
            Rule::MissingDescriptions => "missing_descriptions",
        }
    }

    /// Heading in the human-readable report.
    pub fn title(self) -> &'static str {
        match self {
            Rule::Build => "Build problems",
            Rule::BrokenLinks => "Broken or ambiguous links",
            Rule::KindViolations => "Kind violations",
            Rule::UnpairedPosts => "Pair posts without a partner",
            Rule::Orphans => "Orphan articles",
            Rule::SingleUseConcepts => "Concepts used once",
            Rule::UndefinedConcepts => "Concepts without a glossary entry",
            Rule::Stale => "Stale articles",
            Rule::MissingDescriptions => "Articles without a description",
        }
    }

    /// The fix to show when the stage that found the problem had none to offer.
    fn default_hint(self) -> Option<&'static str> {
        match self {
            Rule::BrokenLinks => Some(
                "point the link at an existing article (`[[Title]]`, `[text](../section/file.md)`) or remove it",
            ),
            Rule::UnpairedPosts => {
                Some("name the partner post's file in `pair:`, relative to this file")
            }
            _ => None,
        }
    }

    /// The severity `config` sets (`Build` keeps the diagnostic's own).
    fn level(self, config: &Config) -> Option<Level> {
        let h = &config.health;
        Some(match self {
            Rule::Build => return None,
            Rule::BrokenLinks => h.broken_links,
            Rule::KindViolations => h.kind_violations,
            Rule::UnpairedPosts => h.unpaired_posts,
            Rule::Orphans => h.orphans,
            Rule::SingleUseConcepts => h.single_use_concepts,
            Rule::UndefinedConcepts => h.undefined_concepts,
            Rule::Stale => h.stale,
            Rule::MissingDescriptions => h.missing_descriptions,
        })
    }
}

/// One finding: a rule and a located diagnostic whose severity the rule's level decided.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What kind of finding.
    pub rule: Rule,
    /// Where, what, how to fix it.
    pub diagnostic: Diagnostic,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Findings by rule (report order), then path and position.
    pub findings: Vec<Finding>,
    /// Articles checked.
    pub articles: usize,
    /// Things the check could not know (no git history…), said once each.
    pub notes: Vec<String>,
    /// The site's `title` (empty when `site.toml` could not be read).
    pub site_title: String,
    /// The day staleness was judged on.
    pub today: jiff::civil::Date,
}

impl Report {
    /// True if any finding is an error: `binder check` then exits 1.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.diagnostic.is_error())
    }

    /// (errors, warnings).
    pub fn counts(&self) -> (usize, usize) {
        let errors = self
            .findings
            .iter()
            .filter(|f| f.diagnostic.is_error())
            .count();
        (errors, self.findings.len() - errors)
    }

    /// Findings per rule, in report order.
    pub fn by_rule(&self) -> BTreeMap<Rule, Vec<&Finding>> {
        let mut map: BTreeMap<Rule, Vec<&Finding>> = BTreeMap::new();
        for f in &self.findings {
            map.entry(f.rule).or_default().push(f);
        }
        map
    }
}

/// Runs `binder check` on the site `opts` names: the whole build without writing (templates
/// included, when the content has no errors), then the health rules. Only a broken
/// `site.toml` or an unreadable `content/` is an `Err`.
pub fn check(
    opts: &crate::BuildOptions,
    today: jiff::civil::Date,
) -> Result<Report, crate::diag::BuildFailed> {
    let (site, mut diagnostics) = crate::site::load_site_lenient(opts)?;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        let hl = std::sync::Arc::new(crate::build::highlighter(&site)?);
        let mut timings = crate::site::Timings::default();
        match crate::build::render_site(&site, hl, &crate::write::NullSink, &mut timings) {
            Ok((warnings, _)) => diagnostics.extend(warnings),
            Err(failed) => diagnostics.extend(failed.diagnostics),
        }
    }
    Ok(report(&site, diagnostics, today))
}

/// Builds the report of `site` from its model and the build's `diagnostics`, judging
/// staleness as of `today`.
pub fn report(site: &Site, diagnostics: Vec<Diagnostic>, today: jiff::civil::Date) -> Report {
    let mut raw: Vec<(Rule, Diagnostic)> =
        diagnostics.into_iter().map(|d| (classify(&d), d)).collect();
    raw.extend(orphans(site).into_iter().map(|d| (Rule::Orphans, d)));
    raw.extend(concepts(site));
    raw.extend(stale(site, today).into_iter().map(|d| (Rule::Stale, d)));
    raw.extend(
        missing_descriptions(site)
            .into_iter()
            .map(|d| (Rule::MissingDescriptions, d)),
    );
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .filter_map(|(rule, d)| leveled(rule, d, &site.config))
        .collect();
    findings.sort_by(|a, b| {
        (
            a.rule,
            &a.diagnostic.path,
            a.diagnostic.line,
            a.diagnostic.col,
        )
            .cmp(&(
                b.rule,
                &b.diagnostic.path,
                b.diagnostic.line,
                b.diagnostic.col,
            ))
            .then_with(|| a.diagnostic.message.cmp(&b.diagnostic.message))
    });
    findings.dedup_by(|a, b| {
        a.rule == b.rule
            && a.diagnostic.location() == b.diagnostic.location()
            && a.diagnostic.message == b.diagnostic.message
    });
    Report {
        findings,
        articles: site.pages.len(),
        notes: site
            .git
            .note
            .iter()
            .filter(|_| !site.git.required)
            .cloned()
            .collect(),
        site_title: site.config.title.clone(),
        today,
    }
}

fn leveled(rule: Rule, mut d: Diagnostic, config: &Config) -> Option<Finding> {
    match rule.level(config) {
        Some(Level::Off) => return None,
        Some(Level::Error) => d.severity = Severity::Error,
        Some(Level::Warn) => d.severity = Severity::Warning,
        None => {}
    }
    if d.hint.is_none() {
        d.hint = rule.default_hint().map(str::to_owned);
    }
    Some(Finding {
        rule,
        diagnostic: d,
    })
}

/// Which rule a build diagnostic belongs to: the stage that found it said what it is about.
pub fn classify(d: &Diagnostic) -> Rule {
    match d.topic {
        Topic::Link => Rule::BrokenLinks,
        Topic::Kind => Rule::KindViolations,
        Topic::Pair => Rule::UnpairedPosts,
        Topic::General => Rule::Build,
    }
}

fn page_diag(site: &Site, id: PageId, key: &str, message: String, hint: &str) -> Diagnostic {
    let p = &site.pages[id];
    let span = p
        .meta
        .key_spans
        .iter()
        .find(|(k, _)| k == key)
        .map_or(0..3, |(_, s)| s.clone());
    Diagnostic::warning(&p.shown, message)
        .at(&p.text, span)
        .with_hint(hint)
}

/// Articles no other article links to and no reading path lists.
fn orphans(site: &Site) -> Vec<Diagnostic> {
    let on_path = crate::paths::pages_on_paths(site);
    site.pages.keys()
        .filter(|&id| {
            site.graph.backlinks[id].is_empty()
                && !on_path.contains(&id)
                && !crate::paths::is_path(site, id)
        })
        .map(|id| {
            page_diag(
                site,
                id,
                "title",
                "orphan article: no other article links to it and no reading path includes it"
                    .into(),
                "link it from a related article (`[[title]]`) or add it to a reading path in content/paths/",
            )
        })
        .collect()
}

/// Concepts used by one article, and concepts without a glossary entry.
fn concepts(site: &Site) -> Vec<(Rule, Diagnostic)> {
    let Some(t) = site.taxonomies.iter().find(|t| t.name == "concepts") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for term in &t.terms {
        let Some(&first) = term.pages.iter().min() else {
            continue;
        };
        if term.pages.len() == 1 {
            out.push((
                Rule::SingleUseConcepts,
                page_diag(
                    site,
                    first,
                    "concepts",
                    format!("the concept `{}` is used by this article only", term.name),
                    "a concept links articles: add it to a related article, or use an existing concept (a glossary `aliases` entry maps a synonym onto it)",
                ),
            ));
        }
        if term.glossary.is_none() {
            out.push((
                Rule::UndefinedConcepts,
                page_diag(
                    site,
                    first,
                    "concepts",
                    format!("the concept `{}` has no glossary entry", term.name),
                    &format!(
                        "create content/concepts/{}.md with a `title` and a one-paragraph definition",
                        term.slug
                    ),
                ),
            ));
        }
    }
    out
}

/// The date an article was last known to be right: `last_reviewed`, else `updated`, else
/// its last change in git, else `date`.
pub fn reviewed_on(site: &Site, id: PageId) -> Option<Date> {
    let p = &site.pages[id];
    let m = &p.meta;
    (m.last_reviewed.or(m.updated))
        .or(p.git(site).map(|g| g.updated))
        .or(m.date)
}

/// An article not reviewed within `review_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleArticle {
    /// The article.
    pub page: PageId,
    /// When it was last known to be right ([`reviewed_on`]); `None`: never.
    pub reviewed: Option<Date>,
    /// Days since `reviewed` (0 when never reviewed).
    pub age_days: i64,
    /// `review_after`, in days.
    pub review_after_days: i64,
}

/// Articles whose last review is older than `review_after` as of `today`, in page order
/// (nothing when it is not set). `binder check` reports them; `binder serve` also flags each
/// on its page.
pub fn stale_articles(site: &Site, today: jiff::civil::Date) -> Vec<StaleArticle> {
    let Some(days) = site
        .config
        .review_after
        .as_deref()
        .and_then(|p| crate::config::parse_period(p).ok())
    else {
        return Vec::new();
    };
    site.pages
        .keys()
        .filter_map(|id| {
            let reviewed = reviewed_on(site, id);
            let age = reviewed.map_or(0, |d| i64::from((today - d.0.date()).get_days()));
            (reviewed.is_none() || age > days).then_some(StaleArticle {
                page: id,
                reviewed,
                age_days: age,
                review_after_days: days,
            })
        })
        .collect()
}

/// Articles whose last review is older than `review_after` (nothing when it is not set).
fn stale(site: &Site, today: jiff::civil::Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in stale_articles(site, today) {
        let (id, days) = (s.page, s.review_after_days);
        let (key, message) = match s.reviewed {
            Some(d) => (
                "last_reviewed",
                format!(
                    "stale: last reviewed {} ({} days ago; review_after is {days} days)",
                    d.ymd(),
                    s.age_days
                ),
            ),
            None => (
                "title",
                "stale: never reviewed (no `last_reviewed`, `updated`, `date` or git history)"
                    .to_owned(),
            ),
        };
        let owner = site.pages[id].meta.owner.as_deref();
        let hint = match owner {
            Some(o) => {
                format!("ask {o} (the owner) to reread it, then set `last_reviewed: {today}`")
            }
            None => format!("reread it, then set `last_reviewed: {today}` (and an `owner`)"),
        };
        out.push(page_diag(site, id, key, message, &hint));
    }
    out
}

/// Articles without a `description`, unless their kind already requires one (then the kind
/// violation says it).
fn missing_descriptions(site: &Site) -> Vec<Diagnostic> {
    let kinds_report = site.config.health.kind_violations != Level::Off;
    site.pages
        .keys()
        .filter(|&id| {
            let p = &site.pages[id];
            p.meta
                .description
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
                && !(kinds_report && crate::kinds::kind_of(site, id).is_some())
        })
        .map(|id| {
            page_diag(
                site,
                id,
                "title",
                "no `description`: listings, feeds and search show the first paragraph instead"
                    .into(),
                "add `description: \"One sentence saying what the reader gets.\"`",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_diagnostics_are_filed_by_their_topic_not_their_words() {
        let d = |m: &str, t: Topic| Diagnostic::error("content/a.md", m).about(t);
        let grouped = "12 links to missing pages: content/a.md:3:1 (/x/), …";
        assert_eq!(classify(&d(grouped, Topic::Link)), Rule::BrokenLinks);
        assert_eq!(
            classify(&d(
                "kind `tip`: an article of this kind needs `x`",
                Topic::Kind
            )),
            Rule::KindViolations
        );
        assert_eq!(
            classify(&d("pair `gone.md` is not an article", Topic::Pair)),
            Rule::UnpairedPosts
        );
        // Words alone file nothing: a front-matter error that mentions a link is a build problem.
        assert_eq!(
            classify(&d("broken link in `summary`", Topic::General)),
            Rule::Build
        );
    }

    #[test]
    fn every_rule_but_build_has_a_health_key() {
        let keys: Vec<&str> = Rule::ALL.iter().map(|r| r.key()).collect();
        let config = Config::parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\n",
            "site.toml",
        )
        .expect("valid");
        let toml = toml::to_string(&config.health).expect("serialises");
        for k in &keys[1..] {
            assert!(
                toml.contains(&format!("{k} = ")),
                "{k} missing from [health]"
            );
        }
    }
}
