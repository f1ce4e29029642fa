//! A person's message: a request for time, a thank-you, a reply and its
//! intent, each with how sure it is.
//!
//! The words are read by [`super::intent`]; this module adds what the
//! headers know (does it answer the user? is it a reply? from a list?) and
//! the language of the text ([`super::lang`]: no word list, nothing vouched
//! for), and turns every doubt into an evidence line. A reading is `sure`
//! only when nothing casts doubt on it. It never panics and does no I/O.

use jiff::civil::Date;

use super::{
    Certainty, Classification, Context, Intent, Label, add_sent_evidence, ev, intent, lang, mime,
    reply_evidence, text,
};

/// Whether the message names, in In-Reply-To or References, a message the user sent.
pub(super) fn answers_the_user(mail: &mime::Mail, ctx: &Context<'_>) -> bool {
    mail.in_reply_to
        .iter()
        .chain(mail.references.iter())
        .any(|id| (ctx.sent_message_ids)(id))
}

/// A person's message: a request for time, a thank-you, a reply and its intent.
pub(super) fn read_human(
    mail: &mime::Mail,
    ctx: &Context<'_>,
    fresh_all: &text::Fresh,
    reply: bool,
    r: Date,
    mut c: Classification,
) -> Classification {
    if let Some(l) = lang::identify(&fresh_all.text).filter(|l| !l.listed) {
        return unlisted_language(mail, ctx, fresh_all, reply, l, r, c);
    }
    // The fresh text is split into sentences and normalised once for every reading.
    let text = intent::Reading::new(&fresh_all.text);
    let judgement = intent::judge(&text, r);
    if read_request(mail, ctx, &text, reply, &judgement, &mut c) {
        return c;
    }
    // An acknowledgement ("ich melde mich", "I'll get back to you") keeps a
    // reply from being a thank-you: the answer is still to come. In a message
    // that answers nothing it is a promise made after the meeting.
    if (!judgement.acknowledgement || !reply)
        && let Some(t) = intent::thanks_phrase(&text)
    {
        // "Great talking earlier. Let's do it again in a few months": a wish to meet
        // again after a meeting is no deferral of one.
        let again = judgement.intent == Intent::Later && intent::wishes_to_meet_again(&text);
        if !matches!(judgement.intent, Intent::No | Intent::Later) || again {
            let why = format!("thanks for the time: \"{}\"", t.phrase);
            let doubts = thanks_doubts(mail, &c, &text, &t, &judgement, reply);
            return thank_you(mail, ctx, c, why, doubts);
        }
        c.evidence.push(ev(
            "phrase",
            format!(
                "thanks (\"{}\") but the reply says {}",
                t.phrase,
                judgement.intent.as_str()
            ),
        ));
    } else if judgement.intent == Intent::Other
        && !judgement.acknowledgement
        && let Some(t) = intent::bare_thanks(&text)
    {
        let doubts = vec!["a short thanks with nothing else".to_string()];
        return thank_you(mail, ctx, c, format!("only thanks: \"{t}\""), doubts);
    }

    if reply && pitch_in_a_reply(mail, ctx, fresh_all, &text, &mut c) {
        return c;
    }
    if reply {
        human_reply(mail, ctx, fresh_all, judgement, &mut c);
        return c;
    }
    c.evidence.push(ev(
        "structure",
        "no reply, calendar, automation or list signal",
    ));
    if !c.envelope.from_user {
        doubt_a_message_of_its_own(&text, &judgement, &mut c);
    }
    c
}

/// A "Re:" on a pitch that answers nothing of the user's ("just bumping my last note",
/// its own earlier mail quoted, two signs of a pitch or more): sales, not a person's
/// answer; read as other, unsure. True when it was.
fn pitch_in_a_reply(
    mail: &mime::Mail,
    ctx: &Context<'_>,
    fresh_all: &text::Fresh,
    text: &intent::Reading,
    c: &mut Classification,
) -> bool {
    if c.envelope.from_user || answers_the_user(mail, ctx) || intent::pitch_signs(text) < 2 {
        return false;
    }
    let Some(s) = intent::sales_like(text) else {
        return false;
    };
    reply_evidence(mail, fresh_all, c);
    let doubt = format!("a reply to no message of the user's, with {s}: perhaps a pitch");
    mark_unsure(c, &[doubt]);
    true
}

/// The doubts of a person's message that answers nothing and asks for nothing: an
/// answer's words ("Saw your email from last week - happy to do 25 minutes": a reply
/// in a thread of its own), a question (perhaps a request), a form letter's thanks.
fn doubt_a_message_of_its_own(
    text: &intent::Reading,
    judgement: &intent::Judgement,
    c: &mut Classification,
) {
    let doubt = if let Some(p) = judgement
        .phrase
        .as_ref()
        .filter(|_| judgement.intent != Intent::Other)
    {
        format!(
            "reads as an answer (\"{p}\") but answers no message of the user's: perhaps a reply from another thread"
        )
    } else if let Some(q) = intent::first_question(text).filter(|_| text.word_count() <= 80) {
        format!("a question no request phrase reads (\"{q}\"): perhaps a request")
    } else if let Some(t) = intent::thanks_word(text) {
        format!("thanks (\"{t}\") for what any form letter thanks for: perhaps a thank-you")
    } else {
        return;
    };
    mark_unsure(c, &[doubt]);
}

/// A text in a language rapport has no word list for: a reply is a human
/// reply, and nothing in it is vouched for. Its intent (or, for a message that
/// answers nothing, a request or a thank-you) is the best guess of the language's
/// short list ([`lang::provisional`]), else other.
fn unlisted_language(
    mail: &mime::Mail,
    ctx: &Context<'_>,
    fresh_all: &text::Fresh,
    reply: bool,
    l: lang::Language,
    r: Date,
    mut c: Classification,
) -> Classification {
    use lang::provisional::guess;
    let g = guess(l.code, &fresh_all.text);
    let mut said = None;
    if reply {
        c.label = Label::HumanReply;
        let (intent, phrase) = match (g.later, g.no, g.yes) {
            (Some(p), _, _) => (Intent::Later, Some(p)),
            (None, Some(p), _) => (Intent::No, Some(p)),
            (None, None, Some(p)) => (Intent::Yes, Some(p)),
            _ => (Intent::Other, None),
        };
        if intent == Intent::Other && g.thanks.is_some() {
            c.label = Label::ThankYou;
            said = g.thanks.map(|p| ("a thank-you", p));
        } else {
            said = phrase.map(|p| (intent.as_str(), p));
        }
        c.intent = (c.label == Label::HumanReply).then_some(intent);
        if intent == Intent::Later {
            c.later_until = super::dates::best_date(&fresh_all.text, r)
                .filter(|f| f.date > r)
                .map(|f| f.date);
        }
        reply_evidence(mail, fresh_all, &mut c);
        add_sent_evidence(mail, ctx, &mut c);
    } else if let Some(p) = g.request {
        c.label = Label::MeetingRequest;
        said = Some(("a request", p));
    } else if let Some(p) = g.thanks {
        c.label = Label::ThankYou;
        said = Some(("a thank-you", p));
    }
    c.certainty = Certainty::Unsure;
    if let Some((what, p)) = said {
        c.evidence.push(ev(
            "phrase",
            format!("{what}, guessed from a short {} list: \"{p}\"", l.name),
        ));
    }
    c.evidence.push(ev(
        "structure",
        format!(
            "language {} ({}, told by {}) has no full word list: unsure",
            l.name, l.code, l.how
        ),
    ));
    c
}

/// Why a thank-you cannot be vouched for: sales wording, thanks for what any
/// form letter thanks for in a message that answers nothing, a contrast or
/// another doubt in the text. Empty when it is sure.
fn thanks_doubts(
    mail: &mime::Mail,
    c: &Classification,
    text: &intent::Reading,
    t: &intent::Thanks,
    judgement: &intent::Judgement,
    reply: bool,
) -> Vec<String> {
    let mut doubts = Vec::new();
    if let Some(s) = intent::sales_like(text) {
        doubts.push(format!("{s} beside the thanks: perhaps a form letter"));
    }
    // A "Re:" subject alone is no thread: sales letters fake it.
    let threaded = reply && (!mail.in_reply_to.is_empty() || !mail.references.is_empty());
    if !t.specific && !threaded && !c.envelope.from_user {
        doubts.push(format!(
            "thanks for what any form letter names (\"{}\") in a message that answers nothing",
            t.phrase
        ));
    }
    let words = text.word_count();
    if words > 150 {
        doubts.push(format!(
            "a long message ({words} words) whose thanks may be a courtesy"
        ));
    }
    if let Some(k) = intent::contrast_after_thanks(text) {
        doubts.push(format!("a contrast (\"{k}\") after the thanks"));
    }
    if judgement.intent == Intent::Yes {
        doubts.extend(judgement.doubts.iter().cloned());
    }
    if mail
        .headers
        .iter()
        .any(|(n, _)| n == "list-id" || n == "list-unsubscribe")
    {
        doubts.push("sent through a mailing list".to_string());
    }
    doubts
}

/// A request for time: asked by the user in their own client, or asked of
/// the user by someone (not their answer to what the user asked); true when
/// the message is one. A reply from someone else whose text answers (a sure
/// yes, no or later before any question) is their answer, not a request.
fn read_request(
    mail: &mime::Mail,
    ctx: &Context<'_>,
    text: &intent::Reading,
    reply: bool,
    judgement: &intent::Judgement,
    c: &mut Classification,
) -> bool {
    let from_user = c.envelope.from_user;
    let Some((p, question)) = intent::request_phrase(text) else {
        return false;
    };
    // A reply that is not a question answers a request (it may accept one).
    if answers_the_user(mail, ctx) || (reply && !question) {
        return false;
    }
    // "Czy moglibyśmy się zdzwonić w przyszłym tygodniu?" in someone else's thread asks
    // for time; its date is no deferral of an answer (but it might be one: unsure).
    let asked_later = question && judgement.intent == Intent::Later;
    let answers = judgement.intent != Intent::Other && judgement.sure() && !asked_later;
    if reply && !from_user && answers {
        return false;
    }
    c.label = Label::MeetingRequest;
    c.evidence
        .push(ev("phrase", format!("asks for time: \"{p}\"")));
    c.evidence.push(ev(
        "structure",
        if from_user {
            "written by the user"
        } else {
            "written to the user"
        },
    ));
    let mut doubts = Vec::new();
    if !question {
        doubts.push("not phrased as a question".to_string());
    }
    if reply && asked_later {
        doubts.push(format!(
            "a question for a later time in a reply (\"{}\"): perhaps a deferral",
            judgement.phrase.as_deref().unwrap_or("")
        ));
    }
    if intent::is_bare_request(text, &p) {
        doubts.push(format!(
            "a short question that only names \"{p}\": perhaps small talk"
        ));
    }
    if let Some(s) = intent::sales_like(text) {
        doubts.push(format!("{s}: perhaps a sales pitch"));
    }
    if reply && judgement.intent != Intent::Other {
        doubts.push(format!(
            "a reply that also reads as {} (\"{}\")",
            judgement.intent.as_str(),
            judgement.phrase.as_deref().unwrap_or("")
        ));
    }
    mark_unsure(c, &doubts);
    true
}

/// Marks a reading unsure with one evidence line per doubt (none: sure).
fn mark_unsure(c: &mut Classification, doubts: &[String]) {
    if doubts.is_empty() {
        return;
    }
    c.certainty = Certainty::Unsure;
    for d in doubts {
        c.evidence.push(ev("structure", format!("{d}: unsure")));
    }
}

/// A reply's reading: its intent, the date a "later" points to, and how
/// sure that is.
fn human_reply(
    mail: &mime::Mail,
    ctx: &Context<'_>,
    fresh_all: &text::Fresh,
    judgement: intent::Judgement,
    c: &mut Classification,
) {
    c.label = Label::HumanReply;
    reply_evidence(mail, fresh_all, c);
    add_sent_evidence(mail, ctx, c);
    c.intent = Some(judgement.intent);
    if let Some(p) = &judgement.phrase {
        c.evidence.push(ev(
            "phrase",
            format!("intent {}: \"{p}\"", judgement.intent.as_str()),
        ));
    }
    if judgement.intent == Intent::Later {
        c.later_until = judgement
            .later_until
            .clone()
            .map(|f| super::dates::first_day_after(f, &fresh_all.text).date);
    }
    super::proposal::read(mail, ctx, &fresh_all.text, judgement.intent, c);
    // An acknowledgement ("Received, thanks - let me check and come back to you")
    // is a sure "other": the answer is still to come, and nothing is read into it.
    if judgement.acknowledgement && answers_the_user(mail, ctx) {
        c.evidence.push(ev(
            "structure",
            "an acknowledgement of the user's message: the answer is still to come",
        ));
    }
    mark_unsure(c, &judgement.doubts);
    if judgement.intent == Intent::Yes
        && let Some(t) = thanks_thread(mail)
    {
        mark_unsure(
            c,
            &[format!(
                "an acceptance in a thread that thanks (\"{t}\"): the message it answers asked for nothing, perhaps a request of its own"
            )],
        );
    }
}

/// The thanks a reply's subject opens with once its prefixes are cut ("Re: Thanks for
/// today", "AW: Danke für das Gespräch"): the thread is a thank-you, not a request.
fn thanks_thread(mail: &mime::Mail) -> Option<String> {
    let subject = mail.subject.as_deref()?;
    super::detect::reply_prefix(subject)?;
    let mut rest = subject.trim_start();
    // Cut every "Re:", "AW:", "SV:" before the subject proper.
    while let Some((head, tail)) = rest.split_once(':') {
        if head.chars().count() > 5 || head.contains(' ') {
            break;
        }
        rest = tail.trim_start();
    }
    let normal = text::normalise_for_match(rest);
    let scan = super::lexicon::set(super::lexicon::Cat::Thanks).first(&normal)?;
    (scan.start <= 1).then(|| scan.phrase.to_string())
}

/// A thank-you: no intent (it answers no request; an acceptance in it, "à
/// bientôt", "let's do it again", is about the next meeting), its doubts as
/// evidence lines.
fn thank_you(
    mail: &mime::Mail,
    ctx: &Context<'_>,
    mut c: Classification,
    why: String,
    doubts: Vec<String>,
) -> Classification {
    c.label = Label::ThankYou;
    c.evidence.push(ev("phrase", why));
    if c.envelope.from_user {
        c.evidence.push(ev("header", "sent by the user"));
    }
    mark_unsure(&mut c, &doubts);
    add_sent_evidence(mail, ctx, &mut c);
    c
}
