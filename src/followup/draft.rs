//! Turning "this email should exist" into a draft in the queue: pick the recipient,
//! render the template, fix the Message-ID, compose the bytes once, store them.
//!
//! Used by `rapport request` and by the planner's actions. It never sends anything and
//! holds no SQL: the draft is stored through `Store::insert_draft`.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::path::Path;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;

use crate::config::Loaded;
use crate::core::model::DraftKind;
use crate::core::render::{
    self, ContactData, IntroData, LaterData, MeData, MeetingData, RequestData, ShareData,
    TemplateData, Templates,
};
use crate::store::{Contact, NewDraft, Store};

/// Loads the templates in force: built-ins overlaid by `*.hbs` files in `dir`.
pub fn load_templates(dir: &Path) -> Result<Templates> {
    let mut overrides = Vec::new();
    if dir.is_dir() {
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("Reading templates in {}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("hbs") {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("Reading template {}", path.display()))?;
            overrides.push((name.to_string(), text));
        }
    }
    Ok(Templates::new(overrides))
}

/// A template error that also says which file holds the template (or that it is the
/// built-in one, and where a copy would override it).
pub fn template_error(dir: &Path, e: &render::TemplateError) -> anyhow::Error {
    let file = dir.join(format!("{}.hbs", e.name));
    if file.is_file() {
        anyhow::anyhow!("{}: {e}", file.display())
    } else {
        anyhow::anyhow!(
            "{e} (the built-in template; a file {} overrides it)",
            file.display()
        )
    }
}

/// The request that fits how you know them: `meeting-request` once any mail or meeting
/// passed between you, `cold-request` to someone you have never exchanged a word with
/// (an imported connection: notes and the import's own entries do not count).
pub fn request_template(timeline: &[crate::store::Interaction]) -> &'static str {
    use crate::core::model::InteractionKind as K;
    let spoken = timeline.iter().any(|i| {
        !matches!(
            i.kind,
            K::Note | K::NextContactAgreed | K::AutoReply | K::Bounce
        )
    });
    if spoken {
        DraftKind::MeetingRequest.as_str()
    } else {
        render::COLD_REQUEST
    }
}

/// What to draft.
pub struct Request<'a> {
    pub contact: &'a Contact,
    pub kind: DraftKind,
    pub template: &'a str,
    pub reason: String,
    pub reason_key: String,
    pub due: Timestamp,
    /// The thread to reply in: (Message-ID it replies to, References, subject).
    pub thread: Option<(String, Vec<String>, String)>,
    pub meeting_day: String,
    /// For a follow-up after a "later": when they said to come back, in words.
    pub later_when: String,
    /// For an introduction's emails: the other person, the reason, whether it is the
    /// reminder; and whether the other person is on the email too (Cc, the
    /// introduction itself). `None` for every other draft.
    pub intro: Option<IntroDraft<'a>>,
    /// For a share: what is shared. `None` for every other draft.
    pub share: Option<&'a ShareData>,
}

/// What an introduction's email adds to a draft.
pub struct IntroDraft<'a> {
    /// The other person of the introduction.
    pub other: &'a Contact,
    /// The user's reason.
    pub why: &'a str,
    /// The one reminder.
    pub reminder: bool,
    /// The other person is on this email too, in Cc (the introduction itself).
    pub cc_other: bool,
}

/// The data a template sees for `contact`.
pub fn template_data(cfg: &Loaded, contact: &Contact, to_addr: &str) -> TemplateData {
    let identity = &cfg.config.identity;
    let policy = &cfg.config.policy;
    TemplateData {
        contact: ContactData {
            name: contact.name.clone(),
            first_name: {
                let f = render::first_name(&contact.name);
                if f.is_empty() { "there".to_string() } else { f }
            },
            email: to_addr.to_string(),
            company: contact.company.clone(),
            role: contact.role.clone(),
            found_via: if contact.link.to_lowercase().contains("linkedin.com") {
                "LinkedIn".to_string()
            } else {
                String::new()
            },
        },
        me: MeData {
            name: identity.name.clone(),
            first_name: render::first_name(&identity.name),
            email: identity.email.clone(),
        },
        request: RequestData {
            minutes: policy.meeting_minutes,
            weeks: policy.request_weeks.clone(),
            subject: String::new(),
        },
        meeting: MeetingData::default(),
        later: LaterData::default(),
        intro: IntroData::default(),
        share: ShareData::default(),
    }
}

/// A new Message-ID (without angle brackets) in the user's domain.
pub fn new_message_id(cfg: &Loaded, now: Timestamp) -> String {
    let domain = cfg
        .config
        .identity
        .email
        .rsplit('@')
        .next()
        .unwrap_or("rapport.invalid");
    format!(
        "rapport.{}.{:016x}{:08x}@{domain}",
        now.as_second(),
        fastrand::u64(..),
        fastrand::u32(..)
    )
}

/// Renders and stores a draft. Returns its id, or `None` when a draft for this reason
/// already exists.
pub fn create(
    store: &Store,
    cfg: &Loaded,
    templates: &Templates,
    req: &Request<'_>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let c = req.contact;
    if c.do_not_contact {
        bail!(
            "{} is marked do-not-contact; `rapport contacts edit {} --contact-again` lifts it",
            c.display_name(),
            c.id
        );
    }
    let Some(to_addr) = c.sendable_address() else {
        bail!(
            "{} has no email address that has not bounced; add one with `rapport contacts edit {} --email ADDRESS`",
            c.display_name(),
            c.id
        );
    };
    // The draft is written from the account it goes out from: its From, its
    // Message-ID's domain, the address the templates sign with.
    let cfg = &super::account::view_for(store, cfg, c.id)?;
    let mut data = template_data(cfg, c, to_addr);
    let cc = match &req.intro {
        Some(i) => intro_data(cfg, &mut data, i)?,
        None => None,
    };
    if let Some(share) = req.share {
        data.share = share.clone();
    }
    data.meeting.day = req.meeting_day.clone();
    data.later.when = req.later_when.clone();
    if let Some((_, _, subject)) = &req.thread {
        data.request.subject = render::reply_subject(subject);
    }
    let rendered = templates
        .render(req.template, &data)
        .map_err(|e| template_error(&cfg.templates_dir, &e))?;
    let message_id = new_message_id(cfg, now);
    let (in_reply_to, references) = thread_headers(req);
    let identity = &cfg.config.identity;
    let envelope = render::Envelope {
        from_name: &identity.name,
        from_addr: &identity.email,
        to_name: &c.name,
        to_addr,
        cc: cc.as_ref().map(|(n, a)| (n.as_str(), a.as_str())),
        message_id: &message_id,
        in_reply_to: &in_reply_to,
        references: &references,
    };
    let message = render::compose(&envelope, &rendered)?;
    store.insert_draft(
        &NewDraft {
            contact_id: c.id,
            kind: req.kind,
            template: req.template.to_string(),
            reason: req.reason.clone(),
            reason_key: req.reason_key.clone(),
            due_at: req.due,
            to_addr: to_addr.to_string(),
            to_name: c.name.clone(),
            subject: rendered.subject,
            body: rendered.body,
            message_id,
            in_reply_to,
            references,
            message,
            cc: cc.map(|(name, addr)| (addr, name)).unwrap_or_default(),
            account: cfg.account.clone(),
        },
        now,
    )
}

/// In-Reply-To and References for a draft in `req.thread` (none for a new thread).
fn thread_headers(req: &Request<'_>) -> (String, Vec<String>) {
    match &req.thread {
        Some((parent, refs, _)) => {
            let mut refs = refs.clone();
            if !refs.contains(parent) {
                refs.push(parent.clone());
            }
            (parent.clone(), refs)
        }
        None => (String::new(), Vec::new()),
    }
}

/// Fills the intro part of the template data; returns the Cc `(name, address)` when the
/// other person is on the email too.
fn intro_data(
    cfg: &Loaded,
    data: &mut TemplateData,
    i: &IntroDraft<'_>,
) -> Result<Option<(String, String)>> {
    let o = i.other;
    let Some(addr) = o.sendable_address() else {
        bail!(
            "{} has no email address that has not bounced; add one with `rapport contacts edit {} --email ADDRESS`",
            o.display_name(),
            o.id
        );
    };
    if o.do_not_contact && i.cc_other {
        bail!(
            "{} is marked do-not-contact; `rapport contacts edit {} --contact-again` lifts it",
            o.display_name(),
            o.id
        );
    }
    let other = template_data(cfg, o, addr).contact;
    data.intro = IntroData {
        other,
        why: i.why.trim().trim_end_matches('.').to_string(),
        reminder: i.reminder,
    };
    Ok(i.cc_other.then(|| (o.name.clone(), addr.to_string())))
}

/// Rebuilds a draft's bytes after the user edited its subject or body, keeping its
/// recipient, Message-ID and thread.
pub fn recompose(
    cfg: &Loaded,
    d: &crate::store::Draft,
    subject: &str,
    body: &str,
) -> Result<Vec<u8>> {
    let cfg = &cfg.for_account_or_first(&d.account);
    let identity = &cfg.config.identity;
    let envelope = render::Envelope {
        from_name: &identity.name,
        from_addr: &identity.email,
        to_name: &d.to_name,
        to_addr: &d.to_addr,
        cc: (!d.cc_addr.is_empty()).then_some((d.cc_name.as_str(), d.cc_addr.as_str())),
        message_id: &d.message_id,
        in_reply_to: &d.in_reply_to,
        references: &d.references,
    };
    Ok(render::compose(
        &envelope,
        &render::Rendered {
            subject: subject.to_string(),
            body: body.to_string(),
        },
    )?)
}
