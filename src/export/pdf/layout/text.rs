//! Rich text: spans with style, colour, chips and links, wrapped into lines.

use super::{Fonts, PT, Rgb, Style};

/// A piece of rich text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    pub color: Option<Rgb>,
    pub link: Option<String>,
    /// Drawn as a label on this background, never broken.
    pub chip: Option<Rgb>,
}

impl Span {
    pub fn plain(t: impl Into<String>) -> Span {
        Span {
            text: t.into(),
            style: Style::Regular,
            color: None,
            link: None,
            chip: None,
        }
    }
    pub fn bold(t: impl Into<String>) -> Span {
        Span {
            style: Style::Bold,
            ..Span::plain(t)
        }
    }
    pub fn mono(t: impl Into<String>) -> Span {
        Span {
            style: Style::Mono,
            ..Span::plain(t)
        }
    }
    pub fn color(mut self, c: Rgb) -> Span {
        self.color = Some(c);
        self
    }
    pub fn link(mut self, url: impl Into<String>) -> Span {
        self.link = Some(url.into());
        self
    }
    /// A label: white bold text on `bg`.
    pub fn chip(t: impl Into<String>, bg: Rgb) -> Span {
        Span {
            text: t.into(),
            style: Style::Bold,
            color: Some(Rgb::WHITE),
            link: None,
            chip: Some(bg),
        }
    }
}

/// A placed run of a wrapped line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRun {
    pub text: String,
    pub style: Style,
    pub color: Option<Rgb>,
    pub link: Option<String>,
    pub chip: Option<Rgb>,
    pub x: f32,
    pub width: f32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<LineRun>,
    pub width: f32,
}

#[derive(Debug, Clone)]
struct Atom {
    text: String,
    style: Style,
    color: Option<Rgb>,
    link: Option<String>,
    chip: Option<Rgb>,
    space_before: bool,
    /// Line breaks before this atom (2 = an empty line between paragraphs).
    breaks: u8,
    width: f32,
}

pub(super) const CHIP_PAD: f32 = 0.9;

/// Characters after which a long word may break.
fn soft_break_after(c: char) -> bool {
    matches!(
        c,
        '/' | '.' | '-' | '_' | ':' | ',' | '@' | '=' | '&' | '?' | ';' | '+'
    )
}

impl Fonts {
    fn atoms(&self, spans: &[Span], size: f32) -> Vec<Atom> {
        let mut atoms = Vec::new();
        let mut space = false;
        let mut brk: u8 = 0;
        for span in spans {
            if let Some(bg) = span.chip {
                let w = self.width(&span.text, span.style, size) + 2.0 * CHIP_PAD;
                atoms.push(Atom {
                    text: span.text.clone(),
                    style: span.style,
                    color: span.color,
                    link: span.link.clone(),
                    chip: Some(bg),
                    space_before: space,
                    breaks: brk,
                    width: w,
                });
                space = false;
                brk = 0;
                continue;
            }
            let mut word = String::new();
            let flush =
                |word: &mut String, space: &mut bool, brk: &mut u8, atoms: &mut Vec<Atom>| {
                    if word.is_empty() {
                        return;
                    }
                    let w = self.width(word, span.style, size);
                    atoms.push(Atom {
                        text: std::mem::take(word),
                        style: span.style,
                        color: span.color,
                        link: span.link.clone(),
                        chip: None,
                        space_before: *space,
                        breaks: *brk,
                        width: w,
                    });
                    *space = false;
                    *brk = 0;
                };
            for c in span.text.chars() {
                if c == '\n' {
                    flush(&mut word, &mut space, &mut brk, &mut atoms);
                    brk = brk.saturating_add(1).min(2);
                    space = false;
                } else if c.is_whitespace() {
                    flush(&mut word, &mut space, &mut brk, &mut atoms);
                    space = true;
                } else {
                    word.push(c);
                }
            }
            flush(&mut word, &mut space, &mut brk, &mut atoms);
        }
        atoms
    }

    /// Break a word that is wider than a line: at a soft break point in the second half of
    /// the line when there is one, else between characters.
    fn split_word(
        &self,
        text: &str,
        style: Style,
        size: f32,
        first: f32,
        rest: f32,
    ) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut avail = first;
        let chars: Vec<char> = text.chars().collect();
        let mut start = 0;
        while start < chars.len() {
            let mut w = 0.0;
            let mut end = start;
            let mut soft: Option<usize> = None;
            while end < chars.len() {
                let cw = self.char_width(chars[end], style, size);
                if w + cw > avail && end > start {
                    break;
                }
                w += cw;
                if soft_break_after(chars[end]) && w >= avail * 0.5 {
                    soft = Some(end + 1);
                }
                end += 1;
            }
            if end < chars.len()
                && let Some(s) = soft
            {
                end = s;
            }
            pieces.push(chars[start..end].iter().collect());
            start = end;
            avail = rest;
        }
        pieces
    }

    /// Greedy word wrap of rich text into lines no wider than `max` millimetres.
    pub fn wrap(&self, spans: &[Span], size: f32, max: f32) -> Vec<Line> {
        let max = max.max(5.0);
        let mut lines: Vec<Line> = Vec::new();
        let mut cur = Line::default();
        let place =
            |cur: &mut Line, a: &Atom, text: String, width: f32, space: bool, fonts: &Fonts| {
                let sp = if space && !cur.runs.is_empty() {
                    fonts.width(" ", a.style, size)
                } else {
                    0.0
                };
                let x = cur.width + sp;
                let mergeable = a.chip.is_none()
                    && cur.runs.last().is_some_and(|r| {
                        r.chip.is_none()
                            && r.style == a.style
                            && r.color == a.color
                            && r.link == a.link
                    });
                if mergeable && let Some(r) = cur.runs.last_mut() {
                    if sp > 0.0 {
                        r.text.push(' ');
                    }
                    r.text.push_str(&text);
                    r.width = x + width - r.x;
                } else {
                    cur.runs.push(LineRun {
                        text,
                        style: a.style,
                        color: a.color,
                        link: a.link.clone(),
                        chip: a.chip,
                        x,
                        width,
                    });
                }
                cur.width = x + width;
            };
        for a in self.atoms(spans, size) {
            for _ in 0..a.breaks {
                lines.push(std::mem::take(&mut cur));
            }
            let sp = if a.space_before && !cur.runs.is_empty() {
                self.width(" ", a.style, size)
            } else {
                0.0
            };
            if cur.width + sp + a.width <= max + 0.001 {
                place(&mut cur, &a, a.text.clone(), a.width, a.space_before, self);
                continue;
            }
            if a.width <= max || a.chip.is_some() {
                if !cur.runs.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                place(&mut cur, &a, a.text.clone(), a.width.min(max), false, self);
                continue;
            }
            // Longer than a whole line: break it.
            let left = max - cur.width - sp;
            let first = if !cur.runs.is_empty() && left > max * 0.3 {
                left
            } else {
                if !cur.runs.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                max
            };
            let pieces = self.split_word(&a.text, a.style, size, first, max);
            for (i, p) in pieces.into_iter().enumerate() {
                if i > 0 {
                    lines.push(std::mem::take(&mut cur));
                }
                let w = self.width(&p, a.style, size);
                place(&mut cur, &a, p, w, i == 0 && a.space_before, self);
            }
        }
        if !cur.runs.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines
    }
}

/// Baseline of text of `size` points in a line box of height `lh` starting at `top`.
pub fn baseline(top: f32, lh: f32, size: f32) -> f32 {
    top + lh / 2.0 + 0.36 * size * PT
}

/// Line height in millimetres for a font size in points.
pub fn line_height(size: f32) -> f32 {
    size * PT * 1.38
}

/// Break a shell command so it fits `max` millimetres per line. Breaks go at spaces outside
/// single quotes and end with ` \` so the command still pastes into a shell; a token too
/// long for a line is broken hard.
pub fn wrap_command(fonts: &Fonts, cmd: &str, size: f32, max: f32) -> Vec<String> {
    let cw = fonts.width("m", Style::Mono, size).max(0.1);
    let max_chars = ((max / cw).floor() as usize).max(12);
    let mut out = Vec::new();
    for raw_line in cmd.lines() {
        let chars: Vec<char> = raw_line.chars().collect();
        let mut start = 0;
        let mut first = true;
        while start < chars.len() {
            let prefix = if first { 0 } else { 2 };
            let room = max_chars - prefix;
            if chars.len() - start <= room {
                let mut s = if first { String::new() } else { "  ".into() };
                s.extend(&chars[start..]);
                out.push(s);
                break;
            }
            // Find the last space outside single quotes that leaves room for " \".
            let (mut single, mut double) = (false, false);
            for c in &chars[..start] {
                match c {
                    '\'' if !double => single = !single,
                    '"' if !single => double = !double,
                    _ => {}
                }
            }
            let mut best: Option<usize> = None;
            for (i, c) in chars.iter().enumerate().skip(start) {
                if i - start + 2 > room {
                    break;
                }
                match c {
                    '\'' if !double => single = !single,
                    '"' if !single => double = !double,
                    ' ' if !single && i > start => best = Some(i),
                    _ => {}
                }
            }
            let mut s = if first { String::new() } else { "  ".into() };
            match best {
                Some(i) => {
                    s.extend(&chars[start..i]);
                    s.push_str(" \\");
                    start = i + 1;
                }
                None => {
                    s.extend(&chars[start..start + room]);
                    start += room;
                }
            }
            out.push(s);
            first = false;
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}
