//! The house rules about how tests are laid out (STYLE.md, "Tests"):
//!
//! - a unit-test module in `src/` is a sibling file (`foo.rs` ends with
//!   `#[cfg(test)] mod tests;`, the tests live in `foo/tests.rs`): no inline
//!   `mod tests { … }` block and no `#[path]` attribute;
//! - every `#[ignore]` in `src/` or `tests/` carries its reason and the command that
//!   runs it (`#[ignore = "… cargo test …"]`);
//! - `missing_docs` is switched off only in the files STYLE.md lists as gaps from
//!   before the lint, so the list can only shrink.
//!
//! Each rule has a self-test on a small sample that breaks it.

use super::{root, rs_files};
use std::fs;

use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

struct Layout<'a> {
    file: &'a str,
    /// Whether the file is under `src/` (where the unit-test layout applies).
    in_src: bool,
    found: Vec<String>,
}

impl Layout<'_> {
    fn at(&self, span: proc_macro2::Span) -> String {
        format!("{}:{}", self.file, span.start().line)
    }

    fn check_ignore(&mut self, attrs: &[syn::Attribute]) {
        for a in attrs.iter().filter(|a| a.path().is_ident("ignore")) {
            let reason = match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => s.value(),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            if !reason.contains("cargo test") {
                let at = self.at(a.span());
                self.found
                    .push(format!("{at}: #[ignore] without the command that runs it"));
            }
        }
    }
}

impl<'ast> Visit<'ast> for Layout<'_> {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        if self.in_src {
            if node.content.is_some() && node.ident == "tests" {
                let at = self.at(node.ident.span());
                self.found.push(format!(
                    "{at}: inline `mod tests {{ … }}` (move it to a sibling tests.rs)"
                ));
            }
            if node.attrs.iter().any(|a| a.path().is_ident("path")) {
                let at = self.at(node.ident.span());
                self.found
                    .push(format!("{at}: #[path] on mod {}", node.ident));
            }
        }
        visit::visit_item_mod(self, node);
    }

    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        self.check_ignore(&node.attrs);
        visit::visit_item_fn(self, node);
    }
}

fn check_source(file: &str, text: &str) -> Vec<String> {
    let Ok(ast) = syn::parse_file(text) else {
        return vec![format!("{file}: does not parse")];
    };
    let mut v = Layout {
        file,
        in_src: file.starts_with("src/"),
        found: Vec::new(),
    };
    v.visit_file(&ast);
    v.found
}

fn scan() -> (usize, Vec<String>) {
    let mut files = rs_files(&root().join("src"));
    files.extend(rs_files(&root().join("tests")));
    let mut found = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(root())
            .unwrap_or(path)
            .display()
            .to_string();
        let text = fs::read_to_string(path).unwrap();
        found.extend(check_source(&rel, &text));
    }
    (files.len(), found)
}

#[test]
fn unit_tests_are_sibling_files_and_every_ignore_says_how_to_run_it() {
    let (files, found) = scan();
    assert!(files > 100, "found only {files} source files");
    assert!(
        found.is_empty(),
        "test layout (STYLE.md, Tests):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_layout_checks_catch_what_they_guard() {
    let sample = "#[cfg(test)]\nmod tests { #[test] #[ignore] fn slow() {} }\n\
                  #[path = \"elsewhere.rs\"]\nmod other;\n\
                  #[test]\n#[ignore = \"slow\"]\nfn slow_too() {}\n\
                  #[test]\n#[ignore = \"slow: cargo test -- --ignored\"]\nfn fine() {}\n";
    let found = check_source("src/sample.rs", sample);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].contains("inline"), "{found:#?}");
    assert!(found.iter().any(|f| f.contains("#[path]")), "{found:#?}");
    assert_eq!(
        found.iter().filter(|f| f.contains("#[ignore]")).count(),
        2,
        "{found:#?}"
    );
    // Outside src/, an inline module is an integration test's business; the ignore rule holds.
    let found = check_source("tests/it/sample.rs", sample);
    assert_eq!(found.len(), 2, "{found:#?}");
}

/// Whether a source file switches `missing_docs` off for itself (an inner
/// `#![allow(missing_docs, …)]`).
fn allows_missing_docs(text: &str) -> bool {
    syn::parse_file(text).is_ok_and(|ast| {
        ast.attrs.iter().any(|a| {
            a.path().is_ident("allow")
                && matches!(a.style, syn::AttrStyle::Inner(_))
                && a.meta
                    .to_token_stream()
                    .to_string()
                    .contains("missing_docs")
        })
    })
}

/// The files STYLE.md lists as documentation gaps (named without `src/`).
fn listed_gaps(style: &str) -> Vec<String> {
    let Some(start) = style.find("**The gaps**") else {
        return Vec::new();
    };
    let para = &style[start..];
    let para = &para[..para.find("\n\n").unwrap_or(para.len())];
    para.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.ends_with(".rs"))
        .map(|s| format!("src/{s}"))
        .collect()
}

fn unlisted_gaps(style: &str, files: &[(String, String)]) -> Vec<String> {
    let listed = listed_gaps(style);
    files
        .iter()
        .filter(|(path, text)| allows_missing_docs(text) && !listed.contains(path))
        .map(|(path, _)| path.clone())
        .collect()
}

#[test]
fn only_the_listed_gaps_switch_missing_docs_off() {
    let paths = rs_files(&root().join("src"));
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(root()).unwrap_or(p).display().to_string();
            (rel, fs::read_to_string(p).unwrap())
        })
        .collect();
    let style = fs::read_to_string(root().join("STYLE.md")).unwrap();
    assert!(
        listed_gaps(&style).len() > 10,
        "STYLE.md's list of gaps was not found"
    );
    let unlisted = unlisted_gaps(&style, &files);
    assert!(
        unlisted.is_empty(),
        "missing_docs allowed in a file STYLE.md does not list as a gap (document its items \
         instead):\n  {}",
        unlisted.join("\n  ")
    );
}

#[test]
fn the_gap_check_catches_a_new_allow() {
    let style = "x\n\n  **The gaps**: … files: `core/a.rs` 3, `store/b.rs` 1.\n\nmore";
    let gap = "//! A.\n\n#![allow(missing_docs, reason = \"gap\")]\n\npub struct A;\n";
    let files = vec![
        ("src/core/a.rs".to_string(), gap.to_string()),
        ("src/core/new.rs".to_string(), gap.to_string()),
        (
            "src/core/fine.rs".to_string(),
            "//! Fine.\n\n/// Doc.\npub struct F;\n".into(),
        ),
    ];
    assert_eq!(unlisted_gaps(style, &files), vec!["src/core/new.rs"]);
}
