//! A tiny iCalendar feed server on loopback for the calendar tests: one secret path
//! serving the text set with [`Feed::set`], with an ETag (If-None-Match answers 304),
//! counting the requests it gets. A std `TcpListener` on its own thread; the listener
//! thread ends with the process (each test has its own port).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

#[derive(Default)]
struct Shared {
    text: Mutex<(String, u64)>,
    requests: AtomicUsize,
    not_modified: AtomicUsize,
}

/// A running feed.
pub struct Feed {
    shared: Arc<Shared>,
    /// The secret path (`/private-…/basic.ics`).
    pub path: String,
    port: u16,
}

impl Feed {
    /// Starts serving `text` at a secret path.
    pub fn start(text: &str) -> Feed {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared::default());
        *shared.text.lock().unwrap() = (text.to_string(), 1);
        let path = format!("/private-{:016x}/basic.ics", fastrand::u64(..));
        let (s, p) = (shared.clone(), path.clone());
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    continue;
                }
                let mut if_none_match = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':')
                        && k.eq_ignore_ascii_case("if-none-match")
                    {
                        if_none_match = Some(v.trim().to_string());
                    }
                }
                s.requests.fetch_add(1, Ordering::SeqCst);
                let (text, version) = s.text.lock().unwrap().clone();
                let etag = format!("\"v{version}\"");
                let wanted = first.split_whitespace().nth(1) == Some(p.as_str());
                let answer = if !wanted {
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_string()
                } else if if_none_match.as_deref() == Some(etag.as_str()) {
                    s.not_modified.fetch_add(1, Ordering::SeqCst);
                    format!(
                        "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                    )
                } else {
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/calendar; charset=utf-8\r\nETag: {etag}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                        text.len()
                    )
                };
                let _ = conn.write_all(answer.as_bytes());
            }
        });
        Feed { shared, path, port }
    }

    /// The feed's (secret) address.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.path)
    }

    /// Replaces the feed's text (a new ETag).
    pub fn set(&self, text: &str) {
        let mut t = self.shared.text.lock().unwrap();
        *t = (text.to_string(), t.1 + 1);
    }

    /// Requests served so far.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Of those, answered 304 Not Modified.
    pub fn not_modified(&self) -> usize {
        self.shared.not_modified.load(Ordering::SeqCst)
    }
}
