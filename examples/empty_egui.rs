//! The baseline for the game's performance figures: an empty bevy_egui app built with the same
//! Bevy features, a camera and one egui panel. `scripts/measure_game.sh` runs it and the game
//! side by side. Usage: `empty_egui [FRAMES]` (default 600), prints `measure:` lines.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use game::demo::{LAUNCH, cpu_seconds, measure_plugin, report};

#[derive(Resource)]
struct Frames {
    target: u32,
    seen: u32,
    start_cpu: f64,
}

fn main() -> AppExit {
    LAUNCH.get_or_init(std::time::Instant::now);
    let target = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(600);
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                title: "empty bevy_egui".into(),
                resolution: (1280u32, 800u32).into(),
                ..default()
            }),
            ..default()
        }))
        .add_plugins(EguiPlugin::default())
        .add_plugins(measure_plugin)
        .insert_resource(Frames {
            target,
            seen: 0,
            start_cpu: 0.0,
        })
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
        })
        .add_systems(EguiPrimaryContextPass, ui)
        .add_systems(Update, count)
        .run()
}

fn ui(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.label("empty");
    });
    Ok(())
}

fn count(mut frames: ResMut<Frames>, mut exit: MessageWriter<AppExit>) {
    // The first frames are start-up; measure the steady state after a short warm-up, as the
    // game does on its negotiation screen.
    frames.seen += 1;
    if frames.seen == 30 {
        frames.start_cpu = cpu_seconds();
    }
    if frames.seen == 30 + frames.target {
        report(frames.target, cpu_seconds() - frames.start_cpu);
        exit.write(AppExit::Success);
    }
}
