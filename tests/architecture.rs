//! The core stays free of UI code: only modules under `src/ui/` (and the binary's entry point)
//! may use egui, eframe or rfd, and only the PDF writer (`export/pdf/writer/`) may use printpdf.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::rust_files;

#[test]
fn core_modules_do_not_use_ui_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() >= 10, "found {files:?}");
    let mut checked = 0;
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("ui/") || rel == "main.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for krate in ["egui", "eframe", "rfd"] {
            for pattern in [
                format!("{krate}::"),
                format!("use {krate}"),
                format!("extern crate {krate}"),
            ] {
                assert!(
                    !text.contains(&pattern),
                    "core module src/{rel} uses {krate}"
                );
            }
        }
        if !rel.starts_with("export/pdf/writer/") {
            for krate in ["printpdf", "lopdf"] {
                assert!(
                    !text.contains(krate),
                    "src/{rel} uses {krate}; only the PDF writer may"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 10);
}

/// The exports stay split along their seams (issue 13): no file under `src/export/` grows past
/// about 800 lines. (Functions are held to 80 lines by clippy's `too_many_lines`, on for the
/// export module.)
#[test]
fn export_files_stay_small() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/export");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(files.len() >= 20, "found {files:?}");
    for file in files {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        assert!(lines <= 800, "{} has {lines} lines", file.display());
    }
}
