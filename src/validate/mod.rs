//! validate: the rules of the official format, run over a loaded report.
//! Omitted totals are computed first, so later stages see every cell filled.

mod arithmetic;

pub use arithmetic::{failing, holds};
mod document;
mod statements;

pub use statements::survey;

use crate::diag::Diagnostics;
use crate::model::Report;

/// Compute omitted totals and check every rule. `previous` is last year's
/// report of the same agency, when known (cross-year rules).
pub fn validate(report: &mut Report, previous: Option<&Report>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    arithmetic::compute_totals(report);
    arithmetic::check(report, previous, &mut diags);
    document::check(report, &mut diags);
    statements::check(report, previous, &mut diags);
    diags
}
