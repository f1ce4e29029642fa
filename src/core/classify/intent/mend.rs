//! Phone typing mended before the phrase lists read a sentence: English
//! negations without their apostrophe ("cant make it"). It never panics.

/// English negations typed without their apostrophe on a phone ("cant make
/// it", "wont be able"), written back so the phrase lists read them. Only
/// words that are nothing else in the languages read ("dont" is French, "im"
/// German).
const UNAPOSTROPHED: &[(&str, &str)] = &[
    ("cant", "can't"),
    ("wont", "won't"),
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("isnt", "isn't"),
    ("wasnt", "wasn't"),
    ("arent", "aren't"),
    ("couldnt", "couldn't"),
    ("wouldnt", "wouldn't"),
    ("shouldnt", "shouldn't"),
    ("havent", "haven't"),
    ("hasnt", "hasn't"),
];

/// A normalised sentence with [`UNAPOSTROPHED`] words mended; its word
/// boundaries and the rest of it unchanged.
pub(super) fn mend_contractions(s: &str) -> String {
    if !UNAPOSTROPHED.iter().any(|(bare, _)| s.contains(bare)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let w = UNAPOSTROPHED
            .iter()
            .find(|(bare, _)| *bare == word.as_str())
            .map_or(word.as_str(), |(_, full)| full);
        out.push_str(w);
        word.clear();
    };
    for c in s.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
