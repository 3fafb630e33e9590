//! Section 4, the architecture: the diagram of nodes, services and Geo sites, drawn.

use super::super::layout::{Line, Stroke, arrow};
use super::*;
use crate::export::diagram::{Block, BlockKind, Diagram, Group, Tier};

pub(super) fn architecture(flow: &mut Flow<'_>, m: &ExportModel) {
    // Keep the heading, the intro and the diagram on one page.
    let h = diagram_height(flow.fonts, flow.geometry.body_width(), &m.diagram);
    if h < flow.geometry.body_bottom - flow.geometry.body_top - 25.0 {
        flow.ensure(h + 25.0);
    }
    section(flow, "architecture");
    flow.paragraph(
        &[Span::plain(
            "Drawn from the answers in this plan: node roles with their counts (×N), how PostgreSQL, Redis and Gitaly run, and the services around GitLab.",
        )
        .color(GREY)],
        SMALL,
        0.0,
    );
    flow.gap(2.0);
    draw_diagram(flow, &m.diagram);
}

/// A block placed in the diagram.
struct Placed {
    x: f32,
    w: f32,
    kind: BlockKind,
    title: Vec<Line>,
    count: Option<String>,
    lines: Vec<Line>,
}

struct Row {
    y: f32,
    h: f32,
    blocks: Vec<Placed>,
    /// Indexes of blocks joined by an arrow to the next one.
    joins: Vec<usize>,
}

const BLOCK_TITLE: f32 = 7.2;
const BLOCK_LINE: f32 = 6.4;

fn block_width(fonts: &Fonts, b: &Block) -> f32 {
    let count = b.count.map_or(0.0, |c| {
        fonts.width(&format!("×{c}"), Style::Bold, BLOCK_TITLE) + 2.0
    });
    let t = fonts.width(&b.title, Style::Bold, BLOCK_TITLE) + count;
    let l = b
        .lines
        .iter()
        .map(|l| fonts.width(l, Style::Regular, BLOCK_LINE))
        .fold(0.0_f32, f32::max);
    (t.max(l) + 4.0).clamp(22.0, 48.0)
}

/// Rows of one tier, positioned within `[x0, x0 + w]` from `y`.
fn tier_rows(fonts: &Fonts, tier: &Tier, x0: f32, w: f32, y: f32) -> Vec<Row> {
    let arrow_gap = 7.0;
    let group_gap = 4.0;
    // Pack groups into rows.
    let mut rows: Vec<Vec<(&Group, Vec<f32>)>> = vec![Vec::new()];
    let mut used = 0.0;
    for g in &tier.groups {
        let widths: Vec<f32> = g.blocks.iter().map(|b| block_width(fonts, b)).collect();
        let gw: f32 =
            widths.iter().sum::<f32>() + arrow_gap * (widths.len().saturating_sub(1)) as f32;
        let need = if rows.last().is_some_and(|r| !r.is_empty()) {
            gw + group_gap
        } else {
            gw
        };
        // Up to 15 % too wide still fits: the blocks are narrowed and their text wraps.
        if used + need > w * 1.15 && rows.last().is_some_and(|r| !r.is_empty()) {
            rows.push(Vec::new());
            used = gw;
        } else {
            used += need;
        }
        if let Some(r) = rows.last_mut() {
            r.push((g, widths));
        }
    }
    let mut out = Vec::new();
    let mut top = y;
    for r in rows {
        let n_gaps_arrow: usize = r.iter().map(|(_, ws)| ws.len().saturating_sub(1)).sum();
        let n_gaps_group = r.len().saturating_sub(1);
        let fixed = arrow_gap * n_gaps_arrow as f32 + group_gap * n_gaps_group as f32;
        let natural: f32 = r.iter().flat_map(|(_, ws)| ws.iter()).sum();
        let scale = if natural + fixed > w {
            ((w - fixed) / natural).max(0.3)
        } else {
            1.0
        };
        let total = natural * scale + fixed;
        let mut x = x0 + (w - total).max(0.0) / 2.0;
        let mut blocks = Vec::new();
        let mut joins = Vec::new();
        for (gi, (g, ws)) in r.iter().enumerate() {
            if gi > 0 {
                x += group_gap;
            }
            for (bi, (b, bw)) in g.blocks.iter().zip(ws).enumerate() {
                if bi > 0 {
                    x += arrow_gap;
                    joins.push(blocks.len() - 1);
                }
                let bw = bw * scale;
                let count = b.count.map(|c| format!("×{c}"));
                let count_w = count
                    .as_deref()
                    .map_or(0.0, |c| fonts.width(c, Style::Bold, BLOCK_TITLE) + 1.5);
                let title = fonts.wrap(
                    &[Span::bold(b.title.clone())],
                    BLOCK_TITLE,
                    bw - 3.0 - count_w,
                );
                let lines = fonts.wrap(&[Span::plain(b.lines.join("\n"))], BLOCK_LINE, bw - 3.0);
                blocks.push(Placed {
                    x,
                    w: bw,
                    kind: b.kind,
                    title,
                    count,
                    lines: if b.lines.is_empty() {
                        Vec::new()
                    } else {
                        lines
                    },
                });
                x += bw;
            }
        }
        let h = blocks
            .iter()
            .map(|b| {
                2.4 + b.title.len() as f32 * line_height(BLOCK_TITLE)
                    + b.lines.len() as f32 * line_height(BLOCK_LINE)
            })
            .fold(8.0_f32, f32::max);
        out.push(Row {
            y: top,
            h,
            blocks,
            joins,
        });
        top += h + 3.0;
    }
    out
}

/// Height of the diagram as [`draw_diagram`] draws it.
fn diagram_height(fonts: &Fonts, width: f32, d: &Diagram) -> f32 {
    let mut probe = Flow::new(fonts, Geometry::for_paper(width + 36.0, 10_000.0));
    let start = probe.y;
    draw_diagram(&mut probe, d);
    probe.y - start
}

fn draw_diagram(flow: &mut Flow<'_>, d: &Diagram) {
    let fonts = flow.fonts;
    let x0 = flow.left();
    let width = flow.width();
    let label_w = 23.0;
    let pad = 3.0;
    let inner_x = x0 + label_w;
    let inner_w = width - label_w - pad;
    let tier_gap = 7.0;
    let head_h = 9.5;

    // Measure first (at y = 0), then place. Clients sit above the site's frame.
    let measure = |y0: f32| {
        let clients_outside = d.tiers.first().is_some_and(|t| t.label == "Clients");
        let mut tiers = Vec::new();
        let mut y = y0;
        let mut frame_top = None;
        for (i, t) in d.tiers.iter().enumerate() {
            if i == usize::from(clients_outside) {
                frame_top = Some(y);
                y += head_h;
            }
            let rows = tier_rows(fonts, t, inner_x, inner_w, y);
            let h =
                rows.iter().map(|r| r.h).sum::<f32>() + 3.0 * (rows.len().saturating_sub(1)) as f32;
            tiers.push((t.label.clone(), y, h, rows));
            y += h + tier_gap;
        }
        let frame_top = frame_top.unwrap_or(y);
        let bottom = (y - tier_gap + pad).max(frame_top + head_h + pad);
        (tiers, frame_top, bottom)
    };
    let (_, _, site_h) = measure(0.0);
    let per_row = 4usize;
    let sec_rows = d.secondaries.len().div_ceil(per_row);
    let sec_block_h = 15.0;
    let geo_h = if d.secondaries.is_empty() {
        0.0
    } else {
        14.0 + sec_rows as f32 * (sec_block_h + 3.0)
    };
    let legend_h = 8.0;
    let total = site_h + geo_h + legend_h;
    let body_h = flow.geometry.body_bottom - flow.geometry.body_top;
    if total > body_h {
        // Too big to draw on one page: list it instead.
        for t in &d.tiers {
            let names: Vec<String> = t
                .groups
                .iter()
                .flat_map(|g| g.blocks.iter())
                .map(|b| match b.count {
                    Some(c) => format!("{} ×{c}", b.title),
                    None => b.title.clone(),
                })
                .collect();
            flow.paragraph(
                &[
                    Span::bold(format!("{}: ", t.label)),
                    Span::plain(names.join(", ")),
                ],
                BODY,
                0.0,
            );
        }
        return;
    }
    flow.ensure(total);
    let (tiers, top, site_bottom) = measure(flow.y);

    // Site frame and title bar (the stroke stays inside the margins).
    flow.push(Item::Rect {
        x: x0 + 0.2,
        y: top,
        w: width - 0.4,
        h: site_bottom - top,
        fill: Some(Rgb(0xfb, 0xfa, 0xfd)),
        stroke: Some(Stroke {
            color: PURPLE,
            width: 0.4,
            dashed: false,
        }),
    });
    flow.push(Item::Rect {
        x: x0 + 0.4,
        y: top + 0.2,
        w: width - 0.8,
        h: 6.8,
        fill: Some(LAVENDER),
        stroke: None,
    });
    let base = baseline(top, 7.0, 8.5);
    flow.text_at(&d.site_title, Style::Bold, 8.5, HEAD, x0 + 2.5, base);
    let tw = fonts.width(&d.site_title, Style::Bold, 8.5);
    let sub_lines = fonts.wrap(
        &[Span::plain(d.site_subtitle.clone())],
        7.0,
        width - tw - 9.0,
    );
    if let Some(l) = sub_lines.first() {
        for it in flow.line_items(l, x0 + 6.0 + tw, top, 7.0, 7.0) {
            let it = match it {
                Item::Text(mut t) => {
                    t.color = GREY;
                    Item::Text(t)
                }
                other => other,
            };
            flow.push(it);
        }
    }

    let center = inner_x + inner_w / 2.0;
    for (i, (label, y, h, rows)) in tiers.iter().enumerate() {
        // Tier label.
        let lines = fonts.wrap(
            &[Span::bold(label.to_uppercase()).color(GREY)],
            6.3,
            label_w - 4.0,
        );
        let mut ly = *y + 1.0;
        for l in &lines {
            for it in flow.line_items(l, x0 + 2.5, ly, 6.3, line_height(6.3)) {
                flow.push(it);
            }
            ly += line_height(6.3);
        }
        if i + 1 < tiers.len() && *y < top {
            // From the clients into the site.
            for it in arrow(center, y + h + 0.8, center, top - 0.3, PURPLE, 0.35) {
                flow.push(it);
            }
        } else if i + 1 < tiers.len() {
            // Separator and the arrow down to the next tier.
            let sep = y + h + tier_gap / 2.0;
            flow.push(Item::Line {
                x1: x0 + 2.0,
                y1: sep,
                x2: x0 + width - 2.0,
                y2: sep,
                stroke: Stroke {
                    color: Rgb(0xe6, 0xe3, 0xec),
                    width: 0.2,
                    dashed: true,
                },
            });
            for it in arrow(
                center,
                y + h + 0.8,
                center,
                y + h + tier_gap - 0.8,
                PURPLE,
                0.35,
            ) {
                flow.push(it);
            }
        }
        for r in rows {
            for (bi, b) in r.blocks.iter().enumerate() {
                draw_block(flow, b, r.y, r.h);
                if r.joins.contains(&bi)
                    && let Some(next) = r.blocks.get(bi + 1)
                {
                    let cy = r.y + r.h / 2.0;
                    for it in arrow(b.x + b.w + 0.6, cy, next.x - 0.6, cy, HEAD, 0.35) {
                        flow.push(it);
                    }
                }
            }
        }
    }

    let mut y = site_bottom;
    if !d.secondaries.is_empty() {
        // Bus from the primary site to every secondary site.
        let n = d.secondaries.len();
        let cols = n.min(per_row);
        let gap = 5.0;
        // 0.4 mm narrower than the body: the box strokes stay inside the margins.
        let bw = ((width - 0.4 - gap * (cols - 1) as f32) / cols as f32).min(70.0);
        let row_w = bw * cols as f32 + gap * (cols - 1) as f32;
        let sx = x0 + (width - row_w) / 2.0;
        let bus_y = y + 7.0;
        let stroke = Stroke {
            color: ORANGE,
            width: 0.45,
            dashed: false,
        };
        let mid = x0 + width / 2.0;
        flow.push(Item::Line {
            x1: mid,
            y1: y,
            x2: mid,
            y2: bus_y,
            stroke,
        });
        let label_x = mid + 2.0;
        flow.text_at(
            &d.replication_label,
            Style::Regular,
            6.5,
            ORANGE,
            label_x,
            y + 4.2,
        );
        let first_row = n.min(per_row);
        let centers: Vec<f32> = (0..first_row)
            .map(|i| sx + bw / 2.0 + i as f32 * (bw + gap))
            .collect();
        if let (Some(a), Some(b)) = (centers.first(), centers.last()) {
            flow.push(Item::Line {
                x1: a.min(mid),
                y1: bus_y,
                x2: b.max(mid),
                y2: bus_y,
                stroke,
            });
        }
        let mut row_top = bus_y + 5.0;
        for (i, s) in d.secondaries.iter().enumerate() {
            let col = i % per_row;
            if i > 0 && col == 0 {
                row_top += sec_block_h + 3.0;
            }
            let bx = sx + col as f32 * (bw + gap);
            let cx = bx + bw / 2.0;
            if i < per_row {
                for it in arrow(cx, bus_y, cx, row_top - 0.4, ORANGE, 0.45) {
                    flow.push(it);
                }
            }
            flow.push(Item::Rect {
                x: bx,
                y: row_top,
                w: bw,
                h: sec_block_h,
                fill: Some(Rgb(0xff, 0xf6, 0xf1)),
                stroke: Some(Stroke {
                    color: ORANGE,
                    width: 0.4,
                    dashed: false,
                }),
            });
            let mut spans = vec![Span::bold(format!("Geo secondary: {}", s.name))];
            let mut detail = Vec::new();
            if let Some(l) = &s.location {
                detail.push(l.clone());
            }
            detail.push(s.detail.clone());
            spans.push(Span::plain(format!("\n{}", detail.join(" · "))).color(GREY));
            let lines = fonts.wrap(&spans, 7.0, bw - 3.0);
            let mut ly = row_top + 1.2;
            for l in lines.iter().take(3) {
                for it in flow.line_items(l, bx + 1.5, ly, 7.0, line_height(7.0)) {
                    flow.push(it);
                }
                ly += line_height(7.0);
            }
        }
        y = row_top + sec_block_h;
    }

    // Legend.
    let ly = y + 3.0;
    let mut x = x0 + 0.2;
    for (kind, text) in [
        (
            BlockKind::Node,
            "GitLab nodes you run (×N = number of nodes)",
        ),
        (
            BlockKind::Service,
            "outside GitLab: managed or external service",
        ),
        (BlockKind::Client, "clients"),
    ] {
        let (fill, stroke) = block_style(kind);
        flow.push(Item::Rect {
            x,
            y: ly,
            w: 4.0,
            h: 3.0,
            fill: Some(fill),
            stroke: Some(stroke),
        });
        flow.text_at(text, Style::Regular, 6.5, GREY, x + 5.5, ly + 2.4);
        x += 5.5 + fonts.width(text, Style::Regular, 6.5) + 6.0;
    }
    flow.y = ly + 4.0;
}

fn block_style(kind: BlockKind) -> (Rgb, Stroke) {
    match kind {
        BlockKind::Node => (
            LAVENDER,
            Stroke {
                color: PURPLE,
                width: 0.35,
                dashed: false,
            },
        ),
        BlockKind::Service => (
            Rgb::WHITE,
            Stroke {
                color: GREY,
                width: 0.35,
                dashed: true,
            },
        ),
        BlockKind::Client => (
            Rgb(0xf3, 0xf3, 0xf3),
            Stroke {
                color: Rgb(0xa0, 0x9d, 0xa8),
                width: 0.3,
                dashed: false,
            },
        ),
    }
}

fn draw_block(flow: &mut Flow<'_>, b: &Placed, y: f32, h: f32) {
    let (fill, stroke) = block_style(b.kind);
    flow.push(Item::Rect {
        x: b.x,
        y,
        w: b.w,
        h,
        fill: Some(fill),
        stroke: Some(stroke),
    });
    let mut top = y + 1.2;
    let lh = line_height(BLOCK_TITLE);
    for (i, l) in b.title.iter().enumerate() {
        for it in flow.line_items(l, b.x + 1.5, top, BLOCK_TITLE, lh) {
            flow.push(it);
        }
        if i == 0
            && let Some(c) = &b.count
        {
            let cw = flow.fonts.width(c, Style::Bold, BLOCK_TITLE);
            let base = baseline(top, lh, BLOCK_TITLE);
            flow.text_at(
                c,
                Style::Bold,
                BLOCK_TITLE,
                PURPLE,
                b.x + b.w - 1.5 - cw,
                base,
            );
        }
        top += lh;
    }
    for l in &b.lines {
        for it in flow.line_items(l, b.x + 1.5, top, BLOCK_LINE, line_height(BLOCK_LINE)) {
            let it = match it {
                Item::Text(mut t) => {
                    t.color = GREY;
                    Item::Text(t)
                }
                other => other,
            };
            flow.push(it);
        }
        top += line_height(BLOCK_LINE);
    }
}
