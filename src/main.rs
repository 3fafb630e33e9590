//! `upgrade-planner`: the command line dispatches to the core; without a subcommand it opens
//! the wizard.

use std::io::Write;
use std::process::ExitCode;

use upgrade_planner::cli::{self, Outcome};

fn main() -> ExitCode {
    match cli::run(std::env::args_os()) {
        Outcome::Exit(code) => code,
        Outcome::OpenWizard(_plan) => {
            let _ = writeln!(
                std::io::stderr(),
                "upgrade-planner: the wizard window is not available in this build; use a subcommand (see --help)."
            );
            ExitCode::from(cli::EXIT_INPUT)
        }
    }
}
