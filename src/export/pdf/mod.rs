//! The PDF: the layout engine ([`layout`]), the document's sections composed with it
//! ([`sections`]) and the writer that turns the laid-out pages into PDF bytes (the only part
//! that knows the PDF library).

pub mod layout;
pub mod sections;
mod writer;

pub use writer::{PdfInfo, write_document, write_pdf};

use super::{ExportError, ExportModel};
use layout::Fonts;

/// Render the model as a PDF.
pub fn render_pdf(model: &ExportModel) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::shared().map_err(ExportError::Font)?;
    let layout = sections::layout(model, fonts);
    if layout.overflowed {
        return Err(ExportError::TooLong {
            max_pages: layout::MAX_PAGES,
        });
    }
    write_pdf(&layout, model)
}

/// Render the one-page review summary of `reply` (the plan's `model` gives the page furniture
/// and the document's identity).
pub fn render_review_pdf(
    reply: &crate::review::ReviewReply,
    model: &ExportModel,
) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::shared().map_err(ExportError::Font)?;
    let layout = sections::review_summary(reply, model, fonts);
    write_pdf(&layout, model)
}
