//! The house rules about layers, state, time and history, held as tests (STYLE.md):
//!
//! - `core` imports nothing of rapport's outside `core`;
//! - nothing but the drivers (`cli`, `daemon`, `demo`, `main`) imports `cli` or `daemon`;
//! - `core` holds no `static` with interior mutability (a lock, a cell, an atomic, `static
//!   mut`) and never calls `Box::leak`; read-only tables built once (`LazyLock<PhraseSet>`)
//!   are allowed, since they are data compiled in;
//! - the wall clock (`Timestamp::now`, `Zoned::now`, `SystemTime::now`) is read only in
//!   `src/clock.rs` (clippy's `disallowed-methods` holds the same rule at lint time);
//! - a shipped migration never changes (a checksum of each is listed here);
//! - no file of the integration tests is over 800 lines, as in `src/`.
//!
//! Each rule has a self-test on a small sample that breaks it.

use std::fs;
use std::path::{Path, PathBuf};

use super::{root, rs_files};

use sha2::{Digest, Sha256};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The top-level module a file of `src/` belongs to (`src/mail/imap/mod.rs` → `mail`).
fn top_module(rel: &str) -> &str {
    let rest = rel.strip_prefix("src/").unwrap_or(rel);
    let first = rest.split('/').next().unwrap_or(rest);
    first.strip_suffix(".rs").unwrap_or(first)
}

const DRIVERS: &[&str] = &["cli", "daemon", "demo", "main", "lib"];

/// The wall-clock readers that only `src/clock.rs` may call.
const CLOCK_READERS: &[(&str, &str)] = &[
    ("Timestamp", "now"),
    ("Zoned", "now"),
    ("SystemTime", "now"),
];

/// Type names that make a `static` mutable from shared code.
const INTERIOR_MUTABLE: &[&str] = &[
    "Mutex",
    "RwLock",
    "Cell",
    "RefCell",
    "UnsafeCell",
    "OnceCell",
    "AtomicBool",
    "AtomicUsize",
    "AtomicU64",
    "AtomicU32",
    "AtomicI64",
    "AtomicI32",
];

#[derive(Default)]
struct Findings {
    imports: Vec<String>,
    statics: Vec<String>,
    clock: Vec<String>,
}

struct Layers<'a> {
    file: &'a str,
    module: &'a str,
    out: Findings,
}

impl Layers<'_> {
    fn at(&self, span: proc_macro2::Span) -> String {
        format!("{}:{}", self.file, span.start().line)
    }

    /// A path `crate::X…` seen in this file: is X allowed here?
    fn check_crate_path(&mut self, second: &str, span: proc_macro2::Span) {
        let bad = if self.module == "core" {
            second != "core"
        } else {
            !DRIVERS.contains(&self.module) && (second == "cli" || second == "daemon")
        };
        if bad {
            let at = self.at(span);
            self.out
                .imports
                .push(format!("{at}: {} uses crate::{second}", self.module));
        }
    }
}

fn use_tree_crate_targets(tree: &syn::UseTree, out: &mut Vec<(String, proc_macro2::Span)>) {
    match tree {
        syn::UseTree::Path(p) if p.ident == "crate" => match &*p.tree {
            syn::UseTree::Path(q) => out.push((q.ident.to_string(), q.ident.span())),
            syn::UseTree::Name(n) => out.push((n.ident.to_string(), n.ident.span())),
            syn::UseTree::Rename(r) => out.push((r.ident.to_string(), r.ident.span())),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    if let syn::UseTree::Path(q) = t {
                        out.push((q.ident.to_string(), q.ident.span()));
                    } else if let syn::UseTree::Name(n) = t {
                        out.push((n.ident.to_string(), n.ident.span()));
                    }
                }
            }
            syn::UseTree::Glob(_) => out.push(("*".to_string(), p.ident.span())),
        },
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_tree_crate_targets(t, out)),
        _ => {}
    }
}

impl<'ast> Visit<'ast> for Layers<'_> {
    fn visit_item_use(&mut self, node: &'ast syn::ItemUse) {
        let mut targets = Vec::new();
        use_tree_crate_targets(&node.tree, &mut targets);
        for (second, span) in targets {
            self.check_crate_path(&second, span);
        }
        visit::visit_item_use(self, node);
    }

    fn visit_path(&mut self, node: &'ast syn::Path) {
        let segs: Vec<String> = node.segments.iter().map(|s| s.ident.to_string()).collect();
        if segs.len() >= 2 && segs[0] == "crate" {
            self.check_crate_path(&segs[1], node.span());
        }
        if self.file != "src/clock.rs" {
            for w in segs.windows(2) {
                if CLOCK_READERS.contains(&(w[0].as_str(), w[1].as_str())) {
                    let at = self.at(node.span());
                    self.out
                        .clock
                        .push(format!("{at}: {}::{} outside src/clock.rs", w[0], w[1]));
                }
            }
        }
        if self.module == "core" && segs.ends_with(&["Box".to_string(), "leak".to_string()]) {
            let at = self.at(node.span());
            self.out.statics.push(format!("{at}: Box::leak in core"));
        }
        visit::visit_path(self, node);
    }

    fn visit_item_static(&mut self, node: &'ast syn::ItemStatic) {
        if self.module == "core" {
            let ty = quote::ToTokens::to_token_stream(&node.ty).to_string();
            let mutable = matches!(node.mutability, syn::StaticMutability::Mut(_))
                || INTERIOR_MUTABLE
                    .iter()
                    .any(|t| ty.split(|c: char| !c.is_alphanumeric()).any(|w| w == *t));
            if mutable {
                let at = self.at(node.ident.span());
                self.out
                    .statics
                    .push(format!("{at}: static {}: {ty}", node.ident));
            }
        }
        visit::visit_item_static(self, node);
    }
}

fn check_source(file: &str, text: &str) -> Findings {
    let ast = syn::parse_file(text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut v = Layers {
        file,
        module: top_module(file),
        out: Findings::default(),
    };
    v.visit_file(&ast);
    v.out
}

fn scan_src() -> Findings {
    let mut all = Findings::default();
    let files = rs_files(&root().join("src"));
    assert!(files.len() > 50, "found only {} source files", files.len());
    for path in files {
        let file = rel(&path);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let f = check_source(&file, &text);
        all.imports.extend(f.imports);
        all.statics.extend(f.statics);
        all.clock.extend(f.clock);
    }
    all
}

fn assert_none(what: &str, found: &[String]) {
    assert!(found.is_empty(), "{what}:\n  {}", found.join("\n  "));
}

#[test]
fn imports_point_down_the_layers() {
    assert_none(
        "imports against the layers (core imports only core; only the drivers import cli/daemon)",
        &scan_src().imports,
    );
}

#[test]
fn core_holds_no_mutable_global_state() {
    assert_none(
        "mutable statics or leaked memory in core",
        &scan_src().statics,
    );
}

#[test]
fn only_the_clock_reads_the_clock() {
    assert_none("wall-clock reads outside src/clock.rs", &scan_src().clock);
}

#[test]
fn clippy_holds_the_clock_rule_too() {
    let text = fs::read_to_string(root().join("clippy.toml")).expect("clippy.toml");
    for (ty, f) in CLOCK_READERS.iter().filter(|(ty, _)| *ty != "Zoned") {
        assert!(
            text.contains(&format!("::{ty}::{f}\"")),
            "clippy.toml's disallowed-methods misses {ty}::{f}"
        );
    }
}

#[test]
fn the_layer_checks_catch_what_they_guard() {
    let core = check_source(
        "src/core/sample.rs",
        "use crate::store::Store;\n\
         use crate::{core::model, mail};\n\
         static CACHE: std::sync::RwLock<u8> = std::sync::RwLock::new(0);\n\
         static OK: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(Vec::new);\n\
         fn f() -> &'static u8 { let _t = jiff::Timestamp::now(); Box::leak(Box::new(1)) }\n\
         fn g() { let _ = crate::config::load(); }\n",
    );
    assert_eq!(core.imports.len(), 3, "{:?}", core.imports);
    assert_eq!(core.statics.len(), 2, "{:?}", core.statics);
    assert!(core.statics.iter().any(|s| s.contains("CACHE")));
    assert!(!core.statics.iter().any(|s| s.contains("OK")));
    assert_eq!(core.clock.len(), 1, "{:?}", core.clock);

    let edge = check_source(
        "src/mail/sample.rs",
        "use crate::cli::output::outln;\nuse crate::core::plan;\n\
         fn f() { crate::daemon::kick(); let _ = std::time::SystemTime::now(); }\n",
    );
    assert_eq!(edge.imports.len(), 2, "{:?}", edge.imports);
    assert_eq!(edge.clock.len(), 1, "{:?}", edge.clock);

    let driver = check_source(
        "src/cli/sample.rs",
        "use crate::daemon::kick;\nfn f() { let _ = std::time::Instant::now(); }\n",
    );
    assert!(driver.imports.is_empty() && driver.clock.is_empty());
    let clock = check_source(
        "src/clock.rs",
        "fn f() { let _ = jiff::Timestamp::now(); }\n",
    );
    assert!(clock.clock.is_empty());
}

/// Every migration that has shipped, with the SHA-256 of its text. A new migration adds
/// its line here when it ships; an edit to a listed one fails the test.
const SHIPPED_MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_foundation.sql",
        "f67bc38417cf24113035a8e8f6540ba228599173a9616ec0ce358dcee1dc5de2",
    ),
    (
        "0002_mailbox.sql",
        "247c1ecb8bcddc9b4438195a48180193579976af6f037002c3bebe0480bd287d",
    ),
    (
        "0006_action_items.sql",
        "59d4463220521490f15f1503f0ca09e688a6e6c89887b70d2daebd3035f7fe73",
    ),
    (
        "0008_maildir_files.sql",
        "8f450b82def8841db599340715cbe140e8f43a4992c2be13ab43fb209b373efc",
    ),
    (
        "0009_sent_copy.sql",
        "30f4aa416ebd781613c685a62424f544e45d4b496131bd2f563c7bd32e75cb2d",
    ),
    (
        "0010_contacts_autoincrement.sql",
        "d9ea1d15247b1b019fee4c21ea477df89f77d46715d9cfd031f6632de9e1cd87",
    ),
    (
        "0011_listing_indexes.sql",
        "40d72fd9d98b9b48c32e8a5f33930dd2bd4fc45460f14a99ca67844f2852e12a",
    ),
    (
        "0012_headers_only.sql",
        "586d0ce2bfdcae29ce43e842106813ccd582f52fbcc01add034b14bb5506a575",
    ),
    (
        "0013_plan_marks.sql",
        "40852ad26465138e0010a3cd749567e12543bac5d7e6046bb20812742e5b7780",
    ),
    (
        "0014_contact_order.sql",
        "6dab4c7d67dd5400bc065f569003a9cf7d135e4696e4614b253f450ddf2273c4",
    ),
    (
        "0015_sent_ids.sql",
        "619d35c7bb965a185c7b9215e9d6d6ac43015ee3161bb18b6f94c63cee38da41",
    ),
    (
        "0016_plan_marks_counted.sql",
        "b9b71c6be902ec0dff6062ef76dfc0919ddb069cca3299092ae6c642f6b684cf",
    ),
    (
        "0017_drafts_autoincrement.sql",
        "731abe4a4c3fdccde945813a76d5ddf8981eb17be847c603e3d6ef88b4617f56",
    ),
    (
        "0018_arrival.sql",
        "55f7e1bfeab281a2f131049a78b0fe248bf99adc7320c72ed73f601096aab017",
    ),
    (
        "0019_proposal_decisions.sql",
        "5d89367b2f93c43fad55d6bd82b6a48b16a2fc833bee87ab26b828c97bd6db40",
    ),
    (
        "0020_reader_examples.sql",
        "0dc864eb0252ae83b39a871ee0de525aef8a54103bfdab9fff1fdb3536660294",
    ),
    (
        "0021_drafts_read_upto.sql",
        "5aacba4e5a4495397673228be7f67bc7fb4e3602f0ce5f155f97e604f221d18e",
    ),
    (
        "0022_intros.sql",
        "035243682c82efaf8dcbb024a1a340b736e0a339c92b632999c90d2fb82218bd",
    ),
    (
        "0023_calendars.sql",
        "6743a3b2874550d98bce3dbcf70bd594e881282b94809d8c8f549e09f8ec80a9",
    ),
    (
        "0024_accounts.sql",
        "85a023e0b58831879323ac27156c2d850e840a3dfb2a234f491c0f8d5624c104",
    ),
];

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn migration_mismatches(dir: &Path, shipped: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, sum) in shipped {
        match fs::read(dir.join(name)) {
            Ok(bytes) if sha256_hex(&bytes) == *sum => {}
            Ok(bytes) => out.push(format!(
                "{name} changed after it shipped (now {}); write a new migration instead",
                sha256_hex(&bytes)
            )),
            Err(e) => out.push(format!("{name}: {e} (a shipped migration was removed)")),
        }
    }
    let mut files: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sql"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for f in files {
        if !shipped.iter().any(|(n, _)| *n == f) {
            let sum = fs::read(dir.join(&f))
                .map(|b| sha256_hex(&b))
                .unwrap_or_default();
            out.push(format!(
                "{f} is not listed: add (\"{f}\", \"{sum}\") to SHIPPED_MIGRATIONS when it ships"
            ));
        }
    }
    out
}

#[test]
fn shipped_migrations_never_change() {
    let dir = root().join("src/store/migrations");
    assert_none(
        "migrations",
        &migration_mismatches(&dir, SHIPPED_MIGRATIONS),
    );
}

#[test]
fn the_migration_check_catches_an_edit_and_an_unlisted_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("0001_a.sql"),
        "CREATE TABLE a (x INTEGER);\n",
    )
    .expect("write");
    let good = sha256_hex(b"CREATE TABLE a (x INTEGER);\n");
    assert!(migration_mismatches(dir.path(), &[("0001_a.sql", &good)]).is_empty());
    fs::write(
        dir.path().join("0001_a.sql"),
        "CREATE TABLE a (y INTEGER);\n",
    )
    .expect("write");
    fs::write(dir.path().join("0002_b.sql"), "SELECT 1;\n").expect("write");
    let found = migration_mismatches(dir.path(), &[("0001_a.sql", &good)]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("changed") && found[1].contains("not listed"));
}

const MAX_TEST_FILE_LINES: usize = 800;

fn long_files(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|p| {
            let n = fs::read_to_string(p).ok()?.lines().count();
            (n > MAX_TEST_FILE_LINES).then(|| format!("{}: {n} lines", rel(p)))
        })
        .collect()
}

#[test]
fn no_integration_test_file_over_800_lines() {
    let files = rs_files(&root().join("tests"));
    assert!(files.len() > 20, "found only {} test files", files.len());
    assert_none("test files over 800 lines", &long_files(&files));
}

#[test]
fn the_test_size_check_catches_a_long_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = dir.path().join("long.rs");
    fs::write(&long, "// x\n".repeat(MAX_TEST_FILE_LINES + 1)).expect("write");
    let short = dir.path().join("short.rs");
    fs::write(&short, "// x\n".repeat(MAX_TEST_FILE_LINES)).expect("write");
    assert_eq!(long_files(&[long, short]).len(), 1);
}
