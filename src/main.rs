//! `upgrade-planner`: the command line dispatches to the core; without a subcommand it opens
//! the wizard.

use std::process::ExitCode;

use upgrade_planner::cli::{self, Outcome};

fn main() -> ExitCode {
    match cli::run(std::env::args_os()) {
        Outcome::Exit(code) => code,
        Outcome::OpenWizard(plan) => upgrade_planner::ui::run(plan),
    }
}
