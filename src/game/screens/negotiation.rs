//! The negotiation: the debtor's face and meters, the course stage, the dialogue (the debtor's
//! line appears as if typed), the excuse on the table, and the choices grouped by tactic family.
//! Mouse or keyboard alone: number keys say a line, arrows move, Enter says the highlighted one.

use super::portrait;
use crate::engine::negotiation::{Event, Negotiation, Utterance};
use crate::engine::scenario::Stage;
use crate::engine::text::Lang;
use crate::engine::transcript::{event_notes, reply, utterance};
use crate::game::Screen;
use crate::game::session::{EXAM_SECONDS, SayLine, Session, Settings};
use crate::game::ui::{ACCENT, BAD, CARD, GOOD, MUTED, UiSet, card, meter, root, t, top_bar};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        negotiation_ui
            .in_set(UiSet)
            .run_if(in_state(Screen::Negotiation)),
    )
    .add_systems(Update, keyboard.run_if(in_state(Screen::Negotiation)));
}

fn keyboard(
    keys: Res<ButtonInput<KeyCode>>,
    mut session: ResMut<Session>,
    mut say: MessageWriter<SayLine>,
) {
    let open = session.negotiation.available();
    if open.is_empty() {
        return;
    }
    let digits = [
        KeyCode::Digit1,
        KeyCode::Digit2,
        KeyCode::Digit3,
        KeyCode::Digit4,
        KeyCode::Digit5,
        KeyCode::Digit6,
        KeyCode::Digit7,
        KeyCode::Digit8,
        KeyCode::Digit9,
    ];
    let numpad = [
        KeyCode::Numpad1,
        KeyCode::Numpad2,
        KeyCode::Numpad3,
        KeyCode::Numpad4,
        KeyCode::Numpad5,
        KeyCode::Numpad6,
        KeyCode::Numpad7,
        KeyCode::Numpad8,
        KeyCode::Numpad9,
    ];
    for (k, (d, n)) in digits.iter().zip(numpad.iter()).enumerate() {
        if (keys.just_pressed(*d) || keys.just_pressed(*n)) && k < open.len() {
            say.write(SayLine { choice: open[k] });
            return;
        }
    }
    if keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::ArrowRight) {
        session.cursor = (session.cursor + 1) % open.len();
    }
    if keys.just_pressed(KeyCode::ArrowUp) || keys.just_pressed(KeyCode::ArrowLeft) {
        session.cursor = (session.cursor + open.len() - 1) % open.len();
    }
    if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        let c = open[session.cursor.min(open.len() - 1)];
        say.write(SayLine { choice: c });
    }
}

fn negotiation_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    session: Res<Session>,
    mut say: MessageWriter<SayLine>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let lang = settings.lang;
    let exam = settings.exam;
    let n = &session.negotiation;
    let b = session.bundle();
    top_bar(
        &mut root,
        &mut settings,
        &format!(
            "{} · {}",
            t(lang, "会谈", "Meeting"),
            b.case.title.get(lang)
        ),
    );

    // Stage stepper and clock.
    egui::Panel::top("stages")
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(16, 6)))
        .show(&mut root, |ui| {
            ui.horizontal(|ui| {
                for (i, st) in Stage::ALL.iter().enumerate() {
                    let (fill, text) = if *st == n.meeting.stage {
                        (ACCENT, egui::Color32::BLACK)
                    } else if *st < n.meeting.stage {
                        (egui::Color32::from_rgb(70, 75, 85), egui::Color32::WHITE)
                    } else {
                        (CARD, MUTED)
                    };
                    egui::Frame::new()
                        .fill(fill)
                        .corner_radius(14.0)
                        .inner_margin(egui::Margin::symmetric(12, 4))
                        .show(ui, |ui| {
                            ui.label(
                                egui::RichText::new(format!("{}. {}", i + 1, st.name().get(lang)))
                                    .color(text)
                                    .size(15.0),
                            );
                        });
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(
                        egui::RichText::new(format!(
                            "{} {} / {}",
                            t(lang, "回合", "Turn"),
                            n.meeting.turn + 1,
                            b.case.max_turns
                        ))
                        .color(MUTED),
                    );
                    if exam {
                        let left = (EXAM_SECONDS - session.clock).max(0.0);
                        let color = if left < 8.0 { BAD } else { ACCENT };
                        ui.label(
                            egui::RichText::new(format!("⏱ {left:.0}s"))
                                .color(color)
                                .size(20.0)
                                .strong(),
                        );
                    }
                });
            });
        });

    // The debtor.
    egui::Panel::left("debtor")
        .exact_size(300.0)
        .show(&mut root, |ui| {
            ui.add_space(10.0);
            ui.vertical_centered(|ui| {
                portrait::face(ui, n.state.mood, 190.0);
                ui.label(
                    egui::RichText::new(b.vars.get("contact").map_or("", |v| v.get(lang)))
                        .size(22.0)
                        .strong(),
                );
                ui.label(
                    egui::RichText::new(b.persona.name.get(lang))
                        .color(MUTED)
                        .size(15.0),
                );
                let mood = n.mood();
                ui.label(
                    egui::RichText::new(format!(
                        "{}{}",
                        t(lang, "情绪：", "Mood: "),
                        mood.name().get(lang)
                    ))
                    .color(portrait::mood_color(mood))
                    .size(18.0)
                    .strong(),
                );
            });
            ui.add_space(8.0);
            let [mood, face, trust, patience] = session.meters;
            meter(
                ui,
                t(lang, "心情", "Mood"),
                mood,
                egui::Color32::from_rgb(110, 160, 210),
            );
            meter(
                ui,
                t(lang, "面子", "Face"),
                face,
                egui::Color32::from_rgb(200, 150, 90),
            );
            meter(ui, t(lang, "信任", "Trust"), trust, GOOD);
            meter(
                ui,
                t(lang, "耐心", "Patience"),
                patience,
                if patience < 0.3 {
                    BAD
                } else {
                    egui::Color32::from_rgb(170, 130, 200)
                },
            );
            ui.add_space(10.0);
            if let Some(ex) = n.meeting.open_excuse {
                card(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(
                        egui::RichText::new(t(lang, "桌上的借口", "Excuse on the table"))
                            .color(BAD)
                            .strong(),
                    );
                    ui.label(b.say(&b.persona.excuses[ex].text, lang));
                });
            }
        });

    // The choices, grouped by tactic family (labels hidden in exam mode).
    let open = n.available();
    egui::Panel::bottom("choices")
        .exact_size(330.0)
        .frame(
            egui::Frame::new()
                .fill(egui::Color32::from_rgb(20, 22, 27))
                .inner_margin(egui::Margin::same(12)),
        )
        .show(&mut root, |ui| {
            let typing = session.typed < crate::game::session::latest_debtor_len(n) as f32;
            ui.label(
                egui::RichText::new(if typing {
                    t(lang, "对方正在说话……", "The debtor is speaking…")
                } else {
                    t(
                        lang,
                        "你要怎么说？（数字键，或方向键加回车）",
                        "What do you say? (number keys, or arrows and Enter)",
                    )
                })
                .color(MUTED)
                .size(15.0),
            );
            egui::ScrollArea::vertical()
                .id_salt("choices")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    let mut last_tactic = None;
                    for (k, &i) in open.iter().enumerate() {
                        let c = &b.choices[i];
                        if !exam && last_tactic != Some(c.tactic) {
                            ui.label(
                                egui::RichText::new(b.tactics[c.tactic].name.get(lang))
                                    .color(ACCENT)
                                    .size(14.0),
                            );
                            last_tactic = Some(c.tactic);
                        }
                        let key = if k < 9 {
                            format!("{}", k + 1)
                        } else {
                            "·".into()
                        };
                        let highlighted = k == session.cursor;
                        let fill = if highlighted {
                            egui::Color32::from_rgb(120, 84, 30)
                        } else {
                            CARD
                        };
                        let resp = egui::Frame::new()
                            .fill(fill)
                            .corner_radius(8.0)
                            .inner_margin(egui::Margin::symmetric(12, 6))
                            .show(ui, |ui| {
                                ui.set_width(ui.available_width());
                                ui.horizontal_wrapped(|ui| {
                                    ui.label(
                                        egui::RichText::new(key).color(ACCENT).strong().size(17.0),
                                    );
                                    ui.label(egui::RichText::new(b.say(&c.text, lang)).size(17.0));
                                });
                            })
                            .response
                            .interact(egui::Sense::click())
                            .on_hover_cursor(egui::CursorIcon::PointingHand);
                        if resp.clicked() {
                            say.write(SayLine { choice: i });
                        }
                        if c.counters.is_some() && !exam {
                            resp.on_hover_text(t(
                                lang,
                                "回应桌上的借口",
                                "Answers the excuse on the table",
                            ));
                        }
                        ui.add_space(2.0);
                    }
                });
        });

    // The dialogue.
    egui::CentralPanel::default().show(&mut root, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("dialogue")
            .stick_to_bottom(true)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                dialogue(ui, n, lang, session.typed, exam);
            });
    });
    Ok(())
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

fn dialogue(ui: &mut egui::Ui, n: &Negotiation, lang: Lang, typed: f32, exam: bool) {
    let them = n
        .bundle
        .vars
        .get("contact")
        .map_or("", |v| v.get(lang))
        .to_owned();
    let you = t(lang, "你", "You");
    let last = n.turns.len();
    let cut = |s: String, is_latest: bool| -> String {
        if is_latest {
            s.chars().take(typed.max(0.0) as usize).collect()
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
        if !exam {
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
