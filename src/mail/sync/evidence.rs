//! The evidence of a message read from its headers alone, read again on demand for
//! `rapport why`. A sync stores no evidence for such mail (most of a first sync's
//! messages: list mail, strangers, mail too large to read), which keeps the writer
//! cheap; `why` fetches the message's headers again from where the sync saw it (and its
//! text, where a sync would read it now) and reads them as the sync does.
//!
//! It never writes the new reading back (the next sync or `rapport mark` does that),
//! never sets \Seen (BODY.PEEK only) and never sends anything.

use std::collections::HashSet;

use anyhow::{Context as _, Result, bail};
use jiff::Timestamp;

use super::body::{self, Known, Need};
use super::{Classifier, TEXT_CAP, imap_account, imap_username};
use crate::config::Loaded;
use crate::core::classify::{Classification, Parsed};
use crate::mail::imap;
use crate::store::{Store, StoredMessage};

/// Reads message `m` again from the configured IMAP account, as a sync would read it
/// now; an error says why it could not (no IMAP account, not seen there, gone from the
/// folder, the server unreachable).
pub fn read_again(
    store: &Store,
    cfg: &Loaded,
    m: &StoredMessage,
    now: Timestamp,
) -> Result<Classification> {
    // The account whose IMAP server the sync read it from (with several accounts, any).
    let places = store.imap_locations(m.id)?;
    let views = cfg.account_views();
    if views.iter().all(|v| v.config.imap.is_none()) {
        bail!(
            "its evidence is read again from the IMAP server and {} has no [imap] section",
            cfg.path.display()
        );
    }
    let found = views.iter().find_map(|v| {
        let icfg = v.config.imap.as_ref()?;
        let account = imap_account(icfg, &imap_username(v, icfg));
        let place = places.iter().find(|p| p.0 == account)?;
        Some((v, icfg, place.clone()))
    });
    let Some((cfg, icfg, (_, folder, uidvalidity, uid))) = found else {
        bail!(
            "it was not read from any configured IMAP account, so its headers cannot be read again there"
        );
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("Starting the async runtime")?;
    let raw = rt.block_on(fetch(store, cfg, icfg, &folder, uidvalidity, uid, now))?;
    let (raw, arrived) = raw;
    let classifier = Classifier::new(store, cfg, now)?;
    Ok(classifier.prepare(&raw, arrived).classification)
}

/// The message's header block, and its text where a sync would read it now.
async fn fetch(
    store: &Store,
    cfg: &Loaded,
    icfg: &crate::config::Imap,
    folder: &str,
    uidvalidity: u32,
    uid: u32,
    now: Timestamp,
) -> Result<(Vec<u8>, Option<Timestamp>)> {
    let mut session = crate::login_health::connect_imap(store, cfg, icfg, now).await?;
    let shown = imap::escape_words(folder);
    let status = session.examine(folder).await?;
    if status.uidvalidity != uidvalidity {
        bail!(
            "{shown} was renumbered since the sync read it (its UIDVALIDITY changed); the next sync reads it again"
        );
    }
    let header = session.fetch_headers(&[uid]).await?.into_iter().next();
    let Some(f) = header else {
        bail!("UID {uid} is no longer in {shown} (deleted or moved since the sync read it)");
    };
    let contacts: HashSet<String> = store.contact_addresses()?;
    let sent_ids = store.sent_message_ids()?;
    let known = Known {
        contacts: &contacts,
        sent_ids: &sent_ids,
    };
    let need = match f.oversized {
        true => Need::Headers,
        false => body::need(&Parsed::new(&f.header), f.size, icfg.max_body_bytes, &known),
    };
    let mut raw = f.header;
    if need == Need::Body
        && let Some((_, text)) = session
            .fetch_texts_lean(&[uid], TEXT_CAP)
            .await?
            .into_iter()
            .next()
    {
        raw.extend_from_slice(&text);
    }
    session.logout().await;
    Ok((raw, f.internal_date))
}
