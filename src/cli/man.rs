//! The manual pages, generated from the program itself: `rapport(1)` from the clap
//! definitions (every command with its arguments) plus FILES, ENVIRONMENT, EXIT STATUS,
//! EXAMPLES and SEE ALSO; `rapport.toml(5)` from the commented example config that ships
//! with rapport (`config.example.toml`), so the page and the file cannot drift apart.
//!
//! It only renders text; it must never read the user's files or the environment.

use std::fmt::Write as _;

/// The example config, every key commented: the source of `rapport.toml(5)`.
const EXAMPLE_CONFIG: &str = include_str!("../../config.example.toml");

/// `rapport man [PAGE]`.
#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// rapport (the commands, section 1) or rapport.toml (the config file, section 5).
    #[arg(value_enum, default_value = "rapport")]
    page: Page,
}

/// Prints the page asked for, as one piece.
pub fn run(args: &ManArgs) -> anyhow::Result<std::process::ExitCode> {
    match args.page {
        Page::Rapport => super::print_generated(render_man),
        Page::Config => super::print_generated(|out| {
            out.extend(config_page(env!("CARGO_PKG_VERSION")));
            Ok(())
        }),
    }
}

/// The man page, generated from the clap definitions.
pub(crate) fn render_man(out: &mut Vec<u8>) -> std::io::Result<()> {
    use clap::CommandFactory;
    out.extend(rapport_page(&super::Cli::command())?);
    Ok(())
}

/// Which page `rapport man` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Page {
    /// rapport(1): the commands.
    #[value(name = "rapport")]
    Rapport,
    /// rapport.toml(5): the config file.
    #[value(name = "rapport.toml")]
    Config,
}

/// Escapes text for roff: backslashes, and a leading dot or quote that would read as
/// a request.
fn roff(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with(['.', '\'']) {
        format!("\\&{s}")
    } else {
        s
    }
}

/// `rapport(1)`.
pub fn rapport_page(cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut text = String::from(".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        command_entry(&mut text, sub, "rapport");
    }
    text.push_str(STATIC_SECTIONS);
    out.extend_from_slice(text.as_bytes());
    Ok(out)
}

/// One command (and, below it, its subcommands): its usage line, what it does, and
/// each argument with its help.
fn command_entry(text: &mut String, cmd: &clap::Command, parent: &str) {
    if cmd.is_hide_set() || cmd.get_name() == "help" {
        return;
    }
    let path = format!("{parent} {}", cmd.get_name());
    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    let mut usage = roff(&path);
    for a in cmd.get_positionals() {
        let name = a.get_value_names().and_then(|v| v.first()).map_or_else(
            || a.get_id().to_string().to_uppercase(),
            ToString::to_string,
        );
        let name = roff(&name);
        let _ = if a.is_required_set() {
            write!(usage, " \\fI{name}\\fR")
        } else {
            write!(usage, " [\\fI{name}\\fR]")
        };
    }
    if !subs.is_empty() {
        usage.push_str(" \\fICOMMAND\\fR");
    }
    let _ = writeln!(text, ".TP\n\\fB{usage}\\fR");
    let about = cmd
        .get_long_about()
        .or(cmd.get_about())
        .map(ToString::to_string)
        .unwrap_or_default();
    let _ = writeln!(text, "{}", roff(&about));
    for a in cmd.get_arguments() {
        if a.is_hide_set() || matches!(a.get_id().as_str(), "help" | "version") {
            continue;
        }
        let flag = match (a.get_long(), a.get_short()) {
            (Some(l), Some(s)) => format!("\\-{s}, \\-\\-{}", roff(l)),
            (Some(l), None) => format!("\\-\\-{}", roff(l)),
            (None, Some(s)) => format!("\\-{s}"),
            (None, None) => format!("\\fI{}\\fR", roff(&a.get_id().to_string().to_uppercase())),
        };
        let help = a.get_help().map(ToString::to_string).unwrap_or_default();
        let _ = writeln!(text, ".RS\n.TP\n{flag}\n{}\n.RE", roff(&help));
    }
    for sub in subs {
        command_entry(text, sub, &path);
    }
}

const STATIC_SECTIONS: &str = r#".SH FILES
.TP
\fI~/.config/rapport/config.toml\fR
The config file (\fB$XDG_CONFIG_HOME/rapport/config.toml\fR when that is set; or
\fB\-\-config\fR, or \fB$RAPPORT_CONFIG\fR). Written by \fBrapport init\fR with mode 600. It is
refused when others can write to it, or when others can read it and it holds a secret;
passwords never go in it (see \fBrapport.toml\fR(5)).
.TP
\fI~/.local/share/rapport/rapport.db\fR
The database: contacts, timelines, drafts and the approval queue (SQLite, mode 600;
\fB$XDG_DATA_HOME/rapport\fR when that is set, or \fB[store] path\fR). The send lock and
the daemon's pid file sit beside it.
.TP
\fI~/.config/rapport/templates/\fR
Templates (\fINAME\fR.hbs) that override the built\-in ones: meeting\-request,
cold\-request, nudge, thank\-you, check\-in, later\-follow\-up, intro\-ask, intro,
intro\-declined, share.
.TP
\fI~/.config/systemd/user/rapport.service\fR
The systemd user unit that runs \fBrapport daemon\fR.
.SH ENVIRONMENT
.TP
\fBRAPPORT_CONFIG\fR
The config file, when \fB\-\-config\fR is not given.
.TP
\fBRAPPORT_LOG\fR
What is logged, as a tracing filter (e.g. \fBinfo\fR, \fBinfo,rustls=debug\fR); the default
follows \fB\-v\fR.
.TP
\fBXDG_CONFIG_HOME\fR, \fBXDG_DATA_HOME\fR
Where the config and the data directory are, when set (absolute paths only).
.TP
\fBHOME\fR
The base of the default paths and of \fB~/\fR in the config.
.TP
\fBEDITOR\fR, \fBVISUAL\fR
The editor \fBrapport queue edit\fR opens.
.TP
\fBTZ\fR
The zone \fBrapport init\fR writes when \fB\-\-timezone\fR is not given.
.TP
\fBNO_COLOR\fR
When set, no colour in the output.
.TP
\fBRAPPORT_COMPLETE\fR
Set by the script \fBrapport completions\fR prints, when the shell asks for
completions: rapport then prints candidates (commands, flags, contact addresses, draft
ids) and nothing else. Not for setting by hand.
.TP
\fBRAPPORT_NOW\fR
For tests and the demo only: the time rapport takes as now (RFC 3339).
.SH EXIT STATUS
.TP
\fB0\fR
Success (and for \fBdoctor\fR, every check passed).
.TP
\fB1\fR
An error, said on standard error with its cause and fix; \fBdoctor\fR found a FAIL;
\fBsend\fR had a draft fail or end unknown, or could not log in (the drafts stay
approved and wait for a working login).
.TP
\fB2\fR
The command line was wrong (an unknown command, flag or value).
.SH EXAMPLES
.nf
rapport init \-\-name "Ada Lovelace" \-\-email ada@example.org \-\-timezone Europe/London
rapport doctor
rapport contacts import \-\-dry\-run Connections.csv
rapport contacts import \-\-tier acquaintance \-\-tag linkedin Connections.csv
rapport request jessica@example.com
rapport intro jessica omar \-\-why "you both work on search ranking"
rapport intros
rapport share https://example.org/talk \-\-title "A talk on ranking" \-\-tag search
rapport share \-\-note "My slides are up on my site." \-\-to omar jessica
rapport share https://example.org/talk \-\-fetch\-title \-\-to omar
rapport queue
rapport queue approve 7
rapport send \-\-now 7
rapport sync \-\-account work      # one account of several ([[accounts]])
rapport contacts edit jessica \-\-account work
rapport brief omar
rapport map \-\-out network.html
rapport status            # a LOGIN FAILING line names a helper that stopped working
rapport sync \-\-calendar work   # read the [[calendars]] entry "work" now
systemctl \-\-user enable \-\-now rapport
.fi
.SH SEE ALSO
\fBrapport.toml\fR(5), \fBsystemctl\fR(1), \fBjournalctl\fR(1), \fBpass\fR(1)
"#;

/// `rapport.toml(5)`, from the example config: a `[table]` is a subsection, each key
/// an entry, and the comments above a key its description.
pub fn config_page(version: &str) -> Vec<u8> {
    let mut text = format!(
        ".\\\" -*- coding: utf-8 -*-\n.TH rapport.toml 5 \"\" \"rapport {version}\" \"File Formats\"\n.SH NAME\nrapport.toml \\- the configuration of rapport(1)\n.SH DESCRIPTION\n"
    );
    let mut comments: Vec<&str> = Vec::new();
    let mut in_preamble = true;
    for line in EXAMPLE_CONFIG.lines() {
        let mut trimmed = line.trim();
        // A commented-out table (`# [maildir]`) is an optional table: a subsection too.
        let table = |t: &str| t.starts_with('[') && t.ends_with(']') && !t.contains(' ');
        if let Some(c) = trimmed.strip_prefix('#').map(str::trim)
            && !in_preamble
            && table(c)
        {
            trimmed = c;
        }
        if let Some(c) = trimmed.strip_prefix('#') {
            let c = c.trim();
            // A commented-out key (`# port = 465`) is a key with its default.
            if !in_preamble && looks_like_key(c) {
                key_entry(&mut text, c, &mut comments);
            } else {
                comments.push(c);
            }
            continue;
        }
        if trimmed.is_empty() {
            if in_preamble && !comments.is_empty() {
                paragraph(&mut text, &mut comments);
            }
            continue;
        }
        if trimmed.starts_with('[') {
            if in_preamble {
                paragraph(&mut text, &mut comments);
                text.push_str(".SH TABLES\n");
                in_preamble = false;
            }
            let _ = writeln!(text, ".SS {}", roff(trimmed));
            paragraph(&mut text, &mut comments);
            continue;
        }
        key_entry(&mut text, trimmed, &mut comments);
    }
    text.push_str(".SH FILES\n\\fI~/.config/rapport/config.toml\\fR (or \\fB$XDG_CONFIG_HOME/rapport/config.toml\\fR, \\fB$RAPPORT_CONFIG\\fR, \\fB\\-\\-config\\fR).\n.SH SEE ALSO\n\\fBrapport\\fR(1)\n");
    text.into_bytes()
}

fn looks_like_key(c: &str) -> bool {
    c.split_once(" = ").is_some_and(|(k, _)| {
        !k.is_empty()
            && k.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.')
    })
}

fn paragraph(text: &mut String, comments: &mut Vec<&str>) {
    if comments.is_empty() {
        return;
    }
    let _ = writeln!(text, ".PP\n{}", roff(&comments.join(" ")));
    comments.clear();
}

fn key_entry(text: &mut String, line: &str, comments: &mut Vec<&str>) {
    let (key, value) = line.split_once('=').unwrap_or((line, ""));
    let _ = writeln!(
        text,
        ".TP\n\\fB{}\\fR = {}\n{}",
        roff(key.trim()),
        roff(value.trim()),
        roff(&comments.join(" "))
    );
    comments.clear();
}

#[cfg(test)]
mod tests;
