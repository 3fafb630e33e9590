//! The page furniture: header, footer with "Page x of y", and the DRAFT marks.

use super::super::layout::{Document, PT, Stroke, TextRun};
use super::*;

/// `text` when it fits in `max`, else its longest prefix that fits with an ellipsis after it.
fn fitted(fonts: &Fonts, text: &str, style: Style, size: f32, max: f32) -> String {
    if fonts.width(text, style, size) <= max {
        return text.to_string();
    }
    // Widths grow with the prefix, so search the character boundaries for the last prefix
    // that fits (the empty one always counts as fitting).
    let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let fits = |end: usize| fonts.width(&format!("{}…", &text[..end]), style, size) <= max;
    let (mut lo, mut hi) = (0usize, ends.len());
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if fits(ends[mid]) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let end = ends.get(lo).copied().unwrap_or(0);
    format!("{}…", text[..end].trim_end())
}

/// Font size of the header and footer.
const SIZE: f32 = 7.0;
const DRAFT_MARK: &str = "DRAFT — NOT FOR SUBMISSION";

/// Text runs (with font fallback) for a string at a baseline.
fn runs(
    fonts: &Fonts,
    text: &str,
    style: Style,
    size: f32,
    color: Rgb,
    x: f32,
    base: f32,
) -> Vec<Item> {
    let mut x = x;
    fonts
        .runs(text, style)
        .into_iter()
        .map(|(face, s)| {
            let w = fonts.face_width(face, &s, size);
            let run = Item::Text(TextRun {
                x,
                baseline: base,
                size,
                face,
                color,
                text: s,
                width: w,
            });
            x += w;
            run
        })
        .collect()
}

/// A thin rule across the body width at `y`.
fn rule(g: &Geometry, y: f32) -> Item {
    Item::Line {
        x1: g.left(),
        y1: y,
        x2: g.right(),
        y2: y,
        stroke: Stroke {
            color: LIGHT,
            width: 0.25,
            dashed: false,
        },
    }
}

/// What every page's header says (the left text is left out on the first page).
struct Header {
    left: String,
    right: String,
    /// Width of the right text, and of the DRAFT mark with its gap (0 when not a draft).
    right_w: f32,
    draft_w: f32,
}

impl Header {
    fn new(m: &ExportModel, fonts: &Fonts, g: &Geometry) -> Header {
        let right = format!("Plan {} · revision {}", short_id(&m.plan_id), m.revision);
        let right_w = fonts.width(&right, Style::Regular, SIZE);
        let draft_w = if m.draft {
            fonts.width(DRAFT_MARK, Style::Bold, SIZE + 0.5) + 4.0
        } else {
            0.0
        };
        let left = fitted(
            fonts,
            &format!(
                "{} · GitLab upgrade plan {}",
                m.organization(),
                m.upgrade_line()
            ),
            Style::Regular,
            SIZE,
            g.right() - g.left() - right_w - draft_w - 6.0,
        );
        Header {
            left,
            right,
            right_w,
            draft_w,
        }
    }

    fn items(&self, fonts: &Fonts, g: &Geometry, first_page: bool) -> Vec<Item> {
        let base = g.margin_top + 4.6;
        let mut items = Vec::new();
        if self.draft_w > 0.0 {
            items.extend(runs(
                fonts,
                DRAFT_MARK,
                Style::Bold,
                SIZE + 0.5,
                RED,
                g.left(),
                base,
            ));
        }
        if !first_page {
            items.extend(runs(
                fonts,
                &self.left,
                Style::Regular,
                SIZE,
                GREY,
                g.left() + self.draft_w,
                base,
            ));
        }
        items.extend(runs(
            fonts,
            &self.right,
            Style::Regular,
            SIZE,
            GREY,
            g.right() - self.right_w,
            base,
        ));
        items.push(rule(g, g.margin_top + 6.5));
        items
    }
}

/// The footer: generation facts on the left, "Page x of y" on the right.
fn footer(fonts: &Fonts, g: &Geometry, m: &ExportModel, page: usize, pages: usize) -> Vec<Item> {
    let base = g.body_bottom + 6.8;
    let page_text = format!("Page {page} of {pages}");
    let pw = fonts.width(&page_text, Style::Bold, SIZE);
    let foot = fitted(
        fonts,
        &format!(
            "Generated {} · {} · GitLab data of {}",
            m.generated_at, m.tool, m.data_date
        ),
        Style::Regular,
        SIZE,
        g.right() - g.left() - pw - 6.0,
    );
    let mut items = vec![rule(g, g.body_bottom + 3.0)];
    items.extend(runs(
        fonts,
        &foot,
        Style::Regular,
        SIZE,
        GREY,
        g.left(),
        base,
    ));
    items.extend(runs(
        fonts,
        &page_text,
        Style::Bold,
        SIZE,
        HEAD,
        g.right() - pw,
        base,
    ));
    items
}

/// A large diagonal DRAFT over the content (the PDF draws it translucent).
fn watermark(fonts: &Fonts, g: &Geometry) -> Option<Item> {
    let size = 96.0;
    let word = "DRAFT";
    let w = fonts.width(word, Style::Bold, size);
    let cap = 0.73 * size * PT;
    let (cx, cy) = (g.width / 2.0, g.height / 2.0);
    let (s, c) = 45.0_f32.to_radians().sin_cos();
    // Start of the baseline so that the text's centre lands on the page centre.
    let x = cx - (w / 2.0) * c + (cap / 2.0) * s;
    let base = cy + (w / 2.0) * s + (cap / 2.0) * c;
    let (face, text) = fonts.runs(word, Style::Bold).into_iter().next()?;
    Some(Item::Rotated {
        run: TextRun {
            x,
            baseline: base,
            size,
            face,
            color: WATERMARK,
            text,
            width: w,
        },
        degrees: 45.0,
    })
}

pub(super) fn furniture(doc: &mut Document, m: &ExportModel, fonts: &Fonts) {
    let g = doc.geometry;
    let n = doc.pages.len();
    let header = Header::new(m, fonts, &g);
    for (i, page) in doc.pages.iter_mut().enumerate() {
        page.furniture.extend(header.items(fonts, &g, i == 0));
        page.furniture.extend(footer(fonts, &g, m, i + 1, n));
        if m.draft {
            page.overlay.extend(watermark(fonts, &g));
        }
    }
}

fn short_id(id: &str) -> String {
    id.split('-').next().unwrap_or(id).to_string()
}
