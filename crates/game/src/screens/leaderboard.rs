//! Leaderboard: every meeting played on this computer, ranked per case.

use crate::Screen;
use crate::data::Catalog;
use crate::flow::Flow;
use crate::meeting::Settings;
use crate::results::Board;
use crate::ui::{ACCENT, BAD, GOOD, MUTED, UiSet, card, root, t, top_bar};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use class::protocol::outcome_label;
use sim::text::{Lang, Text};
use store::local::Ranked;
use store::sqlite::format_utc;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        leaderboard_ui
            .in_set(UiSet)
            .run_if(in_state(Screen::Leaderboard)),
    );
}

fn leaderboard_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    mut board: ResMut<Board>,
    catalog: Res<Catalog>,
    mut flow: MessageWriter<Flow>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let lang = settings.lang;
    top_bar(
        &mut root,
        &mut settings,
        t(lang, "排行榜 · 本机成绩", "Leaderboard · this computer"),
    );
    let title = |id: &str| -> String {
        catalog
            .scenarios
            .as_ref()
            .and_then(|sc| sc.case(id))
            .map_or_else(|| id.to_owned(), |c| c.title.get(lang).to_owned())
    };
    let rows = match &board.rows {
        None => return Ok(()),
        Some(Err(e)) => {
            let e = e.clone();
            egui::CentralPanel::default().show(&mut root, |ui| unreadable(ui, &e, lang, &mut flow));
            return Ok(());
        }
        Some(Ok(rows)) => rows.clone(),
    };
    let cases = cases_of(&rows);
    let shown = board
        .case
        .clone()
        .filter(|c| cases.iter().any(|(id, _)| id == c))
        .or_else(|| cases.first().map(|(id, _)| id.clone()));
    egui::Panel::left("cases")
        .exact_size(320.0)
        .show(&mut root, |ui| {
            if let Some(picked) = case_list(ui, &cases, shown.as_deref(), &title, lang, &mut flow) {
                board.case = Some(picked);
            }
        });
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.add_space(10.0);
        let Some(case) = shown else {
            ui.label(
                egui::RichText::new(t(
                    lang,
                    "还没有成绩。谈完一场，成绩就会出现在这里。",
                    "No results yet. Finish a meeting and it appears here.",
                ))
                .size(20.0)
                .color(MUTED),
            );
            return;
        };
        ui.label(egui::RichText::new(title(&case)).size(24.0).strong());
        ui.add_space(8.0);
        card(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| board_grid(ui, &rows, &case, lang));
        });
        if lang == Lang::Zh {
            ui.colored_label(MUTED, "同分同名次。带课堂代码的成绩也已提交到课堂服务器。");
        } else {
            ui.colored_label(
                MUTED,
                "Equal scores share a rank. Results with a class code were also submitted to the class server.",
            );
        }
    });
    Ok(())
}

/// The leaderboard could not be read: why, and the way back.
fn unreadable(ui: &mut egui::Ui, e: &str, lang: Lang, flow: &mut MessageWriter<Flow>) {
    ui.add_space(20.0);
    ui.colored_label(
        BAD,
        t(lang, "无法读取排行榜：", "Cannot read the leaderboard:"),
    );
    ui.label(e);
    ui.add_space(12.0);
    if ui
        .button(t(lang, "返回首页", "Back to the cases"))
        .clicked()
    {
        flow.write(Flow::ToTitle);
    }
}

/// The cases with results and how many each, in the order they first appear (the store sorts
/// by case).
fn cases_of(rows: &[Ranked]) -> Vec<(String, usize)> {
    let mut cases: Vec<(String, usize)> = Vec::new();
    for r in rows {
        match cases.last_mut() {
            Some((id, n)) if *id == r.entry.case_id => *n += 1,
            _ => cases.push((r.entry.case_id.clone(), 1)),
        }
    }
    cases
}

/// The list of cases on the left; returns the case clicked.
fn case_list(
    ui: &mut egui::Ui,
    cases: &[(String, usize)],
    shown: Option<&str>,
    title: &dyn Fn(&str) -> String,
    lang: Lang,
    flow: &mut MessageWriter<Flow>,
) -> Option<String> {
    let mut picked = None;
    ui.add_space(10.0);
    ui.heading(t(lang, "案例", "Cases"));
    ui.add_space(6.0);
    for (id, n) in cases {
        let label = format!("{} ({n})", title(id));
        if ui
            .selectable_label(shown == Some(id), egui::RichText::new(label).size(17.0))
            .clicked()
        {
            picked = Some(id.clone());
        }
    }
    ui.add_space(16.0);
    if ui
        .button(t(lang, "返回首页", "Back to the cases"))
        .clicked()
    {
        flow.write(Flow::ToTitle);
    }
    picked
}

/// One case's results: rank, trainee, score, grade, outcome, turns, when.
fn board_grid(ui: &mut egui::Ui, rows: &[Ranked], case: &str, lang: Lang) {
    egui::Grid::new("board")
        .striped(true)
        .spacing([26.0, 8.0])
        .min_col_width(40.0)
        .show(ui, |ui| {
            let heads: [Text; 7] = [
                Text::new("名次", "Rank"),
                Text::new("学员", "Trainee"),
                Text::new("得分", "Score"),
                Text::new("等级", "Grade"),
                Text::new("结果", "Outcome"),
                Text::new("轮数", "Turns"),
                Text::new("时间 (UTC)", "Played (UTC)"),
            ];
            for h in &heads {
                ui.label(egui::RichText::new(h.get(lang)).color(MUTED));
            }
            ui.end_row();
            for r in rows.iter().filter(|r| r.entry.case_id == case) {
                board_row(ui, r, lang);
                ui.end_row();
            }
        });
}

fn board_row(ui: &mut egui::Ui, r: &Ranked, lang: Lang) {
    let e = &r.entry;
    let rank = egui::RichText::new(r.rank.to_string()).size(18.0).strong();
    ui.label(if r.rank == 1 {
        rank.color(ACCENT)
    } else {
        rank
    });
    let mut name = e.trainee.clone();
    if let Some(code) = &e.class_code {
        name.push_str(&format!(" · {code}"));
    }
    ui.label(egui::RichText::new(name).size(18.0));
    ui.label(
        egui::RichText::new(format!("{:.1}", e.summary.score))
            .size(18.0)
            .strong(),
    );
    let grade_color = match e.summary.grade.as_str() {
        "A" | "B" => GOOD,
        "C" => ACCENT,
        _ => BAD,
    };
    ui.label(
        egui::RichText::new(&e.summary.grade)
            .size(18.0)
            .color(grade_color),
    );
    ui.label(outcome_label(&e.summary.outcome).get(lang));
    ui.label(e.summary.turns.to_string());
    ui.label(egui::RichText::new(format_utc(e.played_at)).color(MUTED));
}
