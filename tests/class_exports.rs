//! Results the company can keep (issue 23, part 4): the CSV a spreadsheet or learning system
//! imports, and xAPI statements sent to a real learning record store; and the class debrief a
//! trainer reads and keeps (part 3).

mod common;

use common::*;
use serde_json::Value;
use sim::autoplay;
use std::path::Path;

/// Joins `name` to the class and submits the model's meeting as them; returns their token.
fn play_as(base: &str, code: &str, name: &str, key: &str) -> String {
    let token = join_token(&format!("{base}/api/sessions/{code}/join"), name);
    let n = autoplay::model(&bundle("print_shop"), 3);
    let (st, v) = post_raw_as(
        &format!("{base}/api/sessions/{code}/results"),
        &submission(key, name, &n),
        Some(&token),
    );
    assert_eq!(st, 201, "{v}");
    token
}

fn admin_get(url: &str, admin: &str) -> String {
    let mut r = http()
        .get(url)
        .header("Authorization", format!("Bearer {admin}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{url}");
    r.body_mut().read_to_string().unwrap()
}

/// The CSV as (header, rows) of string cells.
fn csv_table(base: &str, code: &str, admin: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = admin_get(&format!("{base}/api/sessions/{code}/results.csv"), admin);
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let k = header.iter().position(|h| h == column).unwrap_or_else(|| {
        panic!("no column {column} in {header:?}");
    });
    &row[k]
}

/// One column per rubric item with the item's points; a trainee id that stays with the trainee
/// through a rename and a reset; times in ISO 8601 to the second.
#[test]
fn the_csv_has_a_column_per_rubric_item_a_stable_trainee_id_and_iso_times() {
    let srv = class_server();
    let (code, admin) = new_session(&srv.base, "print_shop", 3);
    play_as(&srv.base, &code, "Lin Yu", "exports-csv-1");
    play_as(&srv.base, &code, "Wang Wei", "exports-csv-2");
    let (header, rows) = csv_table(&srv.base, &code, &admin);
    let summary = sim::result::Summary::of(&autoplay::model(&bundle("print_shop"), 3));
    assert!(!summary.items.is_empty());
    for item in &summary.items {
        let column = format!("item:{}", item.id);
        for row in &rows {
            assert_eq!(cell(&header, row, &column), format!("{:.1}", item.points));
        }
    }
    assert!(!header.contains(&"items".to_owned()), "{header:?}");
    let time = cell(&header, &rows[0], "time_utc");
    assert!(
        time.len() == 20 && time.as_bytes()[10] == b'T' && time.ends_with('Z'),
        "ISO 8601 with seconds: {time}"
    );
    let id_of = |rows: &[Vec<String>], name: &str| -> String {
        let row = rows
            .iter()
            .find(|r| cell(&header, r, "trainee") == name)
            .unwrap_or_else(|| panic!("{name} in {rows:?}"));
        cell(&header, row, "trainee_id").to_owned()
    };
    let (lin, wang) = (id_of(&rows, "Lin Yu"), id_of(&rows, "Wang Wei"));
    assert!(!lin.is_empty() && lin != wang, "{lin} {wang}");

    // Renamed and reset, Lin Yu is still the same trainee to a learning system.
    let manage = |path: &str, body: &str| {
        let url = format!("{}/api/sessions/{code}/trainees/{path}", srv.base);
        assert_eq!(post_raw_as(&url, body, Some(&admin)).0, 200, "{path}");
    };
    manage("Lin%20Yu/rename", r#"{"to": "Lin Y."}"#);
    manage("Lin%20Y./reset", "{}");
    play_as(&srv.base, &code, "Lin Y.", "exports-csv-3");
    let (header2, rows2) = csv_table(&srv.base, &code, &admin);
    assert_eq!(header2, header);
    assert_eq!(rows2.len(), 3);
    for row in rows2
        .iter()
        .filter(|r| cell(&header, r, "trainee") == "Lin Y.")
    {
        assert_eq!(cell(&header, row, "trainee_id"), lin);
    }
    assert_eq!(id_of(&rows2, "Wang Wei"), wang);
}

/// The statements the server gives: one per attempt, with the actor's stable id, the case as
/// the activity, the score, and every rubric item as a result extension.
#[test]
fn every_attempt_is_one_xapi_statement() {
    let srv = class_server();
    let (code, admin) = new_session(&srv.base, "print_shop", 3);
    play_as(&srv.base, &code, "王伟", "exports-xapi-1");
    let url = format!("{}/api/sessions/{code}/statements", srv.base);
    assert_eq!(
        http().get(&url).call().unwrap().status().as_u16(),
        401,
        "the statements need the admin token"
    );
    // The trainer's reads all need this class's admin token: 401 without, 403 with another's.
    let (_, other) = new_session(&srv.base, "print_shop", 3);
    for what in ["statements", "room", "debrief", "results.csv"] {
        let u = format!("{}/api/sessions/{code}/{what}", srv.base);
        assert_eq!(
            http().get(&u).call().unwrap().status().as_u16(),
            401,
            "{what}"
        );
        let wrong = http()
            .get(&u)
            .header("Authorization", format!("Bearer {other}"))
            .call()
            .unwrap();
        assert_eq!(wrong.status().as_u16(), 403, "{what}");
    }
    let all: Vec<Value> = serde_json::from_str(&admin_get(&url, &admin)).unwrap();
    assert_eq!(all.len(), 1);
    let s = &all[0];
    let summary = sim::result::Summary::of(&autoplay::model(&bundle("print_shop"), 3));
    assert_eq!(s["actor"]["name"], "王伟");
    assert_eq!(s["actor"]["account"]["homePage"], srv.base.as_str());
    assert_eq!(s["verb"]["id"], "http://adlnet.gov/expapi/verbs/completed");
    assert_eq!(
        s["object"]["id"],
        format!("{}/cases/print_shop", srv.base).as_str()
    );
    assert_eq!(s["result"]["score"]["raw"].as_f64(), Some(summary.score));
    assert_eq!(s["result"]["success"], true, "the model passes");
    for item in &summary.items {
        let key = format!("{}/xapi/rubric/{}", srv.base, item.id);
        assert_eq!(s["result"]["extensions"][&key].as_f64(), Some(item.points));
    }
    // Exported again, the same attempt has the same id (a record store keeps it once).
    let again: Vec<Value> = serde_json::from_str(&admin_get(&url, &admin)).unwrap();
    assert_eq!(again[0]["id"], s["id"]);
}

/// A learning record store on loopback: ralph (`ralph-malph`, file-system backend) from the
/// virtual environment `RALPH_VENV` (`.ci/run` installs it), stopped with its process group.
struct Ralph {
    venv: std::path::PathBuf,
    server: std::process::Child,
    url: String,
    _dir: tempfile::TempDir,
}

const LRS_USER: &str = "exporter";
const LRS_PASSWORD: &str = "s3cret-for-tests";

impl Ralph {
    /// Ralph started and answering, or `None` (with why) when it is not installed here.
    fn start() -> Option<Ralph> {
        let venv = std::path::PathBuf::from(std::env::var_os("RALPH_VENV")?);
        let ralph = venv.join("bin/ralph");
        if !ralph.exists() {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let env = |c: &mut std::process::Command| {
            c.env("RALPH_APP_DIR", dir.path().join("app"))
                .env("RALPH_AUTH_FILE", dir.path().join("app/auth.json"))
                .env("RALPH_RUNSERVER_BACKEND", "fs")
                .env(
                    "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH",
                    dir.path().join("data"),
                );
        };
        let mut auth = std::process::Command::new(&ralph);
        env(&mut auth);
        auth.args(["auth", "-u", LRS_USER, "-p", LRS_PASSWORD])
            .args(["-s", "statements/write", "-s", "statements/read"])
            .args([
                "-A",
                "dunning-dojo-tests",
                "http://127.0.0.1",
                "-N",
                "Exporter",
                "-w",
            ]);
        let out = auth.output().unwrap();
        assert!(out.status.success(), "ralph auth: {out:?}");
        // runserver reloads on file changes under its working folder: give it an empty one.
        let cwd = dir.path().join("cwd");
        std::fs::create_dir_all(&cwd).unwrap();
        let mut cmd = std::process::Command::new(&ralph);
        env(&mut cmd);
        use std::os::unix::process::CommandExt;
        let server = cmd
            .args([
                "runserver",
                "-b",
                "fs",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .current_dir(&cwd)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let mut r = Ralph {
            venv,
            server,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        r.wait_ready();
        Some(r)
    }

    fn wait_ready(&mut self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let beat = format!("{}/__heartbeat__", self.url);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.server.try_wait() {
                panic!("ralph exited: {status}");
            }
            if http().get(&beat).call().is_ok_and(|r| r.status() == 200) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("ralph did not answer at {beat} within 60 s");
    }

    /// Every statement the store holds.
    fn statements(&self) -> Vec<Value> {
        use base64::Engine;
        let auth =
            base64::engine::general_purpose::STANDARD.encode(format!("{LRS_USER}:{LRS_PASSWORD}"));
        let mut r = http()
            .get(&format!("{}/xAPI/statements?limit=500", self.url))
            .header("Authorization", format!("Basic {auth}"))
            .header("X-Experience-API-Version", "1.0.3")
            .call()
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        v["statements"].as_array().unwrap().clone()
    }

    /// Checks each line of `file` against ralph's strict xAPI 1.0.x statement model.
    fn validate(&self, file: &std::path::Path) -> std::process::Output {
        const CHECK: &str = "import sys\n\
            from ralph.models.xapi.base.statements import BaseXapiStatement\n\
            for n, line in enumerate(open(sys.argv[1], encoding='utf-8'), 1):\n\
            \x20   BaseXapiStatement.model_validate_json(line)\n\
            \x20   print(f'statement {n}: valid xAPI 1.0.3')\n";
        std::process::Command::new(self.venv.join("bin/python"))
            .args(["-c", CHECK])
            .arg(file)
            .output()
            .unwrap()
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        // runserver forks a reloader and workers: stop the whole group (its data is temporary).
        if let Ok(group) = i32::try_from(self.server.id()) {
            // SAFETY: killpg only sends a signal; the group is the child's own (process_group(0)).
            unsafe { libc::killpg(group, libc::SIGKILL) };
        }
        let _ = self.server.wait();
    }
}

/// `class export --xapi FILE --lrs URL`: the statements pass ralph's xAPI model, reach a real
/// record store with its credentials, read back as sent, and a second export stores nothing
/// twice.
#[test]
fn statements_reach_a_learning_record_store_and_read_back() {
    let Some(lrs) = Ralph::start() else {
        assert!(
            std::env::var_os("REQUIRE_RALPH").is_none(),
            "REQUIRE_RALPH is set but ralph is not installed in RALPH_VENV"
        );
        eprintln!("skipped: no ralph (set RALPH_VENV to a virtual environment with ralph-malph)");
        return;
    };
    let srv = class_server();
    let (code, admin) = new_session(&srv.base, "print_shop", 3);
    play_as(&srv.base, &code, "王伟", "lrs-attempt-1");
    play_as(&srv.base, &code, "Lin Yu", "lrs-attempt-2");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("statements.jsonl");
    let export = || export_to_lrs(&srv.base, &code, &admin, &file, &lrs);
    let first = export();
    println!("{first}");
    assert!(first.contains("wrote 2 xAPI statements"), "{first}");
    assert!(
        first.contains("the store took them (2 ids acknowledged)"),
        "{first}"
    );

    let checked = lrs.validate(&file);
    let said = String::from_utf8_lossy(&checked.stdout);
    println!("{said}{}", String::from_utf8_lossy(&checked.stderr));
    assert!(
        checked.status.success() && said.lines().count() == 2,
        "{said}"
    );

    show_ralphs_own_validator(&lrs, &file);
    assert_read_back_as_sent(&file, &lrs);

    let second = export();
    assert!(second.contains("had every one already"), "{second}");
    assert_eq!(lrs.statements().len(), 2, "nothing stored twice");

    wrong_password_is_refused(&srv.base, &code, &admin, &lrs);
}

/// `class export --xapi FILE --lrs …` with the password from the environment; its output.
fn export_to_lrs(base: &str, code: &str, admin: &str, file: &Path, lrs: &Ralph) -> String {
    let out = dojo("en_GB.UTF-8")
        .args(["class", "export", "--server", base, "--code", code])
        .args(["--token", admin, "--xapi", file.to_str().unwrap()])
        .args([
            "--lrs",
            &format!("{}/xAPI/", lrs.url),
            "--lrs-user",
            LRS_USER,
        ])
        .env("DUNNING_DOJO_LRS_PASSWORD", LRS_PASSWORD)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// ralph's own validator knows only its built-in statement profiles (video, LMS, …): a
/// simulation statement is "unknown" to it, which it reports without failing. Shown for the
/// record; the strict check (`Ralph::validate`) is the one asserted.
fn show_ralphs_own_validator(lrs: &Ralph, file: &Path) {
    let unknown = std::process::Command::new(lrs.venv.join("bin/ralph"))
        .args(["validate", "-f", "xapi"])
        .stdin(std::fs::File::open(file).unwrap())
        .output()
        .unwrap();
    println!(
        "ralph validate -f xapi: exit {:?}; {}",
        unknown.status.code(),
        String::from_utf8_lossy(&unknown.stderr)
            .lines()
            .last()
            .unwrap_or("")
    );
}

/// The store holds exactly the statements written to `file`, each read back as sent, with
/// both trainees' names.
fn assert_read_back_as_sent(file: &Path, lrs: &Ralph) {
    let written: Vec<Value> = std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stored = lrs.statements();
    assert_eq!(stored.len(), 2, "{stored:?}");
    for w in &written {
        let s = stored
            .iter()
            .find(|s| s["id"] == w["id"])
            .unwrap_or_else(|| panic!("{} not in the store", w["id"]));
        for part in ["actor", "verb", "object", "result", "timestamp"] {
            assert_eq!(s[part], w[part], "{part} read back as sent");
        }
    }
    let names: Vec<&str> = stored
        .iter()
        .filter_map(|s| s["actor"]["name"].as_str())
        .collect();
    assert!(
        names.contains(&"王伟") && names.contains(&"Lin Yu"),
        "{names:?}"
    );
}

/// A wrong record-store password is the store's refusal, told with its status.
fn wrong_password_is_refused(base: &str, code: &str, admin: &str, lrs: &Ralph) {
    let out = dojo("en_GB.UTF-8")
        .args(["class", "export", "--server", base, "--code", code])
        .args(["--token", admin, "--lrs", &format!("{}/xAPI/", lrs.url)])
        .args(["--lrs-user", LRS_USER, "--lrs-password", "wrong"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("(401)"), "{err}");
}

/// `class export --debrief FILE`: the class debrief as the trainer gets it.
fn export_debrief(base: &str, code: &str, admin: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("debrief.json");
    let out = dojo("en_GB.UTF-8")
        .args([
            "class", "export", "--server", base, "--code", code, "--token", admin,
        ])
        .args(["--debrief", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

/// The class debrief counts each trainee once (by their best attempt): per rubric item how many
/// earned it, the course rules broken with the turn they usually break on, and each trainee's
/// costliest turn with a better line that is worth no more than the points they left.
#[test]
fn the_class_debrief_counts_each_trainee_by_their_best_attempt() {
    use sim::rubric::score;
    let srv = class_server();
    let (code, admin) = new_session(&srv.base, "print_shop", 3);
    let b = bundle("print_shop");
    let url = format!("{}/api/sessions/{code}/results", srv.base);
    let players = [
        ("Model", autoplay::model(&b, 3)),
        ("Pressure", autoplay::always_pressure(&b, 3)),
        ("Random", autoplay::random_player(&b, 3, 5)),
    ];
    for (k, (name, n)) in players.iter().enumerate() {
        let (st, v) = post_raw(&url, &submission(&format!("debrief-{k:04}"), name, n));
        assert_eq!(st, 201, "{v}");
    }
    // A second, worse attempt by Model changes nothing: the debrief reads each best attempt.
    let (st, _) = post_raw(&url, &submission("debrief-0009", "Model", &players[2].1));
    assert_eq!(st, 201);
    let d = export_debrief(&srv.base, &code, &admin);
    assert_eq!(
        (d["trainees"].as_u64(), d["attempts"].as_u64()),
        (Some(3), Some(4))
    );

    let scored: Vec<_> = players.iter().map(|(_, n)| score(n)).collect();
    for (k, item) in d["items"].as_array().unwrap().iter().enumerate() {
        let earned = scored
            .iter()
            .filter(|s| s.items[k].arose && !s.items[k].missed)
            .count();
        assert_eq!(item["passed"].as_u64(), Some(earned as u64), "{item}");
    }
    let broken: usize = players.iter().map(|(_, n)| n.conduct.broken.len()).sum();
    let counted: u64 = d["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["times"].as_u64().unwrap())
        .sum();
    assert_eq!(
        counted, broken as u64,
        "every break of the best attempts is counted once"
    );
    assert!(broken > 0, "always-pressure breaks the course");
    for r in d["rules"].as_array().unwrap() {
        assert!(r["usual_turn"].as_u64().unwrap() >= 1, "{r}");
    }
    let costly = d["costliest"].as_array().unwrap();
    assert!(!costly.is_empty());
    for c in costly {
        let lost = c["lost"].as_f64().unwrap();
        let left = 100.0 - c["score"].as_f64().unwrap();
        assert!(
            lost > 0.0 && lost <= left + 0.05,
            "a turn cannot cost more than the points left: {c}"
        );
        assert!(
            !c["better"]["zh"].as_str().unwrap().is_empty()
                && !c["better"]["en"].as_str().unwrap().is_empty()
        );
    }
    assert!(
        costly.iter().all(|c| c["trainee"] != "Model"
            || c["score"].as_f64() == Some(sim::result::Summary::of(&players[0].1).score)),
        "Model's costliest turn is from their best attempt"
    );
}
