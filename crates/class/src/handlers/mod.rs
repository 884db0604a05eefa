//! The handlers, per resource.

pub mod debrief;
pub mod live;
pub mod results;
pub mod sessions;
pub mod trainees;
