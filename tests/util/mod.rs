//! Runs the real `rapport` binary in a private HOME, with the clock set by RAPPORT_NOW.
#![allow(dead_code)]

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
