//! GitLab version strings as users paste them.

use std::fmt;

use crate::plan::Edition;

/// A GitLab `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Minor {
    pub major: u64,
    pub minor: u64,
}

impl Minor {
    pub fn new(major: u64, minor: u64) -> Minor {
        Minor { major, minor }
    }
    /// Parse `16.3` (anything after the second number is ignored: `16.3.4` gives 16.3).
    pub fn parse(text: &str) -> Option<Minor> {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.trim().parse().ok()?;
        let minor = parts.next()?.trim().parse().ok()?;
        Some(Minor { major, minor })
    }
    /// The `x.y.0` version of this minor.
    pub fn zero(self) -> semver::Version {
        semver::Version::new(self.major, self.minor, 0)
    }
    pub fn of(v: &semver::Version) -> Minor {
        Minor::new(v.major, v.minor)
    }
}

impl fmt::Display for Minor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Written as `16.11` (in `--json` output and the export model).
impl serde::Serialize for Minor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A version as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserVersion {
    /// The version; `x.y` input becomes `x.y.0` with `patch_given == false`.
    pub version: semver::Version,
    pub patch_given: bool,
    /// `-ee`/`-ce` suffix, when present.
    pub edition: Option<Edition>,
}

impl UserVersion {
    pub fn minor(&self) -> Minor {
        Minor::of(&self.version)
    }
}

impl fmt::Display for UserVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.patch_given {
            write!(f, "{}", self.version)
        } else {
            write!(f, "{}", self.minor())
        }
    }
}

/// Why a version string was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError {
    pub input: String,
    pub reason: String,
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a GitLab version: {} (examples: 16.3.4, 16.3.4-ee, v16.3.4, 16.3)",
            self.input, self.reason
        )
    }
}

impl std::error::Error for VersionError {}

/// Parse what users paste: `16.3.4`, `16.3.4-ee`, `16.3.4-ee.0`, `16.3.4+ee.0`, `v16.3.4`, `16.3`.
pub fn parse_version(input: &str) -> Result<UserVersion, VersionError> {
    let fail = |reason: &str| VersionError {
        input: input.trim().chars().take(60).collect(),
        reason: reason.to_string(),
    };
    let mut text = input.trim();
    if text.is_empty() {
        return Err(fail("it is empty"));
    }
    if let Some(rest) = text.strip_prefix(['v', 'V']) {
        text = rest;
    }
    // Split off a suffix: "-ee", "-ce.0", "+ee.0", " EE".
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'));
    let (numbers, suffix) = match split {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let suffix_norm = suffix
        .trim_start_matches(['-', '+', ' ', '_'])
        .to_ascii_lowercase();
    let edition = if suffix_norm.is_empty() {
        None
    } else if suffix_norm == "ee" || suffix_norm.starts_with("ee.") {
        Some(Edition::Ee)
    } else if suffix_norm == "ce" || suffix_norm.starts_with("ce.") {
        Some(Edition::Ce)
    } else if suffix_norm.starts_with("rc") || suffix_norm.starts_with("pre") {
        return Err(fail(
            "release candidates and pre-releases are not upgrade targets",
        ));
    } else {
        return Err(fail(&format!(
            "unexpected text `{suffix}` after the version"
        )));
    };
    let parts: Vec<&str> = numbers.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(fail("expected numbers separated by dots"));
    }
    let nums: Result<Vec<u64>, _> = parts.iter().map(|p| p.parse::<u64>()).collect();
    let Ok(nums) = nums else {
        return Err(fail("a part is not a number"));
    };
    let (version, patch_given) = match nums.as_slice() {
        [_] => return Err(fail("give at least major.minor, e.g. 16.3")),
        [major, minor] => (semver::Version::new(*major, *minor, 0), false),
        [major, minor, patch] => (semver::Version::new(*major, *minor, *patch), true),
        _ => return Err(fail("too many parts; expected major.minor.patch")),
    };
    if version.major == 0 || version.major > 99 || version.minor > 99 {
        return Err(fail("the numbers are out of range for a GitLab release"));
    }
    Ok(UserVersion {
        version,
        patch_given,
        edition,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_users_paste() {
        for (input, expected, patch, edition) in [
            ("16.3.4", "16.3.4", true, None),
            ("16.3.4-ee", "16.3.4", true, Some(Edition::Ee)),
            ("16.3.4-ce", "16.3.4", true, Some(Edition::Ce)),
            ("v16.3.4", "16.3.4", true, None),
            ("V16.3.4-ee.0", "16.3.4", true, Some(Edition::Ee)),
            ("16.3.4+ee.0", "16.3.4", true, Some(Edition::Ee)),
            (" 16.3 ", "16.3.0", false, None),
            ("18.11", "18.11.0", false, None),
            ("15.5.5-EE", "15.5.5", true, Some(Edition::Ee)),
        ] {
            let v = parse_version(input).unwrap();
            assert_eq!(v.version.to_string(), expected, "{input}");
            assert_eq!(v.patch_given, patch, "{input}");
            assert_eq!(v.edition, edition, "{input}");
        }
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        for input in [
            "",
            "16",
            "abc",
            "16.x",
            "16.3.4.5",
            "16..3",
            "16.3.0-rc1",
            "16.3-foo",
            "0.1",
        ] {
            let e = parse_version(input).unwrap_err();
            assert!(!e.reason.is_empty());
            assert!(e.to_string().contains("is not a GitLab version"), "{e}");
        }
    }

    #[test]
    fn displays_minor_only_input_as_minor() {
        assert_eq!(parse_version("18.5").unwrap().to_string(), "18.5");
        assert_eq!(parse_version("18.5.2").unwrap().to_string(), "18.5.2");
        assert_eq!(Minor::parse("16.3.4"), Some(Minor::new(16, 3)));
        assert!(Minor::new(16, 11) > Minor::new(16, 3));
    }
}
