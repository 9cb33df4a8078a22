//! Incremental rebuilds serve exactly what a full build writes, after every kind of edit.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use binder::BuildOptions;
use binder::diag::BuildFailed;
use binder::serve::files::SiteFiles;
use binder::serve::incremental::{Engine, Extras, Outcome};
use binder::serve::watch::Batch;

use super::{edit, rich_site};
use crate::support::Site;

/// An engine with the extras' replica beside it, driven as `serve` drives them.
struct Served {
    engine: Engine,
    extras: Extras,
    opts: BuildOptions,
}

impl Served {
    /// The first (full) build of `site`.
    fn start(site: &Site) -> Served {
        let opts = BuildOptions {
            root: site.root().canonicalize().expect("canonical root"),
            ..Default::default()
        };
        let engine = Engine::new(opts.clone(), Arc::new(SiteFiles::default()));
        let extras = engine.extras_worker();
        let mut served = Served {
            engine,
            extras,
            opts,
        };
        let first = served.apply(&["site.toml"]);
        assert!(first.full);
        served
    }

    fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The batch of changes for `paths` (relative to the site root), as the watcher makes it.
    fn batch(&self, paths: &[&str]) -> Batch {
        let mut batch = Batch::default();
        for p in paths {
            let abs = self.root().join(p);
            if p.starts_with("content/") {
                batch.content.push(abs);
            } else if p.starts_with("static/") || p.contains("/static/") {
                batch.statics.push(abs);
            } else {
                batch.full = true;
            }
        }
        batch
    }

    /// One rebuild for `paths`, then the extras on the replica.
    fn apply(&mut self, paths: &[&str]) -> Outcome {
        let batch = self.batch(paths);
        let outcome = self
            .engine
            .rebuild(&batch)
            .unwrap_or_else(|e| panic!("rebuild of {paths:?} failed:\n{}", render(&e)));
        for update in self.engine.extras_updates() {
            self.extras.apply(update);
        }
        assert!(self.extras.is_current());
        self.extras
            .run()
            .unwrap_or_else(|e| panic!("extras after {paths:?} failed:\n{}", render(&e)));
        outcome
    }

    /// One rebuild for `paths` that must fail.
    fn fail(&mut self, paths: &[&str]) -> BuildFailed {
        let batch = self.batch(paths);
        self.engine
            .rebuild(&batch)
            .expect_err("the rebuild should fail")
    }

    fn served(&self) -> BTreeMap<String, Vec<u8>> {
        self.engine.files().snapshot()
    }

    /// Asserts the served files are exactly what a full build writes, naming the first
    /// difference.
    fn assert_same(&self, step: &str) {
        let served = self.served();
        let full = full_build(&self.opts);
        let only_served: Vec<&String> = served.keys().filter(|k| !full.contains_key(*k)).collect();
        let only_full: Vec<&String> = full.keys().filter(|k| !served.contains_key(*k)).collect();
        assert!(
            only_served.is_empty() && only_full.is_empty(),
            "{step}: files only served: {only_served:?}; only in the full build: {only_full:?}"
        );
        for (path, bytes) in &full {
            if served[path] != *bytes {
                let (a, b) = (
                    String::from_utf8_lossy(&served[path]),
                    String::from_utf8_lossy(bytes),
                );
                let at = a
                    .bytes()
                    .zip(b.bytes())
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                let from = at.saturating_sub(120);
                panic!(
                    "{step}: {path} differs at byte {at}\n  served: …{}…\n  full:   …{}…",
                    a.get(from..(at + 120).min(a.len())).unwrap_or(""),
                    b.get(from..(at + 120).min(b.len())).unwrap_or("")
                );
            }
        }
    }
}

fn render(e: &BuildFailed) -> String {
    crate::support::render(&e.diagnostics)
}

/// A full build in memory, as `binder build` would write it (later writes win).
fn full_build(opts: &BuildOptions) -> BTreeMap<String, Vec<u8>> {
    let mut timings = binder::site::Timings::default();
    let site = binder::site::load_site(opts, &mut timings)
        .unwrap_or_else(|e| panic!("full build failed:\n{}", render(&e)));
    let hl = Arc::new(binder::build::highlighter(&site).expect("highlighter"));
    let sink = binder::write::MemorySink::default();
    binder::build::render_site(&site, hl, &sink, &mut timings)
        .unwrap_or_else(|e| panic!("full build failed:\n{}", render(&e)));
    sink.files.into_inner().expect("sink").into_iter().collect()
}

#[test]
fn incremental_rebuilds_equal_a_full_build_after_every_kind_of_edit() {
    let s = rich_site();
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    served.assert_same("first build");

    // A body edit that leaves the list entry alone re-renders the page and nothing else.
    edit(
        &root,
        "content/tips/close.md",
        "End with one next step.",
        "End with one next step.\n\nA second paragraph.",
    );
    let o = served.apply(&["content/tips/close.md"]);
    assert!(o.patched, "a body edit takes the fast path");
    assert_eq!(o.parsed, 1);
    assert!(
        o.changed.contains(&"tips/close/index.html".to_owned()),
        "{:?}",
        o.changed
    );
    assert!(
        !o.changed.contains(&"tips/index.html".to_owned()),
        "the listing should not change: {:?}",
        o.changed
    );
    served.assert_same("body edit");

    // The sentence around a link is the backlink excerpt on the linked page.
    edit(
        &root,
        "content/tips/ask.md",
        "See [[listen]] and",
        "Do see [[listen]], and",
    );
    let o = served.apply(&["content/tips/ask.md"]);
    assert!(o.patched);
    assert!(
        o.changed.contains(&"tips/listen/index.html".to_owned()),
        "{:?}",
        o.changed
    );
    served.assert_same("backlink excerpt");

    // A new heading (an anchor other pages may link to) takes the full path.
    edit(
        &root,
        "content/tips/close.md",
        "A second paragraph.",
        "## Wrapping up\n\nA second paragraph.",
    );
    let o = served.apply(&["content/tips/close.md"]);
    assert!(!o.patched);
    served.assert_same("new heading");

    let steps: &[(&str, &str, &str, &str)] = &[
        (
            "title change (wikilink text, backlinks, listings)",
            "content/tips/listen.md",
            "title: Listen well",
            "title: Listen very well",
        ),
        (
            "summary change",
            "content/tips/ask.md",
            "First paragraph about asking.",
            "A new first paragraph.",
        ),
        (
            "concept change",
            "content/tips/close.md",
            "concepts: [questions]",
            "concepts: [questions, closing]",
        ),
        (
            "date change (listing order)",
            "content/tips/open.md",
            "date: 2023-12-01",
            "date: 2025-12-01",
        ),
        (
            "section index",
            "content/tips/_index.md",
            "title: Tips",
            "title: Practical tips",
        ),
        (
            "glossary entry",
            "content/concepts/trust.md",
            "Trust is **earned**.",
            "Trust is *slowly* earned.",
        ),
        (
            "new link (backlinks)",
            "content/tips/open.md",
            "Start with a question.",
            "Start with a question, as in [[Close with a step]].",
        ),
    ];
    for (what, rel, from, to) in steps {
        edit(&root, rel, from, to);
        served.apply(&[rel]);
        served.assert_same(what);
    }

    // Two files in one batch: the series parts swap places.
    edit(
        &root,
        "content/principles/curiosity.md",
        "series_order: 2",
        "series_order: 1",
    );
    edit(
        &root,
        "content/principles/trust.md",
        "series_order: 1",
        "series_order: 2",
    );
    served.apply(&[
        "content/principles/curiosity.md",
        "content/principles/trust.md",
    ]);
    served.assert_same("series order");

    s.article(
        "tips/new.md",
        "title: Brand new\ndate: 2024-05-01\nconcepts: [trust]",
        "Links to [[Ask for clarity]].",
    );
    served.apply(&["content/tips/new.md"]);
    served.assert_same("new article");

    std::fs::remove_file(root.join("content/tips/new.md")).expect("delete");
    let o = served.apply(&["content/tips/new.md"]);
    assert!(o.changed.contains(&"tips/new/index.html".to_owned()));
    served.assert_same("deleted article");

    std::fs::rename(
        root.join("content/tips/close.md"),
        root.join("content/tips/finish.md"),
    )
    .expect("rename");
    edit(
        &root,
        "content/tips/open.md",
        "[[Close with a step]]",
        "[[Close with a step]] (renamed)",
    );
    served.apply(&[
        "content/tips/close.md",
        "content/tips/finish.md",
        "content/tips/open.md",
    ]);
    assert!(!served.served().contains_key("tips/close/index.html"));
    served.assert_same("renamed article");

    s.write(
        "content/tips/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
    );
    served.apply(&["content/tips/chart.svg"]);
    served.assert_same("asset edit");

    s.write("static/extra.css", "body { color: red }");
    let o = served.apply(&["static/extra.css"]);
    assert_eq!(o.changed, vec!["extra.css".to_owned()]);
    served.assert_same("static file");

    s.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<main><h1>{{ page.title }}</h1>{{ page.content | safe }}</main>{% endblock %}");
    let o = served.apply(&["templates/page.html"]);
    assert!(o.full);
    served.assert_same("template change");
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_files_and_the_next_one_catches_up() {
    let s = rich_site();
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    let before = served.served();

    // Deleting an article others link to: its links become errors, nothing served changes.
    let listen = std::fs::read_to_string(root.join("content/tips/listen.md")).expect("read");
    std::fs::remove_file(root.join("content/tips/listen.md")).expect("delete");
    let err = served.fail(&["content/tips/listen.md"]);
    let shown = crate::support::render(&err.diagnostics);
    assert!(shown.contains("content/tips/ask.md:"), "{shown}");
    assert_eq!(served.served(), before);

    // Broken front matter in another file while the first is still missing.
    edit(
        &root,
        "content/tips/open.md",
        "title: Open well",
        "title: [Open well",
    );
    let err = served.fail(&["content/tips/open.md"]);
    assert!(
        err.errors()
            .any(|d| d.path == "content/tips/open.md" && d.line == 2),
        "{}",
        crate::support::render(&err.diagnostics)
    );
    assert_eq!(served.served(), before);

    std::fs::write(root.join("content/tips/listen.md"), listen).expect("restore");
    edit(
        &root,
        "content/tips/open.md",
        "title: [Open well",
        "title: Open well, fixed",
    );
    served.apply(&["content/tips/listen.md", "content/tips/open.md"]);
    served.assert_same("after the fix");
}

#[test]
fn an_unchanged_save_does_nothing() {
    let s = rich_site();
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    let text = std::fs::read_to_string(root.join("content/tips/ask.md")).expect("read");
    std::fs::write(root.join("content/tips/ask.md"), text).expect("write");
    let o = served.apply(&["content/tips/ask.md"]);
    assert_eq!((o.parsed, o.rendered, o.changed.len()), (0, 0, 0));
}

/// A small seeded generator (SplitMix64): the same seed makes the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Sets (or with `None` removes) front-matter key `key` of the Markdown file at `path`.
fn set_field(path: &Path, key: &str, value: Option<&str>) {
    let text = std::fs::read_to_string(path).expect("read");
    let Some(rest) = text.strip_prefix("---\n") else {
        return;
    };
    let Some(end) = rest.find("\n---\n") else {
        return;
    };
    let mut lines: Vec<String> = rest[..end]
        .lines()
        .filter(|l| !l.starts_with(&format!("{key}:")))
        .map(str::to_owned)
        .collect();
    if let Some(v) = value {
        lines.push(format!("{key}: {v}"));
    }
    let out = format!("---\n{}{}", lines.join("\n"), &rest[end..]);
    std::fs::write(path, out).expect("write");
}

fn append(path: &Path, text: &str) {
    let old = std::fs::read_to_string(path).expect("read");
    std::fs::write(path, format!("{old}{text}")).expect("write");
}

/// The articles of the fixture (content-relative) and the ones a sequence added.
const ARTICLES: &[&str] = &[
    "tips/ask.md",
    "tips/listen.md",
    "tips/close.md",
    "tips/open.md",
    "principles/trust.md",
    "principles/curiosity.md",
    "pair-blog/a.md",
    "pair-blog/b.md",
];

/// One random edit of the site at `root`; returns what it did and the touched paths.
fn random_edit(
    rng: &mut Rng,
    root: &Path,
    added: &mut Vec<String>,
    n: usize,
) -> (String, Vec<String>) {
    let mut articles: Vec<String> = ARTICLES.iter().map(|s| (*s).to_owned()).collect();
    articles.extend(added.iter().cloned());
    let article = rng.pick(&articles).clone();
    let at = |rel: &str| root.join("content").join(rel);
    let content = |rel: &str| format!("content/{rel}");
    let titles = [
        "Listen well",
        "Ask for clarity",
        "Quiet minds",
        "Zeta",
        "Alpha",
    ];
    let concepts = ["trust", "questions", "listening", "focus"];
    match rng.below(13) {
        0 | 1 => {
            let link = match rng.below(3) {
                0 => format!(
                    " See [[{}]].",
                    rng.pick(&["listen", "ask", "trust", "open"])
                ),
                _ => String::new(),
            };
            append(
                &at(&article),
                &format!("\nParagraph {n}, about {}.{link}\n", rng.pick(&concepts)),
            );
            (format!("body of {article}"), vec![content(&article)])
        }
        2 => {
            let title = rng.pick(&titles);
            set_field(&at(&article), "title", Some(title));
            (
                format!("title of {article} → {title}"),
                vec![content(&article)],
            )
        }
        3 => {
            let picked: Vec<&str> = concepts
                .iter()
                .copied()
                .filter(|_| rng.below(2) == 0)
                .collect();
            let v = format!("[{}]", picked.join(", "));
            set_field(&at(&article), "concepts", Some(&v));
            (
                format!("concepts of {article} → {v}"),
                vec![content(&article)],
            )
        }
        4 => {
            let v = ["b.md", "a.md"][rng.below(2)];
            let (rel, value) = if v == "b.md" {
                ("pair-blog/a.md", v)
            } else {
                ("pair-blog/b.md", v)
            };
            let value = (rng.below(2) == 0).then_some(value);
            set_field(&at(rel), "pair", value);
            (format!("pair of {rel} → {value:?}"), vec![content(rel)])
        }
        5 => {
            let order = (1 + rng.below(3)).to_string();
            set_field(&at(&article), "series", Some("foundations"));
            set_field(&at(&article), "series_order", Some(&order));
            (
                format!("{article} in the series at {order}"),
                vec![content(&article)],
            )
        }
        6 => {
            let term = *rng.pick(&["trust", "questions"]);
            let rel = format!("concepts/{term}.md");
            let text = format!(
                "---\ntitle: {term}\ndescription: About {term} {n}.\n---\nGlossary {n} on *{term}*.\n"
            );
            if rng.below(4) == 0 && at(&rel).exists() {
                std::fs::remove_file(at(&rel)).expect("delete");
            } else {
                std::fs::write(at(&rel), text).expect("write");
            }
            (format!("glossary {rel}"), vec![content(&rel)])
        }
        7 => {
            let rel = *rng.pick(&["tips/_index.md", "principles/_index.md", "_index.md"]);
            match rng.below(3) {
                0 => set_field(
                    &at(rel),
                    "paginate_by",
                    Some(&(1 + rng.below(3)).to_string()),
                ),
                1 => set_field(&at(rel), "title", Some(&format!("Section {n}"))),
                _ => append(&at(rel), &format!("\nMore words {n}.\n")),
            }
            (format!("section {rel}"), vec![content(rel)])
        }
        8 => {
            let rel = "themes/default/templates/404.html";
            let p = root.join(rel);
            let text = std::fs::read_to_string(&p).expect("read");
            let marker = "It may have moved";
            std::fs::write(&p, text.replacen(marker, &format!("{marker} ({n})"), 1))
                .expect("write");
            ("template 404.html".to_owned(), vec![rel.to_owned()])
        }
        9 => {
            let rel = format!("static/note-{}.txt", rng.below(3));
            let p = root.join(&rel);
            if p.exists() && rng.below(2) == 0 {
                std::fs::remove_file(&p).expect("delete");
            } else {
                std::fs::create_dir_all(root.join("static")).expect("mkdir");
                std::fs::write(&p, format!("note {n}")).expect("write");
            }
            (format!("static {rel}"), vec![rel])
        }
        10 => {
            let rel = format!("{}/new-{n}.md", rng.pick(&["tips", "principles"]));
            let fm = format!(
                "---\ntitle: New {n}\ndate: 2024-0{}-01\nconcepts: [{}]\n---\nFresh, see [[{}]].\n",
                1 + rng.below(9),
                rng.pick(&concepts),
                rng.pick(&["listen", "ask", "trust"]),
            );
            std::fs::write(at(&rel), fm).expect("write");
            added.push(rel.clone());
            (format!("add {rel}"), vec![content(&rel)])
        }
        11 if !added.is_empty() => {
            let i = rng.below(added.len());
            let rel = added.remove(i);
            if rng.below(2) == 0 {
                std::fs::remove_file(at(&rel)).expect("delete");
                (format!("delete {rel}"), vec![content(&rel)])
            } else {
                let to = rel.replace(".md", "-moved.md");
                std::fs::rename(at(&rel), at(&to)).expect("rename");
                added.push(to.clone());
                (
                    format!("rename {rel} → {to}"),
                    vec![content(&rel), content(&to)],
                )
            }
        }
        _ => {
            let v = (rng.below(2) == 0).then_some("true");
            set_field(&at(&article), "draft", v);
            set_field(
                &at(&article),
                "date",
                Some(&format!("2024-0{}-1{}", 1 + rng.below(9), rng.below(10))),
            );
            (format!("draft/date of {article}"), vec![content(&article)])
        }
    }
}

impl Served {
    /// One rebuild (and the extras) for `paths`; the errors if it failed.
    fn try_apply(&mut self, paths: &[&str]) -> Result<(), BuildFailed> {
        let batch = self.batch(paths);
        self.engine.rebuild(&batch)?;
        for update in self.engine.extras_updates() {
            self.extras.apply(update);
        }
        self.extras.run().map(|_| ())
    }
}

/// Whether a full build of the site succeeds.
fn full_build_ok(opts: &BuildOptions) -> bool {
    let mut timings = binder::site::Timings::default();
    let Ok(site) = binder::site::load_site(opts, &mut timings) else {
        return false;
    };
    let Ok(hl) = binder::build::highlighter(&site) else {
        return false;
    };
    let sink = binder::write::MemorySink::default();
    binder::build::render_site(&site, Arc::new(hl), &sink, &mut timings).is_ok()
}

/// Random edit sequences: after every step the served files equal a fresh full build (or
/// both fail). `BINDER_DIFF_SEED=<n>` replays one sequence; `BINDER_DIFF_SEQUENCES` sets how
/// many run (default 200).
#[test]
fn random_edit_sequences_serve_what_a_full_build_writes() {
    let (first, count) = match std::env::var("BINDER_DIFF_SEED") {
        Ok(s) => (s.parse().expect("BINDER_DIFF_SEED is a number"), 1),
        Err(_) => {
            let n = std::env::var("BINDER_DIFF_SEQUENCES")
                .map_or(200, |s| s.parse().expect("a number"));
            (1_u64, n)
        }
    };
    for seed in first..first + count {
        let s = rich_site();
        let mut served = Served::start(&s);
        let root = served.root().to_owned();
        let mut rng = Rng(seed);
        let mut added = Vec::new();
        let mut log = Vec::new();
        for step in 0..6 {
            let (what, paths) = random_edit(&mut rng, &root, &mut added, step);
            log.push(what);
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            let served_ok = served.try_apply(&paths);
            let label = format!(
                "seed {seed} (rerun with BINDER_DIFF_SEED={seed}), steps: {}",
                log.join("; ")
            );
            match (served_ok, full_build_ok(&served.opts)) {
                (Ok(()), true) => served.assert_same(&label),
                (Err(_), false) => {}
                (Ok(()), false) => panic!("{label}: served, but a full build fails"),
                (Err(e), true) => {
                    panic!("{label}: a full build works, serve failed:\n{}", render(&e))
                }
            }
        }
    }
}

#[test]
fn a_title_edit_is_patched_and_every_page_showing_the_title_follows() {
    let s = rich_site();
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    // `ask.md` links `[[listen]]`, whose text is the title; listings and concept pages list it.
    edit(
        &root,
        "content/tips/listen.md",
        "title: Listen well",
        "title: Hear them out",
    );
    let o = served.apply(&["content/tips/listen.md"]);
    assert!(o.patched, "a title-only edit takes the fast path");
    for page in [
        "tips/ask/index.html",
        "tips/index.html",
        "concepts/trust/index.html",
    ] {
        assert!(
            o.changed.contains(&page.to_owned()),
            "{page} not in {:?}",
            o.changed
        );
    }
    served.assert_same("retitle");
    // A title the section index links by name: its body would change, so the full path.
    edit(
        &root,
        "content/tips/ask.md",
        "title: Ask for clarity",
        "title: Ask again",
    );
    served.fail(&["content/tips/ask.md"]);
}

/// Glossary entries, reading paths and kinds reach other pages (term pages, "part k of n"
/// blocks, kind badges): every edit to them must still serve what a full build writes.
#[test]
fn incremental_rebuilds_equal_a_full_build_after_glossary_path_and_kind_edits() {
    let s = Site::new();
    s.config("[kinds.tip]\nsections = [\"tips\"]\n");
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.write("content/paths/_index.md", "---\ntitle: Paths\n---\n");
    s.write(
        "content/concepts/coaching-up.md",
        "---\ntitle: Coaching up\naliases: [managing up]\nsee_also: [trust]\n---\nCoaching the people above you.\n",
    );
    s.write(
        "content/concepts/trust.md",
        "---\ntitle: Trust\n---\nDoing what you said.\n",
    );
    for (slug, title, concept) in [
        ("one", "One", "managing up"),
        ("two", "Two", "trust"),
        ("three", "Three", "trust"),
    ] {
        s.article(
            &format!("tips/{slug}.md"),
            &format!("title: {title}\ndescription: D.\nconcepts: [{concept}]"),
            "Text.",
        );
    }
    s.article(
        "paths/start.md",
        "title: Start here",
        "1. [[One]]: first.\n2. [[Two]]: second.\n3. [[Three]]: third.",
    );
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    served.assert_same("first build");

    let steps: &[(&str, &str, &str, &str)] = &[
        (
            "path entries reordered",
            "content/paths/start.md",
            "1. [[One]]: first.\n2. [[Two]]: second.",
            "1. [[Two]]: second.\n2. [[One]]: first.",
        ),
        (
            "a path's line of why",
            "content/paths/start.md",
            "3. [[Three]]: third.",
            "3. [[Three]]: last, once the others are done.",
        ),
        (
            "an entry removed from a path",
            "content/paths/start.md",
            "\n3. [[Three]]: last, once the others are done.",
            "",
        ),
        (
            "a synonym moved to another concept",
            "content/concepts/coaching-up.md",
            "aliases: [managing up]",
            "aliases: [upward coaching]",
        ),
        (
            "a glossary parent",
            "content/concepts/trust.md",
            "title: Trust\n",
            "title: Trust\nparent: coaching-up\n",
        ),
        (
            "a kind's requirement met by a description edit",
            "content/tips/two.md",
            "description: D.",
            "description: A longer description.",
        ),
    ];
    for (step, file, from, to) in steps {
        edit(&root, file, from, to);
        served.apply(&[file]);
        served.assert_same(step);
    }
    // A kind's title comes from site.toml: a config change rebuilds everything.
    edit(
        &root,
        "site.toml",
        "[kinds.tip]\n",
        "[kinds.tip]\ntitle = \"Quick tip\"\n",
    );
    served.apply(&["site.toml"]);
    served.assert_same("kind title");
}

/// A page shows the notes it embeds (`![[Note]]`): an edit of the note, of its title, or of
/// the part embedded by heading, must re-render the embedding page as a full build would.
#[test]
fn an_edit_of_an_embedded_note_re_renders_the_page_embedding_it() {
    let s = Site::new();
    s.article(
        "note.md",
        "title: The note",
        "Note text.\n\n## Part\n\nPart text.",
    );
    s.article(
        "host.md",
        "title: Host",
        "Host text.\n\n![[The note]]\n\n![[note]]",
    );
    s.article("part.md", "title: Part host", "![[note#Part]]");
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    served.assert_same("first build");
    edit(&root, "content/note.md", "Note text.", "Note text, edited.");
    let o = served.apply(&["content/note.md"]);
    assert!(
        o.changed.contains(&"host/index.html".to_owned()),
        "{:?}",
        o.changed
    );
    served.assert_same("embedded body edit");
    edit(&root, "content/note.md", "Part text.", "Part text, edited.");
    let o = served.apply(&["content/note.md"]);
    assert!(
        o.changed.contains(&"part/index.html".to_owned()),
        "{:?}",
        o.changed
    );
    served.assert_same("embedded section edit");
    edit(
        &root,
        "content/note.md",
        "title: The note",
        "title: The note, renamed",
    );
    served.fail(&["content/note.md"]);
    edit(&root, "content/host.md", "![[The note]]\n\n", "");
    served.apply(&["content/host.md", "content/note.md"]);
    served.assert_same("embedded note retitled");
    // Embedded by file name, the box's link follows the title on the fast path.
    edit(
        &root,
        "content/note.md",
        "title: The note, renamed",
        "title: Renamed again",
    );
    let o = served.apply(&["content/note.md"]);
    assert!(
        o.changed.contains(&"host/index.html".to_owned()),
        "{:?}",
        o.changed
    );
    served.assert_same("embedded note retitled on the fast path");
}
