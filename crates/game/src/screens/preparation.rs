//! Case file and preparation (知己知彼): the facts, the people, the debtor's finance, and the
//! preparations the trainee picks within the case's budget.

use crate::Screen;
use crate::flow::Flow;
use crate::meeting::{BeginMeeting, Notice, Pending, Settings};
use crate::ui::{ACCENT, BAD, MUTED, UiSet, card, root, stars, t, top_bar};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use sim::CaseBundle;
use sim::text::{Lang, yuan};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        preparation_ui
            .in_set(UiSet)
            .run_if(in_state(Screen::Preparation)),
    );
}

fn preparation_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    pending: Option<ResMut<Pending>>,
    notice: Res<Notice>,
    mut begin: MessageWriter<BeginMeeting>,
    mut flow: MessageWriter<Flow>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let lang = settings.lang;
    let Some(mut pending) = pending else {
        return Ok(());
    };
    let b = pending.bundle.clone();
    let case = &b.case;
    top_bar(
        &mut root,
        &mut settings,
        &format!(
            "{} · {}",
            t(lang, "案例资料与会前准备", "Case file and preparation"),
            case.title.get(lang)
        ),
    );
    egui::Panel::right("preps")
        .exact_size(440.0)
        .show(&mut root, |ui| {
            if let Some(ask) = preparations(ui, &b, &mut pending.preparations, &notice, lang) {
                match ask {
                    Ask::Back => {
                        flow.write(Flow::ToTitle);
                    }
                    Ask::Begin => {
                        begin.write(BeginMeeting {
                            preparations: pending.preparations.clone(),
                        });
                    }
                }
            }
        });
    egui::CentralPanel::default().show(&mut root, |ui| case_file(ui, &b, lang));
    Ok(())
}

/// What the trainee asked for on this screen.
enum Ask {
    Back,
    Begin,
}

/// The preparations on offer as check cards within the budget, and the way on.
fn preparations(
    ui: &mut egui::Ui,
    b: &CaseBundle,
    picked: &mut Vec<String>,
    notice: &Notice,
    lang: Lang,
) -> Option<Ask> {
    let case = &b.case;
    ui.add_space(8.0);
    ui.heading(t(lang, "会前准备", "Preparation"));
    let budget = usize::from(case.prep_budget);
    ui.label(
        egui::RichText::new(format!(
            "{} {} / {}",
            t(lang, "已选", "Picked"),
            picked.len(),
            budget
        ))
        .color(ACCENT),
    );
    ui.label(
        egui::RichText::new(t(
            lang,
            "知己知彼：准备决定了你能说哪些话、能回应哪些借口。",
            "Know yourself, know them: what you prepare decides which lines and counters you have.",
        ))
        .color(MUTED)
        .size(15.0),
    );
    ui.add_space(6.0);
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 70.0)
        .show(ui, |ui| {
            for &pi in &b.offered {
                prep_card(ui, &b.preparations[pi], picked, budget, lang);
                ui.add_space(4.0);
            }
        });
    if let Some(n) = &notice.0 {
        ui.colored_label(BAD, n.get(lang));
    }
    let mut ask = None;
    ui.horizontal(|ui| {
        if ui.button(t(lang, "← 返回", "← Back")).clicked() {
            ask = Some(Ask::Back);
        }
        if ui
            .button(
                egui::RichText::new(t(lang, "开始会谈 →", "Start the meeting →"))
                    .strong()
                    .color(ACCENT),
            )
            .clicked()
        {
            ask = Some(Ask::Begin);
        }
    });
    ask
}

/// One preparation as a check card; it cannot be ticked past the budget.
fn prep_card(
    ui: &mut egui::Ui,
    p: &sim::scenario::Preparation,
    picked: &mut Vec<String>,
    budget: usize,
    lang: Lang,
) {
    let mut on = picked.contains(&p.id);
    let full = picked.len() >= budget;
    card(ui, |ui| {
        ui.set_width(390.0);
        let resp = ui.add_enabled(
            on || !full,
            egui::Checkbox::new(&mut on, egui::RichText::new(p.name.get(lang)).strong()),
        );
        if resp.changed() {
            if on {
                picked.push(p.id.clone());
            } else {
                picked.retain(|x| x != &p.id);
            }
        }
        ui.label(
            egui::RichText::new(p.description.get(lang))
                .size(15.0)
                .color(MUTED),
        );
    });
}

/// The case file: title, industry, amount and difficulty, brief, sections and the debtor.
fn case_file(ui: &mut egui::Ui, b: &CaseBundle, lang: Lang) {
    let case = &b.case;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(8.0);
        ui.label(
            egui::RichText::new(case.title.get(lang))
                .size(28.0)
                .strong(),
        );
        ui.label(
            egui::RichText::new(format!(
                "{} · {} · {}",
                case.industry.get(lang),
                yuan(case.amount),
                stars(case.difficulty)
            ))
            .color(ACCENT),
        );
        ui.add_space(6.0);
        ui.label(case.brief.get(lang));
        ui.add_space(8.0);
        for s in &case.sections {
            card(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    egui::RichText::new(s.title.get(lang))
                        .strong()
                        .color(ACCENT),
                );
                ui.label(s.body.get(lang));
            });
            ui.add_space(6.0);
        }
        card(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                egui::RichText::new(format!(
                    "{}{}",
                    t(lang, "对方：", "The debtor: "),
                    b.persona.name.get(lang)
                ))
                .strong()
                .color(ACCENT),
            );
            ui.label(b.persona.description.get(lang));
        });
    });
}
