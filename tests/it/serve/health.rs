//! `binder serve`'s side of the health report: the `/_health/` page lists what `binder check`
//! reports and follows edits (a fix drops a finding, a new problem shows, a broken build is
//! judged too), the overlay gets the counts, and a stale article carries a notice in `serve`
//! but not in `binder build`'s output, which never has a `_health/` folder; in Chromium, the
//! badge, the report's accessibility and its reload after an edit.

use std::process::Command;
use std::time::{Duration, Instant};

use super::{Server, edit, next_event};
use crate::support::Site;

const TODAY: &str = "2026-06-01";

/// Three tips linking each other, one of them (`old.md`, owned by Ada) not reviewed for
/// 507 days with `review_after = "180d"`: exactly one finding, a stale article.
fn handbook() -> Site {
    let s = Site::new();
    s.config("review_after = \"180d\"\n");
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.write(
        "content/concepts/trust.md",
        "---\ntitle: Trust\n---\nConfidence that you will do what you said.\n",
    );
    s.article(
        "tips/listen.md",
        "title: Listen\ndescription: Hear them out.\nconcepts: [trust]\nlast_reviewed: 2026-05-01",
        "See [[Ask]].",
    );
    s.article(
        "tips/ask.md",
        "title: Ask\ndescription: Ask first.\nconcepts: [trust]\nlast_reviewed: 2026-05-01",
        "See [[Listen]] and [[Old]].",
    );
    s.article(
        "tips/old.md",
        "title: Old\ndescription: Was right once.\nconcepts: [trust]\nlast_reviewed: 2025-01-10\nowner: Ada",
        "See [[Listen]].",
    );
    s
}

fn serve(s: &Site) -> Server {
    Server::start(s.root(), &["--today", TODAY])
}

/// Polls `path` until it no longer contains `needle`.
fn wait_without(server: &Server, path: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let t = server.text(path);
        if !t.contains(needle) {
            return t;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{path} kept showing `{needle}`\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `binder check --format json` on the site, as of [`TODAY`].
fn check_json(s: &Site) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .args(["check", "--format", "json", "--today", TODAY])
        .output()
        .expect("run binder check");
    serde_json::from_slice(&out.stdout).expect("check's JSON")
}

/// Every finding `binder check` reports is on the page, at its location, with its message.
fn assert_lists_what_check_reports(s: &Site, page: &str) {
    let report = check_json(s);
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty(), "{report}");
    for f in findings {
        let at = format!(
            "<code class=\"where\">{}:{}:{}</code>",
            f["path"].as_str().expect("path"),
            f["line"],
            f["column"]
        );
        assert!(page.contains(&at), "{at} missing from the page:\n{page}");
        let message = binder::html::escape(f["message"].as_str().expect("message"));
        assert!(page.contains(&message), "{message} missing:\n{page}");
    }
    let (e, w) = (&report["errors"], &report["warnings"]);
    assert!(
        page.contains(&format!(
            "<p>{e} error{}, {w} warning{} in",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        )),
        "counts {e}/{w}:\n{page}"
    );
}

#[test]
fn the_health_page_lists_the_findings_and_follows_edits() {
    let s = handbook();
    let root = s.root().canonicalize().expect("root");
    let server = serve(&s);
    let page = server.wait_for_text("/_health/", "Stale articles");
    let r = server.get("/_health/");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    assert!(
        page.starts_with("<!doctype html>\n<html lang=\"en\">"),
        "{page}"
    );
    assert!(page.contains("<title>Health report · Fixture · binder serve</title>"));
    assert_eq!(page.matches("<h1>").count(), 1, "{page}");
    assert!(
        page.contains("<h2 id=\"stale\">Stale articles (1 warning)</h2>"),
        "{page}"
    );
    assert!(
        page.contains("<code class=\"where\">content/tips/old.md:5:1</code>"),
        "{page}"
    );
    assert!(
        page.contains("stale: last reviewed 2025-01-10 (507 days ago; review_after is 180 days)")
    );
    assert!(
        page.contains(
            "Fix: ask Ada (the owner) to reread it, then set `last_reviewed: 2026-06-01`"
        )
    );
    assert!(
        page.contains("<a href=\"/tips/old/\">Open the page “Old”</a>"),
        "{page}"
    );
    assert!(
        page.contains("/__binder/reload.js"),
        "the page reloads itself"
    );
    assert_lists_what_check_reports(&s, &page);
    assert_eq!(
        server.get("/_health").url().path(),
        "/_health/",
        "redirected to the folder"
    );

    // An edit that adds findings: a concept only this article uses, with no glossary entry.
    edit(
        &root,
        "content/tips/listen.md",
        "concepts: [trust]",
        "concepts: [trust, curiosity]",
    );
    let page = server.wait_for_text("/_health/", "Concepts used once");
    assert!(
        page.contains("the concept `curiosity` has no glossary entry"),
        "{page}"
    );
    assert!(page.contains("<a href=\"/tips/listen/\">Open the page “Listen”</a>"));
    assert_lists_what_check_reports(&s, &page);

    // An edit that fixes one: the stale article is reviewed.
    edit(
        &root,
        "content/tips/old.md",
        "last_reviewed: 2025-01-10",
        "last_reviewed: 2026-05-20",
    );
    let page = wait_without(&server, "/_health/", "Stale articles");
    assert!(
        page.contains("Concepts used once"),
        "the other findings stay: {page}"
    );

    // A broken link stops the rebuild; the report still judges the edited site, as `check`.
    edit(
        &root,
        "content/tips/ask.md",
        "See [[Listen]]",
        "See [[Nowhere]], [[Listen]]",
    );
    server.wait_for_status(false);
    let page = server.wait_for_text("/_health/", "Broken or ambiguous links");
    assert!(page.contains("broken wikilink"), "{page}");
    assert_lists_what_check_reports(&s, &page);
    edit(
        &root,
        "content/tips/ask.md",
        "See [[Nowhere]], [[Listen]]",
        "See [[Listen]]",
    );
    server.wait_for_status(true);
    wait_without(&server, "/_health/", "Broken or ambiguous links");
}

#[test]
fn a_stale_article_has_a_notice_in_serve_only() {
    let s = handbook();
    let root = s.root().canonicalize().expect("root");
    let server = serve(&s);
    let html = server.wait_for_text("/tips/old/", "binder-stale");
    let notice = html
        .find("<p class=\"binder-stale\" role=\"note\"")
        .expect("notice");
    let main = html.find("<main").expect("<main>");
    assert!(main < notice && notice < html.find("</main>").expect("</main>"));
    assert_eq!(
        html[main..notice].matches('>').count(),
        1,
        "right after the <main> tag: {html}"
    );
    assert!(
        html.contains(
            "Not reviewed since 2025-01-10 (507 days ago; review after 180d) — owner: Ada."
        ),
        "{html}"
    );
    assert!(!server.text("/tips/listen/").contains("binder-stale"));

    // The published build has neither the notice nor the report.
    let out = Command::new(env!("CARGO_BIN_EXE_binder"))
        .arg("--root")
        .arg(s.root())
        .arg("build")
        .output()
        .expect("run binder build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built = s.read("tips/old/index.html");
    assert!(built.contains("Was right once.") || built.contains("Old"));
    assert!(!built.contains("binder-stale"), "{built}");
    assert!(!s.exists("_health"), "binder build wrote _health/");

    // Reviewed: the notice goes.
    edit(
        &root,
        "content/tips/old.md",
        "last_reviewed: 2025-01-10",
        "last_reviewed: 2026-05-20",
    );
    wait_without(&server, "/tips/old/", "binder-stale");
}

#[test]
fn the_overlay_gets_the_health_counts() {
    let s = handbook();
    let root = s.root().canonicalize().expect("root");
    let server = serve(&s);
    let events = server.events();
    next_event(&events, "hello");
    let counts = |events| loop {
        let data = next_event(events, "health");
        let v: serde_json::Value = serde_json::from_str(&data).expect("json");
        assert_eq!(v["url"], "/_health/");
        if v["warnings"] != 0 {
            return v;
        }
    };
    let v = counts(&events);
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(0), Some(1))
    );
    edit(
        &root,
        "content/tips/listen.md",
        "concepts: [trust]",
        "concepts: [trust, curiosity]",
    );
    let v = loop {
        let v = counts(&events);
        if v["warnings"] != 1 {
            break v;
        }
    };
    assert_eq!(
        v["warnings"], 3,
        "stale, single-use and undefined concept: {v}"
    );
}

/// axe-core's script, if the theme test tools are installed (`npm ci` in the repository,
/// or `BINDER_NPM_DIR`).
fn axe_source() -> Option<String> {
    let dir = std::env::var_os("BINDER_NPM_DIR")
        .map_or_else(|| crate::support::repo().join("node_modules"), Into::into);
    std::fs::read_to_string(dir.join("axe-core/axe.min.js")).ok()
}

/// In Chromium: an article shows the badge with the counts, linking to `/_health/`; the
/// report passes axe's WCAG 2 A/AA rules in both colour schemes and reloads by itself when an
/// edit changes the report.
#[test]
fn browser_badge_report_and_its_reload() {
    let Some(browser) = crate::browser::launch() else {
        return;
    };
    let s = handbook();
    let root = s.root().canonicalize().expect("root");
    let server = serve(&s);
    server.wait_for_text("/_health/", "Stale articles");
    let page = browser.open(
        &format!("{}/tips/old/", server.url),
        1000,
        crate::browser::Scheme::Light,
    );
    let badge = "document.querySelector('binder-health-badge')?.shadowRoot.querySelector('a')";
    assert!(
        page.wait_for(&format!("{badge} !== undefined"), Duration::from_secs(10)),
        "the badge appears"
    );
    assert_eq!(
        page.eval(&format!(
            "[{badge}.textContent, {badge}.getAttribute('href')]"
        )),
        serde_json::json!(["Health: 1 warning", "/_health/"])
    );
    assert_eq!(
        page.eval("document.querySelector('main .binder-stale').getAttribute('role')"),
        serde_json::json!("note")
    );

    page.goto(&format!("{}/_health/", server.url));
    assert!(page.wait_for(
        "document.querySelector('main[data-report]') !== null",
        Duration::from_secs(10)
    ));
    assert_eq!(
        page.eval("document.querySelector('binder-health-badge')"),
        serde_json::Value::Null,
        "no badge on the report itself"
    );
    match axe_source() {
        Some(axe) => {
            for scheme in [crate::browser::Scheme::Light, crate::browser::Scheme::Dark] {
                page.set_scheme(scheme);
                page.eval(&format!("(() => {{ {axe}\n; return true; }})()"));
                let violations = page.eval(
                    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', \
                     'wcag21a', 'wcag21aa', 'wcag22aa'] } }).then(r => r.violations.map(v => v.id + ': ' \
                     + v.nodes.map(n => n.target.join(' ')).join(', ')))",
                );
                assert_eq!(violations, serde_json::json!([]), "{scheme:?}");
            }
        }
        None => eprintln!("no axe-core (npm ci): skipping the accessibility check of /_health/"),
    }
    page.eval("window.__binderTest = 'before reload'");
    edit(
        &root,
        "content/tips/old.md",
        "last_reviewed: 2025-01-10",
        "last_reviewed: 2026-05-20",
    );
    assert!(
        page.wait_for(
            "!document.body.innerText.includes('Stale articles') && window.__binderTest === undefined",
            Duration::from_secs(15)
        ),
        "the report reloaded without the stale article"
    );
    assert!(
        page.eval("document.body.innerText")
            .as_str()
            .is_some_and(|t| t.contains("No findings"))
    );
}
