//! The class leaderboard: each trainee's best attempt, ranked, and how the class used each
//! tactic family. A [`Tally`] keeps what the board needs and takes each new result as it is
//! stored, so a board costs a sort of the trainees, never a re-read of the results.

use crate::names::looks;
use crate::protocol::{Board, BoardRow, Playing, Room, RoomRow, TacticRow};
use crate::{PLAYING_FOR, Progress};
use sim::CaseBundle;
use std::collections::{HashMap, HashSet};
use store::class::{ClassInfo, StoredResult, Trainee};
use store::export::Ranker;

/// A trainee's best attempt so far and how many they made.
#[derive(Clone, Debug)]
struct Best {
    score: f64,
    grade: String,
    outcome: String,
    submitted_at: i64,
    id: i64,
    attempts: u64,
}

impl Best {
    /// Best first: higher score, then earlier, then lower id (the store's order).
    fn before(&self, score: f64, submitted_at: i64, id: i64) -> bool {
        (self.score, -self.submitted_at, -self.id) > (score, -submitted_at, -id)
    }
}

/// Per tactic family: attempts that used it, lines of it, and the sum of those attempts' scores.
#[derive(Clone, Debug, Default)]
struct TacticUse {
    attempts: u64,
    uses: u64,
    sum_with: f64,
}

/// What a class's board is made from, updated one result at a time.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    best: HashMap<String, Best>,
    tactics: HashMap<String, TacticUse>,
    attempts: u64,
    total: f64,
    /// Each name's look (confusable skeleton) and the name first seen with it.
    looks: HashMap<String, String>,
    /// Names that joined.
    joined: HashSet<String>,
}

impl Tally {
    /// A tally of these results (in any order).
    pub fn of<'a>(results: impl IntoIterator<Item = &'a StoredResult>) -> Tally {
        let mut t = Tally::default();
        for r in results {
            t.add(r);
        }
        t
    }

    pub fn attempts(&self) -> u64 {
        self.attempts
    }

    /// Whether `name` is already on this board.
    pub fn has(&self, name: &str) -> bool {
        self.best.contains_key(name)
    }

    /// How many trainees are on this board.
    pub fn trainees(&self) -> usize {
        self.best.len()
    }

    /// Another name on this board that looks the same as `name` on a projector.
    pub fn lookalike(&self, name: &str) -> Option<&str> {
        looks(name)
            .iter()
            .filter_map(|k| self.looks.get(k))
            .map(String::as_str)
            .find(|other| *other != name)
    }

    /// The names that joined, as the store has them (when the tally is loaded).
    pub fn set_joined(&mut self, names: Vec<String>) {
        self.joined = names.into_iter().collect();
    }

    /// One more name joined (or a released name joined again).
    pub fn join(&mut self, name: &str) {
        if !self.joined.contains(name) {
            self.joined.insert(name.to_owned());
        }
    }

    /// Who is in the room: the joined, the finished, and those mid-meeting now.
    pub fn room(&self, progress: &HashMap<String, Progress>, now: i64) -> Room {
        let mut playing: Vec<Playing> = progress
            .iter()
            .filter(|(_, p)| !p.over && now - p.at <= PLAYING_FOR)
            .map(|(name, p)| Playing {
                trainee: name.clone(),
                turn: p.turn,
                max_turns: p.max_turns,
            })
            .collect();
        playing.sort_by(|a, b| b.turn.cmp(&a.turn).then_with(|| a.trainee.cmp(&b.trainee)));
        let unjoined = self
            .best
            .keys()
            .filter(|n| !self.joined.contains(n.as_str()))
            .count();
        Room {
            joined: (self.joined.len() + unjoined) as u64,
            finished: self.best.len() as u64,
            playing,
        }
    }

    /// Every trainee as the trainer sees them: the joined in joining order, then names with
    /// results from before joining by name.
    pub fn room_rows(
        &self,
        trainees: &[Trainee],
        progress: &HashMap<String, Progress>,
        now: i64,
    ) -> Vec<RoomRow> {
        let mut names: Vec<(&str, Option<&Trainee>)> = trainees
            .iter()
            .map(|t| (t.name.as_str(), Some(t)))
            .collect();
        let known: HashSet<&str> = trainees.iter().map(|t| t.name.as_str()).collect();
        let mut others: Vec<&String> = self
            .best
            .keys()
            .filter(|n| !known.contains(n.as_str()))
            .collect();
        others.sort();
        names.extend(others.into_iter().map(|n| (n.as_str(), None)));
        names
            .into_iter()
            .map(|(name, t)| self.room_row(name, t, progress.get(name), now))
            .collect()
    }

    fn room_row(&self, name: &str, t: Option<&Trainee>, p: Option<&Progress>, now: i64) -> RoomRow {
        let best = self.best.get(name);
        let playing = p.filter(|p| !p.over && now - p.at <= PLAYING_FOR);
        let state = match (playing, best) {
            (Some(_), _) => "playing",
            (None, Some(_)) => "finished",
            (None, None) => "waiting",
        };
        let last_result = best.map(|b| b.submitted_at);
        RoomRow {
            trainee: name.to_owned(),
            id: t.map_or_else(|| Trainee::id_for_name(name), |t| t.id.clone()),
            state: state.to_owned(),
            turn: playing.map(|p| p.turn),
            max_turns: p.map_or(0, |p| p.max_turns),
            attempts: best.map_or(0, |b| b.attempts),
            best: best.map(|b| b.score),
            grade: best.map(|b| b.grade.clone()),
            joined_at: t.map(|t| t.joined_at),
            last_seen: p.map(|p| p.at).max(last_result),
        }
    }

    /// A trainee's place on the board (1 = best; equal bests share a place) and how many
    /// trainees are on it; `None` for a name without a result.
    pub fn place(&self, name: &str) -> Option<(u64, u64)> {
        let mine = self.best.get(name)?.score;
        let above = self.best.values().filter(|b| b.score > mine).count() as u64;
        Some((above + 1, self.best.len() as u64))
    }

    /// Counts one more stored result.
    pub fn add(&mut self, r: &StoredResult) {
        let s = &r.summary;
        for k in looks(&r.trainee) {
            self.looks.entry(k).or_insert_with(|| r.trainee.clone());
        }
        self.attempts += 1;
        self.total += s.score;
        let fresh = || Best {
            score: s.score,
            grade: s.grade.clone(),
            outcome: s.outcome.clone(),
            submitted_at: r.submitted_at,
            id: r.id,
            attempts: 1,
        };
        match self.best.get_mut(&r.trainee) {
            None => {
                self.best.insert(r.trainee.clone(), fresh());
            }
            Some(best) if best.before(s.score, r.submitted_at, r.id) => best.attempts += 1,
            Some(best) => {
                *best = Best {
                    attempts: best.attempts + 1,
                    ..fresh()
                }
            }
        }
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for id in &s.tactics {
            *counts.entry(id).or_default() += 1;
        }
        for (id, n) in counts {
            let u = self.tactics.entry(id.to_owned()).or_default();
            u.attempts += 1;
            u.uses += n;
            u.sum_with += s.score;
        }
    }

    /// The board: trainees by their best attempt (equal scores share a rank), then the tactic
    /// families in the order of the case's book, most used first.
    pub fn board(
        &self,
        class: &ClassInfo,
        bundle: &CaseBundle,
        now: i64,
        progress: &HashMap<String, Progress>,
    ) -> Board {
        let mut best: Vec<(&String, &Best)> = self.best.iter().collect();
        best.sort_by(|a, b| {
            (b.1.score, -b.1.submitted_at, -b.1.id)
                .partial_cmp(&(a.1.score, -a.1.submitted_at, -a.1.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut ranker = Ranker::default();
        let rows = best
            .into_iter()
            .map(|(trainee, b)| BoardRow {
                rank: ranker.rank(b.score) as u64,
                trainee: trainee.clone(),
                score: b.score,
                grade: b.grade.clone(),
                outcome: b.outcome.clone(),
                attempts: b.attempts,
            })
            .collect();
        Board {
            code: class.code.clone(),
            case: class.case_id.clone(),
            title: bundle.case.title.clone(),
            open: class.open_at(now),
            attempts: self.attempts,
            rows,
            tactics: self.tactic_rows(bundle),
            deadline: class.deadline,
            room: self.room(progress, now),
        }
    }

    fn tactic_rows(&self, bundle: &CaseBundle) -> Vec<TacticRow> {
        let mean = |sum: f64, n: u64| (n > 0).then(|| (sum / n as f64 * 10.0).round() / 10.0);
        let mut tactics: Vec<TacticRow> = bundle
            .tactics
            .iter()
            .filter_map(|t| {
                let u = self.tactics.get(&t.id)?;
                Some(TacticRow {
                    tactic: t.id.clone(),
                    name: t.name.clone(),
                    attempts: u.attempts,
                    uses: u.uses,
                    mean_with: mean(u.sum_with, u.attempts),
                    mean_without: mean(self.total - u.sum_with, self.attempts - u.attempts),
                })
            })
            .collect();
        tactics.sort_by(|a, b| b.attempts.cmp(&a.attempts).then(b.uses.cmp(&a.uses)));
        tactics
    }
}

/// The board of these results (best first, as [`store::ClassStore::results`] returns them).
pub fn board(class: &ClassInfo, bundle: &CaseBundle, results: &[StoredResult], now: i64) -> Board {
    Tally::of(results).board(class, bundle, now, &HashMap::new())
}
