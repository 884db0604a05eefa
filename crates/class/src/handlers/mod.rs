//! The handlers, per resource.

pub mod classes;
pub mod debrief;
pub mod live;
pub mod results;
pub mod trainees;
