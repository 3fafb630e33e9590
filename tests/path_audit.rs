//! The path engine against the supported-OS doc and the known-issue ranges, case by case
//! (issue 15's audit): OS verdicts per hop, known issues told only where an upgrade brings
//! them and only when every answered condition holds, each condition asked once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use upgrade_planner::environment::Environment;
use upgrade_planner::knowledge::Knowledge;
use upgrade_planner::path::{self, HopNote, NoteKind, NoteSeverity, PathRequest, UpgradePath};

fn k() -> Knowledge {
    Knowledge::embedded()
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn compute(from: &str, to: &str, zdu: bool, env: &Environment) -> UpgradePath {
    let req = PathRequest {
        from: from.into(),
        to: Some(to.into()),
        zero_downtime: zdu,
        conditions: Vec::new(),
        today: Some(day("2026-12-01")),
    };
    path::compute(&k(), &req, env).unwrap()
}

fn on_os(d: &str, v: &str) -> Environment {
    Environment {
        os: Some((d.into(), v.into())),
        ..Environment::unknown()
    }
}

/// The OS-packaging note of each hop, by minor.
fn os_notes(p: &UpgradePath) -> Vec<(String, Option<(NoteSeverity, String)>)> {
    p.hops
        .iter()
        .map(|h| {
            let n: Option<&HopNote> = h.notes.iter().find(|n| n.kind == NoteKind::OsPackaging);
            (h.minor.clone(), n.map(|n| (n.severity, n.message.clone())))
        })
        .collect()
}

/// Supported-OS doc, SUSE rows (openSUSE Leap 15.6, SLES 12.5, SLES 15.6): "proposed last
/// GitLab: TBD"; gitlab_19_changes says 18.11 was the last; omnibus deprecated_os_list stops
/// packages "Starting with GitLab 19.5". So: packaged to 18.11, UNVERIFIED 19.0-19.4, none
/// from 19.5.
#[test]
fn suse_into_19_gets_a_verdict_per_hop() {
    for (d, v) in [("sles", "15"), ("sles", "12"), ("opensuse_leap", "15.6")] {
        let p = compute("18.5.7", "19.6", false, &on_os(d, v));
        let notes = os_notes(&p);
        let minors: Vec<&str> = notes.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(minors, ["18.8", "18.11", "19.2", "19.5", "19.6"], "{d}:{v}");
        assert_eq!(notes[0].1, None, "{d}:{v} 18.8 is packaged");
        assert_eq!(notes[1].1, None, "{d}:{v} 18.11 is packaged");
        let (sev, msg) = notes[2].1.clone().unwrap();
        assert_eq!(sev, NoteSeverity::Warning, "{d}:{v} 19.2: {msg}");
        assert!(msg.contains("UNVERIFIED") && msg.contains("18.11"), "{msg}");
        for (minor, note) in &notes[3..] {
            let (sev, msg) = note.clone().unwrap();
            assert_eq!(sev, NoteSeverity::Blocker, "{d}:{v} {minor}: {msg}");
            assert!(msg.contains("while on 18.11"), "{msg}");
        }
    }
}

/// Supported-OS doc, no-longer-supported table: Ubuntu 20.04, last GitLab with packages 18.11.
#[test]
fn ubuntu_20_04_learns_that_18_11_is_its_last_version() {
    let p = compute("17.11.7", "18.11", false, &on_os("ubuntu", "20.04"));
    let notes = os_notes(&p);
    let (last_minor, last) = notes.last().unwrap();
    assert_eq!(last_minor, "18.11");
    let (sev, msg) = last.clone().unwrap();
    assert_eq!(sev, NoteSeverity::Warning);
    assert!(
        msg.contains("18.11 is the last GitLab version with packages for Ubuntu 20.04"),
        "{msg}"
    );
    // And one step further, 19.0 cannot be installed on it.
    let p = compute("18.11.3", "19.0", false, &on_os("ubuntu", "20.04"));
    let (sev, _) = os_notes(&p).last().unwrap().1.clone().unwrap();
    assert_eq!(sev, NoteSeverity::Blocker);
}

/// Supported-OS doc, Raspberry Pi OS (64-bit) row: "18.0 (use Debian arm64 packages)". The
/// Debian arm64 packages exist before 18.0 too (Debian 11 arm64 from 14.6), so a 64-bit Pi on
/// 17.8 is not blocked.
#[test]
fn raspberry_pi_os_64_bit_uses_the_debian_arm64_packages() {
    let p = compute("17.8.7", "18.2", false, &on_os("raspberry_pi_os", "64-bit"));
    assert!(
        os_notes(&p).iter().all(|(_, n)| n.is_none()),
        "{:?}",
        os_notes(&p)
    );
}

fn issue_at(p: &UpgradePath, id: &str) -> Option<(String, Option<String>)> {
    p.hops.iter().find_map(|h| {
        h.notes
            .iter()
            .find(|n| n.id.as_deref() == Some(id))
            .map(|n| (h.minor.clone(), n.check.clone()))
    })
}

fn geo() -> Environment {
    Environment {
        geo: Some(true),
        ..Environment::unknown()
    }
}

/// gl19-geo-design-nomethod affects ">=16.0.0, <19.0.2" (fixed in 19.0.2). An instance on
/// 16.8 already has it: no upgrade brings it. One on 15.11 gets it with its first 16.x hop.
#[test]
fn an_issue_the_current_version_already_has_is_not_told_at_a_hop() {
    for to in ["18.11", "19.3"] {
        let p = compute("16.8.3", to, false, &geo());
        assert_eq!(
            issue_at(&p, "gl19-geo-design-nomethod"),
            None,
            "16.8.3 -> {to}"
        );
        // It is the instance's issue today: listed without a hop.
        let m = p
            .known_issues
            .iter()
            .find(|m| m.id == "gl19-geo-design-nomethod")
            .unwrap();
        assert_eq!(m.hop_version, None);
    }
    let p = compute("15.11.13", "18.11", false, &geo());
    let (minor, _) = issue_at(&p, "gl19-geo-design-nomethod").unwrap();
    assert_eq!(minor, p.hops[0].minor, "the first hop, into 16.x");
    assert!(minor.starts_with("16."), "{minor}");
}

/// gl18-geo-blob-log-error: "Blobs on local file storage (not object storage)".
#[test]
fn answered_conditions_decide_and_unanswered_ones_are_asked_once() {
    let with = |object_storage: Option<bool>| Environment {
        object_storage,
        ..geo()
    };
    let p = compute("17.11.7", "18.2", false, &with(Some(true)));
    assert_eq!(issue_at(&p, "gl18-geo-blob-log-error"), None);
    let p = compute("17.11.7", "18.2", false, &with(Some(false)));
    assert_eq!(
        issue_at(&p, "gl18-geo-blob-log-error"),
        Some(("18.2".to_string(), None))
    );
    let p = compute("17.11.7", "18.2", false, &with(None));
    let (_, check) = issue_at(&p, "gl18-geo-blob-log-error").unwrap();
    assert!(check.unwrap().contains("local file storage"));

    // gl17-178-new-encryption-secrets names multi-node twice (its topology and its
    // machine-checkable form): asked once.
    let p = compute("17.5.5", "17.8", false, &Environment::unknown());
    let (_, check) = issue_at(&p, "gl17-178-new-encryption-secrets").unwrap();
    let check = check.unwrap();
    assert_eq!(check.matches("multi-node").count(), 1, "{check}");
}

/// gl17-173-174-unique-violation: "Upgrading from 17.3" (affects 17.4.x): only the hop that
/// comes from 17.3 is concerned.
#[test]
fn upgrading_from_conditions_look_at_the_version_before_the_hop() {
    let p = compute("17.3.7", "17.5", true, &Environment::unknown());
    assert_eq!(
        issue_at(&p, "gl17-173-174-unique-violation").map(|x| x.0),
        Some("17.4".to_string())
    );
    let p = compute("17.2.9", "17.3", true, &Environment::unknown());
    assert_eq!(issue_at(&p, "gl17-173-174-unique-violation"), None);
}
