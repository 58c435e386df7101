//! gxgen: a compiler for 政府信息公开工作年度报告.
//!
//! The road has four stops: `load` (YAML + markdown into the located model),
//! `validate` (the rules of the official format), then compose and render
//! (later). The official formats themselves are data, in
//! `templates/tables/`, read by `format`.

// A `Diagnostic` is a rich value (message, spans, notes, cells) made once,
// on the error path, and returned by value everywhere: boxing it in every
// `Result` would add noise and no speed.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod cli;
pub mod compose;
pub mod diag;
pub mod driver;
pub mod format;
pub mod import;
pub mod input;
pub mod load;
pub mod model;
pub mod output;
pub mod reference;
pub mod render;
pub mod skeleton;
pub mod source;
pub mod typography;
pub mod validate;
pub mod value;

// The driver's entry points, as the public API.
pub use driver::{Checked, audit, build, check, workspace};
