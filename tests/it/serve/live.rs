//! Live reload over the event stream: edits, broken edits and their fixes, deleted articles,
//! editor save patterns and stylesheet swaps.

use super::{Server, edit, next_event, server_site};

#[test]
fn an_edit_pushes_reload_then_serves_the_new_page() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    assert!(!next_event(&events, "hello").is_empty());
    edit(
        &root,
        "content/tips/listen.md",
        "Listening matters.",
        "Listening matters a lot (edited).",
    );
    let data = next_event(&events, "reload");
    assert!(data.contains("tips/listen/index.html"), "{data}");
    assert!(
        server
            .text("/tips/listen/")
            .contains("Listening matters a lot (edited).")
    );
}

#[test]
fn a_broken_edit_shows_errors_keeps_the_old_page_and_the_fix_clears_them() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    next_event(&events, "hello");
    edit(
        &root,
        "content/tips/listen.md",
        "title: Listen well",
        "title: [Listen well",
    );
    let data = next_event(&events, "error");
    let errors: Vec<serde_json::Value> = serde_json::from_str(&data).expect("json");
    let yaml = errors
        .iter()
        .find(|e| e["path"] == "content/tips/listen.md")
        .unwrap_or_else(|| panic!("no error in listen.md: {data}"));
    assert_eq!(yaml["line"], 2);
    assert!(yaml["col"].as_u64().is_some_and(|c| c > 0));
    assert!(
        yaml["source_line"]
            .as_str()
            .is_some_and(|l| l.contains("[Listen well"))
    );
    // The last good build is still served, and a page opened now learns about the error.
    assert!(server.text("/tips/listen/").contains("Listening matters."));
    let late = server.events();
    next_event(&late, "hello");
    assert!(next_event(&late, "error").contains("content/tips/listen.md"));

    edit(
        &root,
        "content/tips/listen.md",
        "title: [Listen well",
        "title: Listen well again",
    );
    next_event(&events, "ok");
    assert!(next_event(&events, "reload").contains("tips/listen/index.html"));
    server.wait_for_text("/tips/listen/", "Listen well again");
}

#[test]
fn a_deleted_article_disappears_and_links_to_it_become_errors() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    next_event(&events, "hello");
    std::fs::remove_file(root.join("content/tips/close.md")).expect("delete");
    let r = next_event(&events, "reload");
    assert!(r.contains("tips/close/index.html"), "{r}");
    assert_eq!(server.get("/tips/close/").status(), 404);
    std::fs::remove_file(root.join("content/tips/listen.md")).expect("delete");
    let data = next_event(&events, "error");
    assert!(
        data.contains("content/tips/ask.md"),
        "the link from ask.md is broken: {data}"
    );
    assert_eq!(
        server.get("/tips/listen/").status(),
        200,
        "the last good build is still served"
    );
}

#[test]
fn editor_saves_cost_one_rebuild_each() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let start = server.settled_builds();
    let dir = root.join("content/tips");

    // Write a temp file, then rename it over the article (JetBrains, many others).
    std::fs::write(
        dir.join(".listen.md.tmp"),
        std::fs::read_to_string(dir.join("listen.md"))
            .expect("read")
            .replace("Listening matters.", "Saved atomically."),
    )
    .expect("write");
    std::fs::rename(dir.join(".listen.md.tmp"), dir.join("listen.md")).expect("rename");
    server.wait_for_text("/tips/listen/", "Saved atomically.");
    assert_eq!(
        server.settled_builds(),
        start + 1,
        "{}",
        server.log.lock().expect("log")
    );

    // Vim: probe with 4913, move the file to a backup, write a new one, drop the backup.
    std::fs::write(dir.join("4913"), "").expect("probe");
    std::fs::remove_file(dir.join("4913")).expect("probe");
    std::fs::rename(dir.join("listen.md"), dir.join("listen.md~")).expect("backup");
    let text = std::fs::read_to_string(dir.join("listen.md~"))
        .expect("read")
        .replace("Saved atomically.", "Saved by vim.");
    std::fs::write(dir.join(".listen.md.swp"), "swap").expect("swap");
    std::fs::write(dir.join("listen.md"), text).expect("write");
    std::fs::remove_file(dir.join("listen.md~")).expect("backup");
    std::fs::remove_file(dir.join(".listen.md.swp")).expect("swap");
    server.wait_for_text("/tips/listen/", "Saved by vim.");
    assert_eq!(
        server.settled_builds(),
        start + 2,
        "{}",
        server.log.lock().expect("log")
    );
    assert!(
        !server.log.lock().expect("log").contains("error"),
        "no save step was seen half-done"
    );
}

#[test]
fn a_css_change_swaps_stylesheets_without_a_reload() {
    let (s, root) = server_site();
    let server = Server::start(s.root(), &[]);
    let events = server.events();
    next_event(&events, "hello");
    let css = root.join("themes/default/static/style.css");
    let text = std::fs::read_to_string(&css).expect("read");
    std::fs::write(&css, format!("{text}\n.binder-test {{ color: red }}\n")).expect("write");
    let data = next_event(&events, "css");
    assert!(data.contains("style.css"), "{data}");
    assert!(server.text("/style.css").contains(".binder-test"));
}
