//! The command line: `path`, `validate`, `export`, `env-info` and `schema`.
//!
//! Exit codes: 0 success (warnings allowed), 1 the plan has errors, 2 the input could not be
//! read or parsed.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use clap::{Parser, Subcommand};

use crate::environment::Environment;
use crate::export::redact::redact;
use crate::export::{self, ExportError, ExportMeta, ExportModel, Paper};
use crate::knowledge::Knowledge;
use crate::path::{self, NoteSeverity, PathRequest};
use crate::plan_file;
use crate::validate::{self, Severity};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INPUT: u8 = 2;

/// `--version` text: the tool version and the date of the GitLab data it carries.
pub fn long_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let k = Knowledge::embedded();
        format!("{} ({})", env!("CARGO_PKG_VERSION"), k.data_summary())
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "upgrade-planner",
    version = long_version(),
    about = "Plan a GitLab Self-Managed upgrade: compute the upgrade path, validate and export the plan GitLab Support asks for.",
    after_help = "Exit codes: 0 success (warnings allowed), 1 the plan has errors, 2 the input could not be read or parsed.\nWithout a subcommand the wizard opens (with PLAN loaded, if given)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A plan file to open in the wizard.
    pub plan: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the upgrade path from one version to another, with the reason for every hop.
    #[command(
        after_help = "Versions are accepted as users paste them: 16.3.4, 16.3.4-ee, v16.3.4, 16.3 (a target given as major.minor resolves to its latest patch).\n\n--json prints {\"from\", \"to\", \"to_requested\", \"zero_downtime\", \"conditions\", \"hops\": [{\"version\", \"minor\", \"patch_known\", \"kind\", \"reason\", \"optional\", \"verified\", \"doc_url\", \"notes\": [{\"kind\", \"severity\", \"id\", \"message\", \"check\", \"doc_url\", \"verified\"}]}], \"known_issues\", \"notes\", \"data_date\"}."
    )]
    Path {
        /// The version running now.
        from: String,
        /// The version to reach (default: the newest version the data knows).
        to: Option<String>,
        /// Zero-downtime upgrade: visit every minor in order.
        #[arg(long)]
        zero_downtime: bool,
        /// A condition that adds a conditional stop (repeatable): multiple_web_nodes,
        /// large_users_table, npm_packages, large_pipeline_variables, large_pipeline_messages.
        #[arg(long = "condition", value_name = "NAME")]
        conditions: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check a plan file and list every finding (errors, warnings, hints).
    #[command(
        after_help = "Exit code 0: no errors (warnings allowed); 1: the plan has errors; 2: the file could not be read or parsed.\n\n--json prints {\"file\", \"data_date\", \"counts\": {\"error\", \"warning\", \"info\"}, \"findings\": [{\"severity\": \"error|warning|info\", \"field\", \"message\", \"step\", \"rule\", \"doc_url\"}]}."
    )]
    Validate {
        /// The plan file.
        plan: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Validate as if today were this date (YYYY-MM-DD), e.g. to review an older plan.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Print a prefilled plan (JSON) from the output of `gitlab-rake gitlab:env:info`.
    #[command(name = "env-info")]
    EnvInfo {
        /// File with the pasted output, or `-` for standard input.
        input: String,
    },
    /// Export a plan: the PDF for the ticket, the Markdown summary for its body, the plan file.
    #[command(
        group(clap::ArgGroup::new("outputs").required(true).multiple(true).args(["pdf", "markdown", "json"])),
        after_help = "Exit code 0: written (warnings allowed); 1: the plan has errors and --draft was not given (nothing is written); 2: the plan could not be read or an output could not be written.\n\nThe generation time is the current time, or SOURCE_DATE_EPOCH (seconds since 1970-01-01 UTC) when that environment variable is set: the same plan and the same SOURCE_DATE_EPOCH give byte-identical files.\n\nA plan with what looks like a secret (token, private key, password, cloud key, connection string with a password) in any text is not exported at all, drafts included: exit 1, nothing is written, the message names the field."
    )]
    Export {
        /// The plan file.
        plan: PathBuf,
        /// Write the PDF here.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// Write the Markdown summary (for the ticket body) here.
        #[arg(long, value_name = "FILE")]
        markdown: Option<PathBuf>,
        /// Write the plan file itself here, normalised (for the ticket attachment).
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// Paper size of the PDF.
        #[arg(long, value_name = "SIZE", default_value = "a4", value_parser = ["a4", "letter"])]
        paper: String,
        /// Export a plan that still has errors, with every page marked DRAFT.
        #[arg(long)]
        draft: bool,
        /// Replace host names, IP addresses and email addresses by [HOST], [IP] and [EMAIL]
        /// in every output (the plan file itself is not changed).
        #[arg(long)]
        redact_hosts: bool,
        /// Validate as if today were this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Print the JSON Schema of the plan file format.
    Schema,
}

struct Output {
    out: String,
    err: String,
}

impl Output {
    fn flush(self) {
        // A closed pipe (e.g. `| head`) is not an error worth a panic.
        let _ = std::io::stdout().write_all(self.out.as_bytes());
        let _ = std::io::stderr().write_all(self.err.as_bytes());
    }
}

/// What the binary should do after parsing the command line.
#[derive(Debug)]
pub enum Outcome {
    /// A subcommand ran (or the arguments were wrong): exit with this code.
    Exit(ExitCode),
    /// No subcommand: open the wizard, with this plan loaded if given.
    OpenWizard(Option<PathBuf>),
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
    let Some(cmd) = cli.command else {
        return Outcome::OpenWizard(cli.plan);
    };
    let mut o = Output {
        out: String::new(),
        err: String::new(),
    };
    let code = run_command(cmd, &mut o);
    o.flush();
    Outcome::Exit(ExitCode::from(code))
}

fn knowledge(o: &mut Output) -> &'static Knowledge {
    let k = Knowledge::global();
    for w in &k.warnings {
        let _ = writeln!(o.err, "warning: {w}");
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
            json,
        } => {
            let k = knowledge(o);
            let req = PathRequest {
                from,
                to,
                zero_downtime,
                conditions,
            };
            match path::compute(k, &req, &Environment::unknown()) {
                Ok(p) => {
                    if json {
                        o.out.push_str(&to_json(&p));
                    } else {
                        print_path(&p, k, o);
                    }
                    EXIT_OK
                }
                Err(e) => {
                    let _ = writeln!(o.err, "upgrade-planner path: {e}");
                    EXIT_INPUT
                }
            }
        }
        Command::Validate { plan, json, today } => {
            let today = match parse_today(today.as_deref()) {
                Ok(d) => d,
                Err(e) => {
                    let _ = writeln!(o.err, "upgrade-planner validate: {e}");
                    return EXIT_INPUT;
                }
            };
            let k = knowledge(o);
            let p = match plan_file::load(&plan) {
                Ok(p) => p,
                Err(e) => {
                    let _ = writeln!(o.err, "upgrade-planner validate: {e}");
                    return EXIT_INPUT;
                }
            };
            let mut analysis = validate::analyse(&p, k, today);
            // A finding may quote what the user typed; a secret never reaches the terminal.
            for f in &mut analysis.findings {
                f.message = redact(&f.message);
            }
            if json {
                let value = serde_json::json!({
                    "file": plan.display().to_string(),
                    "data_date": k.data_date(),
                    "counts": {
                        "error": analysis.count(Severity::Error),
                        "warning": analysis.count(Severity::Warning),
                        "info": analysis.count(Severity::Info),
                    },
                    "findings": analysis.findings,
                });
                o.out.push_str(&to_json(&value));
            } else {
                print_findings(&plan.display().to_string(), &analysis, o);
            }
            if analysis.has_errors() {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            }
        }
        Command::EnvInfo { input } => {
            let (name, text) = match read_input(&input) {
                Ok(t) => t,
                Err(e) => {
                    let _ = writeln!(o.err, "upgrade-planner env-info: {e}");
                    return EXIT_INPUT;
                }
            };
            match crate::envinfo::parse(&text) {
                Ok(info) => {
                    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
                    let mut prefill = info.to_plan();
                    if prefill.plan.plan_id.is_empty() {
                        let fresh = crate::plan::Plan::new(&now);
                        prefill.plan.plan_id = fresh.plan_id;
                        prefill.plan.created_at = fresh.created_at;
                    }
                    o.out.push_str(&plan_file::to_json(&prefill.plan));
                    let _ = writeln!(o.err, "Filled from {name}:");
                    for f in &prefill.filled {
                        let _ = writeln!(o.err, "  {:<28} {}", f.field, f.value);
                    }
                    EXIT_OK
                }
                Err(e) => {
                    let _ = writeln!(o.err, "upgrade-planner env-info: {name}: {e}");
                    EXIT_INPUT
                }
            }
        }
        Command::Schema => {
            o.out.push_str(&schema_json());
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
            let request = ExportRequest {
                plan,
                pdf,
                markdown,
                json,
                paper: Paper::parse(&paper).unwrap_or_default(),
                draft,
                redact_hosts,
                today,
            };
            run_export(&request, o)
        }
    }
}

/// `--today`, or the local date.
fn parse_today(today: Option<&str>) -> Result<NaiveDate, String> {
    match today {
        None => Ok(chrono::Local::now().date_naive()),
        Some(t) => NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
            .map_err(|_| format!("--today `{t}` is not a date (YYYY-MM-DD)")),
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
                format!("{SOURCE_DATE_EPOCH}=`{v}` is not a number of seconds since 1970-01-01")
            }),
        _ => Ok(Utc::now()),
    }
}

struct ExportRequest {
    plan: PathBuf,
    pdf: Option<PathBuf>,
    markdown: Option<PathBuf>,
    json: Option<PathBuf>,
    paper: Paper,
    draft: bool,
    redact_hosts: bool,
    today: Option<String>,
}

fn run_export(r: &ExportRequest, o: &mut Output) -> u8 {
    let name = "upgrade-planner export";
    let today = match parse_today(r.today.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(o.err, "{name}: {e}");
            return EXIT_INPUT;
        }
    };
    let generated_at = match generation_time() {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(o.err, "{name}: {e}");
            return EXIT_INPUT;
        }
    };
    let k = knowledge(o);
    let p = match plan_file::load(&r.plan) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(o.err, "{name}: {e}");
            return EXIT_INPUT;
        }
    };
    let file = r.plan.display().to_string();
    let analysis = validate::analyse(&p, k, today);
    match export::check_exportable(&analysis, r.draft) {
        Err(ExportError::PlanHasErrors { errors }) => {
            let _ = writeln!(
                o.err,
                "{name}: {file} has {}; nothing was written. Fix them, or export with --draft (every page is then marked DRAFT):",
                export::count(errors.len(), "error", "errors")
            );
            for f in &errors {
                let _ = writeln!(
                    o.err,
                    "  error: {} [{}] {}",
                    f.field,
                    f.step.title(),
                    redact(&f.message)
                );
            }
            return EXIT_FINDINGS;
        }
        Err(ExportError::SecretsPresent { findings }) => {
            let _ = writeln!(
                o.err,
                "{name}: {file} holds what looks like a secret; nothing was written (not even a draft). Remove it from the plan, then export again:"
            );
            for f in &findings {
                let _ = writeln!(
                    o.err,
                    "  secret: {} [{}] {}",
                    f.field,
                    f.step.title(),
                    f.message
                );
            }
            return EXIT_FINDINGS;
        }
        Err(e) => {
            let _ = writeln!(o.err, "{name}: {file}: {e}");
            return EXIT_INPUT;
        }
        Ok(()) => {}
    }
    let mut meta = ExportMeta::new(generated_at);
    meta.draft = r.draft;
    meta.paper = r.paper;
    meta.redact_hosts = r.redact_hosts;
    let model = ExportModel::build(&p, k, &analysis, meta);

    // Render everything first, then write: a rendering failure leaves no file behind.
    let mut outputs: Vec<(&PathBuf, Vec<u8>, &str)> = Vec::new();
    if let Some(path) = &r.pdf {
        match export::pdf::render_pdf(&model) {
            Ok(bytes) => outputs.push((path, bytes, "PDF")),
            Err(e) => {
                let _ = writeln!(o.err, "{name}: cannot render the PDF: {e}");
                return EXIT_INPUT;
            }
        }
    }
    if let Some(path) = &r.markdown {
        outputs.push((
            path,
            export::markdown::render(&model).into_bytes(),
            "Markdown",
        ));
    }
    if let Some(path) = &r.json {
        outputs.push((
            path,
            export::plan_json_with(&p, r.redact_hosts).into_bytes(),
            "plan file",
        ));
    }
    for (path, bytes, what) in &outputs {
        if let Err(e) = plan_file::write_atomic(path, bytes) {
            let reason = match &e.kind {
                plan_file::PlanFileErrorKind::Write(io) => io.to_string(),
                _ => e.to_string(),
            };
            let _ = writeln!(
                o.err,
                "{name}: cannot write the {what} to {}: {reason}",
                path.display()
            );
            return EXIT_INPUT;
        }
        let _ = writeln!(
            o.out,
            "wrote {} ({what}, {} KB)",
            path.display(),
            bytes.len().div_ceil(1024)
        );
    }
    let _ = writeln!(
        o.out,
        "{file}: {}{}: {}",
        model.verdict.label(),
        if r.draft { " (DRAFT)" } else { "" },
        model.counts.text(", ")
    );
    EXIT_OK
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
            s
        }
        Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
    }
}

fn read_input(input: &str) -> Result<(String, String), String> {
    let mut bytes = Vec::new();
    let name = if input == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: cannot read: {e}"))?;
        "standard input".to_string()
    } else {
        let path = std::path::Path::new(input);
        if path.is_dir() {
            return Err(format!("{input}: is a directory, expected a text file"));
        }
        bytes = std::fs::read(path).map_err(|e| format!("{input}: cannot read: {e}"))?;
        input.to_string()
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "{name}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok((name, text))
}

fn marker(s: NoteSeverity) -> &'static str {
    match s {
        NoteSeverity::Blocker => "BLOCKER",
        NoteSeverity::Warning => "warning",
        NoteSeverity::Info => "info",
    }
}

fn print_path(p: &path::UpgradePath, k: &Knowledge, o: &mut Output) {
    let out = &mut o.out;
    let _ = writeln!(
        out,
        "Upgrade path {} -> {}{}{}",
        p.from,
        p.to,
        if p.zero_downtime {
            " (zero-downtime: one minor at a time)"
        } else {
            ""
        },
        if p.conditions.is_empty() {
            String::new()
        } else {
            format!(" [conditions: {}]", p.conditions.join(", "))
        }
    );
    let _ = writeln!(out, "{}\n", k.data_summary());
    let width = p
        .hops
        .iter()
        .map(|h| h.display_version().len())
        .max()
        .unwrap_or(0);
    for (i, h) in p.hops.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>2}. {:<width$}  {}{}",
            i + 1,
            h.display_version(),
            if h.optional { "(optional) " } else { "" },
            h.reason,
        );
        for n in &h.notes {
            let id =
                n.id.as_deref()
                    .map(|i| format!("{i}: "))
                    .unwrap_or_default();
            let _ = writeln!(out, "      [{}] {id}{}", marker(n.severity), n.message);
            if let Some(c) = &n.check {
                let _ = writeln!(out, "          applies if: {c}");
            }
        }
    }
    if !p.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for n in &p.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
}

fn print_findings(file: &str, a: &validate::Analysis, o: &mut Output) {
    let out = &mut o.out;
    if let Some(p) = &a.path {
        let hops: Vec<String> = p.hops.iter().map(|h| h.display_version()).collect();
        let _ = writeln!(out, "{file}: path {} -> {}", p.from, hops.join(" -> "));
    }
    for f in &a.findings {
        let _ = writeln!(
            out,
            "{}: {} [{}] {}{}",
            f.severity.label(),
            f.field,
            f.step.title(),
            f.message,
            f.doc_url
                .as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "{file}: {} error(s), {} warning(s), {} hint(s)",
        a.count(Severity::Error),
        a.count(Severity::Warning),
        a.count(Severity::Info)
    );
}
