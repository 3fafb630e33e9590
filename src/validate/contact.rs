//! Contact and the maintenance windows.

use super::*;
use crate::plan::Window;

pub(super) fn check_contact(plan: &Plan, out: &mut Out) {
    let c = plan.contact.clone().unwrap_or_default();
    if text(&c.organization).is_none() {
        out.error(
            "required",
            "contact.organization",
            "Enter the organisation's name.",
        );
    }
    if text(&c.name).is_none() {
        out.error(
            "required",
            "contact.name",
            "Enter the name of the person Support should contact.",
        );
    }
    match text(&c.email) {
        None => out.error(
            "required",
            "contact.email",
            "Enter a contact email address.",
        ),
        Some(e) if !looks_like_email(e) => out.error(
            "email_format",
            "contact.email",
            format!("`{e}` does not look like an email address (name@example.com)."),
        ),
        _ => {}
    }
}

fn looks_like_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

/// Parse `YYYY-MM-DDTHH:MM[:SS]` (a space works in place of `T`).
pub fn parse_local_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim().replace(' ', "T");
    chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M"))
        .ok()
}

/// A window's start and length, when valid.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct WindowInfo {
    pub start: Option<chrono::NaiveDateTime>,
    pub hours: Option<f64>,
}

/// Every window: start, time zone and length; the review call on the first. Returns what is
/// valid of each, in order.
pub(super) fn check_windows(plan: &Plan, today: NaiveDate, out: &mut Out) -> Vec<WindowInfo> {
    if plan.windows.is_empty() {
        // An answer-less first window: the same questions as an empty one.
        return vec![check_window(&Window::default(), 0, today, out)];
    }
    let infos: Vec<WindowInfo> = plan
        .windows
        .iter()
        .enumerate()
        .map(|(i, w)| check_window(w, i, today, out))
        .collect();
    for (i, pair) in infos.windows(2).enumerate() {
        if let (Some(a), Some(ha), Some(b)) = (pair[0].start, pair[0].hours, pair[1].start) {
            let end = chrono::Duration::try_minutes((ha * 60.0) as i64)
                .and_then(|d| a.checked_add_signed(d));
            if end.is_some_and(|end| b < end) {
                out.error(
                    "window_order",
                    &format!("windows[{}].start", i + 1),
                    format!(
                        "Window {} starts before window {} ends: windows follow each other, with the background migrations finished in between.",
                        i + 2,
                        i + 1
                    ),
                );
            }
        }
    }
    infos
}

fn check_window(w: &Window, i: usize, today: NaiveDate, out: &mut Out) -> WindowInfo {
    let field = |k: &str| format!("windows[{i}].{k}");
    let which = if i == 0 {
        "the upgrade window".to_string()
    } else {
        format!("window {}", i + 1)
    };
    let start = match text(&w.start) {
        None => {
            out.error(
                "required",
                &field("start"),
                format!("Enter the date and time {which} starts."),
            );
            None
        }
        Some(s) => match parse_local_datetime(s) {
            None => {
                out.error(
                    "datetime_format",
                    &field("start"),
                    format!("`{s}` is not a date and time (expected YYYY-MM-DDTHH:MM)."),
                );
                None
            }
            Some(dt) => {
                check_start(w, i, dt, today, out);
                Some(dt)
            }
        },
    };
    match text(&w.time_zone) {
        None => out.error(
            "required",
            &field("time_zone"),
            format!("Choose the time zone of {which}."),
        ),
        Some(tz) if tz.parse::<chrono_tz::Tz>().is_err() => out.error(
            "time_zone",
            &field("time_zone"),
            format!(
                "`{tz}` is not an IANA time zone (for example Europe/Berlin or America/New_York)."
            ),
        ),
        _ => {}
    }
    let hours = match w.duration_hours {
        None => {
            out.error(
                "required",
                &field("duration_hours"),
                format!("Enter the length of {which} in hours."),
            );
            None
        }
        Some(h) if !(h > 0.0 && h <= 168.0) => {
            out.error(
                "window_length",
                &field("duration_hours"),
                format!(
                    "A window of {h} hours is not possible; enter a length between 0 and 168 hours."
                ),
            );
            None
        }
        Some(h) => Some(h),
    };
    WindowInfo { start, hours }
}

/// A start in the past, too soon for a review, or too late for the review call.
fn check_start(w: &Window, i: usize, dt: chrono::NaiveDateTime, today: NaiveDate, out: &mut Out) {
    let field = format!("windows[{i}].start");
    let days = (dt.date() - today).num_days();
    if days < 0 {
        out.error(
            "window_in_past",
            &field,
            format!("The window starts on {}, which is in the past.", dt.date()),
        );
    } else if days < LEAD_TIME_DAYS && i == 0 {
        out.push_doc(
            Severity::Warning,
            "window_too_soon",
            &field,
            format!(
                "The window starts in {days} day(s). Support usually needs about {LEAD_TIME_DAYS} days to review a plan (the exact lead time is not published; check the Upgrade Assistance page)."
            ),
            Some(UA_DOC),
        );
    }
    if i == 0 && w.review_call == Some(true) && (0..3).contains(&days) {
        out.warn(
            "review_call_too_late",
            "windows[0].review_call",
            "A review call is scheduled through a link Support sends at least 2-3 days before the upgrade; there is not enough time left.",
        );
    }
}
