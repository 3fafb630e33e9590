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
//! They are `static`, not `const`: a `const` byte string can be copied into every codegen unit
//! that uses it, which multiplied the fonts' megabytes in the release binary.

/// DejaVu Sans: body text.
pub static SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold: headings and labels.
pub static SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
/// DejaVu Sans Mono: commands, versions, file paths.
pub static MONO: &[u8] = include_bytes!("../assets/fonts/DejaVuSansMono.ttf");

/// Droid Sans Fallback: Chinese and Japanese, used only for characters DejaVu lacks.
#[cfg(feature = "cjk-font")]
pub static CJK_FALLBACK: Option<&[u8]> =
    Some(include_bytes!("../assets/fonts/DroidSansFallback-CJK.ttf"));
/// Built without the `cjk-font` feature: no CJK fallback.
#[cfg(not(feature = "cjk-font"))]
pub static CJK_FALLBACK: Option<&[u8]> = None;

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
        for (name, bytes) in [("sans", SANS), ("bold", SANS_BOLD), ("mono", MONO)] {
            let face = ttf_parser::Face::parse(bytes, 0).unwrap();
            for c in "Zoë Müller-Łukasiewicz → ✓ ☐ € Ωμ Привет".chars() {
                assert!(
                    c == ' ' || face.glyph_index(c).is_some(),
                    "{name} lacks {c:?}"
                );
            }
        }
        if let Some(cjk) = CJK_FALLBACK {
            let face = ttf_parser::Face::parse(cjk, 0).unwrap();
            for c in "株式会社テスト张伟".chars() {
                assert!(face.glyph_index(c).is_some(), "fallback lacks {c:?}");
            }
        }
        assert!(LICENSES.iter().all(|(_, text)| text.len() > 500));
    }
}
