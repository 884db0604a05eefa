//! The class server's JSON API: request and answer bodies, shared by the server and its
//! clients (`class new`, `play --join`, the game). Documented in the README.

use crate::engine::script::Script;
use crate::engine::text::Text;
use serde::{Deserialize, Serialize};

/// `POST /api/sessions`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// The case id.
    pub case: String,
    /// The seed everyone plays; random when absent.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Results are refused this many minutes after creation.
    #[serde(default)]
    pub deadline_minutes: Option<u32>,
}

/// The answer to `POST /api/sessions` (201).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Created {
    /// Needed for the CSV export and closing the session; shown once, keep it.
    pub admin_token: String,
    #[serde(flatten)]
    pub session: SessionView,
}

/// `GET /api/sessions/{code}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub code: String,
    pub case: String,
    pub seed: u64,
    pub title: Text,
    /// Unix seconds after which results are refused.
    pub deadline: Option<i64>,
    /// Whether results are accepted now.
    pub open: bool,
}

/// `POST /api/sessions/{code}/join`: a trainee takes a name in the class.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Join {
    pub trainee: String,
}

/// The answer to a join (201): the name as the board shows it, and the token that submits
/// under it (`Authorization: Bearer TOKEN`). Shown once; the clients keep it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Joined {
    pub trainee: String,
    pub token: String,
    pub session: SessionView,
}

/// `POST /api/prune` (trainer): delete sessions opened more than this many days ago.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prune {
    pub older_than_days: u32,
}

/// What a prune deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pruned {
    pub sessions: u64,
    pub results: u64,
}

/// One line said: its id and the seconds the trainee took to choose it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Said {
    pub line: String,
    pub seconds: f64,
}

/// `POST /api/sessions/{code}/results`: the inputs of one attempt, never a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Chosen by the client, once per attempt (8–64 of `A-Z a-z 0-9 _ -`); resending the same
    /// attempt with the same key does not store it twice.
    pub idempotency_key: String,
    pub trainee: String,
    #[serde(default)]
    pub preparations: Vec<String>,
    pub choices: Vec<Said>,
}

impl Submission {
    /// The submission for a played meeting's script, with a fresh idempotency key.
    pub fn of(trainee: &str, script: &Script) -> Result<Submission, getrandom::Error> {
        Ok(Submission {
            idempotency_key: random_token(16)?,
            trainee: trainee.to_owned(),
            preparations: script.preparations.clone(),
            choices: script
                .choices
                .iter()
                .map(|(line, seconds)| Said {
                    line: line.clone(),
                    seconds: *seconds,
                })
                .collect(),
        })
    }

    pub fn script(&self) -> Script {
        Script {
            preparations: self.preparations.clone(),
            choices: self
                .choices
                .iter()
                .map(|s| (s.line.clone(), s.seconds))
                .collect(),
        }
    }
}

/// The answer to a submission: the score the server computed (201 new, 200 repeated key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: i64,
    pub trainee: String,
    pub score: f64,
    pub grade: String,
    pub outcome: String,
    /// Rank of this attempt among the session's attempts (1 = best).
    pub rank: u64,
    pub of: u64,
    /// True when this key had been submitted before and nothing new was stored.
    pub repeat: bool,
}

/// `GET /api/sessions/{code}/leaderboard`: each trainee's best attempt, and the class's tactics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub code: String,
    pub case: String,
    pub title: Text,
    pub open: bool,
    pub attempts: u64,
    pub rows: Vec<BoardRow>,
    pub tactics: Vec<TacticRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    /// Equal scores share a rank.
    pub rank: u64,
    pub trainee: String,
    pub score: f64,
    pub grade: String,
    pub outcome: String,
    pub attempts: u64,
}

/// How the class used one tactic family, for the trainer's debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TacticRow {
    pub tactic: String,
    pub name: Text,
    /// Attempts that used it at least once.
    pub attempts: u64,
    /// Times it was used over all attempts.
    pub uses: u64,
    /// Mean score of the attempts that used it, and of those that did not.
    pub mean_with: Option<f64>,
    pub mean_without: Option<f64>,
}

/// Every error answer: `{"error": "…"}` with a 4xx or 5xx status.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_token(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// The outcome names, for pages and terminals.
pub fn outcome_label(kind: &str) -> Text {
    let (zh, en) = match kind {
        "paid_in_full" => ("全额回款", "paid in full"),
        "partial" => ("部分回款", "partial payment"),
        "commitment" => ("付款承诺", "commitment"),
        "no_deal" => ("未达成", "no deal"),
        "walk_out" => ("对方离席", "walked out"),
        "escalated" => ("转法务", "escalated"),
        _ => ("未完成", "unfinished"),
    };
    Text::new(zh, en)
}
