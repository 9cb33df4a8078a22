//! The health report as text: grouped and counted for people, JSON for tools, GitHub
//! Actions workflow commands (`::warning file=…,line=…::…`) for CI annotations, and a
//! standalone web page ([`super::html`]) to publish or attach.

use serde::Serialize;

use super::{Report, Rule};
use crate::diag::{Diagnostic, Severity};

/// How `binder check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Grouped by rule, counted, with hints.
    #[default]
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions annotations.
    Github,
    /// One self-contained HTML page.
    Html,
}

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Human => human(report),
        Format::Json => json(report),
        Format::Github => github(report),
        Format::Html => super::html::render(report, super::html::Context::Standalone),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Groups by rule with a count per group, one line per finding plus its hint.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    for (rule, findings) in report.by_rule() {
        let errors = findings.iter().filter(|f| f.diagnostic.is_error()).count();
        let counts = match (errors, findings.len() - errors) {
            (e, 0) => plural(e, "error", "errors"),
            (0, w) => plural(w, "warning", "warnings"),
            (e, w) => format!(
                "{}, {}",
                plural(e, "error", "errors"),
                plural(w, "warning", "warnings")
            ),
        };
        out.push_str(&format!("\n{} ({counts}) [{}]\n", rule.title(), rule.key()));
        for f in findings {
            let d = &f.diagnostic;
            out.push_str(&format!(
                "  {}: {}: {}\n",
                severity_word(d.severity),
                location(d),
                d.message
            ));
            if let Some(h) = &d.hint {
                out.push_str(&format!("      help: {h}\n"));
            }
        }
    }
    out.push_str(&format!("\n{}\n", totals(report)));
    out
}

/// `checked 6 articles: 3 errors, 5 warnings`, the human report's last line; a zero count is
/// "no errors", "no warnings".
fn totals(report: &Report) -> String {
    let count = |n: usize, one: &str, many: &str| {
        if n == 0 {
            format!("no {many}")
        } else {
            plural(n, one, many)
        }
    };
    let (errors, warnings) = report.counts();
    format!(
        "checked {}: {}, {}",
        plural(report.articles, "article", "articles"),
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings"),
    )
}

fn location(d: &Diagnostic) -> String {
    let loc = d.location();
    if loc.is_empty() { "(site)".into() } else { loc }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    articles: usize,
    errors: usize,
    warnings: usize,
    counts: std::collections::BTreeMap<&'static str, usize>,
    notes: &'a [String],
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: &'static str,
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

/// One JSON document: totals, counts per rule, and every finding.
pub fn json(report: &Report) -> String {
    let (errors, warnings) = report.counts();
    let doc = JsonReport {
        articles: report.articles,
        errors,
        warnings,
        counts: report
            .by_rule()
            .into_iter()
            .map(|(r, f)| (r.key(), f.len()))
            .collect(),
        notes: &report.notes,
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding {
                rule: f.rule.key(),
                severity: severity_word(f.diagnostic.severity),
                path: &f.diagnostic.path,
                line: f.diagnostic.line,
                column: f.diagnostic.col,
                message: &f.diagnostic.message,
                hint: f.diagnostic.hint.as_deref(),
            })
            .collect(),
    };
    // Plain strings and numbers: serialising cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub Actions workflow commands, one per finding.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for note in &report.notes {
        out.push_str(&format!(
            "::notice title=binder check::{}\n",
            escape_data(note)
        ));
    }
    for f in &report.findings {
        let d = &f.diagnostic;
        let mut props = Vec::new();
        if !d.path.is_empty() {
            props.push(format!("file={}", escape_property(&d.path)));
        }
        if d.line > 0 {
            props.push(format!("line={}", d.line));
            props.push(format!("col={}", d.col.max(1)));
        }
        props.push(format!("title={}", escape_property(rule_title(f.rule))));
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!(
            "::{} {}::{}\n",
            severity_word(d.severity),
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

fn rule_title(rule: Rule) -> &'static str {
    rule.title()
}

/// GitHub's escaping of a command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::Finding;

    fn report() -> Report {
        let text: std::sync::Arc<str> = std::sync::Arc::from("---\ntitle: A\n---\nbody\n");
        Report {
            findings: vec![
                Finding {
                    rule: Rule::BrokenLinks,
                    diagnostic: Diagnostic::error("content/a.md", "broken wikilink: `x`")
                        .at(&text, 17..21)
                        .with_hint("did you mean `y`?"),
                },
                Finding {
                    rule: Rule::Orphans,
                    diagnostic: Diagnostic::warning("content/a,b.md", "orphan: 50% alone"),
                },
            ],
            articles: 2,
            notes: vec![],
            ..Report::default()
        }
    }

    #[test]
    fn human_groups_and_counts() {
        let s = human(&report());
        assert!(
            s.contains("Broken or ambiguous links (1 error) [broken_links]"),
            "{s}"
        );
        assert!(
            s.contains(
                "  error: content/a.md:4:1: broken wikilink: `x`\n      help: did you mean `y`?"
            ),
            "{s}"
        );
        assert!(s.contains("Orphan articles (1 warning) [orphans]"), "{s}");
        assert!(
            s.ends_with("\nchecked 2 articles: 1 error, 1 warning\n"),
            "{s}"
        );
        assert_eq!(s.matches("checked ").count(), 1, "one totals line: {s}");
    }

    #[test]
    fn totals_say_no_for_zero() {
        let healthy = Report {
            articles: 1,
            ..Report::default()
        };
        assert_eq!(
            totals(&healthy),
            "checked 1 article: no errors, no warnings"
        );
        let mut r = report();
        r.findings.truncate(1);
        assert_eq!(totals(&r), "checked 2 articles: 1 error, no warnings");
    }

    #[test]
    fn html_is_the_standalone_page() {
        let s = render(&report(), Format::Html);
        assert!(s.starts_with("<!doctype html>"), "{s}");
        assert!(
            s.contains("<code class=\"where\">content/a.md:4:1</code>"),
            "{s}"
        );
        assert!(!s.contains("Open the page"), "{s}");
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let s = github(&report());
        assert!(s.starts_with("::error file=content/a.md,line=4,col=1,title=Broken or ambiguous links::broken wikilink: `x`%0Ahelp: did you mean `y`?\n"), "{s}");
        assert!(
            s.contains(
                "::warning file=content/a%2Cb.md,title=Orphan articles::orphan: 50%25 alone\n"
            ),
            "{s}"
        );
    }

    #[test]
    fn json_carries_counts_and_positions() {
        let v: serde_json::Value = serde_json::from_str(&json(&report())).expect("json");
        assert_eq!(v["errors"], 1);
        assert_eq!(v["counts"]["orphans"], 1);
        assert_eq!(v["findings"][0]["line"], 4);
        assert_eq!(v["findings"][0]["rule"], "broken_links");
    }
}
