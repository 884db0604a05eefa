//! Players and reports that judge a case from outside: the analyzer, the course-breaking
//! adversaries, the validity report, the deviation analysis, coaching and the turn-by-turn
//! review, and the dialogue report. Builds on `sim` only.

pub mod adversary;
pub mod analyze;
pub mod coach;
pub mod deviations;
pub mod dialogue;
pub mod validity;
