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

/// Copies a folder tree.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// A copy of the bundled scenarios in a temporary folder: (the folder's owner, its path).
pub fn scenario_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scenarios");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        &dir,
    );
    (tmp, dir)
}

/// The first ```ron block after `marker` in a Markdown document.
pub fn ron_block_after(doc: &str, marker: &str) -> String {
    let at = doc
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} in doc"));
    let rest = &doc[at..];
    let start = rest.find("```ron\n").unwrap() + 7;
    let end = rest[start..].find("```").unwrap();
    rest[start..start + end].to_owned()
}
