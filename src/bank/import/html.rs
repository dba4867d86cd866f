//! HTML to plain text for the terminal: tags dropped, entities decoded,
//! paragraphs and line breaks kept, images and media named in brackets.
//!
//! Moodle stores most question text as HTML. brevet shows text in a
//! terminal, so the importer renders that HTML the way a text browser
//! would, by hand: a full HTML parser would be a large dependency for the
//! handful of tags question banks use.

mod entities;

pub use entities::decode_entities;
use entities::entity;

/// What a newline in the source means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newlines {
    /// HTML proper (`[html]`): a newline is whitespace like a space.
    Space,
    /// Moodle's auto-format (`[moodle]`, GIFT's default): a newline is a line break.
    Break,
}

/// Text rendered from HTML, with the images and media it referred to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// The plain text, trimmed, lines joined with `\n`.
    pub text: String,
    /// Images and media the HTML showed, by name (`moodlewhich.jpg`);
    /// the text holds `[image: …]` where they were.
    pub media: Vec<String>,
}

/// Renders HTML as plain text.
pub fn to_text(html: &str, newlines: Newlines) -> Rendered {
    let mut out = Out::default();
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&', '\n', '\r', ' ', '\t', '\u{a0}', '\u{c}']) {
        out.word(&rest[..i]);
        let tail = &rest[i..];
        let c = tail.chars().next().unwrap_or(' ');
        rest = match c {
            '<' => out.markup(tail),
            '&' => {
                let (decoded, used) = entity(tail).unwrap_or_else(|| ("&".into(), 1));
                if decoded.is_empty() {
                    // Nothing to show (a soft hyphen).
                } else if decoded.chars().all(|c| c == '\u{a0}' || c == ' ') && out.pre == 0 {
                    out.space();
                } else {
                    out.word(&decoded);
                }
                &tail[used..]
            }
            '\n' if out.pre > 0 => {
                out.raw_newline();
                &tail[1..]
            }
            '\n' if newlines == Newlines::Break => {
                out.line_break();
                &tail[1..]
            }
            _ if out.pre > 0 => {
                out.word(&tail[..c.len_utf8()]);
                &tail[c.len_utf8()..]
            }
            _ => {
                out.space();
                &tail[c.len_utf8()..]
            }
        };
    }
    out.word(rest);
    Rendered {
        text: tidy(&out.buf),
        media: out.media,
    }
}

/// Plain text as written (`[plain]`, `[markdown]`, Aiken): only line endings
/// normalised, control characters removed and the ends trimmed.
pub fn plain(text: &str) -> String {
    tidy(&text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Removes what a terminal must never be sent (control characters other
/// than newline and tab: an escape sequence in a bank could redraw the
/// learner's screen), trims each line's end and the text's ends, and keeps
/// at most one blank line in a row.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.split('\n') {
        let line: String = line
            .chars()
            .filter(|&c| c == '\t' || !c.is_control())
            .collect();
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string()
}

/// The text being built, with the whitespace still to write.
#[derive(Default)]
struct Out {
    buf: String,
    /// A space is due before the next word.
    pending_space: bool,
    /// Line breaks due before the next word (2 = a blank line).
    breaks: u8,
    /// Depth of `<pre>` elements: whitespace is kept inside.
    pre: usize,
    /// Open lists: `None` for `<ul>`, the next number for `<ol>`.
    lists: Vec<Option<u32>>,
    /// Open links: where their text starts, and their target.
    links: Vec<(usize, Option<String>)>,
    /// Whether the next table cell is the first of its row.
    first_cell: bool,
    media: Vec<String>,
}

impl Out {
    /// Writes text that is not whitespace, after the whitespace due.
    fn word(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if !self.buf.is_empty() {
            if self.breaks > 0 {
                while self.buf.ends_with(' ') {
                    self.buf.pop();
                }
                for _ in 0..self.breaks {
                    self.buf.push('\n');
                }
            } else if self.pending_space && !self.buf.ends_with([' ', '\n']) {
                self.buf.push(' ');
            }
        }
        self.breaks = 0;
        self.pending_space = false;
        self.buf.push_str(s);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    /// `<br>` or a Moodle newline: one more line break, two at most.
    fn line_break(&mut self) {
        self.breaks = (self.breaks + 1).min(2);
    }

    /// A block starts or ends: at least `n` line breaks.
    fn block(&mut self, n: u8) {
        self.breaks = self.breaks.max(n);
    }

    fn raw_newline(&mut self) {
        self.word("\n");
    }

    /// Handles the markup at the start of `s` (which starts with `<`) and
    /// returns what follows it. Text that only looks like markup (`a < b`)
    /// is written as it is.
    fn markup<'a>(&mut self, s: &'a str) -> &'a str {
        if let Some(body) = s.strip_prefix("<!--") {
            return body.find("-->").map_or("", |i| &body[i + 3..]);
        }
        let second = s[1..].chars().next();
        let is_tag = match second {
            Some('/') => s[2..].starts_with(|c: char| c.is_ascii_alphabetic()),
            Some('!' | '?') => true,
            Some(c) => c.is_ascii_alphabetic(),
            None => false,
        };
        let Some(end) = is_tag.then(|| tag_end(s)).flatten() else {
            self.word("<");
            return &s[1..];
        };
        let inner = &s[1..end];
        let rest = &s[end + 1..];
        if inner.starts_with(['!', '?']) {
            return rest;
        }
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(i) => (true, i),
            None => (false, inner),
        };
        let name_len = inner
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(inner.len());
        let name = inner[..name_len].to_ascii_lowercase();
        let attrs = &inner[name_len..];
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "title") {
            return skip_element(rest, &name);
        }
        self.element(&name, closing, attrs);
        rest
    }

    fn element(&mut self, name: &str, closing: bool, attrs: &str) {
        match name {
            "br" => self.line_break(),
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "table" | "hr"
            | "figure" | "address" | "center" | "fieldset" | "dl" => self.block(2),
            "pre" => {
                self.block(2);
                if closing {
                    self.pre = self.pre.saturating_sub(1);
                } else {
                    self.pre += 1;
                }
            }
            "ul" | "ol" => {
                if closing {
                    self.lists.pop();
                    self.block(if self.lists.is_empty() { 2 } else { 1 });
                } else {
                    self.block(if self.lists.is_empty() { 2 } else { 1 });
                    self.lists.push((name == "ol").then_some(1));
                }
            }
            "li" => {
                self.block(1);
                if !closing {
                    let depth = self.lists.len().saturating_sub(1);
                    let marker = match self.lists.last_mut() {
                        Some(Some(n)) => {
                            let m = format!("{n}. ");
                            *n += 1;
                            m
                        }
                        _ => "- ".to_string(),
                    };
                    let indent = "  ".repeat(depth);
                    self.word(&format!("{indent}{marker}"));
                }
            }
            "div" | "section" | "article" | "header" | "footer" | "nav" | "aside" | "main"
            | "figcaption" | "dt" | "dd" | "caption" | "form" | "legend" => self.block(1),
            "tr" => {
                self.block(1);
                self.first_cell = true;
            }
            "td" | "th" if !closing => {
                if !self.first_cell {
                    self.word(" | ");
                }
                self.first_cell = false;
            }
            "a" => self.link(closing, attrs),
            "img" if !closing => {
                let alt = attribute(attrs, "alt").unwrap_or_default();
                let file = attribute(attrs, "src").map(|s| file_name(&s));
                let label = if alt.trim().is_empty() {
                    file.clone().unwrap_or_else(|| "image".into())
                } else {
                    alt.trim().to_string()
                };
                self.media.push(file.unwrap_or_else(|| label.clone()));
                self.space();
                self.word(&format!("[image: {label}]"));
                self.space();
            }
            "audio" | "video" | "iframe" | "object" | "embed" if !closing => {
                let src = attribute(attrs, "src")
                    .or_else(|| attribute(attrs, "data"))
                    .map(|s| file_name(&s));
                let label = src.unwrap_or_else(|| name.to_string());
                self.media.push(label.clone());
                self.space();
                self.word(&format!("[{name}: {label}]"));
                self.space();
            }
            _ => {}
        }
    }

    fn link(&mut self, closing: bool, attrs: &str) {
        if !closing {
            let href = attribute(attrs, "href").filter(|h| {
                let h = h.trim();
                !h.is_empty()
                    && !h.starts_with('#')
                    && !h.starts_with("javascript:")
                    && !h.starts_with("@@PLUGINFILE@@")
            });
            self.links.push((self.buf.len(), href));
            return;
        }
        let Some((start, Some(href))) = self.links.pop() else {
            return;
        };
        let shown = self.buf.get(start..).unwrap_or("").trim();
        let bare = |s: &str| {
            s.trim_end_matches('/')
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .to_string()
        };
        if shown.is_empty() {
            self.word(href.trim());
        } else if !bare(shown).contains(&bare(href.trim())) {
            self.space();
            self.word(&format!("({})", href.trim()));
        }
    }
}

/// Where the tag starting at `s[0] == '<'` ends (the index of its `>`),
/// skipping `>` inside quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// Skips the content of `<script>`, `<style>`… up to their closing tag.
fn skip_element<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let close = format!("</{name}");
    match lower.find(&close) {
        Some(i) => match s[i..].find('>') {
            Some(j) => &s[i + j + 1..],
            None => "",
        },
        None => "",
    }
}

/// The value of attribute `name` in a tag's attribute text, entities decoded.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(end) => (&after[1..=end], &after[end + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = next;
            Some(value)
        } else {
            None
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(decode_entities(value.unwrap_or("")));
        }
        if key_len == 0 && value.is_none() {
            // Nothing could be read: skip one character to make progress.
            let skip = rest.chars().next().map_or(0, char::len_utf8);
            rest = &rest[skip..];
        }
    }
}

/// The file name at the end of a URL: `@@PLUGINFILE@@/dir/a%20b.png?x` → `a b.png`.
fn file_name(src: &str) -> String {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let name = path.rsplit('/').next().unwrap_or(path).trim();
    let name = name.replace("%20", " ");
    if name.is_empty() {
        "image".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(s: &str) -> String {
        to_text(s, Newlines::Space).text
    }

    #[test]
    fn paragraphs_and_breaks_are_kept() {
        assert_eq!(html("<p>One</p><p>Two<br>three</p>"), "One\n\nTwo\nthree");
        assert_eq!(html("a<br><br>b"), "a\n\nb");
        assert_eq!(html("<p>Text<br></p>\n<p>More</p>"), "Text\n\nMore");
    }

    #[test]
    fn whitespace_collapses_in_html_and_breaks_in_moodle_text() {
        assert_eq!(html("a \n\t b"), "a b");
        assert_eq!(to_text("a\nb", Newlines::Break).text, "a\nb");
        assert_eq!(to_text("a  b", Newlines::Break).text, "a b");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            html("&lt;b&gt; &amp; &quot;x&quot; caf&eacute; &#233;&#xE9; &euro;&nbsp;5 &alpha;"),
            "<b> & \"x\" café éé € 5 α"
        );
        assert_eq!(html("&#146;&#150;"), "’–");
        assert_eq!(html("&unknown; & &amp"), "&unknown; & &amp");
        assert_eq!(html("&#0;&#xD800;&#99999999;"), "\u{FFFD}\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn tags_are_dropped_and_less_than_is_text() {
        assert_eq!(
            html("<span style=\"a>b\">x</span> < 3 and 2<3 <em>y</em>"),
            "x < 3 and 2<3 y"
        );
        assert_eq!(html("<script>alert(1)</script>ok<!-- c -->!"), "ok!");
        assert_eq!(html("a <b"), "a <b");
    }

    #[test]
    fn lists_tables_and_links_read_as_text() {
        assert_eq!(html("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
        assert_eq!(html("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
        assert_eq!(
            html("<table><tr><td>a</td><td>b</td></tr></table>"),
            "a | b"
        );
        assert_eq!(
            html("see <a href=\"http://x.org/doc\">the docs</a>."),
            "see the docs (http://x.org/doc)."
        );
        assert_eq!(
            html("<a href=\"http://x.org\">http://x.org</a>"),
            "http://x.org"
        );
    }

    #[test]
    fn images_are_named() {
        let r = to_text(
            "Look:<br><img src=\"@@PLUGINFILE@@/moodle%20which.jpg\" alt=\"\"><br>",
            Newlines::Space,
        );
        assert_eq!(r.text, "Look:\n[image: moodle which.jpg]");
        assert_eq!(r.media, vec!["moodle which.jpg".to_string()]);
        let r = to_text("<img alt='A cat' src='c.png'/>", Newlines::Space);
        assert_eq!(r.text, "[image: A cat]");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(tidy("a\u{1b}[2Jb\u{7}\r\n\n\n\nc  "), "a[2Jb\n\nc");
        assert_eq!(plain("x\r\ny\rz"), "x\ny\nz");
    }
}
