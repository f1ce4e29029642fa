//! Whether a piece of text is one email address rapport may write to or send from: the
//! one check the config, the contacts commands, the importer and the store share.
//!
//! The grammar is lettre's ([`lettre::Address`], the type the SMTP layer sends to). On
//! top of it rapport asks for what a person's address looks like in practice, since
//! lettre accepts more than any mailbox a user would type: a domain with a dot made of
//! letters, digits and hyphens (no IP literal, no `_`), no quoted local part, and
//! nothing that could smuggle a header or a second address (no space, no control
//! character, none of `()<>[]\,;:"`).
//!
//! Pure: it must never look a domain up, and it never trims or lowercases (callers
//! clean the text first and store what they checked).

/// Characters that never appear in a bare address a person uses (quoted local parts and
/// domain literals are refused; these also separate addresses in headers and lists).
const FORBIDDEN: &str = "()<>[]\\,;:\"";

/// True when `s` is exactly one bare address, such as `ada@example.com`.
pub fn is_email(s: &str) -> bool {
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(c))
    {
        return false;
    }
    let Ok(address) = s.parse::<lettre::Address>() else {
        return false;
    };
    let domain = address.domain();
    s.len() <= 254 && domain.contains('.') && domain.split('.').all(is_label)
}

/// A domain label as mail hosts use them: letters (any script), digits and inner
/// hyphens.
fn is_label(label: &str) -> bool {
    !label.is_empty()
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests;
