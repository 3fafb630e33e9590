//! A small page layout engine for the PDF: text measured with the embedded fonts, greedy word
//! wrap that hard-breaks words longer than a line (host names, URLs), a top-down cursor in
//! millimetres, page breaks, tables whose rows wrap, split across pages and repeat their
//! header, boxes, lines and arrows for the diagram, and per-run font fallback.
//!
//! The result is a [`Document`] of positioned items (y grows downwards from the top edge) that
//! the PDF writer flips into PDF coordinates. It stays inspectable: tests check that nothing
//! is placed outside the margins.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use serde::Serialize;
use ttf_parser::Face;

use crate::fonts;

/// Millimetres per point.
pub const PT: f32 = 25.4 / 72.0;

/// The embedded fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum FontFace {
    Sans,
    SansBold,
    Mono,
    Cjk,
}

impl FontFace {
    pub const ALL: [FontFace; 4] = [
        FontFace::Sans,
        FontFace::SansBold,
        FontFace::Mono,
        FontFace::Cjk,
    ];
    /// Where this face sits in [`FontFace::ALL`], for tables indexed by font.
    pub fn index(self) -> usize {
        match self {
            FontFace::Sans => 0,
            FontFace::SansBold => 1,
            FontFace::Mono => 2,
            FontFace::Cjk => 3,
        }
    }
    pub fn bytes(self) -> Option<&'static [u8]> {
        match self {
            FontFace::Sans => Some(fonts::SANS),
            FontFace::SansBold => Some(fonts::SANS_BOLD),
            FontFace::Mono => Some(fonts::MONO),
            FontFace::Cjk => fonts::CJK_FALLBACK,
        }
    }
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Style {
    Regular,
    Bold,
    Mono,
}

impl Style {
    fn face(self) -> FontFace {
        match self {
            Style::Regular => FontFace::Sans,
            Style::Bold => FontFace::SansBold,
            Style::Mono => FontFace::Mono,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0x1f, 0x1e, 0x24);
    pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
}

/// Characters whose coverage and advance each face keeps in a table, so measuring them needs
/// no `cmap` look-up: Latin, Greek, Cyrillic and Hebrew (U+0000-U+05FF), general punctuation,
/// super- and subscripts, currency, letter-like symbols, arrows and mathematical operators
/// (U+2000-U+22FF), and box drawing, blocks and geometric shapes (U+2500-U+25FF). Everything
/// else is looked up in the font.
const TABLE_RANGES: [(u32, u32); 3] = [(0x0000, 0x0600), (0x2000, 0x2300), (0x2500, 0x2600)];

/// Where `c` sits in a face's table, when it has a place there.
fn table_index(c: char) -> Option<usize> {
    let u = u32::from(c);
    let mut base = 0usize;
    for (lo, hi) in TABLE_RANGES {
        let len = usize::try_from(hi - lo).ok()?;
        if (lo..hi).contains(&u) {
            return Some(base + usize::try_from(u - lo).ok()?);
        }
        base += len;
    }
    None
}

/// One parsed face with its table, and a cache for the characters outside the table (CJK
/// names, symbols) that were measured already.
struct Measured {
    kind: FontFace,
    face: Face<'static>,
    /// Units per em (at least 1).
    upm: f32,
    /// For each table character: `None` when the face has no glyph for it, else the glyph's
    /// advance in font units (0 when the font gives none).
    table: Vec<Option<u16>>,
    /// The same for characters outside the table, filled as they are met.
    others: RwLock<HashMap<char, Option<u16>>>,
}

impl Measured {
    fn new(kind: FontFace, face: Face<'static>) -> Measured {
        let mut table = Vec::new();
        for (lo, hi) in TABLE_RANGES {
            for u in lo..hi {
                table.push(char::from_u32(u).and_then(|c| Measured::lookup(&face, c)));
            }
        }
        let upm = f32::from(face.units_per_em().max(1));
        Measured {
            kind,
            face,
            upm,
            table,
            others: RwLock::new(HashMap::new()),
        }
    }

    /// Coverage and advance from the font's own tables.
    fn lookup(face: &Face<'static>, c: char) -> Option<u16> {
        face.glyph_index(c)
            .map(|g| face.glyph_hor_advance(g).unwrap_or(0))
    }

    /// `None` when the face has no glyph for `c`, else its advance in font units.
    fn advance(&self, c: char) -> Option<u16> {
        if let Some(entry) = table_index(c).and_then(|i| self.table.get(i)) {
            return *entry;
        }
        if let Ok(others) = self.others.read()
            && let Some(entry) = others.get(&c)
        {
            return *entry;
        }
        let entry = Measured::lookup(&self.face, c);
        // A poisoned cache only costs the look-up next time.
        if let Ok(mut others) = self.others.write() {
            others.insert(c, entry);
        }
        entry
    }
}

/// The fonts, parsed for measuring.
pub struct Fonts {
    faces: Vec<Measured>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<FontFace> = self.faces.iter().map(|m| m.kind).collect();
        write!(f, "Fonts({names:?})")
    }
}

impl Fonts {
    /// Parse the embedded fonts. Fails only if the build embedded a broken font.
    pub fn load() -> Result<Fonts, String> {
        let mut faces = Vec::new();
        for f in FontFace::ALL {
            let Some(bytes) = f.bytes() else {
                continue;
            };
            let face = Face::parse(bytes, 0).map_err(|e| format!("{f:?}: {e}"))?;
            faces.push(Measured::new(f, face));
        }
        if faces.len() < 3 {
            return Err("the DejaVu fonts are missing".into());
        }
        Ok(Fonts { faces })
    }

    /// The embedded fonts, parsed (and their tables built) once per process.
    pub fn shared() -> Result<&'static Fonts, String> {
        static FONTS: std::sync::OnceLock<Result<Fonts, String>> = std::sync::OnceLock::new();
        FONTS
            .get_or_init(Fonts::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The parsed font of `face` (`None` when the build does not embed it).
    pub fn parsed(&self, face: FontFace) -> Option<&Face<'static>> {
        self.face(face).map(|m| &m.face)
    }

    /// The glyph `face` draws `c` with, as the font numbers its glyphs.
    pub fn glyph_index(&self, face: FontFace, c: char) -> Option<u16> {
        self.parsed(face)?.glyph_index(c).map(|g| g.0)
    }

    fn face(&self, f: FontFace) -> Option<&Measured> {
        self.faces.iter().find(|m| m.kind == f)
    }

    /// The font that draws `c` for `style` (the style's own font, else the first that has it)
    /// with the glyph's advance in font units and that font's units per em.
    fn face_for(&self, c: char, style: Style) -> Option<(FontFace, u16, f32)> {
        let primary = style.face();
        let with_advance = |f: FontFace| {
            self.face(f)
                .and_then(|m| m.advance(c).map(|a| (f, a, m.upm)))
        };
        with_advance(primary).or_else(|| FontFace::ALL.into_iter().find_map(with_advance))
    }

    /// The character as drawn (tabs become spaces; `None` for control characters, which are
    /// dropped) with its font, advance and units per em. Characters no font has are drawn as
    /// U+FFFD in the sans face.
    fn drawn(&self, c: char, style: Style) -> Option<(char, FontFace, u16, f32)> {
        let c = if c == '\t' { ' ' } else { c };
        if c.is_control() {
            return None;
        }
        Some(match self.face_for(c, style) {
            Some((f, a, upm)) => (c, f, a, upm),
            None => {
                let sans = self.face(FontFace::Sans);
                let advance = sans.and_then(|m| m.advance('\u{FFFD}')).unwrap_or(0);
                let upm = sans.map_or(1.0, |m| m.upm);
                ('\u{FFFD}', FontFace::Sans, advance, upm)
            }
        })
    }

    /// Split `text` into runs, each drawn with one font (per-run fallback). Characters no
    /// font has become U+FFFD; control characters are dropped.
    pub fn runs(&self, text: &str, style: Style) -> Vec<(FontFace, String)> {
        let mut out: Vec<(FontFace, String)> = Vec::new();
        for (c, face, _, _) in text.chars().filter_map(|c| self.drawn(c, style)) {
            match out.last_mut() {
                Some((f, s)) if *f == face => s.push(c),
                _ => out.push((face, c.to_string())),
            }
        }
        out
    }

    /// Advance of `text` in one face, in millimetres at `size` points.
    pub fn face_width(&self, face: FontFace, text: &str, size: f32) -> f32 {
        let Some(f) = self.face(face) else {
            return 0.0;
        };
        let units: f32 = text
            .chars()
            .map(|c| f.advance(c).map_or(0.0, f32::from))
            .sum();
        units / f.upm * size * PT
    }

    /// Width of one character as drawn: the same as [`Fonts::width`] of it alone.
    fn char_width(&self, c: char, style: Style, size: f32) -> f32 {
        self.drawn(c, style).map_or(0.0, |(_, _, advance, upm)| {
            f32::from(advance) / upm * size * PT
        })
    }

    /// Width of `text` as drawn (with fallback), in millimetres at `size` points: the sum of
    /// [`Fonts::face_width`] over [`Fonts::runs`], computed without building the runs.
    pub fn width(&self, text: &str, style: Style, size: f32) -> f32 {
        let mut total = 0.0;
        // The run being measured: its face, units per em and advance so far.
        let mut run: Option<(FontFace, f32, f32)> = None;
        for (_, face, advance, upm) in text.chars().filter_map(|c| self.drawn(c, style)) {
            match &mut run {
                Some((f, _, units)) if *f == face => *units += f32::from(advance),
                _ => {
                    if let Some((_, upm, units)) = run {
                        total += units / upm * size * PT;
                    }
                    run = Some((face, upm, f32::from(advance)));
                }
            }
        }
        if let Some((_, upm, units)) = run {
            total += units / upm * size * PT;
        }
        total
    }
}

// ------------------------------------------------------------------ positioned items

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

// ------------------------------------------------------------------ rich text

/// A piece of rich text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    pub color: Option<Rgb>,
    pub link: Option<String>,
    /// Drawn as a label on this background, never broken.
    pub chip: Option<Rgb>,
}

impl Span {
    pub fn plain(t: impl Into<String>) -> Span {
        Span {
            text: t.into(),
            style: Style::Regular,
            color: None,
            link: None,
            chip: None,
        }
    }
    pub fn bold(t: impl Into<String>) -> Span {
        Span {
            style: Style::Bold,
            ..Span::plain(t)
        }
    }
    pub fn mono(t: impl Into<String>) -> Span {
        Span {
            style: Style::Mono,
            ..Span::plain(t)
        }
    }
    pub fn color(mut self, c: Rgb) -> Span {
        self.color = Some(c);
        self
    }
    pub fn link(mut self, url: impl Into<String>) -> Span {
        self.link = Some(url.into());
        self
    }
    /// A label: white bold text on `bg`.
    pub fn chip(t: impl Into<String>, bg: Rgb) -> Span {
        Span {
            text: t.into(),
            style: Style::Bold,
            color: Some(Rgb::WHITE),
            link: None,
            chip: Some(bg),
        }
    }
}

/// A placed run of a wrapped line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRun {
    pub text: String,
    pub style: Style,
    pub color: Option<Rgb>,
    pub link: Option<String>,
    pub chip: Option<Rgb>,
    pub x: f32,
    pub width: f32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<LineRun>,
    pub width: f32,
}

#[derive(Debug, Clone)]
struct Atom {
    text: String,
    style: Style,
    color: Option<Rgb>,
    link: Option<String>,
    chip: Option<Rgb>,
    space_before: bool,
    /// Line breaks before this atom (2 = an empty line between paragraphs).
    breaks: u8,
    width: f32,
}

const CHIP_PAD: f32 = 0.9;

/// Characters after which a long word may break.
fn soft_break_after(c: char) -> bool {
    matches!(
        c,
        '/' | '.' | '-' | '_' | ':' | ',' | '@' | '=' | '&' | '?' | ';' | '+'
    )
}

impl Fonts {
    fn atoms(&self, spans: &[Span], size: f32) -> Vec<Atom> {
        let mut atoms = Vec::new();
        let mut space = false;
        let mut brk: u8 = 0;
        for span in spans {
            if let Some(bg) = span.chip {
                let w = self.width(&span.text, span.style, size) + 2.0 * CHIP_PAD;
                atoms.push(Atom {
                    text: span.text.clone(),
                    style: span.style,
                    color: span.color,
                    link: span.link.clone(),
                    chip: Some(bg),
                    space_before: space,
                    breaks: brk,
                    width: w,
                });
                space = false;
                brk = 0;
                continue;
            }
            let mut word = String::new();
            let flush =
                |word: &mut String, space: &mut bool, brk: &mut u8, atoms: &mut Vec<Atom>| {
                    if word.is_empty() {
                        return;
                    }
                    let w = self.width(word, span.style, size);
                    atoms.push(Atom {
                        text: std::mem::take(word),
                        style: span.style,
                        color: span.color,
                        link: span.link.clone(),
                        chip: None,
                        space_before: *space,
                        breaks: *brk,
                        width: w,
                    });
                    *space = false;
                    *brk = 0;
                };
            for c in span.text.chars() {
                if c == '\n' {
                    flush(&mut word, &mut space, &mut brk, &mut atoms);
                    brk = brk.saturating_add(1).min(2);
                    space = false;
                } else if c.is_whitespace() {
                    flush(&mut word, &mut space, &mut brk, &mut atoms);
                    space = true;
                } else {
                    word.push(c);
                }
            }
            flush(&mut word, &mut space, &mut brk, &mut atoms);
        }
        atoms
    }

    /// Break a word that is wider than a line: at a soft break point in the second half of
    /// the line when there is one, else between characters.
    fn split_word(
        &self,
        text: &str,
        style: Style,
        size: f32,
        first: f32,
        rest: f32,
    ) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut avail = first;
        let chars: Vec<char> = text.chars().collect();
        let mut start = 0;
        while start < chars.len() {
            let mut w = 0.0;
            let mut end = start;
            let mut soft: Option<usize> = None;
            while end < chars.len() {
                let cw = self.char_width(chars[end], style, size);
                if w + cw > avail && end > start {
                    break;
                }
                w += cw;
                if soft_break_after(chars[end]) && w >= avail * 0.5 {
                    soft = Some(end + 1);
                }
                end += 1;
            }
            if end < chars.len()
                && let Some(s) = soft
            {
                end = s;
            }
            pieces.push(chars[start..end].iter().collect());
            start = end;
            avail = rest;
        }
        pieces
    }

    /// Greedy word wrap of rich text into lines no wider than `max` millimetres.
    pub fn wrap(&self, spans: &[Span], size: f32, max: f32) -> Vec<Line> {
        let max = max.max(5.0);
        let mut lines: Vec<Line> = Vec::new();
        let mut cur = Line::default();
        let place =
            |cur: &mut Line, a: &Atom, text: String, width: f32, space: bool, fonts: &Fonts| {
                let sp = if space && !cur.runs.is_empty() {
                    fonts.width(" ", a.style, size)
                } else {
                    0.0
                };
                let x = cur.width + sp;
                let mergeable = a.chip.is_none()
                    && cur.runs.last().is_some_and(|r| {
                        r.chip.is_none()
                            && r.style == a.style
                            && r.color == a.color
                            && r.link == a.link
                    });
                if mergeable && let Some(r) = cur.runs.last_mut() {
                    if sp > 0.0 {
                        r.text.push(' ');
                    }
                    r.text.push_str(&text);
                    r.width = x + width - r.x;
                } else {
                    cur.runs.push(LineRun {
                        text,
                        style: a.style,
                        color: a.color,
                        link: a.link.clone(),
                        chip: a.chip,
                        x,
                        width,
                    });
                }
                cur.width = x + width;
            };
        for a in self.atoms(spans, size) {
            for _ in 0..a.breaks {
                lines.push(std::mem::take(&mut cur));
            }
            let sp = if a.space_before && !cur.runs.is_empty() {
                self.width(" ", a.style, size)
            } else {
                0.0
            };
            if cur.width + sp + a.width <= max + 0.001 {
                place(&mut cur, &a, a.text.clone(), a.width, a.space_before, self);
                continue;
            }
            if a.width <= max || a.chip.is_some() {
                if !cur.runs.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                place(&mut cur, &a, a.text.clone(), a.width.min(max), false, self);
                continue;
            }
            // Longer than a whole line: break it.
            let left = max - cur.width - sp;
            let first = if !cur.runs.is_empty() && left > max * 0.3 {
                left
            } else {
                if !cur.runs.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                max
            };
            let pieces = self.split_word(&a.text, a.style, size, first, max);
            for (i, p) in pieces.into_iter().enumerate() {
                if i > 0 {
                    lines.push(std::mem::take(&mut cur));
                }
                let w = self.width(&p, a.style, size);
                place(&mut cur, &a, p, w, i == 0 && a.space_before, self);
            }
        }
        if !cur.runs.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines
    }
}

/// Baseline of text of `size` points in a line box of height `lh` starting at `top`.
pub fn baseline(top: f32, lh: f32, size: f32) -> f32 {
    top + lh / 2.0 + 0.36 * size * PT
}

/// Line height in millimetres for a font size in points.
pub fn line_height(size: f32) -> f32 {
    size * PT * 1.38
}

/// Break a shell command so it fits `max` millimetres per line. Breaks go at spaces outside
/// single quotes and end with ` \` so the command still pastes into a shell; a token too
/// long for a line is broken hard.
pub fn wrap_command(fonts: &Fonts, cmd: &str, size: f32, max: f32) -> Vec<String> {
    let cw = fonts.width("m", Style::Mono, size).max(0.1);
    let max_chars = ((max / cw).floor() as usize).max(12);
    let mut out = Vec::new();
    for raw_line in cmd.lines() {
        let chars: Vec<char> = raw_line.chars().collect();
        let mut start = 0;
        let mut first = true;
        while start < chars.len() {
            let prefix = if first { 0 } else { 2 };
            let room = max_chars - prefix;
            if chars.len() - start <= room {
                let mut s = if first { String::new() } else { "  ".into() };
                s.extend(&chars[start..]);
                out.push(s);
                break;
            }
            // Find the last space outside single quotes that leaves room for " \".
            let (mut single, mut double) = (false, false);
            for c in &chars[..start] {
                match c {
                    '\'' if !double => single = !single,
                    '"' if !single => double = !double,
                    _ => {}
                }
            }
            let mut best: Option<usize> = None;
            for (i, c) in chars.iter().enumerate().skip(start) {
                if i - start + 2 > room {
                    break;
                }
                match c {
                    '\'' if !double => single = !single,
                    '"' if !single => double = !double,
                    ' ' if !single && i > start => best = Some(i),
                    _ => {}
                }
            }
            let mut s = if first { String::new() } else { "  ".into() };
            match best {
                Some(i) => {
                    s.extend(&chars[start..i]);
                    s.push_str(" \\");
                    start = i + 1;
                }
                None => {
                    s.extend(&chars[start..start + room]);
                    start += room;
                }
            }
            out.push(s);
            first = false;
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

// ------------------------------------------------------------------ tables

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

// ------------------------------------------------------------------ the flow

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
}

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
        self.pages.push(Page::default());
        self.y = self.geometry.body_top;
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

    /// Height the table needs before its first page break is acceptable: the header and the
    /// first row (or the whole table when it is small), at most a page. Callers keep a
    /// heading together with this much of the table.
    pub fn table_lead(&self, t: &Table) -> f32 {
        let lh = line_height(t.size);
        let total: f32 = t.columns.iter().map(|c| c.weight).sum::<f32>().max(0.001);
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| c.weight / total * self.width())
            .collect();
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
        let size = t.size;
        let lh = line_height(size);
        let pad_x = 1.4;
        let pad_y = 1.0;
        let total: f32 = t.columns.iter().map(|c| c.weight).sum::<f32>().max(0.001);
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| c.weight / total * self.width())
            .collect();
        let header_cells: Vec<Vec<Line>> = t
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                self.fonts.wrap(
                    &[Span::bold(c.title.clone()).color(t.header_color)],
                    size,
                    w - 2.0 * pad_x,
                )
            })
            .collect();
        let header_lines = header_cells.iter().map(Vec::len).max().unwrap_or(1);
        let header_h = header_lines as f32 * lh + 2.0 * pad_y;

        let draw_header = |flow: &mut Flow<'_>| {
            let (x0, y) = (flow.left(), flow.y);
            let w = flow.width();
            flow.push(Item::Rect {
                x: x0,
                y,
                w,
                h: header_h,
                fill: Some(t.header_fill),
                stroke: None,
            });
            let mut x = x0;
            for (lines, cw) in header_cells.iter().zip(&widths) {
                let mut top = y + pad_y;
                for l in lines {
                    for i in flow.line_items(l, x + pad_x, top, size, lh) {
                        flow.push(i);
                    }
                    top += lh;
                }
                x += cw;
            }
            flow.y += header_h;
        };

        // Small tables stay in one piece; others start with at least two rows.
        let row_heights: Vec<f32> = t
            .rows
            .iter()
            .map(|row| {
                let n = row
                    .cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| self.fonts.wrap(c, size, w - 2.0 * pad_x).len())
                    .max()
                    .unwrap_or(1);
                n as f32 * lh + 2.0 * pad_y
            })
            .collect();
        let whole = header_h + row_heights.iter().sum::<f32>();
        let fresh = self.geometry.body_bottom - self.geometry.body_top;
        let first = header_h + row_heights.first().copied().unwrap_or(0.0);
        if whole <= 60.0 {
            self.ensure(whole);
        } else if first <= fresh {
            // Never leave the header alone: the first row must fit beside it.
            self.ensure(first.max(header_h + row_heights.iter().take(2).sum::<f32>().min(50.0)));
        } else {
            self.ensure(header_h + 30.0);
        }
        draw_header(self);
        for row in &t.rows {
            let cells: Vec<Vec<Line>> = row
                .cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| self.fonts.wrap(c, size, w - 2.0 * pad_x))
                .collect();
            let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let mut done = 0;
            while done < n {
                let left = n - done;
                let need = left as f32 * lh + 2.0 * pad_y;
                let fresh = self.geometry.body_bottom - self.geometry.body_top - header_h;
                if need > self.remaining() && (need <= fresh || self.remaining() < lh + 2.0 * pad_y)
                {
                    self.new_page();
                    draw_header(self);
                }
                let fit = (((self.remaining() - 2.0 * pad_y) / lh).floor() as usize).clamp(1, left);
                let h = fit as f32 * lh + 2.0 * pad_y;
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
                for (lines, cw) in cells.iter().zip(&widths) {
                    let mut top = y + pad_y;
                    for l in lines.iter().skip(done).take(fit) {
                        for i in self.line_items(l, x + pad_x, top, size, lh) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    #[test]
    fn advance_tables_and_cache_agree_with_each_fonts_cmap() {
        let f = fonts();
        let mut outside_table = 0;
        let chars = (0u32..0x2700)
            .filter_map(char::from_u32)
            .chain("株式会社グ✓✗⚠🛑\u{FFFD}".chars());
        for c in chars {
            if table_index(c).is_none() {
                outside_table += 1;
            }
            for m in &f.faces {
                let direct = Measured::lookup(&m.face, c);
                assert_eq!(m.advance(c), direct, "{:?} {c:?}", m.kind);
                // Asked again, characters outside the table come from the cache.
                assert_eq!(m.advance(c), direct, "{:?} {c:?} (cached)", m.kind);
            }
        }
        assert!(outside_table > 100);
        let sans = f.face(FontFace::Sans).unwrap();
        assert!(sans.advance('G').is_some_and(|a| a > 0));
        assert_eq!(sans.advance('株'), None);
        if let Some(cjk) = f.face(FontFace::Cjk) {
            assert!(cjk.advance('株').is_some());
        }
    }

    #[test]
    fn the_shared_fonts_are_parsed_once() {
        let a = Fonts::shared().unwrap();
        let b = Fonts::shared().unwrap();
        assert!(std::ptr::eq(a, b));
        assert_eq!(
            a.width("GitLab", Style::Regular, 10.0),
            fonts().width("GitLab", Style::Regular, 10.0)
        );
    }

    #[test]
    fn measures_text_with_the_embedded_font() {
        let f = fonts();
        let w = f.width("GitLab", Style::Regular, 10.0);
        assert!(w > 10.0 && w < 14.0, "{w}");
        assert!(f.width("GitLab", Style::Bold, 10.0) > w);
        let m = f.width("mmmmmmmmmm", Style::Mono, 10.0);
        let i = f.width("iiiiiiiiii", Style::Mono, 10.0);
        assert!((m - i).abs() < 0.001);
    }

    #[test]
    fn wraps_words_and_hard_breaks_long_host_names() {
        let f = fonts();
        let host = "gitaly-cluster-node-0001.eu-central-1.compute.internal.very-long-corporate-domain.example.com";
        let spans = [Span::plain(format!(
            "Hosts: {host} and more words after it"
        ))];
        let lines = f.wrap(&spans, 9.0, 60.0);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(l.width <= 60.0 + 0.01, "{l:?}");
        }
        let joined: String = lines
            .iter()
            .flat_map(|l| l.runs.iter().map(|r| r.text.clone()))
            .collect::<Vec<_>>()
            .join("");
        assert!(joined.replace(' ', "").contains(&host.replace(' ', "")));
        // Breaks prefer the dots and dashes of the host name.
        assert!(
            lines
                .iter()
                .any(|l| l.runs.iter().any(|r| r.text.ends_with(['.', '-']))),
            "{lines:?}"
        );
    }

    #[test]
    fn hard_line_breaks_and_mixed_styles() {
        let f = fonts();
        let lines = f.wrap(
            &[Span::bold("Title:"), Span::plain(" one\ntwo")],
            9.0,
            100.0,
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].runs.len(), 2);
        assert_eq!(lines[1].runs[0].text, "two");
    }

    #[test]
    fn fallback_splits_runs_by_font() {
        let f = fonts();
        let runs = f.runs("Zoë 株式会社", Style::Bold);
        assert_eq!(runs[0], (FontFace::SansBold, "Zoë ".to_string()));
        if crate::fonts::CJK_FALLBACK.is_some() {
            assert_eq!(runs[1], (FontFace::Cjk, "株式会社".to_string()));
        }
        let mono = f.runs("→ ok", Style::Mono);
        assert!(mono.iter().all(|(_, s)| !s.is_empty()));
    }

    #[test]
    fn commands_wrap_with_continuations_outside_single_quotes() {
        let f = fonts();
        let cmd = "sudo gitlab-psql -c \"SELECT job_class_name, table_name, column_name, job_arguments FROM batched_background_migrations WHERE status NOT IN(3, 6);\"";
        let lines = wrap_command(&f, cmd, 7.5, 80.0);
        assert!(lines.len() > 1);
        for l in &lines[..lines.len() - 1] {
            assert!(l.ends_with(" \\"), "{l}");
        }
        // Joining the continuations gives the command back.
        let joined = lines
            .iter()
            .map(|l| l.trim_end_matches(" \\").trim_start())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, cmd);
        let q = "sudo gitlab-rails runner -e production 'puts Gitlab::Database::BackgroundMigration::BatchedMigration.queued.count'";
        let lines = wrap_command(&f, q, 7.5, 80.0);
        assert!(
            lines[0].ends_with('\\') && !lines[0].contains('\''),
            "{lines:?}"
        );
    }

    #[test]
    fn tables_repeat_their_header_on_every_page() {
        let f = fonts();
        let mut flow = Flow::new(&f, Geometry::for_paper(210.0, 297.0));
        let rows = (0..120)
            .map(|i| TableRow {
                cells: vec![
                    vec![Span::plain(format!("row {i}"))],
                    vec![Span::plain("some text that wraps ".repeat(i % 5 + 1))],
                ],
                fill: None,
            })
            .collect();
        flow.table(&Table {
            columns: vec![
                Column {
                    title: "Name".into(),
                    weight: 1.0,
                },
                Column {
                    title: "Text".into(),
                    weight: 3.0,
                },
            ],
            rows,
            size: 8.0,
            header_fill: Rgb(0, 0, 0),
            header_color: Rgb::WHITE,
            rule: Rgb(200, 200, 200),
        });
        let doc = flow.finish();
        assert!(doc.pages.len() >= 3);
        for (i, _) in doc.pages.iter().enumerate() {
            assert!(doc.page_text(i).starts_with("Name Text"), "page {i}");
        }
        assert!(doc.overflows().is_empty(), "{:?}", doc.overflows());
    }
}
