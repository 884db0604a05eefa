//! Test plans: `validate` reports an id a plan names that does not exist where it is written
//! (file, line:column, a suggestion), and a plan that fails says why in both languages.

mod common;

use authoring::LoadScenarios;
use authoring::diagnostic::{Diagnostic, Severity};
use authoring::testplan::run;
use authoring::validate::{Scenarios, bundled_dir};
use common::{assert_bilingual, diagnose, has_cjk};
use sim::CaseBundle;
use sim::scenario::{Expect, TestPlan};
use sim::text::Lang;

const CASE: &str = "cases/fastener_factory.ron";

/// The 1-based line and column of the first `needle` in `text`.
fn pos_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("the needle is in the text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

fn unknown_at<'a>(diags: &'a [Diagnostic], path: &str) -> &'a Diagnostic {
    diags.iter().find(|d| d.path == path).unwrap_or_else(|| {
        panic!(
            "nothing reported at `{path}`:\n{}",
            authoring::diagnostic::report(diags)
        )
    })
}

#[test]
fn a_misspelt_line_in_a_projects_test_plan_is_reported_where_it_is_written() {
    // A trainer's project folder: one case of their own, on top of the program's scenarios.
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("cases")).unwrap();
    let file = project.path().join("cases/my_factory.ron");
    let text = common::edited(
        CASE,
        &[
            ("id: \"fastener_factory\"", "id: \"my_factory\""),
            (
                "lines: [\"open_greet\", \"open_small_talk\"",
                "lines: [\"open_greet\", \"open_smal_talk\"",
            ),
        ],
    );
    std::fs::write(&file, &text).unwrap();
    assert!(authoring::validate::is_project(project.path()));

    let diags = Scenarios::load(project.path()).expect_err("the misspelt line is an error");
    assert_eq!(diags.len(), 1, "{}", authoring::diagnostic::report(&diags));
    let d = &diags[0];
    assert_eq!(d.file, file);
    assert_eq!((d.line, d.column), pos_of(&text, "\"open_smal_talk\""));
    assert_eq!(d.path, "tests[0].lines[1]");
    assert_eq!((d.code, d.severity), ("unknown-id", Severity::Error));
    assert_eq!(
        d.message,
        "unknown line \"open_smal_talk\" (did you mean \"open_small_talk\"?)"
    );
    assert_eq!(
        d.message_in(Lang::Zh),
        "没有这个话术：\"open_smal_talk\"（是不是想写 \"open_small_talk\"？）"
    );
    assert_bilingual(d);
    let line = d.line_in(Lang::En);
    assert!(
        line.starts_with(&format!(
            "{}:{}:{}: error",
            file.display(),
            d.line,
            d.column
        )),
        "{line}"
    );
}

/// `d` says, at the place `written` stands in `text`, that `written` is an unknown `what`, and
/// suggests `suggested` (unless it is empty) in both languages.
fn assert_unknown_id(d: &Diagnostic, text: &str, written: &str, what: &str, suggested: &str) {
    assert_eq!(d.code, "unknown-id", "{d}");
    assert!(d.file.ends_with(CASE), "{d}");
    assert_eq!((d.line, d.column), pos_of(text, written), "{d}");
    assert!(
        d.message.starts_with(&format!("unknown {what} {written}")),
        "{d}"
    );
    if !suggested.is_empty() {
        assert!(
            d.message
                .ends_with(&format!("(did you mean \"{suggested}\"?)")),
            "{d}"
        );
        assert!(
            d.message_in(Lang::Zh)
                .ends_with(&format!("（是不是想写 \"{suggested}\"？）")),
            "{d:?}"
        );
    }
    assert_bilingual(d);
}

#[test]
fn every_id_a_test_plan_names_is_checked() {
    let edits = [
        (
            CASE,
            "preparations: [\"key_person\", \"routine\", \"finance_calendar\"],\n         lines:",
            "preparations: [\"key_person\", \"routne\", \"finance_calendar\"],\n         lines:",
        ),
        (
            CASE,
            "\"close_settle\"],\n         expect",
            "\"counterr\"],\n         expect",
        ),
        (
            CASE,
            "expect: (outcome: [\"partial\", \"paid_in_full\"], grade: Some((\"B\", \"A\")), rules_kept: [\"threat_before_refusal\"])",
            "expect: (outcome: [\"partial\", \"paid_in_ful\"], grade: Some((\"B\", \"AA\")), rules_kept: [\"threat_before_refusl\"], excuses_raised: [\"no_cashh\"])",
        ),
    ];
    let diags = diagnose(&edits);
    let text = common::edited(
        CASE,
        &edits.iter().map(|(_, f, t)| (*f, *t)).collect::<Vec<_>>(),
    );
    let expected = [
        (
            "tests[0].preparations[1]",
            "\"routne\"",
            "preparation of this case",
            "routine",
        ),
        ("tests[0].lines[8]", "\"counterr\"", "line", "counter"),
        (
            "tests[0].expect.outcome[1]",
            "\"paid_in_ful\"",
            "outcome",
            "paid_in_full",
        ),
        ("tests[0].expect.grade[1]", "\"AA\"", "grade", ""),
        (
            "tests[0].expect.rules_kept[0]",
            "\"threat_before_refusl\"",
            "course rule",
            "threat_before_refusal",
        ),
        (
            "tests[0].expect.excuses_raised[0]",
            "\"no_cashh\"",
            "excuse of this persona",
            "no_cash",
        ),
    ];
    for (path, written, what, suggested) in expected {
        assert_unknown_id(unknown_at(&diags, path), &text, written, what, suggested);
    }
    assert_eq!(
        diags.len(),
        expected.len(),
        "{}",
        authoring::diagnostic::report(&diags)
    );
}

#[test]
fn the_bundled_test_plans_name_only_ids_that_exist() {
    let errors: Vec<Diagnostic> = diagnose(&[])
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{}",
        authoring::diagnostic::report(&errors)
    );
}

fn plan(name: &str, preparations: &[&str], lines: &[&str], expect: Expect) -> TestPlan {
    TestPlan {
        name: name.into(),
        seed: 1,
        preparations: preparations.iter().map(|s| s.to_string()).collect(),
        lines: lines.iter().map(|s| s.to_string()).collect(),
        answer_excuses: true,
        expect,
    }
}

fn fastener() -> std::sync::Arc<CaseBundle> {
    let sc = Scenarios::load(&bundled_dir()).unwrap();
    CaseBundle::new(&sc, "fastener_factory").unwrap()
}

#[test]
fn a_failing_plan_says_why_in_both_languages() {
    let bundle = fastener();
    let course = [
        "open_greet",
        "open_small_talk",
        "facts_confirm",
        "purpose_face",
        "any_empathy",
        "plan_split_dated",
        "plan_book_close",
        "close_person",
        "close_settle",
    ];
    let preps = ["key_person", "routine", "finance_calendar"];
    // The course's way passes what the bundled plan expects of it...
    let good = run(
        &bundle,
        &plan(
            "the course's way",
            &preps,
            &course,
            Expect {
                rules_kept: vec!["threat_before_refusal".into()],
                ..Expect::default()
            },
        ),
    );
    assert!(good.passed(), "{:?}", good.failures);
    // ...and fails what it does not do, with each reason in both languages.
    let r = run(
        &bundle,
        &plan(
            "expects the opposite",
            &preps,
            &course,
            Expect {
                score: Some((0.0, 1.0)),
                outcome: vec!["walk_out".into()],
                rules_broken: vec!["threat_before_refusal".into()],
                ..Expect::default()
            },
        ),
    );
    assert!(!r.passed());
    let reasons = |lang| -> Vec<&str> { r.failures.iter().map(|f| f.get(lang)).collect() };
    let (en, zh) = (reasons(Lang::En), reasons(Lang::Zh));
    assert_eq!(en.len(), 3, "{en:?}");
    assert!(
        en[0].starts_with("score ") && en[0].ends_with(", expected 0 to 1"),
        "{en:?}"
    );
    assert!(
        zh[0].starts_with("得分 ") && zh[0].ends_with("，应在 0 到 1 之间"),
        "{zh:?}"
    );
    assert_eq!(en[1], format!("outcome {}, expected walk_out", r.outcome));
    assert_eq!(zh[1], format!("结果是 {}，应为 walk_out", r.outcome));
    assert_eq!(
        en[2],
        "course rule \"threat_before_refusal\" was not broken"
    );
    assert_eq!(zh[2], "课程规则 \"threat_before_refusal\" 没有被违反");
}

/// A line that does not exist, and a preparation that does not: the turn and a suggestion.
#[test]
fn a_plan_with_an_unknown_line_or_preparation_names_it_in_both_languages() {
    let bundle = fastener();
    let r = run(
        &bundle,
        &plan(
            "misspelt",
            &[],
            &["open_greet", "open_gret"],
            Expect::default(),
        ),
    );
    let f = &r.failures[0];
    assert!(
        f.en.starts_with("lines[1]: turn 2: no line has the id \"open_gret\" (did you mean \"open_greet\"?); open then: "),
        "{}",
        f.en
    );
    assert!(
        f.zh.starts_with("lines[1]：第 2 轮：没有 id 为 \"open_gret\" 的话术（是不是想写 \"open_greet\"？）；当时可以说的："),
        "{}",
        f.zh
    );
    let r = run(
        &bundle,
        &plan(
            "unprepared",
            &["routne"],
            &["open_greet"],
            Expect::default(),
        ),
    );
    assert_eq!(
        r.failures[0].en,
        "preparations: unknown preparation \"routne\" (did you mean \"routine\"?)"
    );
    assert_eq!(
        r.failures[0].zh,
        "preparations：没有会前准备 \"routne\"（是不是想写 \"routine\"？）"
    );
    let r = run(
        &bundle,
        &plan(
            "too many",
            &["books", "key_person", "routine", "finance_calendar"],
            &[],
            Expect::default(),
        ),
    );
    assert!(has_cjk(&r.failures[0].zh) && r.failures[0].en.contains("4 preparations picked"));
    assert!(
        r.failures[0].zh.contains("选了 4 项会前准备"),
        "{}",
        r.failures[0].zh
    );
}
