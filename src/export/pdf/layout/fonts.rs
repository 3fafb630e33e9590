//! The embedded fonts: which face draws a character, and how wide text is.

use std::collections::HashMap;
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
            FontFace::Sans => Some(fonts::sans()),
            FontFace::SansBold => Some(fonts::sans_bold()),
            FontFace::Mono => Some(fonts::mono()),
            FontFace::Cjk => fonts::cjk_fallback(),
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

/// The fonts, parsed for measuring. The CJK fallback is inflated and parsed only when a
/// character no DejaVu face has asks for it: most plans never need its 1.5 MB.
pub struct Fonts {
    faces: Vec<Measured>,
    cjk: std::sync::OnceLock<Option<Measured>>,
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
        for f in [FontFace::Sans, FontFace::SansBold, FontFace::Mono] {
            if let Some(m) = Fonts::parse(f)? {
                faces.push(m);
            }
        }
        if faces.len() < 3 {
            return Err("the DejaVu fonts are missing".into());
        }
        Ok(Fonts {
            faces,
            cjk: std::sync::OnceLock::new(),
        })
    }

    /// One embedded face, parsed with its table; `None` when the build does not embed it.
    fn parse(f: FontFace) -> Result<Option<Measured>, String> {
        let Some(bytes) = f.bytes() else {
            return Ok(None);
        };
        let face = Face::parse(bytes, 0).map_err(|e| format!("{f:?}: {e}"))?;
        Ok(Some(Measured::new(f, face)))
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
        if f == FontFace::Cjk {
            // A broken CJK font only costs the characters it would have drawn.
            return self
                .cjk
                .get_or_init(|| Fonts::parse(FontFace::Cjk).ok().flatten())
                .as_ref();
        }
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
    pub(super) fn char_width(&self, c: char, style: Style, size: f32) -> f32 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_tables_and_cache_agree_with_each_fonts_cmap() {
        let f = Fonts::load().unwrap();
        let mut outside_table = 0;
        let chars = (0u32..0x2700)
            .filter_map(char::from_u32)
            .chain("株式会社グ✓✗⚠🛑\u{FFFD}".chars());
        for c in chars {
            if table_index(c).is_none() {
                outside_table += 1;
            }
            for m in f.faces.iter().chain(f.face(FontFace::Cjk)) {
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
}
