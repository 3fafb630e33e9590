//! Fuzz the export: plan file to PDF and Markdown.
//! The checks live in `upgrade_planner::fuzz_harness` so that `tests/fuzz_corpus.rs` runs
//! the same code over the committed corpus.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    upgrade_planner::fuzz_harness::export_pdf(data);
});
