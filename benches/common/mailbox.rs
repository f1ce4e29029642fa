//! A generated mailbox shaped like real mail (the corpus): list and notification mail
//! with HTML parts, plain human mail and quoted replies from contacts and strangers,
//! attachments, calendar invites, auto-replies, bounces and the user's own mail.
//! Deterministic (seeded), so every run reads the same bytes.

/// How many people write; the first [`CONTACTS`] of them are contacts.
pub const PEOPLE: usize = 2_000;
/// How many correspondents are contacts.
pub const CONTACTS: usize = 200;
/// The user.
pub const ME: &str = "me@example.test";

/// The address of person `k`.
pub fn person(k: usize) -> String {
    format!("person{k}@corp{}.test", k % 97)
}

/// The name of person `k`.
fn name(k: usize) -> String {
    const FIRST: [&str; 8] = [
        "Ana", "Bruno", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana",
    ];
    const LAST: [&str; 8] = [
        "Silva", "Novak", "Okafor", "Ito", "Berg", "Haddad", "Kowal", "Reyes",
    ];
    format!("{} {} {k}", FIRST[k % 8], LAST[(k / 8) % 8])
}

const WORDS: [&str; 24] = [
    "project", "update", "the", "timeline", "we", "should", "review", "numbers", "before", "next",
    "week", "thanks", "for", "your", "help", "with", "launch", "plan", "team", "budget", "draft",
    "notes", "meeting", "quarter",
];

fn prose(rng: &mut fastrand::Rng, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 80);
    let mut line = 0;
    while s.len() < bytes {
        let w = WORDS[rng.usize(..WORDS.len())];
        s.push_str(w);
        line += w.len() + 1;
        if line > 68 {
            s.push_str(".\r\n");
            line = 0;
        } else {
            s.push(' ');
        }
    }
    s.push_str("\r\n");
    s
}

fn html(rng: &mut fastrand::Rng, bytes: usize) -> String {
    let mut s = String::from("<html><body><table width=\"100%\">");
    while s.len() < bytes {
        s.push_str(
            "<tr><td style=\"font-family:Arial;padding:8px\"><a href=\"https://news.example/t/",
        );
        s.push_str(&rng.u64(..).to_string());
        s.push_str("\">");
        s.push_str(&prose(rng, 120));
        s.push_str("</a></td></tr>\r\n");
    }
    s.push_str("</table></body></html>\r\n");
    s
}

fn base64_blob(rng: &mut fastrand::Rng, bytes: usize) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes + bytes / 76 * 2);
    for i in 0..bytes {
        s.push(char::from(B64[rng.usize(..64)]));
        if i % 76 == 75 {
            s.push_str("\r\n");
        }
    }
    s.push_str("\r\n");
    s
}

/// Message `i` of `n` (Message-ID `<tag-i@example.test>`), dated within the last 60 days before `now` (oldest first).
pub fn message(
    rng: &mut fastrand::Rng,
    tag: &str,
    i: usize,
    n: usize,
    now: jiff::Timestamp,
) -> Vec<u8> {
    let back = (n - i) as i64 * 60 * 86_400 / n.max(1) as i64;
    let date = now
        .checked_sub(jiff::SignedDuration::from_secs(back))
        .unwrap_or(now)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
        .to_string();
    let contact = rng.usize(..CONTACTS);
    let stranger = CONTACTS + rng.usize(..PEOPLE - CONTACTS);
    let kind = rng.usize(..100);
    let (from, to, subject, headers, body) = match kind {
        // Newsletters and list mail: HTML beside text, with list headers.
        0..38 => {
            let b = format!("b{i}");
            let text = { let len = 1_000 + rng.usize(..3_000); prose(rng, len) };
            let h = { let len = 3_000 + rng.usize(..10_000); html(rng, len) };
            (
                format!("Weekly News <news@list{}.example>", i % 40),
                ME.to_string(),
                format!("This week in widgets #{i}"),
                format!(
                    "List-Id: <weekly{}.list.example>\r\nList-Unsubscribe: <https://list.example/u/{i}>\r\nPrecedence: list\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"{b}\"\r\n",
                    i % 40
                ),
                format!(
                    "--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}--{b}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{h}--{b}--\r\n"
                ),
            )
        }
        // Notifications from services: HTML, no list headers.
        38..55 => {
            let b = format!("n{i}");
            let h = { let len = 2_000 + rng.usize(..6_000); html(rng, len) };
            (
                format!("Service <noreply@service{}.example>", i % 25),
                ME.to_string(),
                format!("Your receipt #{i}"),
                format!(
                    "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"{b}\"\r\n"
                ),
                format!(
                    "--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour order {i} has shipped.\r\n--{b}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{h}--{b}--\r\n"
                ),
            )
        }
        // People: strangers (55..75) and contacts (75..90), some replying with a quote.
        55..90 => {
            let k = if kind < 75 { stranger } else { contact };
            let asks = rng.usize(..5) == 0;
            let fresh = if asks {
                "Hi, would you have 20 minutes for a call next week? Tuesday or Wednesday works for me.\r\n".to_string()
            } else {
                { let len = 300 + rng.usize(..1_500); prose(rng, len) }
            };
            let quoted = if rng.bool() {
                let q: String = { let len = 600 + rng.usize(..1_500); prose(rng, len) }
                    .lines()
                    .map(|l| format!("> {l}\r\n"))
                    .collect();
                format!("\r\nOn Mon, 2 Nov 2026, Me <{ME}> wrote:\r\n{q}")
            } else {
                String::new()
            };
            (
                format!("{} <{}>", name(k), person(k)),
                format!("Me <{ME}>"),
                format!("Re: {} {i}", WORDS[i % WORDS.len()]),
                format!(
                    "In-Reply-To: <thread-{}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n",
                    i / 3
                ),
                format!("{fresh}{quoted}\r\n-- \r\n{}\r\n", name(k)),
            )
        }
        // A document attached.
        90..93 => {
            let k = if rng.bool() { contact } else { stranger };
            let b = format!("m{i}");
            let text = prose(rng, 400);
            let blob = { let len = 15_000 + rng.usize(..50_000); base64_blob(rng, len) };
            (
                format!("{} <{}>", name(k), person(k)),
                ME.to_string(),
                format!("Slides for {i}"),
                format!(
                    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{b}\"\r\n"
                ),
                format!(
                    "--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}--{b}\r\nContent-Type: application/pdf; name=\"deck.pdf\"\r\nContent-Disposition: attachment; filename=\"deck.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{blob}--{b}--\r\n"
                ),
            )
        }
        // A calendar invitation.
        93..95 => {
            let k = if rng.bool() { contact } else { stranger };
            let b = format!("c{i}");
            let day = now
                .checked_add(jiff::SignedDuration::from_hours(24 * 3))
                .unwrap_or(now)
                .strftime("%Y%m%d")
                .to_string();
            (
                format!("{} <{}>", name(k), person(k)),
                ME.to_string(),
                format!("Invitation: Sync {i}"),
                format!(
                    "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"{b}\"\r\n"
                ),
                format!(
                    "--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYou have been invited to Sync {i}.\r\n--{b}\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:bench-{i}@example.test\r\nDTSTAMP:{day}T090000Z\r\nDTSTART:{day}T150000Z\r\nDTEND:{day}T153000Z\r\nSUMMARY:Sync {i}\r\nORGANIZER;CN={n}:mailto:{a}\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{ME}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--{b}--\r\n",
                    n = name(k),
                    a = person(k)
                ),
            )
        }
        // Out of the office.
        95..97 => (
            format!("{} <{}>", name(contact), person(contact)),
            ME.to_string(),
            format!("Automatic reply: {}", WORDS[i % WORDS.len()]),
            "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n".to_string(),
            "I am out of the office until Monday with limited access to email.\r\n".to_string(),
        ),
        // A bounce of something the user sent.
        97 => {
            let b = format!("d{i}");
            (
                "Mail Delivery System <mailer-daemon@mx.example>".to_string(),
                ME.to_string(),
                "Undelivered Mail Returned to Sender".to_string(),
                format!(
                    "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\"\r\n"
                ),
                format!(
                    "--{b}\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n--{b}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; {a}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n--{b}\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: {ME}\r\nTo: {a}\r\nSubject: hello\r\nMessage-ID: <sent-{i}@example.test>\r\n--{b}--\r\n",
                    a = person(stranger)
                ),
            )
        }
        // The user's own mail, copied to the inbox.
        _ => (
            format!("Me <{ME}>"),
            format!("{} <{}>", name(contact), person(contact)),
            format!("Following up {i}"),
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n".to_string(),
            { let len = 400 + rng.usize(..800); prose(rng, len) },
        ),
    };
    format!(
        "Return-Path: <bounce@example.test>\r\nReceived: from mx.example by imap.example.test; {date}\r\nFrom: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{tag}-{i}@example.test>\r\n{headers}\r\n{body}"
    )
    .into_bytes()
}
