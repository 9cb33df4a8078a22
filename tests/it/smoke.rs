//! Smoke test: the sample handbook builds with zero warnings and has the promised shape.
//! The only test that depends on `content/`; every other test has its own fixture.

use crate::support::{copy_dir, repo};

#[test]
fn the_sample_handbook_builds_without_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    for d in ["content", "themes"] {
        copy_dir(&repo().join(d), &dir.path().join(d));
    }
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).expect("copy config");
    let opts = binder::BuildOptions {
        root: dir.path().to_owned(),
        ..Default::default()
    };
    let report = match binder::build::build(&opts, true) {
        Ok(r) => r,
        Err(e) => panic!("{}", crate::support::render(&e.diagnostics)),
    };
    assert!(
        report.warnings.is_empty(),
        "{}",
        crate::support::render(&report.warnings)
    );
    let out = dir.path().join("public");
    for page in [
        "index.html",
        "principles/index.html",
        "pair-blog/index.html",
        "tips/index.html",
        "tips/ask-for-clarity/index.html",
        "concepts/trust/index.html",
        "404.html",
    ] {
        assert!(out.join(page).exists(), "{page}");
    }
    let principles = std::fs::read_dir(out.join("principles"))
        .expect("ls")
        .count();
    assert!(principles >= 5, "at least four principles plus the listing");
}
