//! What the wizard needs from the machine: file dialogs, the browser, the clock, the app's data
//! directory. The desktop uses native dialogs (rfd); tests use a scripted stand-in, so no test
//! ever opens a real dialog.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

/// Access to the outside world. Called only from the app shell after a frame, never from widgets.
pub trait Platform {
    /// Ask for a plan file to open.
    fn pick_open(&mut self, start_dir: Option<&Path>) -> Option<PathBuf>;
    /// Ask where to save, suggesting `file_name`; `filter` is (description, extensions).
    fn pick_save(
        &mut self,
        start_dir: Option<&Path>,
        file_name: &str,
        filter: (&str, &[&str]),
    ) -> Option<PathBuf>;
    /// Open a link in the browser.
    fn open_url(&mut self, url: &str);
    /// Put text on the clipboard. Returns false when that is not possible.
    fn copy_text(&mut self, text: &str) -> bool;
    fn now(&self) -> DateTime<Utc>;
    /// Where drafts and the recent-files list live.
    fn data_dir(&self) -> Option<PathBuf>;
    /// For tests to inspect a scripted platform.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// The real desktop.
pub struct DesktopPlatform {
    data_dir: Option<PathBuf>,
    ctx: Option<egui::Context>,
}

impl DesktopPlatform {
    pub fn new(ctx: Option<egui::Context>) -> DesktopPlatform {
        let data_dir = std::env::var_os("UPGRADE_PLANNER_STATE_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs::data_dir().map(|d| d.join("upgrade-planner")));
        DesktopPlatform { data_dir, ctx }
    }
}

impl Platform for DesktopPlatform {
    fn pick_open(&mut self, start_dir: Option<&Path>) -> Option<PathBuf> {
        let mut d = rfd::FileDialog::new()
            .set_title("Open upgrade plan")
            .add_filter("Upgrade plan", &["json"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        d.pick_file()
    }

    fn pick_save(
        &mut self,
        start_dir: Option<&Path>,
        file_name: &str,
        filter: (&str, &[&str]),
    ) -> Option<PathBuf> {
        let mut d = rfd::FileDialog::new()
            .set_title("Save as")
            .set_file_name(file_name)
            .add_filter(filter.0, filter.1);
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        d.save_file()
    }

    fn open_url(&mut self, url: &str) {
        if let Some(ctx) = &self.ctx {
            ctx.open_url(egui::OpenUrl::new_tab(url));
        }
    }

    fn copy_text(&mut self, text: &str) -> bool {
        match &self.ctx {
            Some(ctx) => {
                ctx.copy_text(text.to_string());
                true
            }
            None => false,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn data_dir(&self) -> Option<PathBuf> {
        self.data_dir.clone()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A scripted platform for tests: answers dialogs from queues and records what was asked.
#[derive(Debug, Default)]
pub struct ScriptedPlatform {
    pub open_answers: Vec<Option<PathBuf>>,
    pub save_answers: Vec<Option<PathBuf>>,
    pub opened_urls: Vec<String>,
    pub copied: Vec<String>,
    pub dialogs_shown: Vec<String>,
    pub now: Option<DateTime<Utc>>,
    pub data_dir: Option<PathBuf>,
}

impl Platform for ScriptedPlatform {
    fn pick_open(&mut self, _start_dir: Option<&Path>) -> Option<PathBuf> {
        self.dialogs_shown.push("open".into());
        if self.open_answers.is_empty() {
            None
        } else {
            self.open_answers.remove(0)
        }
    }

    fn pick_save(
        &mut self,
        _start_dir: Option<&Path>,
        file_name: &str,
        _filter: (&str, &[&str]),
    ) -> Option<PathBuf> {
        self.dialogs_shown.push(format!("save:{file_name}"));
        if self.save_answers.is_empty() {
            None
        } else {
            self.save_answers.remove(0)
        }
    }

    fn open_url(&mut self, url: &str) {
        self.opened_urls.push(url.to_string());
    }

    fn copy_text(&mut self, text: &str) -> bool {
        self.copied.push(text.to_string());
        true
    }

    fn now(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(Utc::now)
    }

    fn data_dir(&self) -> Option<PathBuf> {
        self.data_dir.clone()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
