//! Title: the trainee's name, the language, exam mode, the seed, and the case picker.

use crate::Screen;
use crate::data::Catalog;
use crate::flow::Flow;
use crate::meeting::{Notice, PickCase, Settings};
use crate::results::{Class, JoinClass, LeaveClass, class_label};
use crate::ui::{ACCENT, BAD, GOOD, MUTED, UiSet, card, root, stars, t, top_bar};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use sim::Scenarios;
use sim::scenario::{Case, Persona};
use sim::text::{Lang, yuan};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        title_ui.in_set(UiSet).run_if(in_state(Screen::Title)),
    );
}

#[allow(clippy::too_many_arguments)] // a Bevy system: each argument is a resource it reads or a message it sends
fn title_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    catalog: Res<Catalog>,
    notice: Res<Notice>,
    mut pick: MessageWriter<PickCase>,
    mut class: ResMut<Class>,
    mut join: MessageWriter<JoinClass>,
    mut leave: MessageWriter<LeaveClass>,
    mut flow: MessageWriter<Flow>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let lang = settings.lang;
    top_bar(
        &mut root,
        &mut settings,
        t(lang, "选择案例", "Choose a case"),
    );
    let Some(sc) = catalog.scenarios.clone() else {
        return Ok(());
    };
    egui::CentralPanel::default().show(&mut root, |ui| {
        trainee_settings(ui, lang, &mut settings, &mut flow);
        class_row(
            ui, lang, &mut class, &settings, &mut join, &mut leave, &mut pick,
        );
        if let Some(n) = &notice.0 {
            ui.colored_label(BAD, n.get(lang));
        }
        if !catalog.diagnostics.is_empty() {
            ui.colored_label(
                BAD,
                t(
                    lang,
                    "场景文件有错误（仍在使用上一个正确版本）：",
                    "Scenario files have errors (the last good version stays in play):",
                ),
            );
            for d in &catalog.diagnostics {
                ui.monospace(d.to_string());
            }
        }
        case_grid(ui, &sc, lang, &mut settings, &mut pick);
    });
    Ok(())
}

/// The trainee's name, exam mode, the seed, and the way to the leaderboard.
fn trainee_settings(
    ui: &mut egui::Ui,
    lang: Lang,
    settings: &mut Settings,
    flow: &mut MessageWriter<Flow>,
) {
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(t(lang, "学员姓名：", "Trainee name:"));
        ui.add(
            egui::TextEdit::singleline(&mut settings.trainee)
                .desired_width(220.0)
                .hint_text(t(lang, "请输入姓名", "your name")),
        );
        ui.add_space(24.0);
        ui.checkbox(
            &mut settings.exam,
            t(
                lang,
                "考试模式（隐藏战术标签、限时作答）",
                "Exam mode (tactic labels hidden, timed answers)",
            ),
        );
    });
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} {}",
            t(lang, "随机种子：", "Seed:"),
            settings.seed
        ));
        if ui
            .button(t(lang, "同一种子再来一次", "Same seed again"))
            .on_hover_text(t(
                lang,
                "和上次遇到同一个欠款人、同样的借口",
                "Meet the same debtor with the same excuses",
            ))
            .clicked()
        {
            // The seed stays as it is.
        }
        if ui.button(t(lang, "换一个种子", "New seed")).clicked() {
            settings.seed = new_seed(settings.seed);
        }
        ui.add_space(24.0);
        if ui.button(t(lang, "排行榜", "Leaderboard")).clicked() {
            flow.write(Flow::ToLeaderboard);
        }
    });
}

/// The cases as cards, easiest first, two or three to a row.
fn case_grid(
    ui: &mut egui::Ui,
    sc: &Scenarios,
    lang: Lang,
    settings: &mut Settings,
    pick: &mut MessageWriter<PickCase>,
) {
    ui.add_space(10.0);
    egui::ScrollArea::vertical().show(ui, |ui| {
        let width = ui.available_width();
        let cols = if width > 1100.0 { 3 } else { 2 };
        let card_w = (width - 24.0 * cols as f32) / cols as f32;
        egui::Grid::new("cases")
            .spacing([18.0, 18.0])
            .show(ui, |ui| {
                let mut cases: Vec<_> = sc.cases.iter().collect();
                cases.sort_by_key(|c| (c.difficulty, c.amount));
                for (i, case) in cases.into_iter().enumerate() {
                    let persona = sc.persona(&case.persona);
                    ui.vertical(|ui| {
                        ui.set_width(card_w);
                        card(ui, |ui| {
                            case_card(ui, case, persona, card_w, lang, settings, pick)
                        });
                    });
                    if i % cols == cols - 1 {
                        ui.end_row();
                    }
                }
            });
    });
}

/// One case's card: title, stars, debtor, industry and amount, brief, and its button.
fn case_card(
    ui: &mut egui::Ui,
    case: &Case,
    persona: Option<&Persona>,
    card_w: f32,
    lang: Lang,
    settings: &mut Settings,
    pick: &mut MessageWriter<PickCase>,
) {
    ui.set_width(card_w - 28.0);
    ui.label(
        egui::RichText::new(case.title.get(lang))
            .size(21.0)
            .strong(),
    );
    ui.label(egui::RichText::new(stars(case.difficulty)).color(ACCENT));
    if let Some(p) = persona {
        ui.label(format!(
            "{} · {}",
            p.name.get(lang),
            p.motive.name().get(lang)
        ));
    }
    ui.label(
        egui::RichText::new(format!(
            "{} · {}",
            case.industry.get(lang),
            yuan(case.amount)
        ))
        .color(MUTED),
    );
    ui.add_space(4.0);
    ui.label(egui::RichText::new(case.brief.get(lang)).size(15.0));
    ui.add_space(6.0);
    if ui
        .button(egui::RichText::new(t(lang, "准备这个案例 →", "Prepare this case →")).strong())
        .clicked()
    {
        settings.case = Some(case.id.clone());
        pick.write(PickCase {
            case: case.id.clone(),
            seed: settings.seed,
        });
    }
}

/// Joining a class: server and code, or the joined class with its case.
fn class_row(
    ui: &mut egui::Ui,
    lang: sim::text::Lang,
    class: &mut Class,
    settings: &Settings,
    join: &mut MessageWriter<JoinClass>,
    leave: &mut MessageWriter<LeaveClass>,
    pick: &mut MessageWriter<PickCase>,
) {
    ui.horizontal(|ui| {
        if let Some(link) = class.link.clone() {
            ui.label(
                egui::RichText::new(class_label(&link).get(lang))
                    .color(GOOD)
                    .strong(),
            );
            if ui
                .button(
                    egui::RichText::new(t(lang, "开始课堂案例 →", "Play the class case →"))
                        .strong(),
                )
                .clicked()
            {
                pick.write(PickCase {
                    case: link.class.case.clone(),
                    seed: link.class.seed,
                });
            }
            if ui.button(t(lang, "退出课堂", "Leave the class")).clicked() {
                leave.write(LeaveClass);
            }
            if settings.trainee.trim().is_empty() {
                ui.colored_label(
                    ACCENT,
                    t(
                        lang,
                        "请先填写姓名，排行榜上会显示。",
                        "Type your name first: the leaderboard shows it.",
                    ),
                );
            }
            return;
        }
        ui.label(t(lang, "加入课堂：", "Join a class:"));
        ui.add(
            egui::TextEdit::singleline(&mut class.server_field)
                .desired_width(260.0)
                .hint_text("http://192.168.1.20:7878"),
        );
        ui.add(
            egui::TextEdit::singleline(&mut class.code_field)
                .desired_width(110.0)
                .hint_text(t(lang, "加入代码", "join code")),
        );
        let busy = class.joining.is_some();
        let ready = !class.server_field.trim().is_empty();
        if ui
            .add_enabled(!busy && ready, egui::Button::new(t(lang, "加入", "Join")))
            .clicked()
        {
            join.write(JoinClass {
                server: class.server_field.clone(),
                code: class.code_field.clone(),
            });
        }
        if busy {
            ui.spinner();
        }
        if let Some(e) = &class.error {
            ui.colored_label(BAD, e);
        }
    });
}

/// A new seed, different from the last, mixed with the clock.
fn new_seed(last: u64) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mixed = (now ^ last.rotate_left(17)).wrapping_mul(0x9E37_79B9_7F4A_7C15) % 1_000_000;
    if mixed == last { mixed + 1 } else { mixed }
}
