//! The debrief names the turn that cost the most and a better line there, computed by the
//! engine; "retry from this turn" replays the meeting up to it.

mod common;

use common::*;
use dunning_dojo::engine::autoplay;
use dunning_dojo::engine::coach::{self, CoachView};
use dunning_dojo::engine::negotiation::Event;
use dunning_dojo::engine::text::Lang;
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

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
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
