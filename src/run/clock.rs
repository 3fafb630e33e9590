//! Where run mode gets the time from: the system clock, or a clock a test sets and moves.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// The time now. Run mode reads every tick's time and the window's clock from one of these.
pub trait Clock: Send {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is set or moved; clones share the time (a test keeps
/// one and hands the other to the app).
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn at(t: DateTime<Utc>) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(t)))
    }

    pub fn set(&self, t: DateTime<Utc>) {
        match self.0.lock() {
            Ok(mut g) => *g = t,
            Err(poisoned) => *poisoned.into_inner() = t,
        }
    }

    pub fn advance(&self, by: Duration) {
        let now = self.now();
        self.set(now + by);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        match self.0.lock() {
            Ok(g) => *g,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let t = Utc.with_ymd_and_hms(2026, 12, 12, 19, 0, 0).unwrap();
        let a = ManualClock::at(t);
        let b = a.clone();
        assert_eq!(b.now(), t);
        a.advance(Duration::minutes(90));
        assert_eq!(b.now(), t + Duration::minutes(90));
    }
}
