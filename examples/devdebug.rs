use dunning_dojo::engine::deviations::{self, Standing};
use dunning_dojo::engine::{CaseBundle, Scenarios, bundled_dir};
use std::collections::BTreeMap;
fn main() {
    let sc = Scenarios::load(&bundled_dir()).unwrap();
    let want = std::env::args().nth(1).unwrap_or("major".into());
    if want == "trace" {
        let a: Vec<String> = std::env::args().collect();
        trace(&a[2], a[3].parse().unwrap(), a[4].parse().unwrap(), &a[5]);
        return;
    }
    for c in &sc.cases {
        let b = CaseBundle::new(&sc, &c.id).unwrap();
        let all = deviations::all(&b, &deviations::model_bases(&b, 1..=30));
        let mut by: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for d in all {
            let s = match d.standing {
                Standing::Endorsed => "endorsed",
                Standing::Neutral => "neutral",
                Standing::Breaks(s) => match s {
                    dunning_dojo::engine::scenario::Severity::Minor => "minor",
                    dunning_dojo::engine::scenario::Severity::Major => "major",
                    _ => "severe",
                },
            };
            if s == want {
                by.entry(d.line.clone()).or_default().push(d.cost);
            }
            if s == want && d.cost > 20.0 && std::env::var("BIG").is_ok() {
                println!(
                    "  BIG {} seed {} turn {} {} {:.1}",
                    c.id, d.seed, d.turn, d.line, d.cost
                );
            }
        }
        println!("{}", c.id);
        for (l, mut v) in by {
            v.sort_by(f64::total_cmp);
            println!(
                "  {:<28} n {:>4} med {:>6.1} min {:>6.1} max {:>6.1}",
                l,
                v.len(),
                v[v.len() / 2],
                v[0],
                v[v.len() - 1]
            );
        }
    }
}

#[allow(dead_code)]
pub fn trace(case: &str, seed: u64, turn: usize, line: &str) {
    use dunning_dojo::engine::autoplay::{self, Course};
    use dunning_dojo::engine::text::Lang;
    use dunning_dojo::engine::transcript::Transcript;
    let sc = Scenarios::load(&bundled_dir()).unwrap();
    let b = CaseBundle::new(&sc, case).unwrap();
    let model = autoplay::model(&b, seed);
    let lines: Vec<usize> = model.turns.iter().map(|t| t.choice).collect();
    let mut n = autoplay::start_or_unprepared(&b, seed, &b.case.model_preparations);
    for &i in &lines[..turn - 1] {
        n.respond(i, 4.0).unwrap();
    }
    let i = b.choice_index(line).unwrap();
    n.respond(i, 4.0).unwrap();
    let mut said = lines[..turn - 1].to_vec();
    said.push(i);
    Course::after(&b, &said).finish(&mut n, 4.0);
    let t = Transcript::of(&n, Lang::En);
    for tv in &t.transcript {
        println!(
            "[{}] {} | {}\n     → {} | will {:.2} pat {:.2} trust {:.2} notes {:?}",
            tv.turn,
            tv.choice,
            tv.trainee,
            tv.debtor,
            tv.state.willingness,
            tv.state.patience,
            tv.state.trust,
            tv.notes
        );
    }
    println!(
        "{:?} {} {} | hardening {:?} standing {:.3}",
        t.outcome, t.score.total, t.grade, n.meeting.hardened, n.meeting.standing
    );
    for it in &t.score.items {
        if it.points < it.max {
            println!("  {} {}/{} {}", it.id, it.points, it.max, it.note.en);
        }
    }
    println!("model: {} ", dunning_dojo::engine::rubric::total(&model));
}
