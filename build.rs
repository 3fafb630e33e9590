//! Windows resources for `upgrade-planner.exe`: the app icon (what Explorer, the taskbar and
//! the Start menu show for the program) and the version information (the file's Properties).
//!
//! Only when building for Windows; nothing happens for other targets. A `.rc` script written
//! to `OUT_DIR` is compiled by the resource compiler — `windres` from MinGW-w64 for the GNU
//! targets (`x86_64-w64-mingw32-windres`, or `$WINDRES`), `rc.exe` from the Windows SDK for
//! MSVC — and the result is linked into the binary. Without a resource compiler the build
//! goes on with a warning and the exe has no icon of its own (`tools/build-windows.sh`
//! checks that it has one).

#![allow(clippy::print_stdout)]

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() -> Result<(), String> {
    println!("cargo:rerun-if-changed=build.rs");
    deflate_fonts().map_err(|e| format!("cannot deflate the embedded fonts: {e}"))?;
    println!("cargo:rerun-if-changed=assets/icon/upgrade-planner.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return Ok(());
    }
    if let Err(e) = windows_resources() {
        println!("cargo:warning=upgrade-planner.exe is built without its icon: {e}");
    }
    Ok(())
}

fn windows_resources() -> Result<(), String> {
    let out = PathBuf::from(env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(|e| format!("manifest dir: {e}"))?);
    let version = env::var("CARGO_PKG_VERSION").map_err(|e| format!("version: {e}"))?;
    let rc = out.join("upgrade-planner.rc");
    let icon = root.join("assets").join("icon").join("upgrade-planner.ico");
    std::fs::write(&rc, rc_script(&icon, &version))
        .map_err(|e| format!("cannot write {}: {e}", rc.display()))?;

    let msvc = env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc");
    let (compiled, mut cmd) = if msvc {
        let res = out.join("upgrade-planner.res");
        let mut cmd = Command::new("rc.exe");
        cmd.arg("/nologo").arg("/fo").arg(&res).arg(&rc);
        (res, cmd)
    } else {
        let obj = out.join("upgrade-planner-resources.o");
        let mut cmd = Command::new(windres());
        cmd.arg("--input")
            .arg(&rc)
            .arg("--output")
            .arg(&obj)
            .arg("--output-format=coff");
        (obj, cmd)
    };
    let program = cmd.get_program().to_string_lossy().into_owned();
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !status.success() {
        return Err(format!("{program} failed ({status})"));
    }
    // An object (or .res) named on the linker's command line is always linked in, unlike an
    // archive member nothing refers to.
    println!("cargo:rustc-link-arg-bins={}", compiled.display());
    Ok(())
}

/// `$WINDRES`, else MinGW-w64's windres for the target's architecture.
fn windres() -> String {
    if let Ok(tool) = env::var("WINDRES") {
        return tool;
    }
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    match arch.as_str() {
        "x86" => "i686-w64-mingw32-windres".to_owned(),
        "aarch64" => "aarch64-w64-mingw32-windres".to_owned(),
        _ => "x86_64-w64-mingw32-windres".to_owned(),
    }
}

/// The resource script: icon 1 (the first icon group is the program's icon) and the version.
fn rc_script(icon: &Path, version: &str) -> String {
    // Resource compilers take forward slashes; a backslash would start an escape.
    let icon = icon.display().to_string().replace('\\', "/");
    let mut parts = version
        .split(['.', '-', '+'])
        .map(|p| p.parse::<u16>().unwrap_or(0));
    let numeric = format!(
        "{},{},{},0",
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0)
    );
    format!(
        r#"1 ICON "{icon}"

1 VERSIONINFO
FILEVERSION {numeric}
PRODUCTVERSION {numeric}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "CompanyName", "Upgrade Planner developers"
      VALUE "FileDescription", "Upgrade Planner"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "upgrade-planner"
      VALUE "LegalCopyright", "Upgrade Planner developers, MIT licence"
      VALUE "OriginalFilename", "upgrade-planner.exe"
      VALUE "ProductName", "Upgrade Planner"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"#
    )
}

/// The TrueType fonts the binary embeds, deflated into `OUT_DIR` (`src/fonts.rs` inflates
/// them once at first use): about half the bytes in the binary.
fn deflate_fonts() -> Result<(), String> {
    let out = PathBuf::from(env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    for name in [
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSansMono.ttf",
        "DroidSansFallback-CJK.ttf",
    ] {
        let source = Path::new("assets/fonts").join(name);
        println!("cargo:rerun-if-changed={}", source.display());
        let bytes = std::fs::read(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 10);
        let target = out.join(format!("{name}.deflate"));
        std::fs::write(&target, packed).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}
