#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The app icon and the Linux desktop integration files that the installers ship.
//! (The MSI is checked by tools/wixl_build.py, the .deb by .ci/run and the macOS app bundle by
//! tools/check_macos_bundle.py: they need Debian tools or a bundle built first.)

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

#[test]
fn the_window_icon_decodes_to_the_128_px_app_icon() {
    let icon = upgrade_planner::ui::window_icon().expect("embedded icon decodes");
    assert_eq!((icon.width, icon.height), (128, 128));
    assert_eq!(icon.rgba.len(), 128 * 128 * 4);
    let px = |x: usize, y: usize| {
        let i = (y * 128 + x) * 4;
        [
            icon.rgba[i],
            icon.rgba[i + 1],
            icon.rgba[i + 2],
            icon.rgba[i + 3],
        ]
    };
    // Rounded corners are transparent; the middle is the opaque purple tile.
    assert_eq!(px(0, 0)[3], 0, "top-left corner should be transparent");
    assert_eq!(
        px(127, 127)[3],
        0,
        "bottom-right corner should be transparent"
    );
    let [r, _, b, a] = px(20, 64);
    assert!(
        a == 255 && b > r,
        "left middle should be opaque purple, got {:?}",
        px(20, 64)
    );
    // The orange stops and arrow are there.
    let orange = icon
        .rgba
        .chunks_exact(4)
        .filter(|p| p[0] > 220 && (80..180).contains(&p[1]) && p[2] < 80 && p[3] == 255)
        .count();
    assert!(
        orange > 500,
        "expected orange stops and arrow, found {orange} orange pixels"
    );
}

#[test]
fn every_icon_png_has_its_size_and_the_ico_holds_the_windows_sizes() {
    for n in [16, 32, 48, 64, 128, 256, 512] {
        let rel = format!("assets/icon/upgrade-planner-{n}.png");
        assert_eq!(png_size(&read(&rel)), (n, n), "{rel}");
    }
    let ico = read("assets/icon/upgrade-planner.ico");
    // ICONDIR: reserved 0, type 1 (icon), count; then 16-byte entries (width 0 means 256).
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "not an .ico");
    let count = usize::from(u16::from_le_bytes([ico[4], ico[5]]));
    let widths: Vec<u32> = (0..count)
        .map(|i| match ico[6 + 16 * i] {
            0 => 256,
            w => u32::from(w),
        })
        .collect();
    assert_eq!(widths, [16, 32, 48, 64, 128, 256]);
}

/// The macOS icon (tools/make_icons.sh, tools/make_icns.py): PNG entries for every size Finder
/// and the Dock ask for, the ones up to 512 px being the committed PNGs themselves.
#[test]
fn the_icns_holds_the_png_sizes_macos_asks_for() {
    let icns = read("assets/icon/upgrade-planner.icns");
    let be = |i: usize| u32::from_be_bytes([icns[i], icns[i + 1], icns[i + 2], icns[i + 3]]);
    assert_eq!(&icns[..4], b"icns", "not an .icns");
    assert_eq!(
        be(4) as usize,
        icns.len(),
        "the header's length is the file's"
    );
    let mut entries = std::collections::BTreeMap::new();
    let mut at = 8;
    while at < icns.len() {
        let kind = String::from_utf8(icns[at..at + 4].to_vec()).unwrap();
        let len = be(at + 4) as usize;
        assert!(
            len > 8 && at + len <= icns.len(),
            "entry {kind} overruns the file"
        );
        entries.insert(kind, icns[at + 8..at + len].to_vec());
        at += len;
    }
    for (kind, size) in [
        ("ic07", 128),
        ("ic08", 256),
        ("ic09", 512),
        ("ic10", 1024),
        ("ic11", 32),
        ("ic12", 64),
        ("ic13", 256),
        ("ic14", 512),
    ] {
        let png = entries
            .get(kind)
            .unwrap_or_else(|| panic!("no {kind} entry"));
        assert_eq!(png_size(png), (size, size), "{kind}");
        if size <= 512 {
            let rel = format!("assets/icon/upgrade-planner-{size}.png");
            assert!(*png == read(&rel), "{kind} is not {rel}");
        }
    }
}

#[test]
fn the_desktop_entry_opens_plan_files_with_the_app_icon() {
    let desktop = String::from_utf8(read("assets/linux/upgrade-planner.desktop")).unwrap();
    let key = |k: &str| {
        desktop
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k}= in the desktop entry"))
            .to_owned()
    };
    assert_eq!(key("Exec"), "upgrade-planner %f");
    assert_eq!(key("Icon"), "upgrade-planner");
    // The window's app id (eframe with_app_id) is what desktops match the entry by.
    assert_eq!(key("StartupWMClass"), "upgrade-planner");
    let mime = key("MimeType");
    let xml = String::from_utf8(read("assets/linux/upgrade-planner.xml")).unwrap();
    let declared = "application/x-upgrade-plan+json";
    assert_eq!(mime, format!("{declared};"));
    assert!(
        xml.contains(&format!("<mime-type type=\"{declared}\">")),
        "{xml}"
    );
    assert!(
        xml.contains("<glob pattern=\"*.upgrade-plan.json\""),
        "{xml}"
    );
    // The glob covers the plan files the project ships.
    let samples = std::fs::read_dir(root().join("assets/samples")).unwrap();
    let plans = samples
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(".upgrade-plan.json")
        })
        .count();
    assert!(plans > 0, "no sample plan matches *.upgrade-plan.json");
}
