//! Publishing outputs: Atom feeds, sitemap.xml, robots.txt, alias redirects, the search index
//! (its files, and a real search in headless Chromium) and byte-identical rebuilds.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use quick_xml::events::Event;
use serde_json::Value;

use crate::browser::{self, Scheme, StaticServer};
use crate::support::{self, Site};

const BASE: &str = "https://example.org/handbook/";

/// Three dated articles in two sections, an undated one on the home page, concepts,
/// authors, an alias, markup that needs escaping and an internal link.
fn fixture() -> Site {
    let s = Site::new();
    s.write("content/tips/_index.md", "---\ntitle: Tips\ndescription: Small things that help.\n---\n")
        .write("content/principles/_index.md", "---\ntitle: Principles\n---\n")
        .article(
            "tips/ask.md",
            "title: \"Ask <for> clarity & more\"\ndate: 2026-03-01\nupdated: 2026-03-10\ndescription: Settle what, then why.\nconcepts: [trust, curiosity]\nauthors: [Ada Mensah]\naliases: [\"/tips/old-ask/\", \"/legacy/ask.html\"]",
            "Obstacles come last when a < b & c.\n\n## Start with what\n\nAsk what the clarifying goal is. Pair it with [listening](listen.md).\n\n## Then why\n\nWhy does it matter?\n",
        )
        .article(
            "tips/listen.md",
            "title: Listen actively\ndate: 2026-02-01\nconcepts: [listening]\nauthors: [Ben Okafor]",
            "Listening is a skill.\n\n## Reflect back\n\nSay what you heard in your own words.\n",
        )
        .article(
            "principles/trust.md",
            "title: Trust first\ndate: 2026-01-15\ndescription: Trust before technique.\nconcepts: [trust]",
            "Trust comes before any technique.\n",
        )
        .article("about.md", "title: About", "An undated page about the handbook.\n");
    s
}

// ---- a minimal XML tree over quick-xml, enough to check feeds and sitemaps ----

#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> &Node {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("<{}> has no <{name}>", self.name))
    }
    fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map_or("", String::as_str)
    }
    /// The `href` of the `<link rel=…>` child.
    fn link(&self, rel: &str) -> &str {
        self.all("link")
            .into_iter()
            .find(|l| l.attr("rel") == rel)
            .map_or("", |l| l.attr("href"))
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Node {
    let mut node = Node {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        ..Default::default()
    };
    for a in e.attributes() {
        let a = a.expect("well-formed attribute");
        let value = a.unescape_value().expect("attribute value").into_owned();
        node.attrs
            .insert(String::from_utf8_lossy(a.key.as_ref()).into_owned(), value);
    }
    node
}

/// Parses a whole document; panics on anything not well-formed.
fn parse_xml(xml: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"))
        {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().expect("open").children.push(element(&e)),
            Event::End(_) => {
                let node = stack.pop().expect("open element");
                stack.last_mut().expect("parent").children.push(node);
            }
            Event::Text(t) => stack
                .last_mut()
                .expect("open")
                .text
                .push_str(&t.decode().expect("utf-8")),
            Event::CData(t) => stack
                .last_mut()
                .expect("open")
                .text
                .push_str(&t.decode().expect("utf-8")),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().expect("char ref") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().expect("utf-8");
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("undefined entity &{name};"))
                            .to_owned()
                    }
                };
                stack.last_mut().expect("open").text.push_str(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut doc = stack.pop().expect("document");
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().expect("root")
}

/// Checks the elements RFC 4287 requires of a feed and of each entry, and that every URL is
/// absolute under the base URL; returns the feed.
fn valid_feed(xml: &str) -> Node {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{xml}"
    );
    assert!(
        !xml.contains('\u{e000}'),
        "an internal root marker leaked into the feed"
    );
    let feed = parse_xml(xml);
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), "http://www.w3.org/2005/Atom");
    for required in ["id", "title", "updated", "author"] {
        assert!(!feed.all(required).is_empty(), "feed without <{required}>");
    }
    assert!(feed.child("author").child("name").text.len() > 1);
    assert!(
        feed.link("self").starts_with(BASE) && feed.link("self").ends_with("atom.xml"),
        "{}",
        feed.link("self")
    );
    assert!(feed.link("alternate").starts_with(BASE));
    assert!(is_timestamp(&feed.child("updated").text));
    for entry in feed.all("entry") {
        for required in ["id", "title", "updated", "published"] {
            assert_eq!(
                entry.all(required).len(),
                1,
                "entry without one <{required}>"
            );
        }
        assert!(
            entry.child("id").text.starts_with(BASE),
            "{}",
            entry.child("id").text
        );
        assert_eq!(entry.link("alternate"), entry.child("id").text);
        assert_eq!(entry.attr("xml:base"), entry.child("id").text);
        assert!(is_timestamp(&entry.child("updated").text));
        assert!(
            !entry.all("content").is_empty() || !entry.all("summary").is_empty(),
            "entry without content or summary"
        );
    }
    feed
}

/// True if `s` is an RFC 3339 timestamp, as Atom's date constructs must be.
fn is_timestamp(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok()
}

fn titles(feed: &Node) -> Vec<String> {
    feed.all("entry")
        .iter()
        .map(|e| e.child("title").text.clone())
        .collect()
}

#[test]
fn site_feed_is_valid_atom_newest_first_with_absolute_urls() {
    let s = fixture();
    s.build_ok();
    let feed = valid_feed(&s.read("atom.xml"));
    assert_eq!(feed.child("title").text, "Fixture");
    assert_eq!(feed.link("self"), format!("{BASE}atom.xml"));
    // Newest first; the undated page is not on the timeline.
    assert_eq!(
        titles(&feed),
        ["Ask <for> clarity & more", "Listen actively", "Trust first"]
    );
    // `updated` is the newest date in the feed (an `updated:` key), never the build time.
    assert_eq!(feed.child("updated").text, "2026-03-10T00:00:00Z");
    let ask = &feed.all("entry")[0];
    assert_eq!(ask.child("id").text, format!("{BASE}tips/ask/"));
    assert_eq!(ask.child("published").text, "2026-03-01T00:00:00Z");
    assert_eq!(ask.child("updated").text, "2026-03-10T00:00:00Z");
    assert_eq!(ask.child("author").child("name").text, "Ada Mensah");
    let categories: Vec<&str> = ask.all("category").iter().map(|c| c.attr("term")).collect();
    assert_eq!(categories, ["trust", "curiosity"]);
    assert_eq!(ask.child("summary").text, "Settle what, then why.");
    // Full content by default, HTML escaped once, links absolute.
    let content = ask.child("content");
    assert_eq!(content.attr("type"), "html");
    assert!(
        content.text.contains("a &lt; b &amp; c"),
        "{}",
        content.text
    );
    assert!(
        content
            .text
            .contains(&format!("href=\"{BASE}tips/listen/\"")),
        "{}",
        content.text
    );
    assert!(
        content.text.contains("id=\"start-with-what\""),
        "{}",
        content.text
    );
}

#[test]
fn every_section_and_term_has_its_own_feed() {
    let s = fixture();
    s.build_ok();
    let tips = valid_feed(&s.read("tips/atom.xml"));
    assert_eq!(tips.link("self"), format!("{BASE}tips/atom.xml"));
    assert_eq!(tips.link("alternate"), format!("{BASE}tips/"));
    assert_eq!(tips.child("subtitle").text, "Small things that help.");
    assert_eq!(
        titles(&tips),
        ["Ask <for> clarity & more", "Listen actively"]
    );
    assert_eq!(
        titles(&valid_feed(&s.read("principles/atom.xml"))),
        ["Trust first"]
    );
    let trust = valid_feed(&s.read("concepts/trust/atom.xml"));
    assert_eq!(trust.link("self"), format!("{BASE}concepts/trust/atom.xml"));
    assert_eq!(titles(&trust), ["Ask <for> clarity & more", "Trust first"]);
    assert_eq!(
        titles(&valid_feed(&s.read("authors/ben-okafor/atom.xml"))),
        ["Listen actively"]
    );
    // Each listing announces its own feed next to the site's.
    let alternate = |page: &str| -> Vec<String> {
        let html = s.read(page);
        html.lines()
            .filter(|l| l.contains("application/atom+xml"))
            .filter_map(|l| l.split("href=\"").nth(1))
            .map(|h| h.trim_end_matches("\">").to_owned())
            .collect()
    };
    assert_eq!(
        alternate("tips/index.html"),
        ["../atom.xml", "../tips/atom.xml"]
    );
    assert_eq!(
        alternate("concepts/trust/index.html"),
        ["../../atom.xml", "../../concepts/trust/atom.xml"]
    );
    assert_eq!(alternate("index.html"), ["./atom.xml"]);
    assert_eq!(alternate("tips/ask/index.html"), ["../../atom.xml"]);
}

#[test]
fn feeds_follow_the_config() {
    let s = fixture();
    s.config("[feeds]\ncontent = \"summary\"\nlimit = 1\n\n[[taxonomies]]\nname = \"concepts\"\nfeed = false\n");
    s.build_ok();
    let feed = valid_feed(&s.read("atom.xml"));
    assert_eq!(titles(&feed), ["Ask <for> clarity & more"]);
    let entry = &feed.all("entry")[0];
    assert!(
        entry.all("content").is_empty(),
        "summary mode has no full content"
    );
    assert_eq!(entry.child("summary").attr("type"), "html");
    assert!(entry.child("summary").text.contains("Obstacles come last"));
    assert!(
        !s.exists("concepts/trust/atom.xml"),
        "feed = false on the taxonomy"
    );
    assert!(s.exists("tips/atom.xml"));

    let off = fixture();
    off.config("[feeds]\nenabled = false\n");
    off.build_ok();
    assert!(
        !off.exists("atom.xml")
            && !off.exists("tips/atom.xml")
            && !off.exists("concepts/trust/atom.xml")
    );
    assert!(
        !off.read("index.html").contains("application/atom+xml"),
        "no feed, no alternate link"
    );
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls_and_robots_points_at_it() {
    let s = fixture();
    s.build_ok();
    let urlset = parse_xml(&s.read("sitemap.xml"));
    assert_eq!(urlset.name, "urlset");
    assert_eq!(
        urlset.attr("xmlns"),
        "http://www.sitemaps.org/schemas/sitemap/0.9"
    );
    let lastmod: BTreeMap<String, Option<String>> = urlset
        .all("url")
        .iter()
        .map(|u| {
            (
                u.child("loc").text.clone(),
                u.all("lastmod").first().map(|l| l.text.clone()),
            )
        })
        .collect();
    let expected: BTreeSet<String> = [
        "",
        "about/",
        "tips/",
        "tips/ask/",
        "tips/listen/",
        "principles/",
        "principles/trust/",
        "concepts/",
        "concepts/trust/",
        "concepts/curiosity/",
        "concepts/listening/",
        "authors/",
        "authors/ada-mensah/",
        "authors/ben-okafor/",
    ]
    .iter()
    .map(|p| format!("{BASE}{p}"))
    .collect();
    assert_eq!(lastmod.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert_eq!(
        lastmod[&format!("{BASE}tips/ask/")].as_deref(),
        Some("2026-03-10T00:00:00Z")
    );
    assert_eq!(
        lastmod[&format!("{BASE}principles/")].as_deref(),
        Some("2026-01-15T00:00:00Z")
    );
    assert_eq!(
        lastmod[&format!("{BASE}concepts/trust/")].as_deref(),
        Some("2026-03-10T00:00:00Z")
    );
    assert_eq!(lastmod[BASE].as_deref(), Some("2026-03-10T00:00:00Z"));
    assert_eq!(
        lastmod[&format!("{BASE}about/")],
        None,
        "no date, no lastmod"
    );
    assert_eq!(
        s.read("robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

#[test]
fn draft_sections_get_no_feed_and_no_sitemap_entry() {
    let s = fixture();
    s.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\ndraft: true\n---\n",
    )
    .article(
        "notes/idea.md",
        "title: Idea\ndate: 2026-04-01",
        "Not ready.",
    );
    s.build_ok();
    assert!(!s.exists("notes/atom.xml"));
    let sitemap = s.read("sitemap.xml");
    assert!(!sitemap.contains("notes/"), "{sitemap}");
    assert!(!s.read("atom.xml").contains("Idea"));
}

#[test]
fn a_site_robots_txt_wins() {
    let s = fixture();
    s.write("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n");
    s.build_ok();
    assert_eq!(s.read("robots.txt"), "User-agent: *\nDisallow: /drafts/\n");
}

#[test]
fn aliases_redirect_with_relative_urls() {
    let s = fixture();
    s.build_ok();
    let old = s.read("tips/old-ask/index.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../tips/ask/\">"),
        "{old}"
    );
    assert!(
        old.contains(&format!(
            "<link rel=\"canonical\" href=\"{BASE}tips/ask/\">"
        )),
        "{old}"
    );
    assert!(
        old.contains("<a href=\"../../tips/ask/\">Ask &lt;for&gt; clarity &amp; more</a>"),
        "{old}"
    );
    let legacy = s.read("legacy/ask.html");
    assert!(legacy.contains("url=../tips/ask/\""), "{legacy}");
}

#[test]
fn an_alias_on_a_real_page_is_an_error_naming_both_files() {
    let s = fixture();
    s.article(
        "tips/new.md",
        "title: New\naliases:\n  - /tips/listen/",
        "Body.",
    );
    let errors = s.build_err();
    assert_eq!(errors.len(), 1, "{}", support::render(&errors));
    let e = &errors[0];
    assert_eq!(e.path, "content/tips/new.md");
    assert!(
        e.message.contains("`/tips/listen/`") && e.message.contains("content/tips/listen.md"),
        "{}",
        e.message
    );
    assert_eq!((e.line, e.col), (4, 5), "points at the alias");
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains("remove the alias")),
        "{:?}",
        e.hint
    );
}

/// An alias over a file binder writes names that file, not the folder the alias would be.
#[test]
fn an_alias_over_a_generated_file_names_the_file() {
    let s = fixture();
    s.article(
        "tips/new.md",
        "title: New\naliases: [/sitemap.xml, /search/index.html, /tips/atom.xml]",
        "Body.",
    );
    let errors = s.build_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{}", support::render(&errors));
    assert!(
        messages[0].ends_with("binder's own generated file `/sitemap.xml`"),
        "{messages:?}"
    );
    assert!(
        messages[1].ends_with("binder's own generated pages `/search/`"),
        "{messages:?}"
    );
    assert!(
        messages[2].ends_with("binder's own generated file `/tips/atom.xml`"),
        "{messages:?}"
    );
    for e in &errors {
        let hint = e.hint.as_deref().unwrap_or("");
        assert!(
            hint.contains("a path binder does not write itself"),
            "{hint}"
        );
    }
}

#[test]
fn two_pages_claiming_one_alias_is_an_error() {
    let s = fixture();
    s.article(
        "tips/new.md",
        "title: New\naliases: [/tips/old-ask/]",
        "Body.",
    );
    let errors = s.build_err();
    assert_eq!(errors.len(), 1, "{}", support::render(&errors));
    let text = support::render(&errors);
    assert!(
        text.contains("content/tips/new.md") && text.contains("content/tips/ask.md"),
        "{text}"
    );
    // A pagination page of a listing is taken too.
    let s = fixture();
    s.article(
        "tips/new.md",
        "title: New\naliases: [/tips/page/2/]",
        "Body.",
    );
    let text = support::render(&s.build_err());
    assert!(
        text.contains("pagination pages of content/tips/_index.md"),
        "{text}"
    );
    // Not a path on this site at all.
    let s = fixture();
    s.article(
        "tips/new.md",
        "title: New\naliases: [\"https://old.example.org/x/\"]",
        "Body.",
    );
    let text = support::render(&s.build_err());
    assert!(text.contains("not a URL"), "{text}");
}

// ---- search ----

/// `binderSearchData("name", data);` → data.
fn search_file(s: &Site, name: &str) -> Value {
    let js = s.read(&format!("search/{name}.js"));
    let prefix = format!("binderSearchData(\"{name}\",");
    let json = js
        .strip_prefix(&prefix)
        .and_then(|r| r.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{js}"));
    serde_json::from_str(json).expect("JSON data")
}

/// Decodes a posting list (the format of encode.rs) into (doc, score) pairs.
fn decode(s: &str) -> Vec<(u64, u64)> {
    const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    let values: Vec<u64> = s
        .chars()
        .map(|c| DIGITS.find(c).expect("digit") as u64)
        .collect();
    let (mut i, mut id, mut out) = (0, 0, Vec::new());
    while i < values.len() {
        let (mut gap, mut shift) = (0, 0);
        loop {
            let v = values[i];
            i += 1;
            gap |= (v & 31) << shift;
            shift += 5;
            if v < 32 {
                break;
            }
        }
        id += gap;
        out.push((id, values[i]));
        i += 1;
    }
    out
}

/// Every word of the index with its postings.
fn search_words(s: &Site, manifest: &Value) -> BTreeMap<String, Vec<(u64, u64)>> {
    let shards = manifest["shards"].as_array().expect("shards").len();
    let mut words = BTreeMap::new();
    for k in 0..shards {
        let flat = search_file(s, &format!("t{k}"));
        let flat = flat.as_array().expect("array");
        assert_eq!(
            flat[0], manifest["shards"][k],
            "a shard starts with its listed first word"
        );
        for pair in flat.chunks(2) {
            words.insert(
                pair[0].as_str().expect("word").to_owned(),
                decode(pair[1].as_str().expect("postings")),
            );
        }
    }
    words
}

#[test]
fn search_index_holds_titles_headings_concepts_and_body_text() {
    let s = fixture();
    s.build_ok();
    let manifest = search_file(&s, "index");
    assert_eq!(manifest["n"], 4);
    assert!(
        manifest["stop"]
            .as_array()
            .expect("stop")
            .contains(&Value::from("the"))
    );
    // Doc ids follow the source paths: about, principles/trust, tips/ask, tips/listen.
    let doc = |id: u64| search_file(&s, &format!("d/{id}"));
    let paths: Vec<Value> = (0..4).map(|i| doc(i)["p"].clone()).collect();
    assert_eq!(
        paths,
        ["about/", "principles/trust/", "tips/ask/", "tips/listen/"]
    );

    let words = search_words(&s, &manifest);
    let docs = |w: &str| -> Vec<u64> {
        words
            .get(w)
            .map(|p| p.iter().map(|(d, _)| *d).collect())
            .unwrap_or_default()
    };
    assert_eq!(docs("clarity"), [2], "title");
    assert_eq!(docs("reflect"), [3], "heading");
    assert_eq!(docs("curiosity"), [2], "concept");
    assert_eq!(docs("okafor"), [3], "author");
    assert_eq!(docs("obstacles"), [2], "body");
    assert_eq!(
        docs("undated"),
        [0],
        "pages without a date are searchable too"
    );
    assert!(
        docs("the").is_empty() && docs("a").is_empty(),
        "stop words and one-letter words are not indexed"
    );
    // A title word outranks the same word in a body.
    let trust = &words["trust"];
    let score = |d: u64| {
        trust
            .iter()
            .find(|(id, _)| *id == d)
            .map(|(_, s)| *s)
            .expect("posting")
    };
    assert!(score(1) > score(2), "{trust:?}");

    // Filters: sections with their article ids, concepts by name.
    let sections: Vec<(String, Vec<u64>)> = manifest["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| {
            (
                s[0].as_str().expect("title").to_owned(),
                decode_ids(s[2].as_str().expect("ids")),
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            ("Principles".to_owned(), vec![1]),
            ("Tips".to_owned(), vec![2, 3])
        ]
    );
    let concepts: Vec<&str> = manifest["concepts"]
        .as_array()
        .expect("concepts")
        .iter()
        .map(|c| c[0].as_str().expect("name"))
        .collect();
    assert_eq!(concepts, ["curiosity", "listening", "trust"]);

    // Article text for snippets, split at headings with their anchor ids.
    let ask = doc(2);
    assert_eq!(ask["s"], 1, "its section's index in the filters");
    assert_eq!(ask["x"][1][0], "start-with-what");
    assert_eq!(ask["x"][1][1], "Start with what");
    assert!(
        ask["x"][1][2]
            .as_str()
            .expect("text")
            .starts_with("Ask what the clarifying goal is.")
    );
    assert_eq!(
        doc(0)["s"],
        -1,
        "a page on the home page has no section filter"
    );
}

fn decode_ids(s: &str) -> Vec<u64> {
    // An id list is a posting list without scores: pair each gap with a dummy digit.
    let padded: String = split_varints(s).iter().map(|v| format!("{v}0")).collect();
    decode(&padded).into_iter().map(|(d, _)| d).collect()
}

fn split_varints(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    for c in s.chars() {
        out.last_mut().expect("current").push(c);
        if DIGITS.find(c).expect("digit") < 32 {
            out.push(String::new());
        }
    }
    out.pop();
    out
}

#[test]
fn search_can_be_switched_off() {
    let s = fixture();
    s.config("[search]\nenabled = false\n");
    s.build_ok();
    assert!(!s.exists("search/index.js"));
    assert!(!s.read("index.html").contains("search.js"));
}

/// Types `query` into the search box and waits for a result list (or "No results").
fn type_query(page: &browser::Page, query: &str) {
    page.eval("(() => { const i = document.getElementById('search-input'); i.value = ''; i.dispatchEvent(new Event('input')); i.focus(); })()");
    page.tab()
        .find_element("#search-input")
        .expect("search box")
        .type_into(query)
        .expect("type");
    assert!(
        page.wait_for(
            "document.querySelector('#search-results .search-status')",
            Duration::from_secs(10)
        ),
        "no results panel after typing {query:?}: {}",
        page.eval("document.getElementById('search-results').innerHTML")
    );
}

fn results(page: &browser::Page) -> Value {
    page.eval("[...document.querySelectorAll('.search-result a')].map(a => [a.textContent, a.getAttribute('href')])")
}

#[test]
fn searching_in_a_browser_from_the_file_system() {
    let Some(browser) = browser::launch() else {
        return;
    };
    let s = fixture();
    s.build_ok();
    let page = browser.open(
        &browser::file_url(&s.root().join("public/principles/trust/index.html")),
        1280,
        Scheme::Light,
    );
    // "/" focuses the search box from anywhere on the page.
    page.tab().press_key("/").expect("press /");
    assert_eq!(page.eval("document.activeElement.id"), "search-input");

    // Typing part of a word already finds it (completion), with the snippet highlighted and
    // the link going to the heading the match is under.
    type_query(&page, "clarif");
    let found = results(&page);
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found[0][0], "Ask <for> clarity & moreStart with what");
    let href = found[0][1].as_str().expect("href");
    assert!(
        href.ends_with("tips/ask/index.html#start-with-what"),
        "{href}"
    );
    assert_eq!(
        page.eval("document.querySelector('.search-snippet mark').textContent"),
        "clarifying"
    );
    page.screenshot(
        support::repo().join("target/screenshots/search-desktop-light.png"),
        false,
    );

    // Several words must all match; filters narrow by section and concept.
    type_query(&page, "trust");
    assert_eq!(
        page.eval("document.querySelectorAll('.search-result').length"),
        2
    );
    page.eval("(() => { const s = document.getElementById('search-section'); s.value = String([...s.options].findIndex(o => o.text === 'Tips') - 1); s.dispatchEvent(new Event('change', {bubbles: true})); })()");
    assert!(page.wait_for(
        "document.querySelectorAll('.search-result').length === 1",
        Duration::from_secs(5)
    ));
    assert!(
        results(&page)[0][0]
            .as_str()
            .is_some_and(|t| t.starts_with("Ask"))
    );
    page.eval("(() => { const s = document.getElementById('search-section'); s.value = '-1'; s.dispatchEvent(new Event('change', {bubbles: true})); const c = document.getElementById('search-concept'); c.value = String([...c.options].findIndex(o => o.text === 'curiosity') - 1); c.dispatchEvent(new Event('change', {bubbles: true})); })()");
    assert!(page.wait_for(
        "document.querySelectorAll('.search-result').length === 1",
        Duration::from_secs(5)
    ));

    // Enter opens the first result.
    page.eval("(() => { const c = document.getElementById('search-concept'); c.value = '-1'; c.dispatchEvent(new Event('change', {bubbles: true})); })()");
    type_query(&page, "reflect");
    assert_eq!(
        results(&page).as_array().map(Vec::len),
        Some(1),
        "{}",
        results(&page)
    );
    page.tab().press_key("Enter").expect("Enter");
    assert!(
        page.wait_for("location.href.endsWith('tips/listen/index.html#reflect-back') && document.readyState === 'complete'", Duration::from_secs(10)),
        "{}",
        page.eval("location.href")
    );
    assert!(
        page.console_errors().is_empty(),
        "{:?}",
        page.console_errors()
    );
}

#[test]
fn searching_in_a_browser_over_http() {
    let Some(browser) = browser::launch() else {
        return;
    };
    let s = fixture();
    s.build_ok();
    let server = StaticServer::start(&s.root().join("public"));
    let page = browser.open(&server.url("/"), 390, Scheme::Dark);
    type_query(&page, "listening skill");
    page.screenshot(
        support::repo().join("target/screenshots/search-phone-dark.png"),
        false,
    );
    let found = results(&page);
    assert_eq!(found[0][1], server.url("tips/listen/"), "{found}");
    type_query(&page, "zzzz");
    assert_eq!(
        page.eval("document.querySelector('.search-status').textContent"),
        "No results"
    );
    page.tab().press_key("Escape").expect("Escape");
    assert_eq!(
        page.eval("document.getElementById('search-results').children.length"),
        0
    );
    assert!(
        page.console_errors().is_empty(),
        "{:?}",
        page.console_errors()
    );
}

// ---- deterministic output ----

#[test]
fn building_twice_gives_byte_identical_output() {
    let s = fixture();
    for i in 0..12 {
        s.article(
            &format!("tips/extra-{i}.md"),
            &format!(
                "title: Extra {i}\ndate: 2026-01-{:02}\nconcepts: [c{}, trust]",
                i + 1,
                i % 3
            ),
            "Some words.\n\n## A heading\n\nMore words.",
        );
    }
    let build = |out: &str| {
        let opts = binder::BuildOptions {
            output: Some(s.root().join(out)),
            ..s.options()
        };
        binder::build::build(&opts, true)
            .unwrap_or_else(|e| panic!("{}", support::render(&e.diagnostics)));
        support::snapshot_dir(&s.root().join(out))
    };
    let (a, b) = (build("a"), build("b"));
    assert!(a.len() > 50, "{} files", a.len());
    assert_identical(&a, &b);
}

#[test]
fn the_sample_handbook_builds_byte_identically() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let build = |out: &str| {
        let opts = binder::BuildOptions {
            root: support::repo(),
            output: Some(tmp.path().join(out)),
            ..Default::default()
        };
        binder::build::build(&opts, true)
            .unwrap_or_else(|e| panic!("{}", support::render(&e.diagnostics)));
        support::snapshot_dir(&tmp.path().join(out))
    };
    let (a, b) = (build("a"), build("b"));
    assert_identical(&a, &b);
}

fn assert_identical(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) {
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b));
    for ((path, x), (_, y)) in a.iter().zip(b) {
        assert!(
            x == y,
            "{path} differs between two builds of the same sources"
        );
    }
}
