//! When a case's course model no longer grades well (often a file written for an older
//! format), the smallest change to its `model_lines` and `model_preparations` that makes it
//! grade well again: one line or preparation swapped (or a line dropped) at a time, kept when it
//! raises the model's mean over a few seeds, for at most a few rounds.

use crate::validity::{Figures, runs};
use rayon::prelude::*;
use serde::Serialize;
use sim::CaseBundle;
use sim::autoplay;
use std::sync::Arc;

/// A better model for a case, and the changes that lead to it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModelFix {
    pub preparations: Vec<String>,
    pub lines: Vec<String>,
    /// Each change in words a trainer can apply: (zh, en).
    pub changes: Vec<(String, String)>,
    pub before: Figures,
    pub after: Figures,
}

/// Rounds of single changes tried.
const ROUNDS: usize = 3;

/// The best model found by single changes, when it scores at least a point more than today's.
pub fn better_model(bundle: &Arc<CaseBundle>, seeds: u64) -> Option<ModelFix> {
    let before = model_figures(bundle, seeds);
    let mut current = (
        bundle.case.model_preparations.clone(),
        bundle.case.model_lines.clone(),
        before.clone(),
    );
    let mut changes = Vec::new();
    for _ in 0..ROUNDS {
        let best = variants(bundle, &current.0, &current.1)
            .into_par_iter()
            .map(|(preps, lines, change)| {
                let f = model_figures(&with_model(bundle, &preps, &lines), seeds);
                (preps, lines, change, f)
            })
            .max_by(|a, b| a.3.mean.total_cmp(&b.3.mean));
        match best {
            Some((preps, lines, change, f)) if f.mean >= current.2.mean + 1.0 => {
                changes.push(change);
                current = (preps, lines, f);
            }
            _ => break,
        }
    }
    if changes.is_empty() {
        return None;
    }
    Some(ModelFix {
        preparations: current.0,
        lines: current.1,
        changes,
        before,
        after: current.2,
    })
}

/// The model's figures on seeds `0..seeds`.
fn model_figures(bundle: &Arc<CaseBundle>, seeds: u64) -> Figures {
    Figures::of(&runs(bundle, seeds, autoplay::model))
}

/// The bundle with another model.
fn with_model(bundle: &Arc<CaseBundle>, preps: &[String], lines: &[String]) -> Arc<CaseBundle> {
    let mut b = CaseBundle::clone(bundle);
    b.case.model_preparations = preps.to_vec();
    b.case.model_lines = lines.to_vec();
    Arc::new(b)
}

type Variant = (Vec<String>, Vec<String>, (String, String));

/// Every model one change away: a line swapped for another line or dropped, a preparation
/// swapped for another the case offers.
fn variants(bundle: &CaseBundle, preps: &[String], lines: &[String]) -> Vec<Variant> {
    let library: Vec<&str> = bundle
        .choices
        .iter()
        .filter(|c| c.counters.is_none())
        .map(|c| c.id.as_str())
        .collect();
    let mut out = Vec::new();
    for (i, old) in lines.iter().enumerate() {
        for new in library.iter().filter(|l| !lines.iter().any(|x| x == *l)) {
            let mut v = lines.to_vec();
            v[i] = (*new).to_owned();
            out.push((
                preps.to_vec(),
                v,
                (
                    format!("model_lines 第 {} 句 \"{old}\" 换成 \"{new}\"", i + 1),
                    format!("model_lines line {}: \"{old}\" → \"{new}\"", i + 1),
                ),
            ));
        }
        let mut v = lines.to_vec();
        v.remove(i);
        out.push((
            preps.to_vec(),
            v,
            (
                format!("去掉 model_lines 第 {} 句 \"{old}\"", i + 1),
                format!("drop model_lines line {}: \"{old}\"", i + 1),
            ),
        ));
    }
    let offered: Vec<&str> = bundle
        .case
        .preparations
        .iter()
        .map(String::as_str)
        .collect();
    for (i, old) in preps.iter().enumerate() {
        for new in offered.iter().filter(|p| !preps.iter().any(|x| x == *p)) {
            let mut v = preps.to_vec();
            v[i] = (*new).to_owned();
            out.push((
                v,
                lines.to_vec(),
                (
                    format!("model_preparations 里的 \"{old}\" 换成 \"{new}\""),
                    format!("model_preparations: \"{old}\" → \"{new}\""),
                ),
            ));
        }
    }
    out
}
