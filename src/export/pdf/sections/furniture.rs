//! The page furniture: header, footer with "Page x of y", and the DRAFT marks.

use super::super::layout::{Document, PT, Stroke, TextRun};
use super::*;

/// `text` when it fits in `max`, else its longest prefix that fits with an ellipsis after it.
fn fitted(fonts: &Fonts, text: &str, style: Style, size: f32, max: f32) -> String {
    if fonts.width(text, style, size) <= max {
        return text.to_string();
    }
    // Widths grow with the prefix, so search the character boundaries for the last prefix
    // that fits (the empty one always counts as fitting).
    let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let fits = |end: usize| fonts.width(&format!("{}…", &text[..end]), style, size) <= max;
    let (mut lo, mut hi) = (0usize, ends.len());
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if fits(ends[mid]) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let end = ends.get(lo).copied().unwrap_or(0);
    format!("{}…", text[..end].trim_end())
}

pub(super) fn furniture(doc: &mut Document, m: &ExportModel, fonts: &Fonts) {
    let g = doc.geometry;
    let n = doc.pages.len();
    let size = 7.0;
    let head_base = g.margin_top + 4.6;
    let rule_y = g.margin_top + 6.5;
    let foot_rule = g.body_bottom + 3.0;
    let foot_base = g.body_bottom + 6.8;
    let left = g.left();
    let right = g.right();
    let text_run =
        |text: &str, style: Style, size: f32, color: Rgb, x: f32, base: f32| -> Vec<Item> {
            let mut x = x;
            fonts
                .runs(text, style)
                .into_iter()
                .map(|(face, s)| {
                    let w = fonts.face_width(face, &s, size);
                    let run = Item::Text(TextRun {
                        x,
                        baseline: base,
                        size,
                        face,
                        color,
                        text: s,
                        width: w,
                    });
                    x += w;
                    run
                })
                .collect()
        };
    let rule = |y: f32| Item::Line {
        x1: left,
        y1: y,
        x2: right,
        y2: y,
        stroke: Stroke {
            color: LIGHT,
            width: 0.25,
            dashed: false,
        },
    };
    // The header is the same on every page but the first.
    let right_text = format!("Plan {} · revision {}", short_id(&m.plan_id), m.revision);
    let rw = fonts.width(&right_text, Style::Regular, size);
    let draft_mark = "DRAFT — NOT FOR SUBMISSION";
    let dw = if m.draft {
        fonts.width(draft_mark, Style::Bold, size + 0.5) + 4.0
    } else {
        0.0
    };
    let left_text = fitted(
        fonts,
        &format!(
            "{} · GitLab upgrade plan {}",
            m.organization(),
            m.upgrade_line()
        ),
        Style::Regular,
        size,
        right - left - rw - dw - 6.0,
    );
    for (i, page) in doc.pages.iter_mut().enumerate() {
        let mut items = Vec::new();
        // Header.
        if m.draft {
            items.extend(text_run(
                draft_mark,
                Style::Bold,
                size + 0.5,
                RED,
                left,
                head_base,
            ));
        }
        if i > 0 {
            items.extend(text_run(
                &left_text,
                Style::Regular,
                size,
                GREY,
                left + dw,
                head_base,
            ));
        }
        items.extend(text_run(
            &right_text,
            Style::Regular,
            size,
            GREY,
            right - rw,
            head_base,
        ));
        items.push(rule(rule_y));
        // Footer.
        items.push(rule(foot_rule));
        let page_text = format!("Page {} of {n}", i + 1);
        let pw = fonts.width(&page_text, Style::Bold, size);
        let foot = fitted(
            fonts,
            &format!(
                "Generated {} · {} · GitLab data of {}",
                m.generated_at, m.tool, m.data_date
            ),
            Style::Regular,
            size,
            right - left - pw - 6.0,
        );
        items.extend(text_run(&foot, Style::Regular, size, GREY, left, foot_base));
        items.extend(text_run(
            &page_text,
            Style::Bold,
            size,
            HEAD,
            right - pw,
            foot_base,
        ));
        page.furniture.extend(items);

        if m.draft {
            // A large diagonal DRAFT over the content (the PDF draws it translucent).
            let wsize = 96.0;
            let word = "DRAFT";
            let w = fonts.width(word, Style::Bold, wsize);
            let cap = 0.73 * wsize * PT;
            let (cx, cy) = (g.width / 2.0, g.height / 2.0);
            let a = 45.0_f32.to_radians();
            let (s, c) = a.sin_cos();
            // Start of the baseline so that the text's centre lands on the page centre.
            let x = cx - (w / 2.0) * c + (cap / 2.0) * s;
            let base = cy + (w / 2.0) * s + (cap / 2.0) * c;
            let runs = fonts.runs(word, Style::Bold);
            if let Some((face, text)) = runs.into_iter().next() {
                page.overlay.push(Item::Rotated {
                    run: TextRun {
                        x,
                        baseline: base,
                        size: wsize,
                        face,
                        color: WATERMARK,
                        text,
                        width: w,
                    },
                    degrees: 45.0,
                });
            }
        }
    }
}

fn short_id(id: &str) -> String {
    id.split('-').next().unwrap_or(id).to_string()
}
