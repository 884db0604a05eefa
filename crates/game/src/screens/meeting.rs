//! The meeting: the debtor's face and meters, the course stage, the dialogue (the debtor's
//! line appears as if typed), the excuse on the table, and the menu of lines (the counters to
//! the excuse first, then by stage). One function per panel; the keyboard lives in
//! [`crate::input`], the typing and meters in [`crate::presentation`].

use super::portrait;
use crate::Screen;
use crate::meeting::{CurrentMeeting, EXAM_SECONDS, SayLine, Settings};
use crate::presentation::Presentation;
use crate::ui::{ACCENT, BAD, CARD, GOOD, MUTED, UiSet, card, meter, root, t, top_bar};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use sim::meeting::{Event, Meeting, Utterance};
use sim::menu::{Group, menu};
use sim::scenario::Stage;
use sim::text::Lang;
use sim::transcript::{event_notes, excuse_on_table, excuse_standing, reply, utterance};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        meeting_ui.in_set(UiSet).run_if(in_state(Screen::Meeting)),
    );
}

/// What every panel reads: the meeting, how it is shown, the language and exam mode.
struct View<'a> {
    n: &'a Meeting,
    current: &'a CurrentMeeting,
    shown: &'a Presentation,
    lang: Lang,
    exam: bool,
}

fn meeting_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    current: Res<CurrentMeeting>,
    shown: Res<Presentation>,
    mut say: MessageWriter<SayLine>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let v = View {
        n: &current.meeting,
        current: &current,
        shown: &shown,
        lang: settings.lang,
        exam: settings.exam,
    };
    let heading = format!(
        "{} · {}",
        t(v.lang, "会谈", "Progress"),
        v.n.bundle.case.title.get(v.lang)
    );
    top_bar(&mut root, &mut settings, &heading);
    stage_panel(&mut root, &v);
    debtor_panel(&mut root, &v);
    if let Some(choice) = choices_panel(&mut root, &v) {
        say.write(SayLine { choice });
    }
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("dialogue")
            .stick_to_bottom(true)
            .auto_shrink([false, false])
            .show(ui, |ui| dialogue(ui, &v));
    });
    Ok(())
}

/// The course's stages, the current one lit, with the turn count and the exam clock.
fn stage_panel(root: &mut egui::Ui, v: &View) {
    let (n, lang) = (v.n, v.lang);
    egui::Panel::top("stages")
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(16, 6)))
        .show(root, |ui| {
            ui.horizontal(|ui| {
                for (i, st) in Stage::ALL.iter().enumerate() {
                    let (fill, text) = if *st == n.progress.stage {
                        (ACCENT, egui::Color32::BLACK)
                    } else if *st < n.progress.stage {
                        (egui::Color32::from_rgb(70, 75, 85), egui::Color32::WHITE)
                    } else {
                        (CARD, MUTED)
                    };
                    egui::Frame::new()
                        .fill(fill)
                        .corner_radius(14.0)
                        .inner_margin(egui::Margin::symmetric(12, 4))
                        .show(ui, |ui| {
                            let name = format!("{}. {}", i + 1, st.name().get(lang));
                            ui.label(egui::RichText::new(name).color(text).size(15.0));
                        });
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    turn_and_clock(ui, v)
                });
            });
        });
}

fn turn_and_clock(ui: &mut egui::Ui, v: &View) {
    let turn = format!(
        "{} {} / {}",
        t(v.lang, "轮次", "Turn"),
        v.n.progress.turn + 1,
        v.n.bundle.case.max_turns
    );
    ui.label(egui::RichText::new(turn).color(MUTED));
    if v.exam {
        let left = (EXAM_SECONDS - v.current.clock).max(0.0);
        let color = if left < 8.0 { BAD } else { ACCENT };
        ui.label(
            egui::RichText::new(format!("⏱ {left:.0}s"))
                .color(color)
                .size(20.0)
                .strong(),
        );
    }
}

/// The debtor: face, name, mood, the four meters and the excuse on the table.
fn debtor_panel(root: &mut egui::Ui, v: &View) {
    let (n, lang) = (v.n, v.lang);
    egui::Panel::left("debtor")
        .exact_size(300.0)
        .show(root, |ui| {
            ui.add_space(10.0);
            ui.vertical_centered(|ui| {
                portrait::face(ui, n.state.mood, 190.0);
                let contact = n.bundle.vars.get("contact").map_or("", |c| c.get(lang));
                ui.label(egui::RichText::new(contact).size(22.0).strong());
                let persona = n.bundle.persona.name.get(lang);
                ui.label(egui::RichText::new(persona).color(MUTED).size(15.0));
                let mood = n.mood();
                let label = format!("{}{}", t(lang, "情绪：", "Mood: "), mood.name().get(lang));
                ui.label(
                    egui::RichText::new(label)
                        .color(portrait::mood_color(mood))
                        .size(18.0)
                        .strong(),
                );
            });
            ui.add_space(8.0);
            meters(ui, v);
            ui.add_space(10.0);
            if let Some(words) = excuse_on_table(n, lang) {
                card(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let title = t(lang, "桌上的借口", "Excuse on the table");
                    ui.label(egui::RichText::new(title).color(BAD).strong());
                    ui.label(words);
                    if let Some(note) = excuse_standing(n, lang) {
                        ui.label(egui::RichText::new(note).italics().size(13.0));
                    }
                });
            }
        });
}

fn meters(ui: &mut egui::Ui, v: &View) {
    let lang = v.lang;
    let [mood, face, trust, patience] = v.shown.meters;
    let blue = egui::Color32::from_rgb(110, 160, 210);
    meter(ui, t(lang, "心情", "Mood"), mood, blue);
    let amber = egui::Color32::from_rgb(200, 150, 90);
    meter(ui, t(lang, "面子", "Face"), face, amber);
    meter(ui, t(lang, "信任", "Trust"), trust, GOOD);
    let violet = egui::Color32::from_rgb(170, 130, 200);
    let color = if patience < 0.3 { BAD } else { violet };
    meter(ui, t(lang, "耐心", "Patience"), patience, color);
}

/// The menu of lines; returns the line clicked, if any.
fn choices_panel(root: &mut egui::Ui, v: &View) -> Option<usize> {
    let lang = v.lang;
    let mut clicked = None;
    egui::Panel::bottom("choices")
        .exact_size(330.0)
        .frame(
            egui::Frame::new()
                .fill(egui::Color32::from_rgb(20, 22, 27))
                .inner_margin(egui::Margin::same(12)),
        )
        .show(root, |ui| {
            let prompt = if v.shown.spoken(v.n) {
                t(
                    lang,
                    "你要怎么说？（数字键，或方向键加回车）",
                    "What do you say? (number keys, or arrows and Enter)",
                )
            } else {
                t(lang, "对方正在说话……", "The debtor is speaking…")
            };
            ui.label(egui::RichText::new(prompt).color(MUTED).size(15.0));
            egui::ScrollArea::vertical()
                .id_salt("choices")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    let mut k = 0;
                    for group in menu(v.n, !v.exam) {
                        if let Some(c) = menu_group(ui, v, &group, &mut k) {
                            clicked = Some(c);
                        }
                    }
                });
        });
    clicked
}

/// One heading of the menu and its lines; `k` counts positions for the number keys.
fn menu_group(ui: &mut egui::Ui, v: &View, group: &Group, k: &mut usize) -> Option<usize> {
    let (b, lang) = (&v.n.bundle, v.lang);
    let color = if group.counters { BAD } else { ACCENT };
    ui.label(
        egui::RichText::new(group.title.get(lang))
            .color(color)
            .size(14.0),
    );
    let mut clicked = None;
    for &i in &group.lines {
        let c = &b.choices[i];
        let key = if *k < 9 {
            format!("{}", *k + 1)
        } else {
            "·".into()
        };
        let fill = if *k == v.shown.cursor {
            egui::Color32::from_rgb(120, 84, 30)
        } else {
            CARD
        };
        *k += 1;
        let resp = egui::Frame::new()
            .fill(fill)
            .corner_radius(8.0)
            .inner_margin(egui::Margin::symmetric(12, 6))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(egui::RichText::new(key).color(ACCENT).strong().size(17.0));
                    ui.label(egui::RichText::new(b.say(&c.text, lang)).size(17.0));
                    if !v.exam {
                        let tactic = b.tactics[c.tactic].name.get(lang);
                        ui.label(egui::RichText::new(tactic).color(MUTED).size(13.0));
                    }
                });
            })
            .response
            .interact(egui::Sense::click())
            .on_hover_cursor(egui::CursorIcon::PointingHand);
        if resp.clicked() {
            clicked = Some(i);
        }
        ui.add_space(2.0);
    }
    clicked
}

fn bubble(ui: &mut egui::Ui, who: &str, text: &str, mine: bool) {
    let layout = if mine {
        egui::Layout::right_to_left(egui::Align::Min)
    } else {
        egui::Layout::left_to_right(egui::Align::Min)
    };
    ui.with_layout(layout, |ui| {
        let max = ui.available_width() * 0.75;
        egui::Frame::new()
            .fill(if mine {
                egui::Color32::from_rgb(52, 70, 96)
            } else {
                egui::Color32::from_rgb(58, 54, 48)
            })
            .corner_radius(12.0)
            .inner_margin(egui::Margin::symmetric(14, 10))
            .show(ui, |ui| {
                ui.set_max_width(max);
                ui.vertical(|ui| {
                    ui.label(egui::RichText::new(who).color(MUTED).size(13.0));
                    ui.label(egui::RichText::new(text).size(18.0));
                });
            });
    });
    ui.add_space(6.0);
}

/// The meeting so far as speech bubbles, with what each line did (hidden in exam mode).
fn dialogue(ui: &mut egui::Ui, v: &View) {
    let (n, lang) = (v.n, v.lang);
    let them = n
        .bundle
        .vars
        .get("contact")
        .map_or("", |c| c.get(lang))
        .to_owned();
    let you = t(lang, "你", "You");
    let last = n.turns.len();
    let cut = |s: String, is_latest: bool| -> String {
        if is_latest {
            s.chars().take(v.shown.typed.max(0.0) as usize).collect()
        } else {
            s
        }
    };
    bubble(
        ui,
        &them,
        &cut(utterance(n, &n.greeting, lang), last == 0),
        false,
    );
    for (k, turn) in n.turns.iter().enumerate() {
        let b = &n.bundle;
        bubble(ui, you, &b.say(&b.choices[turn.choice].text, lang), true);
        if !v.exam {
            for note in event_notes(n, &turn.events, lang) {
                ui.label(
                    egui::RichText::new(format!("· {note}"))
                        .italics()
                        .color(MUTED)
                        .size(14.0),
                );
            }
        }
        if let Some(words) = reply(n, &turn.events, lang) {
            bubble(ui, &them, &cut(words, k + 1 == last), false);
        }
        let excuse = turn
            .events
            .iter()
            .any(|e| matches!(e, Event::Reply(Utterance::Excuse { .. })));
        if excuse && k + 1 == last {
            ui.label(
                egui::RichText::new(t(
                    lang,
                    "（对方提出了一个借口）",
                    "(an excuse is on the table)",
                ))
                .color(BAD)
                .size(14.0),
            );
        }
    }
}
