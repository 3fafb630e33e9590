//! `upgrade-planner`: the command line dispatches to the core; without a subcommand it opens
//! the wizard.

fn main() -> std::process::ExitCode {
    upgrade_planner::cli::run(std::env::args_os())
}
