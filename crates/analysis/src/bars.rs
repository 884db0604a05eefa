//! The bars a case must clear to teach the course, in one place: `validity` and `analyze` print
//! a PASS/FAIL line per bar and exit 1 on a FAIL, `validate` warns on the bars it measures
//! quickly, and the training-validity tests assert them on the bundled cases. Documented in
//! docs/AUTHORING.md ("Verdicts") and the README ("The bundled cases").

use crate::analyze::Report;
use crate::validity::{CaseValidity, PlayerRow, RuleBreak};
use serde::Serialize;
use sim::scenario::Severity;
use sim::text::{Lang, Text};

/// The course model's mean must lie in this range…
pub const MODEL_MEAN: (f64, f64) = (80.0, 95.0);
/// …and its worst meeting must grade this or better.
pub const MODEL_WORST_GRADE: &str = "A";
/// Course-following play beats always-pressure and random play by this much.
pub const BEATS_OTHERS_BY: f64 = 20.0;
/// Every course-breaking player averages at least this far below the model…
pub const BREAKER_GAP: f64 = 25.0;
/// …and never reaches this grade.
pub const BREAKER_NEVER: &str = "B";
/// Preparation is worth at least this much: the best play without it scores this much less.
pub const PREPARATION_WORTH: f64 = 15.0;
/// A meeting learnt by heart on one seed does at least this much worse on the others.
pub const MEMORISED_COSTS: f64 = 10.0;
/// A course-endorsed slip costs a median of at most this much…
pub const ENDORSED_MEDIAN: f64 = 5.0;
/// …and over 25 points in at most this share of slips.
pub const ENDORSED_OVER_25: f64 = 0.05;

/// What breaking a rule must cost at best, by its severity, and the grades it may not reach: a
/// severe break sinks a meeting (25 points and never a B), a major one costs 10 and never an
/// A, a minor slip costs something.
pub fn rule_cost(s: Severity) -> (f64, &'static [&'static str]) {
    match s {
        Severity::Severe => (25.0, &["A", "B"]),
        Severity::Major => (10.0, &["A"]),
        Severity::Minor => (0.05, &[]),
    }
}

/// Whether `grade` is `at_least` or better (grades are letters, A best).
pub fn grade_at_least(grade: &str, at_least: &str) -> bool {
    !grade.is_empty() && grade <= at_least
}

/// The bars, by id (the names the README and AUTHORING.md use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bar {
    /// The course model's mean is 80–95 and it grades A on every seed.
    Model,
    /// Every course-breaking player averages 25+ below the model and never reaches B.
    Breakers,
    /// The best meeting that breaks one course rule costs what the rule's severity says.
    RuleCosts,
    /// The seed matters: the model varies its lines, a memorised meeting does 10+ worse.
    Seeds,
    /// Thinking 0 s scores as 4 s; 25 s a line costs points but never causes a walk-out.
    Thinking,
    /// Course-following beats always-pressure and random by 20+.
    BeatsOthers,
    /// The analyzer's best play breaks no course rule.
    BestKeepsCourse,
    /// Preparation is worth 15+: the best without it is that much lower.
    Preparation,
    /// One other line said in a good meeting: a course-endorsed slip costs a median of 5 at
    /// most and over 25 in 5% at most; every major break 10+, every severe one 25+.
    Slips,
}

impl Bar {
    pub fn id(self) -> &'static str {
        match self {
            Bar::Model => "model",
            Bar::Breakers => "breakers",
            Bar::RuleCosts => "rule-costs",
            Bar::Seeds => "seeds",
            Bar::Thinking => "thinking",
            Bar::BeatsOthers => "beats-others",
            Bar::BestKeepsCourse => "best-keeps-course",
            Bar::Preparation => "preparation",
            Bar::Slips => "slips",
        }
    }

    /// What the bar asks, in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Bar::Model => (
                "课程示范打法均分在 80–95 之间，每个种子都得 A",
                "the course model's mean is 80–95 and it grades A on every seed",
            ),
            Bar::Breakers => (
                "每个违反课程的玩家平均比课程示范低 25 分以上，且从未达到 B",
                "every course-breaking player averages 25+ below the model and never reaches B",
            ),
            Bar::RuleCosts => (
                "违反一条课程规则的最佳谈判，代价符合规则的严重程度",
                "the best meeting that breaks one course rule costs what its severity says",
            ),
            Bar::Seeds => (
                "种子有影响：示范打法随情况变化，背下来的台词在其他种子上至少低 10 分",
                "the seed matters: the model varies, a meeting learnt by heart does 10+ worse",
            ),
            Bar::Thinking => (
                "思考 0 秒与 4 秒同分；每句想 25 秒会扣分，但不会导致对方离场",
                "thinking 0 s scores as 4 s; 25 s a line costs points but never a walk-out",
            ),
            Bar::BeatsOthers => (
                "按课程打法比一味施压和随机打法高 20 分以上",
                "course-following beats always-pressure and random by 20+",
            ),
            Bar::BestKeepsCourse => (
                "分析器找到的最佳打法不违反任何课程规则",
                "the analyzer's best play breaks no course rule",
            ),
            Bar::Preparation => (
                "准备有价值：不做准备的最佳得分至少低 15 分",
                "preparation is worth 15+: the best without it is that much lower",
            ),
            Bar::Slips => (
                "课程认可的小偏差中位数最多扣 5 分、超过 25 分的不到 5%；较重违规每次至少 10 分，严重违规至少 25 分",
                "a course-endorsed slip costs a median of 5 at most, over 25 in 5% at most; every major break 10+, every severe one 25+",
            ),
        };
        sim::text::t(lang, zh, en)
    }
}

/// One bar judged on one case: whether it passed and the figures that say so.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub case: String,
    pub bar: Bar,
    pub pass: bool,
    /// The measured figures, in both languages.
    pub figures: sim::text::Text,
    /// For a failed bar: what to change, where the measurement knows (both languages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<sim::text::Text>,
}

impl Verdict {
    fn new(case: &str, bar: Bar, pass: bool, figures: sim::text::Text) -> Verdict {
        Verdict {
            case: case.to_owned(),
            bar,
            pass,
            figures,
            fix: None,
        }
    }

    /// The PASS/FAIL line: `PASS model (fastener_factory): … — mean 93.3, worst 93.3 A`.
    pub fn line(&self, lang: Lang) -> String {
        let word = match (self.pass, lang) {
            (true, Lang::En) => "PASS",
            (false, Lang::En) => "FAIL",
            (true, Lang::Zh) => "通过 PASS",
            (false, Lang::Zh) => "未通过 FAIL",
        };
        let mut s = format!(
            "{word} {} ({}): {} — {}",
            self.bar.id(),
            self.case,
            self.bar.name(lang),
            self.figures.get(lang)
        );
        if let (false, Some(fix)) = (self.pass, &self.fix) {
            s.push_str(sim::text::t(lang, "\n      改法：", "\n      fix: "));
            s.push_str(fix.get(lang));
        }
        s
    }
}

/// The model bar from its figures: mean, worst score and worst grade.
pub fn model(case: &str, mean: f64, worst: f64, worst_grade: &str) -> Verdict {
    let pass = (MODEL_MEAN.0..=MODEL_MEAN.1).contains(&mean)
        && grade_at_least(worst_grade, MODEL_WORST_GRADE);
    Verdict::new(
        case,
        Bar::Model,
        pass,
        Text::new(
            format!("均分 {mean:.1}，最低 {worst:.1}（{worst_grade}）"),
            format!("mean {mean:.1}, worst {worst:.1} ({worst_grade})"),
        ),
    )
}

/// The breakers bar: the player closest to the model (or the first that reached B).
pub fn breakers(case: &str, model_mean: f64, players: &[PlayerRow]) -> Verdict {
    let broke: Vec<&PlayerRow> = players.iter().filter(|p| p.broke > 0).collect();
    let fails = |p: &PlayerRow| {
        p.figures.mean > model_mean - BREAKER_GAP
            || grade_at_least(&p.figures.best_grade, BREAKER_NEVER)
    };
    let failing: Vec<&PlayerRow> = broke.iter().copied().filter(|p| fails(p)).collect();
    let closest = failing.first().copied().or_else(|| {
        broke
            .iter()
            .copied()
            .max_by(|a, b| a.figures.mean.total_cmp(&b.figures.mean))
    });
    let figures = match closest {
        Some(p) => Text::new(
            format!(
                "最接近的 {}：均分 {:.1}（示范 {model_mean:.1}），最好 {:.1} {}{}",
                p.player,
                p.figures.mean,
                p.figures.best,
                p.figures.best_grade,
                more(failing.len(), true)
            ),
            format!(
                "closest {}: mean {:.1} (model {model_mean:.1}), best {:.1} {}{}",
                p.player,
                p.figures.mean,
                p.figures.best,
                p.figures.best_grade,
                more(failing.len(), false)
            ),
        ),
        None => Text::new("没有玩家违反课程", "no player broke the course"),
    };
    Verdict::new(case, Bar::Breakers, failing.is_empty(), figures)
}

/// ", and N more fail" when more than one player fails.
fn more(failing: usize, zh: bool) -> String {
    match (failing, zh) {
        (0 | 1, _) => String::new(),
        (n, true) => format!("；另有 {} 个未过线", n - 1),
        (n, false) => format!("; {} more fail", n - 1),
    }
}

/// The rule-costs bar over the search's findings.
pub fn rule_costs(case: &str, breaks: &[RuleBreak]) -> Verdict {
    let fails = |r: &&RuleBreak| {
        r.best.is_some_and(|best| {
            let (min, never) = rule_cost(r.severity);
            r.clean - best < min || never.contains(&r.grade.as_str())
        })
    };
    let found = breaks.iter().filter(|r| r.best.is_some()).count();
    let failing: Vec<&RuleBreak> = breaks.iter().filter(fails).collect();
    let figures = match failing.first() {
        Some(r) => {
            let cost = r.clean - r.best.unwrap_or(r.clean);
            Text::new(
                format!(
                    "{}（{:?}）只扣 {cost:.1} 分，得 {}{}",
                    r.rule,
                    r.severity,
                    r.grade,
                    more(failing.len(), true)
                ),
                format!(
                    "{} ({:?}) costs only {cost:.1}, grades {}{}",
                    r.rule,
                    r.severity,
                    r.grade,
                    more(failing.len(), false)
                ),
            )
        }
        None => Text::new(
            format!("{found} 条规则的违反都付出了应有代价"),
            format!("{found} rules, each break costs what its severity says"),
        ),
    };
    Verdict::new(case, Bar::RuleCosts, failing.is_empty(), figures)
}

/// Every bar `validity` measures (rule costs only when the search ran).
pub fn of_validity(v: &CaseValidity, searched: bool) -> Vec<Verdict> {
    let mut out = vec![
        model(&v.case, v.model.mean, v.model.worst, &v.model.worst_grade),
        breakers(&v.case, v.model.mean, &v.players),
    ];
    if searched {
        out.push(rule_costs(&v.case, &v.rule_breaks));
    }
    let sv = &v.seed_variation;
    out.push(Verdict::new(
        &v.case,
        Bar::Seeds,
        sv.model_sequences >= 2 && sv.script_mean <= sv.model_mean - MEMORISED_COSTS,
        Text::new(
            format!(
                "示范说出 {} 种台词顺序；背下来的 {:.1}，示范 {:.1}",
                sv.model_sequences, sv.script_mean, sv.model_mean
            ),
            format!(
                "the model said {} line sequences; memorised {:.1} vs model {:.1}",
                sv.model_sequences, sv.script_mean, sv.model_mean
            ),
        ),
    ));
    out.push(thinking(v));
    out
}

/// The thinking bar.
fn thinking(v: &CaseValidity) -> Verdict {
    let at = |s: f64| v.thinking.iter().find(|t| t.seconds == s);
    let (pass, zh, en) = match (at(0.0), at(4.0), at(25.0)) {
        (Some(now), Some(four), Some(exam)) => (
            now.figures == four.figures
                && exam.figures.mean < four.figures.mean
                && exam.walk_outs == 0,
            format!(
                "0 秒 {:.1}，4 秒 {:.1}，25 秒 {:.1}（离场 {} 次）",
                now.figures.mean, four.figures.mean, exam.figures.mean, exam.walk_outs
            ),
            format!(
                "0 s {:.1}, 4 s {:.1}, 25 s {:.1} ({} walk-outs)",
                now.figures.mean, four.figures.mean, exam.figures.mean, exam.walk_outs
            ),
        ),
        _ => (false, "未测量".to_owned(), "not measured".to_owned()),
    };
    Verdict::new(&v.case, Bar::Thinking, pass, Text::new(zh, en))
}

/// Every bar `analyze` measures.
pub fn of_analysis(r: &Report) -> Vec<Verdict> {
    let mean = |name: &str| r.strategies.iter().find(|s| s.name == name).map(|s| s.mean);
    let beats = match (
        mean("course-following"),
        mean("always-pressure"),
        mean("random"),
    ) {
        (Some(c), Some(p), Some(x)) => Verdict::new(
            &r.case,
            Bar::BeatsOthers,
            c - p.max(x) >= BEATS_OTHERS_BY,
            Text::new(
                format!("按课程 {c:.1}，一味施压 {p:.1}，随机 {x:.1}"),
                format!("course-following {c:.1}, always-pressure {p:.1}, random {x:.1}"),
            ),
        ),
        _ => Verdict::new(
            &r.case,
            Bar::BeatsOthers,
            false,
            Text::new("未测量", "not measured"),
        ),
    };
    let keeps = Verdict::new(
        &r.case,
        Bar::BestKeepsCourse,
        r.best.rules_broken.is_empty(),
        Text::new(
            format!(
                "最佳 {:.1}，违反：{}",
                r.best.score,
                list(&r.best.rules_broken, "无")
            ),
            format!(
                "best {:.1}, breaks: {}",
                r.best.score,
                list(&r.best.rules_broken, "none")
            ),
        ),
    );
    vec![
        beats,
        keeps,
        preparation(&r.case, r.best.score, r.best_without_preparation.score),
    ]
}

/// The preparation bar from the best scores with and without preparation.
pub fn preparation(case: &str, best: f64, unprepared: f64) -> Verdict {
    Verdict::new(
        case,
        Bar::Preparation,
        best - unprepared >= PREPARATION_WORTH,
        Text::new(
            format!("有准备最佳 {best:.1}，不准备最佳 {unprepared:.1}"),
            format!("best prepared {best:.1}, best unprepared {unprepared:.1}"),
        ),
    )
}

fn list(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(", ")
    }
}

/// Seeds `validate` plays for its quick verdict.
pub const QUICK_SEEDS: u64 = 6;

/// What `validate` judges quickly: the model, the course-breaking players and preparation, on
/// a few seeds and a shallow analyzer run. Where the model fails its bar, the fix is the
/// analyzer's best play written as the case's model.
pub fn quick(bundle: &std::sync::Arc<sim::CaseBundle>) -> Vec<Verdict> {
    let case = bundle.case.id.as_str();
    let (model_figures, players) = crate::validity::model_and_players(bundle, QUICK_SEEDS);
    let r = crate::analyze::analyze(bundle, &quick_analysis(), &|_| {});
    let mut m = model(
        case,
        model_figures.mean,
        model_figures.worst,
        &model_figures.worst_grade,
    );
    if !m.pass {
        m.fix = Some(match crate::model_fix::better_model(bundle, QUICK_SEEDS) {
            Some(fix) => model_changes(&fix),
            None if grade_at_least(&r.best.grade, MODEL_WORST_GRADE) => suggested_model(&r.best),
            None => no_model_found(r.best.score),
        });
    }
    vec![
        m,
        breakers(case, model_figures.mean, &players),
        preparation(case, r.best.score, r.best_without_preparation.score),
    ]
}

/// A quick analyzer run: what validate's verdict and the deviation analysis use.
pub fn quick_analysis() -> crate::analyze::Options {
    crate::analyze::Options {
        depth: 2,
        seeds: 2,
        rollouts: 2,
        samples: 10,
    }
}

/// The changes that make the model grade well again, in words a trainer can apply.
fn model_changes(fix: &crate::model_fix::ModelFix) -> sim::text::Text {
    let quoted = |v: &[String]| {
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (b, a) = (&fix.before, &fix.after);
    let zh: Vec<&str> = fix.changes.iter().map(|c| c.0.as_str()).collect();
    let en: Vec<&str> = fix.changes.iter().map(|c| c.1.as_str()).collect();
    Text::new(
        format!(
            "{}：示范均分从 {:.1} 升到 {:.1}（最低 {}）。改好的示范：model_preparations: [{}], \
             model_lines: [{}]",
            zh.join("；"),
            b.mean,
            a.mean,
            a.worst_grade,
            quoted(&fix.preparations),
            quoted(&fix.lines)
        ),
        format!(
            "{}: the model's mean goes from {:.1} to {:.1} (worst {}). The model with it: \
             model_preparations: [{}], model_lines: [{}]",
            en.join("; "),
            b.mean,
            a.mean,
            a.worst_grade,
            quoted(&fix.preparations),
            quoted(&fix.lines)
        ),
    )
}

/// When neither a changed model nor the analyzer's best play grades well.
fn no_model_found(best: f64) -> sim::text::Text {
    Text::new(
        format!(
            "换掉示范里的任何一句都没有用，分析器找到的最佳打法也只得 {best:.1}：问题在欠款人或案例本身\
             （看看其他警告：门槛、借口、准备）"
        ),
        format!(
            "No change to the model helps, and the analyzer's best play scores only {best:.1}: \
             the cause is in the persona or the case (see the other warnings: gates, excuses, \
             preparations)"
        ),
    )
}

/// The analyzer's best play written as a case's model.
fn suggested_model(best: &crate::analyze::Play) -> sim::text::Text {
    let quoted = |v: &[String]| {
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (preps, lines) = (quoted(&best.preparations), quoted(&best.lines));
    Text::new(
        format!(
            "分析器找到的最佳打法得 {:.1}（{}）：把案例的示范写成 model_preparations: [{preps}], \
             model_lines: [{lines}]，或者检查这个案例让示范卡住的地方",
            best.score, best.grade
        ),
        format!(
            "The analyzer's best play scores {:.1} ({}): write the case's model as \
             model_preparations: [{preps}], model_lines: [{lines}], or look at what stops the \
             model in this case",
            best.score, best.grade
        ),
    )
}

/// The slips bar over one deviation analysis.
pub fn of_deviations(d: &crate::deviations::DeviationReport) -> Verdict {
    use crate::deviations::Standing;
    let endorsed = d.bucket(Standing::Endorsed);
    let least = |s: Severity| d.bucket(Standing::Breaks(s)).map(|b| b.min);
    let (major, severe) = (least(Severity::Major), least(Severity::Severe));
    let pass = endorsed
        .is_none_or(|b| b.median <= ENDORSED_MEDIAN && b.over_25 <= ENDORSED_OVER_25)
        && major.is_none_or(|m| m >= rule_cost(Severity::Major).0)
        && severe.is_none_or(|m| m >= rule_cost(Severity::Severe).0);
    let (med, over) = endorsed.map_or((0.0, 0.0), |b| (b.median, 100.0 * b.over_25));
    let shown = |m: Option<f64>| m.map_or("—".to_owned(), |m| format!("{m:.1}"));
    Verdict::new(
        &format!("{}, {}", d.case, d.from),
        Bar::Slips,
        pass,
        Text::new(
            format!(
                "认可的偏差中位数 {med:.1}，超过 25 分的 {over:.0}%；较重违规最少 {}，严重违规最少 {}",
                shown(major),
                shown(severe)
            ),
            format!(
                "endorsed median {med:.1}, over 25 in {over:.0}%; least major break {}, least severe {}",
                shown(major),
                shown(severe)
            ),
        ),
    )
}

/// Whether every verdict passed.
pub fn all_pass(v: &[Verdict]) -> bool {
    v.iter().all(|v| v.pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_compare_best_first() {
        assert!(grade_at_least("A", "B"));
        assert!(grade_at_least("B", "B"));
        assert!(!grade_at_least("C", "B"));
        assert!(!grade_at_least("", "B"));
    }

    #[test]
    fn the_model_bar_needs_the_mean_in_range_and_a_on_every_seed() {
        assert!(model("c", 90.0, 86.0, "A").pass);
        assert!(!model("c", 90.0, 80.0, "B").pass);
        assert!(!model("c", 96.0, 90.0, "A").pass);
        let fail = model("c", 63.1, 50.0, "D");
        assert!(fail.line(Lang::En).starts_with("FAIL model (c)"));
        assert!(fail.line(Lang::Zh).contains("均分 63.1"));
    }

    #[test]
    fn preparation_must_be_worth_fifteen_points() {
        assert!(preparation("c", 95.0, 67.2).pass);
        assert!(!preparation("c", 95.0, 85.0).pass);
    }
}
