//! Bulk and list mail (List-* headers, list software, unsubscribe footers)
//! and transactional notices. It must never call a notice to one customer
//! (a receipt, an order update) a newsletter.

use super::super::mime::Mail;
use super::super::text::{first_phrase, fresh_text, normalise_for_match, phrase_list};
use super::super::{Evidence, ev};

const LIST_HEADERS: &[&str] = &[
    "list-id",
    "list-unsubscribe",
    "list-post",
    "list-help",
    "list-subscribe",
    "list-owner",
    "list-archive",
    "x-beenthere",
    "mailing-list",
    "x-mailman-version",
    "x-mailing-list",
    "x-campaign",
    "x-campaignid",
    "x-csa-complaints",
    "x-sfmc-stack",
    "x-mc-user",
    "x-mailchimp-campaign",
];
const DISCUSSION_HEADERS: &[&str] = &[
    "list-post",
    "x-beenthere",
    "x-mailman-version",
    "mailing-list",
    "x-mailing-list",
];
const FOOTER: &[&str] = &[
    "unsubscribe",
    "abmelden",
    "abbestellen",
    "opt out",
    "opt-out",
    "no longer wish to receive",
    "you are receiving this",
    "you received this",
    "remove you from",
    "to be removed from",
    "manage your subscription",
    "email preferences",
    "view this email in your browser",
    "view in browser",
    "se désinscrire",
    "désabonner",
    "darse de baja",
];
phrase_list!(FOOTER_SET = FOOTER);
/// Words in a subject that make list-headed mail transactional (a parcel
/// notice, a receipt) rather than a newsletter.
const TRANSACTIONAL: &[&str] = &[
    "paket",
    "package",
    "parcel",
    "shipment",
    "shipped",
    "sendung",
    "lieferung",
    "zustellung",
    "packstation",
    "order",
    "bestellung",
    "receipt",
    "quittung",
    "invoice",
    "rechnung",
    "payment",
    "zahlung",
    "booking",
    "buchung",
    "reservation",
    "password",
    "passwort",
    "verification code",
    "security alert",
    "sign-in",
    "your account",
    "tracking",
];
phrase_list!(TRANSACTIONAL_SET = TRANSACTIONAL);

pub(crate) enum BulkOutcome {
    Bulk(Vec<Evidence>),
    Transactional(Vec<Evidence>),
    None,
}

fn list_software_address(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    let local = l
        .rsplit_once('@')
        .map_or(l.as_str(), |(a, _)| a)
        .rsplit(['<', ' ', '"'])
        .next()
        .unwrap_or("");
    local.starts_with("owner-")
        || local.ends_with("-request")
        || local.ends_with("-bounces")
        || local.ends_with("-admin")
        || local.ends_with("-owner")
        || local.contains("-bounces+")
}

pub(crate) fn detect_bulk(mail: &Mail, fresh: &str, is_reply: bool) -> BulkOutcome {
    let mut evidence = Vec::new();
    let strong: Vec<&str> = LIST_HEADERS
        .iter()
        .copied()
        .filter(|h| mail.has_header(h))
        .collect();
    let discussion = DISCUSSION_HEADERS.iter().any(|h| mail.has_header(h));
    let mut medium = 0;
    let precedence = mail
        .header("precedence")
        .map(|p| p.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let prec_hit = matches!(precedence.as_str(), "bulk" | "list" | "junk");
    if prec_hit {
        medium += 1;
        evidence.push(ev("header", format!("Precedence: {precedence}")));
    }
    let list_sender = ["sender", "errors-to"]
        .into_iter()
        .filter_map(|h| mail.header(h).map(|v| (h, v)))
        .find(|(_, v)| list_software_address(v));
    if let Some((h, v)) = list_sender {
        medium += 1;
        evidence.push(ev("header", format!("{h}: {v} (list software address)")));
    }
    let fh = normalise_for_match(&fresh.chars().take(32_000).collect::<String>());
    // The HTML alternative only when the text part has no footer.
    let footer = first_phrase(&fh, &FOOTER_SET).or_else(|| {
        let html_fresh = fresh_text(mail.html_text()).text;
        let hh = normalise_for_match(&html_fresh.chars().take(32_000).collect::<String>());
        first_phrase(&hh, &FOOTER_SET)
    });
    if let Some(f) = footer {
        medium += 1;
        evidence.push(ev("phrase", format!("list/newsletter footer \"{f}\"")));
    }
    for h in &strong {
        evidence.push(ev("header", format!("{h} present")));
    }
    let bulk = !strong.is_empty() || medium >= 2 || (medium >= 1 && !is_reply);
    if !bulk {
        return BulkOutcome::None;
    }
    let discussion = discussion || precedence == "list" || list_sender.is_some();
    if !discussion {
        let sh = normalise_for_match(mail.subject.as_deref().unwrap_or(""));
        if let Some(t) = first_phrase(&sh, &TRANSACTIONAL_SET) {
            evidence.push(ev(
                "phrase",
                format!(
                    "transactional subject \"{t}\" (a notice to one customer, not a newsletter)"
                ),
            ));
            return BulkOutcome::Transactional(evidence);
        }
    }
    BulkOutcome::Bulk(evidence)
}
