//! End-to-end proof that the test-server harness (tests/support) works, with
//! real protocols from Rust: lettre for SMTP, async-imap over rustls (driven here
//! directly, not through rapport's IMAP module, so the harness is checked on its own).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use crate::support::{Account, SeedMessage, TestServers};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};

const TIMEOUT: Duration = Duration::from_secs(15);

// ---- SMTP (lettre) ---------------------------------------------------------

fn lettre_tls(servers: &TestServers) -> TlsParameters {
    let ca = Certificate::from_pem(&servers.ca_pem()).expect("the test CA is valid PEM");
    TlsParameters::builder(servers.host())
        .certificate_store(CertificateStore::None)
        .add_root_certificate(ca)
        .build_rustls()
        .expect("lettre TLS parameters")
}

/// A transport that authenticates as `me`, with the given TLS mode and port.
fn mailer(servers: &TestServers, tls: Tls, port: u16) -> SmtpTransport {
    let me = servers.me();
    SmtpTransport::builder_dangerous(servers.host())
        .port(port)
        .tls(tls)
        .credentials(Credentials::new(me.address, me.password))
        .timeout(Some(TIMEOUT))
        .build()
}

fn starttls_mailer(servers: &TestServers) -> SmtpTransport {
    mailer(
        servers,
        Tls::Required(lettre_tls(servers)),
        servers.smtp_port(),
    )
}

fn email(from: &Account, to: &Account, subject: &str, message_id: &str) -> Message {
    Message::builder()
        .from(Mailbox::new(
            None,
            from.address.parse().expect("from address"),
        ))
        .to(Mailbox::new(None, to.address.parse().expect("to address")))
        .subject(subject)
        .message_id(Some(message_id.to_string()))
        .body(format!("Hello from the smoke test: {subject}\r\n"))
        .expect("build the message")
}

// ---- IMAP (imap crate over rustls) -----------------------------------------

fn rustls_config(servers: &TestServers) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(servers.ca_pem_path()).expect("open the CA PEM") {
        roots
            .add(cert.expect("parse the CA PEM"))
            .expect("add the test CA to the root store");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("rustls protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

fn tcp(servers: &TestServers, port: u16) -> TcpStream {
    let tcp = TcpStream::connect((servers.ip(), port))
        .unwrap_or_else(|e| panic!("connect to {}:{port}: {e}", servers.host()));
    tcp.set_read_timeout(Some(TIMEOUT)).expect("read timeout");
    tcp.set_write_timeout(Some(TIMEOUT)).expect("write timeout");
    tcp
}

type AsyncTls = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

/// An async-imap session with its own runtime, so the tests read as plain calls.
struct ImapSession {
    rt: tokio::runtime::Runtime,
    inner: async_imap::Session<AsyncTls>,
}

impl ImapSession {
    fn examine(&mut self, folder: &str) -> async_imap::error::Result<async_imap::types::Mailbox> {
        self.rt.block_on(self.inner.examine(folder))
    }

    fn uid_fetch(&mut self, set: &str, query: &str) -> Vec<async_imap::types::Fetch> {
        use futures_util::TryStreamExt as _;
        self.rt.block_on(async {
            let stream = self.inner.uid_fetch(set, query).await.expect("UID FETCH");
            stream.try_collect().await.expect("UID FETCH responses")
        })
    }

    fn fetch(&mut self, set: &str, query: &str) -> Vec<async_imap::types::Fetch> {
        use futures_util::TryStreamExt as _;
        self.rt.block_on(async {
            let stream = self.inner.fetch(set, query).await.expect("FETCH");
            stream.try_collect().await.expect("FETCH responses")
        })
    }

    fn folder_names(&mut self) -> Vec<String> {
        use futures_util::TryStreamExt as _;
        self.rt.block_on(async {
            let stream = self.inner.list(None, Some("*")).await.expect("LIST");
            let names: Vec<async_imap::types::Name> =
                stream.try_collect().await.expect("LIST responses");
            names.iter().map(|n| n.name().to_string()).collect()
        })
    }

    fn logout(&mut self) -> async_imap::error::Result<()> {
        self.rt.block_on(self.inner.logout())
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn async_tls(servers: &TestServers, tcp: tokio::net::TcpStream) -> AsyncTls {
    let name = ServerName::try_from(servers.host()).expect("server name");
    tokio_rustls::TlsConnector::from(rustls_config(servers))
        .connect(name, tcp)
        .await
        .expect("TLS handshake")
}

async fn async_tcp(servers: &TestServers, port: u16) -> tokio::net::TcpStream {
    tokio::time::timeout(
        TIMEOUT,
        tokio::net::TcpStream::connect((servers.ip(), port)),
    )
    .await
    .expect("connect timeout")
    .unwrap_or_else(|e| panic!("connect to {}:{port}: {e}", servers.host()))
}

/// Logs in over IMAPS (implicit TLS).
fn imaps_login(servers: &TestServers, account: &Account) -> ImapSession {
    let rt = runtime();
    let inner = rt.block_on(async {
        let tcp = async_tcp(servers, servers.imaps_port()).await;
        let mut client = async_imap::Client::new(async_tls(servers, tcp).await);
        client.read_response().await.expect("IMAPS greeting");
        client
            .login(&account.address, &account.password)
            .await
            .map_err(|(e, _)| e)
            .unwrap_or_else(|e| panic!("IMAPS login as {}: {e}", account.address))
    });
    ImapSession { rt, inner }
}

/// Logs in over the cleartext IMAP port after STARTTLS.
fn imap_starttls_login(servers: &TestServers, account: &Account) -> ImapSession {
    use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};
    let rt = runtime();
    let inner = rt.block_on(async {
        let tcp = async_tcp(servers, servers.imap_port()).await;
        let mut reader = tokio::io::BufReader::new(tcp);
        let mut line = String::new();
        reader.read_line(&mut line).await.expect("IMAP greeting");
        assert!(line.starts_with("* OK"), "IMAP greeting: {line:?}");
        assert!(
            line.contains("STARTTLS"),
            "no STARTTLS in the greeting: {line:?}"
        );
        reader
            .get_mut()
            .write_all(b"s1 STARTTLS\r\n")
            .await
            .expect("send STARTTLS");
        line.clear();
        reader.read_line(&mut line).await.expect("STARTTLS reply");
        assert!(line.starts_with("s1 OK"), "STARTTLS reply: {line:?}");
        assert!(reader.buffer().is_empty(), "data after the STARTTLS reply");
        // The greeting was read by hand, so the client must not read one.
        let client = async_imap::Client::new(async_tls(servers, reader.into_inner()).await);
        client
            .login(&account.address, &account.password)
            .await
            .map_err(|(e, _)| e)
            .unwrap_or_else(|e| panic!("IMAP (STARTTLS) login as {}: {e}", account.address))
    });
    ImapSession { rt, inner }
}

/// EXAMINEs `folder` and returns every message's BODY[] in sequence order.
fn fetch_all(session: &mut ImapSession, folder: &str) -> Vec<Vec<u8>> {
    let mailbox = session.examine(folder).expect("EXAMINE");
    if mailbox.exists == 0 {
        return Vec::new();
    }
    session
        .fetch("1:*", "BODY.PEEK[]")
        .iter()
        .map(|f| f.body().expect("a BODY[] in the FETCH response").to_vec())
        .collect()
}

/// A header's (unfolded) value from a raw message.
fn header(raw: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let mut value: Option<String> = None;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if let Some(v) = value.as_mut()
            && (line.starts_with(' ') || line.starts_with('\t'))
        {
            v.push_str(line);
            continue;
        }
        if value.is_some() {
            break;
        }
        if let Some((key, rest)) = line.split_once(':')
            && key.eq_ignore_ascii_case(name)
        {
            value = Some(rest.trim().to_string());
        }
    }
    value
}

/// A hand-driven SMTP session, for what a client library won't do.
struct RawSmtp {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    greeting: String,
}

impl RawSmtp {
    fn connect(servers: &TestServers, port: u16) -> RawSmtp {
        let writer = tcp(servers, port);
        let reader = BufReader::new(writer.try_clone().expect("clone the TCP stream"));
        let mut smtp = RawSmtp {
            reader,
            writer,
            greeting: String::new(),
        };
        smtp.greeting = smtp.reply();
        assert!(
            smtp.greeting.starts_with("220"),
            "SMTP greeting: {}",
            smtp.greeting
        );
        smtp
    }

    /// Sends one command line; returns the whole (multi-line) reply.
    fn command(&mut self, line: &str) -> String {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .unwrap_or_else(|e| panic!("send {line:?}: {e}"));
        self.reply()
    }

    fn reply(&mut self) -> String {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            self.reader
                .read_line(&mut line)
                .expect("read an SMTP reply");
            assert!(!line.is_empty(), "connection closed; got {text:?}");
            text.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return text;
            }
        }
    }
}

// ---- tests -----------------------------------------------------------------

#[test]
fn starttls_submission_arrives_in_imap_inbox() {
    let servers = TestServers::start();
    eprintln!("test servers started in {:?}", servers.startup_time());
    let (me, bob) = (servers.me(), servers.account("bob"));

    starttls_mailer(&servers)
        .send(&email(&me, &bob, "Smoke test 1", "<smoke-1@example.test>"))
        .unwrap_or_else(|e| panic!("send over STARTTLS: {e}\n{}", servers.diagnostics()));

    let mut imap = imaps_login(&servers, &bob);
    let messages = fetch_all(&mut imap, "INBOX");
    assert_eq!(messages.len(), 1, "bob's INBOX: {messages:?}");
    assert_eq!(
        header(&messages[0], "Subject").as_deref(),
        Some("Smoke test 1")
    );
    assert_eq!(
        header(&messages[0], "Message-ID").as_deref(),
        Some("<smoke-1@example.test>")
    );
    imap.logout().expect("LOGOUT");

    let data = servers.smtp_events("data");
    assert_eq!(data.len(), 1, "{data:?}");
    assert!(data[0].contains("\"tls\":true"), "{}", data[0]);
    assert!(data[0].contains("\"result\":\"250"), "{}", data[0]);
    assert!(
        data[0].contains("\"rcpt_tos\":[\"bob@example.test\"]"),
        "{}",
        data[0]
    );
    let auth = servers.smtp_events("auth_result");
    assert!(
        auth.iter().all(|l| l.contains("\"success\":true")),
        "{auth:?}"
    );
    assert_eq!(servers.sent_messages().len(), 1);
    assert!(
        servers
            .auth_attempts()
            .iter()
            .all(|l| l.contains("\"tls\":true"))
    );
}

#[test]
fn smtps_implicit_tls_submission_works() {
    let servers = TestServers::start();
    let (me, carol) = (servers.me(), servers.account("carol"));
    mailer(
        &servers,
        Tls::Wrapper(lettre_tls(&servers)),
        servers.smtps_port(),
    )
    .send(&email(&me, &carol, "Over SMTPS", "<smtps-1@example.test>"))
    .unwrap_or_else(|e| panic!("send over SMTPS: {e}\n{}", servers.diagnostics()));
    assert_eq!(servers.mailbox_status("carol", "INBOX").messages, 1);
}

#[test]
fn smtp_refuses_auth_and_mail_before_starttls() {
    let servers = TestServers::start();
    let mut smtp = RawSmtp::connect(&servers, servers.smtp_port());
    let ehlo = smtp.command("EHLO client.example.test");
    assert!(ehlo.contains("STARTTLS"), "{ehlo}");
    assert!(
        !ehlo.contains("AUTH"),
        "AUTH must not be offered before TLS: {ehlo}"
    );
    let auth = smtp.command("AUTH PLAIN AG1lQGV4YW1wbGUudGVzdABtZS1zZWNyZXQ=");
    assert!(auth.starts_with("538"), "AUTH before STARTTLS: {auth}");
    let mail = smtp.command("MAIL FROM:<me@example.test>");
    assert!(mail.starts_with("530"), "MAIL before STARTTLS: {mail}");
    smtp.command("QUIT");
    let attempts = servers.auth_attempts();
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert!(attempts[0].contains("\"tls\":false"), "{}", attempts[0]);

    // lettre, told to use no TLS, finds no AUTH to use and gives up.
    let err = mailer(&servers, Tls::None, servers.smtp_port())
        .send(&email(
            &servers.me(),
            &servers.account("bob"),
            "No TLS",
            "<no-tls@example.test>",
        ))
        .expect_err("no mail without STARTTLS");
    assert!(err.is_client(), "{err}");
    assert_eq!(servers.mailbox_status("bob", "INBOX").messages, 0);
}

#[test]
fn transient_rcpt_fault_then_success() {
    let servers = TestServers::start();
    let (me, bob) = (servers.me(), servers.account("bob"));
    servers.set_faults(r#"{"rcpt:bob@example.test": [451]}"#);
    let mailer = starttls_mailer(&servers);
    let message = email(&me, &bob, "Retry me", "<retry-1@example.test>");

    let err = mailer
        .send(&message)
        .expect_err("the injected 451 must fail the first attempt");
    assert!(err.is_transient(), "a 451 must be transient, got {err}");
    assert_eq!(err.status().map(|c| c.to_string()).as_deref(), Some("451"));
    assert_eq!(
        servers.faults().trim(),
        "{}",
        "the fault entry must be consumed"
    );

    mailer
        .send(&message)
        .unwrap_or_else(|e| panic!("second attempt: {e}\n{}", servers.diagnostics()));
    let mut imap = imaps_login(&servers, &bob);
    let messages = fetch_all(&mut imap, "INBOX");
    assert_eq!(messages.len(), 1);
    assert_eq!(header(&messages[0], "Subject").as_deref(), Some("Retry me"));

    let rcpts: Vec<String> = servers.smtp_events("rcpt");
    assert_eq!(rcpts.len(), 2, "{rcpts:?}");
    assert!(rcpts[0].contains("\"result\":\"451"), "{}", rcpts[0]);
    assert!(rcpts[1].contains("\"result\":\"250"), "{}", rcpts[1]);
}

#[test]
fn permanent_data_fault_is_permanent() {
    let servers = TestServers::start();
    let (me, carol) = (servers.me(), servers.account("carol"));
    servers.set_faults(r#"{"data:carol@example.test": [554]}"#);
    let err = starttls_mailer(&servers)
        .send(&email(&me, &carol, "Rejected", "<rejected-1@example.test>"))
        .expect_err("the injected 554 must fail the send");
    assert!(err.is_permanent(), "a 554 must be permanent, got {err}");
    assert_eq!(err.status().map(|c| c.to_string()).as_deref(), Some("554"));
    assert_eq!(servers.mailbox_status("carol", "INBOX").messages, 0);
    assert!(servers.sent_messages().is_empty());
    let data = servers.smtp_events("data");
    assert_eq!(data.len(), 1, "{data:?}");
    assert!(data[0].contains("\"result\":\"554"), "{}", data[0]);
}

#[test]
fn disconnect_and_delay_faults() {
    let servers = TestServers::start();
    let (me, bob) = (servers.me(), servers.account("bob"));
    servers.set_faults(r#"{"data:*": ["disconnect"], "mail:*": [{"delay": 0.3}]}"#);
    let mailer = starttls_mailer(&servers);
    let message = email(&me, &bob, "Dropped", "<dropped-1@example.test>");
    let started = std::time::Instant::now();
    let err = mailer
        .send(&message)
        .expect_err("the connection is dropped at DATA");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "the MAIL delay was not applied"
    );
    assert!(
        !err.is_permanent() && !err.is_transient(),
        "not an SMTP reply: {err}"
    );
    assert_eq!(servers.mailbox_status("bob", "INBOX").messages, 0);
    mailer
        .send(&message)
        .unwrap_or_else(|e| panic!("after the fault: {e}"));
    assert_eq!(servers.mailbox_status("bob", "INBOX").messages, 1);
    assert_eq!(servers.smtp_events("fault").len(), 2);
}

#[test]
fn unknown_recipient_is_refused() {
    let servers = TestServers::start();
    let nobody = Account {
        user: "nobody".into(),
        address: "nobody@example.test".into(),
        password: String::new(),
    };
    let err = starttls_mailer(&servers)
        .send(&email(
            &servers.me(),
            &nobody,
            "Lost",
            "<lost@example.test>",
        ))
        .expect_err("an unknown recipient must be refused");
    assert_eq!(err.status().map(|c| c.to_string()).as_deref(), Some("550"));

    let dave = servers.add_user("dave", "dave-pw");
    starttls_mailer(&servers)
        .send(&email(
            &servers.me(),
            &dave,
            "Found",
            "<found@example.test>",
        ))
        .unwrap_or_else(|e| panic!("send to a new user: {e}\n{}", servers.diagnostics()));
    assert_eq!(servers.mailbox_status("dave", "INBOX").messages, 1);
}

#[test]
fn deliver_shows_up_over_imap_starttls() {
    let servers = TestServers::start();
    let raw = b"From: Alice <alice@example.test>\nTo: me@example.test\nSubject: Delivered\n\
                Message-ID: <delivered-1@example.test>\n\n.leading dot\nbody\n";
    servers.deliver("me", raw);
    let mut imap = imap_starttls_login(&servers, &servers.me());
    let messages = fetch_all(&mut imap, "INBOX");
    assert_eq!(messages.len(), 1);
    assert_eq!(
        header(&messages[0], "Subject").as_deref(),
        Some("Delivered")
    );
    let text = String::from_utf8_lossy(&messages[0]);
    assert!(
        text.contains("\r\n\r\n.leading dot\r\nbody\r\n"),
        "{text:?}"
    );
    let folders = imap.folder_names();
    let names: Vec<&str> = folders.iter().map(String::as_str).collect();
    for special in crate::support::SPECIAL_FOLDERS {
        assert!(names.contains(&special), "{special} missing from {names:?}");
    }
}

#[test]
fn seed_maildir_and_recreate_mailbox() {
    let servers = TestServers::start();
    let messages: Vec<Vec<u8>> = (1..=200)
        .map(|i| {
            format!("Subject: Seed {i}\r\nMessage-ID: <seed-{i}@example.test>\r\n\r\nbody {i}\r\n")
                .into_bytes()
        })
        .collect();
    servers.seed_maildir("me", "Archive/2024", &messages);
    servers.seed_messages(
        "me",
        "INBOX",
        &[SeedMessage::new(b"Subject: Seen\r\n\r\nx\r\n".to_vec()).flags("S")],
    );
    let status = servers.mailbox_status("me", "Archive/2024");
    assert_eq!((status.messages, status.unseen), (200, 200));
    assert_eq!(servers.mailbox_status("me", "INBOX").unseen, 0);

    let mut imap = imaps_login(&servers, &servers.me());
    let before = imap.examine("Archive/2024").expect("EXAMINE");
    let fetches = imap.uid_fetch("1:*", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]");
    let first = fetches.first().expect("one message");
    assert_eq!(first.uid, Some(1));
    let subject = String::from_utf8_lossy(first.header().expect("header")).into_owned();
    assert_eq!(
        subject.trim(),
        "Subject: Seed 1",
        "seeding order must be UID order"
    );
    imap.logout().expect("LOGOUT");

    let new_validity = servers.recreate_mailbox("me", "Archive/2024");
    let mut imap = imaps_login(&servers, &servers.me());
    let after = imap.examine("Archive/2024").expect("EXAMINE");
    assert_eq!(after.uid_validity, Some(new_validity));
    assert_ne!(before.uid_validity, after.uid_validity);
    assert_eq!(after.exists, 200, "the messages stay");
    assert_eq!(after.uid_next, Some(201));
}

#[test]
fn plaintext_smtp_logs_auth_attempts() {
    let servers = TestServers::start_plaintext_smtp();
    assert_eq!(servers.host(), "127.0.0.2");

    // EHLO: AUTH advertised, STARTTLS not.
    let mut smtp = RawSmtp::connect(&servers, servers.smtp_port());
    let ehlo = smtp.command("EHLO client.example.test");
    assert!(ehlo.contains("AUTH"), "{ehlo}");
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    smtp.command("QUIT");
    assert!(servers.auth_attempts().is_empty());

    // A client that does AUTH over plaintext is recorded.
    let me = servers.me();
    let result = mailer(&servers, Tls::None, servers.smtp_port()).send(&email(
        &me,
        &servers.account("alice"),
        "Plain",
        "<plain-1@example.test>",
    ));
    let attempts = servers.auth_attempts();
    assert!(
        !attempts.is_empty(),
        "no AUTH recorded; send result {result:?}"
    );
    assert!(attempts[0].contains("\"tls\":false"), "{}", attempts[0]);
    eprintln!("lettre over plaintext with credentials: {result:?}; recorded {attempts:?}");
}

#[test]
fn dovecot_trusts_only_a_same_address_client_for_plaintext_login() {
    fn capability_line(servers: &TestServers) -> String {
        let mut reader = BufReader::new(tcp(servers, servers.imap_port()));
        let mut line = String::new();
        reader.read_line(&mut line).expect("IMAP greeting");
        line
    }
    let trusted = TestServers::start();
    let greeting = capability_line(&trusted);
    assert!(!greeting.contains("LOGINDISABLED"), "127.0.0.1: {greeting}");

    let untrusted = TestServers::start_on("127.0.0.2".parse().expect("ip"));
    let greeting = capability_line(&untrusted);
    assert!(greeting.contains("LOGINDISABLED"), "127.0.0.2: {greeting}");
    // ... and TLS to 127.0.0.2 verifies against the same throwaway CA.
    let mut imap = imaps_login(&untrusted, &untrusted.me());
    imap.examine("INBOX").expect("EXAMINE");
}

/// Seeds 20,000 messages and opens the folder over IMAP: the size the
/// benchmark uses. Slow-ish; run with
/// `cargo test --test it servers_smoke::seed_twenty -- --ignored --nocapture`.
#[test]
#[ignore = "seeds 20,000 messages (slow): cargo test --test it servers_smoke::seed_twenty -- --ignored --nocapture"]
fn seed_twenty_thousand_messages() {
    let servers = TestServers::start();
    let messages: Vec<Vec<u8>> = (0..20_000)
        .map(|i| {
            format!(
                "From: alice@example.test\r\nSubject: Bulk {i}\r\nMessage-ID: <bulk-{i}@example.test>\r\n\r\n{}\r\n",
                "lorem ipsum ".repeat(40)
            )
            .into_bytes()
        })
        .collect();
    let t = std::time::Instant::now();
    servers.seed_maildir("me", "INBOX", &messages);
    let seeded = t.elapsed();
    let mut imap = imaps_login(&servers, &servers.me());
    let mailbox = imap.examine("INBOX").expect("EXAMINE");
    let opened = t.elapsed();
    assert_eq!(mailbox.exists, 20_000);
    eprintln!("seeded 20,000 messages in {seeded:?}; first EXAMINE done after {opened:?}");
}
