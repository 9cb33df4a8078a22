//! Theme names in, a highlighting stylesheet out: light rules first, dark rules inside
//! `@media screen and (prefers-color-scheme: dark)` (light rules in their own `@media print, (prefers-color-scheme: light)`), all keyed on the `hl-` classes the highlighter emits.

use std::fmt::Write as _;

use syntect::highlighting::{Color, Theme};
use syntect::html::css_for_theme_with_class_style;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

use super::{CLASS_STYLE, HighlightError};

/// Names of every bundled theme, as accepted by [`stylesheet`].
pub(super) fn theme_names() -> Vec<&'static str> {
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|name| name.as_name())
        .collect()
}

/// Builds the complete stylesheet for a light and a dark theme.
pub(super) fn stylesheet(light: &str, dark: &str) -> Result<String, HighlightError> {
    // Deserialising the theme index is cheap and this runs once per build, so no cache.
    let themes = two_face::theme::extra();
    let light_css = theme_css(themes.get(find_theme(light)?), light)?;
    let dark_css = theme_css(themes.get(find_theme(dark)?), dark)?;
    // Each scheme lives in its own media block: if the light rules were unconditional, a longer
    // light selector (`.hl-storage.hl-type`) would beat a shorter dark one and put light-theme
    // colours on a dark background. Print always uses the light theme.
    let mut css = String::from("@media print, (prefers-color-scheme: light) {\n");
    css.push_str(&light_css);
    css.push_str("}\n\n@media screen and (prefers-color-scheme: dark) {\n");
    css.push_str(&dark_css);
    css.push_str("}\n");
    Ok(css)
}

/// Exact name first, then case-insensitively, so `nord` and `Nord` both work.
fn find_theme(name: &str) -> Result<EmbeddedThemeName, HighlightError> {
    let all = EmbeddedLazyThemeSet::theme_names();
    all.iter()
        .find(|theme| theme.as_name() == name)
        .or_else(|| {
            all.iter()
                .find(|theme| theme.as_name().eq_ignore_ascii_case(name))
        })
        .copied()
        .ok_or_else(|| HighlightError::UnknownTheme {
            name: name.to_string(),
            available: theme_names().join(", "),
        })
}

/// Token rules from syntect plus the block-level colours syntect does not know about
/// (`pre.code`, emphasised lines, the line-number gutter), taken from the theme's settings.
fn theme_css(theme: &Theme, name: &str) -> Result<String, HighlightError> {
    let mut css = css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|source| {
        HighlightError::Css {
            theme: name.to_string(),
            source,
        }
    })?;
    let settings = &theme.settings;
    push_rule(
        &mut css,
        "pre.code",
        &[
            ("color", settings.foreground),
            ("background-color", settings.background),
        ],
    );
    push_rule(
        &mut css,
        "pre.code .line.hl",
        &[(
            "background-color",
            softened_highlight(settings.line_highlight, settings.background),
        )],
    );
    push_rule(
        &mut css,
        "pre.code .ln",
        &[("color", settings.gutter_foreground)],
    );
    Ok(css)
}

fn push_rule(css: &mut String, selector: &str, declarations: &[(&str, Option<Color>)]) {
    let present: Vec<_> = declarations
        .iter()
        .filter_map(|(property, color)| color.map(|color| (property, color)))
        .collect();
    if present.is_empty() {
        return;
    }
    let _ = writeln!(css, "{selector} {{");
    for (property, color) in present {
        let _ = writeln!(css, " {property}: {};", hex(color));
    }
    css.push_str("}\n");
}

/// Half-way between the theme's line highlight and its background: themes pick highlight
/// colours for editors, where they sit under a cursor line, and some (Coldark) push token
/// contrast just under WCAG AA. The theme also marks highlighted lines with a border.
fn softened_highlight(highlight: Option<Color>, background: Option<Color>) -> Option<Color> {
    let (h, b) = (highlight?, background.unwrap_or(Color::WHITE));
    let mix = |x: u8, y: u8| ((u16::from(x) + u16::from(y)) / 2) as u8;
    Some(Color {
        r: mix(h.r, b.r),
        g: mix(h.g, b.g),
        b: mix(h.b, b.b),
        a: h.a,
    })
}

fn hex(color: Color) -> String {
    if color.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", color.r, color.g, color.b)
    } else {
        format!(
            "#{:02x}{:02x}{:02x}{:02x}",
            color.r, color.g, color.b, color.a
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_has_light_rules_then_dark_media_query() {
        let css = stylesheet("InspiredGitHub", "Nord").expect("both themes exist");
        let media = css
            .find("@media screen and (prefers-color-scheme: dark) {")
            .expect("dark media query");
        let light = &css[..media];
        assert!(light.starts_with("@media print, (prefers-color-scheme: light) {"));
        let dark = &css[media..];
        assert!(light.contains(".hl-comment"), "{light}");
        assert!(light.contains("pre.code {"));
        assert!(dark.contains(".hl-comment"));
        assert!(dark.contains("pre.code {"));
        assert!(css.trim_end().ends_with('}'));
    }

    #[test]
    fn theme_names_are_matched_case_insensitively() {
        assert!(stylesheet("nord", "DRACULA").is_ok());
    }

    #[test]
    fn unknown_theme_lists_available_names() {
        let err = stylesheet("Nord", "Solarised").expect_err("misspelt theme");
        let message = err.to_string();
        assert!(message.contains("Solarised"), "{message}");
        assert!(message.contains("Solarized (dark)"), "{message}");
        assert!(message.contains("Nord"), "{message}");
    }

    #[test]
    fn theme_names_include_bundled_themes() {
        let names = theme_names();
        assert!(names.contains(&"Nord"));
        assert!(names.contains(&"InspiredGitHub"));
    }
}
