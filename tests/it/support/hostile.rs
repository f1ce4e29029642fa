//! A small scriptable IMAP server on loopback for the hostile-server tests
//! (`tests/it/hostile_imap.rs`): plain TCP on 127.0.0.1 (rapport allows `security =
//! "none"` only to a loopback host), one thread per connection, enough IMAP4rev1 for
//! rapport (CAPABILITY, LOGIN, LIST, EXAMINE, UNSELECT, CLOSE, UID SEARCH, UID FETCH,
//! IDLE, APPEND, NOOP, LOGOUT), and [`Fault`]s that make it refuse or cut an answer the
//! way a broken or hostile server does. It counts logins and APPENDs and remembers what
//! it was sent.
//!
//! Declared from `tests/it/main.rs` by path, not from `support/mod.rs`, so that the
//! benches that include `support/mod.rs` do not compile it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Which command a fault spoils.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    Login,
    Search,
    /// A UID FETCH asking for headers.
    FetchHeaders,
    /// A UID FETCH asking for message texts.
    FetchTexts,
    /// A UID FETCH asking for BODYSTRUCTURE.
    FetchStructure,
    Idle,
    Append,
}

/// How an answer is spoiled. The refusals and cuts come after about half the answer,
/// so that a client taking the short answer for a whole one loses the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    No,
    Bad,
    Bye,
    /// The connection closes without a word.
    Eof,
    /// FETCH responses without their UID.
    FetchWithoutUid,
    /// A FETCH response no IMAP parser can read (an unbalanced BODYSTRUCTURE), then
    /// the tagged OK.
    Unreadable,
    /// Every other message asked for left out, then a tagged OK.
    FetchOmits,
    /// An extra FETCH for a message that was not asked for (UID 900), then the answer.
    FetchUnasked,
    /// Unsolicited FETCH responses without end (100,000 at most, then the answer).
    EndlessUnsolicited,
    /// APPEND to the folder open read-only is refused as Courier does.
    ReadOnlyAppend,
    /// Microsoft 365's answer to a burst: `NO [THROTTLED] … Suggested Backoff Time: N ms`
    /// (a LOGIN or a UID SEARCH), the figure in milliseconds.
    Throttled(u64),
}

/// One message in a folder.
#[derive(Clone, Debug)]
pub struct Message {
    pub uid: u32,
    pub raw: Vec<u8>,
}

/// What the server holds and how it misbehaves; tests change it between runs.
#[derive(Debug, Default)]
pub struct State {
    /// LIST entries: attributes (e.g. `\HasNoChildren \Sent`) and the name's raw bytes.
    pub list: Vec<(String, Vec<u8>)>,
    pub folders: BTreeMap<String, Vec<Message>>,
    pub uidvalidity: u32,
    pub capabilities: String,
    /// Active faults and how many more times each applies.
    pub faults: Vec<(On, Fault, usize)>,
    pub logins: usize,
    /// When each LOGIN came, for the tests that measure how a client paces itself.
    pub login_times: Vec<std::time::Instant>,
    pub appends: usize,
    /// Every command line received (LOGIN lines included).
    pub commands: Vec<String>,
}

/// The server; stops when dropped.
pub struct HostileImap {
    pub port: u16,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl HostileImap {
    /// An INBOX and a `\Sent` folder named `Sent`, both empty, with IDLE and UNSELECT
    /// not offered unless asked (see [`Self::set_capabilities`]).
    pub fn start() -> HostileImap {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            list: vec![
                ("\\HasNoChildren".into(), b"INBOX".to_vec()),
                ("\\HasNoChildren \\Sent".into(), b"Sent".to_vec()),
            ],
            folders: [("INBOX".to_string(), vec![]), ("Sent".to_string(), vec![])].into(),
            uidvalidity: 7,
            capabilities: "IMAP4rev1 IDLE".into(),
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        listener.set_nonblocking(true).unwrap();
        thread::spawn(move || {
            while !sp.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((conn, _)) => {
                        let st = st.clone();
                        thread::spawn(move || {
                            let _ = serve(conn, &st);
                        });
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        HostileImap { port, state, stop }
    }

    /// Puts messages in `folder`, with UIDs following the highest there.
    pub fn add(&self, folder: &str, raws: &[Vec<u8>]) {
        let mut st = self.state.lock().unwrap();
        let msgs = st.folders.entry(folder.to_string()).or_default();
        for raw in raws {
            let uid = msgs.last().map_or(1, |m| m.uid + 1);
            msgs.push(Message {
                uid,
                raw: raw.clone(),
            });
        }
    }

    /// Spoils the answers to `on`, `times` times (`usize::MAX`: always).
    pub fn fault(&self, on: On, fault: Fault, times: usize) {
        self.state.lock().unwrap().faults.push((on, fault, times));
    }

    pub fn set_capabilities(&self, caps: &str) {
        self.state.lock().unwrap().capabilities = caps.to_string();
    }

    pub fn logins(&self) -> usize {
        self.state.lock().unwrap().logins
    }

    /// When each LOGIN came.
    pub fn login_times(&self) -> Vec<std::time::Instant> {
        self.state.lock().unwrap().login_times.clone()
    }

    pub fn appends(&self) -> usize {
        self.state.lock().unwrap().appends
    }

    pub fn messages(&self, folder: &str) -> Vec<Message> {
        let st = self.state.lock().unwrap();
        st.folders.get(folder).cloned().unwrap_or_default()
    }

    /// The `[imap]` section that reaches this server.
    pub fn imap_section(&self) -> String {
        format!(
            "[imap]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nusername = \"me@example.test\"\npassword_command = \"echo me-secret\"\ntimeout_seconds = 5\npoll_seconds = 10\n",
            self.port
        )
    }
}

impl Drop for HostileImap {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The fault for `on`, if one is active (and counts it).
fn take_fault(st: &Arc<Mutex<State>>, on: On) -> Option<Fault> {
    let mut st = st.lock().unwrap();
    let i = st.faults.iter().position(|(o, _, n)| *o == on && *n > 0)?;
    let f = &mut st.faults[i];
    if f.2 != usize::MAX {
        f.2 -= 1;
    }
    Some(f.1.clone())
}

struct Conn {
    out: TcpStream,
    input: BufReader<TcpStream>,
    selected: Option<String>,
}

impl Conn {
    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }
    fn line(&mut self, text: &str) -> std::io::Result<()> {
        self.send(format!("{text}\r\n").as_bytes())
    }
}

fn serve(stream: TcpStream, st: &Arc<Mutex<State>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut c = Conn {
        out: stream.try_clone()?,
        input: BufReader::new(stream),
        selected: None,
    };
    c.line("* OK hostile IMAP ready")?;
    loop {
        let mut line = Vec::new();
        if c.input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        st.lock().unwrap().commands.push(text.clone());
        let (tag, rest) = text.split_once(' ').unwrap_or((text.as_str(), ""));
        let (verb, args) = rest.split_once(' ').unwrap_or((rest, ""));
        let verb = verb.to_ascii_uppercase();
        let go_on = match verb.as_str() {
            "CAPABILITY" => {
                let caps = st.lock().unwrap().capabilities.clone();
                c.line(&format!("* CAPABILITY {caps}"))?;
                c.line(&format!("{tag} OK done"))?;
                true
            }
            "LOGIN" => {
                {
                    let mut s = st.lock().unwrap();
                    s.logins += 1;
                    s.login_times.push(std::time::Instant::now());
                }
                let fault = take_fault(st, On::Login);
                if let Some(Fault::Throttled(ms)) = fault {
                    c.line(&throttled(tag, ms))?;
                } else if fault.is_some() {
                    c.line(&format!(
                        "{tag} NO [AUTHENTICATIONFAILED] Authentication failed."
                    ))?;
                } else {
                    c.line(&format!("{tag} OK logged in"))?;
                }
                true
            }
            "LIST" => list(&mut c, st, tag)?,
            "EXAMINE" | "SELECT" => examine(&mut c, st, tag, args)?,
            "UNSELECT" | "CLOSE" => {
                c.selected = None;
                c.line(&format!("{tag} OK done"))?;
                true
            }
            "UID" => uid_command(&mut c, st, tag, args)?,
            "IDLE" => idle(&mut c, st, tag)?,
            "APPEND" => append(&mut c, st, tag, args)?,
            "NOOP" => {
                c.line(&format!("{tag} OK done"))?;
                true
            }
            "LOGOUT" => {
                c.line("* BYE bye")?;
                c.line(&format!("{tag} OK done"))?;
                false
            }
            _ => {
                c.line(&format!("{tag} BAD unknown command"))?;
                true
            }
        };
        if !go_on {
            return Ok(());
        }
    }
}

fn list(c: &mut Conn, st: &Arc<Mutex<State>>, tag: &str) -> std::io::Result<bool> {
    let entries = st.lock().unwrap().list.clone();
    for (attrs, name) in entries {
        let mut l = format!("* LIST ({attrs}) \"/\" \"").into_bytes();
        l.extend_from_slice(&name);
        l.extend_from_slice(b"\"\r\n");
        c.send(&l)?;
    }
    c.line(&format!("{tag} OK LIST done"))?;
    Ok(true)
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').to_string()
}

fn examine(c: &mut Conn, st: &Arc<Mutex<State>>, tag: &str, args: &str) -> std::io::Result<bool> {
    let name = unquote(args);
    let (msgs, validity) = {
        let s = st.lock().unwrap();
        (s.folders.get(&name).cloned(), s.uidvalidity)
    };
    let Some(msgs) = msgs else {
        c.line(&format!("{tag} NO Mailbox doesn't exist: {name}"))?;
        return Ok(true);
    };
    let next = msgs.last().map_or(1, |m| m.uid + 1);
    c.line(&format!("* {} EXISTS", msgs.len()))?;
    c.line(&format!("* OK [UIDVALIDITY {validity}] UIDs valid"))?;
    c.line(&format!("* OK [UIDNEXT {next}] Predicted next UID"))?;
    c.selected = Some(name);
    c.line(&format!("{tag} OK [READ-ONLY] Examine completed"))?;
    Ok(true)
}

/// Microsoft 365's words for a throttled request.
fn throttled(tag: &str, ms: u64) -> String {
    format!("{tag} NO [THROTTLED] Request is throttled. Suggested Backoff Time: {ms} ms")
}

/// Answers a refusal or a cut; `false` when the connection is to close.
fn spoil(c: &mut Conn, tag: &str, fault: &Fault) -> std::io::Result<bool> {
    match fault {
        Fault::No => c.line(&format!("{tag} NO [SERVERBUG] Internal error occurred"))?,
        Fault::Bad => c.line(&format!("{tag} BAD Command arguments invalid"))?,
        Fault::Bye => {
            c.line("* BYE Server shutting down")?;
            return Ok(false);
        }
        Fault::Eof => return Ok(false),
        Fault::Throttled(ms) => c.line(&throttled(tag, *ms))?,
        _ => return Ok(true),
    }
    Ok(true)
}

fn uid_command(
    c: &mut Conn,
    st: &Arc<Mutex<State>>,
    tag: &str,
    args: &str,
) -> std::io::Result<bool> {
    let (verb, rest) = args.split_once(' ').unwrap_or((args, ""));
    let msgs = {
        let s = st.lock().unwrap();
        let sel = c.selected.clone().unwrap_or_default();
        s.folders.get(&sel).cloned().unwrap_or_default()
    };
    match verb.to_ascii_uppercase().as_str() {
        "SEARCH" => search(c, st, tag, rest, &msgs),
        "FETCH" => fetch(c, st, tag, rest, &msgs),
        _ => {
            c.line(&format!("{tag} BAD unknown UID command"))?;
            Ok(true)
        }
    }
}

fn search(
    c: &mut Conn,
    st: &Arc<Mutex<State>>,
    tag: &str,
    query: &str,
    msgs: &[Message],
) -> std::io::Result<bool> {
    let q = query.to_ascii_uppercase();
    let found: Vec<u32> = if let Some(range) = q.strip_prefix("UID ") {
        let from: u32 = range.split(':').next().unwrap_or("1").parse().unwrap_or(1);
        let mut v: Vec<u32> = msgs.iter().map(|m| m.uid).filter(|u| *u >= from).collect();
        if v.is_empty()
            && let Some(last) = msgs.last()
        {
            v.push(last.uid);
        }
        v
    } else if q.starts_with("HEADER MESSAGE-ID") {
        let id = query
            .split_once('"')
            .map_or("", |(_, r)| r.trim_end_matches('"'));
        let id = id.replace("\\\"", "\"");
        msgs.iter()
            .filter(|m| String::from_utf8_lossy(&m.raw).contains(&id))
            .map(|m| m.uid)
            .collect()
    } else {
        msgs.iter().map(|m| m.uid).collect()
    };
    // An empty answer has no half to cut: the fault waits for a search that finds
    // something (Sent, read first, is empty in most tests).
    let fault = if found.is_empty() {
        None
    } else {
        take_fault(st, On::Search)
    };
    let half = if fault.is_some() {
        found.len() / 2
    } else {
        found.len()
    };
    let shown: Vec<String> = found[..half].iter().map(u32::to_string).collect();
    c.line(format!("* SEARCH {}", shown.join(" ")).trim_end())?;
    if let Some(f) = fault {
        return spoil(c, tag, &f);
    }
    c.line(&format!("{tag} OK Search completed"))?;
    Ok(true)
}

/// The UIDs of a set such as `1:5,9,12:*`.
fn uid_set(set: &str, msgs: &[Message]) -> Vec<u32> {
    let top = msgs.last().map_or(0, |m| m.uid);
    let mut out = Vec::new();
    for part in set.split(',') {
        let num = |s: &str| {
            if s == "*" {
                top
            } else {
                s.parse().unwrap_or(0)
            }
        };
        let (a, b) = match part.split_once(':') {
            Some((a, b)) => (num(a), num(b)),
            None => (num(part), num(part)),
        };
        let (a, b) = (a.min(b), a.max(b));
        out.extend(msgs.iter().map(|m| m.uid).filter(|u| *u >= a && *u <= b));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `<0.N>` after a section in the query, if any.
fn partial(query: &str, section: &str) -> Option<usize> {
    let at = query.find(section)? + section.len();
    let rest = query.get(at..)?.strip_prefix("<0.")?;
    rest.split('>').next()?.parse().ok()
}

fn header_of(raw: &[u8]) -> &[u8] {
    match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(p) => &raw[..p + 4],
        None => raw,
    }
}

/// One FETCH response for `m` as `query` asks, with or without its UID.
fn fetch_response(seq: usize, m: &Message, query: &str, with_uid: bool) -> Vec<u8> {
    let q = query.to_ascii_uppercase();
    let mut items: Vec<u8> = Vec::new();
    let mut add = |head: String, data: Option<&[u8]>| {
        if !items.is_empty() {
            items.push(b' ');
        }
        items.extend_from_slice(head.as_bytes());
        if let Some(d) = data {
            items.extend_from_slice(format!(" {{{}}}\r\n", d.len()).as_bytes());
            items.extend_from_slice(d);
        }
    };
    if with_uid {
        add(format!("UID {}", m.uid), None);
    }
    if q.contains("RFC822.SIZE") {
        add(format!("RFC822.SIZE {}", m.raw.len()), None);
    }
    if q.contains("INTERNALDATE") {
        add("INTERNALDATE \"20-Nov-2026 10:00:00 +0000\"".into(), None);
    }
    if q.contains("BODY.PEEK[HEADER]") {
        let h = header_of(&m.raw);
        match partial(&q, "BODY.PEEK[HEADER]") {
            Some(n) => add("BODY[HEADER]<0>".into(), Some(&h[..h.len().min(n)])),
            None => add("BODY[HEADER]".into(), Some(h)),
        }
    }
    if q.contains("BODY.PEEK[TEXT]") {
        let h = header_of(&m.raw).len();
        let t = &m.raw[h.min(m.raw.len())..];
        match partial(&q, "BODY.PEEK[TEXT]") {
            Some(n) => add("BODY[TEXT]<0>".into(), Some(&t[..t.len().min(n)])),
            None => add("BODY[TEXT]".into(), Some(t)),
        }
    }
    if q.contains("BODY.PEEK[]") {
        add("BODY[]".into(), Some(&m.raw));
    }
    let mut out = format!("* {seq} FETCH (").into_bytes();
    out.extend_from_slice(&items);
    out.extend_from_slice(b")\r\n");
    out
}

fn fetch(
    c: &mut Conn,
    st: &Arc<Mutex<State>>,
    tag: &str,
    args: &str,
    msgs: &[Message],
) -> std::io::Result<bool> {
    let (set, query) = args.split_once(' ').unwrap_or((args, ""));
    let uids = uid_set(set, msgs);
    let upper = query.to_ascii_uppercase();
    let on = if upper.contains("[HEADER]") {
        On::FetchHeaders
    } else if upper.contains("BODYSTRUCTURE") {
        On::FetchStructure
    } else {
        On::FetchTexts
    };
    let fault = take_fault(st, on);
    if fault == Some(Fault::Unreadable) {
        let uid = uids.first().copied().unwrap_or(1);
        c.line(&format!(
            "* 1 FETCH (UID {uid} BODYSTRUCTURE (((\"text\" \"plain\""
        ))?;
        c.line(&format!("{tag} OK Fetch completed"))?;
        return Ok(true);
    }
    let seq_of = |uid: u32| msgs.iter().position(|m| m.uid == uid).unwrap_or(0) + 1;
    let cut = matches!(
        fault,
        Some(Fault::No | Fault::Bad | Fault::Bye | Fault::Eof)
    );
    let upto = if cut { uids.len() / 2 } else { uids.len() };
    if fault == Some(Fault::FetchUnasked) {
        let stranger = Message {
            uid: 900,
            raw: b"From: Mallory <mallory@example.test>\r\nTo: me@example.test\r\nSubject: not asked for\r\nMessage-ID: <unasked@example.test>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n\r\nnot asked for\r\n".to_vec(),
        };
        c.send(&fetch_response(99, &stranger, query, true))?;
    }
    if fault == Some(Fault::EndlessUnsolicited) {
        for i in 0..100_000usize {
            let l = format!("* {} FETCH (FLAGS (\\Seen))\r\n", i % 50 + 1);
            if c.send(l.as_bytes()).is_err() {
                return Ok(false);
            }
        }
    }
    let with_uid = fault != Some(Fault::FetchWithoutUid);
    for (i, uid) in uids[..upto].iter().enumerate() {
        if fault == Some(Fault::FetchOmits) && i % 2 == 1 {
            continue;
        }
        let m = msgs.iter().find(|m| m.uid == *uid).unwrap();
        c.send(&fetch_response(seq_of(*uid), m, query, with_uid))?;
    }
    if let Some(f) = fault
        && cut
    {
        return spoil(c, tag, &f);
    }
    c.line(&format!("{tag} OK Fetch completed"))?;
    Ok(true)
}

fn idle(c: &mut Conn, st: &Arc<Mutex<State>>, tag: &str) -> std::io::Result<bool> {
    match take_fault(st, On::Idle) {
        Some(Fault::Bad) => {
            c.line(&format!("{tag} BAD IDLE not allowed now"))?;
            return Ok(true);
        }
        Some(Fault::Eof) => return Ok(false),
        Some(Fault::Bye) => {
            c.line("* BYE no idling here")?;
            return Ok(false);
        }
        Some(Fault::Throttled(ms)) => {
            // As Microsoft 365 does: IDLE accepted, then a BYE with a backoff hint.
            c.line("+ idling")?;
            thread::sleep(Duration::from_millis(200));
            c.line(&format!(
                "* BYE [UNAVAILABLE] Server is busy. Suggested Backoff Time: {ms} ms"
            ))?;
            return Ok(false);
        }
        _ => {}
    }
    c.line("+ idling")?;
    let mut line = Vec::new();
    if c.input.read_until(b'\n', &mut line)? == 0 {
        return Ok(false);
    }
    c.line(&format!("{tag} OK Idle completed"))?;
    Ok(true)
}

fn append(c: &mut Conn, st: &Arc<Mutex<State>>, tag: &str, args: &str) -> std::io::Result<bool> {
    st.lock().unwrap().appends += 1;
    let name = args
        .strip_prefix('"')
        .and_then(|r| r.split_once('"'))
        .map_or_else(
            || args.split(' ').next().unwrap_or("").to_string(),
            |(n, _)| n.to_string(),
        );
    let len: usize = args
        .rsplit_once('{')
        .and_then(|(_, n)| n.trim_end_matches('}').trim_end_matches('+').parse().ok())
        .unwrap_or(0);
    let fault = take_fault(st, On::Append);
    let read_only = c.selected.as_deref() == Some(name.as_str());
    if fault == Some(Fault::ReadOnlyAppend) && read_only {
        c.line(&format!("{tag} NO Current box is selected READ-ONLY."))?;
        return Ok(true);
    }
    if fault == Some(Fault::No) {
        c.line(&format!(
            "{tag} NO [OVERQUOTA] Quota exceeded (mailbox for user is full)"
        ))?;
        return Ok(true);
    }
    c.line("+ Ready for literal data")?;
    let mut data = vec![0; len];
    c.input.read_exact(&mut data)?;
    let mut crlf = Vec::new();
    c.input.read_until(b'\n', &mut crlf)?;
    {
        let mut s = st.lock().unwrap();
        let msgs = s.folders.entry(name).or_default();
        let uid = msgs.last().map_or(1, |m| m.uid + 1);
        msgs.push(Message { uid, raw: data });
    }
    c.line(&format!("{tag} OK Append completed"))?;
    Ok(true)
}
