//! Training validity: for every bundled case, the course-following model approach grades at
//! least B on every seed tried, and beats both "always the strongest pressure line" and the
//! mean of 200 random-choice seeds by at least 20 points.

use dunning_dojo::engine::autoplay;
use dunning_dojo::engine::rubric::score;
use dunning_dojo::engine::{CaseBundle, Scenarios, bundled_dir};

const MODEL_SEEDS: u64 = 40;
const RANDOM_SEEDS: u64 = 200;

fn grade_at_least_b(grade: &str) -> bool {
    matches!(grade, "A" | "B")
}

#[test]
fn course_following_beats_pressure_and_random_on_every_case() {
    let sc = Scenarios::load(&bundled_dir()).expect("bundled scenarios validate");
    assert!(sc.cases.len() >= 6, "at least six cases are bundled");
    let mut failures = Vec::new();
    for case in &sc.cases {
        let b = CaseBundle::new(&sc, &case.id).unwrap();
        let model: Vec<_> = (0..MODEL_SEEDS).map(|s| autoplay::model(&b, s)).collect();
        let scores: Vec<f64> = model.iter().map(|n| score(n).total).collect();
        let worst = model
            .iter()
            .map(|n| (score(n).total, score(n).grade, n.seed, n.outcome))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        let model_mean = scores.iter().sum::<f64>() / scores.len() as f64;
        let pressure: f64 = (0..10)
            .map(|s| score(&autoplay::always_pressure(&b, s)).total)
            .fold(f64::MIN, f64::max);
        let random_mean = (0..RANDOM_SEEDS)
            .map(|s| score(&autoplay::random(&b, s)).total)
            .sum::<f64>()
            / RANDOM_SEEDS as f64;
        println!(
            "{:<20} model mean {:5.1} worst {:5.1} ({} seed {} {:?}) | pressure best {:5.1} | random mean {:5.1}",
            case.id, model_mean, worst.0, worst.1, worst.2, worst.3, pressure, random_mean
        );
        if !grade_at_least_b(&worst.1) {
            failures.push(format!(
                "{}: model grades {} on seed {}",
                case.id, worst.1, worst.2
            ));
        }
        if worst.0 < pressure + 20.0 {
            failures.push(format!(
                "{}: model worst {:.1} vs pressure {:.1}",
                case.id, worst.0, pressure
            ));
        }
        if worst.0 < random_mean + 20.0 {
            failures.push(format!(
                "{}: model worst {:.1} vs random mean {:.1}",
                case.id, worst.0, random_mean
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
