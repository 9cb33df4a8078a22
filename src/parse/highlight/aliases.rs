//! Fence language names people use (GitHub, GitLab, highlight.js, Pygments, Hugo) that the
//! bundled grammars do not answer to: name in, the token of a grammar that does out.
//!
//! The bundled set already knows most names and file extensions (`sh`, `zsh`, `yml`, `js`,
//! `tsx`, `py`, `rb`, `rs`, `ps1`, `hcl`, `terraform`, `ini`, `diff`, `patch`, …); this table
//! only fills its gaps, so a handbook written for another tool highlights without edits.

/// (name as written, lower case; token the bundled set knows).
const ALIASES: &[(&str, &str)] = &[
    // Terminal sessions and shells
    ("shell", "bash"),
    ("console", "bash"),
    ("terminal", "bash"),
    ("shell-session", "bash"),
    ("shellsession", "bash"),
    ("bash-session", "bash"),
    ("sh-session", "bash"),
    ("pwsh", "powershell"),
    ("posh", "powershell"),
    ("batch", "bat"),
    // Languages under another name
    ("golang", "go"),
    ("csharp", "cs"),
    ("c-sharp", "cs"),
    ("objc", "objective-c"),
    ("fsharp", "fs"),
    ("cuda", "cpp"),
    ("octave", "matlab"),
    ("scheme", "lisp"),
    ("elisp", "lisp"),
    ("emacs-lisp", "lisp"),
    // Data and configuration
    ("json5", "json"),
    ("jsonc", "json"),
    ("docker", "dockerfile"),
    ("containerfile", "dockerfile"),
    ("systemd", "ini"),
    ("editorconfig", "ini"),
    ("gitconfig", "ini"),
    // SQL dialects
    ("tsql", "sql"),
    ("mysql", "sql"),
    ("pgsql", "sql"),
    ("postgres", "sql"),
    ("postgresql", "sql"),
    ("plsql", "sql"),
    ("sqlite", "sql"),
    // Template languages close enough to Jinja
    ("tera", "jinja"),
    ("liquid", "jinja"),
    ("nunjucks", "jinja"),
    ("njk", "jinja"),
    ("ejs", "html"),
];

/// Names that mean "no highlighting, on purpose" (never warned about): plain text, program
/// output, and diagram languages other tools render in the browser.
pub(super) const PLAIN: &[&str] = &[
    "text",
    "plain",
    "plaintext",
    "txt",
    "none",
    "nohighlight",
    "no-highlight",
    "output",
    "mermaid",
    "plantuml",
];

/// The bundled set's token for `name` (any case), if `name` is an alias.
pub(super) fn canonical(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map(|(_, token)| *token)
}

#[cfg(test)]
mod tests {
    use super::super::{FenceOptions, Highlighter};
    use super::*;

    #[test]
    fn every_alias_points_at_a_bundled_grammar() {
        let hl = Highlighter::new();
        let broken: Vec<&str> = ALIASES
            .iter()
            .filter(|(_, token)| hl.find_syntax(token).is_none())
            .map(|(alias, _)| *alias)
            .collect();
        assert!(broken.is_empty(), "aliases to unknown grammars: {broken:?}");
    }

    #[test]
    fn fence_names_people_use_are_highlighted() {
        let hl = Highlighter::new();
        let cases = [
            ("shell", "echo hi"),
            ("console", "$ ls -la"),
            ("sh", "echo hi"),
            ("zsh", "echo hi"),
            ("bash", "echo hi"),
            ("ps1", "Get-Item ."),
            ("powershell", "Get-Item ."),
            ("pwsh", "Get-Item ."),
            ("yml", "a: 1"),
            ("js", "let a = 1;"),
            ("ts", "let a: number = 1;"),
            ("tsx", "const a = <div />;"),
            ("jsx", "const a = <div />;"),
            ("py", "def f(): pass"),
            ("rb", "def f; end"),
            ("golang", "func main() {}"),
            ("rs", "fn main() {}"),
            ("dockerfile", "FROM alpine"),
            ("Dockerfile", "FROM alpine"),
            ("make", "all:\n\techo hi"),
            ("conf", "key value"),
            ("ini", "[a]\nb = 1"),
            ("diff", "-a\n+b"),
            ("patch", "-a\n+b"),
            ("json5", "{a: 1}"),
            ("jsonc", "{\"a\": 1}"),
            ("hcl", "a = 1"),
            ("terraform", "resource \"x\" \"y\" {}"),
            ("csharp", "class A {}"),
            ("postgresql", "SELECT 1;"),
            ("SHELL", "echo hi"),
        ];
        for (name, code) in cases {
            let out = hl.highlight(Some(name), &format!("{code}\n"), &FenceOptions::default());
            assert!(out.known_language, "`{name}` is not known");
            assert!(
                out.html.contains("<span class=\"hl-"),
                "`{name}` is not highlighted: {}",
                out.html
            );
            assert!(
                out.html.contains(&format!("data-lang=\"{name}\"")),
                "`{name}` keeps its name: {}",
                out.html
            );
        }
        for name in ["text", "plaintext", "txt", "TEXT", "output", "mermaid"] {
            let out = hl.highlight(Some(name), "a <b>\n", &FenceOptions::default());
            assert!(out.known_language, "`{name}` is plain on purpose");
            assert!(!out.html.contains("<span class=\"hl-"), "{}", out.html);
        }
    }
}
