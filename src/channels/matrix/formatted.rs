//! A counsellor's formatted message (Element's `formatted_body`, HTML) as the employee
//! should read it: Telegram's HTML subset (bold, italic, underline, strike, code, pre,
//! quotes, links) with everything else reduced to its text, lists as bullet or numbered
//! lines, and a plain-text twin for chats without formatting and for the transcript.
//!
//! What never leaves the room: a reply's quoted fallback (`<mx-reply>`), and a mention
//! (a "pill", a link to `matrix.to/#/@user`), which becomes the counsellor's first name
//! when the person is on the roster, and nothing otherwise: never a Matrix id or a full
//! display name.

use ruma_html::{Html, NodeData, NodeRef};

use crate::core::present::escape_html as escape;
use crate::core::settings::Roster;

/// A formatted message in both forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub plain: String,
    /// Telegram HTML: only tags Telegram knows, every text escaped.
    pub html: String,
}

/// Renders Element's `formatted_body`.
pub fn render(formatted_body: &str, roster: &Roster) -> Rendered {
    let html = Html::parse(formatted_body);
    let mut writer = Writer {
        plain: String::new(),
        html: String::new(),
        roster,
        lists: Vec::new(),
        in_pre: false,
    };
    for child in html.children() {
        writer.node(&child);
    }
    Rendered {
        plain: tidy(&writer.plain),
        html: tidy(&writer.html),
    }
}

/// Without spaces at line ends or blank lines at the end.
fn tidy(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_owned()
}

struct Writer<'r> {
    plain: String,
    html: String,
    roster: &'r Roster,
    /// Open lists: `None` for bullets, `Some(next number)` for a numbered one.
    lists: Vec<Option<u64>>,
    in_pre: bool,
}

impl Writer<'_> {
    fn node(&mut self, node: &NodeRef) {
        match node.data() {
            NodeData::Text(text) => self.text(&text.borrow()),
            NodeData::Element(element) => {
                let name = element.name.local.to_string();
                let attr = |wanted: &str| {
                    element
                        .attrs
                        .borrow()
                        .iter()
                        .find(|a| &*a.name.local == wanted)
                        .map(|a| a.value.to_string())
                };
                self.element(node, &name, &attr);
            }
            NodeData::Document | NodeData::Other => {}
        }
    }

    fn children(&mut self, node: &NodeRef) {
        for child in node.children() {
            self.node(&child);
        }
    }

    /// Text as HTML shows it: outside `<pre>`, runs of white space (the line breaks
    /// between Element's tags among them) are one space, and none opens a line.
    fn text(&mut self, text: &str) {
        if self.in_pre {
            self.push(text);
            return;
        }
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut shown = String::new();
        if text.starts_with(char::is_whitespace) && !self.at_line_start() {
            shown.push(' ');
        }
        shown.push_str(&collapsed);
        if text.ends_with(char::is_whitespace) && !collapsed.is_empty() {
            shown.push(' ');
        }
        if shown == " " && self.plain.ends_with(' ') {
            return;
        }
        self.push(&shown);
    }

    fn at_line_start(&self) -> bool {
        self.plain.is_empty() || self.plain.ends_with('\n')
    }

    fn push(&mut self, text: &str) {
        self.plain.push_str(text);
        self.html.push_str(&escape(text));
    }

    fn newline(&mut self) {
        self.plain.push('\n');
        self.html.push('\n');
    }

    /// Starts a new line unless at the start of one.
    fn line_start(&mut self) {
        if !self.plain.is_empty() && !self.plain.ends_with('\n') {
            self.newline();
        }
    }

    fn wrapped(&mut self, node: &NodeRef, tag: &str) {
        self.html.push_str(&format!("<{tag}>"));
        self.children(node);
        self.html.push_str(&format!("</{tag}>"));
    }

    fn element(&mut self, node: &NodeRef, name: &str, attr: &dyn Fn(&str) -> Option<String>) {
        match name {
            // A reply's quote of what it answers never leaves the room.
            "mx-reply" => {}
            "br" => self.newline(),
            "p" | "div" => {
                self.line_start();
                self.children(node);
                self.newline();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.line_start();
                self.wrapped(node, "b");
                self.newline();
            }
            "b" | "strong" => self.wrapped(node, "b"),
            "i" | "em" => self.wrapped(node, "i"),
            "u" | "ins" => self.wrapped(node, "u"),
            "s" | "del" | "strike" => self.wrapped(node, "s"),
            "code" if self.in_pre => self.children(node),
            "code" => self.wrapped(node, "code"),
            "pre" => {
                self.line_start();
                self.in_pre = true;
                self.wrapped(node, "pre");
                self.in_pre = false;
                self.newline();
            }
            "blockquote" => {
                self.line_start();
                self.wrapped(node, "blockquote");
                self.newline();
            }
            "ul" | "ol" => {
                self.line_start();
                let start = attr("start").and_then(|s| s.parse().ok()).unwrap_or(1);
                self.lists.push((name == "ol").then_some(start));
                self.children(node);
                self.lists.pop();
            }
            "li" => {
                self.line_start();
                let indent = "  ".repeat(self.lists.len().saturating_sub(1));
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n += 1;
                        marker
                    }
                    _ => "• ".to_owned(),
                };
                self.push(&format!("{indent}{marker}"));
                self.children(node);
                self.line_start();
            }
            "a" => self.link(node, attr("href")),
            // Anything else (span, font, img, ...) gives its text, nothing more.
            _ => self.children(node),
        }
    }

    fn link(&mut self, node: &NodeRef, href: Option<String>) {
        let href = href.unwrap_or_default();
        if let Some(user) = mentioned_user(&href) {
            // A mention: the counsellor's first name, or nothing.
            if let Some(counsellor) = self.roster.find(&user) {
                let name = counsellor.first_name.clone();
                self.push(&name);
            }
            return;
        }
        if href.starts_with("https://") || href.starts_with("http://") {
            let before = self.plain.len();
            self.html
                .push_str(&format!("<a href=\"{}\">", escape(&href)));
            self.children(node);
            self.html.push_str("</a>");
            let shown = self.plain[before..].to_owned();
            if shown.trim() != href && !href.starts_with("https://matrix.to/") {
                self.plain.push_str(&format!(" ({href})"));
            }
        } else {
            self.children(node);
        }
    }
}

/// The user a `matrix.to` (or `matrix:u/`) link points at, if it points at one.
fn mentioned_user(href: &str) -> Option<String> {
    let rest = href
        .strip_prefix("https://matrix.to/#/")
        .map(|r| r.split(['?', '/']).next().unwrap_or(r).to_owned())
        .or_else(|| {
            href.strip_prefix("matrix:u/")
                .map(|r| format!("@{}", r.split('?').next().unwrap_or(r)))
        })?;
    let decoded = rest
        .replace("%40", "@")
        .replace("%3A", ":")
        .replace("%3a", ":");
    decoded.starts_with('@').then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::{Rendered, render};
    use crate::core::settings::{Counsellor, CounsellorKind, Gender, Roster};

    fn roster() -> Roster {
        Roster {
            counsellors: vec![Counsellor {
                matrix_id: "@bram:example.org".into(),
                first_name: "Bram".into(),
                gender: Gender::Male,
                kind: CounsellorKind::Internal,
                languages: Vec::new(),
                regions: Vec::new(),
                max_open_cases: 10,
            }],
            coordinator: None,
            backup: None,
        }
    }

    fn both(html: &str) -> Rendered {
        render(html, &roster())
    }

    #[test]
    fn bold_italic_and_code_become_telegram_tags_and_text_is_escaped() {
        let r = both("<strong>Let op</strong>: <em>1 &lt; 2</em> en <code>x&amp;y</code>");
        assert_eq!(
            r.html,
            "<b>Let op</b>: <i>1 &lt; 2</i> en <code>x&amp;y</code>"
        );
        assert_eq!(r.plain, "Let op: 1 < 2 en x&y");
    }

    #[test]
    fn lists_become_lines_with_bullets_or_numbers() {
        let r =
            both("<p>Stappen:</p><ol><li>bellen</li><li>mailen</li></ol><ul><li>rustig</li></ul>");
        assert_eq!(r.plain, "Stappen:\n1. bellen\n2. mailen\n• rustig");
    }

    #[test]
    fn a_link_keeps_its_address_and_a_script_is_only_text() {
        let r = both(
            r#"Zie <a href="https://example.org/a?b=1&amp;c=2">de regeling</a><script>alert(1)</script>"#,
        );
        assert_eq!(
            r.html,
            r#"Zie <a href="https://example.org/a?b=1&amp;c=2">de regeling</a>alert(1)"#
        );
        assert_eq!(
            r.plain,
            "Zie de regeling (https://example.org/a?b=1&c=2)alert(1)"
        );
    }

    #[test]
    fn a_mention_is_a_first_name_or_nothing_and_a_reply_quote_never_leaves() {
        let r = both(concat!(
            r#"<mx-reply><blockquote><a href="https://matrix.to/#/@anna:example.org">Anna</a> !note geheim</blockquote></mx-reply>"#,
            r#"Ik vraag het <a href="https://matrix.to/#/@bram:example.org">Bram Jansen</a> en "#,
            r#"<a href="https://matrix.to/#/@carla:example.org">Carla de Vries</a>."#
        ));
        assert_eq!(r.plain, "Ik vraag het Bram en .");
        assert!(!r.html.contains("geheim") && !r.html.contains('@') && !r.html.contains("Jansen"));
    }
}
