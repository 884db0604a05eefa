//! The examples in the documentation work: the minimal persona of docs/SCENARIO_FORMAT.md
//! validates with the bundled scenarios and can be played in a case; the README's script plays.

mod common;

use authoring::LoadScenarios;
use authoring::load::RawScenarios;
use authoring::script_file::ScriptFile;
use authoring::validate::{bundled_dir, validate};
use common::ron_block_after;
use sim::CaseBundle;
use sim::Scenarios;
use sim::script::Script;
use std::path::Path;

#[test]
fn the_minimal_persona_in_the_format_doc_validates_and_plays() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/SCENARIO_FORMAT.md")).unwrap();
    let persona = ron_block_after(&doc, "A minimal persona:");
    let dir = tempfile::tempdir().unwrap();
    let pfile = dir.path().join("busy_buyer.ron");
    std::fs::write(&pfile, &persona).unwrap();
    // A case for it: the print shop, pointed at the new persona.
    let case = std::fs::read_to_string(root.join("scenarios/cases/print_shop.ron"))
        .unwrap()
        .replace("id: \"print_shop\"", "id: \"busy_case\"")
        .replace("persona: \"evader\"", "persona: \"busy_buyer\"");
    let cfile = dir.path().join("busy_case.ron");
    std::fs::write(&cfile, case).unwrap();

    let mut diags = Vec::new();
    let mut raw = RawScenarios::load_dir(&bundled_dir(), &mut diags);
    raw.add_file(&pfile, None, &mut diags);
    raw.add_file(&cfile, None, &mut diags);
    let sc: Scenarios = validate(raw, diags).unwrap_or_else(|d| panic!("{d:#?}"));
    let b = CaseBundle::new(&sc, "busy_case").unwrap();
    let n = sim::autoplay::model(&b, 1);
    assert!(
        n.is_over(),
        "the model approach finishes a meeting with the new persona"
    );
}

#[test]
fn the_script_in_the_readme_plays() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let text = ron_block_after(&readme, "A script is RON");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.ron");
    std::fs::write(&file, text).unwrap();
    let (src, script) = Script::load(&file).unwrap();
    let sc = Scenarios::load(&bundled_dir()).unwrap();
    let b = CaseBundle::new(&sc, "print_shop").unwrap();
    let n = script.play(&src, b, 1).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(n.turns.len(), 3);
}
