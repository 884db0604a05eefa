//! Cross-checks parsed scenario files: unknown and duplicate ids, numbers out of range, missing
//! translations, unfilled placeholders. Produces the validated [`Scenarios`] or diagnostics.

use crate::diagnostic::{Diagnostic, did_you_mean_in, msg};
use crate::load::{RawScenarios, Source, SourceAt, duplicates};
use crate::locate::FieldPath;
use sim::scenario::*;
use sim::text::Text;
pub use sim::{Scenarios, Sources, bundled_dir};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Placeholders every case fills in itself.
pub const AUTO_VARS: [&str; 2] = ["amount", "instalments"];

/// The placeholders of `t` that `case` gives no value for.
pub fn unfilled(case: &Case, t: &Text) -> Vec<String> {
    t.placeholders()
        .into_iter()
        .filter(|p| {
            !AUTO_VARS.contains(&p.as_str())
                && !sim::text::DEFAULT_VARS.iter().any(|(name, ..)| name == p)
                && !case.vars.contains_key(p)
        })
        .collect()
}

/// Loading a scenario folder: `Scenarios::load(dir)` with this trait in scope.
pub trait LoadScenarios {
    /// Loads and validates a scenario folder; a trainer's project folder (personas/ and cases/
    /// without the shared files) is loaded on top of the program's scenarios.
    fn load(dir: &Path) -> Result<Scenarios, Vec<Diagnostic>>;
}

impl LoadScenarios for Scenarios {
    fn load(dir: &Path) -> Result<Scenarios, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let raw = if is_project(dir) {
            let mut raw = RawScenarios::load_dir(&bundled_dir(), &mut diags);
            for f in project_files(dir) {
                raw.add_file(&f, None, &mut diags);
            }
            raw
        } else {
            RawScenarios::load_dir(dir, &mut diags)
        };
        validate(raw, diags)
    }
}

/// A trainer's project folder: personas/ or cases/ of their own, without the shared files
/// (tactics.ron, lines.ron, rubric.ron), which come from the program's scenarios.
pub fn is_project(dir: &Path) -> bool {
    !dir.join("tactics.ron").exists()
        && (dir.join("personas").is_dir() || dir.join("cases").is_dir())
}

/// The persona and case files of a project folder, in a stable order.
pub fn project_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for sub in ["personas", "cases"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.extension().is_some_and(|x| x == "ron"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// A kind of thing an id names, in both languages ("unknown tactic" / "未知的战术").
#[derive(Clone, Copy, Debug)]
struct What {
    en: &'static str,
    zh: &'static str,
}

const TRAIT: What = What {
    en: "trait",
    zh: "性格特质",
};
const PREPARATION: What = What {
    en: "preparation",
    zh: "会前准备",
};
const PREPARATION_OF_CASE: What = What {
    en: "preparation of this case",
    zh: "这个案例提供的会前准备",
};
const TACTIC: What = What {
    en: "tactic",
    zh: "战术",
};
const EXCUSE: What = What {
    en: "excuse",
    zh: "借口",
};
const EXCUSE_OF_PERSONA: What = What {
    en: "excuse of this persona",
    zh: "这个欠款人的借口",
};
const COUNTER: What = What {
    en: "counter",
    zh: "回应",
};
const COURSE_RULE: What = What {
    en: "course rule",
    zh: "课程规则",
};
const RUBRIC_ITEM: What = What {
    en: "rubric item",
    zh: "评分项",
};
const LINE: What = What {
    en: "line",
    zh: "话术",
};
const PERSONA: What = What {
    en: "persona",
    zh: "欠款人",
};
const GRADE: What = What {
    en: "grade",
    zh: "等级",
};
const OUTCOME: What = What {
    en: "outcome",
    zh: "结果",
};

/// The outcomes a test plan may expect (`Outcome::kind`, and `unfinished`).
pub const OUTCOMES: [&str; 7] = [
    "paid_in_full",
    "partial",
    "commitment",
    "no_deal",
    "walk_out",
    "escalated",
    "unfinished",
];

struct Check<'a> {
    src: &'a Source,
    diags: &'a mut Vec<Diagnostic>,
    /// What the screens call each tactic and preparation, for an id typed as its name.
    names: &'a DisplayNames,
}

/// The display names (both languages) of the ids a trainer refers to, by kind ("tactic",
/// "preparation", "persona").
#[derive(Default)]
struct DisplayNames(Vec<(&'static str, String, Text)>);

impl DisplayNames {
    /// The id of the `what` whose display name `typed` is (ignoring case, spaces, `_` and `-`).
    fn id_named(&self, what: &str, typed: &str) -> Option<&str> {
        let norm = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, ' ' | '_' | '-' | '\''))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let typed = norm(typed);
        self.0
            .iter()
            .find(|(kind, _, name)| {
                what.starts_with(kind) && (norm(&name.zh) == typed || norm(&name.en) == typed)
            })
            .map(|(_, id, _)| id.as_str())
    }
}

impl Check<'_> {
    fn err(&mut self, path: &FieldPath, m: Text) {
        self.diags.push(self.src.at_in(path, m));
    }
    fn coded(&mut self, code: &'static str, path: &FieldPath, m: Text) {
        self.diags.push(self.src.at_in(path, m).with_code(code));
    }
    fn text(&mut self, path: &FieldPath, t: &Text) {
        if t.zh.trim().is_empty() {
            self.coded(
                "missing-text",
                &path.field("zh"),
                msg("缺少中文（zh）文字", "the Chinese (zh) text is missing"),
            );
        }
        if t.en.trim().is_empty() {
            self.coded(
                "missing-text",
                &path.field("en"),
                msg("缺少英文（en）文字", "the English (en) text is missing"),
            );
        }
    }
    fn range(&mut self, path: &FieldPath, v: f64, lo: f64, hi: f64) {
        if !(lo..=hi).contains(&v) {
            self.coded(
                "out-of-range",
                path,
                msg(
                    format!("{v} 超出了允许的范围：应在 {lo} 到 {hi} 之间"),
                    format!("{v} is out of range: expected {lo} to {hi}"),
                ),
            );
        }
    }
    fn id_in(&mut self, path: &FieldPath, id: &str, known: &BTreeSet<&str>, what: What) {
        if known.contains(id) {
            return;
        }
        if let Some(real) = self.names.id_named(what.en, id) {
            let valid: Vec<&str> = known.iter().copied().collect();
            let d = self
                .src
                .at_in(
                    path,
                    msg(
                        format!(
                            "“{id}”是界面上显示的名称，文件里要写它的 id：“{real}”（可用的 id：{}）",
                            valid.join("、")
                        ),
                        format!(
                            "\"{id}\" is the name the screens show for {} \"{real}\"; files use its id: write \"{real}\" (valid ids: {})",
                            what.en,
                            valid.join(", ")
                        ),
                    ),
                )
                .with_code("name-for-id");
            self.diags.push(d);
            return;
        }
        let hint = did_you_mean_in(id, known.iter().copied());
        self.coded(
            "unknown-id",
            path,
            msg(
                format!("没有这个{}：\"{id}\"{}", what.zh, hint.zh),
                format!("unknown {} \"{id}\"{}", what.en, hint.en),
            ),
        );
    }
    fn effect(&mut self, path: &FieldPath, e: &Effect) {
        for (name, v) in e.fields() {
            self.range(&path.field(name), v, -1.0, 1.0);
        }
    }
    fn dups<'b>(&mut self, path: &FieldPath, ids: impl IntoIterator<Item = &'b str>, what: What) {
        for (i, id) in duplicates(ids) {
            self.coded(
                "duplicate-id",
                &path.index(i).field("id"),
                msg(
                    format!("{} id \"{id}\" 重复了：前面已经有一个", what.zh),
                    format!("duplicate {} id \"{id}\"", what.en),
                ),
            );
        }
    }
}

/// What conditions may refer to.
struct Known<'a> {
    traits: BTreeSet<&'a str>,
    preps: BTreeSet<&'a str>,
    tactics: BTreeSet<&'a str>,
    /// The excuses of the persona being checked (empty elsewhere: not checked there).
    excuses: BTreeSet<&'a str>,
}

/// The persona file `id` would be in beside a case file (`../personas/ID.ron`), if it exists.
fn sibling_persona(case_file: &Path, id: &str) -> Option<PathBuf> {
    let f = case_file
        .parent()?
        .parent()?
        .join("personas")
        .join(format!("{id}.ron"));
    f.is_file().then_some(f)
}

fn display_names(book: &TacticBook, personas: &[(Source, Persona)]) -> DisplayNames {
    let tactics = book
        .tactics
        .iter()
        .map(|t| ("tactic", t.id.clone(), t.name.clone()));
    let preps = book
        .preparations
        .iter()
        .map(|p| ("preparation", p.id.clone(), p.name.clone()));
    let people = personas
        .iter()
        .map(|(_, p)| ("persona", p.id.clone(), p.name.clone()));
    DisplayNames(tactics.chain(preps).chain(people).collect())
}

fn conditions(c: &mut Check, path: &FieldPath, conds: &[Condition], known: &Known) {
    for (i, cond) in conditions_iter(conds) {
        let p = path.index(i);
        match cond {
            Condition::TraitAbove(t, v) | Condition::TraitBelow(t, v) => {
                c.id_in(&p, t, &known.traits, TRAIT);
                c.range(&p, *v, 0.0, 2.0);
            }
            Condition::HasPrep(id) | Condition::LacksPrep(id) => {
                c.id_in(&p, id, &known.preps, PREPARATION)
            }
            Condition::TrustBelow(v)
            | Condition::TrustAtLeast(v)
            | Condition::FaceBelow(v)
            | Condition::FaceAtLeast(v)
            | Condition::WillingnessBelow(v)
            | Condition::WillingnessAtLeast(v)
            | Condition::PatienceBelow(v) => c.range(&p, *v, 0.0, 1.0),
            Condition::PleasureBelow(v) | Condition::PleasureAtLeast(v) => {
                c.range(&p, *v, -1.0, 1.0)
            }
            Condition::ObligationAtLeast(v) | Condition::ConsequenceAtLeast(v) => {
                c.range(&p, *v, 0.0, 1.0)
            }
            Condition::IntensityAtLeast(v) => c.range(&p, f64::from(*v), 1.0, 3.0),
            Condition::SanctionAtLeast(v) | Condition::SanctionRung(v) => {
                c.range(&p, f64::from(*v), 1.0, 5.0)
            }
            Condition::Tactic(t) => c.id_in(&p, t, &known.tactics, TACTIC),
            Condition::ExcuseDefused(e) if !known.excuses.is_empty() => {
                c.id_in(&p, e, &known.excuses, EXCUSE_OF_PERSONA)
            }
            Condition::Any(inner) | Condition::All(inner) => conditions(c, &p, inner, known),
            Condition::Not(inner) => conditions(c, &p, std::slice::from_ref(inner), known),
            _ => {}
        }
    }
}

/// Driver weights: each 0 to 2.
fn weights(c: &mut Check, path: &FieldPath, w: &DriverWeights) {
    for d in Driver::ALL {
        let name = format!("{d:?}").to_lowercase();
        c.range(&path.field(&name), w.get(d), 0.0, 2.0);
    }
}

/// A persona's drivers, gates and promise needs.
fn decision_fields(c: &mut Check, p: &Persona, known: &Known) {
    let root = FieldPath::root();
    if let Some(w) = &p.drivers {
        weights(c, &root.field("drivers"), w);
    }
    for (i, g) in p.gates.iter().enumerate() {
        let gp = root.field("gates").index(i);
        c.range(&gp.field("cap"), g.cap, 0.0, 1.0);
        conditions(c, &gp.field("unless"), &g.unless, known);
        c.text(&gp.field("why"), &g.why);
    }
    conditions(c, &root.field("promise_needs"), &p.promise_needs, known);
}

/// The rubric's course rules, and the rules its items name.
fn course_rules(c: &mut Check, rubric: &Rubric, known: &Known) {
    let root = FieldPath::root();
    c.dups(
        &root.field("rules"),
        rubric.rules.iter().map(|r| r.id.as_str()),
        COURSE_RULE,
    );
    for (i, r) in rubric.rules.iter().enumerate() {
        let p = root.field("rules").index(i);
        if !r.section.contains('§') {
            c.coded(
                "missing-text",
                &p.field("section"),
                msg(
                    format!(
                        "\"{}\" 没有写出是课程的哪一节（请写成 §3、§4 …）",
                        r.section
                    ),
                    format!(
                        "\"{}\" names no section of the course (write it as §3, §4 …)",
                        r.section
                    ),
                ),
            );
        }
        if let Some(h) = r.hardening {
            c.range(&p.field("hardening"), h, 0.0, 1.0);
        }
        conditions(c, &p.field("when"), &r.when, known);
        c.text(&p.field("name"), &r.name);
        c.text(&p.field("why"), &r.why);
    }
    let ids: BTreeSet<&str> = rubric.rules.iter().map(|r| r.id.as_str()).collect();
    for (i, it) in rubric.items.iter().enumerate() {
        let p = root.field("items").index(i);
        c.range(&p.field("per_break"), it.per_break, 0.0, 1.0);
        c.text(&p.field("not_arisen"), &it.not_arisen);
        for (k, r) in it.rules.iter().enumerate() {
            c.id_in(&p.field("rules").index(k), r, &ids, COURSE_RULE);
        }
        if it.measure == Measure::KeptRules && it.rules.is_empty() {
            c.err(
                &p.field("rules"),
                msg(
                    "measure 为 KeptRules 时，要在 `rules` 里写出它评判的课程规则 id",
                    "measure KeptRules needs the ids of the course rules it judges in `rules`",
                ),
            );
        }
    }
}

/// Answers: each has wordings in both languages, and names lines, tactics and conditions that
/// exist (`lines`: the line and counter ids it may answer).
fn answers(
    c: &mut Check,
    path: &FieldPath,
    list: &[Answer],
    known: &Known,
    lines: &BTreeSet<&str>,
) {
    for (i, a) in list.iter().enumerate() {
        let p = path.index(i);
        if a.text.is_empty() {
            c.err(
                &p.field("text"),
                msg(
                    "每个回答至少要有一种说法：text: [(zh: \"…\", en: \"…\")]",
                    "an answer needs at least one wording: text: [(zh: \"…\", en: \"…\")]",
                ),
            );
        }
        for (j, t) in a.text.iter().enumerate() {
            c.text(&p.field("text").index(j), t);
        }
        for (j, said) in a.to.iter().enumerate() {
            match said {
                Said::Line(id) => c.id_in(&p.field("to").index(j), id, lines, LINE),
                Said::Tactic(t) => c.id_in(&p.field("to").index(j), t, &known.tactics, TACTIC),
                Said::Act(_) => {}
            }
        }
        conditions(c, &p.field("when"), &a.when, known);
    }
}

fn conditions_iter(conds: &[Condition]) -> impl Iterator<Item = (usize, &Condition)> {
    conds.iter().enumerate()
}

fn line(c: &mut Check, path: &FieldPath, l: &Line, known: &Known) {
    c.text(&path.field("text"), &l.text);
    c.id_in(&path.field("tactic"), &l.tactic, &known.tactics, TACTIC);
    if !(1..=3).contains(&l.intensity) {
        c.err(
            &path.field("intensity"),
            msg(
                format!("{} 超出了允许的范围：只能是 1、2 或 3", l.intensity),
                format!("{} is out of range: expected 1, 2 or 3", l.intensity),
            ),
        );
    }
    if let Some(p) = &l.needs_prep {
        c.id_in(&path.field("needs_prep"), p, &known.preps, PREPARATION);
    }
    c.range(&path.field("discount"), l.discount, 0.0, 0.2);
    conditions(c, &path.field("requires"), &l.requires, known);
}

/// Cross-checks everything; returns the validated scenarios when there is no error.
pub fn validate(
    raw: RawScenarios,
    mut diags: Vec<Diagnostic>,
) -> Result<Scenarios, Vec<Diagnostic>> {
    let (Some((book_src, book)), Some((lines_src, lines)), Some((rubric_src, rubric))) =
        (&raw.book, &raw.lines, &raw.rubric)
    else {
        return Err(missing_files(&raw, diags));
    };
    let names = display_names(book, &raw.personas);
    let known = Known {
        traits: book.traits.iter().map(|t| t.id.as_str()).collect(),
        preps: book.preparations.iter().map(|p| p.id.as_str()).collect(),
        tactics: book.tactics.iter().map(|t| t.id.as_str()).collect(),
        excuses: BTreeSet::new(),
    };
    let any_line = answerable_lines(&raw, lines);
    // Each file's findings go to `diags`, placed in that file's text.
    macro_rules! check {
        ($src:expr) => {
            &mut Check {
                src: $src,
                diags: &mut diags,
                names: &names,
            }
        };
    }
    book_file(check!(book_src), book, &known, &any_line);
    lines_file(check!(lines_src), lines, &known);
    rubric_file(check!(rubric_src), rubric, &known);
    for (i, (src, p)) in raw.personas.iter().enumerate() {
        persona_file(check!(src), &raw.personas[..i], p, &known, &any_line);
    }
    let cases = CaseContext {
        raw: &raw,
        lines,
        rubric,
        known: &known,
        library: lines.lines.iter().map(|l| l.id.as_str()).collect(),
        persona_ids: raw.personas.iter().map(|(_, p)| p.id.as_str()).collect(),
    };
    for (i, (src, case)) in raw.cases.iter().enumerate() {
        case_file(check!(src), &cases, &raw.cases[..i], src, case);
    }
    if diags.is_empty() {
        Ok(Scenarios {
            book: book.clone(),
            lines: lines.clone(),
            rubric: rubric.clone(),
            personas: raw.personas.iter().map(|(_, p)| p.clone()).collect(),
            cases: raw.cases.iter().map(|(_, c)| c.clone()).collect(),
            sources: Sources {
                book: book_src.clone(),
                lines: lines_src.clone(),
                rubric: rubric_src.clone(),
                personas: raw.personas.iter().map(|(s, _)| s.clone()).collect(),
                cases: raw.cases.iter().map(|(s, _)| s.clone()).collect(),
            },
        })
    } else {
        Err(diags)
    }
}

/// When a shared file is missing: which (unless its parse error is already reported).
fn missing_files(raw: &RawScenarios, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diags.is_empty() {
        for (present, name) in [
            (raw.book.is_some(), "tactics.ron"),
            (raw.lines.is_some(), "lines.ron"),
            (raw.rubric.is_some(), "rubric.ron"),
        ] {
            if !present {
                diags.push(Diagnostic::new(
                    Path::new(name),
                    (1, 1),
                    String::new(),
                    msg(
                        "缺少这个必需的文件，或者它读不出来",
                        "required file is missing or did not parse",
                    ),
                ));
            }
        }
    }
    diags
}

/// Every line and counter id anywhere: what an answer may name.
fn answerable_lines<'a>(raw: &'a RawScenarios, lines: &'a LineLibrary) -> BTreeSet<&'a str> {
    lines
        .lines
        .iter()
        .map(|l| l.id.as_str())
        .chain(
            raw.cases
                .iter()
                .flat_map(|(_, c)| c.extra_lines.iter().map(|l| l.id.as_str())),
        )
        .chain(raw.personas.iter().flat_map(|(_, p)| {
            p.excuses
                .iter()
                .flat_map(|e| e.counters.iter().map(|k| k.id.as_str()))
        }))
        .collect()
}

/// tactics.ron: traits, tactics and their rules, preparations, dynamics, voice and answers.
fn book_file(c: &mut Check, book: &TacticBook, known: &Known, any_line: &BTreeSet<&str>) {
    let root = FieldPath::root();
    c.dups(
        &root.field("traits"),
        book.traits.iter().map(|t| t.id.as_str()),
        TRAIT,
    );
    c.dups(
        &root.field("tactics"),
        book.tactics.iter().map(|t| t.id.as_str()),
        TACTIC,
    );
    c.dups(
        &root.field("preparations"),
        book.preparations.iter().map(|t| t.id.as_str()),
        PREPARATION,
    );
    if book.preparations.len() > 64 {
        c.err(
            &root.field("preparations"),
            msg(
                "会前准备最多只能有 64 项",
                "at most 64 preparations are supported",
            ),
        );
    }
    for (i, t) in book.traits.iter().enumerate() {
        let p = root.field("traits").index(i);
        c.text(&p.field("name"), &t.name);
        c.range(&p.field("default"), t.default, 0.0, 2.0);
    }
    for (i, t) in book.tactics.iter().enumerate() {
        let p = root.field("tactics").index(i);
        c.text(&p.field("name"), &t.name);
        c.text(&p.field("course"), &t.course);
        c.effect(&p.field("effect"), &t.effect);
        c.range(&p.field("repeat_decay"), t.repeat_decay, 0.0, 1.0);
        if let Some(tr) = &t.response_trait {
            c.id_in(&p.field("response_trait"), tr, &known.traits, TRAIT);
        }
        for (j, r) in t.rules.iter().enumerate() {
            let rp = p.field("rules").index(j);
            conditions(c, &rp.field("when"), &r.when, known);
            c.effect(&rp.field("effect"), &r.effect);
            if let Some(s) = r.scale {
                c.range(&rp.field("scale"), s, -3.0, 3.0);
            }
            c.text(&rp.field("why"), &r.why);
        }
    }
    answers(c, &root.field("answers"), &book.answers, known, any_line);
    for (d, t) in &book.turnaround {
        c.text(&root.field("turnaround").key(&format!("{d:?}")), t);
    }
    for (i, pr) in book.preparations.iter().enumerate() {
        let p = root.field("preparations").index(i);
        c.text(&p.field("name"), &pr.name);
        c.text(&p.field("description"), &pr.description);
        c.effect(&p.field("effect"), &pr.effect);
    }
    dynamics_and_voice(c, book, known);
}

/// tactics.ron's dynamics (intensity, pace, credibility) and the default voice.
fn dynamics_and_voice(c: &mut Check, book: &TacticBook, known: &Known) {
    let root = FieldPath::root();
    let d = &book.dynamics;
    let dp = root.field("dynamics");
    if d.intensity.len() != 3 {
        c.err(
            &dp.field("intensity"),
            msg(
                format!(
                    "这里要 3 个数字（对应强度 1、2、3），现在有 {} 个",
                    d.intensity.len()
                ),
                format!(
                    "expected 3 numbers (intensity 1, 2, 3), found {}",
                    d.intensity.len()
                ),
            ),
        );
    }
    for (i, v) in d.intensity.iter().enumerate() {
        c.range(&dp.field("intensity").index(i), *v, 0.0, 3.0);
    }
    for (name, v, hi) in [
        ("patience_per_turn", d.patience_per_turn, 1.0),
        ("hesitation_grace", d.hesitation_grace, 600.0),
        ("hesitation_cost", d.hesitation_cost, 1.0),
        ("arousal_drain", d.arousal_drain, 1.0),
        ("willingness_from_trust", d.willingness_from_trust, 1.0),
        (
            "willingness_from_pleasure",
            d.willingness_from_pleasure,
            1.0,
        ),
        ("refusal_patience", d.refusal_patience, 1.0),
        ("reaction_threshold", d.reaction_threshold, 1.0),
        ("hesitation_ramp", d.hesitation_ramp, 600.0),
        ("pace_limit", d.pace_limit, 3600.0),
        ("unbacked", d.unbacked, 1.0),
        ("unbacked_cap", d.unbacked_cap, 1.0),
        ("guarded_trust", d.guarded_trust, 1.0),
        ("fit_weight", d.fit_weight, 2.0),
        ("vague_delay_credibility", d.vague_delay_credibility, 1.0),
    ] {
        c.range(&dp.field(name), v, 0.0, hi);
    }
    if d.pace_limit <= d.hesitation_grace {
        c.coded(
            "out-of-range",
            &dp.field("pace_limit"),
            msg(
                format!(
                    "{} 必须大于 hesitation_grace（{}）",
                    d.pace_limit, d.hesitation_grace
                ),
                format!(
                    "{} must be more than hesitation_grace ({})",
                    d.pace_limit, d.hesitation_grace
                ),
            ),
        );
    }
    weights(c, &dp.field("default_drivers"), &d.default_drivers);
    credibility_and_voice(c, book, known);
}

/// How credible a promise is (tactics.ron's dynamics.credibility), and the default voice.
fn credibility_and_voice(c: &mut Check, book: &TacticBook, known: &Known) {
    let (root, d) = (FieldPath::root(), &book.dynamics);
    let dp = root.field("dynamics");
    let cp = dp.field("credibility");
    c.id_in(
        &cp.field("honesty_trait"),
        &d.credibility.honesty_trait,
        &known.traits,
        TRAIT,
    );
    c.range(
        &cp.field("honesty_weight"),
        d.credibility.honesty_weight,
        0.0,
        1.0,
    );
    c.range(
        &cp.field("unmet_needs"),
        d.credibility.unmet_needs,
        0.0,
        1.0,
    );
    c.range(&cp.field("plan_fit"), d.credibility.plan_fit, 0.0, 1.0);
    for r in Reaction::ALL {
        match book.voice.get(&r) {
            Some(v) if !v.is_empty() => {
                for (i, t) in v.iter().enumerate() {
                    c.text(&root.field("voice").key(&format!("{r:?}")).index(i), t);
                }
            }
            _ => c.err(
                &root.field("voice"),
                msg(
                    format!("默认语气（voice）里 {r:?} 至少要有一句"),
                    format!("the default voice needs at least one line for {r:?}"),
                ),
            ),
        }
    }
}

/// lines.ron: every line once, each well formed.
fn lines_file(c: &mut Check, lines: &LineLibrary, known: &Known) {
    let root = FieldPath::root();
    c.dups(
        &root.field("lines"),
        lines.lines.iter().map(|l| l.id.as_str()),
        LINE,
    );
    for (i, l) in lines.lines.iter().enumerate() {
        line(c, &root.field("lines").index(i), l, known);
    }
}

/// rubric.ron: items adding up to 100, the course rules, grades highest first down to 0.
fn rubric_file(c: &mut Check, rubric: &Rubric, known: &Known) {
    let root = FieldPath::root();
    c.dups(
        &root.field("items"),
        rubric.items.iter().map(|t| t.id.as_str()),
        RUBRIC_ITEM,
    );
    let mut total = 0.0;
    for (i, it) in rubric.items.iter().enumerate() {
        let p = root.field("items").index(i);
        c.range(&p.field("points"), it.points, 0.0, 100.0);
        c.range(&p.field("pass"), it.pass, 0.0, 1.0);
        total += it.points;
        for (f, t) in [
            ("name", &it.name),
            ("principle", &it.principle),
            ("missed", &it.missed),
            ("earned", &it.earned),
        ] {
            c.text(&p.field(f), t);
        }
    }
    course_rules(c, rubric, known);
    if (total - 100.0).abs() > 1e-6 {
        c.err(
            &root.field("items"),
            msg(
                format!("各项分数加起来是 {total}；必须正好是 100"),
                format!("the points add up to {total}; they must add up to 100"),
            ),
        );
    }
    let mut last = f64::INFINITY;
    for (i, g) in rubric.grades.iter().enumerate() {
        let p = root.field("grades").index(i);
        c.range(&p.field("min"), g.min, 0.0, 100.0);
        if g.min >= last {
            c.err(
                &p.field("min"),
                msg(
                    "等级要从最高的开始往下列",
                    "grades must be listed highest first",
                ),
            );
        }
        last = g.min;
        c.text(&p.field("label"), &g.label);
    }
    if rubric.grades.last().is_none_or(|g| g.min > 0.0) {
        c.err(
            &root.field("grades"),
            msg(
                "最后一个等级的起点必须是 0",
                "the last grade must start at 0",
            ),
        );
    }
}

/// A persona file: numbers in range, known traits, excuses and their counters, voice, answers.
fn persona_file(
    c: &mut Check,
    earlier: &[(Source, Persona)],
    p: &Persona,
    known: &Known,
    any_line: &BTreeSet<&str>,
) {
    let root = FieldPath::root();
    if let Some((other, _)) = earlier.iter().find(|(_, q)| q.id == p.id) {
        c.coded(
            "duplicate-id",
            &root.field("id"),
            msg(
                format!(
                    "欠款人 id \"{}\" 重复了：{} 里已经定义过它，请把其中一个改名",
                    p.id,
                    other.file.display()
                ),
                format!(
                    "duplicate persona id \"{}\": {} already defines it; rename one of them",
                    p.id,
                    other.file.display()
                ),
            ),
        );
    }
    c.text(&root.field("name"), &p.name);
    c.text(&root.field("description"), &p.description);
    let b = root.field("baseline");
    c.range(&b.field("pleasure"), p.baseline.pleasure, -1.0, 1.0);
    c.range(&b.field("arousal"), p.baseline.arousal, -1.0, 1.0);
    c.range(&b.field("dominance"), p.baseline.dominance, -1.0, 1.0);
    start(c, &root.field("start"), &p.start);
    c.range(&root.field("drift"), p.drift, 0.0, 1.0);
    for (k, v) in &p.traits {
        let tp = root.field("traits").key(k);
        c.id_in(&tp, k, &known.traits, TRAIT);
        c.range(&tp, *v, 0.0, 2.0);
    }
    c.range(&root.field("pay_threshold"), p.pay_threshold, 0.0, 1.0);
    c.range(
        &root.field("commit_threshold"),
        p.commit_threshold,
        0.0,
        1.0,
    );
    c.range(&root.field("excuse_rate"), p.excuse_rate, 0.0, 1.0);
    let pk = Known {
        traits: known.traits.clone(),
        preps: known.preps.clone(),
        tactics: known.tactics.clone(),
        excuses: p.excuses.iter().map(|e| e.id.as_str()).collect(),
    };
    decision_fields(c, p, &pk);
    c.dups(
        &root.field("excuses"),
        p.excuses.iter().map(|e| e.id.as_str()),
        EXCUSE,
    );
    excuses(c, p, known, &pk);
    for (r, v) in &p.voice {
        for (j, t) in v.iter().enumerate() {
            c.text(&root.field("voice").key(&format!("{r:?}")).index(j), t);
        }
    }
    answers(c, &root.field("answers"), &p.answers, &pk, any_line);
}

/// A persona's excuses and their counters (`pk`: what this persona's counters may concede).
fn excuses(c: &mut Check, p: &Persona, known: &Known, pk: &Known) {
    let root = FieldPath::root();
    for (j, e) in p.excuses.iter().enumerate() {
        let ep = root.field("excuses").index(j);
        c.text(&ep.field("text"), &e.text);
        c.range(&ep.field("weight"), e.weight, 0.0, 100.0);
        conditions(c, &ep.field("when"), &e.when, known);
        c.effect(&ep.field("cost"), &e.cost);
        c.dups(
            &ep.field("counters"),
            e.counters.iter().map(|k| k.id.as_str()),
            COUNTER,
        );
        for (k, ctr) in e.counters.iter().enumerate() {
            let kp = ep.field("counters").index(k);
            c.id_in(&kp.field("tactic"), &ctr.tactic, &known.tactics, TACTIC);
            if let Some(pr) = &ctr.needs_prep {
                c.id_in(&kp.field("needs_prep"), pr, &known.preps, PREPARATION);
            }
            c.text(&kp.field("text"), &ctr.text);
            c.text(&kp.field("reply"), &ctr.reply);
            c.effect(&kp.field("effect"), &ctr.effect);
            for (m, x) in ctr.concedes.iter().enumerate() {
                c.id_in(
                    &kp.field("concedes").index(m),
                    x,
                    &pk.excuses,
                    EXCUSE_OF_PERSONA,
                );
            }
        }
    }
}

/// What checking a case needs besides the case.
struct CaseContext<'a> {
    raw: &'a RawScenarios,
    lines: &'a LineLibrary,
    rubric: &'a Rubric,
    known: &'a Known<'a>,
    /// The line ids of lines.ron.
    library: BTreeSet<&'a str>,
    persona_ids: BTreeSet<&'a str>,
}

/// A case file: its texts and persona, its numbers, its own lines, its choices and its model.
fn case_file(
    c: &mut Check,
    cx: &CaseContext,
    earlier: &[(Source, Case)],
    src: &Source,
    case: &Case,
) {
    case_texts(c, cx, earlier, src, case);
    case_numbers(c, cx, case);
    case_lines(c, cx, case);
    let choice_ids = case_choices(c, cx, case);
    case_model(c, cx, case, &choice_ids);
    case_tests(c, cx, case, &choice_ids);
}

fn case_texts(
    c: &mut Check,
    cx: &CaseContext,
    earlier: &[(Source, Case)],
    src: &Source,
    case: &Case,
) {
    let root = FieldPath::root();
    if let Some((other, _)) = earlier.iter().find(|(_, q)| q.id == case.id) {
        c.coded(
            "duplicate-id",
            &root.field("id"),
            msg(
                format!(
                    "案例 id \"{}\" 重复了：{} 里已经定义过它，请把其中一个改名",
                    case.id,
                    other.file.display()
                ),
                format!(
                    "duplicate case id \"{}\": {} already defines it; rename one of them",
                    case.id,
                    other.file.display()
                ),
            ),
        );
    }
    for (f, t) in [
        ("title", &case.title),
        ("industry", &case.industry),
        ("brief", &case.brief),
    ] {
        c.text(&root.field(f), t);
    }
    for (j, s) in case.sections.iter().enumerate() {
        let sp = root.field("sections").index(j);
        c.text(&sp.field("title"), &s.title);
        c.text(&sp.field("body"), &s.body);
    }
    for (k, v) in &case.vars {
        c.text(&root.field("vars").key(k), v);
    }
    // A persona file that did not parse is already reported; do not report it twice.
    let known_persona = cx.persona_ids.contains(case.persona.as_str());
    if !cx.raw.failed.contains(&case.persona) && !known_persona {
        if let Some(file) = sibling_persona(&src.file, &case.persona) {
            c.coded(
                "unknown-id",
                &root.field("persona"),
                msg(
                    format!(
                        "找不到欠款人 \"{}\"：它在 {} 里，但这个文件没有和案例一起检查；\
                         请把两个文件一起检查：dunning-dojo validate {} {}",
                        case.persona,
                        file.display(),
                        file.display(),
                        src.file.display()
                    ),
                    format!(
                        "unknown persona \"{}\": it is in {}, which was not checked with this \
                         case; validate both files together: dunning-dojo validate {} {}",
                        case.persona,
                        file.display(),
                        file.display(),
                        src.file.display()
                    ),
                ),
            );
        } else {
            c.id_in(
                &root.field("persona"),
                &case.persona,
                &cx.persona_ids,
                PERSONA,
            );
        }
    }
}

fn case_numbers(c: &mut Check, cx: &CaseContext, case: &Case) {
    let root = FieldPath::root();
    if !(1..=5).contains(&case.difficulty) {
        c.err(
            &root.field("difficulty"),
            msg(
                format!("{} 超出了允许的范围：应在 1 到 5 之间", case.difficulty),
                format!("{} is out of range: expected 1 to 5", case.difficulty),
            ),
        );
    }
    if case.amount == 0 || case.amount > 1_000_000_000_000 {
        c.err(
            &root.field("amount"),
            msg(
                "金额必须在 1 到 1,000,000,000,000 元之间",
                "the amount must be between 1 and 1,000,000,000,000 yuan",
            ),
        );
    }
    for (j, pr) in case.preparations.iter().enumerate() {
        c.id_in(
            &root.field("preparations").index(j),
            pr,
            &cx.known.preps,
            PREPARATION,
        );
    }
    if usize::from(case.prep_budget) > case.preparations.len() {
        c.err(
            &root.field("prep_budget"),
            msg(
                format!(
                    "可选的准备数（{}）比提供的会前准备（{} 项）还多",
                    case.prep_budget,
                    case.preparations.len()
                ),
                format!(
                    "the budget ({}) is larger than the number of preparations on offer ({})",
                    case.prep_budget,
                    case.preparations.len()
                ),
            ),
        );
    }
    if !(1..=24).contains(&case.instalments) {
        c.err(
            &root.field("instalments"),
            msg(
                format!("{} 超出了允许的范围：应在 1 到 24 之间", case.instalments),
                format!("{} is out of range: expected 1 to 24", case.instalments),
            ),
        );
    }
    if !(1..=200).contains(&case.max_turns) {
        c.err(
            &root.field("max_turns"),
            msg(
                format!("{} 超出了允许的范围：应在 1 到 200 之间", case.max_turns),
                format!("{} is out of range: expected 1 to 200", case.max_turns),
            ),
        );
    }
    if case.par_turns == 0 || case.par_turns > case.max_turns {
        c.err(
            &root.field("par_turns"),
            msg(
                "par_turns 必须在 1 到 max_turns 之间",
                "par_turns must be between 1 and max_turns",
            ),
        );
    }
}

fn case_lines(c: &mut Check, cx: &CaseContext, case: &Case) {
    let root = FieldPath::root();
    if let Some(s) = &case.start {
        start(c, &root.field("start"), s);
    }
    for (j, w) in case.without_lines.iter().enumerate() {
        c.id_in(&root.field("without_lines").index(j), w, &cx.library, LINE);
    }
    for (j, l) in case.extra_lines.iter().enumerate() {
        let lp = root.field("extra_lines").index(j);
        line(c, &lp, l, cx.known);
        if cx.library.contains(l.id.as_str()) {
            c.err(
                &lp.field("id"),
                msg(
                    format!("话术 id \"{}\" 在 lines.ron 里已经有了", l.id),
                    format!("line id \"{}\" is already in lines.ron", l.id),
                ),
            );
        }
    }
    c.dups(
        &root.field("extra_lines"),
        case.extra_lines.iter().map(|l| l.id.as_str()),
        LINE,
    );
}

/// Every choice id of the case (lines and its persona's counters), each once, and the
/// placeholders they use filled.
fn case_choices<'a>(c: &mut Check, cx: &CaseContext<'a>, case: &'a Case) -> BTreeSet<&'a str> {
    let (root, raw, lines) = (FieldPath::root(), cx.raw, cx.lines);
    // Every choice id of the case, and the placeholders its lines use.
    let persona = raw
        .personas
        .iter()
        .map(|(_, p)| p)
        .find(|p| p.id == case.persona);
    let used_lines = lines
        .lines
        .iter()
        .filter(|l| !case.without_lines.contains(&l.id))
        .chain(case.extra_lines.iter());
    let mut choice_ids: BTreeSet<&str> = BTreeSet::new();
    for l in used_lines {
        choice_ids.insert(&l.id);
        for ph in unfilled(case, &l.text) {
            c.err(
                &root.field("vars"),
                msg(
                    format!(
                        "话术 \"{}\" 用了 {{{ph}}}，但案例没有给 \"{ph}\" 的值（请在 `vars` 里加上）",
                        l.id
                    ),
                    format!(
                        "line \"{}\" uses {{{ph}}} but the case gives no value for \"{ph}\"",
                        l.id
                    ),
                ),
            );
        }
    }
    if let Some(p) = persona {
        for (j, e) in p.excuses.iter().enumerate() {
            for ctr in &e.counters {
                if !choice_ids.insert(&ctr.id) {
                    c.err(&root.field("persona"), msg(
                        format!(
                            "借口 {j}（\"{}\"）的回应 \"{}\" 和这个案例里另一个选项的 id 相同",
                            e.id, ctr.id
                        ),
                        format!(
                            "counter \"{}\" of excuse {j} (\"{}\") has the same id as another choice in this case",
                            ctr.id, e.id
                        ),
                    ));
                }
                for t in [&ctr.text, &ctr.reply, &e.text] {
                    for ph in unfilled(case, t) {
                        c.err(&root.field("vars"), msg(
                            format!(
                                "借口 \"{}\" 用了 {{{ph}}}，但案例没有给 \"{ph}\" 的值（请在 `vars` 里加上）",
                                e.id
                            ),
                            format!(
                                "excuse \"{}\" uses {{{ph}}} but the case gives no value for \"{ph}\"",
                                e.id
                            ),
                        ));
                    }
                }
            }
        }
    }
    choice_ids
}

/// The preparations a case offers that exist: a misspelt one is reported where it is written,
/// and never suggested back as the fix for the same slip elsewhere.
fn offered_preps<'a>(cx: &CaseContext, case: &'a Case) -> BTreeSet<&'a str> {
    case.preparations
        .iter()
        .map(|s| s.as_str())
        .filter(|p| cx.known.preps.contains(p))
        .collect()
}

fn case_model(c: &mut Check, cx: &CaseContext, case: &Case, choice_ids: &BTreeSet<&str>) {
    let root = FieldPath::root();
    let offered = offered_preps(cx, case);
    for (j, pr) in case.model_preparations.iter().enumerate() {
        c.id_in(
            &root.field("model_preparations").index(j),
            pr,
            &offered,
            PREPARATION_OF_CASE,
        );
    }
    if case.model_preparations.len() > usize::from(case.prep_budget) {
        c.err(
            &root.field("model_preparations"),
            msg(
                "示范做法选的会前准备比允许的数量多",
                "the model picks more preparations than the budget allows",
            ),
        );
    }
    for (j, l) in case.model_lines.iter().enumerate() {
        c.id_in(&root.field("model_lines").index(j), l, choice_ids, LINE);
    }
    answers(
        c,
        &root.field("answers"),
        &case.answers,
        cx.known,
        choice_ids,
    );
}

/// The case's test plans: every id they name (lines, preparations, excuses, course rules,
/// grades, outcomes) exists, so a slip is reported where it is written rather than when the
/// plan runs.
fn case_tests(c: &mut Check, cx: &CaseContext, case: &Case, choice_ids: &BTreeSet<&str>) {
    if case.tests.is_empty() {
        return;
    }
    let root = FieldPath::root();
    // `"counter"` answers the excuse on the table; it is suggested for a misspelling of it too.
    let sayable: BTreeSet<&str> = choice_ids
        .iter()
        .copied()
        .chain(std::iter::once("counter"))
        .collect();
    let offered = offered_preps(cx, case);
    let persona = cx
        .raw
        .personas
        .iter()
        .map(|(_, p)| p)
        .find(|p| p.id == case.persona);
    let excuses: Option<BTreeSet<&str>> =
        persona.map(|p| p.excuses.iter().map(|e| e.id.as_str()).collect());
    let rules: BTreeSet<&str> = cx.rubric.rules.iter().map(|r| r.id.as_str()).collect();
    let grades: BTreeSet<&str> = cx.rubric.grades.iter().map(|g| g.grade.as_str()).collect();
    let outcomes: BTreeSet<&str> = OUTCOMES.into_iter().collect();
    for (i, plan) in case.tests.iter().enumerate() {
        let tp = root.field("tests").index(i);
        for (j, pr) in plan.preparations.iter().enumerate() {
            c.id_in(
                &tp.field("preparations").index(j),
                pr,
                &offered,
                PREPARATION_OF_CASE,
            );
        }
        for (j, l) in plan.lines.iter().enumerate() {
            c.id_in(&tp.field("lines").index(j), l, &sayable, LINE);
        }
        let xp = tp.field("expect");
        let x = &plan.expect;
        if let Some(known) = &excuses {
            for (field, list) in [
                ("excuses_raised", &x.excuses_raised),
                ("excuses_not_raised", &x.excuses_not_raised),
            ] {
                for (k, e) in list.iter().enumerate() {
                    c.id_in(&xp.field(field).index(k), e, known, EXCUSE_OF_PERSONA);
                }
            }
        }
        for (field, list) in [
            ("rules_broken", &x.rules_broken),
            ("rules_kept", &x.rules_kept),
        ] {
            for (k, r) in list.iter().enumerate() {
                c.id_in(&xp.field(field).index(k), r, &rules, COURSE_RULE);
            }
        }
        if let Some((low, high)) = &x.grade {
            // `Some(("C", "A"))`: the lowest at the field itself, the highest its second part.
            c.id_in(&xp.field("grade"), low, &grades, GRADE);
            c.id_in(&xp.field("grade").index(1), high, &grades, GRADE);
        }
        for (k, o) in x.outcome.iter().enumerate() {
            c.id_in(&xp.field("outcome").index(k), o, &outcomes, OUTCOME);
        }
    }
}

fn start(c: &mut Check, p: &FieldPath, s: &Start) {
    for (f, v) in [
        ("face", s.face),
        ("trust", s.trust),
        ("willingness", s.willingness),
        ("patience", s.patience),
        ("ability", s.ability),
    ] {
        c.range(&p.field(f), v, 0.0, 1.0);
    }
}
