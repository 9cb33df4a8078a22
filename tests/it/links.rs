//! Internal links, backlinks, related articles, series and pairs (issue 3).

use crate::support::{Site, render};

fn linked_site() -> Site {
    let s = Site::new();
    s.article(
        "tips/ask-for-clarity.md",
        "title: Ask for clarity\naliases: [/tips/clarify/]",
        "## Why it matters\n\nBecause.\n\n## How\n\nSteps.",
    );
    s.article(
        "principles/trust.md",
        "title: Trust\nconcepts: [trust]",
        "## Why it matters\n\nTrust first.",
    );
    s
}

#[test]
fn every_link_form_resolves_to_a_relative_url() {
    let s = linked_site();
    s.article(
        "principles/partnership.md",
        "title: Partnership",
        "Relative [a](../tips/ask-for-clarity.md), root [b](@/tips/ask-for-clarity.md#how), \
         wiki [[Ask for clarity]], slug [[ask-for-clarity|custom text]], alias [[clarify]], \
         heading [[Trust#Why it matters]], same folder [t](trust.md), external [w](https://example.com/x).",
    );
    s.build_ok();
    let m = s.main("principles/partnership/index.html");
    assert!(
        m.contains("<a href=\"../../tips/ask-for-clarity/\">a</a>"),
        "{m}"
    );
    assert!(
        m.contains("<a href=\"../../tips/ask-for-clarity/#how\">b</a>"),
        "{m}"
    );
    assert!(
        m.contains("<a href=\"../../tips/ask-for-clarity/\">Ask for clarity</a>"),
        "{m}"
    );
    assert!(m.contains(">custom text</a>"), "{m}");
    assert!(
        m.contains("<a href=\"../../principles/trust/#why-it-matters\">Trust</a>"),
        "{m}"
    );
    assert!(
        m.contains("<a href=\"../../principles/trust/\">t</a>"),
        "{m}"
    );
    assert!(
        m.contains("href=\"https://example.com/x\""),
        "external untouched"
    );
}

#[test]
fn links_from_the_home_page_and_to_sections() {
    let s = linked_site();
    s.write("content/tips/_index.md", "---\ntitle: Tips\n---\n");
    s.write("content/_index.md", "---\ntitle: Home\n---\nStart with [tips](@/tips/_index.md) or [clarity](tips/ask-for-clarity.md).\n");
    s.build_ok();
    let m = s.main("index.html");
    assert!(m.contains("href=\"./tips/\""), "{m}");
    assert!(m.contains("href=\"./tips/ask-for-clarity/\""), "{m}");
}

#[test]
fn broken_links_are_located_with_suggestions() {
    let s = linked_site();
    s.article("principles/x.md", "title: X", "One [a](../tips/ask-for-clarty.md).\n\nTwo [[Ask for clarit]].\n\nThree [c](../tips/ask-for-clarity.md#why-it-maters).");
    let e = s.build_err();
    let m: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(
        m[0].starts_with("content/principles/x.md:4:5: broken link: `../tips/ask-for-clarty.md`"),
        "{}",
        m[0]
    );
    assert_eq!(
        e[0].hint.as_deref(),
        Some("did you mean `tips/ask-for-clarity.md`?")
    );
    assert!(
        m[1].starts_with("content/principles/x.md:6:5: broken wikilink"),
        "{}",
        m[1]
    );
    assert!(
        e[1].hint
            .as_deref()
            .unwrap_or("")
            .contains("`Ask for clarity`")
    );
    assert!(m[2].starts_with("content/principles/x.md:8:7:"), "{}", m[2]);
    assert!(m[2].contains("#why-it-maters"));
    assert_eq!(
        e[2].hint.as_deref(),
        Some("did you mean `#why-it-matters`?")
    );
}

#[test]
fn an_ambiguous_wikilink_names_both_candidates() {
    let s = Site::new();
    s.article("a/trust.md", "title: Trust", "x");
    s.article("b/trust.md", "title: Trust", "y");
    s.article("c.md", "title: C", "See [[Trust]].");
    let e = s.build_err();
    let all = render(&e);
    assert!(
        all.contains("content/c.md:4:5: ambiguous wikilink `[[Trust]]`"),
        "{all}"
    );
    assert!(
        all.contains("a/trust.md") && all.contains("b/trust.md"),
        "{all}"
    );
}

/// Found on Obsidian's own help vault: links the way Obsidian writes them. A heading of the
/// same note (`[[#H]]`), a heading path (`[[Note#H#Sub]]`), a path in the vault
/// (`[[Folder/Note]]`), an escaped pipe in a table (`[[Note\|label]]`), a name two notes
/// share (the one beside the linking note), and a file name that is another note's alias
/// or slug (the file name wins) were all broken or ambiguous.
#[test]
fn wikilinks_resolve_the_way_obsidian_writes_them() {
    let s = Site::new();
    s.config("[front_matter]\naliases = \"names\"\n");
    s.article(
        "guide/properties.md",
        "title: Properties",
        "## Usage\n\n### Types\n\nText.",
    );
    s.article(
        "plugins/properties-view.md",
        "title: Properties view\naliases: [Properties]\nslug: settings",
        "View.",
    );
    s.article("ui/settings.md", "title: Settings", "All settings.");
    s.article("sync/privacy.md", "title: Privacy", "Sync privacy.");
    s.article("publish/privacy.md", "title: Privacy", "Publish privacy.");
    s.article(
        "publish/intro.md",
        "title: Intro",
        "## Start here\n\nSee [[#Start here]], [[Properties#Usage#Types]], [[plugins/properties-view|the view]], [[Settings]] and [[Privacy]].\n\n| Note | What |\n|---|---|\n| [[Properties\\|props]] | fields |\n",
    );
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = s.read("publish/intro/index.html");
    for expected in [
        "<a href=\"#start-here\">Start here</a>",
        "<a href=\"../../guide/properties/#types\">Properties</a>",
        "<a href=\"../../plugins/settings/\">the view</a>",
        "<a href=\"../../ui/settings/\">Settings</a>",
        "<a href=\"../../publish/privacy/\">Privacy</a>",
        "<a href=\"../../guide/properties/\">props</a>",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
}

/// Found on Obsidian's help vault: links to block ids (`[[Note#^name]]`) were broken
/// ("no heading `#^name`") and the `^name` markers showed at the end of their paragraphs.
#[test]
fn obsidian_block_ids_are_anchors_and_their_markers_are_hidden() {
    let s = Site::new();
    s.article(
        "limits.md",
        "title: Limits",
        "The media limit is 50 MB. ^media-limit\n\n- Sync keeps a year. ^history\n- Nothing else\n\nWrite 2^10 as is.",
    );
    s.article(
        "media.md",
        "title: Media",
        "See [[Limits#^media-limit]], [[#^own]] and [[#^quote]].\n\nOwn paragraph. ^own\n\n> [!note] Regions\n> Asia: Singapore\n^quote\n\n![[Limits#^history]]\n",
    );
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let limits = s.main("limits/index.html");
    assert!(
        limits.contains("<p id=\"^media-limit\">The media limit is 50 MB.</p>"),
        "{limits}"
    );
    assert!(
        limits.contains("<li id=\"^history\">Sync keeps a year.</li>"),
        "{limits}"
    );
    assert!(
        limits.contains("2^10"),
        "a caret inside a word is text: {limits}"
    );
    let media = s.main("media/index.html");
    assert!(
        media.contains("href=\"../limits/#^media-limit\"") && media.contains("href=\"#^own\""),
        "{media}"
    );
    assert!(
        !media.contains("paragraph. ^own") && !media.contains("Singapore\n^quote"),
        "{media}"
    );
    assert!(
        media.contains("<p id=\"^quote\">Asia: Singapore</p>"),
        "a marker on the last line of its own: {media}"
    );
    // The embedded block is the list item alone.
    let embed = &media[media.find("class=\"embed\"").expect("embed")..];
    assert!(
        embed.contains("<ul>\n<li id=\"e1-^history\">Sync keeps a year.</li></ul>")
            && !embed.contains("Nothing else"),
        "a list item embedded alone, in a list: {embed}"
    );
    let print = s.read("print/index.html");
    assert!(
        !print.contains("50 MB. ^media-limit"),
        "markers hidden in print too"
    );
}

#[test]
fn link_errors_can_be_downgraded_to_warnings() {
    let s = linked_site();
    s.config("[links]\nbroken = \"warn\"\n");
    s.article("x.md", "title: X", "A [broken](nope.md) link.");
    let report = s.build_ok();
    assert_eq!(report.warnings.len(), 1);
    assert!(report.warnings[0].to_string().contains("broken link"));
}

#[test]
fn backlinks_show_the_sentence_around_the_link() {
    let s = linked_site();
    s.article("principles/partnership.md", "title: Partnership", "Partners talk often. When in doubt, [ask for clarity](../tips/ask-for-clarity.md) before acting. Then move on.");
    s.build_ok();
    let m = s.main("tips/ask-for-clarity/index.html");
    assert!(m.contains("Partnership"), "backlink title shown");
    assert!(
        m.contains("When in doubt, ask for clarity before acting."),
        "excerpt shown: {m}"
    );
    assert!(!m.contains("Partners talk often"), "only the sentence");
}

#[test]
fn related_articles_rank_rare_shared_concepts_first() {
    let s = Site::new();
    // `rare` is on two pages, `common` on all; `a`'s best match is `b` (shares the rare concept),
    // then `c` (links to `a`), then the others by date (newest first).
    s.article(
        "a.md",
        "title: A\ndate: 2026-01-01\nconcepts: [rare, common]",
        "x",
    );
    s.article(
        "b.md",
        "title: B\ndate: 2020-01-01\nconcepts: [rare, common]",
        "x",
    );
    s.article(
        "c.md",
        "title: C\ndate: 2021-01-01\nconcepts: [common]",
        "See [[A]].",
    );
    s.article(
        "d.md",
        "title: D\ndate: 2025-01-01\nconcepts: [common]",
        "x",
    );
    s.article(
        "e.md",
        "title: E\ndate: 2024-01-01\nconcepts: [common]",
        "x",
    );
    s.config("[related]\nlimit = 3\n");
    let opts = s.options();
    let site = binder::site::load_site(&opts, &mut Default::default()).expect("site");
    let id = |t: &str| site.pages.position(|p| p.title == t).expect("page");
    let titles: Vec<&str> = site.graph.related[id("A")]
        .iter()
        .map(|&p| site.pages[p].title.as_str())
        .collect();
    assert_eq!(titles, ["B", "C", "D"]);
}

#[test]
fn series_get_order_prev_next_and_errors() {
    let s = Site::new();
    s.article(
        "p/one.md",
        "title: One\nseries: basics\nseries_order: 1",
        "x",
    );
    s.article(
        "p/two.md",
        "title: Two\nseries: basics\nseries_order: 2",
        "x",
    );
    s.article(
        "p/three.md",
        "title: Three\nseries: basics\nseries_order: 3",
        "x",
    );
    s.build_ok();
    let m = s.main("p/two/index.html");
    assert!(
        m.contains("../../p/one/") && m.contains("../../p/three/"),
        "prev and next"
    );
    assert!(m.contains("aria-current"), "current part marked");
    s.article(
        "p/three.md",
        "title: Three\nseries: basics\nseries_order: 2",
        "x",
    );
    let e = s.build_err();
    let all = render(&e);
    assert!(all.contains("also used by content/p/t"), "{all}");
    assert!(
        all.contains("content/p/three.md") && all.contains("content/p/two.md"),
        "names both: {all}"
    );
    s.article("p/three.md", "title: Three\nseries: basics", "x");
    let e = s.build_err();
    assert!(
        e[0].to_string().contains("has no `series_order`"),
        "{}",
        e[0]
    );
}

#[test]
fn pairs_are_mutual_mirrored_or_conflicting() {
    let s = Site::new();
    s.article(
        "pair-blog/a.md",
        "title: A view\npair: b.md\nauthors: [Ann]\ndate: 2026-01-01",
        "x",
    );
    s.article(
        "pair-blog/b.md",
        "title: B view\nauthors: [Ben]\ndate: 2026-01-01",
        "y",
    );
    s.build_ok();
    assert!(
        s.main("pair-blog/b/index.html").contains("A view"),
        "mirrored pair shown on b"
    );
    assert!(s.main("pair-blog/a/index.html").contains("B view"));
    s.article("pair-blog/c.md", "title: C view\npair: a.md", "z");
    s.article("pair-blog/b.md", "title: B view\npair: c.md", "y");
    let e = s.build_err();
    let all = render(&e);
    assert!(all.contains("conflicting pair"), "{all}");
    s.article("pair-blog/a.md", "title: A view\npair: nope.md", "x");
    let all = render(&s.build_err());
    assert!(all.contains("pair `nope.md` is not an article"), "{all}");
}

// --- Conventions of handbooks written for other tools (issue 13) ---

/// The href of the first `<a>` whose label is `label` in `html`.
fn href_of<'a>(html: &'a str, label: &str) -> Option<&'a str> {
    let end = html.find(&format!("\">{label}</a>"))?;
    let start = html[..end].rfind("href=\"")? + 6;
    Some(&html[start..end])
}

#[test]
fn links_to_folder_index_files_resolve_to_the_folder_page() {
    let s = Site::new();
    s.write(
        "content/values/_index.md",
        "---\ntitle: Values\n---\nOur values.\n",
    );
    s.article("values/trust.md", "title: Trust", "Trust.");
    s.article(
        "tips/ask.md",
        "title: Ask",
        "[a](../values/_index.md) [b](../values/) [c](../values) [d](../values/index.md) \
         [e](../values/README.md) [f](@/values/_index.md)",
    );
    s.build_ok();
    let m = s.main("tips/ask/index.html");
    for label in ["a", "b", "c", "d", "e", "f"] {
        assert_eq!(href_of(&m, label), Some("../../values/"), "{label}: {m}");
    }
}

#[test]
fn readme_and_index_files_stand_for_their_folder() {
    let s = Site::new();
    s.write(
        "content/team/README.md",
        "---\ntitle: The team\n---\n## Who we are\n\nPeople.\n",
    );
    s.article("team/people.md", "title: People", "Us.");
    s.article(
        "tips/ask.md",
        "title: Ask",
        "[readme](../team/README.md) [folder](../team/) [bare](../team) \
         [anchor](../team/README.md#who-we-are)",
    );
    s.build_ok();
    let m = s.main("tips/ask/index.html");
    let folder = href_of(&m, "folder").expect("folder link");
    assert!(!folder.contains(".md"), "{m}");
    assert_eq!(href_of(&m, "readme"), Some(folder), "{m}");
    assert_eq!(href_of(&m, "bare"), Some(folder), "{m}");
    assert_eq!(
        href_of(&m, "anchor"),
        Some(format!("{folder}#who-we-are").as_str()),
        "{m}"
    );
    // The target is a page that exists in the output.
    let target = folder.trim_start_matches("../../");
    assert!(s.exists(&format!("{target}index.html")), "{target}");
}

#[test]
fn root_relative_links_resolve_with_and_without_the_base_url_subpath() {
    // The fixture's base_url is https://example.org/handbook/.
    let s = linked_site();
    s.write("content/values/_index.md", "---\ntitle: Values\n---\n");
    s.article(
        "principles/x.md",
        "title: X",
        "[a](/values/) [b](/handbook/values/) [c](/tips/ask-for-clarity/) \
         [d](/handbook/tips/ask-for-clarity/#how) [e](/tips/ask-for-clarity.md) [f](/values)",
    );
    s.build_ok();
    let m = s.main("principles/x/index.html");
    assert_eq!(href_of(&m, "a"), Some("../../values/"), "{m}");
    assert_eq!(href_of(&m, "b"), Some("../../values/"), "{m}");
    assert_eq!(href_of(&m, "c"), Some("../../tips/ask-for-clarity/"), "{m}");
    assert_eq!(
        href_of(&m, "d"),
        Some("../../tips/ask-for-clarity/#how"),
        "{m}"
    );
    assert_eq!(href_of(&m, "e"), Some("../../tips/ask-for-clarity/"), "{m}");
    assert_eq!(href_of(&m, "f"), Some("../../values/"), "{m}");
}

#[test]
fn japanese_and_accented_headings_get_github_ids() {
    let s = Site::new();
    s.article(
        "ja.md",
        "title: JA",
        "## はじめに\n\nA.\n\n## Qualité du service\n\nB.\n\n## Über uns {#about}\n\nC.",
    );
    s.article(
        "links.md",
        "title: Links",
        "[raw](ja.md#はじめに) [encoded](ja.md#%E3%81%AF%E3%81%98%E3%82%81%E3%81%AB) \
         [accent](ja.md#qualité-du-service) [ascii](ja.md#qualite-du-service) \
         [custom](ja.md#about) [own](#über-uns)\n\n## Über uns\n\nSelf.",
    );
    s.build_ok();
    let ja = s.main("ja/index.html");
    assert!(ja.contains("id=\"はじめに\""), "{ja}");
    assert!(ja.contains("id=\"qualité-du-service\""), "{ja}");
    assert!(ja.contains("id=\"about\""), "{ja}");
    let m = s.main("links/index.html");
    // Hrefs are percent-encoded in the HTML (browsers decode them to the ids above).
    let hajimeni = "../ja/#%E3%81%AF%E3%81%98%E3%82%81%E3%81%AB";
    assert_eq!(href_of(&m, "raw"), Some(hajimeni), "{m}");
    assert_eq!(href_of(&m, "encoded"), Some(hajimeni), "{m}");
    let qualite = "../ja/#qualit%C3%A9-du-service";
    assert_eq!(href_of(&m, "accent"), Some(qualite), "{m}");
    // A link written for an ASCII-slug tool finds the heading too.
    assert_eq!(href_of(&m, "ascii"), Some(qualite), "{m}");
    assert_eq!(href_of(&m, "custom"), Some("../ja/#about"), "{m}");
    assert_eq!(href_of(&m, "own"), Some("#%C3%BCber-uns"), "{m}");
}

#[test]
fn heading_ids_can_use_ascii_slugs() {
    let s = Site::new();
    s.config("[markdown]\nheading_ids = \"slug\"\n");
    s.article("ja.md", "title: JA", "## Qualité du service\n\nB.");
    s.article("links.md", "title: L", "[x](ja.md#qualité-du-service)");
    s.build_ok();
    assert!(
        s.main("ja/index.html")
            .contains("id=\"qualite-du-service\"")
    );
    let m = s.main("links/index.html");
    assert_eq!(href_of(&m, "x"), Some("../ja/#qualite-du-service"), "{m}");
}

#[test]
fn warn_mode_never_links_to_a_markdown_source() {
    let s = linked_site();
    s.config("[links]\nbroken = \"warn\"\n");
    s.article(
        "x.md",
        "title: X",
        "[gone](nope.md) [anchor](tips/ask-for-clarity.md#nowhere) [folder](old/) \
         [[No such page]] [own](#missing) [ok](tips/ask-for-clarity.md)",
    );
    let report = s.build_ok();
    assert_eq!(report.warnings.len(), 5, "{}", render(&report.warnings));
    let m = s.main("x/index.html");
    assert!(!m.contains(".md\""), "{m}");
    // A missing file: the label stays, as text.
    assert!(m.contains("gone") && href_of(&m, "gone").is_none(), "{m}");
    assert!(
        href_of(&m, "folder").is_none() && m.contains("folder"),
        "{m}"
    );
    assert!(
        m.contains("No such page") && href_of(&m, "No such page").is_none(),
        "{m}"
    );
    // A missing anchor on a page that exists: the page.
    assert_eq!(
        href_of(&m, "anchor"),
        Some("../tips/ask-for-clarity/"),
        "{m}"
    );
    assert!(href_of(&m, "own").is_none(), "{m}");
    assert_eq!(href_of(&m, "ok"), Some("../tips/ask-for-clarity/"), "{m}");
}

#[test]
fn warnings_of_one_cause_are_grouped_unless_verbose() {
    let s = linked_site();
    s.config("[links]\nbroken = \"warn\"\n");
    for i in 0..12 {
        s.article(
            &format!("notes/n{i}.md"),
            &format!("title: N{i}"),
            &format!("[a](../tips/ask-for-clarity.md#gone-{i}) [b](../missing.md)"),
        );
    }
    let report = s.build_ok();
    let lines: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.contains(
            "12 links to anchors that do not exist in content/tips/ask-for-clarity.md: \
             content/notes/n0.md:4:1 (#gone-0)"
        ) && l.ends_with(", and 2 more")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("12 links to content/missing.md, which does not exist")),
        "{lines:#?}"
    );
    let verbose = binder::BuildOptions {
        verbose: true,
        ..s.options()
    };
    let all = binder::build::build(&verbose, false).expect("builds");
    assert_eq!(all.warnings.len(), 24);
}

#[test]
fn two_thousand_articles_with_broken_links_resolve_fast() {
    // Regression: every broken link was compared with every path for its "did you mean"
    // (10,000 × 2,000 scores: 9.5 s of `resolve` in release). Now each link is scored
    // against a short list from the file-name and trigram index. Wall time on a shared
    // 2-core machine swings tenfold, so the test counts the work instead.
    let s = Site::new();
    s.config("[links]\nbroken = \"warn\"\n");
    let mut missing = Vec::new();
    for i in 0..2_000 {
        let links: String = (0..5)
            .map(|j| format!("[l{j}](../gone/missing-{i}-{j}.md) "))
            .collect();
        missing.extend((0..5).map(|j| format!("gone/missing-{i}-{j}.md")));
        s.article(
            &format!("s{}/article-{i}.md", i % 20),
            &format!("title: Article {i}"),
            &links,
        );
    }
    let mut timings = binder::site::Timings::default();
    let site = binder::site::load_site(&s.options(), &mut timings).expect("builds");
    // 10,000 broken links, each to its own missing file: listed up to a point, then counted.
    assert!(site.warnings.len() < 50, "{}", site.warnings.len());
    assert!(
        site.warnings
            .iter()
            .any(|w| w.message.contains("and 9980 more links to missing files")),
        "{}",
        render(&site.warnings)
    );
    let index = binder::resolve::Index::new(&site);
    let started = std::time::Instant::now();
    for m in &missing {
        index.similar_paths(m);
    }
    let per_link = index.suggestion_comparisons() as f64 / missing.len() as f64;
    // A scan of every path would be 2,000 + 21 section pages per link.
    assert!(per_link <= 50.0, "{per_link} comparisons per broken link");
    // And a bound no loaded machine should reach in a debug build (the scan took minutes).
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[test]
fn an_obsidian_embed_includes_the_note_in_a_box_linking_to_it() {
    let s = linked_site();
    s.article(
        "x.md",
        "title: X",
        "Intro.\n\n![[Ask for clarity]]\n\nAfter.",
    );
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let m = s.main("x/index.html");
    let section = m
        .split("<section class=\"embed\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("no embed box: {m}"));
    assert!(
        section.contains(
            "<p class=\"embed-source\"><a href=\"../tips/ask-for-clarity/\">Ask for clarity</a></p>"
        ),
        "{section}"
    );
    // The note's body, its ids prefixed so they stay unique in the page.
    assert!(
        section.contains("<p>Because.</p>") && section.contains("<p>Steps.</p>"),
        "{section}"
    );
    assert!(
        section.contains("<h2 id=\"e1-why-it-matters\">"),
        "{section}"
    );
    assert!(section.contains("href=\"#e1-why-it-matters\""), "{section}");
    assert!(!m.contains("binder:embed"), "no marker is left: {m}");
    // An embed counts as a link: the note lists the page among its backlinks.
    let note = s.read("tips/ask-for-clarity/index.html");
    assert!(note.contains("href=\"../../x/\""), "backlink missing");
}

#[test]
fn the_print_edition_shows_embedded_notes_as_the_page_does() {
    let s = linked_site();
    s.article(
        "x.md",
        "title: X",
        "Intro.\n\n![[Ask for clarity]]\n\nAfter.",
    );
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let print = s.read("print/index.html");
    let chapter = print
        .split("id=\"x\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no chapter for x: {print}"));
    let section = chapter
        .split("<section class=\"embed\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("no embed box in the print edition: {chapter}"));
    assert!(section.contains("<p>Because.</p>"), "{section}");
    // Ids of the included body carry both prefixes, and its in-page link follows them.
    assert!(section.contains("id=\"x-e1-why-it-matters\""), "{section}");
    assert!(
        section.contains("href=\"#x-e1-why-it-matters\""),
        "{section}"
    );
    assert!(!print.contains("binder:embed"), "no marker is left");
}

#[test]
fn an_embed_of_a_heading_includes_that_section_only() {
    let s = linked_site();
    s.article("x.md", "title: X", "![[Ask for clarity#How]]");
    s.build_ok();
    let m = s.main("x/index.html");
    assert!(m.contains("<p>Steps.</p>"), "{m}");
    assert!(
        !m.contains("<p>Because.</p>"),
        "only the `How` section: {m}"
    );
    assert!(
        m.contains("<a href=\"../tips/ask-for-clarity/#how\">Ask for clarity</a>"),
        "{m}"
    );
}

#[test]
fn an_embed_of_an_image_is_an_image_and_an_embed_in_a_sentence_a_link() {
    let s = linked_site();
    s.write("content/chart.png", "png");
    s.article(
        "x.md",
        "title: X",
        "![[chart.png|Team chart]]\n\nSee ![[Ask for clarity]] here.",
    );
    let report = s.build_ok();
    let m = s.main("x/index.html");
    assert!(
        m.contains("<img src=\"../x/chart.png\" alt=\"Team chart\""),
        "{m}"
    );
    assert_eq!(
        href_of(&m, "Ask for clarity"),
        Some("../tips/ask-for-clarity/"),
        "{m}"
    );
    assert!(!m.contains("<section class=\"embed\">"), "{m}");
    let lines: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l.starts_with(
            "content/x.md:6:5: `![[Ask for clarity]]` inside a line of text is shown as a link"
        )),
        "{lines:#?}"
    );
}

#[test]
fn a_missing_embed_is_a_located_broken_link() {
    let s = linked_site();
    s.article(
        "x.md",
        "title: X",
        "Intro.\n\n![[Nowhere]]\n\n![[Ask for clarity#Nope]]",
    );
    let errors: Vec<String> = s.build_err().iter().map(ToString::to_string).collect();
    assert!(
        errors[0].starts_with(
            "content/x.md:6:1: broken wikilink: no article titled, slugged or aliased `Nowhere`"
        ),
        "{errors:#?}"
    );
    assert!(
        errors[1].starts_with(
            "content/x.md:8:1: `Ask for clarity#Nope`: the target has no heading `#Nope`"
        ),
        "{errors:#?}"
    );
    s.config("[links]\nbroken = \"warn\"\n");
    s.build_ok();
    let m = s.main("x/index.html");
    assert!(
        m.contains("Nowhere") && href_of(&m, "Nowhere").is_none(),
        "{m}"
    );
    // The note exists: a reader gets a link to it, not half a note.
    assert_eq!(
        href_of(&m, "Ask for clarity"),
        Some("../tips/ask-for-clarity/"),
        "{m}"
    );
    assert!(!m.contains("<section class=\"embed\">"), "{m}");
}

#[test]
fn embed_cycles_are_cut_and_reported_where_they_close() {
    let s = Site::new();
    s.article("a.md", "title: A", "A text.\n\n![[B]]");
    s.article("b.md", "title: B", "B text.\n\n![[A]]");
    let report = s.build_ok();
    let a = s.main("a/index.html");
    // A shows B, and B's embed of A is cut to the link at the top of its box.
    assert!(a.contains("<p>B text.</p>"), "{a}");
    assert_eq!(a.matches("<p>A text.</p>").count(), 1, "{a}");
    assert_eq!(a.matches("<section class=\"embed\">").count(), 2, "{a}");
    let b = s.main("b/index.html");
    assert!(
        b.contains("<p>A text.</p>") && b.matches("<p>B text.</p>").count() == 1,
        "{b}"
    );
    let lines: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("content/a.md:6:1: embed cycle: `a.md` embeds `b.md` embeds `a.md`")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/b.md:6:1: embed cycle:")),
        "{lines:#?}"
    );
}

#[test]
fn embeds_nest_only_so_deep() {
    let s = Site::new();
    let depth = binder::parse::markdown::EMBED_DEPTH;
    for i in 0..=depth + 1 {
        let next = if i <= depth {
            format!("\n\n![[N{}]]", i + 1)
        } else {
            String::new()
        };
        s.article(
            &format!("n{i}.md"),
            &format!("title: N{i}"),
            &format!("Level {i}.{next}"),
        );
    }
    let report = s.build_ok();
    let top = s.main("n0/index.html");
    for i in 0..=depth {
        assert!(
            top.contains(&format!("<p>Level {i}.</p>")),
            "level {i}: {top}"
        );
    }
    assert!(
        !top.contains(&format!("<p>Level {}.</p>", depth + 1)),
        "{top}"
    );
    let lines: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "content/n0.md:6:1: embeds nest {} deep from here (at most {depth})",
            depth + 1
        ))),
        "{lines:#?}"
    );
}

/// Links to the site's `static/` files resolve like links to pages (Hugo sites keep their
/// images there); a missing file gets a hint about files, never a page named like it.
#[test]
fn links_to_static_files_resolve_and_missing_files_get_a_file_hint() {
    let s = Site::new();
    s.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.write("static/files/guide.pdf", "%PDF-1.4");
    s.article(
        "tips/ask.md",
        "title: Ask",
        "![Logo](/images/logo.svg) and [the guide](../files/guide.pdf).",
    );
    s.build_ok();
    let html = s.read("tips/ask/index.html");
    assert!(html.contains("src=\"../../images/logo.svg\""), "{html}");
    assert!(html.contains("href=\"../../files/guide.pdf\""), "{html}");

    // Missing: a page named like the file is no answer; a file of that name elsewhere is.
    s.write("content/logo-png.md", "---\ntitle: Logo png\n---\nText.\n");
    s.write("static/img/chart.png", "png");
    s.article(
        "tips/ask.md",
        "title: Ask",
        "![Logo](/images/logo.png) ![Chart](/images/chart.png)",
    );
    let errors = s.build_err();
    assert_eq!(errors.len(), 2, "{}", render(&errors));
    let hints: Vec<&str> = errors.iter().filter_map(|e| e.hint.as_deref()).collect();
    assert!(
        hints[0].starts_with("no file `logo.png` in content/ or static/"),
        "{hints:?}"
    );
    assert!(
        hints[1].contains("a file of that name is at `static/img/chart.png`"),
        "{hints:?}"
    );
    assert!(
        !render(&errors).contains("logo-png.md"),
        "{}",
        render(&errors)
    );
}

/// A link into a folder the site does not have (a page of another site) says so, instead of
/// guessing pages that share a few letters with it.
#[test]
fn a_link_into_a_folder_the_site_lacks_says_so() {
    let s = Site::new();
    s.article("tips/ask.md", "title: Ask", "Text.");
    s.article(
        "tips/listen.md",
        "title: Listen",
        "See [the role](/job-library/engineer/) and [asking](/tips/asks/).",
    );
    let errors = s.build_err();
    assert_eq!(errors.len(), 2, "{}", render(&errors));
    let hints: Vec<&str> = errors.iter().filter_map(|e| e.hint.as_deref()).collect();
    assert!(
        hints[0].starts_with("nothing on this site is under `/job-library/`"),
        "{hints:?}"
    );
    assert!(
        hints[1].contains("tips/ask.md"),
        "a typo in a real folder is still guessed: {hints:?}"
    );
}

/// Found on Obsidian's help vault: 220 "image has no alt text" warnings buried the few that
/// mattered. Past five they fold into one, as broken links are grouped; `--verbose` lists all.
#[test]
fn many_images_without_alt_text_fold_into_one_warning() {
    let s = Site::new();
    s.write("content/shot.png", "png");
    for i in 0..8 {
        s.article(
            &format!("p{i}.md"),
            &format!("title: P{i}"),
            "![](shot.png)",
        );
    }
    let report = s.build_ok();
    let alt: Vec<String> = report
        .warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.contains("alt text"))
        .collect();
    assert_eq!(alt.len(), 6, "{alt:#?}");
    assert!(
        alt[5].contains("… and 3 more images without alt text, the first at content/p5.md:")
            && alt[5].contains("`--verbose` lists them all"),
        "{alt:#?}"
    );
    let opts = binder::BuildOptions {
        verbose: true,
        ..s.options()
    };
    let all = binder::build::build(&opts, false).expect("builds");
    assert_eq!(
        all.warnings
            .iter()
            .filter(|w| w.message.contains("alt text"))
            .count(),
        8
    );
}

/// Found on GitHub's Open Source Guides (Jekyll, pretty URLs, 40 translations): links are
/// written relative to the page's address. From `best.md` (at `/best/`),
/// `../building/#share` means `/building/#share` (it left `content/` relative to the
/// file); from `ar/legal.md` (at `/ar/legal/`), `../leadership/#قيادة` is the Arabic page,
/// not the English `leadership.md` beside `ar/` that lacks the anchor.
#[test]
fn links_written_relative_to_the_pages_address_resolve_when_the_file_reading_fails() {
    let s = Site::new();
    s.config("[urls]\nkeep_names = true\n");
    s.article("building.md", "title: Building", "## Share\n\nText.");
    s.article("leadership.md", "title: Leadership", "## Lead\n\nText.");
    s.article("ar/leadership.md", "title: القيادة", "## قيادة\n\nنص.");
    s.article(
        "best.md",
        "title: Best",
        "See [sharing](../building/#share).",
    );
    s.article(
        "ar/legal.md",
        "title: Legal",
        "See [lead](../leadership/#قيادة).",
    );
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(
        s.main("best/index.html")
            .contains("href=\"../building/#share\"")
    );
    let legal = s.main("ar/legal/index.html");
    assert!(
        legal.contains("href=\"../../ar/leadership/#%D9%82%D9%8A%D8%A7%D8%AF%D8%A9\""),
        "{legal}"
    );
}

/// The theme's own files are published at the site root too (`/style.css`, `/favicon.svg`),
/// so a link to one resolves instead of being reported broken; a missing one is told where
/// the theme's file of that name is.
#[test]
fn links_to_the_themes_static_files_resolve() {
    let s = Site::new();
    s.article(
        "a.md",
        "title: A",
        "The [stylesheet](/style.css) and ![the mark](/favicon.svg).",
    );
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(s.main("a/index.html").contains("href=\"../style.css\""));
    s.article("b.md", "title: B", "A [typo](/css/style.css).");
    let e = render(&s.build_err());
    assert!(e.contains("`/style.css` (from the theme)"), "{e}");
}
