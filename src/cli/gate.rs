//! `upgrade-planner gate --hop VERSION FILE|-`: read the check outputs pasted after a hop and
//! say go (exit 0) or no-go with the reasons (exit 1); exit 2 when the input cannot be read or
//! holds no output the gate knows.

use std::io::Read;

use crate::run::gate::{self, MAX_GATE_BYTES, Requirements};

use super::{EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Output, shown};

const NAME: &str = "upgrade-planner gate";

pub(super) fn run(hop: &str, geo: bool, input: &str, o: &mut Output) -> u8 {
    if !looks_like_version(hop) {
        o.warn(format_args!(
            "{NAME}: --hop {} is not a GitLab version (17.3.7, 17.3 or 19.5.x)",
            crate::text::quote(hop)
        ));
        return EXIT_INPUT;
    }
    let (name, text) = match read_input(input) {
        Ok(t) => t,
        Err(e) => {
            o.warn(format_args!("{NAME}: {e}"));
            return EXIT_INPUT;
        }
    };
    let req = Requirements {
        hop: Some(hop.trim().to_string()),
        geo,
    };
    let result = match gate::judge(&text, &req) {
        Ok(r) => r,
        Err(e) => {
            o.warn(format_args!("{NAME}: {name}: {}", shown(e)));
            return EXIT_INPUT;
        }
    };
    let hop = hop.trim();
    if result.go() {
        o.say(format_args!(
            "GO: the checks after the hop to {hop} pass; the next step may start."
        ));
    } else {
        o.say(format_args!(
            "NO-GO: the next step may not start after the hop to {hop}:"
        ));
        for r in &result.reasons {
            o.say(format_args!("  - {r}"));
        }
    }
    for r in &result.readings {
        o.say(format_args!(
            "  read: {}: {}",
            r.kind().label(),
            shown(&r.summary)
        ));
    }
    for n in &result.notes {
        o.say(format_args!("  note: {n}"));
    }
    if result.go() { EXIT_OK } else { EXIT_FINDINGS }
}

/// `17`, `17.3`, `17.3.7`, `17.3.x`, `v17.3.7-ee`.
fn looks_like_version(v: &str) -> bool {
    let v = v.trim().trim_start_matches('v');
    let v = v.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = v.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().enumerate().all(|(i, p)| {
            (!p.is_empty() && p.len() <= 6 && p.chars().all(|c| c.is_ascii_digit()))
                || (i == 2 && *p == "x")
        })
}

/// The text of `input` (a file, or standard input for `-`) and the name messages use for it.
/// At most [`MAX_GATE_BYTES`] are read. UTF-8 (with or without a byte-order mark) and UTF-16
/// with a byte-order mark (what PowerShell's `>` writes) are read.
fn read_input(input: &str) -> Result<(String, String), String> {
    let limit = u64::try_from(MAX_GATE_BYTES).unwrap_or(u64::MAX) + 1;
    let mut bytes = Vec::new();
    let name = if input == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: cannot read: {e}"))?;
        "standard input".to_string()
    } else {
        let path = std::path::Path::new(input);
        if path.is_dir() {
            return Err(format!("{input}: is a directory, expected a text file"));
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| format!("{input}: cannot read: {e}"))?;
        input.to_string()
    };
    if bytes.len() > MAX_GATE_BYTES {
        return Err(format!(
            "{name}: more than {MAX_GATE_BYTES} bytes; check outputs are far smaller (paste only the outputs of the checks)"
        ));
    }
    let text = decode(&bytes).map_err(|e| format!("{name}: {e}"))?;
    Ok((name, text))
}

/// Bytes as text: UTF-8 (a byte-order mark dropped) or UTF-16 with its byte-order mark.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |le: bool| {
        let units = bytes[2..]
            .chunks(2)
            .map(|c| match (c, le) {
                ([a, b], true) => Ok(u16::from_le_bytes([*a, *b])),
                ([a, b], false) => Ok(u16::from_be_bytes([*a, *b])),
                _ => Err("UTF-16 text with an odd number of bytes".to_string()),
            })
            .collect::<Result<Vec<u16>, String>>()?;
        String::from_utf16(&units).map_err(|_| "not valid UTF-16 text".to_string())
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            String::from_utf8(b.to_vec()).map_err(|e| {
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_for_hop() {
        for ok in ["17.3.7", "17.3", "19.5.x", "v17.3.7-ee", " 18.2.8 "] {
            assert!(looks_like_version(ok), "{ok}");
        }
        for bad in [
            "",
            "17",
            "seventeen",
            "17.3.7.1",
            "17..3",
            "17.x",
            "1.2.3333333",
        ] {
            assert!(!looks_like_version(bad), "{bad}");
        }
    }

    #[test]
    fn decodes_utf8_and_utf16_with_a_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBF0\n").as_deref(), Ok("0\n"));
        assert_eq!(
            decode(&[0xFF, 0xFE, b'0', 0, b'\n', 0]).as_deref(),
            Ok("0\n")
        );
        assert_eq!(decode(&[0xFE, 0xFF, 0, b'3']).as_deref(), Ok("3"));
        assert!(decode(&[0xFF, 0xFE, b'0']).is_err());
        assert!(decode(b"\xC3\x28").unwrap_err().contains("offset 0"));
    }
}
