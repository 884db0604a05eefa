//! The real game App without a window or egui (MinimalPlugins + StatesPlugin + AssetPlugin + the
//! game's core plugins), driven through its messages: the state moves title → preparation →
//! negotiation → debrief, and the final score equals what the engine computes for the same case,
//! seed and inputs.

mod common;

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use dunning_dojo::engine::rubric::score;
use dunning_dojo::engine::{CaseBundle, Negotiation, Scenarios, bundled_dir};
use dunning_dojo::game::session::{
    BeginMeeting, PickCase, RetryFrom, SayLine, Session, model_choice,
};
use dunning_dojo::game::{Screen, core_plugin, register_sources};

fn app() -> App {
    let mut app = App::new();
    register_sources(&mut app, &bundled_dir());
    app.add_plugins((MinimalPlugins, StatesPlugin, AssetPlugin::default()));
    app.add_plugins(core_plugin);
    app
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// Updates until the screen is `want` (scenario assets load asynchronously).
fn until(app: &mut App, want: Screen) {
    for _ in 0..2000 {
        if screen(app) == want {
            return;
        }
        app.update();
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    panic!("never reached {want:?}; at {:?}", screen(app));
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
    until(&mut app, Screen::Negotiation);

    let mut plan = 0;
    let mut said = Vec::new();
    for _ in 0..100 {
        if screen(&app) != Screen::Negotiation {
            break;
        }
        let choice = {
            let s = app.world().resource::<Session>();
            model_choice(&s.negotiation, &mut plan).expect("a line is open")
        };
        said.push(choice);
        app.world_mut().write_message(SayLine { choice });
        app.update();
        app.update();
    }
    until(&mut app, Screen::Debrief);

    let played = app.world().resource::<Session>().negotiation.clone();
    let played = &played;
    assert_eq!(played.turns.len(), said.len());
    let game_score = score(played);

    // The same case, seed, preparations, choices and elapsed times straight through the engine.
    let sc = Scenarios::load(&bundled_dir()).unwrap();
    let mut n = Negotiation::new(CaseBundle::new(&sc, "print_shop").unwrap(), 11, &preps).unwrap();
    for t in &played.turns {
        n.respond(t.choice, t.elapsed).unwrap();
    }
    assert_eq!(n.outcome, played.outcome);
    assert_eq!(score(&n), game_score);
    assert!(game_score.total > 0.0);

    // Retry from turn 2: the same meeting, first two lines replayed, back at the table.
    app.world_mut().write_message(RetryFrom { turns: 2 });
    until(&mut app, Screen::Negotiation);
    let s = app.world().resource::<Session>();
    assert_eq!(s.negotiation.turns.len(), 2);
    assert_eq!(s.negotiation.turns[..2], played.turns[..2]);
}

#[test]
fn thinking_time_reaches_the_engine_as_elapsed_seconds() {
    let mut app = app();
    until(&mut app, Screen::Title);
    app.world_mut().write_message(PickCase {
        case: "fastener_factory".into(),
        seed: 3,
    });
    until(&mut app, Screen::Preparation);
    app.world_mut().write_message(BeginMeeting {
        preparations: vec![],
    });
    until(&mut app, Screen::Negotiation);
    // The debtor's greeting appears as if typed; the thinking clock waits for it.
    app.update();
    assert_eq!(
        app.world().resource::<Session>().clock,
        0.0,
        "no thinking time while the debtor speaks"
    );
    let start = std::time::Instant::now();
    while app.world().resource::<Session>().clock < 0.2 {
        assert!(start.elapsed().as_secs() < 20, "the clock never started");
        app.update();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let (choice, clock) = {
        let s = app.world().resource::<Session>();
        (s.negotiation.available()[0], s.clock)
    };
    assert!(clock > 0.0, "the clock runs while the trainee thinks");
    app.world_mut().write_message(SayLine { choice });
    app.update();
    let s = app.world().resource::<Session>();
    assert_eq!(s.negotiation.turns.len(), 1);
    assert!(
        s.negotiation.turns[0].elapsed >= clock,
        "{} < {clock}",
        s.negotiation.turns[0].elapsed
    );
    assert_eq!(s.clock, 0.0, "the clock restarts for the next answer");
}

#[test]
fn an_unknown_case_or_bad_preparations_keep_the_screen_and_explain() {
    use dunning_dojo::game::session::Notice;
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

/// Updates until `done` says so (background threads answer in real time).
fn until_true(app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    for _ in 0..3000 {
        if done(app) {
            return;
        }
        app.update();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("{what} never happened");
}

#[test]
fn a_class_meeting_is_recorded_locally_and_scored_by_the_class_server() {
    use dunning_dojo::engine::result::Summary;
    use dunning_dojo::game::results::{
        Board, Class, ClassSubmit, JoinClass, LastResult, ResultsConfig, ShowLeaderboard,
    };
    use dunning_dojo::game::session::Settings;

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

    // A wrong code is refused with the server's reason; the right one joins.
    app.world_mut().write_message(JoinClass {
        server: srv.base.clone(),
        code: "AAAAAA".into(),
    });
    until_true(&mut app, "refusal", |a| {
        a.world().resource::<Class>().error.is_some()
    });
    let err = app.world().resource::<Class>().error.clone().unwrap();
    assert!(err.contains("no session"), "{err}");
    // The whole join address typed into the server field works too.
    app.world_mut().write_message(JoinClass {
        server: format!("{}/{}", srv.base, code.to_lowercase()),
        code: String::new(),
    });
    until_true(&mut app, "join", |a| {
        a.world().resource::<Class>().link.is_some()
    });
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
    until(&mut app, Screen::Negotiation);
    let mut plan = 0;
    while screen(&app) == Screen::Negotiation {
        let choice = {
            let s = app.world().resource::<Session>();
            model_choice(&s.negotiation, &mut plan).expect("a line is open")
        };
        app.world_mut().write_message(SayLine { choice });
        app.update();
        app.update();
    }
    until(&mut app, Screen::Debrief);
    let played = app.world().resource::<Session>().negotiation.clone();
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
    app.world_mut().write_message(ShowLeaderboard);
    until(&mut app, Screen::Leaderboard);
    app.update();
    let board = app.world().resource::<Board>();
    let rows = board.rows.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entry.class_code.as_deref(), Some(code.as_str()));
    assert_eq!(rows[0].entry.summary.score, receipt.score);
}
