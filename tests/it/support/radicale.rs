//! A private Radicale (CalDAV, Debian's `radicale` package) for the calendar tests:
//! started in a fresh temporary directory on a free loopback port, with one user
//! (`ada`, password [`Radicale::PASSWORD`]) and plain htpasswd logins; stopped and
//! removed on drop. Events are put with plain HTTP (PUT, DELETE, MKCALENDAR); the
//! requests rapport makes are counted from Radicale's own log.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::{log_file, make_certificates, stop_child, tail, write};

const RADICALE: &str = "/usr/bin/radicale";

/// A running Radicale.
pub struct Radicale {
    dir: tempfile::TempDir,
    port: u16,
    child: Child,
    tls: bool,
}

impl Radicale {
    /// The user's password.
    pub const PASSWORD: &'static str = "ada-dav-secret";

    /// Starts one, with the calendar collection `/ada/work/` made.
    pub fn start() -> Radicale {
        let r = Radicale::spawn(false);
        let (status, body) = r.request("MKCALENDAR", "/ada/work/", "");
        assert_eq!(status, 201, "MKCALENDAR: {body}");
        r
    }

    /// Starts one on HTTPS only (a certificate from a throwaway CA, [`Radicale::ca_file`]),
    /// with `/ada/work/` holding `events` ((file name, iCalendar text)) from the start.
    pub fn start_tls(events: &[(&str, &str)]) -> Radicale {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("collections/collection-root/ada/work");
        std::fs::create_dir_all(&work).unwrap();
        write(
            &work.join(".Radicale.props"),
            r#"{"tag": "VCALENDAR", "D:displayname": "work"}"#,
        );
        for (name, ics) in events {
            write(&work.join(name), ics);
        }
        make_certificates(
            dir.path(),
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        );
        Radicale::spawn_in(dir, true)
    }

    /// The PEM file of the CA that signed a TLS instance's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn spawn(tls: bool) -> Radicale {
        Radicale::spawn_in(tempfile::tempdir().unwrap(), tls)
    }

    fn spawn_in(dir: tempfile::TempDir, tls: bool) -> Radicale {
        assert!(
            std::path::Path::new(RADICALE).exists(),
            "{RADICALE} is missing; run `scripts/setup-test-servers.sh` as root"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let root = dir.path();
        write(&root.join("users"), format!("ada:{}\n", Self::PASSWORD));
        write(
            &root.join("config"),
            format!(
                "[server]\nhosts = 127.0.0.1:{port}\n{ssl}\
                 [auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\ndelay = 0\n\
                 [rights]\ntype = owner_only\n\
                 [storage]\nfilesystem_folder = {store}\n\
                 [web]\ntype = none\n\
                 [logging]\nlevel = info\nmask_passwords = True\n",
                ssl = if tls {
                    format!(
                        "ssl = True\ncertificate = {}\nkey = {}\n",
                        root.join("server.pem").display(),
                        root.join("server.key").display()
                    )
                } else {
                    String::new()
                },
                users = root.join("users").display(),
                store = root.join("collections").display(),
            ),
        );
        let log = log_file(&root.join("radicale.log"));
        let child = Command::new(RADICALE)
            .arg("--config")
            .arg(root.join("config"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let r = Radicale {
            dir,
            port,
            child,
            tls,
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "Radicale did not start:\n{}",
                tail(&r.log_path(), 30)
            );
            thread::sleep(Duration::from_millis(100));
        }
        r
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("radicale.log")
    }

    /// The CalDAV address of `/ada/work/`.
    pub fn calendar_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}/ada/work/", self.port)
    }

    /// Sends one request as `ada`; (status, body).
    pub fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        self.request_as(method, path, body, Self::PASSWORD)
    }

    /// Sends one request as `ada` with `password`; (status, body).
    pub fn request_as(
        &self,
        method: &str,
        path: &str,
        body: &str,
        password: &str,
    ) -> (u16, String) {
        use base64::Engine;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("ada:{password}"));
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Basic {auth}\r\n\
             Content-Type: text/calendar; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, answer)
    }

    /// Puts (creates or replaces) the event resource `name` in `/ada/work/`.
    pub fn put(&self, name: &str, ics: &str) {
        let (status, body) = self.request("PUT", &format!("/ada/work/{name}"), ics);
        assert!(matches!(status, 201 | 204), "PUT {name}: {body}");
    }

    /// Deletes the event resource `name`.
    pub fn delete(&self, name: &str) {
        let (status, body) = self.request("DELETE", &format!("/ada/work/{name}"), "");
        assert!(matches!(status, 200 | 204), "DELETE {name}: {body}");
    }

    /// How many requests with `method` Radicale has logged.
    pub fn requests(&self, method: &str) -> usize {
        let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let needle = format!("{method} request for");
        log.lines().filter(|l| l.contains(&needle)).count()
    }

    /// Every request Radicale has logged (all methods).
    pub fn all_requests(&self) -> usize {
        let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        log.lines().filter(|l| l.contains(" request for ")).count()
    }

    /// Radicale's log, for a failing test's message.
    pub fn log(&self) -> String {
        tail(&self.log_path(), 40)
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        stop_child(&mut self.child, "radicale");
    }
}
