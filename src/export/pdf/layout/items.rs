//! What a page holds: positioned text runs, rectangles, lines, polygons and links.

use serde::Serialize;

use super::{FontFace, PT, Rgb};

/// One run of text in one font. `baseline` is measured from the top edge of the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextRun {
    pub x: f32,
    pub baseline: f32,
    /// Points.
    pub size: f32,
    pub face: FontFace,
    pub color: Rgb,
    pub text: String,
    /// Millimetres.
    pub width: f32,
}

impl TextRun {
    /// The box the glyphs can cover (ascender to descender).
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        let s = self.size * PT;
        (
            self.x,
            self.baseline - 0.95 * s,
            self.x + self.width,
            self.baseline + 0.26 * s,
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stroke {
    pub color: Rgb,
    /// Millimetres.
    pub width: f32,
    pub dashed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum LinkTarget {
    Uri(String),
    /// A page (0-based) and a y position on it.
    Page {
        page: usize,
        y: f32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Text(TextRun),
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        stroke: Stroke,
    },
    /// A filled polygon (arrow heads, check marks).
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Rgb,
    },
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: LinkTarget,
    },
    /// Text rotated counter-clockwise by `degrees` around its start (the DRAFT watermark).
    Rotated {
        run: TextRun,
        degrees: f32,
    },
}

impl Item {
    /// Left, top, right, bottom in millimetres from the top-left corner.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        match self {
            Item::Text(t) => t.bounds(),
            Item::Rect {
                x, y, w, h, stroke, ..
            } => {
                let half = stroke.map_or(0.0, |s| s.width / 2.0);
                (x - half, y - half, x + w + half, y + h + half)
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                stroke,
            } => {
                // Butt caps: the stroke widens the line sideways only.
                let (dx, dy) = (x2 - x1, y2 - y1);
                let len = (dx * dx + dy * dy).sqrt().max(1e-6);
                let half = stroke.width / 2.0;
                let (px, py) = (-dy / len * half, dx / len * half);
                [
                    (x1 + px, y1 + py),
                    (x1 - px, y1 - py),
                    (x2 + px, y2 + py),
                    (x2 - px, y2 - py),
                ]
                .iter()
                .fold(
                    (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
                    |(a, b, c, d), (x, y)| (a.min(*x), b.min(*y), c.max(*x), d.max(*y)),
                )
            }
            Item::Polygon { points, .. } => points.iter().fold(
                (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
                |(a, b, c, d), (x, y)| (a.min(*x), b.min(*y), c.max(*x), d.max(*y)),
            ),
            Item::Link { x, y, w, h, .. } => (*x, *y, x + w, y + h),
            Item::Rotated { run, degrees } => {
                let (l, t, r, b) = run.bounds();
                let (sin, cos) = (-degrees.to_radians()).sin_cos();
                let rot = |px: f32, py: f32| {
                    let (dx, dy) = (px - run.x, py - run.baseline);
                    (
                        run.x + dx * cos - dy * sin,
                        run.baseline + dx * sin + dy * cos,
                    )
                };
                [rot(l, t), rot(r, t), rot(l, b), rot(r, b)].iter().fold(
                    (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
                    |(a, bb, c, d), (x, y)| (a.min(*x), bb.min(*y), c.max(*x), d.max(*y)),
                )
            }
        }
    }
}

/// One page: body (the flow), furniture (header, footer) and an overlay drawn on top,
/// translucent (the DRAFT watermark).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Page {
    pub body: Vec<Item>,
    pub furniture: Vec<Item>,
    pub overlay: Vec<Item>,
}

impl Page {
    /// Every item in painting order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.body
            .iter()
            .chain(self.furniture.iter())
            .chain(self.overlay.iter())
    }
}

/// An outline (bookmark) entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutlineEntry {
    /// 0 for sections, 1 for their children.
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// Page size and the boxes content must stay in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Nothing is placed outside these margins (header and footer included).
    pub margin_left: f32,
    pub margin_right: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    /// The flow stays between these.
    pub body_top: f32,
    pub body_bottom: f32,
}

impl Geometry {
    pub fn for_paper(width: f32, height: f32) -> Geometry {
        Geometry {
            width,
            height,
            margin_left: 18.0,
            margin_right: 18.0,
            margin_top: 12.0,
            margin_bottom: 12.0,
            body_top: 22.0,
            body_bottom: height - 20.0,
        }
    }
    pub fn left(&self) -> f32 {
        self.margin_left
    }
    pub fn right(&self) -> f32 {
        self.width - self.margin_right
    }
    pub fn body_width(&self) -> f32 {
        self.right() - self.left()
    }
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub geometry: Geometry,
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
    /// The content needed more pages than a PDF may have; the pages are incomplete.
    pub overflowed: bool,
    /// The document's title in the PDF's metadata, when not the plan's own.
    pub title: Option<String>,
}

impl Document {
    /// Items that reach outside the margins (or body items outside the body), with their
    /// page number (1-based). Empty when the layout is clean.
    pub fn overflows(&self) -> Vec<(usize, String)> {
        let g = &self.geometry;
        let eps = 0.01;
        let mut out = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            for item in page.items() {
                let (l, t, r, b) = item.bounds();
                if l < g.margin_left - eps
                    || r > g.width - g.margin_right + eps
                    || t < g.margin_top - eps
                    || b > g.height - g.margin_bottom + eps
                {
                    out.push((i + 1, format!("outside the margins: {item:?}")));
                }
            }
            for item in &page.body {
                let (_, t, _, b) = item.bounds();
                if t < g.body_top - 1.0 - eps || b > g.body_bottom + 1.0 + eps {
                    out.push((i + 1, format!("outside the body: {item:?}")));
                }
            }
        }
        out
    }

    /// The text of a page, run by run, for tests.
    pub fn page_text(&self, page: usize) -> String {
        let mut s = String::new();
        if let Some(p) = self.pages.get(page) {
            for item in p.items() {
                if let Item::Text(t) | Item::Rotated { run: t, .. } = item {
                    s.push_str(&t.text);
                    s.push(' ');
                }
            }
        }
        s
    }
}
