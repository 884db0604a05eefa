//! Plain-text rendering of cases, transcripts and debriefs for the terminal.

use analysis::analyze::Report;
use analysis::coach::Reviewed;
use authoring::validate::Scenarios;
use sim::text::{Lang, t, yuan};
use sim::transcript::Transcript;
use std::io::{self, Write};

pub fn list(sc: &Scenarios, lang: Lang) {
    let (h_id, h_title, h_persona, h_diff, h_amount) = match lang {
        Lang::Zh => ("编号", "标题", "欠款人", "难度", "金额"),
        Lang::En => ("id", "title", "persona", "difficulty", "amount"),
    };
    println!("{h_id:<20} {h_diff:<6} {h_amount:>12}  {h_title} · {h_persona}");
    for c in &sc.cases {
        let persona = sc
            .persona(&c.persona)
            .map_or(c.persona.as_str(), |p| p.name.get(lang));
        println!(
            "{:<20} {:<6} {:>12}  {} · {}",
            c.id,
            "★".repeat(usize::from(c.difficulty)),
            yuan(c.amount),
            c.title.get(lang),
            persona
        );
    }
}

pub fn transcript(out: &mut impl Write, t: &Transcript) -> io::Result<()> {
    let (you, them) = match t.lang {
        Lang::Zh => ("你", "对方"),
        Lang::En => ("You", "Debtor"),
    };
    writeln!(out, "{them}: {}", t.greeting)?;
    for turn in &t.transcript {
        writeln!(out, "\n[{}] {you}: {}", turn.turn, turn.trainee)?;
        writeln!(out, "    {them}: {}", turn.debtor)?;
        for n in &turn.notes {
            writeln!(out, "    · {n}")?;
        }
    }
    Ok(())
}

pub fn debrief(out: &mut impl Write, reviewed: &Reviewed) -> io::Result<()> {
    let t = &reviewed.transcript;
    let zh = t.lang == Lang::Zh;
    writeln!(out)?;
    writeln!(out, "══════════════════════════════════════")?;
    if let Some(o) = &t.outcome {
        writeln!(out, "{}{o}", if zh { "结果：" } else { "Outcome: " })?;
    }
    writeln!(
        out,
        "{}{:.1} / 100   {} {}",
        if zh { "得分：" } else { "Score: " },
        t.score.total,
        t.score.grade,
        t.score.grade_label.get(t.lang)
    )?;
    writeln!(out, "──────────────────────────────────────")?;
    for it in &t.score.items {
        writeln!(
            out,
            "{} {} {:>5.1}/{:<4}  {}",
            if !it.arose {
                "–"
            } else if it.missed {
                "✗"
            } else {
                "✓"
            },
            pad(it.name.get(t.lang), 34),
            it.points,
            it.max,
            it.note.get(t.lang)
        )?;
        if it.missed {
            writeln!(out, "      {}", it.principle.get(t.lang))?;
        }
    }
    if let Some(r) = &reviewed.review {
        review(out, r, zh)?;
    } else if let Some(c) = &reviewed.coaching {
        coaching(out, c, zh)?;
    }
    Ok(())
}

/// The turn-by-turn review: the accuracy, every turn's mark, then each coached turn.
fn review(out: &mut impl Write, r: &analysis::coach::ReviewView, zh: bool) -> io::Result<()> {
    let lang = if zh { Lang::Zh } else { Lang::En };
    writeln!(out, "──────────────────────────────────────")?;
    writeln!(out, "{}", r.summary(lang))?;
    let marks: Vec<String> = r
        .turns
        .iter()
        .map(|t| {
            let cost = if t.cost >= 0.5 {
                format!(" -{:.1}", t.cost)
            } else {
                String::new()
            };
            format!("{} {}{cost}", t.turn, t.mark.sign())
        })
        .collect();
    for row in marks.chunks(6) {
        writeln!(out, "  {}", row.join("   "))?;
    }
    for c in &r.coached {
        coaching(out, c, zh)?;
    }
    Ok(())
}

/// The costliest turn and the better line there.
fn coaching(out: &mut impl Write, c: &analysis::coach::CoachView, zh: bool) -> io::Result<()> {
    let lang = if zh { Lang::Zh } else { Lang::En };
    let [said, better, principle] = if zh {
        ["你说：", "更好的一句：", "原则："]
    } else {
        ["You said: ", "Better: ", "Principle: "]
    };
    let then = if zh {
        format!("（这样说，再按课程谈下去，得分约 {:.1}）", c.better_score)
    } else {
        format!(
            " (said instead, with the course's way after it: about {:.1})",
            c.better_score
        )
    };
    writeln!(out, "──────────────────────────────────────")?;
    writeln!(out, "{}", c.heading(lang))?;
    writeln!(out, "  {said}{}", c.said_text)?;
    writeln!(out, "  {better}{}{then}", c.better_text)?;
    writeln!(out, "  {principle}{}", c.principle)
}

/// Columns a string takes in a terminal: CJK and full-width characters take two.
pub(super) fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// Pads `s` with spaces to `cols` terminal columns.
pub(super) fn pad(s: &str, cols: usize) -> String {
    format!("{s}{}", " ".repeat(cols.saturating_sub(width(s))))
}

/// The analyzer's report for a trainer.
pub fn analysis(r: &Report, seconds: f64, lang: Lang) {
    let zh = lang == Lang::Zh;
    let l = |zh_s: &'static str, en_s: &'static str| if zh { zh_s } else { en_s };
    println!(
        "{} {} · {} {} · {} {} · {:.1} s · {} {}",
        l("案例", "case"),
        r.case,
        l("搜索深度", "depth"),
        r.depth,
        l("种子", "seeds"),
        r.seeds,
        seconds,
        r.playthroughs,
        l("次对局", "playthroughs")
    );
    println!(
        "{:.0} {}/s",
        r.playthroughs as f64 / seconds.max(1e-9),
        l("次对局", "playthroughs")
    );
    analysis_plays(r, lang);
    analysis_strategies(r, lang);
    analysis_findings(r, lang);
}

/// The analyzer's best and worst meetings, and the best without preparation.
fn analysis_plays(r: &Report, lang: Lang) {
    let zh = lang == Lang::Zh;
    let l = |zh_s: &'static str, en_s: &'static str| if zh { zh_s } else { en_s };
    println!(
        "\n{}  {:.1} ({}) seed {} {:?}",
        l("最高分：", "best:"),
        r.best.score,
        r.best.grade,
        r.best.seed,
        r.best.preparations
    );
    println!("    {}", r.best.lines.join(" → "));
    if r.best.rules_broken.is_empty() {
        println!("    {}", l("未违反任何课程规则", "breaks no course rule"));
    } else {
        println!(
            "    {} {}",
            l("违反课程规则：", "breaks course rules:"),
            r.best.rules_broken.join(", ")
        );
    }
    let np = &r.best_without_preparation;
    println!(
        "{}  {:.1} ({}) seed {} · {} {:.1}",
        l("不做准备的最高分：", "best without preparation:"),
        np.score,
        np.grade,
        np.seed,
        l("比有准备低", "below the prepared best by"),
        r.best.score - np.score
    );
    println!(
        "{}  {:.1} ({}) seed {}",
        l("最低分：", "worst:"),
        r.worst.score,
        r.worst.grade,
        r.worst.seed
    );
    println!("    {}", r.worst.lines.join(" → "));
    println!(
        "{} min {:.1} · median {:.1} · max {:.1}",
        l("各种子最高分：", "best per seed:"),
        r.best_per_seed.min,
        r.best_per_seed.median,
        r.best_per_seed.max
    );
}

/// How each strategy class fared.
fn analysis_strategies(r: &Report, lang: Lang) {
    let zh = lang == Lang::Zh;
    let l = |zh_s: &'static str, en_s: &'static str| if zh { zh_s } else { en_s };
    println!(
        "\n{:<20} {:>6} {:>8} {:>8}",
        l("策略", "strategy"),
        l("均分", "mean"),
        l("成交率", "win"),
        "≥B"
    );
    for s in &r.strategies {
        println!(
            "{:<20} {:>6.1} {:>7.0}% {:>7.0}%",
            strategy_name(&s.name, zh),
            s.mean,
            s.win_rate * 100.0,
            s.b_or_better * 100.0
        );
    }
}

/// Dominant tactics, dead ends, excuses never raised, lines never worth choosing, traps.
fn analysis_findings(r: &Report, lang: Lang) {
    let zh = lang == Lang::Zh;
    let l = |zh_s: &'static str, en_s: &'static str| if zh { zh_s } else { en_s };
    let list = |v: &[String]| {
        if v.is_empty() {
            l("无", "none").to_owned()
        } else {
            v.join(", ")
        }
    };
    println!(
        "\n{} {}",
        l("压倒性战术：", "dominant tactics:"),
        list(&r.dominant_tactics)
    );
    println!(
        "{} {}{}",
        l("死局：", "dead ends:"),
        r.dead_ends,
        if r.dead_end_example.is_empty() {
            String::new()
        } else {
            format!(" (e.g. {})", r.dead_end_example.join(" → "))
        }
    );
    println!(
        "{} {}",
        l("从未出现的借口：", "excuses never raised:"),
        list(&r.excuses_never_raised)
    );
    println!(
        "{} {}",
        l(
            "从不值得选的话（不是陷阱，可以考虑删掉）：",
            "lines never worth choosing (not traps; candidates to cut):"
        ),
        list(&r.lines_never_worth_choosing)
    );
    println!(
        "{} {}",
        l(
            "陷阱（课程教人不要说的话，保留）：",
            "traps (lines the course teaches not to say; keep them):"
        ),
        list(&r.traps)
    );
    if !r.traps_worth_choosing.is_empty() {
        println!(
            "{} {}",
            l(
                "警告：这些陷阱反而有用（最佳走法会选它们），请调整：",
                "warning: these traps pay off (the best play would choose them); rework them:"
            ),
            list(&r.traps_worth_choosing)
        );
    }
}

/// The validity figures of one case as a table.
pub fn validity(v: &analysis::validity::CaseValidity, lang: Lang) {
    let zh = lang == Lang::Zh;
    let f = &v.model;
    match zh {
        true => println!("{}（{} 个种子）", v.case, v.seeds),
        false => println!("{} ({} seeds)", v.case, v.seeds),
    }
    let (mean, best, worst, gap, broke) = match zh {
        true => ("均分", "最好", "最差", "差距", "违反"),
        false => ("mean", "best", "worst", "gap", "broke"),
    };
    println!(
        "  {:<22} {mean} {:5.1}  {best} {:5.1} {:<1}  {worst} {:5.1} {:<1}",
        t(lang, "课程示范", "course model"),
        f.mean,
        f.best,
        f.best_grade,
        f.worst,
        f.worst_grade
    );
    for p in &v.players {
        let g = &p.figures;
        println!(
            "  {:<22} {mean} {:5.1}  {best} {:5.1} {:<1}  {gap} {:5.1}  {broke} {:>3}/{}  ({})",
            p.player,
            g.mean,
            g.best,
            g.best_grade,
            f.mean - g.mean,
            p.broke,
            v.seeds,
            p.breaks.get(lang)
        );
    }
    validity_seeds_and_thinking(v, lang);
    for r in &v.rule_breaks {
        validity_rule_break(r, lang);
    }
}

/// The seed variation and the thinking-time lines of the validity report.
fn validity_seeds_and_thinking(v: &analysis::validity::CaseValidity, lang: Lang) {
    let sv = &v.seed_variation;
    match lang {
        Lang::Zh => println!(
            "  种子：示范在 {} 个种子上说出 {} 种不同的台词顺序；把某个种子上的示范背下来，在其他种子上得 {:.1}（示范 {:.1}）",
            sv.seeds, sv.model_sequences, sv.script_mean, sv.model_mean
        ),
        Lang::En => println!(
            "  seeds: the model said {} different line sequences over {} seeds; its meeting on one seed learnt by heart scores {:.1} on the others (the model {:.1})",
            sv.model_sequences, sv.seeds, sv.script_mean, sv.model_mean
        ),
    }
    for th in &v.thinking {
        let fig = &th.figures;
        match lang {
            Lang::Zh => println!(
                "  示范每句思考 {:>4.0} 秒  均分 {:5.1}  最差 {:5.1} {:<1}  离场 {}",
                th.seconds, fig.mean, fig.worst, fig.worst_grade, th.walk_outs
            ),
            Lang::En => println!(
                "  model thinking {:>4.0} s  mean {:5.1}  worst {:5.1} {:<1}  walk-outs {}",
                th.seconds, fig.mean, fig.worst, fig.worst_grade, th.walk_outs
            ),
        }
    }
}

/// One line of the rule-breaking search.
fn validity_rule_break(r: &analysis::validity::RuleBreak, lang: Lang) {
    let Some(best) = r.best else {
        return match lang {
            Lang::Zh => println!("  搜索：{:<20} 找不到只违反这一条的谈判", r.rule),
            Lang::En => println!("  search: {:<20} no meeting breaks it alone", r.rule),
        };
    };
    let alone = if r.alone { ' ' } else { '+' };
    let severity = r.severity.name().get(lang).to_owned();
    match lang {
        Lang::Zh => println!(
            "  搜索：{:<21}{alone} {severity:<6} 最好 {best:5.1} {:<1}  比不违规的最佳谈判 {:5.1} 少 {:5.1}（{}，种子 {}：{}）",
            r.rule,
            r.grade,
            r.clean,
            r.clean - best,
            r.section,
            r.seed,
            r.lines.join(" ")
        ),
        Lang::En => println!(
            "  search: {:<21}{alone} {severity:<6} best {best:5.1} {:<1}  costs {:5.1} against the best clean meeting {:5.1}  ({}, seed {}: {})",
            r.rule,
            r.grade,
            r.clean - best,
            r.clean,
            r.section,
            r.seed,
            r.lines.join(" ")
        ),
    }
}

/// The PASS/FAIL line of every bar.
pub fn verdicts(v: &[analysis::bars::Verdict], lang: Lang) {
    for x in v {
        println!("  {}", x.line(lang));
    }
}

/// The deviation analysis of one case as a table, then the costliest endorsed slips.
pub fn deviations(d: &analysis::deviations::DeviationReport, lang: Lang) {
    let zh = lang == Lang::Zh;
    let from = match (d.from.as_str(), zh) {
        ("model", true) => "课程示范",
        ("model", false) => "the course model",
        (_, true) => "分析器的最佳打法",
        (_, false) => "the analyzer's best play",
    };
    if zh {
        println!(
            "{}：从{}出发的偏离（{} 次，种子 {:?}）",
            d.case, from, d.deviations, d.seeds
        );
        println!(
            "  {:<18} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7}",
            "换成的这句", "次数", "中位数", "≤5", "5–25", ">25", "最多"
        );
    } else {
        println!(
            "{}: deviations from {} ({} tried, seeds {:?})",
            d.case, from, d.deviations, d.seeds
        );
        println!(
            "  {:<22} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7}",
            "the line said instead", "count", "median", "≤5", "5–25", ">25", "max"
        );
    }
    for b in &d.buckets {
        let pct = |v: f64| format!("{:.0}%", v * 100.0);
        println!(
            "  {:<22} {:>6} {:>7.1} {:>7} {:>7} {:>7} {:>7.1}",
            b.standing.name().get(lang),
            b.count,
            b.median,
            pct(b.within_5),
            pct(b.from_5_to_25),
            pct(b.over_25),
            b.max
        );
    }
    if !d.costliest_endorsed.is_empty() {
        println!(
            "  {}",
            if zh {
                "代价最大的课程认可偏离："
            } else {
                "costliest course-endorsed slips:"
            }
        );
        for s in &d.costliest_endorsed {
            if zh {
                println!(
                    "    种子 {} 第 {} 轮 {}（-{:.1}）：「{}」→「{}」",
                    s.seed, s.turn, s.line, s.cost, s.text, s.reply
                );
                println!("      之后：{} → {}", s.then.join(" "), s.outcome);
            } else {
                println!(
                    "    seed {} turn {} {} (-{:.1}): \"{}\" → \"{}\"",
                    s.seed, s.turn, s.line, s.cost, s.text, s.reply
                );
                println!("      then: {} → {}", s.then.join(" "), s.outcome);
            }
        }
    }
}

/// `dialogue`: one case's fallback share and repeats (and, with `shared`, where the shared
/// words were said most).
pub fn dialogue(d: &analysis::dialogue::CaseDialogue, shared: bool, lang: Lang) {
    let zh = lang == Lang::Zh;
    let row = |name: &str, x: &analysis::dialogue::Dialogue| {
        let (fb, sh) = (100.0 * x.fallback_share(), 100.0 * x.shared_share());
        if zh {
            println!(
                "  {name:<18} 回话 {:>5}  情绪兜底 {:>5}（{fb:>4.1}%）  共用 {:>5}（{sh:>4.1}%）  重复 {:>4}  可避免 {:>3}",
                x.replies, x.fallback, x.shared, x.repeats, x.avoidable_repeats
            );
        } else {
            println!(
                "  {name:<18} replies {:>5}  fallback {:>5} ({fb:>4.1}%)  shared {:>5} ({sh:>4.1}%)  repeats {:>4}  avoidable {:>3}",
                x.replies, x.fallback, x.shared, x.repeats, x.avoidable_repeats
            );
        }
    };
    println!("{}", d.case);
    row(t(lang, "课程示范", "model"), &d.model);
    let random = match lang {
        Lang::Zh => format!("随机 ×{}", d.random_runs),
        Lang::En => format!("random ×{}", d.random_runs),
    };
    row(&random, &d.random);
    if shared {
        let mut all = d.model.clone();
        all.add(&d.random);
        for (at, count) in all.most_shared(20) {
            match lang {
                Lang::Zh => println!("    共用 {count:>5}  出现在 {at} 之后"),
                Lang::En => println!("    shared {count:>5}  after {at}"),
            }
        }
    }
}

/// A strategy class's name in the report's language (tactic ids stay as they are).
fn strategy_name(name: &str, zh: bool) -> &str {
    let zh_name = match name {
        "course-following" => "按课程来",
        "always-pressure" => "一味施压",
        "always-soft" => "一味示弱",
        "random" => "随机",
        other => return other,
    };
    if zh { zh_name } else { name }
}
