use super::*;

#[test]
fn names_round_trip_and_errors_list_choices() {
    for k in DraftKind::ALL {
        assert_eq!(k.as_str().parse::<DraftKind>().unwrap(), *k);
    }
    for k in InteractionKind::ALL {
        assert_eq!(k.as_str().parse::<InteractionKind>().unwrap(), *k);
    }
    for d in Direction::ALL {
        assert_eq!(d.as_str().parse::<Direction>().unwrap(), *d);
    }
    assert!("sideways".parse::<Direction>().is_err());
    let e = "friend".parse::<Tier>().unwrap_err();
    assert!(e.contains("close, regular, acquaintance"), "{e}");
    assert_eq!(
        serde_json::to_string(&DraftKind::ThankYou).unwrap(),
        "\"thank-you\""
    );
}
