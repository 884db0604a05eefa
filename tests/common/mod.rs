//! Helpers shared by the integration tests.
#![allow(dead_code)]

use dunning_dojo::engine::autoplay::counter_for_open_excuse;
use dunning_dojo::engine::negotiation::Event;
use dunning_dojo::engine::{CaseBundle, Negotiation, Scenarios, bundled_dir};
use std::sync::{Arc, OnceLock};

pub fn scenarios() -> &'static Scenarios {
    static SC: OnceLock<Scenarios> = OnceLock::new();
    SC.get_or_init(|| Scenarios::load(&bundled_dir()).expect("bundled scenarios validate"))
}

pub fn bundle(case: &str) -> Arc<CaseBundle> {
    CaseBundle::new(scenarios(), case).expect("bundled case")
}

pub fn start(case: &str, seed: u64, preps: &[&str]) -> Negotiation {
    let preps: Vec<String> = preps.iter().map(|s| s.to_string()).collect();
    Negotiation::new(bundle(case), seed, &preps).expect("valid preparations")
}

/// Says each line in turn, first answering any open excuse with its first counter.
pub fn say_all(n: &mut Negotiation, ids: &[&str]) {
    for id in ids {
        answer_excuses(n);
        n.respond_id(id, 3.0)
            .unwrap_or_else(|e| panic!("saying {id}: {e}; open: {:?}", open_ids(n)));
    }
}

pub fn answer_excuses(n: &mut Negotiation) {
    while let Some(c) = counter_for_open_excuse(n) {
        n.respond(c, 3.0).expect("counter is available");
    }
}

pub fn open_ids(n: &Negotiation) -> Vec<String> {
    n.available()
        .iter()
        .map(|&i| n.bundle.choices[i].id.clone())
        .collect()
}

/// The ids of the tactic rules that fired in these events.
pub fn fired(n: &Negotiation, events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::RuleFired { tactic, rule } => {
                Some(format!("{}#{}", n.bundle.tactics[*tactic].id, rule))
            }
            _ => None,
        })
        .collect()
}
