//! Pages as handbooks written for other tools have them, in Chromium at phone width: raw
//! HTML embeds with a fixed width, and headings that carry their own numbers.

use crate::browser::{self, Scheme, StaticServer};
use crate::support::Site;

/// A slide embed with `width="960"` fits a 390 px screen instead of widening the page, and
/// the table of contents shows "1. Policy" once, not "1. 1. Policy".
#[test]
fn a_fixed_width_embed_and_numbered_headings_fit_a_phone() {
    let Some(browser) = browser::launch() else {
        return;
    };
    let site = Site::new();
    site.write(
        "site.toml",
        "title = \"Imported\"\nbase_url = \"https://example.org/\"\n\n[markdown]\nraw_html = \"allow\"\n",
    );
    site.article(
        "policy.md",
        "title: Travel policy",
        "Intro.\n\n<iframe src=\"about:blank\" width=\"960\" height=\"569\" title=\"Slides\"></iframe>\n\n\
         ## 1. Policy\n\nText.\n\n## 2. Duties\n\nText.\n\n### 2.1 Booking\n\nText.\n\n## 3. Steps\n\nText.\n",
    );
    site.build_ok();
    let server = StaticServer::start_at(&site.root().join("public"), "");
    let page = browser.open(&server.url("policy/"), 390, Scheme::Light);
    let facts = page.eval(
        r#"(() => {
        const iframe = document.querySelector('.prose iframe');
        const toc = [...document.querySelectorAll('.toc li')];
        return {
          scroll: document.documentElement.scrollWidth,
          iframeFits: !!iframe && iframe.getBoundingClientRect().width <= iframe.closest('.prose').clientWidth,
          tocEntries: toc.length,
          markers: toc.map(li => getComputedStyle(li).listStyleType).filter(t => t !== 'none'),
        };
      })()"#,
    );
    // Chromium's phone emulation widens the layout viewport to the content, so the page's
    // width is compared with the screen's, not with innerWidth.
    assert!(
        facts["scroll"].as_u64().is_some_and(|w| w <= 390),
        "the page is wider than the phone: {facts}"
    );
    assert_eq!(facts["iframeFits"], true, "{facts}");
    assert_eq!(facts["tocEntries"], 4, "{facts}");
    assert_eq!(facts["markers"], serde_json::json!([]), "{facts}");
}

/// A real handbook's long table of contents (GitHub's Open Source Guides: 30 headings) sat in
/// full above the article on a phone. Past six entries it starts folded there, its title
/// unfolds it, and on a wide screen it stays open beside the article.
#[test]
fn a_long_table_of_contents_starts_folded_on_a_phone_only() {
    let Some(browser) = browser::launch() else {
        return;
    };
    let site = Site::new();
    let body: String = (1..=8)
        .map(|i| format!("## Part {i}\n\nText {i}.\n\n"))
        .collect();
    site.article("long.md", "title: Long read", &body);
    site.article(
        "short.md",
        "title: Short read",
        "## A\n\nx\n\n## B\n\ny\n\n## C\n\nz\n",
    );
    site.build_ok();
    let server = StaticServer::start_at(&site.root().join("public"), "");
    let state = r#"(() => {
        const d = document.querySelector('nav.toc details');
        return { open: d.open, summary: d.querySelector('summary').textContent.trim() };
      })()"#;
    let phone = browser.open(&server.url("long/"), 390, Scheme::Light);
    let folded = phone.eval(state);
    assert_eq!(folded["open"], false, "{folded}");
    assert_eq!(folded["summary"], "On this page", "{folded}");
    phone.eval("document.querySelector('nav.toc summary').click(), 0");
    assert_eq!(phone.eval(state)["open"], true, "its title unfolds it");
    let short = browser.open(&server.url("short/"), 390, Scheme::Light);
    assert_eq!(short.eval(state)["open"], true, "a short one stays open");
    let wide = browser.open(&server.url("long/"), 1280, Scheme::Light);
    assert_eq!(
        wide.eval(state)["open"],
        true,
        "beside the article it is open"
    );
}
