//! The randomized differential test: seeded edit sequences over a handbook fixture (bodies,
//! titles, concepts, pairs, series, glossary entries with synonyms and a hierarchy, reading
//! paths, content kinds, owners and review dates, embeds, section indexes, a template, static
//! files, files added, deleted and renamed), and after every step the served files must be a
//! fresh full build's, byte for byte (or both must fail).
//!
//! [`fixture`] is the handbook and its settings, [`generate`] the seeded generator that picks
//! one of the edits in [`edits`] and [`paths`]; this module runs the sequences, compares, and
//! undoes edits that broke the build.

mod edits;
mod fixture;
mod generate;
mod paths;

use std::collections::BTreeMap;
use std::path::Path;

use super::{Served, full_build, render};
use fixture::{TEMPLATE, handbook_site};
use generate::{Rng, random_edit};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |s| {
        s.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number"))
    })
}

/// File contents by path relative to the site root.
type Files = BTreeMap<String, Vec<u8>>;

/// The files edits touch (content, static files, site.toml, the 404 template), by path
/// relative to the site root: what an undo restores from.
fn snapshot(root: &Path) -> Files {
    fn walk(root: &Path, dir: &Path, out: &mut Files) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let (Ok(rel), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(&path)) {
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &root.join("content"), &mut out);
    walk(root, &root.join("static"), &mut out);
    for rel in ["site.toml", TEMPLATE] {
        if let Ok(bytes) = std::fs::read(root.join(rel)) {
            out.insert(rel.to_owned(), bytes);
        }
    }
    out
}

/// Puts `paths` back as they were in `before` (written again, or deleted if they were not
/// there), as an author undoing an edit that broke the build would.
fn undo(root: &Path, before: &Files, paths: &[String]) {
    for rel in paths {
        let path = root.join(rel);
        match before.get(rel) {
            Some(bytes) => std::fs::write(&path, bytes).expect("restore"),
            None if path.exists() => std::fs::remove_file(&path).expect("remove"),
            None => {}
        }
    }
}

/// One seeded sequence of `steps` edits; panics (naming the seed and the steps) at the
/// first difference. An edit that breaks the build is usually undone by the next step (so
/// most steps compare a working site), sometimes followed by more edits first. Returns how
/// many steps built (and were compared) and how many failed both ways.
fn run_sequence(seed: u64, steps: usize) -> (usize, usize) {
    let mut counts = (0, 0);
    let s = handbook_site();
    let mut served = Served::start(&s);
    let root = served.root().to_owned();
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    // The edits that broke the build, newest last, with the files as they were before.
    let mut breaking: Vec<(Files, Vec<String>)> = Vec::new();
    for step in 0..steps {
        let before = snapshot(&root);
        let (what, paths) = match breaking.last() {
            Some(_) if !rng.one_in(4) => {
                let (old, paths) = breaking.pop().expect("an edit to undo");
                undo(&root, &old, &paths);
                (format!("undo {paths:?}"), paths)
            }
            // Now and then two saves land in one batch (a formatter, a search and replace).
            _ if rng.one_in(5) => {
                let (a, mut paths) = random_edit(&mut rng, &root, step);
                let (b, more) = random_edit(&mut rng, &root, step + 100);
                paths.extend(more);
                paths.sort();
                paths.dedup();
                (format!("{{{a}, with {b}}}"), paths)
            }
            _ => random_edit(&mut rng, &root, step),
        };
        log.push(what);
        let label = format!(
            "seed {seed} (rerun with BINDER_DIFF_SEED={seed}), steps: {}",
            log.join("; ")
        );
        let served_ok = served.try_apply(&paths.iter().map(String::as_str).collect::<Vec<_>>());
        match (served_ok, full_build(&served.opts)) {
            (Ok(()), Ok(full)) => {
                served.assert_served(&full, &label);
                counts.0 += 1;
                breaking.clear();
            }
            (Err(e), Err(_)) => {
                if std::env::var_os("BINDER_DIFF_VERBOSE").is_some() {
                    eprintln!("{label}: both fail:\n{}", render(&e));
                }
                counts.1 += 1;
                if !log.last().is_some_and(|w| w.starts_with("undo ")) {
                    breaking.push((before, paths));
                }
            }
            (Ok(()), Err(e)) => panic!("{label}: served, but a full build fails:\n{}", render(&e)),
            (Err(e), Ok(_)) => {
                panic!("{label}: a full build works, serve failed:\n{}", render(&e))
            }
        }
    }
    counts
}

/// Random edit sequences: after every step the served files equal a fresh full build (or
/// both fail). `BINDER_DIFF_SEED=<n>` replays one sequence; `BINDER_DIFF_SEQUENCES` sets how
/// many run (default 300), from `BINDER_DIFF_FIRST` (default 1); `BINDER_DIFF_STEPS` sets
/// the steps of each (default 10); `BINDER_DIFF_KEEP_GOING=1` runs every sequence and lists
/// the failing seeds at the end.
#[test]
fn random_edit_sequences_serve_what_a_full_build_writes() {
    let (first, count) = match std::env::var("BINDER_DIFF_SEED") {
        Ok(s) => (s.parse().expect("BINDER_DIFF_SEED is a number"), 1),
        Err(_) => (
            env_number("BINDER_DIFF_FIRST", 1),
            env_number("BINDER_DIFF_SEQUENCES", 300),
        ),
    };
    let steps = env_number("BINDER_DIFF_STEPS", 10) as usize;
    let keep_going = std::env::var_os("BINDER_DIFF_KEEP_GOING").is_some();
    let (mut compared, mut broken, mut failed) = (0, 0, Vec::new());
    for seed in first..first + count {
        if !keep_going {
            let (c, b) = run_sequence(seed, steps);
            (compared, broken) = (compared + c, broken + b);
            continue;
        }
        match std::panic::catch_unwind(|| run_sequence(seed, steps)) {
            Ok((c, b)) => (compared, broken) = (compared + c, broken + b),
            Err(_) => failed.push(seed),
        }
    }
    eprintln!("{count} sequences: {compared} steps compared, {broken} failed in both builds");
    assert!(
        failed.is_empty(),
        "{} sequences failed: seeds {failed:?}",
        failed.len()
    );
}

/// The fixture builds, and the edits the generator makes reach what they are meant to: a
/// synonym lands on its concept, the path shows on its articles, the embed is spliced in, a
/// principle shows its kind.
#[test]
fn the_differential_fixture_uses_glossary_paths_kinds_and_embeds() {
    let s = handbook_site();
    s.build_ok();
    let close = s.main("tips/close/index.html");
    assert!(close.contains("concepts/questions/"), "{close}");
    assert!(close.contains("concepts/listening/"), "{close}");
    let listen = s.main("tips/listen/index.html");
    assert!(
        listen.contains("Part 2 of 3 of the reading path"),
        "{listen}"
    );
    let open = s.main("tips/open/index.html");
    assert!(open.contains("End with one next step."), "{open}");
    let principle = s.main("principles/trust/index.html");
    assert!(
        principle.contains("badge-kind kind-principle"),
        "{principle}"
    );
}
