//! Live reload seen from Chromium (through the harness in `tests/it/browser.rs`).

use std::time::Duration;

use super::{Server, edit, server_site};

/// An open page reloads after an edit and keeps its scroll position; a broken edit shows the
/// overlay (path:line:col) over the old page and the fix clears it; a stylesheet edit swaps
/// the stylesheet without reloading.
#[test]
fn browser_live_reload_overlay_and_css_swap() {
    let Some(browser) = crate::browser::launch() else {
        return;
    };
    let (s, root) = server_site();
    let long: String = (1..=120)
        .map(|i| {
            format!(
                "Paragraph {i} about listening, long enough to fill a line or two of the page.\n\n"
            )
        })
        .collect();
    s.article(
        "tips/listen.md",
        "title: Listen well\ndate: 2024-02-01\nconcepts: [listening, trust]",
        &format!("Listening matters.\n\n{long}Back to [[Ask for clarity]]."),
    );
    let server = Server::start(s.root(), &[]);
    let page = browser.open(
        &format!("{}/tips/listen/", server.url),
        1000,
        crate::browser::Scheme::Light,
    );
    // "instant": the theme scrolls smoothly, and the position must be final before the edit.
    page.eval("window.scrollTo({ top: 2000, behavior: 'instant' })");
    assert_eq!(
        page.eval("Math.round(window.scrollY)"),
        serde_json::json!(2000),
        "the page is long enough to scroll"
    );
    page.eval("window.__binderTest = 'before reload'");

    edit(
        &root,
        "content/tips/listen.md",
        "Listening matters.",
        "Listening matters, edited from the browser test.",
    );
    assert!(
        page.wait_for(
            "document.body.innerText.includes('edited from the browser test')",
            Duration::from_secs(10)
        ),
        "the page reloaded with the edit"
    );
    assert_eq!(
        page.eval("window.__binderTest === undefined"),
        serde_json::json!(true),
        "a real reload"
    );
    assert!(
        page.wait_for(
            "Math.abs(window.scrollY - 2000) <= 2",
            Duration::from_secs(5)
        ),
        "scroll kept: {}",
        page.eval("window.scrollY")
    );

    edit(
        &root,
        "content/tips/listen.md",
        "title: Listen well",
        "title: [Listen well",
    );
    let overlay = "document.querySelector('binder-error-overlay')";
    assert!(
        page.wait_for(&format!("{overlay} !== null"), Duration::from_secs(10)),
        "the overlay appears"
    );
    let text = page.eval(&format!("{overlay}.shadowRoot.textContent"));
    assert!(
        text.as_str()
            .is_some_and(|t| t.contains("content/tips/listen.md:2:") && t.contains("[Listen well")),
        "{text}"
    );
    assert!(
        page.eval("document.body.innerText")
            .as_str()
            .is_some_and(|t| t.contains("edited from the browser test")),
        "the old page stays"
    );

    edit(
        &root,
        "content/tips/listen.md",
        "title: [Listen well",
        "title: Listen well, fixed",
    );
    assert!(
        page.wait_for(
            &format!("{overlay} === null && document.title.includes('Listen well, fixed')"),
            Duration::from_secs(10)
        ),
        "the fix clears the overlay"
    );

    page.eval("window.__binderTest = 'no reload for css'");
    let css = root.join("themes/default/static/style.css");
    let text = std::fs::read_to_string(&css).expect("read");
    std::fs::write(
        &css,
        format!("{text}\nmain {{ outline: 3px solid rgb(1, 2, 3); }}\n"),
    )
    .expect("write");
    assert!(
        page.wait_for(
            "getComputedStyle(document.querySelector('main')).outlineColor === 'rgb(1, 2, 3)'",
            Duration::from_secs(10)
        ),
        "the new stylesheet applies"
    );
    assert_eq!(
        page.eval("window.__binderTest"),
        serde_json::json!("no reload for css")
    );
    assert!(
        page.console_errors().is_empty(),
        "{:?}",
        page.console_errors()
    );
}

/// Issue 11, defect 8: two saves 50 ms apart left the open page showing the first save (the
/// page reloaded for the first, and the second's signal went out while it was loading). The
/// page now tells the server which build it shows, and catches up at once.
#[test]
fn browser_two_saves_50_ms_apart_end_with_the_second_on_screen() {
    let Some(browser) = crate::browser::launch() else {
        return;
    };
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let page = browser.open(
        &format!("{}/tips/listen/", server.url),
        1000,
        crate::browser::Scheme::Light,
    );
    assert!(
        page.wait_for(
            "document.body.innerText.includes('Listening matters.')",
            Duration::from_secs(10)
        ),
        "the page loaded"
    );
    let path = root.join("content/tips/listen.md");
    let original = std::fs::read_to_string(&path).expect("read");
    for round in 1..=3 {
        let first = format!("First save of round {round}.");
        let second = format!("Second save of round {round}.");
        std::fs::write(&path, original.replace("Listening matters.", &first)).expect("save 1");
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(&path, original.replace("Listening matters.", &second)).expect("save 2");
        let shows_second = format!("document.body.innerText.includes('{second}')");
        assert!(
            page.wait_for(&shows_second, Duration::from_secs(10)),
            "round {round}: the page shows `{}`\n{}",
            page.eval("document.querySelector('main') && document.querySelector('main').innerText.slice(0, 200)"),
            server.log.lock().expect("log")
        );
        // And it stays there (no late reload back to an older build).
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            page.eval(&shows_second),
            serde_json::json!(true),
            "round {round}"
        );
    }
    assert!(
        page.console_errors().is_empty(),
        "{:?}",
        page.console_errors()
    );
}
