//! The CLI as a trainee, a script and a trainer use it.

mod common;

use common::{dojo, run_with_input};

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    run_in("C", args, stdin)
}

fn run_in(lang: &str, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut cmd = dojo(lang);
    cmd.args(args);
    let out = run_with_input(cmd, stdin);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn list_shows_every_case_with_title_persona_and_difficulty() {
    let (code, out, _) = run(&["list", "--lang", "en"], "");
    assert_eq!(code, 0);
    for id in [
        "fastener_factory",
        "print_shop",
        "clinic_analyzers",
        "restaurant_supply",
        "logistics_saas",
        "contractor_cement",
    ] {
        assert!(out.contains(id), "{id} missing from:\n{out}");
    }
    assert!(out.contains("The contractor who can pay and won't") && out.contains("★★★★★"));
    let (_, zh, _) = run(&["list", "--lang", "zh"], "");
    assert!(zh.contains("有钱不还的承包商"));
}

#[test]
fn a_recorded_session_replays_to_the_same_json() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("played.ron");
    // Interactive, piped: two preparations, the greeting (always line 1), then the same line
    // again and again.
    let input = format!("1 2\n1\n{}", common::same_line_answers("print_shop", 40));
    let (code, out, err) = run(
        &[
            "play",
            "--case",
            "print_shop",
            "--seed",
            "9",
            "--lang",
            "en",
            "--record",
            script.to_str().unwrap(),
        ],
        &input,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Preparation: pick up to 2") && out.contains("Score:"),
        "{out}"
    );
    let (code, json, err) = run(
        &[
            "play",
            "--case",
            "print_shop",
            "--seed",
            "9",
            "--lang",
            "en",
            "--script",
            script.to_str().unwrap(),
            "--json",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["case"], "print_shop");
    assert_eq!(v["seed"], 9);
    assert!(v["score"]["total"].as_f64().is_some());
    assert!(v["grade"].as_str().is_some());
    assert!(v["outcome"].as_str().is_some());
    let turns = v["transcript"].as_array().unwrap();
    assert!(!turns.is_empty());
    assert!(
        turns[0]["trainee"]
            .as_str()
            .unwrap()
            .starts_with("Good to see you")
    );
    // The interactive debrief showed the same score the replay computes.
    let total = v["score"]["total"].as_f64().unwrap();
    assert!(out.contains(&format!("Score: {total:.1} / 100")), "{out}");
    // The script keeps seconds in tenths, never as 7.11e-7.
    let recorded = std::fs::read_to_string(&script).unwrap();
    assert!(!recorded.contains("e-"), "{recorded}");
    for secs in recorded
        .split(", ")
        .skip(1)
        .filter_map(|t| t.split(')').next())
    {
        if let Ok(v) = secs.trim().parse::<f64>() {
            assert_eq!((v * 10.0).round() / 10.0, v, "{recorded}");
        }
    }
}

#[test]
fn json_mode_prints_one_json_object_even_when_played_interactively() {
    let input = format!("\n{}", common::same_line_answers("fastener_factory", 40));
    let (code, out, err) = run(&["play", "--case", "fastener_factory", "--json"], &input);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("stdout is one JSON object");
    assert_eq!(v["case"], "fastener_factory");
    assert_eq!(v["lang"], "zh", "LANG=C falls back to Chinese");
}

#[test]
fn interactive_play_reprompts_on_nonsense_and_fails_cleanly_when_input_ends() {
    let (code, out, err) = run(
        &["play", "--case", "print_shop", "--lang", "en"],
        "9 9 9\nabc\n\n0\nhello\n1\n",
    );
    assert!(out.contains("Please type numbers from the list."), "{out}");
    assert!(
        out.contains("Type one of the numbers listed above."),
        "{out}"
    );
    assert_eq!(code, 2, "input ended mid-meeting");
    assert!(
        err.contains("the input ended before the meeting was over"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn auto_players_play_the_model_pressure_and_random_approaches() {
    let (code, out, _) = run(
        &[
            "play",
            "--case",
            "contractor_cement",
            "--seed",
            "2",
            "--auto",
            "model",
            "--lang",
            "en",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("Outcome:") && out.contains("sanctions ladder: step 1"),
        "{out}"
    );
    for auto in ["pressure", "random"] {
        let (code, json, _) = run(
            &["play", "--case", "print_shop", "--auto", auto, "--json"],
            "",
        );
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(
            v["score"]["total"].as_f64().unwrap() < 50.0,
            "{auto} should score poorly"
        );
    }
}

#[test]
fn play_without_a_case_starts_from_the_case_list() {
    let input = format!("x\n2\n\n{}", common::same_line_answers("print_shop", 40));
    let (code, out, err) = run_in("en_GB.UTF-8", &["play"], &input);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dunning-dojo") && out.contains("Please type a number from the list."));
    assert!(
        out.contains("Manager Zhao") && out.contains("Score:"),
        "case 2 was played:\n{out}"
    );
}

#[test]
fn without_a_display_the_game_says_how_to_play_in_the_terminal() {
    let (code, _, err) = run(&[], "");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("没有可以打开游戏窗口的显示器") && err.contains("dunning-dojo play"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    let (code, _, err) = run(&["--lang", "en"], "");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no display") && err.contains("dunning-dojo play"),
        "{err}"
    );
}
