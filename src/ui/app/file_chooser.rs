//! The built-in file chooser: a modal that picks a file to open or a place to save, for when
//! the system's file dialog is not available or fails (or the user prefers this one).
//!
//! It draws and edits its own state only. Everything that touches the disk (reading a folder,
//! looking at the chosen path) is a [`ChooserRequest`] the app shell carries out after the
//! frame, handing the answer back through [`FileChooser::set_listing`],
//! [`FileChooser::show_error`] or [`FileChooser::ask_overwrite`]. Tests drive it the same way.

use std::path::{Path, PathBuf};

use egui::{Key, RichText, Ui};

/// Open an existing file, or name a file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChooserMode {
    Open,
    Save,
}

/// One line of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
}

/// The folder's contents, as the app shell read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Asked for, not read yet.
    Pending,
    Ready(Vec<Entry>),
    /// The folder could not be read; the text says why and names it.
    Failed(String),
}

/// Work for the app shell, recorded by the chooser during the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooserRequest {
    /// Read this folder and hand the listing to [`FileChooser::set_listing`].
    List(PathBuf),
    /// The user confirmed this path: look at it, then accept it, go into it (a folder), ask
    /// before replacing it, or say what is wrong.
    Confirm(PathBuf),
    /// The user agreed to replace this existing file: accept it.
    Replace(PathBuf),
    /// The user closed the chooser without a file.
    Cancel,
}

/// Which files the listing shows: a description and extensions without the dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

impl FileFilter {
    pub fn new(name: &str, extensions: &[&str]) -> FileFilter {
        FileFilter {
            name: name.to_string(),
            extensions: extensions.iter().map(|e| (*e).to_string()).collect(),
        }
    }

    fn matches(&self, file_name: &str) -> bool {
        let lower = file_name.to_lowercase();
        self.extensions
            .iter()
            .any(|e| lower.ends_with(&format!(".{}", e.to_lowercase())))
    }

    /// "Upgrade plan (*.json)".
    pub fn describe(&self) -> String {
        let globs: Vec<String> = self.extensions.iter().map(|e| format!("*.{e}")).collect();
        format!("{} ({})", self.name, globs.join(", "))
    }
}

/// The chooser's state between frames.
#[derive(Debug, Clone)]
pub struct FileChooser {
    pub mode: ChooserMode,
    pub title: String,
    /// Why the chooser is shown instead of the system dialog (one line), if it is.
    pub note: Option<String>,
    pub filter: FileFilter,
    /// Added to a typed name without an extension when saving (`upgrade-plan.json`, `pdf`).
    pub default_extension: Option<String>,
    /// The folder listed.
    pub folder: PathBuf,
    /// The folder path as shown and edited.
    pub folder_text: String,
    pub listing: Listing,
    pub file_name: String,
    /// A file picked from the listing (its exact path, even when its name is not UTF-8).
    picked: Option<(String, PathBuf)>,
    /// Also list files that do not match the filter.
    pub show_all: bool,
    pub home: Option<PathBuf>,
    pub plan_folder: Option<PathBuf>,
    /// An existing file the user is asked to replace.
    pub overwrite: Option<PathBuf>,
    /// What is wrong with the last confirmation, shown above the buttons.
    pub error: Option<String>,
    /// Work for the app shell; taken by it after the frame.
    pub request: Option<ChooserRequest>,
    /// The button that confirms: Open, Save, Export.
    pub confirm_label: String,
    /// Put the keyboard in the file-name field (all selected) on the next frame.
    focus_name: bool,
}

const FOLDER_ID: &str = "file_chooser_folder";
const NAME_ID: &str = "file_chooser_name";

impl FileChooser {
    /// A chooser on `folder`; the app shell lists it after the frame.
    pub fn new(mode: ChooserMode, title: &str, folder: PathBuf, filter: FileFilter) -> FileChooser {
        FileChooser {
            mode,
            title: title.to_string(),
            note: None,
            filter,
            default_extension: None,
            folder_text: folder.display().to_string(),
            request: Some(ChooserRequest::List(folder.clone())),
            folder,
            listing: Listing::Pending,
            file_name: String::new(),
            picked: None,
            show_all: false,
            home: None,
            plan_folder: None,
            overwrite: None,
            error: None,
            confirm_label: match mode {
                ChooserMode::Open => "Open",
                ChooserMode::Save => "Save",
            }
            .to_string(),
            focus_name: true,
        }
    }

    /// The app shell's answer to [`ChooserRequest::List`].
    pub fn set_listing(&mut self, folder: PathBuf, listing: Result<Vec<Entry>, String>) {
        self.folder_text = folder.display().to_string();
        self.folder = folder;
        self.overwrite = None;
        match listing {
            Ok(mut entries) => {
                // Folders first, then files; by name, ignoring case.
                entries.sort_by(|a, b| {
                    b.is_dir
                        .cmp(&a.is_dir)
                        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                        .then_with(|| a.name.cmp(&b.name))
                });
                self.listing = Listing::Ready(entries);
                self.error = None;
                self.focus_name = true;
            }
            Err(e) => self.listing = Listing::Failed(e),
        }
    }

    /// The app shell found the confirmed path unusable.
    pub fn show_error(&mut self, message: String) {
        self.error = Some(message);
        self.focus_name = true;
    }

    /// The app shell found that the confirmed path exists: ask before replacing it.
    pub fn ask_overwrite(&mut self, path: PathBuf) {
        self.error = None;
        self.overwrite = Some(path);
    }

    /// What the listing shows: no hidden entries; files only when they match the filter.
    pub fn visible(&self) -> Vec<&Entry> {
        match &self.listing {
            Listing::Ready(entries) => entries
                .iter()
                .filter(|e| !e.name.starts_with('.'))
                .filter(|e| e.is_dir || self.show_all || self.filter.matches(&e.name))
                .collect(),
            Listing::Pending | Listing::Failed(_) => Vec::new(),
        }
    }

    /// The path the typed name stands for (relative names are in the listed folder; `~` is
    /// the home folder), or why there is none.
    pub fn target(&self) -> Result<PathBuf, String> {
        let name = self.file_name.trim();
        if name.is_empty() {
            return Err("Type a file name, or pick a file in the list.".into());
        }
        if let Some((picked_name, path)) = &self.picked
            && picked_name == name
        {
            return Ok(path.clone());
        }
        let mut path = self.resolve(name);
        if self.mode == ChooserMode::Save
            && let Some(ext) = &self.default_extension
            && !name.ends_with('/')
            && path.extension().is_none()
        {
            let with_ext = format!(
                "{}.{ext}",
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            );
            path.set_file_name(with_ext);
        }
        Ok(path)
    }

    /// A typed path: `~` and `~/…` are under the home folder, relative paths under the
    /// listed folder.
    fn resolve(&self, typed: &str) -> PathBuf {
        if let Some(home) = &self.home {
            if typed == "~" {
                return home.clone();
            }
            if let Some(rest) = typed.strip_prefix("~/") {
                return home.join(rest);
            }
        }
        self.folder.join(typed)
    }

    fn go_to(&mut self, folder: PathBuf) {
        self.error = None;
        self.picked = None;
        self.listing = Listing::Pending;
        self.request = Some(ChooserRequest::List(folder));
    }

    fn confirm(&mut self) {
        match self.target() {
            Ok(path) => self.request = Some(ChooserRequest::Confirm(path)),
            Err(e) => self.show_error(e),
        }
    }

    /// Draw the chooser as a modal; what the user does becomes [`Self::request`].
    pub fn show(&mut self, ctx: &egui::Context) {
        let (enter, escape) =
            ctx.input(|i| (i.key_pressed(Key::Enter), i.key_pressed(Key::Escape)));
        // Set when a button or field acted on this frame, so that the Enter which clicked a
        // focused button does not also confirm.
        let mut acted = false;
        egui::Modal::new(egui::Id::unique("file_chooser")).show(ctx, |ui| {
            // 600 points, or less in a narrow or zoomed window.
            ui.set_width(
                600.0_f32
                    .min(ui.ctx().content_rect().width() - 48.0)
                    .max(200.0),
            );
            ui.heading(&self.title);
            if let Some(note) = &self.note {
                ui.label(RichText::new(note).color(crate::ui::widgets::warning_color(ui)));
            }
            ui.add_space(4.0);
            // While the replace question is open, the rest waits (drawn the same, so nothing
            // moves).
            ui.add_enabled_ui(self.overwrite.is_none(), |ui| {
                self.folder_ui(ui, enter, &mut acted);
                self.listing_ui(ui, &mut acted);
                self.name_ui(ui);
            });
            self.message_ui(ui);
            self.buttons_ui(ui, &mut acted);
        });
        if self.request.is_some() {
            return;
        }
        if escape {
            if self.overwrite.take().is_none() {
                self.request = Some(ChooserRequest::Cancel);
            } else {
                self.focus_name = true;
            }
        } else if enter && !acted && self.overwrite.is_none() {
            self.confirm();
        }
    }

    fn folder_ui(&mut self, ui: &mut Ui, enter: bool, acted: &mut bool) {
        ui.horizontal(|ui| {
            let label = ui.label("Folder");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.folder_text)
                        .id(egui::Id::unique(FOLDER_ID))
                        .desired_width(ui.available_width() - 40.0),
                )
                .labelled_by(label.id);
            let go = ui.button("Go").on_hover_text("List the folder typed here");
            if go.clicked() || (field.lost_focus() && enter) {
                *acted = true;
                let typed = self.folder_text.trim().to_string();
                let folder = self.resolve(&typed);
                self.go_to(folder);
            }
        });
        ui.horizontal(|ui| {
            let up = self.folder.parent().map(Path::to_path_buf);
            if ui
                .add_enabled(up.is_some(), egui::Button::new("⬆ Up"))
                .on_hover_text("The folder above")
                .clicked()
                && let Some(up) = up
            {
                *acted = true;
                self.go_to(up);
            }
            if let Some(home) = self.home.clone()
                && ui
                    .button("Home")
                    .on_hover_text(home.display().to_string())
                    .clicked()
            {
                *acted = true;
                self.go_to(home);
            }
            if let Some(dir) = self.plan_folder.clone()
                && ui
                    .button("Plan's folder")
                    .on_hover_text(dir.display().to_string())
                    .clicked()
            {
                *acted = true;
                self.go_to(dir);
            }
        });
    }

    fn listing_ui(&mut self, ui: &mut Ui, acted: &mut bool) {
        let mut open_dir = None;
        let mut pick = None;
        let mut confirm = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("file_chooser_listing")
                .auto_shrink([false, false])
                .max_height(260.0)
                .show(ui, |ui| match &self.listing {
                    Listing::Pending => {
                        ui.label("Reading the folder…");
                    }
                    Listing::Failed(e) => {
                        ui.label(RichText::new(e).color(crate::ui::widgets::error_color(ui)));
                    }
                    Listing::Ready(_) => {
                        let visible = self.visible();
                        if visible.is_empty() {
                            ui.label(RichText::new("No folders or matching files here.").weak());
                        }
                        for entry in visible {
                            if entry.is_dir {
                                let text = RichText::new(format!("{}/", entry.name)).strong();
                                if ui.add(egui::Button::selectable(false, text)).clicked() {
                                    open_dir = Some(entry.path.clone());
                                }
                            } else {
                                let selected =
                                    self.picked.as_ref().is_some_and(|(_, p)| *p == entry.path);
                                let r = ui.add(egui::Button::selectable(selected, &entry.name));
                                if r.clicked() || r.double_clicked() {
                                    pick = Some((entry.name.clone(), entry.path.clone()));
                                    confirm |= r.double_clicked();
                                }
                            }
                        }
                    }
                });
        });
        if let Some(dir) = open_dir {
            *acted = true;
            self.go_to(dir);
        } else if let Some((name, path)) = pick {
            *acted = true;
            self.file_name.clone_from(&name);
            self.picked = Some((name, path));
            self.error = None;
            // Back to the name field, so Enter confirms the file just picked.
            self.focus_name = true;
            if confirm {
                self.confirm();
            }
        }
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("Showing folders and {}", self.filter.describe())).weak(),
            );
            if ui.checkbox(&mut self.show_all, "Show all files").changed() {
                *acted = true;
            }
        });
    }

    fn name_ui(&mut self, ui: &mut Ui) {
        let name_id = egui::Id::unique(NAME_ID);
        ui.horizontal(|ui| {
            let label = ui.label("File name");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.file_name)
                        .id(name_id)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if self.focus_name && self.overwrite.is_none() {
                self.focus_name = false;
                field.request_focus();
                select_all(ui.ctx(), name_id, &self.file_name);
            }
            if field.changed() {
                self.error = None;
            }
        });
    }

    /// The error or the replace question, in a space of two lines kept even when empty, so
    /// the modal (centred on the window) does not jump when one appears.
    fn message_ui(&self, ui: &mut Ui) {
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let height = 2.0 * line + ui.spacing().item_spacing.y;
        let width = ui.available_width();
        ui.allocate_ui_with_layout(
            egui::vec2(width, height),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_min_size(egui::vec2(width, height));
                if let Some(path) = &self.overwrite {
                    let text = format!(
                        "{} already exists. Replace it? Its current contents will be lost.",
                        path.display()
                    );
                    ui.label(RichText::new(text).color(crate::ui::widgets::warning_color(ui)));
                } else if let Some(e) = &self.error {
                    ui.label(RichText::new(e).color(crate::ui::widgets::error_color(ui)));
                }
            },
        );
    }

    fn buttons_ui(&mut self, ui: &mut Ui, acted: &mut bool) {
        ui.horizontal(|ui| {
            if let Some(path) = self.overwrite.clone() {
                if ui.button("Replace").clicked() {
                    *acted = true;
                    self.overwrite = None;
                    self.request = Some(ChooserRequest::Replace(path));
                }
                if ui.button("Choose another name").clicked() {
                    *acted = true;
                    self.overwrite = None;
                    self.focus_name = true;
                }
                ui.label(RichText::new("Esc goes back").weak().small());
                return;
            }
            if ui.button(&self.confirm_label).clicked() {
                *acted = true;
                self.confirm();
            }
            if ui.button("Cancel").clicked() {
                *acted = true;
                self.request = Some(ChooserRequest::Cancel);
            }
            ui.label(RichText::new("Enter confirms, Esc cancels").weak().small());
        });
    }
}

/// Select the whole text of a field so typing replaces it.
fn select_all(ctx: &egui::Context, id: egui::Id, text: &str) {
    let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::select_all_str(text)));
    egui::TextEdit::store_state(ctx, id, state);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, is_dir: bool) -> Entry {
        Entry {
            name: name.into(),
            path: PathBuf::from("/d").join(name),
            is_dir,
        }
    }

    fn chooser(mode: ChooserMode) -> FileChooser {
        let mut c = FileChooser::new(
            mode,
            "t",
            PathBuf::from("/d"),
            FileFilter::new("Upgrade plan", &["json"]),
        );
        c.default_extension = Some("upgrade-plan.json".into());
        c
    }

    #[test]
    fn the_listing_shows_folders_first_then_matching_files_without_hidden_ones() {
        let mut c = chooser(ChooserMode::Open);
        c.set_listing(
            PathBuf::from("/d"),
            Ok(vec![
                entry("b.json", false),
                entry("Zeta", true),
                entry("notes.txt", false),
                entry(".hidden.json", false),
                entry("A.JSON", false),
                entry(".git", true),
                entry("alpha", true),
            ]),
        );
        let names: Vec<&str> = c.visible().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["alpha", "Zeta", "A.JSON", "b.json"]);
        c.show_all = true;
        let names: Vec<&str> = c.visible().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["alpha", "Zeta", "A.JSON", "b.json", "notes.txt"]);
    }

    #[test]
    fn a_typed_name_gets_the_default_extension_and_the_listed_folder() {
        let mut c = chooser(ChooserMode::Save);
        c.home = Some(PathBuf::from("/home/u"));
        c.file_name = "  mine ".into();
        assert_eq!(c.target(), Ok(PathBuf::from("/d/mine.upgrade-plan.json")));
        c.file_name = "mine.json".into();
        assert_eq!(c.target(), Ok(PathBuf::from("/d/mine.json")));
        c.file_name = "~/x".into();
        assert_eq!(c.target(), Ok(PathBuf::from("/home/u/x.upgrade-plan.json")));
        c.file_name = "/abs/p.pdf".into();
        assert_eq!(c.target(), Ok(PathBuf::from("/abs/p.pdf")));
        c.file_name = String::new();
        assert!(c.target().is_err());
        let mut o = chooser(ChooserMode::Open);
        o.file_name = "plain".into();
        assert_eq!(
            o.target(),
            Ok(PathBuf::from("/d/plain")),
            "no extension added to open"
        );
    }
}
