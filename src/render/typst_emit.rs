//! The typst inputs of a report (`gxgen build --emit typst`): the page
//! template and the document data exactly as the PDF renderer compiles
//! them, so a template designer can work in typst directly (CLI or web app)
//! and anyone can time gxgen against typst on identical input.

use crate::compose::Document;
use crate::diag::Diagnostic;

/// The file names, as the template reads its data (`json("/document.json")`).
pub const TEMPLATE_FILE: &str = "report.typ";
pub const DATA_FILE: &str = "document.json";

/// The folder, beside the report's other outputs, that holds the pair.
pub fn folder_name(stem: &str) -> String {
    format!("{stem}-typst")
}

/// (file name, bytes) of the template and the data, byte for byte what the
/// PDF renderer gives typst (same font and glyph checks first).
pub fn emit(doc: &Document, ctx: &super::Context) -> Result<Vec<(&'static str, Vec<u8>)>, Vec<Diagnostic>> {
    let opts = super::pdf::options_of(ctx);
    let inputs = super::pdf::typst_inputs(doc, &opts, &mut super::pdf::Timings::default())?;
    Ok(vec![(TEMPLATE_FILE, inputs.template.into_bytes()), (DATA_FILE, inputs.data)])
}
