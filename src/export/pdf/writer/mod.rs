//! The PDF writer: the only module that knows printpdf and lopdf (pinned, see Cargo.toml).
//!
//! It lays the model out with [`super::sections`]. printpdf writes the document around the
//! pages: the fonts the pages use (subset, with a ToUnicode map so text can be copied and
//! searched), resources, link annotations and metadata. The page content streams are written
//! here, directly from the positioned items (flipping y: the layout measures from the top, PDF
//! from the bottom), which is several times faster than going through printpdf's operations.
//! Then a nested outline and a document id derived from the plan are added through lopdf, so
//! identical input gives identical bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, ColorArray, Destination, ExtendedGraphicsState, ExtendedGraphicsStateId,
    FontId, LinkAnnotation, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Pt, Rect, TextItem,
};

use super::layout::{
    Document, FontFace, Fonts, Item, LinkTarget, OutlineEntry, Page, Rgb, Stroke, TextRun,
};
use crate::export::{ExportError, ExportModel};

mod content;

use content::{Content, FontCodes};

const MM_TO_PT: f32 = 72.0 / 25.4;

/// Resource name of the translucent graphics state the overlay is drawn with.
const OVERLAY_GS: &str = "UPGSOVERLAY";

/// A length in millimetres as points, rounded to 0.01 pt: finer than any printer, and shorter
/// to write.
fn pt(mm: f32) -> Pt {
    Pt((mm * MM_TO_PT * 100.0).round() / 100.0)
}

/// Resource name of a font; its first six letters are the subset tag.
fn font_id(face: FontFace) -> FontId {
    FontId(
        match face {
            FontFace::Sans => "UPSANS",
            FontFace::SansBold => "UPBOLD",
            FontFace::Mono => "UPMONO",
            FontFace::Cjk => "UPCJKF",
        }
        .to_string(),
    )
}

/// `face` parsed for printpdf (`None` when the build does not embed it). Each face is parsed
/// once per process: a process that exports again (the app) gets a copy.
fn parsed_font(face: FontFace) -> Result<Option<ParsedFont>, ExportError> {
    static PARSED: [OnceLock<Result<Option<ParsedFont>, String>>; 4] =
        [const { OnceLock::new() }; 4];
    let parsed = PARSED[face.index()].get_or_init(|| {
        let Some(bytes) = face.bytes() else {
            return Ok(None);
        };
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .map(Some)
            .ok_or_else(|| format!("{face:?} could not be parsed"))
    });
    parsed.clone().map_err(ExportError::Font)
}

/// What a PDF says about itself: its title and metadata, and what its document id is made
/// from (the same input gives the same id, so the same bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct PdfInfo {
    pub title: String,
    pub subject: String,
    pub author: String,
    /// `Upgrade Planner 0.1.0`.
    pub tool: String,
    pub keywords: Vec<String>,
    pub identifier: String,
    pub generated_at: chrono::DateTime<chrono::Utc>,
    /// Hashed into the document id.
    pub id_seed: String,
}

impl PdfInfo {
    /// The plan document's metadata.
    pub fn of_plan(model: &ExportModel) -> PdfInfo {
        PdfInfo {
            title: format!(
                "GitLab upgrade plan {}: {}",
                model.upgrade_line(),
                model.organization()
            ),
            subject: format!(
                "Plan {} revision {}{}",
                model.plan_id,
                model.revision,
                if model.draft { " (DRAFT)" } else { "" }
            ),
            author: model.contact.name.clone().unwrap_or_default(),
            tool: model.tool.clone(),
            keywords: vec!["GitLab".into(), "upgrade plan".into()],
            identifier: model.plan_id.clone(),
            generated_at: model.meta.generated_at,
            id_seed: format!(
                "{}|{}|{}|{}|{}|{}",
                model.plan_id,
                model.revision,
                model.meta.generated_at.timestamp(),
                model.tool,
                model.draft,
                model.paper.id()
            ),
        }
    }
}

/// The laid-out plan document as PDF bytes.
pub fn write_pdf(layout: &Document, model: &ExportModel) -> Result<Vec<u8>, ExportError> {
    let mut info = PdfInfo::of_plan(model);
    // A document made from the plan's model under its own title (the review summary).
    if let Some(title) = &layout.title {
        info.title = title.clone();
    }
    write_document(layout, &info)
}

/// A laid-out document (the plan, or another document made with the same layout engine, such
/// as the completion report of a run) as PDF bytes.
pub fn write_document(layout: &Document, info: &PdfInfo) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::shared().map_err(ExportError::Font)?;
    let chars = shown_chars(layout);
    let doc = document(layout, info, &chars)?;
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    if page_ids.len() != layout.pages.len() {
        return Err(ExportError::Pdf(format!(
            "printpdf wrote {} pages for {}",
            page_ids.len(),
            layout.pages.len()
        )));
    }
    let codes = match page_ids.first() {
        Some(first) => FontCodes::read(&lo, *first, &chars, fonts)?,
        None => FontCodes::empty(),
    };
    for (page, id) in layout.pages.iter().zip(&page_ids) {
        let bytes = page_content(page, layout.geometry.height, fonts, &codes);
        set_page_content(&mut lo, *id, bytes)?;
    }
    add_outline(&mut lo, &layout.outline, layout.geometry.height)?;
    // printpdf labels every file PDF/X; these files do not claim any PDF/X conformance.
    if let Ok(info_ref) = lo.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(Object::Dictionary(info)) = lo.get_object_mut(info_ref)
    {
        info.remove(b"GTS_PDFXVersion");
        info.remove(b"Identifier");
    }
    let id = document_id(&info.id_seed);
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    compress_streams(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// The characters each embedded font shows, sorted (the rotated watermark is drawn as
/// outlines, not text).
fn shown_chars(layout: &Document) -> BTreeMap<FontFace, Vec<char>> {
    // A set per font, not a list: a long plan shows millions of characters but few distinct.
    let mut shown: BTreeMap<FontFace, BTreeSet<char>> = BTreeMap::new();
    for p in &layout.pages {
        for item in p.items() {
            if let Item::Text(t) = item {
                shown.entry(t.face).or_default().extend(t.text.chars());
            }
        }
    }
    shown
        .into_iter()
        .filter(|(face, _)| face.bytes().is_some())
        .map(|(face, cs)| (face, cs.into_iter().collect()))
        .collect()
}

/// printpdf's document around the pages: fonts (subset to the glyphs shown), resources, link
/// annotations, metadata. The content streams are written afterwards, so its pages carry only
/// the links, the overlay's graphics state and, on the first page, each font's characters
/// once, from which it picks the glyphs to keep.
fn document(
    layout: &Document,
    info: &PdfInfo,
    chars: &BTreeMap<FontFace, Vec<char>>,
) -> Result<PdfDocument, ExportError> {
    let g = layout.geometry;
    let mut doc = PdfDocument::new(&info.title);
    for face in chars.keys() {
        let Some(parsed) = parsed_font(*face)? else {
            continue;
        };
        doc.resources
            .fonts
            .map
            .insert(font_id(*face), printpdf::font::PdfFont::new(parsed));
    }
    // The overlay (DRAFT watermark) is drawn translucent on top of everything.
    let translucent = ExtendedGraphicsStateId(OVERLAY_GS.to_string());
    doc.resources.extgstates.map.insert(
        translucent.clone(),
        ExtendedGraphicsState::default()
            .with_current_fill_alpha(0.18)
            .with_current_stroke_alpha(0.18),
    );
    doc.pages = layout
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut ops = Vec::new();
            if i == 0 {
                ops.extend(subset_ops(chars));
            }
            if !p.overlay.is_empty() {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::LoadGraphicsState {
                    gs: translucent.clone(),
                });
                ops.push(Op::RestoreGraphicsState);
            }
            for item in p.items() {
                if let Item::Link { x, y, w, h, target } = item {
                    ops.push(link_op(*x, *y, *w, *h, target, g.height));
                }
            }
            PdfPage::new(printpdf::Mm(g.width), printpdf::Mm(g.height), ops)
        })
        .collect();
    set_info(&mut doc, info)?;
    Ok(doc)
}

/// Each font's characters shown once, for printpdf to subset the fonts from.
fn subset_ops(chars: &BTreeMap<FontFace, Vec<char>>) -> Vec<Op> {
    let mut ops = Vec::new();
    for (face, used) in chars {
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font_id(*face)),
            size: Pt(10.0),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(used.iter().collect())],
        });
        ops.push(Op::EndTextSection);
    }
    ops
}

/// Dates, author, tool, subject and keywords.
fn set_info(doc: &mut PdfDocument, pdf: &PdfInfo) -> Result<(), ExportError> {
    let ts = pdf.generated_at.timestamp();
    let date = printpdf::OffsetDateTime::from_unix_timestamp(ts)
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    let info = &mut doc.metadata.info;
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.author = pdf.author.clone();
    info.creator = pdf.tool.clone();
    info.producer = pdf.tool.clone();
    info.subject = pdf.subject.clone();
    info.keywords = pdf.keywords.clone();
    info.identifier = pdf.identifier.clone();
    Ok(())
}

/// A page's content stream: body and furniture, then the overlay, translucent.
fn page_content(page: &Page, page_h: f32, fonts: &Fonts, codes: &FontCodes) -> Vec<u8> {
    let mut content = Content::new(page_h, fonts, codes);
    for item in page.body.iter().chain(&page.furniture) {
        content.item(item);
    }
    if !page.overlay.is_empty() {
        content.save_state(OVERLAY_GS);
        for item in &page.overlay {
            content.item(item);
        }
        content.restore_state();
    }
    content.finish()
}

/// Replace the content stream printpdf wrote for page `id`.
fn set_page_content(
    lo: &mut lopdf::Document,
    id: ObjectId,
    bytes: Vec<u8>,
) -> Result<(), ExportError> {
    let stream_id = match lo.get_page_contents(id).as_slice() {
        [one] => *one,
        other => {
            return Err(ExportError::Pdf(format!(
                "printpdf wrote {} content streams for a page",
                other.len()
            )));
        }
    };
    match lo.get_object_mut(stream_id) {
        Ok(Object::Stream(stream)) => {
            stream.set_content(bytes);
            Ok(())
        }
        _ => Err(ExportError::Pdf(
            "a page's content is not a stream".to_string(),
        )),
    }
}

/// Deflate level for the page and font streams. lopdf's own `compress` always uses the best
/// (slowest) level, which was half of the export's time. Level 3 costs a third of that and
/// keeps the large plan's PDF within a few per cent of the best size (see BENCHMARKS.md).
const DEFLATE_LEVEL: u32 = 3;

/// Compress every stream that may be compressed and is not yet, keeping the raw bytes where
/// deflate would not make them smaller. The streams are shared out between this thread and one
/// more, largest first; each is compressed on its own, so the bytes do not depend on which
/// thread did it.
fn compress_streams(doc: &mut lopdf::Document) -> Result<(), ExportError> {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|object| match object {
            Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => Some(s),
            _ => None,
        })
        .collect();
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let (mut here, mut there) = (Vec::new(), Vec::new());
    let (mut here_bytes, mut there_bytes) = (0usize, 0usize);
    for s in streams {
        if here_bytes <= there_bytes {
            here_bytes += s.content.len();
            here.push(s);
        } else {
            there_bytes += s.content.len();
            there.push(s);
        }
    }
    std::thread::scope(|scope| {
        let helper = scope.spawn(move || compress_each(there));
        let mine = compress_each(here);
        let theirs = helper.join().unwrap_or_else(|_| {
            Err(ExportError::Pdf(
                "compressing the PDF streams failed (internal error)".to_string(),
            ))
        });
        mine.and(theirs)
    })
}

fn compress_each(streams: Vec<&mut lopdf::Stream>) -> Result<(), ExportError> {
    use std::io::Write as _;
    for stream in streams {
        let mut encoder = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            flate2::Compression::new(DEFLATE_LEVEL),
        );
        let compressed = encoder
            .write_all(&stream.content)
            .and_then(|()| encoder.finish())
            .map_err(|e| ExportError::Pdf(format!("compressing a PDF stream failed: {e}")))?;
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    Ok(())
}

/// The link annotation printpdf writes for a link item.
fn link_op(x: f32, y: f32, w: f32, h: f32, target: &LinkTarget, page_h: f32) -> Op {
    let actions = match target {
        LinkTarget::Uri(u) => Actions::Uri(u.clone()),
        LinkTarget::Page { page, y } => Actions::Goto(Destination::Xyz {
            page: page + 1,
            left: None,
            top: Some(pt(page_h - y + 2.0).0),
            zoom: None,
        }),
    };
    Op::LinkAnnotation {
        link: LinkAnnotation::new(
            Rect {
                x: pt(x),
                y: pt(page_h - y - h),
                width: pt(w),
                height: pt(h),
                mode: None,
                winding_order: None,
            },
            actions,
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            Some(ColorArray::Transparent),
            None,
        ),
    }
}

/// A text string for the PDF (UTF-16BE with a byte-order mark).
fn pdf_text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A top-level outline entry, its object id and its children.
type OutlineNode<'a> = (
    &'a OutlineEntry,
    ObjectId,
    Vec<(&'a OutlineEntry, ObjectId)>,
);

/// Write the outline (bookmarks): sections, with their children (runbook hops) nested.
fn add_outline(
    doc: &mut lopdf::Document,
    entries: &[OutlineEntry],
    page_h: f32,
) -> Result<(), ExportError> {
    if entries.is_empty() {
        return Ok(());
    }
    let pages = doc.get_pages();
    let page_id = |i: usize| -> Option<ObjectId> { pages.get(&(i as u32 + 1)).copied() };
    let root = doc.new_object_id();
    // (entry, object id, children)
    let mut tops: Vec<OutlineNode<'_>> = Vec::new();
    for e in entries {
        let id = doc.new_object_id();
        if e.level == 0 || tops.is_empty() {
            tops.push((e, id, Vec::new()));
        } else if let Some(last) = tops.last_mut() {
            last.2.push((e, id));
        }
    }
    let dest = |e: &OutlineEntry| -> Object {
        let page = page_id(e.page).map_or(Object::Null, Object::Reference);
        Object::Array(vec![
            page,
            Object::Name(b"XYZ".to_vec()),
            Object::Null,
            Object::Real(pt(page_h - e.y + 2.0).0),
            Object::Null,
        ])
    };
    let mut total = 0i64;
    for (i, (e, id, children)) in tops.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", pdf_text(&e.title));
        d.set("Parent", Object::Reference(root));
        d.set("Dest", dest(e));
        if i > 0 {
            d.set("Prev", Object::Reference(tops[i - 1].1));
        }
        if let Some(next) = tops.get(i + 1) {
            d.set("Next", Object::Reference(next.1));
        }
        if let (Some(first), Some(last)) = (children.first(), children.last()) {
            d.set("First", Object::Reference(first.1));
            d.set("Last", Object::Reference(last.1));
            // Negative: closed by default, so the outline starts with the sections only.
            d.set("Count", Object::Integer(-(children.len() as i64)));
        }
        for (j, (c, cid)) in children.iter().enumerate() {
            let mut cd = Dictionary::new();
            cd.set("Title", pdf_text(&c.title));
            cd.set("Parent", Object::Reference(*id));
            cd.set("Dest", dest(c));
            if j > 0 {
                cd.set("Prev", Object::Reference(children[j - 1].1));
            }
            if let Some(next) = children.get(j + 1) {
                cd.set("Next", Object::Reference(next.1));
            }
            doc.set_object(*cid, cd);
        }
        doc.set_object(*id, d);
        total += 1;
    }
    let mut r = Dictionary::new();
    r.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (tops.first(), tops.last()) {
        r.set("First", Object::Reference(first.1));
        r.set("Last", Object::Reference(last.1));
    }
    r.set("Count", Object::Integer(total));
    doc.set_object(root, r);
    let catalog = doc
        .catalog_mut()
        .map_err(|e| ExportError::Pdf(format!("no catalog: {e}")))?;
    catalog.set("Outlines", Object::Reference(root));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// A stable document id: a hash of what identifies this export.
fn document_id(input: &str) -> Vec<u8> {
    // FNV-1a, 64 bits, twice with different seeds: 16 bytes.
    let mut out = Vec::with_capacity(16);
    for seed in [0xcbf2_9ce4_8422_2325_u64, 0x8422_2325_cbf2_9ce4_u64] {
        let mut h = seed;
        for b in input.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.extend_from_slice(&h.to_be_bytes());
    }
    out
}
