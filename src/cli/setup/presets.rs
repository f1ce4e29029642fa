//! `rapport init --provider NAME`: each provider's documented servers and login, written
//! into the example config, and what the user must still do.
//!
//! A data table and text edits of the example; it must never write a secret or ask for
//! one (the user sets up an app password or a token helper themselves).

use crate::config::{AuthMethod, Security};

/// The mail providers `init` knows.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    Gmail,
    Microsoft,
    Fastmail,
    Icloud,
    Yahoo,
}

/// One server of a provider.
struct Server {
    host: &'static str,
    port: u16,
    security: Security,
}

/// A provider's documented settings.
struct Preset {
    smtp: Server,
    imap: Server,
    auth: AuthMethod,
    /// What the user still has to do, printed after `init`.
    todo: &'static str,
}

fn preset(p: Provider) -> Preset {
    let tls = |host, port| Server {
        host,
        port,
        security: Security::Tls,
    };
    match p {
        // support.google.com/mail/answer/7126229
        Provider::Gmail => Preset {
            smtp: tls("smtp.gmail.com", 465),
            imap: tls("imap.gmail.com", 993),
            auth: AuthMethod::Xoauth2,
            todo: "Gmail: set up a token helper (e.g. pizauth or oama with your own Google OAuth client) and put the command that prints an access token in token_command in [smtp] and [imap]; or, with 2-step verification on, create an app password (myaccount.google.com/apppasswords), set auth = \"password\" and password_command = \"pass show mail/gmail\" instead.",
        },
        // learn.microsoft.com: POP, IMAP, and SMTP settings for Outlook.com / Microsoft 365
        Provider::Microsoft => Preset {
            smtp: Server {
                host: "smtp.office365.com",
                port: 587,
                security: Security::Starttls,
            },
            imap: tls("outlook.office365.com", 993),
            auth: AuthMethod::Xoauth2,
            todo: "Microsoft 365 / Outlook.com accept only OAuth2: set up a token helper (e.g. pizauth or oama) for your account and put its command in token_command in [smtp] and [imap]; your organisation may have to allow IMAP and SMTP AUTH for your mailbox.",
        },
        // fastmail.help: server names and ports
        Provider::Fastmail => Preset {
            smtp: tls("smtp.fastmail.com", 465),
            imap: tls("imap.fastmail.com", 993),
            auth: AuthMethod::Password,
            todo: "Fastmail: create an app password (Settings → Privacy & Security → App passwords, with IMAP and SMTP access) and make password_command print it, e.g. password_command = \"pass show mail/fastmail\", in [smtp] and [imap].",
        },
        // support.apple.com/102525
        Provider::Icloud => Preset {
            smtp: Server {
                host: "smtp.mail.me.com",
                port: 587,
                security: Security::Starttls,
            },
            imap: tls("imap.mail.me.com", 993),
            auth: AuthMethod::Password,
            todo: "iCloud: create an app-specific password (account.apple.com → Sign-In and Security) and make password_command print it in [smtp] and [imap]; if the IMAP login is refused, set [imap] username to the name part of your address.",
        },
        // help.yahoo.com: IMAP server settings
        Provider::Yahoo => Preset {
            smtp: tls("smtp.mail.yahoo.com", 465),
            imap: tls("imap.mail.yahoo.com", 993),
            auth: AuthMethod::Password,
            todo: "Yahoo: create an app password (Account security → Generate app password) and make password_command print it in [smtp] and [imap].",
        },
    }
}

fn security_str(s: Security) -> &'static str {
    match s {
        Security::Tls => "tls",
        Security::Starttls => "starttls",
        Security::None => "none",
    }
}

/// Fills one section (`smtp` or `imap`) of the example text with `server` and `auth`.
fn fill(section: &str, text: &str, server: &Server, auth: AuthMethod) -> String {
    let default_host = format!("host = \"{section}.example.org\"");
    let mut out = text
        .replacen(&default_host, &format!("host = \"{}\"", server.host), 1)
        .replacen(
            &format!("# port = {}", if section == "smtp" { 465 } else { 993 }),
            &format!("port = {}", server.port),
            1,
        )
        .replacen(
            "\nsecurity = \"tls\"",
            &format!("\nsecurity = \"{}\"", security_str(server.security)),
            1,
        )
        .replacen(
            "auth = \"password\"",
            &format!("auth = \"{}\"", auth.as_str()),
            1,
        );
    if auth.is_oauth2() {
        out = out
            .replacen(
                &format!("password_command = \"pass show mail/{section}\""),
                &format!("# password_command = \"pass show mail/{section}\""),
                1,
            )
            .replacen(
                &format!("# token_command = \"pizauth show {section}\""),
                &format!("token_command = \"pizauth show {section}\""),
                1,
            );
    }
    out
}

/// The example config text with `p`'s servers and login filled in, and the note on what
/// the user must still do.
pub fn apply(p: Provider, text: &str) -> (String, &'static str) {
    let preset = preset(p);
    let Some(at) = text.find("\n[imap]") else {
        return (text.to_string(), preset.todo);
    };
    let (head, imap) = text.split_at(at);
    let head = fill("smtp", head, &preset.smtp, preset.auth);
    let imap = fill("imap", imap, &preset.imap, preset.auth);
    (head + &imap, preset.todo)
}

#[cfg(test)]
mod tests;
