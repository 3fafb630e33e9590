//! Section 4, the architecture: the diagram of nodes, services and Geo sites, drawn.

use super::super::layout::{Line, Stroke, arrow};
use super::*;
use crate::export::diagram::{Block, BlockKind, Diagram, GeoSecondary, Group, Tier};

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

const ARROW_GAP: f32 = 7.0;
const GROUP_GAP: f32 = 4.0;

/// A row of groups with the natural width of each block.
type Packed<'d> = Vec<(&'d Group, Vec<f32>)>;

/// The groups of a tier packed into rows `w` wide.
fn pack<'d>(fonts: &Fonts, tier: &'d Tier, w: f32) -> Vec<Packed<'d>> {
    let mut rows: Vec<Packed<'d>> = vec![Vec::new()];
    let mut used = 0.0;
    for g in &tier.groups {
        let widths: Vec<f32> = g.blocks.iter().map(|b| block_width(fonts, b)).collect();
        let gw: f32 =
            widths.iter().sum::<f32>() + ARROW_GAP * (widths.len().saturating_sub(1)) as f32;
        let need = if rows.last().is_some_and(|r| !r.is_empty()) {
            gw + GROUP_GAP
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
    rows
}

/// A block `bw` wide at `x`, its title and lines wrapped.
fn place_block(fonts: &Fonts, b: &Block, x: f32, bw: f32) -> Placed {
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
    Placed {
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
    }
}

/// One packed row centred within `[x0, x0 + w]` at `top`, narrowed when too wide.
fn place_row(fonts: &Fonts, r: &Packed<'_>, x0: f32, w: f32, top: f32) -> Row {
    let n_gaps_arrow: usize = r.iter().map(|(_, ws)| ws.len().saturating_sub(1)).sum();
    let n_gaps_group = r.len().saturating_sub(1);
    let fixed = ARROW_GAP * n_gaps_arrow as f32 + GROUP_GAP * n_gaps_group as f32;
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
            x += GROUP_GAP;
        }
        for (bi, (b, bw)) in g.blocks.iter().zip(ws).enumerate() {
            if bi > 0 {
                x += ARROW_GAP;
                joins.push(blocks.len() - 1);
            }
            let bw = bw * scale;
            blocks.push(place_block(fonts, b, x, bw));
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
    Row {
        y: top,
        h,
        blocks,
        joins,
    }
}

/// Rows of one tier, positioned within `[x0, x0 + w]` from `y`.
fn tier_rows(fonts: &Fonts, tier: &Tier, x0: f32, w: f32, y: f32) -> Vec<Row> {
    let mut out = Vec::new();
    let mut top = y;
    for r in pack(fonts, tier, w) {
        let row = place_row(fonts, &r, x0, w, top);
        top += row.h + 3.0;
        out.push(row);
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

const LABEL_W: f32 = 23.0;
const PAD: f32 = 3.0;
const TIER_GAP: f32 = 7.0;
const HEAD_H: f32 = 9.5;
const SECONDARIES_PER_ROW: usize = 4;
const SECONDARY_H: f32 = 15.0;

/// Where the diagram goes across the page.
struct Frame {
    x0: f32,
    width: f32,
    inner_x: f32,
    inner_w: f32,
}

/// A tier placed: its label, top, height and rows.
type PlacedTier = (String, f32, f32, Vec<Row>);

/// The site's tiers placed from `y0`, the top of its frame and its bottom. Clients sit above
/// the frame.
fn measure(fonts: &Fonts, d: &Diagram, f: &Frame, y0: f32) -> (Vec<PlacedTier>, f32, f32) {
    let clients_outside = d.tiers.first().is_some_and(|t| t.label == "Clients");
    let mut tiers = Vec::new();
    let mut y = y0;
    let mut frame_top = None;
    for (i, t) in d.tiers.iter().enumerate() {
        if i == usize::from(clients_outside) {
            frame_top = Some(y);
            y += HEAD_H;
        }
        let rows = tier_rows(fonts, t, f.inner_x, f.inner_w, y);
        let h = rows.iter().map(|r| r.h).sum::<f32>() + 3.0 * (rows.len().saturating_sub(1)) as f32;
        tiers.push((t.label.clone(), y, h, rows));
        y += h + TIER_GAP;
    }
    let frame_top = frame_top.unwrap_or(y);
    let bottom = (y - TIER_GAP + PAD).max(frame_top + HEAD_H + PAD);
    (tiers, frame_top, bottom)
}

/// A diagram too big for one page, as a list of the tiers and their blocks.
fn list_instead(flow: &mut Flow<'_>, d: &Diagram) {
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
}

fn draw_diagram(flow: &mut Flow<'_>, d: &Diagram) {
    let fonts = flow.fonts;
    let x0 = flow.left();
    let width = flow.width();
    let f = Frame {
        x0,
        width,
        inner_x: x0 + LABEL_W,
        inner_w: width - LABEL_W - PAD,
    };
    let (_, _, site_h) = measure(fonts, d, &f, 0.0);
    let sec_rows = d.secondaries.len().div_ceil(SECONDARIES_PER_ROW);
    let geo_h = if d.secondaries.is_empty() {
        0.0
    } else {
        14.0 + sec_rows as f32 * (SECONDARY_H + 3.0)
    };
    let legend_h = 8.0;
    let total = site_h + geo_h + legend_h;
    if total > flow.geometry.body_bottom - flow.geometry.body_top {
        list_instead(flow, d);
        return;
    }
    flow.ensure(total);
    let (tiers, top, site_bottom) = measure(fonts, d, &f, flow.y);
    site_frame(flow, d, &f, top, site_bottom);
    draw_tiers(flow, &f, &tiers, top);
    let y = if d.secondaries.is_empty() {
        site_bottom
    } else {
        secondaries(flow, d, &f, site_bottom)
    };
    legend(flow, x0, y + 3.0);
}

/// The site's frame and its title bar (the stroke stays inside the margins).
fn site_frame(flow: &mut Flow<'_>, d: &Diagram, f: &Frame, top: f32, bottom: f32) {
    let (x0, width) = (f.x0, f.width);
    flow.push(Item::Rect {
        x: x0 + 0.2,
        y: top,
        w: width - 0.4,
        h: bottom - top,
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
    let tw = flow.fonts.width(&d.site_title, Style::Bold, 8.5);
    let sub_lines = flow.fonts.wrap(
        &[Span::plain(d.site_subtitle.clone())],
        7.0,
        width - tw - 9.0,
    );
    if let Some(l) = sub_lines.first() {
        for it in flow.line_items(l, x0 + 6.0 + tw, top, 7.0, 7.0) {
            flow.push(greyed(it));
        }
    }
}

/// Text items in grey; other items as they are.
fn greyed(it: Item) -> Item {
    match it {
        Item::Text(mut t) => {
            t.color = GREY;
            Item::Text(t)
        }
        other => other,
    }
}

/// Each tier: its label, the arrow or separator to the next, its blocks and their arrows.
/// Below the application tier the arrows show real connections: Rails and Sidekiq reach Git
/// storage, the databases and the services each on their own (a bus on the left), not one
/// tier through the next.
fn draw_tiers(flow: &mut Flow<'_>, f: &Frame, tiers: &[PlacedTier], top: f32) {
    let center = f.inner_x + f.inner_w / 2.0;
    let app = tiers.iter().position(|t| t.0 == "Application");
    for (i, (label, y, h, rows)) in tiers.iter().enumerate() {
        let lines = flow.fonts.wrap(
            &[Span::bold(label.to_uppercase()).color(GREY)],
            6.3,
            LABEL_W - 4.0,
        );
        let mut ly = *y + 1.0;
        for l in &lines {
            for it in flow.line_items(l, f.x0 + 2.5, ly, 6.3, line_height(6.3)) {
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
            let from_app = app.is_none_or(|a| i <= a);
            tier_separator(flow, f, y + h, center, from_app);
        }
        for r in rows {
            draw_row(flow, r);
        }
    }
    if let Some(a) = app {
        application_bus(flow, f, tiers, a);
    }
}

/// A line down the left of the blocks from the application tier, with an arrow into each tier
/// below the first one under it (that one gets the centre arrow).
fn application_bus(flow: &mut Flow<'_>, f: &Frame, tiers: &[PlacedTier], app: usize) {
    let below: Vec<&PlacedTier> = tiers.iter().skip(app + 2).collect();
    let (Some(app_tier), Some(last)) = (tiers.get(app), below.last()) else {
        return;
    };
    let x = f.inner_x - 1.5;
    let mid = |t: &PlacedTier| t.1 + t.2 / 2.0;
    flow.push(Item::Line {
        x1: x,
        y1: app_tier.1 + app_tier.2 / 2.0,
        x2: x,
        y2: mid(last),
        stroke: Stroke {
            color: PURPLE,
            width: 0.35,
            dashed: false,
        },
    });
    for t in below {
        for it in arrow(x, mid(t), x + 2.6, mid(t), PURPLE, 0.35) {
            flow.push(it);
        }
    }
}

/// A dashed line under a tier and, when the next tier is reached from this one, the arrow
/// down to it.
fn tier_separator(flow: &mut Flow<'_>, f: &Frame, bottom: f32, center: f32, arrow_down: bool) {
    let sep = bottom + TIER_GAP / 2.0;
    flow.push(Item::Line {
        x1: f.x0 + 2.0,
        y1: sep,
        x2: f.x0 + f.width - 2.0,
        y2: sep,
        stroke: Stroke {
            color: Rgb(0xe6, 0xe3, 0xec),
            width: 0.2,
            dashed: true,
        },
    });
    if !arrow_down {
        return;
    }
    for it in arrow(
        center,
        bottom + 0.8,
        center,
        bottom + TIER_GAP - 0.8,
        PURPLE,
        0.35,
    ) {
        flow.push(it);
    }
}

fn draw_row(flow: &mut Flow<'_>, r: &Row) {
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

/// The Geo secondary sites under the site, joined to it by a bus; returns their bottom.
fn secondaries(flow: &mut Flow<'_>, d: &Diagram, f: &Frame, y: f32) -> f32 {
    let (x0, width) = (f.x0, f.width);
    let n = d.secondaries.len();
    let cols = n.min(SECONDARIES_PER_ROW);
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
    flow.text_at(
        &d.replication_label,
        Style::Regular,
        6.5,
        ORANGE,
        mid + 2.0,
        y + 4.2,
    );
    let centers: Vec<f32> = (0..cols)
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
        let col = i % SECONDARIES_PER_ROW;
        if i > 0 && col == 0 {
            row_top += SECONDARY_H + 3.0;
        }
        let bx = sx + col as f32 * (bw + gap);
        let cx = bx + bw / 2.0;
        if i < SECONDARIES_PER_ROW {
            for it in arrow(cx, bus_y, cx, row_top - 0.4, ORANGE, 0.45) {
                flow.push(it);
            }
        }
        secondary_box(flow, s, bx, row_top, bw);
    }
    row_top + SECONDARY_H
}

fn secondary_box(flow: &mut Flow<'_>, s: &GeoSecondary, bx: f32, top: f32, bw: f32) {
    flow.push(Item::Rect {
        x: bx,
        y: top,
        w: bw,
        h: SECONDARY_H,
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
    let lines = flow.fonts.wrap(&spans, 7.0, bw - 3.0);
    let mut ly = top + 1.2;
    for l in lines.iter().take(3) {
        for it in flow.line_items(l, bx + 1.5, ly, 7.0, line_height(7.0)) {
            flow.push(it);
        }
        ly += line_height(7.0);
    }
}

/// What the three kinds of block mean, in a line at `ly`.
fn legend(flow: &mut Flow<'_>, x0: f32, ly: f32) {
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
        x += 5.5 + flow.fonts.width(text, Style::Regular, 6.5) + 6.0;
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
            flow.push(greyed(it));
        }
        top += line_height(BLOCK_LINE);
    }
}
