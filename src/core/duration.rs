//! Reading the durations and dates counsellors type in commands: `45m`, `1h30m`,
//! `1,5u`; `2026-12-01`, `1-12-2026`.

use jiff::civil::Date;

use super::time::SignedDuration;

/// A duration as typed; `None` if it is not one.
pub fn parse(text: &str) -> Option<SignedDuration> {
    let text = text.trim().to_lowercase().replace(' ', "");
    if text.is_empty() {
        return None;
    }
    // Dutch and English shorthands people type on a phone.
    let normalised = text
        .replace("uur", "h")
        .replace('u', "h")
        .replace("min", "m")
        .replace(',', ".");
    if let Ok(span) = normalised.parse::<jiff::Span>() {
        return span
            .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
            .ok()
            .filter(|d| !d.is_negative() && d.as_mins() as f64 <= MAX_MINUTES);
    }
    // "1.5h"
    let (number, unit) = normalised.split_at(normalised.find(|c: char| c.is_alphabetic())?);
    let value: f64 = number.parse().ok()?;
    let minutes = match unit {
        "h" => value * 60.0,
        "m" => value,
        _ => return None,
    };
    // Beyond this no command means it; jiff would overflow (and panic) not far above.
    (minutes.is_finite() && (0.0..=MAX_MINUTES).contains(&minutes))
        .then(|| SignedDuration::from_mins(minutes.round() as i64))
}

/// The longest duration any command takes: a year, in minutes.
const MAX_MINUTES: f64 = 366.0 * 24.0 * 60.0;

/// A calendar date as typed: ISO (`2026-12-01`) or day first (`1-12-2026`, `1/12/2026`).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Ok(date) = text.parse::<Date>() {
        return Some(date);
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_people_type() {
        assert_eq!(parse("45m"), Some(SignedDuration::from_mins(45)));
        assert_eq!(parse("1h30m"), Some(SignedDuration::from_mins(90)));
        assert_eq!(parse("2 uur"), Some(SignedDuration::from_mins(120)));
        assert_eq!(parse("1,5u"), Some(SignedDuration::from_mins(90)));
        assert_eq!(parse("soon"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn absurd_durations_are_no_durations_and_never_panic() {
        for text in [
            "200000000000000000m",
            "1e300h",
            "99999999999999999999999u",
            "-5m",
            "NaNh",
            "infm",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn dates_people_type() {
        let expected = Date::new(2026, 12, 1).ok();
        assert_eq!(parse_date("2026-12-01"), expected);
        assert_eq!(parse_date("1-12-2026"), expected);
        assert_eq!(parse_date("01/12/2026"), expected);
        assert_eq!(parse_date("31-02-2026"), None);
        assert_eq!(parse_date("next week"), None);
    }
}
