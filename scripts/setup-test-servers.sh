#!/usr/bin/env bash
# Installs what the integration-test server harness (tests/it/support/mod.rs)
# needs on a Debian 12 machine: Dovecot (IMAP + LMTP), aiosmtpd for the test
# SMTP server, the openssl CLI for throwaway certificates, and an unprivileged
# system user that owns the test mailboxes (Dovecot refuses to deliver as root),
# and Chromium, which renders `rapport map` headless in the tests.
#
# Idempotent and fast when everything is already there. Run as root:
#     sudo scripts/setup-test-servers.sh
#
# The tests start their own Dovecot instances on their own ports with their own
# configuration; a system-wide Dovecot is never needed, so this script makes
# sure none is left running (or enabled) on ports 143/993.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

# Keep in sync with MAIL_USER in tests/it/support/mod.rs.
MAIL_USER=rapport-mail
PACKAGES=(dovecot-core dovecot-imapd dovecot-lmtpd python3 python3-aiosmtpd openssl systemd chromium
    tmux radicale) # chromium: the `rapport map` page test; tmux: the `rapport review` pty tests;
                   # radicale: the CalDAV server of the calendar tests (tests/it/support/radicale.rs)

log() { echo "setup-test-servers: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "must run as root (it installs Debian packages and creates the user $MAIL_USER)"
    exit 1
fi

# --- packages ---------------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    # Stop the maintainer scripts from starting a system Dovecot on 143/993:
    # invoke-rc.d and deb-systemd-invoke both honour policy-rc.d (exit 101 =
    # "action forbidden"). Only add one if the machine has none of its own.
    policy=/usr/sbin/policy-rc.d
    own_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 0755 "$policy"
        own_policy=1
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
    if [ "$own_policy" -eq 1 ]; then
        rm -f "$policy"
        trap - EXIT
    fi
fi

# --- no system-wide Dovecot -------------------------------------------------
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    for unit in dovecot.socket dovecot.service; do
        if systemctl is-enabled --quiet "$unit" 2>/dev/null \
            || systemctl is-active --quiet "$unit" 2>/dev/null; then
            log "disabling the system $unit (tests run their own Dovecot)"
            systemctl disable --now "$unit" >/dev/null 2>&1 || true
        fi
    done
else
    # No systemd (e.g. a container): make sure the SysV script won't start it
    # at boot, and stop an instance the package may have started.
    if [ -x /etc/init.d/dovecot ] && ls /etc/rc[2-5].d/S*dovecot >/dev/null 2>&1; then
        log "disabling the system dovecot init script"
        update-rc.d dovecot disable >/dev/null 2>&1 || true
    fi
fi
# The system instance keeps its pid in /run/dovecot (its base_dir); the test
# instances use their own base_dir, so this never touches them.
if [ -s /run/dovecot/master.pid ]; then
    pid=$(cat /run/dovecot/master.pid)
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping the running system dovecot (pid $pid)"
        kill -TERM "$pid" || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
fi

# --- no system-wide Radicale ------------------------------------------------
# The calendar tests start their own Radicale on a free port; the package's own
# service (port 5232) is not needed.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 \
    && systemctl is-enabled --quiet radicale.service 2>/dev/null; then
    log "disabling the system radicale.service (tests run their own Radicale)"
    systemctl disable --now radicale.service >/dev/null 2>&1 || true
fi

# --- the unprivileged owner of the test mailboxes ---------------------------
if ! getent passwd "$MAIL_USER" >/dev/null; then
    log "creating system user $MAIL_USER"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin --comment "rapport test mailboxes" "$MAIL_USER"
fi

# --- Cyrus IMAP and Courier-IMAP for the compatibility suite ----------------
# Both packages conflict with Dovecot's (they provide imap-server), so they are not
# installed: their .debs are downloaded and unpacked (dpkg -x) into $COMPAT_ROOT/root,
# and tests/it/support/compat.rs runs them from there. Their shared libraries do not
# conflict and are installed. Keep COMPAT_ROOT in sync with tests/it/support/compat.rs.
# When they cannot be had (no network, no apt), this says so in one line and the
# suite's Cyrus and Courier checks say NOT TESTED; nothing else fails.
COMPAT_ROOT=${RAPPORT_COMPAT_ROOT:-/opt/rapport-test-servers}
COMPAT_DEBS=(cyrus-common cyrus-imapd sasl2-bin courier-base courier-imap courier-authlib
    courier-authdaemon courier-authlib-userdb libcourier-unicode4)
COMPAT_LIBS=(libpcre3 libxapian30 libical3 libidn12 libgamin0 libltdl7)
compat_setup() {
    local stamp="$COMPAT_ROOT/ready" want
    want="${COMPAT_DEBS[*]}"
    if [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$want" ]; then
        return 0
    fi
    log "unpacking Cyrus and Courier (not installed) into $COMPAT_ROOT"
    local lib_missing=()
    for pkg in "${COMPAT_LIBS[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [ "$status" = "installed" ] || lib_missing+=("$pkg")
    done
    if [ "${#lib_missing[@]}" -gt 0 ]; then
        apt-get update -q >/dev/null || return 1
        apt-get install -y -q --no-install-recommends "${lib_missing[@]}" >/dev/null || return 1
    fi
    rm -rf "$COMPAT_ROOT/debs" "$COMPAT_ROOT/root" "$stamp"
    mkdir -p "$COMPAT_ROOT/debs" "$COMPAT_ROOT/root"
    # apt-get download writes into the current directory.
    if ! (cd "$COMPAT_ROOT/debs" && apt-get download -q "${COMPAT_DEBS[@]}" >/dev/null 2>&1); then
        apt-get update -q >/dev/null || return 1
        (cd "$COMPAT_ROOT/debs" && apt-get download -q "${COMPAT_DEBS[@]}" >/dev/null 2>&1) || return 1
    fi
    local deb
    for deb in "$COMPAT_ROOT"/debs/*.deb; do
        dpkg -x "$deb" "$COMPAT_ROOT/root" || return 1
    done
    { echo "$want"; (cd "$COMPAT_ROOT/debs" && ls); } >"$stamp"
}
if ! compat_setup; then
    log "Cyrus and Courier could not be had (apt-get download failed): the compatibility suite runs on Dovecot only and says NOT TESTED for them"
fi
