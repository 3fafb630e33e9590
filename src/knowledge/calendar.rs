//! GitLab's release calendar, used where the data ends: which versions can exist, which
//! cannot, and how far behind the data is on a given day.
//!
//! GitLab ships a minor release every month on the third Thursday, a new major in May (so
//! X.0 in May and X.11 the April after), and since 17.5 schedules required stops at X.2, X.5,
//! X.8 and X.11 (`stops.json` rules). Everything this module says about versions after the
//! data is derived from that schedule, not observed: it is always presented as UNVERIFIED.

use chrono::{Datelike, NaiveDate, Weekday};

use super::Knowledge;
use crate::version::{Minor, UserVersion};

/// Data whose newest release is older than this many days is called out as stale.
pub const STALE_AFTER_DAYS: i64 = 45;

/// A patch this far past the newest known patch of its minor is taken for a typo.
const PATCH_SLACK: u64 = 10;

/// A minor not in the data gets at most this many patches believed.
const PATCHES_OF_NEW_MINOR: u64 = 15;

/// The last minor of a major the data does not list: every major since 17 ends at X.11.
const USUAL_LAST_MINOR: u64 = 11;

/// A minor expected after the data, with the day the calendar puts it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledMinor {
    pub minor: Minor,
    pub due: NaiveDate,
    /// A required stop by the data or by the X.2/X.5/X.8/X.11 rule.
    pub stop: bool,
}

impl ScheduledMinor {
    /// `19.5 (a required stop)` or `19.4`.
    pub fn label(&self) -> String {
        if self.stop {
            format!("{} (a required stop)", self.minor)
        } else {
            self.minor.to_string()
        }
    }
}

/// How far the data is behind a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staleness {
    pub today: NaiveDate,
    pub newest_known: String,
    pub newest_date: NaiveDate,
    /// Days from the newest known release to `today`.
    pub days: i64,
    /// Minors the calendar says were released after the data, by `today`.
    pub released_since: Vec<ScheduledMinor>,
    /// The next minor the calendar expects after `today`.
    pub next: Option<ScheduledMinor>,
}

impl Staleness {
    /// One paragraph for every output: what is missing and what to do.
    pub fn message(&self) -> String {
        let missed = if self.released_since.is_empty() {
            "no newer minor is due yet".to_string()
        } else {
            let list: Vec<String> = self
                .released_since
                .iter()
                .map(ScheduledMinor::label)
                .collect();
            format!(
                "GitLab's release calendar (a minor every third Thursday) says {} should have been released since (UNVERIFIED)",
                list.join(", ")
            )
        };
        format!(
            "The GitLab data is {} days old on {}: its newest release is {} ({}), and {missed}. Stops, patches to avoid, known issues and OS support after {} are missing: install newer data files (`upgrade-planner data`) or a newer Upgrade Planner.",
            self.days, self.today, self.newest_known, self.newest_date, self.newest_known
        )
    }

    /// The newest minor the calendar says exists on `today`.
    pub fn newest_expected(&self) -> Option<Minor> {
        self.released_since.last().map(|s| s.minor)
    }
}

/// What the data and the calendar say about a version someone typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionStatus {
    /// Within the data.
    Known,
    /// Newer than the data but possible: accepted, with this note.
    Newer(String),
    /// Cannot exist (or cannot exist yet): refused with this reason.
    Impossible(String),
}

/// The third Thursday of a month: GitLab's release day.
pub fn release_day(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Thu, 3)
}

/// The year and month `n` months after `(year, month)`.
fn months_after(year: i32, month: u32, n: u64) -> (i32, u32) {
    let index = i64::from(year) * 12 + i64::from(month) - 1 + n as i64;
    let y = index.div_euclid(12);
    let m = index.rem_euclid(12) + 1;
    (y as i32, m as u32)
}

impl Knowledge {
    /// The last minor of a major: from the data, or X.11 for majors after it.
    fn last_minor_or_usual(&self, major: u64) -> Option<u64> {
        let newest_major = self.newest_known.major;
        match self.last_minor_of(major) {
            Some(last) => Some(last),
            None if major >= newest_major => Some(USUAL_LAST_MINOR),
            None => None,
        }
    }

    /// The minor released after `m`.
    pub fn minor_after(&self, m: Minor) -> Minor {
        match self.last_minor_or_usual(m.major) {
            Some(last) if m.minor >= last => Minor::new(m.major + 1, 0),
            _ => Minor::new(m.major, m.minor + 1),
        }
    }

    /// The newest known release's minor and day, the calendar's anchor.
    fn calendar_anchor(&self) -> Option<(Minor, NaiveDate)> {
        let date = NaiveDate::parse_from_str(&self.releases.newest_known.date, "%Y-%m-%d").ok()?;
        Some((Minor::of(&self.newest_known), date))
    }

    /// Whether the data or the stop rule makes `m` a required stop.
    fn scheduled_stop(&self, m: Minor) -> bool {
        if let Some(s) = self.stop_for(m) {
            return s.conditions.is_empty();
        }
        m >= Minor::new(17, 5) && m.minor % 3 == 2
    }

    /// The minors after the data, in order, up to and including the first one due after
    /// `until`.
    pub fn scheduled_after_data(&self, until: NaiveDate) -> Vec<ScheduledMinor> {
        let Some((mut minor, anchor)) = self.calendar_anchor() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for n in 1..=240 {
            minor = self.minor_after(minor);
            let (y, m) = months_after(anchor.year(), anchor.month(), n);
            let Some(due) = release_day(y, m) else {
                break;
            };
            out.push(ScheduledMinor {
                minor,
                due,
                stop: self.scheduled_stop(minor),
            });
            if due > until {
                break;
            }
        }
        out
    }

    /// How far the data is behind `today`; `None` while it is less than
    /// [`STALE_AFTER_DAYS`] old.
    pub fn staleness(&self, today: NaiveDate) -> Option<Staleness> {
        let (_, newest_date) = self.calendar_anchor()?;
        let days = (today - newest_date).num_days();
        if days <= STALE_AFTER_DAYS {
            return None;
        }
        let mut scheduled = self.scheduled_after_data(today);
        let next = scheduled.pop().filter(|s| s.due > today);
        Some(Staleness {
            today,
            newest_known: self.releases.newest_known.version.clone(),
            newest_date,
            days,
            released_since: scheduled,
            next,
        })
    }

    /// Whether `v` can exist: within the data, newer but possible on `today` (up to the next
    /// minor the calendar expects), or impossible. Without a day, only what the data rules
    /// out (a minor past the end of its major, a patch far past the known ones) is refused.
    pub fn version_status(&self, v: &UserVersion, today: Option<NaiveDate>) -> VersionStatus {
        let m = v.minor();
        if let Some(last) = self.last_minor_or_usual(m.major)
            && m.minor > last
        {
            let verb = if self.last_minor_of(m.major).is_some() {
                "ended"
            } else {
                "is scheduled to end"
            };
            return VersionStatus::Impossible(format!(
                "GitLab {} {verb} at {}.{last}: there is no {m} (the next minor after {}.{last} is {}.0)",
                m.major,
                m.major,
                m.major,
                m.major + 1
            ));
        }
        let newest = Minor::of(&self.newest_known);
        if m <= newest {
            return self.known_minor_status(v);
        }
        self.future_minor_status(v, today)
    }

    fn known_minor_status(&self, v: &UserVersion) -> VersionStatus {
        let m = v.minor();
        let Some(latest) = self.latest_patch(m).filter(|_| v.patch_given) else {
            return VersionStatus::Known;
        };
        if v.version.patch > latest.patch + PATCH_SLACK {
            return VersionStatus::Impossible(format!(
                "the newest known {m} patch is {latest} and {} is far beyond it (a typo?)",
                v.version
            ));
        }
        if v.version > latest {
            return VersionStatus::Newer(format!(
                "{} is newer than the newest {m} patch in the {} ({latest}): UNVERIFIED, check that it was published",
                v.version,
                self.data_summary()
            ));
        }
        VersionStatus::Known
    }

    fn future_minor_status(&self, v: &UserVersion, today: Option<NaiveDate>) -> VersionStatus {
        let m = v.minor();
        if v.patch_given && v.version.patch > PATCHES_OF_NEW_MINOR {
            return VersionStatus::Impossible(format!(
                "{} would be the {}th patch of {m}, a minor the {} does not know yet (a typo?)",
                v.version,
                v.version.patch,
                self.data_summary()
            ));
        }
        let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
        let scheduled = self.scheduled_after_data(today.unwrap_or(far));
        let Some(slot) = scheduled.iter().find(|s| s.minor == m) else {
            // Past the first minor due after `today`.
            let (due, newest) = self.due_and_newest(m, &scheduled, today);
            return VersionStatus::Impossible(format!(
                "{m} is not released yet: by GitLab's release calendar it is due on {due}; on {} the newest release should be {newest}",
                today.map(|d| d.to_string()).unwrap_or_default(),
            ));
        };
        let when = match today {
            Some(t) if slot.due > t => format!("due on {}", slot.due),
            _ => format!("due to have been released on {}", slot.due),
        };
        VersionStatus::Newer(format!(
            "{} is newer than the {}: by GitLab's release calendar {m} is {when} (UNVERIFIED); its stops, known issues and OS support are not in the data",
            v,
            self.data_summary()
        ))
    }

    /// The day the calendar puts `m` on, and the newest minor expected on `today`.
    fn due_and_newest(
        &self,
        m: Minor,
        scheduled: &[ScheduledMinor],
        today: Option<NaiveDate>,
    ) -> (String, String) {
        let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
        let due = self
            .scheduled_after_data(far)
            .into_iter()
            .find(|s| s.minor == m)
            .map(|s| s.due.to_string())
            .unwrap_or_else(|| "a later date".to_string());
        let newest = scheduled
            .iter()
            .rev()
            .find(|s| today.is_none_or(|t| s.due <= t))
            .map(|s| s.minor.to_string())
            .unwrap_or_else(|| self.releases.newest_known.version.clone());
        (due, newest)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::version::parse_version;

    fn k() -> Knowledge {
        Knowledge::embedded()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn status(v: &str, today: &str) -> VersionStatus {
        k().version_status(&parse_version(v).unwrap(), Some(day(today)))
    }

    #[test]
    fn release_days_are_third_thursdays() {
        // 19.3.0 was released on 2026-08-20 (releases.json), a third Thursday.
        assert_eq!(release_day(2026, 8), Some(day("2026-08-20")));
        assert_eq!(release_day(2026, 12), Some(day("2026-12-17")));
        assert_eq!(months_after(2026, 11, 3), (2027, 2));
    }

    #[test]
    fn the_calendar_continues_the_data() {
        let s = k().scheduled_after_data(day("2026-12-01"));
        let minors: Vec<String> = s.iter().map(|s| s.minor.to_string()).collect();
        assert_eq!(minors, ["19.4", "19.5", "19.6", "19.7"]);
        assert_eq!(s[1].due, day("2026-10-15"));
        assert!(s[1].stop, "19.5 is a scheduled required stop");
        assert!(!s[0].stop && !s[2].stop);
        // 19.11 is the last of 19; 20.0 follows in May 2027.
        let later = k().scheduled_after_data(day("2027-05-30"));
        let last = later.iter().find(|s| s.minor == Minor::new(20, 0)).unwrap();
        assert_eq!(last.due, day("2027-05-20"));
    }

    #[test]
    fn staleness_names_the_missing_minors_and_stops() {
        let st = k().staleness(day("2026-12-01")).unwrap();
        assert_eq!(st.newest_known, "19.3.0");
        assert_eq!(st.days, 103);
        assert_eq!(st.newest_expected(), Some(Minor::new(19, 6)));
        assert_eq!(st.next.as_ref().map(|n| n.minor), Some(Minor::new(19, 7)));
        let msg = st.message();
        assert!(msg.contains("19.4, 19.5 (a required stop), 19.6"), "{msg}");
        assert!(msg.contains("UNVERIFIED"), "{msg}");
        // Within 45 days of the newest release, nothing is said.
        assert_eq!(k().staleness(day("2026-09-30")), None);
    }

    #[test]
    fn impossible_versions_are_refused_with_the_last_known_minor() {
        for (v, needle) in [
            ("16.99.1", "GitLab 16 ended at 16.11"),
            ("16.99", "GitLab 16 ended at 16.11"),
            ("15.12.0", "GitLab 15 ended at 15.11"),
            ("16.11.99", "newest known 16.11 patch is 16.11."),
            ("20.0", "due on 2027-05-20"),
            ("19.9", "due on 2027-02-18"),
            ("19.5.40", "40th patch"),
        ] {
            match status(v, "2026-12-01") {
                VersionStatus::Impossible(why) => assert!(why.contains(needle), "{v}: {why}"),
                other => panic!("{v}: {other:?}"),
            }
        }
    }

    #[test]
    fn plausible_newer_versions_are_accepted_as_unverified() {
        for v in ["19.4", "19.6.2", "19.7", "19.3.2", "18.11.13"] {
            match status(v, "2026-12-01") {
                VersionStatus::Newer(note) => assert!(note.contains("UNVERIFIED"), "{v}: {note}"),
                other => panic!("{v}: {other:?}"),
            }
        }
        for v in ["16.8.3", "19.3", "19.3.0", "17.11"] {
            assert_eq!(status(v, "2026-12-01"), VersionStatus::Known, "{v}");
        }
        // Without a day, only what the data itself rules out is refused.
        let none = k().version_status(&parse_version("19.9").unwrap(), None);
        assert!(matches!(none, VersionStatus::Newer(_)), "{none:?}");
    }
}
