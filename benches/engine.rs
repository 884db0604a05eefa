//! Engine throughput: one turn, and a whole playthrough, on one core.
//! Run: `cargo bench --bench engine`.

use authoring::LoadScenarios;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sim::CaseBundle;
use sim::Meeting;
use sim::Scenarios;
use sim::autoplay;
use sim::bundled_dir;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let sc = Scenarios::load(&bundled_dir()).expect("bundled scenarios validate");
    let b = CaseBundle::new(&sc, "print_shop").unwrap();
    let greet = b.choice_index("open_greet").unwrap();

    let mut g = c.benchmark_group("turn");
    g.throughput(Throughput::Elements(1));
    // One turn from a fresh meeting (the clone of the start state is in the setup, not timed).
    let fresh = Meeting::new(b.clone(), 7, &[]).unwrap();
    g.bench_function("respond", |bench| {
        bench.iter_batched_ref(
            || fresh.clone(),
            |n| black_box(n.respond(greet, 3.0).unwrap()),
            BatchSize::SmallInput,
        )
    });
    // A turn in the middle of a meeting, choosing from what is open (as a player would).
    let mut mid = Meeting::new(b.clone(), 7, &[]).unwrap();
    for id in ["open_greet", "facts_confirm", "purpose_gentle"] {
        let _ = mid.respond_id(id, 3.0);
    }
    g.bench_function("available+respond", |bench| {
        bench.iter_batched_ref(
            || mid.clone(),
            |n| {
                let open = n.available();
                black_box(n.respond(open[0], 3.0).ok())
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("playthrough");
    for case in &sc.cases {
        let b = CaseBundle::new(&sc, &case.id).unwrap();
        let turns = autoplay::model(&b, 1).turns.len() as u64;
        g.throughput(Throughput::Elements(turns));
        g.bench_function(format!("model/{}", case.id), |bench| {
            let mut seed = 0;
            bench.iter(|| {
                seed += 1;
                black_box(autoplay::model(&b, seed).outcome)
            })
        });
    }
    let b = CaseBundle::new(&sc, "print_shop").unwrap();
    g.throughput(Throughput::Elements(1));
    g.bench_function("random/print_shop", |bench| {
        let mut seed = 0;
        bench.iter(|| {
            seed += 1;
            black_box(autoplay::random(&b, seed).outcome)
        })
    });
    g.finish();
}

/// The turn-by-turn review as the debrief opens it (every turn replayed with every endorsed
/// alternative, suggestions checked on other seeds): a 16-turn meeting.
fn review(c: &mut Criterion) {
    let sc = Scenarios::load(&bundled_dir()).expect("bundled scenarios validate");
    let mut g = c.benchmark_group("review");
    g.sample_size(20);
    let b = CaseBundle::new(&sc, "contractor_cement").unwrap();
    let model = autoplay::model(&b, 1);
    assert_eq!(model.turns.len(), 16, "the bench reviews a 16-turn meeting");
    g.bench_function("model/contractor_cement (16 turns)", |bench| {
        bench.iter(|| black_box(analysis::coach::review(&model).accuracy))
    });
    let flawed = analysis::adversary::find("early_threat")
        .expect("a course-breaking player")
        .play(&CaseBundle::new(&sc, "fastener_factory").unwrap(), 1);
    g.bench_function(
        format!(
            "early_threat/fastener_factory ({} turns)",
            flawed.turns.len()
        ),
        |bench| bench.iter(|| black_box(analysis::coach::review(&flawed).accuracy)),
    );
    g.finish();
}

criterion_group!(engine, benches, review);
criterion_main!(engine);
