//! Results the company can keep (issue 23, part 4): the CSV a spreadsheet or learning system
//! imports, and xAPI statements sent to a real learning record store.

mod common;

use common::*;
use serde_json::Value;
use sim::autoplay;

/// Joins `name` to the class and submits the model's meeting as them; returns their token.
fn play_as(base: &str, code: &str, name: &str, key: &str) -> String {
    let join = format!("{base}/api/sessions/{code}/join");
    let (st, v) = post_raw_as(
        &join,
        &serde_json::json!({ "trainee": name }).to_string(),
        None,
    );
    assert_eq!(st, 201, "{v}");
    let token = v["token"].as_str().unwrap().to_owned();
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
    for row in rows2.iter().filter(|r| cell(&header, r, "trainee") == "Lin Y.") {
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
