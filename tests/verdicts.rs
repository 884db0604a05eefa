//! Verdicts a trainer can act on, and the trainer's project folder found from where they work:
//! `validate` plays every case it checks and warns (at the case's model, with the fix) when the
//! case fails a bar of the course; `validity` and `analyze` end with a PASS/FAIL line per bar and
//! exit 1 on a FAIL; files in the oldest format say what to write, and following that restores
//! the grade; every command run inside a project folder finds it.

mod common;

use common::{copy_dir, dojo};
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/older_format")
}

/// Runs the binary in `dir` (no --scenarios) with messages in `lang`.
fn run_in(dir: &Path, lang: &str, args: &[&str]) -> Output {
    dojo(lang).current_dir(dir).args(args).output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A copy of the older-format project in a temporary folder.
fn older_project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-cases");
    copy_dir(&fixture().join("personas"), &dir.join("personas"));
    copy_dir(&fixture().join("cases"), &dir.join("cases"));
    (tmp, dir)
}

fn edit(file: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(file).unwrap();
    assert!(s.contains(from), "{from:?} in {}", file.display());
    std::fs::write(file, s.replacen(from, to, 1)).unwrap();
}

/// What the older-format note asks for, written as a trainer would from the bundled persona.
fn follow_the_note(dir: &Path) {
    let persona = dir.join("personas/old_owner.ron");
    edit(
        &persona,
        "    excuse_rate: 0.6,\n",
        "    excuse_rate: 0.6,\n\
         \x20   drivers: Some((relationship: 0.35, consequence: 0.0, obligation: 0.15, plan: 0.35)),\n\
         \x20   gates: [(unless: [PlanDated], cap: 0.6, why: (zh: \"没有带日期的方案，他付不出。\", en: \"Without a dated plan there is nothing to pay.\"))],\n\
         \x20   promise_needs: [PlanDated, PersonNamed],\n",
    );
    for when in [
        "when: [StageAtLeast(StatePurpose)],\n            cost",
        "when: [StageAtLeast(StatePurpose), StageBefore(Close)],\n            cost",
    ] {
        edit(
            &persona,
            when,
            &when.replace(
                "\n            cost",
                "\n            certain: true,\n            cost",
            ),
        );
    }
}

#[test]
fn every_bundled_case_passes_the_quick_verdict_in_both_languages() {
    let empty = tempfile::tempdir().unwrap();
    let here = empty.path();
    let o = run_in(here, "en", &["validate"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    for case in common::scenarios().cases.iter().map(|c| &c.id) {
        assert!(
            out.contains(&format!("ok: {case} teaches the course: mean")),
            "{case}: {out}"
        );
    }
    let o = run_in(here, "zh_CN.UTF-8", &["validate"]);
    let (out, _) = text(&o);
    assert!(out.contains("fastener_factory 能教好这门课：均分"), "{out}");
}

#[test]
fn older_files_say_what_to_write_and_following_it_restores_the_grade() {
    let (_tmp, dir) = older_project();
    // The oldest files still load; validate says what the engine assumes and what to write.
    let o = run_in(&dir, "en", &["validate", "--deny-warnings"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(err.contains("old_owner.ron:3:5: warning in `id`"), "{err}");
    assert!(err.contains("[older-format]"), "{err}");
    for what in ["drivers", "gates", "promise_needs", "certain: true"] {
        assert!(err.contains(what), "{what}: {err}");
    }
    // Its course breakers come too close: ignoring excuses that never come up costs nothing.
    assert!(
        err.contains("old_fastener.ron:36:5: warning in `model_lines`")
            && err.contains("[case-does-not-teach]")
            && err.contains("ignore_excuses"),
        "{err}"
    );
    let o = run_in(&dir, "zh_CN.UTF-8", &["validate"]);
    let (_, err) = text(&o);
    assert!(err.contains("是按旧版格式写的"), "{err}");

    // Following the note: no warning about the format or the course, and validity passes.
    follow_the_note(&dir);
    let o = run_in(&dir, "en", &["validate"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        !err.contains("[older-format]") && !err.contains("[case-does-not-teach]"),
        "{err}"
    );
    assert!(out.contains("ok: old_fastener teaches the course"), "{out}");
    // The grade is back (A on every seed) and no breaker comes close. (Whether a meeting
    // learnt by heart fits other seeds depends on how different the two excuses' answers are:
    // the `seeds` bar is the trainer's to judge, not what the note restores.)
    let o = run_in(&dir, "en", &["validity", "--seeds", "8"]);
    let (out, err) = text(&o);
    assert!(out.contains("PASS model (old_fastener)"), "{out}{err}");
    assert!(out.contains("PASS breakers (old_fastener)"), "{out}{err}");
    assert!(
        !out.contains("fastener_factory"),
        "only the project's case: {out}"
    );
}

#[test]
fn a_model_that_no_longer_grades_well_gets_the_change_that_restores_it() {
    let (_tmp, dir) = older_project();
    follow_the_note(&dir);
    // The model as earlier docs wrote it: the whole amount by a date, no split.
    let case = dir.join("cases/old_fastener.ron");
    edit(
        &case,
        "\"plan_split_dated\", \"plan_social_proof\"",
        "\"plan_full_date\", \"plan_social_proof\"",
    );
    let o = run_in(&dir, "en", &["validate"]);
    let (_, err) = text(&o);
    assert!(
        err.contains("fails \"the course model's mean is 80–95"),
        "{err}"
    );
    let fix = "model_lines line 6: \"plan_full_date\" → \"plan_split_dated\"";
    assert!(err.contains(fix), "{err}");
    // Apply the suggested model as printed: the warning goes and the model grades A again.
    let suggested = err
        .split("The model with it: ")
        .nth(1)
        .and_then(|s| s.lines().next())
        .expect("the suggested model")
        .to_owned();
    let lines = suggested.split("model_lines: ").nth(1).unwrap();
    let s = std::fs::read_to_string(&case).unwrap();
    let start = s.find("model_lines: [").unwrap();
    let end = start + s[start..].find(']').unwrap() + 1;
    std::fs::write(
        &case,
        format!("{}model_lines: {lines}{}", &s[..start], &s[end..]),
    )
    .unwrap();
    let o = run_in(&dir, "en", &["validate"]);
    let (out, err) = text(&o);
    assert!(!err.contains("[case-does-not-teach]"), "{err}");
    assert!(out.contains("ok: old_fastener teaches the course"), "{out}");
}

#[test]
fn a_gate_the_course_model_never_opens_warns_at_the_gate() {
    let (_tmp, dir) = older_project();
    follow_the_note(&dir);
    edit(
        &dir.join("personas/old_owner.ron"),
        "unless: [PlanDated]",
        "unless: [PlanDated, ObligationAtLeast(0.95)]",
    );
    let o = run_in(&dir, "en", &["validate"]);
    let (_, err) = text(&o);
    assert!(
        err.contains(
            "warning in `gates[0].unless[1]`: in case \"old_fastener\" the course model never \
             opens this gate: ObligationAtLeast(0.95) never held"
        ),
        "{err}"
    );
    assert!(err.contains("[gate-never-opens]"), "{err}");
    let (out, _) = text(&o);
    assert!(
        out.contains("FAIL: old_fastener does not teach the course yet: it fails model"),
        "{out}"
    );
}

#[test]
fn validity_and_analyze_end_with_a_verdict_per_bar_and_exit_1_on_a_fail() {
    let (_tmp, dir) = older_project();
    let o = run_in(&dir, "en", &["validity", "--seeds", "6"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(out.contains("FAIL breakers (old_fastener)"), "{out}");
    assert!(out.contains("PASS model (old_fastener)"), "{out}");
    let o = run_in(&dir, "zh_CN.UTF-8", &["validity", "--seeds", "6"]);
    let (out, _) = text(&o);
    assert!(out.contains("未通过 FAIL breakers (old_fastener)"), "{out}");
    assert!(out.contains("课程示范"), "{out}");

    let empty = tempfile::tempdir().unwrap();
    let here = empty.path();
    let args = [
        "analyze",
        "fastener_factory",
        "--depth",
        "2",
        "--seeds",
        "2",
        "--samples",
        "20",
    ];
    let o = run_in(here, "en", &args);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    for bar in ["beats-others", "best-keeps-course", "preparation"] {
        assert!(
            out.contains(&format!("PASS {bar} (fastener_factory)")),
            "{out}"
        );
    }
    let o = run_in(
        here,
        "en",
        &[
            "--lang",
            "zh",
            "analyze",
            "fastener_factory",
            "--depth",
            "1",
            "--seeds",
            "1",
            "--samples",
            "10",
        ],
    );
    let (out, _) = text(&o);
    assert!(
        out.contains("通过 PASS preparation"),
        "--lang beats LANG: {out}"
    );
}

#[test]
fn every_command_finds_the_project_from_the_folder_it_runs_in() {
    let (_tmp, dir) = older_project();
    follow_the_note(&dir);
    // A scenario test of the trainer's own: only it is reported, not the program's.
    edit(
        &dir.join("cases/old_fastener.ron"),
        "    model_lines: [",
        "    tests: [(name: \"a blunt threat breaks the course\", lines: [\"open_blunt\", \"any_pressure_hard\"], \
         expect: (rules_broken: [\"threat_before_refusal\"]))],\n    model_lines: [",
    );
    let o = run_in(&dir, "en", &["test"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("old_fastener / a blunt threat"), "{out}");
    assert!(!out.contains("fastener_factory /"), "{out}");
    assert!(out.contains("1 passed, 0 failed"), "{out}");
    let o = run_in(
        &dir,
        "en",
        &["play", "--case", "old_fastener", "--auto", "model"],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    let o = run_in(
        &dir,
        "en",
        &[
            "analyze",
            "old_fastener",
            "--depth",
            "1",
            "--seeds",
            "1",
            "--samples",
            "10",
        ],
    );
    let (out, err) = text(&o);
    assert!(out.contains("old_fastener"), "{out}{err}");
    // From a subfolder's parent: the project's `scenarios/` is found too.
    let parent = dir.parent().unwrap().join("project");
    std::fs::create_dir_all(&parent).unwrap();
    std::fs::rename(&dir, parent.join("scenarios")).unwrap();
    let o = run_in(&parent, "en", &["test"]);
    let (out, err) = text(&o);
    assert!(out.contains("1 passed, 0 failed"), "{out}{err}");
}
