//! The keyboard at the table: number keys say the n-th line of the menu, arrows move the cursor,
//! Enter says the line under it. Keys become `SayLine` messages like clicks do; no rule here.

use crate::Screen;
use crate::meeting::{CurrentMeeting, SayLine, Settings, TurnSet};
use crate::presentation::{Presentation, menu_order};
use bevy::prelude::*;

const DIGITS: [KeyCode; 9] = [
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
const NUMPAD: [KeyCode; 9] = [
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

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        keyboard
            .before(TurnSet)
            .run_if(in_state(Screen::Meeting).and_then(resource_exists::<ButtonInput<KeyCode>>)),
    );
}

fn keyboard(
    keys: Res<ButtonInput<KeyCode>>,
    current: Res<CurrentMeeting>,
    settings: Res<Settings>,
    mut shown: ResMut<Presentation>,
    mut say: MessageWriter<SayLine>,
) {
    let open = menu_order(&current.meeting, &settings);
    if open.is_empty() {
        return;
    }
    let pressed = |a: KeyCode, b: KeyCode| keys.just_pressed(a) || keys.just_pressed(b);
    for (k, (&d, &n)) in DIGITS.iter().zip(NUMPAD.iter()).enumerate() {
        if pressed(d, n) && k < open.len() {
            say.write(SayLine { choice: open[k] });
            return;
        }
    }
    if pressed(KeyCode::ArrowDown, KeyCode::ArrowRight) {
        shown.cursor = (shown.cursor + 1) % open.len();
    }
    if pressed(KeyCode::ArrowUp, KeyCode::ArrowLeft) {
        shown.cursor = (shown.cursor + open.len() - 1) % open.len();
    }
    if pressed(KeyCode::Enter, KeyCode::NumpadEnter) {
        let choice = open[shown.cursor.min(open.len() - 1)];
        say.write(SayLine { choice });
    }
}
