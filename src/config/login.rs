//! How rapport logs in to a server: the part `[smtp]` and `[imap]` share.
//!
//! Both sections flatten one [`Login`] (so the keys stay where users write them,
//! `[smtp] password_command = ...`) and are checked by one [`check`]. This module must
//! never hold a secret: it names where one comes from.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use serde::{Deserialize, Serialize};

/// How rapport proves who it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// A password from `password_command` or `password_env` (SASL PLAIN or LOGIN).
    #[default]
    Password,
    /// An OAuth2 access token from `token_command`, with Google's and Microsoft's
    /// XOAUTH2 mechanism.
    Xoauth2,
    /// An OAuth2 access token from `token_command`, with the standard OAUTHBEARER
    /// mechanism (RFC 7628).
    Oauthbearer,
}

impl AuthMethod {
    /// The value as written in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Password => "password",
            AuthMethod::Xoauth2 => "xoauth2",
            AuthMethod::Oauthbearer => "oauthbearer",
        }
    }

    /// Whether the secret is an OAuth2 access token.
    pub fn is_oauth2(self) -> bool {
        !matches!(self, AuthMethod::Password)
    }
}

/// The login keys of `[smtp]` and `[imap]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Login {
    /// Defaults to `identity.email`.
    pub username: Option<String>,
    #[serde(default)]
    pub auth: AuthMethod,
    /// A command whose first line of standard output is the password.
    pub password_command: Option<String>,
    /// An environment variable holding the password.
    pub password_env: Option<String>,
    /// A command whose first line of standard output is an OAuth2 access token.
    pub token_command: Option<String>,
    /// Seconds a password or token command may take before it is stopped.
    #[serde(default = "default_secret_timeout")]
    pub secret_timeout_seconds: u64,
}

impl Default for Login {
    fn default() -> Self {
        Login {
            username: None,
            auth: AuthMethod::Password,
            password_command: None,
            password_env: None,
            token_command: None,
            secret_timeout_seconds: default_secret_timeout(),
        }
    }
}

fn default_secret_timeout() -> u64 {
    30
}

/// Checks the login keys of `[section]`; `Err((key, message))`.
pub fn check(section: &str, login: &Login) -> Result<(), (String, String)> {
    let key = |k: &str| format!("{section}.{k}");
    if login.secret_timeout_seconds == 0 || login.secret_timeout_seconds > 600 {
        return Err((
            key("secret_timeout_seconds"),
            "must be between 1 and 600 seconds".into(),
        ));
    }
    if login
        .username
        .as_deref()
        .is_some_and(crate::config::has_control)
    {
        return Err((
            key("username"),
            "contains a line break or control character".into(),
        ));
    }
    let has_password = login.password_command.is_some() || login.password_env.is_some();
    match login.auth {
        AuthMethod::Password => {
            if login.token_command.is_some() {
                return Err((
                    key("token_command"),
                    format!(
                        "is only used with auth = \"xoauth2\" or \"oauthbearer\"; set [{section}] auth, or remove token_command"
                    ),
                ));
            }
            if login.password_command.is_some() && login.password_env.is_some() {
                return Err((
                    key("password_command"),
                    "set either password_command or password_env, not both".into(),
                ));
            }
            if !has_password {
                return Err((
                    key("password_command"),
                    format!(
                        "no password source; add password_command = \"pass show mail/{section}\" (its first output line is the password) or password_env = \"RAPPORT_{}_PASSWORD\" (or auth = \"xoauth2\" with a token_command)",
                        section.to_uppercase()
                    ),
                ));
            }
        }
        AuthMethod::Xoauth2 | AuthMethod::Oauthbearer => {
            if has_password {
                return Err((
                    key(if login.password_command.is_some() {
                        "password_command"
                    } else {
                        "password_env"
                    }),
                    format!(
                        "auth = \"{}\" logs in with an access token, not a password; remove this key and keep token_command",
                        login.auth.as_str()
                    ),
                ));
            }
            if login.token_command.is_none() {
                return Err((
                    key("token_command"),
                    format!(
                        "auth = \"{}\" needs token_command, a command whose first output line is a fresh access token, e.g. token_command = \"pizauth show {section}\" or \"oama access you@example.com\"",
                        login.auth.as_str()
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
