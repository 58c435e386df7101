//! render: draw the document model. Each renderer reads `compose::Document`
//! and nothing else.

pub mod html;
pub mod pdf;
