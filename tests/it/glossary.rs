//! The concept glossary: synonyms in front matter, parent/children/see-also on term pages and
//! the concept index, and the three glossary errors naming both files.

use crate::support::Site;

fn entry(s: &Site, slug: &str, fm: &str, body: &str) {
    s.write(
        &format!("content/concepts/{slug}.md"),
        &format!("---\n{fm}\n---\n{body}\n"),
    );
}

fn glossary() -> Site {
    let s = Site::new();
    entry(
        &s,
        "coaching-up",
        "title: Coaching up\naliases: [upward coaching, managing up]\nparent: coaching\nsee_also: [feedback]",
        "Coaching the people above you.",
    );
    entry(
        &s,
        "coaching",
        "title: Coaching\nsee_also: [feedback]",
        "Helping people think.",
    );
    entry(
        &s,
        "feedback",
        "title: Feedback\nparent: coaching",
        "What your actions did.",
    );
    s
}

#[test]
fn a_synonym_in_front_matter_lands_on_the_canonical_term() {
    let s = glossary();
    s.article("a.md", "title: A\nconcepts: [managing up]", "x");
    s.article("b.md", "title: B\nconcepts: [Upward Coaching]", "x");
    s.article("c.md", "title: C\nconcepts: [coaching-up]", "x");
    let r = s.build_ok();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(!s.exists("concepts/managing-up/index.html"));
    assert!(!s.exists("concepts/upward-coaching/index.html"));
    let term = s.main("concepts/coaching-up/index.html");
    for t in ["A", "B", "C"] {
        assert!(term.contains(&format!(">{t}</a>")), "{t} listed: {term}");
    }
    assert!(term.contains("3 articles"), "{term}");
    let page = s.main("a/index.html");
    assert!(
        page.contains(">Coaching up</a>"),
        "chip shows the canonical name: {page}"
    );
}

#[test]
fn term_pages_show_synonyms_parent_children_and_see_also() {
    let s = glossary();
    s.article(
        "a.md",
        "title: A\nconcepts: [coaching-up, feedback, coaching]",
        "x",
    );
    s.build_ok();
    let up = s.main("concepts/coaching-up/index.html");
    assert!(
        up.contains("<dt>Also called</dt><dd>upward coaching, managing up</dd>"),
        "{up}"
    );
    assert!(
        up.contains(r#"<dt>Part of</dt><dd><a href="../../concepts/coaching/">Coaching</a></dd>"#),
        "{up}"
    );
    assert!(up.contains(r#"<dt>See also</dt><dd><ul class="chips"><li><a class="chip" href="../../concepts/feedback/">Feedback</a></li></ul>"#), "{up}");
    let coaching = s.main("concepts/coaching/index.html");
    assert!(
        coaching.contains(r#"<dt>Narrower</dt><dd><ul class="chips"><li><a class="chip" href="../../concepts/coaching-up/">Coaching up</a></li><li><a class="chip" href="../../concepts/feedback/">Feedback</a></li></ul>"#),
        "{coaching}"
    );
    assert!(!coaching.contains("Part of"), "{coaching}");
}

#[test]
fn the_concept_index_shows_the_hierarchy() {
    let s = glossary();
    s.article("a.md", "title: A\nconcepts: [coaching-up]", "x");
    s.build_ok();
    let index = s.main("concepts/index.html");
    let tree = &index[index.find("class=\"term-tree\"").expect("hierarchy shown")..];
    let coaching = tree.find(">Coaching</a>").expect("root");
    let up = tree.find(">Coaching up</a>").expect("child");
    let feedback = tree.find(">Feedback</a>").expect("child");
    assert!(coaching < up && up < feedback, "{tree}");
    assert!(
        tree[coaching..up].contains("<ul>"),
        "children nest under the root: {tree}"
    );
}

#[test]
fn a_flat_glossary_shows_no_hierarchy() {
    let s = Site::new();
    entry(&s, "trust", "title: Trust", "Doing what you said.");
    s.article("a.md", "title: A\nconcepts: [trust]", "x");
    s.build_ok();
    assert!(!s.main("concepts/index.html").contains("term-tree"));
}

#[test]
fn a_parent_cycle_names_both_files() {
    let s = Site::new();
    entry(&s, "a", "title: A\nparent: b", "x");
    entry(&s, "b", "title: B\nparent: a", "x");
    let e = s.build_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        e[0].to_string(),
        "content/concepts/a.md:3:1: parent cycle: a → b → a (in content/concepts/a.md and content/concepts/b.md)"
    );
}

#[test]
fn a_dangling_see_also_is_located_with_a_suggestion() {
    let s = Site::new();
    entry(&s, "trust", "title: Trust\nsee_also: [feedbak]", "x");
    entry(&s, "feedback", "title: Feedback", "x");
    let e = s.build_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        e[0].to_string(),
        "content/concepts/trust.md:3:1: see_also: `feedbak` is not a concept (no content/concepts/feedbak.md and no synonym)"
    );
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `feedback`?"));
}

#[test]
fn a_synonym_claimed_by_two_concepts_names_both_files() {
    let s = Site::new();
    entry(
        &s,
        "coaching-up",
        "title: Coaching up\naliases: [managing up]",
        "x",
    );
    entry(
        &s,
        "stakeholders",
        "title: Stakeholders\naliases: [Managing Up]",
        "x",
    );
    let e = s.build_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        e[0].to_string(),
        "content/concepts/stakeholders.md:3:1: the synonym `Managing Up` is claimed by two concepts: content/concepts/coaching-up.md and content/concepts/stakeholders.md"
    );
}

#[test]
fn a_synonym_that_is_another_concept_is_an_error() {
    let s = Site::new();
    entry(&s, "trust", "title: Trust\naliases: [safety]", "x");
    entry(&s, "safety", "title: Safety", "x");
    let e = s.build_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].message.contains(
            "the synonym `safety` is itself a concept, defined in content/concepts/safety.md"
        ),
        "{}",
        e[0].message
    );
}

#[test]
fn a_wikilink_to_a_synonym_resolves_to_the_term_page() {
    let s = glossary();
    s.article(
        "a.md",
        "title: A\nconcepts: [coaching-up]",
        "Read [[managing up]], [[Coaching|the big picture]] and [[feedback]].",
    );
    s.build_ok();
    let page = s.main("a/index.html");
    assert!(
        page.contains(r#"<a href="../concepts/coaching-up/">Coaching up</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="../concepts/coaching/">the big picture</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="../concepts/feedback/">Feedback</a>"#),
        "{page}"
    );
}

#[test]
fn an_article_title_still_wins_over_a_concept_of_the_same_name() {
    let s = glossary();
    s.article("feedback-article.md", "title: Feedback", "x");
    s.article("a.md", "title: A", "See [[Feedback]].");
    s.build_ok();
    assert!(
        s.main("a/index.html")
            .contains(r#"<a href="../feedback-article/">Feedback</a>"#)
    );
}
