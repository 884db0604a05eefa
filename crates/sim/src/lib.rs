//! The meeting itself: scenario types and text, the debtor model, turn resolution, the compiled
//! case, the menu, scoring, notes and transcripts, and the automatic course-following player.
//! Pure Rust: no Bevy, no tokio, no SQLite, no clap. Everything else calls into this.

pub mod autoplay;
pub mod bundle;
pub mod debtor;
pub mod decision;
pub mod hash;
pub mod meeting;
pub mod menu;
pub mod names;
pub mod notes;
pub mod path;
pub mod result;
pub mod rubric;
pub mod scenario;
pub mod scenarios;
pub mod script;
pub mod text;
pub mod transcript;

pub use bundle::CaseBundle;
pub use meeting::{Event, Meeting, Outcome};
pub use names::did_you_mean;
pub use scenarios::{Scenarios, Source, Sources, bundled_dir};
pub use text::{Lang, Text};
