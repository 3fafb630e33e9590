//! Opening the window when no renderer can: the app tries both (glow and wgpu), then exits
//! with code 2 and one message naming each renderer with its error. Without a display neither
//! can start, so this runs anywhere, GPU or not. (The fallback from one renderer to the other
//! that works is shown under Xvfb by `.ci/run` and under Wine by `tools/test-windows.sh`.)

#![allow(clippy::unwrap_used)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_upgrade-planner");

fn start_without_display(renderer: Option<&str>) -> (Option<i32>, String) {
    let state = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("UPGRADE_PLANNER_RENDERER")
        .env("UPGRADE_PLANNER_STATE_DIR", state.path());
    if let Some(r) = renderer {
        cmd.env("UPGRADE_PLANNER_RENDERER", r);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn when_no_renderer_starts_the_message_names_both_errors() {
    let (code, err) = start_without_display(None);
    assert_eq!(code, Some(2), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("upgrade-planner: cannot open the window (")
            && last.contains("glow: ")
            && last.contains("; wgpu: "),
        "{err}"
    );
    // The first one tried says it is handing over to the second.
    let (first, second) = if cfg!(any(target_os = "windows", target_os = "macos")) {
        ("wgpu", "glow")
    } else {
        ("glow", "wgpu")
    };
    assert!(
        err.contains(&format!("the {first} renderer could not start ("))
            && err.contains(&format!("); trying {second}")),
        "{err}"
    );
}

#[test]
fn a_renderer_named_in_the_environment_is_the_only_one_tried() {
    for renderer in ["glow", "wgpu"] {
        let (code, err) = start_without_display(Some(renderer));
        assert_eq!(code, Some(2), "{err}");
        assert!(!err.contains("trying"), "{err}");
        let last = err.lines().last().unwrap_or_default();
        assert!(
            last.starts_with(&format!(
                "upgrade-planner: cannot open the window ({renderer}: "
            )) && !last.contains("; "),
            "{err}"
        );
    }
}
