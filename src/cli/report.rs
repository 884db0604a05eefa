//! Plain-text rendering of cases, transcripts and debriefs for the terminal.

use crate::engine::text::{Lang, yuan};
use crate::engine::transcript::Transcript;
use crate::engine::validate::Scenarios;
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

pub fn debrief(out: &mut impl Write, t: &Transcript) -> io::Result<()> {
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
            "{} {:<28} {:>5.1}/{:<4}  {}",
            if it.missed { "✗" } else { "✓" },
            it.name.get(t.lang),
            it.points,
            it.max,
            it.note.get(t.lang)
        )?;
        if it.missed {
            writeln!(out, "      {}", it.principle.get(t.lang))?;
        }
    }
    Ok(())
}
