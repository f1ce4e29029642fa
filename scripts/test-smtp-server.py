#!/usr/bin/python3
"""A real SMTP submission server for rapport's integration tests.

Run with Debian's /usr/bin/python3 (it has python3-aiosmtpd); see
scripts/setup-test-servers.sh. tests/it/support/mod.rs starts one per test.

Modes
  --cert/--key given: a STARTTLS listener (--port) that offers and accepts
      AUTH only after STARTTLS (538 before; every attempt is logged), plus
      an implicit-TLS ("SMTPS") listener (--smtps-port).
  --plaintext: one listener that never offers STARTTLS but still advertises
      AUTH PLAIN/LOGIN; every AUTH attempt is logged (a client that is right
      never sends its password here).

In both modes MAIL needs a successful AUTH (--username/--password, or an
OAuth2 access token with XOAUTH2 or OAUTHBEARER when --tokens-file is given).

OAuth2: --tokens-file names a file of "TOKEN USER" lines (re-read on every
AUTH, so a test can revoke or rotate tokens); a token is valid for that user
only. A refused token gets the error challenge the providers send (334 with a
base64 JSON status), then 535 after the client's reply. The introspection
endpoint Dovecot uses (scripts/test-oauth2-introspect.py) reads the same file.

Accepted mail is delivered to Dovecot through its LMTP unix socket
(--lmtp-socket), one LMTP transaction per recipient, with the recipient's
local part as the Dovecot user. With --users-file (Dovecot's passwd-file),
RCPT for an unknown local part is refused with 550 5.1.1.

Files in --dir:
  ready          written (atomically) once listening: {"smtp": P, "smtps": P}
  smtp-log.jsonl one compact JSON object per line, "event" first:
                 connect, auth, auth_result, mail, rcpt, data, fault
  faults.json    optional fault injection, re-read on every command it can
                 affect and written back after one entry is consumed:
                   {"rcpt:bob@example.test": [451, 451],
                    "data:carol@example.test": [554],
                    "mail:*": ["421 4.3.2 custom text"],
                    "auth": [454]}
                 keys: "mail:<sender>", "rcpt:<recipient>", "data:<any
                 recipient>" (addresses compared case-insensitively), the
                 same with "*" for any address, and "auth". An entry is a
                 reply code (a standard text is added), a full reply line,
                 "disconnect" (drop the connection without a reply), or an
                 object {"delay": seconds, "reply": code-or-line,
                 "disconnect": bool} (with no reply/disconnect the command
                 then goes on normally after the delay).
  messages/NNNNNN.eml  every message accepted at the end of DATA.
Also prints "READY <port>" on stdout once listening.
"""

import argparse
import asyncio
import base64
import binascii
import json
import logging
import os
import signal
import smtplib
import ssl
import sys
import time
import warnings
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword

warnings.simplefilter("ignore")  # aiosmtpd warns about AUTH without TLS; intended
logging.getLogger("mail.log").setLevel(logging.ERROR)

HOSTNAME = "smtp.example.test"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = any free port")
    p.add_argument("--smtps-port", type=int, default=0, help="0 = any free port")
    p.add_argument("--cert", help="PEM certificate chain (enables STARTTLS and SMTPS)")
    p.add_argument("--key", help="PEM private key")
    p.add_argument("--plaintext", action="store_true",
                   help="no TLS at all; AUTH still advertised and logged")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--lmtp-socket", required=True)
    p.add_argument("--domain", default="example.test",
                   help="domain used for LMTP recipients")
    p.add_argument("--users-file", help="Dovecot passwd-file; unknown recipients get 550")
    p.add_argument("--tokens-file", help='"TOKEN USER" lines: valid OAuth2 access tokens')
    p.add_argument("--dir", required=True, help="state directory (log, faults, ready)")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="exit when the process that started us goes away")
    args = p.parse_args()
    if args.plaintext == bool(args.cert and args.key):
        p.error("give either --plaintext or both --cert and --key")
    return args


class State:
    """Everything shared by the connections of one server process."""

    def __init__(self, args):
        self.args = args
        self.dir = args.dir
        self.faults_path = os.path.join(self.dir, "faults.json")
        self.log_file = open(os.path.join(self.dir, "smtp-log.jsonl"), "a", encoding="utf-8")
        self.messages_dir = os.path.join(self.dir, "messages")
        os.makedirs(self.messages_dir, exist_ok=True)
        self.message_count = 0

    def log(self, event, **fields):
        record = {"event": event, "time": round(time.time(), 3)}
        record.update(fields)
        self.log_file.write(json.dumps(record, separators=(",", ":")) + "\n")
        self.log_file.flush()

    def take_fault(self, keys):
        """Consume and return the first entry of the first non-empty key."""
        try:
            with open(self.faults_path, encoding="utf-8") as f:
                faults = json.load(f)
        except FileNotFoundError:
            return None, None
        except (OSError, ValueError) as e:
            self.log("fault", error=f"cannot read faults.json: {e}")
            return None, None
        lowered = {k.lower(): k for k in faults}
        for key in keys:
            real = lowered.get(key.lower())
            if real is None:
                continue
            entries = faults[real]
            if not isinstance(entries, list):
                entries = [entries]
            if not entries:
                continue
            entry = entries.pop(0)
            if entries:
                faults[real] = entries
            else:
                del faults[real]
            tmp = self.faults_path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(faults, f)
            os.replace(tmp, self.faults_path)
            return real, entry
        return None, None

    def token_user(self, token):
        """The user a valid token belongs to, or None."""
        path = self.args.tokens_file
        if not path:
            return None
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2 and parts[0] == token:
                        return parts[1]
        except OSError:
            return None
        return None

    def users(self):
        path = self.args.users_file
        if not path:
            return None
        with open(path, encoding="utf-8") as f:
            return {line.split(":", 1)[0].lower() for line in f if ":" in line}

    def save_message(self, content):
        self.message_count += 1
        name = f"{self.message_count:06d}.eml"
        tmp = os.path.join(self.messages_dir, "." + name)
        with open(tmp, "wb") as f:
            f.write(content)
        os.replace(tmp, os.path.join(self.messages_dir, name))
        return "messages/" + name

    def deliver(self, mail_from, rcpt_tos, content):
        """Deliver to Dovecot over LMTP, one transaction per recipient.

        Returns None on success or an SMTP reply line for the first failure.
        (smtplib's LMTP reads a single reply after DATA, so several
        recipients in one LMTP transaction would desynchronise it.)
        """
        try:
            lmtp = smtplib.LMTP(self.args.lmtp_socket, timeout=30)
        except OSError as e:
            return f"451 4.3.0 LMTP connection failed: {e}"
        try:
            for rcpt in rcpt_tos:
                local = rcpt.rsplit("@", 1)[0]
                target = f"{local}@{self.args.domain}"
                try:
                    lmtp.sendmail(mail_from or "", [target], content)
                except smtplib.SMTPRecipientsRefused as e:
                    code, msg = next(iter(e.recipients.values()))
                    return f"{code} {msg.decode(errors='replace')}"
                except smtplib.SMTPResponseException as e:
                    return f"{e.smtp_code} {e.smtp_error.decode(errors='replace')}"
            return None
        except (OSError, smtplib.SMTPException) as e:
            return f"451 4.3.0 LMTP delivery failed: {e}"
        finally:
            try:
                lmtp.quit()
            except (OSError, smtplib.SMTPException):
                pass


def standard_reply(code):
    code = int(code)
    if 400 <= code < 500:
        return f"{code} 4.3.0 Injected transient failure (test fault)"
    if 500 <= code < 600:
        return f"{code} 5.3.0 Injected permanent failure (test fault)"
    return f"{code} Injected reply (test fault)"


class TestSMTP(SMTP):
    """aiosmtpd's SMTP with AUTH logging and injectable AUTH faults."""

    def __init__(self, handler, state, listener, **kwargs):
        super().__init__(handler, **kwargs)
        self.state = state
        self.listener = listener

    def connection_made(self, transport):
        first = self.transport is None
        super().connection_made(transport)
        if first:
            self.state.log("connect", listener=self.listener, peer=list(self.session.peer or ()))

    def is_tls(self):
        return self.listener == "smtps" or self._tls_protocol is not None

    async def smtp_AUTH(self, arg):
        mechanism = (arg or "").split(" ", 1)[0].upper()
        self.state.log("auth", listener=self.listener, tls=self.is_tls(), mechanism=mechanism)
        reply = await fault_reply(self, ["auth"])
        if reply is not None:
            return await self.push(reply)
        return await super().smtp_AUTH(arg)


async def fault_reply(server, keys):
    """Consume a fault entry for the first matching key, if any, and act on it.

    Returns None when the command should go on normally, otherwise the reply
    line to send. For "disconnect" the connection is aborted first, so the
    returned reply is never seen by the client.
    """
    key, entry = server.state.take_fault(keys)
    if entry is None:
        return None
    server.state.log("fault", key=key, entry=entry)
    reply, disconnect = entry, entry == "disconnect"
    if isinstance(entry, dict):
        delay = float(entry.get("delay", 0))
        if delay > 0:
            await asyncio.sleep(delay)
        reply, disconnect = entry.get("reply"), bool(entry.get("disconnect", False))
    if disconnect:
        for transport in (server.transport, server._original_transport):
            if transport is not None:
                transport.abort()
        return "421 4.4.2 Connection dropped (test fault)"
    if reply is None:
        return None
    if isinstance(reply, int) or (isinstance(reply, str) and reply.isdigit()):
        return standard_reply(reply)
    return str(reply)


def parse_xoauth2(blob):
    """user=U^Aauth=Bearer T^A^A -> (U, T), or None."""
    fields = dict(p.split("=", 1) for p in blob.split("\x01") if "=" in p)
    auth = fields.get("auth", "")
    if not auth.startswith("Bearer ") or "user" not in fields:
        return None
    return fields["user"], auth[len("Bearer "):]


def parse_oauthbearer(blob):
    """n,a=U,^Ahost=H^Aport=P^Aauth=Bearer T^A^A -> (U, T), or None (RFC 7628)."""
    gs2, _, rest = blob.partition("\x01")
    user = None
    for part in gs2.split(","):
        if part.startswith("a="):
            user = part[2:].replace("=2C", ",").replace("=3D", "=")
    fields = dict(p.split("=", 1) for p in rest.split("\x01") if "=" in p)
    auth = fields.get("auth", "")
    if user is None or not auth.startswith("Bearer "):
        return None
    return user, auth[len("Bearer "):]


class Handler:
    def __init__(self, state):
        self.state = state

    async def _token_auth(self, server, args, mechanism, parse, ack):
        if len(args) < 2:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=False)
        else:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except (binascii.Error, ValueError):
                return AuthResult(success=False, handled=False,
                                  message="501 5.5.2 Can't decode base64")
        parsed = parse(blob.decode("utf-8", "replace"))
        login, token = parsed if parsed else ("", "")
        owner = self.state.token_user(token) if token else None
        # A token names its user as the address or, as Dovecot's users are named,
        # the bare local part.
        ok = owner is not None and owner.lower() in (login.lower(), login.lower().split("@")[0])
        self.state.log("auth_result", listener=server.listener, tls=server.is_tls(),
                       mechanism=mechanism, login=login, success=ok)
        if ok:
            return AuthResult(success=True, auth_data=login)
        # The providers' error challenge; the client answers (empty or ^A), then 535.
        status = json.dumps({"status": "401", "schemes": "bearer", "scope": "mail"})
        answer = await server.challenge_auth(status)
        if answer is not MISSING and answer not in ack:
            self.state.log("fault", error=f"unexpected answer to the error challenge: {answer!r}")
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 Username and Password not accepted (token refused)")

    async def auth_XOAUTH2(self, server, args):
        return await self._token_auth(server, args, "XOAUTH2", parse_xoauth2, (b"",))

    async def auth_OAUTHBEARER(self, server, args):
        return await self._token_auth(server, args, "OAUTHBEARER", parse_oauthbearer, (b"\x01",))

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        ok = False
        login = ""
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            ok = (auth_data.login == self.state.args.username.encode()
                  and auth_data.password == self.state.args.password.encode())
        self.state.log("auth_result", listener=server.listener, tls=server.is_tls(),
                       mechanism=mechanism, login=login, success=ok)
        return AuthResult(success=ok, auth_data=auth_data)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        reply = await fault_reply(server, [f"mail:{address}", "mail:*"])
        if reply is None:
            envelope.mail_from = address
            envelope.mail_options.extend(mail_options)
            reply = "250 2.1.0 OK"
        self.state.log("mail", mail_from=address, options=mail_options,
                       tls=server.is_tls(), result=reply)
        return reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = await fault_reply(server, [f"rcpt:{address}", "rcpt:*"])
        if reply is None:
            users = self.state.users()
            local = address.rsplit("@", 1)[0].lower()
            if users is not None and local not in users:
                reply = f"550 5.1.1 <{address}>: User unknown"
            else:
                envelope.rcpt_tos.append(address)
                envelope.rcpt_options.extend(rcpt_options)
                reply = "250 2.1.5 OK"
        self.state.log("rcpt", mail_from=envelope.mail_from, rcpt=address, result=reply)
        return reply

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or b""
        headers = BytesHeaderParser(policy=default_policy).parsebytes(content)
        info = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "size": len(content),
            "message_id": str(headers.get("Message-ID", "") or ""),
            "subject": str(headers.get("Subject", "") or ""),
            "tls": server.is_tls(),
        }
        keys = [f"data:{r}" for r in envelope.rcpt_tos] + ["data:*"]
        reply = await fault_reply(server, keys)
        if reply is None:
            loop = asyncio.get_running_loop()
            reply = await loop.run_in_executor(
                None, self.state.deliver, envelope.mail_from, list(envelope.rcpt_tos), content)
            if reply is None:
                info["file"] = self.state.save_message(content)
                reply = "250 2.0.0 OK: delivered"
        self.state.log("data", **info, result=reply)
        return reply


def make_tls_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


async def main():
    args = parse_args()
    os.makedirs(args.dir, exist_ok=True)
    state = State(args)
    handler = Handler(state)
    loop = asyncio.get_running_loop()
    common = dict(hostname=HOSTNAME, auth_required=True,
                  authenticator=handler.authenticator, loop=loop)
    ports = {}
    if args.plaintext:
        factory = lambda: TestSMTP(handler, state, "plain", auth_require_tls=False, **common)  # noqa: E731
        server = await loop.create_server(factory, args.host, args.port)
        ports["smtp"] = server.sockets[0].getsockname()[1]
    else:
        tls = make_tls_context(args.cert, args.key)
        # No require_starttls: AUTH before TLS must reach smtp_AUTH to be
        # logged (it then gets 538), and MAIL/RCPT/DATA before TLS get 530
        # anyway because they need AUTH, which needs TLS.
        factory = lambda: TestSMTP(handler, state, "starttls", tls_context=tls,  # noqa: E731
                                   auth_require_tls=True, **common)
        server = await loop.create_server(factory, args.host, args.port)
        ports["smtp"] = server.sockets[0].getsockname()[1]
        # Implicit TLS: the whole connection is encrypted, so AUTH is fine
        # from the start (aiosmtpd only knows about STARTTLS).
        factory_s = lambda: TestSMTP(handler, state, "smtps", auth_require_tls=False, **common)  # noqa: E731
        server_s = await loop.create_server(factory_s, args.host, args.smtps_port, ssl=tls)
        ports["smtps"] = server_s.sockets[0].getsockname()[1]

    ready = os.path.join(args.dir, "ready")
    with open(ready + ".tmp", "w", encoding="utf-8") as f:
        json.dump(ports, f)
    os.replace(ready + ".tmp", ready)
    print(f"READY {ports['smtp']}", flush=True)

    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    if args.exit_with_parent:
        parent = os.getppid()

        def watch_parent():
            if os.getppid() != parent:
                stop.done() or stop.set_result(None)
            else:
                loop.call_later(0.5, watch_parent)
        loop.call_later(0.5, watch_parent)
    await stop


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except OSError as e:
        print(f"test-smtp-server: {e}", file=sys.stderr)
        sys.exit(1)
