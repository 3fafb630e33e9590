//! Where the app keeps its own files on each operating system: the state folder (the autosaved
//! draft, the recent-plans list) and the folder a newer GitLab data file can be put in.
//!
//! The choice is [`app_dirs`], a pure function of the operating system's conventions, the
//! environment and the home folder, so one test covers Linux, Windows and macOS wherever it
//! runs. [`current`] feeds it this machine's values.
//!
//! | | state (drafts, recent plans) | newer GitLab data |
//! |---|---|---|
//! | Linux, BSDs | `$XDG_DATA_HOME/upgrade-planner` (`~/.local/share/…`) | `$XDG_CONFIG_HOME/upgrade-planner/data` (`~/.config/…`) |
//! | Windows | `%APPDATA%\upgrade-planner` | `%APPDATA%\upgrade-planner\data` |
//! | macOS | `~/Library/Application Support/upgrade-planner` | `~/Library/Application Support/upgrade-planner/data` |
//!
//! `UPGRADE_PLANNER_STATE_DIR` and `UPGRADE_PLANNER_DATA_DIR` replace either folder.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable that replaces the state folder (drafts, recent plans).
pub const STATE_DIR_ENV: &str = "UPGRADE_PLANNER_STATE_DIR";

/// Environment variable that replaces the folder of newer GitLab data files.
pub const DATA_DIR_ENV: &str = "UPGRADE_PLANNER_DATA_DIR";

/// The folder name under the system's application-data folder.
const APP: &str = "upgrade-planner";

/// Whose conventions the folders follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux and the BSDs: the XDG base directories.
    Xdg,
    /// Windows: the roaming application data folder, `%APPDATA%`.
    Windows,
    /// macOS: `~/Library/Application Support`.
    MacOs,
}

impl Os {
    /// The system this build runs on.
    #[must_use]
    pub const fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Xdg
        }
    }
}

/// The app's folders. `None` when neither the environment nor a home folder tells where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    /// The autosaved draft and the recent-plans list.
    pub state: Option<PathBuf>,
    /// Newer GitLab data files (`assets/data/*.json` replacements).
    pub data: Option<PathBuf>,
}

/// The app's folders under `os`'s conventions, given the environment (`env` answers a
/// variable's value) and the user's home folder.
///
/// An empty variable counts as unset. The XDG variables count only when they hold an absolute
/// path, as the XDG specification says; `%APPDATA%` is taken as Windows gives it.
pub fn app_dirs(os: Os, env: &dyn Fn(&str) -> Option<OsString>, home: Option<&Path>) -> AppDirs {
    let var = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let xdg = |name: &str, fallback: &str| {
        var(name)
            .filter(|p| p.is_absolute())
            .or_else(|| home.map(|h| h.join(fallback)))
    };
    // The system folder the app's own folder goes in, for state and for data.
    let (state_base, data_base) = match os {
        Os::Xdg => (
            xdg("XDG_DATA_HOME", ".local/share"),
            xdg("XDG_CONFIG_HOME", ".config"),
        ),
        Os::Windows => {
            let roaming =
                var("APPDATA").or_else(|| home.map(|h| h.join("AppData").join("Roaming")));
            (roaming.clone(), roaming)
        }
        Os::MacOs => {
            let support = home.map(|h| h.join("Library").join("Application Support"));
            (support.clone(), support)
        }
    };
    AppDirs {
        state: var(STATE_DIR_ENV).or_else(|| state_base.map(|b| b.join(APP))),
        data: var(DATA_DIR_ENV).or_else(|| data_base.map(|b| b.join(APP).join("data"))),
    }
}

/// This machine's folders: its conventions, its environment, its home folder.
#[must_use]
pub fn current() -> AppDirs {
    app_dirs(
        Os::current(),
        &|name| std::env::var_os(name),
        dirs::home_dir().as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment made of `pairs`.
    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            owned
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    fn dirs(os: Os, pairs: &[(&str, &str)], home: Option<&str>) -> AppDirs {
        app_dirs(os, &env(pairs), home.map(Path::new))
    }

    #[test]
    fn linux_follows_xdg_with_the_home_folder_as_fallback() {
        let d = dirs(Os::Xdg, &[], Some("/home/ada"));
        assert_eq!(
            d.state,
            Some(PathBuf::from("/home/ada/.local/share/upgrade-planner"))
        );
        assert_eq!(
            d.data,
            Some(PathBuf::from("/home/ada/.config/upgrade-planner/data"))
        );

        let d = dirs(
            Os::Xdg,
            &[
                ("XDG_DATA_HOME", "/srv/share"),
                ("XDG_CONFIG_HOME", "/srv/etc"),
            ],
            Some("/home/ada"),
        );
        assert_eq!(d.state, Some(PathBuf::from("/srv/share/upgrade-planner")));
        assert_eq!(d.data, Some(PathBuf::from("/srv/etc/upgrade-planner/data")));

        // Relative or empty XDG values are ignored, as the specification says.
        let d = dirs(
            Os::Xdg,
            &[("XDG_DATA_HOME", "share"), ("XDG_CONFIG_HOME", "")],
            Some("/home/ada"),
        );
        assert_eq!(
            d.state,
            Some(PathBuf::from("/home/ada/.local/share/upgrade-planner"))
        );
        assert_eq!(
            d.data,
            Some(PathBuf::from("/home/ada/.config/upgrade-planner/data"))
        );
    }

    #[test]
    fn windows_uses_appdata_for_both() {
        let appdata = r"C:\Users\Ada\AppData\Roaming";
        let d = dirs(
            Os::Windows,
            &[("APPDATA", appdata), ("XDG_DATA_HOME", "/srv/share")],
            Some(r"C:\Users\Ada"),
        );
        let base = Path::new(appdata).join("upgrade-planner");
        assert_eq!(d.state.as_deref(), Some(base.as_path()));
        assert_eq!(d.data, Some(base.join("data")));

        // Without %APPDATA%: the roaming folder under the profile.
        let d = dirs(Os::Windows, &[], Some(r"C:\Users\Ada"));
        let base = Path::new(r"C:\Users\Ada")
            .join("AppData")
            .join("Roaming")
            .join("upgrade-planner");
        assert_eq!(d.state.as_deref(), Some(base.as_path()));
        assert_eq!(d.data, Some(base.join("data")));
    }

    #[test]
    fn macos_uses_application_support_and_ignores_xdg() {
        let d = dirs(
            Os::MacOs,
            &[("XDG_DATA_HOME", "/srv/share"), ("APPDATA", "/nowhere")],
            Some("/Users/ada"),
        );
        assert_eq!(
            d.state,
            Some(PathBuf::from(
                "/Users/ada/Library/Application Support/upgrade-planner"
            ))
        );
        assert_eq!(
            d.data,
            Some(PathBuf::from(
                "/Users/ada/Library/Application Support/upgrade-planner/data"
            ))
        );
    }

    #[test]
    fn the_app_variables_replace_the_folders_everywhere() {
        for os in [Os::Xdg, Os::Windows, Os::MacOs] {
            let d = dirs(
                os,
                &[(STATE_DIR_ENV, "/tmp/state"), (DATA_DIR_ENV, "/tmp/data")],
                Some("/home/ada"),
            );
            assert_eq!(d.state, Some(PathBuf::from("/tmp/state")), "{os:?}");
            assert_eq!(d.data, Some(PathBuf::from("/tmp/data")), "{os:?}");
        }
    }

    #[test]
    fn without_home_or_environment_there_is_no_folder() {
        for os in [Os::Xdg, Os::Windows, Os::MacOs] {
            assert_eq!(
                dirs(os, &[], None),
                AppDirs {
                    state: None,
                    data: None
                },
                "{os:?}"
            );
        }
    }

    #[test]
    fn this_build_knows_its_system() {
        let expected = if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Xdg
        };
        assert_eq!(Os::current(), expected);
    }
}
