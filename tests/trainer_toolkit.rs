//! The trainer's toolkit through the real binary: precise validation with carets, JSON and exit
//! codes; lint warnings; `new` templates that validate and play; the authoring tutorial's files;
//! the balance analyzer.

mod common;

use authoring::LoadScenarios;
use common::dojo;
use common::{ron_block_after, scenario_copy};
use std::path::Path;
use std::process::Output;

fn run(args: &[&str]) -> Output {
    dojo("en_GB.UTF-8").args(args).output().unwrap()
}

/// The case's model approach, played from the scenario folder `dir`, ends with an outcome.
fn model_plays_to_an_end(dir: &str, case: &str) {
    let o = run(&[
        "--scenarios",
        dir,
        "play",
        "--case",
        case,
        "--auto",
        "model",
        "--json",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["outcome_kind"].as_str().is_some(), "{out}");
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn errors_show_the_source_line_with_a_caret_and_json_has_one_object_per_diagnostic() {
    let (_t, dir) = scenario_copy();
    let p = dir.join("personas/evader.ron");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        t.replacen("tactic: \"social_proof\"", "tactic: \"social_prof\"", 1),
    )
    .unwrap();
    let o = run(&["validate", dir.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("(did you mean \"social_proof\"?)"), "{err}");
    // The offending line itself, with a marker under the spot.
    let line = t
        .lines()
        .find(|l| l.contains("tactic: \"social_proof\""))
        .unwrap()
        .replace("social_proof", "social_prof");
    assert!(err.contains(line.trim()), "{err}");
    assert!(err.contains('┬') || err.contains('^'), "{err}");

    let o = run(&["validate", dir.to_str().unwrap(), "--json"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 1, "{out}");
    let d = &objects[0];
    assert!(d["file"].as_str().unwrap().ends_with("evader.ron"));
    assert!(d["line"].as_u64().unwrap() > 1 && d["column"].as_u64().unwrap() > 1);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unknown-id");
    assert_eq!(d["path"], "excuses[1].counters[0].tactic");
}

#[test]
fn a_misspelt_field_name_gets_a_did_you_mean() {
    let (_t, dir) = scenario_copy();
    let p = dir.join("personas/evader.ron");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, t.replacen("pay_threshold:", "pay_treshold:", 1)).unwrap();
    let (_, err) = text(&run(&["validate", dir.to_str().unwrap()]));
    assert!(
        err.contains("unknown field `pay_treshold` (did you mean \"pay_threshold\"?)"),
        "{err}"
    );
}

#[test]
fn warnings_exit_0_unless_denied_and_errors_exit_2() {
    let (_t, dir) = scenario_copy();
    assert_eq!(
        run(&["validate", dir.to_str().unwrap(), "--deny-warnings"])
            .status
            .code(),
        Some(0),
        "the bundled scenarios lint clean"
    );
    // An excuse nothing can counter is a warning, not an error.
    let p = dir.join("personas/evader.ron");
    let t = std::fs::read_to_string(&p).unwrap();
    let start = t
        .find("            counters: [\n                (id: \"everyone_late_proof\"")
        .unwrap();
    let end = start + t[start..].find("            ],\n").unwrap() + "            ],\n".len();
    std::fs::write(
        &p,
        format!("{}            counters: [],\n{}", &t[..start], &t[end..]),
    )
    .unwrap();
    let o = run(&["validate", dir.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("ok:") && err.contains("warning") && err.contains("uncounterable-excuse"),
        "{err}"
    );
    assert_eq!(
        run(&["validate", dir.to_str().unwrap(), "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
    let (json, _) = text(&run(&["validate", dir.to_str().unwrap(), "--json"]));
    assert!(
        json.lines().any(|l| l.contains("\"severity\":\"warning\"")
            && l.contains("\"code\":\"uncounterable-excuse\"")),
        "{json}"
    );
}

#[test]
fn an_excuse_only_prepared_trainees_can_answer_is_linted() {
    let (_t, dir) = scenario_copy();
    // Take away the evader's answer to "lost invoice" that needs no preparation: a trainee who
    // did not bring the books would have nothing to say to it.
    let p = dir.join("personas/evader.ron");
    let t = std::fs::read_to_string(&p).unwrap();
    let start = t
        .find("                (id: \"lost_invoice_resend\"")
        .unwrap();
    let end = start + t[start..].find("\n            ],").unwrap() + 1;
    std::fs::write(&p, format!("{}{}", &t[..start], &t[end..])).unwrap();
    let (json, err) = text(&run(&[
        "validate",
        dir.to_str().unwrap(),
        "--json",
        "--lang",
        "en",
    ]));
    let line = json
        .lines()
        .find(|l| l.contains("\"code\":\"excuse-unanswerable-unprepared\""))
        .unwrap_or_else(|| panic!("{json}{err}"));
    assert!(line.contains("print_shop.ron"), "{line}");
    assert!(
        line.contains("lost_invoice") && line.contains("did not prepare books"),
        "{line}"
    );
}

#[test]
fn a_persona_reply_that_names_a_person_is_linted() {
    let (_t, dir) = scenario_copy();
    let p = dir.join("personas/habitual_delayer.ron");
    let t = std::fs::read_to_string(&p).unwrap();
    let t = t.replacen("我让{payer}转", "我让会计小王转", 1);
    std::fs::write(&p, t).unwrap();
    let (json, err) = text(&run(&["validate", dir.to_str().unwrap(), "--json"]));
    let line = json
        .lines()
        .find(|l| l.contains("\"code\":\"reply-names-a-person\""))
        .unwrap_or_else(|| panic!("{json}{err}"));
    assert!(
        line.contains("habitual_delayer.ron") && line.contains("小王"),
        "{line}"
    );
}

#[test]
fn new_templates_validate_and_play() {
    let (_t, dir) = scenario_copy();
    let d = dir.to_str().unwrap();
    let o = run(&["--scenarios", d, "new", "persona", "quiet_buyer"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let o = run(&[
        "--scenarios",
        d,
        "new",
        "case",
        "quiet_case",
        "--persona",
        "quiet_buyer",
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(
        dir.join("personas/quiet_buyer.ron").exists() && dir.join("cases/quiet_case.ron").exists()
    );
    let o = run(&["validate", d, "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    model_plays_to_an_end(d, "quiet_case");
    // No overwriting, no odd ids.
    assert_eq!(
        run(&["--scenarios", d, "new", "persona", "quiet_buyer"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["--scenarios", d, "new", "case", "Bad Name"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn the_authoring_tutorial_files_validate_play_and_its_error_is_the_real_one() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/AUTHORING.md"))
            .unwrap();
    // The tutorial's project folder: the trainer's two files, nothing else.
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("my-cases");
    std::fs::create_dir_all(dir.join("personas")).unwrap();
    std::fs::create_dir_all(dir.join("cases")).unwrap();
    let persona = ron_block_after(&doc, "<!-- final-persona");
    let case = ron_block_after(&doc, "<!-- final-case");
    std::fs::write(dir.join("personas/busy_buyer.ron"), &persona).unwrap();
    std::fs::write(dir.join("cases/paper_wholesale.ron"), &case).unwrap();
    let in_root = |args: &[&str]| run_in(root.path(), args);
    let o = in_root(&["validate", "my-cases", "--deny-warnings"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("7 cases, 7 personas"), "{out}");
    let o = in_root(&["--scenarios", "my-cases", "test"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    // The model approach of the tutorial's case grades at least B and beats random play.
    let o = in_root(&[
        "--scenarios",
        "my-cases",
        "play",
        "--case",
        "paper_wholesale",
        "--auto",
        "model",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(matches!(v["grade"].as_str(), Some("A" | "B")), "{v}");
    let r = analyze_tutorial_case(root.path());
    assert!(
        strategy_mean(&r, "course-following") > strategy_mean(&r, "random") + 20.0,
        "{r}"
    );

    // The deliberate mistakes give exactly the messages the tutorial shows, in both languages.
    std::fs::write(
        dir.join("personas/busy_buyer.ron"),
        persona.replace("tactic: \"reject_delay\"", "tactic: \"reject_dely\""),
    )
    .unwrap();
    validate_says_what_the_tutorial_quotes(
        root.path(),
        &doc,
        &[
            ("en", "unknown tactic \"reject_dely\""),
            ("zh", "没有这个战术：\"reject_dely\""),
        ],
    );
    std::fs::write(dir.join("personas/busy_buyer.ron"), &persona).unwrap();
    std::fs::write(
        dir.join("cases/paper_wholesale.ron"),
        case.replacen("amount: 64000", "amount: 64,000", 1),
    )
    .unwrap();
    validate_says_what_the_tutorial_quotes(
        root.path(),
        &doc,
        &[("en", "thousands separator"), ("zh", "千位分隔符")],
    );
}

/// The analyzer's report (JSON) on the tutorial's case, run in `root`.
fn analyze_tutorial_case(root: &Path) -> serde_json::Value {
    let o = run_in(
        root,
        &[
            "--scenarios",
            "my-cases",
            "analyze",
            "paper_wholesale",
            "--depth",
            "1",
            "--seeds",
            "1",
            "--samples",
            "40",
            "--json",
        ],
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The mean score of the analyzer strategy `name` in report `r`.
fn strategy_mean(r: &serde_json::Value, name: &str) -> f64 {
    r["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()["mean"]
        .as_f64()
        .unwrap()
}

/// `validate my-cases --lang L`, run in `root`, prints the very line the tutorial `doc` quotes
/// for each (language, needle).
fn validate_says_what_the_tutorial_quotes(root: &Path, doc: &str, quotes: &[(&str, &str)]) {
    for (lang, needle) in quotes {
        let (_, err) = text(&run_in(root, &["validate", "my-cases", "--lang", lang]));
        let q = doc
            .lines()
            .find(|l| l.contains(needle) && l.starts_with("my-cases/"))
            .unwrap_or_else(|| panic!("the tutorial quotes {needle}"));
        assert!(
            err.contains(q),
            "the tutorial quotes {q:?}; validate says:\n{err}"
        );
    }
}

#[test]
fn the_analyzer_reports_what_a_trainer_asks() {
    let o = run(&[
        "analyze",
        "print_shop",
        "--depth",
        "2",
        "--seeds",
        "1",
        "--samples",
        "30",
        "--json",
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["case"], "print_shop");
    let best = r["best"]["score"].as_f64().unwrap();
    let worst = r["worst"]["score"].as_f64().unwrap();
    assert!(best > worst + 30.0, "best {best} worst {worst}");
    assert!(!r["best"]["lines"].as_array().unwrap().is_empty());
    let names: Vec<&str> = r["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "course-following",
            "always-pressure",
            "always-soft",
            "random"
        ]
    );
    let mean = |i: usize| r["strategies"][i]["mean"].as_f64().unwrap();
    assert!(mean(0) > mean(1) + 20.0 && mean(0) > mean(3) + 20.0);
    assert!(
        r["dominant_tactics"].as_array().unwrap().is_empty(),
        "no single tactic wins this case"
    );
    assert!(r["playthroughs"].as_u64().unwrap() > 100);
    // The best line sequence found replays to the score reported.
    assert_eq!(replay_best(&r), best);

    let o = run(&["analyze", "no_such_case"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["analyze", "print_shop", "--depth", "99"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Writes the analyzer report `r`'s best play as a script and plays it: its score.
fn replay_best(r: &serde_json::Value) -> f64 {
    let lines: Vec<String> = r["best"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_owned())
        .collect();
    let preps: Vec<String> = r["best"]["preparations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_owned())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("best.ron");
    let choices: Vec<String> = lines.iter().map(|l| format!("(\"{l}\", 4.0)")).collect();
    let prep_list: Vec<String> = preps.iter().map(|p| format!("\"{p}\"")).collect();
    std::fs::write(
        &script,
        format!(
            "Script(preparations: [{}], choices: [{}])",
            prep_list.join(", "),
            choices.join(", ")
        ),
    )
    .unwrap();
    let seed = r["best"]["seed"].as_u64().unwrap().to_string();
    let o = run(&[
        "play",
        "--case",
        "print_shop",
        "--seed",
        &seed,
        "--script",
        script.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["score"]["total"].as_f64().unwrap()
}

#[test]
fn scenario_files_from_before_the_drivers_still_load_and_validate_says_what_to_change() {
    let (_t, dir) = scenario_copy();
    // An older tactic book: the retired willingness drift, no new dynamics.
    let book = dir.join("tactics.ron");
    let src = std::fs::read_to_string(&book).unwrap();
    let old = src
        .replace(
            "        arousal_drain: 0.03,",
            "        arousal_drain: 0.03,\n        willingness_from_trust: 0.08,\n        willingness_from_pleasure: 0.05,",
        )
        .lines()
        .filter(|l| {
            !["hesitation_ramp", "pace_limit", "default_drivers", "unbacked", "guarded_trust", "vague_delay_credibility"]
                .iter()
                .any(|k| l.trim_start().starts_with(k))
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&book, old).unwrap();
    // An older persona: no drivers, gates, promise needs or certain excuses.
    let persona = dir.join("personas/evader.ron");
    let src = std::fs::read_to_string(&persona).unwrap();
    let mut old = String::new();
    let mut skipping = false;
    for l in src.lines() {
        let t = l.trim_start();
        if t.starts_with("drivers:") || t.starts_with("promise_needs:") || t.starts_with("certain:")
        {
            continue;
        }
        if t.starts_with("gates:") {
            skipping = true;
        }
        if !skipping {
            old.push_str(l);
            old.push('\n');
        }
        if skipping && t == "]," {
            skipping = false;
        }
    }
    assert!(!old.contains("drivers") && !old.contains("gates"), "{old}");
    std::fs::write(&persona, old).unwrap();
    let d = dir.to_str().unwrap();
    let o = run(&["validate", d]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "old files still load: {out}{err}");
    assert!(
        err.contains("willingness_from_trust is no longer used") && err.contains("Migrating"),
        "{err}"
    );
    model_plays_to_an_end(d, "print_shop");
}

/// A trainer's answers are checked like lines: an unknown line is an error with a suggestion;
/// an answer that can never be said and a wording that needs a value the case lacks are
/// warnings (the case still plays, without that wording).
#[test]
fn answers_are_validated_and_linted_for_trainers() {
    let (_t, dir) = scenario_copy();
    let p = dir.join("personas/evader.ron");
    let t = std::fs::read_to_string(&p).unwrap();
    let mine = r#"    answers: [
        (to: [Line("close_persn")], text: [(zh: "问财务。", en: "Ask finance.")]),
    ],
"#;
    let start = t.find("    answers: [\n").unwrap();
    let end = start + t[start..].find("\n    ],\n").unwrap() + "\n    ],\n".len();
    std::fs::write(&p, format!("{}{mine}{}", &t[..start], &t[end..])).unwrap();
    let (_, err) = text(&run(&["validate", dir.to_str().unwrap()]));
    assert!(
        err.contains("evader.ron:")
            && err.contains("unknown line \"close_persn\"")
            && err.contains("close_person"),
        "{err}"
    );

    let warned = r#"    answers: [
        (to: [Line("close_person")], when: [Refused, NotRefused], text: [(zh: "问财务。", en: "Ask finance.")]),
        (to: [Line("close_person")], text: [(zh: "{cashier}转账。", en: "{cashier} sends it.")]),
    ],
"#;
    std::fs::write(&p, format!("{}{warned}{}", &t[..start], &t[end..])).unwrap();
    let o = run(&["validate", dir.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "warnings only: {err}");
    assert!(err.contains("answer-never-said"), "{err}");
    assert!(
        err.contains("print_shop.ron")
            && err.contains("placeholder-unfilled")
            && err.contains("{cashier}"),
        "{err}"
    );
    // The case still plays, and the wording that needs {cashier} is never said.
    let sc = sim::Scenarios::load(&dir).unwrap();
    let b = sim::CaseBundle::new(&sc, "print_shop").unwrap();
    for seed in 0..50 {
        let n = sim::autoplay::random(&b, seed);
        let tr = sim::transcript::Transcript::of(&n, sim::Lang::En);
        assert!(
            tr.transcript.iter().all(|t| !t.debtor.contains('{')),
            "seed {seed}"
        );
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    dojo("en_GB.UTF-8")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `new` writes into the trainer's project (never the program's files) and says how to check
/// what it wrote; validate takes the new files together, says which it checked, and where a
/// duplicate id is defined.
#[test]
fn new_writes_only_into_a_trainers_project() {
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    // An empty folder is not a project: nothing is written anywhere.
    let o = run_in(p, &["new", "persona", "quiet"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("holds no scenarios") && err.contains("--scenarios DIR"),
        "{err}"
    );
    let bundled = sim::bundled_dir();
    let o = run_in(
        p,
        &[
            "--scenarios",
            bundled.to_str().unwrap(),
            "new",
            "persona",
            "quiet",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("the program's own scenario folder"));
    assert!(!bundled.join("personas/quiet.ron").exists());
}

#[test]
fn new_files_go_to_the_trainers_project_and_are_validated_together() {
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    let work = p.join("work");
    let w = work.to_str().unwrap();
    let o = run_in(p, &["--scenarios", w, "new", "persona", "quiet"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let persona = work.join("personas/quiet.ron");
    assert!(
        out.contains(&format!(
            "next: dunning-dojo validate {}",
            persona.display()
        )),
        "{out}"
    );
    // A case for a persona nobody wrote is refused before anything is written.
    let o = run_in(
        p,
        &["--scenarios", w, "new", "case", "qc", "--persona", "quiett"],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no persona \"quiett\" (did you mean \"quiet\"?)"),
        "{err}"
    );
    assert!(!work.join("cases/qc.ron").exists());
    // Inside the project folder, `new` needs no --scenarios.
    let o = run_in(&work, &["new", "case", "qc", "--persona", "quiet"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let case = work.join("cases/qc.ron");
    let both = format!(
        "dunning-dojo validate {} {}",
        persona.display(),
        case.display()
    );
    assert!(out.contains(&format!("next: {both}")), "{out}");

    // The case alone: its persona is new too, and the message says to pass both.
    let o = run(&["validate", case.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("validate both files together: {both}")),
        "{err}"
    );
    for args in [
        vec![persona.to_str().unwrap(), case.to_str().unwrap()],
        vec![w],
    ] {
        let mut a = vec!["validate"];
        a.extend(&args);
        let o = run(&a);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(
            out.contains(&format!(
                "ok: {}, {} (checked with",
                persona.display(),
                case.display()
            )),
            "{out}"
        );
    }
    // A second file with the same id: the message names the first.
    std::fs::copy(&persona, work.join("personas/quiet_copy.ron")).unwrap();
    let o = run(&["validate", w]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "duplicate persona id \"quiet\": {} already defines it",
            persona.display()
        )),
        "{err}"
    );
}

/// Reachability: a persona whose honesty caps a promise's credibility below the rubric's pass
/// mark, in a case where the course's play does not get payment in full, makes the
/// commitment item impossible, and validate says so with percentages that agree with the
/// pass mark. Deliberate trap lines are reported as traps, never as lines to cut, in the
/// trainer's language.
#[test]
fn impossible_rubric_items_are_linted_and_traps_are_reported_as_traps() {
    let (_t, dir) = scenario_copy();
    let persona = dir.join("personas/cash_strapped.ron");
    let text_ = std::fs::read_to_string(&persona).unwrap();
    std::fs::write(
        &persona,
        text_.replace("\"honesty\": 1.6", "\"honesty\": 0.2"),
    )
    .unwrap();
    let o = run(&["validate", dir.to_str().unwrap(), "--deny-warnings"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "rubric item \"commitment\" can never pass in this case: the most credible promise \
             persona \"cash_strapped\" can give is 46% (its honesty 0.20 caps it), below the \
             item's pass mark of 75%"
        ),
        "{err}"
    );
    let o = run(&[
        "analyze",
        "print_shop",
        "--depth",
        "2",
        "--seeds",
        "1",
        "--samples",
        "10",
        "--json",
    ]);
    let r: serde_json::Value = serde_json::from_str(&text(&o).0).unwrap();
    let never: Vec<&str> = r["lines_never_worth_choosing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let traps: Vec<&str> = r["traps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(traps.contains(&"open_blunt"), "{traps:?}");
    assert!(
        !never.contains(&"open_blunt"),
        "a trap is not a line to cut"
    );
    let o = run(&[
        "analyze",
        "print_shop",
        "--depth",
        "2",
        "--seeds",
        "1",
        "--samples",
        "10",
        "--lang",
        "zh",
    ]);
    let (out, _) = text(&o);
    assert!(
        out.contains("陷阱（课程教人不要说的话，保留）：") && out.contains("open_blunt"),
        "{out}"
    );
    assert!(
        out.contains("按课程来") && !out.contains("course-following"),
        "{out}"
    );
}

/// `dunning-dojo test` plays every case's test plans: the bundled ones pass; a plan whose
/// expectation is wrong, whose line does not exist or which outlives its meeting fails with
/// the reason and exit 1; `new case` writes a plan that passes.
#[test]
fn scenario_test_plans_pass_and_fail_with_reasons() {
    let o = run(&["test"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("2 passed, 0 failed"), "{out}");
    let (_t, dir) = scenario_copy();
    let case = dir.join("cases/print_shop.ron");
    let src = std::fs::read_to_string(&case).unwrap();
    let too_long = vec!["\"any_pressure_hard\""; 40].join(", ");
    let plans = format!(
        r#"
    tests: [
        (name: "wrong outcome", lines: ["open_greet"], expect: (outcome: ["walk_out"], score: Some((90.0, 100.0)))),
        (name: "typo", lines: ["open_gret"]),
        (name: "too long", lines: [{too_long}]),
    ],
)"#
    );
    let trimmed = src.trim_end().strip_suffix(')').unwrap();
    std::fs::write(&case, format!("{trimmed}{plans}\n")).unwrap();
    // A misspelt line id is caught by validation, at its place in the file.
    let o = run(&["test", dir.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    let line = src.trim_end().lines().count() + 3;
    assert!(
        err.contains(&format!(
            "print_shop.ron:{line}:32: error in `tests[1].lines[0]`: unknown line \"open_gret\" (did you mean \"open_greet\"?)"
        )),
        "{line}: {err}"
    );
    let o = run(&["validate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "validate checks plans too");
    // The plans that validate run, and fail with their reasons.
    let plans = plans.replace("        (name: \"typo\", lines: [\"open_gret\"]),\n", "");
    std::fs::write(&case, format!("{trimmed}{plans}\n")).unwrap();
    let o = run(&["test", dir.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    for needle in [
        "FAIL print_shop / wrong outcome",
        "outcome unfinished, expected walk_out",
        "expected 90 to 100",
        "FAIL print_shop / too long",
        "before \"any_pressure_hard\" was said",
        "2 passed, 2 failed",
    ] {
        assert!(out.contains(needle), "expected {needle:?} in:\n{out}");
    }
    // The plan `new case` writes passes.
    let d = dir.to_str().unwrap();
    let o = run(&[
        "--scenarios",
        d,
        "new",
        "case",
        "plan_case",
        "--persona",
        "cash_strapped",
    ]);
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(&case, &src).unwrap();
    let o = run(&["test", d]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("ok   plan_case / the model approach does not end empty-handed"),
        "{out}"
    );
}

/// The translation workflow: export every text with a stable id to CSV, translate, import in
/// place (comments and layout kept); a text whose Chinese changed after the export is marked,
/// and validate warns about it until it is translated again.
#[test]
fn strings_export_and_import_keep_files_and_flag_changed_sources() {
    let (_t, dir) = scenario_copy();
    let d = dir.to_str().unwrap();
    let csv_path = dir.join("strings.csv");
    let o = run(&["strings", "export", d, "--out", csv_path.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("wrote ") && out.contains(" texts from "),
        "{out}"
    );
    let mut rows: Vec<csv::StringRecord> = csv::Reader::from_path(&csv_path)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert!(rows.len() > 500, "{} texts", rows.len());
    let no_cash = "persona:cash_strapped/excuses[no_cash].text";
    let brief = "case:fastener_factory/brief";
    for id in [no_cash, brief] {
        assert!(rows.iter().any(|r| &r[0] == id), "{id} exported");
    }
    // The translator's work: a new English for two texts.
    for r in rows.iter_mut() {
        if &r[0] == no_cash || &r[0] == brief {
            let new_en = format!("TRANSLATED {}", &r[0]);
            *r = csv::StringRecord::from(vec![&r[0], &r[1], &r[2], new_en.as_str(), &r[4]]);
        }
    }
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["id", "file", "zh", "en", "source_hash"])
        .unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    // Meanwhile the Chinese brief changes.
    let case = dir.join("cases/fastener_factory.ron");
    let before = std::fs::read_to_string(&case).unwrap();
    let changed = before.replacen("你是钢材供应商的客户经理", "你是钢材公司的客户经理", 1);
    assert_ne!(changed, before);
    std::fs::write(&case, &changed).unwrap();
    let persona = dir.join("personas/cash_strapped.ron");
    let persona_before = std::fs::read_to_string(&persona).unwrap();

    let o = run(&["strings", "import", csv_path.to_str().unwrap(), d]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // Two texts were given new English; the rest of the CSV is what the files already say.
    assert!(out.contains("wrote 2 translations into 2 files"), "{out}");
    assert!(
        out.contains(&format!(
            "needs an update (validate warns until it is done): {brief}"
        )),
        "{out}"
    );
    // Only the literal changed: comments and layout are as they were.
    let persona_after = std::fs::read_to_string(&persona).unwrap();
    let old_en = "en: \"It's not that I won't pay. There's genuinely no cash: our own customers haven't paid us.\"";
    assert_eq!(
        persona_after,
        persona_before.replacen(old_en, &format!("en: \"TRANSLATED {no_cash}\""), 1)
    );
    let o = run(&["validate", d, "--deny-warnings"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "text {brief}: its Chinese changed after the English was translated"
        )),
        "{err}"
    );
    assert!(!err.contains(&format!("text {no_cash}")), "{err}");
}
