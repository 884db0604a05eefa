//! Property tests: no input sequence takes the debtor's state out of range, breaks the turn
//! limit or panics; no text handed to the RON loader panics it.

mod common;

use authoring::load::parse;
use authoring::locate::{FieldPath, Locator};
use common::{bundle, scenarios};
use proptest::prelude::*;
use sim::Meeting;
use sim::rubric::score;
use sim::scenario::{Case, Persona};
use std::path::Path;

fn elapsed() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..30.0f64,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-5.0),
        Just(1e12),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn state_stays_in_range_whatever_is_said(
        case in 0usize..6,
        seed in any::<u64>(),
        prep_mask in any::<u8>(),
        moves in prop::collection::vec((any::<u16>(), elapsed()), 0..60),
    ) {
        let sc = scenarios();
        let case = &sc.cases[case % sc.cases.len()];
        let b = bundle(&case.id);
        let preps: Vec<String> = case.preparations.iter().enumerate()
            .filter(|(i, _)| prep_mask & (1 << i) != 0)
            .map(|(_, p)| p.clone())
            .take(usize::from(case.prep_budget))
            .collect();
        let mut n = Meeting::new(b.clone(), seed, &preps).unwrap();
        prop_assert!(n.state.in_range());
        for (pick, secs) in moves {
            // Either a choice that is open, or any index at all (which must be refused cleanly).
            let open = n.available();
            let i = if pick % 5 == 0 || open.is_empty() { usize::from(pick) } else { open[usize::from(pick) % open.len()] };
            let was_open = n.is_available(i);
            let r = n.respond(i, secs);
            prop_assert_eq!(r.is_ok(), was_open);
            prop_assert!(n.state.in_range(), "{:?}", n.state);
            prop_assert!(n.progress.turn <= case.max_turns);
        }
        let s = score(&n);
        prop_assert!((0.0..=100.0).contains(&s.total));
        for it in &s.items {
            prop_assert!(it.points >= 0.0 && it.points <= it.max + 1e-9);
        }
    }

    #[test]
    fn parsing_never_panics_on_mangled_files(
        cut in 0usize..4000,
        len in 0usize..200,
        insert in "[(){}\\[\\]:,\"a-z0-9 \\n]{0,20}",
    ) {
        let original = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/personas/evader.ron")).unwrap();
        let mut chars: Vec<char> = original.chars().collect();
        let start = cut.min(chars.len());
        let end = (start + len).min(chars.len());
        chars.splice(start..end, insert.chars());
        let text: String = chars.into_iter().collect();
        let _ = parse::<Persona>(Path::new("p.ron"), &text);
        let _ = parse::<Case>(Path::new("c.ron"), &text);
        let loc = Locator::new(&text);
        let (line, col) = loc.find(&FieldPath::root().field("excuses").index(1).field("text"));
        prop_assert!(line >= 1 && col >= 1);
    }
}
