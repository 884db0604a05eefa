//! One meeting between a trainee and a debtor: `Meeting::new(case, seed, preparations)`, then
//! `respond(choice, elapsed)` turn by turn. Pure and deterministic: the same case, seed,
//! preparations and inputs give the same transcript on every machine.

use crate::bundle::{CaseBundle, Choice, Cond};
use crate::debtor::{DebtorState, MoodName};
use crate::decision;
use crate::scenario::*;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::sync::Arc;

/// What the debtor says in reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Utterance {
    /// A line of the persona's (or the default) voice for this reaction.
    Voice { reaction: Reaction, variant: usize },
    /// The debtor raises an excuse (index into the persona's excuses); `again` when it has
    /// been raised before in this meeting.
    Excuse { excuse: usize, again: bool },
    /// The debtor accepts the counter the trainee just used (index into the choices).
    Defused { choice: usize },
    /// An answer to what was said (index into the bundle's answers, and its wording), said in
    /// this tone.
    Answer {
        answer: usize,
        variant: usize,
        tone: Reaction,
    },
}

impl Utterance {
    /// Whether two utterances are the same words (an answer in another tone is still the same).
    pub fn same_words(&self, other: &Utterance) -> bool {
        match (self, other) {
            (
                Utterance::Answer {
                    answer: a,
                    variant: v,
                    ..
                },
                Utterance::Answer {
                    answer: b,
                    variant: w,
                    ..
                },
            ) => a == b && v == w,
            _ => self == other,
        }
    }

    /// How the debtor sounds: the reaction voiced (None for an excuse or a conceded point).
    pub fn tone(&self) -> Option<Reaction> {
        match self {
            Utterance::Voice { reaction, .. } => Some(*reaction),
            Utterance::Answer { tone, .. } => Some(*tone),
            Utterance::Excuse { .. } | Utterance::Defused { .. } => None,
        }
    }

    /// Whether this is the mood voice's last resort: no answer to what was said fitted.
    pub fn is_fallback(&self) -> bool {
        matches!(
            self,
            Utterance::Voice {
                reaction: Reaction::Warm
                    | Reaction::Neutral
                    | Reaction::Guarded
                    | Reaction::Irritated
                    | Reaction::Hostile
                    | Reaction::BrushOff
                    | Reaction::Scoff,
                ..
            }
        )
    }
}

/// The debtor's words among a turn's events.
pub fn reply_in(events: &[Event]) -> Option<Utterance> {
    events.iter().find_map(|e| match e {
        Event::Reply(u) => Some(*u),
        _ => None,
    })
}

/// A promise to pay.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub amount: u64,
    /// A date was agreed.
    pub dated: bool,
    /// The person who pays was named.
    pub person: bool,
    /// How likely the promise is kept, 0–1.
    pub credibility: f64,
}

/// How the meeting ended.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    PaidInFull {
        paid: u64,
    },
    Partial {
        paid: u64,
        promise: Option<Commitment>,
    },
    Committed(Commitment),
    /// The turns ran out without an agreement.
    NoDeal,
    /// The debtor's patience ran out.
    WalkOut,
    /// The account went to the legal route.
    Escalated,
}

impl Outcome {
    pub fn paid(&self) -> u64 {
        match self {
            Outcome::PaidInFull { paid } | Outcome::Partial { paid, .. } => *paid,
            _ => 0,
        }
    }
    pub fn promise(&self) -> Option<Commitment> {
        match self {
            Outcome::Partial { promise, .. } => *promise,
            Outcome::Committed(c) => Some(*c),
            _ => None,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::PaidInFull { .. } => "paid_in_full",
            Outcome::Partial { .. } => "partial",
            Outcome::Committed(_) => "commitment",
            Outcome::NoDeal => "no_deal",
            Outcome::WalkOut => "walk_out",
            Outcome::Escalated => "escalated",
        }
    }
}

/// What an outcome kind (`Outcome::kind`, the ids test plans expect) is called on pages and
/// terminals, in both languages.
pub fn outcome_label(kind: &str) -> crate::text::Text {
    let (zh, en) = match kind {
        "paid_in_full" => ("全额回款", "paid in full"),
        "partial" => ("部分回款", "partial payment"),
        "commitment" => ("付款承诺", "commitment"),
        "no_deal" => ("未达成", "no deal"),
        "walk_out" => ("对方离席", "walked out"),
        "escalated" => ("转法务", "escalated"),
        _ => ("未完成", "unfinished"),
    };
    crate::text::Text::new(zh, en)
}

/// A turn's events, in order, kept inline: over 1,800 random meetings, fewer than one turn in a
/// hundred had more than eight (those spill to the heap; the most seen was ten).
pub type Events = SmallVec<[Event; 8]>;

/// Something that happened in a turn, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    Hesitated {
        patience_lost: f64,
    },
    /// The excuse on the table was answered: by one of its counters, or in kind (a line of a
    /// counter's tactic, without the counter's bonus).
    ExcuseDefused {
        excuse: usize,
    },
    /// The trainee listened to the excuse on the table: it is heard, not ignored, and stays on
    /// the table until it is answered.
    ExcuseHeard {
        excuse: usize,
    },
    /// The line left the excuse on the table unanswered; it has now stood this many turns.
    ExcuseStanding {
        excuse: usize,
        turns: u32,
    },
    /// A tactic rule fired (indices into the tactic book).
    RuleFired {
        tactic: usize,
        rule: usize,
    },
    /// The line broke a course rule (index into the rubric's `rules`); the debtor hardens.
    CourseRuleBroken {
        rule: usize,
    },
    StageReached(Stage),
    SanctionReached(Sanction),
    Refused,
    /// The debtor agrees after a hostile or brush-off reply: this driver turned them since.
    MindChanged {
        driver: Driver,
    },
    Reply(Utterance),
    Ended(Outcome),
}

/// Where the meeting stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub turn: u32,
    pub stage: Stage,
    pub facts: bool,
    pub purpose: bool,
    pub plan: Option<Marker>,
    pub deadline: bool,
    pub person: bool,
    pub discount: f64,
    pub refusals: u32,
    pub refused_last: bool,
    pub sanction_level: u8,
    /// The excuse on the table: it stays there until it is answered.
    pub open_excuse: Option<usize>,
    /// This meeting's real objections: the persona's certain excuses in the order the seed drew
    /// (by weight). Each comes up the first time it can, the first in this order first.
    pub objections: SmallVec<[usize; 4]>,
    /// The turn the excuse on the table was raised.
    pub excuse_since: u32,
    /// Turns the excuse on the table has been left standing (neither answered nor heard).
    pub excuse_left: u32,
    /// The trainee listened to the excuse on the table.
    pub excuse_heard: bool,
    pub excuse_counts: SmallVec<[u32; 8]>,
    pub tactic_uses: SmallVec<[u32; 32]>,
    /// Which choices have been said (a staged, non-closing line is said once).
    pub said: SmallVec<[bool; 64]>,
    /// What happens if the promise is missed has been stated.
    pub consequence_stated: bool,
    /// What lines have added to each driver (in `Driver::ALL` order).
    pub gains: [f64; 4],
    /// Willingness lost to broken course rules, by severity (minor, major, severe): it fades
    /// turn by turn and the course's repair moves win part of it back, as the severity says.
    pub hardened: [f64; 3],
    /// A severe broken course rule means the debtor pays nothing today.
    pub no_payment_today: bool,
    /// Willingness lost for the rest of the meeting to excuses left standing.
    pub standing: f64,
    /// Drivers a broken rule discredited (in `Driver::ALL` order): what lines add to them
    /// counts only `1 − dynamics.discredit` for the rest of the meeting.
    pub discredited: [bool; 4],
    /// Which of the persona's excuses have been answered by a counter.
    pub defused: SmallVec<[bool; 8]>,
    /// Preparation bits this meeting has used, by one rule everywhere: a line or counter needing
    /// it was said, it backed a driver this debtor weighs (`dynamics.fit_weight`) when a line
    /// added to that driver, or it changed the debtor from the start (its `effect`).
    pub used_preps: u64,
    /// Thinking time beyond the grace, summed over turns as shares of the pace limit.
    pub pace_lost: f64,
    /// The choice said on the previous turn.
    pub last_choice: Option<usize>,
    /// Excuses the debtor can no longer raise: answered, or conceded away by a counter's reply.
    pub conceded: SmallVec<[bool; 8]>,
    /// The debtor's last hostile or brush-off reply: that turn and the driver gains then (kept
    /// for the rest of the meeting; a later rebuff replaces it).
    pub rebuffed: Option<(u32, [f64; 4])>,
}

/// What the rubric's conduct items read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Conduct {
    pub polite_opening: bool,
    pub asked_before_facts: bool,
    pub excuses_raised: u32,
    pub excuses_countered: u32,
    pub vague_delay_accepted: bool,
    pub premature_threats: u32,
    /// Lines said that named a consequence of not paying.
    #[serde(default)]
    pub threats: u32,
    pub contract_at_honest: bool,
    pub lost_calm: u32,
    /// Every course rule broken: (turn, index into the rubric's `rules`).
    pub broken: SmallVec<[(u32, usize); 8]>,
    /// The turns on which an excuse was left unanswered.
    pub excuses_ignored_at: SmallVec<[u32; 8]>,
    /// The first turn that asked for money before the facts were confirmed.
    pub first_ask_before_facts: Option<u32>,
    /// The turn the facts were confirmed.
    #[serde(default)]
    pub facts_at: Option<u32>,
    /// The turns that threatened before any refusal.
    #[serde(default)]
    pub premature_threats_at: SmallVec<[u32; 4]>,
    /// The first turn that waved the contract at a debtor who means to pay.
    #[serde(default)]
    pub contract_at_honest_at: Option<u32>,
    /// The turn a vague "pay when you can" was accepted.
    #[serde(default)]
    pub vague_delay_at: Option<u32>,
    /// The turns that answered a refusal with a heavy or skipped threat.
    #[serde(default)]
    pub lost_calm_at: SmallVec<[u32; 4]>,
}

/// The preparations checked against the case (known, offered, once each, within the budget):
/// their bits, those that worked from the first minute, and their summed effect.
fn checked_preparations(
    bundle: &CaseBundle,
    preparations: &[String],
) -> Result<(u64, u64, Effect), StartError> {
    let mut bits = 0u64;
    let mut started = 0u64;
    let mut prep_state = Effect::default();
    for (i, p) in preparations.iter().enumerate() {
        let idx = bundle.preparation_index(p).ok_or_else(|| {
            StartError::UnknownPreparation(
                p.clone(),
                crate::did_you_mean(p, bundle.case.preparations.iter().map(|s| s.as_str())),
            )
        })?;
        if !bundle.offered.contains(&idx) {
            return Err(StartError::NotOffered(p.clone()));
        }
        if preparations[..i].contains(p) {
            return Err(StartError::Duplicate(p.clone()));
        }
        bits |= 1 << idx;
        let effect = bundle.preparations[idx].effect;
        if effect != Effect::default() {
            // It worked from the first minute: used, whatever follows.
            started |= 1 << idx;
        }
        prep_state = prep_state.plus(&effect);
    }
    if preparations.len() > usize::from(bundle.case.prep_budget) {
        return Err(StartError::OverBudget(
            preparations.len(),
            bundle.case.prep_budget,
        ));
    }
    Ok((bits, started, prep_state))
}

impl Progress {
    /// A meeting's first moment: nothing said, the objections the seed chose, the
    /// preparations that worked from the start already used.
    fn start(bundle: &CaseBundle, objections: SmallVec<[usize; 4]>, started: u64) -> Progress {
        Progress {
            turn: 0,
            stage: Stage::Opening,
            facts: false,
            purpose: false,
            plan: None,
            deadline: false,
            person: false,
            discount: 0.0,
            refusals: 0,
            refused_last: false,
            sanction_level: 0,
            open_excuse: None,
            objections,
            excuse_since: 0,
            excuse_left: 0,
            excuse_heard: false,
            excuse_counts: smallvec::smallvec![0; bundle.persona.excuses.len()],
            tactic_uses: smallvec::smallvec![0; bundle.tactics.len()],
            said: smallvec::smallvec![false; bundle.choices.len()],
            consequence_stated: false,
            gains: [0.0; 4],
            hardened: [0.0; 3],
            no_payment_today: false,
            standing: 0.0,
            discredited: [false; 4],
            defused: smallvec::smallvec![false; bundle.persona.excuses.len()],
            used_preps: started,
            pace_lost: 0.0,
            last_choice: None,
            conceded: smallvec::smallvec![false; bundle.persona.excuses.len()],
            rebuffed: None,
        }
    }

    /// Willingness (and promise credibility) lost to broken course rules now.
    pub fn hardening(&self) -> f64 {
        self.hardened.iter().sum::<f64>().min(1.0)
    }
}

/// How a line meets the excuse on the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Met {
    /// One of the excuse's counters.
    Counter,
    /// A line of one of its counters' tactics: an answer in kind.
    InKind,
    /// Listening, empathy or calm: heard, not yet answered.
    Heard,
    /// Left standing.
    Left,
}

impl Conduct {
    /// How many times the course rule `rule` was broken.
    pub fn breaks(&self, rule: usize) -> u32 {
        self.broken.iter().filter(|(_, r)| *r == rule).count() as u32
    }
}

/// What a line moved: the debtor's mood (pleasure) and willingness.
#[derive(Clone, Copy)]
struct Moved {
    pleasure: f64,
    willingness: f64,
}

/// The least weighted driver gain, since a rebuff, that turns the debtor round.
const TURNING_GAIN: f64 = 0.01;

/// Hardening below this is a trace: nothing left to apologise for.
const HARDENED: f64 = 0.01;

/// The longest thought a turn is charged for, in seconds.
pub const MAX_THOUGHT_SECONDS: f64 = 3600.0;

/// One turn of the transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub choice: usize,
    pub elapsed: f64,
    pub events: Events,
    pub after: DebtorState,
    pub stage: Stage,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StartError {
    #[error("unknown preparation \"{0}\"{1}")]
    UnknownPreparation(String, String),
    #[error("preparation \"{0}\" is not on offer in this case")]
    NotOffered(String),
    #[error("preparation \"{0}\" is picked twice")]
    Duplicate(String),
    #[error("{0} preparations picked, but this case allows {1}")]
    OverBudget(usize, u8),
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TurnError {
    #[error("the meeting is over")]
    Ended,
    #[error("\"{0}\" is not a line you can say now")]
    NotAvailable(String),
    #[error("no line has the id \"{0}\"{1}")]
    Unknown(String, String),
}

pub struct Meeting {
    pub bundle: Arc<CaseBundle>,
    pub seed: u64,
    pub preparations: Arc<[String]>,
    prep_bits: u64,
    rng: ChaCha8Rng,
    pub start: DebtorState,
    pub state: DebtorState,
    pub progress: Progress,
    pub conduct: Conduct,
    pub outcome: Option<Outcome>,
    /// What the debtor says as the meeting opens.
    pub greeting: Utterance,
    pub turns: Vec<Turn>,
    /// Whether turns are kept in `turns` (search turns it off; play is the same either way).
    recording: bool,
    /// Which of the debtor's wordings it has said in this meeting (bits by `word_slot`), so
    /// that no reply is repeated word for word while another fits.
    said_words: SmallVec<[u64; 4]>,
    /// What the debtor said last (the greeting before any turn).
    last: Utterance,
}

impl Clone for Meeting {
    /// A copy of the meeting; a recording copy keeps room for every turn it may still have,
    /// so that its turns are kept without growing the transcript.
    fn clone(&self) -> Meeting {
        let mut turns = Vec::new();
        if self.recording {
            let room = self.bundle.case.max_turns as usize + 1;
            turns.reserve_exact(room.max(self.turns.len()));
            turns.extend_from_slice(&self.turns);
        }
        Meeting {
            bundle: Arc::clone(&self.bundle),
            seed: self.seed,
            preparations: Arc::clone(&self.preparations),
            prep_bits: self.prep_bits,
            rng: self.rng.clone(),
            start: self.start,
            state: self.state,
            progress: self.progress.clone(),
            conduct: self.conduct.clone(),
            outcome: self.outcome,
            greeting: self.greeting,
            turns,
            recording: self.recording,
            said_words: self.said_words.clone(),
            last: self.last,
        }
    }
}

/// A uniform number in [0, 1) from 53 random bits: the same on every platform.
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
}

impl Meeting {
    pub fn new(
        bundle: Arc<CaseBundle>,
        seed: u64,
        preparations: &[String],
    ) -> Result<Meeting, StartError> {
        let (bits, started, prep_state) = checked_preparations(&bundle, preparations)?;
        let s = bundle.case.start.unwrap_or(bundle.persona.start);
        let mut state = DebtorState {
            mood: bundle.persona.baseline,
            face: s.face,
            trust: s.trust,
            willingness: s.willingness,
            patience: s.patience,
            ability: s.ability,
        };
        state.apply(&prep_state);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let reaction = Reaction::Greeting;
        let n = bundle.voice(reaction).len().max(1);
        let greeting = Utterance::Voice {
            reaction,
            variant: (rng.next_u32() as usize) % n,
        };
        let objections = real_objections(&bundle, &mut rng);
        let progress = Progress::start(&bundle, objections, started);
        Ok(Meeting {
            seed,
            preparations: preparations.into(),
            prep_bits: bits,
            rng,
            start: state,
            state,
            progress,
            conduct: Conduct::default(),
            outcome: None,
            greeting,
            turns: Vec::new(),
            recording: true,
            said_words: said_bits(&bundle, greeting),
            last: greeting,
            bundle,
        })
    }

    pub fn is_over(&self) -> bool {
        self.outcome.is_some()
    }

    /// The patience the debtor would have left if the trainee answered after `elapsed` seconds
    /// (before the line's own effect): what a live patience meter shows while the trainee thinks.
    pub fn patience_after(&self, elapsed: f64) -> f64 {
        (self.state.patience - self.hesitation(elapsed)).clamp(0.0, 1.0)
    }

    /// Patience a thought of `elapsed` seconds costs: nothing within the grace, then a cost per
    /// second that grows smoothly over the ramp to `hesitation_cost` (no cliff anywhere).
    pub fn hesitation(&self, elapsed: f64) -> f64 {
        let dy = &self.bundle.dynamics;
        let x = (thought(elapsed) - dy.hesitation_grace).max(0.0);
        let r = dy.hesitation_ramp;
        if r <= 0.0 {
            x * dy.hesitation_cost
        } else if x < r {
            dy.hesitation_cost * x * x / (2.0 * r)
        } else {
            dy.hesitation_cost * (x - r / 2.0)
        }
    }

    /// Whether a preparation the trainee made backs driver `d`.
    pub fn backed(&self, d: Driver) -> bool {
        self.prep_bits & self.bundle.backs(d) != 0
    }

    /// The preparations picked, as bits.
    pub fn prep_bits(&self) -> u64 {
        self.prep_bits
    }

    pub fn mood(&self) -> MoodName {
        self.state.mood_name()
    }

    pub(crate) fn holds(&self, c: &Cond, tactic: Option<usize>, choice: Option<&Choice>) -> bool {
        match c {
            Cond::Const(b) => *b,
            Cond::HasPrep(bit) => self.prep_bits & bit != 0,
            Cond::LacksPrep(bit) => self.prep_bits & bit == 0,
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c, tactic, choice)),
            Cond::All(cs) => cs.iter().all(|c| self.holds(c, tactic, choice)),
            Cond::Not(c) => !self.holds(c, tactic, choice),
            Cond::Tactic(t) => choice.is_some_and(|c| c.tactic == *t),
            Cond::ExcuseDefused(e) => self.progress.defused.get(*e).copied().unwrap_or(false),
            Cond::Plain(p) => self.holds_plain(p, tactic, choice),
        }
    }

    /// A condition as a trainer wrote it, read against the meeting now (and the line being
    /// said, if any); the ones the compiled case resolved never reach here.
    fn holds_plain(&self, p: &Condition, tactic: Option<usize>, choice: Option<&Choice>) -> bool {
        let s = &self.state;
        let m = &self.progress;
        match p {
            Condition::TrustBelow(v) => s.trust < *v,
            Condition::TrustAtLeast(v) => s.trust >= *v,
            Condition::FaceBelow(v) => s.face < *v,
            Condition::FaceAtLeast(v) => s.face >= *v,
            Condition::WillingnessBelow(v) => s.willingness < *v,
            Condition::WillingnessAtLeast(v) => s.willingness >= *v,
            Condition::PleasureBelow(v) => s.mood.pleasure < *v,
            Condition::PleasureAtLeast(v) => s.mood.pleasure >= *v,
            Condition::PatienceBelow(v) => s.patience < *v,
            Condition::UsedAtLeast(n) => tactic.is_some_and(|t| m.tactic_uses[t] >= *n),
            Condition::Stage(st) => m.stage == *st,
            Condition::StageBefore(st) => m.stage < *st,
            Condition::StageAtLeast(st) => m.stage >= *st,
            Condition::PlanOffered => m.plan.is_some(),
            Condition::NoPlan => m.plan.is_none(),
            Condition::PlanDated => m.plan.is_some() && m.deadline,
            Condition::PlanUndated => m.plan.is_some() && !m.deadline,
            Condition::DeadlineSet => m.deadline,
            Condition::NoDeadline => !m.deadline,
            Condition::FactsConfirmed => m.facts,
            Condition::FactsUnconfirmed => !m.facts,
            Condition::PersonNamed => m.person,
            Condition::ExcuseOpen => m.open_excuse.is_some(),
            Condition::NoExcuseOpen => m.open_excuse.is_none(),
            Condition::Refused => m.refusals > 0,
            Condition::NotRefused => m.refusals == 0,
            Condition::MentionsContract => choice.is_some_and(|c| c.mentions_contract),
            Condition::SanctionSkipsLevel => choice
                .and_then(|c| c.sanction)
                .is_some_and(|s| s.level() > m.sanction_level + 1),
            Condition::Threat => choice.is_some_and(|c| c.threat),
            Condition::Asks => choice.is_some_and(|c| self.is_ask(c)),
            Condition::Closes(k) => choice.is_some_and(|c| c.close == Some(*k)),
            Condition::IntensityAtLeast(v) => choice.is_some_and(|c| c.intensity >= *v),
            Condition::SanctionReversed => choice
                .and_then(|c| c.sanction)
                .is_some_and(|s| s.level() < m.sanction_level),
            Condition::SanctionAtLeast(v) => m.sanction_level >= *v,
            Condition::RefusedLast => m.refused_last,
            Condition::LeavesExcuse => m
                .open_excuse
                .is_some_and(|ex| choice.is_none_or(|c| self.meets(ex, c) == Met::Left)),
            Condition::SanctionRung(v) => choice
                .and_then(|c| c.sanction)
                .is_some_and(|s| s.level() == *v),
            Condition::FirstRung => {
                choice.is_some_and(|c| c.sanction.is_some()) && m.sanction_level == 0
            }
            Condition::OffersUndatedPlan => choice.is_some_and(offers_undated_plan),
            Condition::Hardened => m.hardening() > HARDENED,
            Condition::ExcuseHeard => m.open_excuse.is_some() && m.excuse_heard,
            Condition::ObligationAtLeast(v) => decision::drivers(self).obligation >= *v,
            Condition::ConsequenceAtLeast(v) => decision::drivers(self).consequence >= *v,
            Condition::ConsequenceStated => m.consequence_stated,
            Condition::ExcuseRaised => self.conduct.excuses_raised > 0,
            Condition::Rebuffed => self.turned().is_err(),
            Condition::RepeatsLastLine => choice.is_some_and(|c| {
                m.last_choice
                    .and_then(|i| self.bundle.choices.get(i))
                    .is_some_and(|l| l.id == c.id)
            }),
            // Resolved when the bundle was compiled.
            Condition::TraitAbove(..)
            | Condition::TraitBelow(..)
            | Condition::Malicious
            | Condition::NotMalicious
            | Condition::HasPrep(_)
            | Condition::LacksPrep(_)
            | Condition::Any(_)
            | Condition::All(_)
            | Condition::Not(_)
            | Condition::Tactic(_)
            | Condition::ExcuseDefused(_) => false,
        }
    }

    /// Can the trainee say choice `i` now?
    pub fn is_available(&self, i: usize) -> bool {
        if self.outcome.is_some() {
            return false;
        }
        let Some(c) = self.bundle.choices.get(i) else {
            return false;
        };
        if let Some((ex, ..)) = c.counters
            && self.progress.open_excuse != Some(ex)
        {
            return false;
        }
        if let Some(bit) = c.needs_prep
            && self.prep_bits & bit == 0
        {
            return false;
        }
        if let Some(st) = c.stage.stage() {
            // The five steps guide; they do not trap: a line of the stage at hand, the next, or
            // any earlier one (going back to a plan after a closing question is normal), but
            // greetings only until the purpose is stated.
            let now = self.progress.stage;
            if st > now.next() || (st == Stage::Opening && now >= Stage::StatePurpose) {
                return false;
            }
            if c.close.is_none() && self.progress.said[i] {
                return false;
            }
        }
        c.requires
            .iter()
            .all(|r| self.holds(r, Some(c.tactic), Some(c)))
    }

    /// The ids of the lines open now, for messages that say what could have been said.
    pub fn open_ids(&self) -> Vec<&str> {
        self.available()
            .into_iter()
            .map(|i| self.bundle.choices[i].id.as_str())
            .collect()
    }

    /// The choices open now, in the order of the case's lines (counters last).
    pub fn available(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.bundle.choices.len());
        out.extend(self.open());
        out
    }

    /// The choices open now, in order, without collecting them.
    pub fn open(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.bundle.choices.len()).filter(|&i| self.is_available(i))
    }

    /// Plays a choice by id.
    pub fn respond_id(&mut self, id: &str, elapsed: f64) -> Result<Events, TurnError> {
        let i = self.bundle.choice_index(id).ok_or_else(|| {
            TurnError::Unknown(
                id.to_owned(),
                crate::did_you_mean(id, self.bundle.choices.iter().map(|c| c.id.as_str())),
            )
        })?;
        self.respond(i, elapsed)
    }

    /// Plays choice `i` (an index into the bundle's choices) after `elapsed` seconds of thought.
    /// A turn is these steps, in order: time, conduct, excuse, markers, tactic effect, drift,
    /// decision, reply.
    pub fn respond(&mut self, i: usize, elapsed: f64) -> Result<Events, TurnError> {
        self.check_open(i)?;
        let bundle = Arc::clone(&self.bundle);
        let b = &*bundle;
        let ch = &b.choices[i];
        let elapsed = thought(elapsed);
        let will_before = self.state.willingness;
        let mut events = Events::new();
        self.progress.turn += 1;
        self.step_time(elapsed, &mut events);
        let broke = self.step_conduct(b, i, &mut events);
        let met = self.step_excuse(b, ch, &mut events);
        self.step_markers(ch, &mut events);
        let (forced, pleasure_moved) = self.step_tactic(b, i, broke, &mut events);
        self.step_drift();
        let decided = self.step_decision(ch, &mut events);
        let moved = Moved {
            pleasure: pleasure_moved,
            willingness: self.state.willingness - will_before,
        };
        let countered = met == Some(Met::Counter);
        let (utterance, tone) = self.step_reply(b, i, countered, forced, moved, decided);
        if !decided.refused && self.refuses(&utterance) {
            self.count_refusal(&mut events);
        }
        self.remember(tone);
        events.push(Event::Reply(utterance));
        self.note_said(b, utterance);
        if let Some(o) = self.outcome {
            events.push(Event::Ended(o));
        }
        if self.recording {
            self.turns.push(Turn {
                choice: i,
                elapsed,
                events: events.clone(),
                after: self.state,
                stage: self.progress.stage,
            });
        }
        Ok(events)
    }

    /// Refuses a line that cannot be said now.
    fn check_open(&self, i: usize) -> Result<(), TurnError> {
        if self.outcome.is_some() {
            return Err(TurnError::Ended);
        }
        if !self.is_available(i) {
            let id = self
                .bundle
                .choices
                .get(i)
                .map_or_else(|| format!("#{i}"), |c| c.id.clone());
            return Err(TurnError::NotAvailable(id));
        }
        Ok(())
    }

    /// How choice `ch` meets excuse `ex` on the table.
    pub fn meets(&self, ex: usize, ch: &Choice) -> Met {
        if ch.counters.as_ref().is_some_and(|k| k.0 == ex) {
            return Met::Counter;
        }
        let in_kind = self
            .bundle
            .cexcuses
            .get(ex)
            .is_some_and(|e| e.answer_tactics & (1u64 << ch.tactic.min(63)) != 0);
        if ch.counters.is_none() && in_kind {
            Met::InKind
        } else if self.bundle.ctactics[ch.tactic].listening {
            Met::Heard
        } else {
            Met::Left
        }
    }

    /// Asking for money; a counter answers the debtor's excuse and does not open the ask.
    fn is_ask(&self, ch: &Choice) -> bool {
        let tac = &self.bundle.ctactics[ch.tactic];
        (tac.asks || ch.close.is_some() || ch.threat) && ch.counters.is_none()
    }

    /// Time: every turn costs patience; hesitation and agitation cost more.
    fn step_time(&mut self, elapsed: f64, events: &mut Events) {
        // Hardening from earlier breaks fades a little each turn, as its severity says.
        let sev = &self.bundle.rubric.severities;
        for (s, h) in Severity::ALL.iter().zip(self.progress.hardened.iter_mut()) {
            *h *= 1.0 - sev.get(*s).fades.clamp(0.0, 1.0);
        }
        let dy = &self.bundle.dynamics;
        let hesitation = self.hesitation(elapsed);
        let room = (dy.pace_limit - dy.hesitation_grace).max(1.0);
        self.progress.pace_lost += ((elapsed - dy.hesitation_grace) / room).clamp(0.0, 1.0);
        if hesitation > 0.0 {
            events.push(Event::Hesitated {
                patience_lost: hesitation,
            });
        }
        self.state.patience -=
            hesitation + dy.patience_per_turn + dy.arousal_drain * self.state.mood.arousal.max(0.0);
    }

    /// Conduct, judged against the meeting as it stood before this line: the course rules it
    /// breaks harden the debtor for the rest of the meeting. Returns whether it broke any.
    fn step_conduct(&mut self, bundle: &CaseBundle, i: usize, events: &mut Events) -> bool {
        let ch = &bundle.choices[i];
        let threat = ch.threat;
        let turn = self.progress.turn;
        if ch.sets.contains(&Marker::Facts) && !self.progress.facts {
            self.conduct.facts_at = Some(turn);
        }
        if self.progress.turn == 1 {
            self.conduct.polite_opening = self.bundle.ctactics[ch.tactic].polite;
        }
        if self.is_ask(ch) && !self.progress.facts {
            self.conduct.asked_before_facts = true;
            self.conduct
                .first_ask_before_facts
                .get_or_insert(self.progress.turn);
        }
        if threat {
            self.conduct.threats += 1;
        }
        if threat && self.progress.refusals == 0 {
            self.conduct.premature_threats += 1;
            self.conduct.premature_threats_at.push(turn);
        }
        if ch.mentions_contract && !self.bundle.persona.malicious {
            self.conduct.contract_at_honest = true;
            self.conduct.contract_at_honest_at.get_or_insert(turn);
        }
        if ch.close == Some(Close::AcceptDelay) {
            self.conduct.vague_delay_accepted = true;
            self.conduct.vague_delay_at.get_or_insert(turn);
        }
        let skips = ch
            .sanction
            .is_some_and(|s| s.level() > self.progress.sanction_level + 1);
        if self.progress.refused_last && threat && (ch.intensity >= 3 || skips) {
            self.conduct.lost_calm += 1;
            self.conduct.lost_calm_at.push(turn);
        }
        let mut broke = false;
        for &r in &bundle.rules_for[i] {
            let rule = &bundle.course_rules[r];
            if rule
                .when
                .iter()
                .all(|c| self.holds(c, Some(ch.tactic), Some(ch)))
            {
                broke = true;
                let h = &mut self.progress.hardened[rule.severity as usize];
                *h = (*h + rule.hardening).min(1.0);
                let keep = 1.0 - bundle.dynamics.discredit.clamp(0.0, 1.0);
                for d in &rule.discredits {
                    let g = &mut self.progress.gains[*d as usize];
                    *g = g.min(*g * keep);
                    self.progress.discredited[*d as usize] = true;
                }
                self.progress.no_payment_today |= rule.no_payment_today;
                self.conduct.broken.push((self.progress.turn, r));
                events.push(Event::CourseRuleBroken { rule: r });
            }
        }
        broke
    }

    /// The excuse on the table is answered (by a counter or in kind), heard, or left standing
    /// another turn. Returns how the line met it (None when no excuse was on the table).
    fn step_excuse(
        &mut self,
        bundle: &CaseBundle,
        ch: &Choice,
        events: &mut Events,
    ) -> Option<Met> {
        let ex = self.progress.open_excuse?;
        let met = self.meets(ex, ch);
        match met {
            Met::Counter | Met::InKind => {
                if let Some((_, bonus, _)) = &ch.counters {
                    let heard = if self.progress.excuse_heard {
                        1.0 + bundle.dynamics.heard_bonus
                    } else {
                        1.0
                    };
                    let driver = bundle.ctactics[ch.tactic].driver;
                    self.apply_routed(&bonus.scaled(heard), driver, false);
                }
                self.conduct.excuses_countered += 1;
                self.progress.defused[ex] = true;
                self.progress.conceded[ex] = true;
                for &other in &ch.concedes {
                    self.progress.conceded[other] = true;
                }
                self.progress.open_excuse = None;
                events.push(Event::ExcuseDefused { excuse: ex });
            }
            Met::Heard => {
                self.progress.excuse_heard = true;
                events.push(Event::ExcuseHeard { excuse: ex });
            }
            Met::Left => self.leave_excuse(bundle, ex, events),
        }
        Some(met)
    }

    /// The excuse on the table stands another turn: the first time, its cost but willingness;
    /// each time, a share of its willingness cost, up to all of it.
    fn leave_excuse(&mut self, bundle: &CaseBundle, ex: usize, events: &mut Events) {
        let cost = bundle.cexcuses[ex].cost;
        if self.progress.excuse_left == 0 {
            self.state.apply(&Effect {
                willingness: 0.0,
                ..cost
            });
        }
        self.progress.excuse_left += 1;
        let full = (-cost.willingness).max(0.0);
        let left = f64::from(self.progress.excuse_left);
        let due = (full * bundle.dynamics.excuse_drag * left).min(full);
        let before = (full * bundle.dynamics.excuse_drag * (left - 1.0)).min(full);
        self.progress.standing += due - before;
        self.conduct.excuses_ignored_at.push(self.progress.turn);
        events.push(Event::ExcuseStanding {
            excuse: ex,
            turns: self.progress.turn - self.progress.excuse_since,
        });
    }

    /// What the line establishes (before its effect, so rules see a plan it proposes).
    fn step_markers(&mut self, ch: &Choice, events: &mut Events) {
        // A plan put forward without a date has none, whatever was said before it.
        if offers_undated_plan(ch) {
            self.progress.deadline = false;
        }
        for m in &ch.sets {
            match m {
                Marker::Facts => self.progress.facts = true,
                Marker::Purpose => self.progress.purpose = true,
                Marker::PlanFull | Marker::PlanSplit => self.progress.plan = Some(*m),
                Marker::Deadline => self.progress.deadline = true,
                Marker::Person => self.progress.person = true,
                Marker::Consequence => self.progress.consequence_stated = true,
            }
        }
        if let Some(bit) = ch.needs_prep {
            self.progress.used_preps |= bit;
        }
        self.progress.discount = self.progress.discount.max(ch.discount);
        if let Some(st) = ch.stage.stage()
            && st > self.progress.stage
        {
            self.progress.stage = st;
            events.push(Event::StageReached(st));
        }
    }

    /// The tactic's effect, shaped by traits, wear-off and the rules that hold; its willingness
    /// part feeds the tactic's driver. Returns the reaction a rule forces and the pleasure moved.
    fn step_tactic(
        &mut self,
        bundle: &CaseBundle,
        i: usize,
        broke: bool,
        events: &mut Events,
    ) -> (Option<Reaction>, f64) {
        let ch = &bundle.choices[i];
        let tac = &bundle.ctactics[ch.tactic];
        let mut base = tac.effect;
        base.willingness *= tac.response;
        let uses = self.progress.tactic_uses[ch.tactic];
        base = base.scaled(tac.repeat_decay.powi(uses.min(64) as i32));
        let mut extra = Effect::default();
        let mut forced = None;
        for &ri in &bundle.tactic_rules_for[i] {
            let rule = &tac.rules[ri];
            if rule
                .when
                .iter()
                .all(|c| self.holds(c, Some(ch.tactic), Some(ch)))
            {
                if let Some(s) = rule.scale {
                    base = base.scaled(s);
                }
                extra = extra.plus(&rule.effect);
                forced = rule.reaction.or(forced);
                events.push(Event::RuleFired {
                    tactic: ch.tactic,
                    rule: ri,
                });
            }
        }
        let k = bundle
            .dynamics
            .intensity
            .get(usize::from(ch.intensity.clamp(1, 3)) - 1)
            .copied()
            .unwrap_or(1.0);
        let delta = base.plus(&extra).scaled(k);
        if tac.repair && !broke {
            let sev = &bundle.rubric.severities;
            for (s, h) in Severity::ALL.iter().zip(self.progress.hardened.iter_mut()) {
                *h *= 1.0 - sev.get(*s).repair.clamp(0.0, 1.0);
            }
        }
        // A line that broke a course rule is no credible consequence.
        let no_credit = broke && tac.driver == Driver::Consequence;
        self.apply_routed(&delta, tac.driver, no_credit);
        self.progress.tactic_uses[ch.tactic] += 1;
        self.progress.said[i] = true;
        self.progress.last_choice = Some(i);
        // The rung is recorded after the rules, which judge the climb from where it stood.
        if let Some(s) = ch.sanction
            && s.level() > self.progress.sanction_level
        {
            self.progress.sanction_level = s.level();
            events.push(Event::SanctionReached(s));
        }
        (forced, delta.pleasure)
    }

    /// Applies an effect to the debtor, its willingness part to `driver` (counted at the
    /// unbacked share when no preparation backs it; a gain dropped when `no_credit`).
    fn apply_routed(&mut self, e: &Effect, driver: Driver, no_credit: bool) {
        self.state.apply(&Effect {
            willingness: 0.0,
            ..*e
        });
        let mut gain = e.willingness;
        if gain > 0.0 {
            if self.progress.discredited[driver as usize] {
                gain *= 1.0 - self.bundle.dynamics.discredit.clamp(0.0, 1.0);
            }
            if no_credit {
                gain = 0.0;
            } else if self.backed(driver) {
                if self.bundle.weights.get(driver) >= self.bundle.dynamics.fit_weight {
                    self.progress.used_preps |= self.prep_bits & self.bundle.backs(driver);
                }
            } else {
                gain *= self.bundle.dynamics.unbacked;
            }
        }
        let g = &mut self.progress.gains[driver as usize];
        *g = (*g + gain).clamp(-1.0, 1.0);
    }

    /// Between lines: mood drifts home; willingness follows the drivers.
    fn step_drift(&mut self) {
        let persona = &self.bundle.persona;
        let b = persona.baseline;
        let mood = &mut self.state.mood;
        mood.pleasure += persona.drift * (b.pleasure - mood.pleasure);
        mood.arousal += persona.drift * (b.arousal - mood.arousal);
        mood.dominance += persona.drift * (b.dominance - mood.dominance);
        self.state.clamp();
        self.state.willingness = decision::willingness(self);
        self.progress.refused_last = false;
    }

    /// A closing line ends the meeting or is refused (always while an excuse stands: the debtor
    /// holds to it); patience or turns may run out.
    fn step_decision(&mut self, ch: &Choice, events: &mut Events) -> Decided {
        let mut decided = Decided::default();
        if let Some(close) = ch.close {
            let agrees = matches!(close, Close::AskNow | Close::SettlePlan);
            let held = self.progress.open_excuse.filter(|_| agrees);
            let turned = if agrees { self.turned() } else { Ok(None) };
            let settled = match (held, turned) {
                (None, Ok(driver)) => decision::settle(self, close).map(|o| (driver, o)),
                _ => None,
            };
            match settled {
                Some((driver, o)) => {
                    if let Some(driver) = driver {
                        events.push(Event::MindChanged { driver });
                    }
                    self.outcome = Some(o);
                }
                None => {
                    decided = Decided {
                        refused: true,
                        held,
                    };
                    let cost = self.bundle.dynamics.refusal_patience;
                    self.state.patience = (self.state.patience - cost).max(0.0);
                    self.count_refusal(events);
                }
            }
        }
        if self.outcome.is_none() && self.state.patience <= 0.0 {
            self.outcome = Some(Outcome::WalkOut);
        }
        if self.outcome.is_none() && self.progress.turn >= self.bundle.case.max_turns {
            self.outcome = Some(Outcome::NoDeal);
        }
        decided
    }

    /// The debtor refused: counted, remembered for the next line, and told in the events.
    fn count_refusal(&mut self, events: &mut Events) {
        self.progress.refusals += 1;
        self.progress.refused_last = true;
        events.push(Event::Refused);
    }

    /// Whether these words refuse (a refusal's voice or answer, an answer or excuse marked so).
    pub fn refuses(&self, u: &Utterance) -> bool {
        let b = &self.bundle;
        match *u {
            Utterance::Voice { reaction, .. } => reaction == Reaction::Refuse,
            Utterance::Answer { answer, tone, .. } => {
                tone == Reaction::Refuse || b.answers.get(answer).is_some_and(|a| a.refuses)
            }
            Utterance::Excuse { excuse, .. } => b.cexcuses.get(excuse).is_some_and(|e| e.refuses),
            Utterance::Defused { .. } => false,
        }
    }

    /// After a hostile or brush-off reply, the debtor agrees only once something in between has
    /// turned them: the driver that gained most (weighted) since. Err when nothing has (or the
    /// request comes straight after); Ok(None) when they were not rebuffing.
    fn turned(&self) -> Result<Option<Driver>, ()> {
        let Some((turn, before)) = self.progress.rebuffed else {
            return Ok(None);
        };
        if self.progress.turn <= turn + 1 {
            return Err(());
        }
        let w = &self.bundle.weights;
        Driver::ALL
            .iter()
            .map(|&d| {
                (
                    d,
                    w.get(d) * (self.progress.gains[d as usize] - before[d as usize]),
                )
            })
            .filter(|(_, g)| *g > TURNING_GAIN)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(d, _)| Some(d))
            .ok_or(())
    }

    /// Keeps in mind whether the debtor just rebuffed the trainee (and where the drivers stood).
    fn remember(&mut self, tone: Reaction) {
        if self.outcome.is_some() {
            return;
        }
        if matches!(tone, Reaction::Hostile | Reaction::BrushOff) {
            self.progress.rebuffed = Some((self.progress.turn, self.progress.gains));
        }
    }

    /// What the debtor answers, and the tone of it. Draws the same three random numbers every
    /// turn.
    fn step_reply(
        &mut self,
        bundle: &CaseBundle,
        i: usize,
        defused: bool,
        forced: Option<Reaction>,
        moved: Moved,
        decided: Decided,
    ) -> (Utterance, Reaction) {
        let roll = unit(&mut self.rng);
        let pick = unit(&mut self.rng);
        let variant_roll = self.rng.next_u32() as usize;
        let close = self.bundle.choices[i].close;
        if let Some(o) = &self.outcome {
            let r = match o {
                Outcome::PaidInFull { .. } => Reaction::Pay,
                Outcome::Partial { .. } => Reaction::PartPay,
                Outcome::Committed(c) if !c.dated && close == Some(Close::AcceptDelay) => {
                    Reaction::AcceptDelay
                }
                Outcome::Committed(_) => Reaction::Commit,
                Outcome::NoDeal => Reaction::Refuse,
                Outcome::WalkOut => Reaction::WalkOut,
                Outcome::Escalated => Reaction::Escalated,
            };
            (self.answer(i, r, true, variant_roll), r)
        } else if let Some(excuse) = decided.held {
            (
                Utterance::Excuse {
                    excuse,
                    again: true,
                },
                Reaction::Refuse,
            )
        } else if decided.refused {
            let r = Reaction::Refuse;
            (self.answer(i, r, true, variant_roll), r)
        } else if let Some(ex) = self.raise_excuse(bundle, roll, pick, &bundle.choices[i]) {
            let again = self.progress.excuse_counts[ex] > 1;
            (Utterance::Excuse { excuse: ex, again }, Reaction::Guarded)
        } else if defused {
            (Utterance::Defused { choice: i }, Reaction::Warm)
        } else {
            let r = forced.unwrap_or_else(|| self.reaction(moved));
            let strict = forced.is_some() || r == Reaction::Hostile;
            (self.answer(i, r, strict, variant_roll), r)
        }
    }

    /// The debtor's answer to choice `i` in tone `tone`: the most specific answer that fits and
    /// has not been said in this meeting (the case's and persona's own before the book's), else an unsaid line of the voice for the tone, else
    /// (everything said) the most specific answer again. `strict`: only answers with this tone
    /// fit (a forced reaction, a hostile mood, a close's outcome).
    fn answer(&self, i: usize, tone: Reaction, strict: bool, roll: usize) -> Utterance {
        let b = &self.bundle;
        let ch = &b.choices[i];
        let fit = |k: &usize| {
            let a = &b.answers[*k];
            let toned = match a.tone {
                Some(t) => t == tone,
                None => !strict,
            };
            toned
                && !a.texts.is_empty()
                && a.when
                    .iter()
                    .all(|c| self.holds(c, Some(ch.tactic), Some(ch)))
        };
        // The answers to this choice, most specific first (ranked when the case was compiled).
        // The case's and the persona's own come first (the order ranks them before the
        // book's); the book's shared ones only when none of theirs fits, so a debtor who has
        // said its own words goes on in its own voice.
        let order = &b.answer_order[i];
        let first = order.iter().copied().find(|k| fit(k));
        let own = first.is_some_and(|k| b.answers[k].source < 2);
        let answers = order
            .iter()
            .copied()
            .filter(|k| fit(k))
            .take_while(|&k| !own || b.answers[k].source < 2)
            .flat_map(|a| {
                let n = b.answers[a].texts.len();
                (0..n).map(move |k| Utterance::Answer {
                    answer: a,
                    variant: (roll + k) % n,
                    tone,
                })
            });
        let n = b.voice(tone).len().max(1);
        let voiced = (0..n).map(|k| Utterance::Voice {
            reaction: tone,
            variant: (roll + k) % n,
        });
        if let Some(u) = answers.chain(voiced).find(|u| !self.has_said(u)) {
            return u;
        }
        match first {
            Some(a) => Utterance::Answer {
                answer: a,
                variant: roll % b.answers[a].texts.len(),
                tone,
            },
            None => self.voice(tone, roll),
        }
    }

    /// A line of the voice for `r`; never the same words as the debtor's previous reply when
    /// there is another to choose.
    fn voice(&self, r: Reaction, roll: usize) -> Utterance {
        let n = self.bundle.voice(r).len().max(1);
        let mut variant = roll % n;
        if self.last_reply()
            == Some(Utterance::Voice {
                reaction: r,
                variant,
            })
        {
            variant = (variant + 1) % n;
        }
        Utterance::Voice {
            reaction: r,
            variant,
        }
    }

    /// What the debtor said last (the greeting before any turn).
    pub fn last_reply(&self) -> Option<Utterance> {
        Some(self.last)
    }

    /// Everything the debtor has said in this meeting, greeting first (from the transcript:
    /// a meeting that is not recording has only the greeting).
    pub fn heard(&self) -> Vec<Utterance> {
        std::iter::once(self.greeting)
            .chain(self.turns.iter().filter_map(|t| reply_in(&t.events)))
            .collect()
    }

    /// Whether these words were said in this meeting already.
    fn has_said(&self, u: &Utterance) -> bool {
        self.bundle.word_slot(u).is_some_and(|k| {
            self.said_words
                .get(k / 64)
                .is_some_and(|w| w & (1 << (k % 64)) != 0)
        })
    }

    /// Keeps what the debtor just said.
    fn note_said(&mut self, b: &CaseBundle, u: Utterance) {
        if let Some(k) = b.word_slot(&u)
            && let Some(w) = self.said_words.get_mut(k / 64)
        {
            *w |= 1 << (k % 64);
        }
        self.last = u;
    }

    /// This meeting replayed under `seed` up to its first `turns` turns (recording): "retry from
    /// this turn", or the same start under another seed. None when one of those lines is not
    /// open under that seed.
    pub fn replayed(&self, seed: u64, turns: usize) -> Option<Meeting> {
        let mut m = Meeting::new(Arc::clone(&self.bundle), seed, &self.preparations).ok()?;
        for t in self.turns.iter().take(turns) {
            m.respond(t.choice, t.elapsed).ok()?;
        }
        Some(m)
    }

    /// Stops keeping the transcript (for search, where only the state matters).
    pub fn without_recording(mut self) -> Meeting {
        self.recording = false;
        self
    }

    /// The number of turns played (also when not recording).
    pub fn turn_count(&self) -> u32 {
        self.progress.turn
    }

    /// How the debtor takes a line no rule reacts to: hostile only when the line soured a
    /// hostile mood and moved them no nearer paying (a debtor whose usual mood is hostile is
    /// merely guarded otherwise).
    fn reaction(&self, moved: Moved) -> Reaction {
        let t = self.bundle.dynamics.reaction_threshold;
        let pleasure_moved = moved.pleasure;
        match self.state.mood_name() {
            MoodName::Hostile if pleasure_moved < -t && moved.willingness <= 0.0 => {
                Reaction::Hostile
            }
            MoodName::Hostile if pleasure_moved < -t => Reaction::Irritated,
            MoodName::Hostile => Reaction::Guarded,
            _ if pleasure_moved > t => Reaction::Warm,
            _ if pleasure_moved < -t => Reaction::Irritated,
            _ if self.state.trust < self.bundle.dynamics.guarded_trust => Reaction::Guarded,
            _ => Reaction::Neutral,
        }
    }

    /// Raises an excuse: a `certain` one the first time it can be raised, otherwise with a
    /// chance that falls as willingness rises, picked by weight. A question, or a line of the
    /// close ("Agreed?"), is answered, not met with a passing excuse (the debtor's real
    /// objection still comes up).
    fn raise_excuse(
        &mut self,
        bundle: &CaseBundle,
        roll: f64,
        pick: f64,
        said: &Choice,
    ) -> Option<usize> {
        let act = said.act;
        let closing = said.stage == LineStage::Close;
        if self.progress.open_excuse.is_some() {
            return None;
        }
        let eligible = |i: usize| {
            let e = &bundle.cexcuses[i];
            self.progress.excuse_counts[i] < e.max_times
                && !self.progress.conceded[i]
                && e.weight > 0.0
                && e.when.iter().all(|c| self.holds(c, None, None))
        };
        let certain = self
            .progress
            .objections
            .iter()
            .copied()
            .find(|&i| self.progress.excuse_counts[i] == 0 && eligible(i));
        let chosen = match certain {
            Some(i) => i,
            None => {
                let p = bundle.persona.excuse_rate * (1.0 - self.state.willingness);
                if roll >= p || act == Act::Question || closing {
                    return None;
                }
                // Each excuse's conditions are judged once (kept inline: no allocation).
                let weighted: SmallVec<[(usize, f64); 8]> = (0..bundle.cexcuses.len())
                    .filter(|&i| eligible(i))
                    .map(|i| (i, bundle.cexcuses[i].weight))
                    .collect();
                weighted_pick(weighted.iter().copied(), pick)?
            }
        };
        self.progress.excuse_counts[chosen] += 1;
        self.progress.open_excuse = Some(chosen);
        self.progress.excuse_since = self.progress.turn;
        self.progress.excuse_left = 0;
        self.progress.excuse_heard = false;
        self.conduct.excuses_raised += 1;
        Some(chosen)
    }
}

/// Seconds of thought as charged: finite, 0 to `MAX_THOUGHT_SECONDS`.
fn thought(elapsed: f64) -> f64 {
    if elapsed.is_finite() {
        elapsed.clamp(0.0, MAX_THOUGHT_SECONDS)
    } else {
        0.0
    }
}

/// The entry whose weight band `pick` (0–1) falls in (two passes over the entries, no list).
fn weighted_pick(items: impl Iterator<Item = (usize, f64)> + Clone, pick: f64) -> Option<usize> {
    let total: f64 = items.clone().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return None;
    }
    let mut target = pick * total;
    let mut last = None;
    for (i, w) in items {
        if target < w {
            return Some(i);
        }
        target -= w;
        last = Some(i);
    }
    last
}

/// What came of a closing request this turn.
#[derive(Clone, Copy, Debug, Default)]
struct Decided {
    refused: bool,
    /// The excuse the debtor held to in refusing (it was still on the table).
    held: Option<usize>,
}

/// Whether a line puts a plan forward without a date.
fn offers_undated_plan(c: &Choice) -> bool {
    c.sets
        .iter()
        .any(|m| matches!(m, Marker::PlanFull | Marker::PlanSplit))
        && !c.sets.contains(&Marker::Deadline)
}

/// The meeting's real objections: the persona's certain excuses, in an order drawn by weight
/// (a draw is made only when there is a choice, so single-objection personas keep their random
/// stream).
fn real_objections(bundle: &CaseBundle, rng: &mut ChaCha8Rng) -> SmallVec<[usize; 4]> {
    let mut left: Vec<(usize, f64)> = bundle
        .cexcuses
        .iter()
        .enumerate()
        .filter(|(_, e)| e.certain)
        .map(|(i, e)| (i, e.weight.max(1e-9)))
        .collect();
    let mut order = SmallVec::new();
    while left.len() > 1 {
        let Some(i) = weighted_pick(left.iter().copied(), unit(rng)) else {
            break;
        };
        order.push(i);
        left.retain(|(k, _)| *k != i);
    }
    order.extend(left.into_iter().map(|(i, _)| i));
    order
}

/// The said-words bits of a meeting that has heard only `greeting`.
fn said_bits(bundle: &CaseBundle, greeting: Utterance) -> SmallVec<[u64; 4]> {
    let mut bits: SmallVec<[u64; 4]> = smallvec::smallvec![0; bundle.words.div_ceil(64)];
    if let Some(k) = bundle.word_slot(&greeting)
        && let Some(w) = bits.get_mut(k / 64)
    {
        *w |= 1 << (k % 64);
    }
    bits
}
