//! Interactive terminal play: numbered choices read from any line-based input, so it works at
//! a terminal and when piped. Real time between prompt and answer is the elapsed time.

use authoring::validate::Scenarios;
use sim::CaseBundle;
use sim::Text;
use sim::meeting::{Event, Meeting, Utterance};
use sim::menu;
use sim::scenario::Stage;
use sim::text::{Lang, t, yuan};
use sim::transcript::{event_notes, excuse_on_table, excuse_standing, reply, utterance};
use std::io::{self, BufRead, Write};
use std::sync::Arc;
use std::time::Instant;

/// Reads one trimmed line; `None` at end of input.
fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut s = String::new();
    if input.read_line(&mut s)? == 0 {
        return Ok(None);
    }
    Ok(Some(s.trim().to_owned()))
}

fn ended_early(lang: Lang) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        t(
            lang,
            "输入在会谈结束前就结束了",
            "the input ended before the meeting was over",
        ),
    )
}

/// Asks for the trainee's name (for the class leaderboard).
pub fn ask_name(lang: Lang, input: &mut impl BufRead, out: &mut impl Write) -> io::Result<String> {
    loop {
        write!(
            out,
            "{}",
            t(
                lang,
                "你的名字（排行榜上显示）：",
                "Your name (shown on the leaderboard): "
            )
        )?;
        out.flush()?;
        let Some(line) = read_line(input)? else {
            return Err(ended_early(lang));
        };
        if !line.is_empty() {
            return Ok(line);
        }
    }
}

/// Shows the case list, asks which to play, and plays it.
pub fn pick_and_play(
    sc: &Scenarios,
    lang: Lang,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> io::Result<Meeting> {
    writeln!(
        out,
        "dunning-dojo · {}",
        t(lang, "催收谈判训练", "collection negotiation training")
    )?;
    for (i, c) in sc.cases.iter().enumerate() {
        let persona = sc.persona(&c.persona).map_or("", |p| p.name.get(lang));
        writeln!(
            out,
            "  {}. {} · {} · {} · {}",
            i + 1,
            c.title.get(lang),
            persona,
            yuan(c.amount),
            "★".repeat(usize::from(c.difficulty))
        )?;
    }
    let case = loop {
        write!(out, "{}", t(lang, "选择案例编号：", "Pick a case number: "))?;
        out.flush()?;
        let Some(line) = read_line(input)? else {
            return Err(ended_early(lang));
        };
        match line.parse::<usize>() {
            Ok(k) if (1..=sc.cases.len()).contains(&k) => break &sc.cases[k - 1],
            _ => writeln!(
                out,
                "{}",
                t(
                    lang,
                    "请输入列表中的编号。",
                    "Please type a number from the list."
                )
            )?,
        }
    };
    let bundle = CaseBundle::new(sc, &case.id).map_err(io::Error::other)?;
    let seed = u64::from(std::process::id()) ^ 0x9e37_79b9;
    let n = interactive(bundle, seed, lang, input, out, true)?;
    let tr = analysis::coach::Reviewed::of(&n, sim::transcript::Transcript::of(&n, lang));
    super::report::debrief(out, &tr)?;
    Ok(n)
}

/// A meter: ten blocks and the figure (0–100).
fn bar(v: f64) -> String {
    let v = v.clamp(0.0, 1.0);
    let filled = (v * 10.0).round() as usize;
    format!(
        "{}{} {:>3.0}",
        "█".repeat(filled),
        "░".repeat(10 - filled),
        v * 100.0
    )
}

/// Plays one meeting, asking for preparations and then a line each turn.
pub fn interactive(
    bundle: Arc<CaseBundle>,
    seed: u64,
    lang: Lang,
    input: &mut impl BufRead,
    out: &mut impl Write,
    show: bool,
) -> io::Result<Meeting> {
    // When only JSON is wanted, the prompts go to a sink so stdout stays one JSON object.
    let mut sink = io::sink();
    let out: &mut dyn Write = if show { out } else { &mut sink };
    let case = &bundle.case;
    writeln!(out, "\n══ {} ══", case.title.get(lang))?;
    writeln!(out, "{}", case.brief.get(lang))?;
    for s in &case.sections {
        writeln!(out, "· {}: {}", s.title.get(lang), s.body.get(lang))?;
    }

    let preps = ask_preparations(&bundle, lang, input, out)?;
    let n = Meeting::new(Arc::clone(&bundle), seed, &preps).map_err(io::Error::other)?;
    let them = t(lang, "对方", "Debtor");
    writeln!(out, "\n{them}: {}", utterance(&n, &n.greeting, lang))?;
    play_turns(n, lang, input, out)
}

/// The preparations (知己知彼): the list, then numbers within the budget until they fit.
fn ask_preparations(
    bundle: &CaseBundle,
    lang: Lang,
    input: &mut impl BufRead,
    out: &mut dyn Write,
) -> io::Result<Vec<String>> {
    let case = &bundle.case;
    writeln!(
        out,
        "\n{} {}",
        t(lang, "会前准备：最多选", "Preparation: pick up to"),
        case.prep_budget
    )?;
    for (k, &pi) in bundle.offered.iter().enumerate() {
        let p = &bundle.preparations[pi];
        writeln!(
            out,
            "  {}. {} — {}",
            k + 1,
            p.name.get(lang),
            p.description.get(lang)
        )?;
    }
    loop {
        write!(
            out,
            "{}",
            t(
                lang,
                "输入编号，用空格分隔（直接回车表示不准备）：",
                "Numbers separated by spaces (Enter for none): "
            )
        )?;
        out.flush()?;
        let Some(line) = read_line(input)? else {
            return Err(ended_early(lang));
        };
        let picked: Option<Vec<usize>> = line
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<usize>()
                    .ok()
                    .filter(|k| (1..=bundle.offered.len()).contains(k))
            })
            .collect();
        match picked {
            Some(mut ks) => {
                ks.sort_unstable();
                ks.dedup();
                if ks.len() > usize::from(case.prep_budget) {
                    writeln!(
                        out,
                        "{} {}",
                        t(lang, "最多只能选", "You may pick at most"),
                        case.prep_budget
                    )?;
                    continue;
                }
                return Ok(ks
                    .into_iter()
                    .map(|k| bundle.preparations[bundle.offered[k - 1]].id.clone())
                    .collect());
            }
            None => writeln!(
                out,
                "{}",
                t(
                    lang,
                    "请输入列表中的编号。",
                    "Please type numbers from the list."
                )
            )?,
        }
    }
}

/// Retry from a turn: the meeting so far is shown (greeting and earlier turns), then play goes
/// on from where it stands.
pub fn resume(
    n: Meeting,
    lang: Lang,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> io::Result<Meeting> {
    let them = t(lang, "对方", "Debtor");
    let you = t(lang, "你", "You");
    writeln!(out, "\n{them}: {}", utterance(&n, &n.greeting, lang))?;
    for (k, turn) in n.turns.iter().enumerate() {
        let ch = &n.bundle.choices[turn.choice];
        writeln!(out, "\n[{}] {you}: {}", k + 1, n.bundle.say(&ch.text, lang))?;
        if let Some(words) = reply(&n, &turn.events, lang) {
            writeln!(out, "    {them}: {words}")?;
        }
    }
    writeln!(
        out,
        "\n{} {}",
        t(lang, "从这一轮重来：第", "Retrying from turn"),
        n.turns.len() + 1
    )?;
    play_turns(n, lang, input, out)
}

/// The turns, asked one by one until the meeting is over.
fn play_turns(
    mut n: Meeting,
    lang: Lang,
    input: &mut impl BufRead,
    out: &mut dyn Write,
) -> io::Result<Meeting> {
    let them = t(lang, "对方", "Debtor");
    while !n.is_over() {
        status(&n, lang, out)?;
        let asked = Instant::now();
        let pick = ask_line(&n, lang, input, out)?;
        // Tenths of a second: what a recorded script keeps, so that it replays exactly.
        let elapsed = (asked.elapsed().as_secs_f64() * 10.0).round() / 10.0;
        let events = n.respond(pick, elapsed).map_err(io::Error::other)?;
        if let Some(words) = reply(&n, &events, lang) {
            writeln!(out, "{them}: {words}")?;
        }
        if events
            .iter()
            .any(|e| matches!(e, Event::Reply(Utterance::Excuse { .. })))
        {
            writeln!(
                out,
                "  ({})",
                t(lang, "对方提出了一个借口", "an excuse is on the table")
            )?;
        }
        for note in event_notes(&n, &events, lang) {
            writeln!(out, "  · {note}")?;
        }
    }
    Ok(n)
}

/// Where the meeting stands: stage, mood, meters, and the excuse on the table.
fn status(n: &Meeting, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let s = &n.state;
    writeln!(
        out,
        "\n[{} {}] {} · {} {} · {} {} · {} {}",
        t(lang, "阶段", "Stage"),
        stage_label(n.progress.stage, lang),
        n.mood().name().get(lang),
        t(lang, "耐心", "patience"),
        bar(s.patience),
        t(lang, "信任", "trust"),
        bar(s.trust),
        t(lang, "面子", "face"),
        bar(s.face),
    )?;
    if let Some(text) = excuse_on_table(n, lang) {
        writeln!(
            out,
            "{} {text}",
            t(lang, "桌上的借口：", "Excuse on the table:")
        )?;
        if let Some(note) = excuse_standing(n, lang) {
            writeln!(out, "  ({note})")?;
        }
    }
    Ok(())
}

/// The open lines, then a number until one of them is typed (`+` unfolds the pressure lines,
/// `q` quits).
fn ask_line(
    n: &Meeting,
    lang: Lang,
    input: &mut impl BufRead,
    out: &mut dyn Write,
) -> io::Result<usize> {
    let open = n.available();
    let mut unfold = false;
    show_choices(n, lang, unfold, out)?;
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let Some(line) = read_line(input)? else {
            return Err(ended_early(lang));
        };
        if line == "+" && !unfold {
            unfold = true;
            show_choices(n, lang, unfold, out)?;
            continue;
        }
        if line == "q" || line == "quit" {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                t(lang, "已退出", "quit before the meeting was over"),
            ));
        }
        match line.parse::<usize>() {
            Ok(k) if k >= 1 && open.contains(&(k - 1)) => return Ok(k - 1),
            _ => writeln!(
                out,
                "{}",
                t(
                    lang,
                    "请输入上面列出的编号。",
                    "Type one of the numbers listed above."
                )
            )?,
        }
    }
}

/// The open lines in the menu's groups (counters to the excuse on the table first, then by
/// stage). Each line keeps its number for the whole meeting (its place in the case's list of
/// choices). Until the debtor has refused something, the "any time" pressure and sanction
/// lines are folded behind `+` (they can still be typed by number): pressure is for later.
fn show_choices(n: &Meeting, lang: Lang, unfold: bool, out: &mut dyn Write) -> io::Result<()> {
    let b = &n.bundle;
    let fold = !unfold && n.progress.refusals == 0;
    for group in menu::menu(n, true) {
        let any_time = !group.counters
            && group
                .lines
                .iter()
                .all(|&i| b.choices[i].stage.stage().is_none());
        let (folded, shown): (Vec<usize>, Vec<usize>) = group
            .lines
            .iter()
            .partition(|&&i| fold && any_time && b.choices[i].threat);
        writeln!(out, "— {} —", group.title.get(lang))?;
        for i in shown {
            let c = &b.choices[i];
            writeln!(
                out,
                "  {:>2}. [{}] {}",
                i + 1,
                b.tactics[c.tactic].name.get(lang),
                b.say(&c.text, lang)
            )?;
        }
        if !folded.is_empty() {
            let n = folded.len();
            let s = if n == 1 { "" } else { "s" };
            writeln!(
                out,
                "   +. {}",
                match lang {
                    Lang::Zh => format!("施压与惩戒（{n} 句，还没有人拒绝过你）：输入 + 展开"),
                    Lang::En => format!(
                        "pressure and sanctions ({n} line{s}; nobody has refused you yet): type + to show them"
                    ),
                }
            )?;
        }
    }
    Ok(())
}

fn stage_label(s: Stage, lang: Lang) -> String {
    let name: Text = s.name();
    name.get(lang).to_owned()
}
