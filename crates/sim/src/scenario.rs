//! The RON schema: tactic book, line library, rubric, personas and cases, as trainers write them.
//! Every number that tunes the simulation lives in these types' files, not in code.

use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn one() -> f64 {
    1.0
}
fn two() -> u8 {
    2
}
fn three() -> u32 {
    3
}
fn yes() -> bool {
    true
}
fn pace_limit() -> f64 {
    40.0
}
fn unbacked() -> f64 {
    0.4
}
fn unbacked_cap() -> f64 {
    0.45
}
fn fit_weight() -> f64 {
    0.2
}
fn guarded_trust() -> f64 {
    0.4
}
fn vague_credibility() -> f64 {
    0.5
}
fn half() -> f64 {
    0.5
}
fn pay_band() -> f64 {
    0.1
}
fn excuse_drag() -> f64 {
    0.4
}
fn heard_bonus() -> f64 {
    0.5
}
fn default_drivers() -> DriverWeights {
    DriverWeights {
        relationship: 0.2,
        consequence: 0.15,
        obligation: 0.3,
        plan: 0.3,
    }
}

/// A change to the debtor's state. Every field defaults to 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Effect {
    pub pleasure: f64,
    pub arousal: f64,
    pub dominance: f64,
    pub face: f64,
    pub trust: f64,
    pub willingness: f64,
    pub patience: f64,
    pub ability: f64,
}

impl Effect {
    pub fn scaled(&self, k: f64) -> Effect {
        Effect {
            pleasure: self.pleasure * k,
            arousal: self.arousal * k,
            dominance: self.dominance * k,
            face: self.face * k,
            trust: self.trust * k,
            willingness: self.willingness * k,
            patience: self.patience * k,
            ability: self.ability * k,
        }
    }

    pub fn plus(&self, o: &Effect) -> Effect {
        Effect {
            pleasure: self.pleasure + o.pleasure,
            arousal: self.arousal + o.arousal,
            dominance: self.dominance + o.dominance,
            face: self.face + o.face,
            trust: self.trust + o.trust,
            willingness: self.willingness + o.willingness,
            patience: self.patience + o.patience,
            ability: self.ability + o.ability,
        }
    }

    pub fn fields(&self) -> [(&'static str, f64); 8] {
        [
            ("pleasure", self.pleasure),
            ("arousal", self.arousal),
            ("dominance", self.dominance),
            ("face", self.face),
            ("trust", self.trust),
            ("willingness", self.willingness),
            ("patience", self.patience),
            ("ability", self.ability),
        ]
    }
}

/// The course's five stages of a collection conversation (COURSE.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    Opening,
    ConfirmFacts,
    StatePurpose,
    PaymentPlan,
    Close,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Opening,
        Stage::ConfirmFacts,
        Stage::StatePurpose,
        Stage::PaymentPlan,
        Stage::Close,
    ];
    pub fn next(self) -> Stage {
        match self {
            Stage::Opening => Stage::ConfirmFacts,
            Stage::ConfirmFacts => Stage::StatePurpose,
            Stage::StatePurpose => Stage::PaymentPlan,
            Stage::PaymentPlan | Stage::Close => Stage::Close,
        }
    }
    pub fn name(self) -> Text {
        match self {
            Stage::Opening => Text::new("开场白", "Opening"),
            Stage::ConfirmFacts => Text::new("确认信息", "Confirm the facts"),
            Stage::StatePurpose => Text::new("表达催款意图", "State the purpose"),
            Stage::PaymentPlan => Text::new("付款方案", "Payment plan"),
            Stage::Close => Text::new("结束语与具体行动", "Close with concrete action"),
        }
    }
}

/// Where a line can be said: at one stage (and from the stage before it), or anywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineStage {
    #[default]
    Any,
    Opening,
    ConfirmFacts,
    StatePurpose,
    PaymentPlan,
    Close,
}

impl LineStage {
    pub fn stage(self) -> Option<Stage> {
        match self {
            LineStage::Any => None,
            LineStage::Opening => Some(Stage::Opening),
            LineStage::ConfirmFacts => Some(Stage::ConfirmFacts),
            LineStage::StatePurpose => Some(Stage::StatePurpose),
            LineStage::PaymentPlan => Some(Stage::PaymentPlan),
            LineStage::Close => Some(Stage::Close),
        }
    }
}

/// The sanctions ladder, mildest first (COURSE.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sanction {
    StopSupply,
    StopService,
    WithdrawAuthorization,
    Reputation,
    Legal,
}

impl Sanction {
    pub fn level(self) -> u8 {
        self as u8 + 1
    }
}

/// Why a debtor pays (DESIGN.md, "the simulator's model"): each persona weighs these four
/// differently, and each tactic feeds one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Driver {
    /// Trust, face and mood: how they feel about the collector and the supplier.
    Relationship,
    /// The cost of not paying: credible consequences, climbed in order, backed by evidence.
    Consequence,
    /// The obligation acknowledged: facts confirmed, disputes answered, the payer accountable.
    Obligation,
    /// A plan that fits their cash.
    Plan,
}

impl Driver {
    pub const ALL: [Driver; 4] = [
        Driver::Relationship,
        Driver::Consequence,
        Driver::Obligation,
        Driver::Plan,
    ];
    pub fn name(self) -> Text {
        match self {
            Driver::Relationship => Text::new("关系", "Relationship"),
            Driver::Consequence => Text::new("不付的代价", "Cost of not paying"),
            Driver::Obligation => Text::new("认账", "Obligation acknowledged"),
            Driver::Plan => Text::new("可行的方案", "A plan that fits"),
        }
    }
}

/// One number per driver: a persona's weights, or the drivers' levels in a meeting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerDriver {
    pub relationship: f64,
    pub consequence: f64,
    pub obligation: f64,
    pub plan: f64,
}

/// How much each driver moves one persona toward paying: willingness = the start willingness
/// + Σ weight × level (each level 0–1) − hardening − excuses left standing.
pub type DriverWeights = PerDriver;

impl PerDriver {
    pub fn get(&self, d: Driver) -> f64 {
        match d {
            Driver::Relationship => self.relationship,
            Driver::Consequence => self.consequence,
            Driver::Obligation => self.obligation,
            Driver::Plan => self.plan,
        }
    }
}

/// Caps a persona's willingness until its conditions hold: what must happen before this debtor
/// moves at all (a dispute answered with evidence, the figures verified, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Until all of these hold, willingness stays at or below `cap`.
    pub unless: Vec<Condition>,
    pub cap: f64,
    /// What the debtor is waiting for, shown in the debrief.
    pub why: Text,
}

/// How grave a break of a course rule is (DESIGN.md, "Scores that measure"): a small slip costs
/// a little, a real break a lot, and only a severe one sinks a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Minor,
    Major,
    Severe,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Major, Severity::Severe];

    pub fn name(self) -> Text {
        match self {
            Severity::Minor => Text::new("轻微", "minor"),
            Severity::Major => Text::new("较重", "major"),
            Severity::Severe => Text::new("严重", "severe"),
        }
    }

    /// The severity a course rule of the bundled rubric has when a file gives none (a rubric
    /// written before severities existed); any other rule is major.
    pub fn default_for(rule: &str) -> Severity {
        match rule {
            "threat_before_refusal" | "legal_first" | "contract_at_honest" | "lost_calm" => {
                Severity::Severe
            }
            "ask_before_facts" | "excuse_ignored" | "flattery" => Severity::Minor,
            _ => Severity::Major,
        }
    }
}

/// What breaking a rule of one severity does: the debtor hardens by `hardening` (willingness
/// and promise credibility), which fades by `fades` of what is left each turn and by `repair`
/// of it on each of the course's repair moves (calm, face, listening); `points` come off the
/// rubric's course-rules item; `bars_payment`: nothing is paid today after it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityEffect {
    pub hardening: f64,
    #[serde(default)]
    pub fades: f64,
    #[serde(default)]
    pub repair: f64,
    /// The share of the course-rules item each break of this severity costs.
    pub share: f64,
    #[serde(default)]
    pub bars_payment: bool,
}

/// The severity table of `rubric.ron`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Severities {
    pub minor: SeverityEffect,
    pub major: SeverityEffect,
    pub severe: SeverityEffect,
}

impl Severities {
    pub fn get(&self, s: Severity) -> &SeverityEffect {
        match s {
            Severity::Minor => &self.minor,
            Severity::Major => &self.major,
            Severity::Severe => &self.severe,
        }
    }
}

impl Default for Severities {
    fn default() -> Self {
        Severities {
            minor: SeverityEffect {
                hardening: 0.04,
                fades: 0.35,
                repair: 0.5,
                share: 0.15,
                bars_payment: false,
            },
            major: SeverityEffect {
                hardening: 0.12,
                fades: 0.1,
                repair: 0.3,
                share: 0.5,
                bars_payment: false,
            },
            severe: SeverityEffect {
                hardening: 0.3,
                fades: 0.0,
                repair: 0.15,
                share: 1.0,
                bars_payment: true,
            },
        }
    }
}

/// One rule of the course (COURSE.md), checked on every line said. Breaking it hardens the
/// debtor as its severity says, and rubric items that name it cost points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseRule {
    pub id: String,
    /// Where the course says so, e.g. "§5".
    pub section: String,
    pub name: Text,
    /// The line breaks the rule when all of these hold (judged before the line takes effect).
    pub when: Vec<Condition>,
    /// Minor, major or severe (default: the bundled rule's own, else major).
    #[serde(default)]
    pub severity: Option<Severity>,
    /// The drivers the break discredits: what lines had added to them loses
    /// `dynamics.discredit` of itself, and so does all they add for the rest of the meeting
    /// (a ladder stepped down makes every later threat empty).
    #[serde(default)]
    pub discredits: Vec<Driver>,
    /// Written before severities: willingness lost, 0–1. Set, it replaces the severity's.
    #[serde(default, deserialize_with = "legacy::number")]
    pub hardening: Option<f64>,
    /// Written before severities: whether nothing is paid today after it. Set, it replaces the
    /// severity's.
    #[serde(default, deserialize_with = "legacy::flag")]
    pub no_payment_today: Option<bool>,
    /// What the debtor makes of it, shown in the debrief.
    pub why: Text,
}

/// What a line establishes in the meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Marker {
    /// The order, amount and payment record have been confirmed.
    Facts,
    /// The purpose (collecting) has been stated.
    Purpose,
    /// A plan to pay the whole amount has been proposed.
    PlanFull,
    /// A plan to pay in instalments has been proposed.
    PlanSplit,
    /// A concrete date is on the table.
    Deadline,
    /// The person who will make the payment has been named.
    Person,
    /// What happens if the promise is missed has been agreed (COURSE.md §3).
    Consequence,
}

/// How a closing line tries to end the meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Close {
    /// Ask for the money now.
    AskNow,
    /// Close on the plan that is on the table (needs one).
    SettlePlan,
    /// Accept a vague "later" (ends the meeting with an undated promise).
    AcceptDelay,
    /// Hand the account to the legal route.
    Escalate,
}

/// A condition on the meeting, for rules, excuses and line availability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    TrustBelow(f64),
    TrustAtLeast(f64),
    FaceBelow(f64),
    FaceAtLeast(f64),
    WillingnessBelow(f64),
    WillingnessAtLeast(f64),
    PleasureBelow(f64),
    PleasureAtLeast(f64),
    PatienceBelow(f64),
    /// The persona's trait is above the value.
    TraitAbove(String, f64),
    /// The persona's trait is below the value.
    TraitBelow(String, f64),
    /// This tactic was used at least N times before this line.
    UsedAtLeast(u32),
    /// The meeting has reached exactly this stage.
    Stage(Stage),
    /// The meeting has not yet reached this stage.
    StageBefore(Stage),
    /// The meeting has reached this stage or a later one.
    StageAtLeast(Stage),
    PlanOffered,
    NoPlan,
    /// A plan and a date are both on the table.
    PlanDated,
    /// A plan is on the table but no date.
    PlanUndated,
    DeadlineSet,
    NoDeadline,
    FactsConfirmed,
    FactsUnconfirmed,
    PersonNamed,
    ExcuseOpen,
    NoExcuseOpen,
    /// The debtor has refused a closing request at least once.
    Refused,
    NotRefused,
    Malicious,
    NotMalicious,
    /// The line being said mentions the contract.
    MentionsContract,
    /// The line is a sanction that skips a rung of the ladder.
    SanctionSkipsLevel,
    /// The trainee prepared this.
    HasPrep(String),
    /// The trainee did not prepare this.
    LacksPrep(String),
    /// Any one of these holds.
    Any(Vec<Condition>),
    /// The line being said is a threat (a pressure tactic or a rung of the sanctions ladder).
    Threat,
    /// The line being said asks for money (and is not a counter to an excuse).
    Asks,
    /// The line being said closes with this request.
    Closes(Close),
    /// The line being said is of this tactic family.
    Tactic(String),
    /// The line being said has at least this intensity (1–3).
    IntensityAtLeast(u8),
    /// The line being said is a rung below one already reached.
    SanctionReversed,
    /// A rung of the ladder at least this high (1 stop supply … 5 legal) has been reached.
    SanctionAtLeast(u8),
    /// The debtor refused the trainee's previous line.
    RefusedLast,
    /// The line being said leaves the excuse on the table unanswered.
    LeavesExcuse,
    /// This excuse of the persona's has been answered by one of its counters.
    ExcuseDefused(String),
    /// The debtor's obligation (facts, evidence, accountability) is at least this, 0–1.
    ObligationAtLeast(f64),
    /// The cost of not paying (credible consequences) is at least this, 0–1.
    ConsequenceAtLeast(f64),
    /// What happens if the promise is missed has been stated.
    ConsequenceStated,
    /// The line being said is the one said on the turn before.
    RepeatsLastLine,
    /// The debtor has raised an excuse in this meeting (a difficulty is on record).
    ExcuseRaised,
    /// The debtor's previous reply was hostile or a brush-off, and nothing has turned them since.
    Rebuffed,
    /// The line being said is this rung of the sanctions ladder (1 stop supply … 5 legal).
    SanctionRung(u8),
    /// The line being said names a rung and no rung has been named before it.
    FirstRung,
    /// The line being said proposes a plan without a date (and none is set with it).
    OffersUndatedPlan,
    /// A broken course rule still hardens the debtor (it has not faded or been repaired).
    Hardened,
    /// The trainee listened to the excuse on the table.
    ExcuseHeard,
    /// The condition does not hold.
    Not(Box<Condition>),
    /// All of these hold (inside `Any`).
    All(Vec<Condition>),
}

/// How the debtor sounds; keys of a persona's `voice` and of the default voice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reaction {
    /// The debtor's first words as the meeting opens.
    Greeting,
    Warm,
    Neutral,
    Guarded,
    Irritated,
    Hostile,
    BrushOff,
    Scoff,
    Refuse,
    Pay,
    Commit,
    PartPay,
    AcceptDelay,
    WalkOut,
    Escalated,
}

impl Reaction {
    pub const ALL: [Reaction; 15] = [
        Reaction::Greeting,
        Reaction::Warm,
        Reaction::Neutral,
        Reaction::Guarded,
        Reaction::Irritated,
        Reaction::Hostile,
        Reaction::BrushOff,
        Reaction::Scoff,
        Reaction::Refuse,
        Reaction::Pay,
        Reaction::Commit,
        Reaction::PartPay,
        Reaction::AcceptDelay,
        Reaction::WalkOut,
        Reaction::Escalated,
    ];
}

/// A rule that changes a tactic's effect when its conditions hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// All must hold.
    pub when: Vec<Condition>,
    /// Multiplies the tactic's base effect.
    #[serde(default)]
    pub scale: Option<f64>,
    /// Added after scaling (times the line's intensity factor).
    #[serde(default)]
    pub effect: Effect,
    /// Forces the debtor's reaction.
    #[serde(default)]
    pub reaction: Option<Reaction>,
    /// Why it happened, shown in the debrief beside the line.
    pub why: Text,
}

/// A tactic family (COURSE.md §4) and how it moves a debtor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tactic {
    pub id: String,
    pub name: Text,
    /// The course principle behind it, cited in debriefs.
    pub course: Text,
    /// The effect at intensity 2, before traits and rules.
    pub effect: Effect,
    /// The persona trait that multiplies the willingness part of the base effect.
    #[serde(default)]
    pub response_trait: Option<String>,
    /// Each earlier use multiplies the base effect by this (1 = no wear-off).
    #[serde(default = "one")]
    pub repeat_decay: f64,
    /// Counts as pressure for "no threat before it was warranted" and "calm under refusal".
    #[serde(default)]
    pub threat: bool,
    /// Counts as asking for money, for "facts confirmed before asking".
    #[serde(default)]
    pub asks: bool,
    /// Counts as a polite opening when it is the first line.
    #[serde(default)]
    pub polite: bool,
    /// The driver its willingness effect feeds (default: the relationship).
    #[serde(default)]
    pub driver: Option<Driver>,
    /// Listening, empathy or calm: a legitimate answer to an excuse on the table (it is heard,
    /// not ignored) and a repair move.
    #[serde(default)]
    pub listening: bool,
    /// One of the course's repair moves (calm, face, listening, an apology): after a broken
    /// rule it wins back part of the hardening.
    #[serde(default)]
    pub repair: bool,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// A persona trait the rules may refer to; personas give values in [0, 2], 1 = typical.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraitDef {
    pub id: String,
    pub name: Text,
    #[serde(default = "one")]
    pub default: f64,
}

/// Something the trainee can do before the meeting (COURSE.md §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preparation {
    pub id: String,
    pub name: Text,
    pub description: Text,
    /// Applied to the debtor when the meeting starts.
    #[serde(default)]
    pub effect: Effect,
    /// The drivers this preparation backs with evidence: without backing, what a line adds to
    /// a driver counts only `dynamics.unbacked`.
    #[serde(default)]
    pub backs: Vec<Driver>,
}

/// Numbers that drive every turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dynamics {
    /// Effect multipliers for intensity 1, 2, 3 (exactly three numbers).
    pub intensity: Vec<f64>,
    /// Patience lost every turn.
    pub patience_per_turn: f64,
    /// Seconds the trainee may think before hesitation costs patience.
    pub hesitation_grace: f64,
    /// Patience lost per second of thought, once past the grace and the ramp.
    pub hesitation_cost: f64,
    /// Seconds after the grace over which the cost per second grows from 0 to
    /// `hesitation_cost` (no cliff: the cost grows smoothly).
    #[serde(default)]
    pub hesitation_ramp: f64,
    /// Seconds of thought per line at which the pace share of the rubric reaches 0.
    #[serde(default = "pace_limit")]
    pub pace_limit: f64,
    /// Extra patience lost per turn per point of positive arousal.
    pub arousal_drain: f64,
    /// No longer used (willingness now comes from the drivers); still read so that older
    /// tactic books load. `validate` warns when it is set.
    #[serde(default)]
    pub willingness_from_trust: f64,
    /// No longer used, as `willingness_from_trust`.
    #[serde(default)]
    pub willingness_from_pleasure: f64,
    /// Driver weights for personas that give none.
    #[serde(default = "default_drivers")]
    pub default_drivers: DriverWeights,
    /// What a driver gains from a line counts this share when no preparation backs it.
    #[serde(default = "unbacked")]
    pub unbacked: f64,
    /// And a driver no preparation backs never rises above this: preparation decides what is
    /// possible.
    #[serde(default = "unbacked_cap")]
    pub unbacked_cap: f64,
    /// A reply sounds guarded when trust is below this.
    #[serde(default = "guarded_trust")]
    pub guarded_trust: f64,
    /// A preparation fits the debtor (for `PreparationFit`) when it backs a driver this
    /// debtor weighs at least this much, or a line that needs it was said.
    #[serde(default = "fit_weight")]
    pub fit_weight: f64,
    /// Credibility of a promise made by accepting a vague delay, as a share of a normal one.
    #[serde(default = "vague_credibility")]
    pub vague_delay_credibility: f64,
    /// Patience lost when the debtor refuses a closing request.
    pub refusal_patience: f64,
    /// Share of an excuse's willingness cost added for each turn it stands unanswered.
    #[serde(default = "excuse_drag")]
    pub excuse_drag: f64,
    /// Below its pay threshold by less than this, a debtor is partly ready to pay today (in
    /// proportion): no cliff at the threshold.
    #[serde(default = "pay_band")]
    pub pay_band: f64,
    /// Asked to pay now, an honest debtor at least this ready pays that share of what it can;
    /// less ready, it refuses.
    #[serde(default = "half")]
    pub part_pay_floor: f64,
    /// The share of a driver's gains a broken rule that discredits it takes away.
    #[serde(default = "half")]
    pub discredit: f64,
    /// A counter said after the trainee listened to the excuse lands this much better.
    #[serde(default = "heard_bonus")]
    pub heard_bonus: f64,
    /// Commitment credibility = (base + dated + person + willingness × will) × (1 − honesty_weight + honesty_weight × honesty/2).
    pub credibility: Credibility,
    /// A reaction is Warm/Irritated when the pleasure change is beyond this.
    pub reaction_threshold: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credibility {
    pub base: f64,
    pub dated: f64,
    pub person: f64,
    pub will: f64,
    pub honesty_trait: String,
    pub honesty_weight: f64,
    /// Credibility is multiplied by this when the persona's `promise_needs` do not all hold.
    #[serde(default = "half")]
    pub unmet_needs: f64,
    /// How much a plan that does not fit their cash lowers credibility: it is multiplied by
    /// 1 − plan_fit + plan_fit × (the plan driver, 0–1).
    #[serde(default)]
    pub plan_fit: f64,
}

/// `scenarios/tactics.ron`: traits, tactics, preparations, dynamics and the default voice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TacticBook {
    pub traits: Vec<TraitDef>,
    pub tactics: Vec<Tactic>,
    pub preparations: Vec<Preparation>,
    pub dynamics: Dynamics,
    /// What debtors say when their persona has no line of its own for a reaction.
    pub voice: BTreeMap<Reaction, Vec<Text>>,
    /// Answers to what was said, for every debtor (after the case's and the persona's own).
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// What a debtor says on agreeing after a hostile or brush-off reply: the driver that
    /// changed their mind since.
    #[serde(default)]
    pub turnaround: BTreeMap<Driver, Text>,
}

/// What kind of thing a line does, for choosing the debtor's answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Act {
    /// A greeting or pleasantry.
    Greet,
    /// A question the debtor can answer.
    Question,
    /// A statement of fact or evidence (the default).
    #[default]
    Inform,
    /// A plan, a date or an offer put forward for agreement.
    Propose,
    /// A demand for payment.
    Demand,
    /// A warning of consequences.
    Threaten,
    /// Giving ground: time, understanding, calm.
    Concede,
    /// An appeal to feelings: praise, sympathy, face.
    Appeal,
}

/// What an answer answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Said {
    /// The line (or counter) with this id.
    Line(String),
    /// Any line of this tactic family.
    Tactic(String),
    /// Any line of this kind.
    Act(Act),
}

/// A reply the debtor gives to what was said. The debtor answers from the case's answers first,
/// then the persona's, then the tactic book's; within each, an answer to the line itself comes
/// before one to its tactic, then its act, then any line. The mood voice is the last resort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// What it answers; any one matches. Empty: any line.
    #[serde(default)]
    pub to: Vec<Said>,
    /// All must hold, judged after the line has had its effect.
    #[serde(default)]
    pub when: Vec<Condition>,
    /// The reaction it voices. With a tone it is said only when the debtor reacts that way
    /// (a rule forces it, the mood is hostile, or a close ends or is refused); without one, in
    /// any other moment.
    #[serde(default)]
    pub tone: Option<Reaction>,
    /// The answer refuses (whatever its tone): saying it counts as a refusal.
    #[serde(default)]
    pub refuses: bool,
    /// Its wordings; the debtor does not repeat one word for word while another fits.
    pub text: Vec<Text>,
}

/// A line the trainee can say.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub id: String,
    pub tactic: String,
    /// What kind of thing it does (for the debtor's answer); default `Inform`.
    #[serde(default)]
    pub act: Act,
    /// 1 mild, 2 firm, 3 strong.
    #[serde(default = "two")]
    pub intensity: u8,
    #[serde(default)]
    pub stage: LineStage,
    pub text: Text,
    #[serde(default)]
    pub needs_prep: Option<String>,
    #[serde(default)]
    pub mentions_contract: bool,
    #[serde(default)]
    pub sets: Vec<Marker>,
    #[serde(default)]
    pub sanction: Option<Sanction>,
    /// The line names a consequence of not paying (a sanction in other words: "we'll hold the
    /// next order"), whatever its tactic: it counts as a threat for the course's rules.
    #[serde(default)]
    pub threat: bool,
    #[serde(default)]
    pub close: Option<Close>,
    /// Share of the debt given up for paying now (win-win discount), 0–0.2.
    #[serde(default)]
    pub discount: f64,
    /// The line is offered only while all of these hold.
    /// A deliberate trap: a line the course teaches not to say, offered so the trainee can
    /// learn to refuse it. `analyze` reports traps as traps (and warns if one pays off), never
    /// as lines to cut.
    #[serde(default)]
    pub trap: bool,
    #[serde(default)]
    pub requires: Vec<Condition>,
}

/// `scenarios/lines.ron`: the shared line library; cases add and remove lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineLibrary {
    pub lines: Vec<Line>,
}

/// A way to defuse an excuse; offered as a choice while the excuse is on the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counter {
    pub id: String,
    pub tactic: String,
    pub text: Text,
    #[serde(default)]
    pub needs_prep: Option<String>,
    /// Extra effect when it lands.
    #[serde(default)]
    pub effect: Effect,
    /// What the debtor says when the excuse is defused.
    pub reply: Text,
    /// Other excuses (ids) the debtor can no longer raise once this counter lands: what the
    /// reply concedes rules them out.
    #[serde(default)]
    pub concedes: Vec<String>,
    /// Offered only once the trainee has listened to the excuse (said a listening line while
    /// it stood): what listening brings to light.
    #[serde(default)]
    pub after_listening: bool,
}

/// An excuse the debtor can raise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Excuse {
    pub id: String,
    pub text: Text,
    /// Its words when raised again (with `max_times` above 1); without them, the same words.
    #[serde(default)]
    pub again: Option<Text>,
    #[serde(default = "one")]
    pub weight: f64,
    /// Raised only while all hold.
    #[serde(default)]
    pub when: Vec<Condition>,
    #[serde(default = "one_u32")]
    pub max_times: u32,
    /// Raised the first time its conditions hold, whatever the roll (the debtor's real
    /// objection, which always comes up). When several excuses are certain, the seed draws the
    /// order they come up in (by weight): which one the trainee meets first varies.
    #[serde(default)]
    pub certain: bool,
    /// The excuse is a refusal in itself ("No money. Sue us."): saying it counts as refusing.
    #[serde(default)]
    pub refuses: bool,
    /// What the excuse costs while it stands unanswered: the first turn it is left standing
    /// applies the whole effect but willingness, and each turn it stands adds a share of the
    /// willingness part (`dynamics.excuse_drag`), up to all of it, for the rest of the meeting.
    pub cost: Effect,
    pub counters: Vec<Counter>,
}

fn one_u32() -> u32 {
    1
}

/// Pleasure, arousal, dominance, each in [-1, 1].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pad {
    pub pleasure: f64,
    pub arousal: f64,
    pub dominance: f64,
}

/// The debtor's state when the meeting starts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    pub face: f64,
    pub trust: f64,
    pub willingness: f64,
    pub patience: f64,
    /// Share of the debt the debtor could pay today.
    pub ability: f64,
}

/// Why this debtor does not pay (COURSE.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Motive {
    EvadingResponsibility,
    FinancialPressure,
    Distrust,
    HabitualDelay,
    PrioritySetting,
    ChangedFinanceHead,
    Malicious,
}

impl Motive {
    pub fn name(self) -> Text {
        match self {
            Motive::EvadingResponsibility => Text::new("逃避责任", "Evading responsibility"),
            Motive::FinancialPressure => Text::new("财务压力", "Financial pressure"),
            Motive::Distrust => Text::new("不信任感", "Distrust"),
            Motive::HabitualDelay => Text::new("拖欠成瘾", "Habitual delay"),
            Motive::PrioritySetting => Text::new("优先级设置", "Priority setting"),
            Motive::ChangedFinanceHead => Text::new("更换财务负责人", "Changed finance head"),
            Motive::Malicious => Text::new("恶意欠款", "Malicious"),
        }
    }
}

/// `scenarios/personas/*.ron`: a debtor archetype.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: String,
    pub name: Text,
    pub motive: Motive,
    #[serde(default)]
    pub malicious: bool,
    pub description: Text,
    pub baseline: Pad,
    pub start: Start,
    /// Share of the distance back to the baseline mood covered each turn, 0–1.
    pub drift: f64,
    #[serde(default)]
    pub traits: BTreeMap<String, f64>,
    /// Willingness needed to pay on the spot.
    pub pay_threshold: f64,
    /// Willingness needed to sign up to a plan.
    pub commit_threshold: f64,
    /// Chance per turn, at zero willingness, of raising an excuse.
    pub excuse_rate: f64,
    /// Why this debtor pays: how much each driver moves them (default: `dynamics.default_drivers`).
    #[serde(default)]
    pub drivers: Option<DriverWeights>,
    /// What must happen before this debtor moves at all.
    #[serde(default)]
    pub gates: Vec<Gate>,
    /// A promise from this debtor is credible only when all of these hold.
    #[serde(default)]
    pub promise_needs: Vec<Condition>,
    pub excuses: Vec<Excuse>,
    #[serde(default)]
    pub voice: BTreeMap<Reaction, Vec<Text>>,
    /// This debtor's own answers to what was said (before the tactic book's).
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// A titled paragraph of a case file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: Text,
    pub body: Text,
}

/// `scenarios/cases/*.ron`: one overdue invoice, one debtor, one meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    pub title: Text,
    pub persona: String,
    pub industry: Text,
    /// 1 (easy) to 5 (hard).
    pub difficulty: u8,
    /// The overdue amount in yuan.
    pub amount: u64,
    pub brief: Text,
    /// The case file: the transaction, the people, the debtor's finance.
    pub sections: Vec<Section>,
    /// Values for `{name}` placeholders in lines (`amount` is filled in from `amount`).
    pub vars: BTreeMap<String, Text>,
    /// Preparations on offer, and how many the trainee may pick.
    pub preparations: Vec<String>,
    pub prep_budget: u8,
    #[serde(default = "three")]
    pub instalments: u32,
    pub max_turns: u32,
    pub par_turns: u32,
    /// Overrides of the persona's start state for this case.
    #[serde(default)]
    pub start: Option<Start>,
    #[serde(default)]
    pub extra_lines: Vec<Line>,
    #[serde(default)]
    pub without_lines: Vec<String>,
    /// This case's own answers to what was said (before the persona's).
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// The model approach: preparations and line ids a course-following trainee would use,
    /// in order (excuses are answered as they come).
    pub model_preparations: Vec<String>,
    pub model_lines: Vec<String>,
    /// Scenario tests: lines said in order and what must come of them (`dunning-dojo test`).
    #[serde(default)]
    pub tests: Vec<TestPlan>,
}

/// A scenario test: from a seed, the preparations and the lines said in order, and what must
/// come of them. Excuses are answered as they come (the first counter open), unless
/// `answer_excuses: false`; a line `"counter"` answers the excuse on the table explicitly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestPlan {
    pub name: String,
    #[serde(default = "first_seed")]
    pub seed: u64,
    #[serde(default)]
    pub preparations: Vec<String>,
    pub lines: Vec<String>,
    #[serde(default = "yes")]
    pub answer_excuses: bool,
    #[serde(default)]
    pub expect: Expect,
}

fn first_seed() -> u64 {
    1
}

/// What a test plan's meeting must come to; every part is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The score, from and to (inclusive).
    #[serde(default)]
    pub score: Option<(f64, f64)>,
    /// The grade, from the lowest to the highest accepted, e.g. `Some(("C", "A"))`.
    #[serde(default)]
    pub grade: Option<(String, String)>,
    /// Any of these outcomes: paid_in_full, partial, commitment, no_deal, walk_out, escalated,
    /// unfinished.
    #[serde(default)]
    pub outcome: Vec<String>,
    /// Excuses (ids) the debtor must raise, and must not.
    #[serde(default)]
    pub excuses_raised: Vec<String>,
    #[serde(default)]
    pub excuses_not_raised: Vec<String>,
    /// Course rules (ids from rubric.ron) the lines must break, and must not.
    #[serde(default)]
    pub rules_broken: Vec<String>,
    #[serde(default)]
    pub rules_kept: Vec<String>,
}

/// What a rubric item measures; each yields a share in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    RecoveredNow,
    CommitmentCredibility,
    EndTrust,
    EndFace,
    EndMood,
    PoliteOpening,
    FactsBeforeAsk,
    ExcusesCountered,
    NoVagueDelay,
    ConcreteClose,
    NoPrematureThreat,
    NoContractAtHonestDebtor,
    CalmUnderRefusal,
    Efficiency,
    /// 1 minus `per_break` for each time a course rule named in the item's `rules` was broken.
    KeptRules,
    /// The share of the chosen preparations that this meeting used (a line or counter needed
    /// it, or it backed a driver that moved this debtor).
    PreparationFit,
    /// Thinking time: 1 within the grace, falling smoothly to 0 at `dynamics.pace_limit`.
    Pace,
    /// 1 minus the share each broken course rule costs by its severity (`severities`).
    RulesBySeverity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group {
    Outcome,
    Relationship,
    Conduct,
    Efficiency,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricItem {
    pub id: String,
    pub group: Group,
    pub name: Text,
    pub points: f64,
    pub measure: Measure,
    /// The share at or above which the item counts as earned (its `earned` note shows);
    /// below it the `missed` note shows. Default 1: only full marks count.
    #[serde(default = "one")]
    pub pass: f64,
    /// The course principle, cited in the debrief.
    pub principle: Text,
    /// Shown when the item cost points.
    pub missed: Text,
    /// Shown when it scored in full.
    pub earned: Text,
    /// For `KeptRules`: the course rules (ids in the rubric's `rules`) this item judges.
    #[serde(default)]
    pub rules: Vec<String>,
    /// For `KeptRules`, `NoPrematureThreat`, `CalmUnderRefusal`: the share lost per break.
    #[serde(default = "half")]
    pub per_break: f64,
    /// For `RecoveredNow`: the share of the item a credible promise can earn (the promised
    /// money times its credibility, against what they could pay today); 0 counts money only.
    #[serde(default)]
    pub promise_credit: f64,
    /// The situation the item is about; when it never came up in a meeting, the item is
    /// neither praised nor blamed (full points, the `not_arisen` note). Default: always.
    #[serde(default)]
    pub arises: Option<Situation>,
    /// The note when the situation never came up.
    #[serde(default = "not_arisen")]
    pub not_arisen: Text,
}

/// A situation a rubric item judges how the trainee handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Situation {
    /// The debtor refused a closing request.
    Refusal,
    /// The debtor raised an excuse.
    Excuse,
    /// The trainee said a threat (pressure or a sanction).
    Threat,
    /// The trainee named a rung of the sanctions ladder.
    Sanction,
    /// Something was left to promise (the debtor did not pay in full now).
    Remainder,
}

fn not_arisen() -> Text {
    Text::new(
        "这次会谈里没有出现这种情况。",
        "This did not come up in this meeting.",
    )
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub min: f64,
    pub grade: String,
    pub label: Text,
}

/// `scenarios/rubric.ron`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// Highest first.
    pub grades: Vec<Grade>,
    pub items: Vec<RubricItem>,
    /// The course's rules, checked on every line.
    #[serde(default)]
    pub rules: Vec<CourseRule>,
    /// What a break of each severity costs (default: the table in SCENARIO_FORMAT.md).
    #[serde(default)]
    pub severities: Severities,
}

impl CourseRule {
    /// The rule's severity: its own, else the bundled rule's default.
    pub fn severity(&self) -> Severity {
        self.severity
            .unwrap_or_else(|| Severity::default_for(&self.id))
    }
}

/// Fields that became optional keep loading as older files wrote them: a bare value (`0.25`)
/// as well as `Some(0.25)`.
mod legacy {
    use serde::de::{Deserializer, Error, Visitor};
    use std::fmt;

    struct Lenient<T>(std::marker::PhantomData<T>);

    impl<'de> Visitor<'de> for Lenient<f64> {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a number, or Some(number)")
        }
        fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Lenient<bool> {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("true or false, or Some(true or false)")
        }
        fn visit_bool<E: Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        d.deserialize_any(Lenient::<f64>(std::marker::PhantomData))
    }

    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(Lenient::<bool>(std::marker::PhantomData))
    }
}
