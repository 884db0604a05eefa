//! Debrief: the outcome, the grade, the rubric with a note and course principle per item, the
//! transcript with what every line did, a plot of mood, trust, face and patience over the turns,
//! and "retry from turn N".

use crate::engine::coach::{CoachView, Coaching, coach};
use crate::engine::debtor::DebtorState;
use crate::engine::text::Lang;
use crate::engine::transcript::Transcript;
use crate::game::Screen;
use crate::game::results::{ClassSubmit, LastResult, ShowLeaderboard};
use crate::game::session::{BackToTitle, RetryFrom, Session, Settings};
use crate::game::ui::{ACCENT, BAD, GOOD, MUTED, UiSet, card, root, t, top_bar};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{Legend, Line, Plot};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        debrief_ui.in_set(UiSet).run_if(in_state(Screen::Debrief)),
    );
}

/// The transcript, rendered once per language rather than every frame.
#[derive(Default)]
struct Cached {
    key: Option<(usize, u64, Lang)>,
    transcript: Option<Transcript>,
    /// The coaching search, run once per meeting (not again when the language changes).
    coached: Option<((usize, u64), Option<Coaching>)>,
}

#[allow(clippy::too_many_arguments)] // a Bevy system: each argument is a resource it reads or a message it sends
fn debrief_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    session: Option<Res<Session>>,
    mut retry_turn: Local<usize>,
    mut cache: Local<Cached>,
    mut retry: MessageWriter<RetryFrom>,
    mut back: MessageWriter<BackToTitle>,
    last: Res<LastResult>,
    mut show: MessageWriter<ShowLeaderboard>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let lang = settings.lang;
    let Some(session) = session else {
        return Ok(());
    };
    let n = &session.negotiation;
    let meeting = (n.turns.len(), n.seed);
    if cache.coached.as_ref().map(|c| c.0) != Some(meeting) {
        let coached = coach(n);
        if let Some(c) = &coached {
            *retry_turn = (c.turn as usize).saturating_sub(1);
        }
        cache.coached = Some((meeting, coached));
        cache.key = None;
    }
    let key = (n.turns.len(), n.seed, lang);
    if cache.key != Some(key) {
        let mut tr = Transcript::of(n, lang);
        tr.coaching = cache
            .coached
            .as_ref()
            .and_then(|c| c.1.as_ref())
            .map(|c| CoachView::of(n, c, lang));
        cache.transcript = Some(tr);
        cache.key = Some(key);
    }
    let Some(tr) = cache.transcript.as_ref() else {
        return Ok(());
    };
    top_bar(
        &mut root,
        &mut settings,
        &format!(
            "{} · {}",
            t(lang, "复盘", "Debrief"),
            n.bundle.case.title.get(lang)
        ),
    );

    egui::Panel::top("result")
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(18, 10)))
        .show(&mut root, |ui| {
            ui.horizontal(|ui| {
                let color = match tr.score.grade.as_str() {
                    "A" | "B" => GOOD,
                    "C" => ACCENT,
                    _ => BAD,
                };
                ui.label(
                    egui::RichText::new(&tr.score.grade)
                        .size(56.0)
                        .strong()
                        .color(color),
                );
                ui.vertical(|ui| {
                    ui.label(
                        egui::RichText::new(format!(
                            "{:.1} / 100 · {}",
                            tr.score.total,
                            tr.score.grade_label.get(lang)
                        ))
                        .size(26.0)
                        .strong(),
                    );
                    if let Some(o) = &tr.outcome {
                        ui.label(egui::RichText::new(o).size(19.0));
                    }
                });
                ui.add_space(40.0);
                ui.vertical(|ui| result_status(ui, &last, lang));
            });
            if let Some(c) = &tr.coaching
                && coaching(ui, c, lang)
            {
                retry.write(RetryFrom {
                    turns: (c.turn as usize).saturating_sub(1),
                });
            }
            ui.horizontal(|ui| {
                let turns = n.turns.len();
                if turns > 1 {
                    *retry_turn = (*retry_turn).min(turns - 1);
                    ui.label(t(lang, "重来：保留前", "Retry, keeping the first"));
                    ui.add(egui::Slider::new(&mut *retry_turn, 0..=turns - 1));
                    ui.label(t(lang, "句，然后换一种说法", "lines, then try another"));
                    if ui
                        .button(
                            egui::RichText::new(t(lang, "从这一回合重来", "Retry from this turn"))
                                .color(ACCENT),
                        )
                        .clicked()
                    {
                        retry.write(RetryFrom { turns: *retry_turn });
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(t(lang, "返回首页", "Back to the cases"))
                        .clicked()
                    {
                        back.write(BackToTitle);
                    }
                    if ui.button(t(lang, "排行榜", "Leaderboard")).clicked() {
                        show.write(ShowLeaderboard);
                    }
                });
            });
        });

    egui::Panel::left("rubric")
        .exact_size(560.0)
        .show(&mut root, |ui| {
            ui.add_space(6.0);
            ui.heading(t(lang, "评分细则", "Rubric"));
            egui::ScrollArea::vertical()
                .id_salt("debrief_rubric")
                .show(ui, |ui| {
                    for it in &tr.score.items {
                        card(ui, |ui| {
                            ui.set_width(ui.available_width());
                            ui.horizontal(|ui| {
                                let (mark, color) = if !it.arose {
                                    ("–", MUTED)
                                } else if it.missed {
                                    ("×", BAD)
                                } else {
                                    ("✓", GOOD)
                                };
                                ui.label(
                                    egui::RichText::new(mark).color(color).strong().size(22.0),
                                );
                                ui.label(egui::RichText::new(it.name.get(lang)).strong());
                                ui.with_layout(
                                    egui::Layout::right_to_left(egui::Align::Center),
                                    |ui| {
                                        ui.label(
                                            egui::RichText::new(format!(
                                                "{:.1} / {}",
                                                it.points, it.max
                                            ))
                                            .color(MUTED),
                                        );
                                    },
                                );
                            });
                            ui.label(egui::RichText::new(it.note.get(lang)).size(15.0));
                            ui.label(
                                egui::RichText::new(it.principle.get(lang))
                                    .size(13.0)
                                    .italics()
                                    .color(ACCENT),
                            );
                        });
                        ui.add_space(4.0);
                    }
                });
        });

    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.label(
            egui::RichText::new(t(
                lang,
                "每一回合后的对方状态",
                "The debtor after each turn",
            ))
            .strong(),
        );
        let states: Vec<DebtorState> = std::iter::once(n.start)
            .chain(n.turns.iter().map(|t| t.after))
            .collect();
        let series = |f: fn(&DebtorState) -> f64| -> Vec<[f64; 2]> {
            states
                .iter()
                .enumerate()
                .map(|(i, s)| [i as f64, f(s)])
                .collect()
        };
        Plot::new("curve")
            .height(260.0)
            // Room below 0, where no curve goes, for the legend.
            .include_y(-0.8)
            .include_y(1.0)
            .legend(
                Legend::default()
                    .position(egui_plot::Corner::LeftBottom)
                    .text_style(egui::TextStyle::Small),
            )
            .x_axis_label(t(lang, "回合", "turn"))
            .allow_scroll(false)
            .show(ui, |plot| {
                plot.line(
                    Line::new(
                        t(lang, "心情", "Mood"),
                        series(|s| (s.mood.pleasure + 1.0) / 2.0),
                    )
                    .color(egui::Color32::from_rgb(110, 160, 210)),
                );
                plot.line(Line::new(t(lang, "信任", "Trust"), series(|s| s.trust)).color(GOOD));
                plot.line(
                    Line::new(t(lang, "面子", "Face"), series(|s| s.face))
                        .color(egui::Color32::from_rgb(200, 150, 90)),
                );
                plot.line(
                    Line::new(t(lang, "耐心", "Patience"), series(|s| s.patience))
                        .color(egui::Color32::from_rgb(170, 130, 200)),
                );
                plot.line(
                    Line::new(
                        t(lang, "付款意愿", "Willingness"),
                        series(|s| s.willingness),
                    )
                    .color(ACCENT),
                );
            });
        ui.add_space(6.0);
        ui.label(egui::RichText::new(t(lang, "逐句回放", "Line by line")).strong());
        egui::ScrollArea::vertical()
            .id_salt("debrief_transcript")
            .show(ui, |ui| {
                for turn in &tr.transcript {
                    card(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            egui::RichText::new(format!(
                                "{} {} · {}",
                                t(lang, "回合", "Turn"),
                                turn.turn,
                                turn.stage
                            ))
                            .color(MUTED)
                            .size(13.0),
                        );
                        ui.label(format!("{}{}", t(lang, "你：", "You: "), turn.trainee));
                        ui.label(
                            egui::RichText::new(format!(
                                "{}{}",
                                t(lang, "对方：", "Debtor: "),
                                turn.debtor
                            ))
                            .color(egui::Color32::from_rgb(225, 205, 170)),
                        );
                        let d = &turn.change;
                        let fmt = |name: &str, v: f64| {
                            if v.abs() >= 0.005 {
                                format!("{name} {:+.0}  ", v * 100.0)
                            } else {
                                String::new()
                            }
                        };
                        let deltas = format!(
                            "{}{}{}{}{}",
                            fmt(t(lang, "心情", "mood"), d.pleasure / 2.0),
                            fmt(t(lang, "信任", "trust"), d.trust),
                            fmt(t(lang, "面子", "face"), d.face),
                            fmt(t(lang, "意愿", "willingness"), d.willingness),
                            fmt(t(lang, "耐心", "patience"), d.patience),
                        );
                        if !deltas.is_empty() {
                            ui.label(
                                egui::RichText::new(deltas)
                                    .monospace()
                                    .size(13.0)
                                    .color(ACCENT),
                            );
                        }
                        for note in &turn.notes {
                            ui.label(
                                egui::RichText::new(format!("· {note}"))
                                    .italics()
                                    .size(14.0)
                                    .color(MUTED),
                            );
                        }
                    });
                    ui.add_space(3.0);
                }
            });
    });
    Ok(())
}

/// Where this result went: the local leaderboard, and the class server's verdict.
/// The costliest turn and a better line there; true when "retry from this turn" is clicked.
fn coaching(ui: &mut egui::Ui, c: &CoachView, lang: Lang) -> bool {
    let mut clicked = false;
    ui.group(|ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(c.heading(lang)).strong().color(BAD));
            clicked = ui
                .button(
                    egui::RichText::new(match lang {
                        Lang::Zh => format!("从第 {} 轮重来", c.turn),
                        Lang::En => format!("Retry from turn {}", c.turn),
                    })
                    .color(ACCENT),
                )
                .clicked();
        });
        ui.label(
            egui::RichText::new(format!(
                "{}{}",
                t(lang, "你说：", "You said: "),
                c.said_text
            ))
            .color(MUTED),
        );
        ui.label(
            egui::RichText::new(format!(
                "{}{}",
                t(lang, "更好的一句：", "Better: "),
                c.better_text
            ))
            .color(GOOD),
        );
        ui.label(
            egui::RichText::new(format!(
                "{}{}",
                t(lang, "原则：", "Principle: "),
                c.principle
            ))
            .italics(),
        );
    });
    clicked
}

fn result_status(ui: &mut egui::Ui, last: &LastResult, lang: Lang) {
    match &last.local {
        Some(Ok(())) => {
            ui.colored_label(
                MUTED,
                t(lang, "已记入本机排行榜", "Saved to the local leaderboard"),
            );
        }
        Some(Err(e)) => {
            ui.colored_label(
                BAD,
                format!(
                    "{} {e}",
                    t(
                        lang,
                        "未能记入本机排行榜：",
                        "Not saved to the local leaderboard:"
                    )
                ),
            );
        }
        None => {}
    }
    match &last.class {
        ClassSubmit::None => {}
        ClassSubmit::Sending(_) => {
            ui.colored_label(
                ACCENT,
                t(lang, "正在提交到课堂……", "Submitting to the class…"),
            );
        }
        ClassSubmit::Sent(r) => {
            ui.label(
                egui::RichText::new(match lang {
                    Lang::Zh => format!(
                        "课堂成绩（服务器复算）：{:.1}（{}）· 第 {} 名 / 共 {} 次",
                        r.score, r.grade, r.rank, r.of
                    ),
                    Lang::En => format!(
                        "Class score (replayed by the server): {:.1} ({}) · rank {} of {}",
                        r.score, r.grade, r.rank, r.of
                    ),
                })
                .color(GOOD)
                .size(18.0),
            );
        }
        ClassSubmit::Failed(e) => {
            ui.colored_label(
                BAD,
                format!(
                    "{} {e}",
                    t(lang, "提交到课堂失败：", "Could not submit to the class:")
                ),
            );
        }
    }
}
