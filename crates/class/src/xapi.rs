//! Results as xAPI 1.0.3 statements, for the company's learning record store: one statement
//! per attempt, "<trainee> completed <the case>", with the score, whether it passed, how long
//! the trainee thought, and each rubric item's points as a result extension.
//!
//! Every IRI is under the server's public address (`serve --public-url`), so the same case on
//! the same server is the same activity in every export, and the statement id is derived from
//! the class and the result, so exporting twice never counts an attempt twice.

use serde_json::{Value, json};
use sim::hash::{FNV_OFFSET, fnv1a};
use sim::scenario::Rubric;
use sim::text::Text;
use store::class::{ClassInfo, StoredResult};
use store::sqlite::iso_utc;

/// The xAPI version the statements follow (sent as `X-Experience-API-Version`).
pub const VERSION: &str = "1.0.3";
const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const SIMULATION: &str = "http://adlnet.gov/expapi/activities/simulation";

/// What every statement of one class shares.
pub struct ClassContext<'a> {
    /// `http://HOST:PORT`, no trailing slash.
    pub base: &'a str,
    pub class: &'a ClassInfo,
    pub title: &'a Text,
    pub rubric: &'a Rubric,
}

/// One attempt.
pub struct Attempt<'a> {
    pub result: &'a StoredResult,
    pub trainee_id: &'a str,
}

/// The statement for one attempt.
pub fn statement(cx: &ClassContext, a: &Attempt) -> Value {
    let base = cx.base;
    let r = a.result;
    let s = &r.summary;
    let mut items = serde_json::Map::new();
    for i in &s.items {
        items.insert(format!("{base}/xapi/rubric/{}", i.id), json!(i.points));
    }
    items.insert(format!("{base}/xapi/grade"), json!(s.grade));
    items.insert(format!("{base}/xapi/outcome"), json!(s.outcome));
    items.insert(format!("{base}/xapi/turns"), json!(s.turns));
    json!({
        "id": statement_id(&cx.class.code, r.id),
        "actor": {
            "objectType": "Agent",
            "name": r.trainee,
            "account": { "homePage": base, "name": a.trainee_id },
        },
        "verb": { "id": COMPLETED, "display": { "en-US": "completed", "zh-CN": "完成" } },
        "object": {
            "objectType": "Activity",
            "id": format!("{base}/cases/{}", cx.class.case_id),
            "definition": {
                "type": SIMULATION,
                "name": { "zh-CN": cx.title.zh, "en-US": cx.title.en },
            },
        },
        "result": {
            "score": { "scaled": (s.score / 100.0).clamp(0.0, 1.0), "raw": s.score, "min": 0, "max": 100 },
            "success": passed(cx.rubric, s.score),
            "completion": s.outcome != "unfinished",
            "duration": duration(s.thinking_seconds),
            "extensions": items,
        },
        "context": {
            "platform": "dunning-dojo",
            "extensions": {
                format!("{base}/xapi/class"): cx.class.code,
                format!("{base}/xapi/seed"): cx.class.seed,
            },
        },
        "timestamp": iso_utc(r.submitted_at),
    })
}

/// Passed: graded at least the rubric's second grade (B in the bundled rubric), the level the
/// course calls following it; a rubric with one grade or none passes every score.
pub fn passed(rubric: &Rubric, score: f64) -> bool {
    rubric.grades.get(1).is_none_or(|g| score >= g.min)
}

/// `PT4M12.5S`: an ISO 8601 duration, to the tenth of a second.
pub fn duration(seconds: f64) -> String {
    let tenths = (seconds.max(0.0) * 10.0).round() as u64;
    let (h, rest) = (tenths / 36_000, tenths % 36_000);
    let (m, t) = (rest / 600, rest % 600);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if t % 10 == 0 {
        out.push_str(&format!("{}S", t / 10));
    } else {
        out.push_str(&format!("{}.{}S", t / 10, t % 10));
    }
    out
}

/// A UUID for the result `id` of class `code`: always the same for the same attempt, laid out
/// as a version-8 (custom) UUID. FNV-1a over the two, twice with different offsets, gives the
/// 128 bits; it only needs to be unique, not secret.
pub fn statement_id(code: &str, id: i64) -> String {
    let key = format!("dunning-dojo/{code}/{id}");
    let hi = fnv1a(FNV_OFFSET, key.as_bytes());
    let lo = fnv1a(0x6c62_272e_07bb_0142, key.as_bytes());
    // Version 8 in the high nibble of the 7th byte; variant 10xx in the 9th.
    let hi = (hi & !0xf000) | 0x8000;
    let lo = (lo & !(0xc0 << 56)) | (0x80 << 56);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(duration(0.0), "PT0S");
        assert_eq!(duration(252.5), "PT4M12.5S");
        assert_eq!(duration(3600.0), "PT1H0S");
        assert_eq!(duration(59.96), "PT1M0S");
    }

    #[test]
    fn statement_ids_are_stable_distinct_uuids() {
        let a = statement_id("ABC123", 1);
        assert_eq!(a, statement_id("ABC123", 1));
        assert_ne!(a, statement_id("ABC123", 2));
        assert_ne!(a, statement_id("ABC124", 1));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('8'), "{a}");
        assert!(matches!(parts[3].chars().next(), Some('8'..='b')), "{a}");
    }
}
