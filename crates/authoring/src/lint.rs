//! Warnings beyond validity, for trainers: excuses nothing can counter, counters and lines a case
//! can never offer, excuses that can never be raised, rubric items that can never fire, and
//! numbers outside sensible ranges. A case with warnings still plays.

use crate::diagnostic::{Diagnostic, msg};
use crate::load::{Source, SourceAt};
use crate::locate::FieldPath;
use crate::validate::Scenarios;
use crate::validate::unfilled;
use sim::rubric::percent;
use sim::scenario::{Answer, Condition, Reaction};
use sim::scenario::{Case, Measure, Persona};
use sim::text::Text;
use std::collections::BTreeSet;

/// What the case's debtor makes impossible whatever the trainee does: a rubric item judged by
/// a promise's credibility whose pass mark is above the most credible promise this persona can
/// give; an excuse the course-following play cannot defuse before the meeting ends.
fn reachability(sc: &Scenarios, case: &Case, csrc: &Source) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Ok(b) = sim::CaseBundle::new(sc, &case.id) else {
        return out;
    };
    let root = FieldPath::root();
    // The course's own play over a few seeds.
    let runs: Vec<_> = (0..8).map(|seed| sim::autoplay::model(&b, seed)).collect();
    let full = runs
        .iter()
        .any(|n| matches!(n.outcome, Some(sim::Outcome::PaidInFull { .. })));
    let c = &b.dynamics.credibility;
    let honesty = 1.0 - c.honesty_weight + c.honesty_weight * b.honesty / 2.0;
    let ceiling =
        ((c.base + c.dated + c.person + c.will).clamp(0.0, 1.0) * honesty).clamp(0.0, 1.0);
    for item in &sc.rubric.items {
        let judged_by_promise = item.measure == Measure::CommitmentCredibility;
        if judged_by_promise && ceiling < item.pass - 1e-9 && !full {
            out.push(warn(
                csrc,
                "item-never-passes",
                &root.field("persona"),
                msg(
                    format!(
                        "评分项 \"{}\" 在这个案例里永远达不到及格线：欠款人 \"{}\" 能给出的最可信的\
                         承诺只有 {}%（受它的 {} {:.2} 限制），低于这一项的及格线 {}%，而按课程示范\
                         去谈也从来拿不到全额付款；请提高这项特质、降低及格线，或让全额付款可以达成",
                        item.id,
                        case.persona,
                        percent(ceiling),
                        c.honesty_trait,
                        b.honesty,
                        percent(item.pass)
                    ),
                    format!(
                        "rubric item \"{}\" can never pass in this case: the most credible promise \
                     persona \"{}\" can give is {}% (its {} {:.2} caps it), below the item's pass \
                     mark of {}%, and the course-following play never gets payment in full; raise \
                     the trait, lower the pass mark, or make full payment reachable",
                        item.id,
                        case.persona,
                        percent(ceiling),
                        c.honesty_trait,
                        b.honesty,
                        percent(item.pass)
                    ),
                ),
            ));
        }
    }
    out.extend(never_defused(&b, &runs, csrc));
    out
}

/// An excuse the course's play raises but never defuses.
fn never_defused(b: &sim::CaseBundle, runs: &[sim::Meeting], csrc: &Source) -> Vec<Diagnostic> {
    let root = FieldPath::root();
    let mut out = Vec::new();
    let mut stuck: BTreeSet<usize> = BTreeSet::new();
    let mut answered: BTreeSet<usize> = BTreeSet::new();
    for n in runs {
        for t in &n.turns {
            for e in &t.events {
                match e {
                    sim::Event::ExcuseDefused { excuse } => {
                        answered.insert(*excuse);
                    }
                    sim::Event::Reply(sim::meeting::Utterance::Excuse { excuse, .. }) => {
                        stuck.insert(*excuse);
                    }
                    _ => {}
                }
            }
        }
    }
    for i in stuck.difference(&answered) {
        let e = &b.persona.excuses[*i];
        out.push(warn(
            csrc,
            "excuse-never-defused",
            &root.field("model_lines"),
            msg(
                format!(
                    "按课程示范去谈这个案例时，借口 \"{}\" 被提了出来，但直到会谈结束都没有化解\
                     （试了 8 个种子）：没有及时出现能回应它的选项（请对照 model_preparations \
                     检查它的回应需要的会前准备，以及回合上限）",
                    e.id
                ),
                format!(
                    "excuse \"{}\" came up in the course-following play of this case and was never \
                 defused before the meeting ended (8 seeds): no counter to it was open in time \
                 (check its counters' preparations against model_preparations and the turn limit)",
                    e.id
                ),
            ),
        ));
    }
    out
}

/// Whether a trainee with none of the preparations can still answer excuse `e` in `case`: a
/// counter that needs none, or a line of one of its counters' tactics that needs none (an
/// answer in kind).
fn answerable_unprepared(sc: &Scenarios, case: &Case, e: &sim::scenario::Excuse) -> bool {
    let tactics: BTreeSet<&str> = e.counters.iter().map(|c| c.tactic.as_str()).collect();
    let listening: BTreeSet<&str> = sc
        .book
        .tactics
        .iter()
        .filter(|t| t.listening)
        .map(|t| t.id.as_str())
        .collect();
    let mut lines = sc
        .lines
        .lines
        .iter()
        .filter(|l| !case.without_lines.contains(&l.id))
        .chain(&case.extra_lines)
        .filter(|l| l.needs_prep.is_none());
    let (mut in_kind, mut can_listen) = (false, false);
    for l in lines.by_ref() {
        in_kind |= tactics.contains(l.tactic.as_str());
        can_listen |= listening.contains(l.tactic.as_str());
    }
    let counter = e
        .counters
        .iter()
        .any(|c| c.needs_prep.is_none() && (!c.after_listening || can_listen));
    in_kind || counter
}

/// A warning in both languages.
fn warn(src: &Source, code: &'static str, path: &FieldPath, m: Text) -> Diagnostic {
    src.at_in(path, m).with_code(code).warning()
}

/// True when two conditions cannot both hold.
fn contradict(a: &Condition, b: &Condition) -> bool {
    use Condition::*;
    match (a, b) {
        (StageAtLeast(x), StageBefore(y)) | (StageBefore(y), StageAtLeast(x)) => y <= x,
        (Stage(x), StageBefore(y)) | (StageBefore(y), Stage(x)) => y <= x,
        (Stage(x), StageAtLeast(y)) | (StageAtLeast(y), Stage(x)) => x < y,
        (Stage(x), Stage(y)) => x != y,
        (TrustBelow(x), TrustAtLeast(y))
        | (TrustAtLeast(y), TrustBelow(x))
        | (FaceBelow(x), FaceAtLeast(y))
        | (FaceAtLeast(y), FaceBelow(x))
        | (WillingnessBelow(x), WillingnessAtLeast(y))
        | (WillingnessAtLeast(y), WillingnessBelow(x))
        | (PleasureBelow(x), PleasureAtLeast(y))
        | (PleasureAtLeast(y), PleasureBelow(x)) => x <= y,
        (TrustBelow(x), _)
        | (FaceBelow(x), _)
        | (WillingnessBelow(x), _)
        | (PatienceBelow(x), _)
            if *x <= 0.0 =>
        {
            true
        }
        (PlanOffered, NoPlan)
        | (NoPlan, PlanOffered)
        | (DeadlineSet, NoDeadline)
        | (NoDeadline, DeadlineSet)
        | (FactsConfirmed, FactsUnconfirmed)
        | (FactsUnconfirmed, FactsConfirmed)
        | (ExcuseOpen, NoExcuseOpen)
        | (NoExcuseOpen, ExcuseOpen)
        | (Refused, NotRefused)
        | (NotRefused, Refused)
        | (Malicious, NotMalicious)
        | (NotMalicious, Malicious)
        | (NoPlan, PlanDated)
        | (PlanDated, NoPlan)
        | (NoPlan, PlanUndated)
        | (PlanUndated, NoPlan)
        | (PlanDated, PlanUndated)
        | (PlanUndated, PlanDated) => true,
        (HasPrep(p), LacksPrep(q)) | (LacksPrep(q), HasPrep(p)) => p == q,
        _ => false,
    }
}

/// Whether a list of conditions can never hold together (a pair contradicts).
pub fn impossible(conds: &[Condition]) -> bool {
    conds
        .iter()
        .enumerate()
        .any(|(i, a)| contradict(a, a) || conds[i + 1..].iter().any(|b| contradict(a, b)))
}

/// Answers that can never be said: conditions that cannot hold together, a tone no answer is
/// chosen in, or (per case) wordings that need a value the case does not give.
fn answer_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    let src = &sc.sources;
    let never = |a: &Answer| impossible(&a.when) || a.tone == Some(Reaction::Greeting);
    let mut lists: Vec<(&Source, &Vec<Answer>)> = vec![(&src.book, &sc.book.answers)];
    lists.extend(
        src.personas
            .iter()
            .zip(sc.personas.iter().map(|p| &p.answers)),
    );
    lists.extend(src.cases.iter().zip(sc.cases.iter().map(|c| &c.answers)));
    for (file, list) in lists {
        for (i, a) in list.iter().enumerate() {
            if never(a) {
                out.push(warn(file, "answer-never-said", &root.field("answers").index(i), msg(
                    "这句回答永远不会说出：它的条件不可能同时成立，或者它的语气是 Greeting（开场问候来自 voice）",
                    "this answer is never said: its conditions cannot hold together, or its tone is Greeting (the greeting comes from the voice)",
                )));
            }
        }
    }
    for (case, csrc) in sc.cases.iter().zip(&src.cases) {
        let sources = [
            ("tactics.ron", "tactics.ron", Some(&sc.book.answers)),
            (
                "persona",
                "欠款人文件",
                sc.persona(&case.persona).map(|p| &p.answers),
            ),
            ("this case", "这个案例", Some(&case.answers)),
        ];
        for (name, name_zh, list) in sources {
            for (i, a) in list.into_iter().flatten().enumerate() {
                for t in &a.text {
                    let missing = unfilled(case, t);
                    if !missing.is_empty() {
                        let vars = missing.join("}, {");
                        out.push(warn(csrc, "placeholder-unfilled", &root.field("vars"), msg(
                            format!(
                                "{name_zh}的第 {i} 个回答用了 {{{vars}}}，但这个案例没有给它的值：这句话在这里永远不会说出（请在 `vars` 里加上）"
                            ),
                            format!(
                                "answer {i} of {name} uses {{{vars}}}, which this case gives no value for: that wording is never said here (add it to `vars`)"
                            ),
                        )));
                    }
                }
            }
        }
    }
}

/// Common surnames, for spotting a person named in a reply ("李经理", "小王").
const SURNAMES: &str = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
/// What follows a surname when it names a person in a role.
const ROLES: [&str; 9] = [
    "经理", "总", "老板", "主任", "会计", "出纳", "师傅", "姐", "哥",
];
/// English titles that name a person when a capitalised name follows.
const TITLES: [&str; 7] = ["Mr", "Ms", "Mrs", "Miss", "Xiao", "Director", "Manager"];

/// The first person a text names outright (a surname with a role, "小" with a surname, or an
/// English title with a name), if any: a heuristic, for persona and tactic-book texts, which
/// every case shares and so must not name the case's people.
fn names_a_person(t: &sim::text::Text) -> Option<String> {
    let zh: Vec<char> = t.zh.chars().collect();
    for (k, c) in zh.iter().enumerate() {
        if !SURNAMES.contains(*c) {
            continue;
        }
        let rest: String = zh[k + 1..].iter().take(2).collect();
        if let Some(role) = ROLES.iter().find(|r| rest.starts_with(**r)) {
            return Some(format!("{c}{role}"));
        }
        if k > 0 && zh[k - 1] == '小' {
            return Some(format!("小{c}"));
        }
    }
    let words: Vec<&str> =
        t.en.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
    words.windows(2).find_map(|w| {
        let named = TITLES.contains(&w[0]) && w[1].chars().next().is_some_and(char::is_uppercase);
        named.then(|| format!("{} {}", w[0], w[1]))
    })
}

/// Persona and tactic-book texts that name a person: every case that uses them would have the
/// debtor name someone its case file does not have.
fn people_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    let src = &sc.sources;
    let advice = "name people through a case variable instead ({contact}, {payer}, {approver}), so each case's file says who they are";
    let advice_zh =
        "请改用案例变量（{contact}、{payer}、{approver}）来称呼人，让每个案例文件自己说明是谁";
    let mut check = |file: &Source, path: FieldPath, t: &sim::text::Text| {
        if let Some(who) = names_a_person(t) {
            out.push(warn(file, "reply-names-a-person", &path, msg(
                format!("这段文字点名了“{who}”，但用到它的案例不一定都有这个人：{advice_zh}"),
                format!("this text names \"{who}\", a person no case file defines for every case that uses it: {advice}"),
            )));
        }
    };
    for (i, a) in sc.book.answers.iter().enumerate() {
        for (k, t) in a.text.iter().enumerate() {
            check(
                &src.book,
                root.field("answers").index(i).field("text").index(k),
                t,
            );
        }
    }
    for (p, psrc) in sc.personas.iter().zip(&src.personas) {
        for (i, a) in p.answers.iter().enumerate() {
            for (k, t) in a.text.iter().enumerate() {
                check(
                    psrc,
                    root.field("answers").index(i).field("text").index(k),
                    t,
                );
            }
        }
        for (i, e) in p.excuses.iter().enumerate() {
            let ep = root.field("excuses").index(i);
            check(psrc, ep.field("text"), &e.text);
            for (j, c) in e.counters.iter().enumerate() {
                let cp = ep.field("counters").index(j);
                check(psrc, cp.field("text"), &c.text);
                check(psrc, cp.field("reply"), &c.reply);
            }
        }
        for (r, lines) in &p.voice {
            for (k, t) in lines.iter().enumerate() {
                check(
                    psrc,
                    root.field("voice").field(&format!("{r:?}")).index(k),
                    t,
                );
            }
        }
    }
}

/// Texts whose two languages use different placeholders: one of them leaves a value out.
fn placeholder_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    let src = &sc.sources;
    let mut check = |file: &Source, path: FieldPath, t: &sim::text::Text| {
        let odd = t.mismatched_placeholders();
        if !odd.is_empty() {
            let vars = odd.join("}, {");
            out.push(warn(file, "placeholder-mismatch", &path, msg(
                format!("{{{vars}}} 只在一种语言里用到：两种语言说的内容会不一样"),
                format!("{{{vars}}} is used in one language only: the two renderings will not say the same thing"),
            )));
        }
    };
    for (i, l) in sc.lines.lines.iter().enumerate() {
        check(
            &src.lines,
            root.field("lines").index(i).field("text"),
            &l.text,
        );
    }

    for (i, a) in sc.book.answers.iter().enumerate() {
        for (j, t) in a.text.iter().enumerate() {
            check(
                &src.book,
                root.field("answers").index(i).field("text").index(j),
                t,
            );
        }
    }
    for (p, psrc) in sc.personas.iter().zip(&src.personas) {
        for (i, a) in p.answers.iter().enumerate() {
            for (j, t) in a.text.iter().enumerate() {
                check(
                    psrc,
                    root.field("answers").index(i).field("text").index(j),
                    t,
                );
            }
        }
    }
    for (c, csrc) in sc.cases.iter().zip(&src.cases) {
        for (i, l) in c.extra_lines.iter().enumerate() {
            check(
                csrc,
                root.field("extra_lines").index(i).field("text"),
                &l.text,
            );
        }
    }
    for (c, csrc) in sc.cases.iter().zip(&src.cases) {
        for (k, v) in &c.vars {
            if v.zh.trim().is_empty() || v.en.trim().is_empty() {
                out.push(warn(
                    csrc,
                    "placeholder-mismatch",
                    &root.field("vars").key(k),
                    msg(
                        format!("\"{k}\" 有一种语言是空的：用到 {{{k}}} 的话会缺一块"),
                        format!(
                            "\"{k}\" is empty in one language: lines using {{{k}}} will read with a gap"
                        ),
                    ),
                ));
            }
        }
    }
}

/// Every warning for a validated set of scenarios.
pub fn lint(sc: &Scenarios) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    persona_lints(sc, &mut out);
    older_format_lints(sc, &mut out);
    people_lints(sc, &mut out);
    // Cases: rubric items and excuses the case's debtor makes impossible.
    for (case, csrc) in sc.cases.iter().zip(&sc.sources.cases) {
        out.extend(reachability(sc, case, csrc));
    }
    offer_lints(sc, &mut out);
    library_lints(sc, &mut out);
    tactic_lints(sc, &mut out);
    answer_lints(sc, &mut out);
    unreachable_line_lints(sc, &mut out);
    placeholder_lints(sc, &mut out);
    tuning_lints(sc, &mut out);
    rubric_lints(sc, &mut out);
    out
}

/// Personas written before the drivers model: what the engine assumes for what is missing, and
/// what to write so the debtor teaches its own lesson (SCENARIO_FORMAT.md, "Migrating").
fn older_format_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let d = &sc.book.dynamics.default_drivers;
    for (p, src) in sc.personas.iter().zip(&sc.sources.personas) {
        let no_certain = !p.excuses.is_empty() && !p.excuses.iter().any(|e| e.certain);
        let missing: Vec<(&str, &str)> = [
            (p.drivers.is_none(), ("drivers", "drivers")),
            (p.gates.is_empty(), ("gates", "gates")),
            (
                p.promise_needs.is_empty(),
                ("promise_needs", "promise_needs"),
            ),
            (
                no_certain,
                ("任何借口的 certain: true", "certain: true on any excuse"),
            ),
        ]
        .into_iter()
        .filter_map(|(m, what)| m.then_some(what))
        .collect();
        // Only a persona without drivers is from the older format; the rest are choices.
        if p.drivers.is_none() {
            let zh: Vec<&str> = missing.iter().map(|m| m.0).collect();
            let en: Vec<&str> = missing.iter().map(|m| m.1).collect();
            out.push(warn(src, "older-format", &FieldPath::root().field("id"), msg(
                format!(
                    "欠款人 \"{}\" 是按旧版格式写的，缺少 {}。程序的假设：没有 drivers 时按默认权重 \
                     (relationship: {}, consequence: {}, obligation: {}, plan: {}) 计算，所以他和任何欠款人\
                     一样因为同样的理由付款；没有 gates 就没有任何条件能拦住付款；没有 promise_needs 时\
                     任何承诺都算数；没有 certain 的借口可能一次都不出现，无视借口的打法就测不出来。\
                     请写上：drivers: Some((relationship: …, consequence: …, obligation: …, plan: …))，\
                     gates: [(unless: [...], cap: …, why: (zh: …, en: …))]，promise_needs: [...]，\
                     并给他一定会提的借口加上 certain: true（见 docs/SCENARIO_FORMAT.md “Migrating from \
                     files written before the drivers” 和程序自带的 personas/cash_strapped.ron）",
                    p.id, zh.join("、"), d.relationship, d.consequence, d.obligation, d.plan
                ),
                format!(
                    "persona \"{}\" is written in the older format: it has no {}. What the program \
                     assumes: without drivers it weighs the default drivers (relationship: {}, \
                     consequence: {}, obligation: {}, plan: {}), so this debtor pays for the same \
                     reasons as any other; without gates nothing holds payment back; without \
                     promise_needs any promise counts; excuses without `certain` may never come up, \
                     so ignoring them goes untested. Write: drivers: Some((relationship: …, \
                     consequence: …, obligation: …, plan: …)), gates: [(unless: [...], cap: …, why: \
                     (zh: …, en: …))], promise_needs: [...], and certain: true on the excuses this \
                     debtor always raises (see docs/SCENARIO_FORMAT.md, \"Migrating from files \
                     written before the drivers\", and the bundled personas/cash_strapped.ron)",
                    p.id, en.join(", "), d.relationship, d.consequence, d.obligation, d.plan
                ),
            )));
        }
    }
}

/// Lines whose conditions cannot hold together.
fn unreachable_line_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let (root, src) = (FieldPath::root(), &sc.sources);
    for (i, l) in sc.lines.lines.iter().enumerate() {
        if impossible(&l.requires) {
            out.push(warn(
                &src.lines,
                "unreachable-line",
                &root.field("lines").index(i).field("requires"),
                msg(
                    format!("话术 \"{}\" 永远不会出现：它的条件不可能同时成立", l.id),
                    format!(
                        "line \"{}\" is never offered: its conditions cannot hold together",
                        l.id
                    ),
                ),
            ));
        }
    }
}

/// Personas: excuses nothing can counter or that can never be raised; odd numbers.
fn persona_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    for (p, psrc) in sc.personas.iter().zip(&sc.sources.personas) {
        excuse_lints(p, psrc, out);
        persona_number_lints(p, psrc, out);
    }
}

/// A persona's excuses that nothing can counter or that can never be raised.
fn excuse_lints(p: &Persona, psrc: &Source, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    for (i, e) in p.excuses.iter().enumerate() {
        let ep = root.field("excuses").index(i);
        if e.counters.is_empty() {
            out.push(warn(
                psrc,
                "uncounterable-excuse",
                &ep.field("counters"),
                msg(
                    format!("借口 \"{}\" 没有任何回应：学员说什么都化解不了它", e.id),
                    format!(
                        "excuse \"{}\" has no counter: nothing a trainee says can defuse it",
                        e.id
                    ),
                ),
            ));
        }
        if e.weight <= 0.0 || e.max_times == 0 || impossible(&e.when) {
            out.push(warn(psrc, "excuse-never-raised", &ep, msg(
                format!("借口 \"{}\" 永远不会被提出（weight 为 0、max_times 为 0，或条件不可能同时成立）", e.id),
                format!("excuse \"{}\" can never be raised (zero weight, zero max_times, or conditions that cannot hold together)", e.id),
            )));
        }
    }
}

/// A persona's numbers outside what plays sensibly.
fn persona_number_lints(p: &Persona, psrc: &Source, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    if p.pay_threshold < p.commit_threshold {
        out.push(warn(psrc, "sensible-range", &root.field("pay_threshold"), msg(
            format!(
                "pay_threshold（{}）低于 commit_threshold（{}）：当场付款反而比答应付款更容易",
                p.pay_threshold, p.commit_threshold
            ),
            format!(
                "pay_threshold ({}) is below commit_threshold ({}): paying now would be easier than promising",
                p.pay_threshold, p.commit_threshold
            ),
        )));
    }
    if p.start.patience < 0.2 {
        out.push(warn(
            psrc,
            "sensible-range",
            &root.field("start").field("patience"),
            msg(
                format!(
                    "开始时的耐心（patience）只有 {}，学员几乎没有回合可用",
                    p.start.patience
                ),
                format!(
                    "start patience {} leaves the trainee almost no turns",
                    p.start.patience
                ),
            ),
        ));
    }
    if p.excuse_rate > 0.9 {
        out.push(warn(
            psrc,
            "sensible-range",
            &root.field("excuse_rate"),
            msg(
                format!(
                    "excuse_rate 为 {}，意味着几乎每一轮都会找借口",
                    p.excuse_rate
                ),
                format!(
                    "excuse_rate {} means an excuse nearly every turn",
                    p.excuse_rate
                ),
            ),
        ));
    }
    if p.drift <= 0.0 || p.drift >= 1.0 {
        out.push(warn(
            psrc,
            "sensible-range",
            &root.field("drift"),
            msg(
                format!(
                    "drift 为 {}：{}",
                    p.drift,
                    if p.drift <= 0.0 {
                        "情绪在回合之间永远回不到平常"
                    } else {
                        "每一轮都会忘掉上一句话的影响"
                    }
                ),
                format!(
                    "drift {}: the mood {} between turns",
                    p.drift,
                    if p.drift <= 0.0 {
                        "never settles back"
                    } else {
                        "forgets every line"
                    }
                ),
            ),
        ));
    }
}

/// Cases: counters and lines this case can never offer.
fn offer_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    for (case, csrc) in sc.cases.iter().zip(&sc.sources.cases) {
        let offered: BTreeSet<&str> = case.preparations.iter().map(String::as_str).collect();
        if let Some(p) = sc.persona(&case.persona) {
            counter_lints(sc, case, p, csrc, &offered, out);
            gate_lints(p, csrc, &offered, out);
        }
        for (j, l) in case.extra_lines.iter().enumerate() {
            let lp = root.field("extra_lines").index(j);
            let prep_missing = l
                .needs_prep
                .as_deref()
                .is_some_and(|n| !offered.contains(n));
            if prep_missing || impossible(&l.requires) {
                out.push(warn(
                    csrc,
                    "unreachable-line",
                    &lp,
                    msg(
                        format!("话术 \"{}\" 在这个案例里永远不会出现", l.id),
                        format!("line \"{}\" can never be offered in this case", l.id),
                    ),
                ));
            }
        }
        if case.prep_budget == 0 && !case.preparations.is_empty() {
            out.push(warn(
                csrc,
                "sensible-range",
                &root.field("prep_budget"),
                msg(
                    "prep_budget 为 0：提供的会前准备永远选不了",
                    "prep_budget 0: the preparations on offer can never be picked",
                ),
            ));
        }
        if f64::from(case.par_turns) > 0.9 * f64::from(case.max_turns) {
            out.push(warn(
                csrc,
                "sensible-range",
                &root.field("par_turns"),
                msg(
                    format!(
                        "par_turns（{}）和 max_turns（{}）太接近：效率分几乎拉不开差距",
                        case.par_turns, case.max_turns
                    ),
                    format!(
                        "par_turns {} is close to max_turns {}: efficiency barely varies",
                        case.par_turns, case.max_turns
                    ),
                ),
            ));
        }
        if case.model_lines.is_empty() {
            out.push(warn(csrc, "sensible-range", &root.field("model_lines"), msg(
                "没有示范做法（model_lines 是空的）：按课程检查和分析工具都没有东西可以演练",
                "no model approach: the course-following check and the analyzer have nothing to play",
            )));
        }
    }
}

/// The counters a case's preparations leave its debtor's excuses.
fn counter_lints(
    sc: &Scenarios,
    case: &Case,
    p: &Persona,
    csrc: &Source,
    offered: &BTreeSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let root = FieldPath::root();
    for e in &p.excuses {
        let usable: Vec<_> = e
            .counters
            .iter()
            .filter(|c| c.needs_prep.as_deref().is_none_or(|n| offered.contains(n)))
            .collect();
        for c in &e.counters {
            if let Some(n) = &c.needs_prep
                && !offered.contains(n.as_str())
            {
                out.push(warn(csrc, "counter-needs-unoffered-prep", &root.field("preparations"), msg(
                    format!(
                        "回应 \"{}\"（针对借口 \"{}\"）需要会前准备 \"{n}\"，但这个案例不提供它",
                        c.id, e.id
                    ),
                    format!(
                        "counter \"{}\" (to excuse \"{}\") needs preparation \"{n}\", which this case does not offer",
                        c.id, e.id
                    ),
                )));
            }
        }
        if usable.is_empty() && !e.counters.is_empty() {
            out.push(warn(csrc, "uncounterable-excuse", &root.field("preparations"), msg(
                format!(
                    "在这个案例里没有办法化解借口 \"{}\"：每个回应都需要一项案例不提供的会前准备",
                    e.id
                ),
                format!(
                    "in this case nothing can defuse excuse \"{}\": every counter needs a preparation it does not offer",
                    e.id
                ),
            )));
        } else if !answerable_unprepared(sc, case, e) {
            let preps: Vec<&str> = usable
                .iter()
                .filter_map(|c| c.needs_prep.as_deref())
                .collect();
            out.push(warn(csrc, "excuse-unanswerable-unprepared", &root.field("preparations"), msg(
                format!(
                    "没有做 {} 准备的学员无法回应借口 \"{}\"：每个回应都需要其中一项。会前准备应该\
                     决定回应得好不好，而不是有没有回应：请给欠款人 \"{}\" 加一个不需要 needs_prep \
                     的回应（要求对方出示证据、找决策人，或者倾听）",
                    preps.join(" 或 "), e.id, p.id
                ),
                format!(
                    "excuse \"{}\" has no answer for a trainee who did not prepare {}: every counter needs \
                     one of them. Preparation should decide how good the answer is, not whether one \
                     exists: give persona \"{}\" a counter without needs_prep (ask for the evidence, \
                     take it to the decision-maker, or listen)",
                    e.id, preps.join(" or "), p.id
                ),
            )));
        }
    }
}

/// Gates a case's preparations can never open.
fn gate_lints(p: &Persona, csrc: &Source, offered: &BTreeSet<&str>, out: &mut Vec<Diagnostic>) {
    let root = FieldPath::root();
    for g in &p.gates {
        let missing = g.unless.iter().find_map(|c| match c {
            Condition::HasPrep(n) if !offered.contains(n.as_str()) => Some(n),
            _ => None,
        });
        if let Some(n) = missing {
            out.push(warn(csrc, "gate-never-opens", &root.field("preparations"), msg(
                format!(
                    "欠款人 \"{}\" 只有在做了会前准备 \"{n}\" 时才会松口，但这个案例不提供它：谁都赢不了",
                    p.id
                ),
                format!(
                    "persona \"{}\" moves only with preparation \"{n}\", which this case does not offer: nobody can win it",
                    p.id
                ),
            )));
        } else if impossible(&g.unless) {
            out.push(warn(csrc, "gate-never-opens", &root.field("persona"), msg(
                format!(
                    "欠款人 \"{}\" 有一道关卡（gate）的条件不可能同时成立：这个案例谁都赢不了",
                    p.id
                ),
                format!(
                    "a gate of persona \"{}\" has conditions that cannot hold together: nobody can win this case",
                    p.id
                ),
            )));
        }
    }
}

/// Library lines no case can ever offer.
fn library_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let (root, src) = (FieldPath::root(), &sc.sources);
    for (i, l) in sc.lines.lines.iter().enumerate() {
        let lp = root.field("lines").index(i);
        let offered_somewhere = sc.cases.iter().any(|c| {
            !c.without_lines.contains(&l.id)
                && l.needs_prep
                    .as_ref()
                    .is_none_or(|n| c.preparations.contains(n))
        });
        if impossible(&l.requires) || !offered_somewhere {
            out.push(warn(
                &src.lines,
                "unreachable-line",
                &lp,
                msg(
                    format!("话术 \"{}\" 在任何案例里都不会出现", l.id),
                    format!("line \"{}\" can never be offered in any case", l.id),
                ),
            ));
        }
        if l.stage == sim::scenario::LineStage::Opening && l.close.is_some() {
            out.push(warn(
                &src.lines,
                "sensible-range",
                &lp.field("close"),
                msg(
                    format!("话术 \"{}\" 在开场阶段就结束了会谈", l.id),
                    format!("line \"{}\" closes the meeting at the opening", l.id),
                ),
            ));
        }
    }
}

/// Tactics that do nothing; rules that can never fire.
fn tactic_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let (root, src) = (FieldPath::root(), &sc.sources);
    for (i, t) in sc.book.tactics.iter().enumerate() {
        let tp = root.field("tactics").index(i);
        let inert = t.effect.fields().iter().all(|(_, v)| *v == 0.0) && t.rules.is_empty();
        if inert {
            out.push(warn(
                &src.book,
                "sensible-range",
                &tp.field("effect"),
                msg(
                    format!(
                        "战术 \"{}\" 既没有效果（effect）也没有规则：用它的话术什么都改变不了",
                        t.id
                    ),
                    format!(
                        "tactic \"{}\" has no effect and no rule: its lines change nothing",
                        t.id
                    ),
                ),
            ));
        }
        for (j, r) in t.rules.iter().enumerate() {
            if impossible(&r.when) {
                out.push(warn(
                    &src.book,
                    "rule-never-fires",
                    &tp.field("rules").index(j),
                    msg(
                        format!("战术 \"{}\" 有一条规则的条件不可能同时成立", t.id),
                        format!(
                            "a rule of tactic \"{}\" has conditions that cannot hold together",
                            t.id
                        ),
                    ),
                ));
            }
        }
    }
}

/// Tuning that no longer does anything.
fn tuning_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let (root, src) = (FieldPath::root(), &sc.sources);
    let d = &sc.book.dynamics;
    for (name, v) in [
        ("willingness_from_trust", d.willingness_from_trust),
        ("willingness_from_pleasure", d.willingness_from_pleasure),
    ] {
        if v != 0.0 {
            out.push(warn(&src.book, "retired-field", &root.field("dynamics").field(name), msg(
                format!("{name} 已经不再使用：付款意愿现在来自每个欠款人的 `drivers`（见 docs/SCENARIO_FORMAT.md 的 \"Migrating\" 一节）；请删除这一项"),
                format!("{name} is no longer used: willingness now comes from each persona's `drivers` (see docs/SCENARIO_FORMAT.md, \"Migrating\"); remove it"),
            )));
        }
    }
}

/// Rubric items that can never fire.
fn rubric_lints(sc: &Scenarios, out: &mut Vec<Diagnostic>) {
    let (root, src) = (FieldPath::root(), &sc.sources);
    for (i, it) in sc.rubric.items.iter().enumerate() {
        let ip = root.field("items").index(i);
        if it.points == 0.0 {
            out.push(warn(
                &src.rubric,
                "rubric-item-never-fires",
                &ip.field("points"),
                msg(
                    format!("评分项 \"{}\" 的分值是 0", it.id),
                    format!("rubric item \"{}\" is worth 0 points", it.id),
                ),
            ));
        } else if it.pass <= 0.0 {
            out.push(warn(
                &src.rubric,
                "rubric-item-never-fires",
                &ip.field("pass"),
                msg(
                    format!(
                        "评分项 \"{}\" 的及格线（pass）是 0：它的 `missed` 提示永远不会显示",
                        it.id
                    ),
                    format!(
                        "rubric item \"{}\" has pass 0: its `missed` note can never show",
                        it.id
                    ),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_named_person_is_spotted_in_either_language() {
        use sim::text::Text;
        let named = |zh: &str, en: &str| names_a_person(&Text::new(zh, en));
        assert_eq!(named("我让会计小王转。", "x").as_deref(), Some("小王"));
        assert_eq!(named("财务的李经理审批。", "x").as_deref(), Some("李经理"));
        assert_eq!(named("x", "Ms Li approves it.").as_deref(), Some("Ms Li"));
        assert_eq!(named("{payer}会转。", "{payer} pays. Most of it."), None);
        assert_eq!(
            named(
                "王道是先核对。",
                "The manager says so; Director of nothing."
            ),
            None
        );
    }

    use super::*;
    use sim::scenario::Stage as St;

    #[test]
    fn contradictions_are_found() {
        use Condition::*;
        assert!(impossible(&[
            StageAtLeast(St::Close),
            StageBefore(St::PaymentPlan)
        ]));
        assert!(impossible(&[TrustBelow(0.3), TrustAtLeast(0.5)]));
        assert!(impossible(&[Refused, NotRefused]));
        assert!(!impossible(&[
            StageAtLeast(St::StatePurpose),
            StageBefore(St::Close)
        ]));
        assert!(!impossible(&[TrustBelow(0.6), TrustAtLeast(0.5)]));
    }
}
