//! The `/_health/` page and the stale notice: HTML written by hand, every piece of text
//! escaped, self-contained (its own small stylesheet), valid HTML5 and readable without the
//! site's theme.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::diag::Diagnostic;
use crate::health::{Finding, Report, Rule, StaleArticle};
use crate::html::escape;
use crate::model::Site;

/// Source file shown in a diagnostic (`content/tips/ask.md`) → (URL, title) of its page.
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

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

/// The whole page: counts per kind of finding, then each finding with its location,
/// message, fix and a link to the page it concerns.
pub fn render(
    report: &Report,
    links: &Links,
    site_title: &str,
    today: jiff::civil::Date,
) -> String {
    let (errors, warnings) = report.counts();
    let title = if site_title.is_empty() {
        "Health report · binder serve".to_owned()
    } else {
        format!("Health report · {} · binder serve", escape(site_title))
    };
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
         <h1>Health report</h1>\n"
    );
    let _ = writeln!(
        out,
        "<p>{}, {} in {}, as of {today}. <code>binder check</code> reports the same; \
         <code>binder serve</code> alone shows this page and updates it after every rebuild.</p>",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(report.articles, "article", "articles"),
    );
    if !report.notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n<ul>\n");
        for n in &report.notes {
            let _ = writeln!(out, "<li>{}</li>", escape(n));
        }
        out.push_str("</ul>\n");
    }
    let groups = report.by_rule();
    if groups.is_empty() {
        out.push_str("<p class=\"healthy\">No findings: the handbook is healthy.</p>\n");
    } else {
        summary_table(&mut out, &groups);
        for (rule, findings) in &groups {
            group(&mut out, *rule, findings, links);
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn counts(findings: &[&Finding]) -> (usize, usize) {
    let e = findings.iter().filter(|f| f.diagnostic.is_error()).count();
    (e, findings.len() - e)
}

fn summary_table(out: &mut String, groups: &std::collections::BTreeMap<Rule, Vec<&Finding>>) {
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

fn group(out: &mut String, rule: Rule, findings: &[&Finding], links: &Links) {
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

fn finding(out: &mut String, d: &Diagnostic, links: &Links) {
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
    if let Some((url, title)) = links.get(&d.path) {
        let _ = writeln!(
            out,
            "<p><a href=\"{}\">Open the page “{}”</a></p>",
            escape(url),
            escape(title)
        );
    }
    out.push_str("</li>\n");
}

/// The page before the first report is in (a moment after the server starts).
pub fn pending() -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Health report · binder serve</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
         <h1>Health report</h1>\n<p>The report is being computed; this page reloads by itself.</p>\n\
         </main>\n</body>\n</html>\n"
    )
}

/// The notice a stale article shows at the top of its `<main>` in `serve` (`period`:
/// `review_after` as written in `site.toml`).
pub fn notice(s: &StaleArticle, period: &str, owner: Option<&str>) -> String {
    let when = match s.reviewed {
        Some(d) => format!(
            "Not reviewed since {} ({}; review after {})",
            d.ymd(),
            plural(
                usize::try_from(s.age_days).unwrap_or(0),
                "day ago",
                "days ago"
            ),
            escape(period)
        ),
        None => format!("Never reviewed (review after {})", escape(period)),
    };
    let who = match owner {
        Some(o) => format!("owner: {}", escape(o)),
        None => "no owner set".to_owned(),
    };
    format!(
        "<p class=\"binder-stale\" role=\"note\" style=\"margin:0 0 1rem;padding:.5rem .75rem;\
         border-left:4px solid #8a5a00;background:#fff4d6;color:#3b2a00;font:inherit\">\
         {when} — {who}. <a href=\"{url}#stale\" style=\"color:inherit;text-decoration:underline\">\
         Health report</a></p>",
        url = super::URL
    )
}

/// `html` with `notice` right after the opening `<main>` tag (else after `<body>`, else at
/// the start).
pub fn insert_notice(html: &[u8], notice: &str) -> Vec<u8> {
    let at = open_tag_end(html, b"<main")
        .or_else(|| open_tag_end(html, b"<body"))
        .unwrap_or(0);
    let mut out = Vec::with_capacity(html.len() + notice.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(notice.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Just past the `>` of the first `<name …>` tag (`<main>` but not `<mainly>`).
fn open_tag_end(html: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find_ci(&html[from..], name).map(|i| i + from) {
        let after = i + name.len();
        if html
            .get(after)
            .is_some_and(|c| *c == b'>' || c.is_ascii_whitespace() || *c == b'/')
        {
            return html[after..]
                .iter()
                .position(|c| *c == b'>')
                .map(|j| after + j + 1);
        }
        from = after;
    }
    None
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::front_matter::Date;

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
        let html = render(&report(), &links(), "T & co", jiff::civil::date(2026, 6, 1));
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
    fn a_healthy_site_says_so() {
        let html = render(
            &Report::default(),
            &Links::default(),
            "",
            jiff::civil::date(2026, 6, 1),
        );
        assert!(html.contains("No findings: the handbook is healthy."));
        assert!(!html.contains("<table>"));
    }

    #[test]
    fn the_notice_names_the_date_period_and_owner() {
        let s = StaleArticle {
            page: crate::model::PageId::from(0),
            reviewed: Date::parse("2025-01-10").ok(),
            age_days: 507,
            review_after_days: 180,
        };
        let n = notice(&s, "180d", Some("Ada <a@x>"));
        assert!(
            n.starts_with("<p class=\"binder-stale\" role=\"note\""),
            "{n}"
        );
        assert!(n.contains(">Not reviewed since 2025-01-10 (507 days ago; review after 180d) — owner: Ada &lt;a@x&gt;. <a href=\"/_health/#stale\""), "{n}");
        let never = StaleArticle {
            reviewed: None,
            ..s
        };
        assert!(
            notice(&never, "1y", None)
                .contains(">Never reviewed (review after 1y) — no owner set. ")
        );
    }

    #[test]
    fn the_notice_goes_right_after_the_main_tag() {
        let html = b"<body><mainly></mainly><MAIN id=\"main\" class=\"c\"><h1>T</h1></MAIN></body>";
        let out = String::from_utf8(insert_notice(html, "<p>N</p>")).expect("utf8");
        assert_eq!(
            out,
            "<body><mainly></mainly><MAIN id=\"main\" class=\"c\"><p>N</p><h1>T</h1></MAIN></body>"
        );
        let out = String::from_utf8(insert_notice(b"<html><body class=x><p>y", "N")).expect("utf8");
        assert_eq!(out, "<html><body class=x>N<p>y");
        assert_eq!(insert_notice(b"<p>y", "N"), b"N<p>y");
    }
}
