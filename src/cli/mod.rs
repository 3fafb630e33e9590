//! The command line: `path`, `validate`, `export`, `env-info`, `diagnostics`, `schema`, `data`,
//! `diff` and `review`, and for the upgrade day `gate`, `report` and `timings`.
//!
//! Exit codes: 0 success (warnings allowed), 1 the plan has errors, 2 the input could not be
//! read or parsed.
//!
//! Everything printed that comes from a file, a paste or an argument goes through
//! [`crate::text`]: one line per message, control characters escaped, secrets redacted.

mod args;
mod data;
mod diff;
mod env_info;
mod export;
mod gate;
mod path;
mod report;
mod review;
mod timings;
mod validate;

use std::ffi::OsString;
use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use clap::Parser;

pub use args::{Cli, Command, DataAction};

use crate::export::Paper;
use crate::export::redact::redact;
use crate::knowledge::Knowledge;
use crate::path::PathRequest;
use crate::text::{escape_controls, json_safe, one_line};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INPUT: u8 = 2;

/// `--version` text: the tool version, the date of the GitLab data it uses and, once that
/// data is more than a few weeks behind `today`, what it misses.
pub fn long_version(k: &Knowledge, today: NaiveDate) -> String {
    let mut text = format!(
        "upgrade-planner {} ({})\n",
        env!("CARGO_PKG_VERSION"),
        k.data_summary()
    );
    if let Some(st) = k.staleness(today) {
        text.push_str(&st.message());
        text.push('\n');
    }
    text
}

/// What a subcommand prints, gathered and written at the end.
struct Output {
    out: String,
    err: String,
}

impl Output {
    /// One line on standard output; control characters and line breaks in it are escaped.
    fn say(&mut self, line: impl Display) {
        self.out.push_str(&one_line(&line.to_string()));
        self.out.push('\n');
    }

    /// One line on standard error, escaped like [`Output::say`].
    fn warn(&mut self, line: impl Display) {
        self.err.push_str(&one_line(&line.to_string()));
        self.err.push('\n');
    }

    /// A JSON document on standard output.
    fn json(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn flush(self) {
        // The last guard: whatever slipped through unescaped is escaped here (line breaks and
        // tabs between lines stay). A closed pipe (e.g. `| head`) is not worth a panic.
        let _ = std::io::stdout().write_all(escape_controls(&self.out).as_bytes());
        let _ = std::io::stderr().write_all(escape_controls(&self.err).as_bytes());
    }
}

/// What the binary should do after parsing the command line.
#[derive(Debug)]
pub enum Outcome {
    /// A subcommand ran (or the arguments were wrong): exit with this code.
    Exit(ExitCode),
    /// No subcommand: open the wizard, with this plan loaded if given.
    OpenWizard(Option<std::path::PathBuf>),
    /// `PLAN --run`: open the plan in run mode.
    OpenRun(std::path::PathBuf),
    /// `review PLAN` without an output option: open the plan in review mode.
    OpenReviewer(std::path::PathBuf),
}

/// Parse the arguments and run a subcommand. Never opens a window itself.
pub fn run<I, T>(args: I) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return Outcome::Exit(ExitCode::from(if e.use_stderr() {
                EXIT_INPUT
            } else {
                EXIT_OK
            }));
        }
    };
    let mut o = Output {
        out: String::new(),
        err: String::new(),
    };
    if let Some(Command::Review {
        plan,
        markdown: None,
        pdf: None,
        json: false,
        ..
    }) = &cli.command
    {
        return Outcome::OpenReviewer(plan.clone());
    }
    let code = if cli.version {
        print_version(cli.today.as_deref(), &mut o)
    } else if let Some(cmd) = cli.command {
        run_command(cmd, &mut o)
    } else {
        return match (cli.run, cli.plan) {
            (true, Some(plan)) => Outcome::OpenRun(plan),
            (_, plan) => Outcome::OpenWizard(plan),
        };
    };
    o.flush();
    Outcome::Exit(ExitCode::from(code))
}

fn print_version(today: Option<&str>, o: &mut Output) -> u8 {
    let today = match parse_today(today) {
        Ok(t) => t,
        Err(e) => {
            o.warn(format_args!("upgrade-planner: {e}"));
            return EXIT_INPUT;
        }
    };
    let k = knowledge(o);
    o.json(&long_version(k, today));
    EXIT_OK
}

fn knowledge(o: &mut Output) -> &'static Knowledge {
    let k = Knowledge::global();
    for w in &k.warnings {
        o.warn(format_args!("warning: {w}"));
    }
    k
}

fn run_command(cmd: Command, o: &mut Output) -> u8 {
    match cmd {
        Command::Path {
            from,
            to,
            zero_downtime,
            conditions,
            postgresql,
            postgresql_mode,
            redis,
            os,
            method,
            json,
            today,
        } => {
            let today = match parse_today(today.as_deref()) {
                Ok(t) => t,
                Err(e) => {
                    o.warn(format_args!("upgrade-planner path: {e}"));
                    return EXIT_INPUT;
                }
            };
            let request = PathRequest {
                from,
                to,
                zero_downtime,
                conditions,
                today: Some(today),
            };
            let env = path::Dependencies {
                postgresql,
                postgresql_mode,
                redis,
                os,
                method,
            };
            path::run(&request, &env, json, o)
        }
        Command::Validate { plan, json, today } => validate::run(&plan, json, today.as_deref(), o),
        Command::EnvInfo { input } => env_info::run(&input, o),
        Command::Diagnostics => env_info::diagnostics(o),
        Command::Data { action, json } => data::run(action, json, o),
        Command::Diff {
            old,
            new,
            old_data,
            new_data,
            json,
            today,
        } => diff::run(
            &diff::DiffRequest {
                old,
                new,
                old_data,
                new_data,
                json,
                today,
            },
            o,
        ),
        Command::Review {
            plan,
            markdown,
            pdf,
            json,
            paper,
            redact_hosts,
            today,
        } => review::run(
            &review::ReviewRequest {
                plan,
                markdown,
                pdf,
                json,
                paper: Paper::parse(&paper).unwrap_or_default(),
                redact_hosts,
                today,
            },
            o,
        ),
        Command::Schema => {
            o.json(&schema_json());
            EXIT_OK
        }
        Command::Export {
            plan,
            pdf,
            markdown,
            json,
            paper,
            draft,
            redact_hosts,
            today,
        } => {
            let request = export::ExportRequest {
                plan,
                pdf,
                markdown,
                json,
                paper: Paper::parse(&paper).unwrap_or_default(),
                draft,
                redact_hosts,
                today,
            };
            export::run(&request, o)
        }
        cmd @ (Command::Gate { .. } | Command::Report { .. } | Command::Timings { .. }) => {
            upgrade_day(cmd, o)
        }
    }
}

/// The upgrade day's commands: `gate`, `report`, `timings`.
fn upgrade_day(cmd: Command, o: &mut Output) -> u8 {
    match cmd {
        Command::Gate { hop, geo, input } => gate::run(&hop, geo, &input, o),
        Command::Report {
            plan,
            markdown,
            pdf,
            paper,
            today,
        } => report::run(
            &report::ReportRequest {
                plan,
                markdown,
                pdf,
                paper: Paper::parse(&paper).unwrap_or_default(),
                today,
            },
            o,
        ),
        Command::Timings {
            plan,
            from,
            dry_run,
            today,
        } => timings::run(
            &timings::TimingsRequest {
                plan,
                from,
                dry_run,
                today,
            },
            o,
        ),
        _ => EXIT_INPUT,
    }
}

/// A message built from what a user or a file supplied: secrets redacted (the caller's
/// [`Output`] makes it one line).
fn shown(message: impl Display) -> String {
    redact(&message.to_string())
}

/// `--today`, or the local date.
fn parse_today(today: Option<&str>) -> Result<NaiveDate, String> {
    match today {
        None => Ok(chrono::Local::now().date_naive()),
        Some(t) => NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
            format!(
                "--today {} is not a date (YYYY-MM-DD)",
                crate::text::quote(t)
            )
        }),
    }
}

/// Environment variable that fixes the generation time of exports (seconds since the epoch).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// The generation time: `SOURCE_DATE_EPOCH` when set, else now.
fn generation_time() -> Result<DateTime<Utc>, String> {
    match std::env::var(SOURCE_DATE_EPOCH) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| Utc.timestamp_opt(s, 0).single())
            .ok_or_else(|| {
                format!(
                    "{SOURCE_DATE_EPOCH}={} is not a number of seconds since 1970-01-01",
                    crate::text::quote(&v)
                )
            }),
        _ => Ok(Utc::now()),
    }
}

/// The JSON Schema of the plan file format.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(crate::plan::Plan);
    to_json(&schema)
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_string_pretty(v) {
        Ok(mut s) => {
            s.push('\n');
            json_safe(s)
        }
        Err(e) => format!("{{\"error\": \"{}\"}}\n", one_line(&e.to_string())),
    }
}

/// Refuse outputs that would destroy something before anything is written: the plan itself
/// (`itself`: what that is and what to do instead), one file named by two options, or what
/// is not a regular file. `outputs` are (option, path). Returns the message for the first
/// problem.
pub(super) fn check_output_paths(
    plan: &std::path::Path,
    outputs: &[(&str, &std::path::Path)],
    itself: (&str, &str),
) -> Result<(), String> {
    let (what, instead) = itself;
    for (i, (option, path)) in outputs.iter().enumerate() {
        if crate::plan_file::same_file(path, plan) {
            return Err(format!(
                "{}: {option} {what}; nothing was written ({instead})",
                path.display()
            ));
        }
        if let Some((other, _)) = outputs[..i]
            .iter()
            .find(|(_, earlier)| crate::plan_file::same_file(earlier, path))
        {
            return Err(format!(
                "{}: named by both {other} and {option}; nothing was written (each output needs its own file)",
                path.display()
            ));
        }
        crate::plan_file::output_target(path).map_err(|e| format!("{e} ({option})"))?;
    }
    Ok(())
}

/// How a command that writes documents starts: the day to validate for (`--today`), the time
/// the documents carry, and its outputs checked (`check_outputs`), in that order. On a problem
/// the message is printed after `name` and the exit code returned.
fn documents_start(
    name: &str,
    today: Option<&str>,
    check_outputs: impl FnOnce() -> Result<(), String>,
    o: &mut Output,
) -> Result<(NaiveDate, DateTime<Utc>), u8> {
    let started = parse_today(today).and_then(|today| {
        let generated_at = generation_time()?;
        check_outputs()?;
        Ok((today, generated_at))
    });
    started.map_err(|e| {
        o.warn(format_args!("{name}: {e}"));
        EXIT_INPUT
    })
}
