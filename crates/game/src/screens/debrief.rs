//! Debrief: the outcome, the grade, the costliest turn with a better line, the rubric with a
//! note and course principle per item, a plot of mood, trust, face and patience over the turns,
//! the transcript with what every line did, and "retry from turn N". One function per panel;
//! the coaching is searched once as the debrief opens (`meeting::Coached`).

use crate::Screen;
use crate::flow::Flow;
use crate::meeting::{Coached, CurrentMeeting, RetryFrom, Settings};
use crate::results::{ClassSubmit, LastResult};
use crate::ui::{ACCENT, BAD, GOOD, MUTED, UiSet, card, root, t, top_bar};
use analysis::coach::{CoachView, ReviewView, Reviewed};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{Legend, Line, Plot};
use sim::debtor::DebtorState;
use sim::meeting::Meeting;
use sim::text::Lang;
use sim::transcript::Transcript;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        debrief_ui.in_set(UiSet).run_if(in_state(Screen::Debrief)),
    );
}

/// The transcript, rendered once per meeting and language rather than every frame, and the
/// retry slider's position (set to the coached turn when a new meeting is shown).
#[derive(Default)]
struct Cached {
    meeting: Option<(usize, u64)>,
    transcript: Option<Reviewed>,
    retry_turn: usize,
}

/// What the trainee asked for on this screen.
enum Ask {
    Retry(usize),
    Go(Flow),
}

fn debrief_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    current: Option<Res<CurrentMeeting>>,
    coached: Res<Coached>,
    mut cache: Local<Cached>,
    last: Res<LastResult>,
    (mut retry, mut flow): (MessageWriter<RetryFrom>, MessageWriter<Flow>),
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let lang = settings.lang;
    let Some(current) = current else {
        return Ok(());
    };
    let n = &current.meeting;
    let cache = &mut *cache;
    refresh(cache, n, &coached, lang);
    let Some(tr) = cache.transcript.as_ref() else {
        return Ok(());
    };
    let heading = format!(
        "{} · {}",
        t(lang, "复盘", "Debrief"),
        n.bundle.case.title.get(lang)
    );
    top_bar(&mut root, &mut settings, &heading);
    let ask = result_panel(&mut root, n, tr, &last, &mut cache.retry_turn, lang);
    rubric_panel(&mut root, &tr.transcript, lang);
    egui::CentralPanel::default().show(&mut root, |ui| {
        curve(ui, n, lang);
        ui.add_space(6.0);
        line_by_line(ui, tr, lang);
    });
    match ask {
        Some(Ask::Retry(turns)) => {
            retry.write(RetryFrom { turns });
        }
        Some(Ask::Go(to)) => {
            flow.write(to);
        }
        None => {}
    }
    Ok(())
}

/// Renders the transcript for a new meeting or language; a new meeting also moves the retry
/// slider to the coached turn.
fn refresh(cache: &mut Cached, n: &Meeting, coached: &Coached, lang: Lang) {
    let meeting = (n.turns.len(), n.seed);
    if cache.meeting != Some(meeting) {
        cache.meeting = Some(meeting);
        cache.retry_turn = coached
            .0
            .as_ref()
            .and_then(|r| r.coached.first())
            .map_or(0, |c| (c.turn as usize).saturating_sub(1));
        cache.transcript = None;
    }
    if cache.transcript.as_ref().map(|t| t.transcript.lang) != Some(lang) {
        let tr = Transcript::of(n, lang);
        cache.transcript = Some(match &coached.0 {
            Some(r) => Reviewed::with(n, tr, r),
            None => Reviewed::plain(tr),
        });
    }
}

/// The grade and outcome, where the result went, the coaching card and the retry controls.
fn result_panel(
    root: &mut egui::Ui,
    n: &Meeting,
    tr: &Reviewed,
    last: &LastResult,
    retry_turn: &mut usize,
    lang: Lang,
) -> Option<Ask> {
    let mut ask = None;
    egui::Panel::top("result")
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(18, 10)))
        .show(root, |ui| {
            ui.horizontal(|ui| {
                grade(ui, &tr.transcript, lang);
                ui.add_space(40.0);
                ui.vertical(|ui| result_status(ui, last, lang));
            });
            if let Some(r) = &tr.review
                && let Some(turn) = review(ui, r, lang)
            {
                ask = Some(Ask::Retry((turn as usize).saturating_sub(1)));
            }
            ui.horizontal(|ui| {
                if let Some(a) = retry_controls(ui, n.turns.len(), retry_turn, lang) {
                    ask = Some(a);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(t(lang, "返回首页", "Back to the cases"))
                        .clicked()
                    {
                        ask = Some(Ask::Go(Flow::ToTitle));
                    }
                    if ui.button(t(lang, "排行榜", "Leaderboard")).clicked() {
                        ask = Some(Ask::Go(Flow::ToLeaderboard));
                    }
                });
            });
        });
    ask
}

fn grade(ui: &mut egui::Ui, tr: &Transcript, lang: Lang) {
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
        let total = format!(
            "{:.1} / 100 · {}",
            tr.score.total,
            tr.score.grade_label.get(lang)
        );
        ui.label(egui::RichText::new(total).size(26.0).strong());
        if let Some(o) = &tr.outcome {
            ui.label(egui::RichText::new(o).size(19.0));
        }
    });
}

/// "Retry, keeping the first N lines": a slider and a button.
fn retry_controls(
    ui: &mut egui::Ui,
    turns: usize,
    retry_turn: &mut usize,
    lang: Lang,
) -> Option<Ask> {
    if turns <= 1 {
        return None;
    }
    *retry_turn = (*retry_turn).min(turns - 1);
    ui.label(t(lang, "重来：保留前", "Retry, keeping the first"));
    ui.add(egui::Slider::new(retry_turn, 0..=turns - 1));
    ui.label(t(lang, "句，然后换一种说法", "lines, then try another"));
    let button = egui::RichText::new(t(lang, "从这一轮重来", "Retry from this turn")).color(ACCENT);
    ui.button(button)
        .clicked()
        .then_some(Ask::Retry(*retry_turn))
}

/// Each rubric item: whether it arose, points, the note about this meeting and the principle.
fn rubric_panel(root: &mut egui::Ui, tr: &Transcript, lang: Lang) {
    egui::Panel::left("rubric")
        .exact_size(560.0)
        .show(root, |ui| {
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
                                        let points = format!("{:.1} / {}", it.points, it.max);
                                        ui.label(egui::RichText::new(points).color(MUTED));
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
}

/// One of the debtor's measures, read from a state.
type Measure = fn(&DebtorState) -> f64;

/// The debtor's mood, trust, face, patience and willingness after each turn.
fn curve(ui: &mut egui::Ui, n: &Meeting, lang: Lang) {
    let title = t(lang, "每一轮后的对方状态", "The debtor after each turn");
    ui.label(egui::RichText::new(title).strong());
    let states: Vec<DebtorState> = std::iter::once(n.start)
        .chain(n.turns.iter().map(|t| t.after))
        .collect();
    let series = |f: Measure| -> Vec<[f64; 2]> {
        let points = states.iter().enumerate();
        points.map(|(i, s)| [i as f64, f(s)]).collect()
    };
    let lines: [(&str, Measure, egui::Color32); 5] = [
        (
            t(lang, "心情", "Mood"),
            |s| (s.mood.pleasure + 1.0) / 2.0,
            egui::Color32::from_rgb(110, 160, 210),
        ),
        (t(lang, "信任", "Trust"), |s| s.trust, GOOD),
        (
            t(lang, "面子", "Face"),
            |s| s.face,
            egui::Color32::from_rgb(200, 150, 90),
        ),
        (
            t(lang, "耐心", "Patience"),
            |s| s.patience,
            egui::Color32::from_rgb(170, 130, 200),
        ),
        (
            t(lang, "付款意愿", "Willingness"),
            |s| s.willingness,
            ACCENT,
        ),
    ];
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
        .x_axis_label(t(lang, "轮", "turn"))
        .allow_scroll(false)
        .show(ui, |plot| {
            for (name, f, color) in lines {
                plot.line(Line::new(name, series(f)).color(color));
            }
        });
}

/// The transcript: each turn's lines, the changes it made and its notes.
fn line_by_line(ui: &mut egui::Ui, tr: &Reviewed, lang: Lang) {
    ui.label(egui::RichText::new(t(lang, "逐句回放", "Line by line")).strong());
    egui::ScrollArea::vertical()
        .id_salt("debrief_transcript")
        .show(ui, |ui| {
            for turn in &tr.transcript.transcript {
                card(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let mark = tr
                        .review
                        .as_ref()
                        .and_then(|r| r.turns.iter().find(|m| m.turn as usize == turn.turn))
                        .map(|m| format!(" · {} {}", m.mark.sign(), m.mark_name))
                        .unwrap_or_default();
                    let head = match lang {
                        Lang::Zh => format!("第 {} 轮 · {}{mark}", turn.turn, turn.stage),
                        Lang::En => format!("Turn {} · {}{mark}", turn.turn, turn.stage),
                    };
                    ui.label(egui::RichText::new(head).color(MUTED).size(13.0));
                    ui.label(format!("{}{}", t(lang, "你：", "You: "), turn.trainee));
                    let debtor = format!("{}{}", t(lang, "对方：", "Debtor: "), turn.debtor);
                    let sand = egui::Color32::from_rgb(225, 205, 170);
                    ui.label(egui::RichText::new(debtor).color(sand));
                    let deltas = deltas(&turn.change, lang);
                    if !deltas.is_empty() {
                        let text = egui::RichText::new(deltas).monospace().size(13.0);
                        ui.label(text.color(ACCENT));
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
}

/// The changes a turn made, as signed percentage points ("mood +5  trust -3").
fn deltas(d: &sim::scenario::Effect, lang: Lang) -> String {
    let fmt = |name: &str, v: f64| {
        if v.abs() >= 0.005 {
            format!("{name} {:+.0}  ", v * 100.0)
        } else {
            String::new()
        }
    };
    format!(
        "{}{}{}{}{}",
        fmt(t(lang, "心情", "mood"), d.pleasure / 2.0),
        fmt(t(lang, "信任", "trust"), d.trust),
        fmt(t(lang, "面子", "face"), d.face),
        fmt(t(lang, "意愿", "willingness"), d.willingness),
        fmt(t(lang, "耐心", "patience"), d.patience),
    )
}

/// The turn-by-turn review: the accuracy, then each coached turn side by side; the turn whose
/// "retry from this turn" was clicked.
fn review(ui: &mut egui::Ui, r: &ReviewView, lang: Lang) -> Option<u32> {
    ui.label(egui::RichText::new(r.summary(lang)).strong());
    let mut retry = None;
    if r.coached.is_empty() {
        return None;
    }
    ui.columns(r.coached.len(), |cols| {
        for (col, c) in cols.iter_mut().zip(&r.coached) {
            if coaching(col, c, lang) {
                retry = Some(c.turn);
            }
        }
    });
    retry
}

/// A coached turn and the better line there; true when "retry from this turn" is clicked.
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
            egui::RichText::new(match lang {
                Lang::Zh => format!("这样说，再按课程谈下去：约 {:.1} 分", c.better_score),
                Lang::En => format!(
                    "Said instead, with the course's way after it: about {:.1}",
                    c.better_score
                ),
            })
            .size(13.0)
            .color(MUTED),
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

/// Where this result went: the local leaderboard, and the class server's verdict.
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
                        "课堂成绩（服务器复算）：{:.1}（{}）· 全班第 {} 名 / 共 {} 人",
                        r.score, r.grade, r.rank, r.of
                    ),
                    Lang::En => format!(
                        "Class score (replayed by the server): {:.1} ({}) · class rank {} of {} trainees",
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
