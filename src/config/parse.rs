//! Reading the config file as written, reporting every mistake in one round. The TOML
//! parser and serde stop at the first error; so each error's line is left out (commented)
//! and the file read again, until it reads or nothing more can be learned. An error that
//! only follows from a line left out ("missing field" for a key whose line went, a
//! syntax error right after one) is not reported again.

use std::path::Path;

use super::Problems;
use super::raw::RawConfig;

/// More rounds than this and the file is too broken to be worth listing line by line.
const MAX_ROUNDS: usize = 25;

pub fn parse_all(text: &str, path: &Path) -> Result<RawConfig, Problems> {
    let original: Vec<&str> = text.lines().collect();
    let mut lines: Vec<String> = original.iter().map(|l| (*l).to_owned()).collect();
    let mut problems = Problems::default();
    let mut left_out: Vec<(usize, String)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let current = lines.join("\n");
        let error = match toml::from_str::<RawConfig>(&current) {
            Ok(raw) if problems.is_empty() => return Ok(raw),
            Ok(_) => return Err(problems),
            Err(error) => error,
        };
        let Some(span) = error.span() else {
            problems.push(path.display().to_string(), error.message().to_owned());
            return Err(problems);
        };
        let index = current[..span.start.min(current.len())]
            .matches('\n')
            .count();
        let consequence = follows_from(&left_out, index, error.message());
        if !consequence {
            let quoted = original.get(index).map_or("", |l| l.trim());
            problems.push(
                format!("{}:{} (`{quoted}`)", path.display(), index + 1),
                error.message().to_owned(),
            );
        }
        // A missing setting cannot be left out; nor can a line twice.
        let Some(line) = lines.get_mut(index) else {
            return Err(problems);
        };
        if error.message().starts_with("missing field") || line.trim_start().starts_with('#') {
            return Err(problems);
        }
        let key = key_of(line);
        // A value of the wrong type is replaced by one of the right type (so the setting
        // is not missing next round); anything else is left out.
        *line = match placeholder(error.message()) {
            Some(value) if !key.is_empty() => format!("{key} = {value} # {line}"),
            _ => format!("# {line}"),
        };
        left_out.push((index, key));
    }
    Err(problems)
}

/// A value of the type an "invalid type: …, expected …" message asks for.
fn placeholder(message: &str) -> Option<&'static str> {
    if !(message.starts_with("invalid type") || message.starts_with("invalid value")) {
        return None;
    }
    let expected = message.split("expected").nth(1)?;
    let words: Vec<&str> = expected
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |names: &[&str]| words.iter().any(|w| names.contains(w));
    let value = if has(&["string", "path", "str"]) {
        "\"\""
    } else if has(&["boolean", "bool"]) {
        "false"
    } else if has(&["f32", "f64", "float"]) {
        "0.0"
    } else if has(&[
        "integer", "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize",
    ]) {
        "0"
    } else if has(&["sequence", "array"]) {
        "[]"
    } else {
        return None;
    };
    Some(value)
}

/// The key a `key = value` line sets ("" for other lines).
fn key_of(line: &str) -> String {
    line.split_once('=')
        .map(|(key, _)| key.trim().trim_matches('"').to_owned())
        .unwrap_or_default()
}

/// Whether an error only follows from lines already left out.
fn follows_from(left_out: &[(usize, String)], index: usize, message: &str) -> bool {
    left_out.iter().any(|(at, key)| {
        (!key.is_empty() && message.starts_with(&format!("missing field `{key}`")))
            || (*at + 1 == index && !message.contains("field"))
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::parse_all;

    const GOOD: &str = r#"
[organisation]
name = "Testbedrijf"

[storage]
data_dir = "/var/lib/confidant"
master_key_file = "/etc/confidant/master.key"

[matrix]
homeserver_url = "https://matrix.example.org"
user_id = "@confidant:example.org"
"#;

    #[test]
    fn a_good_file_reads() {
        assert!(parse_all(GOOD, Path::new("c.toml")).is_ok());
    }

    #[test]
    fn every_mistake_is_listed_with_its_line_in_one_round() {
        let text = GOOD
            .replace(
                "name = \"Testbedrijf\"",
                "name = \"Testbedrijf\"\nnaem = \"x\"",
            )
            .replace(
                "user_id = \"@confidant:example.org\"",
                "user_id = 42\ndevice_nmae = \"bot\"",
            );
        let problems = parse_all(&text, Path::new("c.toml")).unwrap_err();
        let lines: Vec<String> = problems.0.iter().map(|p| p.to_string()).collect();
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("c.toml:4 (`naem = \"x\"`)")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.contains("`user_id = 42`")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.contains("device_nmae")),
            "{lines:#?}"
        );
        assert!(
            !lines.iter().any(|l| l.contains("missing field `user_id`")),
            "no echo of a line left out: {lines:#?}"
        );
    }

    #[test]
    fn placeholders_have_the_type_asked_for() {
        use super::placeholder;
        assert_eq!(
            placeholder("invalid type: integer `4`, expected a string"),
            Some("\"\"")
        );
        assert_eq!(
            placeholder("invalid type: string \"x\", expected u32"),
            Some("0")
        );
        assert_eq!(
            placeholder("invalid type: string \"x\", expected a sequence"),
            Some("[]")
        );
        assert_eq!(
            placeholder("invalid type: string \"x\", expected a boolean"),
            Some("false")
        );
        assert_eq!(placeholder("unknown field `x`"), None);
    }

    #[test]
    fn a_missing_section_is_reported_once() {
        let text = GOOD.replace("[storage]", "[storag]");
        let problems = parse_all(&text, Path::new("c.toml")).unwrap_err();
        assert!(!problems.0.is_empty());
    }
}
