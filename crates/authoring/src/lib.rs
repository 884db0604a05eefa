//! What a trainer's files go through: reading RON with line:column, plain-language slips,
//! diagnostics, validation, lints, strings for translation, scenario test plans and recorded
//! scripts. Builds on `sim`.

pub mod diagnostic;
pub mod lint;
pub mod load;
pub mod locate;
pub mod script_file;
pub mod slips;
pub mod strings;
pub mod testplan;
pub mod validate;

pub use validate::LoadScenarios;
