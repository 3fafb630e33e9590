//! The flow: a top-down cursor that fills pages with paragraphs, lists, headings, steps,
//! commands and contents lines.

use std::collections::BTreeMap;

use super::text::CHIP_PAD;
use super::*;

/// Where a deferred page number goes (contents list).
#[derive(Debug, Clone)]
struct Deferred {
    page: usize,
    right: f32,
    baseline: f32,
    size: f32,
    color: Rgb,
    anchor: String,
    link_box: (f32, f32, f32, f32),
}

/// A top-down cursor over pages.
pub struct Flow<'f> {
    pub fonts: &'f Fonts,
    pub geometry: Geometry,
    pages: Vec<Page>,
    /// Cursor, millimetres from the top edge of the current page.
    pub y: f32,
    outline: Vec<OutlineEntry>,
    anchors: BTreeMap<String, (usize, f32)>,
    deferred: Vec<Deferred>,
    /// Default text colour.
    pub ink: Rgb,
    /// Set when the document reached [`MAX_PAGES`]: nothing more is laid out.
    overflowed: bool,
}

/// The most pages a PDF may have. A plan long enough to need more (the size limits allow
/// megabytes of answers) is refused instead of taking hundreds of megabytes to lay out; the
/// Markdown and JSON exports carry it whole.
pub const MAX_PAGES: usize = 600;

impl<'f> Flow<'f> {
    pub fn new(fonts: &'f Fonts, geometry: Geometry) -> Flow<'f> {
        Flow {
            fonts,
            geometry,
            pages: vec![Page::default()],
            y: geometry.body_top,
            outline: Vec::new(),
            anchors: BTreeMap::new(),
            deferred: Vec::new(),
            ink: Rgb::BLACK,
            overflowed: false,
        }
    }

    pub fn left(&self) -> f32 {
        self.geometry.left()
    }
    pub fn right(&self) -> f32 {
        self.geometry.right()
    }
    pub fn width(&self) -> f32 {
        self.geometry.body_width()
    }
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }
    pub fn remaining(&self) -> f32 {
        self.geometry.body_bottom - self.y
    }
    fn at_top(&self) -> bool {
        self.y <= self.geometry.body_top + 0.01
    }

    pub fn new_page(&mut self) {
        if self.pages.len() >= MAX_PAGES {
            // The last page is written over from the top from now on; nothing of it is kept.
            self.overflowed = true;
            if let Some(p) = self.pages.last_mut() {
                p.body.clear();
            }
        } else {
            self.pages.push(Page::default());
        }
        self.y = self.geometry.body_top;
    }

    /// True when the document needed more than [`MAX_PAGES`] pages.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// Start a new page unless `h` millimetres fit (or the page is still empty).
    pub fn ensure(&mut self, h: f32) {
        if self.remaining() < h && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space; never carried over to a new page.
    pub fn gap(&mut self, h: f32) {
        if self.at_top() {
            return;
        }
        self.y += h;
        if self.y > self.geometry.body_bottom {
            self.new_page();
        }
    }

    pub fn push(&mut self, item: Item) {
        if self.overflowed {
            return;
        }
        if let Some(p) = self.pages.last_mut() {
            p.body.push(item);
        }
    }

    /// Remember this place for links and the contents list.
    pub fn anchor(&mut self, name: &str) {
        self.anchors
            .insert(name.to_string(), (self.page_index(), self.y));
    }

    pub fn outline(&mut self, level: u8, title: &str) {
        self.outline.push(OutlineEntry {
            level,
            title: title.to_string(),
            page: self.page_index(),
            y: self.y,
        });
    }

    /// Text runs (with font fallback) for a string at a baseline.
    pub fn text_items(
        &self,
        text: &str,
        style: Style,
        size: f32,
        color: Rgb,
        x: f32,
        base: f32,
    ) -> Vec<Item> {
        let mut items = Vec::new();
        let mut x = x;
        for (face, s) in self.fonts.runs(text, style) {
            let w = self.fonts.face_width(face, &s, size);
            items.push(Item::Text(TextRun {
                x,
                baseline: base,
                size,
                face,
                color,
                text: s,
                width: w,
            }));
            x += w;
        }
        items
    }

    /// Draw a string at a baseline (no wrapping).
    pub fn text_at(&mut self, text: &str, style: Style, size: f32, color: Rgb, x: f32, base: f32) {
        for item in self.text_items(text, style, size, color, x, base) {
            self.push(item);
        }
    }

    /// Items of one wrapped line whose box starts at `top`.
    pub fn line_items(&self, line: &Line, x0: f32, top: f32, size: f32, lh: f32) -> Vec<Item> {
        let mut items = Vec::new();
        let base = baseline(top, lh, size);
        for r in &line.runs {
            let x = x0 + r.x;
            let color = r.color.unwrap_or(self.ink);
            if let Some(bg) = r.chip {
                let h = (size * PT * 1.25).min(lh);
                items.push(Item::Rect {
                    x,
                    y: top + (lh - h) / 2.0,
                    w: r.width,
                    h,
                    fill: Some(bg),
                    stroke: None,
                });
                items.extend(self.text_items(&r.text, r.style, size, color, x + CHIP_PAD, base));
            } else {
                items.extend(self.text_items(&r.text, r.style, size, color, x, base));
            }
            if let Some(url) = &r.link {
                items.push(Item::Link {
                    x,
                    y: top,
                    w: r.width,
                    h: lh,
                    target: LinkTarget::Uri(url.clone()),
                });
            }
        }
        items
    }

    /// A paragraph of rich text at `indent`, broken across pages line by line.
    pub fn paragraph(&mut self, spans: &[Span], size: f32, indent: f32) {
        let lh = line_height(size);
        let lines = self.fonts.wrap(spans, size, self.width() - indent);
        for line in &lines {
            self.ensure(lh);
            let items = self.line_items(line, self.left() + indent, self.y, size, lh);
            for i in items {
                self.push(i);
            }
            self.y += lh;
        }
    }

    /// Label and value rows: the label in a left column, the value wrapped beside it.
    pub fn key_values(
        &mut self,
        rows: &[(String, Vec<Span>)],
        label_w: f32,
        size: f32,
        label_color: Rgb,
    ) {
        let lh = line_height(size);
        let gap = 0.8;
        for (label, value) in rows {
            let labels = self.fonts.wrap(
                &[Span::bold(label.clone()).color(label_color)],
                size - 0.5,
                label_w - 2.0,
            );
            let values = self.fonts.wrap(value, size, self.width() - label_w);
            let n = labels.len().max(values.len());
            self.ensure((n.min(4) as f32) * lh);
            for i in 0..n {
                self.ensure(lh);
                let top = self.y;
                if let Some(l) = labels.get(i) {
                    for it in self.line_items(l, self.left(), top, size - 0.5, lh) {
                        self.push(it);
                    }
                }
                if let Some(v) = values.get(i) {
                    for it in self.line_items(v, self.left() + label_w, top, size, lh) {
                        self.push(it);
                    }
                }
                self.y += lh;
            }
            self.y += gap;
        }
    }

    /// A bulleted list.
    pub fn bullets(&mut self, items: &[Vec<Span>], size: f32, indent: f32, bullet_color: Rgb) {
        let markers = vec!["•".to_string(); items.len()];
        self.list(items, &markers, size, indent, bullet_color);
    }

    /// A list with a marker (bullet or number) before each item.
    pub fn list(
        &mut self,
        items: &[Vec<Span>],
        markers: &[String],
        size: f32,
        indent: f32,
        marker_color: Rgb,
    ) {
        let lh = line_height(size);
        let marker_w = markers
            .iter()
            .map(|m| self.fonts.width(m, Style::Bold, size))
            .fold(0.0_f32, f32::max)
            + 2.0;
        for (spans, marker) in items.iter().zip(markers) {
            let lines = self
                .fonts
                .wrap(spans, size, self.width() - indent - marker_w);
            self.ensure(lh * lines.len().min(2) as f32);
            let base = baseline(self.y, lh, size);
            let x = self.left() + indent;
            self.text_at(marker, Style::Bold, size, marker_color, x, base);
            for line in &lines {
                self.ensure(lh);
                for it in self.line_items(line, x + marker_w, self.y, size, lh) {
                    self.push(it);
                }
                self.y += lh;
            }
            self.y += 0.5;
        }
    }

    /// A heading: kept with the next `keep` millimetres, recorded as anchor and outline.
    #[allow(clippy::too_many_arguments)]
    pub fn heading(
        &mut self,
        text: &str,
        size: f32,
        color: Rgb,
        level: u8,
        anchor: Option<&str>,
        keep: f32,
        rule: Option<Rgb>,
    ) {
        let lh = line_height(size);
        let lines = self
            .fonts
            .wrap(&[Span::bold(text).color(color)], size, self.width());
        let h = lh * lines.len() as f32 + if rule.is_some() { 1.5 } else { 0.0 };
        self.ensure(h + keep);
        if let Some(a) = anchor {
            self.anchor(a);
        }
        self.outline(level, text);
        for line in &lines {
            let items = self.line_items(line, self.left(), self.y, size, lh);
            for i in items {
                self.push(i);
            }
            self.y += lh;
        }
        if let Some(c) = rule {
            self.y += 0.6;
            let (l, r, y) = (self.left(), self.right(), self.y);
            self.push(Item::Line {
                x1: l,
                y1: y,
                x2: r,
                y2: y,
                stroke: Stroke {
                    color: c,
                    width: 0.4,
                    dashed: false,
                },
            });
            self.y += 0.9;
        }
    }

    /// A tick box followed by rich text, and the command under it (monospace, shaded).
    pub fn step(
        &mut self,
        spans: &[Span],
        command: Option<&str>,
        size: f32,
        indent: f32,
        box_color: Rgb,
        code_bg: Rgb,
    ) {
        let lh = line_height(size);
        let text_indent = indent + 5.5;
        let lines = self.fonts.wrap(spans, size, self.width() - text_indent);
        let code_size = size - 1.0;
        let code_first = command.map_or(0.0, |_| line_height(code_size) + 3.2);
        // Keep the box, the first lines and the start of the command together.
        self.ensure(lh * lines.len().min(4) as f32 + code_first);
        // Inset by half the stroke so the box stays inside the margin.
        let bx = self.left() + indent + 0.15;
        let side = 3.0;
        let top = self.y + (lh - side) / 2.0;
        self.push(Item::Rect {
            x: bx,
            y: top,
            w: side,
            h: side,
            fill: Some(Rgb::WHITE),
            stroke: Some(Stroke {
                color: box_color,
                width: 0.3,
                dashed: false,
            }),
        });
        for line in &lines {
            self.ensure(lh);
            let items = self.line_items(line, self.left() + text_indent, self.y, size, lh);
            for i in items {
                self.push(i);
            }
            self.y += lh;
        }
        if let Some(cmd) = command {
            self.y += 0.6;
            self.code(cmd, code_size, text_indent, code_bg);
        } else {
            self.y += 0.8;
        }
    }

    /// A shaded block of monospace lines (a command to copy).
    pub fn code(&mut self, cmd: &str, size: f32, indent: f32, bg: Rgb) {
        let pad = 1.2;
        let lh = line_height(size);
        let x = self.left() + indent;
        let w = self.width() - indent;
        let lines = wrap_command(self.fonts, cmd, size, w - 2.0 * pad);
        let mut i = 0;
        while i < lines.len() {
            self.ensure(lh + 2.0 * pad);
            let fit = (((self.remaining() - 2.0 * pad) / lh).floor() as usize).max(1);
            let chunk = &lines[i..(i + fit).min(lines.len())];
            let h = chunk.len() as f32 * lh + 2.0 * pad;
            self.push(Item::Rect {
                x,
                y: self.y,
                w,
                h,
                fill: Some(bg),
                stroke: None,
            });
            let mut top = self.y + pad;
            for l in chunk {
                let base = baseline(top, lh, size);
                let color = self.ink;
                self.text_at(l, Style::Mono, size, color, x + pad, base);
                top += lh;
            }
            self.y += h;
            i += chunk.len();
        }
        self.y += 1.2;
    }

    /// A contents line: the title links to `anchor`; its page number is filled in at the end.
    pub fn contents_entry(
        &mut self,
        spans: &[Span],
        anchor: &str,
        size: f32,
        indent: f32,
        leader: Rgb,
    ) {
        let lh = line_height(size);
        self.ensure(lh);
        let lines = self.fonts.wrap(spans, size, self.width() - indent - 12.0);
        let Some(line) = lines.first() else {
            return;
        };
        let x = self.left() + indent;
        let items = self.line_items(line, x, self.y, size, lh);
        for i in items {
            self.push(i);
        }
        // Dotted leader up to the page number.
        let base = baseline(self.y, lh, size);
        let dot_w = self.fonts.width(". ", Style::Regular, size);
        let start = x + line.width + 2.0;
        let end = self.right() - 8.0;
        if end > start + dot_w {
            let n = ((end - start) / dot_w).floor() as usize;
            let dots = ". ".repeat(n);
            let dx = end - self.fonts.width(&dots, Style::Regular, size);
            self.text_at(dots.trim_end(), Style::Regular, size, leader, dx, base);
        }
        self.deferred.push(Deferred {
            page: self.page_index(),
            right: self.right(),
            baseline: base,
            size,
            color: self.ink,
            anchor: anchor.to_string(),
            link_box: (x, self.y, self.right() - x, lh),
        });
        self.y += lh;
    }

    /// Finish: resolve the contents page numbers and links. The caller adds furniture.
    pub fn finish(mut self) -> Document {
        let deferred = std::mem::take(&mut self.deferred);
        for d in deferred {
            let Some((page, y)) = self.anchors.get(&d.anchor).copied() else {
                continue;
            };
            let label = (page + 1).to_string();
            let w = self.fonts.width(&label, Style::Regular, d.size);
            let items = self.text_items(
                &label,
                Style::Regular,
                d.size,
                d.color,
                d.right - w,
                d.baseline,
            );
            if let Some(p) = self.pages.get_mut(d.page) {
                p.body.extend(items);
                let (x, yy, w, h) = d.link_box;
                p.body.push(Item::Link {
                    x,
                    y: yy,
                    w,
                    h,
                    target: LinkTarget::Page { page, y },
                });
            }
        }
        // A page that ended up empty (a forced break at the very end) is dropped.
        while self.pages.len() > 1 && self.pages.last().is_some_and(|p| p.body.is_empty()) {
            self.pages.pop();
        }
        Document {
            geometry: self.geometry,
            pages: self.pages,
            outline: self.outline,
            overflowed: self.overflowed,
            title: None,
        }
    }
}

/// An arrow from `(x1, y1)` to `(x2, y2)` with a filled head.
pub fn arrow(x1: f32, y1: f32, x2: f32, y2: f32, color: Rgb, width: f32) -> Vec<Item> {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(0.001);
    let (ux, uy) = (dx / len, dy / len);
    let head = 2.0_f32.min(len * 0.6);
    let half = head * 0.45;
    let (bx, by) = (x2 - ux * head, y2 - uy * head);
    vec![
        Item::Line {
            x1,
            y1,
            x2: bx,
            y2: by,
            stroke: Stroke {
                color,
                width,
                dashed: false,
            },
        },
        Item::Polygon {
            points: vec![
                (x2, y2),
                (bx - uy * half, by + ux * half),
                (bx + uy * half, by - ux * half),
            ],
            fill: color,
        },
    ]
}
