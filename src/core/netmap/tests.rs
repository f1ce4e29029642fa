use super::*;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn person(
    id: i64,
    name: &str,
    company: &str,
    tier: Tier,
    last: Option<&str>,
    touches: u32,
) -> Person {
    Person {
        id,
        name: name.into(),
        company: company.into(),
        role: String::new(),
        tier,
        tags: Vec::new(),
        stage: Stage::New,
        last_touch: last.map(t),
        touches_year: touches,
        next: "nothing".into(),
    }
}

const NOW: &str = "2026-12-01T10:00:00Z";

fn dist(p: &Placed) -> f64 {
    ((p.x - CENTER).powi(2) + (p.y - CENTER).powi(2)).sqrt()
}

#[test]
fn tiers_are_rings_and_companies_are_sectors() {
    let people = [
        person(1, "Ana", "Acme", Tier::Close, None, 0),
        person(2, "Ben", "Acme", Tier::Acquaintance, None, 0),
        person(3, "Cy", "Acme", Tier::Regular, None, 0),
        person(4, "Di", "Beta", Tier::Regular, None, 0),
        person(5, "Ed", "", Tier::Regular, None, 0),
    ];
    let l = layout(&people, t(NOW), "2026-12-01".parse().unwrap());
    assert_eq!(l.people.len(), 5);
    for p in &l.people {
        assert!(
            (dist(p) - ring(p.person.tier)).abs() < 0.01,
            "{} off its ring",
            p.person.name
        );
    }
    // Acme (3 of 5) takes the first 216 degrees from the top; then the ties by name.
    let angle = |p: &Placed| {
        let a = (p.y - CENTER).atan2(p.x - CENTER) + TAU / 4.0;
        a.rem_euclid(TAU)
    };
    for p in &l.people {
        let a = angle(p).to_degrees();
        let (lo, hi) = match p.person.company.as_str() {
            "Acme" => (0.0, 216.0),
            "Beta" => (288.0, 360.0),
            _ => (216.0, 288.0),
        };
        assert!(a > lo && a < hi, "{} at {a}", p.person.name);
    }
    let labels: Vec<&str> = l.labels.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(labels, ["Acme (3)", "(no company) (1)", "Beta (1)"]);
}

#[test]
fn size_follows_frequency_and_fading_follows_recency() {
    let table = [
        (None, 0, 0.35, 5.0),
        (Some("2026-11-25T10:00:00Z"), 1, 1.0, 7.0),
        (Some("2026-10-01T10:00:00Z"), 4, 0.8, 9.0),
        (Some("2026-07-01T10:00:00Z"), 9, 0.6, 11.0),
        (Some("2025-01-01T10:00:00Z"), 400, 0.35, 16.0),
    ];
    for (last, touches, op, r) in table {
        let l = layout(
            &[person(1, "A", "", Tier::Close, last, touches)],
            t(NOW),
            "2026-12-01".parse().unwrap(),
        );
        let p = &l.people[0];
        assert_eq!(p.opacity, op, "{last:?}");
        assert!((p.r - r).abs() < 1e-9, "{touches}: {}", p.r);
    }
}

#[test]
fn stages_group_for_the_legend() {
    let ts = t(NOW);
    let table = [
        (Stage::Requested { since: ts }, StageGroup::Asked),
        (Stage::Scheduled { start: ts }, StageGroup::Talking),
        (Stage::Thanked { at: ts }, StageGroup::Met),
        (
            Stage::KeepingInTouch { next_check_in: ts },
            StageGroup::KeepingInTouch,
        ),
        (Stage::Dormant { since: ts }, StageGroup::Quiet),
        (Stage::Bounced, StageGroup::Closed),
    ];
    for (stage, group) in table {
        assert_eq!(StageGroup::of(&stage), group, "{stage:?}");
    }
}

#[test]
fn markup_is_escaped_and_the_page_is_self_contained() {
    let mut p = person(
        7,
        "<script>alert(1)</script> & \"Bob\"",
        "O'Neil & Co",
        Tier::Close,
        None,
        2,
    );
    p.tags = vec!["fintech".into(), "a\"b".into()];
    let l = layout(&[p], t(NOW), "2026-12-01".parse().unwrap());
    let page = html(&l);
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Bob&quot;"));
    assert!(page.contains("O&#39;Neil &amp; Co (1)"));
    assert!(page.contains("data-tags=\"fintech|a&quot;b\""));
    assert!(page.contains("<option value=\"fintech\">fintech</option>"));
    assert!(page.contains("default-src 'none'"));
    for external in [
        "http://", "https://", "src=\"", "href=\"", "@import", "url(",
    ] {
        assert!(!page.contains(external), "{external} in the page");
    }
    assert_eq!(page.matches("class=\"person\"").count(), 1);
    let alone = svg(&l, true);
    assert!(alone.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(!alone.contains("<script"));
}

#[test]
fn a_contact_without_an_address_has_its_own_look_not_the_bounced_colour() {
    let mut p = person(1, "Jessica Park", "Example", Tier::Regular, None, 0);
    p.stage = Stage::NoAddress;
    assert_eq!(StageGroup::of(&p.stage), StageGroup::NoEmail);
    assert_ne!(StageGroup::NoEmail.color(), StageGroup::Closed.color());
    let l = layout(&[p], t(NOW), "2026-12-01".parse().unwrap());
    let page = html(&l);
    assert!(page.contains("stroke-dasharray=\"2 2\""), "drawn hollow");
    for g in StageGroup::ALL {
        assert!(
            page.contains(&escape(g.label())),
            "legend lacks {}",
            g.label()
        );
    }
    assert!(page.contains("no email yet"));
}

/// Label boxes (x from the dot's right, one line high) that overlap.
fn overlapping(l: &Layout) -> Vec<(String, String)> {
    let boxes: Vec<(f64, f64, f64, &str)> = l
        .people
        .iter()
        .filter(|p| p.labelled)
        .map(|p| {
            (
                p.x + p.r + 3.0,
                p.y,
                name_width(&p.person.name),
                p.person.name.as_str(),
            )
        })
        .collect();
    let mut out = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart_x = a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0;
            let apart_y = (a.1 - b.1).abs() >= 12.0;
            if !apart_x && !apart_y {
                out.push((a.3.to_string(), b.3.to_string()));
            }
        }
    }
    out
}

#[test]
fn names_never_overlap_and_a_crowd_is_left_to_hover() {
    for n in [3usize, 12, 40, 150] {
        let people: Vec<Person> = (0..n)
            .map(|i| {
                let company = ["Acme", "Initech", "李氏科技"][i % 3];
                person(
                    i as i64,
                    &format!("Person Number {i} 王小明"),
                    company,
                    Tier::Regular,
                    None,
                    0,
                )
            })
            .collect();
        let l = layout(&people, t(NOW), "2026-12-01".parse().unwrap());
        assert_eq!(
            overlapping(&l),
            Vec::<(String, String)>::new(),
            "{n} people"
        );
        let shown = l.people.iter().filter(|p| p.labelled).count();
        if n == 3 {
            assert_eq!(shown, 3, "a sparse map names everyone");
        }
        if n == 150 {
            assert!(shown < n, "a crowded map hides some names");
            let page = html(&l);
            assert_eq!(
                page.matches("<title>").count(),
                n + 1,
                "every dot keeps its hover text"
            );
        }
    }
}
