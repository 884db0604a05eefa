//! How the meeting is shown over real time, apart from its rules: the debtor's latest words
//! appear as if typed, the meters ease toward the engine's values, and a keyboard cursor walks
//! the menu. Each played turn (`TurnPlayed`) starts the typing again and puts the cursor back on
//! the first line; entering the table (a new meeting or a retry) starts it all afresh.

use crate::Screen;
use crate::meeting::{CurrentMeeting, Settings, TurnPlayed, TurnSet};
use bevy::prelude::*;
use sim::meeting::Meeting;
use sim::menu;
use sim::text::Lang;

/// Characters of the debtor's line revealed per second.
pub const TYPING_SPEED: f32 = 40.0;

#[derive(Resource, Clone, Debug, Default)]
pub struct Presentation {
    /// Position in the menu (see [`menu::order`]) that the keyboard cursor is on.
    pub cursor: usize,
    /// Characters of the latest debtor line shown so far.
    pub typed: f32,
    /// Meter values shown: pleasure (0–1), face, trust, patience; they ease toward the engine's.
    pub meters: [f32; 4],
}

impl Presentation {
    /// True once the debtor's latest words are all on screen.
    pub fn spoken(&self, n: &Meeting) -> bool {
        self.typed >= latest_debtor_len(n) as f32
    }

    /// True when the meters shown have reached the engine's values.
    pub fn settled(&self, current: &CurrentMeeting) -> bool {
        let targets = current.targets();
        self.meters
            .iter()
            .zip(targets)
            .all(|(a, b)| (a - b).abs() < 0.01)
    }
}

/// The lines in the order the meeting screen lists them (hints off in exam mode).
pub fn menu_order(n: &Meeting, settings: &Settings) -> Vec<usize> {
    menu::order(n, !settings.exam)
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Presentation>()
        .add_systems(OnEnter(Screen::Meeting), start)
        .add_systems(
            Update,
            // After the turn, so the clock (which runs first next frame) sees the new line.
            (turn_played, ease)
                .chain()
                .after(TurnSet)
                .run_if(in_state(Screen::Meeting)),
        );
}

fn start(current: Option<Res<CurrentMeeting>>, mut shown: ResMut<Presentation>) {
    *shown = Presentation::default();
    if let Some(s) = current {
        shown.meters = s.targets();
    }
}

/// A turn was played: the debtor starts speaking and the cursor returns to the top.
fn turn_played(mut played: MessageReader<TurnPlayed>, mut shown: ResMut<Presentation>) {
    if played.read().last().is_some() {
        shown.typed = 0.0;
        shown.cursor = 0;
    }
}

/// Typing and meter easing.
fn ease(time: Res<Time>, current: Res<CurrentMeeting>, mut shown: ResMut<Presentation>) {
    let dt = time.delta_secs();
    shown.typed += dt * TYPING_SPEED;
    let targets = current.targets();
    let k = (dt * 4.0).min(1.0);
    for (meter, target) in shown.meters.iter_mut().zip(targets) {
        *meter += (target - *meter) * k;
    }
}

/// The number of characters in the debtor's latest words (the greeting before any turn), in
/// the longer of the two languages, since the trainee may switch language while it is typed.
pub fn latest_debtor_len(n: &Meeting) -> usize {
    [Lang::Zh, Lang::En]
        .iter()
        .map(|&l| {
            let words = match n.turns.last() {
                None => sim::transcript::utterance(n, &n.greeting, l),
                Some(t) => sim::transcript::reply(n, &t.events, l).unwrap_or_default(),
            };
            words.chars().count()
        })
        .max()
        .unwrap_or(0)
}
