//! Decimal text to `f64` without `str::parse::<f64>`: the standard parser brings ~15 KB of
//! code and tables into the wasm, for numbers that are, in this API, counts and seconds.
//!
//! Exact (correctly rounded) whenever the significant digits fit in 2^53 and the power of ten
//! is at most 22 (Clinger's fast path: every realistic answer); otherwise within a few ulps.

/// Powers of ten that an `f64` holds exactly.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `[+-]digits[.digits][(e|E)[+-]digits]`, with digits on at least one side of the point.
/// `None` for anything else (no `inf`, `nan` or hex) and for results that overflow.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            pos = 1;
            true
        }
        Some(b'+') => {
            pos = 1;
            false
        }
        _ => false,
    };
    let mut mantissa: u64 = 0;
    let mut exponent: i64 = 0;
    let mut digits = 0;
    let mut fraction = false;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    exponent -= i64::from(fraction);
                } else {
                    exponent += i64::from(!fraction); // a digit beyond 19: only its place counts
                }
            }
            b'.' if !fraction => fraction = true,
            _ => break,
        }
        pos += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(pos) {
        pos += 1;
        let sign = match bytes.get(pos) {
            Some(b'-') => {
                pos += 1;
                -1
            }
            Some(b'+') => {
                pos += 1;
                1
            }
            _ => 1,
        };
        let start = pos;
        let mut value: i64 = 0;
        while let Some(&b @ b'0'..=b'9') = bytes.get(pos) {
            value = (value * 10 + i64::from(b - b'0')).min(100_000);
            pos += 1;
        }
        if pos == start {
            return None;
        }
        exponent += sign * value;
    }
    if pos != bytes.len() {
        return None;
    }
    let magnitude = scale(mantissa, exponent);
    magnitude
        .is_finite()
        .then_some(if negative { -magnitude } else { magnitude })
}

fn scale(mantissa: u64, exponent: i64) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    let m = mantissa as f64;
    if mantissa < 1 << 53 && exponent.unsigned_abs() < EXACT_POWERS.len() as u64 {
        let power = EXACT_POWERS[exponent.unsigned_abs() as usize];
        return if exponent < 0 { m / power } else { m * power };
    }
    // Rare: scale the digits into [1, 10) first (exact division), then apply the power in two
    // halves, so no step overflows or underflows before the other.
    let places = mantissa.ilog10();
    let leading = m / EXACT_POWERS[places as usize];
    let e = (exponent + i64::from(places)).clamp(-800, 800) as i32;
    let half = e / 2;
    leading * 10f64.powi(half) * 10f64.powi(e - half)
}

#[cfg(test)]
mod tests {
    use super::parse_decimal;

    #[test]
    fn agrees_with_the_standard_parser() {
        let samples = [
            "0",
            "-0",
            "1",
            "42",
            "3600",
            "1.5",
            "-2.25",
            "0.1",
            "1e3",
            "1E-3",
            "2.5e+2",
            "+7",
            ".5",
            "5.",
            "123456789012345678",
            "9007199254740993",
            "1e22",
            "1e23",
            "1.5e308",
            "5e-324",
            "0.000001",
            "12345678901234567890123",
            "4.35",
            "99.99",
        ];
        for s in samples {
            let ours = parse_decimal(s).unwrap_or_else(|| panic!("{s} not parsed"));
            let std: f64 = s.parse().unwrap();
            let ulps = (ours.to_bits() as i64 - std.to_bits() as i64).abs();
            let relative = ((ours - std) / std).abs();
            assert!(ulps <= 2 || relative < 1e-14, "{s}: {ours} vs {std}");
        }
    }

    #[test]
    fn exact_on_the_fast_path() {
        for s in ["0.1", "1.5", "3600", "0.3", "123.456", "1e22", "4.35"] {
            assert_eq!(parse_decimal(s), s.parse().ok(), "{s}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_decimal() {
        for s in [
            "", "-", "+", ".", "e3", "1e", "1e+", "inf", "NaN", "0x10", "1.2.3", " 1", "1 ",
            "1e400",
        ] {
            assert_eq!(parse_decimal(s), None, "{s:?}");
        }
    }
}
