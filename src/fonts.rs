//! Fonts embedded in the binary: the PDF export draws with them and the wizard can reuse them,
//! so text looks the same on every workstation (Windows has no `/usr/share/fonts`).
//!
//! DejaVu Sans, DejaVu Sans Bold and DejaVu Sans Mono (Debian `fonts-dejavu-core`, Bitstream Vera
//! licence, `assets/fonts/LICENSE-DejaVu.txt`) cover Latin, Greek, Cyrillic, arrows and the
//! symbols the exports use. With the `cjk-font` feature (on by default) Droid Sans Fallback
//! (Debian `fonts-droid-fallback`, Apache-2.0, `assets/fonts/LICENSE-DroidSansFallback.txt`)
//! adds Chinese and Japanese: a subset with the 10,767 characters of GB 2312, JIS X 0208 and
//! Big5 level 1 plus CJK punctuation and kana (1.5 MB instead of 4 MB; made by
//! `tools/subset_cjk_font.py`). It has no Hangul.
//!
//! build.rs deflates them into the binary (3.3 MB of TrueType take about half that); each is
//! inflated once, at its first use, and kept for the life of the process.

use std::sync::OnceLock;

/// A deflated font and its inflated bytes once asked for.
struct Packed {
    deflated: &'static [u8],
    inflated: OnceLock<Vec<u8>>,
}

impl Packed {
    const fn new(deflated: &'static [u8]) -> Packed {
        Packed {
            deflated,
            inflated: OnceLock::new(),
        }
    }

    /// The font's bytes; empty if the embedded data cannot be inflated (a broken build),
    /// which the PDF export reports as a font it cannot read and the window leaves out.
    fn bytes(&'static self) -> &'static [u8] {
        self.inflated.get_or_init(|| {
            miniz_oxide::inflate::decompress_to_vec(self.deflated).unwrap_or_default()
        })
    }
}

static SANS_PACKED: Packed = Packed::new(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/DejaVuSans.ttf.deflate"
)));
static SANS_BOLD_PACKED: Packed = Packed::new(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/DejaVuSans-Bold.ttf.deflate"
)));
static MONO_PACKED: Packed = Packed::new(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/DejaVuSansMono.ttf.deflate"
)));
#[cfg(feature = "cjk-font")]
static CJK_PACKED: Packed = Packed::new(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/DroidSansFallback-CJK.ttf.deflate"
)));

/// DejaVu Sans: body text.
pub fn sans() -> &'static [u8] {
    SANS_PACKED.bytes()
}

/// DejaVu Sans Bold: headings and labels.
pub fn sans_bold() -> &'static [u8] {
    SANS_BOLD_PACKED.bytes()
}

/// DejaVu Sans Mono: commands, versions, file paths.
pub fn mono() -> &'static [u8] {
    MONO_PACKED.bytes()
}

/// Droid Sans Fallback: Chinese and Japanese, used only for characters DejaVu lacks; `None`
/// when built without the `cjk-font` feature.
pub fn cjk_fallback() -> Option<&'static [u8]> {
    #[cfg(feature = "cjk-font")]
    return Some(CJK_PACKED.bytes());
    #[cfg(not(feature = "cjk-font"))]
    None
}

/// The licence texts that must ship with the fonts.
pub static LICENSES: [(&str, &str); 2] = [
    ("DejaVu", include_str!("../assets/fonts/LICENSE-DejaVu.txt")),
    (
        "Droid Sans Fallback",
        include_str!("../assets/fonts/LICENSE-DroidSansFallback.txt"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_parse_and_cover_what_the_exports_print() {
        for (name, bytes) in [("sans", sans()), ("bold", sans_bold()), ("mono", mono())] {
            let face = ttf_parser::Face::parse(bytes, 0).unwrap();
            for c in "Zoë Müller-Łukasiewicz → ✓ ☐ € Ωμ Привет".chars() {
                assert!(
                    c == ' ' || face.glyph_index(c).is_some(),
                    "{name} lacks {c:?}"
                );
            }
        }
        if let Some(cjk) = cjk_fallback() {
            let face = ttf_parser::Face::parse(cjk, 0).unwrap();
            for c in "株式会社テスト张伟".chars() {
                assert!(face.glyph_index(c).is_some(), "fallback lacks {c:?}");
            }
        }
        assert!(LICENSES.iter().all(|(_, text)| text.len() > 500));
    }

    #[test]
    fn the_inflated_fonts_are_the_files_in_assets() {
        assert_eq!(sans(), include_bytes!("../assets/fonts/DejaVuSans.ttf"));
        assert_eq!(
            sans_bold(),
            include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf")
        );
        assert_eq!(mono(), include_bytes!("../assets/fonts/DejaVuSansMono.ttf"));
        if let Some(cjk) = cjk_fallback() {
            assert_eq!(
                cjk,
                include_bytes!("../assets/fonts/DroidSansFallback-CJK.ttf")
            );
        }
    }
}
