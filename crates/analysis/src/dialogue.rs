//! Does the debtor answer what was said? Per meeting: how many replies fell back to the mood
//! voice (no answer to the line fitted) and how many repeated, word for word, something the
//! debtor had already said; over a case: the model playthrough and many random ones.

use serde::Serialize;
use sim::autoplay;
use sim::bundle::CaseBundle;
use sim::meeting::{Meeting, Utterance};
use sim::text::Lang;
use sim::transcript::utterance;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One meeting's replies.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Dialogue {
    /// Replies after a trainee's line (the greeting is not one).
    pub replies: u32,
    /// Replies from the mood voice: nothing answered the line itself.
    pub fallback: u32,
    /// Replies that repeat earlier words of this meeting word for word (in either language).
    pub repeats: u32,
    /// Of those, repeats made while some other wording of the same reply had not been said:
    /// the debtor should never do this.
    pub avoidable_repeats: u32,
    /// Replies in words every debtor shares (the tactic book's answers, the default voice)
    /// rather than this case's or persona's own.
    #[serde(default)]
    pub shared: u32,
    /// Where the shared words were said: "line tone" (the trainee's line and the reply's
    /// tone) and how often, for an author finding which reactions a persona lacks.
    #[serde(default)]
    pub shared_at: BTreeMap<String, u32>,
}

impl Dialogue {
    pub fn of(n: &Meeting) -> Dialogue {
        let said = n.heard();
        let said = said.as_slice();
        let words = |u: &Utterance| [Lang::Zh, Lang::En].map(|l| utterance(n, u, l));
        let mut heard: Vec<[String; 2]> = said.iter().take(1).map(words).collect();
        let mut d = Dialogue::default();
        // The greeting is said[0]; every later entry is a reply to a line.
        for (k, u) in said.iter().enumerate().skip(1) {
            let w = words(u);
            d.replies += 1;
            d.fallback += u32::from(u.is_fallback());
            if n.bundle.is_shared(u) {
                d.shared += 1;
                let line = n
                    .turns
                    .get(k - 1)
                    .and_then(|t| n.bundle.choices.get(t.choice))
                    .map_or("?", |c| c.id.as_str());
                let tone = u.tone().map_or(String::new(), |t| format!("{t:?}"));
                *d.shared_at.entry(format!("{line} {tone}")).or_default() += 1;
            }
            if heard.iter().any(|h| h[0] == w[0] || h[1] == w[1]) {
                d.repeats += 1;
                if !exhausted(n, u, &said[..k]) {
                    d.avoidable_repeats += 1;
                }
            }
            heard.push(w);
        }
        d
    }

    pub fn add(&mut self, o: &Dialogue) {
        self.replies += o.replies;
        self.fallback += o.fallback;
        self.repeats += o.repeats;
        self.avoidable_repeats += o.avoidable_repeats;
        self.shared += o.shared;
        for (k, v) in &o.shared_at {
            *self.shared_at.entry(k.clone()).or_default() += v;
        }
    }

    /// The places shared words were said most, most frequent first (at most `n`).
    pub fn most_shared(&self, n: usize) -> Vec<(&str, u32)> {
        let mut v: Vec<(&str, u32)> = self
            .shared_at
            .iter()
            .map(|(k, &c)| (k.as_str(), c))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// The share of replies in words every debtor shares, 0–1.
    pub fn shared_share(&self) -> f64 {
        f64::from(self.shared) / f64::from(self.replies.max(1))
    }

    /// The share of replies that fell back to the mood voice, 0–1.
    pub fn fallback_share(&self) -> f64 {
        f64::from(self.fallback) / f64::from(self.replies.max(1))
    }
}

/// Whether every other wording of the same reply had been said before: a repeated answer whose
/// other wordings and whose tone's voice were all used up, or a repeated voice line whose whole
/// pool was. (An excuse raised again, a counter's reply: one wording each.)
fn exhausted(n: &Meeting, u: &Utterance, before: &[Utterance]) -> bool {
    let b = &n.bundle;
    match *u {
        Utterance::Voice { reaction, .. } => (0..b.voice(reaction).len()).all(|v| {
            before.contains(&Utterance::Voice {
                reaction,
                variant: v,
            })
        }),
        Utterance::Answer { answer, tone, .. } => {
            let wordings = b.answer_wordings(answer);
            (0..wordings).all(|v| {
                let w = Utterance::Answer {
                    answer,
                    variant: v,
                    tone,
                };
                before.iter().any(|h| h.same_words(&w))
            })
        }
        Utterance::Excuse { .. } | Utterance::Defused { .. } => true,
    }
}

/// A case's figures: the model playthrough (seed 1) and `random` random playthroughs.
#[derive(Clone, Debug, Serialize)]
pub struct CaseDialogue {
    pub case: String,
    pub model: Dialogue,
    pub random: Dialogue,
    pub random_runs: u64,
}

pub fn measure(bundle: &Arc<CaseBundle>, random: u64) -> CaseDialogue {
    let model = Dialogue::of(&autoplay::model(bundle, 1));
    let mut total = Dialogue::default();
    for seed in 0..random {
        total.add(&Dialogue::of(&autoplay::random(bundle, seed)));
    }
    CaseDialogue {
        case: bundle.case.id.clone(),
        model,
        random: total,
        random_runs: random,
    }
}
