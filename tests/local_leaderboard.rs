//! The local leaderboard: finished meetings are recorded with their inputs and score, ranked per
//! case, printed and exported; a corrupt, foreign or locked database gets a clear message and is
//! never replaced.

mod common;

use authoring::script_file::ScriptFile;
use common::*;
use sim::autoplay;
use sim::result::Summary;
use std::process::Output;
use store::{LocalBoard, StoreError};

fn run(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut cmd = dojo("en_US.UTF-8");
    cmd.args(args).env("DUNNING_DOJO_DATA_DIR", data);
    run_with_input(cmd, stdin)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn results_are_ranked_per_case_with_inputs_that_replay() {
    let dir = tempfile::tempdir().unwrap();
    let mut board = LocalBoard::open(&dir.path().join("r.sqlite3")).unwrap();
    let fastener = bundle("fastener_factory");
    let print = bundle("print_shop");
    let model = autoplay::model(&fastener, 7);
    let pressure = autoplay::always_pressure(&fastener, 7);
    board.record("Pressure Pat", &pressure, None).unwrap();
    board.record("王伟", &model, Some("K7QX2M")).unwrap();
    board.record("Twin", &model, None).unwrap();
    board
        .record("Printer", &autoplay::model(&print, 2), None)
        .unwrap();

    let all = board.ranked(None).unwrap();
    assert_eq!(all.len(), 4);
    let fast: Vec<_> = board.ranked(Some("fastener_factory")).unwrap();
    let order: Vec<(usize, &str)> = fast
        .iter()
        .map(|r| (r.rank, r.entry.trainee.as_str()))
        .collect();
    assert_eq!(
        order,
        [(1, "王伟"), (1, "Twin"), (3, "Pressure Pat")],
        "ties share a rank"
    );
    let top = &fast[0].entry;
    assert_eq!(top.summary, Summary::of(&model));
    assert_eq!(top.class_code.as_deref(), Some("K7QX2M"));
    // The stored inputs replay to the stored score.
    let replayed = top.inputs.replay(fastener.clone(), top.seed).unwrap();
    assert_eq!(Summary::of(&replayed).score, top.summary.score);
    assert_eq!(board.ranked(Some("print_shop")).unwrap()[0].rank, 1);
}

/// `leaderboard --csv` writes the header and Lin Yu's row; a misspelt case gets a suggestion
/// and exit 2.
fn exports_the_csv_and_refuses_a_misspelt_case(data: &std::path::Path) {
    let csv = data.join("out.csv");
    let exported = run(data, &["leaderboard", "--csv", csv.to_str().unwrap()], "");
    assert!(exported.status.success());
    let body = std::fs::read_to_string(&csv).unwrap();
    let mut lines = body.lines();
    let header = lines.next().unwrap();
    assert!(
        header.contains("case,rank,trainee,trainee_id,score") && header.contains(",item:"),
        "{header}"
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with("print_shop,1,Lin Yu,"), "{row}");

    let unknown = run(data, &["leaderboard", "--case", "print_shopp"], "");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("did you mean \"print_shop\""),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn terminal_play_is_recorded_and_the_leaderboard_prints_and_exports_it() {
    let data = tempfile::tempdir().unwrap();
    let script = data.path().join("s.ron");
    let out = run(
        data.path(),
        &[
            "play",
            "--case",
            "print_shop",
            "--seed",
            "3",
            "--auto",
            "model",
            "--record",
            script.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // An automatic player is not a trainee: nothing is recorded.
    let empty = run(data.path(), &["leaderboard"], "");
    assert!(
        text(&empty.stdout).contains("No results yet"),
        "{}",
        text(&empty.stdout)
    );

    let (src, s) = sim::script::Script::load(&script).unwrap();
    let n = s.play(&src, bundle("print_shop"), 3).unwrap();
    assert!(n.is_over());
    let played = run(
        data.path(),
        &[
            "play",
            "--case",
            "print_shop",
            "--seed",
            "3",
            "--name",
            "Lin Yu",
            "--script",
            script.to_str().unwrap(),
            "--join",
            "http://127.0.0.1:9/ABCDEF",
        ],
        "",
    );
    assert_eq!(played.status.code(), Some(2), "--join and --case conflict");

    let mut board = LocalBoard::open(&data.path().join("results.sqlite3")).unwrap();
    board.record("Lin Yu", &n, None).unwrap();
    drop(board);
    let shown = run(data.path(), &["leaderboard", "--case", "print_shop"], "");
    let stdout = text(&shown.stdout);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    assert!(
        stdout.contains("Lin Yu") && stdout.contains(&format!("{:.1}", Summary::of(&n).score)),
        "{stdout}"
    );

    exports_the_csv_and_refuses_a_misspelt_case(data.path());
}

#[test]
fn an_interactive_terminal_meeting_lands_on_the_leaderboard() {
    let data = tempfile::tempdir().unwrap();
    // No preparations, then the same line until the meeting ends.
    let answers = format!("\n{}", same_line_answers("fastener_factory", 80));
    let out = run(
        data.path(),
        &[
            "play",
            "--case",
            "fastener_factory",
            "--seed",
            "5",
            "--name",
            "Quinn",
        ],
        &answers,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows = LocalBoard::open(&data.path().join("results.sqlite3"))
        .unwrap()
        .ranked(None)
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entry.trainee, "Quinn");
    assert_eq!(rows[0].entry.seed, 5);
    // What was stored replays to what was stored.
    let e = &rows[0].entry;
    let n = e.inputs.replay(bundle("fastener_factory"), 5).unwrap();
    assert_eq!(Summary::of(&n), e.summary);
}

#[test]
fn a_corrupt_or_foreign_database_is_reported_and_left_untouched() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("results.sqlite3");
    let garbage = b"this is not a database, it is a shopping list: rice, tea, ink".repeat(100);
    std::fs::write(&db, &garbage).unwrap();
    let out = run(data.path(), &["leaderboard"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(&db.display().to_string()) && err.contains("left untouched"),
        "{err}"
    );
    // A finished meeting cannot be saved there either, and says so; the file is unchanged.
    let answers = format!("\n{}", same_line_answers("fastener_factory", 80));
    let played = run(
        data.path(),
        &["play", "--case", "fastener_factory", "--name", "Q"],
        &answers,
    );
    assert!(
        text(&played.stderr).contains("not saved on the local leaderboard"),
        "{}",
        text(&played.stderr)
    );
    assert_eq!(std::fs::read(&db).unwrap(), garbage, "never replaced");

    // Another program's SQLite file.
    let foreign = data.path().join("other.sqlite3");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    match LocalBoard::open(&foreign) {
        Err(StoreError::Foreign { .. }) => {}
        other => panic!("expected Foreign, got {:?}", other.err()),
    }
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
}

#[test]
fn a_locked_database_is_reported_not_waited_on_forever() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let mut board = LocalBoard::open(&path).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let n = autoplay::model(&bundle("print_shop"), 1);
    match board.record("Lock", &n, None) {
        Err(e @ StoreError::Locked { .. }) => {
            assert!(e.to_string().contains("locked by another program"), "{e}");
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    other.execute_batch("ROLLBACK;").unwrap();
    board.record("Lock", &n, None).unwrap();
    assert_eq!(
        board.ranked(None).unwrap().len(),
        1,
        "nothing was lost or doubled"
    );
}
