//! The generator: a seeded random number source and one random edit of the fixture, drawn
//! from every kind of change an author makes (the edits themselves are in [`super::edits`]
//! and [`super::paths`]).

use std::path::Path;

use super::edits::{
    Done, append, config_edit, content, embed_edit, freshness_edit, glossary_edit, kind_edit,
    section_file_edit, set_field, summary_edit,
};
use super::fixture::{ARTICLES, CONCEPTS, LINKS, TEMPLATE, added, reading_paths};
use super::paths::path_edit;

/// A small seeded generator (SplitMix64): the same seed makes the same edits.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    pub(super) fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Each of `items` with probability 1/`n`, in order.
    pub(super) fn some_of<T: Copy>(&mut self, items: &[T], n: usize) -> Vec<T> {
        items.iter().copied().filter(|_| self.one_in(n)).collect()
    }
}

/// One random edit of the site at `root`; returns what it did and the touched paths.
pub(super) fn random_edit(rng: &mut Rng, root: &Path, n: usize) -> Done {
    let added = added(root);
    let at = |rel: &str| root.join("content").join(rel);
    let mut articles: Vec<String> = ARTICLES.iter().map(|s| (*s).to_owned()).collect();
    articles.extend(added.iter().cloned());
    articles.retain(|a| at(a).exists());
    articles.extend(reading_paths(root));
    let article = rng.pick(&articles).clone();
    let titles = [
        "Listen well",
        "Ask for clarity",
        "Quiet minds",
        "Zeta",
        "Alpha",
    ];
    match rng.below(28) {
        0 | 1 => {
            let link = match rng.below(3) {
                0 => format!(" See [[{}]].", rng.pick(LINKS)),
                _ => String::new(),
            };
            append(
                &at(&article),
                &format!("\nParagraph {n}, about {}.{link}\n", rng.pick(CONCEPTS)),
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
            let v = format!("[{}]", rng.some_of(CONCEPTS, 3).join(", "));
            set_field(&at(&article), "concepts", Some(&v));
            (
                format!("concepts of {article} → {v}"),
                vec![content(&article)],
            )
        }
        4 => {
            let (rel, value) = *rng.pick(&[("pair-blog/a.md", "b.md"), ("pair-blog/b.md", "a.md")]);
            let value = rng.one_in(2).then_some(value);
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
        6 | 7 => glossary_edit(rng, root, n),
        8 => {
            let rel = *rng.pick(&[
                "tips/_index.md",
                "principles/_index.md",
                "paths/_index.md",
                "_index.md",
            ]);
            if !at(rel).exists() {
                std::fs::write(at(rel), "---\ntitle: Again\n---\n").expect("write");
            }
            match rng.below(4) {
                0 => set_field(
                    &at(rel),
                    "paginate_by",
                    Some(&(1 + rng.below(3)).to_string()),
                ),
                1 => set_field(&at(rel), "title", Some(&format!("Section {n}"))),
                2 => {
                    let v = *rng.pick(&["date", "title", "weight", "series"]);
                    set_field(&at(rel), "sort_by", Some(v));
                }
                _ => append(&at(rel), &format!("\nMore words {n}.\n")),
            }
            (format!("section {rel}"), vec![content(rel)])
        }
        9 => {
            let rel = TEMPLATE;
            let p = root.join(rel);
            let text = std::fs::read_to_string(&p).expect("read");
            let marker = "{% block content %}";
            assert!(text.contains(marker), "{rel} has no `{marker}`");
            std::fs::write(
                &p,
                text.replacen(marker, &format!("{marker}<!-- {n} -->"), 1),
            )
            .expect("write");
            ("template 404.html".to_owned(), vec![rel.to_owned()])
        }
        10 => {
            let rel = format!("static/note-{}.txt", rng.below(3));
            let p = root.join(&rel);
            if p.exists() && rng.one_in(2) {
                std::fs::remove_file(&p).expect("delete");
            } else {
                std::fs::create_dir_all(root.join("static")).expect("mkdir");
                std::fs::write(&p, format!("note {n}")).expect("write");
            }
            (format!("static {rel}"), vec![rel])
        }
        11 => {
            let rel = format!("{}/new-{n}.md", rng.pick(&["tips", "principles"]));
            let fm = format!(
                "---\ntitle: New {n}\ndate: 2024-0{}-01\nconcepts: [{}]\n---\nFresh, see [[{}]].\n",
                1 + rng.below(9),
                rng.pick(CONCEPTS),
                rng.pick(&["listen", "ask", "trust"]),
            );
            std::fs::write(at(&rel), fm).expect("write");
            (format!("add {rel}"), vec![content(&rel)])
        }
        12 if !added.is_empty() => {
            let rel = rng.pick(&added).clone();
            if rng.one_in(2) {
                std::fs::remove_file(at(&rel)).expect("delete");
                (format!("delete {rel}"), vec![content(&rel)])
            } else {
                let to = rel.replace(".md", "-moved.md");
                std::fs::rename(at(&rel), at(&to)).expect("rename");
                (
                    format!("rename {rel} → {to}"),
                    vec![content(&rel), content(&to)],
                )
            }
        }
        13..=15 => path_edit(rng, root, n),
        16 => kind_edit(rng, root, n),
        17 => config_edit(rng, root, n),
        18 => freshness_edit(rng, root, &article),
        19 => embed_edit(rng, root, &article),
        20 => {
            append(
                &at(&article),
                &format!("\n## Part {n}\n\nPart {n}, in detail.\n"),
            );
            (format!("heading in {article}"), vec![content(&article)])
        }
        21 => section_file_edit(rng, root, n),
        22 => {
            // The note `open.md` embeds: its body shows on the embedding page.
            append(&at("tips/close.md"), &format!("\nClosing words {n}.\n"));
            (
                "body of the embedded tips/close.md".to_owned(),
                vec![content("tips/close.md")],
            )
        }
        23 => summary_edit(rng, root, &article, n),
        24 => {
            // Old URLs that redirect here, or a slug of its own (a new URL).
            let what = if rng.one_in(2) {
                let v = format!("[/old/{n}/]");
                let v = (!rng.one_in(3)).then_some(v.as_str());
                set_field(&at(&article), "aliases", v);
                format!("aliases of {article} → {v:?}")
            } else {
                let v = format!("slug-{}", rng.below(3));
                let v = (!rng.one_in(2)).then_some(v.as_str());
                set_field(&at(&article), "slug", v);
                format!("slug of {article} → {v:?}")
            };
            (what, vec![content(&article)])
        }
        _ => {
            let v = rng.one_in(2).then_some("true");
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
