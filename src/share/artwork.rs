//! The badge's picture, made from the exam: a medallion with the exam's
//! title, its skill block, the issuer and the level, laid out once and
//! drawn twice, as pixels (PNG) and as vector shapes (SVG).
//!
//! 512 pixels square, readable at 128: the title is at least 34 pixels
//! high (8 at 128), the rest at least 22 (5.5 at 128, the issuer and level
//! are for a closer look).

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use ab_glyph_rasterizer::{Rasterizer, point as at};
use std::fmt::Write as _;

/// The size of the picture, in pixels.
pub const SIZE: u32 = 512;

/// DejaVu Sans, reduced to the characters of the languages written in
/// Latin letters across Europe (see `assets/fonts/README.md`).
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-brevet.ttf");
/// DejaVu Sans Bold, reduced the same way.
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold-brevet.ttf");

/// What the picture shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// The exam's title.
    pub title: String,
    /// The skill block it certifies.
    pub skill_block: String,
    /// Who issues it.
    pub issuer: String,
    /// The level, when the exam gives one (`EQF 4`).
    pub level: Option<String>,
}

/// A colour, red green blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The badge's navy: titles, names (and the certificate's QR code).
pub(super) const NAVY: Rgb = Rgb(0x1d, 0x35, 0x57);
/// The badge's gold: borders, rules, small headings.
pub(super) const GOLD: Rgb = Rgb(0xc9, 0x9a, 0x2e);
/// A slate grey for running text.
pub(super) const SLATE: Rgb = Rgb(0x4a, 0x55, 0x68);
const PAPER: Rgb = Rgb(0xfb, 0xf8, 0xf1);

/// A disc: centre and radius, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disc {
    /// Centre, x.
    pub cx: f32,
    /// Centre, y.
    pub cy: f32,
    /// Radius.
    pub r: f32,
    /// Its colour.
    pub fill: Rgb,
}

/// A line of text, centred on the picture's middle.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The text.
    pub text: String,
    /// Its size: the font's em, in pixels.
    pub size: f32,
    /// Its baseline, from the top.
    pub baseline: f32,
    /// Bold or regular.
    pub bold: bool,
    /// Its colour.
    pub fill: Rgb,
}

/// The picture, laid out: discs from the back to the front, then text.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The discs, back first.
    pub discs: Vec<Disc>,
    /// A band across the lower part (the level), if any: top, height,
    /// colour, within the inner disc.
    pub band: Option<(f32, f32, Rgb)>,
    /// The lines of text.
    pub lines: Vec<TextLine>,
}

/// Both faces of the bundled font.
fn fonts() -> (FontRef<'static>, FontRef<'static>) {
    // The bundled files are fonts: tested below.
    let regular = FontRef::try_from_slice(FONT_REGULAR).ok();
    let bold = FontRef::try_from_slice(FONT_BOLD).ok();
    match (regular, bold) {
        (Some(r), Some(b)) => (r, b),
        _ => unreachable!("the bundled fonts parse"),
    }
}

/// The width of `text` at `size` pixels, kerned.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let (regular, heavy) = fonts();
    let font = if bold { heavy } else { regular };
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

/// `text` in at most `max_lines` lines no wider than `width` at `size`;
/// `None` when it does not fit. Words stay whole.
fn wrap(text: &str, size: f32, bold: bool, width: f32, max_lines: usize) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for word in super::words(text) {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), size, bold) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => {
                if text_width(word, size, bold) > width {
                    return None;
                }
                lines.push(word.to_owned());
            }
        }
    }
    (lines.len() <= max_lines).then_some(lines)
}

/// `text` at the largest size from `sizes` at which it fits in
/// `max_lines` lines of `width`; at the smallest, cut with `…`.
fn fit(text: &str, sizes: &[f32], bold: bool, width: f32, max_lines: usize) -> (f32, Vec<String>) {
    for &size in sizes {
        if let Some(lines) = wrap(text, size, bold, width, max_lines) {
            return (size, lines);
        }
    }
    let size = sizes.last().copied().unwrap_or(24.0);
    // Cut: the words that fit, the last line ended by an ellipsis.
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    for word in super::words(text) {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || text_width(&candidate, size, bold) <= width {
            line = candidate;
            continue;
        }
        lines.push(std::mem::take(&mut line));
        if lines.len() == max_lines {
            cut = true;
            break;
        }
        line = word.to_owned();
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if let Some(last) = lines.last_mut()
        && (cut || text_width(last, size, bold) > width)
    {
        while text_width(&format!("{last}…"), size, bold) > width && last.pop().is_some() {}
        *last = format!("{}…", last.trim_end());
    }
    (size, lines)
}

/// Lays the badge out.
pub fn layout(badge: &Badge) -> Layout {
    let c = SIZE as f32 / 2.0;
    let discs = vec![
        Disc {
            cx: c,
            cy: c,
            r: 250.0,
            fill: NAVY,
        },
        Disc {
            cx: c,
            cy: c,
            r: 232.0,
            fill: GOLD,
        },
        Disc {
            cx: c,
            cy: c,
            r: 222.0,
            fill: PAPER,
        },
    ];
    let mut lines = Vec::new();
    // The issuer, small, above.
    let (size, issuer) = fit(&badge.issuer, &[24.0, 22.0, 20.0], false, 330.0, 1);
    for text in issuer {
        lines.push(TextLine {
            text,
            size,
            baseline: 118.0,
            bold: false,
            fill: SLATE,
        });
    }
    // The title, as large as it fits in three lines.
    let (size, title) = fit(&badge.title, &[52.0, 46.0, 40.0, 34.0], true, 360.0, 3);
    let leading = size * 1.15;
    #[allow(clippy::cast_precision_loss)]
    let block = leading * (title.len() as f32 - 1.0);
    let mut y = 236.0 - block / 2.0 + size * 0.35;
    for text in title {
        lines.push(TextLine {
            text,
            size,
            baseline: y,
            bold: true,
            fill: NAVY,
        });
        y += leading;
    }
    // The skill block, under it.
    let skill = if badge.skill_block == badge.title {
        String::new()
    } else {
        badge.skill_block.clone()
    };
    let (size, skill) = fit(&skill, &[24.0, 22.0], false, 330.0, 2);
    let mut y = y - leading + size * 1.9;
    for text in skill {
        lines.push(TextLine {
            text,
            size,
            baseline: y,
            bold: false,
            fill: SLATE,
        });
        y += size * 1.2;
    }
    // The level, on a band.
    let band = badge.level.as_ref().map(|level| {
        lines.push(TextLine {
            text: level.clone(),
            size: 26.0,
            baseline: 412.0,
            bold: true,
            fill: PAPER,
        });
        (382.0, 42.0, NAVY)
    });
    Layout { discs, band, lines }
}

/// An RGBA picture being drawn, transparent where nothing is.
struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn new() -> Self {
        Self {
            pixels: vec![0; (SIZE * SIZE * 4) as usize],
        }
    }

    /// Lays `colour` over the pixel at `(x, y)` with coverage `a` (0 to 1).
    fn blend(&mut self, x: i64, y: i64, colour: Rgb, a: f32) {
        let size = i64::from(SIZE);
        if !(0..size).contains(&x) || !(0..size).contains(&y) || a <= 0.0 {
            return;
        }
        let a = a.min(1.0);
        #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
        let i = ((y * size + x) * 4) as usize;
        let Some(px) = self.pixels.get_mut(i..i + 4) else {
            return;
        };
        let under = f32::from(px[3]) / 255.0;
        let out = a + under * (1.0 - a);
        for (k, c) in [colour.0, colour.1, colour.2].into_iter().enumerate() {
            let mixed = (f32::from(c) * a + f32::from(px[k]) * under * (1.0 - a)) / out.max(1e-6);
            #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
            {
                px[k] = mixed.round().clamp(0.0, 255.0) as u8;
            }
        }
        #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
        {
            px[3] = (out * 255.0).round().clamp(0.0, 255.0) as u8;
        }
    }

    /// Paints the pixel at `(x, y)` with `colour`, opaque.
    fn paint(&mut self, x: i64, y: i64, colour: Rgb) {
        let size = i64::from(SIZE);
        if !(0..size).contains(&x) || !(0..size).contains(&y) {
            return;
        }
        #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
        let i = ((y * size + x) * 4) as usize;
        if let Some(px) = self.pixels.get_mut(i..i + 4) {
            px.copy_from_slice(&[colour.0, colour.1, colour.2, 255]);
        }
    }

    /// Fills the shape the rasteriser holds.
    fn fill(&mut self, shape: &Rasterizer, colour: Rgb) {
        shape.for_each_pixel_2d(|x, y, a| self.blend(i64::from(x), i64::from(y), colour, a));
    }

    /// A disc, its edge smoothed: each pixel covered as far as its centre
    /// lies inside the circle (within half a pixel).
    fn disc(&mut self, d: Disc) {
        let size = i64::from(SIZE);
        #[allow(clippy::cast_possible_truncation)]
        let (top, bottom) = (
            (d.cy - d.r - 1.0).floor() as i64,
            (d.cy + d.r + 1.0).ceil() as i64,
        );
        for y in top.max(0)..bottom.min(size) {
            #[allow(clippy::cast_precision_loss)]
            let dy = y as f32 + 0.5 - d.cy;
            let reach = (d.r + 1.0) * (d.r + 1.0) - dy * dy;
            if reach <= 0.0 {
                continue;
            }
            let reach = reach.sqrt();
            #[allow(clippy::cast_possible_truncation)]
            let (left, right) = ((d.cx - reach).floor() as i64, (d.cx + reach).ceil() as i64);
            // Inside this span every pixel is covered whole: painted at once.
            let inner = (d.r - 1.0) * (d.r - 1.0) - dy * dy;
            #[allow(clippy::cast_possible_truncation)]
            let (from, to) = if inner > 0.0 {
                let inner = inner.sqrt();
                ((d.cx - inner).ceil() as i64, (d.cx + inner).floor() as i64)
            } else {
                (0, 0)
            };
            for x in left.max(0)..right.min(size) {
                if (from..to).contains(&x) {
                    self.paint(x, y, d.fill);
                    continue;
                }
                #[allow(clippy::cast_precision_loss)]
                let dx = x as f32 + 0.5 - d.cx;
                let coverage = (d.r - (dx * dx + dy * dy).sqrt() + 0.5).clamp(0.0, 1.0);
                self.blend(x, y, d.fill, coverage);
            }
        }
    }

    /// A band from `top`, `height` high, within the disc `within`.
    fn band(&mut self, top: f32, height: f32, colour: Rgb, within: Disc) {
        let half = |y: f32| {
            let dy = (y - within.cy).abs();
            (within.r * within.r - dy * dy).max(0.0).sqrt()
        };
        let (w1, w2) = (half(top), half(top + height));
        let c = within.cx;
        let mut shape = Rasterizer::new(SIZE as usize, SIZE as usize);
        shape.draw_line(at(c - w1, top), at(c + w1, top));
        shape.draw_line(at(c + w1, top), at(c + w2, top + height));
        shape.draw_line(at(c + w2, top + height), at(c - w2, top + height));
        shape.draw_line(at(c - w2, top + height), at(c - w1, top));
        self.fill(&shape, colour);
    }

    fn text(&mut self, line: &TextLine) {
        let (regular, heavy) = fonts();
        let font = if line.bold { heavy } else { regular };
        let scaled = font.as_scaled(PxScale::from(line.size));
        let width = text_width(&line.text, line.size, line.bold);
        let mut x = (SIZE as f32 - width) / 2.0;
        let mut previous = None;
        for c in line.text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                x += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(line.size, point(x, line.baseline));
            if let Some(outlined) = font.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                outlined.draw(|gx, gy, a| {
                    #[allow(clippy::cast_possible_truncation)]
                    let (px, py) = (
                        bounds.min.x as i64 + i64::from(gx),
                        bounds.min.y as i64 + i64::from(gy),
                    );
                    self.blend(px, py, line.fill, a);
                });
            }
            x += scaled.h_advance(id);
            previous = Some(id);
        }
    }
}

/// The picture as RGBA pixels, `SIZE` x `SIZE`, row by row.
pub fn pixels(layout: &Layout) -> Vec<u8> {
    let mut canvas = Canvas::new();
    for d in &layout.discs {
        canvas.disc(*d);
    }
    if let (Some((top, height, colour)), Some(inner)) = (layout.band, layout.discs.last()) {
        canvas.band(top, height, colour, *inner);
    }
    for line in &layout.lines {
        canvas.text(line);
    }
    canvas.pixels
}

/// The picture as an SVG document, marked `data-brevet="badge"` (brevet's
/// own drawing, which it can draw again as pixels): the same discs, band
/// and lines, the text as text (readable, searchable, in the reader's own font when it
/// has DejaVu Sans or a close one).
pub fn svg(layout: &Layout, title: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" data-brevet=\"badge\" width=\"{SIZE}\" height=\"{SIZE}\" viewBox=\"0 0 {SIZE} {SIZE}\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n",
        escape(title),
        escape(title)
    );
    for d in &layout.discs {
        let _ = writeln!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
            d.cx,
            d.cy,
            d.r,
            d.fill.hex()
        );
    }
    if let (Some((top, height, colour)), Some(inner)) = (layout.band, layout.discs.last()) {
        let _ = writeln!(
            out,
            "<clipPath id=\"inner\"><circle cx=\"{}\" cy=\"{}\" r=\"{}\"/></clipPath>\n<rect x=\"0\" y=\"{top}\" width=\"{SIZE}\" height=\"{height}\" fill=\"{}\" clip-path=\"url(#inner)\"/>",
            inner.cx,
            inner.cy,
            inner.r,
            colour.hex()
        );
    }
    for line in &layout.lines {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"{}\" font-weight=\"{}\" fill=\"{}\" text-anchor=\"middle\">{}</text>",
            SIZE / 2,
            line.baseline,
            line.size,
            if line.bold { "bold" } else { "normal" },
            line.fill.hex(),
            escape(&line.text)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Text for XML content and attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // What XML does not allow in text is left out.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn badge() -> Badge {
        Badge {
            title: "Cybersécurité au travail".into(),
            skill_block: "Appliquer les bonnes pratiques de cybersécurité au poste de travail"
                .into(),
            issuer: "Centre « Exemple »".into(),
            level: Some("CEC 4".into()),
        }
    }

    #[test]
    fn the_bundled_fonts_cover_french() {
        let (regular, bold) = fonts();
        for font in [regular, bold] {
            for c in "éèàçœŒ«»’€≥…\u{202f}ÉÀÇ Łukasz Dvořák Ștefan Őry".chars()
            {
                assert_ne!(font.glyph_id(c).0, 0, "{c:?}");
            }
        }
    }

    #[test]
    fn a_no_break_space_holds_its_neighbours_on_one_line() {
        // Narrow enough for a word or two a line.
        let text = "Sécurité «\u{202f}de\u{a0}base\u{202f}» du poste";
        let width = text_width("Sécurité «", 20.0, false);
        let lines = wrap(text, 20.0, false, width * 1.2, 10).unwrap_or_default();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("«\u{202f}de\u{a0}base\u{202f}»")),
            "{lines:?}"
        );
        let (_, cut) = fit(text, &[20.0], false, width * 1.2, 2);
        assert!(!cut.iter().any(|l| l.starts_with('»')), "{cut:?}");
    }

    #[test]
    fn every_line_fits_inside_the_medallion() {
        let long = Badge {
            title: "A very long exam title that goes on and on about spreadsheets and formulas and charts".into(),
            ..badge()
        };
        for b in [badge(), long] {
            let l = layout(&b);
            assert!(l.lines.iter().any(|t| t.bold && t.size >= 34.0), "{l:?}");
            for line in &l.lines {
                let w = text_width(&line.text, line.size, line.bold);
                // Inside the paper disc at that height.
                let dy = (line.baseline - line.size * 0.35 - 256.0).abs();
                let half = (222.0f32 * 222.0 - dy * dy).sqrt();
                assert!(w / 2.0 <= half, "{line:?} is {w} wide");
            }
        }
    }

    #[test]
    fn the_pixels_show_the_medallion_on_a_transparent_ground() {
        let px = pixels(&layout(&badge()));
        assert_eq!(px.len(), (SIZE * SIZE * 4) as usize);
        let at = |x: u32, y: u32| {
            let i = ((y * SIZE + x) * 4) as usize;
            [px[i], px[i + 1], px[i + 2], px[i + 3]]
        };
        assert_eq!(at(0, 0)[3], 0, "a corner is transparent");
        assert_eq!(at(256, 12), [NAVY.0, NAVY.1, NAVY.2, 255]);
        // Some ink on the paper: the title was drawn.
        let inked = (150..360)
            .flat_map(|y| (60..452).map(move |x| (x, y)))
            .filter(|&(x, y)| at(x, y)[0] < 100)
            .count();
        assert!(inked > 2000, "{inked}");
    }

    #[test]
    fn the_svg_is_well_formed_and_says_the_same() {
        let text = svg(&layout(&badge()), "Cybersécurité & co");
        let doc = roxmltree::Document::parse(&text).expect("well-formed");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(text.contains(">Cybersécurité</text>"), "{text}");
        assert!(text.contains("Centre « Exemple »"));
        assert!(text.contains("&amp; co"));
    }
}
