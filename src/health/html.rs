//! The health report as a web page: `binder check --format html` writes it as a file of its
//! own, and `binder serve` shows it at `/_health/`. One function renders both, so the page a
//! team mails around and the one an author watches while editing cannot drift apart; the
//! only difference is the [`Context`]: the served page links each finding to the page it
//! concerns, the file names the source files as plain text.
//!
//! Written by hand rather than through the site's templates: the report must stay readable
//! when the theme is what is broken. Every piece of text is escaped, the stylesheet is
//! inline, nothing is fetched (no script, font or image), and the markup is valid HTML5
//! with a language, a title, one `<h1>`, a `<main>` landmark, a section per rule and a
//! captioned summary table; colours meet WCAG AA contrast in light and dark schemes.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::{Finding, Report, Rule};
use crate::diag::Diagnostic;
use crate::html::escape;
use crate::model::Site;

/// Source file shown in a diagnostic (`content/tips/ask.md`) → (URL, title) of its page on
/// the served site.
#[derive(Debug, Default)]
pub struct Links {
    by_source: HashMap<String, (String, String)>,
}

impl Links {
    /// The pages and sections of `site`.
    pub fn of(site: &Site) -> Links {
        let pages = site
            .pages
            .iter()
            .map(|p| (p.shown.clone(), (format!("/{}", p.path), p.title.clone())));
        let sections = site
            .sections
            .iter()
            .filter(|s| s.source.is_some())
            .map(|s| (s.shown.clone(), (format!("/{}", s.path), s.title.clone())));
        Links {
            by_source: sections.chain(pages).collect(),
        }
    }

    fn get(&self, path: &str) -> Option<&(String, String)> {
        self.by_source.get(path)
    }
}

/// Where the page is shown.
#[derive(Debug, Clone, Copy)]
pub enum Context<'a> {
    /// A file on its own (`binder check --format html`): no site beside it to link to.
    Standalone,
    /// `binder serve`'s `/_health/`: each finding links to its page through these.
    Served(&'a Links),
}

impl Context<'_> {
    fn command(self) -> &'static str {
        match self {
            Context::Standalone => "binder check",
            Context::Served(_) => "binder serve",
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Contrast against the background, light scheme (#fff): text 17.2:1, links 6.4:1, error
/// 7.8:1, warning 7.3:1, hint 12.2:1, healthy 7.9:1; dark scheme (#17171b): 14.6, 8.6, 7.9,
/// 11.7, 10.8 and 10.9:1. WCAG AA asks for 4.5:1.
const CSS: &str = "\
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1f;background:#fff}\
main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 3rem}\
h1{font-size:1.8rem;margin:0 0 .5rem}h2{font-size:1.3rem;margin:2rem 0 .5rem}\
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}\
table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}\
th,td{border:1px solid #c8c8d0;padding:.3rem .6rem;text-align:left}td.n{text-align:right}\
a{color:#0b57d0}a:focus-visible{outline:2px solid #0b57d0;outline-offset:2px}\
ol.findings{padding-left:1.5rem}li.finding{margin:.75rem 0;padding-left:.25rem}\
li.finding p{margin:.15rem 0}.severity{font-weight:700}.error .severity{color:#a4161a}\
.warning .severity{color:#7a4d00}.hint{color:#35353d}.healthy{font-weight:600;color:#1a5e20}\
@media (prefers-color-scheme:dark){body{color:#e8e8ee;background:#17171b}\
th,td{border-color:#4a4a55}a{color:#8ab4ff}a:focus-visible{outline-color:#8ab4ff}\
.error .severity{color:#ff8a8d}.warning .severity{color:#ffc862}.hint{color:#c8c8d2}\
.healthy{color:#8fdc95}}";

/// A whole HTML5 document titled `title` (plain text, escaped here) around `main`, the
/// markup of its `<main>` element.
pub fn document(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{main}</main>\n\
         </body>\n</html>\n",
        escape(title)
    )
}

/// The whole page: counts per kind of finding, then each finding with its location,
/// message and fix (and, when served, a link to the page it concerns).
pub fn render(report: &Report, ctx: Context<'_>) -> String {
    let title = if report.site_title.is_empty() {
        format!("Health report · {}", ctx.command())
    } else {
        format!("Health report · {} · {}", report.site_title, ctx.command())
    };
    let mut main = String::from("<h1>Health report</h1>\n");
    intro(&mut main, report, ctx);
    if !report.notes.is_empty() {
        main.push_str("<h2>Notes</h2>\n<ul>\n");
        for n in &report.notes {
            let _ = writeln!(main, "<li>{}</li>", escape(n));
        }
        main.push_str("</ul>\n");
    }
    let groups = report.by_rule();
    if groups.is_empty() {
        main.push_str("<p class=\"healthy\">No findings: the handbook is healthy.</p>\n");
    } else {
        summary_table(&mut main, &groups);
        let links = match ctx {
            Context::Standalone => None,
            Context::Served(links) => Some(links),
        };
        for (rule, findings) in &groups {
            group(&mut main, *rule, findings, links);
        }
    }
    document(&title, &main)
}

/// The totals, the date and where else the report is.
fn intro(out: &mut String, report: &Report, ctx: Context<'_>) {
    let (errors, warnings) = report.counts();
    let _ = write!(
        out,
        "<p>{}, {} in {}, as of {}. ",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(report.articles, "article", "articles"),
        report.today,
    );
    out.push_str(match ctx {
        Context::Standalone => {
            "Written by <code>binder check --format html</code>; \
             <code>binder serve</code> shows it live at <code>/_health/</code>.</p>\n"
        }
        Context::Served(_) => {
            "<code>binder check</code> reports the same; \
             <code>binder serve</code> alone shows this page and updates it after every rebuild.</p>\n"
        }
    });
}

/// (errors, warnings) among `findings`.
fn counts(findings: &[&Finding]) -> (usize, usize) {
    let e = findings.iter().filter(|f| f.diagnostic.is_error()).count();
    (e, findings.len() - e)
}

fn summary_table(out: &mut String, groups: &BTreeMap<Rule, Vec<&Finding>>) {
    out.push_str(
        "<table>\n<caption>Findings by kind</caption>\n<thead><tr><th scope=\"col\">Kind</th>\
         <th scope=\"col\">Setting in <code>[health]</code></th><th scope=\"col\">Errors</th>\
         <th scope=\"col\">Warnings</th></tr></thead>\n<tbody>\n",
    );
    for (rule, findings) in groups {
        let (e, w) = counts(findings);
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"#{key}\">{}</a></th><td><code>{key}</code></td>\
             <td class=\"n\">{e}</td><td class=\"n\">{w}</td></tr>",
            escape(rule.title()),
            key = rule.key(),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn group(out: &mut String, rule: Rule, findings: &[&Finding], links: Option<&Links>) {
    let (e, w) = counts(findings);
    let count = match (e, w) {
        (e, 0) => plural(e, "error", "errors"),
        (0, w) => plural(w, "warning", "warnings"),
        (e, w) => format!(
            "{}, {}",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings")
        ),
    };
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"{key}\">\n<h2 id=\"{key}\">{} ({count})</h2>\n<ol class=\"findings\">",
        escape(rule.title()),
        key = rule.key(),
    );
    for f in findings {
        finding(out, &f.diagnostic, links);
    }
    out.push_str("</ol>\n</section>\n");
}

fn finding(out: &mut String, d: &Diagnostic, links: Option<&Links>) {
    let (class, word) = if d.is_error() {
        ("error", "Error")
    } else {
        ("warning", "Warning")
    };
    let loc = d.location();
    let loc = if loc.is_empty() { "(site)".into() } else { loc };
    let _ = write!(
        out,
        "<li class=\"finding {class}\">\n<p><span class=\"severity\">{word}:</span> \
         <code class=\"where\">{}</code></p>\n<p class=\"message\">{}</p>\n",
        escape(&loc),
        escape(&d.message)
    );
    if let Some(h) = &d.hint {
        let _ = writeln!(out, "<p class=\"hint\">Fix: {}</p>", escape(h));
    }
    if let Some((url, title)) = links.and_then(|l| l.get(&d.path)) {
        let _ = writeln!(
            out,
            "<p><a href=\"{}\">Open the page “{}”</a></p>",
            escape(url),
            escape(title)
        );
    }
    out.push_str("</li>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let text: std::sync::Arc<str> = std::sync::Arc::from("---\ntitle: A\n---\nsee [[<x>]]\n");
        Report {
            findings: vec![
                Finding {
                    rule: Rule::BrokenLinks,
                    diagnostic: Diagnostic::error("content/a.md", "broken wikilink `<x>`")
                        .at(&text, 21..26)
                        .with_hint("link to \"y\" & co"),
                },
                Finding {
                    rule: Rule::Orphans,
                    diagnostic: Diagnostic::warning("content/b.md", "orphan article"),
                },
            ],
            articles: 2,
            notes: vec!["not a git repository".into()],
            site_title: "T & co".into(),
            today: jiff::civil::date(2026, 6, 1),
        }
    }

    fn links() -> Links {
        Links {
            by_source: [(
                "content/a.md".to_owned(),
                ("/a/".to_owned(), "A <1>".to_owned()),
            )]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn the_page_groups_counts_locates_and_escapes() {
        let links = links();
        let html = render(&report(), Context::Served(&links));
        assert!(
            html.starts_with("<!doctype html>\n<html lang=\"en\">"),
            "{html}"
        );
        assert!(html.contains("<title>Health report · T &amp; co · binder serve</title>"));
        assert_eq!(html.matches("<h1>").count(), 1);
        assert!(html.contains("<p>1 error, 1 warning in 2 articles, as of 2026-06-01."));
        assert!(html.contains("<th scope=\"row\"><a href=\"#broken_links\">Broken or ambiguous links</a></th><td><code>broken_links</code></td><td class=\"n\">1</td><td class=\"n\">0</td>"), "{html}");
        assert!(html.contains("<h2 id=\"orphans\">Orphan articles (1 warning)</h2>"));
        assert!(
            html.contains("<code class=\"where\">content/a.md:4:5</code>"),
            "{html}"
        );
        assert!(html.contains("<p class=\"message\">broken wikilink `&lt;x&gt;`</p>"));
        assert!(html.contains("<p class=\"hint\">Fix: link to &quot;y&quot; &amp; co</p>"));
        assert!(html.contains("<a href=\"/a/\">Open the page “A &lt;1&gt;”</a>"));
        assert!(html.contains("<li>not a git repository</li>"));
        assert!(!html.contains("<x>"));
    }

    #[test]
    fn the_standalone_page_names_files_without_links_or_requests() {
        let html = render(&report(), Context::Standalone);
        assert!(html.contains("<title>Health report · T &amp; co · binder check</title>"));
        assert!(html.contains("<code class=\"where\">content/a.md:4:5</code>"));
        assert!(html.contains("Written by <code>binder check --format html</code>"));
        // Only links within the page: nothing to fetch, no site to point at.
        assert_eq!(
            html.matches("href=\"").count(),
            html.matches("href=\"#").count()
        );
        for outside in [
            "<script", "<link", "<img", "src=", "url(", "@import", "http",
        ] {
            assert!(!html.contains(outside), "{outside}: {html}");
        }
    }

    #[test]
    fn a_healthy_site_says_so() {
        let html = render(&Report::default(), Context::Standalone);
        assert!(html.contains("<title>Health report · binder check</title>"));
        assert!(html.contains("No findings: the handbook is healthy."));
        assert!(!html.contains("<table>"));
    }

    #[test]
    fn every_element_opened_is_closed_in_order() {
        let html = render(&report(), Context::Standalone);
        let void = ["meta", "!doctype"];
        let mut open: Vec<String> = Vec::new();
        for tag in html.split('<').skip(1) {
            let name: String = tag
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>')
                .collect::<String>()
                .to_lowercase();
            if let Some(closed) = name.strip_prefix('/') {
                assert_eq!(open.pop().as_deref(), Some(closed), "{html}");
            } else if !void.contains(&name.as_str()) {
                open.push(name);
            }
        }
        assert!(open.is_empty(), "{open:?}");
    }
}
