//! The PDF export: text extracted with a PDF parser, the layout model checked against the
//! margins, determinism, drafts, fonts, outline and links.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{TimeZone, Utc};
use common::{GEO, LARGE, SMALL, TOKEN, load, model};
use upgrade_planner::export::pdf::layout::{Fonts, Item, LinkTarget};
use upgrade_planner::export::pdf::sections;
use upgrade_planner::export::{Paper, pdf, primary_url};

const SECTIONS: [&str; 11] = [
    "1 Summary",
    "2 Upgrade path",
    "3 Environment",
    "4 Architecture",
    "5 Geo",
    "6 Known issues",
    "7 Backup and restore",
    "8 Rollback",
    "9 Runbook",
    "10 Findings",
    "11 About this document",
];

/// Text of each page, as a PDF reader extracts it.
fn pages_text(bytes: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(bytes).unwrap()
}

/// Without any white space: wrapping and table cells put line breaks anywhere.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_contains(haystack: &str, needle: &str, what: &str) {
    assert!(
        haystack.contains(&squash(needle)),
        "{what}: `{needle}` not found in the PDF text"
    );
}

#[test]
fn pdf_text_has_every_section_hop_finding_and_the_non_ascii_contact() {
    for (file, expected) in [
        (
            SMALL,
            vec![
                "Zoë Müller-Łukasiewicz",
                "Société Générale de Logiciels",
                "America/New_York (UTC-05:00)",
                "sudo dnf install gitlab-ee-18.2.8-ee.0.el9",
                "/etc/gitlab/gitlab-secrets.json",
            ],
        ),
        (
            GEO,
            vec![
                "Ada Admin",
                "#512345",
                "Europe/Berlin (UTC+01:00)",
                "sudo apt-get install gitlab-ee=18.5.7-ee.0",
                "Geo secondary: eu-west",
                "Consul (3)",
            ],
        ),
    ] {
        let plan = load(file);
        let m = model(&plan, Paper::A4, false);
        let bytes = pdf::render_pdf(&m).unwrap();
        let pages = pages_text(&bytes);
        let text = squash(&pages.join("\n"));
        for s in SECTIONS {
            assert_contains(&text, s, file);
        }
        for hop in &m.path.as_ref().unwrap().hops {
            assert_contains(&text, &hop.version, file);
            assert_contains(&text, &format!("Hop {} of", hop.number), file);
        }
        assert!(!m.findings.is_empty());
        for f in &m.findings {
            assert_contains(&text, &f.message, file);
        }
        for i in &m.known_issues {
            assert_contains(&text, &i.id, file);
            assert_contains(&text, &i.doc_url, file);
        }
        for s in expected {
            assert_contains(&text, s, file);
        }
        // Identity on the first page: plan id, revision, generation time, tool, data date.
        let first = squash(&pages[0]);
        for s in [
            m.plan_id.as_str(),
            "revision",
            "2026-11-21 10:30 UTC",
            "Upgrade Planner 9.9.9-test",
            "GitLab data of 2026-11-21",
            "READY",
        ] {
            assert_contains(&first, s, file);
        }
        let n = pages.len();
        for (i, p) in pages.iter().enumerate() {
            assert_contains(&squash(p), &format!("Page {} of {n}", i + 1), file);
        }
    }
}

#[test]
fn large_plan_with_60_nodes_and_3_geo_sites_stays_inside_the_margins() {
    let plan = load(LARGE);
    let t = plan.topology.as_ref().unwrap();
    assert_eq!(t.nodes.iter().map(|n| n.count).sum::<u32>(), 60);
    assert_eq!(plan.geo.as_ref().unwrap().secondaries.len(), 3);
    let fonts = Fonts::load().unwrap();
    for paper in [Paper::A4, Paper::Letter] {
        let m = model(&plan, paper, false);
        let doc = sections::layout(&m, &fonts);
        let (w, h) = paper.size_mm();
        assert_eq!((doc.geometry.width, doc.geometry.height), (w, h));
        assert!(doc.pages.len() >= 20, "{} pages", doc.pages.len());
        let bad = doc.overflows();
        assert!(
            bad.is_empty(),
            "{paper:?}: {} items overflow: {:#?}",
            bad.len(),
            &bad[..bad.len().min(5)]
        );
        // Every page has a body and the furniture (header and page number).
        for (i, p) in doc.pages.iter().enumerate() {
            assert!(!p.body.is_empty(), "page {} is empty", i + 1);
            assert!(
                doc.page_text(i)
                    .contains(&format!("Page {} of {}", i + 1, doc.pages.len()))
            );
        }
        // The long host name that has no break point was broken, not clipped.
        let all: String = (0..doc.pages.len()).map(|i| doc.page_text(i)).collect();
        assert!(squash(&all).contains("thisisaverylonghostnamewithoutanybreakpoints"));
        // The diagram shows the roles with counts and the three secondary sites.
        for s in [
            "×12",
            "×9",
            "Geo secondary: eu-central-frankfurt",
            "ap-southeast-singapore",
        ] {
            assert!(all.contains(s) || squash(&all).contains(&squash(s)), "{s}");
        }
        let bytes = pdf::render_pdf(&m).unwrap();
        let pages = pages_text(&bytes);
        assert_eq!(pages.len(), doc.pages.len());
        assert!(
            bytes.len() < 600_000,
            "{} bytes: fonts not subset?",
            bytes.len()
        );
    }
}

#[test]
fn identical_input_gives_identical_bytes() {
    let plan = load(GEO);
    let a = pdf::render_pdf(&model(&plan, Paper::A4, false)).unwrap();
    let b = pdf::render_pdf(&model(&plan, Paper::A4, false)).unwrap();
    assert!(a == b, "two renders of the same model differ");
    let mut later = model(&plan, Paper::A4, false);
    later.meta.generated_at = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
    let c = pdf::render_pdf(&later).unwrap();
    assert!(a != c);
    // The document date is the injected time, not 1970.
    let doc = lopdf::Document::load_mem(&a).unwrap();
    let info = doc
        .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    let date = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert!(
        date.starts_with(b"D:20261121103000"),
        "{}",
        String::from_utf8_lossy(date)
    );
}

#[test]
fn drafts_are_marked_on_every_page_and_secrets_never_reach_the_pdf() {
    let plan = load(TOKEN);
    let m = model(&plan, Paper::Letter, true);
    assert!(m.counts.errors > 0);
    let bytes = pdf::render_pdf(&m).unwrap();
    let pages = pages_text(&bytes);
    assert!(pages.len() > 3);
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains("DRAFT"), "page {} is not marked DRAFT", i + 1);
    }
    let all = pages.join("\n");
    assert!(!all.contains("glpat-"), "the token reached the PDF");
    assert!(all.contains("[REDACTED]"));
    let raw = String::from_utf8_lossy(&bytes);
    assert!(!raw.contains("glpat-"));
    // Not a draft: no DRAFT mark anywhere.
    let clean = pdf::render_pdf(&model(&load(SMALL), Paper::A4, false)).unwrap();
    assert!(pages_text(&clean).iter().all(|p| !p.contains("DRAFT")));
}

#[test]
fn fonts_are_embedded_subset_and_mapped_to_unicode() {
    let bytes = pdf::render_pdf(&model(&load(LARGE), Paper::A4, false)).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let mut fonts = 0;
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"Font".as_slice())
            || d.get(b"Subtype").and_then(|t| t.as_name()).ok() != Some(b"Type0".as_slice())
        {
            continue;
        }
        fonts += 1;
        let name =
            String::from_utf8_lossy(d.get(b"BaseFont").unwrap().as_name().unwrap()).to_string();
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "{name} is not a subset"
        );
        assert!(d.get(b"ToUnicode").is_ok(), "{name} has no ToUnicode map");
        let desc = d.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]
            .as_dict()
            .unwrap();
        let fd = doc
            .get_dictionary(desc.get(b"FontDescriptor").unwrap().as_reference().unwrap())
            .unwrap();
        assert!(
            fd.get(b"FontFile2").is_ok() || fd.get(b"FontFile3").is_ok(),
            "{name} not embedded"
        );
    }
    // Sans, bold, mono, and the CJK fallback for the Japanese organisation name.
    let expected = if upgrade_planner::fonts::cjk_fallback().is_some() {
        4
    } else {
        3
    };
    assert_eq!(fonts, expected);
}

#[test]
fn outline_contents_links_and_paper() {
    let m = model(&load(GEO), Paper::Letter, false);
    let bytes = pdf::render_pdf(&m).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(
        catalog.get(b"PageMode").unwrap().as_name().unwrap(),
        b"UseOutlines"
    );
    let outlines = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 11);
    // Walk the top level: the sections in order; the runbook has the windows and hops as
    // children.
    let title = |d: &lopdf::Dictionary| {
        let raw = d.get(b"Title").unwrap().as_str().unwrap();
        let units: Vec<u16> = raw[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    };
    let mut next = outlines.get(b"First").unwrap().as_reference().ok();
    let mut titles = Vec::new();
    let mut runbook_children = Vec::new();
    while let Some(id) = next {
        let d = doc.get_dictionary(id).unwrap();
        titles.push(title(d));
        if title(d) == "9 Runbook" {
            let mut c = d.get(b"First").unwrap().as_reference().ok();
            while let Some(cid) = c {
                let cd = doc.get_dictionary(cid).unwrap();
                runbook_children.push(title(cd));
                c = cd.get(b"Next").and_then(|n| n.as_reference()).ok();
            }
        }
        next = d.get(b"Next").and_then(|n| n.as_reference()).ok();
    }
    assert_eq!(titles, SECTIONS);
    let hops = m.path.as_ref().unwrap().hops.len();
    assert_eq!(
        runbook_children
            .iter()
            .filter(|t| t.starts_with("Hop "))
            .count(),
        hops
    );
    assert!(runbook_children.contains(&"Before the first window".to_string()));
    // The hops come inside their window: the window first.
    let window = runbook_children
        .iter()
        .position(|t| t.starts_with("Upgrade window: Sat 12 Dec 2026 20:00"))
        .unwrap();
    let first_hop = runbook_children
        .iter()
        .position(|t| t.starts_with("Hop 1 of"))
        .unwrap();
    assert!(window < first_hop, "{runbook_children:?}");
    // Letter paper.
    for (_, page_id) in doc.get_pages() {
        let page = doc.get_dictionary(page_id).unwrap();
        let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let w = mb[2].as_float().unwrap();
        let h = mb[3].as_float().unwrap();
        assert!(
            (w - 612.0).abs() < 0.5 && (h - 792.0).abs() < 0.5,
            "{w} x {h}"
        );
    }
    // Known issues link to the documentation; the contents link to their pages.
    let fonts = Fonts::load().unwrap();
    let layout = sections::layout(&m, &fonts);
    let links: Vec<&LinkTarget> = layout
        .pages
        .iter()
        .flat_map(|p| p.body.iter())
        .filter_map(|i| match i {
            Item::Link { target, .. } => Some(target),
            _ => None,
        })
        .collect();
    for issue in &m.known_issues {
        assert!(
            links.contains(&&LinkTarget::Uri(primary_url(&issue.doc_url).to_string())),
            "{}",
            issue.id
        );
    }
    assert!(
        links
            .iter()
            .filter(|l| matches!(l, LinkTarget::Page { .. }))
            .count()
            >= 11
    );
    let raw = String::from_utf8_lossy(&bytes);
    assert!(!raw.contains("GTS_PDFXVersion"));
}

#[test]
fn samples_and_drafts_lay_out_inside_the_margins() {
    let fonts = Fonts::load().unwrap();
    for (file, draft) in [(SMALL, false), (GEO, false), (TOKEN, true)] {
        for paper in [Paper::A4, Paper::Letter] {
            let doc = sections::layout(&model(&load(file), paper, draft), &fonts);
            assert!(
                doc.overflows().is_empty(),
                "{file} {paper:?}: {:?}",
                doc.overflows()
            );
        }
    }
}

/// Every character the layout draws as text comes back out of the PDF, in order, on its page:
/// the content streams show each character with the code its subset font gives that glyph.
#[test]
fn every_page_reads_back_exactly_as_laid_out() {
    let fonts = Fonts::shared().unwrap();
    for (file, draft) in [(LARGE, false), (TOKEN, true), (GEO, false)] {
        let m = model(&load(file), Paper::A4, draft);
        let layout = sections::layout(&m, fonts);
        let bytes = pdf::write_pdf(&layout, &m).unwrap();
        let pages = pages_text(&bytes);
        assert_eq!(pages.len(), layout.pages.len(), "{file}");
        for (i, extracted) in pages.iter().enumerate() {
            let drawn: String = layout.pages[i]
                .items()
                .filter_map(|item| match item {
                    Item::Text(t) => Some(t.text.as_str()),
                    _ => None,
                })
                .collect();
            assert_eq!(
                squash(extracted),
                squash(&drawn),
                "{file}: page {} reads back differently",
                i + 1
            );
        }
    }
}
