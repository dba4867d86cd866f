//! Printable certificates: one A4 page in PDF that carries its credential.
//!
//! [`certificate`] draws the page someone would frame (the learner, the
//! achievement, its learning outcomes, the score, the issuer, a QR code to
//! verify it) and attaches the signed credential's JSON to the document as
//! the embedded file `credential.json` (listed in the catalog's
//! `/EmbeddedFiles` name tree and in its `/AF` array, as PDF/A-3 lists
//! attachments, though the file claims no PDF/A conformance).
//! The text is set in the two bundled DejaVu Sans faces, embedded whole as
//! Identity-H CID fonts with a `/ToUnicode` map, so that copying the text
//! or `pdftotext` gives back every accent and French space.
//!
//! [`extract`] takes the credential back out, for `brevet verify
//! certificate.pdf` (see `read`). A PDF that carries two credentials is
//! refused, as a badge that carries two is.
//!
//! Pure: bytes in, bytes out; the same certificate gives the same bytes.

use std::collections::BTreeMap;
use std::io::Write as _;

use ab_glyph::{Font as _, FontRef, GlyphId};
use pdf_writer::types::{AssociationKind, CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcodegen::{QrCode, QrCodeEcc};

use crate::share::artwork::{FONT_BOLD, FONT_REGULAR, GOLD, NAVY, Rgb, SLATE};

/// What a certificate says, already worded and formatted in its language.
#[derive(Debug, Clone, Copy)]
pub struct Certificate<'a> {
    /// The credential's language, a BCP 47 tag ("fr", "fr-FR", "en"):
    /// French labels for French, English ones otherwise. Also the PDF's
    /// `/Lang`.
    pub language: &'a str,
    /// The learner's name.
    pub learner: &'a str,
    /// The achievement: the exam's title.
    pub achievement: &'a str,
    /// The skill block the exam certifies, if it names one.
    pub skill_block: Option<&'a str>,
    /// The learning outcomes, listed with bullets.
    pub learning_outcomes: &'a [String],
    /// The learner's score, formatted ("83.3 %", "83,3 %").
    pub score: &'a str,
    /// The score required to pass, formatted likewise.
    pub required: &'a str,
    /// The day the credential was issued, formatted.
    pub issued_on: &'a str,
    /// The issuer's name.
    pub issuer_name: &'a str,
    /// The issuer's country, in words.
    pub issuer_country: Option<&'a str>,
    /// How the exam was supervised, in words.
    pub supervision: Option<&'a str>,
    /// What the QR code encodes: a verification URL, or the credential's id.
    pub verify_at: &'a str,
    /// The credential's id, printed in small type under the QR code.
    pub credential_id: &'a str,
    /// Issued by the demonstration issuer: the page says it certifies
    /// nothing.
    pub demo: bool,
}

/// The name of the attached credential.
const ATTACHMENT: &str = "credential.json";

/// The page: A4 portrait, in points.
const WIDTH: f32 = 595.276;
/// The page's height.
const HEIGHT: f32 = 841.89;
/// From the page's edge to the outer border.
const OUTER: f32 = 24.0;
/// From the page's edge to the inner border.
const INNER: f32 = 30.0;
/// The width of centred text.
const TEXT_WIDTH: f32 = WIDTH - 2.0 * 72.0;
/// The width of the list of outcomes.
const LIST_WIDTH: f32 = TEXT_WIDTH - 20.0;
/// The width of the footer's date and issuer.
const COLUMN_WIDTH: f32 = 180.0;
/// The top of the body's first line.
const BODY_TOP: f32 = HEIGHT - 76.0;
/// The lowest the body may reach: the footer is below.
const BODY_FLOOR: f32 = 232.0;
/// The height of the ornament under the title.
const ORNAMENT: f32 = 22.0;
/// The side of the QR code, quiet zone included.
const QR_SIDE: f32 = 96.0;
/// The bottom of the QR code.
const QR_BOTTOM: f32 = 100.0;
/// The QR code's quiet zone, in modules.
const QUIET: i32 = 4;
/// The outcome sizes tried, largest first, until the list fits.
const OUTCOME_SIZES: [f32; 3] = [11.0, 10.0, 9.0];

impl Rgb {
    /// The channels as PDF wants them, from 0 to 1.
    fn channels(self) -> [f32; 3] {
        [self.0, self.1, self.2].map(|c| f32::from(c) / 255.0)
    }

    /// Makes this the fill colour.
    fn fill(self, content: &mut Content) {
        let [r, g, b] = self.channels();
        content.set_fill_rgb(r, g, b);
    }

    /// Makes this the stroke colour.
    fn stroke(self, content: &mut Content) {
        let [r, g, b] = self.channels();
        content.set_stroke_rgb(r, g, b);
    }
}

/// A dark red, for the demonstration warning.
const RED: Rgb = Rgb(0x9b, 0x22, 0x26);

/// How a run of text is set.
#[derive(Clone, Copy)]
struct Style {
    /// The bold face, or the regular one.
    bold: bool,
    /// The size, in points.
    size: f32,
    /// The colour.
    color: Rgb,
    /// Extra space after each letter, in points.
    tracking: f32,
}

impl Style {
    /// Regular text.
    const fn regular(size: f32, color: Rgb) -> Self {
        Self {
            bold: false,
            size,
            color,
            tracking: 0.0,
        }
    }

    /// Bold text.
    const fn bold(size: f32, color: Rgb) -> Self {
        Self {
            bold: true,
            size,
            color,
            tracking: 0.0,
        }
    }

    /// Small capitals' stand-in: bold gold letters, spaced.
    const fn heading(size: f32) -> Self {
        Self {
            bold: true,
            size,
            color: GOLD,
            tracking: 1.2,
        }
    }
}

/// The language of a certificate's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    /// English.
    En,
    /// French, with its typography: a narrow no-break space (U+202F)
    /// before `: ; ! ?` and inside « ».
    Fr,
}

/// The labels, one function each, in each language.
impl Lang {
    /// French for a tag whose primary language is `fr`, English otherwise.
    fn of(tag: &str) -> Self {
        if super::is_french(tag) {
            Self::Fr
        } else {
            Self::En
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::En => "Certificate of achievement",
            Self::Fr => "Certificat de réussite",
        }
    }

    fn awarded_to(self) -> &'static str {
        match self {
            Self::En => "awarded to",
            Self::Fr => "décerné à",
        }
    }

    fn for_passing(self) -> &'static str {
        match self {
            Self::En => "for passing the exam",
            Self::Fr => "pour la réussite de l’examen",
        }
    }

    fn skill_block(self, block: &str) -> String {
        match self {
            Self::En => format!("Skill block: {block}"),
            Self::Fr => format!("Bloc de compétences\u{202F}: {block}"),
        }
    }

    fn outcomes(self) -> &'static str {
        match self {
            Self::En => "LEARNING OUTCOMES",
            Self::Fr => "ACQUIS D’APPRENTISSAGE",
        }
    }

    /// The line that ends a list cut short, `left` outcomes left out.
    fn more(self, left: usize) -> String {
        match (self, left) {
            (Self::En, 1) => "… and 1 more, listed in the attached credential".to_owned(),
            (Self::En, n) => format!("… and {n} more, listed in the attached credential"),
            (Self::Fr, 1) => "… et 1 autre, dans l’attestation jointe".to_owned(),
            (Self::Fr, n) => format!("… et {n} autres, dans l’attestation jointe"),
        }
    }

    fn score(self, score: &str, required: &str) -> String {
        match self {
            Self::En => format!("Score: {score} (required {required})"),
            Self::Fr => format!("Résultat\u{202F}: {score} (seuil de réussite {required})"),
        }
    }

    fn supervision(self, how: &str) -> String {
        match self {
            Self::En => format!("Supervision: {how}"),
            Self::Fr => format!("Surveillance\u{202F}: {how}"),
        }
    }

    fn date(self) -> &'static str {
        match self {
            Self::En => "DATE OF ISSUE",
            Self::Fr => "DATE DE DÉLIVRANCE",
        }
    }

    fn issuer(self) -> &'static str {
        match self {
            Self::En => "ISSUED BY",
            Self::Fr => "DÉLIVRÉ PAR",
        }
    }

    fn scan(self) -> &'static str {
        match self {
            Self::En => "Scan to verify",
            Self::Fr => "Scannez pour vérifier",
        }
    }

    fn attached(self) -> &'static str {
        match self {
            Self::En => {
                "The signed credential (Open Badges 3.0) is attached to this PDF: \
                 anyone can check it with “brevet verify”."
            }
            Self::Fr => {
                "L’attestation signée (Open Badges 3.0) est jointe à ce PDF\u{202F}: \
                 chacun peut la vérifier avec «\u{202F}brevet verify\u{202F}»."
            }
        }
    }

    fn demo(self) -> &'static str {
        match self {
            Self::En => "Demo issuer: not for real certification.",
            Self::Fr => "Émetteur de démonstration\u{202F}: sans valeur de certification.",
        }
    }

    /// What the attachment is, for a PDF reader's list of attachments.
    fn attachment(self) -> &'static str {
        match self {
            Self::En => "The signed credential (Open Badges 3.0)",
            Self::Fr => "L’attestation signée (Open Badges 3.0)",
        }
    }
}

/// One of the two bundled faces, with the glyphs a page uses.
struct Face {
    font: FontRef<'static>,
    /// The TrueType file, embedded whole.
    data: &'static [u8],
    /// Its PDF name, with a subset-style tag.
    base_font: &'static [u8],
    /// Its name in the page's resources.
    resource: &'static [u8],
    /// The dominant vertical stem's width, in thousandths of an em.
    stem_v: f32,
    /// Font units per em.
    units: f32,
    /// The glyphs used, each with the first character drawn with it.
    used: BTreeMap<u16, char>,
}

impl Face {
    /// The face in `data`, a bundled font.
    fn new(
        data: &'static [u8],
        base_font: &'static [u8],
        resource: &'static [u8],
        stem_v: f32,
    ) -> Self {
        // The bundled files are fonts: tested below.
        let Ok(font) = FontRef::try_from_slice(data) else {
            unreachable!("the bundled fonts parse")
        };
        let units = font.units_per_em().unwrap_or(2048.0);
        Self {
            font,
            data,
            base_font,
            resource,
            stem_v,
            units,
            used: BTreeMap::new(),
        }
    }

    /// `units` font units in thousandths of an em, as PDF fonts measure.
    fn thousandths(&self, units: f32) -> f32 {
        (units * 1000.0 / self.units).round()
    }

    /// The font's bounding box: all its glyphs' boxes together.
    fn bbox(&self) -> Rect {
        // ab_glyph's outline bounds have y down: `min.y` is the top.
        let (mut left, mut bottom, mut right, mut top) = (0.0_f32, 0.0_f32, 0.0_f32, 0.0_f32);
        for id in 0..self.font.glyph_count() {
            let Some(outline) = u16::try_from(id)
                .ok()
                .and_then(|id| self.font.outline(GlyphId(id)))
            else {
                continue;
            };
            left = left.min(outline.bounds.min.x);
            right = right.max(outline.bounds.max.x);
            top = top.max(outline.bounds.min.y);
            bottom = bottom.min(outline.bounds.max.y);
        }
        Rect::new(
            self.thousandths(left),
            self.thousandths(bottom),
            self.thousandths(right),
            self.thousandths(top),
        )
    }

    /// The height of capitals: the top of "H".
    fn cap_height(&self) -> f32 {
        let top = self
            .font
            .outline(self.font.glyph_id('H'))
            .map_or(self.font.ascent_unscaled() * 0.7, |o| o.bounds.min.y);
        self.thousandths(top)
    }
}

/// A line of text placed on the page; `x` is its left end, `y` its
/// baseline.
struct Run {
    style: Style,
    text: String,
    x: f32,
    y: f32,
}

/// A block of lines in the body, one under another.
struct Block {
    style: Style,
    lines: Vec<String>,
    /// From one baseline to the next.
    leading: f32,
    /// The space above the block.
    before: f32,
    /// Left-aligned after a bullet, or centred.
    bullet: bool,
}

impl Block {
    /// The height it takes, the space above included.
    fn height(&self) -> f32 {
        self.before + self.leading * self.lines.len() as f32
    }
}

/// What the body is made of, top to bottom.
enum Part {
    Text(Block),
    /// Gold rules and a diamond, under the title.
    Ornament,
}

impl Part {
    /// The height it takes.
    fn height(&self) -> f32 {
        match self {
            Self::Text(block) => block.height(),
            Self::Ornament => ORNAMENT,
        }
    }
}

/// The page being drawn: its graphics, and its text, encoded last.
struct Page {
    regular: Face,
    bold: Face,
    graphics: Content,
    runs: Vec<Run>,
}

impl Page {
    /// A blank page, the bundled faces ready.
    fn new() -> Self {
        Self {
            regular: Face::new(FONT_REGULAR, b"BRVTAA+DejaVuSans", b"F1", 80.0),
            bold: Face::new(FONT_BOLD, b"BRVTAB+DejaVuSans-Bold", b"F2", 140.0),
            graphics: Content::new(),
            runs: Vec::new(),
        }
    }

    /// The bold face, or the regular one.
    fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }

    /// The width of `text` in `style`, kerned, in points.
    fn width(&self, style: Style, text: &str) -> f32 {
        let face = self.face(style.bold);
        let mut units = 0.0;
        let mut previous = None;
        let mut letters = 0_u16;
        for c in text.chars() {
            let id = face.font.glyph_id(c);
            if let Some(p) = previous {
                units += face.font.kern_unscaled(p, id);
            }
            units += face.font.h_advance_unscaled(id);
            previous = Some(id);
            letters = letters.saturating_add(1);
        }
        units * style.size / face.units + style.tracking * f32::from(letters.saturating_sub(1))
    }

    /// `text` in lines no wider than `width`, broken between its
    /// [`words`], a word wider than a line between its letters;
    /// no more than `limit` lines, the text left over left out.
    fn lines(&self, style: Style, text: &str, width: f32, limit: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in super::words(text) {
            let joined = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(style, &joined) <= width {
                line = joined;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if lines.len() >= limit {
                return lines;
            }
            if self.width(style, word) <= width {
                word.clone_into(&mut line);
                continue;
            }
            for c in word.chars() {
                line.push(c);
                if line.chars().nth(1).is_some() && self.width(style, &line) > width {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                    if lines.len() >= limit {
                        return lines;
                    }
                }
            }
        }
        if !line.is_empty() && lines.len() < limit {
            lines.push(line);
        }
        lines
    }

    /// `text` in at most `max_lines` lines no wider than `width` (see
    /// [`Self::lines`]), the last ending with "…" when text is left over.
    fn wrap(&self, style: Style, text: &str, width: f32, max_lines: usize) -> Vec<String> {
        let mut lines = self.lines(style, text, width, max_lines.saturating_add(1));
        if lines.len() > max_lines {
            let over = lines.split_off(max_lines);
            if let Some(last) = lines.last_mut() {
                *last = self.ellipsis(style, &format!("{last} {}", over.join(" ")), width);
            }
        }
        lines
    }

    /// Like [`Self::wrap`], the lines made as even as they can be
    /// without taking one more: for centred text.
    fn balanced(&self, style: Style, text: &str, width: f32, max_lines: usize) -> Vec<String> {
        let count = self
            .lines(style, text, width, max_lines.saturating_add(1))
            .len();
        let longest_word = super::words(text)
            .map(|word| self.width(style, word))
            .fold(0.0_f32, f32::max);
        if count < 2 || count > max_lines || longest_word > width {
            return self.wrap(style, text, width, max_lines);
        }
        // The narrowest width that takes no more lines, by bisection.
        let (mut low, mut high) = (longest_word.max(width / count as f32), width);
        for _ in 0..10 {
            let middle = (low + high) / 2.0;
            if self.lines(style, text, middle, count + 1).len() <= count {
                high = middle;
            } else {
                low = middle;
            }
        }
        self.lines(style, text, high, count)
    }

    /// `line` cut short enough to end with "…" within `width`.
    fn ellipsis(&self, style: Style, line: &str, width: f32) -> String {
        let mut kept = line.trim_end().to_owned();
        loop {
            let cut = format!("{kept}…");
            if kept.is_empty() || self.width(style, &cut) <= width {
                return cut;
            }
            kept.pop();
            kept.truncate(kept.trim_end().len());
        }
    }

    /// `text` centred in at most `max_lines` lines, in `style`, made a
    /// point smaller at a time down to `smallest` until it fits whole, else
    /// cut short.
    fn block(
        &self,
        style: Style,
        smallest: f32,
        text: &str,
        max_lines: usize,
        before: f32,
    ) -> Block {
        let mut style = style;
        let fits = |style: Style| {
            self.lines(style, text, TEXT_WIDTH, max_lines.saturating_add(1))
                .len()
                <= max_lines
        };
        while !fits(style) && style.size - 1.0 >= smallest {
            style.size -= 1.0;
        }
        let lines = if fits(style) {
            self.balanced(style, text, TEXT_WIDTH, max_lines)
        } else {
            self.wrap(style, text, TEXT_WIDTH, max_lines)
        };
        Block {
            style,
            lines,
            leading: leading(style.size),
            before,
            bullet: false,
        }
    }

    /// Places `text` with its left end at `x`.
    fn text(&mut self, style: Style, text: &str, x: f32, y: f32) {
        self.runs.push(Run {
            style,
            text: text.to_owned(),
            x,
            y,
        });
    }

    /// Places `text` centred on `centre`.
    fn centred(&mut self, style: Style, text: &str, centre: f32, y: f32) {
        let x = centre - self.width(style, text) / 2.0;
        self.text(style, text, x, y);
    }

    /// A horizontal rule of `length` centred on `centre`.
    fn rule(&mut self, centre: f32, y: f32, length: f32, width: f32, color: Rgb) {
        let content = &mut self.graphics;
        color.stroke(content);
        content.set_line_width(width);
        content.move_to(centre - length / 2.0, y);
        content.line_to(centre + length / 2.0, y);
        content.stroke();
    }

    /// The double border: navy outside, gold inside, with a small gold
    /// diamond inside each corner.
    fn border(&mut self) {
        let content = &mut self.graphics;
        NAVY.stroke(content);
        content.set_line_width(1.6);
        content.rect(OUTER, OUTER, WIDTH - 2.0 * OUTER, HEIGHT - 2.0 * OUTER);
        content.stroke();
        GOLD.stroke(content);
        content.set_line_width(0.7);
        content.rect(INNER, INNER, WIDTH - 2.0 * INNER, HEIGHT - 2.0 * INNER);
        content.stroke();
        GOLD.fill(content);
        let inset = INNER + 9.0;
        for (x, y) in [
            (inset, inset),
            (WIDTH - inset, inset),
            (inset, HEIGHT - inset),
            (WIDTH - inset, HEIGHT - inset),
        ] {
            diamond(content, x, y, 3.0);
        }
    }

    /// The ornament whose top is at `top`: two gold rules and a diamond.
    fn ornament(&mut self, top: f32) {
        let y = top - ORNAMENT / 2.0;
        let centre = WIDTH / 2.0;
        self.rule(centre - 46.0, y, 72.0, 0.8, GOLD);
        self.rule(centre + 46.0, y, 72.0, 0.8, GOLD);
        GOLD.fill(&mut self.graphics);
        diamond(&mut self.graphics, centre, y, 4.0);
    }

    /// The QR code of `text` (error correction M, or better when it comes
    /// free) with its lower left corner at (`x`, `y`), `side` points wide
    /// with its quiet zone, one rectangle per run of dark modules in a row.
    /// Whether it was drawn: `text` may be too long for a QR code.
    fn qr(&mut self, text: &str, x: f32, y: f32, side: f32) -> bool {
        let Ok(code) = QrCode::encode_text(text, QrCodeEcc::Medium) else {
            return false;
        };
        let size = code.size();
        let module = side / (size + 2 * QUIET) as f32;
        let content = &mut self.graphics;
        NAVY.fill(content);
        for row in 0..size {
            let top = y + side - (QUIET + row) as f32 * module;
            let mut column = 0;
            while column < size {
                if !code.get_module(column, row) {
                    column += 1;
                    continue;
                }
                let start = column;
                while column < size && code.get_module(column, row) {
                    column += 1;
                }
                let left = x + (QUIET + start) as f32 * module;
                content.rect(left, top - module, (column - start) as f32 * module, module);
            }
        }
        content.fill_nonzero();
        true
    }

    /// The body: everything from the title down to the supervision,
    /// with as many learning outcomes as fit, as large as they fit.
    fn body(&self, c: &Certificate<'_>, lang: Lang) -> Vec<Part> {
        // (style, smallest size, text, most lines, space before), for the
        // texts that the page shows.
        let text = |style, smallest, text: &str, lines, before| {
            Part::Text(self.block(style, smallest, text, lines, before))
        };
        let skill_block = c.skill_block.map(|b| lang.skill_block(b));
        let supervision = c.supervision.map(|how| lang.supervision(how));
        let score = lang.score(c.score, c.required);
        let mut head = vec![
            text(Style::bold(30.0, NAVY), 22.0, lang.title(), 2, 0.0),
            Part::Ornament,
        ];
        if c.demo {
            head.push(text(Style::bold(10.5, RED), 10.5, lang.demo(), 2, 2.0));
        }
        head.extend([
            text(
                Style::regular(12.0, SLATE),
                12.0,
                lang.awarded_to(),
                1,
                12.0,
            ),
            text(Style::bold(28.0, NAVY), 18.0, c.learner, 2, 4.0),
            text(
                Style::regular(12.0, SLATE),
                12.0,
                lang.for_passing(),
                1,
                14.0,
            ),
            text(Style::bold(18.0, NAVY), 13.0, c.achievement, 3, 4.0),
        ]);
        if let Some(block) = &skill_block {
            head.push(text(Style::regular(11.0, SLATE), 9.0, block, 3, 6.0));
        }
        let mut tail = vec![text(Style::bold(12.5, NAVY), 10.0, &score, 2, 22.0)];
        if let Some(how) = &supervision {
            tail.push(text(Style::regular(10.5, SLATE), 9.0, how, 3, 4.0));
        }
        let fixed: f32 = head.iter().chain(&tail).map(Part::height).sum();
        let room = BODY_TOP - BODY_FLOOR - fixed;
        let outcomes = self.outcomes(c.learning_outcomes, lang, room);
        head.into_iter().chain(outcomes).chain(tail).collect()
    }

    /// The learning outcomes under their heading, in at most `room`
    /// points: smaller type if need be, and if even the smallest does not
    /// fit, the first ones and a line that says how many are left out.
    fn outcomes(&self, outcomes: &[String], lang: Lang, room: f32) -> Vec<Part> {
        if outcomes.is_empty() {
            return Vec::new();
        }
        let heading = self.block(Style::heading(9.0), 9.0, lang.outcomes(), 1, 22.0);
        let room = room - heading.height();
        let mut smallest = Vec::new();
        for size in OUTCOME_SIZES {
            let style = Style::regular(size, SLATE);
            let bullet_width = self.width(style, "•  ");
            let items: Vec<Block> = outcomes
                .iter()
                .map(|outcome| Block {
                    style,
                    lines: self.wrap(style, outcome, LIST_WIDTH - bullet_width, 3),
                    leading: leading(size),
                    before: size * 0.3,
                    bullet: true,
                })
                .collect();
            if items.iter().map(Block::height).sum::<f32>() <= room {
                return std::iter::once(heading)
                    .chain(items)
                    .map(Part::Text)
                    .collect();
            }
            smallest = items;
        }
        let Some(style) = smallest.first().map(|b| b.style) else {
            return Vec::new();
        };
        let more =
            |left: usize| self.block(style, style.size, &lang.more(left), 2, style.size * 0.6);
        let mut last = more(outcomes.len());
        let mut shown = Vec::new();
        let mut used = 0.0;
        for (i, item) in smallest.into_iter().enumerate() {
            let next = more(outcomes.len() - i - 1);
            if used + item.height() + next.height() > room {
                break;
            }
            used += item.height();
            shown.push(item);
            last = next;
        }
        std::iter::once(heading)
            .chain(shown)
            .chain(std::iter::once(last))
            .map(Part::Text)
            .collect()
    }

    /// Places the body's parts, from `top` down.
    fn place(&mut self, parts: &[Part], top: f32) {
        let mut y = top;
        let list_left = self.list_left(parts);
        for part in parts {
            match part {
                Part::Ornament => {
                    self.ornament(y);
                    y -= ORNAMENT;
                }
                Part::Text(block) => {
                    y -= block.before;
                    for (i, line) in block.lines.iter().enumerate() {
                        let baseline = y - block.leading * 0.8;
                        if block.bullet {
                            let bullet = Style {
                                color: GOLD,
                                ..block.style
                            };
                            let indent = self.width(block.style, "•  ");
                            if i == 0 {
                                self.text(bullet, "•", list_left, baseline);
                            }
                            self.text(block.style, line, list_left + indent, baseline);
                        } else {
                            self.centred(block.style, line, WIDTH / 2.0, baseline);
                        }
                        y -= block.leading;
                    }
                }
            }
        }
    }

    /// Where the list of outcomes starts, so that its widest line is
    /// centred.
    fn list_left(&self, parts: &[Part]) -> f32 {
        let widest = parts
            .iter()
            .filter_map(|part| match part {
                Part::Text(block) if block.bullet => Some(block),
                _ => None,
            })
            .flat_map(|block| {
                let indent = self.width(block.style, "•  ");
                block
                    .lines
                    .iter()
                    .map(move |line| (block.style, indent, line))
            })
            .map(|(style, indent, line)| indent + self.width(style, line))
            .fold(0.0_f32, f32::max);
        (WIDTH - widest) / 2.0
    }

    /// The footer: the date and the issuer on either side of the QR code,
    /// its caption and the credential's id under it, and what the PDF
    /// carries.
    fn footer(&mut self, c: &Certificate<'_>, lang: Lang) {
        let centre = WIDTH / 2.0;
        let columns = [centre - 160.0, centre + 160.0];
        let rule_y = 136.0;
        let value = Style::regular(11.5, NAVY);
        let name = Style::bold(11.5, NAVY);
        let country = Style::regular(10.0, SLATE);
        let date: Vec<(Style, String)> = self
            .balanced(value, c.issued_on, COLUMN_WIDTH, 2)
            .into_iter()
            .map(|line| (value, line))
            .collect();
        let mut issuer: Vec<(Style, String)> = self
            .balanced(name, c.issuer_name, COLUMN_WIDTH, 3)
            .into_iter()
            .map(|line| (name, line))
            .collect();
        if let Some(land) = c.issuer_country {
            let lines = self.wrap(country, land, COLUMN_WIDTH, 1);
            issuer.extend(lines.into_iter().map(|line| (country, line)));
        }
        for ((x, label), lines) in columns
            .into_iter()
            .zip([lang.date(), lang.issuer()])
            .zip([date, issuer])
        {
            self.rule(x, rule_y, COLUMN_WIDTH, 0.6, GOLD);
            self.centred(Style::heading(7.5), label, x, rule_y - 12.0);
            let mut y = rule_y + 8.0;
            for (style, line) in lines.iter().rev() {
                self.centred(*style, line, x, y);
                y += 15.0;
            }
        }
        let caption = Style::bold(8.5, NAVY);
        let small = Style::regular(7.0, SLATE);
        if self.qr(c.verify_at, centre - QR_SIDE / 2.0, QR_BOTTOM, QR_SIDE) {
            self.centred(caption, lang.scan(), centre, QR_BOTTOM - 4.0);
        }
        let id_lines = self.balanced(small, c.credential_id, TEXT_WIDTH, 2);
        let mut y = QR_BOTTOM - 15.0;
        for line in &id_lines {
            self.centred(small, line, centre, y);
            y -= 9.0;
        }
        let note = Style::regular(7.5, SLATE);
        let mut y = 58.0;
        for line in self.balanced(note, lang.attached(), TEXT_WIDTH, 2) {
            self.centred(note, &line, centre, y);
            y -= 10.0;
        }
    }

    /// The whole page, laid out.
    fn lay_out(&mut self, c: &Certificate<'_>) {
        let lang = Lang::of(c.language);
        self.border();
        let mut parts = self.body(c, lang);
        // Spare room widens the spaces between blocks, up to twice their
        // height; what is left is shared above and below the body.
        let height: f32 = parts.iter().map(Part::height).sum();
        let spare = (BODY_TOP - BODY_FLOOR - height).max(0.0);
        let spaces: f32 = parts
            .iter()
            .map(|part| match part {
                Part::Text(block) => block.before,
                Part::Ornament => 0.0,
            })
            .sum();
        let stretch = if spaces > 0.0 {
            (spare / spaces).min(1.0)
        } else {
            0.0
        };
        for part in &mut parts {
            if let Part::Text(block) = part {
                block.before *= 1.0 + stretch;
            }
        }
        self.place(&parts, BODY_TOP - (spare - spaces * stretch) / 2.0);
        self.footer(c, lang);
    }

    /// The content stream: the graphics, then the text, each glyph
    /// recorded for the fonts' widths and `/ToUnicode` maps.
    fn content(&mut self) -> Vec<u8> {
        let mut content = std::mem::replace(&mut self.graphics, Content::new());
        for run in std::mem::take(&mut self.runs) {
            let face = if run.style.bold {
                &mut self.bold
            } else {
                &mut self.regular
            };
            content.begin_text();
            content.set_font(Name(face.resource), run.style.size);
            run.style.color.fill(&mut content);
            content.set_char_spacing(run.style.tracking);
            content.next_line(run.x, run.y);
            {
                // Two bytes a glyph, its id; kerning as adjustments between.
                let mut shown = content.show_positioned();
                let mut items = shown.items();
                let mut glyphs = Vec::with_capacity(2 * run.text.len());
                let mut previous = None;
                for c in run.text.chars() {
                    let id = face.font.glyph_id(c);
                    face.used.entry(id.0).or_insert(c);
                    if let Some(p) = previous {
                        let kern = face.font.kern_unscaled(p, id);
                        if kern != 0.0 {
                            items.show(Str(&glyphs));
                            glyphs.clear();
                            items.adjust(-kern * 1000.0 / face.units);
                        }
                    }
                    glyphs.extend_from_slice(&id.0.to_be_bytes());
                    previous = Some(id);
                }
                items.show(Str(&glyphs));
            }
            content.end_text();
        }
        content.finish().to_vec()
    }
}

/// From one baseline to the next, for type of `size`: tighter for
/// display sizes.
fn leading(size: f32) -> f32 {
    size * if size >= 16.0 { 1.2 } else { 1.35 }
}

/// A filled diamond centred on (`x`, `y`), `r` from its centre to a tip.
fn diamond(content: &mut Content, x: f32, y: f32, r: f32) {
    content.move_to(x, y + r);
    content.line_to(x + r, y);
    content.line_to(x, y - r);
    content.line_to(x - r, y);
    content.close_path();
    content.fill_nonzero();
}

/// `data` compressed for a `/FlateDecode` stream.
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to memory does not fail.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// The ids of a face's objects.
struct FontIds {
    type0: Ref,
    cid: Ref,
    descriptor: Ref,
    to_unicode: Ref,
    file: Ref,
}

impl FontIds {
    /// The next five ids after `next`.
    fn new(next: &mut Ref) -> Self {
        Self {
            type0: next.bump(),
            cid: next.bump(),
            descriptor: next.bump(),
            to_unicode: next.bump(),
            file: next.bump(),
        }
    }
}

/// Writes `face` as a Type0 font over a CIDFontType2 one, glyph ids as
/// character ids (Identity-H, `/CIDToGIDMap /Identity`).
fn write_font(pdf: &mut Pdf, face: &Face, ids: &FontIds) {
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(ids.type0)
        .base_font(Name(face.base_font))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(ids.cid)
        .to_unicode(ids.to_unicode);

    let mut cid = pdf.cid_font(ids.cid);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(face.base_font))
        .system_info(system)
        .font_descriptor(ids.descriptor)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut widths = cid.widths();
    let mut runs: Vec<(u16, Vec<f32>)> = Vec::new();
    for &id in face.used.keys() {
        let width = face.thousandths(face.font.h_advance_unscaled(GlyphId(id)));
        match runs.last_mut() {
            Some((start, run)) if usize::from(*start) + run.len() == usize::from(id) => {
                run.push(width);
            }
            _ => runs.push((id, vec![width])),
        }
    }
    for (start, run) in runs {
        widths.consecutive(start, run);
    }
    widths.finish();
    cid.finish();

    pdf.font_descriptor(ids.descriptor)
        .name(Name(face.base_font))
        .flags(FontFlags::SYMBOLIC)
        .bbox(face.bbox())
        .italic_angle(face.font.italic_angle())
        .ascent(face.thousandths(face.font.ascent_unscaled()))
        .descent(face.thousandths(face.font.descent_unscaled()))
        .cap_height(face.cap_height())
        .stem_v(face.stem_v)
        .font_file2(ids.file);

    let mut cmap = UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), system);
    for (&id, &c) in &face.used {
        if id != 0 {
            cmap.pair(id, c);
        }
    }
    pdf.cmap(ids.to_unicode, &cmap.finish());

    let file = deflate(face.data);
    pdf.stream(ids.file, &file)
        .filter(Filter::FlateDecode)
        .pair(
            Name(b"Length1"),
            i32::try_from(face.data.len()).unwrap_or(i32::MAX),
        );
}

/// The certificate `c` as a one-page A4 PDF, in its language, with
/// `credential_json` attached byte for byte as `credential.json`.
pub fn certificate(c: &Certificate<'_>, credential_json: &str) -> Vec<u8> {
    let lang = Lang::of(c.language);
    let mut page = Page::new();
    page.lay_out(c);
    let content = deflate(&page.content());

    let mut next = Ref::new(1);
    let catalog_id = next.bump();
    let pages_id = next.bump();
    let page_id = next.bump();
    let content_id = next.bump();
    let info_id = next.bump();
    let spec_id = next.bump();
    let file_id = next.bump();
    let regular_ids = FontIds::new(&mut next);
    let bold_ids = FontIds::new(&mut next);

    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(pages_id).lang(TextStr(c.language));
    catalog.viewer_preferences().display_doc_title(true);
    catalog
        .names()
        .embedded_files()
        .names()
        .insert(Str(ATTACHMENT.as_bytes()), spec_id);
    catalog.insert(Name(b"AF")).array().item(spec_id);
    catalog.finish();

    let title = format!("{} — {} — {}", lang.title(), c.learner, c.achievement);
    pdf.document_info(info_id)
        .title(TextStr(&title))
        .author(TextStr(c.issuer_name))
        .subject(TextStr(c.achievement))
        .creator(TextStr("brevet"));

    pdf.pages(pages_id).kids([page_id]).count(1);
    let mut pdf_page = pdf.page(page_id);
    pdf_page
        .parent(pages_id)
        .media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
        .contents(content_id);
    pdf_page
        .resources()
        .fonts()
        .pair(Name(page.regular.resource), regular_ids.type0)
        .pair(Name(page.bold.resource), bold_ids.type0);
    pdf_page.finish();
    pdf.stream(content_id, &content).filter(Filter::FlateDecode);

    pdf.file_spec(spec_id)
        .path(Str(ATTACHMENT.as_bytes()))
        .unic_file(TextStr(ATTACHMENT))
        .description(TextStr(lang.attachment()))
        .association_kind(AssociationKind::Source)
        .embedded_file_with_unicode(file_id);
    // Not compressed: any reader takes it out as it is.
    pdf.embedded_file(file_id, credential_json.as_bytes())
        .subtype(Name(b"application/json"))
        .params()
        .size(i32::try_from(credential_json.len()).unwrap_or(i32::MAX));

    write_font(&mut pdf, &page.regular, &regular_ids);
    write_font(&mut pdf, &page.bold, &bold_ids);
    pdf.finish()
}

mod read;

pub use read::extract;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::baked::{BakedError, MAX_IMAGE_BYTES};

    /// A credential's JSON with what could trip a PDF reader up.
    const JSON: &str = concat!(
        "{\"name\":\"Zoé (é) \\\\ ]]> )(\",\n",
        "\"note\":\"endstream endobj startxref %%EOF >> <<\"}\n",
    );

    fn outcomes() -> Vec<String> {
        [
            "Reconnaître un courriel d’hameçonnage",
            "Gérer des mots de passe robustes",
            "Verrouiller son poste en déplacement",
            "Réagir face à un incident",
        ]
        .map(String::from)
        .to_vec()
    }

    fn sample<'a>(language: &'a str, outcomes: &'a [String]) -> Certificate<'a> {
        Certificate {
            language,
            learner: "Zoé L’Hôte-Œuvray",
            achievement: "Cybersécurité au travail",
            skill_block: Some(
                "Appliquer les bonnes pratiques de cybersécurité au poste de travail",
            ),
            learning_outcomes: outcomes,
            score: "87,0\u{202F}%",
            required: "70\u{202F}%",
            issued_on: "12 mars 2026",
            issuer_name: "Centre de formation Exemple",
            issuer_country: Some("France"),
            supervision: Some("Surveillé en salle par un surveillant"),
            verify_at: "https://formation.example.org/verifier?id=urn:uuid:7f1c2a9e",
            credential_id: "urn:uuid:7f1c2a9e-3b4d-4c5e-8f60-1a2b3c4d5e6f",
            demo: false,
        }
    }

    /// The text runs of a laid-out page.
    fn runs(c: &Certificate<'_>) -> (Page, Vec<String>) {
        let mut page = Page::new();
        page.lay_out(c);
        let texts = page.runs.iter().map(|r| r.text.clone()).collect();
        (page, texts)
    }

    #[test]
    fn the_bundled_fonts_parse_and_have_the_french_characters() {
        let page = Page::new();
        for face in [&page.regular, &page.bold] {
            for c in "éèêàâçîïôûùœŒÉ«»’…•\u{202F}\u{A0}€".chars() {
                assert_ne!(face.font.glyph_id(c).0, 0, "{c:?}");
            }
        }
    }

    #[test]
    fn a_certificate_gives_back_its_credential_byte_for_byte() {
        let outcomes = outcomes();
        for language in ["fr-FR", "en"] {
            let pdf = certificate(&sample(language, &outcomes), JSON);
            assert!(pdf.starts_with(b"%PDF-1.7"));
            assert_eq!(extract(&pdf), Ok(JSON.to_owned()));
            // Stored as it is, not compressed.
            assert!(pdf.windows(JSON.len()).any(|w| w == JSON.as_bytes()));
        }
        // The same certificate, the same bytes.
        let c = sample("fr", &outcomes);
        assert_eq!(certificate(&c, JSON), certificate(&c, JSON));
    }

    #[test]
    fn french_and_english_certificates_differ_in_their_labels() {
        let outcomes = outcomes();
        let (_, fr) = runs(&sample("fr-FR", &outcomes));
        let (_, en) = runs(&sample("en", &outcomes));
        for label in [
            "Certificat de réussite",
            "décerné à",
            "Scannez pour vérifier",
            "ACQUIS D’APPRENTISSAGE",
            "Résultat\u{202F}: 87,0\u{202F}% (seuil de réussite 70\u{202F}%)",
        ] {
            assert!(fr.iter().any(|t| t == label), "{label}");
            assert!(!en.iter().any(|t| t == label), "{label}");
        }
        for label in [
            "Certificate of achievement",
            "awarded to",
            "Scan to verify",
            "LEARNING OUTCOMES",
        ] {
            assert!(en.iter().any(|t| t == label), "{label}");
            assert!(!fr.iter().any(|t| t == label), "{label}");
        }
        assert!(
            fr.iter()
                .any(|t| t.starts_with("Bloc de compétences\u{202F}: "))
        );
        assert!(en.iter().any(|t| t == "Zoé L’Hôte-Œuvray"));
        // The demonstration issuer says so.
        let (_, demo) = runs(&Certificate {
            demo: true,
            ..sample("fr", &outcomes)
        });
        assert!(
            demo.iter()
                .any(|t| t.starts_with("Émetteur de démonstration\u{202F}:"))
        );
        assert!(
            !fr.iter()
                .any(|t| t.starts_with("Émetteur de démonstration"))
        );
        assert_eq!(Lang::of("fr"), Lang::Fr);
        assert_eq!(Lang::of("FR-ca"), Lang::Fr);
        assert_eq!(Lang::of("fr_BE"), Lang::Fr);
        assert_eq!(Lang::of("en-GB"), Lang::En);
        assert_eq!(Lang::of("fry"), Lang::En);
        assert_eq!(Lang::of(""), Lang::En);
    }

    #[test]
    fn long_text_stays_inside_the_border_and_a_long_list_says_it_is_cut() {
        let many: Vec<String> = (1..=60)
            .map(|i| {
                format!(
                    "Acquis numéro {i}\u{202F}: savoir faire quelque chose d’utile, \
                     et le dire en assez de mots pour revenir à la ligne"
                )
            })
            .collect();
        let word = "Œ".repeat(300);
        let long = "Un nom très long ".repeat(40);
        let c = Certificate {
            learner: &long,
            achievement: &long,
            skill_block: Some(&word),
            learning_outcomes: &many,
            issued_on: &word,
            issuer_name: &long,
            issuer_country: Some(&word),
            supervision: Some(&long),
            credential_id: &word,
            verify_at: &word,
            demo: true,
            ..sample("fr", &many)
        };
        let (page, texts) = runs(&c);
        for run in &page.runs {
            let width = page.width(run.style, &run.text);
            assert!(
                run.x >= INNER + 8.0 && run.x + width <= WIDTH - INNER - 8.0,
                "{}",
                run.text
            );
            assert!(
                run.y >= INNER + 8.0 && run.y <= HEIGHT - INNER - 8.0,
                "{}",
                run.text
            );
        }
        let body: f32 = page.body(&c, Lang::Fr).iter().map(Part::height).sum();
        assert!(body <= BODY_TOP - BODY_FLOOR);
        let more = texts
            .iter()
            .find(|t| t.starts_with("… et "))
            .expect("a line says the list is cut");
        assert!(more.ends_with("autres, dans l’attestation jointe"));
        assert!(texts.iter().any(|t| t.ends_with('…')));
        // A short list is whole.
        let outcomes = outcomes();
        let (_, texts) = runs(&sample("en", &outcomes));
        assert!(!texts.iter().any(|t| t.starts_with("… and")));
        assert_eq!(texts.iter().filter(|t| *t == "•").count(), 4);
    }

    #[test]
    fn lines_break_at_spaces_but_not_at_no_break_ones() {
        let page = Page::new();
        let style = Style::regular(10.0, SLATE);
        let text = "Résultat\u{202F}: 87,0\u{202F}% et encore des mots";
        let width = page.width(style, "Résultat\u{202F}: 87,0\u{202F}%") + 1.0;
        let lines = page.wrap(style, text, width, 5);
        assert_eq!(
            lines.first().map(String::as_str),
            Some("Résultat\u{202F}: 87,0\u{202F}%")
        );
        // A word wider than the line is broken between its letters.
        let lines = page.wrap(style, &"x".repeat(200), 50.0, 100);
        assert!(lines.len() > 2 && lines.iter().all(|l| page.width(style, l) <= 50.0));
        // Cut short with an ellipsis, at the width.
        let lines = page.wrap(style, &"mot ".repeat(100), 60.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| page.width(style, l) <= 60.0));
        assert!(lines.last().is_some_and(|l| l.ends_with('…')));
        // Balanced lines: as many, the first no longer than needed.
        let text = "Appliquer les bonnes pratiques de cybersécurité au poste de travail";
        let greedy = page.wrap(style, text, 250.0, 3);
        let even = page.balanced(style, text, 250.0, 3);
        assert_eq!(greedy.len(), even.len());
        assert_eq!(greedy.join(" "), even.join(" "));
    }

    /// A file to attach: its name, content, `/Subtype`, and whether it is
    /// Flate-compressed.
    type Attachment<'a> = (&'a str, &'a [u8], Option<&'a [u8]>, bool);

    /// A PDF with `files` attached.
    fn with_files(files: &[Attachment<'_>]) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let mut next = Ref::new(1);
        let catalog = next.bump();
        let pages = next.bump();
        let ids: Vec<(Ref, Ref)> = files.iter().map(|_| (next.bump(), next.bump())).collect();
        let mut cat = pdf.catalog(catalog);
        cat.pages(pages);
        let mut names = cat.names();
        let mut tree = names.embedded_files();
        let mut entries = tree.names();
        for ((name, ..), (spec, _)) in files.iter().zip(&ids) {
            entries.insert(Str(name.as_bytes()), *spec);
        }
        drop(entries);
        drop(tree);
        drop(names);
        cat.finish();
        pdf.pages(pages).count(0);
        for ((name, data, subtype, compress), (spec, file)) in files.iter().zip(&ids) {
            pdf.file_spec(*spec)
                .path(Str(name.as_bytes()))
                .embedded_file(*file);
            let data = if *compress {
                deflate(data)
            } else {
                data.to_vec()
            };
            let mut stream = pdf.embedded_file(*file, &data);
            if let Some(subtype) = subtype {
                stream.subtype(Name(subtype));
            }
            if *compress {
                stream.filter(Filter::FlateDecode);
            }
        }
        pdf.finish()
    }

    #[test]
    fn an_object_holding_too_many_objects_is_refused() {
        // A catalog whose one entry is an array of 200,000 numbers.
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let at = pdf.len();
        pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Big [");
        pdf.extend(std::iter::repeat_n(b"0 ".as_slice(), 200_000).flatten());
        pdf.extend_from_slice(b"] >>\nendobj\n");
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 2\n0000000000 65535 f \n{at:010} 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        let got = extract(&pdf);
        assert!(
            matches!(&got, Err(BakedError::NotPdf(why)) if why.contains("too many objects")),
            "{got:?}"
        );
    }

    #[test]
    fn an_attachment_that_names_two_files_is_refused() {
        let pdf = certificate(&sample("en", &[]), JSON);
        // Bytes, not text: the fonts before it are binary.
        let find = |from: usize, what: &[u8]| {
            pdf[from..]
                .windows(what.len())
                .position(|w| w == what)
                .map(|i| from + i)
        };
        let ef = find(0, b"/EF <<").expect("the attachment's files");
        let at = find(ef, b"/UF ").expect("the attachment names /UF") + 4;
        let digits = pdf[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        // Another object of as many digits: offsets stay right.
        let other = if pdf[at] == b'1' { b'2' } else { b'1' };
        let mut edited = pdf.clone();
        edited[at..at + digits].fill(b'0');
        edited[at + digits - 1] = other;
        if digits > 1 {
            edited[at] = b'1';
        }
        let got = extract(&edited);
        assert!(
            matches!(&got, Err(BakedError::NotPdf(why)) if why.contains("/F and /UF")),
            "{got:?}"
        );
    }

    #[test]
    fn a_pdf_with_two_credentials_or_none_is_refused() {
        let two = with_files(&[
            ("credential.json", b"{}", Some(b"application/json"), false),
            ("other.json", b"{\"a\":1}", None, false),
        ]);
        assert_eq!(extract(&two), Err(BakedError::PdfSeveral { count: 2 }));
        // A JSON type counts as much as a name.
        let typed = with_files(&[
            ("credential.json", b"{}", None, false),
            ("data.bin", b"{}", Some(b"application/json"), false),
        ]);
        assert_eq!(extract(&typed), Err(BakedError::PdfSeveral { count: 2 }));
        // So does a JSON object, whatever the file is called.
        let hidden = with_files(&[
            ("credential.json", b"{}", None, false),
            ("notes.txt", b" {\"id\": 2}", Some(b"text/plain"), true),
        ]);
        assert_eq!(extract(&hidden), Err(BakedError::PdfSeveral { count: 2 }));
        let none = with_files(&[("photo.png", b"\x89PNG", Some(b"image/png"), false)]);
        assert_eq!(extract(&none), Err(BakedError::PdfNone));
        assert_eq!(extract(&with_files(&[])), Err(BakedError::PdfNone));
        // Other attachments beside the credential are let be; a compressed
        // one is inflated.
        let one = with_files(&[
            ("photo.png", b"\x89PNG", Some(b"image/png"), false),
            ("Credential.JSON", JSON.as_bytes(), None, true),
        ]);
        assert_eq!(extract(&one), Ok(JSON.to_owned()));
        let latin1 = with_files(&[("credential.json", b"\xE9", None, false)]);
        assert_eq!(extract(&latin1), Err(BakedError::NotUtf8));
    }

    #[test]
    fn what_the_reader_leaves_out_is_refused_clearly() {
        let not_pdf = |pdf: &[u8]| match extract(pdf) {
            Err(BakedError::NotPdf(why)) => why,
            other => panic!("{other:?}"),
        };
        assert_eq!(not_pdf(b"GIF89a"), "no %PDF- header");
        assert_eq!(
            extract(&vec![b'%'; MAX_IMAGE_BYTES + 1]),
            Err(BakedError::TooLarge)
        );
        // A cross-reference stream.
        let mut pdf = Pdf::new();
        pdf.catalog(Ref::new(1));
        let streamed = pdf.finish_with_xref_stream(Ref::new(2));
        assert_eq!(
            not_pdf(&streamed),
            "cross-reference streams are not supported"
        );
        // Encrypted.
        let outcomes = outcomes();
        let plain = certificate(&sample("en", &outcomes), JSON);
        let at = plain
            .windows(8)
            .rposition(|w| w == b"trailer\n")
            .expect("a trailer");
        let mut encrypted = plain[..at + 8].to_vec();
        encrypted.extend_from_slice(b"<< /Encrypt 99 0 R ");
        encrypted.extend_from_slice(&plain[at + 10..]);
        assert_eq!(not_pdf(&encrypted), "the PDF is encrypted");
        // An attachment under a filter this reader does not undo.
        let mut lzw = Pdf::new();
        lzw.catalog(Ref::new(1))
            .names()
            .embedded_files()
            .names()
            .insert(Str(b"c.json"), Ref::new(2));
        lzw.file_spec(Ref::new(2)).embedded_file(Ref::new(3));
        lzw.embedded_file(Ref::new(3), b"x")
            .filter(Filter::LzwDecode);
        assert!(not_pdf(&lzw.finish()).contains("LZWDecode"));
    }

    #[test]
    fn updates_are_followed_and_a_loop_of_them_is_refused() {
        let outcomes = outcomes();
        let mut pdf = certificate(&sample("fr", &outcomes), JSON);
        let start = |pdf: &[u8]| {
            let at = pdf
                .windows(9)
                .rposition(|w| w == b"startxref")
                .expect("startxref");
            String::from_utf8_lossy(&pdf[at + 9..])
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let previous = start(&pdf);
        let update = pdf.len();
        pdf.extend_from_slice(
            format!(
                "xref\n0 0\ntrailer\n<< /Root 1 0 R /Size 18 /Prev {previous} >>\n\
                 startxref\n{update}\n%%EOF\n"
            )
            .as_bytes(),
        );
        assert_eq!(extract(&pdf), Ok(JSON.to_owned()));
        let looped = pdf.len();
        pdf.extend_from_slice(
            format!(
                "xref\n0 0\ntrailer\n<< /Root 1 0 R /Prev {looped} >>\nstartxref\n{looped}\n%%EOF\n"
            )
            .as_bytes(),
        );
        assert!(matches!(extract(&pdf), Err(BakedError::NotPdf(why)) if why.contains("loop")));
    }

    /// A PDF written by hand: `objects` numbered from 1, the first the
    /// catalog.
    fn handmade(objects: &[String]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn the_reader_follows_the_syntax_it_claims() {
        // Kids (one twice), a UTF-16 key, an octal escape, a `#2F` name, an
        // indirect length, comments.
        let objects = [
            "<< /Type /Catalog /Names 2 0 R % a comment\n>>".to_owned(),
            "<< /EmbeddedFiles 3 0 R >>".to_owned(),
            "<< /Kids [4 0 R 4 0 R] >>".to_owned(),
            "<< /Limits [(a) (z)] /Names [<FEFF0063002E006A0073006F006E> 5 0 R] >>".to_owned(),
            "<< /Type /Filespec /F (c\\056js\\\non) /Desc (a (nested) one\\))
                /EF << /F 6 0 R >> >>"
                .to_owned(),
            format!(
                "<< /Length 7 0 R /Subtype /application#2Fjson >>\nstream\r\n{JSON}\nendstream"
            ),
            format!("{}", JSON.len()),
        ];
        assert_eq!(extract(&handmade(&objects)), Ok(JSON.to_owned()));
        // A tree that is its own kid is read once.
        let mut looped = objects.clone();
        looped[2] = "<< /Kids [3 0 R] >>".to_owned();
        assert_eq!(extract(&handmade(&looped)), Err(BakedError::PdfNone));
        // A length that is its own stream.
        let mut selfish = objects.clone();
        selfish[5] = "<< /Length 6 0 R >>\nstream\n{}\nendstream".to_owned();
        assert!(matches!(
            extract(&handmade(&selfish)),
            Err(BakedError::NotPdf(_))
        ));
        // Nesting past the limit.
        let mut deep = objects.clone();
        deep[1] = format!(
            "<< /EmbeddedFiles {}{} >>",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(matches!(
            extract(&handmade(&deep)),
            Err(BakedError::NotPdf(_))
        ));
        // The same big object read again and again.
        let mut again = objects.clone();
        again[0] = format!(
            "<< /Names << /EmbeddedFiles << /Names [{}] >> >> >>",
            "(a.json) 2 0 R ".repeat(2000)
        );
        again[1] = format!("<< /Pad [{}] >>", "0 ".repeat(20_000));
        let refused = extract(&handmade(&again));
        assert!(matches!(refused, Err(BakedError::NotPdf(why)) if why.contains("too much")));
        // A length past the end.
        let mut long = objects;
        long[6] = "999999".to_owned();
        assert!(matches!(
            extract(&handmade(&long)),
            Err(BakedError::NotPdf(_))
        ));
    }

    /// A xorshift generator: reproducible noise.
    struct Noise(u64);

    impl Noise {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
        }
    }

    #[test]
    fn garbage_truncation_and_damage_never_panic() {
        let outcomes = outcomes();
        let pdf = certificate(&sample("fr", &outcomes), JSON);
        let tail = pdf.len().saturating_sub(700);
        for end in (0..tail).step_by(53).chain(tail..pdf.len()) {
            let _ = extract(&pdf[..end]);
        }
        let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let mut damaged = pdf.clone();
            for _ in 0..=noise.below(3) {
                let at = match noise.below(3) {
                    0 => noise.below(3000),
                    1 => pdf.len().saturating_sub(1 + noise.below(1500)),
                    _ => noise.below(pdf.len()),
                };
                if let Some(byte) = damaged.get_mut(at) {
                    *byte = noise.next().to_le_bytes()[0];
                }
            }
            let _ = extract(&damaged);
        }
        // Soups of PDF's tokens.
        let tokens: [&[u8]; 24] = [
            b"<<",
            b">>",
            b"[",
            b"]",
            b"(",
            b")",
            b"\\",
            b"<FE",
            b"/Names",
            b"/Kids",
            b"/EF",
            b"/F",
            b"/Root 1 0 R",
            b"1 0 obj",
            b"endobj",
            b"stream\n",
            b"/Length 5",
            b"xref\n0 3\n",
            b"0000000009 00000 n\n",
            b"trailer",
            b"startxref\n9\n",
            b"-1",
            b"99999999999999999999",
            b" ",
        ];
        for _ in 0..2000 {
            let mut soup = b"%PDF-1.7\n".to_vec();
            for _ in 0..noise.below(200) {
                soup.extend_from_slice(tokens[noise.below(tokens.len())]);
            }
            let _ = extract(&soup);
        }
    }
}
