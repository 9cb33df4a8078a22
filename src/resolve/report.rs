//! Link problems → diagnostics: each problem carries its cause (which missing file, which
//! page's anchors), so that with `[links] broken = "warn"` the warnings of one cause
//! become one line (`312 links to anchors that do not exist in content/_index.md: …`),
//! and a flood of one kind is cut short. `--verbose` lists every problem on its own.

use std::collections::BTreeMap;

use crate::config::LinkPolicy;
use crate::diag::{Diagnostic, Diagnostics, Topic};
use crate::parse::markdown::ResolvedLink;

/// Problems of one cause beyond this many are summarised in one warning.
const GROUP_FROM: usize = 3;
/// Single warnings of one kind shown before the rest are counted in one line.
const SINGLES_SHOWN: usize = 20;
/// Examples listed in a grouped warning.
const EXAMPLES: usize = 10;

/// Why a link does not resolve, and about what: the key warnings are grouped by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Cause {
    /// No such Markdown file (path under content/).
    MissingFile(String),
    /// The page exists, the anchor does not (source path of the page).
    MissingAnchor(String),
    /// No page, folder or file at this output path.
    NoPage(String),
    /// No article with this title, slug or alias (lower-case).
    NoArticle(String),
    /// More than one article with this name.
    Ambiguous(String),
    /// A relative link above `content/`.
    Outside,
    /// An Obsidian embed binder does not include (in full): of a file that is no note, on
    /// a cycle, or nested too deep.
    Embed(String),
}

impl Cause {
    /// The target itself is missing (rather than an anchor in it, or an ambiguity).
    pub(super) fn is_missing_target(&self) -> bool {
        matches!(self, Cause::MissingFile(_) | Cause::NoPage(_))
    }

    /// `N links to …` for a group of `n`.
    fn summary(&self, n: usize) -> String {
        match self {
            Cause::MissingFile(rel) => {
                format!("{n} links to content/{rel}, which does not exist")
            }
            Cause::MissingAnchor(rel) => {
                format!("{n} links to anchors that do not exist in content/{rel}")
            }
            Cause::NoPage(path) => format!("{n} links to `/{path}`, which matches no page or file"),
            Cause::NoArticle(name) => {
                format!("{n} wikilinks to `{name}`: no article has that title, slug or alias")
            }
            Cause::Ambiguous(name) => format!("{n} ambiguous wikilinks to `{name}`"),
            Cause::Outside => format!("{n} links point outside the content folder"),
            Cause::Embed(name) => {
                format!("{n} embeds of `{name}` are (partly) shown as links")
            }
        }
    }

    /// What this cause is about, in a few words (`content/x.md`, `[[Name]]`).
    pub(super) fn subject(&self) -> String {
        match self {
            Cause::MissingFile(rel) | Cause::MissingAnchor(rel) => format!("content/{rel}"),
            // Output paths get a `/`; a file's (`/images/x.png`) reads better without.
            Cause::NoPage(path) if path.rsplit('/').nth(1).is_some_and(|f| f.contains('.')) => {
                format!("/{}", path.trim_end_matches('/'))
            }
            Cause::NoPage(path) => format!("/{path}"),
            Cause::NoArticle(name) | Cause::Ambiguous(name) => format!("[[{name}]]"),
            Cause::Outside => "outside content/".to_owned(),
            Cause::Embed(name) => format!("![[{name}]]"),
        }
    }

    /// Why links of this kind fail after a migration, and what an author can do.
    pub(super) fn advice(&self) -> &'static str {
        match self {
            Cause::MissingFile(_) => {
                "the linked Markdown file is not in content/: it was never in the old site, was renamed, or lives outside the folder that was imported. Fix the path, or copy the file in"
            }
            Cause::MissingAnchor(_) => {
                "the page exists but has no heading with that id: the old tool made ids differently (custom `{#id}`s, another slug rule) or the heading changed. Links go to the page for now; point them at a heading the page has"
            }
            Cause::NoPage(_) => {
                "a site-root or output path that names no page or file: often a page the old site generated (a tag list, a search page), a file that was not in the imported folder, or a page of the wider site outside this handbook. Link the Markdown file, copy the file into static/, or write the full URL"
            }
            Cause::NoArticle(_) => {
                "a wikilink whose name is no article's title, file name or alias. Add the name to that article's `aliases`, or fix the name"
            }
            Cause::Ambiguous(_) => {
                "several articles share this name. Link one of them by path (`[text](@/dir/file.md)`)"
            }
            Cause::Outside => {
                "the link climbs above content/ (`../../x.md`): the target was not imported. Copy it in or link its published URL"
            }
            Cause::Embed(_) => {
                "an embed that is shown (partly) as a link: of a file that is no note, on a cycle, or nested too deep"
            }
        }
    }

    /// The kind, for counting single warnings (`and 312 more broken links to missing files`).
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Cause::MissingFile(_) => "links to missing files",
            Cause::MissingAnchor(_) => "links to missing anchors",
            Cause::NoPage(_) => "links to missing pages",
            Cause::NoArticle(_) => "broken wikilinks",
            Cause::Ambiguous(_) => "ambiguous wikilinks",
            Cause::Outside => "links outside the content folder",
            Cause::Embed(_) => "embeds shown as links",
        }
    }
}

/// A link that does not resolve: the diagnostic to report and what to write in its place.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub(super) cause: Cause,
    /// This occurrence in a few words (`#missing-anchor`, the destination as written).
    pub(super) detail: String,
    pub(super) message: String,
    pub(super) hint: Option<String>,
    /// What the output gets instead. Never the `.md` source: the page without the missing
    /// anchor when the page exists, else the label as plain text.
    pub(super) instead: ResolvedLink,
}

impl Problem {
    pub(super) fn new(cause: Cause, detail: &str, message: String, hint: Option<String>) -> Self {
        Problem {
            cause,
            detail: detail.to_owned(),
            message,
            hint,
            instead: ResolvedLink {
                href: String::new(),
                text: None,
                plain: true,
                embed: None,
            },
        }
    }

    /// Writes the label without a link (the default).
    #[must_use]
    pub(super) fn unlinked(self) -> Self {
        self
    }

    /// Writes `link` instead.
    #[must_use]
    pub(super) fn instead(mut self, link: ResolvedLink) -> Self {
        self.instead = link;
        self
    }
}

/// A problem with its located diagnostic.
pub(super) struct Located {
    pub(super) cause: Cause,
    pub(super) detail: String,
    pub(super) diag: Diagnostic,
}

/// Reports every problem: as errors one by one, or as warnings grouped by cause unless
/// `verbose`.
pub(super) fn report(
    problems: Vec<Located>,
    policy: LinkPolicy,
    verbose: bool,
    diags: &mut Diagnostics,
) {
    let problems = problems.into_iter().map(|mut p| {
        p.diag.topic = Topic::Link;
        p
    });
    if policy == LinkPolicy::Error || verbose {
        for p in problems {
            diags.push(match policy {
                LinkPolicy::Warn => p.diag.downgraded(),
                LinkPolicy::Error => p.diag,
            });
        }
        return;
    }
    let mut groups: BTreeMap<Cause, Vec<Located>> = BTreeMap::new();
    for p in problems {
        groups.entry(p.cause.clone()).or_default().push(p);
    }
    let mut singles: BTreeMap<&'static str, Vec<Located>> = BTreeMap::new();
    for (cause, mut group) in groups {
        group.sort_by(|a, b| {
            (&a.diag.path, a.diag.line, a.diag.col).cmp(&(&b.diag.path, b.diag.line, b.diag.col))
        });
        if group.len() >= GROUP_FROM {
            diags.push(grouped(&cause, group));
        } else {
            singles.entry(cause.kind()).or_default().extend(group);
        }
    }
    for (kind, mut list) in singles {
        list.sort_by(|a, b| (&a.diag.path, a.diag.line).cmp(&(&b.diag.path, b.diag.line)));
        let rest = list.len().saturating_sub(SINGLES_SHOWN);
        let mut shown = list.into_iter();
        for p in shown.by_ref().take(SINGLES_SHOWN) {
            diags.push(p.diag.downgraded());
        }
        if rest > 0 {
            let first = shown.next().map(|p| p.diag.location()).unwrap_or_default();
            diags.push(
                Diagnostic::warning(
                    "",
                    format!(
                        "… and {rest} more {kind}, the first at {first} (`--verbose` lists them all)"
                    ),
                )
                .about(Topic::Link),
            );
        }
    }
}

/// One warning for a group: located at its first occurrence, with examples.
fn grouped(cause: &Cause, group: Vec<Located>) -> Diagnostic {
    let n = group.len();
    let examples: Vec<String> = group
        .iter()
        .take(EXAMPLES)
        .map(|p| format!("{} ({})", p.diag.location(), p.detail))
        .collect();
    let more = if n > EXAMPLES {
        format!(", and {} more", n - EXAMPLES)
    } else {
        String::new()
    };
    let mut first = group
        .into_iter()
        .next()
        .map(|p| p.diag)
        .unwrap_or_else(|| Diagnostic::warning("", String::new()));
    first.message = format!("{}: {}{more}", cause.summary(n), examples.join(", "));
    first.hint = Some(match first.hint.take() {
        Some(h) => format!("first one: {h}; `--verbose` lists each with its own hint"),
        None => "`--verbose` lists each on its own".to_owned(),
    });
    first.downgraded()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(cause: Cause, path: &str, line: usize) -> Located {
        Located {
            cause,
            detail: format!("#a{line}"),
            diag: Diagnostic::error(path, "no heading").at_line(line, 1),
        }
    }

    #[test]
    fn warnings_of_one_cause_are_grouped() {
        let mut problems: Vec<Located> = (1..=15)
            .map(|l| located(Cause::MissingAnchor("_index.md".into()), "content/a.md", l))
            .collect();
        problems.push(located(
            Cause::MissingFile("x.md".into()),
            "content/b.md",
            1,
        ));
        let mut diags = Diagnostics::default();
        report(problems, LinkPolicy::Warn, false, &mut diags);
        let all = diags.sorted();
        assert_eq!(all.len(), 2, "{all:?}");
        let group = all
            .iter()
            .find(|d| d.path == "content/a.md")
            .expect("group");
        assert!(
            group.message.starts_with(
                "15 links to anchors that do not exist in content/_index.md: content/a.md:1:1 (#a1)"
            ),
            "{}",
            group.message
        );
        assert!(group.message.ends_with(", and 5 more"), "{}", group.message);
        assert!(!group.is_error());
        assert!(all.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn verbose_and_error_mode_list_every_problem() {
        for (policy, verbose) in [(LinkPolicy::Warn, true), (LinkPolicy::Error, false)] {
            let problems: Vec<Located> = (1..=5)
                .map(|l| located(Cause::MissingFile("x.md".into()), "content/a.md", l))
                .collect();
            let mut diags = Diagnostics::default();
            report(problems, policy, verbose, &mut diags);
            assert_eq!(diags.sorted().len(), 5);
        }
    }

    #[test]
    fn a_flood_of_single_warnings_is_cut_short() {
        let problems: Vec<Located> = (0..100)
            .map(|i| {
                located(
                    Cause::MissingFile(format!("m{i}.md")),
                    "content/a.md",
                    i + 1,
                )
            })
            .collect();
        let mut diags = Diagnostics::default();
        report(problems, LinkPolicy::Warn, false, &mut diags);
        let all = diags.sorted();
        assert_eq!(all.len(), SINGLES_SHOWN + 1);
        assert!(
            all.iter().any(|d| d
                .message
                .starts_with("… and 80 more links to missing files")),
            "{all:?}"
        );
    }
}
