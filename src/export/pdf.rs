//! The PDF writer: the only module that knows printpdf (pinned, see Cargo.toml).
//!
//! It lays the model out with [`super::compose`], turns the positioned items into printpdf
//! operations (flipping y: the layout measures from the top, PDF from the bottom), embeds
//! only the fonts the pages use (subset, with a ToUnicode map so text can be copied and
//! searched), then writes a nested outline and a document id derived from the plan through
//! lopdf, so identical input gives identical bytes.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, ColorArray, Destination, ExtendedGraphicsState,
    ExtendedGraphicsStateId, FontId, Line as PdfLine, LineDashPattern, LinePoint, LinkAnnotation,
    Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon,
    PolygonRing, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use super::layout::{
    Document, FontFace, Fonts, Item, LinkTarget, OutlineEntry, Rgb, Stroke, TextRun,
};
use super::{ExportError, ExportModel, compose};

const MM_TO_PT: f32 = 72.0 / 25.4;

fn pt(mm: f32) -> Pt {
    Pt(mm * MM_TO_PT)
}

/// Resource name of a font; its first six letters are the subset tag.
fn font_id(face: FontFace) -> FontId {
    FontId(
        match face {
            FontFace::Sans => "UPSANS",
            FontFace::SansBold => "UPBOLD",
            FontFace::Mono => "UPMONO",
            FontFace::Cjk => "UPCJKF",
        }
        .to_string(),
    )
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(
        f32::from(c.0) / 255.0,
        f32::from(c.1) / 255.0,
        f32::from(c.2) / 255.0,
        None,
    ))
}

/// Render the model as a PDF.
pub fn render_pdf(model: &ExportModel) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::shared().map_err(ExportError::Font)?;
    let layout = compose::layout(model, fonts);
    write_pdf(&layout, model)
}

/// The laid-out document as PDF bytes.
pub fn write_pdf(layout: &Document, model: &ExportModel) -> Result<Vec<u8>, ExportError> {
    let g = layout.geometry;
    let title = format!(
        "GitLab upgrade plan {}: {}",
        model.upgrade_line(),
        model.organization()
    );
    let mut doc = PdfDocument::new(&title);

    // Fonts the pages use (the rotated watermark is drawn as outlines, not text).
    let mut used: BTreeSet<FontFace> = BTreeSet::new();
    for p in &layout.pages {
        for item in p.items() {
            if let Item::Text(t) = item {
                used.insert(t.face);
            }
        }
    }
    for face in &used {
        let Some(bytes) = face.bytes() else {
            continue;
        };
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| ExportError::Font(format!("{face:?} could not be parsed")))?;
        doc.resources
            .fonts
            .map
            .insert(font_id(*face), printpdf::font::PdfFont::new(parsed));
    }

    // The overlay (DRAFT watermark) is drawn translucent on top of everything.
    let translucent = ExtendedGraphicsStateId("UPGSOVERLAY".to_string());
    doc.resources.extgstates.map.insert(
        translucent.clone(),
        ExtendedGraphicsState::default()
            .with_current_fill_alpha(0.18)
            .with_current_stroke_alpha(0.18),
    );
    let pages: Vec<PdfPage> = layout
        .pages
        .iter()
        .map(|p| {
            let mut ops = Vec::new();
            for item in p.body.iter().chain(&p.furniture) {
                item_ops(item, g.height, &mut ops);
            }
            if !p.overlay.is_empty() {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::LoadGraphicsState {
                    gs: translucent.clone(),
                });
                for item in &p.overlay {
                    item_ops(item, g.height, &mut ops);
                }
                ops.push(Op::RestoreGraphicsState);
            }
            PdfPage::new(printpdf::Mm(g.width), printpdf::Mm(g.height), ops)
        })
        .collect();
    doc.pages = pages;

    let ts = model.meta.generated_at.timestamp();
    let date = printpdf::OffsetDateTime::from_unix_timestamp(ts)
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    let info = &mut doc.metadata.info;
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.author = model.contact.name.clone().unwrap_or_default();
    info.creator = model.tool.clone();
    info.producer = model.tool.clone();
    info.subject = format!(
        "Plan {} revision {}{}",
        model.plan_id,
        model.revision,
        if model.draft { " (DRAFT)" } else { "" }
    );
    info.keywords = vec!["GitLab".into(), "upgrade plan".into()];
    info.identifier = model.plan_id.clone();

    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    add_outline(&mut lo, &layout.outline, g.height)?;
    // printpdf labels every file PDF/X; these files do not claim any PDF/X conformance.
    if let Ok(info_ref) = lo.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(Object::Dictionary(info)) = lo.get_object_mut(info_ref)
    {
        info.remove(b"GTS_PDFXVersion");
        info.remove(b"Identifier");
    }
    let id = document_id(model);
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    lo.compress();
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    Ok(bytes)
}

fn stroke_ops(s: &Stroke, ops: &mut Vec<Op>) {
    ops.push(Op::SetOutlineColor {
        col: color(s.color),
    });
    ops.push(Op::SetOutlineThickness { pt: pt(s.width) });
    ops.push(Op::SetLineDashPattern {
        dash: if s.dashed {
            LineDashPattern::new(0.0, &[2.0, 1.5])
        } else {
            LineDashPattern::new(0.0, &[])
        },
    });
}

fn text_ops(t: &TextRun, page_h: f32, ops: &mut Vec<Op>) {
    let (x, y) = (pt(t.x), pt(page_h - t.baseline));
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font_id(t.face)),
        size: Pt(t.size),
    });
    ops.push(Op::SetFillColor {
        col: color(t.color),
    });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Raw([1.0, 0.0, 0.0, 1.0, x.0, y.0]),
    });
    ops.push(Op::ShowText {
        items: vec![TextItem::Text(t.text.clone())],
    });
    ops.push(Op::EndTextSection);
}

/// Collects a glyph's outline as polygon rings (cubic Béziers), in font units.
struct GlyphPath {
    rings: Vec<Vec<(f32, f32, bool)>>,
    last: (f32, f32),
}

impl ttf_parser::OutlineBuilder for GlyphPath {
    fn move_to(&mut self, x: f32, y: f32) {
        self.rings.push(vec![(x, y, false)]);
        self.last = (x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        if let Some(r) = self.rings.last_mut() {
            r.push((x, y, false));
        }
        self.last = (x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        // The same curve as a cubic: control points two thirds of the way to the quad's one.
        let (x0, y0) = self.last;
        let c1 = (x0 + 2.0 / 3.0 * (x1 - x0), y0 + 2.0 / 3.0 * (y1 - y0));
        let c2 = (x + 2.0 / 3.0 * (x1 - x), y + 2.0 / 3.0 * (y1 - y));
        self.curve_to(c1.0, c1.1, c2.0, c2.1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        if let Some(r) = self.rings.last_mut() {
            r.push((x1, y1, true));
            r.push((x2, y2, true));
            r.push((x, y, false));
        }
        self.last = (x, y);
    }
    fn close(&mut self) {}
}

/// Draw a run as filled glyph outlines rotated by `degrees`: it looks like text but is not
/// text, so the DRAFT watermark never mixes into copied or extracted text.
fn outline_ops(t: &TextRun, page_h: f32, degrees: f32, ops: &mut Vec<Op>) {
    let Some(face) = t
        .face
        .bytes()
        .and_then(|b| ttf_parser::Face::parse(b, 0).ok())
    else {
        return;
    };
    let scale = t.size / f32::from(face.units_per_em().max(1));
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (ox, oy) = (pt(t.x).0, pt(page_h - t.baseline).0);
    let mut pen = 0.0_f32;
    let mut rings = Vec::new();
    for c in t.text.chars() {
        let Some(gid) = face.glyph_index(c) else {
            continue;
        };
        let mut path = GlyphPath {
            rings: Vec::new(),
            last: (0.0, 0.0),
        };
        face.outline_glyph(gid, &mut path);
        for ring in path.rings {
            let points = ring
                .into_iter()
                .map(|(gx, gy, bezier)| {
                    let (x, y) = (pen + gx * scale, gy * scale);
                    LinePoint {
                        p: Point {
                            x: Pt(ox + x * cos - y * sin),
                            y: Pt(oy + x * sin + y * cos),
                        },
                        bezier,
                    }
                })
                .collect();
            rings.push(PolygonRing { points });
        }
        pen += face.glyph_hor_advance(gid).map_or(0.0, f32::from) * scale;
    }
    ops.push(Op::SetFillColor {
        col: color(t.color),
    });
    ops.push(Op::DrawPolygon {
        polygon: Polygon {
            rings,
            mode: PaintMode::Fill,
            winding_order: WindingOrder::NonZero,
        },
    });
}

fn item_ops(item: &Item, page_h: f32, ops: &mut Vec<Op>) {
    match item {
        Item::Text(t) => text_ops(t, page_h, ops),
        Item::Rotated { run, degrees } => outline_ops(run, page_h, *degrees, ops),
        Item::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } => {
            if let Some(f) = fill {
                ops.push(Op::SetFillColor { col: color(*f) });
            }
            if let Some(s) = stroke {
                stroke_ops(s, ops);
            }
            let mode = match (fill, stroke) {
                (Some(_), Some(_)) => PaintMode::FillStroke,
                (None, Some(_)) => PaintMode::Stroke,
                _ => PaintMode::Fill,
            };
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: pt(*x),
                    y: pt(page_h - y - h),
                    width: pt(*w),
                    height: pt(*h),
                    mode: Some(mode),
                    winding_order: Some(WindingOrder::NonZero),
                },
            });
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            stroke,
        } => {
            stroke_ops(stroke, ops);
            ops.push(Op::DrawLine {
                line: PdfLine {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: pt(*x1),
                                y: pt(page_h - y1),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: pt(*x2),
                                y: pt(page_h - y2),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            });
        }
        Item::Polygon { points, fill } => {
            ops.push(Op::SetFillColor { col: color(*fill) });
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: points
                            .iter()
                            .map(|(x, y)| LinePoint {
                                p: Point {
                                    x: pt(*x),
                                    y: pt(page_h - y),
                                },
                                bezier: false,
                            })
                            .collect(),
                    }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            });
        }
        Item::Link { x, y, w, h, target } => {
            let actions = match target {
                LinkTarget::Uri(u) => Actions::Uri(u.clone()),
                LinkTarget::Page { page, y } => Actions::Goto(Destination::Xyz {
                    page: page + 1,
                    left: None,
                    top: Some(pt(page_h - y + 2.0).0),
                    zoom: None,
                }),
            };
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect {
                        x: pt(*x),
                        y: pt(page_h - y - h),
                        width: pt(*w),
                        height: pt(*h),
                        mode: None,
                        winding_order: None,
                    },
                    actions,
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    Some(ColorArray::Transparent),
                    None,
                ),
            });
        }
    }
}

/// A text string for the PDF (UTF-16BE with a byte-order mark).
fn pdf_text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A top-level outline entry, its object id and its children.
type OutlineNode<'a> = (
    &'a OutlineEntry,
    ObjectId,
    Vec<(&'a OutlineEntry, ObjectId)>,
);

/// Write the outline (bookmarks): sections, with their children (runbook hops) nested.
fn add_outline(
    doc: &mut lopdf::Document,
    entries: &[OutlineEntry],
    page_h: f32,
) -> Result<(), ExportError> {
    if entries.is_empty() {
        return Ok(());
    }
    let pages = doc.get_pages();
    let page_id = |i: usize| -> Option<ObjectId> { pages.get(&(i as u32 + 1)).copied() };
    let root = doc.new_object_id();
    // (entry, object id, children)
    let mut tops: Vec<OutlineNode<'_>> = Vec::new();
    for e in entries {
        let id = doc.new_object_id();
        if e.level == 0 || tops.is_empty() {
            tops.push((e, id, Vec::new()));
        } else if let Some(last) = tops.last_mut() {
            last.2.push((e, id));
        }
    }
    let dest = |e: &OutlineEntry| -> Object {
        let page = page_id(e.page).map_or(Object::Null, Object::Reference);
        Object::Array(vec![
            page,
            Object::Name(b"XYZ".to_vec()),
            Object::Null,
            Object::Real(pt(page_h - e.y + 2.0).0),
            Object::Null,
        ])
    };
    let mut total = 0i64;
    for (i, (e, id, children)) in tops.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", pdf_text(&e.title));
        d.set("Parent", Object::Reference(root));
        d.set("Dest", dest(e));
        if i > 0 {
            d.set("Prev", Object::Reference(tops[i - 1].1));
        }
        if let Some(next) = tops.get(i + 1) {
            d.set("Next", Object::Reference(next.1));
        }
        if let (Some(first), Some(last)) = (children.first(), children.last()) {
            d.set("First", Object::Reference(first.1));
            d.set("Last", Object::Reference(last.1));
            // Negative: closed by default, so the outline starts with the sections only.
            d.set("Count", Object::Integer(-(children.len() as i64)));
        }
        for (j, (c, cid)) in children.iter().enumerate() {
            let mut cd = Dictionary::new();
            cd.set("Title", pdf_text(&c.title));
            cd.set("Parent", Object::Reference(*id));
            cd.set("Dest", dest(c));
            if j > 0 {
                cd.set("Prev", Object::Reference(children[j - 1].1));
            }
            if let Some(next) = children.get(j + 1) {
                cd.set("Next", Object::Reference(next.1));
            }
            doc.set_object(*cid, cd);
        }
        doc.set_object(*id, d);
        total += 1;
    }
    let mut r = Dictionary::new();
    r.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (tops.first(), tops.last()) {
        r.set("First", Object::Reference(first.1));
        r.set("Last", Object::Reference(last.1));
    }
    r.set("Count", Object::Integer(total));
    doc.set_object(root, r);
    let catalog = doc
        .catalog_mut()
        .map_err(|e| ExportError::Pdf(format!("no catalog: {e}")))?;
    catalog.set("Outlines", Object::Reference(root));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// A stable document id: a hash of what identifies this export.
fn document_id(model: &ExportModel) -> Vec<u8> {
    // FNV-1a, 64 bits, twice with different seeds: 16 bytes.
    let input = format!(
        "{}|{}|{}|{}|{}|{}",
        model.plan_id,
        model.revision,
        model.meta.generated_at.timestamp(),
        model.tool,
        model.draft,
        model.paper.id()
    );
    let mut out = Vec::with_capacity(16);
    for seed in [0xcbf2_9ce4_8422_2325_u64, 0x8422_2325_cbf2_9ce4_u64] {
        let mut h = seed;
        for b in input.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.extend_from_slice(&h.to_be_bytes());
    }
    out
}
