use super::*;

#[test]
fn copies_back_off_from_a_minute_to_an_hour() {
    for n in 1..20 {
        let w = copy_backoff(n);
        assert!(w >= Duration::from_secs(45), "{n}: {w:?}");
        assert!(w <= Duration::from_secs(4500), "{n}: {w:?}");
    }
    assert!(copy_backoff(3) > copy_backoff(1));
}

#[test]
fn logins_past_the_cap_wait_for_the_oldest_to_be_a_minute_old() {
    let start = Instant::now();
    let mut logins: VecDeque<Instant> = (0..LOGINS_PER_MINUTE as u64)
        .map(|i| start + Duration::from_secs(i))
        .collect();
    let now = start + Duration::from_secs(10);
    assert_eq!(
        hold_back(&mut logins, now, LOGINS_PER_MINUTE),
        Some(Duration::from_secs(50))
    );
    logins.pop_back();
    assert_eq!(
        hold_back(&mut logins, now, LOGINS_PER_MINUTE),
        None,
        "under the cap"
    );
    let later = start + Duration::from_secs(61);
    logins.push_back(now);
    logins.push_back(now);
    assert_eq!(
        hold_back(&mut logins, later, LOGINS_PER_MINUTE),
        None,
        "old logins are forgotten"
    );
    assert_eq!(logins.len(), LOGINS_PER_MINUTE - 1 + 2 - 2);
}

#[test]
fn idle_failures_wait_longer_each_time_and_reset() {
    let mut g = Guard::default();
    let first = g.idle_failed();
    for _ in 0..5 {
        g.idle_failed();
    }
    assert!(g.idle_failed() > first * 4);
    assert!(
        !g.idle_allowed(),
        "IDLE rests after failing again and again"
    );
    g.idle_rest = Some(Instant::now());
    assert!(g.idle_allowed(), "and is tried again after its rest");
    assert!(g.idle_failed() < Duration::from_secs(4), "counting afresh");
}
