//! The debtor's state: PAD mood, face, trust, willingness, patience and ability, all bounded,
//! and the named mood a view shows.

use crate::scenario::{Effect, Pad};
use crate::text::Text;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DebtorState {
    pub mood: Pad,
    /// Face (面子), 0–1.
    pub face: f64,
    /// Trust in the collector, 0–1.
    pub trust: f64,
    /// Willingness to pay, 0–1.
    pub willingness: f64,
    /// Patience left, 0–1; at 0 the debtor walks out.
    pub patience: f64,
    /// Share of the debt the debtor could pay today, 0–1.
    pub ability: f64,
}

fn unit(v: f64) -> f64 {
    if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) }
}
fn signed(v: f64) -> f64 {
    if v.is_nan() { 0.0 } else { v.clamp(-1.0, 1.0) }
}

impl DebtorState {
    pub fn apply(&mut self, e: &Effect) {
        self.mood.pleasure += e.pleasure;
        self.mood.arousal += e.arousal;
        self.mood.dominance += e.dominance;
        self.face += e.face;
        self.trust += e.trust;
        self.willingness += e.willingness;
        self.patience += e.patience;
        self.ability += e.ability;
        self.clamp();
    }

    pub fn clamp(&mut self) {
        self.mood.pleasure = signed(self.mood.pleasure);
        self.mood.arousal = signed(self.mood.arousal);
        self.mood.dominance = signed(self.mood.dominance);
        self.face = unit(self.face);
        self.trust = unit(self.trust);
        self.willingness = unit(self.willingness);
        self.patience = unit(self.patience);
        self.ability = unit(self.ability);
    }

    /// The change from `before` to `self`.
    pub fn minus(&self, before: &DebtorState) -> Effect {
        Effect {
            pleasure: self.mood.pleasure - before.mood.pleasure,
            arousal: self.mood.arousal - before.mood.arousal,
            dominance: self.mood.dominance - before.mood.dominance,
            face: self.face - before.face,
            trust: self.trust - before.trust,
            willingness: self.willingness - before.willingness,
            patience: self.patience - before.patience,
            ability: self.ability - before.ability,
        }
    }

    pub fn mood_name(&self) -> MoodName {
        MoodName::of(self.mood)
    }

    /// True when every value is inside its range.
    pub fn in_range(&self) -> bool {
        let s = |v: f64| (-1.0..=1.0).contains(&v);
        let u = |v: f64| (0.0..=1.0).contains(&v);
        s(self.mood.pleasure)
            && s(self.mood.arousal)
            && s(self.mood.dominance)
            && u(self.face)
            && u(self.trust)
            && u(self.willingness)
            && u(self.patience)
            && u(self.ability)
    }
}

/// Mehrabian's eight PAD octants, plus calm when all three are near zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoodName {
    Calm,
    Exuberant,
    Dependent,
    Relaxed,
    Docile,
    Hostile,
    Anxious,
    Disdainful,
    Bored,
}

impl MoodName {
    pub fn of(p: Pad) -> MoodName {
        let near = 0.15;
        if p.pleasure.abs() < near && p.arousal.abs() < near && p.dominance.abs() < near {
            return MoodName::Calm;
        }
        match (p.pleasure >= 0.0, p.arousal >= 0.0, p.dominance >= 0.0) {
            (true, true, true) => MoodName::Exuberant,
            (true, true, false) => MoodName::Dependent,
            (true, false, true) => MoodName::Relaxed,
            (true, false, false) => MoodName::Docile,
            (false, true, true) => MoodName::Hostile,
            (false, true, false) => MoodName::Anxious,
            (false, false, true) => MoodName::Disdainful,
            (false, false, false) => MoodName::Bored,
        }
    }

    pub fn name(self) -> Text {
        let (zh, en) = match self {
            MoodName::Calm => ("平静", "calm"),
            MoodName::Exuberant => ("兴奋", "exuberant"),
            MoodName::Dependent => ("依赖", "dependent"),
            MoodName::Relaxed => ("放松", "relaxed"),
            MoodName::Docile => ("温顺", "docile"),
            MoodName::Hostile => ("敌对", "hostile"),
            MoodName::Anxious => ("焦虑", "anxious"),
            MoodName::Disdainful => ("轻蔑", "disdainful"),
            MoodName::Bored => ("冷淡", "bored"),
        };
        Text::new(zh, en)
    }
}
