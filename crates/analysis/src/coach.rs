//! The turn-by-turn review, like a chess engine's: every turn of a finished meeting is valued by
//! replaying it. At each turn every other line the course endorses there is tried in its place
//! (never a trap, never a line that breaks a course rule, never one already said in the meeting)
//! and the meeting is continued the course's way (`autoplay::Course`) on the meeting's own seed.
//! What the turn cost is the best such replay's score minus what the line said allowed: the
//! better of its own replay continued the course's way and the score the trainee actually got,
//! so no figure exceeds 100 minus the score. A better line is suggested only when it also gains
//! on at least three of four seeds where the same turn is reached. Each turn gets a mark by its
//! cost, the three costliest are coached, and the meeting gets an accuracy.

use crate::deviations::{Standing, standing};
use serde::Serialize;
use sim::autoplay::{Course, THINK_SECONDS};
use sim::meeting::Meeting;
use sim::result::round1;
use sim::rubric::total;
use sim::text::{Lang, Text};
use sim::transcript::Transcript;

/// Points a turn must cost before it is worth coaching.
pub const MIN_LOSS: f64 = 1.0;

/// Seeds a suggestion is checked on (the meeting's own first).
pub const SEEDS: u64 = 4;

/// How many turns are coached at most.
pub const COACHED: usize = 3;

/// What a turn was, by what it cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Nothing the course endorses there did better (under half a point).
    Best,
    /// Under 2 points.
    Good,
    /// Under 5.
    Inaccuracy,
    /// Under 15.
    Mistake,
    /// 15 or more.
    Blunder,
}

impl Mark {
    pub fn of(cost: f64) -> Mark {
        match cost {
            c if c < 0.5 => Mark::Best,
            c if c < 2.0 => Mark::Good,
            c if c < 5.0 => Mark::Inaccuracy,
            c if c < 15.0 => Mark::Mistake,
            _ => Mark::Blunder,
        }
    }

    pub fn name(self) -> Text {
        match self {
            Mark::Best => Text::new("最佳", "best"),
            Mark::Good => Text::new("好", "good"),
            Mark::Inaccuracy => Text::new("欠妥", "inaccuracy"),
            Mark::Mistake => Text::new("失误", "mistake"),
            Mark::Blunder => Text::new("大错", "blunder"),
        }
    }

    /// A one-character sign for tables and the terminal.
    pub fn sign(self) -> &'static str {
        match self {
            Mark::Best => "★",
            Mark::Good => "✓",
            Mark::Inaccuracy => "?!",
            Mark::Mistake => "?",
            Mark::Blunder => "??",
        }
    }
}

/// One turn of the review.
#[derive(Clone, Debug, PartialEq)]
pub struct TurnReview {
    /// 1-based.
    pub turn: u32,
    /// The line said (index into the choices).
    pub said: usize,
    /// What the line said allowed: its replay continued the course's way, or the trainee's own
    /// score when that was higher.
    pub said_value: f64,
    /// The better line the course endorses there, checked on other seeds, and its replay's
    /// score on the meeting's seed.
    pub better: Option<(usize, f64)>,
    /// Points the turn cost: the better line's score minus `said_value` (0 without one).
    pub cost: f64,
    pub mark: Mark,
}

/// A coached turn: the line said and the better one.
#[derive(Clone, Debug, PartialEq)]
pub struct Coaching {
    /// 1-based.
    pub turn: u32,
    pub said: usize,
    pub said_value: f64,
    pub better: usize,
    pub better_value: f64,
}

impl Coaching {
    /// Points the turn cost against the better line.
    pub fn lost(&self) -> f64 {
        self.better_value - self.said_value
    }
}

/// The whole review.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub turns: Vec<TurnReview>,
    /// 0–100: the mean over turns of 100 × e^(−cost ÷ 10) (a turn that cost nothing counts 100,
    /// 5 points about 61, 15 points about 22).
    pub accuracy: f64,
    /// The costliest turns with a better line (at most three, costliest first).
    pub coached: Vec<Coaching>,
}

/// What the debrief shows of a coached turn, in one language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoachView {
    pub turn: u32,
    /// Points the turn cost (what replaying the better line gains on the meeting's seed).
    pub lost: f64,
    pub said: String,
    pub said_text: String,
    pub better: String,
    pub better_text: String,
    /// The score the better line reaches when the meeting goes on the course's way.
    pub better_score: f64,
    /// The course principle behind the better line (its tactic's course note).
    pub principle: String,
}

impl CoachView {
    /// "Turn N cost about X points", as the debriefs head it.
    pub fn heading(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("第 {} 轮少得约 {:.1} 分", self.turn, self.lost),
            Lang::En => format!("Turn {} cost about {:.1} points", self.turn, self.lost),
        }
    }

    pub fn of(n: &Meeting, c: &Coaching, lang: Lang) -> CoachView {
        let b = &n.bundle;
        let (said, better) = (&b.choices[c.said], &b.choices[c.better]);
        CoachView {
            turn: c.turn,
            lost: round1(c.lost()),
            said: said.id.clone(),
            said_text: b.say(&said.text, lang),
            better: better.id.clone(),
            better_text: b.say(&better.text, lang),
            better_score: round1(c.better_value),
            principle: b.tactics[better.tactic].course.get(lang).to_owned(),
        }
    }
}

/// One turn of the review as the debrief shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TurnMark {
    pub turn: u32,
    pub said: String,
    pub mark: Mark,
    pub mark_name: String,
    pub cost: f64,
}

/// The review in one language: every turn's mark, the accuracy and the coached turns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewView {
    pub accuracy: f64,
    pub turns: Vec<TurnMark>,
    pub coached: Vec<CoachView>,
}

/// A meeting's transcript with its review: what `play --json` prints and the debriefs show.
/// The transcript's fields come first, as they were; `coaching` (the costliest turn) and
/// `review` only once the meeting has one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reviewed {
    #[serde(flatten)]
    pub transcript: Transcript,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coaching: Option<CoachView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewView>,
}

impl Reviewed {
    /// The transcript alone (a meeting still going on).
    pub fn plain(transcript: Transcript) -> Reviewed {
        Reviewed {
            transcript,
            coaching: None,
            review: None,
        }
    }

    /// The transcript with the turn-by-turn review of `n`, in the transcript's language.
    pub fn of(n: &Meeting, transcript: Transcript) -> Reviewed {
        let r = review(n);
        Reviewed::with(n, transcript, &r)
    }

    /// The transcript with an already computed review.
    pub fn with(n: &Meeting, transcript: Transcript, r: &Review) -> Reviewed {
        let view = ReviewView::of(n, r, transcript.lang);
        Reviewed {
            coaching: view.coached.first().cloned(),
            review: Some(view),
            transcript,
        }
    }
}

impl ReviewView {
    pub fn of(n: &Meeting, r: &Review, lang: Lang) -> ReviewView {
        ReviewView {
            accuracy: r.accuracy,
            turns: r
                .turns
                .iter()
                .map(|t| TurnMark {
                    turn: t.turn,
                    said: n.bundle.choices[t.said].id.clone(),
                    mark: t.mark,
                    mark_name: t.mark.name().get(lang).to_owned(),
                    cost: round1(t.cost),
                })
                .collect(),
            coached: r
                .coached
                .iter()
                .map(|c| CoachView::of(n, c, lang))
                .collect(),
        }
    }

    /// "Accuracy 87%: 9 best, 1 good, 1 mistake", as the debriefs head the review.
    pub fn summary(&self, lang: Lang) -> String {
        let count = |m: Mark| self.turns.iter().filter(|t| t.mark == m).count();
        let parts: Vec<String> = [
            Mark::Best,
            Mark::Good,
            Mark::Inaccuracy,
            Mark::Mistake,
            Mark::Blunder,
        ]
        .iter()
        .filter(|&&m| count(m) > 0)
        .map(|&m| match lang {
            Lang::Zh => format!("{}「{}」", count(m), m.name().zh),
            Lang::En => format!("{} {}", count(m), m.name().en),
        })
        .collect();
        match lang {
            Lang::Zh => format!(
                "逐轮复盘：准确度 {:.0}%（{}）",
                self.accuracy,
                parts.join("，")
            ),
            Lang::En => format!(
                "Turn by turn: accuracy {:.0}% ({})",
                self.accuracy,
                parts.join(", ")
            ),
        }
    }
}

/// The final score after `line` is said in `m` (after `said`, the lines said before it), then
/// the meeting continued the course's way; None when the line cannot be said there.
fn replay_value(mut m: Meeting, line: usize, elapsed: f64, said: &[usize]) -> Option<f64> {
    m.respond(line, elapsed).ok()?;
    let mut lines = said.to_vec();
    lines.push(line);
    Course::after(&m.bundle, &lines).finish(&mut m, THINK_SECONDS);
    Some(total(&m))
}

/// The lines worth suggesting at this point: open, endorsed by the course here, and not said
/// before in the meeting.
fn candidates(here: &Meeting, said: &[usize], line_said: usize) -> Vec<usize> {
    here.open()
        .filter(|&i| i != line_said && !said.contains(&i))
        .filter(|&i| {
            let mut m = here.clone();
            m.respond(i, THINK_SECONDS)
                .is_ok_and(|events| standing(here, i, &events) == Standing::Endorsed)
        })
        .collect()
}

/// Whether `better` beats `worse` (both continued the course's way) on at least three of four
/// seeds where the meeting reaches this turn with both open (all of them if fewer are reached);
/// the meeting's own seed has already been checked.
fn holds_on_other_seeds(n: &Meeting, k: usize, better: usize, worse: usize) -> bool {
    let said: Vec<usize> = n.turns[..k].iter().map(|t| t.choice).collect();
    let (mut wins, mut tried) = (1, 1);
    for s in 1..SEEDS {
        let Some(m) = n.replayed(n.seed.wrapping_add(s), k) else {
            continue;
        };
        let m = m.without_recording();
        if !(m.is_available(better) && m.is_available(worse)) {
            continue;
        }
        let elapsed = n.turns[k].elapsed;
        let b = replay_value(m.clone(), better, THINK_SECONDS, &said);
        let w = replay_value(m, worse, elapsed, &said);
        tried += 1;
        if let (Some(b), Some(w)) = (b, w)
            && b > w + 1e-9
        {
            wins += 1;
        }
    }
    wins * 4 >= tried * 3
}

/// Turn `k` (0-based) of a finished meeting, reviewed.
fn review_turn(n: &Meeting, k: usize, final_score: f64) -> Option<TurnReview> {
    let t = &n.turns[k];
    let here = n.replayed(n.seed, k)?.without_recording();
    let said: Vec<usize> = n.turns[..k].iter().map(|t| t.choice).collect();
    let own = replay_value(here.clone(), t.choice, t.elapsed, &said).unwrap_or(0.0);
    let said_value = own.max(final_score);
    let mut tried: Vec<(usize, f64)> = candidates(&here, &said, t.choice)
        .into_iter()
        .filter_map(|i| Some((i, replay_value(here.clone(), i, THINK_SECONDS, &said)?)))
        .filter(|&(_, v)| v > said_value + 1e-9)
        .collect();
    tried.sort_by(|a, b| b.1.total_cmp(&a.1));
    let better = tried
        .into_iter()
        .find(|&(i, v)| v - said_value < MIN_LOSS || holds_on_other_seeds(n, k, i, t.choice));
    let cost = better.map_or(0.0, |(_, v)| v - said_value);
    Some(TurnReview {
        turn: k as u32 + 1,
        said: t.choice,
        said_value,
        better,
        cost,
        mark: Mark::of(cost),
    })
}

/// The review of a finished meeting (an unfinished one is reviewed as it stands).
pub fn review(n: &Meeting) -> Review {
    let final_score = total(n);
    let turns: Vec<TurnReview> = (0..n.turns.len())
        .filter_map(|k| review_turn(n, k, final_score))
        .collect();
    let accuracy = if turns.is_empty() {
        100.0
    } else {
        // A turn marked best counts in full (its cost is under half a point).
        let kept: f64 = turns
            .iter()
            .map(|t| {
                if t.mark == Mark::Best {
                    1.0
                } else {
                    (-t.cost / 10.0).exp()
                }
            })
            .sum();
        (100.0 * kept / turns.len() as f64).round()
    };
    let mut costly: Vec<&TurnReview> = turns
        .iter()
        .filter(|t| t.cost >= MIN_LOSS && t.better.is_some())
        .collect();
    costly.sort_by(|a, b| b.cost.total_cmp(&a.cost));
    let coached = costly
        .into_iter()
        .take(COACHED)
        .filter_map(|t| {
            let (better, better_value) = t.better?;
            Some(Coaching {
                turn: t.turn,
                said: t.said,
                said_value: t.said_value,
                better,
                better_value,
            })
        })
        .collect();
    Review {
        turns,
        accuracy,
        coached,
    }
}

/// The costliest turn and the better line there; None when no turn cost a point.
pub fn coach(n: &Meeting) -> Option<Coaching> {
    review(n).coached.into_iter().next()
}

/// The costliest turn's coaching in one language, for the debrief.
pub fn view(n: &Meeting, lang: Lang) -> Option<CoachView> {
    coach(n).map(|c| CoachView::of(n, &c, lang))
}
