//! Reading again, whole, the messages a sync read from their headers alone, once one of
//! their correspondents became a contact (`contacts add`, `contacts import`).
//!
//! The next sync of a folder holding them fetches their text, replaces the stored
//! reading (a correction made with `rapport mark` stays in force) and derives their
//! timeline entries again. It never touches a message that was not marked.

use std::collections::HashMap;

use anyhow::Result;
use jiff::Timestamp;

use super::{BATCH, BODY_BATCH_BYTES, Classifier, FolderReport, TEXT_CAP, body_groups};
use crate::mail::imap;
use crate::store::{Store, sync_batch};

/// Reads again the marked messages `waiting` of the open folder (as `Store::rereads`
/// lists them).
pub(super) async fn run(
    store: &mut Store,
    session: &mut imap::Session,
    classifier: &Classifier,
    waiting: &[sync_batch::Reread],
    report: &mut FolderReport,
    now: Timestamp,
) -> Result<()> {
    for chunk in waiting.chunks(BATCH) {
        let by_uid: HashMap<u32, &sync_batch::Reread> = chunk.iter().map(|r| (r.uid, r)).collect();
        let uids: Vec<u32> = chunk.iter().map(|r| r.uid).collect();
        let headers = session.fetch_headers(&uids).await?;
        let all = vec![true; headers.len()];
        let mut read = Vec::with_capacity(headers.len());
        for group in body_groups(&headers, &all, BODY_BATCH_BYTES) {
            let want: Vec<u32> = headers[group.clone()].iter().map(|f| f.uid).collect();
            let texts: HashMap<u32, Vec<u8>> = session
                .fetch_texts_lean(&want, TEXT_CAP)
                .await?
                .into_iter()
                .collect();
            for f in &headers[group] {
                let (Some(text), Some(r)) = (texts.get(&f.uid), by_uid.get(&f.uid)) else {
                    continue;
                };
                let mut raw = f.header.clone();
                raw.extend_from_slice(text);
                let mut m = classifier.prepare(&raw, f.internal_date);
                m.message_id.clone_from(&r.message_id);
                read.push((r.row, m));
            }
        }
        report.bodies += read.len();
        let tx = store.batch()?;
        for (row, m) in &read {
            tx.replace_reading(*row, m)?;
            if let Some(stored) = tx.message_by_message_id(&m.message_id)? {
                report.interactions += crate::mail::timeline::derive(&tx, &stored, now)?;
            }
        }
        // Gone from the server since (its header did not come): nothing left to read. A
        // message whose header came but not its text stays marked, to be read next time.
        let there: std::collections::HashSet<u32> = headers.iter().map(|f| f.uid).collect();
        for r in chunk {
            if !there.contains(&r.uid) {
                tx.drop_headers_only(r.row)?;
            }
        }
        tx.commit()?;
    }
    Ok(())
}
