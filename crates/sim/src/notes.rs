//! What the debrief says beyond an item's fixed note: computed from this meeting only. Which
//! preparation went unused, why a promise is weak, what the close left out, and on which turns
//! the course rules were broken or excuses left standing.

use crate::debtor::DebtorState;
use crate::meeting::{Event, Meeting, Outcome};
use crate::scenario::{Condition, Measure, RubricItem, Situation};
use crate::text::{Text, yuan};

/// Joins parts in both languages: 「、」 in Chinese, ", " in English.
fn join(parts: &[Text]) -> Text {
    join_with(parts, "、", ", ")
}

/// Joins parts with the given separators.
fn join_with(parts: &[Text], zh: &str, en: &str) -> Text {
    let each =
        |get: fn(&Text) -> &str, sep: &str| parts.iter().map(get).collect::<Vec<_>>().join(sep);
    Text {
        zh: each(|t| t.zh.as_str(), zh),
        en: each(|t| t.en.as_str(), en),
    }
}

/// "turn 3, 7" / "第 3、7 轮".
fn turns(ts: &[u32]) -> Text {
    let list = |sep: &str| ts.iter().map(u32::to_string).collect::<Vec<_>>().join(sep);
    let s = if ts.len() == 1 { "" } else { "s" };
    Text {
        zh: format!("第 {} 轮", list("、")),
        en: format!("turn{s} {}", list(", ")),
    }
}

fn line(zh: String, en: String) -> Text {
    Text { zh, en }
}

/// The preparations made but not used in this meeting.
fn preparation(n: &Meeting) -> Option<Text> {
    let b = &n.bundle;
    let chosen = n.prep_bits();
    if chosen == 0 {
        return Some(Text::new(
            "这次没有做任何准备。",
            "No preparation was made.",
        ));
    }
    let wasted: Vec<Text> = (0..b.preparations.len())
        .filter(|i| chosen & (1 << i) != 0 && n.progress.used_preps & (1 << i) == 0)
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
fn promise(n: &Meeting) -> Option<Text> {
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
    if b.dynamics.credibility.plan_fit > 0.0 && crate::decision::drivers(n).plan < 0.99 {
        causes.push(if n.backed(crate::scenario::Driver::Plan) {
            Text::new(
                "方案和对方付得起的钱还对不上",
                "the plan on the table did not fully fit what they can pay",
            )
        } else {
            Text::new(
                "方案没有证明付得起（没有一项准备让你了解对方的资金情况）",
                "the plan was not shown to fit their cash (no preparation showed you their finances)",
            )
        });
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
fn close(n: &Meeting) -> Option<Text> {
    let (amount, date, person) = crate::rubric::close_terms(n)?;
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

/// The course rules of the item that were broken, each with the turns it was broken on.
fn rules(n: &Meeting, item: &RubricItem) -> Option<Text> {
    let hits: Vec<Text> = n
        .bundle
        .rubric
        .rules
        .iter()
        .enumerate()
        .filter(|(_, d)| item.rules.contains(&d.id))
        .filter_map(|(r, d)| {
            let at: Vec<u32> = n
                .conduct
                .broken
                .iter()
                .filter(|b| b.1 == r)
                .map(|b| b.0)
                .collect();
            (!at.is_empty()).then(|| {
                let t = turns(&at);
                let sev = d.severity().name();
                line(
                    format!("{}（{}）：{}", d.name.zh, sev.zh, t.zh),
                    format!("{} ({}): {}", d.name.en, sev.en, t.en),
                )
            })
        })
        .collect();
    (!hits.is_empty()).then(|| {
        let h = join_with(&hits, "；", "; ");
        line(format!("{}。", h.zh), format!("{}.", h.en))
    })
}

/// Every course rule broken, gravest first, each with its severity, the points it cost and
/// its turns.
fn all_rules(n: &Meeting, item: &RubricItem) -> Option<Text> {
    let b = &n.bundle;
    let sev = &b.rubric.severities;
    let mut hits: Vec<(crate::scenario::Severity, Text)> = b
        .rubric
        .rules
        .iter()
        .enumerate()
        .filter_map(|(r, d)| {
            let at: Vec<u32> = n
                .conduct
                .broken
                .iter()
                .filter(|x| x.1 == r)
                .map(|x| x.0)
                .collect();
            (!at.is_empty()).then(|| {
                let s = d.severity();
                let pts = item.points * sev.get(s).share * at.len() as f64;
                let t = turns(&at);
                let name = s.name();
                (
                    s,
                    line(
                        format!("{}（{}，-{pts:.1} 分）：{}", d.name.zh, name.zh, t.zh),
                        format!("{} ({}, -{pts:.1}): {}", d.name.en, name.en, t.en),
                    ),
                )
            })
        })
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    let parts: Vec<Text> = hits.into_iter().map(|h| h.1).collect();
    (!parts.is_empty()).then(|| {
        let h = join_with(&parts, "；", "; ");
        line(format!("{}。", h.zh), format!("{}.", h.en))
    })
}

/// The excuses left standing (on the turns they stood), and for each one never answered what
/// would have answered it: its counters, with the preparation a counter needs when it was not
/// made.
fn standing(n: &Meeting) -> Option<Text> {
    let c = &n.conduct;
    let at = turns(&c.excuses_ignored_at);
    let mut parts = vec![line(
        format!("借口晾着没有回应：{}。", at.zh),
        format!("Left standing on {}.", at.en),
    )];
    let b = &n.bundle;
    let raised = |e: usize| n.progress.excuse_counts.get(e).is_some_and(|k| *k > 0);
    for (e, excuse) in b.persona.excuses.iter().enumerate() {
        if !raised(e) || n.progress.defused.get(e).copied().unwrap_or(true) {
            continue;
        }
        let answers: Vec<Text> = excuse
            .counters
            .iter()
            .take(2)
            .map(|k| {
                let words = b.say_both(&k.text);
                let prep = k
                    .needs_prep
                    .as_deref()
                    .and_then(|p| b.preparations.iter().find(|x| x.id == p))
                    .filter(|p| !n.preparations.contains(&p.id));
                match prep {
                    Some(p) => line(
                        format!("（需要准备「{}」）「{}」", p.name.zh, words.zh),
                        format!("(needs \"{}\") \"{}\"", p.name.en, words.en),
                    ),
                    None => line(format!("「{}」", words.zh), format!("\"{}\"", words.en)),
                }
            })
            .collect();
        if answers.is_empty() {
            continue;
        }
        let said = b.say_both(&excuse.text);
        let a = join_with(&answers, "，或者", " or ");
        parts.push(line(
            format!("「{}」一直没有回应，可以这样答：{}。", said.zh, a.zh),
            format!(
                "\"{}\" was never answered; it could have been: {}.",
                said.en, a.en
            ),
        ));
    }
    Some(join_with(&parts, "", " "))
}

/// The turns on which `what` happened (1-based).
fn turns_where(n: &Meeting, what: impl Fn(&[Event]) -> bool) -> Vec<u32> {
    (1..)
        .zip(&n.turns)
        .filter(|(_, t)| what(&t.events))
        .map(|(k, _)| k)
        .collect()
}

/// The turn the meeting ended on, if it has.
fn end_turn(n: &Meeting) -> Option<u32> {
    n.outcome.map(|_| n.turns.len() as u32)
}

/// What was paid today against what this debtor could pay, and on which turn.
fn recovered(n: &Meeting) -> Option<Text> {
    let at = turns(&[end_turn(n)?]);
    let paid = n.outcome.map_or(0, |o| o.paid());
    let could = crate::rubric::could_pay_today(n).round() as u64;
    Some(if paid == 0 {
        line(
            format!("今天一分钱也没有收到（对方本来能付约{}）。", yuan(could)),
            format!(
                "Nothing was paid today (they could have paid about {}).",
                yuan(could)
            ),
        )
    } else {
        line(
            format!(
                "{}收到{}，对方今天能付约{}。",
                at.zh,
                yuan(paid),
                yuan(could)
            ),
            format!(
                "Paid on {}: {} of about {} they could pay today.",
                at.en,
                yuan(paid),
                yuan(could)
            ),
        )
    })
}

/// The turn a credible promise was made.
fn promised(n: &Meeting) -> Option<Text> {
    let p = n.outcome?.promise()?;
    let at = turns(&[end_turn(n)?]);
    Some(line(
        format!("{}说定了余款{}。", at.zh, yuan(p.amount)),
        format!("The rest, {}, was promised on {}.", yuan(p.amount), at.en),
    ))
}

/// One of the debtor's measures from start to end, and where it fell and rose most.
fn swings(n: &Meeting, name: Text, f: fn(&DebtorState) -> f64) -> Option<Text> {
    let states: Vec<&DebtorState> = std::iter::once(&n.start)
        .chain(n.turns.iter().map(|t| &t.after))
        .collect();
    let pts = |v: f64| (v * 100.0).round();
    let (first, last) = (f(states.first()?), f(states.last()?));
    let ends = line(
        format!("开场 {}，结束 {}", pts(first), pts(last)),
        format!("{} at the start, {} at the end", pts(first), pts(last)),
    );
    let mut parts = Vec::new();
    let steps: Vec<(u32, f64)> = (1..)
        .zip(states.windows(2))
        .map(|(k, w)| (k, f(w[1]) - f(w[0])))
        .collect();
    let by = |a: &&(u32, f64), b: &&(u32, f64)| a.1.total_cmp(&b.1);
    let fell = steps.iter().min_by(by).filter(|s| s.1 <= -0.02);
    let rose = steps.iter().max_by(by).filter(|s| s.1 >= 0.02);
    let part = |(t, d): &(u32, f64), zh: &str, en: &str| {
        let at = turns(&[*t]);
        line(
            format!("{}{zh}最多（{:+}）", at.zh, pts(*d)),
            format!("{en} most on {} ({:+})", at.en, pts(*d)),
        )
    };
    parts.extend(fell.map(|s| part(s, "下降", "fell")));
    parts.extend(rose.map(|s| part(s, "上升", "rose")));
    let p = join_with(&parts, "，", ", ");
    let (zh, en) = if parts.is_empty() {
        (String::new(), String::new())
    } else {
        (format!("；{}", p.zh), format!("; {}", p.en))
    };
    Some(line(
        format!("{}：{}{zh}。", name.zh, ends.zh),
        format!("{}: {}{en}.", name.en, ends.en),
    ))
}

/// The line the meeting opened with.
fn opening(n: &Meeting) -> Option<Text> {
    let first = n.turns.first()?;
    let b = &n.bundle;
    let tactic = &b.tactics[b.choices[first.choice].tactic].name;
    Some(line(
        format!("第 1 轮用的是「{}」。", tactic.zh),
        format!("Turn 1 was {}.", tactic.en.to_lowercase()),
    ))
}

/// The turns on which the item's situation came up (an earned note says where).
fn situation(n: &Meeting, s: Situation) -> Option<Text> {
    let at = match s {
        Situation::Refusal => turns_where(n, |e| e.contains(&Event::Refused)),
        Situation::Sanction => turns_where(n, |e| {
            e.iter().any(|e| matches!(e, Event::SanctionReached(_)))
        }),
        Situation::Excuse => turns_where(n, |e| {
            e.iter().any(|e| matches!(e, Event::ExcuseDefused { .. }))
        }),
        Situation::Threat | Situation::Remainder => return None,
    };
    let (what_zh, what_en) = match s {
        Situation::Refusal => ("对方拒绝", "Refused on"),
        Situation::Sanction => ("提出惩戒", "Sanctions named on"),
        _ => ("回应了借口", "Excuses answered on"),
    };
    (!at.is_empty()).then(|| {
        let t = turns(&at);
        line(
            format!("{}{what_zh}。", t.zh),
            format!("{what_en} {}.", t.en),
        )
    })
}

/// Conduct recorded by turn: "turn 3, 5: <what>".
fn at_turns(ts: &[u32], zh: &str, en: &str) -> Option<Text> {
    (!ts.is_empty()).then(|| {
        let t = turns(ts);
        line(format!("{}：{zh}。", t.zh), format!("{}: {en}.", t.en))
    })
}

/// The longest pause before a line, when it cost patience.
fn pace(n: &Meeting) -> Option<Text> {
    let grace = n.bundle.dynamics.hesitation_grace;
    let (k, t) = (1u32..)
        .zip(&n.turns)
        .max_by(|a, b| a.1.elapsed.total_cmp(&b.1.elapsed))?;
    (t.elapsed > grace).then(|| {
        let at = turns(&[k]);
        let secs = t.elapsed.round();
        line(
            format!("最长的一次停顿在{}：{secs} 秒。", at.zh),
            format!("Longest pause: {secs} s, on {}.", at.en),
        )
    })
}

/// How long the meeting took against the case's par.
fn efficiency(n: &Meeting) -> Option<Text> {
    let end = end_turn(n)?;
    let par = n.bundle.case.par_turns;
    Some(line(
        format!("第 {end} 轮结束，标准是 {par} 轮。"),
        format!("Ended on turn {end}; par is {par}."),
    ))
}

/// The detail an item's note gets in this meeting, if any: what happened and on which turns.
/// An item whose situation never arose gets none (its note says so).
pub fn detail(n: &Meeting, item: &RubricItem, missed: bool) -> Option<Text> {
    if let Some(s) = item.arises
        && !crate::rubric::arose(n, s)
    {
        return None;
    }
    let c = &n.conduct;
    match item.measure {
        Measure::RecoveredNow => recovered(n),
        Measure::CommitmentCredibility if missed => promise(n),
        Measure::CommitmentCredibility => promised(n),
        Measure::EndTrust => swings(n, Text::new("信任", "Trust"), |s| s.trust),
        Measure::EndFace => swings(n, Text::new("面子", "Face"), |s| s.face),
        Measure::EndMood => swings(n, Text::new("心情", "Mood"), |s| {
            (s.mood.pleasure + 1.0) / 2.0
        }),
        Measure::PoliteOpening => opening(n),
        Measure::PreparationFit => preparation(n),
        Measure::ConcreteClose if missed => close(n),
        Measure::ConcreteClose => end_turn(n).map(|t| {
            let at = turns(&[t]);
            line(format!("{}说定。", at.zh), format!("Agreed on {}.", at.en))
        }),
        Measure::KeptRules => rules(n, item).or_else(|| situation(n, item.arises?)),
        Measure::ExcusesCountered if !c.excuses_ignored_at.is_empty() => standing(n),
        Measure::ExcusesCountered => situation(n, Situation::Excuse),
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
        Measure::FactsBeforeAsk => c.facts_at.map(|t| {
            let at = turns(&[t]);
            line(
                format!("{}核对了事实。", at.zh),
                format!("Facts confirmed on {}.", at.en),
            )
        }),
        Measure::NoVagueDelay => at_turns(
            &Vec::from_iter(c.vague_delay_at),
            "接受了含糊的拖延",
            "a vague delay accepted",
        ),
        Measure::NoPrematureThreat => at_turns(
            &c.premature_threats_at,
            "对方还没拒绝就施压",
            "pressure before any refusal",
        ),
        Measure::NoContractAtHonestDebtor => at_turns(
            &Vec::from_iter(c.contract_at_honest_at),
            "对非恶意的客户搬出合同",
            "the contract waved at an honest debtor",
        ),
        Measure::CalmUnderRefusal => at_turns(
            &c.lost_calm_at,
            "被拒绝后用了最重的话",
            "the heaviest words after a refusal",
        )
        .or_else(|| situation(n, Situation::Refusal)),
        Measure::Efficiency => efficiency(n),
        Measure::Pace => pace(n),
        Measure::RulesBySeverity => all_rules(n, item),
    }
}
