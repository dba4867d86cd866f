//! Durations as authors write them: `45m`, `1h30m`, `90s`, `2d`.

use std::time::Duration;

/// Parses `1h30m`-style durations: one or more `<number><unit>` parts, with
/// units `d`, `h`, `m` and `s`, largest first, spaces allowed between parts.
///
/// Returns a sentence saying what is wrong when the text is not a duration.
pub fn parse(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("the duration is empty".into());
    }
    let mut total: u64 = 0;
    let mut last_rank = usize::MAX;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!(
                "expected a number at `{rest}` (write e.g. `45m` or `1h30m`)"
            ));
        }
        let value: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("`{}` is too large", &rest[..digits]))?;
        rest = &rest[digits..];
        let unit = rest.chars().next().ok_or_else(|| {
            format!("`{value}` has no unit: add `h`, `m` or `s` (e.g. `{value}m`)")
        })?;
        let (rank, seconds) = match unit {
            'd' => (0, 86_400),
            'h' => (1, 3_600),
            'm' => (2, 60),
            's' => (3, 1),
            other => {
                return Err(format!("unknown unit `{other}`: use `d`, `h`, `m` or `s`"));
            }
        };
        if last_rank != usize::MAX && rank <= last_rank {
            return Err("units must go from largest to smallest, each once (e.g. `1h30m`)".into());
        }
        last_rank = rank;
        total = value
            .checked_mul(seconds)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(|| "the duration is too large".to_string())?;
        rest = rest[1..].trim_start();
    }
    Ok(Duration::from_secs(total))
}

/// Formats a duration the way [`parse`] reads it (`1h30m`, `45m`, `20s`).
pub fn format(duration: Duration) -> String {
    let mut secs = duration.as_secs();
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_forms() {
        assert_eq!(parse("45m"), Ok(Duration::from_secs(2_700)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse("1h 30m 15s"), Ok(Duration::from_secs(5_415)));
        assert_eq!(parse("2d"), Ok(Duration::from_secs(172_800)));
        assert_eq!(parse("0m"), Ok(Duration::ZERO));
    }

    #[test]
    fn says_what_is_wrong() {
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse("30").unwrap_err().contains("no unit"));
        assert!(parse("30x").unwrap_err().contains("unknown unit `x`"));
        assert!(parse("m").unwrap_err().contains("expected a number"));
        assert!(parse("30m1h").unwrap_err().contains("largest to smallest"));
        assert!(parse("1m1m").unwrap_err().contains("largest to smallest"));
        assert!(
            parse("99999999999999999999s")
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            parse("999999999999999999d")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn formats_round_trip() {
        for text in ["45m", "1h30m", "20s", "2d", "1h", "1d2h3m4s"] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
    }
}
