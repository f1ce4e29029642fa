//! Gives back, after each turn, the memory the turn used and no longer needs, so that
//! the daemon waits for mail small: a first sync of a large mailbox fills the database
//! connection's caches and the allocator's per-thread arenas (the readers and the
//! writer run on threads of their own), and glibc keeps freed arena memory resident
//! until told otherwise. Measured after a 20,000-message first sync
//! (`cargo bench --bench daemon`, release, three runs): idle RSS 27.4–28.6 MB before
//! (anonymous 14.4–15.4 MB), 17.2–18.8 MB after (anonymous 4.2–5.6 MB); the rest is
//! file-backed, 11 MB of it the binary's own pages.
//!
//! It must never change what a turn does: only memory nobody holds is given back, and
//! what is needed again is allocated again.

use crate::store::Store;

/// Returns the turn's leftovers: the connection's statement and page caches, then every
/// free page of the allocator's arenas. A failure is only logged: it costs memory, not
/// correctness.
pub(super) fn give_back(store: &Store) {
    if let Err(e) = store.release_memory() {
        tracing::debug!(error = %format!("{e:#}"), "could not release the database's cache");
    }
    trim_heap();
}

/// How many malloc arenas the daemon's threads share. glibc gives each thread that
/// allocates an arena of its own, up to eight per core, and a freed chunk stays in the
/// arena it came from: after a large sync, what the readers' and the writer's threads
/// left behind (with a few long-lived allocations pinning each arena's pages) stays
/// resident for the daemon's life. Two arenas keep two cores' readers from waiting on
/// one lock while leaving little to pin.
const ARENAS: i32 = 2;

/// Caps the malloc arenas at [`ARENAS`]; called once, before the daemon starts its
/// threads (glibc only).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn limit_arenas() {
    // SAFETY: mallopt(3) only sets a tuning parameter of the allocator; M_ARENA_MAX is
    // read when a thread first needs an arena.
    #[allow(unsafe_code, reason = "mallopt(3) has no safe wrapper")]
    let _ = unsafe { libc::mallopt(libc::M_ARENA_MAX, ARENAS) };
}

/// Caps the malloc arenas (a no-op away from glibc).
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn limit_arenas() {}

/// Hands the free pages of every malloc arena back to the kernel (glibc only: other
/// allocators return memory on their own terms).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim_heap() {
    // SAFETY: malloc_trim(3) takes a size and only releases free memory; it touches
    // nothing the program holds and is safe to call from any thread at any time.
    #[allow(unsafe_code, reason = "malloc_trim(3) has no safe wrapper")]
    let _ = unsafe { libc::malloc_trim(0) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim_heap() {}
