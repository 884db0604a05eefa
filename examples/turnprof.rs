use dunning_dojo::engine::{CaseBundle, Negotiation, Scenarios, bundled_dir};
use std::time::{Duration, Instant};
fn main() {
    let sc = Scenarios::load(&bundled_dir()).unwrap();
    let b = CaseBundle::new(&sc, "print_shop").unwrap();
    let greet = b.choice_index("open_greet").unwrap();
    let fresh = Negotiation::new(b.clone(), 7, &[]).unwrap();
    let rec = std::env::args().nth(1).is_none();
    let base = if rec {
        fresh
    } else {
        fresh.without_recording()
    };
    let mut pool: Vec<Negotiation> = (0..64).map(|_| base.clone()).collect();
    let mut total = Duration::ZERO;
    let mut turns = 0u64;
    for _ in 0..40_000 {
        for m in pool.iter_mut() {
            *m = base.clone();
        }
        let t = Instant::now();
        for m in pool.iter_mut() {
            std::hint::black_box(m.respond(greet, 3.0).unwrap());
        }
        total += t.elapsed();
        turns += 64;
    }
    println!(
        "{:.1} ns/turn (recording {rec})",
        total.as_nanos() as f64 / turns as f64
    );
}
