//! The bundled content covers the course: every persona motive, every tactic family of
//! COURSE.md §4, every sanction of §5, in six or more cases of different industries.

mod common;

use common::{bundle, scenarios};
use dunning_dojo::engine::scenario::{Motive, Sanction};
use std::collections::BTreeSet;

#[test]
fn six_personas_cover_the_required_motives() {
    let motives: BTreeSet<String> = scenarios()
        .personas
        .iter()
        .map(|p| format!("{:?}", p.motive))
        .collect();
    for m in [
        Motive::FinancialPressure,
        Motive::EvadingResponsibility,
        Motive::Distrust,
        Motive::HabitualDelay,
        Motive::ChangedFinanceHead,
        Motive::Malicious,
    ] {
        assert!(motives.contains(&format!("{m:?}")), "no persona for {m:?}");
    }
    assert!(scenarios().personas.iter().any(|p| p.malicious));
}

#[test]
fn the_cases_cover_every_tactic_and_every_sanction() {
    let sc = scenarios();
    let required = [
        "praise",
        "face",
        "gentle",
        "pressure",
        "deadline",
        "split",
        "reject_delay",
        "rebut",
        "empathy",
        "social_proof",
        "win_win",
        "sympathy",
        "small_talk",
        "strategic_delay",
        "consensus",
        "feigned_retreat",
        "velvet_pressure",
        "calm",
        "sanction",
        "facts",
        "close",
    ];
    let mut tactics = BTreeSet::new();
    let mut sanctions = BTreeSet::new();
    let mut contract_lines = 0;
    for case in &sc.cases {
        let b = bundle(&case.id);
        for c in &b.choices {
            tactics.insert(b.tactics[c.tactic].id.clone());
            sanctions.extend(c.sanction);
            contract_lines += usize::from(c.mentions_contract);
        }
    }
    for t in required {
        assert!(tactics.contains(t), "no case offers a {t} line");
    }
    for s in [
        Sanction::StopSupply,
        Sanction::StopService,
        Sanction::WithdrawAuthorization,
        Sanction::Reputation,
        Sanction::Legal,
    ] {
        assert!(sanctions.contains(&s), "no case offers {s:?}");
    }
    assert!(
        contract_lines > 0,
        "some line mentions the contract, so avoiding it is a choice"
    );
}

#[test]
fn cases_differ_in_industry_amount_and_difficulty() {
    let sc = scenarios();
    assert!(sc.cases.len() >= 6);
    let industries: BTreeSet<_> = sc.cases.iter().map(|c| c.industry.en.clone()).collect();
    let amounts: BTreeSet<_> = sc.cases.iter().map(|c| c.amount).collect();
    let difficulties: BTreeSet<_> = sc.cases.iter().map(|c| c.difficulty).collect();
    assert_eq!(industries.len(), sc.cases.len());
    assert_eq!(amounts.len(), sc.cases.len());
    assert!(difficulties.len() >= 3);
    let personas: BTreeSet<_> = sc.cases.iter().map(|c| c.persona.clone()).collect();
    assert_eq!(personas.len(), 6, "each persona has a case");
}
