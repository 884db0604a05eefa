//! Every diagnostic the authoring crate makes is written in Chinese and English, and every code
//! in `CODES` can be triggered from a scenario file (except the one the CLI makes itself).

mod common;

use authoring::diagnostic::{CODES, Diagnostic, Severity, did_you_mean_in};
use authoring::load::{RawScenarios, decode};
use common::{assert_bilingual, bundled, diagnose, diagnose_files, edited};
use std::collections::BTreeSet;
use std::path::Path;

/// Codes no scenario file given to this crate can produce, each with why.
const NOT_FROM_FILES: [&str; 3] = [
    // Made by the CLI's `validate` (src/cli/translations.rs) from strings-translated.ron, which
    // this crate does not read; it is bilingual there.
    "translation-needs-update",
    // The CLI's `validate` verdict on a case (src/cli/commands/validate.rs), from the training
    // validity analysis, which this crate does not run.
    "case-does-not-teach",
    // Listed for the CLI's `validate` (an older-format note); nothing in this crate makes it.
    "older-format",
];

const CASE: &str = "cases/print_shop.ron";
const TITLE: &str = "title: (zh: \"广告公司的赵经理\", en: \"Manager Zhao at the ad agency\"),";

/// A change to a bundled file: (file, from, to).
type Edit = (&'static str, &'static str, &'static str);

/// One broken file each, and the code it must be reported with.
fn error_fixtures() -> Vec<(&'static str, Vec<Edit>)> {
    vec![
        ("invalid", vec![(CASE, "difficulty: 2,", "difficulty: 9,")]),
        (
            "syntax",
            vec![(CASE, "difficulty: 2,", "difficulty: \"two\",")],
        ),
        (
            "full-width-punctuation",
            vec![(CASE, "difficulty: 2,", "difficulty: 2，")],
        ),
        (
            "curly-quote",
            vec![(CASE, "id: \"print_shop\"", "id: “print_shop”")],
        ),
        (
            "thousands-separator",
            vec![(CASE, "amount: 23500,", "amount: 23,500,")],
        ),
        (
            "missing-some",
            vec![(
                "lines.ron",
                "needs_prep: Some(\"balance_letter\")",
                "needs_prep: \"balance_letter\"",
            )],
        ),
        (
            "unbalanced-bracket",
            vec![(
                CASE,
                TITLE,
                "title: (zh: \"广告公司的赵经理\", en: \"Manager Zhao at the ad agency\",",
            )],
        ),
        (
            "missing-translation",
            vec![(CASE, ", en: \"Manager Zhao at the ad agency\")", ")")],
        ),
        (
            "unknown-id",
            vec![(
                "lines.ron",
                "(id: \"purpose_face\", tactic: \"face\"",
                "(id: \"purpose_face\", tactic: \"fase\"",
            )],
        ),
        (
            "name-for-id",
            vec![(
                "lines.ron",
                "(id: \"purpose_face\", tactic: \"face\"",
                "(id: \"purpose_face\", tactic: \"给面子\"",
            )],
        ),
        (
            "duplicate-id",
            vec![(
                "lines.ron",
                "(id: \"purpose_face\"",
                "(id: \"purpose_gentle\"",
            )],
        ),
        (
            "out-of-range",
            vec![("personas/evader.ron", "drift: 0.3,", "drift: 1.5,")],
        ),
        (
            "missing-text",
            vec![(CASE, "en: \"Manager Zhao at the ad agency\"", "en: \"\"")],
        ),
    ]
}

/// Edits that leave the files valid but draw the lint warnings: the code that needs a set of
/// its own (the others would change the play it is found in), and the edits drawing the rest.
fn warning_fixtures() -> Vec<Vec<Edit>> {
    vec![
        // excuse-never-defused: no preparation in the model approach, and none of the
        // counters to "lost_invoice" without one: the course-following play raises it and
        // cannot answer it.
        vec![
            (
                CASE,
                "model_preparations: [\"books\", \"key_person\"],",
                "model_preparations: [],",
            ),
            (
                "personas/evader.ron",
                "(id: \"lost_invoice_resend\", tactic: \"rebut\",",
                "(id: \"lost_invoice_resend\", tactic: \"rebut\", needs_prep: Some(\"key_person\"),",
            ),
        ],
        most_warnings(),
    ]
}

fn most_warnings() -> Vec<Edit> {
    vec![
        // placeholder-mismatch: a placeholder in the Chinese only.
        (
            "lines.ron",
            "text: (zh: \"{small_talk}\", en: \"{small_talk}\")",
            "text: (zh: \"{small_talk}{contact}\", en: \"{small_talk}\")",
        ),
        // unreachable-line: conditions that cannot hold together.
        (
            "lines.ron",
            "(id: \"purpose_gentle\", tactic: \"gentle\", stage: StatePurpose,",
            "(id: \"purpose_gentle\", tactic: \"gentle\", requires: [TrustBelow(0.3), TrustAtLeast(0.5)], stage: StatePurpose,",
        ),
        // placeholder-unfilled: an answer needing a value no case gives.
        (
            "personas/evader.ron",
            "(zh: \"行吧，转账是{payer}办，我签完字就交过去。\", en: \"Fine. {payer} makes",
            "(zh: \"行吧，转账是{cashier}办，我签完字就交过去。\", en: \"Fine. {cashier} makes",
        ),
        // answer-never-said: contradictory conditions.
        (
            "personas/evader.ron",
            "(to: [Line(\"close_person\")], when: [WillingnessAtLeast(0.55)], text: [",
            "(to: [Line(\"close_person\")], when: [Refused, NotRefused], text: [",
        ),
        // sensible-range: an excuse nearly every turn.
        (
            "personas/evader.ron",
            "excuse_rate: 0.7,",
            "excuse_rate: 0.95,",
        ),
        // reply-names-a-person: a shared text names someone.
        (
            "personas/evader.ron",
            "这事不归我管，你去找财务吧。",
            "这事不归我管，你去找李经理吧。",
        ),
        // uncounterable-excuse and counter-needs-unoffered-prep: the only counter needs a
        // preparation the case no longer offers.
        (
            "personas/evader.ron",
            "(id: \"everyone_late_proof\", tactic: \"social_proof\",",
            "(id: \"everyone_late_proof\", tactic: \"social_proof\", needs_prep: Some(\"peer_suppliers\"),",
        ),
        (
            CASE,
            "preparations: [\"books\", \"key_person\", \"routine\", \"peer_suppliers\"],",
            "preparations: [\"books\", \"key_person\", \"routine\"],",
        ),
        // excuse-unanswerable-unprepared: every counter needs a preparation, and no line of
        // their tactic needs none.
        (
            "personas/evader.ron",
            "(id: \"lost_invoice_resend\", tactic: \"rebut\",",
            "(id: \"lost_invoice_resend\", tactic: \"rebut\", needs_prep: Some(\"key_person\"),",
        ),
        // gate-never-opens: a gate whose conditions contradict.
        (
            "personas/evader.ron",
            "(unless: [PersonNamed, DeadlineSet, ObligationAtLeast(0.3)], cap: 0.5,",
            "(unless: [Refused, NotRefused], cap: 0.5,",
        ),
        // excuse-never-raised: zero weight.
        (
            "personas/cash_strapped.ron",
            "id: \"next_month\",",
            "id: \"next_month\", weight: 0.0,",
        ),
        // retired-field.
        (
            "tactics.ron",
            "pace_limit: 45.0,",
            "pace_limit: 45.0, willingness_from_trust: 0.1,",
        ),
        // rule-never-fires.
        (
            "tactics.ron",
            "(when: [UsedAtLeast(2)], effect: (patience: -0.06,",
            "(when: [UsedAtLeast(2), Refused, NotRefused], effect: (patience: -0.06,",
        ),
        // rubric-item-never-fires: pass 0.
        (
            "rubric.ron",
            "(id: \"end_face\", group: Relationship, points: 4.0, measure: EndFace, pass: 0.5,",
            "(id: \"end_face\", group: Relationship, points: 4.0, measure: EndFace, pass: 0.0,",
        ),
        // item-never-passes: a promise would have to be fully credible.
        (
            "rubric.ron",
            "not_arisen: (zh: \"当场全额付清，没有余款需要承诺。\", en: \"Paid in full on the spot: nothing was left to promise.\"), pass: 0.75,",
            "not_arisen: (zh: \"当场全额付清，没有余款需要承诺。\", en: \"Paid in full on the spot: nothing was left to promise.\"), pass: 1.0,",
        ),
    ]
}

#[test]
fn the_code_list_names_each_code_once_with_a_description_in_both_languages() {
    let mut seen = BTreeSet::new();
    for c in CODES {
        assert!(seen.insert(c.code), "`{}` is listed twice", c.code);
        assert!(!c.en.trim().is_empty(), "{}", c.code);
        assert!(common::has_cjk(c.zh), "{}: {}", c.code, c.zh);
        assert_ne!(c.zh, c.en);
    }
    for code in NOT_FROM_FILES {
        assert!(seen.contains(code), "{code} is excluded but not listed");
    }
}

#[test]
fn every_code_is_triggered_and_every_message_is_bilingual() {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut all: Vec<Diagnostic> = Vec::new();
    for (code, edits) in error_fixtures() {
        let diags = diagnose(&edits);
        assert!(
            diags
                .iter()
                .any(|d| d.code == code && d.severity == Severity::Error),
            "expected `{code}` from {edits:?}, got:\n{}",
            authoring::diagnostic::report(&diags)
        );
        all.extend(diags);
    }
    for edits in warning_fixtures() {
        let warned = diagnose(&edits);
        assert!(
            !warned.is_empty() && warned.iter().all(|d| d.severity == Severity::Warning),
            "the warning fixtures must stay valid and warn:\n{}",
            authoring::diagnostic::report(&warned)
        );
        all.extend(warned);
    }
    all.extend(more_errors());
    for d in &all {
        assert_bilingual(d);
        seen.insert(d.code);
    }
    let missing: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| !seen.contains(c) && !NOT_FROM_FILES.contains(c))
        .collect();
    assert!(missing.is_empty(), "never triggered: {missing:?}");
    for code in NOT_FROM_FILES {
        assert!(!seen.contains(code), "{code} is excluded but was triggered");
    }
}

/// Other errors, for their messages: files that cannot be read, are not UTF-8, are of no known
/// kind, define an id twice across files; a case's checks; a rubric's sums.
fn more_errors() -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut raw = RawScenarios::default();
    raw.add_file(Path::new("/nonexistent/scenario.ron"), None, &mut out);
    raw.add_source(Path::new("mystery.ron"), "Mystery()".into(), None, &mut out);
    RawScenarios::load_dir(Path::new("/nonexistent/folder"), &mut out);
    out.push(decode(Path::new("bad.ron"), vec![b'(', 0xff, b')']).unwrap_err());
    // The shared files missing.
    out.extend(authoring::validate::validate(RawScenarios::default(), Vec::new()).unwrap_err());
    // A second persona with the same id, a case with several problems, a rubric that does not
    // add up.
    let evader = std::fs::read_to_string(bundled("personas/evader.ron")).unwrap();
    let case = edited(
        CASE,
        &[
            ("amount: 23500,", "amount: 0,"),
            ("prep_budget: 2,", "prep_budget: 7,"),
            ("max_turns: 16,", "max_turns: 16, instalments: 40,"),
            ("par_turns: 9,", "par_turns: 99,"),
            (
                "model_preparations: [\"books\", \"key_person\"],",
                "model_preparations: [\"books\", \"key_person\", \"routine\", \"bookz\"],",
            ),
            ("\"contact\": (zh: \"赵经理\", en: \"Manager Zhao\"),", ""),
        ],
    );
    let rubric = edited(
        "rubric.ron",
        &[(
            "(id: \"end_face\", group: Relationship, points: 4.0,",
            "(id: \"end_face\", group: Relationship, points: 5.0,",
        )],
    );
    let diags = diagnose_files(&[
        (
            bundled("personas/evader_again.ron"),
            // The same persona id in a second file.
            evader,
        ),
        (bundled(CASE), case),
        (bundled("rubric.ron"), rubric),
    ]);
    for needle in [
        "duplicate persona id \"evader\"",
        "the amount must be between",
        "the budget (7) is larger",
        "40 is out of range",
        "par_turns must be between",
        "unknown preparation of this case \"bookz\" (did you mean \"books\"?)",
        "uses {contact} but the case gives no value",
        "the points add up to 101",
    ] {
        assert!(
            diags.iter().any(|d| d.message.contains(needle)),
            "expected {needle:?} in:\n{}",
            authoring::diagnostic::report(&diags)
        );
    }
    out.extend(diags);
    out
}

#[test]
fn the_suggestion_is_the_one_sim_makes_in_both_languages() {
    let known = ["praise", "pressure", "facts", "small_talk"];
    for typed in ["praize", "presure", "fact", "smalltalk", "zzz", "给面子"] {
        let both = did_you_mean_in(typed, known);
        assert_eq!(both.en, sim::did_you_mean(typed, known), "{typed}");
        assert_eq!(both.zh.is_empty(), both.en.is_empty(), "{typed}");
    }
    let both = did_you_mean_in("praize", known);
    assert_eq!(both.zh, "（是不是想写 \"praise\"？）");
}
