//! The knowledge outputs: `graph.json`, the pairs page, the question bank, the printed binder
//! and the concept map.

use std::collections::{BTreeSet, HashMap};

use quick_xml::events::Event;

use crate::support::Site;

/// A small handbook with links, concepts, authors, a series and a pair.
fn handbook() -> Site {
    let s = Site::new();
    s.write(
        "content/tips/_index.md",
        "---\ntitle: Tips\nweight: 1\n---\n",
    );
    s.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nweight: 2\n---\n",
    );
    s.article(
        "tips/open.md",
        "title: Open the session\ndate: 2026-01-01\nconcepts: [trust]\nauthors: [Ann]\nseries: Sessions\nseries_order: 1",
        "Before you start[^1], read [the close](close.md#what-to-ask) and [the goal](#goal).\n\n\
         ## Goal\n\n> [!question]\n> What do you want from today?\n\n[^1]: Or soon after.\n",
    );
    s.article(
        "tips/close.md",
        "title: Close the session\ndate: 2026-01-05\nconcepts: [trust, feedback]\nauthors: [Ann, Bo]\nseries: Sessions\nseries_order: 2",
        "## What to ask\n\n> [!question]\n> What will you do next?\n\nSee [[Open the session]].\n\n\
         ```html\n<p id=\"main\"><a href=\"#nowhere\">x</a></p>\n```\n",
    );
    s.article(
        "blog/lead.md",
        "title: \"Feedback: the lead's view\"\ndate: 2025-12-02\nconcepts: [feedback]\nauthors: [Bo]\npair: coach.md",
        "My side. Compare [the coach](coach.md).\n",
    );
    s.article(
        "blog/coach.md",
        "title: \"Feedback: the coach's view\"\ndate: 2025-12-01\nauthors: [Ann]",
        "The other side.\n\n> [!question]\n> What did you notice?\n",
    );
    s
}

fn json(s: &Site, rel: &str) -> serde_json::Value {
    serde_json::from_str(&s.read(rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

#[test]
fn graph_json_has_every_node_and_edge() {
    let s = handbook();
    s.build_ok();
    let g = json(&s, "graph.json");
    assert_eq!(g["version"], 1);
    assert_eq!(g["base_url"], "https://example.org/handbook/");
    let nodes: Vec<(String, String)> = g["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap_or("").into(),
                n["kind"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let expected_nodes = [
        ("blog/coach/", "article"),
        ("blog/lead/", "article"),
        ("tips/close/", "article"),
        ("tips/open/", "article"),
        ("concepts/feedback/", "concept"),
        ("concepts/trust/", "concept"),
        ("authors/ann/", "author"),
        ("authors/bo/", "author"),
    ];
    assert_eq!(
        nodes,
        expected_nodes.map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let open = &g["nodes"][3];
    assert_eq!(open["title"], "Open the session");
    assert_eq!(open["source"], "tips/open.md");
    assert_eq!(open["section"], "tips/");
    assert_eq!(open["date"], "2026-01-01");
    assert_eq!(g["nodes"][5]["count"], 2);
    assert_eq!(g["nodes"][5]["taxonomy"], "concepts");

    let edges: Vec<String> = g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            format!(
                "{} {} -> {}",
                e["kind"].as_str().unwrap_or(""),
                e["source"].as_str().unwrap_or(""),
                e["target"].as_str().unwrap_or("")
            )
        })
        .collect();
    let expected = [
        "link blog/lead/ -> blog/coach/",
        "link tips/close/ -> tips/open/",
        "link tips/open/ -> tips/close/",
        "concept blog/lead/ -> concepts/feedback/",
        "concept tips/close/ -> concepts/feedback/",
        "concept tips/close/ -> concepts/trust/",
        "concept tips/open/ -> concepts/trust/",
        "author blog/coach/ -> authors/ann/",
        "author blog/lead/ -> authors/bo/",
        "author tips/close/ -> authors/ann/",
        "author tips/close/ -> authors/bo/",
        "author tips/open/ -> authors/ann/",
        "pair blog/coach/ -> blog/lead/",
        "series tips/open/ -> tips/close/",
    ];
    assert_eq!(edges, expected);
    let series = g["edges"]
        .as_array()
        .and_then(|e| e.last())
        .expect("series edge");
    assert_eq!(
        (&series["series"], &series["order"]),
        (&"Sessions".into(), &1.into())
    );
}

#[test]
fn graph_json_is_byte_identical_across_builds() {
    let s = handbook();
    s.build_ok();
    let first = s.read("graph.json");
    s.build_ok();
    assert_eq!(first, s.read("graph.json"));
}

#[test]
fn pairs_page_lists_each_pair_once_side_by_side() {
    let s = handbook();
    s.article(
        "blog/new-a.md",
        "title: Silence\ndate: 2026-02-01\nauthors: [Cy]\npair: new-b.md",
        "A.",
    );
    s.article(
        "blog/new-b.md",
        "title: Quiet rooms\ndate: 2026-02-03\nauthors: [Di]",
        "B.",
    );
    s.build_ok();
    let main = s.main("pairs/index.html");
    assert_eq!(main.matches("class=\"pair\"").count(), 2, "{main}");
    // Newest pair first; its topic is the first post's title (the titles share no prefix).
    let silence = main.find(">Silence</h2>").expect("topic of the new pair");
    let feedback = main
        .find(">Feedback</h2>")
        .expect("shared title prefix as topic");
    assert!(silence < feedback, "{main}");
    // Both posts of a pair, with titles and authors; the earlier post on the left.
    let new_pair = &main[silence..feedback];
    let (a, b) = (
        new_pair.find("Silence</a>").expect("left"),
        new_pair.find("Quiet rooms</a>").expect("right"),
    );
    assert!(
        a < b && new_pair.contains("Cy") && new_pair.contains("Di"),
        "{new_pair}"
    );
    let old_pair = &main[feedback..];
    assert!(
        old_pair.contains("Feedback: the coach") && old_pair.contains("Feedback: the lead"),
        "{old_pair}"
    );
    assert!(
        old_pair.contains("Ann") && old_pair.contains("Bo"),
        "{old_pair}"
    );
    assert!(
        old_pair.contains("href=\"../blog/coach/\"") && old_pair.contains("href=\"../blog/lead/\""),
        "{old_pair}"
    );
}

/// `(href, text)` of every question link on the question bank.
fn question_links(main: &str) -> Vec<(String, String)> {
    main.split("class=\"question-text\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = rest.split('"').next().unwrap_or("").to_owned();
            let text = rest
                .split('>')
                .nth(1)
                .and_then(|t| t.split('<').next())
                .unwrap_or("")
                .to_owned();
            (href, text)
        })
        .collect()
}

#[test]
fn question_bank_groups_by_concept_and_links_back() {
    let s = handbook();
    s.build_ok();
    let main = s.main("questions/index.html");
    // Groups: concepts by name, then the questions of articles without concepts.
    let feedback = main
        .find("id=\"binder-q-feedback\"")
        .expect("feedback group");
    let trust = main.find("id=\"binder-q-trust\"").expect("trust group");
    let other = main
        .find("id=\"binder-q-other\"")
        .expect("group without concept");
    assert!(feedback < trust && trust < other, "{main}");
    let links = question_links(&main);
    let texts: Vec<&str> = links.iter().map(|(_, t)| t.as_str()).collect();
    // `close` has both concepts, so its question is listed twice.
    assert_eq!(
        texts,
        [
            "What will you do next?",
            "What will you do next?",
            "What do you want from today?",
            "What did you notice?"
        ]
    );
    for (href, _) in &links {
        let (path, anchor) = href
            .strip_prefix("../")
            .and_then(|h| h.split_once('#'))
            .expect("relative link with anchor");
        let target = s.read(&format!("{path}index.html"));
        assert!(
            target.contains(&format!("id=\"{anchor}\"")),
            "{href}: no such anchor on the article"
        );
    }
}

#[test]
fn question_bank_without_questions_still_renders() {
    let s = Site::new();
    s.article("tips/a.md", "title: A", "Nothing to ask.");
    s.build_ok();
    assert!(s.main("questions/index.html").contains("No questions yet"));
}

/// Every `id="…"` of a page.
fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|r| r.split('"').next().unwrap_or("").to_owned())
        .collect()
}

/// Every in-page `href="#…"` of a page (without the `#`).
fn fragment_links(html: &str) -> Vec<String> {
    html.split(" href=\"#")
        .skip(1)
        .map(|r| r.split('"').next().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn print_has_every_article_once_in_order_with_working_anchors() {
    let s = handbook();
    s.write("content/about.md", "---\ntitle: About us\n---\nWe [open sessions](tips/open.md) and have ![a map](tips/map.svg).\n");
    s.write(
        "content/tips/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.build_ok();
    let html = s.read("print/index.html");
    let main = s.main("print/index.html");
    // Home's own articles, then sections in nav order; the series in series order although
    // the section lists newest first.
    let order = [
        "About us",
        "Open the session",
        "Close the session",
        "Feedback: the lead",
        "Feedback: the coach",
    ];
    let mut at = 0;
    for title in order {
        let found = main[at..]
            .find("class=\"print-article-title\" id=\"")
            .map(|i| at + i)
            .unwrap_or_else(|| panic!("{title} missing"));
        let heading_end = main[found..]
            .find("</h3>")
            .map_or(main.len(), |i| found + i);
        assert!(
            main[found..heading_end].contains(title),
            "expected {title} next, got {}",
            &main[found..heading_end]
        );
        at = heading_end;
    }
    assert_eq!(main.matches("class=\"print-article\"").count(), order.len());
    // Links between articles are in-page anchors, to the article or to the heading.
    assert!(main.contains("href=\"#tips-close-what-to-ask\""), "{main}");
    assert!(main.contains("href=\"#tips-open\""), "{main}");
    assert!(main.contains("href=\"#blog-coach\""), "{main}");
    // Links within an article, and footnotes, carry its anchor.
    assert!(
        main.contains("href=\"#tips-open-goal\"") && main.contains("id=\"tips-open-goal\""),
        "{main}"
    );
    assert!(
        main.contains("href=\"#tips-open-fn-1\"") && main.contains("id=\"tips-open-fn-1\""),
        "{main}"
    );
    // Assets still load from /print/.
    let srcs: Vec<&str> = main
        .split(" src=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .collect();
    assert_eq!(srcs.len(), 1, "{main}");
    for src in srcs {
        let file = src
            .strip_prefix("../")
            .unwrap_or_else(|| panic!("{src} is not relative to print/"));
        assert!(s.exists(file), "{src} does not resolve from print/");
    }
    // Every in-page link has a target, and no id is used twice.
    let all_ids = ids(&html);
    let unique: BTreeSet<&String> = all_ids.iter().collect();
    assert_eq!(unique.len(), all_ids.len(), "duplicate ids");
    for f in fragment_links(&html) {
        assert!(unique.contains(&f), "#{f} has no target");
    }
    // The table of contents lists every article.
    let toc = &main
        [main.find("print-toc").expect("toc")..main.find("print-chapter\"").expect("chapters")];
    assert_eq!(
        toc.matches("<li><a href=\"#").count(),
        order.len() + 3,
        "{toc}"
    );
}

#[test]
fn print_anchors_never_clash_with_heading_ids() {
    let s = Site::new();
    // `tips/ask` has a heading `why`, prefixed `tips-ask-why`: the article `tips/ask-why`
    // must get another anchor.
    s.article(
        "tips/ask.md",
        "title: Ask",
        "## Why\n\nSee [why](ask-why.md).\n",
    );
    s.article(
        "tips/ask-why.md",
        "title: Why ask",
        "Go back to [ask](ask.md#why).\n",
    );
    s.build_ok();
    let html = s.read("print/index.html");
    assert!(
        html.contains("<h2 id=\"tips-ask-why\">Why"),
        "the heading keeps its id"
    );
    assert!(
        html.contains("<article class=\"print-article\" id=\"tips-ask-why-2\""),
        "the article moves aside"
    );
    assert!(
        html.contains("href=\"#tips-ask-why-2\">why</a>")
            && html.contains("href=\"#tips-ask-why\">ask</a>")
    );
    let all = ids(&html);
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "duplicate ids: {all:?}");
    for f in fragment_links(&html) {
        assert!(unique.contains(&f), "#{f} has no target");
    }
}

/// Parses `svg` as XML; returns each element's name with its attributes, in order.
fn xml_elements(svg: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        let value = a.unescape_value().expect("value").into_owned();
                        (String::from_utf8_lossy(a.key.as_ref()).into_owned(), value)
                    })
                    .collect();
                out.push((
                    String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    attrs,
                ));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{svg}",
                reader.buffer_position()
            ),
        }
    }
    out
}

/// The concept map SVG from `/concepts/`.
fn concept_map(s: &Site) -> String {
    let html = s.read("concepts/index.html");
    let start = html.find("<svg xmlns").expect("concept map");
    let end = html[start..]
        .find("</svg>")
        .map(|i| start + i + 6)
        .expect("end of svg");
    html[start..end].to_owned()
}

#[test]
fn concept_map_is_well_formed_and_links_every_term() {
    let s = handbook();
    s.build_ok();
    let svg = concept_map(&s);
    let elements = xml_elements(&svg);
    let links: Vec<&str> = elements
        .iter()
        .filter(|(n, _)| n == "a")
        .map(|(_, a)| a["href"].as_str())
        .collect();
    // Most used first; equal counts by name.
    assert_eq!(links, ["../concepts/feedback/", "../concepts/trust/"]);
    let svg_el = &elements[0].1;
    assert_eq!(svg_el["role"], "group");
    assert!(
        svg.contains("<title id=\"concept-map-title\">")
            && svg.contains("<desc id=\"concept-map-desc\">")
    );
    // One shared article between trust and feedback: one edge.
    assert_eq!(elements.iter().filter(|(n, _)| n == "path").count(), 1);
    assert!(svg.contains("<title>trust: 2 articles</title>"), "{svg}");
    // Authors get no map.
    assert!(!s.read("authors/index.html").contains("<svg xmlns"));
}

#[test]
fn concept_map_stays_readable_at_forty_concepts() {
    let s = Site::new();
    for i in 0..60 {
        // Each article carries three concepts of 40, so many pairs share articles.
        let concepts: Vec<String> = (0..3)
            .map(|k| format!("concept number {}", (i * 7 + k * 13) % 40))
            .collect();
        s.article(
            &format!("tips/a{i}.md"),
            &format!("title: A{i}\nconcepts: [{}]", concepts.join(", ")),
            "Text.",
        );
    }
    s.build_ok();
    let svg = concept_map(&s);
    let elements = xml_elements(&svg);
    assert_eq!(elements.iter().filter(|(n, _)| n == "a").count(), 40);
    let f = |a: &HashMap<String, String>, k: &str| a[k].parse::<f64>().expect("number");
    let circles: Vec<(f64, f64, f64)> = elements
        .iter()
        .filter(|(n, _)| n == "circle")
        .map(|(_, a)| (f(a, "cx"), f(a, "cy"), f(a, "r")))
        .collect();
    assert_eq!(circles.len(), 40);
    for (i, a) in circles.iter().enumerate() {
        for b in &circles[i + 1..] {
            let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            assert!(d > a.2 + b.2, "circles at {a:?} and {b:?} overlap");
        }
    }
    // Only the strongest edges: at most two per concept.
    let edges = elements.iter().filter(|(n, _)| n == "path").count();
    assert!(edges > 0 && edges <= 80, "{edges} edges");
    // Labels run radially outward from their node, so they cannot cross if their inner
    // ends stand at least two lines apart.
    let starts: Vec<(f64, f64)> = elements
        .iter()
        .filter(|(n, _)| n == "text")
        .map(|(_, a)| (f(a, "x"), f(a, "y")))
        .collect();
    for (i, a) in starts.iter().enumerate() {
        for b in &starts[i + 1..] {
            let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            assert!(d > 26.0, "labels at {a:?} and {b:?} are {d} apart");
        }
    }
    // Every label lies inside the viewBox.
    let view: Vec<f64> = elements[0].1["viewBox"]
        .split(' ')
        .map(|v| v.parse().expect("number"))
        .collect();
    for (_, a) in elements.iter().filter(|(n, _)| n == "text") {
        let (x, y) = (f(a, "x"), f(a, "y"));
        assert!(x > view[0] && y > view[1] && x < view[0] + view[2] && y < view[1] + view[3]);
    }
    // Deterministic.
    s.build_ok();
    assert_eq!(svg, concept_map(&s));
}
