use super::train::{self, Frames, Seed};
use super::weights::Counts;
use super::*;
use crate::core::classify::{Certainty, Classification, Intent, Label};

macro_rules! corpus_file {
    ($lang:literal) => {
        (
            $lang,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/reader/",
                $lang,
                ".tsv"
            )),
        )
    };
}

/// The corpus as compiled into the tests.
pub(super) fn corpus() -> (Vec<Seed>, Frames) {
    let files = [
        corpus_file!("en"),
        corpus_file!("de"),
        corpus_file!("fr"),
        corpus_file!("es"),
        corpus_file!("it"),
        corpus_file!("pt"),
        corpus_file!("nl"),
        corpus_file!("sv"),
        corpus_file!("da"),
        corpus_file!("no"),
        corpus_file!("ja"),
        corpus_file!("pl"),
        corpus_file!("tr"),
    ];
    assert_eq!(files.len(), train::LANGS.len());
    let frames = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/reader/frames.tsv"
    ));
    (
        train::seeds(&files).unwrap(),
        Frames::parse(frames).unwrap(),
    )
}

/// The day relative dates are read from in these tests.
const DAY: jiff::civil::Date = jiff::civil::Date::constant(2026, 12, 1);

#[test]
fn shipped_weights_are_the_corpus() {
    let (seeds, frames) = corpus();
    let trained = train::train(&seeds, &frames, |_| true).encode();
    assert!(
        trained == SHIPPED,
        "src/core/classify/model/weights.bin ({} bytes) is not what the corpus trains ({} bytes): \
         run `cargo run --example train_reader` and commit the file",
        SHIPPED.len(),
        trained.len()
    );
    assert!(
        SHIPPED.len() < 1_000_000,
        "weights of {} bytes",
        SHIPPED.len()
    );
}

#[test]
fn the_corpus_covers_every_language_and_class() {
    let (seeds, frames) = corpus();
    let texts: usize = seeds
        .iter()
        .map(|s| train::variants(s, &frames).len())
        .sum();
    assert!(texts >= 3000, "{texts} training texts");
    for lang in train::LANGS {
        for class in Class::ALL {
            let n = seeds
                .iter()
                .filter(|s| s.lang == lang && s.class == class)
                .count();
            assert!(n >= 5, "{lang} has {n} seeds of {}", class.as_str());
        }
    }
    // No seed is written twice (a copy would sit in both halves of the split).
    let mut seen = std::collections::HashSet::new();
    for s in &seeds {
        assert!(seen.insert(s.text.to_lowercase()), "twice: {}", s.text);
    }
}

#[test]
fn the_file_format_round_trips_and_refuses_damage() {
    let counts = Counts::decode(SHIPPED).unwrap();
    assert_eq!(counts.encode(), SHIPPED);
    for cut in [
        0,
        3,
        5,
        9,
        SHIPPED.len() / 2,
        SHIPPED.len().saturating_sub(1),
    ] {
        let damaged = SHIPPED.get(..cut).unwrap();
        assert!(Counts::decode(damaged).is_err(), "cut at {cut} accepted");
    }
    let mut extra = SHIPPED.to_vec();
    extra.push(0);
    assert!(Counts::decode(&extra).is_err());
    let mut wrong = SHIPPED.to_vec();
    wrong[4] = 9;
    assert!(Counts::decode(&wrong).unwrap_err().contains("version"));
}

#[test]
fn features_read_numbers_alike_and_keep_questions() {
    let a = features::extract("Does the 14th at 11 suit?");
    let b = features::extract("does the 3rd at 9 suit?");
    assert_eq!(a.text, " does the 00th at 00 suit? ");
    assert!(a.list.iter().any(|f| a.gram(f) == "suit?"));
    let shared = a
        .buckets()
        .iter()
        .filter(|x| b.buckets().contains(x))
        .count();
    assert!(
        shared * 2 > a.buckets().len(),
        "{shared} of {}",
        a.buckets().len()
    );
    assert!(features::extract("").list.is_empty() || features::extract("").text.trim().is_empty());
}

#[test]
fn it_reads_unseen_phrasings_and_says_why() {
    let r = Reader::shipped().unwrap();
    let cases = [
        (
            "Thanks for the invite, but I'll have to pass this time.",
            Class::No,
        ),
        ("takke nej til mødet, det når jeg ikke", Class::No),
        ("Could you check back with me in late May?", Class::Later),
        ("Vielen Dank für das nette Gespräch gestern!", Class::Thanks),
        ("Would you be free for a coffee next week?", Class::Request),
    ];
    for (text, want) in cases {
        let p = r.read(text).unwrap();
        assert_eq!(p.class, want, "{text}: {p:?}");
        assert!(!p.ngrams.is_empty(), "{text}: no n-grams shown");
        assert!(p.probability > 0.0 && p.probability <= 1.0);
    }
    assert!(r.read("").is_none());
    assert!(r.read("§§§ ---").is_none());
}

#[test]
fn a_correction_teaches_the_reader_and_the_shipped_counts_stay() {
    let mut r = Reader::shipped().unwrap();
    let before = r.read("Righto, pencil me in for whenever suits").unwrap();
    r.learn("Righto, pencil me in for whenever suits you", Class::Yes);
    let p = r.read("righto - pencil me in whenever suits!").unwrap();
    assert_eq!(p.class, Class::Yes, "{p:?} (before: {before:?})");
    let (text, alike) = p.like.clone().unwrap();
    assert!(text.starts_with("Righto"), "{text}");
    assert!(alike >= read::ALIKE);
    // Something else entirely is not read through the example.
    let other = r.read("I'm afraid I can't make it, sorry.").unwrap();
    assert!(other.like.is_none());
    assert_eq!(Reader::shipped().unwrap().learned(), 0);
    assert_eq!(r.learned(), 1);
}

fn reading(label: Label, intent: Option<Intent>) -> Classification {
    Classification {
        label,
        intent,
        ..Default::default()
    }
}

#[test]
fn a_confident_disagreement_makes_the_reading_unsure_and_says_why() {
    use crate::core::classify::{Certainty, Intent, Label};
    let r = Reader::shipped().unwrap();
    let text = "Thank you for the lovely invitation, but I'm afraid I must decline.";
    // The rules reading it as a thank-you (thanks words) are doubted.
    let mut c = reading(Label::ThankYou, None);
    second::weigh(Some(&r), text, true, DAY, &mut c);
    assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
    assert_eq!(
        c.label,
        Label::ThankYou,
        "the model alone never changes the label"
    );
    let e = c.evidence.last().unwrap();
    assert_eq!(e.kind, "model");
    assert!(
        e.detail.starts_with("the learned reader reads no ("),
        "{}",
        e.detail
    );
    assert!(e.detail.contains("n-grams: \""), "{}", e.detail);
    // A reply to someone else's thread: its intent changes nothing, so it stays sure.
    let mut c = reading(Label::HumanReply, Some(Intent::Other));
    second::weigh(Some(&r), text, false, DAY, &mut c);
    assert_eq!(c.certainty, Certainty::Sure);
    assert!(
        c.evidence
            .last()
            .unwrap()
            .detail
            .contains("not enough to doubt")
    );
}

#[test]
fn agreement_is_evidence_and_never_makes_a_reading_sure() {
    use crate::core::classify::{Certainty, Intent, Label};
    let r = Reader::shipped().unwrap();
    let text = "I'm afraid I have to say no to this one, sorry.";
    let mut c = reading(Label::HumanReply, Some(Intent::No));
    c.certainty = Certainty::Unsure;
    second::weigh(Some(&r), text, true, DAY, &mut c);
    assert_eq!(c.certainty, Certainty::Unsure);
    assert!(
        c.evidence
            .last()
            .unwrap()
            .detail
            .starts_with("the learned reader agrees: no")
    );
    // Without a reader, or for a label it does not read, nothing changes.
    let mut c = reading(Label::HumanReply, Some(Intent::Yes));
    second::weigh(None, text, true, DAY, &mut c);
    assert!(c.evidence.is_empty() && c.certainty == Certainty::Sure);
    let mut c = reading(Label::AutoReply, None);
    second::weigh(Some(&r), text, true, DAY, &mut c);
    assert!(c.evidence.is_empty() && c.certainty == Certainty::Sure);
}

#[test]
fn a_text_like_one_the_user_marked_reads_as_marked_but_unsure() {
    use crate::core::classify::{Certainty, Intent, Label};
    let mut r = Reader::shipped().unwrap();
    r.learn("Go on then, stick me in the diary", Class::Yes);
    let mut c = reading(Label::HumanReply, Some(Intent::Other));
    c.later_until = None;
    second::weigh(
        Some(&r),
        "go on then - stick me in the diary!",
        true,
        DAY,
        &mut c,
    );
    assert_eq!(c.intent, Some(Intent::Yes));
    assert_eq!(c.certainty, Certainty::Unsure);
    assert!(
        c.evidence
            .last()
            .unwrap()
            .detail
            .contains("you marked a message like this one as yes")
    );
    // Marked as a thank-you: the label follows, and a reply's intent goes.
    let mut r = Reader::shipped().unwrap();
    r.learn("Cheers for the natter this morning", Class::Thanks);
    let mut c = reading(Label::HumanReply, Some(Intent::Other));
    second::weigh(
        Some(&r),
        "cheers for the natter this morning!!",
        true,
        DAY,
        &mut c,
    );
    assert_eq!((c.label, c.intent), (Label::ThankYou, None));
}

#[test]
fn the_bucket_index_finds_what_a_search_of_the_shipped_list_finds() {
    let counts = weights::Counts::decode(SHIPPED).expect("shipped weights decode");
    let index = BucketIndex::of(&counts.buckets);
    let mut present = 0;
    for b in (0..features::BUCKETS)
        .step_by(7)
        .chain(counts.buckets.iter().copied())
    {
        let searched = counts.buckets.binary_search(&b).ok();
        assert_eq!(index.position(b), searched, "bucket {b}");
        present += usize::from(searched.is_some());
    }
    assert!(
        present > counts.buckets.len(),
        "only {present} present buckets checked"
    );
    assert_eq!(index.position(features::BUCKETS + 5), None);
}

// The learned reader as the best guess of a reply the rules found no phrase in.

fn reply(doubt: &str) -> Classification {
    Classification {
        label: Label::HumanReply,
        intent: Some(Intent::Other),
        certainty: Certainty::Unsure,
        evidence: vec![crate::core::classify::ev(
            "phrase",
            format!("{doubt}: unsure"),
        )],
        ..Default::default()
    }
}

fn said(class: Class, probability: f64) -> Prediction {
    Prediction {
        class,
        probability,
        ngrams: vec!["push".to_string()],
        like: None,
    }
}

#[test]
fn a_reply_without_a_phrase_takes_the_readers_later_and_its_date_unsure() {
    let r = jiff::civil::Date::constant(2026, 12, 1);
    let mut c = reply(crate::core::classify::intent::NO_PHRASE);
    second::guess(
        &mut c,
        &said(Class::Later, 0.9),
        "could we push to 11 January?",
        r,
    );
    assert_eq!(c.intent, Some(Intent::Later));
    assert_eq!(
        c.later_until,
        Some(jiff::civil::Date::constant(2027, 1, 11))
    );
    assert_eq!(c.certainty, Certainty::Unsure);
    assert!(c.evidence.iter().any(|e| e.detail.contains("guess: later")));
}

#[test]
fn only_the_want_of_a_phrase_lets_the_reader_guess() {
    assert!(second::no_phrase(&reply(
        crate::core::classify::intent::NO_PHRASE
    )));
    // An acknowledgement is the rules' own reading of `other`, not the want of one.
    assert!(!second::no_phrase(&reply("acknowledgement \"got it\"")));
    let mut yes = reply(crate::core::classify::intent::NO_PHRASE);
    yes.intent = Some(Intent::Yes);
    assert!(!second::no_phrase(&yes));
}

#[test]
fn a_thanks_or_request_read_in_a_reply_is_no_answer() {
    let r = jiff::civil::Date::constant(2026, 12, 1);
    for class in [Class::Thanks, Class::Request, Class::Other] {
        let mut c = reply(crate::core::classify::intent::NO_PHRASE);
        second::guess(&mut c, &said(class, 0.95), "thanks!", r);
        assert_eq!(c.intent, Some(Intent::Other), "{class:?}");
        assert_eq!(c.label, Label::HumanReply);
    }
}
