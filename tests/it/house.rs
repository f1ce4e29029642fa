//! The house rules of `src/`, checked on every test run so they cannot quietly erode:
//!
//! - no file over 800 lines, tests included;
//! - no function over 80 lines outside tests (data tables are `const`/`static`, not functions);
//! - no SQL and no `rusqlite` outside `src/store/`;
//! - no label, interaction kind or draft kind/status compared as a string outside the place
//!   that defines its text form: no `x.as_str() == …`, no `== "human_reply"`, no
//!   `"human_reply" =>` match arm.
//!
//! The source is parsed with `syn` (a real Rust parser), so comments, strings and macros
//! cannot fool a line count of braces. The rules about layers, state, time and history are
//! in `house/layers.rs`, the test layout in `house/test_layout.rs`; `cargo test --test it house::` runs every rule.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

mod layers;
mod test_layout;

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 80;

/// The repository's root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, sorted.
fn rs_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn src_files() -> Vec<PathBuf> {
    let out = rs_files(&root().join("src"));
    assert!(out.len() > 50, "found only {} source files", out.len());
    out
}

fn rel(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A file that holds only tests: `tests.rs`, `*_tests.rs`, or anything under a `tests/` folder.
fn is_test_file(rel: &str) -> bool {
    rel.ends_with("/tests.rs") || rel.ends_with("_tests.rs") || rel.contains("/tests/")
}

fn is_store(rel: &str) -> bool {
    rel.starts_with("src/store/") || rel == "src/store.rs"
}

fn has_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || (a.path().is_ident("cfg")
                && a.meta
                    .require_list()
                    .is_ok_and(|l| l.tokens.to_string().contains("test")))
    })
}

fn lines_of<T: Spanned>(t: &T) -> usize {
    let span = t.span();
    span.end().line.saturating_sub(span.start().line) + 1
}

/// The text forms that must only be compared through their enums.
fn enum_names() -> BTreeSet<String> {
    use rapport::core::classify::Label;
    use rapport::core::model::{DraftKind, DraftStatus, InteractionKind};
    let mut names = BTreeSet::new();
    names.extend(Label::ALL.iter().map(|l| l.as_str().to_string()));
    names.extend(InteractionKind::ALL.iter().map(|k| k.as_str().to_string()));
    names.extend(DraftKind::ALL.iter().map(|k| k.as_str().to_string()));
    names.extend(DraftStatus::ALL.iter().map(|k| k.as_str().to_string()));
    // `Intent`'s names (yes, no, later, other) are not here: all four are plain words
    // (a header value "no", a phrase "later") and would give only false alarms; the
    // intent is typed at the store boundary instead.
    // Words that are also plain English in other contexts would give false alarms.
    for common in ["other", "bulk", "bounce", "pending", "sent", "approved"] {
        names.remove(common);
    }
    names
}

struct Finder<'a> {
    file: &'a str,
    names: &'a BTreeSet<String>,
    long_fns: Vec<String>,
    sql: Vec<String>,
    string_compares: Vec<String>,
    in_test: usize,
    /// Inside a `match` that is a table of another vocabulary (see [`is_other_vocabulary`]).
    in_vocabulary: usize,
}

impl Finder<'_> {
    fn at(&self, span: proc_macro2::Span) -> String {
        format!("{}:{}", self.file, span.start().line)
    }

    fn check_fn(&mut self, name: &syn::Ident, node: &impl Spanned) {
        let n = lines_of(node);
        if self.in_test == 0 && n > MAX_FN_LINES {
            self.long_fns
                .push(format!("{} fn {name}: {n} lines", self.at(name.span())));
        }
    }

    fn is_enum_literal(&self, e: &syn::Expr) -> bool {
        matches!(e, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })
            if self.names.contains(&s.value()))
    }
}

fn calls_as_str(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::MethodCall(m) if m.method == "as_str" && m.args.is_empty()
        && !matches!(&*m.receiver, syn::Expr::Path(_) | syn::Expr::MethodCall(_)) )
}

fn looks_like_sql(s: &str) -> bool {
    let t = s.trim_start();
    let first = t.split_whitespace().next().unwrap_or_default();
    let rest = t.to_ascii_uppercase();
    match first {
        "SELECT" => rest.contains(" FROM ") || rest.contains("\nFROM") || rest.contains("EXISTS"),
        "INSERT" | "REPLACE" => rest.contains(" INTO"),
        "UPDATE" => rest.contains(" SET "),
        "DELETE" => rest.contains("FROM"),
        "CREATE" | "DROP" | "ALTER" => rest.contains("TABLE") || rest.contains("INDEX"),
        "PRAGMA" => true,
        _ => false,
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        let test = has_cfg_test(&node.attrs);
        self.in_test += usize::from(test);
        visit::visit_item_mod(self, node);
        self.in_test -= usize::from(test);
    }

    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        let test = has_cfg_test(&node.attrs);
        self.in_test += usize::from(test);
        self.check_fn(&node.sig.ident, node);
        visit::visit_item_fn(self, node);
        self.in_test -= usize::from(test);
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        let test = has_cfg_test(&node.attrs);
        self.in_test += usize::from(test);
        self.check_fn(&node.sig.ident, node);
        visit::visit_impl_item_fn(self, node);
        self.in_test -= usize::from(test);
    }

    fn visit_lit_str(&mut self, node: &'ast syn::LitStr) {
        if self.in_test == 0 && looks_like_sql(&node.value()) {
            self.sql.push(self.at(node.span()));
        }
    }

    fn visit_path(&mut self, node: &'ast syn::Path) {
        if self.in_test == 0 && node.segments.first().is_some_and(|s| s.ident == "rusqlite") {
            self.sql
                .push(format!("{} (rusqlite)", self.at(node.span())));
        }
        visit::visit_path(self, node);
    }

    fn visit_use_tree(&mut self, node: &'ast syn::UseTree) {
        if let syn::UseTree::Path(p) = node
            && self.in_test == 0
            && p.ident == "rusqlite"
        {
            self.sql
                .push(format!("{} (use rusqlite)", self.at(p.ident.span())));
        }
        visit::visit_use_tree(self, node);
    }

    fn visit_expr_binary(&mut self, node: &'ast syn::ExprBinary) {
        if self.in_test == 0 && matches!(node.op, syn::BinOp::Eq(_) | syn::BinOp::Ne(_)) {
            let (l, r) = (&*node.left, &*node.right);
            if self.is_enum_literal(l)
                || self.is_enum_literal(r)
                || calls_as_str(l) && calls_as_str(r)
            {
                self.string_compares.push(self.at(node.span()));
            }
        }
        visit::visit_expr_binary(self, node);
    }

    fn visit_expr_match(&mut self, node: &'ast syn::ExprMatch) {
        // A lookup table of another vocabulary (CSV header names, header values) may hold a
        // word that merely equals a label's or kind's text, like the header "note": that is
        // not a label compared as a string. Its arms are still visited for nested matches.
        let table = is_other_vocabulary(node, self.names);
        self.in_vocabulary += usize::from(table);
        visit::visit_expr_match(self, node);
        self.in_vocabulary -= usize::from(table);
    }

    fn visit_arm(&mut self, node: &'ast syn::Arm) {
        if self.in_test == 0
            && self.in_vocabulary == 0
            && pat_has_enum_literal(&node.pat, self.names)
        {
            self.string_compares
                .push(format!("{} (match arm)", self.at(node.pat.span())));
        }
        visit::visit_arm(self, node);
    }
}

fn pat_str_literals(p: &syn::Pat, out: &mut Vec<String>) {
    match p {
        syn::Pat::Lit(syn::PatLit {
            lit: syn::Lit::Str(s),
            ..
        }) => out.push(s.value()),
        syn::Pat::Or(o) => o.cases.iter().for_each(|c| pat_str_literals(c, out)),
        _ => {}
    }
}

/// A `match` whose string patterns are a table of some other vocabulary: at least
/// [`VOCABULARY_MIN`] of them, and at most one in ten a label's or kind's text. A match on
/// labels has mostly label names, so it is still caught.
fn is_other_vocabulary(m: &syn::ExprMatch, names: &BTreeSet<String>) -> bool {
    let mut words = Vec::new();
    for arm in &m.arms {
        pat_str_literals(&arm.pat, &mut words);
    }
    let hits = words.iter().filter(|w| names.contains(*w)).count();
    words.len() >= VOCABULARY_MIN && hits * 10 <= words.len()
}

const VOCABULARY_MIN: usize = 10;

fn pat_has_enum_literal(p: &syn::Pat, names: &BTreeSet<String>) -> bool {
    match p {
        syn::Pat::Lit(syn::PatLit {
            lit: syn::Lit::Str(s),
            ..
        }) => names.contains(&s.value()),
        syn::Pat::Or(o) => o.cases.iter().any(|c| pat_has_enum_literal(c, names)),
        syn::Pat::Tuple(t) => t.elems.iter().any(|c| pat_has_enum_literal(c, names)),
        _ => false,
    }
}

/// Where a text form is defined and parsed, comparing it as a string is the point.
const STRING_FORM_HOMES: &[&str] = &["src/core/model.rs", "src/core/classify/mod.rs"];

struct Report {
    long_files: Vec<String>,
    long_fns: Vec<String>,
    sql: Vec<String>,
    string_compares: Vec<String>,
}

fn scan() -> Report {
    let names = enum_names();
    let mut report = Report {
        long_files: Vec::new(),
        long_fns: Vec::new(),
        sql: Vec::new(),
        string_compares: Vec::new(),
    };
    for path in src_files() {
        let file = rel(&path);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            report.long_files.push(format!("{file}: {lines} lines"));
        }
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut f = Finder {
            file: &file,
            names: &names,
            long_fns: Vec::new(),
            sql: Vec::new(),
            string_compares: Vec::new(),
            in_test: usize::from(is_test_file(&file)),
            in_vocabulary: 0,
        };
        f.visit_file(&ast);
        report.long_fns.extend(f.long_fns);
        if !is_store(&file) {
            report.sql.extend(f.sql);
        }
        if !STRING_FORM_HOMES.contains(&file.as_str()) {
            report.string_compares.extend(f.string_compares);
        }
    }
    report
}

fn assert_none(what: &str, found: &[String]) {
    assert!(found.is_empty(), "{what}:\n  {}", found.join("\n  "));
}

#[test]
fn no_source_file_over_800_lines() {
    assert_none("files over 800 lines", &scan().long_files);
}

#[test]
fn no_function_over_80_lines_outside_tests() {
    assert_none("functions over 80 lines", &scan().long_fns);
}

#[test]
fn no_sql_outside_the_store() {
    assert_none("SQL or rusqlite outside src/store/", &scan().sql);
}

#[test]
fn no_label_or_kind_compared_as_a_string() {
    assert_none(
        "labels or kinds compared as strings",
        &scan().string_compares,
    );
}

/// The checker itself: each rule must fire on a file that breaks it.
#[test]
fn the_checks_catch_what_they_guard() {
    let names = enum_names();
    let long_body = "    let _x = 1;\n".repeat(MAX_FN_LINES + 1);
    let text = format!(
        "fn long() {{\n{long_body}}}\n\
         fn sql() {{ let _q = \"SELECT id FROM contacts\"; }}\n\
         fn cmp(k: &str) -> bool {{ k == \"human_reply\" }}\n\
         fn arm(k: &str) -> u8 {{ match k {{ \"thank_you\" => 1, _ => 0 }} }}\n\
         fn headers(h: &str) -> u8 {{ match h {{ \"name\" | \"email\" | \"company\" | \"role\" \
           | \"title\" | \"url\" | \"tags\" | \"tier\" | \"notes\" | \"note\" => 1, _ => 0 }} }}\n\
         fn labels(k: &str) -> u8 {{ match k {{ \"human_reply\" | \"auto_reply\" | \"a\" | \"b\" \
           | \"c\" | \"d\" | \"e\" | \"f\" | \"g\" | \"h\" => 1, _ => 0 }} }}\n\
         #[cfg(test)] mod tests {{ fn long_test() {{\n{long_body}}} }}\n"
    );
    let ast = syn::parse_file(&text).expect("the sample parses");
    let mut f = Finder {
        file: "sample.rs",
        names: &names,
        long_fns: Vec::new(),
        sql: Vec::new(),
        string_compares: Vec::new(),
        in_test: 0,
        in_vocabulary: 0,
    };
    f.visit_file(&ast);
    assert_eq!(f.long_fns.len(), 1, "{:?}", f.long_fns);
    assert!(f.long_fns[0].contains("fn long:"), "{:?}", f.long_fns);
    assert_eq!(
        f.sql,
        ["sample.rs:".to_string() + &(MAX_FN_LINES + 4).to_string()]
    );
    assert_eq!(f.string_compares.len(), 3, "{:?}", f.string_compares);
    assert!(names.contains("human_reply") && names.contains("thank_you"));
    assert!(
        names.contains("note"),
        "the header table sample needs a kind's text"
    );
}

/// The release build keeps unwinding: the classifier catches mail-parser's panics and
/// the daemon its turns' (`catch_unwind`), which `panic = "abort"` would turn into a
/// dead process. LTO and one codegen unit must never come with it.
#[test]
fn the_release_profile_unwinds() {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let release = manifest
        .split("[profile.release]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [profile.release] section");
    assert!(
        release.lines().any(|l| l.trim() == "panic = \"unwind\""),
        "[profile.release] must say panic = \"unwind\":\n{release}"
    );
    assert!(
        !manifest.contains("\"abort\""),
        "no profile aborts on panic"
    );
}
