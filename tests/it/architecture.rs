//! The pipeline's shape, held by a test: each stage module imports only the stages that run
//! before it (plus the shared data modules), so data flows one way and a newcomer can read
//! the stages in order.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::repo;

/// Stage modules in the order they run. `write` sits before `render` and `extras` because
/// they render straight into its `Sink` (the interface the write stage offers), never the
/// other way round.
const STAGES: &[&str] = &[
    "config", "load", "parse", "git", "assemble", "glossary", "taxonomy", "resolve", "paths",
    "kinds", "write", "render", "extras",
];

/// Data and helpers every stage may use.
const SHARED: &[&str] = &["model", "diag", "html"];

/// The `crate::x` modules a stage's source (file plus folder, tests left out) refers to.
fn imports(src: &Path, stage: &str) -> BTreeSet<String> {
    let mut text = String::new();
    let file = src.join(format!("{stage}.rs"));
    if let Ok(t) = std::fs::read_to_string(&file) {
        text.push_str(&t);
    }
    let dir = src.join(stage);
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if e.path().extension().is_some_and(|x| x == "rs") {
                let t = std::fs::read_to_string(e.path()).expect("read");
                // Unit tests may reach anywhere; only the stage's own code counts.
                text.push_str(t.split("#[cfg(test)]").next().unwrap_or(""));
            }
        }
    }
    let text = text.split("#[cfg(test)]").collect::<Vec<_>>().join("");
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
        if text[line_start..i].trim_start().starts_with("//") {
            continue;
        }
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if name != stage && !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn no_stage_imports_a_stage_that_runs_after_it() {
    let src = repo().join("src");
    let mut wrong = Vec::new();
    for (i, stage) in STAGES.iter().enumerate() {
        assert!(
            src.join(format!("{stage}.rs")).exists() || src.join(stage).is_dir(),
            "stage module {stage} is gone: update STAGES"
        );
        for dep in imports(&src, stage) {
            let earlier = STAGES[..i].contains(&dep.as_str());
            if !earlier && !SHARED.contains(&dep.as_str()) {
                wrong.push(format!("{stage} imports {dep}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the stage order: {wrong:#?}"
    );
}
