//! The debtor model behaves as the course says, observably: each test plays lines and checks
//! what a trainee would see change.

mod common;

use authoring::script_file::ScriptFile;
use common::*;
use sim::autoplay;
use sim::meeting::Meeting;
use sim::meeting::{Event, Outcome, StartError, TurnError, Utterance};
use sim::menu;
use sim::rubric::score;
use sim::scenario::{Reaction, Stage};
use sim::script::Script;
use sim::text::Lang;
use sim::transcript::Transcript;

fn reaction(events: &[Event]) -> Option<Reaction> {
    events.iter().find_map(|e| match e {
        Event::Reply(u) => u.tone(),
        _ => None,
    })
}

#[test]
fn same_case_seed_and_inputs_give_the_same_transcript() {
    for case in &scenarios().cases {
        let b = bundle(&case.id);
        for seed in [0, 7, u64::MAX] {
            let a = serde_json::to_string(&Transcript::of(&autoplay::model(&b, seed), Lang::En))
                .unwrap();
            let again =
                serde_json::to_string(&Transcript::of(&autoplay::model(&b, seed), Lang::En))
                    .unwrap();
            assert_eq!(a, again, "{} seed {seed}", case.id);
            // Replaying the recorded inputs reproduces it too.
            let played = autoplay::random(&b, seed);
            let script = Script::of(&played);
            let src = authoring::load::Source {
                file: "x.ron".into(),
                text: String::new(),
            };
            let replayed = script.play(&src, b.clone(), seed).unwrap();
            assert_eq!(played.turns, replayed.turns, "{} seed {seed}", case.id);
            assert_eq!(played.outcome, replayed.outcome);
        }
    }
}

#[test]
fn different_seeds_raise_different_excuses() {
    // The debtor's real objection always comes first; what follows depends on the seed.
    let b = bundle("print_shop");
    let mut sequences = std::collections::BTreeSet::new();
    for seed in 0..40 {
        let n = autoplay::model(&b, seed);
        let raised: Vec<usize> = n
            .turns
            .iter()
            .flat_map(|t| &t.events)
            .filter_map(|e| match e {
                Event::Reply(Utterance::Excuse { excuse, .. }) => Some(*excuse),
                _ => None,
            })
            .collect();
        sequences.insert(raised);
    }
    assert!(
        sequences.len() >= 2,
        "the seed should change which excuses come: {sequences:?}"
    );
}

/// The golden transcript pins the engine's arithmetic and the bundled content. After an
/// intended change, regenerate with `UPDATE_GOLDEN=1 cargo test --test engine_behaviour`.
#[test]
fn golden_transcript_is_unchanged() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/fastener_factory_seed7.json");
    let n = autoplay::model(&bundle("fastener_factory"), 7);
    let now = serde_json::to_string_pretty(&Transcript::of(&n, Lang::En)).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &now).unwrap();
    }
    let golden =
        std::fs::read_to_string(&path).expect("golden file exists (UPDATE_GOLDEN=1 writes it)");
    assert!(
        golden == now,
        "transcript differs from {}; diff it against:\n{now}",
        path.display()
    );
}

#[test]
fn praise_wears_off_and_then_backfires() {
    let mut n = start("logistics_saas", 1, &[]);
    let first = n.state;
    n.respond_id("open_praise", 3.0).unwrap();
    let gain1 = n.state.trust - first.trust;
    let before = n.state;
    n.respond_id("any_praise", 3.0).unwrap();
    let gain2 = n.state.trust - before.trust;
    let before = n.state;
    let ev = n.respond_id("any_praise", 3.0).unwrap();
    let gain3 = n.state.trust - before.trust;
    assert!(
        gain1 > gain2,
        "second praise moves less: {gain1} vs {gain2}"
    );
    assert!(gain3 < 0.0, "third praise costs trust: {gain3}");
    assert_eq!(reaction(&ev), Some(Reaction::Scoff));
    assert!(fired(&n, &ev).contains(&"praise#0".to_owned()));
}

#[test]
fn pressure_before_trust_breeds_hostility_after_refusal_it_brings_compliance() {
    // Cold: the first line is pressure against a distrustful buyer.
    let mut cold = start("clinic_analyzers", 1, &[]);
    let w0 = cold.state.willingness;
    let ev = cold.respond_id("any_pressure", 3.0).unwrap();
    assert!(
        cold.state.willingness < w0,
        "premature pressure lowers willingness"
    );
    assert_eq!(reaction(&ev), Some(Reaction::Hostile));
    assert_eq!(cold.conduct.premature_threats, 1);

    // Warm: trust built, facts and a plan on the table, the debtor refused; now pressure works.
    let mut warm = start("print_shop", 1, &["books", "key_person"]);
    say_all(
        &mut warm,
        &[
            "open_greet",
            "open_praise",
            "facts_confirm",
            "purpose_gentle",
            "plan_full_date",
        ],
    );
    answer_excuses(&mut warm);
    warm.respond_id("close_ask_now", 3.0).unwrap();
    assert_eq!(
        warm.progress.refusals, 1,
        "the evader refuses while nobody is pinned down"
    );
    assert!(!warm.is_over());
    say_all(&mut warm, &["close_person"]);
    answer_excuses(&mut warm);
    let w = warm.state.willingness;
    let ev = warm.respond_id("any_pressure", 3.0).unwrap();
    assert!(
        warm.state.willingness > w,
        "warranted pressure raises willingness"
    );
    assert!(
        fired(&warm, &ev).contains(&"pressure#1".to_owned()),
        "{:?}",
        fired(&warm, &ev)
    );
    assert_eq!(warm.conduct.premature_threats, 0);
}

#[test]
fn a_deadline_without_a_plan_is_brushed_off() {
    let mut bare = start("logistics_saas", 2, &[]);
    say_all(
        &mut bare,
        &["open_greet", "facts_confirm", "purpose_gentle"],
    );
    answer_excuses(&mut bare);
    let ev = bare.respond_id("plan_deadline", 3.0).unwrap();
    assert!(fired(&bare, &ev).contains(&"deadline#0".to_owned()));

    let mut planned = start("logistics_saas", 2, &[]);
    say_all(
        &mut planned,
        &["open_greet", "facts_confirm", "purpose_gentle"],
    );
    answer_excuses(&mut planned);
    let ev = planned.respond_id("plan_full_date", 3.0).unwrap();
    assert!(!fired(&planned, &ev).contains(&"deadline#0".to_owned()));
}

#[test]
fn split_helps_the_cash_strapped_and_is_milked_by_the_habitual_delayer_unless_dated() {
    let lead = ["open_greet", "facts_confirm", "purpose_gentle"];
    let gain = |case: &str| {
        let mut n = start(case, 3, &[]);
        say_all(&mut n, &lead);
        answer_excuses(&mut n);
        let w = n.state.willingness;
        n.respond_id("plan_split_dated", 3.0).unwrap();
        n.state.willingness - w
    };
    let (strapped, malicious) = (gain("fastener_factory"), gain("contractor_cement"));
    assert!(strapped > malicious + 0.05, "{strapped} vs {malicious}");

    // The habitual delayer agrees to an undated split, but the promise is worth little; only a
    // dated plan with a named payer and a stated consequence of missing it is credible.
    let close = |lines: &[&str]| {
        let mut n = start(
            "restaurant_supply",
            4,
            &["books", "finance_calendar", "key_person"],
        );
        say_all(&mut n, &lead);
        say_all(&mut n, lines);
        answer_excuses(&mut n);
        n.respond_id("close_settle", 3.0).unwrap();
        n.outcome.and_then(|o| o.promise())
    };
    // An undated split is a vague delay (a major course rule), whoever offers it, and there
    // is nothing to sign until a date is on it.
    let mut undated = start(
        "restaurant_supply",
        4,
        &["books", "finance_calendar", "key_person"],
    );
    say_all(&mut undated, &lead);
    answer_excuses(&mut undated);
    let ev = undated.respond_id("plan_split_open", 3.0).unwrap();
    let vague = undated
        .bundle
        .rubric
        .rules
        .iter()
        .position(|r| r.id == "vague_delay")
        .unwrap();
    assert!(
        ev.contains(&Event::CourseRuleBroken { rule: vague }),
        "{ev:?}"
    );
    assert!(!open_ids(&undated).contains(&"close_settle".to_owned()));
    let no_consequence = close(&["plan_split_dated", "close_person"]).expect("a dated split");
    let pinned = close(&["plan_split_dated", "close_person", "close_consequence"])
        .expect("a dated split with a consequence");
    assert!(pinned.dated);
    assert!(
        pinned.credibility > no_consequence.credibility + 0.2,
        "{pinned:?} vs {no_consequence:?}"
    );
}

#[test]
fn an_excuse_stays_on_the_table_until_answered_and_standing_costs_grow() {
    let (n, seed) = (0..200)
        .find_map(|seed| {
            let mut n = start("fastener_factory", seed, &[]);
            say_all(&mut n, &["open_greet", "facts_confirm"]);
            n.respond_id("purpose_gentle", 3.0).unwrap();
            n.progress.open_excuse.map(|_| (n, seed))
        })
        .expect("some seed raises an excuse at the purpose");
    let ex = n.progress.open_excuse.unwrap();
    // A line that neither answers nor listens leaves it standing, turn after turn, and each
    // turn it stands costs more willingness, up to the excuse's whole cost.
    let mut left = n.clone();
    let mut standing = vec![left.progress.standing];
    for line in ["any_praise", "purpose_sympathy", "plan_social_proof"] {
        let ev = left.respond_id(line, 3.0).unwrap();
        assert!(
            ev.iter()
                .any(|e| matches!(e, Event::ExcuseStanding { excuse, .. } if *excuse == ex)),
            "seed {seed}: {line} left the excuse standing"
        );
        assert_eq!(left.progress.open_excuse, Some(ex), "it stays on the table");
        standing.push(left.progress.standing);
    }
    assert!(
        standing[1] > standing[0] && standing[2] > standing[1],
        "{standing:?}"
    );
    let full = -n.bundle.persona.excuses[ex].cost.willingness;
    assert!(
        standing[3] <= full + 1e-9,
        "never more than the excuse's cost"
    );
    // Listening is heard, not ignored: no standing cost, and the excuse waits for its answer.
    let mut heard = n.clone();
    let ev = heard.respond_id("any_calm", 3.0).unwrap();
    let met = ev.iter().any(|e| {
        matches!(e, Event::ExcuseHeard { .. }) || matches!(e, Event::ExcuseDefused { .. })
    });
    assert!(
        met,
        "seed {seed}: calm on an excuse is a legitimate answer: {ev:?}"
    );
    assert!(!ev.iter().any(|e| matches!(e, Event::ExcuseStanding { .. })));
    assert_eq!(heard.progress.standing, n.progress.standing);
    // A counter answers it, late or not, and the debrief counts it answered.
    answer_excuses(&mut left);
    assert!(left.progress.defused[ex]);
    let s = score(&left);
    assert!(
        s.items.iter().any(|i| i.id == "excuses" && !i.missed),
        "answered late is still answered"
    );
}

#[test]
fn a_close_over_a_standing_excuse_is_refused_with_the_excuse() {
    let mut n = (0..200)
        .find_map(|seed| {
            let mut n = start("print_shop", seed, &["books", "key_person"]);
            say_all(&mut n, &TO_THE_PLAN);
            n.progress.open_excuse.map(|_| n)
        })
        .expect("an excuse stands after the plan");
    while !n.is_available(n.bundle.choice_index("close_ask_now").unwrap()) {
        n.respond_id("close_person", 3.0).unwrap();
    }
    let ex = n.progress.open_excuse.expect("still on the table");
    let ev = n.respond_id("close_ask_now", 3.0).unwrap();
    assert!(ev.contains(&Event::Refused), "{ev:?}");
    assert!(ev.iter().any(|e| matches!(
        e,
        Event::Reply(Utterance::Excuse { excuse, again: true }) if *excuse == ex
    )));
    let rule = n
        .bundle
        .rubric
        .rules
        .iter()
        .position(|r| r.id == "excuse_ignored")
        .unwrap();
    assert!(ev.contains(&Event::CourseRuleBroken { rule }));
    assert!(!n.is_over(), "a refusal, not the end");
}

#[test]
fn a_counter_that_needs_a_preparation_is_offered_only_with_it() {
    // Find seeds where the evader claims to have lost the invoice, with and without the books.
    let lines = ["open_greet", "facts_confirm", "purpose_gentle"];
    let raised = |preps: &[&str]| {
        (0..300).find_map(|seed| {
            let mut n = start("print_shop", seed, preps);
            say_all(&mut n, &lines);
            let lost = n
                .bundle
                .persona
                .excuses
                .iter()
                .position(|e| e.id == "lost_invoice");
            (n.progress.open_excuse == lost && lost.is_some()).then_some(n)
        })
    };
    let with = raised(&["books"]).expect("some seed raises lost_invoice with the books");
    let without = raised(&[]).expect("some seed raises lost_invoice without them");
    assert!(open_ids(&with).contains(&"lost_invoice_copies".to_owned()));
    assert!(!open_ids(&without).contains(&"lost_invoice_copies".to_owned()));
}

#[test]
fn hesitation_costs_patience_smoothly_and_endless_hesitation_ends_in_a_walk_out() {
    let after = |seconds: f64| {
        let mut n = start("fastener_factory", 1, &[]);
        n.respond_id("open_greet", seconds).unwrap();
        n.state.patience
    };
    // Answering at once is no better than taking a few seconds.
    assert_eq!(after(0.0), after(4.0));
    // Past the grace the cost grows, with no step anywhere.
    let mut last = after(0.0);
    for tenth in 1..=600 {
        let now = after(f64::from(tenth) / 10.0);
        assert!(now <= last, "thinking longer never costs less");
        assert!(
            last - now < 0.002,
            "a step at {}s: {last} → {now}",
            tenth / 10
        );
        last = now;
    }
    assert!(
        after(25.0) < after(4.0),
        "the exam timer's 25 s costs something"
    );
    let mut slow = start("fastener_factory", 1, &[]);
    let ev = slow.respond_id("open_greet", 40.0).unwrap();
    assert!(ev.iter().any(|e| matches!(e, Event::Hesitated { .. })));

    let mut n = start("fastener_factory", 1, &[]);
    for _ in 0..10 {
        if n.is_over() {
            break;
        }
        let i = n.available()[0];
        n.respond(i, 600.0).unwrap();
    }
    assert_eq!(n.outcome, Some(Outcome::WalkOut));
}

#[test]
fn brandishing_the_contract_is_flagged_only_against_an_honest_debtor() {
    for (case, flagged) in [("fastener_factory", true), ("contractor_cement", false)] {
        let mut n = start(case, 1, &[]);
        say_all(&mut n, &["open_greet", "facts_confirm", "purpose_contract"]);
        assert_eq!(n.conduct.contract_at_honest, flagged, "{case}");
        let item = score(&n)
            .items
            .into_iter()
            .find(|i| i.id == "no_contract")
            .unwrap();
        assert_eq!(item.missed, flagged, "{case}");
    }
}

#[test]
fn skipping_rungs_of_the_sanctions_ladder_after_a_refusal_is_not_calm() {
    let mut n = start("contractor_cement", 1, &[]);
    say_all(&mut n, &TO_THE_PLAN);
    answer_excuses(&mut n);
    let ev = n.respond_id("close_ask_now", 3.0).unwrap();
    assert!(
        ev.contains(&Event::Refused),
        "the malicious debtor refuses the first ask"
    );
    let ev = n.respond_id("sanction_legal", 3.0).unwrap();
    assert!(fired(&n, &ev).contains(&"sanction#1".to_owned()));
    assert_eq!(n.conduct.lost_calm, 1);
    assert!(ev.iter().any(|e| matches!(e, Event::SanctionReached(_))));
}

#[test]
fn the_meeting_follows_the_course_stages() {
    // A staged line is said once; an any-stage tactic can be used again.
    let mut once = start("fastener_factory", 1, &[]);
    once.respond_id("open_greet", 3.0).unwrap();
    assert!(!open_ids(&once).contains(&"open_greet".to_owned()));
    once.respond_id("any_praise", 3.0).unwrap();
    assert!(open_ids(&once).contains(&"any_praise".to_owned()));
    // "Tell me more about the difficulty" waits for a difficulty.
    assert!(!open_ids(&once).contains(&"any_empathy".to_owned()));

    let mut n = start("fastener_factory", 1, &[]);
    let open = open_ids(&n);
    assert!(open.contains(&"open_greet".to_owned()) && open.contains(&"facts_confirm".to_owned()));
    assert!(
        !open.contains(&"close_ask_now".to_owned()),
        "no closing at the opening"
    );
    n.respond_id("facts_confirm", 3.0).unwrap();
    assert_eq!(n.progress.stage, Stage::ConfirmFacts);
    // The steps guide, they do not trap: a greeting a turn late is still open...
    assert!(open_ids(&n).contains(&"open_greet".to_owned()));
    answer_excuses(&mut n);
    n.respond_id("purpose_gentle", 3.0).unwrap();
    assert!(
        !open_ids(&n).contains(&"open_greet".to_owned()),
        "...but not once the purpose is stated"
    );
    assert!(matches!(
        n.respond_id("open_greet", 1.0),
        Err(TurnError::NotAvailable(_))
    ));
    // A closing question before the plan leaves the plan lines open: going back is normal.
    answer_excuses(&mut n);
    n.respond_id("plan_consensus", 3.0).unwrap();
    answer_excuses(&mut n);
    n.respond_id("close_person", 3.0).unwrap();
    assert_eq!(n.progress.stage, Stage::Close);
    answer_excuses(&mut n);
    let open = open_ids(&n);
    assert!(
        open.contains(&"plan_split_dated".to_owned()) && open.contains(&"facts_process".to_owned()),
        "{open:?}"
    );
}

#[test]
fn bad_moves_are_errors_not_panics() {
    let mut n = start("fastener_factory", 1, &[]);
    match n.respond_id("open_gret", 1.0) {
        Err(TurnError::Unknown(id, hint)) => {
            assert_eq!(id, "open_gret");
            assert!(hint.contains("open_greet"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        n.respond_id("close_settle", 1.0),
        Err(TurnError::NotAvailable(_))
    ));
    assert!(matches!(
        n.respond(usize::MAX, 1.0),
        Err(TurnError::NotAvailable(_))
    ));
    let n = autoplay::model(&bundle("print_shop"), 1);
    let mut n = n;
    assert!(n.is_over());
    assert_eq!(n.respond(0, 1.0), Err(TurnError::Ended));
}

#[test]
fn preparations_are_checked() {
    let b = bundle("print_shop");
    let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    use sim::Meeting;
    assert!(matches!(
        Meeting::new(b.clone(), 1, &p(&["bookz"])),
        Err(StartError::UnknownPreparation(..))
    ));
    assert!(matches!(
        Meeting::new(b.clone(), 1, &p(&["product_cleared"])),
        Err(StartError::NotOffered(_))
    ));
    assert!(matches!(
        Meeting::new(b.clone(), 1, &p(&["books", "books"])),
        Err(StartError::Duplicate(_))
    ));
    assert!(matches!(
        Meeting::new(b.clone(), 1, &p(&["books", "key_person", "routine"])),
        Err(StartError::OverBudget(3, 2))
    ));
}

#[test]
fn every_bundled_text_reads_in_both_languages_with_no_unfilled_placeholder() {
    for case in &scenarios().cases {
        let n = autoplay::model(&bundle(&case.id), 5);
        for lang in [Lang::Zh, Lang::En] {
            let json = serde_json::to_string(&Transcript::of(&n, lang)).unwrap();
            assert!(
                !json.contains('{') || !json.contains("{contact}"),
                "{}",
                case.id
            );
            let t = Transcript::of(&n, lang);
            for turn in &t.transcript {
                for s in [&turn.trainee, &turn.debtor] {
                    assert!(!s.is_empty(), "{} turn {} is silent", case.id, turn.turn);
                    assert!(!s.contains('{'), "{}: unfilled placeholder in {s}", case.id);
                }
            }
        }
        for c in &n.bundle.choices {
            for lang in [Lang::Zh, Lang::En] {
                let s = n.bundle.say(&c.text, lang);
                assert!(
                    !s.contains('{') && !s.trim().is_empty(),
                    "{}: {}",
                    case.id,
                    c.id
                );
            }
        }
    }
}

fn item(n: &sim::Meeting, id: &str) -> sim::rubric::ItemScore {
    score(n).items.into_iter().find(|i| i.id == id).unwrap()
}

#[test]
fn the_debrief_says_only_what_happened_in_this_meeting() {
    // Nobody refused and nothing was threatened: neither praised nor blamed for calm.
    let model = autoplay::model(&bundle("fastener_factory"), 1);
    assert_eq!(model.progress.refusals, 0);
    let calm = item(&model, "calm");
    assert!(!calm.arose && !calm.missed, "{calm:?}");
    assert!(calm.note.en.contains("Nobody refused"), "{}", calm.note.en);
    assert!(!item(&model, "ladder").arose);

    // A preparation this debtor does not weigh is named as unused.
    let mut n = start("fastener_factory", 1, &["books", "key_person"]);
    say_all(&mut n, &["open_greet", "facts_confirm", "purpose_face"]);
    answer_excuses(&mut n);
    say_all(&mut n, &["plan_split_dated", "close_person"]);
    answer_excuses(&mut n);
    n.respond_id("close_settle", 3.0).unwrap();
    let prep = item(&n, "preparation");
    assert!(
        prep.missed && prep.note.en.contains("Unused here: Clean books"),
        "{prep:?}"
    );
    assert!(prep.note.zh.contains("账目清楚"), "{}", prep.note.zh);

    // The delayer's promise without an agreed consequence: the note says that is why.
    let mut d = start("restaurant_supply", 4, &["finance_calendar", "key_person"]);
    say_all(
        &mut d,
        &[
            "open_greet",
            "facts_confirm",
            "purpose_gentle",
            "plan_split_dated",
        ],
    );
    answer_excuses(&mut d);
    say_all(&mut d, &["close_person"]);
    answer_excuses(&mut d);
    d.respond_id("close_settle", 3.0).unwrap();
    let c = item(&d, "commitment");
    assert!(c.missed, "{c:?}");
    assert!(
        c.note
            .en
            .contains("missing an agreed consequence of missing the date"),
        "{}",
        c.note.en
    );
    assert!(
        !c.note.en.contains("no date") && !c.note.en.contains("no named payer"),
        "{}",
        c.note.en
    );
}

#[test]
fn amount_date_and_person_are_credited_only_when_all_three_happened() {
    // The contractor pays in full, but nobody was named to make the transfer.
    let lines = [
        "open_greet",
        "facts_balance_letter",
        "purpose_gentle",
        "plan_full_date",
        "close_ask_now",
        "any_calm",
        "sanction_supply",
        "close_ask_now",
        "any_calm",
        "sanction_service",
        "any_peer_suppliers",
        "close_ask_now",
        "any_calm",
        "sanction_authorization",
        "close_ask_now",
    ];
    let mut n = start(
        "contractor_cement",
        4,
        &["balance_letter", "peer_suppliers", "product_cleared"],
    );
    for id in lines {
        if n.is_over() {
            break;
        }
        answer_excuses(&mut n);
        n.respond_id(id, 3.0).unwrap();
    }
    assert!(
        matches!(n.outcome, Some(Outcome::PaidInFull { .. })),
        "{:?}",
        n.outcome
    );
    assert!(!n.progress.person);
    let close = item(&n, "concrete_close");
    assert!(close.missed, "{close:?}");
    assert!(
        close.note.en.contains("Not agreed: who pays"),
        "{}",
        close.note.en
    );
}

#[test]
fn a_percentage_shown_never_contradicts_its_pass_mark() {
    use sim::rubric::percent;
    assert_eq!(percent(0.747), 74, "a failing 74.7% must not show as 75%");
    assert_eq!(percent(0.75), 75);
    assert_eq!(
        percent(0.75 - 1e-12),
        75,
        "within the pass test's tolerance"
    );
    assert_eq!(percent(1.0), 100);
}

/// The menu lists every open line once, a tactic's lines together, counters first when hinted.
#[test]
fn every_open_line_is_listed_once_and_counters_lead_when_hinted() {
    let bundle = bundle("fastener_factory");
    let mut n = Meeting::new(bundle, 3, &[]).unwrap();
    let mut saw_counters = false;
    while !n.is_over() {
        let mut open = n.available();
        for hints in [true, false] {
            let mut listed = menu::order(&n, hints);
            let groups = menu::menu(&n, hints);
            if hints && n.progress.open_excuse.is_some() && groups[0].counters {
                saw_counters = true;
            }
            assert!(hints || groups.iter().all(|g| !g.counters));
            for g in &groups {
                let mut runs: Vec<usize> = g
                    .lines
                    .iter()
                    .map(|&i| n.bundle.choices[i].tactic)
                    .collect();
                runs.dedup();
                let mut distinct = runs.clone();
                distinct.sort_unstable();
                distinct.dedup();
                assert_eq!(runs.len(), distinct.len(), "a tactic's lines are together");
            }
            listed.sort_unstable();
            open.sort_unstable();
            assert_eq!(listed, open);
        }
        let next = menu::order(&n, true)[0];
        n.respond(next, 5.0).unwrap();
    }
    assert!(
        saw_counters,
        "an excuse came up and its counters led the menu"
    );
}
