//! What the debrief says beyond an item's fixed note: computed from this meeting only. Which
//! preparation went unused, why a promise is weak, what the close left out, and on which turns
//! the course rules were broken or excuses left standing.

use crate::engine::negotiation::{Negotiation, Outcome};
use crate::engine::scenario::{Condition, Measure, RubricItem};
use crate::engine::text::Text;

/// Joins parts in both languages: 「、」 in Chinese, ", " in English.
fn join(parts: &[Text]) -> Text {
    Text {
        zh: parts
            .iter()
            .map(|t| t.zh.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        en: parts
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// "turn 3, 7" / "第 3、7 回合".
fn turns(ts: &[u32]) -> Text {
    let list = |sep: &str| ts.iter().map(u32::to_string).collect::<Vec<_>>().join(sep);
    let s = if ts.len() == 1 { "" } else { "s" };
    Text {
        zh: format!("第 {} 回合", list("、")),
        en: format!("turn{s} {}", list(", ")),
    }
}

fn line(zh: String, en: String) -> Text {
    Text { zh, en }
}

/// The preparations made but not used in this meeting.
fn preparation(n: &Negotiation) -> Option<Text> {
    let b = &n.bundle;
    let chosen = n.prep_bits();
    if chosen == 0 {
        return Some(Text::new(
            "这次没有做任何准备。",
            "No preparation was made.",
        ));
    }
    let wasted: Vec<Text> = (0..b.preparations.len())
        .filter(|i| chosen & (1 << i) != 0 && n.meeting.used_preps & (1 << i) == 0)
        .map(|i| b.preparations[i].name.clone())
        .collect();
    (!wasted.is_empty()).then(|| {
        let w = join(&wasted);
        line(
            format!("没有用上的准备：{}。", w.zh),
            format!("Unused here: {}.", w.en),
        )
    })
}

/// What a credible promise from this debtor needs, in words, for the conditions that failed.
fn unmet_need(c: &Condition) -> Text {
    match c {
        Condition::PlanDated => Text::new("带日期的方案", "a dated plan"),
        Condition::PersonNamed => Text::new("明确的付款人", "a named payer"),
        Condition::ConsequenceStated => Text::new(
            "说定逾期的后果",
            "an agreed consequence of missing the date",
        ),
        Condition::ConsequenceAtLeast(_) => Text::new("可信的惩戒", "credible consequences"),
        _ => Text::new("这位欠款人要的条件", "what this debtor needs"),
    }
}

/// Why the promise for the rest is weak: the real causes, in order of weight.
fn promise(n: &Negotiation) -> Option<Text> {
    let p = match n.outcome {
        Some(Outcome::PaidInFull { .. }) | None => return None,
        Some(o) => o.promise(),
    };
    let Some(p) = p else {
        return Some(Text::new(
            "余款没有任何承诺。",
            "Nothing was promised for the rest.",
        ));
    };
    let mut causes = Vec::new();
    if !p.dated {
        causes.push(Text::new("没有日期", "no date"));
    }
    if !p.person {
        causes.push(Text::new("没有明确付款人", "no named payer"));
    }
    // Needs already named above (no date, no payer) are not named twice.
    let unmet: Vec<Text> = n
        .bundle
        .persona
        .promise_needs
        .iter()
        .zip(&n.bundle.promise_needs)
        .filter(|(c, k)| {
            let said = matches!(c, Condition::PlanDated) && !p.dated
                || matches!(c, Condition::PersonNamed) && !p.person;
            !said && !n.holds(k, None, None)
        })
        .map(|(c, _)| unmet_need(c))
        .collect();
    if !unmet.is_empty() {
        let u = join(&unmet);
        causes.push(line(format!("缺少{}", u.zh), format!("missing {}", u.en)));
    }
    let b = &n.bundle;
    if b.dynamics.credibility.plan_fit > 0.0 && crate::engine::decision::drivers(n).plan < 0.99 {
        causes.push(Text::new(
            "方案没有证明付得起（不了解对方的资金情况）",
            "the plan was not shown to fit their cash (their finances were not known)",
        ));
    }
    if let Some(&(t, _)) = n.conduct.broken.first() {
        let at = turns(&[t]);
        causes.push(line(
            format!("{}违反课程规则后对方变硬了", at.zh),
            format!("they hardened after a course rule was broken on {}", at.en),
        ));
    }
    if causes.is_empty() {
        causes.push(Text::new(
            "这位欠款人的话本来就不太可靠",
            "this debtor's word is weak",
        ));
    }
    let c = join(&causes);
    Some(line(format!("原因：{}。", c.zh), format!("Why: {}.", c.en)))
}

/// What the close left out of amount, date and person.
fn close(n: &Negotiation) -> Option<Text> {
    let (amount, date, person) = crate::engine::rubric::close_terms(n)?;
    let mut missing = Vec::new();
    if !amount {
        missing.push(Text::new("金额", "the amount"));
    }
    if !date {
        missing.push(Text::new("日期", "the date"));
    }
    if !person {
        missing.push(Text::new("付款人", "who pays"));
    }
    (!missing.is_empty()).then(|| {
        let m = join(&missing);
        line(
            format!("没有说定：{}。", m.zh),
            format!("Not agreed: {}.", m.en),
        )
    })
}

/// The turns on which the item's course rules were broken, with each rule's name.
fn rules(n: &Negotiation, item: &RubricItem) -> Option<Text> {
    let defs = &n.bundle.rubric.rules;
    let hits: Vec<Text> = n
        .conduct
        .broken
        .iter()
        .filter_map(|&(t, r)| {
            defs.get(r)
                .filter(|d| item.rules.contains(&d.id))
                .map(|d| (t, d))
        })
        .map(|(t, d)| {
            let at = turns(&[t]);
            line(
                format!("{}：{}", at.zh, d.name.zh),
                format!("{}: {}", at.en, d.name.en),
            )
        })
        .collect();
    (!hits.is_empty()).then(|| {
        let h = join(&hits);
        line(format!("{}。", h.zh), format!("{}.", h.en))
    })
}

/// The detail an item's note gets in this meeting, if any.
pub fn detail(n: &Negotiation, item: &RubricItem, missed: bool) -> Option<Text> {
    let c = &n.conduct;
    match item.measure {
        Measure::PreparationFit => preparation(n),
        Measure::CommitmentCredibility if missed => promise(n),
        Measure::ConcreteClose if missed => close(n),
        Measure::KeptRules => rules(n, item),
        Measure::ExcusesCountered if !c.excuses_ignored_at.is_empty() => {
            let at = turns(&c.excuses_ignored_at);
            Some(line(
                format!("没有回应的借口：{}。", at.zh),
                format!("Left standing: {}.", at.en),
            ))
        }
        Measure::FactsBeforeAsk if missed => Some(match c.first_ask_before_facts {
            Some(t) => {
                let at = turns(&[t]);
                line(
                    format!("{}就开口要钱了，那时还没核对事实。", at.zh),
                    format!("You asked on {}, before the facts were confirmed.", at.en),
                )
            }
            None => Text::new("事实始终没有核对。", "The facts were never confirmed."),
        }),
        _ => None,
    }
}
