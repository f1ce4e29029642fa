use super::*;

#[test]
fn every_file_has_only_known_sections_and_clean_phrases() {
    for (lang, file) in LANGUAGES {
        for line in file.lines() {
            let l = line.split('#').next().unwrap_or("").trim();
            if let Some(name) = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert!(
                    Cat::from_section(name).is_some(),
                    "{lang}: unknown section [{name}]"
                );
            }
        }
        for (cat, p) in entries(file) {
            assert!(
                cat.is_some(),
                "{lang}: phrase {p:?} outside a known section"
            );
            assert_eq!(
                normalise_for_match(p).trim(),
                p,
                "{lang}: {p:?} is not normalised"
            );
        }
        // Every file covers the core lists.
        for cat in [Cat::Yes, Cat::No, Cat::Later, Cat::Thanks, Cat::RequestAsk] {
            assert!(
                entries(file).any(|(c, _)| c == Some(cat)),
                "{lang}: no [{}] phrases",
                cat.section()
            );
        }
    }
}

#[test]
fn phrases_match_on_word_boundaries_only() {
    let s = PhraseSet::from_list(&["ja", "works for me"]);
    assert!(s.any(" ja, gerne "));
    assert!(!s.any(" nächstes jahr "));
    assert!(s.any(" tuesday works for me. "));
    assert!(!s.any(" it works for media "));
    let hits: Vec<_> = s.hits(" ja ja ").map(|h| h.start).collect();
    assert_eq!(hits, vec![1, 4]);
}

#[test]
fn unspaced_scripts_match_anywhere() {
    let s = set(Cat::Yes);
    let h = normalise_for_match("それでは 11:00 にお待ちしております。");
    assert_eq!(s.first(&h).map(|h| h.lang), Some("ja"));
}

#[test]
fn every_language_is_loaded() {
    for (lang, _) in LANGUAGES {
        assert!(
            set(Cat::Yes).phrases.iter().any(|(_, l)| l == lang),
            "{lang} has no yes phrase loaded"
        );
    }
    assert!(set(Cat::Yes).first(" det lyder godt ").is_some());
    assert!(set(Cat::No).first(" nicht ").is_none());
}
