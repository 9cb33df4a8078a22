//! Folder conventions of handbooks written for other tools (issue 13): which file describes
//! a folder, bundles, `x.md` beside `x/`, names kept in URLs, redirects from changed URLs.

use crate::support::Site;

#[test]
fn index_md_and_readme_md_describe_their_folder() {
    let s = Site::new();
    s.article("values/index.md", "title: Our values", "What we value.")
        .article("values/trust.md", "title: Trust", "Trust.")
        .article("guides/README.md", "title: Guides", "All guides.")
        .article("guides/deep/one.md", "title: One", "One.");
    s.build_ok();
    let values = s.main("values/index.html");
    assert!(values.contains("Our values") && values.contains("What we value."));
    assert!(values.contains("Trust"), "the section lists its pages");
    assert!(
        s.exists("values/trust/index.html"),
        "pages keep their level"
    );
    assert!(!s.exists("values/index/index.html"));
    assert!(s.main("guides/index.html").contains("All guides."));
    assert!(s.exists("guides/deep/one/index.html"));
}

#[test]
fn a_lone_index_md_is_a_bundle_page_with_its_images() {
    let s = Site::new();
    s.article("tips/ask/index.md", "title: Ask", "![diagram](diagram.png)")
        .write("content/tips/ask/diagram.png", "png")
        .article("tips/other.md", "title: Other", "Other.");
    s.build_ok();
    assert!(s.main("tips/ask/index.html").contains("Ask"));
    assert!(s.exists("tips/ask/diagram.png"));
}

#[test]
fn a_file_beside_its_folder_is_the_folders_page() {
    let s = Site::new();
    s.article("values.md", "title: Values", "Our values, in short.")
        .article("values/trust.md", "title: Trust", "Trust.")
        .article("media.md", "title: Media", "Pictures.")
        .write("content/media/photo.png", "png");
    s.build_ok();
    let values = s.main("values/index.html");
    assert!(values.contains("Our values, in short.") && values.contains("Trust"));
    assert!(
        s.main("media/index.html").contains("Pictures."),
        "an image folder is no section"
    );
    assert!(s.exists("media/photo.png"));

    s.article("values/_index.md", "title: Values again", "");
    let errors = s.build_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains("content/values.md")
            && errors[0].message.contains("content/values/_index.md"),
        "{}",
        errors[0]
    );
}

#[test]
fn links_to_a_folders_describing_file_reach_its_page() {
    let s = Site::new();
    s.article("values.md", "title: Values", "Values.").article(
        "values/trust.md",
        "title: Trust",
        "[up](../values.md)",
    );
    s.build_ok();
    assert!(
        s.main("values/trust/index.html")
            .contains("href=\"../../values/\"")
    );
}

/// Regression (issue 13): `license_troubleshooting/` became `license-troubleshooting/` with
/// no redirect, so every bookmark broke.
#[test]
fn changed_urls_get_a_redirect_and_keep_names_keeps_them() {
    let s = Site::new();
    s.article(
        "support/license_troubleshooting.md",
        "title: Licenses",
        "Help.",
    )
    .article("support/plain.md", "title: Plain", "Plain.");
    s.build_ok();
    assert!(s.exists("support/license-troubleshooting/index.html"));
    let redirect = s.read("support/license_troubleshooting/index.html");
    assert!(
        redirect.contains("\"../../support/license-troubleshooting/\""),
        "{redirect}"
    );

    s.config("[urls]\nkeep_names = true\n");
    s.build_ok();
    assert!(
        s.main("support/license_troubleshooting/index.html")
            .contains("Help.")
    );
    assert!(!s.exists("support/license-troubleshooting/index.html"));
}
