//! The turn-by-turn review: every turn is valued by replaying it, the three costliest are
//! coached with a better line the course endorses, and every figure shown is one a replay
//! confirms; "retry from this turn" replays the meeting up to it.

mod common;

use analysis::adversary;
use analysis::coach::{self, CoachView, Mark};
use analysis::deviations::{Standing, standing};
use common::*;
use sim::autoplay::{self, Course};
use sim::meeting::Event;
use sim::rubric::total;
use sim::text::Lang;
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn a_blunder_is_found_and_a_better_line_that_keeps_the_course_is_offered() {
    for case in &scenarios().cases {
        let b = bundle(&case.id);
        // Opening with a sanction before anything else: the course's clearest blunder.
        let mut n = start(&case.id, 1, &[]);
        n.respond_id("sanction_supply", 3.0).unwrap();
        let mut plan = autoplay::model_plan(&b);
        plan.retain(|&i| b.choices[i].sanction.is_none());
        play_plan(&mut n, &plan);
        let c = coach::coach(&n).unwrap_or_else(|| panic!("{}: no coaching", case.id));
        assert_eq!(
            c.turn, 1,
            "{}: the sanction on turn 1 cost the most",
            case.id
        );
        assert!(
            c.lost() >= 5.0,
            "{}: it cost {:.1} points",
            case.id,
            c.lost()
        );
        // The better line is open at that turn and breaks no course rule there.
        let mut retry = n.replayed(n.seed, (c.turn - 1) as usize).unwrap();
        assert_eq!(retry.turn_count(), c.turn - 1);
        let events = retry.respond(c.better, 3.0).unwrap();
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::CourseRuleBroken { .. })),
            "{}: suggested {}",
            case.id,
            b.choices[c.better].id
        );
        let v = CoachView::of(&n, &c, Lang::Zh);
        assert!(!v.principle.is_empty() && !v.better_text.is_empty());
    }
}

#[test]
fn the_model_meeting_has_no_costly_turn() {
    for case in &scenarios().cases {
        let n = autoplay::model(&bundle(&case.id), 1);
        if let Some(c) = coach::coach(&n) {
            assert!(
                c.lost() < 5.0,
                "{}: the model's turn {} costs {:.1} points",
                case.id,
                c.turn,
                c.lost()
            );
        }
    }
}

/// The score after `line` is said at turn `turn` (1-based) of `n` replayed on `seed`, the
/// meeting then going on the course's way; None when that turn is not reached or the line is
/// not open there.
fn replayed_with(n: &sim::Meeting, seed: u64, turn: u32, line: usize) -> Option<f64> {
    let k = (turn - 1) as usize;
    let mut m = n.replayed(seed, k)?;
    if !m.is_available(line) {
        return None;
    }
    let elapsed = if line == n.turns[k].choice {
        n.turns[k].elapsed
    } else {
        3.0
    };
    m.respond(line, elapsed).ok()?;
    let mut said: Vec<usize> = n.turns[..k].iter().map(|t| t.choice).collect();
    said.push(line);
    Course::after(&n.bundle, &said).finish(&mut m, 4.0);
    Some(total(&m))
}

/// Every suggestion over every bundled case, for flawed meetings (each course-breaking player on
/// two seeds, and random players): the suggested line is one the course endorses there and not
/// said before, replaying it with the course going on gains what the review claims (within 2
/// points) on the meeting's seed and gains on at least 3 of 4 seeds, and no figure exceeds 100
/// minus the score.
#[test]
fn every_suggestion_is_confirmed_by_a_replay() {
    let (mut checked, mut worst_error, mut gains) = (0, 0.0_f64, Vec::new());
    for case in &scenarios().cases {
        let b = bundle(&case.id);
        let mut meetings: Vec<_> = adversary::all()
            .iter()
            .filter(|a| a.applies(&b))
            .flat_map(|a| [1, 2].map(|s| a.play(&b, s)))
            .collect();
        meetings.extend((1..=6).map(|s| autoplay::random(&b, s)));
        for n in &meetings {
            let score = total(n);
            let r = coach::review(n);
            assert!(r.coached.len() <= 3);
            for t in &r.turns {
                assert!(
                    t.cost >= 0.0 && t.cost <= 100.0 - score + 1e-9,
                    "{}: {t:?}",
                    case.id
                );
                assert_eq!(t.mark, Mark::of(t.cost));
            }
            for c in &r.coached {
                checked += 1;
                let k = (c.turn - 1) as usize;
                let said_before: Vec<usize> = n.turns[..k].iter().map(|t| t.choice).collect();
                assert!(!said_before.contains(&c.better), "{}: said before", case.id);
                let here = n.replayed(n.seed, k).unwrap();
                let mut m = here.clone();
                let ev = m.respond(c.better, 3.0).unwrap();
                assert_eq!(
                    standing(&here, c.better, &ev),
                    Standing::Endorsed,
                    "{}: {} is not endorsed at turn {}",
                    case.id,
                    b.choices[c.better].id,
                    c.turn
                );
                assert!(!b.choices[c.better].trap);
                let replay = replayed_with(n, n.seed, c.turn, c.better).unwrap();
                let gained = replay - c.said_value;
                worst_error = worst_error.max((gained - c.lost()).abs());
                gains.push(gained);
                assert!(gained > 0.0, "{}: turn {} gains {gained}", case.id, c.turn);
                assert!(c.lost() <= 100.0 - score + 1e-9);
                let (mut wins, mut tried) = (0, 0);
                for s in 0..4 {
                    let seed = n.seed.wrapping_add(s);
                    let better = replayed_with(n, seed, c.turn, c.better);
                    let said = replayed_with(n, seed, c.turn, c.said);
                    if let (Some(bv), Some(sv)) = (better, said) {
                        tried += 1;
                        let reference = if s == 0 { c.said_value } else { sv };
                        wins += usize::from(bv > reference);
                    }
                }
                assert!(
                    wins * 4 >= tried * 3,
                    "{}: turn {} wins on {wins} of {tried} seeds",
                    case.id,
                    c.turn
                );
            }
        }
    }
    gains.sort_by(f64::total_cmp);
    println!(
        "suggestions checked {checked}; gains median {:.1}, max {:.1}; worst claim error {worst_error:.2}",
        gains.get(gains.len() / 2).copied().unwrap_or(0.0),
        gains.last().copied().unwrap_or(0.0)
    );
    assert!(checked >= 100, "only {checked} suggestions checked");
    assert!(
        worst_error <= 2.0,
        "a claim is off by {worst_error:.2} points"
    );
}

#[test]
fn the_review_marks_every_turn_and_coaches_the_last_one_too() {
    // A meeting whose last line is the costly one: accepting a vague delay to end it.
    let b = bundle("print_shop");
    let mut n = start("print_shop", 1, &["books", "key_person"]);
    say_all(&mut n, &TO_THE_PLAN);
    answer_excuses(&mut n);
    n.respond_id("close_accept_delay", 3.0).unwrap();
    assert!(n.is_over());
    let r = coach::review(&n);
    assert_eq!(r.turns.len(), n.turns.len(), "every turn is marked");
    let last = r.turns.last().unwrap();
    assert!(last.mark >= Mark::Mistake, "{last:?}");
    assert!(
        r.coached.iter().any(|c| c.turn == last.turn),
        "the last turn is coached: {:?}",
        r.coached
    );
    assert!(r.accuracy < 100.0);
    let v = coach::ReviewView::of(&n, &r, Lang::En);
    assert!(v.summary(Lang::En).starts_with("Turn by turn: accuracy"));
    assert_ne!(b.choices[r.coached[0].better].id, "close_accept_delay");
}

fn bin() -> Command {
    dojo("C")
}

#[test]
fn play_json_carries_the_coaching_and_a_retry_replays_up_to_the_turn() {
    let o = bin()
        .args([
            "play",
            "--case",
            "print_shop",
            "--auto",
            "random",
            "--seed",
            "4",
            "--json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let review = &v["review"];
    assert!(review["accuracy"].is_number(), "{review}");
    assert_eq!(
        review["turns"].as_array().unwrap().len(),
        v["transcript"].as_array().unwrap().len(),
        "every turn is marked"
    );
    let c = &v["coaching"];
    let turn = c["turn"].as_u64().expect("coaching names a turn");
    assert!(c["better"].is_string() && c["principle"].is_string(), "{c}");
    assert!(c["lost"].as_f64().unwrap() >= 1.0);

    // Record that meeting, then retry from the coached turn: the earlier turns are replayed and
    // the trainee plays on from there.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("m.ron");
    let o = bin()
        .args([
            "play",
            "--case",
            "print_shop",
            "--auto",
            "random",
            "--seed",
            "4",
            "--record",
        ])
        .arg(&script)
        .output()
        .unwrap();
    assert!(o.status.success());
    let mut child = bin()
        .args([
            "play",
            "--case",
            "print_shop",
            "--seed",
            "4",
            "--lang",
            "en",
            "--script",
        ])
        .arg(&script)
        .args(["--from-turn", &turn.to_string()])
        .env("DUNNING_DOJO_DATA_DIR", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"q\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Retrying from turn {turn}")),
        "{text}"
    );
    assert_eq!(
        text.matches("    Debtor: ").count() as u64,
        turn - 1,
        "the turns before it are shown: {text}"
    );
}
