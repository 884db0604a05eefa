//! Every screen change, in one place. The other modules say what happened (`Flow`); the table
//! in [`next_screen`] decides where that leads, and [`change_screen`] is the only system that
//! sets the next screen.

use crate::Screen;
use bevy::prelude::*;

/// Something that moves the trainee on: a fact from the game's systems, or a request from a view.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// The scenario folder loaded and validated.
    CatalogReady,
    /// A case was picked and bundled; its preparations come next.
    CasePicked,
    /// The meeting began with the chosen preparations.
    MeetingStarted,
    /// The meeting ended (payment, promise, walk-out or time).
    MeetingOver,
    /// The meeting was replayed to a turn; the trainee is back at the table.
    Retried,
    /// The trainee asked for the list of cases.
    ToTitle,
    /// The trainee asked for the leaderboard.
    ToLeaderboard,
}

/// Where `flow` leads from `now`; `None` when it does not apply there (a stale request).
pub fn next_screen(now: Screen, flow: Flow) -> Option<Screen> {
    use Screen::*;
    match (now, flow) {
        (Loading, Flow::CatalogReady) => Some(Title),
        (Title, Flow::CasePicked) => Some(Preparation),
        (Preparation, Flow::MeetingStarted) => Some(Meeting),
        (Meeting, Flow::MeetingOver) => Some(Debrief),
        (Debrief, Flow::Retried) => Some(Meeting),
        (Loading | Title, Flow::ToTitle) => None,
        (_, Flow::ToTitle) => Some(Title),
        (Title | Debrief, Flow::ToLeaderboard) => Some(Leaderboard),
        _ => None,
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Flow>()
        .add_systems(PostUpdate, change_screen);
}

/// Applies this frame's flow messages in order; the last one that applies wins.
fn change_screen(
    mut flows: MessageReader<Flow>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let mut at = *screen.get();
    let mut moved = false;
    for &flow in flows.read() {
        if let Some(to) = next_screen(at, flow) {
            at = to;
            moved = true;
        }
    }
    if moved {
        next.set(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screens_follow_the_course_of_a_meeting_and_ignore_stale_requests() {
        let path = [
            (Screen::Loading, Flow::CatalogReady, Screen::Title),
            (Screen::Title, Flow::CasePicked, Screen::Preparation),
            (Screen::Preparation, Flow::MeetingStarted, Screen::Meeting),
            (Screen::Meeting, Flow::MeetingOver, Screen::Debrief),
            (Screen::Debrief, Flow::Retried, Screen::Meeting),
        ];
        for (from, flow, to) in path {
            assert_eq!(next_screen(from, flow), Some(to), "{from:?} + {flow:?}");
        }
        // A click that arrives after its screen has gone does nothing.
        assert_eq!(next_screen(Screen::Title, Flow::Retried), None);
        assert_eq!(next_screen(Screen::Meeting, Flow::ToLeaderboard), None);
        assert_eq!(next_screen(Screen::Loading, Flow::ToTitle), None);
        assert_eq!(
            next_screen(Screen::Leaderboard, Flow::ToTitle),
            Some(Screen::Title)
        );
    }
}
