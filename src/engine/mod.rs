//! The negotiation engine: pure Rust, no Bevy. Scenario schema and loading, the debtor model,
//! turn resolution, scoring and transcripts. Everything else calls into this.

pub mod adversary;
pub mod analyze;
pub mod autoplay;
pub mod bundle;
pub mod coach;
pub mod debtor;
pub mod decision;
pub mod deviations;
pub mod diagnostic;
pub mod dialogue;
pub mod lint;
pub mod load;
pub mod locate;
pub mod menu;
pub mod negotiation;
pub mod notes;
pub mod result;
pub mod rubric;
pub mod scenario;
pub mod script;
pub mod slips;
pub mod strings;
pub mod testplan;
pub mod text;
pub mod transcript;
pub mod validate;
pub mod validity;

pub use bundle::CaseBundle;
pub use negotiation::{Event, Negotiation, Outcome};
pub use text::{Lang, Text};
pub use validate::{Scenarios, bundled_dir};
