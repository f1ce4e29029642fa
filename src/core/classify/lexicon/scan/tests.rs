use super::*;
use crate::core::classify::lexicon::set;

/// Texts that hold every phrase of every list, alone, inside longer words, side
/// by side and overlapping: the combined scan must find what each list finds.
fn texts() -> Vec<String> {
    let mut out = vec![
        String::new(),
        " ".to_string(),
        " thanks so much, but i can't make it next week - how about june? ".to_string(),
        " vielen dank für die einladung, leider passt es mir nicht. ".to_string(),
        " お時間をいただけますか。ありがとうございます ".to_string(),
        " takk for invitasjonen, men jeg må takke nei ".to_string(),
    ];
    let all: Vec<&str> = COMBINED
        .phrases
        .iter()
        .map(|(p, _, _)| p.as_str())
        .collect();
    for chunk in all.chunks(7) {
        out.push(format!(" {} ", chunk.join(" ")));
        out.push(chunk.join(""));
        out.push(format!("x{}x", chunk.join(", ")));
    }
    out
}

#[test]
fn the_combined_scan_finds_exactly_what_each_list_finds_in_the_same_order() {
    let texts = texts();
    let mut compared = 0;
    for t in &texts {
        let scan = Scan::of(t);
        for cat in Cat::ALL {
            let alone: Vec<Hit<'_>> = set(cat).hits(t).collect();
            let together: Vec<Hit<'_>> = scan.hits(cat).collect();
            assert_eq!(alone, together, "list {cat:?} in {t:?}");
            assert_eq!(
                set(cat).first(t),
                scan.first(cat),
                "first of {cat:?} in {t:?}"
            );
            assert_eq!(set(cat).any(t), scan.any(cat), "any of {cat:?} in {t:?}");
            compared += alone.len();
        }
    }
    assert!(compared > 1000, "only {compared} hits compared");
}

#[test]
fn hits_in_a_part_cut_at_word_boundaries_are_the_part_searched_alone() {
    let t = " danke, aber ich kann nicht - vielleicht im juni, gerne später ";
    let scan = Scan::of(t);
    let cuts = [(0, 7), (7, t.len()), (0, 29), (29, t.len())];
    for (a, b) in cuts {
        let part = &t[a..b];
        for cat in Cat::ALL {
            let alone: Vec<(usize, &str)> = set(cat)
                .hits(part)
                .map(|h| (h.start + a, h.phrase))
                .collect();
            let inside: Vec<(usize, &str)> = scan
                .hits_in(cat, a..b)
                .map(|h| (h.start, h.phrase))
                .collect();
            assert_eq!(alone, inside, "list {cat:?} in {part:?}");
        }
    }
}
