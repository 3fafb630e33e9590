use super::*;

fn fonts() -> Fonts {
    Fonts::load().unwrap()
}

#[test]
fn the_shared_fonts_are_parsed_once() {
    let a = Fonts::shared().unwrap();
    let b = Fonts::shared().unwrap();
    assert!(std::ptr::eq(a, b));
    assert_eq!(
        a.width("GitLab", Style::Regular, 10.0),
        fonts().width("GitLab", Style::Regular, 10.0)
    );
}

#[test]
fn measures_text_with_the_embedded_font() {
    let f = fonts();
    let w = f.width("GitLab", Style::Regular, 10.0);
    assert!(w > 10.0 && w < 14.0, "{w}");
    assert!(f.width("GitLab", Style::Bold, 10.0) > w);
    let m = f.width("mmmmmmmmmm", Style::Mono, 10.0);
    let i = f.width("iiiiiiiiii", Style::Mono, 10.0);
    assert!((m - i).abs() < 0.001);
}

#[test]
fn wraps_words_and_hard_breaks_long_host_names() {
    let f = fonts();
    let host = "gitaly-cluster-node-0001.eu-central-1.compute.internal.very-long-corporate-domain.example.com";
    let spans = [Span::plain(format!(
        "Hosts: {host} and more words after it"
    ))];
    let lines = f.wrap(&spans, 9.0, 60.0);
    assert!(lines.len() >= 3, "{lines:?}");
    for l in &lines {
        assert!(l.width <= 60.0 + 0.01, "{l:?}");
    }
    let joined: String = lines
        .iter()
        .flat_map(|l| l.runs.iter().map(|r| r.text.clone()))
        .collect::<Vec<_>>()
        .join("");
    assert!(joined.replace(' ', "").contains(&host.replace(' ', "")));
    // Breaks prefer the dots and dashes of the host name.
    assert!(
        lines
            .iter()
            .any(|l| l.runs.iter().any(|r| r.text.ends_with(['.', '-']))),
        "{lines:?}"
    );
}

#[test]
fn hard_line_breaks_and_mixed_styles() {
    let f = fonts();
    let lines = f.wrap(
        &[Span::bold("Title:"), Span::plain(" one\ntwo")],
        9.0,
        100.0,
    );
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].runs.len(), 2);
    assert_eq!(lines[1].runs[0].text, "two");
}

#[test]
fn fallback_splits_runs_by_font() {
    let f = fonts();
    let runs = f.runs("Zoë 株式会社", Style::Bold);
    assert_eq!(runs[0], (FontFace::SansBold, "Zoë ".to_string()));
    if crate::fonts::cjk_fallback().is_some() {
        assert_eq!(runs[1], (FontFace::Cjk, "株式会社".to_string()));
    }
    let mono = f.runs("→ ok", Style::Mono);
    assert!(mono.iter().all(|(_, s)| !s.is_empty()));
}

#[test]
fn commands_wrap_with_continuations_outside_single_quotes() {
    let f = fonts();
    let cmd = "sudo gitlab-psql -c \"SELECT job_class_name, table_name, column_name, job_arguments FROM batched_background_migrations WHERE status NOT IN(3, 6);\"";
    let lines = wrap_command(&f, cmd, 7.5, 80.0);
    assert!(lines.len() > 1);
    for l in &lines[..lines.len() - 1] {
        assert!(l.ends_with(" \\"), "{l}");
    }
    // Joining the continuations gives the command back.
    let joined = lines
        .iter()
        .map(|l| l.trim_end_matches(" \\").trim_start())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(joined, cmd);
    let q = "sudo gitlab-rails runner -e production 'puts Gitlab::Database::BackgroundMigration::BatchedMigration.queued.count'";
    let lines = wrap_command(&f, q, 7.5, 80.0);
    assert!(
        lines[0].ends_with('\\') && !lines[0].contains('\''),
        "{lines:?}"
    );
}

#[test]
fn tables_repeat_their_header_on_every_page() {
    let f = fonts();
    let mut flow = Flow::new(&f, Geometry::for_paper(210.0, 297.0));
    let rows = (0..120)
        .map(|i| TableRow {
            cells: vec![
                vec![Span::plain(format!("row {i}"))],
                vec![Span::plain("some text that wraps ".repeat(i % 5 + 1))],
            ],
            fill: None,
        })
        .collect();
    flow.table(&Table {
        columns: vec![
            Column {
                title: "Name".into(),
                weight: 1.0,
            },
            Column {
                title: "Text".into(),
                weight: 3.0,
            },
        ],
        rows,
        size: 8.0,
        header_fill: Rgb(0, 0, 0),
        header_color: Rgb::WHITE,
        rule: Rgb(200, 200, 200),
    });
    let doc = flow.finish();
    assert!(doc.pages.len() >= 3);
    for (i, _) in doc.pages.iter().enumerate() {
        assert!(doc.page_text(i).starts_with("Name Text"), "page {i}");
    }
    assert!(doc.overflows().is_empty(), "{:?}", doc.overflows());
}
