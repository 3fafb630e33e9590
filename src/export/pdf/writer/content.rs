//! The page content streams, written straight from the positioned items, and the codes the
//! subset fonts give each character.

use super::*;

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
pub(super) struct FontCodes {
    /// Per font (in [`FontFace::ALL`] order): codes for U+0000..U+0800 by character, then
    /// the rest.
    codes: [(Vec<u16>, HashMap<char, u16>); 4],
}

/// Characters below this have their code in a table.
const CODE_TABLE: usize = 0x800;

impl FontCodes {
    /// Read the codes from the fonts of the document's first page.
    pub(super) fn read(
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

    pub(super) fn empty() -> FontCodes {
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
pub(super) struct Content<'a> {
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
    pub(super) fn new(page_h: f32, fonts: &'a Fonts, codes: &'a FontCodes) -> Content<'a> {
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

    pub(super) fn finish(mut self) -> Vec<u8> {
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
    pub(super) fn save_state(&mut self, gs: &str) {
        self.end_text();
        self.op("q");
        self.out.push(b'/');
        self.out.extend_from_slice(gs.as_bytes());
        self.out.extend_from_slice(b" gs\n");
    }

    pub(super) fn restore_state(&mut self) {
        self.end_text();
        self.op("Q");
        // Colours and strokes set since the save are undone with it.
        self.fill = None;
        self.stroke = None;
    }

    /// The operations that draw `item` (links are annotations, outside the content).
    pub(super) fn item(&mut self, item: &Item) {
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
