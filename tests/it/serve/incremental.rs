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

mod random;

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
        let full = full_build(&self.opts)
            .unwrap_or_else(|e| panic!("{step}: full build failed:\n{}", render(&e)));
        self.assert_served(&full, step);
    }

    /// Asserts the served files are exactly `full`, naming the first difference.
    fn assert_served(&self, full: &BTreeMap<String, Vec<u8>>, step: &str) {
        let served = self.served();
        let only_served: Vec<&String> = served.keys().filter(|k| !full.contains_key(*k)).collect();
        let only_full: Vec<&String> = full.keys().filter(|k| !served.contains_key(*k)).collect();
        assert!(
            only_served.is_empty() && only_full.is_empty(),
            "{step}: files only served: {only_served:?}; only in the full build: {only_full:?}"
        );
        for (path, bytes) in full {
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

fn render(e: &BuildFailed) -> String {
    crate::support::render(&e.diagnostics)
}

/// A full build in memory, as `binder build` would write it (later writes win).
fn full_build(opts: &BuildOptions) -> Result<BTreeMap<String, Vec<u8>>, BuildFailed> {
    let mut timings = binder::site::Timings::default();
    let site = binder::site::load_site(opts, &mut timings)?;
    let hl = Arc::new(binder::build::highlighter(&site).map_err(BuildFailed::one)?);
    let sink = binder::write::MemorySink::default();
    binder::build::render_site(&site, hl, &sink, &mut timings)?;
    Ok(sink.files.into_inner().expect("sink").into_iter().collect())
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

/// In a section sorted by title, a new title that keeps the page between its neighbours is
/// patched; one that moves it in the listing takes the full path. Both serve a full build.
#[test]
fn a_retitle_in_a_title_sorted_section_is_patched_while_the_order_holds() {
    let s = Site::new();
    s.write(
        "content/tips/_index.md",
        "---\ntitle: Tips\nsort_by: title\n---\n",
    );
    for (slug, title) in [("a", "Alpha"), ("m", "Mango"), ("z", "Zebra")] {
        s.article(
            &format!("tips/{slug}.md"),
            &format!("title: {title}\ndate: 2024-01-01\nconcepts: [trust]"),
            "Text.",
        );
    }
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    edit(&root, "content/tips/m.md", "title: Mango", "title: Melon");
    let o = served.apply(&["content/tips/m.md"]);
    assert!(o.patched, "Melon stays between Alpha and Zebra");
    served.assert_same("retitle in place");
    edit(
        &root,
        "content/tips/m.md",
        "title: Melon",
        "title: Aardvark",
    );
    let o = served.apply(&["content/tips/m.md"]);
    assert!(
        !o.patched,
        "Aardvark sorts before Alpha: the listing changes"
    );
    served.assert_same("retitle that moves");
    let tips = String::from_utf8_lossy(&served.served()["tips/index.html"]).into_owned();
    let at = |t: &str| tips.find(t).unwrap_or_else(|| panic!("{t} not listed"));
    assert!(
        at("Aardvark") < at("Alpha"),
        "the listing follows the new title"
    );
}

/// A link to a `static/` file breaks when the file goes and works again when it comes back:
/// serve rebuilds the model when a static file comes or goes, as a full build would see it.
#[test]
fn a_static_file_that_goes_breaks_the_links_to_it_and_coming_back_mends_them() {
    let s = Site::new();
    s.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.article("tips/a.md", "title: A", "![Logo](/images/logo.svg)");
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    std::fs::remove_file(root.join("static/images/logo.svg")).expect("delete");
    let failed = served.fail(&["static/images/logo.svg"]);
    assert!(
        render(&failed).contains("/images/logo.svg"),
        "{}",
        render(&failed)
    );
    s.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    served.apply(&["static/images/logo.svg"]);
    served.assert_same("static file back");
    // A changed static file with the same path only copies it again.
    s.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>",
    );
    let o = served.apply(&["static/images/logo.svg"]);
    assert_eq!(
        o.rendered, 0,
        "new bytes at the same path render nothing again"
    );
    served.assert_same("static file edited");
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

/// Found by the randomized test (seeds 352 and 867): a static file saved while the site
/// failed to build was never copied once the site built again.
#[test]
fn a_static_file_saved_while_the_build_is_broken_is_served_once_it_builds() {
    let s = rich_site();
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    edit(
        &root,
        "content/tips/open.md",
        "Start with a question.",
        "Start with [[Nowhere at all]].",
    );
    served.fail(&["content/tips/open.md"]);
    s.write("static/late.txt", "saved while broken");
    served.fail(&["static/late.txt"]);
    edit(
        &root,
        "content/tips/open.md",
        "Start with [[Nowhere at all]].",
        "Start with a question.",
    );
    served.apply(&["content/tips/open.md"]);
    assert!(served.served().contains_key("late.txt"));
    served.assert_same("fixed");
}

/// A `[markdown] heading_ids` change in site.toml changes every heading's id, which the parse
/// stage computes (links are checked and pointed at them): the parses cached from before
/// must not be reused.
#[test]
fn a_heading_ids_change_in_site_toml_parses_the_articles_again() {
    let s = Site::new();
    s.config("\n[markdown]\nheading_ids = \"slug\"\n");
    s.article("cafe.md", "title: Café", "## Café Über\n\nText.");
    s.article(
        "link.md",
        "title: Link",
        "See [the café](cafe.md#cafe-uber).",
    );
    let mut served = Served::start(&s);
    served.assert_same("first build");
    let root = served.root().to_owned();
    edit(
        &root,
        "site.toml",
        "heading_ids = \"slug\"",
        "heading_ids = \"github\"",
    );
    served.apply(&["site.toml"]);
    served.assert_same("heading ids as written");
}

/// Found by the randomized test (seed 22 at 10 steps): a section made a draft leaves the build
/// with its pages, in `serve` too, also when a `README.md` describes it (read as an article
/// until the assemble stage, so its edit looked like one of an excluded draft article).
#[test]
fn a_section_made_a_draft_leaves_the_served_site_with_its_pages() {
    for index in ["_index.md", "README.md"] {
        let s = rich_site();
        s.write("content/paths/_index.md", "---\ntitle: Paths\n---\n");
        s.article("paths/start.md", "title: Start", "1. [[listen]]: first.");
        let mut served = Served::start(&s);
        let root = served.root().to_owned();
        if index != "_index.md" {
            std::fs::rename(
                root.join("content/paths/_index.md"),
                root.join("content/paths").join(index),
            )
            .expect("rename");
            served.apply(&["content/paths/_index.md", &format!("content/paths/{index}")]);
            served.assert_same(&format!("renamed to {index}"));
        }
        let rel = format!("content/paths/{index}");
        edit(&root, &rel, "title: Paths", "title: Paths\ndraft: true");
        served.apply(&[&rel]);
        served.assert_same(&format!("draft {index}"));
        assert!(
            !served.served().contains_key("paths/start/index.html"),
            "{index}"
        );
    }
}

/// Regression: `serve` listed `content/` with the default symlink rule, so a site with
/// `[content] follow_external_symlinks = true` built with `binder build` but failed in
/// `serve` ("points outside the site"). Both now load through `site::Inputs`.
#[cfg(unix)]
#[test]
fn serve_follows_external_symlinks_when_the_site_allows_them() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("shared.md"),
        "---\ntitle: Shared\n---\nFrom outside.\n",
    )
    .expect("write");
    let s = rich_site();
    s.config("[content]\nfollow_external_symlinks = true\n");
    std::os::unix::fs::symlink(
        outside.path().join("shared.md"),
        s.root().join("content/shared.md"),
    )
    .expect("link");
    let mut served = Served::start(&s);
    served.assert_same("first build");
    assert!(served.served().contains_key("shared/index.html"));
    // A created file relists `content/`, with the same rule.
    s.article("new.md", "title: New", "Links [[Shared]].");
    served.apply(&["content/new.md"]);
    served.assert_same("after a new file");
}
