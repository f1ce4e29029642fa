//! A plain IMAP client for the compatibility suite's own moves on the server (create,
//! delete and fill folders, read back what rapport filed): the same commands on
//! Dovecot, Cyrus and Courier, none of rapport's code. Loopback only, no TLS: each
//! server is set up to take LOGIN in the clear from 127.0.0.1. Folder names are given
//! as they go on the wire (modified UTF-7 written out by the test).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One logged-in connection.
pub struct Admin {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    tag: u32,
}

/// One message as FETCH gave it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub flags: String,
    pub raw: Vec<u8>,
}

impl Admin {
    /// Connects to 127.0.0.1:`port` and logs in, trying again for a few seconds while
    /// the server closes new connections (Cyrus's master, just after its `imapd`s were
    /// killed, restarts the service).
    pub fn login(port: u16, user: &str, password: &str) -> Admin {
        let mut last = String::new();
        for _ in 0..50 {
            match Self::try_login(port, user, password) {
                Ok(admin) => return admin,
                Err(e) => last = e,
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("admin: cannot log in to 127.0.0.1:{port} as {user}: {last}");
    }

    fn try_login(port: u16, user: &str, password: &str) -> Result<Admin, String> {
        let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let writer = stream.try_clone().map_err(|e| e.to_string())?;
        let mut admin = Admin {
            reader: BufReader::new(stream),
            writer,
            tag: 0,
        };
        let mut greeting = Vec::new();
        let n = admin
            .reader
            .read_until(b'\n', &mut greeting)
            .map_err(|e| e.to_string())?;
        if n == 0 || !greeting.starts_with(b"* OK") {
            return Err(format!("greeting: {}", show(&greeting)));
        }
        admin.try_run(&format!("LOGIN {} {}", quote(user), quote(password)))?;
        Ok(admin)
    }

    /// One whole response: its line, and any literal it announces with the rest; an
    /// error when the connection ends first.
    fn response(&mut self) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        loop {
            let start = out.len();
            let n = self
                .reader
                .read_until(b'\n', &mut out)
                .map_err(|e| format!("read: {e}"))?;
            if n == 0 {
                return Err(format!("the server closed the connection: {}", show(&out)));
            }
            let line = &out[start..];
            let Some(len) = literal(line) else {
                return Ok(out);
            };
            let at = out.len();
            out.resize(at + len, 0);
            self.reader
                .read_exact(&mut out[at..])
                .map_err(|e| format!("read a literal: {e}"))?;
        }
    }

    /// Sends a command; returns its untagged responses, or the server's NO/BAD line.
    pub fn try_run(&mut self, command: &str) -> Result<Vec<Vec<u8>>, String> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        self.writer
            .write_all(format!("{tag} {command}\r\n").as_bytes())
            .map_err(|e| format!("write: {e}"))?;
        self.finish(&tag)
    }

    fn finish(&mut self, tag: &str) -> Result<Vec<Vec<u8>>, String> {
        let mut untagged = Vec::new();
        loop {
            let r = self.response()?;
            if r.starts_with(format!("{tag} ").as_bytes()) {
                let text = show(&r);
                return match text.get(tag.len() + 1..tag.len() + 3) {
                    Some("OK") => Ok(untagged),
                    _ => Err(text),
                };
            }
            untagged.push(r);
        }
    }

    /// Sends a command that must succeed.
    pub fn run(&mut self, command: &str) -> Vec<Vec<u8>> {
        self.try_run(command)
            .unwrap_or_else(|e| panic!("admin: {command}: {e}"))
    }

    /// Creates a folder, marked with a special use (`\Sent`) when given.
    pub fn create(&mut self, wire: &str, special: Option<&str>) {
        match special {
            Some(s) => self.run(&format!("CREATE {} (USE ({s}))", quote(wire))),
            None => self.run(&format!("CREATE {}", quote(wire))),
        };
    }

    /// Deletes a folder and what it holds.
    pub fn delete(&mut self, wire: &str) {
        self.run(&format!("DELETE {}", quote(wire)));
    }

    /// Appends a message with these flags (`\Seen`, or empty).
    pub fn append(&mut self, wire: &str, flags: &str, raw: &[u8]) {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        let head = format!(
            "{tag} APPEND {} ({flags}) {{{}}}\r\n",
            quote(wire),
            raw.len()
        );
        self.writer
            .write_all(head.as_bytes())
            .expect("admin: write");
        let go = self
            .response()
            .unwrap_or_else(|e| panic!("admin: APPEND to {wire}: {e}"));
        assert!(
            go.starts_with(b"+"),
            "admin: APPEND to {wire}: {}",
            show(&go)
        );
        self.writer.write_all(raw).expect("admin: write");
        self.writer.write_all(b"\r\n").expect("admin: write");
        if let Err(e) = self.finish(&tag) {
            panic!("admin: APPEND to {wire}: {e}");
        }
    }

    /// Every message of a folder, with its flags (opened read-only).
    pub fn messages(&mut self, wire: &str) -> Vec<Stored> {
        let examined = self.run(&format!("EXAMINE {}", quote(wire)));
        let exists = examined.iter().any(|r| {
            let t = show(r);
            t.ends_with(" EXISTS") && !t.starts_with("* 0 ")
        });
        if !exists {
            return Vec::new();
        }
        let fetched = self.run("FETCH 1:* (FLAGS BODY.PEEK[])");
        fetched
            .iter()
            .map(Vec::as_slice)
            .filter_map(stored)
            .collect()
    }

    /// The folder's UIDVALIDITY.
    pub fn uidvalidity(&mut self, wire: &str) -> u32 {
        let status = self.run(&format!("STATUS {} (UIDVALIDITY)", quote(wire)));
        let text = status
            .iter()
            .map(|r| show(r.as_slice()))
            .collect::<String>();
        let at = text.find("UIDVALIDITY ").expect("a UIDVALIDITY") + 12;
        text[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("a number")
    }
}

/// `* N FETCH (FLAGS (...) BODY[] {n}\r\n<bytes>)`: the flags and the bytes.
fn stored(r: &[u8]) -> Option<Stored> {
    let text = String::from_utf8_lossy(r);
    let open = text.find("BODY[] {")?;
    let close = open + text[open..].find("}\r\n")?;
    let len: usize = text[open + 8..close].parse().ok()?;
    let start = r.windows(3).position(|w| w == b"}\r\n").map(|p| p + 3)?;
    // Byte offsets: the literal begins after the first `}\r\n`, which is BODY[]'s.
    let raw = r.get(start..start + len)?.to_vec();
    let outside = format!(
        "{}{}",
        String::from_utf8_lossy(&r[..start]),
        String::from_utf8_lossy(&r[start + len..])
    );
    let f = outside.find("FLAGS (")? + 7;
    let flags = outside[f..].split(')').next()?.to_string();
    Some(Stored { flags, raw })
}

/// `{N}` at the end of a line.
fn literal(line: &[u8]) -> Option<usize> {
    let line = line.strip_suffix(b"\r\n")?;
    let body = line.strip_suffix(b"}")?;
    let open = body.iter().rposition(|&b| b == b'{')?;
    std::str::from_utf8(&body[open + 1..])
        .ok()?
        .trim_end_matches('+')
        .parse()
        .ok()
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn show(r: &[u8]) -> String {
    String::from_utf8_lossy(r).trim_end().to_string()
}
