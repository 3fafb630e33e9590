//! A small page layout engine for the PDF: text measured with the embedded fonts, greedy word
//! wrap that hard-breaks words longer than a line (host names, URLs), a top-down cursor in
//! millimetres, page breaks, tables whose rows wrap, split across pages and repeat their
//! header, boxes, lines and arrows for the diagram, and per-run font fallback.
//!
//! The result is a [`Document`] of positioned items (y grows downwards from the top edge) that
//! the PDF writer flips into PDF coordinates. It stays inspectable: tests check that nothing
//! is placed outside the margins.
//!
//! `fonts` measures text, `text` wraps rich text, `items` are what a page holds, `flow` is the
//! cursor that fills pages and `table` draws tables on it.

mod flow;
mod fonts;
mod items;
mod table;
#[cfg(test)]
mod tests;
mod text;

pub use flow::{Flow, MAX_PAGES, arrow};
pub use fonts::{FontFace, Fonts, PT, Rgb, Style};
pub use items::{Document, Geometry, Item, LinkTarget, OutlineEntry, Page, Stroke, TextRun};
pub use table::{Column, Table, TableRow};
pub use text::{Line, LineRun, Span, baseline, line_height, wrap_command};
