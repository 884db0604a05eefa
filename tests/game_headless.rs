//! The real game App without a window or egui (MinimalPlugins + StatesPlugin + AssetPlugin +
//! InputPlugin + the game's core plugins), driven through its messages and its keyboard: the
//! state moves title → preparation → meeting → debrief, and the final score equals what the
//! engine computes for the same case, seed and inputs. Game time moves by a fixed step per
//! update (`TimeUpdateStrategy::ManualDuration`); only file loading and the class server are
//! waited for on the wall clock.

mod common;

use authoring::LoadScenarios;
use bevy::input::ButtonState;
use bevy::input::InputPlugin;
use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::time::TimeUpdateStrategy;
use game::flow::Flow;
use game::meeting::{
    BeginMeeting, Coached, CurrentMeeting, EXAM_SECONDS, PickCase, RetryFrom, SayLine, Settings,
    model_choice,
};
use game::presentation::{Presentation, TYPING_SPEED, latest_debtor_len};
use game::{Screen, core_plugin, register_sources};
use sim::CaseBundle;
use sim::Meeting;
use sim::Scenarios;
use sim::bundled_dir;
use sim::menu;
use sim::rubric::score;
use std::time::{Duration, Instant};

/// Game seconds per `App::update`.
const STEP: f64 = 0.1;

fn app() -> App {
    let mut app = App::new();
    register_sources(&mut app, &bundled_dir());
    app.add_plugins((
        MinimalPlugins,
        StatesPlugin,
        AssetPlugin::default(),
        InputPlugin,
    ));
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs_f64(
        STEP,
    )));
    app.add_plugins(core_plugin);
    app
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// Updates until `done` says so. Scenario files load and the class server answers on other
/// threads, so this waits on the wall clock (at most a minute), yielding between updates.
fn until_true(app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(app) {
        assert!(Instant::now() < deadline, "{what} never happened");
        app.update();
        std::thread::yield_now();
    }
}

/// Updates until the screen is `want`.
fn until(app: &mut App, want: Screen) {
    until_true(app, &format!("{want:?}"), |a| screen(a) == want);
}

/// The app at the table of `case`, seed `seed`, with no preparations.
fn at_the_table(case: &str, seed: u64) -> App {
    let mut app = app();
    until(&mut app, Screen::Title);
    app.world_mut().write_message(PickCase {
        case: case.into(),
        seed,
    });
    until(&mut app, Screen::Preparation);
    app.world_mut().write_message(BeginMeeting {
        preparations: vec![],
    });
    until(&mut app, Screen::Meeting);
    app
}

/// A key pressed and released, one update each, through the input plugin's `ButtonInput`.
fn press(app: &mut App, key: KeyCode) {
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(NativeKey::Unidentified),
            state,
            text: None,
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
        app.update();
    }
}

fn meeting(app: &App) -> &Meeting {
    &app.world().resource::<CurrentMeeting>().meeting
}

/// Says the case's model line each turn (at most 100) until the meeting is over and the
/// debrief is shown; returns the lines said.
fn say_the_model_lines(app: &mut App) -> Vec<usize> {
    let mut plan = 0;
    let mut said = Vec::new();
    for _ in 0..100 {
        if screen(app) != Screen::Meeting {
            break;
        }
        let choice = model_choice(meeting(app), &mut plan).expect("a line is open");
        said.push(choice);
        app.world_mut().write_message(SayLine { choice });
        app.update();
        app.update();
    }
    until(app, Screen::Debrief);
    said
}

/// Joins the class `code` on `base` from the game: a wrong code is refused with the server's
/// reason, and the whole join address typed into the server field joins.
fn join_from_the_game(app: &mut App, base: &str, code: &str) {
    use game::results::{Class, JoinClass};
    app.world_mut().write_message(JoinClass {
        server: base.to_owned(),
        code: "AAAAAA".into(),
    });
    until_true(app, "refusal", |a| {
        a.world().resource::<Class>().error.is_some()
    });
    let err = app.world().resource::<Class>().error.clone().unwrap();
    assert!(err.contains("no class"), "{err}");
    app.world_mut().write_message(JoinClass {
        server: format!("{base}/{}", code.to_lowercase()),
        code: String::new(),
    });
    until_true(app, "join", |a| {
        a.world().resource::<Class>().link.is_some()
    });
}

#[test]
fn a_whole_meeting_through_messages_scores_what_the_engine_scores() {
    let mut app = app();
    until(&mut app, Screen::Title);

    app.world_mut().write_message(PickCase {
        case: "print_shop".into(),
        seed: 11,
    });
    until(&mut app, Screen::Preparation);
    let preps = vec!["books".to_owned(), "key_person".to_owned()];
    app.world_mut().write_message(BeginMeeting {
        preparations: preps.clone(),
    });
    until(&mut app, Screen::Meeting);

    let said = say_the_model_lines(&mut app);

    let played = meeting(&app).clone();
    let played = &played;
    assert_eq!(played.turns.len(), said.len());
    let game_score = score(played);

    // The same case, seed, preparations, choices and elapsed times straight through the engine.
    let sc = Scenarios::load(&bundled_dir()).unwrap();
    let mut n = Meeting::new(CaseBundle::new(&sc, "print_shop").unwrap(), 11, &preps).unwrap();
    for t in &played.turns {
        n.respond(t.choice, t.elapsed).unwrap();
    }
    assert_eq!(n.outcome, played.outcome);
    assert_eq!(score(&n), game_score);
    assert!(game_score.total > 0.0);

    // Retry from turn 2: the same meeting, first two lines replayed, back at the table.
    app.world_mut().write_message(RetryFrom { turns: 2 });
    until(&mut app, Screen::Meeting);
    let s = app.world().resource::<CurrentMeeting>();
    assert_eq!(s.meeting.turns.len(), 2);
    assert_eq!(s.meeting.turns[..2], played.turns[..2]);
}

#[test]
fn thinking_time_counts_from_when_the_debtor_has_spoken_and_reaches_the_engine() {
    let mut app = at_the_table("fastener_factory", 3);
    // The debtor's greeting appears as if typed; the thinking clock waits for it.
    let typing_updates = (latest_debtor_len(meeting(&app)) as f64
        / (f64::from(TYPING_SPEED) * STEP))
        .ceil() as usize;
    for _ in 0..typing_updates.saturating_sub(1) {
        app.update();
    }
    assert_eq!(
        app.world().resource::<CurrentMeeting>().clock,
        0.0,
        "no thinking time while the debtor speaks"
    );
    for _ in 0..30 {
        app.update();
    }
    let (choice, clock) = {
        let s = app.world().resource::<CurrentMeeting>();
        (s.meeting.available()[0], s.clock)
    };
    assert!(
        (2.5..=3.1).contains(&clock),
        "about 3 s of thinking after the greeting: {clock}"
    );
    app.world_mut().write_message(SayLine { choice });
    app.update();
    let s = app.world().resource::<CurrentMeeting>();
    assert_eq!(s.meeting.turns.len(), 1);
    assert!(
        (s.meeting.turns[0].elapsed - clock - STEP).abs() < 1e-9,
        "the engine is told the seconds on the clock: {} vs {clock}",
        s.meeting.turns[0].elapsed
    );
    assert_eq!(s.clock, 0.0, "the clock restarts for the next answer");
}

#[test]
fn the_keyboard_says_lines_in_the_order_the_menu_shows_them() {
    let mut app = at_the_table("print_shop", 5);
    // A number key says that line of the menu (counters first, then by stage).
    let shown = menu::order(meeting(&app), true);
    press(&mut app, KeyCode::Digit2);
    assert_eq!(meeting(&app).turns.len(), 1);
    assert_eq!(meeting(&app).turns[0].choice, shown[1]);
    assert_eq!(app.world().resource::<Presentation>().cursor, 0);

    // Arrows move the cursor (wrapping), Enter says the line under it.
    let shown = menu::order(meeting(&app), true);
    for key in [KeyCode::ArrowDown, KeyCode::ArrowDown, KeyCode::ArrowUp] {
        press(&mut app, key);
    }
    assert_eq!(app.world().resource::<Presentation>().cursor, 1);
    press(&mut app, KeyCode::ArrowUp);
    press(&mut app, KeyCode::ArrowUp);
    assert_eq!(
        app.world().resource::<Presentation>().cursor,
        shown.len() - 1,
        "up from the top wraps to the last line"
    );
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::ArrowDown);
    press(&mut app, KeyCode::NumpadEnter);
    assert_eq!(meeting(&app).turns.len(), 2);
    assert_eq!(meeting(&app).turns[1].choice, shown[1]);
    assert_eq!(
        app.world().resource::<Presentation>().cursor,
        0,
        "a played turn puts the cursor back on the first line"
    );

    // Once an excuse is on the table, key 1 answers it: its counters lead the menu.
    while meeting(&app).progress.open_excuse.is_none() {
        assert!(meeting(&app).turns.len() < 8, "no excuse came up");
        press(&mut app, KeyCode::Digit2);
    }
    let n = meeting(&app);
    let shown = menu::order(n, true);
    let first = shown[0];
    assert!(n.bundle.choices[first].counters.is_some());
    assert_ne!(first, n.available()[0], "not the case file's order");
    let turns = n.turns.len();
    press(&mut app, KeyCode::Digit1);
    assert_eq!(meeting(&app).turns[turns].choice, first);

    // A key for a line that is not there says nothing.
    let open = menu::order(meeting(&app), true).len();
    let turns = meeting(&app).turns.len();
    if open < 9 && !meeting(&app).is_over() {
        press(&mut app, KeyCode::Digit9);
        assert_eq!(meeting(&app).turns.len(), turns);
    }
}

#[test]
fn in_exam_mode_the_line_under_the_cursor_is_said_when_time_is_up() {
    let mut app = at_the_table("fastener_factory", 9);
    app.world_mut().resource_mut::<Settings>().exam = true;
    press(&mut app, KeyCode::ArrowDown);
    let shown = menu::order(meeting(&app), false);
    let start = meeting(&app).turns.len();
    let mut updates = 0;
    while meeting(&app).turns.len() == start {
        app.update();
        updates += 1;
        assert!(updates < 1000, "the exam clock never ran out");
    }
    let turn = &meeting(&app).turns[start];
    assert_eq!(turn.choice, shown[1], "the highlighted line, not the first");
    assert!(
        (EXAM_SECONDS..EXAM_SECONDS + 2.0 * STEP).contains(&turn.elapsed),
        "said when the time was up: {}",
        turn.elapsed
    );
}

#[test]
fn an_unknown_case_or_bad_preparations_keep_the_screen_and_explain() {
    use game::meeting::Notice;
    let mut app = app();
    until(&mut app, Screen::Title);
    app.world_mut().write_message(PickCase {
        case: "no_such_case".into(),
        seed: 1,
    });
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Title);
    assert!(app.world().resource::<Notice>().0.is_some());
    app.world_mut().write_message(PickCase {
        case: "print_shop".into(),
        seed: 1,
    });
    until(&mut app, Screen::Preparation);
    app.world_mut().write_message(BeginMeeting {
        preparations: vec!["books".into(), "key_person".into(), "routine".into()],
    });
    app.update();
    app.update();
    assert_eq!(
        screen(&app),
        Screen::Preparation,
        "over budget: the meeting does not start"
    );
    let notice = app.world().resource::<Notice>().0.clone().unwrap();
    assert!(notice.en.contains("allows 2"), "{}", notice.en);
}

#[test]
fn a_class_meeting_is_recorded_locally_and_scored_by_the_class_server() {
    use game::results::{Board, ClassSubmit, LastResult, ResultsConfig};
    use sim::result::Summary;

    let srv = common::class_server();
    let (code, _) = common::new_session(&srv.base, "fastener_factory", 42);
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("results.sqlite3");
    let mut app = app();
    app.insert_resource(ResultsConfig {
        db: Some(db.clone()),
    });
    until(&mut app, Screen::Title);
    app.world_mut().resource_mut::<Settings>().trainee = "陈静".into();

    join_from_the_game(&mut app, &srv.base, &code);
    assert_eq!(
        app.world().resource::<Settings>().seed,
        42,
        "the session's seed is used"
    );

    app.world_mut().write_message(PickCase {
        case: "fastener_factory".into(),
        seed: 42,
    });
    until(&mut app, Screen::Preparation);
    app.world_mut().write_message(BeginMeeting {
        preparations: vec![],
    });
    until(&mut app, Screen::Meeting);
    say_the_model_lines(&mut app);
    let played = app.world().resource::<CurrentMeeting>().meeting.clone();
    until_true(&mut app, "the class answer", |a| {
        !matches!(
            a.world().resource::<LastResult>().class,
            ClassSubmit::Sending(_)
        )
    });
    let last = app.world().resource::<LastResult>();
    assert_eq!(last.local, Some(Ok(())));
    let ClassSubmit::Sent(receipt) = &last.class else {
        panic!("not sent");
    };
    let receipt = receipt.clone();
    assert_eq!(
        receipt.score,
        Summary::of(&played).score,
        "the server's replay scores what was played"
    );
    assert_eq!(receipt.trainee, "陈静");

    // The leaderboard screen reads the local record, marked with the class code.
    app.world_mut().write_message(Flow::ToLeaderboard);
    until(&mut app, Screen::Leaderboard);
    app.update();
    let board = app.world().resource::<Board>();
    let rows = board.rows.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entry.class_code.as_deref(), Some(code.as_str()));
    assert_eq!(rows[0].entry.summary.score, receipt.score);
}

#[test]
fn the_debrief_coaches_the_costliest_turn_and_retry_goes_straight_there() {
    let mut app = at_the_table("fastener_factory", 4);
    // Blunt from the start: the first line of the menu each turn, no thought for the course.
    while screen(&app) == Screen::Meeting {
        press(&mut app, KeyCode::Digit1);
    }
    until(&mut app, Screen::Debrief);
    app.update();
    let review = app.world().resource::<Coached>().0.clone();
    let review = review.expect("the finished meeting is reviewed");
    let played = meeting(&app).clone();
    assert_eq!(
        review.turns.len(),
        played.turns.len(),
        "every turn is marked"
    );
    let c = review
        .coached
        .first()
        .cloned()
        .expect("a blunt meeting has a turn worth coaching");
    assert!((1..=played.turns.len() as u32).contains(&c.turn));
    assert_ne!(
        c.better,
        played.turns[c.turn as usize - 1].choice,
        "the better line is not the one said"
    );

    app.world_mut().write_message(RetryFrom {
        turns: c.turn as usize - 1,
    });
    until(&mut app, Screen::Meeting);
    let n = meeting(&app);
    assert_eq!(n.turns.len(), c.turn as usize - 1);
    assert!(
        n.available().contains(&c.better),
        "the better line is on offer"
    );

    // Back to the cases from the table, and a stale leaderboard request is ignored there.
    app.world_mut().write_message(Flow::ToLeaderboard);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Meeting);
    app.world_mut().write_message(Flow::ToTitle);
    until(&mut app, Screen::Title);
}
