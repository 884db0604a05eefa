//! Training validity: the simulator teaches the course's lessons. For every bundled case the
//! course-following model grades well, and every way of breaking the course does badly: the
//! course-breaking players, a search for the best meeting that breaks one course rule, play
//! without preparation or with preparation that does not fit, and slow thinking. The players
//! are defined by tactic families and line metadata, so these tests keep working when the
//! content changes.

mod common;

use analysis::analyze::{self, Options};
use analysis::bars;
use analysis::deviations::{self, Standing};
use analysis::validity::{self, CaseValidity, SearchOptions};
use common::*;
use sim::CaseBundle;
use sim::Outcome;
use sim::autoplay;
use sim::meeting::Event;
use sim::rubric::score;
use sim::scenario::Severity;
use std::sync::OnceLock;

const MODEL_SEEDS: u64 = 40;
const RANDOM_SEEDS: u64 = 200;
/// How far below the model a course-breaking player must stay, on average (the bar).
const GAP: f64 = bars::BREAKER_GAP;

fn grade_at_least_b(grade: &str) -> bool {
    bars::grade_at_least(grade, "B")
}

/// The validity figures of every bundled case, measured once for all the tests here.
fn figures() -> &'static Vec<CaseValidity> {
    static V: OnceLock<Vec<CaseValidity>> = OnceLock::new();
    V.get_or_init(|| {
        scenarios()
            .cases
            .iter()
            .map(|c| {
                let b = bundle(&c.id);
                let mut v = validity::measure(&b, 30);
                v.rule_breaks = validity::search_rule_breaks(&b, SearchOptions::default());
                v
            })
            .collect()
    })
}

#[test]
fn course_following_beats_pressure_and_random_on_every_case() {
    let sc = scenarios();
    assert!(sc.cases.len() >= 6, "at least six cases are bundled");
    let mut failures = Vec::new();
    for case in &sc.cases {
        let b = CaseBundle::new(sc, &case.id).unwrap();
        let model: Vec<_> = (0..MODEL_SEEDS).map(|s| autoplay::model(&b, s)).collect();
        let worst = model
            .iter()
            .map(|n| (score(n).total, score(n).grade, n.seed))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        let pressure: f64 = (0..10)
            .map(|s| score(&autoplay::always_pressure(&b, s)).total)
            .fold(f64::MIN, f64::max);
        let random_mean = (0..RANDOM_SEEDS)
            .map(|s| score(&autoplay::random(&b, s)).total)
            .sum::<f64>()
            / RANDOM_SEEDS as f64;
        println!(
            "{:<20} model worst {:5.1} | pressure best {:5.1} | random mean {:5.1}",
            case.id, worst.0, pressure, random_mean
        );
        if !grade_at_least_b(&worst.1) {
            failures.push(format!(
                "{}: model grades {} on seed {}",
                case.id, worst.1, worst.2
            ));
        }
        let by = bars::BEATS_OTHERS_BY;
        if worst.0 < pressure + by || worst.0 < random_mean + by {
            failures.push(format!(
                "{}: model worst {:.1} vs pressure {pressure:.1}, random mean {random_mean:.1}",
                case.id, worst.0
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_model_scores_between_80_and_95_on_every_case() {
    for v in figures() {
        println!(
            "{:<20} model mean {:5.1} worst {:5.1}",
            v.case, v.model.mean, v.model.worst
        );
        let (lo, hi) = bars::MODEL_MEAN;
        assert!(
            (lo..=hi).contains(&v.model.mean),
            "{}: the course model's mean is {}",
            v.case,
            v.model.mean
        );
    }
}

#[test]
fn every_course_breaking_player_does_far_worse_than_the_model() {
    let mut failures = Vec::new();
    for v in figures() {
        assert!(
            v.players.len() >= 12,
            "{}: {} players",
            v.case,
            v.players.len()
        );
        for p in &v.players {
            let f = &p.figures;
            println!(
                "{:<20} {:<20} mean {:5.1} best {:5.1} {} (broke the course in {}/{})",
                v.case, p.player, f.mean, f.best, f.best_grade, p.broke, v.seeds
            );
            if p.broke == 0 {
                failures.push(format!("{}: {} never broke the course", v.case, p.player));
                continue;
            }
            if f.mean > v.model.mean - GAP
                || bars::grade_at_least(&f.best_grade, bars::BREAKER_NEVER)
            {
                failures.push(format!(
                    "{}: {} mean {:.1} best {:.1} vs model {:.1}",
                    v.case, p.player, f.mean, f.best, v.model.mean
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What breaking a rule must cost at best, by its severity (the bar).
fn bar(s: Severity) -> (f64, &'static [&'static str]) {
    bars::rule_cost(s)
}

#[test]
fn the_best_meeting_that_breaks_a_course_rule_costs_what_its_severity_says() {
    let mut failures = Vec::new();
    for v in figures() {
        let mut found = 0;
        for r in &v.rule_breaks {
            let Some(best) = r.best else { continue };
            found += 1;
            let cost = r.clean - best;
            println!(
                "{:<20} {:<22} {:?} best {best:5.1} {} costs {cost:5.1} of {:5.1} alone {} ({})",
                v.case,
                r.rule,
                r.severity,
                r.grade,
                r.clean,
                r.alone,
                r.lines.join(" ")
            );
            let (least, never) = bar(r.severity);
            if cost < least || never.contains(&r.grade.as_str()) {
                failures.push(format!(
                    "{}: breaking {} ({:?}) scores {best:.1} {} against {:.1} clean",
                    v.case, r.rule, r.severity, r.grade, r.clean
                ));
            }
        }
        assert!(
            found >= 5,
            "{}: the search found only {found} rule breaks",
            v.case
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_course_rules_are_data_and_each_cites_the_course() {
    let rules = &scenarios().rubric.rules;
    assert!(rules.len() >= 8, "{} rules", rules.len());
    for r in rules {
        assert!(
            r.section.contains('§') && r.section.chars().any(|c| ('1'..='7').contains(&c)),
            "{}: section {:?}",
            r.id,
            r.section
        );
        assert!(!r.why.en.is_empty() && !r.why.zh.is_empty(), "{}", r.id);
    }
}

#[test]
fn preparation_decides_what_is_possible_and_the_analyzers_best_keeps_the_course() {
    let opts = Options {
        depth: 2,
        seeds: 2,
        rollouts: 2,
        samples: 10,
    };
    for case in &scenarios().cases {
        let b = bundle(&case.id);
        let r = analyze::analyze(&b, &opts, &|_| {});
        println!(
            "{:<20} best {:5.1} {:?} breaks {:?} | without preparation {:5.1}",
            case.id,
            r.best.score,
            r.best.lines,
            r.best.rules_broken,
            r.best_without_preparation.score
        );
        assert!(
            r.best.rules_broken.is_empty(),
            "{}: the analyzer's best play breaks {:?}: {:?}",
            case.id,
            r.best.rules_broken,
            r.best.lines
        );
        assert!(
            r.best.score - r.best_without_preparation.score >= bars::PREPARATION_WORTH,
            "{}: best {} vs best without preparation {}",
            case.id,
            r.best.score,
            r.best_without_preparation.score
        );
    }
}

#[test]
fn thinking_time_is_a_gradient_not_a_cliff() {
    for v in figures() {
        let at = |s: f64| v.thinking.iter().find(|t| t.seconds == s).unwrap();
        let (now, four, exam) = (at(0.0), at(4.0), at(25.0));
        assert_eq!(
            now.figures, four.figures,
            "{}: 0 s is no better than 4 s",
            v.case
        );
        assert!(
            exam.figures.mean < four.figures.mean,
            "{}: thinking 25 s on every line costs points",
            v.case
        );
        assert_eq!(
            exam.walk_outs, 0,
            "{}: the exam timer alone ends in a walk-out",
            v.case
        );
    }
}

#[test]
fn the_malicious_debtor_pays_only_for_credible_consequences() {
    let b = bundle("contractor_cement");
    // All the charm in the book, then the ask: nothing.
    let mut soft = start(
        "contractor_cement",
        1,
        &["balance_letter", "peer_suppliers"],
    );
    say_all(
        &mut soft,
        &[
            "open_praise",
            "facts_balance_letter",
            "purpose_face",
            "plan_consensus",
            "plan_social_proof",
        ],
    );
    answer_excuses(&mut soft);
    let ev = soft.respond_id("close_ask_now", 3.0).unwrap();
    assert!(
        !soft.is_over() && ev.contains(&Event::Refused),
        "{:?}",
        soft.outcome
    );
    // "No money. Sue us." is a refusal in itself: every view and the rules agree.
    assert!(soft.progress.refusals >= 2, "{}", soft.progress.refusals);
    // The model climbs the ladder in order and is paid in full.
    let n = autoplay::model(&b, 1);
    assert!(
        matches!(n.outcome, Some(Outcome::PaidInFull { .. })),
        "{:?}",
        n.outcome
    );
    assert!(n.progress.sanction_level >= 2 && n.conduct.broken.is_empty());
    // Without evidence behind them, the same rungs never get the money in full.
    let unbacked = ["books", "key_person"];
    for seed in 0..20 {
        let mut m = start("contractor_cement", seed, &unbacked);
        let mut course = autoplay::Course::new(&b);
        course.finish(&mut m, 3.0);
        assert!(
            !matches!(m.outcome, Some(Outcome::PaidInFull { .. })),
            "seed {seed}: paid in full with no backed sanction: {:?}",
            m.outcome
        );
        assert_eq!(m.outcome.map_or(0, |o| o.paid()), 0, "seed {seed}");
    }
}

/// The deviation analysis, as an instructor would check a scoring: from good meetings (the
/// model's on ten seeds, and the analyzer's best play), every other open line said once at each
/// turn with the course going on. A course-endorsed slip costs a little; a real break a lot.
#[test]
fn a_small_slip_costs_a_little_and_a_real_break_a_lot() {
    let mut failures = Vec::new();
    for case in &scenarios().cases {
        let b = bundle(&case.id);
        let best = analyze::analyze(&b, &quick(), &|_| {}).best;
        let mut bases = deviations::model_bases(&b, 1..=10);
        bases.push(deviations::Base {
            seed: best.seed,
            preparations: best.preparations.clone(),
            lines: best
                .lines
                .iter()
                .filter_map(|id| b.choice_index(id))
                .collect(),
        });
        let all = deviations::all(&b, &bases);
        let costs = |s: Standing| -> Vec<f64> {
            all.iter()
                .filter(|d| d.standing == s)
                .map(|d| d.cost)
                .collect()
        };
        let endorsed = deviations::Bucket::of(Standing::Endorsed, &costs(Standing::Endorsed));
        println!(
            "{:<20} endorsed n {} median {:.1} over 25 {:.1}%",
            case.id,
            endorsed.count,
            endorsed.median,
            100.0 * endorsed.over_25
        );
        assert!(
            endorsed.count >= 50,
            "{}: {} endorsed slips",
            case.id,
            endorsed.count
        );
        if endorsed.median > bars::ENDORSED_MEDIAN || endorsed.over_25 > bars::ENDORSED_OVER_25 {
            failures.push(format!("{}: endorsed slips {endorsed:?}", case.id));
        }
        for sev in [Severity::Major, Severity::Severe] {
            let least = bars::rule_cost(sev).0;
            for d in all.iter().filter(|d| d.standing == Standing::Breaks(sev)) {
                if d.cost < least {
                    failures.push(format!(
                        "{}: a {sev:?} break ({} at turn {}, seed {}) costs only {:.1}",
                        case.id, d.line, d.turn, d.seed, d.cost
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The seed varies the situation within the persona's character (here, which of its real
/// objections comes first): the course model's lines differ between seeds and it keeps grading
/// A, while a meeting learnt by heart on one seed does at least 10 points worse on the others.
#[test]
fn seeds_vary_the_situation_and_a_memorised_script_does_not_fit_them() {
    for v in figures() {
        let sv = &v.seed_variation;
        println!(
            "{:<20} sequences {} model {:.1} script {:.1}",
            v.case, sv.model_sequences, sv.model_mean, sv.script_mean
        );
        assert!(sv.model_sequences >= 2, "{}: one line sequence", v.case);
        assert_eq!(
            v.model.worst_grade, "A",
            "{}: the model on every seed",
            v.case
        );
        assert!(
            sv.script_mean <= sv.model_mean - bars::MEMORISED_COSTS,
            "{}: a script learnt by heart scores {:.1} against the model's {:.1}",
            v.case,
            sv.script_mean,
            sv.model_mean
        );
    }
}

fn quick() -> Options {
    Options {
        depth: 2,
        seeds: 2,
        rollouts: 2,
        samples: 10,
    }
}

/// The verdicts `validity --search` prints pass on every bundled case: the bars the trainer's
/// cases are held to are the bundled cases' own.
#[test]
fn every_bundled_case_passes_every_bar_of_the_verdict() {
    let mut failures = Vec::new();
    for v in figures() {
        for verdict in bars::of_validity(v, true) {
            if !verdict.pass {
                failures.push(verdict.line(sim::text::Lang::En));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
