//! The meeting in progress. Trainee input arrives as messages; `run_turn` hands each line to
//! the engine with the real seconds the trainee took, and sends the engine's events back out
//! (`TurnPlayed`) for the presentation. Screen changes are reported to [`crate::flow`].
//! No meeting rule lives here.

use crate::data::Catalog;
use crate::flow::Flow;
use crate::presentation::{Presentation, menu_order};
use crate::{GameOptions, Screen};
use analysis::coach::{Review, review};
use bevy::prelude::*;
use sim::CaseBundle;
use sim::Text;
use sim::autoplay;
use sim::meeting::{Event, Meeting};
use sim::text::Lang;
use std::sync::Arc;

/// Seconds per answer in exam mode.
pub const EXAM_SECONDS: f64 = 25.0;

/// What the trainee has chosen on the title screen.
#[derive(Resource, Clone, Debug)]
pub struct Settings {
    pub lang: Lang,
    pub exam: bool,
    pub trainee: String,
    pub seed: u64,
    /// The case picked on the title screen, before its meeting starts.
    pub case: Option<String>,
}

/// The meeting: the engine's meeting and the trainee's thinking time.
#[derive(Resource)]
pub struct CurrentMeeting {
    pub meeting: Meeting,
    /// Seconds since the current choices were offered (the next answer's elapsed time).
    pub clock: f64,
}

impl CurrentMeeting {
    fn new(meeting: Meeting) -> CurrentMeeting {
        CurrentMeeting {
            meeting,
            clock: 0.0,
        }
    }

    /// The meter targets from the engine (patience as it would be if answered now).
    pub fn targets(&self) -> [f32; 4] {
        let n = &self.meeting;
        [
            ((n.state.mood.pleasure + 1.0) / 2.0) as f32,
            n.state.face as f32,
            n.state.trust as f32,
            n.patience_after(self.clock) as f32,
        ]
    }

    pub fn bundle(&self) -> &Arc<CaseBundle> {
        &self.meeting.bundle
    }
}

/// Start preparing a case (title → preparation).
#[derive(Message, Clone, Debug)]
pub struct PickCase {
    pub case: String,
    pub seed: u64,
}

/// Begin the meeting with these preparations (preparation → meeting).
#[derive(Message, Clone, Debug)]
pub struct BeginMeeting {
    pub preparations: Vec<String>,
}

/// The trainee says a choice (an index into the case bundle's choices).
#[derive(Message, Clone, Debug)]
pub struct SayLine {
    pub choice: usize,
}

/// Replay the same meeting's first `turns` choices, then let the trainee go on.
#[derive(Message, Clone, Debug)]
pub struct RetryFrom {
    pub turns: usize,
}

/// The engine's events for one played turn, for the views.
#[derive(Message, Clone, Debug)]
pub struct TurnPlayed {
    pub events: Vec<Event>,
}

/// The case picked, waiting for its preparations.
#[derive(Resource, Clone)]
pub struct Pending {
    pub bundle: Arc<CaseBundle>,
    pub seed: u64,
    pub preparations: Vec<String>,
}

/// The turn-by-turn review of the finished meeting, computed once as the debrief opens.
#[derive(Resource, Default)]
pub struct Coached(pub Option<Review>);

/// The system that plays a turn; input systems run before it.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct TurnSet;

/// A message for the trainee that is not part of the meeting (e.g. an unplayable case).
#[derive(Resource, Default, Clone)]
pub struct Notice(pub Option<Text>);

pub(super) fn plugin(app: &mut App) {
    app.add_message::<PickCase>()
        .add_message::<BeginMeeting>()
        .add_message::<SayLine>()
        .add_message::<RetryFrom>()
        .add_message::<TurnPlayed>()
        .init_resource::<Notice>()
        .init_resource::<Coached>()
        .add_systems(Startup, init_settings)
        .add_systems(OnEnter(Screen::Debrief), coach_meeting)
        .add_systems(
            Update,
            (
                pick_case.run_if(in_state(Screen::Title)),
                begin_meeting.run_if(in_state(Screen::Preparation)),
                (tick_clock, exam_timeout, run_turn.in_set(TurnSet))
                    .chain()
                    .run_if(in_state(Screen::Meeting)),
                retry_from.run_if(in_state(Screen::Debrief)),
            ),
        );
}

fn init_settings(mut commands: Commands, opts: Option<Res<GameOptions>>) {
    let (lang, exam) = opts.map_or((Lang::Zh, false), |o| (o.lang, o.exam));
    commands.insert_resource(Settings {
        lang,
        exam,
        trainee: String::new(),
        seed: 1,
        case: None,
    });
}

fn pick_case(
    mut picks: MessageReader<PickCase>,
    catalog: Res<Catalog>,
    mut commands: Commands,
    mut notice: ResMut<Notice>,
    mut flow: MessageWriter<Flow>,
) {
    let Some(pick) = picks.read().last().cloned() else {
        return;
    };
    let Some(sc) = &catalog.scenarios else { return };
    match CaseBundle::new(sc, &pick.case) {
        Ok(bundle) => {
            commands.insert_resource(Pending {
                bundle,
                seed: pick.seed,
                preparations: Vec::new(),
            });
            notice.0 = None;
            flow.write(Flow::CasePicked);
        }
        Err(e) => notice.0 = Some(Text::new(e.to_string(), e.to_string())),
    }
}

fn begin_meeting(
    mut begins: MessageReader<BeginMeeting>,
    pending: Option<ResMut<Pending>>,
    mut commands: Commands,
    mut notice: ResMut<Notice>,
    mut flow: MessageWriter<Flow>,
) {
    let Some(begin) = begins.read().last().cloned() else {
        return;
    };
    let Some(mut pending) = pending else { return };
    match Meeting::new(
        Arc::clone(&pending.bundle),
        pending.seed,
        &begin.preparations,
    ) {
        Ok(n) => {
            pending.preparations = begin.preparations;
            commands.insert_resource(CurrentMeeting::new(n));
            notice.0 = None;
            flow.write(Flow::MeetingStarted);
        }
        Err(e) => notice.0 = Some(Text::new(e.to_string(), e.to_string())),
    }
}

/// The trainee's thinking time runs once the debtor has finished speaking.
fn tick_clock(time: Res<Time>, shown: Res<Presentation>, mut current: ResMut<CurrentMeeting>) {
    if shown.spoken(&current.meeting) {
        current.clock += time.delta_secs_f64();
    }
}

/// In exam mode, when the time is up the line under the cursor is said.
fn exam_timeout(
    settings: Res<Settings>,
    current: Res<CurrentMeeting>,
    shown: Res<Presentation>,
    mut say: MessageWriter<SayLine>,
) {
    let n = &current.meeting;
    if settings.exam && current.clock >= EXAM_SECONDS && !n.is_over() {
        let open = menu_order(n, &settings);
        if let Some(&choice) = open.get(shown.cursor.min(open.len().saturating_sub(1))) {
            say.write(SayLine { choice });
        }
    }
}

fn run_turn(
    mut says: MessageReader<SayLine>,
    mut current: ResMut<CurrentMeeting>,
    mut played: MessageWriter<TurnPlayed>,
    mut flow: MessageWriter<Flow>,
) {
    // One line per frame: a double key press must not say two lines.
    let Some(say) = says.read().next().cloned() else {
        return;
    };
    says.clear();
    let elapsed = current.clock;
    let Ok(events) = current.meeting.respond(say.choice, elapsed) else {
        return;
    };
    current.clock = 0.0;
    played.write(TurnPlayed {
        events: events.into_vec(),
    });
    if current.meeting.is_over() {
        flow.write(Flow::MeetingOver);
    }
}

/// The turn-by-turn review, computed once per finished meeting.
fn coach_meeting(current: Option<Res<CurrentMeeting>>, mut coached: ResMut<Coached>) {
    coached.0 = current.map(|s| review(&s.meeting));
}

fn retry_from(
    mut retries: MessageReader<RetryFrom>,
    current: Option<Res<CurrentMeeting>>,
    mut commands: Commands,
    mut flow: MessageWriter<Flow>,
) {
    let Some(retry) = retries.read().last().cloned() else {
        return;
    };
    let Some(current) = current else { return };
    let old = &current.meeting;
    let Some(n) = old.replayed(old.seed, retry.turns) else {
        return;
    };
    if n.is_over() {
        return;
    }
    commands.insert_resource(CurrentMeeting::new(n));
    flow.write(Flow::Retried);
}

/// The choice a course-following player would make now (used by the demo driver): the model
/// approach's next line, or the first line on offer once its plan is used up.
pub fn model_choice(n: &Meeting, plan_pos: &mut usize) -> Option<usize> {
    let plan = autoplay::model_plan(&n.bundle);
    autoplay::model_step(n, &plan, plan_pos).or_else(|| n.available().first().copied())
}
