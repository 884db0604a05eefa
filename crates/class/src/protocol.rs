//! The class server's JSON API: request and answer bodies, shared by the server and its
//! clients (`class new`, `play --join`, the game). Documented in the README.

use serde::{Deserialize, Serialize};
use sim::script::Script;
use sim::text::Text;

/// `POST /api/sessions`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClass {
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
    /// Needed for the CSV export and closing the class; shown once, keep it.
    pub admin_token: String,
    /// Where trainees play in a browser (`http://HOST:PORT/j/CODE`); absent from older servers.
    #[serde(default)]
    pub join_url: Option<String>,
    #[serde(flatten)]
    pub class: ClassView,
}

/// `GET /api/sessions/{code}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassView {
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
    /// `session` in the JSON, as older clients read it.
    #[serde(rename = "session")]
    pub class: ClassView,
}

/// `POST /api/prune` (trainer): delete classes opened more than this many days ago.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prune {
    pub older_than_days: u32,
}

/// What a prune deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pruned {
    /// `sessions` in the JSON, as older clients read it.
    #[serde(rename = "sessions")]
    pub classes: u64,
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
        script_of(&self.preparations, &self.choices)
    }
}

/// The script that preparations and lines said (a submission's or a replay's) stand for.
pub fn script_of(preparations: &[String], choices: &[Said]) -> Script {
    Script {
        preparations: preparations.to_vec(),
        choices: choices
            .iter()
            .map(|s| (s.line.clone(), s.seconds))
            .collect(),
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
    /// The trainee's place on the class board, as the projector shows it (each trainee's best
    /// attempt, equal scores sharing a place; 1 = best), and how many trainees are on it.
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
    /// Unix seconds after which meetings stop and results are refused.
    #[serde(default)]
    pub deadline: Option<i64>,
    /// Who is in the room: joined, mid-meeting (and on which turn), finished.
    #[serde(default)]
    pub room: Room,
}

/// Who is in the room, for the projector and the trainer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Room {
    /// Names that joined (and names with results from before joining by name).
    pub joined: u64,
    /// Trainees with at least one result.
    pub finished: u64,
    /// Trainees mid-meeting now, furthest first.
    pub playing: Vec<Playing>,
}

/// A trainee mid-meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Playing {
    pub trainee: String,
    /// Turns played so far.
    pub turn: usize,
    pub max_turns: u32,
}

/// `GET /api/sessions/{code}/room` (admin token): every trainee, for the trainer's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomView {
    pub code: String,
    pub case: String,
    pub title: Text,
    pub open: bool,
    pub deadline: Option<i64>,
    /// The server's clock, unix seconds (for a countdown on another clock).
    pub now: i64,
    pub trainees: Vec<RoomRow>,
}

/// One trainee as the trainer sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomRow {
    pub trainee: String,
    /// Stable through renames and resets (the exports' `trainee_id`).
    pub id: String,
    /// `waiting` (joined, not started), `playing`, `finished` (has a result, not playing now).
    pub state: String,
    /// Mid-meeting: turns played, of how many.
    pub turn: Option<usize>,
    pub max_turns: u32,
    pub attempts: u64,
    pub best: Option<f64>,
    pub grade: Option<String>,
    pub joined_at: Option<i64>,
    /// Unix seconds of the last turn or result seen.
    pub last_seen: Option<i64>,
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
    /// The kind of refusal a trainee meets: `closed`, `deadline`, `full`, `name_taken`,
    /// `name_look_alike`, `bad_name`, `not_joined`, `wrong_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `error` in Chinese, where the trainee may read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_zh: Option<String>,
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_token(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// The outcome names, for pages and terminals (kept here for the pages that import it).
pub use sim::meeting::outcome_label;

/// `POST /api/sessions/{code}/replay`: a browser trainee's meeting so far (`Authorization:
/// Bearer TOKEN` of `trainee`). The server keeps no meeting: it replays these inputs on the
/// class's case and seed and answers with the [`Scene`] the trainee may see next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replay {
    pub trainee: String,
    #[serde(default)]
    pub preparations: Vec<String>,
    #[serde(default)]
    pub choices: Vec<Said>,
}

impl Replay {
    pub fn script(&self) -> Script {
        script_of(&self.preparations, &self.choices)
    }
}

/// What a trainee sees after the lines said so far, in both languages (the page switches
/// language without asking again). Hidden state (willingness, ability) appears only in the
/// debrief's curve, as in the game.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    /// Turns played.
    pub turn: usize,
    /// The turn limit of the case.
    pub max_turns: u32,
    /// The course's five stages, and the index of the one reached.
    pub stages: Vec<Text>,
    pub stage: usize,
    /// The debtor's contact person and company.
    pub contact: Text,
    pub persona: Text,
    /// The mood's name, and its key (`calm`, `hostile`, …) for the face and colour.
    pub mood: Text,
    pub mood_key: String,
    /// The mood as pleasure, arousal and dominance (−1 to 1), for the debtor's face.
    pub pad: [f64; 3],
    /// Mood (pleasure, 0–1), face, trust and patience, as the meters show them.
    pub meters: Meters,
    /// How thinking drains patience, so the page can show it live.
    pub hesitation: Hesitation,
    /// The excuse on the table, in the debtor's words.
    pub excuse: Option<Text>,
    /// How long it has stood, and whether it was heard (none the turn it is raised).
    #[serde(default)]
    pub excuse_standing: Option<Text>,
    /// The greeting, then one exchange per turn.
    pub dialogue: Vec<Exchange>,
    /// The lines open now, in the engine's menu order (empty once the meeting is over).
    pub menu: Vec<MenuGroup>,
    /// The debrief, once the meeting is over.
    pub end: Option<Ending>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meters {
    pub mood: f64,
    pub face: f64,
    pub trust: f64,
    pub patience: f64,
}

/// Patience lost to `s` seconds of thought: none for `grace` seconds, then a cost per second
/// that grows over `ramp` seconds to `cost` (seconds count up to `max`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hesitation {
    pub grace: f64,
    pub ramp: f64,
    pub cost: f64,
    pub max: f64,
}

/// One turn: the trainee's line (absent for the greeting), the tactic, the debtor's reply and
/// what the line did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub said: Option<Text>,
    pub tactic: Option<Text>,
    pub reply: Option<Text>,
    pub notes: Vec<Text>,
    /// True when the reply raised an excuse.
    pub excuse: bool,
}

/// One heading of the menu: the counters to the excuse, or a course stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MenuGroup {
    pub title: Text,
    pub counters: bool,
    pub lines: Vec<MenuLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MenuLine {
    pub id: String,
    pub text: Text,
    pub tactic: String,
    pub tactic_name: Text,
}

/// The debrief: outcome, score with the rubric, the curve, and the costliest turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ending {
    pub outcome: Text,
    pub outcome_kind: String,
    pub recovered: u64,
    pub score: f64,
    pub grade: String,
    pub grade_label: Text,
    pub items: Vec<RubricLine>,
    /// The debtor before the first turn and after each: mood, trust, face, patience,
    /// willingness (each 0–1).
    pub curve: Vec<[f64; 5]>,
    /// The costliest coached turn (the first of `review.coached`).
    pub coaching: Option<Coaching>,
    #[serde(default)]
    pub review: Option<ReviewScene>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricLine {
    pub name: Text,
    pub points: f64,
    pub max: f64,
    /// False when the situation the item judges never came up.
    pub arose: bool,
    pub missed: bool,
    pub note: Text,
    pub principle: Text,
}

/// A coached turn: what was said there and the better line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coaching {
    /// 1-based; "retry from this turn" replays the turns before it.
    #[serde(default)]
    pub turn: u32,
    pub heading: Text,
    pub said: Text,
    pub better: Text,
    /// What the better line scores with the course's way after it.
    #[serde(default)]
    pub better_score: f64,
    pub principle: Text,
}

/// The turn-by-turn review: every turn's mark, the accuracy, the coached turns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewScene {
    pub accuracy: f64,
    /// "Turn by turn: accuracy 87% (9 best, 1 mistake)".
    pub summary: Text,
    pub turns: Vec<ReviewTurn>,
    /// At most three, costliest first.
    pub coached: Vec<Coaching>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewTurn {
    pub turn: u32,
    /// `best`, `good`, `inaccuracy`, `mistake` or `blunder`.
    pub mark: String,
    pub mark_name: Text,
    pub cost: f64,
}
