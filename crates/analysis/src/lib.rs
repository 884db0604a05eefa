//! Players and reports that judge a case from outside: the analyzer, the course-breaking
//! adversaries, the validity report, the deviation analysis, coaching and the turn-by-turn
//! review, and the dialogue report. Builds on `sim` only.

pub mod adversary;
pub mod analyze;
pub mod bars;
pub mod coach;
pub mod deviations;
pub mod dialogue;
pub mod model_fix;
pub mod validity;
