//! The desktop wizard (egui/eframe). Only this module tree knows egui, eframe and rfd.

pub mod app;
pub mod documents;
pub mod platform;
pub mod review;
pub mod run;
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
    /// The panels' colours, which the window is cleared to.
    backdrop: Backdrop,
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
    if let Some(state) = frame.wgpu_render_state() {
        let info = state.adapter.get_info();
        return format!(
            "wgpu {:?}: {} ({:?}; {} {})",
            info.backend, info.name, info.device_type, info.driver, info.driver_info
        );
    }
    if frame.gl().is_some() {
        return "glow (OpenGL)".to_owned();
    }
    "unknown".to_owned()
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

    /// The panels have no fill of their own (see [`clear_panel_fills`]): the window is cleared
    /// to their colour.
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        let color = if visuals.dark_mode {
            self.backdrop.dark
        } else {
            self.backdrop.light
        };
        color.to_normalized_gamma_f32()
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.app.on_exit();
    }
}

/// Whether this system tries OpenGL (glow) before wgpu. On Linux and the BSDs it does: under
/// software rendering (Mesa's llvmpipe, in VMs and remote desktops without a GPU) glow draws a
/// frame for a fraction of the CPU time wgpu takes on Mesa's Vulkan rasteriser (BENCHMARKS.md).
/// Windows and macOS try wgpu first: DX12 (with the WARP software rasteriser where there is no
/// GPU) and Metal; OpenGL is their fallback.
const GLOW_FIRST: bool = cfg!(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "netbsd",
    target_os = "openbsd"
));

/// The renderers to try, in order: both, the system's better one first ([`GLOW_FIRST`]), or
/// only the one `choice` names (`UPGRADE_PLANNER_RENDERER=glow` or `=wgpu`, any case). Any
/// other choice is ignored.
fn renderer_order(glow_first: bool, choice: &str) -> Vec<eframe::Renderer> {
    use eframe::Renderer::{Glow, Wgpu};
    let all = if glow_first {
        vec![Glow, Wgpu]
    } else {
        vec![Wgpu, Glow]
    };
    let picked: Vec<eframe::Renderer> = all
        .iter()
        .copied()
        .filter(|r| r.to_string().eq_ignore_ascii_case(choice.trim()))
        .collect();
    if picked.is_empty() { all } else { picked }
}

/// The renderers to try on this system, in order ([`renderer_order`]).
fn renderers() -> Vec<eframe::Renderer> {
    let choice = std::env::var("UPGRADE_PLANNER_RENDERER").unwrap_or_default();
    renderer_order(GLOW_FIRST, &choice)
}

/// The message when no renderer could open the window: each one tried, with its error.
fn no_window_message(failures: &[(eframe::Renderer, String)]) -> String {
    let each: Vec<String> = failures.iter().map(|(r, e)| format!("{r}: {e}")).collect();
    format!(
        "upgrade-planner: cannot open the window ({})",
        each.join("; ")
    )
}

/// How the window opens the plan given on the command line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OpenMode {
    Wizard,
    Run,
    Review,
}

/// What the app needs at start-up, whichever renderer opens the window.
#[derive(Clone)]
struct Launch {
    plan: Option<PathBuf>,
    /// How the plan is opened: in the wizard, in run mode or in review mode.
    mode: OpenMode,
    started: Instant,
    smoke: bool,
    bench: BenchMode,
}

/// Open the wizard window, with `plan` loaded when given. `started` is when `main` began.
pub fn run(plan: Option<PathBuf>, started: Instant) -> ExitCode {
    launch_window(plan, OpenMode::Wizard, started)
}

/// Open `plan` in run mode (`upgrade-planner PLAN --run`).
pub fn run_mode(plan: PathBuf, started: Instant) -> ExitCode {
    launch_window(Some(plan), OpenMode::Run, started)
}

/// Open the window in review mode on `plan` (`upgrade-planner review PLAN`).
pub fn run_reviewer(plan: PathBuf, started: Instant) -> ExitCode {
    launch_window(Some(plan), OpenMode::Review, started)
}

fn launch_window(plan: Option<PathBuf>, mode: OpenMode, started: Instant) -> ExitCode {
    let launch = Launch {
        plan,
        mode,
        started,
        smoke: std::env::var_os("UPGRADE_PLANNER_SMOKE").is_some(),
        bench: BenchMode::from_env(),
    };
    // A window without our icon is better than no window: a bad icon only costs the picture.
    let icon = match window_icon() {
        Ok(icon) => Some(icon),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "upgrade-planner: window icon not used: {e}"
            );
            None
        }
    };
    let renderers = renderers();
    let mut failures: Vec<(eframe::Renderer, String)> = Vec::new();
    for (i, renderer) in renderers.iter().enumerate() {
        // Set once the app exists: a failure after that is not the renderer failing to start.
        let created = std::rc::Rc::new(std::cell::Cell::new(false));
        let (launch, flag) = (launch.clone(), std::rc::Rc::clone(&created));
        let result = eframe::run_native(
            "Upgrade Planner",
            native_options(*renderer, icon.clone()),
            Box::new(move |cc| {
                flag.set(true);
                Ok(Box::new(create_shell(cc, launch)))
            }),
        );
        let e = match result {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => e,
        };
        if created.get() {
            let _ = writeln!(
                std::io::stderr(),
                "upgrade-planner: the window closed with an error ({renderer} renderer): {e}"
            );
            return ExitCode::from(crate::cli::EXIT_INPUT);
        }
        failures.push((*renderer, e.to_string()));
        if let Some(next) = renderers.get(i + 1) {
            // eframe keeps its event loop between runs, so the next renderer can try.
            let _ = writeln!(
                std::io::stderr(),
                "upgrade-planner: the {renderer} renderer could not start ({e}); trying {next}"
            );
        }
    }
    let _ = writeln!(std::io::stderr(), "{}", no_window_message(&failures));
    ExitCode::from(crate::cli::EXIT_INPUT)
}

/// The window's options for `renderer`.
fn native_options(
    renderer: eframe::Renderer,
    icon: Option<egui::IconData>,
) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Upgrade Planner")
        .with_inner_size([1180.0, 780.0])
        .with_min_inner_size([760.0, 480.0])
        .with_drag_and_drop(true)
        .with_app_id("upgrade-planner");
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        renderer,
        ..Default::default()
    }
}

/// The app in its window: fonts, style, the wizard, the plan opened.
fn create_shell(cc: &eframe::CreationContext<'_>, launch: Launch) -> Shell {
    let Launch {
        plan,
        mode,
        started,
        smoke,
        bench,
    } = launch;
    let creating = started.elapsed();
    install_fonts(&cc.egui_ctx);
    quiet_cursor(&cc.egui_ctx);
    quiet_motion(&cc.egui_ctx);
    let backdrop = clear_panel_fills(&cc.egui_ctx);
    let platform = DesktopPlatform::new(Some(cc.egui_ctx.clone()));
    let today = chrono::Local::now().date_naive();
    let mut app = WizardApp::new(Box::new(platform), Knowledge::global(), today);
    match std::env::var("UPGRADE_PLANNER_THEME").as_deref() {
        Ok("light") => app.set_theme(&cc.egui_ctx, app::ThemeChoice::Light),
        Ok("dark") => app.set_theme(&cc.egui_ctx, app::ThemeChoice::Dark),
        _ => {}
    }
    if let Some(p) = plan {
        match mode {
            OpenMode::Wizard => app.commands.push(Command::OpenPath(p)),
            OpenMode::Run => {
                app.commands.push(Command::OpenPath(p));
                app.commands.push(Command::Run(run::RunCommand::Enter));
            }
            OpenMode::Review => app.commands.push(Command::OpenPathAsReviewer(p)),
        }
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
    Shell {
        app,
        smoke,
        frames: 0,
        bench,
        started,
        backdrop,
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

/// No animations. egui animates by drawing a frame after frame until the motion ends: a
/// scroll bar fading in on every step page newly shown took about 20 frames, most of what a
/// step change cost under software rendering. Scrolling to a field jumps there too.
pub fn quiet_motion(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.animation_time = 0.0;
        style.scroll_animation = egui::style::ScrollAnimation::none();
    });
}

/// The panels' background colour in the dark and the light theme.
#[derive(Debug, Clone, Copy)]
struct Backdrop {
    dark: egui::Color32,
    light: egui::Color32,
}

/// Draw the panels without a fill, returning their colours for the window to be cleared to
/// instead ([`eframe::App::clear_color`]): the pixels are the same, but under software
/// rendering filling the window with rectangles cost more than the rest of a frame, and a
/// clear costs next to nothing. Only panels use `panel_fill`; menus, tooltips and dialogs
/// have their own.
fn clear_panel_fills(ctx: &egui::Context) -> Backdrop {
    let backdrop = Backdrop {
        dark: ctx.style_of(egui::Theme::Dark).visuals.panel_fill,
        light: ctx.style_of(egui::Theme::Light).visuals.panel_fill,
    };
    ctx.all_styles_mut(|style| style.visuals.panel_fill = egui::Color32::TRANSPARENT);
    backdrop
}

/// Fonts with broad coverage: egui's own first, then DejaVu (Latin, Greek, Cyrillic, symbols
/// such as ✓ ▶ ⚠) and Droid Sans Fallback for CJK names.
pub fn install_fonts(ctx: &egui::Context) {
    use std::sync::Arc;
    let mut fonts = egui::FontDefinitions::default();
    // A font whose embedded bytes are missing (a broken build) is left out, not loaded.
    let mut add = |name: &str, bytes: &'static [u8], families: &[egui::FontFamily]| {
        if bytes.is_empty() {
            return;
        }
        fonts.font_data.insert(
            name.to_owned(),
            Arc::new(egui::FontData::from_static(bytes)),
        );
        for family in families {
            if let Some(list) = fonts.families.get_mut(family) {
                list.push(name.to_owned());
            }
        }
    };
    use egui::FontFamily::{Monospace, Proportional};
    add("DejaVuSansMono", crate::fonts::mono(), &[Monospace]);
    add(
        "DejaVuSans",
        crate::fonts::sans(),
        &[Proportional, Monospace],
    );
    if let Some(bytes) = crate::fonts::cjk_fallback() {
        add("DroidSansFallback", bytes, &[Proportional, Monospace]);
    }
    ctx.set_fonts(fonts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::Renderer::{Glow, Wgpu};

    #[test]
    fn each_system_tries_both_renderers_its_better_one_first() {
        assert_eq!(renderer_order(true, ""), [Glow, Wgpu]);
        assert_eq!(renderer_order(false, ""), [Wgpu, Glow]);
        // Linux and the BSDs start with OpenGL; Windows and macOS with wgpu.
        let expected = if cfg!(any(target_os = "windows", target_os = "macos")) {
            [Wgpu, Glow]
        } else {
            [Glow, Wgpu]
        };
        assert_eq!(renderer_order(GLOW_FIRST, ""), expected);
    }

    #[test]
    fn a_named_renderer_is_the_only_one_tried() {
        for glow_first in [true, false] {
            assert_eq!(renderer_order(glow_first, "wgpu"), [Wgpu]);
            assert_eq!(renderer_order(glow_first, " GLOW "), [Glow]);
            // A name that is no renderer is ignored.
            assert_eq!(renderer_order(glow_first, "vulkan").len(), 2);
        }
    }

    #[test]
    fn the_failure_message_names_every_renderer_and_its_error() {
        let message = no_window_message(&[
            (Glow, "no OpenGL context".to_owned()),
            (Wgpu, "no adapter found".to_owned()),
        ]);
        assert_eq!(
            message,
            "upgrade-planner: cannot open the window \
             (glow: no OpenGL context; wgpu: no adapter found)"
        );
    }
}
