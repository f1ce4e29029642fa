use super::*;

#[test]
fn every_file_has_only_known_sections_and_clean_phrases() {
    for (lang, file) in LANGUAGES {
        for line in file.lines() {
            let l = line.split('#').next().unwrap_or("").trim();
            if let Some(name) = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert!(
                    Section::from_name(name).is_some(),
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
                entries(file).any(|(c, _)| c == Some(Section::Phrases(cat))),
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

#[test]
fn calendar_names_are_read_from_the_files() {
    assert_eq!(month_of("juillet"), Some(7));
    assert_eq!(month_of("jänner"), Some(1));
    assert_eq!(month_of("sept"), Some(9));
    assert_eq!(month_of("dicembre"), Some(12));
    assert_eq!(month_of("monday"), None);
    assert_eq!(weekday_of("miércoles"), Some(Weekday::Wednesday));
    assert_eq!(weekday_of("thurs"), Some(Weekday::Thursday));
    assert_eq!(weekday_of("sonntag"), Some(Weekday::Sunday));
    assert_eq!(weekday_of("may"), None);
}

#[test]
fn a_calendar_name_means_the_same_in_every_file() {
    let mut seen: HashMap<&str, (Section, &str)> = HashMap::new();
    for (lang, file) in LANGUAGES {
        for (section, name) in entries(file) {
            let Some(s @ (Section::Month(_) | Section::Weekday(_))) = section else {
                continue;
            };
            if let Some((prev, other)) = seen.insert(name, (s, lang)) {
                assert_eq!(
                    prev, s,
                    "{name:?} means {prev:?} in {other}, {s:?} in {lang}"
                );
            }
        }
    }
    assert!(
        seen.len() > 100,
        "calendar names not loaded: {}",
        seen.len()
    );
}

#[test]
fn count_words_of_every_language_agree() {
    for (w, n) in [
        ("two", 2),
        ("few", 3),
        ("zwei", 2),
        ("trois", 3),
        ("cuatro", 4),
        ("cinque", 5),
        ("zes", 6),
        ("dois", 2),
        ("doze", 12),
    ] {
        assert_eq!(number_of(w), Some(n), "{w}");
    }
    // Traps: English words that are numbers elsewhere stay words.
    for w in ["due", "once", "sei", "un", "weeks", ""] {
        assert_eq!(number_of(w), None, "{w}");
    }
    // A word listed by two languages means the same in both.
    let mut seen: HashMap<&str, i64> = HashMap::new();
    for (lang, file) in LANGUAGES {
        for (section, line) in entries(file) {
            if section != Some(Section::Numbers) {
                continue;
            }
            let (w, n) = number_entry(line).unwrap_or_else(|| panic!("{lang}: bad {line:?}"));
            assert_eq!(*seen.entry(w).or_insert(n), n, "{lang}: {w}");
        }
    }
}

#[test]
fn quote_word_lists_cover_the_languages() {
    for (list, must) in [
        (
            Words::QuoteEnd,
            &[
                "wrote:",
                "schrieb:",
                "a écrit :",
                "escribió:",
                "ha scritto:",
                "schreef:",
                "escreveu:",
                "skrev:",
            ][..],
        ),
        (
            Words::QuoteStart,
            &["on", "am", "le", "el", "il", "op", "em"][..],
        ),
        (
            Words::QuoteFrom,
            &["from:", "von:", "de :", "da:", "van:", "de:"][..],
        ),
        (
            Words::QuoteSeparator,
            &[
                "original message",
                "ursprüngliche nachricht",
                "mensagem original",
            ][..],
        ),
    ] {
        for w in must {
            assert!(words(list).contains(w), "{list:?} lacks {w:?}");
        }
    }
}
