//! The notice a stale article carries at the top of its `<main>` in `serve` (never in
//! `binder build`'s output): when it was last reviewed, by whom, and a link to the health
//! report. The HTTP side puts it in as it sends the page, so the served files stay the bytes
//! `binder build` writes.

use crate::health::StaleArticle;
use crate::html::escape;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
        url = super::live::URL
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
