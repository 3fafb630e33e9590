//! The desktop wizard (egui/eframe). Only this module tree knows egui, eframe and rfd.

pub mod app;
pub mod documents;
pub mod platform;
pub mod steps;
pub mod widgets;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use app::{Command, WizardApp};
use platform::DesktopPlatform;

use crate::knowledge::Knowledge;

/// Measurements for `bench/run`, chosen by environment variables read once at start-up. Without
/// them the shell measures nothing and prints nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BenchMode {
    Off,
    /// `UPGRADE_PLANNER_BENCH_TIMING`: when the second frame begins (the first has then been
    /// painted and presented), print the time since `main` began and the wall clock, then close.
    FirstFrame,
    /// `UPGRADE_PLANNER_BENCH_FRAMES`: print one line per frame (with the step shown and
    /// whether a widget has the focus), so a script can count repaints and check its input;
    /// the first frame also names the renderer.
    Frames,
}

impl BenchMode {
    fn from_env() -> BenchMode {
        if std::env::var_os("UPGRADE_PLANNER_BENCH_TIMING").is_some() {
            BenchMode::FirstFrame
        } else if std::env::var_os("UPGRADE_PLANNER_BENCH_FRAMES").is_some() {
            BenchMode::Frames
        } else {
            BenchMode::Off
        }
    }
}

/// The eframe application: the wizard plus window-level concerns.
struct Shell {
    app: WizardApp,
    /// Close after the first frame (smoke test mode).
    smoke: bool,
    frames: u64,
    bench: BenchMode,
    /// When `main` began (for the first-frame measurement).
    started: Instant,
}

impl Shell {
    /// Called at the start of every frame in a bench mode.
    fn bench_frame(&mut self, ctx: &egui::Context) {
        let since_start = self.started.elapsed();
        let unix_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut err = std::io::stderr().lock();
        match self.bench {
            BenchMode::FirstFrame if self.frames == 0 => {
                // Make sure a second frame follows the first one.
                ctx.request_repaint();
            }
            BenchMode::FirstFrame => {
                if self.frames == 1 {
                    let _ = writeln!(
                        err,
                        "bench: first-frame-presented since_main_us={} unix_ns={unix_ns}",
                        since_start.as_micros()
                    );
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            BenchMode::Frames | BenchMode::Off => {}
        }
    }

    /// Called at the end of every frame in the frames mode: one line per frame with the step
    /// shown and whether a widget has the keyboard focus, so a script can count repaints and
    /// check that its input arrived. The first frame also names the renderer.
    fn bench_frame_done(&self, ctx: &egui::Context, frame: &eframe::Frame) {
        let mut err = std::io::stderr().lock();
        if self.frames == 1 {
            let _ = writeln!(err, "bench: renderer {}", renderer_summary(frame));
        }
        let focused = ctx.memory(|m| m.focused().is_some());
        let events = ctx.input(|i| i.events.len());
        // Why egui ran this frame: the calls that asked for it (paths into the cargo registry
        // shortened to the crate).
        let causes: Vec<String> = ctx
            .repaint_causes()
            .iter()
            .map(|c| {
                let file = c
                    .file
                    .split_once("/registry/src/")
                    .and_then(|(_, rest)| rest.split_once('/'))
                    .map_or(c.file, |(_, rest)| rest);
                format!("{file}:{}", c.line)
            })
            .collect();
        let _ = writeln!(
            err,
            "bench: frame {} pass={} since_main_us={} step={} focused={} events={events} causes={}",
            ctx.cumulative_frame_nr() + 1,
            ctx.current_pass_index(),
            self.started.elapsed().as_micros(),
            self.app.step.id(),
            if focused { "yes" } else { "no" },
            causes.join(";")
        );
    }
}

/// Which graphics adapter draws the window, as the renderer reports it.
fn renderer_summary(frame: &eframe::Frame) -> String {
    match frame.wgpu_render_state() {
        Some(state) => {
            let info = state.adapter.get_info();
            format!(
                "wgpu {:?}: {} ({:?}; {} {})",
                info.backend, info.name, info.device_type, info.driver, info.driver_info
            )
        }
        None => "unknown".to_owned(),
    }
}

impl eframe::App for Shell {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.bench != BenchMode::Off {
            self.bench_frame(ui.ctx());
        }
        self.app.show(ui);
        self.frames += 1;
        if self.bench == BenchMode::Frames {
            self.bench_frame_done(ui.ctx(), frame);
        }
        if self.smoke && self.frames >= 2 {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn on_exit(&mut self) {
        self.app.on_exit();
    }
}

/// Open the wizard window, with `plan` loaded when given. `started` is when `main` began.
pub fn run(plan: Option<PathBuf>, started: Instant) -> ExitCode {
    let smoke = std::env::var_os("UPGRADE_PLANNER_SMOKE").is_some();
    let bench = BenchMode::from_env();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Upgrade Planner")
            .with_inner_size([1180.0, 780.0])
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true)
            .with_app_id("upgrade-planner"),
        ..Default::default()
    };
    // A window without our icon is better than no window: a bad icon only costs the picture.
    let options = match window_icon() {
        Ok(icon) => eframe::NativeOptions {
            viewport: options.viewport.with_icon(icon),
            ..options
        },
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "upgrade-planner: window icon not used: {e}"
            );
            options
        }
    };
    let result = eframe::run_native(
        "Upgrade Planner",
        options,
        Box::new(move |cc| {
            let creating = started.elapsed();
            install_fonts(&cc.egui_ctx);
            quiet_cursor(&cc.egui_ctx);
            let platform = DesktopPlatform::new(Some(cc.egui_ctx.clone()));
            let today = chrono::Local::now().date_naive();
            let mut app = WizardApp::new(Box::new(platform), Knowledge::global(), today);
            match std::env::var("UPGRADE_PLANNER_THEME").as_deref() {
                Ok("light") => app.set_theme(&cc.egui_ctx, app::ThemeChoice::Light),
                Ok("dark") => app.set_theme(&cc.egui_ctx, app::ThemeChoice::Dark),
                _ => {}
            }
            if let Some(p) = plan {
                app.commands.push(Command::OpenPath(p));
                app.run_commands();
            }
            if bench == BenchMode::FirstFrame {
                // Where start-up time goes: window and renderer (before), the app (during).
                let _ = writeln!(
                    std::io::stderr(),
                    "bench: app-created window_and_renderer_us={} app_us={}",
                    creating.as_micros(),
                    started.elapsed().saturating_sub(creating).as_micros()
                );
            }
            Ok(Box::new(Shell {
                app,
                smoke,
                frames: 0,
                bench,
                started,
            }))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "upgrade-planner: cannot open the window: {e}"
            );
            ExitCode::from(crate::cli::EXIT_INPUT)
        }
    }
}

/// The app icon at 128 px (from `assets/icon/`, made by `tools/make_icons.sh`), embedded so the
/// binary needs no files beside it.
pub const WINDOW_ICON_PNG: &[u8] = include_bytes!("../../assets/icon/upgrade-planner-128.png");

/// Decode [`WINDOW_ICON_PNG`] for the window's title bar, task bar and window switcher.
///
/// # Errors
/// The embedded PNG cannot be decoded (a broken asset): the message says so.
pub fn window_icon() -> Result<egui::IconData, String> {
    eframe::icon_data::from_png_bytes(WINDOW_ICON_PNG)
        .map_err(|e| format!("the embedded icon assets/icon/upgrade-planner-128.png: {e}"))
}

/// A steady text cursor: a blinking one repaints the window twice a second while a field has
/// the focus, which under software rendering (VMs, remote desktops) costs a noticeable share
/// of a CPU while the user only reads.
pub fn quiet_cursor(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| style.visuals.text_cursor.blink = false);
}

/// Fonts with broad coverage: egui's own first, then DejaVu (Latin, Greek, Cyrillic, symbols
/// such as ✓ ▶ ⚠) and Droid Sans Fallback for CJK names.
pub fn install_fonts(ctx: &egui::Context) {
    use std::sync::Arc;
    let mut fonts = egui::FontDefinitions::default();
    let add = |fonts: &mut egui::FontDefinitions, name: &str, bytes: &'static [u8]| {
        fonts.font_data.insert(
            name.to_owned(),
            Arc::new(egui::FontData::from_static(bytes)),
        );
    };
    add(&mut fonts, "DejaVuSans", crate::fonts::SANS);
    add(&mut fonts, "DejaVuSansMono", crate::fonts::MONO);
    let cjk = crate::fonts::CJK_FALLBACK.is_some();
    if let Some(bytes) = crate::fonts::CJK_FALLBACK {
        add(&mut fonts, "DroidSansFallback", bytes);
    }
    if let Some(list) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        list.push("DejaVuSans".to_owned());
        if cjk {
            list.push("DroidSansFallback".to_owned());
        }
    }
    if let Some(list) = fonts.families.get_mut(&egui::FontFamily::Monospace) {
        list.push("DejaVuSansMono".to_owned());
        list.push("DejaVuSans".to_owned());
        if cjk {
            list.push("DroidSansFallback".to_owned());
        }
    }
    ctx.set_fonts(fonts);
}
