//! gxgen: a compiler for 政府信息公开工作年度报告.
//!
//! One road, owned by the [`driver`]:
//!
//! ```text
//! input ─→ load ─→ validate ─→ compose ─→ render ─┬─ html
//! (door)   (model)  (rules)    (Document)         └─ pdf
//! ```
//!
//! - [`input`]: the one door for every file a report uses (disk or memory).
//! - [`load`]: YAML and markdown into the located [`model::Report`].
//! - [`validate`]: the rules of the official format.
//! - [`compose`]: the one document model every renderer draws.
//! - [`render`]: the renderers, each behind [`render::Renderer`].
//! - [`import`]: published reports read back; [`driver::audit`] checks them.
//!
//! The official formats are data in `templates/tables/`, read by
//! [`format`](mod@format); the typesetting roles are `templates/typography.yaml`
//! ([`typography`]); every diagnostic code is in `templates/codes.yaml`
//! ([`diag`]). `tests/suite/layers.rs` keeps imports going down the road.
//! ARCHITECTURE.md says more.

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
pub mod schema;
pub mod serve;
pub mod skeleton;
pub mod source;
pub mod typography;
pub mod validate;
pub mod value;
pub mod workbook;
pub mod writer;

// The driver's entry points, as the public API.
pub use driver::{Checked, audit, build, check, workspace};
