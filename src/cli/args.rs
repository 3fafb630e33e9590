//! The command line's arguments (clap): what each subcommand takes and its help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "upgrade-planner",
    // The same name in usage lines everywhere, also where the program file is upgrade-planner.exe.
    bin_name = "upgrade-planner",
    disable_version_flag = true,
    about = "Plan a GitLab Self-Managed upgrade: compute the upgrade path, validate and export the plan GitLab Support asks for.",
    after_help = "Exit codes: 0 success (warnings allowed), 1 the plan has errors, 2 the input could not be read or parsed.\nWithout a subcommand the wizard opens (with PLAN loaded, if given)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A plan file to open in the wizard.
    pub plan: Option<PathBuf>,
    /// Open the plan in run mode: the current window's runbook as a checklist, with the
    /// gates between hops and the window's clock.
    #[arg(long, requires = "plan")]
    pub run: bool,
    /// Print the version, the date of the GitLab data and how far behind that data is.
    #[arg(short = 'V', long)]
    pub version: bool,
    /// With --version: as if today were this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", requires = "version")]
    pub today: Option<String>,
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
        /// The PostgreSQL version running now: the dependency steps it needs are placed on the
        /// path, each with the range of versions where it may go.
        #[arg(long, value_name = "VERSION")]
        postgresql: Option<String>,
        /// How PostgreSQL runs: bundled (single node: the package upgrades it), bundled_ha
        /// (Patroni) or external (default).
        #[arg(long, value_name = "MODE", value_parser = ["bundled", "bundled_ha", "external"])]
        postgresql_mode: Option<String>,
        /// The version of an external Redis.
        #[arg(long, value_name = "VERSION")]
        redis: Option<String>,
        /// The nodes' OS as ID:VERSION, e.g. ubuntu:20.04 or rhel:8 (Linux package installs).
        #[arg(long, value_name = "ID:VERSION")]
        os: Option<String>,
        /// The installation method (default linux_package).
        #[arg(long, value_name = "METHOD", value_parser = ["linux_package", "docker", "helm_chart", "operator", "self_compiled", "environment_toolkit"])]
        method: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// As if today were this date (YYYY-MM-DD): which versions can exist by GitLab's
        /// release calendar, and how far behind the data is.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
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
    /// Print a prefilled plan (JSON) from the output of `gitlab-rake gitlab:env:info`, of
    /// `upgrade-planner diagnostics`, or both.
    #[command(
        name = "env-info",
        after_help = "The input may hold gitlab:env:info output, the output of the script `upgrade-planner diagnostics` prints, or both one after the other. What was filled is listed on standard error.\n\nExit code 0: a plan was printed; 2: the input could not be read or holds neither output."
    )]
    EnvInfo {
        /// File with the pasted output, or `-` for standard input.
        input: String,
    },
    /// Print a read-only script that collects facts for the plan on a GitLab Rails node.
    #[command(
        after_help = "The script prints one `key: value` a line: GitLab version and edition, PostgreSQL and Redis versions, the number of users and NPM packages, row estimates of ci_pipeline_messages and ci_pipeline_variables, the Geo role, and whether gitlab.rb sets git_data_dirs, Grafana, Mattermost, Spamcheck or Patroni (yes/no, never a value). It writes nothing.\n\n  upgrade-planner diagnostics > upgrade-planner-facts.sh\n  # copy it to a Rails node, then there:\n  sudo bash upgrade-planner-facts.sh\n\nPaste its output on the Start step of the wizard, or give it to `upgrade-planner env-info` (alone or with gitlab:env:info output): it fills the answers and conditions the facts decide."
    )]
    Diagnostics,
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
    /// What changed between two plan files (or the same plan under two versions of the GitLab
    /// data): answers by wizard label, the path, findings new and resolved, known issues.
    #[command(
        after_help = "Exit code 0: compared (whatever the differences); 2: a plan or a data directory could not be read.\n\n--json prints {\"old_revision\", \"new_revision\", \"old_data_date\", \"new_data_date\", \"answers\": [{\"field\", \"label\", \"old\", \"new\"}], \"old_path\", \"new_path\", \"findings_new\", \"findings_resolved\": [{\"severity\", \"field\", \"label\", \"message\", \"rule\"}], \"issues_new\", \"issues_gone\"}."
    )]
    Diff {
        /// The earlier plan (for example the reviewed revision).
        old: PathBuf,
        /// The later plan.
        new: PathBuf,
        /// Read the earlier plan with the data files of this directory (over the built-in data).
        #[arg(long, value_name = "DIR")]
        old_data: Option<PathBuf>,
        /// Read the later plan with the data files of this directory (over the built-in data).
        #[arg(long, value_name = "DIR")]
        new_data: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Validate both as if today were this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Review a plan as GitLab Support: without an output option the window opens in review
    /// mode; with --markdown, --pdf or --json the review reply is written or printed.
    #[command(
        after_help = "From the plan's latest review; a plan without one gets an automatic draft from its findings (needs_info naming what is missing, or viable when nothing is).\n\nExit code 0: written (or the window closed); 1: the plan (or a review) holds what looks like a secret, nothing is written; 2: the plan could not be read or an output could not be written.\n\n--json prints {\"plan_id\", \"revision\", \"organization\", \"ticket\", \"from_version\", \"to_version\", \"data_date\", \"source\": \"saved|draft\", \"verdict\": \"viable|needs_info|reschedule\", \"verdict_label\", \"review\": {\"reviews\", \"reviewed_revision\", \"verdict\", \"verdict_label\", \"reviewer\", \"reviewed_on\", \"approvers\", \"data_date\", \"changed_since_review\", \"since_review\"} or null, \"missing\", \"reasons\", \"comment\", \"checklist\": [{\"id\", \"label\", \"status\", \"status_label\", \"note\", \"set_by\", \"app_status\", \"app_note\"}], \"steps\": [{\"step\", \"number\", \"title\", \"note\", \"missing\", \"concerns\"}], \"counts\", \"findings\"}; since_review has the shape of diff --json."
    )]
    Review {
        /// The plan file.
        plan: PathBuf,
        /// Write the review reply for the ticket (Markdown) here.
        #[arg(long, value_name = "FILE")]
        markdown: Option<PathBuf>,
        /// Write the one-page review summary (PDF) here.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// Print the review state as JSON.
        #[arg(long)]
        json: bool,
        /// Paper size of the PDF.
        #[arg(long, value_name = "SIZE", default_value = "a4", value_parser = ["a4", "letter"])]
        paper: String,
        /// Replace host names, IP addresses and email addresses in the outputs.
        #[arg(long)]
        redact_hosts: bool,
        /// Validate as if today were this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Show the GitLab data in use (built in or newer files), its date, sources and where
    /// newer files go; `data install FILE...` installs newer data files.
    #[command(
        after_help = "Newer data files are looked for in $UPGRADE_PLANNER_DATA_DIR, else in <config dir>/upgrade-planner/data. `data install` checks every file (a whole data file of a kind this build reads, newer than the one in use, consistent with the rest) and writes them there atomically, or writes nothing and exits 2 naming each problem. Nothing is downloaded: get the files from a newer Upgrade Planner's assets/data."
    )]
    Data {
        #[command(subcommand)]
        action: Option<DataAction>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Read the check outputs pasted after a hop: go, or no-go with what is still running or
    /// failing.
    #[command(
        after_help = "The input holds the outputs of the checks run after the hop, one after the other, as printed: the batched background migrations count (`gitlab-rails runner 'puts Gitlab::Database::BackgroundMigration::BatchedMigration.queued.count'`), `gitlab-rake gitlab:background_migrations:status`, the gitlab-psql query of the upgrade docs, `gitlab-rake gitlab:check SANITIZE=true`, `gitlab-rake db:migrate:status`, `gitlab-rake gitlab:geo:check`, `gitlab-ctl status` and `gitlab-rake gitlab:env:info` (its version must be the hop's). Go needs the background migrations read and finished and nothing read failing; checks not pasted are listed.\n\nExit code 0: go; 1: no-go (the reasons are listed); 2: the input could not be read or holds no output the gate reads."
    )]
    Gate {
        /// The version the hop installed (17.3.7, 17.3 or 19.5.x).
        #[arg(long, value_name = "VERSION")]
        hop: String,
        /// Geo is used: list gitlab:geo:check when it is not pasted.
        #[arg(long)]
        geo: bool,
        /// File with the outputs, or `-` for standard input.
        input: String,
    },
    /// Write the completion report of the plan's runs (run mode): what was done when,
    /// deviations, failed and skipped steps, versions reached, time used against the plan.
    #[command(
        group(clap::ArgGroup::new("outputs").required(true).multiple(true).args(["pdf", "markdown"])),
        after_help = "Exit code 0: written; 2: the plan could not be read, holds no run, or an output could not be written.\n\nThe generation time is the current time, or SOURCE_DATE_EPOCH when set."
    )]
    Report {
        /// The plan file (its run log is under `runs`).
        plan: PathBuf,
        /// Write the report as Markdown (for the ticket) here.
        #[arg(long, value_name = "FILE")]
        markdown: Option<PathBuf>,
        /// Write the report as a PDF here.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// Paper size of the PDF.
        #[arg(long, value_name = "SIZE", default_value = "a4", value_parser = ["a4", "letter"])]
        paper: String,
        /// Read the plan as if today were this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Take the hop times of a rehearsal run as the plan's estimates (`hop_hours`).
    #[command(
        after_help = "The rehearsal is a run of kind rehearsal (run mode: \"Rehearsal\") in --from's plan file, or in PLAN itself. Every hop it finished gives its measured time, rounded up to a tenth of an hour; the newest rehearsal wins where several timed a hop. PLAN is saved with a new revision; the previous file is kept as PLAN.bak.\n\nExit code 0: taken (or nothing to change); 2: a plan could not be read or written, or holds no rehearsal with a finished hop."
    )]
    Timings {
        /// The plan whose estimates change.
        plan: PathBuf,
        /// The plan file holding the rehearsal run (default: PLAN).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Read the plans as if today were this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DataAction {
    /// Check newer data files and install them into the data directory.
    Install {
        /// The data files (stops.json, releases.json, os.json, requirements.json,
        /// known_issues.json, as named by their `kind`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}
