//! The debtor answers what was said, remembers what it conceded, and does not turn from a rebuff
//! to payment without a reason it says out loud.

mod common;

use analysis::dialogue::{self, Dialogue};
use common::*;
use sim::autoplay;
use sim::meeting::{Event, Meeting, Outcome, Utterance, reply_in};
use sim::scenario::{Close, LineStage, Persona, Reaction};
use sim::text::Lang;
use sim::transcript::reply;
use std::collections::{HashMap, HashSet};

fn reply_of(events: &[Event]) -> Utterance {
    reply_in(events).expect("every turn has a reply")
}

fn words(n: &Meeting, events: &[Event]) -> String {
    reply(n, events, Lang::En).unwrap_or_default()
}

#[test]
fn replies_answer_the_line_in_the_debtors_own_words_in_the_model_and_200_random_meetings() {
    for case in &scenarios().cases {
        let d = dialogue::measure(&bundle(&case.id), 200);
        for (who, x) in [("model", &d.model), ("random", &d.random)] {
            assert!(
                x.fallback_share() <= 0.30,
                "{} {who}: {} of {} replies fell back to the mood voice",
                case.id,
                x.fallback,
                x.replies
            );
            assert_eq!(
                x.avoidable_repeats, 0,
                "{} {who}: a reply was repeated word for word while another wording fitted",
                case.id
            );
            assert!(
                x.shared_share() <= 0.05,
                "{} {who}: {} of {} replies are the tactic book's shared words, most after {:?}",
                case.id,
                x.shared,
                x.replies,
                x.most_shared(3)
            );
        }
        assert_eq!(
            d.model.repeats, 0,
            "{}: the model meeting repeats a reply",
            case.id
        );
    }
}

/// Every wording a persona says (answers and voice), each language apart.
fn persona_wordings(p: &Persona) -> Vec<(&str, &str)> {
    let answers = p.answers.iter().flat_map(|a| &a.text);
    let voice = p.voice.values().flatten();
    answers
        .chain(voice)
        .flat_map(|t| [("zh", t.zh.as_str()), ("en", t.en.as_str())])
        .collect()
}

#[test]
fn no_two_debtors_share_a_wording_and_none_borrows_the_books() {
    let sc = scenarios();
    let book: HashSet<&str> = sc
        .book
        .answers
        .iter()
        .flat_map(|a| &a.text)
        .chain(sc.book.voice.values().flatten())
        .flat_map(|t| [t.zh.as_str(), t.en.as_str()])
        .collect();
    let mut said_by: HashMap<&str, &str> = HashMap::new();
    for p in &sc.personas {
        for (lang, w) in persona_wordings(p) {
            assert!(
                !book.contains(w),
                "{} ({lang}) borrows the book's \"{w}\"",
                p.id
            );
            if let Some(other) = said_by.insert(w, &p.id) {
                assert_eq!(
                    other, p.id,
                    "{} and {other} both say ({lang}) \"{w}\"",
                    p.id
                );
            }
        }
    }
}

#[test]
fn small_talk_gets_small_talk_and_a_greeting_a_greeting() {
    for case in &scenarios().cases {
        let mut n = start(&case.id, 1, &[]);
        let greet = n.respond_id("open_greet", 3.0).unwrap();
        let talk = n.respond_id("open_small_talk", 3.0).unwrap();
        for (line, ev) in [("open_greet", &greet), ("open_small_talk", &talk)] {
            let u = reply_of(ev);
            assert!(
                matches!(u, Utterance::Answer { .. }),
                "{} {line}: answered from the mood voice ({})",
                case.id,
                words(&n, ev)
            );
        }
        assert_ne!(words(&n, &greet), words(&n, &talk), "{}", case.id);
    }
}

#[test]
fn who_pays_is_answered_by_a_willing_debtor_and_dodged_by_an_evader() {
    // Willing: the fastener owner, after a dated plan he can keep, says who sends the money.
    let mut willing = start("fastener_factory", 1, &["key_person", "finance_calendar"]);
    for line in [
        "open_greet",
        "facts_confirm",
        "purpose_face",
        "plan_split_dated",
    ] {
        answer_excuses(&mut willing);
        willing.respond_id(line, 3.0).unwrap();
    }
    answer_excuses(&mut willing);
    let ev = willing.respond_id("close_person", 3.0);
    // The evader, asked before anything pins him down, passes the buck.
    let mut evader = start("print_shop", 1, &[]);
    for line in [
        "open_greet",
        "facts_process",
        "purpose_gentle",
        "plan_split_open",
    ] {
        answer_excuses(&mut evader);
        evader.respond_id(line, 3.0).unwrap();
    }
    answer_excuses(&mut evader);
    let dodge = evader.respond_id("close_person", 3.0).unwrap();
    let dodged = words(&evader, &dodge);
    assert!(
        matches!(reply_of(&dodge), Utterance::Answer { .. }),
        "the evader's answer is his own: {dodged}"
    );
    assert!(
        dodged.contains("finance") || dodged.contains("Not me"),
        "the evader dodges the question: {dodged}"
    );
    if let Ok(ev) = ev {
        let named = words(&willing, &ev);
        assert!(
            matches!(
                reply_of(&ev),
                Utterance::Answer { .. } | Utterance::Excuse { .. }
            ),
            "the question is answered: {named}"
        );
        assert_ne!(named, dodged);
    }
}

#[test]
fn praise_to_a_malicious_debtor_reads_as_weakness() {
    let mut n = start("contractor_cement", 1, &[]);
    let before = n.state.mood.dominance;
    let ev = n.respond_id("open_praise", 3.0).unwrap();
    assert_eq!(reply_of(&ev).tone(), Some(Reaction::Scoff));
    assert!(matches!(reply_of(&ev), Utterance::Answer { .. }));
    assert!(
        n.state.mood.dominance > before,
        "praise made him feel stronger"
    );
}

#[test]
fn a_conceded_point_is_not_raised_again() {
    let b = bundle("clinic_analyzers");
    let excuse = |id: &str| b.persona.excuses.iter().position(|e| e.id == id).unwrap();
    let (quality, unsigned) = (excuse("quality_issue"), excuse("no_acceptance"));
    let mut conceded_meetings = 0;
    for seed in 0..300 {
        let n = autoplay::random(&b, seed);
        let mut conceded = false;
        for t in &n.turns {
            let u = reply_of(&t.events);
            if conceded {
                assert!(
                    !matches!(u, Utterance::Excuse { excuse, .. } if excuse == unsigned || excuse == quality),
                    "seed {seed}: the signature was admitted, then disputed again"
                );
            }
            let report = b.choices[t.choice].id == "quality_report";
            if report
                && t.events
                    .iter()
                    .any(|e| matches!(e, Event::ExcuseDefused { excuse } if *excuse == quality))
            {
                conceded = true;
                conceded_meetings += 1;
            }
        }
    }
    assert!(
        conceded_meetings > 0,
        "some random meeting shows the report"
    );
}

/// Checks one meeting: an agreement after a hostile or brush-off reply comes at least a turn
/// later, with the driver that turned the debtor, and the reply starts by saying so. Returns
/// whether such a turn-round happened.
fn check_rebuffs(n: &Meeting, label: &str) -> bool {
    let b = &n.bundle;
    let mut rebuffed_at: Option<usize> = None;
    let mut turned = false;
    for (k, t) in n.turns.iter().enumerate() {
        let agreed = t.events.iter().any(|e| {
            matches!(
                e,
                Event::Ended(
                    Outcome::PaidInFull { .. } | Outcome::Partial { .. } | Outcome::Committed(_)
                )
            )
        }) && b.choices[t.choice].close != Some(Close::AcceptDelay);
        if agreed && let Some(r) = rebuffed_at {
            assert!(k > r + 1, "{label}: agreed right after a rebuff");
            let why = t.events.iter().find_map(|e| match e {
                Event::MindChanged { driver } => Some(*driver),
                _ => None,
            });
            let why = why.unwrap_or_else(|| panic!("{label}: agreed after a rebuff, no reason"));
            let said = words(n, &t.events);
            let reason = b.say(&b.turnaround[&why], Lang::En);
            assert!(said.starts_with(&reason), "{label}: {said}");
            turned = true;
        }
        if matches!(
            reply_of(&t.events).tone(),
            Some(Reaction::Hostile | Reaction::BrushOff)
        ) {
            rebuffed_at = Some(k);
        }
    }
    turned
}

/// The model meeting with a bare deadline said before any plan: brushed off, then the model's
/// plan and close.
fn model_after_a_brush_off(case: &str) -> Meeting {
    let b = bundle(case);
    let mut plan = autoplay::model_plan(&b);
    let first_plan = plan
        .iter()
        .position(|&i| b.choices[i].stage == LineStage::PaymentPlan)
        .unwrap_or(plan.len());
    plan.insert(first_plan, b.choice_index("plan_deadline").unwrap());
    let mut n = Meeting::new(b.clone(), 1, &case_preps(case)).unwrap();
    play_plan(&mut n, &plan);
    n
}

fn case_preps(case: &str) -> Vec<String> {
    scenarios().case(case).unwrap().model_preparations.clone()
}

#[test]
fn a_rebuff_is_followed_by_payment_only_for_a_reason_the_debtor_gives() {
    for case in &scenarios().cases {
        let b = bundle(&case.id);
        for seed in 0..200 {
            check_rebuffs(
                &autoplay::random(&b, seed),
                &format!("{} seed {seed}", case.id),
            );
        }
    }
    let turned: Vec<&str> = scenarios()
        .cases
        .iter()
        .map(|c| c.id.as_str())
        .filter(|&c| check_rebuffs(&model_after_a_brush_off(c), c))
        .collect();
    assert!(
        !turned.is_empty(),
        "a brushed-off collector who then makes a plan turns some debtor round"
    );
}

#[test]
fn settling_a_payment_in_full_by_a_later_date_is_a_promise_not_money_now() {
    let mut n = start("clinic_analyzers", 1, &["product_cleared", "books"]);
    say_all(&mut n, &["open_greet", "facts_confirm"]);
    answer_excuses(&mut n);
    say_all(&mut n, &["purpose_face"]);
    answer_excuses(&mut n);
    say_all(&mut n, &["plan_service", "plan_full_date", "close_person"]);
    answer_excuses(&mut n);
    if n.is_over() {
        return;
    }
    n.respond_id("close_settle", 3.0).unwrap();
    match n.outcome {
        Some(Outcome::Committed(c)) => assert!(c.dated, "the promise carries the date"),
        Some(Outcome::PaidInFull { .. } | Outcome::Partial { .. }) => {
            panic!("a payment due on the 28th was counted as paid today")
        }
        _ => {}
    }
}

#[test]
fn dialogue_figures_add_up() {
    let n = autoplay::model(&bundle("print_shop"), 1);
    let d = Dialogue::of(&n);
    assert_eq!(d.replies as usize, n.turns.len());
    assert!(d.fallback <= d.replies && d.repeats <= d.replies);
}
