//! Fuzz the plan file parser (load, save and reload, validate).
//! The checks live in `upgrade_planner::fuzz_harness` so that `tests/fuzz_corpus.rs` runs
//! the same code over the committed corpus.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    upgrade_planner::fuzz_harness::plan_loader(data);
});
