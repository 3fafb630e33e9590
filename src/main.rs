//! `upgrade-planner`: the command line dispatches to the core; without a subcommand it opens
//! the wizard.

use std::process::ExitCode;

use upgrade_planner::cli::{self, Outcome};

fn main() -> ExitCode {
    // For the first-frame measurement (`UPGRADE_PLANNER_BENCH_TIMING`); reading the clock costs
    // nanoseconds.
    let started = std::time::Instant::now();
    match cli::run(std::env::args_os()) {
        Outcome::Exit(code) => code,
        Outcome::OpenWizard(plan) => upgrade_planner::ui::run(plan, started),
    }
}
