//! Reading paths: a path's page, "part k of n" with prev/next, an article on two paths,
//! unresolved entries, graph.json and the health report.

use crate::support::Site;

fn site() -> Site {
    let s = Site::new();
    s.write(
        "content/paths/_index.md",
        "---\ntitle: Reading paths\n---\n",
    );
    for (slug, title) in [("one", "One"), ("two", "Two"), ("three", "Three")] {
        s.article(&format!("{slug}.md"), &format!("title: {title}"), "Text.");
    }
    s.article(
        "paths/new.md",
        "title: New to coaching\ndescription: Where to start.",
        "1. [[One]]: start here, because it sets the frame.\n2. [[Two]]: then this, once the frame is clear.\n3. [[Three]]: last, when you have tried the first two.",
    );
    s.article(
        "paths/up.md",
        "title: Coaching up\ndescription: For your manager.",
        "1. [[Three]]: the situation first.\n2. [[One]]: then the frame.",
    );
    s
}

#[test]
fn an_article_on_a_path_shows_its_part_and_neighbours() {
    let s = site();
    s.build_ok();
    let two = s.main("two/index.html");
    assert!(
        two.contains(
            r#"Part 2 of 3 of the reading path <a href="../paths/new/">New to coaching</a>"#
        ),
        "{two}"
    );
    assert!(
        two.contains(r#"<a href="../one/" rel="prev"><span aria-hidden="true">←</span> One</a>"#),
        "{two}"
    );
    assert!(
        two.contains(
            r#"<a href="../three/" rel="next">Three <span aria-hidden="true">→</span></a>"#
        ),
        "{two}"
    );
    let path = s.main("paths/new/index.html");
    assert!(
        path.contains("start here, because it sets the frame."),
        "the why is on the path page: {path}"
    );
}

#[test]
fn an_article_may_be_on_two_paths() {
    let s = site();
    s.build_ok();
    let one = s.main("one/index.html");
    let up = one
        .find("Part 2 of 2 of the reading path <a href=\"../paths/up/\">Coaching up</a>")
        .expect("on up");
    let new = one
        .find("Part 1 of 3 of the reading path <a href=\"../paths/new/\">New to coaching</a>")
        .expect("on new");
    assert!(up < new, "paths by title: {one}");
    let first = &one[new..];
    assert!(
        !first[..first.find("</nav>").unwrap_or(first.len())].contains("rel=\"prev\""),
        "the first part has no previous: {first}"
    );
    assert!(
        one.contains(r#"<a href="../three/" rel="prev">"#),
        "prev on `up` is Three: {one}"
    );
}

#[test]
fn an_unresolved_entry_is_a_located_error_with_a_suggestion() {
    let s = site();
    s.article("paths/bad.md", "title: Bad", "1. [[Thre]]: a typo.");
    let e = s.build_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        e[0].to_string(),
        "content/paths/bad.md:4:4: broken wikilink: no article titled, slugged or aliased `Thre`"
    );
    assert!(
        e[0].hint.as_deref().unwrap_or("").contains("`Three`"),
        "{:?}",
        e[0].hint
    );
}

#[test]
fn graph_json_lists_path_steps_in_order() {
    let s = site();
    s.build_ok();
    let graph = s.read("graph.json");
    for (target, order) in [("one/", 1), ("two/", 2), ("three/", 3)] {
        let edge = format!(
            r#"{{"kind":"path","source":"paths/new/","target":"{target}","order":{order}}}"#
        );
        assert!(graph.contains(&edge), "{edge} in {graph}");
    }
}

#[test]
fn articles_on_a_path_and_paths_themselves_are_not_orphans() {
    let s = site();
    s.article("four.md", "title: Four", "Nobody reads me.");
    let r = binder::health::check(&s.options(), jiff::civil::date(2026, 6, 1)).expect("check");
    let orphans: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.rule == binder::health::Rule::Orphans)
        .map(|f| f.diagnostic.path.clone())
        .collect();
    assert_eq!(orphans, ["content/four.md"]);
}

#[test]
fn a_path_prints_on_its_own_in_its_order() {
    let s = site();
    s.article("four.md", "title: Four", "Not on the path.");
    s.build_ok();
    let path = s.main("paths/new/index.html");
    assert!(
        path.contains(r#"<a href="../../print/paths/new/">Print this reading path</a>"#),
        "{path}"
    );
    let print = s.read("print/paths/new/index.html");
    let at = |t: &str| {
        print
            .find(t)
            .unwrap_or_else(|| panic!("{t} missing: {print}"))
    };
    assert!(
        at(">One<") < at(">Two<") && at(">Two<") < at(">Three<"),
        "{print}"
    );
    assert!(
        !print.contains(">Four<"),
        "only the path's articles: {print}"
    );
    assert!(print.contains("<title>New to coaching"), "{print}");
    // The whole handbook still prints everything.
    assert!(s.read("print/index.html").contains(">Four<"));
}
