//! Bad input through the real binary: every malformed file, unknown id, bad number, missing
//! translation or bad script gets a message naming the file, line:column and field path, and
//! exit code 2. Nothing panics.

mod common;

use common::{dojo, scenario_copy};
use std::path::{Path, PathBuf};
use std::process::Output;

fn edit(dir: &Path, rel: &str, f: impl FnOnce(String) -> String) -> PathBuf {
    let p = dir.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    let new = f(text);
    std::fs::write(&p, new).unwrap();
    p
}

fn replace_once(text: String, from: &str, to: &str) -> String {
    assert!(text.contains(from), "test setup: {from:?} not found");
    text.replacen(from, to, 1)
}

/// 1-based line and column (in characters) of the first occurrence of `needle`.
fn pos_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

fn run(args: &[&str]) -> Output {
    dojo("en").args(args).output().unwrap()
}

fn validate(dir: &Path) -> (i32, String) {
    let out = run(&["validate", dir.to_str().unwrap(), "--lang", "en"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

/// Asserts that validating `dir` exits 2 with every one of `needles` in its message.
fn fails_with(dir: &Path, needles: &[&str]) -> String {
    let (code, err) = validate(dir);
    assert_eq!(code, 2, "{err}");
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in:\n{err}");
    }
    err
}

/// Asserts exit 2 and that stderr names `file:line:col`, the field path and the message.
fn expect(dir: &Path, rel: &str, at: Option<(usize, usize)>, path: &str, message: &str) {
    let (code, stderr) = validate(dir);
    assert_eq!(code, 2, "{stderr}");
    let file = dir.join(rel);
    let spot = match at {
        Some((l, c)) => format!("{}:{l}:{c}:", file.display()),
        None => format!("{}:", file.display()),
    };
    assert!(stderr.contains(&spot), "expected {spot} in:\n{stderr}");
    if !path.is_empty() {
        assert!(
            stderr.contains(&format!("`{path}`")),
            "expected path {path} in:\n{stderr}"
        );
    }
    assert!(
        stderr.contains(message),
        "expected {message:?} in:\n{stderr}"
    );
}

#[test]
fn the_bundled_scenarios_validate() {
    let out = run(&["validate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("6 cases"));
}

#[test]
fn malformed_syntax_names_the_spot() {
    let (_t, d) = scenario_copy();
    let p = edit(d.as_path(), "personas/evader.ron", |t| {
        replace_once(t, "drift: 0.3,", "drift: 0.3,,")
    });
    let (line, _) = pos_of(&std::fs::read_to_string(p).unwrap(), "drift: 0.3,,");
    let spot = format!("evader.ron:{line}:");
    fails_with(d.as_path(), &[&spot]);
}

#[test]
fn a_truncated_file_is_reported() {
    let (_t, d) = scenario_copy();
    edit(d.as_path(), "cases/print_shop.ron", |t| {
        t[..t.len() / 2].to_owned()
    });
    let err = fails_with(d.as_path(), &["print_shop.ron:"]);
    assert!(
        err.to_lowercase().contains("unexpected end")
            || err.contains("Expected")
            || err.contains("is never closed"),
        "{err}"
    );
}

/// What Windows Notepad saves: a byte-order mark before the text. It loads like any file, and
/// a mistake after it is still placed at its own line and column.
#[test]
fn a_file_saved_with_a_byte_order_mark_loads() {
    let (_t, d) = scenario_copy();
    let p = d.as_path().join("personas/evader.ron");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(std::fs::read(&p).unwrap());
    std::fs::write(&p, &bytes).unwrap();
    let (code, stderr) = validate(d.as_path());
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("excuses: [", "excuses: [[", 1)).unwrap();
    let at = pos_of(text.trim_start_matches('\u{feff}'), "excuses: [");
    let (code, stderr) = validate(d.as_path());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("evader.ron:{}:", at.0)),
        "the slip is placed on its own line ({}): {stderr}",
        at.0
    );
}

/// A misspelt preparation is reported where it is written, with the right id suggested; the
/// model's list, which names the right one, is never told to use the misspelling instead.
#[test]
fn a_misspelt_preparation_is_never_suggested_back() {
    let (_t, d) = scenario_copy();
    // Misspelt in the list on offer only; the model's list is right.
    edit(d.as_path(), "cases/print_shop.ron", |t| {
        replace_once(
            t,
            "preparations: [\"books\", \"key_person\"",
            "preparations: [\"books\", \"key_persn\"",
        )
    });
    let stderr = fails_with(d.as_path(), &["did you mean \"key_person\""]);
    assert!(!stderr.contains("did you mean \"key_persn\""), "{stderr}");
}

#[test]
fn a_non_utf8_file_is_reported_at_the_bad_byte() {
    let (_t, d) = scenario_copy();
    let p = d.as_path().join("cases/print_shop.ron");
    let mut bytes = std::fs::read(&p).unwrap();
    let third_line = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    bytes.insert(third_line + 4, 0xFF);
    std::fs::write(&p, bytes).unwrap();
    expect(
        d.as_path(),
        "cases/print_shop.ron",
        Some((3, 5)),
        "",
        "not valid UTF-8",
    );
}

#[test]
fn an_unknown_tactic_gets_a_did_you_mean() {
    let (_t, d) = scenario_copy();
    let p = edit(d.as_path(), "personas/evader.ron", |t| {
        replace_once(t, "tactic: \"social_proof\"", "tactic: \"social_prof\"")
    });
    let at = pos_of(
        &std::fs::read_to_string(p).unwrap(),
        "tactic: \"social_prof\"",
    );
    expect(
        d.as_path(),
        "personas/evader.ron",
        Some(at),
        "excuses[1].counters[0].tactic",
        "unknown tactic \"social_prof\" (did you mean \"social_proof\"?)",
    );
}

#[test]
fn duplicate_ids_are_reported() {
    let (_t, d) = scenario_copy();
    std::fs::copy(
        d.as_path().join("personas/evader.ron"),
        d.as_path().join("personas/zz_evader_copy.ron"),
    )
    .unwrap();
    expect(
        d.as_path(),
        "personas/zz_evader_copy.ron",
        None,
        "id",
        "duplicate persona id \"evader\"",
    );
    let (_t, d) = scenario_copy();
    let p = edit(d.as_path(), "lines.ron", |t| {
        replace_once(t, "(id: \"any_praise\"", "(id: \"any_empathy\"")
    });
    let text = std::fs::read_to_string(p).unwrap();
    let second = text.match_indices("(id: \"any_empathy\"").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    let spot = format!("lines.ron:{line}:");
    fails_with(d.as_path(), &[&spot, "duplicate line id \"any_empathy\""]);
}

#[test]
fn an_out_of_range_number_is_reported() {
    let (_t, d) = scenario_copy();
    let p = edit(d.as_path(), "personas/malicious.ron", |t| {
        replace_once(t, "pay_threshold: 0.72", "pay_threshold: 1.6")
    });
    let at = pos_of(&std::fs::read_to_string(p).unwrap(), "pay_threshold");
    expect(
        d.as_path(),
        "personas/malicious.ron",
        Some(at),
        "pay_threshold",
        "1.6 is out of range: expected 0 to 1",
    );
}

#[test]
fn a_missing_translation_is_reported() {
    let (_t, d) = scenario_copy();
    let p = edit(d.as_path(), "cases/logistics_saas.ron", |t| {
        replace_once(
            t,
            "en: \"The logistics firm's new finance director\"",
            "en: \"\"",
        )
    });
    let text = std::fs::read_to_string(p).unwrap();
    let title = pos_of(&text, "title:").0;
    let spot = format!("logistics_saas.ron:{title}:");
    fails_with(
        d.as_path(),
        &[&spot, "`title.en`", "English (en) text is missing"],
    );
}

#[test]
fn an_unknown_field_lists_what_was_expected() {
    let (_t, d) = scenario_copy();
    edit(d.as_path(), "personas/evader.ron", |t| {
        replace_once(t, "pay_threshold:", "pay_treshold:")
    });
    fails_with(
        d.as_path(),
        &["evader.ron:", "pay_treshold", "pay_threshold"],
    );
}

#[test]
fn a_wrong_type_names_the_field() {
    let (_t, d) = scenario_copy();
    edit(d.as_path(), "cases/print_shop.ron", |t| {
        replace_once(t, "difficulty: 2,", "difficulty: \"hard\",")
    });
    fails_with(d.as_path(), &["print_shop.ron:", "`difficulty`"]);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let (_t, d) = scenario_copy();
    let deep = format!("Case(id: {}", "[".repeat(200_000));
    std::fs::write(d.as_path().join("cases/deep.ron"), deep).unwrap();
    fails_with(d.as_path(), &["deep.ron:1:"]);
}

#[test]
fn a_file_of_several_megabytes_is_read_and_its_error_located() {
    let (_t, d) = scenario_copy();
    let filler = "// padding line for a large persona file\n".repeat(150_000); // ~6 MB
    let p = edit(d.as_path(), "personas/evader.ron", |t| {
        format!("{filler}{}", replace_once(t, "drift: 0.3,", "drift: 7.0,"))
    });
    assert!(std::fs::metadata(&p).unwrap().len() > 5_000_000);
    let at = pos_of(&std::fs::read_to_string(&p).unwrap(), "drift: 7.0");
    expect(
        d.as_path(),
        "personas/evader.ron",
        Some(at),
        "drift",
        "7 is out of range",
    );
    // Beyond the size limit the file is refused before parsing.
    std::fs::write(&p, "/".repeat(17 * 1024 * 1024)).unwrap();
    expect(
        d.as_path(),
        "personas/evader.ron",
        Some((1, 1)),
        "",
        "scenario files may be at most",
    );
}

#[test]
fn a_case_naming_an_unknown_persona_is_reported() {
    let (_t, d) = scenario_copy();
    let p = edit(d.as_path(), "cases/print_shop.ron", |t| {
        replace_once(t, "persona: \"evader\"", "persona: \"evadr\"")
    });
    let at = pos_of(&std::fs::read_to_string(p).unwrap(), "persona: \"evadr\"");
    expect(
        d.as_path(),
        "cases/print_shop.ron",
        Some(at),
        "persona",
        "unknown persona \"evadr\" (did you mean \"evader\"?)",
    );
}

#[test]
fn a_placeholder_without_a_value_is_reported() {
    let (_t, d) = scenario_copy();
    edit(d.as_path(), "cases/print_shop.ron", |t| {
        let start = t.find("        \"pay_date\"").unwrap();
        let end = start + t[start..].find('\n').unwrap() + 1;
        format!("{}{}", &t[..start], &t[end..])
    });
    fails_with(
        d.as_path(),
        &["`vars`", "uses {pay_date} but the case gives no value"],
    );
}

#[test]
fn an_empty_file_and_a_missing_required_file_are_reported() {
    let (_t, d) = scenario_copy();
    std::fs::write(d.as_path().join("cases/empty.ron"), "").unwrap();
    fails_with(d.as_path(), &["empty.ron:1:"]);
    let (_t, d) = scenario_copy();
    std::fs::remove_file(d.as_path().join("rubric.ron")).unwrap();
    fails_with(d.as_path(), &["rubric.ron", "cannot read"]);
}

#[test]
fn a_model_plan_outside_the_case_is_reported() {
    let (_t, d) = scenario_copy();
    let p = edit(d.as_path(), "cases/print_shop.ron", |t| {
        replace_once(
            t,
            "model_preparations: [\"books\", \"key_person\"]",
            "model_preparations: [\"books\", \"product_cleared\"]",
        )
    });
    let at = pos_of(&std::fs::read_to_string(p).unwrap(), "\"product_cleared\"]");
    expect(
        d.as_path(),
        "cases/print_shop.ron",
        Some(at),
        "model_preparations[1]",
        "unknown preparation of this case \"product_cleared\"",
    );
}

#[test]
fn a_single_file_is_checked_against_the_bundled_scenarios() {
    let d = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cases/print_shop.ron");
    let text = std::fs::read_to_string(src)
        .unwrap()
        .replace("id: \"print_shop\"", "id: \"print_shop_2\"")
        .replace("tactic: \"x\"", "");
    let good = d.path().join("my_case.ron");
    std::fs::write(&good, &text).unwrap();
    let out = run(&["validate", good.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = d.path().join("bad_case.ron");
    std::fs::write(
        &bad,
        text.replace("persona: \"evader\"", "persona: \"nobody\""),
    )
    .unwrap();
    let out = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad_case.ron:"));
}

/// Writes `text` as a script, plays it on the print shop, asserts exit 2; returns the message
/// and the script's path.
fn script_fails(dir: &Path, text: &str) -> (String, PathBuf) {
    let script = dir.join("s.ron");
    std::fs::write(&script, text).unwrap();
    let out = run(&[
        "play",
        "--case",
        "print_shop",
        "--script",
        script.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    (err, script)
}

#[test]
fn a_script_naming_a_missing_or_closed_choice_is_reported_at_its_entry() {
    let d = tempfile::tempdir().unwrap();
    let (err, script) = script_fails(
        d.path(),
        "Script(\n  preparations: [],\n  choices: [\n    (\"open_greet\", 3.0),\n    (\"facts_confrim\", 3.0),\n  ],\n)\n",
    );
    assert!(err.contains(&format!("{}:5:5:", script.display())), "{err}");
    assert!(
        err.contains("`choices[1]`") && err.contains("did you mean \"facts_confirm\""),
        "{err}"
    );

    let (err, _) = script_fails(d.path(), "Script(choices: [(\"close_settle\", 3.0)])");
    assert!(
        err.contains("not a line you can say now") && err.contains("open now: open_greet"),
        "{err}"
    );

    let (err, _) = script_fails(
        d.path(),
        "Script(preparations: [\"books\", \"routine\", \"key_person\"], choices: [])",
    );
    assert!(
        err.contains(":1:8:") && err.contains("3 preparations picked, but this case allows 2"),
        "{err}"
    );
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["play"][..],
        &["play", "--case", "print_shop", "--lang", "fr"],
        &["play", "--case", "print_shop", "--seed", "-1"],
        &["play", "--case", "print_shp"],
        &["frobnicate"],
        &["validate", "/nonexistent/file.ron"],
    ] {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"));
        assert!(!err.trim().is_empty());
    }
    let err = String::from_utf8_lossy(&run(&["play", "--case", "print_shp"]).stderr).into_owned();
    assert!(err.contains("did you mean \"print_shop\""), "{err}");
}

/// Each slip a Chinese-writing trainer makes most, in a copy of the bundled files: the exact
/// plain-language message in English and in Chinese, at the slip itself.
#[test]
fn common_slips_get_plain_messages_in_both_languages() {
    let slips: [(&str, &str, &str, &str, &str, &str); 6] = [
        (
            "cases/fastener_factory.ron",
            "amount: 86000,",
            "amount: 86,000,",
            "86,000",
            "numbers take no thousands separator: write 86,000 as 86000",
            "数字里不能有千位分隔符：把 86,000 写成 86000",
        ),
        (
            "personas/cash_strapped.ron",
            "drift: 0.25,",
            "drift: 0.25，",
            "，\n    traits",
            "this is a full-width comma `，`: punctuation in RON files must be ASCII; type `,` instead (switch the input method to English punctuation)",
            "这里是全角逗号“，”：RON 文件的标点要用半角（英文）符号，请改成“,”（把输入法切换到英文标点再输入）",
        ),
        (
            "personas/cash_strapped.ron",
            "id: \"no_cash\",",
            "id: “no_cash”,",
            "“no_cash”",
            "this is a curly quote `“`: texts go between straight quotes \"…\"; curly quotes may only appear inside a text",
            "这里是弯引号““”：文字要放在直引号 \"…\" 里（英文双引号）；弯引号只能出现在文字里面",
        ),
        (
            "lines.ron",
            "needs_prep: Some(\"balance_letter\"),",
            "needs_prep: \"balance_letter\",",
            "\"balance_letter\",",
            "`needs_prep` is optional, so a value is written Some(…): change \"balance_letter\" to Some(\"balance_letter\") (or delete the line when there is none)",
            "“needs_prep”是可选项，有值时要写成 Some(…)：把 \"balance_letter\" 改成 Some(\"balance_letter\")（不需要时整行删掉）",
        ),
        (
            "personas/cash_strapped.ron",
            "en: \"It's not that I won't pay. There's genuinely no cash: our own customers haven't paid us.\"),",
            "),",
            "",
            "`text` of entry \"no_cash\" has no English (en): every text needs both languages, e.g. (zh: \"…\", en: \"…\")",
            "条目 \"no_cash\" 的“text”缺少英文（en）：每段文字都要写两种语言，例如 (zh: \"…\", en: \"…\")",
        ),
        (
            "personas/cash_strapped.ron",
            "baseline: (pleasure: -0.1, arousal: 0.3, dominance: -0.3),",
            "baseline: (pleasure: -0.1, arousal: 0.3, dominance: -0.3,",
            "(pleasure",
            "the `(` opened at 10:15 is not closed on its line, and the next line is not indented further: a `)` is probably missing at the end of line 10",
            "第 10 行第 15 列的“(”在这一行没有配对的“)”，下一行也没有缩进得更深：大概是这一行末尾少了一个“)”",
        ),
    ];
    for (rel, from, to, spot, en, zh) in slips {
        let (_t, d) = scenario_copy();
        let p = edit(d.as_path(), rel, |t| replace_once(t, from, to));
        let text = std::fs::read_to_string(&p).unwrap();
        let (code, stderr) = validate(d.as_path());
        assert_eq!(code, 2, "{stderr}");
        if !spot.is_empty() {
            let (line, col) = pos_of(&text, spot);
            let at = format!("{}:{line}:{col}:", p.display());
            assert!(
                stderr.contains(&at),
                "{rel}: expected the slip at {at} in:\n{stderr}"
            );
        }
        assert!(stderr.contains(en), "{rel}: expected {en:?} in:\n{stderr}");
        let out = run(&["validate", d.to_str().unwrap(), "--lang", "zh"]);
        let zh_err = String::from_utf8_lossy(&out.stderr);
        assert!(zh_err.contains(zh), "{rel}: expected {zh:?} in:\n{zh_err}");
    }
}

/// An id typed as the name the screens show (in either language) gets the real id and the
/// list of valid ones, not just "unknown".
#[test]
fn a_display_name_typed_for_an_id_gets_the_id() {
    for typed in ["giving_face", "Giving face", "给面子"] {
        let (_t, d) = scenario_copy();
        edit(d.as_path(), "lines.ron", |t| {
            replace_once(
                t,
                "(id: \"purpose_face\", tactic: \"face\"",
                &format!("(id: \"purpose_face\", tactic: \"{typed}\""),
            )
        });
        let err = fails_with(
            d.as_path(),
            &[&format!(
                "\"{typed}\" is the name the screens show for tactic \"face\"; files use its id: write \"face\" (valid ids: "
            )],
        );
        assert!(err.contains("praise") && err.contains("pressure"), "{err}");
        let out = run(&["validate", d.to_str().unwrap(), "--lang", "zh"]);
        let zh = String::from_utf8_lossy(&out.stderr);
        assert!(
            zh.contains(&format!(
                "“{typed}”是界面上显示的名称，文件里要写它的 id：“face”"
            )),
            "{zh}"
        );
    }
}
