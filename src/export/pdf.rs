//! The PDF writer: the only module that knows printpdf (pinned, see Cargo.toml).
//!
//! It lays the model out with [`super::compose`]. printpdf writes the document around the
//! pages: the fonts the pages use (subset, with a ToUnicode map so text can be copied and
//! searched), resources, link annotations and metadata. The page content streams are written
//! here, directly from the positioned items (flipping y: the layout measures from the top, PDF
//! from the bottom), which is several times faster than going through printpdf's operations.
//! Then a nested outline and a document id derived from the plan are added through lopdf, so
//! identical input gives identical bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, ColorArray, Destination, ExtendedGraphicsState, ExtendedGraphicsStateId,
    FontId, LinkAnnotation, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Pt, Rect, TextItem,
};

use super::layout::{
    Document, FontFace, Fonts, Item, LinkTarget, OutlineEntry, Rgb, Stroke, TextRun,
};
use super::{ExportError, ExportModel, compose};

const MM_TO_PT: f32 = 72.0 / 25.4;

/// Resource name of the translucent graphics state the overlay is drawn with.
const OVERLAY_GS: &str = "UPGSOVERLAY";

/// A length in millimetres as points, rounded to 0.01 pt: finer than any printer, and shorter
/// to write.
fn pt(mm: f32) -> Pt {
    Pt((mm * MM_TO_PT * 100.0).round() / 100.0)
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

/// `face` parsed for printpdf (`None` when the build does not embed it). Each face is parsed
/// once per process: a process that exports again (the app) gets a copy.
fn parsed_font(face: FontFace) -> Result<Option<ParsedFont>, ExportError> {
    static PARSED: [OnceLock<Result<Option<ParsedFont>, String>>; 4] =
        [const { OnceLock::new() }; 4];
    let parsed = PARSED[face.index()].get_or_init(|| {
        let Some(bytes) = face.bytes() else {
            return Ok(None);
        };
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .map(Some)
            .ok_or_else(|| format!("{face:?} could not be parsed"))
    });
    parsed.clone().map_err(ExportError::Font)
}

/// Render the model as a PDF.
pub fn render_pdf(model: &ExportModel) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::shared().map_err(ExportError::Font)?;
    let layout = compose::layout(model, fonts);
    write_pdf(&layout, model)
}

/// The laid-out document as PDF bytes.
pub fn write_pdf(layout: &Document, model: &ExportModel) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::shared().map_err(ExportError::Font)?;
    let g = layout.geometry;
    let title = format!(
        "GitLab upgrade plan {}: {}",
        model.upgrade_line(),
        model.organization()
    );
    let mut doc = PdfDocument::new(&title);

    // The characters each font shows (the rotated watermark is drawn as outlines, not text).
    // A set per font, not a list: a long plan shows millions of characters but few distinct.
    let mut shown: BTreeMap<FontFace, BTreeSet<char>> = BTreeMap::new();
    for p in &layout.pages {
        for item in p.items() {
            if let Item::Text(t) = item {
                shown.entry(t.face).or_default().extend(t.text.chars());
            }
        }
    }
    let chars: BTreeMap<FontFace, Vec<char>> = shown
        .into_iter()
        .filter(|(face, _)| face.bytes().is_some())
        .map(|(face, cs)| (face, cs.into_iter().collect()))
        .collect();
    for face in chars.keys() {
        let Some(parsed) = parsed_font(*face)? else {
            continue;
        };
        doc.resources
            .fonts
            .map
            .insert(font_id(*face), printpdf::font::PdfFont::new(parsed));
    }

    // The overlay (DRAFT watermark) is drawn translucent on top of everything.
    let translucent = ExtendedGraphicsStateId(OVERLAY_GS.to_string());
    doc.resources.extgstates.map.insert(
        translucent.clone(),
        ExtendedGraphicsState::default()
            .with_current_fill_alpha(0.18)
            .with_current_stroke_alpha(0.18),
    );
    // printpdf writes the document around the pages: fonts (subset to the glyphs shown),
    // resources, link annotations, metadata. The content streams are written below, so its
    // pages carry only the links, the overlay's graphics state and, on the first page, each
    // font's characters once, from which it picks the glyphs to keep.
    doc.pages = layout
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut ops = Vec::new();
            if i == 0 {
                for (face, used) in &chars {
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(font_id(*face)),
                        size: Pt(10.0),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(used.iter().collect())],
                    });
                    ops.push(Op::EndTextSection);
                }
            }
            if !p.overlay.is_empty() {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::LoadGraphicsState {
                    gs: translucent.clone(),
                });
                ops.push(Op::RestoreGraphicsState);
            }
            for item in p.items() {
                if let Item::Link { x, y, w, h, target } = item {
                    ops.push(link_op(*x, *y, *w, *h, target, g.height));
                }
            }
            PdfPage::new(printpdf::Mm(g.width), printpdf::Mm(g.height), ops)
        })
        .collect();

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
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    if page_ids.len() != layout.pages.len() {
        return Err(ExportError::Pdf(format!(
            "printpdf wrote {} pages for {}",
            page_ids.len(),
            layout.pages.len()
        )));
    }
    let codes = match page_ids.first() {
        Some(first) => FontCodes::read(&lo, *first, &chars, fonts)?,
        None => FontCodes::empty(),
    };
    for (page, id) in layout.pages.iter().zip(&page_ids) {
        let mut content = Content::new(g.height, fonts, &codes);
        for item in page.body.iter().chain(&page.furniture) {
            content.item(item);
        }
        if !page.overlay.is_empty() {
            content.save_state(OVERLAY_GS);
            for item in &page.overlay {
                content.item(item);
            }
            content.restore_state();
        }
        let bytes = content.finish();
        let stream_id = match lo.get_page_contents(*id).as_slice() {
            [one] => *one,
            other => {
                return Err(ExportError::Pdf(format!(
                    "printpdf wrote {} content streams for a page",
                    other.len()
                )));
            }
        };
        match lo.get_object_mut(stream_id) {
            Ok(Object::Stream(stream)) => stream.set_content(bytes),
            _ => {
                return Err(ExportError::Pdf(
                    "a page's content is not a stream".to_string(),
                ));
            }
        }
    }
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
    compress_streams(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// Deflate level for the page and font streams. lopdf's own `compress` always uses the best
/// (slowest) level, which was half of the export's time. Level 3 costs a third of that and
/// keeps the large plan's PDF within a few per cent of the best size (see BENCHMARKS.md).
const DEFLATE_LEVEL: u32 = 3;

/// Compress every stream that may be compressed and is not yet, keeping the raw bytes where
/// deflate would not make them smaller. The streams are shared out between this thread and one
/// more, largest first; each is compressed on its own, so the bytes do not depend on which
/// thread did it.
fn compress_streams(doc: &mut lopdf::Document) -> Result<(), ExportError> {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|object| match object {
            Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => Some(s),
            _ => None,
        })
        .collect();
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let (mut here, mut there) = (Vec::new(), Vec::new());
    let (mut here_bytes, mut there_bytes) = (0usize, 0usize);
    for s in streams {
        if here_bytes <= there_bytes {
            here_bytes += s.content.len();
            here.push(s);
        } else {
            there_bytes += s.content.len();
            there.push(s);
        }
    }
    std::thread::scope(|scope| {
        let helper = scope.spawn(move || compress_each(there));
        let mine = compress_each(here);
        let theirs = helper.join().unwrap_or_else(|_| {
            Err(ExportError::Pdf(
                "compressing the PDF streams failed (internal error)".to_string(),
            ))
        });
        mine.and(theirs)
    })
}

fn compress_each(streams: Vec<&mut lopdf::Stream>) -> Result<(), ExportError> {
    use std::io::Write as _;
    for stream in streams {
        let mut encoder = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            flate2::Compression::new(DEFLATE_LEVEL),
        );
        let compressed = encoder
            .write_all(&stream.content)
            .and_then(|()| encoder.finish())
            .map_err(|e| ExportError::Pdf(format!("compressing a PDF stream failed: {e}")))?;
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    Ok(())
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
fn outline(t: &TextRun, page_h: f32, degrees: f32, out: &mut Content) {
    let Some(face) = out.fonts.parsed(t.face) else {
        return;
    };
    let scale = t.size / f32::from(face.units_per_em().max(1));
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (ox, oy) = (t.x * MM_TO_PT, (page_h - t.baseline) * MM_TO_PT);
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
            rings.push(
                ring.into_iter()
                    .map(|(gx, gy, control)| {
                        let (x, y) = (pen + gx * scale, gy * scale);
                        (ox + x * cos - y * sin, oy + x * sin + y * cos, control)
                    })
                    .collect::<Vec<_>>(),
            );
        }
        pen += face.glyph_hor_advance(gid).map_or(0.0, f32::from) * scale;
    }
    out.fill(t.color);
    out.path(&rings);
    out.op("f");
}

/// For each font, the two-byte code that shows each character in the content stream. printpdf
/// renumbers a font's glyphs when it subsets it; the font's ToUnicode map says which code
/// each kept glyph got, and the glyph says which characters it draws.
struct FontCodes {
    /// Per font (in [`FontFace::ALL`] order): codes for U+0000..U+0800 by character, then
    /// the rest.
    codes: [(Vec<u16>, HashMap<char, u16>); 4],
}

/// Characters below this have their code in a table.
const CODE_TABLE: usize = 0x800;

impl FontCodes {
    /// Read the codes from the fonts of the document's first page.
    fn read(
        lo: &lopdf::Document,
        first_page: ObjectId,
        chars: &BTreeMap<FontFace, Vec<char>>,
        fonts: &Fonts,
    ) -> Result<FontCodes, ExportError> {
        let page_fonts = lo
            .get_page_fonts(first_page)
            .map_err(|e| ExportError::Pdf(format!("the page's fonts: {e}")))?;
        let mut codes = FontCodes::empty();
        for (face, used) in chars {
            let id = font_id(*face);
            let font = page_fonts.get(id.0.as_bytes()).ok_or_else(|| {
                ExportError::Pdf(format!("printpdf did not embed the font {}", id.0))
            })?;
            let cmap = font
                .get(b"ToUnicode")
                .and_then(Object::as_reference)
                .and_then(|r| lo.get_object(r))
                .and_then(Object::as_stream)
                .map_err(|e| ExportError::Pdf(format!("the ToUnicode map of {}: {e}", id.0)))?;
            let text = if cmap.dict.get(b"Filter").is_ok() {
                cmap.decompressed_content()
                    .map_err(|e| ExportError::Pdf(format!("the ToUnicode map of {}: {e}", id.0)))?
            } else {
                cmap.content.clone()
            };
            // Glyph (as the font numbers it) -> code in the subset.
            let mut by_glyph: HashMap<u16, u16> = HashMap::new();
            for (code, c) in to_unicode_entries(&text) {
                if let Some(g) = fonts.glyph_index(*face, c) {
                    by_glyph.insert(g, code);
                }
            }
            let (table, others) = &mut codes.codes[face.index()];
            table.resize(CODE_TABLE, 0);
            for c in used {
                let code = fonts
                    .glyph_index(*face, *c)
                    .and_then(|g| by_glyph.get(&g).copied())
                    // Not kept by the subsetter: shown as the font's missing-glyph box.
                    .unwrap_or(0);
                match table.get_mut(*c as usize) {
                    Some(slot) => *slot = code,
                    None => {
                        others.insert(*c, code);
                    }
                }
            }
        }
        Ok(codes)
    }

    fn empty() -> FontCodes {
        FontCodes {
            codes: std::array::from_fn(|_| (Vec::new(), HashMap::new())),
        }
    }

    fn code(&self, face: FontFace, c: char) -> u16 {
        let (table, others) = &self.codes[face.index()];
        match table.get(c as usize) {
            Some(code) => *code,
            None => others.get(&c).copied().unwrap_or(0),
        }
    }
}

/// The `<code> <UTF-16BE>` pairs of a ToUnicode CMap, with the first character of each.
fn to_unicode_entries(cmap: &[u8]) -> Vec<(u16, char)> {
    let hex = |s: &str| -> Vec<u16> {
        s.as_bytes()
            .chunks(4)
            .filter_map(|q| std::str::from_utf8(q).ok())
            .filter_map(|q| u16::from_str_radix(q, 16).ok())
            .collect()
    };
    let text = String::from_utf8_lossy(cmap);
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let code = parts.next()?.strip_prefix('<')?.strip_suffix('>')?;
            let target = parts.next()?.strip_prefix('<')?.strip_suffix('>')?;
            if code.len() != 4 || parts.next().is_some() {
                return None;
            }
            let code = u16::from_str_radix(code, 16).ok()?;
            let c = char::decode_utf16(hex(target)).next()?.ok()?;
            Some((code, c))
        })
        .collect()
}

/// A page's content stream, written directly. It keeps the graphics state between items:
/// neighbouring text runs share one text object, and the font, fill colour and stroke are
/// set only when they change. Positions are written to 0.01 pt (under 4 µm), colours to
/// three decimals.
struct Content<'a> {
    out: Vec<u8>,
    page_h: f32,
    fonts: &'a Fonts,
    codes: &'a FontCodes,
    in_text: bool,
    /// Font and size set in the current text object.
    font: Option<(FontFace, f32)>,
    fill: Option<Rgb>,
    stroke: Option<Stroke>,
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl<'a> Content<'a> {
    fn new(page_h: f32, fonts: &'a Fonts, codes: &'a FontCodes) -> Content<'a> {
        Content {
            out: Vec::with_capacity(16 * 1024),
            page_h,
            fonts,
            codes,
            in_text: false,
            font: None,
            fill: None,
            stroke: None,
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.end_text();
        self.out
    }

    /// A number in points, to 0.01, then a space.
    fn num(&mut self, v: f32) {
        let n = (f64::from(v) * 100.0).round();
        // Far beyond any page; keeps the integer arithmetic below in range.
        let n = n.clamp(-1e12, 1e12) as i64;
        if n < 0 {
            self.out.push(b'-');
        }
        let n = n.unsigned_abs();
        let (whole, frac) = (n / 100, n % 100);
        self.out.extend_from_slice(whole.to_string().as_bytes());
        if frac != 0 {
            self.out.push(b'.');
            self.out.push(b'0' + (frac / 10) as u8);
            if frac % 10 != 0 {
                self.out.push(b'0' + (frac % 10) as u8);
            }
        }
        self.out.push(b' ');
    }

    /// A length in millimetres, as points.
    fn mm(&mut self, v: f32) {
        self.num(v * MM_TO_PT);
    }

    /// A colour channel as 0..1 with three decimals, then a space.
    fn channel(&mut self, c: u8) {
        let k = (u32::from(c) * 1000 + 127) / 255;
        match k {
            0 => self.out.extend_from_slice(b"0 "),
            1000.. => self.out.extend_from_slice(b"1 "),
            _ => {
                let digits = [
                    b'0' + (k / 100) as u8,
                    b'0' + (k / 10 % 10) as u8,
                    b'0' + (k % 10) as u8,
                ];
                let keep = if k % 100 == 0 {
                    1
                } else if k % 10 == 0 {
                    2
                } else {
                    3
                };
                self.out.extend_from_slice(b"0.");
                self.out.extend_from_slice(&digits[..keep]);
                self.out.push(b' ');
            }
        }
    }

    fn op(&mut self, op: &str) {
        self.out.extend_from_slice(op.as_bytes());
        self.out.push(b'\n');
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.op("ET");
            self.in_text = false;
            self.font = None;
        }
    }

    fn fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.channel(c.0);
            self.channel(c.1);
            self.channel(c.2);
            self.op("rg");
            self.fill = Some(c);
        }
    }

    fn stroke(&mut self, s: &Stroke) {
        if self.stroke.as_ref() == Some(s) {
            return;
        }
        let last = self.stroke.replace(*s);
        if last.as_ref().is_none_or(|l| l.color != s.color) {
            self.channel(s.color.0);
            self.channel(s.color.1);
            self.channel(s.color.2);
            self.op("RG");
        }
        if last.as_ref().is_none_or(|l| l.width != s.width) {
            self.mm(s.width);
            self.op("w");
        }
        if last.as_ref().is_none_or(|l| l.dashed != s.dashed) {
            self.op(if s.dashed { "[2 1.5] 0 d" } else { "[] 0 d" });
        }
    }

    fn text(&mut self, t: &TextRun) {
        if !self.in_text {
            self.op("BT");
            self.in_text = true;
        }
        if self.font != Some((t.face, t.size)) {
            self.out.push(b'/');
            self.out.extend_from_slice(font_id(t.face).0.as_bytes());
            self.out.push(b' ');
            self.num(t.size);
            self.op("Tf");
            self.font = Some((t.face, t.size));
        }
        self.fill(t.color);
        self.out.extend_from_slice(b"1 0 0 1 ");
        self.mm(t.x);
        self.mm(self.page_h - t.baseline);
        self.op("Tm");
        self.out.push(b'<');
        for c in t.text.chars() {
            for b in self.codes.code(t.face, c).to_be_bytes() {
                self.out.push(HEX[usize::from(b >> 4)]);
                self.out.push(HEX[usize::from(b & 15)]);
            }
        }
        self.out.extend_from_slice(b"> ");
        self.op("Tj");
    }

    /// Subpaths in points; a point flagged as a control point starts a cubic Bézier with the
    /// next two points.
    fn path(&mut self, rings: &[Vec<(f32, f32, bool)>]) {
        for ring in rings {
            let mut points = ring.iter();
            let Some(&(x, y, _)) = points.next() else {
                continue;
            };
            self.num(x);
            self.num(y);
            self.op("m");
            while let Some(&(x, y, control)) = points.next() {
                if control {
                    let (Some(&(x2, y2, _)), Some(&(x3, y3, _))) = (points.next(), points.next())
                    else {
                        break;
                    };
                    for v in [x, y, x2, y2, x3, y3] {
                        self.num(v);
                    }
                    self.op("c");
                } else {
                    self.num(x);
                    self.num(y);
                    self.op("l");
                }
            }
            self.op("h");
        }
    }

    /// Draw what follows with the graphics state `gs` until [`Content::restore_state`].
    fn save_state(&mut self, gs: &str) {
        self.end_text();
        self.op("q");
        self.out.push(b'/');
        self.out.extend_from_slice(gs.as_bytes());
        self.out.extend_from_slice(b" gs\n");
    }

    fn restore_state(&mut self) {
        self.end_text();
        self.op("Q");
        // Colours and strokes set since the save are undone with it.
        self.fill = None;
        self.stroke = None;
    }

    /// The operations that draw `item` (links are annotations, outside the content).
    fn item(&mut self, item: &Item) {
        let page_h = self.page_h;
        match item {
            Item::Text(t) => self.text(t),
            Item::Link { .. } => {}
            Item::Rotated { run, degrees } => {
                self.end_text();
                outline(run, page_h, *degrees, self);
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                self.end_text();
                if let Some(f) = fill {
                    self.fill(*f);
                }
                if let Some(s) = stroke {
                    self.stroke(s);
                }
                self.mm(*x);
                self.mm(page_h - y - h);
                self.mm(*w);
                self.mm(*h);
                self.op("re");
                self.op(match (fill, stroke) {
                    (Some(_), Some(_)) => "B",
                    (None, Some(_)) => "S",
                    _ => "f",
                });
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                stroke,
            } => {
                self.end_text();
                self.stroke(stroke);
                self.mm(*x1);
                self.mm(page_h - y1);
                self.op("m");
                self.mm(*x2);
                self.mm(page_h - y2);
                self.op("l");
                self.op("S");
            }
            Item::Polygon { points, fill } => {
                self.end_text();
                self.fill(*fill);
                let ring: Vec<(f32, f32, bool)> = points
                    .iter()
                    .map(|(x, y)| (x * MM_TO_PT, (page_h - y) * MM_TO_PT, false))
                    .collect();
                self.path(&[ring]);
                self.op("f");
            }
        }
    }
}

/// The link annotation printpdf writes for a link item.
fn link_op(x: f32, y: f32, w: f32, h: f32, target: &LinkTarget, page_h: f32) -> Op {
    let actions = match target {
        LinkTarget::Uri(u) => Actions::Uri(u.clone()),
        LinkTarget::Page { page, y } => Actions::Goto(Destination::Xyz {
            page: page + 1,
            left: None,
            top: Some(pt(page_h - y + 2.0).0),
            zoom: None,
        }),
    };
    Op::LinkAnnotation {
        link: LinkAnnotation::new(
            Rect {
                x: pt(x),
                y: pt(page_h - y - h),
                width: pt(w),
                height: pt(h),
                mode: None,
                winding_order: None,
            },
            actions,
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            Some(ColorArray::Transparent),
            None,
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Content)) -> String {
        let codes = FontCodes::empty();
        let fonts = Fonts::shared().unwrap_or_else(|e| panic!("{e}"));
        let mut c = Content::new(297.0, fonts, &codes);
        f(&mut c);
        String::from_utf8(c.finish()).unwrap_or_default()
    }

    #[test]
    fn numbers_are_written_to_a_hundredth_without_trailing_zeros() {
        let s = written(|c| {
            for v in [0.0, -3.5, 56.692_913, 100.0, 0.05, -0.001, 1e30] {
                c.num(v);
            }
        });
        assert_eq!(s, "0 -3.5 56.69 100 0.05 0 10000000000 ");
    }

    #[test]
    fn colour_channels_have_three_decimals_at_most() {
        let s = written(|c| {
            for v in [0, 255, 128, 51, 1] {
                c.channel(v);
            }
        });
        assert_eq!(s, "0 1 0.502 0.2 0.004 ");
    }

    #[test]
    fn state_is_set_only_when_it_changes() {
        let run = |x: f32, color: Rgb| {
            Item::Text(TextRun {
                x,
                baseline: 20.0,
                size: 9.0,
                face: FontFace::Sans,
                color,
                text: "A".into(),
                width: 2.0,
            })
        };
        let red = Rgb(255, 0, 0);
        let s = written(|c| {
            c.item(&run(10.0, red));
            c.item(&run(20.0, red));
            c.item(&run(30.0, Rgb(0, 0, 0)));
        });
        assert_eq!(s.matches("BT").count(), 1, "{s}");
        assert_eq!(s.matches(" Tf").count(), 1, "{s}");
        assert_eq!(s.matches(" rg").count(), 2, "{s}");
        assert_eq!(s.matches(" Tm").count(), 3, "{s}");
        assert!(s.ends_with("ET\n"), "{s}");
    }

    #[test]
    fn to_unicode_entries_are_read_with_surrogate_pairs() {
        let cmap = b"2 beginbfchar\n<0001> <0041>\n<0002> <D83DDED1>\nendbfchar\n<0003> <zz>\n";
        assert_eq!(to_unicode_entries(cmap), vec![(1, 'A'), (2, '\u{1F6D1}')]);
    }
}
