//! Loading: waits for the scenario files; if they do not validate, shows why.

use crate::Screen;
use crate::data::Catalog;
use crate::meeting::Settings;
use crate::ui::{BAD, UiSet, root, t, top_bar};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        loading_ui.in_set(UiSet).run_if(in_state(Screen::Loading)),
    );
}

fn loading_ui(
    mut contexts: EguiContexts,
    catalog: Res<Catalog>,
    settings: Option<ResMut<Settings>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root(ctx);
    let Some(mut settings) = settings else {
        return Ok(());
    };
    let lang = settings.lang;
    top_bar(&mut root, &mut settings, t(lang, "载入中", "Loading"));
    egui::CentralPanel::default().show(&mut root, |ui| {
        if catalog.diagnostics.is_empty() {
            ui.centered_and_justified(|ui| {
                ui.label(t(lang, "正在载入案例……", "Loading the cases…"))
            });
        } else {
            ui.heading(
                egui::RichText::new(t(lang, "场景文件有错误", "The scenario files have errors"))
                    .color(BAD),
            );
            egui::ScrollArea::vertical().show(ui, |ui| {
                for d in &catalog.diagnostics {
                    ui.monospace(d.to_string());
                }
            });
        }
    });
    Ok(())
}
