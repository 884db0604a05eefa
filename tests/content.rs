//! The bundled content covers the course: every persona motive, every tactic family of
//! COURSE.md §4, every sanction of §5, in six or more cases of different industries.

mod common;

use common::{bundle, scenarios};
use sim::scenario::{Motive, Sanction};
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

/// Every character the trainee's and the projector's pages can show (their own words and every
/// scenario text) is in the font the server serves, so no Chinese character falls back to a
/// box or another face on a classroom computer without Chinese fonts.
#[test]
fn the_served_font_has_every_character_the_pages_show() {
    use skrifa::MetadataProvider;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let font = std::fs::read(root.join("assets/fonts/NotoSansSC-Subset.otf")).expect("the font");
    let font = skrifa::FontRef::new(&font).expect("an OpenType font");
    let charmap = font.charmap();
    let mut sources = vec![
        root.join("crates/class/src/web/play.js"),
        root.join("crates/class/src/web/projector.js"),
        root.join("crates/class/src/web/play.css"),
        root.join("crates/class/src/page.rs"),
    ];
    let mut folders = vec![root.join("scenarios")];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).expect("a scenario folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "ron") {
                sources.push(path);
            }
        }
    }
    assert!(sources.len() > 10, "the scenario files were found");
    let mut missing = BTreeSet::new();
    for file in &sources {
        let text = std::fs::read_to_string(file).expect("readable");
        for c in text.chars().filter(|c| !c.is_control() && *c != ' ') {
            if charmap.map(c).is_none() {
                missing.insert((
                    c,
                    file.file_name().map(|f| f.to_string_lossy().into_owned()),
                ));
            }
        }
    }
    assert!(missing.is_empty(), "not in the served font: {missing:?}");
}
