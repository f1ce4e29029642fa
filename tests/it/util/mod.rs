//! Runs the real `rapport` binary in a private HOME, with the clock set by RAPPORT_NOW,
//! and the steps many tests share (a contact, a request, the queue as JSON, a local
//! Maildir, a shell script for a `*_command` or `$EDITOR`). [`daemon`] runs
//! `rapport daemon` itself.
//!
//! Nothing here changes the test process's own environment: every setting goes to the
//! child's `Command`, so tests can run side by side in one process.

pub mod daemon;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
    pub now: String,
    pub extra_env: Vec<(String, String)>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn fails(self) -> Run {
        assert_ne!(self.code, 0, "expected failure\nstdout:\n{}", self.stdout);
        self
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

impl Env {
    /// A HOME with a config using the file transport (written via `rapport init`).
    pub fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
            now: "2026-11-23T10:00:00Z".into(), // a Monday, inside the default window
            extra_env: Vec::new(),
        };
        env.rapport(&[
            "init",
            "--name",
            "Ada Lovelace",
            "--email",
            "ada@example.org",
            "--timezone",
            "Europe/Berlin",
        ])
        .ok();
        let text = std::fs::read_to_string(env.config_path()).unwrap();
        let outbox = env.outbox();
        let text = text.replacen(
            "transport = \"smtp\"",
            &format!("transport = \"file\"\nfile_dir = \"{}\"", outbox.display()),
            1,
        );
        // No mailbox to look at (the example's imap.example.org does not exist): `send`
        // looks at the mailbox before every draft and would hold them all.
        let text = without_section(&text, "imap");
        env.write_config(&text);
        env
    }

    /// A HOME whose config is `text` (written 0600), with the store in the default place.
    pub fn with_config(text: &str) -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
            now: "2026-11-23T10:00:00Z".into(),
            extra_env: Vec::new(),
        };
        std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
        env.write_config(text);
        env
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.home().join(".config/rapport/config.toml")
    }

    pub fn outbox(&self) -> PathBuf {
        self.home().join("outbox")
    }

    pub fn db_path(&self) -> PathBuf {
        self.home().join(".local/share/rapport/rapport.db")
    }

    pub fn write_config(&self, text: &str) {
        use std::os::unix::fs::PermissionsExt;
        let p = self.config_path();
        std::fs::write(&p, text).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    pub fn edit_config(&self, f: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(self.config_path()).unwrap();
        self.write_config(&f(text));
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("RAPPORT_NOW", &self.now)
            .env("RAPPORT_LOG", "warn");
        for (k, v) in &self.extra_env {
            c.env(k, v);
        }
        c
    }

    pub fn rapport(&self, args: &[&str]) -> Run {
        let out: Output = self.command(args).output().expect("running rapport");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `contacts add ADDRESS --name NAME`, which must succeed.
    pub fn add_contact(&self, address: &str, name: &str) {
        self.rapport(&["contacts", "add", address, "--name", name])
            .ok();
    }

    /// A new contact with a pending meeting request drafted for them.
    pub fn request(&self, address: &str, name: &str) {
        self.add_contact(address, name);
        self.rapport(&["request", address]).ok();
    }

    /// Every draft, whatever its status (`queue --all --json`).
    pub fn drafts(&self) -> Vec<serde_json::Value> {
        let q = self.rapport(&["queue", "--json", "--all"]).ok().json();
        // A listing without its `drafts` key is a broken listing, not an empty queue.
        q["drafts"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("`queue --json --all` has no drafts list: {q}"))
    }

    /// One draft (`queue show ID --json`).
    pub fn draft(&self, id: i64) -> serde_json::Value {
        self.rapport(&["queue", "show", &id.to_string(), "--json"])
            .ok()
            .json()
    }

    /// A HOME like [`Env::new`] that reads mail from a local Maildir, `~/Mail`, instead
    /// of IMAP ([`Env::deliver`] puts a message in it).
    pub fn with_maildir() -> Env {
        let env = Env::new();
        let mail = env.home().join("Mail");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(mail.join(sub)).unwrap();
        }
        env.edit_config(|t| {
            format!(
                "{}\n[maildir]\npath = \"{}\"\n",
                without_section(&t, "imap"),
                mail.display()
            )
        });
        env
    }

    /// Puts `text` (LF line ends, made CRLF) in the Maildir's `new/` as file `name`.
    pub fn deliver(&self, name: &str, text: &str) {
        let path = self.home().join("Mail/new").join(name);
        std::fs::write(path, text.replace('\n', "\r\n")).unwrap();
    }

    /// A shell script `name` in HOME with `body`; returns the command that runs it.
    pub fn script(&self, name: &str, body: &str) -> String {
        shell_script(&self.home().join(name), body)
    }

    pub fn outbox_files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.outbox())
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        v.sort();
        v
    }
}

/// `text` without the `[name]` table (its header up to the next table header).
pub fn without_section(text: &str, name: &str) -> String {
    let header = format!("[{name}]");
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            skipping = t == header;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Writes a shell script with `body` to `path` and returns `sh PATH`, the command that
/// runs it. Run through `sh`, never exec'd itself: in a test process where other threads
/// spawn children, a just-written executable can be held open by a child between fork
/// and exec, and exec'ing it then fails with "Text file busy".
pub fn shell_script(path: &Path, body: &str) -> String {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    format!("sh {}", path.display())
}

/// A token command (in `dir`) that prints `first` the first time it runs and `then` after.
pub fn token_script(dir: &Path, first: &str, then: &str) -> String {
    let count = dir.join("count");
    shell_script(
        &dir.join("token.sh"),
        &format!(
            "n=$(cat {c} 2>/dev/null || echo 0)\necho $((n+1)) > {c}\nif [ \"$n\" = 0 ]; then echo {first}; else echo {then}; fi",
            c = count.display()
        ),
    )
}
