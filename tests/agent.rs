//! `play --agent`: a program plays over JSON lines. An agent that plays the course model through
//! the pipe gets exactly the engine's score; errors are JSON lines, and the last line is always
//! the end.

mod common;

use common::*;
use serde_json::{Value, json};
use sim::autoplay;
use sim::rubric::score;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

fn agent(case: &str, seed: u64) -> std::process::Child {
    dojo("C")
        .args([
            "play",
            "--case",
            case,
            "--seed",
            &seed.to_string(),
            "--agent",
            "--lang",
            "en",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn an_agent_playing_the_model_gets_the_engines_score() {
    for case in ["fastener_factory", "contractor_cement"] {
        let b = bundle(case);
        let expected = autoplay::model(&b, 3);
        let plan: Vec<String> = b.case.model_lines.clone();
        let mut child = agent(case, 3);
        let mut stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next = 0;
        let mut end = Value::Null;
        while let Some(Ok(line)) = lines.next() {
            let msg: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let answer = match msg["type"].as_str() {
                Some("case") => json!({"preparations": b.case.model_preparations}),
                Some("turn") => {
                    let open: Vec<&Value> = msg["lines"].as_array().unwrap().iter().collect();
                    let is_open = |id: &str| open.iter().any(|l| l["id"] == id);
                    // A counter to the excuse on the table first, else the next planned line.
                    let counter = open.iter().find(|l| l["counters_excuse"] == true);
                    let id = match counter {
                        Some(c) => c["id"].as_str().unwrap().to_owned(),
                        None => loop {
                            let id = plan.get(next).expect("the plan lasts").clone();
                            next += 1;
                            if is_open(&id) {
                                break id;
                            }
                        },
                    };
                    json!({"line": id, "seconds": autoplay::THINK_SECONDS})
                }
                Some("end") => {
                    end = msg;
                    break;
                }
                other => panic!("unexpected message {other:?}: {line}"),
            };
            writeln!(stdin, "{answer}").unwrap();
        }
        drop(stdin);
        assert!(child.wait().unwrap().success());
        assert_eq!(end["finished"], true, "{end}");
        assert_eq!(
            end["score"].as_f64(),
            Some(score(&expected).total),
            "{case}: {end}"
        );
        assert_eq!(
            end["turns"].as_u64(),
            Some(u64::from(expected.progress.turn))
        );
        assert_eq!(end["rules_broken"], json!([]));
    }
}

#[test]
fn agent_errors_are_json_and_the_last_line_is_the_end() {
    let mut child = agent("print_shop", 1);
    let mut stdin = child.stdin.take().unwrap();
    let input = [
        r#"{"preparations": ["nosuch"]}"#,
        r#"{"preparations": ["books", "key_person"], "score": 100}"#,
        r#"{"preparations": ["books"]}"#,
        "this is not json",
        r#"{"line": "close_ask_now", "seconds": 1}"#,
        r#"{"line": "open_greet"}"#,
        r#"{"line": "open_greet", "seconds": -5}"#,
        r#"{"line": "open_greet", "seconds": 4000}"#,
        r#"{"line": "open_greet", "seconds": 2.5}"#,
    ];
    for l in input {
        writeln!(stdin, "{l}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "the input ended early");
    let msgs: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let errors: Vec<&str> = msgs
        .iter()
        .filter(|m| m["type"] == "error")
        .map(|m| m["error"].as_str().unwrap())
        .collect();
    assert!(
        errors[0].contains("unknown preparation \"nosuch\""),
        "{errors:?}"
    );
    assert!(errors[1].contains("unknown field `score`"), "{errors:?}");
    assert!(errors[2].contains("JSON"), "{errors:?}");
    assert!(
        errors[3].contains("\"close_ask_now\" is not a line you can say now"),
        "{errors:?}"
    );
    // Seconds are required, and only 0 to 3600 are taken.
    assert!(errors[4].contains("missing field `seconds`"), "{errors:?}");
    assert!(
        errors[5].contains("seconds: -5 is out of range"),
        "{errors:?}"
    );
    assert!(
        errors[6].contains("seconds: 4000 is out of range"),
        "{errors:?}"
    );
    assert!(errors[7].contains("input ended"), "{errors:?}");
    let last = msgs.last().unwrap();
    assert_eq!(last["type"], "end");
    assert_eq!(last["finished"], false);
    assert_eq!(
        last["turns"], 1,
        "the greeting was said once, with its seconds"
    );
}
