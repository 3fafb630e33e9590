//! Fuzz the gate: check outputs pasted after a hop, read for a go or no-go.
//! The checks live in `upgrade_planner::fuzz_harness` so that `tests/fuzz_corpus.rs` runs
//! the same code over the committed corpus.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    upgrade_planner::fuzz_harness::gate_output(data);
});
