//! Money: integer cents of euros. No floats anywhere near money.

/// The largest amount a single pledge, estimate or award may carry: 10^12 cents (ten
/// billion euros), far above any municipal budget and far below `i64::MAX`, so that sums
/// of many amounts cannot overflow.
pub const MAX_CENTS: i64 = 1_000_000_000_000;

/// A pledge, estimate or threshold: more than zero, at most [`MAX_CENTS`].
pub fn positive_amount(cents: i64) -> Result<i64, String> {
    if cents <= 0 {
        Err("must be a positive amount of cents".into())
    } else if cents > MAX_CENTS {
        Err(format!("must be at most {MAX_CENTS} cents"))
    } else {
        Ok(cents)
    }
}

/// Adds amounts, failing instead of wrapping.
pub fn sum(amounts: impl IntoIterator<Item = i64>) -> Option<i64> {
    amounts.into_iter().try_fold(0i64, |acc, x| acc.checked_add(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert!(positive_amount(0).is_err());
        assert!(positive_amount(-5).is_err());
        assert_eq!(positive_amount(1), Ok(1));
        assert_eq!(positive_amount(MAX_CENTS), Ok(MAX_CENTS));
        assert!(positive_amount(MAX_CENTS + 1).is_err());
    }

    #[test]
    fn sum_detects_overflow() {
        assert_eq!(sum([1, 2, 3]), Some(6));
        assert_eq!(sum([i64::MAX, 1]), None);
    }
}
