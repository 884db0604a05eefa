//! The lines on offer, in the order a trainee reads them, for the terminal, the game and the
//! browser alike: the counters to the excuse on the table first, then the rest grouped by the
//! course's stages; inside each group, the lines of one tactic stay together (tactics in the
//! order the case file first uses them), so a trainee compares like with like.

use crate::meeting::Meeting;
use crate::scenario::Stage;
use crate::text::Text;

/// One heading of the menu and the choices under it (indices into the bundle's choices).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub title: Text,
    /// True for the group that answers the excuse on the table.
    pub counters: bool,
    pub lines: Vec<usize>,
}

/// The open lines in groups. With `hints` off (exam mode) the counters stay in their stages,
/// so the order does not give away which lines answer the excuse.
pub fn menu(n: &Meeting, hints: bool) -> Vec<Group> {
    let b = &n.bundle;
    let open = n.available();
    let is_counter = |i: &usize| hints && b.choices[*i].counters.is_some();
    let mut groups = Vec::new();
    let counters = by_tactic(n, open.iter().copied().filter(is_counter).collect());
    if !counters.is_empty() {
        groups.push(Group {
            title: Text::new("回应这个借口", "Answer the excuse"),
            counters: true,
            lines: counters,
        });
    }
    let stages = Stage::ALL.iter().map(|&s| (Some(s), s.name()));
    for (stage, title) in stages.chain([(None, Text::new("任何时候", "Any time"))]) {
        let lines = by_tactic(
            n,
            open.iter()
                .copied()
                .filter(|i| !is_counter(i) && b.choices[*i].stage.stage() == stage)
                .collect(),
        );
        if !lines.is_empty() {
            groups.push(Group {
                title,
                counters: false,
                lines,
            });
        }
    }
    groups
}

/// `lines` with each tactic's lines together, tactics in order of first appearance.
fn by_tactic(n: &Meeting, lines: Vec<usize>) -> Vec<usize> {
    let tactic = |i: usize| n.bundle.choices[i].tactic;
    let mut tactics: Vec<usize> = Vec::new();
    for &i in &lines {
        if !tactics.contains(&tactic(i)) {
            tactics.push(tactic(i));
        }
    }
    tactics
        .into_iter()
        .flat_map(|t| lines.iter().copied().filter(move |&i| tactic(i) == t))
        .collect()
}

/// The open lines in menu order (what the game's number keys and cursor walk through).
pub fn order(n: &Meeting, hints: bool) -> Vec<usize> {
    menu(n, hints).into_iter().flat_map(|g| g.lines).collect()
}
