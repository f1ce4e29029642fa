use super::*;

const TZ: &str = "Europe/Berlin";

fn tz() -> TimeZone {
    TimeZone::get(TZ).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const POLICY: Policy = Policy {
    nudge_after_days: 7,
    close_after_days: 14,
};

fn draft(id: i64, status: DraftStatus, sent: Option<&str>) -> StepDraft {
    StepDraft {
        id,
        status,
        message_id: format!("m{id}@example.org"),
        sent_at: sent.map(ts),
    }
}

fn answer(at: &str, intent: Intent, thread: Option<&str>) -> Answer {
    Answer {
        at: ts(at),
        seen: None,
        intent: Some(intent),
        unsure: false,
        later_until: None,
        in_reply_to: thread.unwrap_or("").to_string(),
        references: thread.map(|t| vec![t.to_string()]).unwrap_or_default(),
    }
}

/// Ask A (draft 1) sent on Monday 23 November.
fn asked_a() -> Facts {
    Facts {
        drafts: vec![(
            IntroStep::AskA,
            draft(1, DraftStatus::Sent, Some("2026-11-23T10:00:00Z")),
        )],
        ..Facts::default()
    }
}

/// A said yes (sure), ask B (draft 2) sent on the 25th.
fn asked_b() -> Facts {
    let mut f = asked_a();
    f.a_answers.push(answer(
        "2026-11-24T09:00:00Z",
        Intent::Yes,
        Some("m1@example.org"),
    ));
    f.drafts.push((
        IntroStep::AskB,
        draft(2, DraftStatus::Sent, Some("2026-11-25T10:00:00Z")),
    ));
    f
}

fn decide_at(f: &Facts, now: &str) -> Decision {
    decide(f, ts(now), &tz(), POLICY)
}

#[test]
fn a_pending_ask_waits_for_approval_and_only_it_may_go() {
    let f = Facts {
        drafts: vec![(IntroStep::AskA, draft(1, DraftStatus::Approved, None))],
        ..Facts::default()
    };
    let d = decide_at(&f, "2026-11-23T10:00:00Z");
    assert_eq!(d.stage, IntroStage::AskingA);
    assert_eq!(d.draft, None);
    assert!(d.next.contains("draft 1"), "{}", d.next);
    assert_eq!(may_send(&d, &f, IntroStep::AskA, 1), Ok(()));
    // A draft to B forged into the intro before A said anything: refused.
    let mut forged = f.clone();
    forged
        .drafts
        .push((IntroStep::AskB, draft(9, DraftStatus::Approved, None)));
    let d = decide_at(&forged, "2026-11-23T10:00:00Z");
    let err = may_send(&d, &forged, IntroStep::AskB, 9).unwrap_err();
    assert!(err.contains("A's yes is not recorded"), "{err}");
    // A draft id that is not the intro's own: refused whatever the stage.
    let err = may_send(&d, &f, IntroStep::AskA, 7).unwrap_err();
    assert!(err.contains("not this intro's own"), "{err}");
}

#[test]
fn without_an_answer_one_reminder_then_closed() {
    let f = asked_a();
    let d = decide_at(&f, "2026-11-29T10:00:00Z");
    assert_eq!(d.stage, IntroStage::WaitingA);
    assert_eq!(d.draft, None);
    assert_eq!(d.wake, Some(ts("2026-11-30T10:00:00Z")));
    let d = decide_at(&f, "2026-11-30T10:00:00Z");
    assert_eq!(
        d.draft,
        Some((IntroStep::NudgeA, Some("m1@example.org".to_string())))
    );
    let mut f = f;
    f.drafts.push((
        IntroStep::NudgeA,
        draft(2, DraftStatus::Sent, Some("2026-11-30T10:00:00Z")),
    ));
    let d = decide_at(&f, "2026-12-13T10:00:00Z");
    assert_eq!(d.stage, IntroStage::WaitingA);
    assert_eq!(d.draft, None, "one reminder, never two");
    assert_eq!(d.wake, Some(ts("2026-12-14T10:00:00Z")));
    let d = decide_at(&f, "2026-12-14T10:00:00Z");
    assert_eq!(d.stage, IntroStage::NoAnswer);
    assert_eq!(d.draft, None);
}

#[test]
fn a_sure_yes_drafts_the_ask_to_b_and_only_then() {
    let mut f = asked_a();
    f.a_answers.push(answer(
        "2026-11-24T09:00:00Z",
        Intent::Yes,
        Some("m1@example.org"),
    ));
    let d = decide_at(&f, "2026-11-24T09:05:00Z");
    assert_eq!(d.stage, IntroStage::AskingB);
    assert_eq!(d.a_yes, Some(ts("2026-11-24T09:00:00Z")));
    assert_eq!(d.draft, Some((IntroStep::AskB, None)));
}

#[test]
fn an_unsure_yes_never_advances_until_confirmed() {
    let mut f = asked_a();
    let mut yes = answer("2026-11-24T09:00:00Z", Intent::Yes, Some("m1@example.org"));
    yes.unsure = true;
    f.a_answers.push(yes);
    let d = decide_at(&f, "2026-12-20T09:05:00Z");
    assert_eq!(d.stage, IntroStage::WaitingA);
    assert_eq!(d.a_yes, None);
    assert_eq!(d.draft, None, "neither the ask to B nor a reminder");
    assert!(d.next.contains("rapport review"), "{}", d.next);
    f.a_answers[0].unsure = false;
    let d = decide_at(&f, "2026-12-20T09:05:00Z");
    assert_eq!(d.draft, Some((IntroStep::AskB, None)));
}

#[test]
fn a_no_closes_the_intro_and_nothing_may_go_to_b() {
    let mut f = asked_a();
    f.a_answers.push(answer(
        "2026-11-24T09:00:00Z",
        Intent::No,
        Some("m1@example.org"),
    ));
    let d = decide_at(&f, "2026-11-24T09:05:00Z");
    assert_eq!(d.stage, IntroStage::DeclinedByA);
    assert_eq!(d.draft, None);
    assert!(!d.stage.is_open());
    // Much later: still closed, still nothing.
    let d = decide_at(&f, "2027-06-01T09:05:00Z");
    assert_eq!((d.stage, d.draft), (IntroStage::DeclinedByA, None));
}

#[test]
fn a_later_reminds_at_the_date_and_a_second_later_lets_it_rest() {
    let mut f = asked_a();
    let mut later = answer(
        "2026-11-24T09:00:00Z",
        Intent::Later,
        Some("m1@example.org"),
    );
    later.later_until = Some("2027-01-11".parse().unwrap());
    f.a_answers.push(later);
    let d = decide_at(&f, "2026-12-01T09:00:00Z");
    assert_eq!(d.stage, IntroStage::WaitingA);
    assert_eq!(d.draft, None, "not a week after: at their date");
    assert_eq!(d.wake, Some(ts("2027-01-10T23:00:00Z")));
    let d = decide_at(&f, "2027-01-11T08:00:00Z");
    assert_eq!(d.draft.map(|x| x.0), Some(IntroStep::NudgeA));
    f.drafts.push((
        IntroStep::NudgeA,
        draft(2, DraftStatus::Sent, Some("2027-01-11T09:00:00Z")),
    ));
    let mut again = answer(
        "2027-01-12T09:00:00Z",
        Intent::Later,
        Some("m2@example.org"),
    );
    again.later_until = Some("2027-03-01".parse().unwrap());
    f.a_answers.push(again);
    let d = decide_at(&f, "2027-01-12T10:00:00Z");
    assert_eq!(d.stage, IntroStage::NoAnswer);
}

#[test]
fn a_message_in_another_thread_is_not_an_answer() {
    let mut f = asked_a();
    f.a_answers.push(answer(
        "2026-11-24T09:00:00Z",
        Intent::Yes,
        Some("other@example.org"),
    ));
    let d = decide_at(&f, "2026-11-24T09:05:00Z");
    assert_eq!(d.stage, IntroStage::WaitingA);
    assert_eq!(d.a_yes, None);
    // An answer written before the ask went out is not one either.
    let mut f = asked_a();
    f.a_answers
        .push(answer("2026-11-20T09:00:00Z", Intent::Yes, None));
    assert_eq!(decide_at(&f, "2026-11-24T09:05:00Z").a_yes, None);
}

#[test]
fn b_yes_drafts_the_introduction_and_it_may_go_only_then() {
    let mut f = asked_b();
    let d = decide_at(&f, "2026-11-25T11:00:00Z");
    assert_eq!(d.stage, IntroStage::WaitingB);
    f.drafts
        .push((IntroStep::Introduce, draft(3, DraftStatus::Approved, None)));
    let d = decide_at(&f, "2026-11-25T11:00:00Z");
    let err = may_send(&d, &f, IntroStep::Introduce, 3).unwrap_err();
    assert!(err.contains("both yeses"), "{err}");
    f.drafts.pop();
    f.b_answers.push(answer(
        "2026-11-26T09:00:00Z",
        Intent::Yes,
        Some("m2@example.org"),
    ));
    let d = decide_at(&f, "2026-11-26T09:05:00Z");
    assert_eq!(d.stage, IntroStage::Introducing);
    assert_eq!(d.draft, Some((IntroStep::Introduce, None)));
    f.drafts
        .push((IntroStep::Introduce, draft(3, DraftStatus::Approved, None)));
    let d = decide_at(&f, "2026-11-26T09:05:00Z");
    assert_eq!(may_send(&d, &f, IntroStep::Introduce, 3), Ok(()));
    f.drafts[2].1.status = DraftStatus::Sent;
    f.drafts[2].1.sent_at = Some(ts("2026-11-26T10:00:00Z"));
    let d = decide_at(&f, "2026-11-26T10:05:00Z");
    assert_eq!(d.stage, IntroStage::Introduced);
}

#[test]
fn b_no_drafts_the_note_to_a_in_the_first_thread() {
    let mut f = asked_b();
    f.b_answers.push(answer(
        "2026-11-26T09:00:00Z",
        Intent::No,
        Some("m2@example.org"),
    ));
    let d = decide_at(&f, "2026-11-26T09:05:00Z");
    assert_eq!(d.stage, IntroStage::DeclinedByB);
    assert_eq!(
        d.draft,
        Some((IntroStep::DeclinedNote, Some("m1@example.org".to_string())))
    );
    assert!(may_send(&d, &f, IntroStep::Introduce, 3).is_err());
}

#[test]
fn a_corrected_yes_takes_back_the_right_to_write_to_b() {
    let mut f = asked_a();
    f.a_answers.push(answer(
        "2026-11-24T09:00:00Z",
        Intent::Yes,
        Some("m1@example.org"),
    ));
    f.drafts
        .push((IntroStep::AskB, draft(2, DraftStatus::Approved, None)));
    let d = decide_at(&f, "2026-11-24T10:00:00Z");
    assert_eq!(may_send(&d, &f, IntroStep::AskB, 2), Ok(()));
    // The user marks A's answer a "no": the approved ask to B may not go.
    f.a_answers[0].intent = Some(Intent::No);
    let d = decide_at(&f, "2026-11-24T10:00:00Z");
    assert_eq!(d.stage, IntroStage::DeclinedByA);
    assert!(may_send(&d, &f, IntroStep::AskB, 2).is_err());
}

#[test]
fn a_withdrawn_ask_closes_the_intro() {
    let f = Facts {
        drafts: vec![(IntroStep::AskA, draft(1, DraftStatus::Rejected, None))],
        ..Facts::default()
    };
    let d = decide_at(&f, "2026-11-23T10:00:00Z");
    assert_eq!(d.stage, IntroStage::Withdrawn);
    assert!(may_send(&d, &f, IntroStep::AskA, 1).is_err());
}

/// Every step against every stage a walk of the intro passes: a step may go only at
/// its own stage, and B's steps and the introduction never without the yeses.
#[test]
fn every_step_is_refused_in_every_wrong_stage() {
    let mut allowed = 0;
    let mut refused = 0;
    for (f, now) in stages() {
        let d = decide_at(&f, now);
        for step in IntroStep::ALL.iter().copied() {
            let mut forged = f.clone();
            forged.drafts.retain(|(s, _)| *s != step);
            forged
                .drafts
                .push((step, draft(99, DraftStatus::Approved, None)));
            let fd = decide_at(&forged, now);
            let ok = may_send(&fd, &forged, step, 99).is_ok();
            if step.to_b() && ok {
                assert!(
                    fd.a_yes.is_some(),
                    "{step} allowed without A's yes at {:?}",
                    d.stage
                );
            }
            if step == IntroStep::Introduce && ok {
                assert!(
                    fd.a_yes.is_some() && fd.b_yes.is_some(),
                    "intro without both yeses"
                );
            }
            if ok { allowed += 1 } else { refused += 1 }
        }
    }
    assert!(
        allowed > 0 && refused > allowed,
        "{allowed} allowed, {refused} refused"
    );
}

fn stages() -> Vec<(Facts, &'static str)> {
    let fresh = Facts {
        drafts: vec![(IntroStep::AskA, draft(1, DraftStatus::Pending, None))],
        ..Facts::default()
    };
    let mut a_no = asked_a();
    a_no.a_answers
        .push(answer("2026-11-24T09:00:00Z", Intent::No, None));
    let mut b_no = asked_b();
    b_no.b_answers
        .push(answer("2026-11-26T09:00:00Z", Intent::No, None));
    let mut b_yes = asked_b();
    b_yes
        .b_answers
        .push(answer("2026-11-26T09:00:00Z", Intent::Yes, None));
    vec![
        (fresh, "2026-11-23T10:00:00Z"),
        (asked_a(), "2026-11-24T10:00:00Z"),
        (a_no, "2026-11-24T10:00:00Z"),
        (asked_b(), "2026-11-25T11:00:00Z"),
        (b_no, "2026-11-26T10:00:00Z"),
        (b_yes, "2026-11-26T10:00:00Z"),
        (asked_a(), "2027-02-01T10:00:00Z"),
    ]
}

#[test]
fn the_sides_are_named_in_the_next_step() {
    let named = |t: &str| name_sides(t, "Jessica Park", "Omar Haddad");
    assert_eq!(
        named("wait for B's answer"),
        "wait for Omar Haddad's answer"
    );
    assert_eq!(
        named("nothing: A said no, and B was never told"),
        "nothing: Jessica Park said no, and Omar Haddad was never told"
    );
    assert_eq!(
        named("approve the ask to B (draft 12)"),
        "approve the ask to Omar Haddad (draft 12)"
    );
    // Letters inside words, and other capitals, are left alone.
    assert_eq!(
        named("ABBA and a B2B deal at Acme"),
        "ABBA and a B2B deal at Acme"
    );
    assert_eq!(name_sides("ask B", "", ""), "ask B");
}
