//! Tables: rows wrap, split across pages and repeat their header.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Relative width.
    pub weight: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub cells: Vec<Vec<Span>>,
    pub fill: Option<Rgb>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
    /// Points.
    pub size: f32,
    pub header_fill: Rgb,
    pub header_color: Rgb,
    pub rule: Rgb,
}

impl Flow<'_> {
    /// Column widths across the body.
    fn column_widths(&self, t: &Table) -> Vec<f32> {
        let total: f32 = t.columns.iter().map(|c| c.weight).sum::<f32>().max(0.001);
        t.columns
            .iter()
            .map(|c| c.weight / total * self.width())
            .collect()
    }

    /// Height the table needs before its first page break is acceptable: the header and the
    /// first row (or the whole table when it is small), at most a page. Callers keep a
    /// heading together with this much of the table.
    pub fn table_lead(&self, t: &Table) -> f32 {
        let lh = line_height(t.size);
        let widths = self.column_widths(t);
        let rows = |cells: Vec<Vec<Span>>| {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| self.fonts.wrap(c, t.size, w - 2.8).len())
                .max()
                .unwrap_or(1) as f32
                * lh
                + 2.0
        };
        let header = rows(
            t.columns
                .iter()
                .map(|c| vec![Span::bold(c.title.clone())])
                .collect(),
        );
        let mut lead = header;
        for (i, r) in t.rows.iter().enumerate() {
            let h = rows(r.cells.clone());
            if i > 0 && lead + h > 60.0 {
                break;
            }
            lead += h;
        }
        lead.min(self.geometry.body_bottom - self.geometry.body_top - 20.0)
    }

    /// A table; rows wrap, split across pages, and the header repeats on each page.
    pub fn table(&mut self, t: &Table) {
        let widths = self.column_widths(t);
        let header = Header::new(self.fonts, t, &widths);
        // Small tables stay in one piece; others start with at least two rows.
        let row_heights: Vec<f32> = t
            .rows
            .iter()
            .map(|row| {
                let n = row
                    .cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| self.fonts.wrap(c, t.size, w - 2.0 * PAD_X).len())
                    .max()
                    .unwrap_or(1);
                n as f32 * line_height(t.size) + 2.0 * PAD_Y
            })
            .collect();
        let whole = header.h + row_heights.iter().sum::<f32>();
        let fresh = self.geometry.body_bottom - self.geometry.body_top;
        let first = header.h + row_heights.first().copied().unwrap_or(0.0);
        if whole <= 60.0 {
            self.ensure(whole);
        } else if first <= fresh {
            // Never leave the header alone: the first row must fit beside it.
            self.ensure(first.max(header.h + row_heights.iter().take(2).sum::<f32>().min(50.0)));
        } else {
            self.ensure(header.h + 30.0);
        }
        header.draw(self, t, &widths);
        for row in &t.rows {
            self.table_row(t, row, &widths, &header);
        }
    }

    /// One row, split across pages when it does not fit (the header repeats on the next).
    fn table_row(&mut self, t: &Table, row: &TableRow, widths: &[f32], header: &Header) {
        let lh = line_height(t.size);
        let cells: Vec<Vec<Line>> = row
            .cells
            .iter()
            .zip(widths)
            .map(|(c, w)| self.fonts.wrap(c, t.size, w - 2.0 * PAD_X))
            .collect();
        let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut done = 0;
        while done < n {
            let left = n - done;
            let need = left as f32 * lh + 2.0 * PAD_Y;
            let fresh = self.geometry.body_bottom - self.geometry.body_top - header.h;
            if need > self.remaining() && (need <= fresh || self.remaining() < lh + 2.0 * PAD_Y) {
                self.new_page();
                header.draw(self, t, widths);
            }
            let fit = (((self.remaining() - 2.0 * PAD_Y) / lh).floor() as usize).clamp(1, left);
            let h = fit as f32 * lh + 2.0 * PAD_Y;
            let (x0, y) = (self.left(), self.y);
            if let Some(fill) = row.fill {
                self.push(Item::Rect {
                    x: x0,
                    y,
                    w: self.width(),
                    h,
                    fill: Some(fill),
                    stroke: None,
                });
            }
            let mut x = x0;
            for (lines, cw) in cells.iter().zip(widths) {
                let mut top = y + PAD_Y;
                for l in lines.iter().skip(done).take(fit) {
                    for i in self.line_items(l, x + PAD_X, top, t.size, lh) {
                        self.push(i);
                    }
                    top += lh;
                }
                x += cw;
            }
            self.y += h;
            let (l, r, yy) = (self.left(), self.right(), self.y);
            self.push(Item::Line {
                x1: l,
                y1: yy,
                x2: r,
                y2: yy,
                stroke: Stroke {
                    color: t.rule,
                    width: 0.2,
                    dashed: false,
                },
            });
            done += fit;
        }
    }
}

const PAD_X: f32 = 1.4;
const PAD_Y: f32 = 1.0;

/// A table's header, wrapped once and drawn on every page the table is on.
struct Header {
    cells: Vec<Vec<Line>>,
    h: f32,
}

impl Header {
    fn new(fonts: &Fonts, t: &Table, widths: &[f32]) -> Header {
        let cells: Vec<Vec<Line>> = t
            .columns
            .iter()
            .zip(widths)
            .map(|(c, w)| {
                fonts.wrap(
                    &[Span::bold(c.title.clone()).color(t.header_color)],
                    t.size,
                    w - 2.0 * PAD_X,
                )
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1);
        Header {
            h: lines as f32 * line_height(t.size) + 2.0 * PAD_Y,
            cells,
        }
    }

    fn draw(&self, flow: &mut Flow<'_>, t: &Table, widths: &[f32]) {
        let lh = line_height(t.size);
        let (x0, y) = (flow.left(), flow.y);
        let w = flow.width();
        flow.push(Item::Rect {
            x: x0,
            y,
            w,
            h: self.h,
            fill: Some(t.header_fill),
            stroke: None,
        });
        let mut x = x0;
        for (lines, cw) in self.cells.iter().zip(widths) {
            let mut top = y + PAD_Y;
            for l in lines {
                for i in flow.line_items(l, x + PAD_X, top, t.size, lh) {
                    flow.push(i);
                }
                top += lh;
            }
            x += cw;
        }
        flow.y += self.h;
    }
}
