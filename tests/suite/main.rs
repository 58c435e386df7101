//! gxgen's integration tests, one binary: every test links the whole of
//! gxgen and typst, so one binary instead of fifteen keeps the link time and
//! the disk a clean build needs small. Run one part with its module name,
//! e.g. `cargo test --test suite pdf::` or `cargo test --test suite reference`.

mod common;

mod audit;
mod authoring;
mod cli;
mod confinement;
mod corpus;
mod cross_year;
mod docx;
mod docx_narrative;
mod examples;
mod formats;
mod fuzz;
mod habits;
mod hostile;
mod html;
mod import;
mod index;
mod layers;
mod narrative;
mod new;
mod pdf;
mod property;
mod reference;
mod robustness;
mod rules;
mod schema;
mod serve;
mod speed;
mod statements;
mod workbook;
mod workspace;
