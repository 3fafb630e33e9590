//! What the wizard needs from the machine: file dialogs, the browser, the clock, the app's data
//! directory. The desktop uses native dialogs (rfd); tests use a scripted stand-in, so no test
//! ever opens a real dialog.
//!
//! A native dialog answers in one of four ways ([`Picked`]): a file, the user closed it, there
//! is no dialog to show on this machine, or it was asked for and did not work. The last two send
//! the user to the built-in chooser (`super::file_chooser`) instead of doing nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// What a file dialog gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// The user chose this file.
    Path(PathBuf),
    /// The user closed the dialog without choosing a file.
    Cancelled,
    /// No system dialog can be shown here; the text says why.
    Unavailable(String),
    /// The system dialog was asked for but did not work; the text says what happened.
    Failed(String),
}

/// Access to the outside world. Called only from the app shell after a frame, never from widgets.
pub trait Platform {
    /// Ask for a plan file to open.
    fn pick_open(&mut self, start_dir: Option<&Path>) -> Picked;
    /// Ask where to save, suggesting `file_name`; `filter` is (description, extensions).
    fn pick_save(
        &mut self,
        start_dir: Option<&Path>,
        file_name: &str,
        filter: (&str, &[&str]),
    ) -> Picked;
    /// The user's home folder (a shortcut in the built-in file chooser).
    fn home_dir(&self) -> Option<PathBuf>;
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
    /// Whether a system file dialog can be shown (Linux and the BSDs; elsewhere it always can).
    #[cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "dragonfly",
        target_os = "netbsd",
        target_os = "openbsd"
    ))]
    dialogs: xdg::Availability,
}

impl DesktopPlatform {
    pub fn new(ctx: Option<egui::Context>) -> DesktopPlatform {
        // `UPGRADE_PLANNER_STATE_DIR`, else the system's convention (`crate::app_dirs`).
        let data_dir = crate::app_dirs::current().state;
        DesktopPlatform {
            data_dir,
            ctx,
            #[cfg(any(
                target_os = "linux",
                target_os = "freebsd",
                target_os = "dragonfly",
                target_os = "netbsd",
                target_os = "openbsd"
            ))]
            dialogs: xdg::Availability::start(),
        }
    }

    /// Why no system dialog can be shown, if none can.
    fn unavailable(&mut self) -> Option<String> {
        #[cfg(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "dragonfly",
            target_os = "netbsd",
            target_os = "openbsd"
        ))]
        {
            self.dialogs.check().err()
        }
        #[cfg(not(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "dragonfly",
            target_os = "netbsd",
            target_os = "openbsd"
        )))]
        {
            // Windows and macOS always have their own file dialogs.
            None
        }
    }
}

/// No one closes a real file dialog this fast: it has to appear, be seen and be dismissed, and
/// even an immediate Esc takes longer. rfd answers "no file" both when the user cancels and
/// when the dialog could not be shown at all (the portal refused, zenity could not start or
/// open the display, Windows or macOS could not create it), and it does the latter within a few
/// milliseconds. So a "no file" that comes back faster than this is taken as a failure. A user
/// who really cancels that fast only gets the built-in chooser, which they can cancel too.
const FASTEST_REAL_CANCEL: Duration = Duration::from_millis(300);

/// Turn rfd's answer and how long the dialog took into a [`Picked`].
fn judge(answer: Option<PathBuf>, took: Duration) -> Picked {
    match answer {
        Some(p) => Picked::Path(p),
        None if took < FASTEST_REAL_CANCEL => Picked::Failed(format!(
            "it closed after {} ms without showing a window",
            took.as_millis()
        )),
        None => Picked::Cancelled,
    }
}

impl Platform for DesktopPlatform {
    fn pick_open(&mut self, start_dir: Option<&Path>) -> Picked {
        if let Some(why) = self.unavailable() {
            return Picked::Unavailable(why);
        }
        let mut d = rfd::FileDialog::new()
            .set_title("Open upgrade plan")
            .add_filter("Upgrade plan", &["json"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        let started = Instant::now();
        let answer = d.pick_file();
        judge(answer, started.elapsed())
    }

    fn pick_save(
        &mut self,
        start_dir: Option<&Path>,
        file_name: &str,
        filter: (&str, &[&str]),
    ) -> Picked {
        if let Some(why) = self.unavailable() {
            return Picked::Unavailable(why);
        }
        let mut d = rfd::FileDialog::new()
            .set_title("Save as")
            .set_file_name(file_name)
            .add_filter(filter.0, filter.1);
        if let Some(dir) = start_dir {
            d = d.set_directory(dir);
        }
        let started = Instant::now();
        let answer = d.save_file();
        judge(answer, started.elapsed())
    }

    fn home_dir(&self) -> Option<PathBuf> {
        dirs::home_dir()
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
///
/// Each dialog takes its answer from `open_outcomes` / `save_outcomes` first (any [`Picked`]),
/// then from `open_answers` / `save_answers` (`Some(path)` is a chosen file, `None` a cancel);
/// with both queues empty the user cancels.
#[derive(Debug, Default)]
pub struct ScriptedPlatform {
    pub open_outcomes: Vec<Picked>,
    pub save_outcomes: Vec<Picked>,
    pub open_answers: Vec<Option<PathBuf>>,
    pub save_answers: Vec<Option<PathBuf>>,
    /// The home folder the built-in chooser offers.
    pub home: Option<PathBuf>,
    pub opened_urls: Vec<String>,
    pub copied: Vec<String>,
    pub dialogs_shown: Vec<String>,
    pub now: Option<DateTime<Utc>>,
    pub data_dir: Option<PathBuf>,
}

/// The next scripted answer: an outcome if one is queued, else a path or a cancel.
fn next_answer(outcomes: &mut Vec<Picked>, answers: &mut Vec<Option<PathBuf>>) -> Picked {
    if !outcomes.is_empty() {
        return outcomes.remove(0);
    }
    if answers.is_empty() {
        return Picked::Cancelled;
    }
    answers.remove(0).map_or(Picked::Cancelled, Picked::Path)
}

impl Platform for ScriptedPlatform {
    fn pick_open(&mut self, _start_dir: Option<&Path>) -> Picked {
        self.dialogs_shown.push("open".into());
        next_answer(&mut self.open_outcomes, &mut self.open_answers)
    }

    fn pick_save(
        &mut self,
        _start_dir: Option<&Path>,
        file_name: &str,
        _filter: (&str, &[&str]),
    ) -> Picked {
        self.dialogs_shown.push(format!("save:{file_name}"));
        next_answer(&mut self.save_outcomes, &mut self.save_answers)
    }

    fn home_dir(&self) -> Option<PathBuf> {
        self.home.clone()
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

/// Can rfd show a file dialog on Linux or a BSD?
///
/// rfd first asks the XDG desktop portal over the D-Bus session bus (through libdbus, loaded at
/// run time) and, when that does not work, runs `zenity`. When neither works it answers "no
/// file" at once, exactly as if the user had cancelled. So before calling it we look for what
/// it needs: the portal's `org.freedesktop.portal.FileChooser` interface answering on the
/// session bus, or a `zenity` program on `PATH`.
///
/// The bus question runs on its own thread, started with the app, so a slow or stuck bus never
/// freezes the window: a dialog waits for its answer for at most [`PORTAL_WAIT`] after start-up.
/// What this cannot see: libdbus missing (rfd then skips the portal), a portal whose backend
/// fails to draw, a `zenity` that cannot open the display. Those come back as a fast "no file",
/// which [`judge`] reports as a failure.
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "netbsd",
    target_os = "openbsd"
))]
mod xdg {
    use std::path::Path;
    use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
    use std::time::{Duration, Instant};

    /// The longest a file dialog waits for the portal check. A portal that has to be started
    /// takes a second or two; one that takes longer would leave rfd hanging as well.
    pub const PORTAL_WAIT: Duration = Duration::from_secs(5);

    pub struct Availability {
        started: Instant,
        pending: Option<Receiver<Result<(), String>>>,
        /// The portal check's answer, once known.
        portal: Option<Result<(), String>>,
    }

    impl Availability {
        /// Start checking for the portal in the background.
        pub fn start() -> Availability {
            let (tx, rx) = channel();
            let spawned = std::thread::Builder::new()
                .name("file-dialog-check".into())
                .spawn(move || {
                    let _ = tx.send(portal_file_chooser());
                });
            let (pending, portal) = match spawned {
                Ok(_) => (Some(rx), None),
                Err(e) => (
                    None,
                    Some(Err(format!("the portal check did not start: {e}"))),
                ),
            };
            Availability {
                started: Instant::now(),
                pending,
                portal,
            }
        }

        /// `Ok` when rfd can show a dialog; otherwise why not.
        pub fn check(&mut self) -> Result<(), String> {
            let portal = self.portal();
            if portal.is_ok() || zenity_on_path() {
                return Ok(());
            }
            Err(format!(
                "{}, and zenity is not installed either",
                portal.err().unwrap_or_default()
            ))
        }

        fn portal(&mut self) -> Result<(), String> {
            if let Some(known) = &self.portal {
                return known.clone();
            }
            let Some(rx) = self.pending.take() else {
                return Err("the portal check did not answer".into());
            };
            let left = PORTAL_WAIT.saturating_sub(self.started.elapsed());
            let answer = match rx.recv_timeout(left) {
                Ok(answer) => answer,
                Err(RecvTimeoutError::Timeout) => {
                    // Ask again next time: a late answer is still worth having.
                    self.pending = Some(rx);
                    return Err(late());
                }
                Err(RecvTimeoutError::Disconnected) => {
                    Err("the portal check stopped without an answer".into())
                }
            };
            self.portal = Some(answer.clone());
            answer
        }
    }

    /// Ask the session bus for the version of the portal's file chooser: that answers only
    /// when the portal runs (or can be started) with a backend that implements file dialogs.
    fn portal_file_chooser() -> Result<(), String> {
        zbus::block_on(async {
            let conn = zbus::connection::Builder::session()
                .map_err(|_| "no D-Bus session bus is set up".to_string())?
                .method_timeout(PORTAL_WAIT)
                .build()
                .await
                .map_err(|_| "no D-Bus session bus is running".to_string())?;
            conn.call_method(
                Some("org.freedesktop.portal.Desktop"),
                "/org/freedesktop/portal/desktop",
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.freedesktop.portal.FileChooser", "version"),
            )
            .await
            .map(|_| ())
            .map_err(|e| explain(&e))
        })
    }

    /// Why the portal did not answer, in a user's words.
    fn explain(e: &zbus::Error) -> String {
        match e {
            zbus::Error::MethodError(name, detail, _) => match name.as_str() {
                "org.freedesktop.DBus.Error.ServiceUnknown"
                | "org.freedesktop.DBus.Error.NameHasNoOwner" => {
                    "no desktop portal (xdg-desktop-portal) is installed".into()
                }
                "org.freedesktop.DBus.Error.UnknownInterface"
                | "org.freedesktop.DBus.Error.UnknownProperty"
                | "org.freedesktop.DBus.Error.UnknownObject"
                | "org.freedesktop.DBus.Error.InvalidArgs" => {
                    "the desktop portal has no file chooser".into()
                }
                "org.freedesktop.DBus.Error.NoReply" | "org.freedesktop.DBus.Error.TimedOut" => {
                    late()
                }
                other => format!(
                    "the desktop portal answered {other}{}",
                    detail
                        .as_deref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                ),
            },
            zbus::Error::InputOutput(io) if io.kind() == std::io::ErrorKind::TimedOut => late(),
            other => format!("the desktop portal cannot be asked ({other})"),
        }
    }

    fn late() -> String {
        format!(
            "the desktop portal did not answer within {} seconds",
            PORTAL_WAIT.as_secs()
        )
    }

    /// Whether an executable `zenity` is on `PATH` (rfd's fallback).
    fn zenity_on_path() -> bool {
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|dir| is_executable(&dir.join("zenity")))
        })
    }

    fn is_executable(p: &Path) -> bool {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_no_file_answer_is_a_cancel_only_when_it_took_human_time() {
        assert_eq!(
            judge(None, Duration::from_secs(2)),
            Picked::Cancelled,
            "a dialog open for seconds was cancelled by the user"
        );
        assert!(matches!(
            judge(None, Duration::from_millis(4)),
            Picked::Failed(why) if why.contains("4 ms")
        ));
        let p = PathBuf::from("/tmp/x.pdf");
        assert_eq!(
            judge(Some(p.clone()), Duration::from_millis(1)),
            Picked::Path(p)
        );
    }

    #[test]
    fn scripted_outcomes_come_before_the_plain_answers() {
        let mut p = ScriptedPlatform {
            save_outcomes: vec![Picked::Unavailable("no portal".into())],
            save_answers: vec![Some(PathBuf::from("a.json")), None],
            ..Default::default()
        };
        let filter = ("Plan", &["json"][..]);
        assert_eq!(
            p.pick_save(None, "n", filter),
            Picked::Unavailable("no portal".into())
        );
        assert_eq!(
            p.pick_save(None, "n", filter),
            Picked::Path(PathBuf::from("a.json"))
        );
        assert_eq!(p.pick_save(None, "n", filter), Picked::Cancelled);
        assert_eq!(p.pick_save(None, "n", filter), Picked::Cancelled);
        assert_eq!(p.pick_open(None), Picked::Cancelled);
    }
}
