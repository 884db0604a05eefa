//! One file per screen; each adds its egui view to the UI pass, gated by its state.

mod debrief;
mod leaderboard;
mod loading;
mod meeting;
mod portrait;
mod preparation;
mod title;

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        loading::plugin,
        title::plugin,
        preparation::plugin,
        meeting::plugin,
        debrief::plugin,
        leaderboard::plugin,
    ));
}
