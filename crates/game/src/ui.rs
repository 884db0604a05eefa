//! The windowed app's view layer: egui set-up (the CJK font, a projector-friendly theme), the
//! camera, and widgets shared by the screens. Views read state and send messages; nothing here
//! decides anything about the meeting.

use crate::GameOptions;
use crate::meeting::Settings;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use sim::text::Lang;

pub const FONT_FILE: &str = "fonts/NotoSansSC-Subset.otf";

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(EguiPlugin::default())
        .add_systems(Startup, spawn_camera)
        .add_systems(EguiPrimaryContextPass, setup_egui.before(UiSet))
        .add_systems(
            EguiPrimaryContextPass,
            diagnostics_panel.after(UiSet).run_if(
                not(in_state(super::Screen::Title)).and_then(not(in_state(super::Screen::Loading))),
            ),
        );
    app.configure_sets(EguiPrimaryContextPass, UiSet);
    app.add_plugins(super::screens::plugin);
}

/// The set every screen's egui system belongs to (after the font is installed).
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct UiSet;

fn spawn_camera(mut commands: Commands) {
    commands.spawn((Name::new("Camera"), Camera2d));
}

pub use sim::text::t;

pub const ACCENT: egui::Color32 = egui::Color32::from_rgb(232, 168, 56);
pub const GOOD: egui::Color32 = egui::Color32::from_rgb(110, 190, 120);
pub const BAD: egui::Color32 = egui::Color32::from_rgb(220, 100, 90);
pub const MUTED: egui::Color32 = egui::Color32::from_rgb(150, 155, 165);
pub const CARD: egui::Color32 = egui::Color32::from_rgb(34, 37, 44);
/// The window background, painted by Bevy's clear colour.
pub const BACKGROUND: (u8, u8, u8) = (24, 26, 31);

/// Installs the CJK font (so Chinese never shows as boxes) and the theme, once.
fn setup_egui(
    mut contexts: EguiContexts,
    opts: Option<Res<GameOptions>>,
    mut done: Local<bool>,
) -> Result {
    if *done {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let mut fonts = egui::FontDefinitions::default();
    let dir = opts.map_or_else(super::bundled_assets, |o| o.assets.clone());
    match std::fs::read(dir.join(FONT_FILE)) {
        Ok(bytes) => {
            fonts.font_data.insert(
                "noto_sans_sc".into(),
                egui::FontData::from_owned(bytes).into(),
            );
            for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
                let list = fonts.families.entry(family).or_default();
                let at = list.len().min(1);
                list.insert(at, "noto_sans_sc".into());
            }
        }
        Err(e) => error!(
            "cannot load the Chinese font {}: {e}",
            dir.join(FONT_FILE).display()
        ),
    }
    ctx.set_fonts(fonts);
    let mut style = (*ctx.style_of(egui::Theme::Dark)).clone();
    use egui::{FontFamily::Proportional, FontId, TextStyle};
    style.text_styles = [
        (TextStyle::Heading, FontId::new(30.0, Proportional)),
        (TextStyle::Body, FontId::new(18.0, Proportional)),
        (TextStyle::Button, FontId::new(18.0, Proportional)),
        (TextStyle::Small, FontId::new(14.0, Proportional)),
        (
            TextStyle::Monospace,
            FontId::new(16.0, egui::FontFamily::Monospace),
        ),
    ]
    .into();
    style.spacing.item_spacing = egui::vec2(10.0, 8.0);
    style.spacing.button_padding = egui::vec2(12.0, 6.0);
    style.visuals = egui::Visuals::dark();
    style.visuals.selection.bg_fill = egui::Color32::from_rgb(150, 100, 30);
    style.visuals.hyperlink_color = ACCENT;
    // Panels are transparent over the clear colour (the same shade): the background is painted
    // once, not twice, which is most of a frame's cost under software rendering.
    style.visuals.panel_fill = egui::Color32::TRANSPARENT;
    style.visuals.window_fill = CARD;
    ctx.set_theme(egui::Theme::Dark);
    ctx.set_style_of(egui::Theme::Dark, style);
    *done = true;
    Ok(())
}

/// The viewport-wide `Ui` that panels are shown in.
pub fn root(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

/// The bar atop every screen: the app's name, a heading, and the language switch.
pub fn top_bar(root: &mut egui::Ui, settings: &mut Settings, heading: &str) {
    egui::Panel::top("top_bar")
        .frame(
            egui::Frame::new()
                .fill(egui::Color32::from_rgb(18, 19, 23))
                .inner_margin(egui::Margin::symmetric(16, 10)),
        )
        .show(root, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    egui::RichText::new(t(settings.lang, "催收谈判道场", "dunning-dojo"))
                        .color(ACCENT)
                        .size(22.0)
                        .strong(),
                );
                ui.separator();
                ui.label(egui::RichText::new(heading).size(20.0));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .selectable_label(settings.lang == Lang::En, "English")
                        .clicked()
                    {
                        settings.lang = Lang::En;
                    }
                    if ui
                        .selectable_label(settings.lang == Lang::Zh, "中文")
                        .clicked()
                    {
                        settings.lang = Lang::Zh;
                    }
                    if !settings.trainee.is_empty() {
                        ui.label(egui::RichText::new(&settings.trainee).color(MUTED));
                    }
                });
            });
        });
}

/// A labelled meter, 0–1.
pub fn meter(ui: &mut egui::Ui, label: &str, value: f32, color: egui::Color32) {
    ui.label(egui::RichText::new(label).color(MUTED).size(15.0));
    ui.add(
        egui::ProgressBar::new(value.clamp(0.0, 1.0))
            .fill(color)
            .desired_height(14.0)
            .text(egui::RichText::new(format!("{:.0}%", value.clamp(0.0, 1.0) * 100.0)).size(12.0)),
    );
}

/// A rounded card.
pub fn card<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::new()
        .fill(CARD)
        .corner_radius(10.0)
        .inner_margin(egui::Margin::same(14))
        .show(ui, add)
        .inner
}

pub fn stars(n: u8) -> String {
    format!(
        "{}{}",
        "★".repeat(usize::from(n)),
        "☆".repeat(5 - usize::from(n.min(5)))
    )
}

/// While a scenario file is broken, every screen shows its diagnostics (the same text as
/// `validate`); the last good version stays in play.
fn diagnostics_panel(
    mut contexts: EguiContexts,
    catalog: Res<super::data::Catalog>,
    settings: Option<Res<Settings>>,
) -> Result {
    if catalog.diagnostics.is_empty() {
        return Ok(());
    }
    let lang = settings.map_or(Lang::Zh, |s| s.lang);
    let ctx = contexts.ctx_mut()?;
    egui::Window::new(t(lang, "场景文件有错误", "Scenario files have errors"))
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -12.0))
        .default_width(560.0)
        .collapsible(true)
        .show(ctx, |ui| {
            ui.label(
                egui::RichText::new(t(
                    lang,
                    "仍在使用上一个正确的版本。",
                    "The last good version stays in play.",
                ))
                .color(MUTED),
            );
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .show(ui, |ui| {
                    for d in &catalog.diagnostics {
                        ui.monospace(d.to_string());
                    }
                });
        });
    Ok(())
}
