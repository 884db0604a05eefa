//! A case compiled for play: the case, its persona, the tactic rules and every choice the trainee
//! could make, with ids resolved to indices so that a turn does no string look-up.

use crate::scenario::*;
use crate::scenarios::Scenarios;
use crate::text::{Lang, Text, fill, yuan};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A condition with names resolved against one case.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cond {
    Const(bool),
    HasPrep(u64),
    LacksPrep(u64),
    Any(Vec<Cond>),
    All(Vec<Cond>),
    Not(Box<Cond>),
    Tactic(usize),
    ExcuseDefused(usize),
    Plain(Condition),
}

/// Something the trainee can say: a line of the case, or a counter to one of the persona's excuses.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub id: String,
    pub tactic: usize,
    pub intensity: u8,
    pub stage: LineStage,
    pub text: Text,
    pub needs_prep: Option<u64>,
    pub mentions_contract: bool,
    pub sets: Vec<Marker>,
    pub sanction: Option<Sanction>,
    /// The line names a consequence of not paying: its tactic is a pressure tactic, it is a
    /// rung of the ladder, or the line says so (`threat: true`).
    pub threat: bool,
    pub close: Option<Close>,
    pub discount: f64,
    pub act: Act,
    /// A deliberate trap line (see [`crate::scenario::Line::trap`]).
    pub trap: bool,
    pub(crate) requires: Vec<Cond>,
    /// For a counter: the excuse it answers, its bonus effect and the debtor's reply.
    pub counters: Option<(usize, Effect, Text)>,
    /// For a counter: the other excuses (indices) its reply concedes away.
    pub concedes: Vec<usize>,
}

/// What an answer answers, with names resolved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum CSaid {
    Choice(usize),
    Tactic(usize),
    Act(Act),
    /// A name the validator reports; matches nothing.
    Nothing,
}

/// An answer compiled for one case; `rank` orders the sources (case 0, persona 1, book 2).
#[derive(Clone)]
pub(crate) struct CAnswer {
    pub source: u8,
    pub to: Vec<CSaid>,
    pub when: Vec<Cond>,
    pub tone: Option<Reaction>,
    pub refuses: bool,
    pub texts: Vec<Text>,
}

impl CAnswer {
    /// How specifically it answers choice `i` (lower is more specific), or None.
    pub fn rank(&self, i: usize, ch: &Choice) -> Option<u8> {
        let kind = if self.to.is_empty() {
            Some(3)
        } else {
            self.to
                .iter()
                .filter_map(|s| match *s {
                    CSaid::Choice(c) if c == i => Some(0),
                    CSaid::Tactic(t) if t == ch.tactic => Some(1),
                    CSaid::Act(a) if a == ch.act => Some(2),
                    _ => None,
                })
                .min()
        };
        kind.map(|k| self.source * 4 + k)
    }
}

#[derive(Clone)]
pub(crate) struct CRule {
    pub when: Vec<Cond>,
    pub scale: Option<f64>,
    pub effect: Effect,
    pub reaction: Option<Reaction>,
}

#[derive(Clone)]
pub(crate) struct CTactic {
    pub driver: Driver,
    pub effect: Effect,
    pub response: f64,
    pub repeat_decay: f64,
    pub asks: bool,
    pub polite: bool,
    pub listening: bool,
    pub repair: bool,
    pub rules: Vec<CRule>,
}

#[derive(Clone)]
pub(crate) struct CExcuse {
    pub certain: bool,
    pub refuses: bool,
    pub weight: f64,
    pub when: Vec<Cond>,
    pub max_times: u32,
    pub cost: Effect,
    /// The tactics (bits) of its counters: a line of one of them answers it in kind, without
    /// a counter's bonus.
    pub answer_tactics: u64,
}

#[derive(Clone)]
pub(crate) struct CGate {
    pub unless: Vec<Cond>,
    pub cap: f64,
}

#[derive(Clone)]
pub(crate) struct CRuleOfCourse {
    pub when: Vec<Cond>,
    pub discredits: Vec<Driver>,
    pub severity: Severity,
    pub hardening: f64,
    pub no_payment_today: bool,
}

/// Everything one negotiation needs, shared read-only between runs (a parallel search gives
/// each of its jobs its own copy, so that no two threads share a reference count).
#[derive(Clone)]
pub struct CaseBundle {
    pub case: Case,
    pub persona: Persona,
    pub tactics: Vec<Tactic>,
    pub preparations: Vec<Preparation>,
    pub dynamics: Dynamics,
    pub rubric: Rubric,
    pub choices: Vec<Choice>,
    pub default_voice: BTreeMap<Reaction, Vec<Text>>,
    pub vars: BTreeMap<String, Text>,
    /// Indices into `preparations` of those this case offers.
    pub offered: Vec<usize>,
    pub honesty: f64,
    /// How much each driver moves this debtor.
    pub weights: DriverWeights,
    /// For each driver (in `Driver::ALL` order), the preparation bits that back it.
    pub backing: [u64; 4],
    pub(crate) ctactics: Vec<CTactic>,
    pub(crate) cexcuses: Vec<CExcuse>,
    pub(crate) gates: Vec<CGate>,
    pub(crate) promise_needs: Vec<Cond>,
    pub(crate) course_rules: Vec<CRuleOfCourse>,
    /// For each choice, the course rules it could break (those whose conditions on the line
    /// itself hold), so that a turn checks only those.
    pub(crate) rules_for: Vec<Vec<usize>>,
    /// For each choice, the rules of its tactic that could fire, likewise.
    pub(crate) tactic_rules_for: Vec<Vec<usize>>,
    pub(crate) answers: Vec<CAnswer>,

    /// For each choice, the answers that answer it, most specific first (by rank, then order).
    pub(crate) answer_order: Vec<Vec<usize>>,
    /// For each of the persona's excuses, its counters (choice indices), in order.
    pub counters_of: Vec<Vec<usize>>,
    /// Where each answer's wordings start among all the debtor's wordings (then each reaction's
    /// voice), so a meeting keeps what was said as bits.
    word_start: Vec<usize>,
    voice_start: [usize; Reaction::ALL.len()],
    /// How many wordings the debtor has in all.
    pub(crate) words: usize,
    pub turnaround: BTreeMap<Driver, Text>,
}

/// Why a bundle could not be built (only for ids the validator would also reject).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BundleError {
    #[error("unknown case \"{0}\"{1}")]
    UnknownCase(String, String),
    #[error("case \"{0}\" names unknown persona \"{1}\"")]
    UnknownPersona(String, String),
}

impl CaseBundle {
    pub fn new(sc: &Scenarios, case_id: &str) -> Result<Arc<CaseBundle>, BundleError> {
        let case = sc.case(case_id).ok_or_else(|| {
            BundleError::UnknownCase(
                case_id.to_owned(),
                crate::did_you_mean(case_id, sc.cases.iter().map(|c| c.id.as_str())),
            )
        })?;
        let persona = sc
            .persona(&case.persona)
            .ok_or_else(|| BundleError::UnknownPersona(case.id.clone(), case.persona.clone()))?;
        let book = &sc.book;
        let trait_of = |name: &str| -> f64 {
            persona.traits.get(name).copied().unwrap_or_else(|| {
                book.traits
                    .iter()
                    .find(|t| t.id == name)
                    .map_or(1.0, |t| t.default)
            })
        };
        let prep_bit = |id: &str| -> u64 {
            book.preparations
                .iter()
                .position(|p| p.id == id)
                .map_or(0, |i| 1u64 << i)
        };
        let excuse_index = |id: &str| persona.excuses.iter().position(|e| e.id == id);
        let tactic_of = |id: &str| book.tactics.iter().position(|t| t.id == id);
        let ctx = Compile {
            trait_of: &trait_of,
            prep_bit: &prep_bit,
            excuse_index: &excuse_index,
            tactic_of: &tactic_of,
            malicious: persona.malicious,
        };

        let choices = compile_choices(sc, case, persona, &ctx);
        let ctactics = compile_tactics(book, &ctx);
        let cexcuses = compile_excuses(persona, &ctx);
        let vars = case_vars(case);
        let backing = backing(book);
        let course_rules = compile_course_rules(&sc.rubric, &ctx);
        let (rules_for, tactic_rules_for) = rules_for(&choices, &ctactics, &course_rules);
        let sources = [&case.answers, &persona.answers, &book.answers];
        let answers = compile_answers(&sources, &choices, &ctx, &vars);
        let answer_order = answer_order(&answers, &choices);
        let (word_start, voice_start, words) = word_layout(&answers, persona, book);
        let counters_of = counters_of(&choices, persona.excuses.len());
        Ok(Arc::new(CaseBundle {
            case: case.clone(),
            persona: persona.clone(),
            tactics: book.tactics.clone(),
            preparations: book.preparations.clone(),
            dynamics: book.dynamics.clone(),
            rubric: sc.rubric.clone(),
            choices,
            default_voice: book.voice.clone(),
            vars,
            offered: offered(case, book),
            honesty: trait_of(&book.dynamics.credibility.honesty_trait),
            weights: persona.drivers.unwrap_or(book.dynamics.default_drivers),
            backing,
            ctactics,
            cexcuses,
            gates: persona.gates.iter().map(|g| ctx.gate(g)).collect(),
            promise_needs: ctx.conds(&persona.promise_needs),
            course_rules,
            rules_for,
            tactic_rules_for,
            answers,
            answer_order,
            counters_of,
            word_start,
            voice_start,
            words,
            turnaround: book.turnaround.clone(),
        }))
    }

    /// Where an utterance's words sit among the debtor's wordings (answers and voice lines;
    /// None for an excuse or a conceded point, which are never offered as an answer).
    pub(crate) fn word_slot(&self, u: &crate::meeting::Utterance) -> Option<usize> {
        use crate::meeting::Utterance;
        match *u {
            Utterance::Answer {
                answer, variant, ..
            } => self.word_start.get(answer).map(|s| s + variant),
            Utterance::Voice { reaction, variant } => {
                Some(self.voice_start[reaction as usize] + variant)
            }
            Utterance::Excuse { .. } | Utterance::Defused { .. } => None,
        }
    }

    /// Whether these words are shared by every debtor (the tactic book's answers, or the
    /// default voice for a reaction the persona has no words of its own for), rather than
    /// this case's or this persona's own.
    pub fn is_shared(&self, u: &crate::meeting::Utterance) -> bool {
        use crate::meeting::Utterance;
        match *u {
            Utterance::Answer { answer, .. } => {
                self.answers.get(answer).is_some_and(|a| a.source == 2)
            }
            Utterance::Voice { reaction, .. } => self
                .persona
                .voice
                .get(&reaction)
                .is_none_or(|v| v.is_empty()),
            Utterance::Excuse { .. } | Utterance::Defused { .. } => false,
        }
    }

    /// The words of answer `a`, wording `v`.
    pub fn answer_text(&self, a: usize, v: usize) -> Option<&Text> {
        self.answers.get(a).and_then(|x| x.texts.get(v))
    }

    /// How many wordings answer `a` has.
    pub fn answer_wordings(&self, a: usize) -> usize {
        self.answers.get(a).map_or(0, |x| x.texts.len())
    }

    /// Fills a text's placeholders with this case's values.
    pub fn say(&self, t: &Text, lang: Lang) -> String {
        fill(t.get(lang), &self.vars, lang)
    }

    /// A text of the case with its names filled in, in both languages.
    pub fn say_both(&self, t: &Text) -> Text {
        Text {
            zh: self.say(t, Lang::Zh),
            en: self.say(t, Lang::En),
        }
    }

    pub fn choice_index(&self, id: &str) -> Option<usize> {
        self.choices.iter().position(|c| c.id == id)
    }

    pub fn preparation_index(&self, id: &str) -> Option<usize> {
        self.preparations.iter().position(|p| p.id == id)
    }

    /// The preparation bits that back driver `d`.
    pub fn backs(&self, d: Driver) -> u64 {
        self.backing[d as usize]
    }

    /// The debtor's words for a reaction: the persona's own, else the default voice.
    pub fn voice(&self, r: Reaction) -> &[Text] {
        match self.persona.voice.get(&r) {
            Some(v) if !v.is_empty() => v,
            _ => self.default_voice.get(&r).map_or(&[], |v| v.as_slice()),
        }
    }
}

/// The answers of the case, the persona and the book, in that order, with names resolved.
/// A wording that needs a value this case does not give is left out (`validate` warns).
fn compile_answers(
    sources: &[&Vec<Answer>; 3],
    choices: &[Choice],
    ctx: &Compile,
    vars: &BTreeMap<String, Text>,
) -> Vec<CAnswer> {
    let mut out = Vec::new();
    for (source, list) in sources.iter().enumerate() {
        for a in list.iter() {
            let to =
                a.to.iter()
                    .map(|s| match s {
                        Said::Line(id) => choices
                            .iter()
                            .position(|c| &c.id == id)
                            .map_or(CSaid::Nothing, CSaid::Choice),
                        Said::Tactic(t) => (ctx.tactic_of)(t).map_or(CSaid::Nothing, CSaid::Tactic),
                        Said::Act(k) => CSaid::Act(*k),
                    })
                    .collect();
            out.push(CAnswer {
                source: source as u8,
                to,
                when: a.when.iter().map(|c| ctx.cond(c)).collect(),
                tone: a.tone,
                refuses: a.refuses,
                texts: a
                    .text
                    .iter()
                    .filter(|t| t.placeholders().iter().all(|p| vars.contains_key(p)))
                    .cloned()
                    .collect(),
            });
        }
    }
    out
}

/// For each choice, the course rules and its tactic's rules whose conditions on the line itself
/// do not rule them out.
fn rules_for(
    choices: &[Choice],
    ctactics: &[CTactic],
    course: &[CRuleOfCourse],
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let possible = |when: &[Cond], ch: &Choice| {
        when.iter()
            .all(|c| fixed(c, ch, &ctactics[ch.tactic]) != Some(false))
    };
    let course_for = choices
        .iter()
        .map(|ch| {
            (0..course.len())
                .filter(|&r| possible(&course[r].when, ch))
                .collect()
        })
        .collect();
    let tactic_for = choices
        .iter()
        .map(|ch| {
            let rules = &ctactics[ch.tactic].rules;
            (0..rules.len())
                .filter(|&r| possible(&rules[r].when, ch))
                .collect()
        })
        .collect();
    (course_for, tactic_for)
}

/// What a condition is for one choice whatever the meeting: Some when it reads only what the
/// line is (its tactic, threat, close, rung, markers), None when it depends on the meeting.
fn fixed(c: &Cond, ch: &Choice, tactic: &CTactic) -> Option<bool> {
    let rung = ch.sanction.map(|s| s.level());
    match c {
        Cond::Const(b) => Some(*b),
        Cond::Tactic(t) => Some(*t == ch.tactic),
        Cond::Not(c) => fixed(c, ch, tactic).map(|v| !v),
        Cond::Any(cs) => settled(cs.iter().map(|c| fixed(c, ch, tactic)), true),
        Cond::All(cs) => settled(cs.iter().map(|c| fixed(c, ch, tactic)), false),
        Cond::HasPrep(_) | Cond::LacksPrep(_) | Cond::ExcuseDefused(_) => None,
        Cond::Plain(p) => match p {
            Condition::Threat => Some(ch.threat),
            Condition::Asks => {
                Some((tactic.asks || ch.close.is_some() || ch.threat) && ch.counters.is_none())
            }
            Condition::Closes(k) => Some(ch.close == Some(*k)),
            Condition::IntensityAtLeast(v) => Some(ch.intensity >= *v),
            Condition::MentionsContract => Some(ch.mentions_contract),
            Condition::SanctionRung(v) => Some(rung == Some(*v)),
            Condition::SanctionSkipsLevel | Condition::SanctionReversed | Condition::FirstRung
                if rung.is_none() =>
            {
                Some(false)
            }
            Condition::OffersUndatedPlan => Some(
                ch.sets
                    .iter()
                    .any(|m| matches!(m, Marker::PlanFull | Marker::PlanSplit))
                    && !ch.sets.contains(&Marker::Deadline),
            ),
            _ => None,
        },
    }
}

/// `Any` (`decides` true) or `All` (false) of values that may be unknown: settled by one value
/// equal to `decides`, or by all being known.
fn settled(values: impl Iterator<Item = Option<bool>>, decides: bool) -> Option<bool> {
    let mut unknown = false;
    for v in values {
        match v {
            Some(x) if x == decides => return Some(decides),
            Some(_) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(!decides)
}

/// For each choice, the answers that answer it, most specific first (a stable order: by rank,
/// then more `when` conditions before fewer, so a conditioned twin is heard before its plain
/// one whatever the order written, then as written), so that a turn ranks nothing.
fn answer_order(answers: &[CAnswer], choices: &[Choice]) -> Vec<Vec<usize>> {
    choices
        .iter()
        .enumerate()
        .map(|(i, ch)| {
            let mut ranked: Vec<(u8, usize)> = answers
                .iter()
                .enumerate()
                .filter_map(|(k, a)| a.rank(i, ch).map(|r| (r, k)))
                .collect();
            ranked.sort_by_key(|&(r, k)| (r, std::cmp::Reverse(answers[k].when.len())));
            ranked.into_iter().map(|(_, k)| k).collect()
        })
        .collect()
}

/// The case's choices: its lines (the library's, less `without_lines`, plus its own), then its
/// persona's counters to each excuse.
fn compile_choices(sc: &Scenarios, case: &Case, persona: &Persona, ctx: &Compile) -> Vec<Choice> {
    let book = &sc.book;
    let prep_bit = ctx.prep_bit;
    let tactic_index = |id: &str| (ctx.tactic_of)(id).unwrap_or(0);
    let compile = |conds: &[Condition]| ctx.conds(conds);
    let excuse_index = ctx.excuse_index;
    let mut choices = Vec::new();
    let lines = sc
        .lines
        .lines
        .iter()
        .filter(|l| !case.without_lines.contains(&l.id))
        .chain(case.extra_lines.iter());
    let threat_tactic = |id: &str| book.tactics.iter().any(|t| t.id == id && t.threat);
    for l in lines {
        choices.push(Choice {
            id: l.id.clone(),
            tactic: tactic_index(&l.tactic),
            intensity: l.intensity.clamp(1, 3),
            stage: l.stage,
            text: l.text.clone(),
            needs_prep: l.needs_prep.as_deref().map(prep_bit),
            mentions_contract: l.mentions_contract,
            sets: l.sets.clone(),
            sanction: l.sanction,
            threat: l.threat || l.sanction.is_some() || threat_tactic(&l.tactic),
            close: l.close,
            discount: l.discount,
            act: l.act,
            trap: l.trap,
            requires: compile(&l.requires),
            counters: None,
            concedes: Vec::new(),
        });
    }
    for (ei, e) in persona.excuses.iter().enumerate() {
        for c in &e.counters {
            choices.push(Choice {
                id: c.id.clone(),
                tactic: tactic_index(&c.tactic),
                intensity: 2,
                stage: LineStage::Any,
                text: c.text.clone(),
                needs_prep: c.needs_prep.as_deref().map(prep_bit),
                mentions_contract: false,
                sets: Vec::new(),
                sanction: None,
                threat: threat_tactic(&c.tactic),
                close: None,
                discount: 0.0,
                act: Act::Inform,
                trap: false,
                requires: if c.after_listening {
                    vec![Cond::Plain(Condition::ExcuseHeard)]
                } else {
                    Vec::new()
                },
                counters: Some((ei, c.effect, c.reply.clone())),
                concedes: c
                    .concedes
                    .iter()
                    .filter_map(|id| excuse_index(id))
                    .collect(),
            });
        }
    }
    choices
}

/// The tactics with their rules compiled for this debtor.
fn compile_tactics(book: &TacticBook, ctx: &Compile) -> Vec<CTactic> {
    let (compile, trait_of) = (|conds: &[Condition]| ctx.conds(conds), ctx.trait_of);
    book.tactics
        .iter()
        .map(|t| CTactic {
            driver: t.driver.unwrap_or(Driver::Relationship),
            effect: t.effect,
            response: t.response_trait.as_deref().map_or(1.0, trait_of),
            repeat_decay: t.repeat_decay,
            asks: t.asks,
            polite: t.polite,
            listening: t.listening,
            repair: t.repair,
            rules: t
                .rules
                .iter()
                .map(|r| CRule {
                    when: compile(&r.when),
                    scale: r.scale,
                    effect: r.effect,
                    reaction: r.reaction,
                })
                .collect(),
        })
        .collect()
}

/// The persona's excuses compiled: conditions, and the tactics that answer each.
fn compile_excuses(persona: &Persona, ctx: &Compile) -> Vec<CExcuse> {
    let (compile, tactic_of) = (|conds: &[Condition]| ctx.conds(conds), ctx.tactic_of);
    persona
        .excuses
        .iter()
        .map(|e| CExcuse {
            certain: e.certain,
            refuses: e.refuses,
            weight: e.weight,
            when: compile(&e.when),
            max_times: e.max_times,
            cost: e.cost,
            answer_tactics: e
                .counters
                .iter()
                .filter_map(|c| tactic_of(&c.tactic))
                .fold(0, |bits, t| bits | 1u64 << t.min(63)),
        })
        .collect()
}

/// The case's placeholders: the defaults, the case's own, its amount and instalments.
fn case_vars(case: &Case) -> BTreeMap<String, Text> {
    let mut vars: BTreeMap<String, Text> = crate::text::DEFAULT_VARS
        .iter()
        .map(|(name, zh, en)| ((*name).to_owned(), Text::new(*zh, *en)))
        .collect();
    vars.extend(case.vars.clone());
    let amount = yuan(case.amount);
    vars.insert(
        "amount".into(),
        Text {
            zh: amount.clone(),
            en: amount,
        },
    );
    let n = case.instalments.to_string();
    vars.insert(
        "instalments".into(),
        Text {
            zh: n.clone(),
            en: n,
        },
    );
    vars
}

/// The case's preparations on offer, as indices into the book's.
fn offered(case: &Case, book: &TacticBook) -> Vec<usize> {
    case.preparations
        .iter()
        .filter_map(|p| book.preparations.iter().position(|q| &q.id == p))
        .collect()
}

/// For each excuse, the choices that counter it.
fn counters_of(choices: &[Choice], excuses: usize) -> Vec<Vec<usize>> {
    (0..excuses)
        .map(|e| {
            (0..choices.len())
                .filter(|&i| choices[i].counters.as_ref().is_some_and(|k| k.0 == e))
                .collect()
        })
        .collect()
}

/// For each driver, the preparations that back a plan on it (bits by preparation index).
fn backing(book: &TacticBook) -> [u64; 4] {
    let mut backing = [0u64; 4];
    for (i, p) in book.preparations.iter().enumerate() {
        for d in &p.backs {
            backing[*d as usize] |= 1u64 << i;
        }
    }
    backing
}

/// The course's rules compiled, each with its severity's defaults filled in.
fn compile_course_rules(rubric: &Rubric, ctx: &Compile) -> Vec<CRuleOfCourse> {
    let compile = |conds: &[Condition]| ctx.conds(conds);
    rubric
        .rules
        .iter()
        .map(|r| {
            let sev = rubric.severities.get(r.severity());
            CRuleOfCourse {
                when: compile(&r.when),
                discredits: r.discredits.clone(),
                severity: r.severity(),
                hardening: r.hardening.unwrap_or(sev.hardening),
                no_payment_today: r.no_payment_today.unwrap_or(sev.bars_payment),
            }
        })
        .collect()
}

/// Where each answer's and each reaction's wordings start among the debtor's words, and how
/// many there are.
fn word_layout(
    answers: &[CAnswer],
    persona: &Persona,
    book: &TacticBook,
) -> (Vec<usize>, [usize; Reaction::ALL.len()], usize) {
    let mut word_start = Vec::with_capacity(answers.len());
    let mut words = 0;
    for a in answers {
        word_start.push(words);
        words += a.texts.len();
    }
    let mut voice_start = [0; Reaction::ALL.len()];
    for r in Reaction::ALL {
        voice_start[r as usize] = words;
        let own = persona.voice.get(&r).filter(|v| !v.is_empty());
        words += own.or_else(|| book.voice.get(&r)).map_or(0, Vec::len);
    }
    (word_start, voice_start, words)
}

/// What compiling a condition against one case needs.
struct Compile<'a> {
    trait_of: &'a dyn Fn(&str) -> f64,
    prep_bit: &'a dyn Fn(&str) -> u64,
    excuse_index: &'a dyn Fn(&str) -> Option<usize>,
    tactic_of: &'a dyn Fn(&str) -> Option<usize>,
    malicious: bool,
}

impl Compile<'_> {
    fn conds(&self, conds: &[Condition]) -> Vec<Cond> {
        conds.iter().map(|c| self.cond(c)).collect()
    }

    fn gate(&self, g: &Gate) -> CGate {
        CGate {
            unless: self.conds(&g.unless),
            cap: g.cap,
        }
    }

    fn cond(&self, c: &Condition) -> Cond {
        match c {
            Condition::TraitAbove(t, v) => Cond::Const((self.trait_of)(t) > *v),
            Condition::TraitBelow(t, v) => Cond::Const((self.trait_of)(t) < *v),
            Condition::Malicious => Cond::Const(self.malicious),
            Condition::NotMalicious => Cond::Const(!self.malicious),
            Condition::HasPrep(p) => Cond::HasPrep((self.prep_bit)(p)),
            Condition::LacksPrep(p) => Cond::LacksPrep((self.prep_bit)(p)),
            Condition::Any(cs) => Cond::Any(cs.iter().map(|c| self.cond(c)).collect()),
            Condition::All(cs) => Cond::All(cs.iter().map(|c| self.cond(c)).collect()),
            Condition::Not(c) => Cond::Not(Box::new(self.cond(c))),
            // An unknown name never holds (the validator reports it).
            Condition::Tactic(t) => (self.tactic_of)(t).map_or(Cond::Const(false), Cond::Tactic),
            Condition::ExcuseDefused(e) => {
                (self.excuse_index)(e).map_or(Cond::Const(false), Cond::ExcuseDefused)
            }
            other => Cond::Plain(other.clone()),
        }
    }
}
