//! Shell completion as a user gets it: the script `rapport completions bash` prints,
//! sourced in a real bash, completing subcommands, contact addresses (by address or by a
//! piece of the name) and the ids of open drafts from the user's own database.

use std::path::Path;
use std::process::Command;

use crate::util::Env;

/// The values (not flags) bash offers for the last of `words`, with the script
/// `rapport completions bash` printed sourced and rapport on the PATH.
fn bash_offers(env: &Env, words: &[&str]) -> Vec<String> {
    let script = env.rapport(&["completions", "bash"]).ok().stdout;
    let path = env.home().join("rapport.bash");
    std::fs::write(&path, script).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_rapport")).parent().unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let last = words.len() - 1;
    let driver = format!(
        "source {script}\nCOMP_WORDS=({words})\nCOMP_CWORD={last}\nCOMP_TYPE=9\n\
         _clap_complete_rapport rapport {cur} {prev}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script = path.display(),
        words = quoted.join(" "),
        cur = quoted[last],
        prev = quoted[last - 1],
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(driver)
        .env_clear()
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("HOME", env.home())
        .env("RAPPORT_NOW", &env.now)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bash: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        // With nothing typed, the command's flags are offered too: only values count here.
        .filter(|l| !l.is_empty() && !l.starts_with('-'))
        .collect()
}

#[test]
fn bash_completes_commands_contacts_and_draft_ids_from_the_database() {
    let env = Env::new();
    env.add_contact("jessica@park.example", "Jessica Park");
    env.add_contact("jose@alvarez.example", "José Álvarez");
    env.request("jm@mueller.example", "Jess Müller");
    let open: Vec<String> = env
        .drafts()
        .iter()
        .map(|d| d["id"].as_i64().unwrap().to_string())
        .collect();
    assert_eq!(open.len(), 1, "one request drafted");

    let subcommands = bash_offers(&env, &["rapport", "req"]);
    assert!(
        subcommands.iter().any(|c| c.starts_with("request")),
        "{subcommands:?}"
    );

    // A piece of the name finds the address; so does the start of the address.
    let mut jess = bash_offers(&env, &["rapport", "request", "jess"]);
    jess.sort();
    assert_eq!(jess.len(), 2, "{jess:?}");
    assert!(jess[0].starts_with("jessica@park.example"), "{jess:?}");
    assert!(jess[1].starts_with("jm@mueller.example"), "{jess:?}");
    let jo = bash_offers(&env, &["rapport", "contacts", "show", "jo"]);
    assert_eq!(jo.len(), 1, "{jo:?}");
    assert!(jo[0].starts_with("jose@alvarez.example"), "{jo:?}");

    // The open draft's id, for every command that takes one.
    for words in [
        &["rapport", "queue", "approve", ""][..],
        &["rapport", "queue", "show", ""][..],
        &["rapport", "queue", "reject", ""][..],
    ] {
        let ids = bash_offers(&env, words);
        assert_eq!(ids.len(), 1, "{words:?}: {ids:?}");
        assert!(ids[0].starts_with(&open[0]), "{words:?}: {ids:?}");
    }
}

#[test]
fn completion_without_a_config_offers_nothing_and_says_nothing() {
    let env = Env::with_config("");
    std::fs::remove_file(env.config_path()).unwrap();
    let none = bash_offers(&env, &["rapport", "request", ""]);
    assert!(none.is_empty(), "{none:?}");
    // And an ordinary run ignores a stray COMPLETE from the environment.
    let mut c = env.command(&["--version"]);
    c.env("COMPLETE", "1");
    let out = c.output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rapport"));
}
