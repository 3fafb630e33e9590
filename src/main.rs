//! `upgrade-planner`: the command line dispatches to the core; without a subcommand it opens
//! the wizard.

// On Windows this is a GUI program: started from Explorer or the Start menu it opens its window
// and no console window. Started from a terminal with arguments, it writes to that terminal
// (`console::attach_to_parent`).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use upgrade_planner::cli::{self, Outcome};

fn main() -> ExitCode {
    // For the first-frame measurement (`UPGRADE_PLANNER_BENCH_TIMING`); reading the clock costs
    // nanoseconds.
    let started = std::time::Instant::now();
    #[cfg(windows)]
    if std::env::args_os().len() > 1 {
        console::attach_to_parent();
    }
    match cli::run(std::env::args_os()) {
        Outcome::Exit(code) => code,
        Outcome::OpenWizard(plan) => upgrade_planner::ui::run(plan, started),
        Outcome::OpenRun(plan) => upgrade_planner::ui::run_mode(plan, started),
        Outcome::OpenReviewer(plan) => upgrade_planner::ui::run_reviewer(plan, started),
    }
}

/// A Windows GUI program starts without a console, so what the command line prints would go
/// nowhere. Attaching to the console of the process that started it (cmd.exe, PowerShell,
/// Windows Terminal) gives the standard handles that were not redirected a console to write
/// to; redirected ones (`> out.txt`, a pipe) are kept as they are. Started from Explorer there
/// is no parent console and nothing changes.
///
/// The terminal does not wait for a GUI program: its prompt may come back before the output,
/// and in cmd.exe `%ERRORLEVEL%` is only set with `start /wait upgrade-planner …` (PowerShell
/// sets `$LASTEXITCODE` when the output is piped, e.g. `| Out-Host`).
#[cfg(windows)]
#[allow(unsafe_code)]
mod console {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};

    pub fn attach_to_parent() {
        // SAFETY: AttachConsole takes a process id and touches no memory of ours; failing
        // (no parent console, or one already attached) leaves the process as it was.
        let _ = unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
    }
}
