//! The SASL strings that carry an OAuth2 access token, for SMTP and IMAP alike, and
//! which mechanisms a server offers.
//!
//! Pure: no I/O. The strings are returned raw; the protocol code base64-encodes them
//! (the `imap` crate's `Authenticator` does so itself). Hand-written because the two
//! formats are a line each and no maintained crate offers just them; lettre builds only
//! XOAUTH2, and only inside its own AUTH command. This module must never log a string
//! it builds: each one holds the token.

use crate::config::AuthMethod;

/// Google's and Microsoft's XOAUTH2 initial response:
/// `user=USER ^A auth=Bearer TOKEN ^A ^A`.
pub fn xoauth2(user: &str, token: &str) -> String {
    format!("user={user}\x01auth=Bearer {token}\x01\x01")
}

/// The RFC 7628 OAUTHBEARER initial response:
/// `n,a=USER, ^A host=HOST ^A port=PORT ^A auth=Bearer TOKEN ^A ^A`, with `,` and `=`
/// in the user name escaped as the GS2 header requires.
pub fn oauthbearer(user: &str, token: &str, host: &str, port: u16) -> String {
    let user = user.replace('=', "=3D").replace(',', "=2C");
    format!("n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01")
}

/// The initial response for `method` (PLAIN-style password logins are not built here).
pub fn initial_response(
    method: AuthMethod,
    user: &str,
    token: &str,
    host: &str,
    port: u16,
) -> Option<String> {
    match method {
        AuthMethod::Password => None,
        AuthMethod::Xoauth2 => Some(xoauth2(user, token)),
        AuthMethod::Oauthbearer => Some(oauthbearer(user, token, host, port)),
    }
}

/// What a client answers to the server's error challenge after a refused token, so the
/// server can finish with its failure reply: empty for XOAUTH2, `^A` for OAUTHBEARER.
pub fn error_challenge_reply(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::Oauthbearer => "\x01",
        AuthMethod::Password | AuthMethod::Xoauth2 => "",
    }
}

/// The SASL mechanism names `method` may log in with, in order of preference.
pub fn mechanisms(method: AuthMethod) -> &'static [&'static str] {
    match method {
        AuthMethod::Password => &["PLAIN", "LOGIN"],
        AuthMethod::Xoauth2 => &["XOAUTH2"],
        AuthMethod::Oauthbearer => &["OAUTHBEARER"],
    }
}

/// The mechanisms in an SMTP EHLO reply's `AUTH ...` line (upper-cased, in order).
pub fn smtp_offered<'a>(ehlo_lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    for line in ehlo_lines {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or("");
        // "AUTH PLAIN LOGIN", or the old "AUTH=PLAIN LOGIN" some servers also send.
        let rest: Vec<&str> = if first.eq_ignore_ascii_case("auth") {
            words.collect()
        } else if let Some(m) = first
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("auth="))
            .and_then(|_| first.get(5..))
        {
            std::iter::once(m).chain(words).collect()
        } else {
            continue;
        };
        for m in rest {
            let m = m.to_ascii_uppercase();
            if !m.is_empty() && !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// The mechanisms in IMAP capabilities (`AUTH=PLAIN`, `AUTH=XOAUTH2`, ...).
pub fn imap_offered<'a>(capabilities: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    for cap in capabilities {
        if let Some(m) = cap
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("auth="))
            .and_then(|_| cap.get(5..))
        {
            let m = m.to_ascii_uppercase();
            if !m.is_empty() && !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// Doctor's verdict on `[section] auth` against what the server offers: `Ok(line)` when
/// the configured method can be used, `Err(line)` with the fix otherwise.
pub fn check_offered(
    section: &str,
    method: AuthMethod,
    offered: &[String],
) -> Result<String, String> {
    let list = if offered.is_empty() {
        "nothing".to_string()
    } else {
        offered.join(" ")
    };
    let wanted = mechanisms(method);
    if wanted.iter().any(|w| offered.iter().any(|o| o == w)) {
        return Ok(format!(
            "offers {list}; auth = \"{}\" fits",
            method.as_str()
        ));
    }
    let hint = if offered.iter().any(|o| o == "XOAUTH2") {
        " set auth = \"xoauth2\" with a token_command"
    } else if offered.iter().any(|o| o == "OAUTHBEARER") {
        " set auth = \"oauthbearer\" with a token_command"
    } else if offered.iter().any(|o| o == "PLAIN" || o == "LOGIN") {
        " set auth = \"password\" with a password_command"
    } else {
        " check the host and port: this server offers no login rapport knows"
    };
    Err(format!(
        "offers {list}, not what [{section}] auth = \"{}\" needs ({});{hint}",
        method.as_str(),
        wanted.join(" or ")
    ))
}

/// Doctor's verdict on `[imap] auth` against the server's capabilities before login,
/// judged by what rapport really sends: a password goes in the IMAP `LOGIN` command,
/// which any server takes unless it says `LOGINDISABLED`, whatever `AUTH=` mechanisms
/// it lists (Courier offers none before STARTTLS, Cyrus may list others); a token goes
/// in `AUTHENTICATE`, which needs its mechanism offered.
pub fn check_imap_offered(method: AuthMethod, capabilities: &[String]) -> Result<String, String> {
    let offered = imap_offered(capabilities.iter().map(String::as_str));
    if method != AuthMethod::Password {
        return check_offered("imap", method, &offered);
    }
    let list = if offered.is_empty() {
        "no AUTH= mechanism".to_string()
    } else {
        offered.join(" ")
    };
    if capabilities
        .iter()
        .any(|c| c.eq_ignore_ascii_case("LOGINDISABLED"))
    {
        return Err(format!(
            "offers {list} but refuses the LOGIN command rapport logs in with (LOGINDISABLED) on this connection; set [imap] security = \"tls\" (port 993) or \"starttls\" so the password goes encrypted"
        ));
    }
    Ok(format!(
        "offers {list}; auth = \"password\" logs in with the LOGIN command, which the server accepts"
    ))
}

#[cfg(test)]
mod tests;
