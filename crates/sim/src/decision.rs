//! Why the debtor pays. Four drivers (the relationship, the cost of not paying, the obligation
//! acknowledged, a plan that fits the cash) each persona weighs differently; gates hold a debtor
//! still until what it waits for has happened; broken course rules and excuses left standing
//! harden it for the rest of the meeting. From these: the willingness a view shows, and what a
//! closing request gets (money, a promise, or a refusal).

use crate::debtor::DebtorState;
use crate::meeting::{Commitment, Meeting, Outcome};
use crate::scenario::{Close, Driver, Marker, PerDriver};

/// Weights of trust, face and pleasure in how the debtor feels about the collector.
const REL_TRUST: f64 = 0.5;
const REL_FACE: f64 = 0.25;
const REL_PLEASURE: f64 = 0.25;
/// A plan's fit when it is on the table without a date, as a share of a dated one.
const UNDATED_PLAN: f64 = 0.4;
/// A plan's fit when the debtor cannot pay its first part (or all of it) today.
const UNFIT_PLAN: f64 = 0.2;
/// Below this share of the debt the debtor has nothing to pay with.
const NO_CASH: f64 = 1e-9;
/// At or above this share the debtor can pay everything.
const ALL_CASH: f64 = 0.999;
/// How far below its pay threshold a debtor who will pay nothing today stays.
const BELOW_PAY: f64 = 0.01;

/// The four drivers as they stand, each 0–1 (the relationship −1–1: it can turn sour).
pub type Drivers = PerDriver;

/// How the debtor feels about the collector, 0–1.
pub fn rapport(s: &DebtorState) -> f64 {
    REL_TRUST * s.trust + REL_FACE * s.face + REL_PLEASURE * (s.mood.pleasure + 1.0) / 2.0
}

/// How well the plan on the table fits this debtor's cash, 0–1.
pub fn plan_fit(n: &Meeting) -> f64 {
    let m = &n.progress;
    let ability = n.state.ability;
    let fit = match m.plan {
        None => return 0.0,
        Some(Marker::PlanSplit) => {
            let first = 1.0 / f64::from(n.bundle.case.instalments.max(1));
            if first <= ability + 1e-9 {
                1.0
            } else {
                UNFIT_PLAN
            }
        }
        Some(_) if ability >= ALL_CASH => 1.0,
        Some(_) => UNFIT_PLAN,
    };
    if m.deadline { fit } else { fit * UNDATED_PLAN }
}

/// The drivers now.
pub fn drivers(n: &Meeting) -> Drivers {
    let g = &n.progress.gains;
    let plan_backing = if n.backed(Driver::Plan) {
        1.0
    } else {
        n.bundle.dynamics.unbacked
    };
    let cap = |d: Driver, v: f64| {
        if n.backed(d) {
            v
        } else {
            v.min(n.bundle.dynamics.unbacked_cap)
        }
    };
    Drivers {
        relationship: cap(
            Driver::Relationship,
            rapport(&n.state) - rapport(&n.start) + g[Driver::Relationship as usize],
        )
        .clamp(-1.0, 1.0),
        consequence: cap(Driver::Consequence, g[Driver::Consequence as usize]).clamp(0.0, 1.0),
        obligation: cap(Driver::Obligation, g[Driver::Obligation as usize]).clamp(0.0, 1.0),
        plan: cap(
            Driver::Plan,
            plan_fit(n) * plan_backing + g[Driver::Plan as usize],
        )
        .clamp(0.0, 1.0),
    }
}

/// Willingness to pay: the start's, plus each driver times this persona's weight for it, less
/// hardening and excuses left standing, capped by every gate still closed.
pub fn willingness(n: &Meeting) -> f64 {
    let d = drivers(n);
    let w = &n.bundle.weights;
    let moved: f64 = Driver::ALL.iter().map(|&k| w.get(k) * d.get(k)).sum();
    let mut will = n.start.willingness + moved - n.progress.hardening() - n.progress.standing;
    for g in &n.bundle.gates {
        if !g.unless.iter().all(|c| n.holds(c, None, None)) {
            will = will.min(g.cap);
        }
    }
    if n.progress.no_payment_today {
        will = will.min(n.bundle.persona.pay_threshold - BELOW_PAY);
    }
    will.clamp(0.0, 1.0)
}

/// For each of the persona's gates (in its order), whether each of its `unless` conditions
/// holds now: a gate is open when all of its conditions hold.
pub fn gate_conditions(n: &Meeting) -> Vec<Vec<bool>> {
    n.bundle
        .gates
        .iter()
        .map(|g| g.unless.iter().map(|c| n.holds(c, None, None)).collect())
        .collect()
}

/// A promise to pay `amount` later, as credible as this debtor and this meeting make it.
pub fn promise(n: &Meeting, amount: f64) -> Commitment {
    let c = &n.bundle.dynamics.credibility;
    let m = &n.progress;
    let dated = m.plan.is_some() && m.deadline;
    let raw = c.base
        + if dated { c.dated } else { 0.0 }
        + if m.person { c.person } else { 0.0 }
        + c.will * n.state.willingness;
    let honesty = 1.0 - c.honesty_weight + c.honesty_weight * n.bundle.honesty / 2.0;
    let needs = if n
        .bundle
        .promise_needs
        .iter()
        .all(|k| n.holds(k, None, None))
    {
        1.0
    } else {
        c.unmet_needs
    };
    let hardened = (1.0 - m.hardening()).max(0.0);
    let fits = 1.0 - c.plan_fit + c.plan_fit * drivers(n).plan;
    Commitment {
        amount: amount.round().max(0.0) as u64,
        dated,
        person: m.person,
        credibility: (raw * honesty * needs * hardened * fits).clamp(0.0, 1.0),
    }
}

/// Whether a malicious debtor has been given a reason to pay today: a rung of the sanctions
/// ladder actually named, backed by evidence (a preparation that backs the cost of not paying).
/// Honest debtors need no such reason.
pub fn sanction_credible(n: &Meeting) -> bool {
    !n.bundle.persona.malicious || (n.progress.sanction_level >= 1 && n.backed(Driver::Consequence))
}

/// How ready the debtor is to pay today, 0–1: 1 at the pay threshold or above, falling in
/// proportion to 0 at `dynamics.pay_band` below it (never below the commit threshold); 0 while
/// nothing is paid today.
pub fn readiness(n: &Meeting, will: f64) -> f64 {
    let p = &n.bundle.persona;
    if n.progress.no_payment_today || !sanction_credible(n) {
        return 0.0;
    }
    let band = n
        .bundle
        .dynamics
        .pay_band
        .min(p.pay_threshold - p.commit_threshold);
    if band <= 1e-9 {
        return f64::from(u8::from(will >= p.pay_threshold));
    }
    ((will - (p.pay_threshold - band)) / band).clamp(0.0, 1.0)
}

/// The result of a closing line, or None when the debtor refuses.
pub fn settle(n: &Meeting, close: Close) -> Option<Outcome> {
    let p = &n.bundle.persona;
    let due = n.bundle.case.amount as f64 * (1.0 - n.progress.discount);
    // A malicious debtor pays nothing today until a backed sanction has been named.
    let will = if sanction_credible(n) {
        n.state.willingness
    } else {
        n.state.willingness.min(p.pay_threshold - BELOW_PAY)
    };
    let ability = n.state.ability;
    match close {
        Close::AskNow => {
            // A malicious debtor pays all or nothing; an honest one, ready enough, pays what it
            // can in proportion to how ready it is (the rest promised on a dated plan).
            let share = if p.malicious {
                f64::from(u8::from(will >= p.pay_threshold))
            } else {
                readiness(n, will)
            };
            if share < n.bundle.dynamics.part_pay_floor.max(1e-9) || ability <= NO_CASH {
                return None;
            }
            let paid = (due * ability.min(1.0) * share).round();
            if paid >= due - 0.5 {
                return Some(Outcome::PaidInFull {
                    paid: due.round() as u64,
                });
            }
            let dated = n.progress.plan.is_some() && n.progress.deadline;
            let promise = dated.then(|| promise(n, due - paid));
            Some(Outcome::Partial {
                paid: paid as u64,
                promise,
            })
        }
        Close::SettlePlan => {
            if will < p.commit_threshold || n.progress.plan.is_none() {
                return None;
            }
            // Settling a plan is a promise to pay on its dates. Only a split's first part is
            // due today (the split line says so), and only a debtor ready to pay now pays it;
            // a payment in full by a later date is money then, not now.
            let first = match n.progress.plan {
                Some(Marker::PlanSplit) if n.progress.deadline => {
                    due / f64::from(n.bundle.case.instalments.max(1))
                }
                _ => 0.0,
            };
            // Between committing and paying at once, a debtor pays part of what is due today,
            // in proportion to how near paying they are: no cliff at the pay threshold.
            let paid = (first.min(due * ability) * readiness(n, will)).round();
            if paid >= 1.0 && paid >= due - 0.5 {
                Some(Outcome::PaidInFull { paid: paid as u64 })
            } else if paid >= 1.0 {
                Some(Outcome::Partial {
                    paid: paid as u64,
                    promise: Some(promise(n, due - paid)),
                })
            } else {
                Some(Outcome::Committed(promise(n, due)))
            }
        }
        Close::AcceptDelay => {
            let mut c = promise(n, due);
            c.dated = false;
            c.credibility *= n.bundle.dynamics.vague_delay_credibility;
            Some(Outcome::Committed(c))
        }
        Close::Escalate => Some(Outcome::Escalated),
    }
}
