//! Upgrade Planner: the core of the GitLab upgrade-plan wizard.
//!
//! Everything here is free of UI code: the plan model and file format, the embedded GitLab
//! knowledge, the upgrade path engine, validation, what the administrator pastes
//! (`gitlab:env:info` and the diagnostics script's output) and the command line.

pub mod app_dirs;
pub mod cli;
pub mod draft;
pub mod environment;
pub mod export;
pub mod fonts;
pub mod fuzz_harness;
pub mod intake;
pub mod knowledge;
pub mod path;
pub mod plan;
pub mod plan_file;
pub mod review;
pub mod run;
pub mod secrets;
pub mod text;
pub mod timeline;
pub mod ui;
pub mod validate;
pub mod version;

/// The `gitlab:env:info` parser under its earlier name.
pub use intake::env_info as envinfo;
