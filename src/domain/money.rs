//! Money: integer cents of euros. No floats anywhere near money.
//!
//! Amounts inside the service are [`Cents`]: sums are checked, never wrapped. The HTTP API
//! and the database carry plain integers; the conversion happens where a value crosses
//! that boundary ([`Cents::positive`] for input, [`Cents::get`] for output).

use serde::{Deserialize, Serialize};

/// The largest amount a single pledge, estimate or award may carry: 10^12 cents (ten
/// billion euros), far above any municipal budget and far below `i64::MAX`, so that sums
/// of many amounts cannot overflow.
pub const MAX_CENTS: i64 = 1_000_000_000_000;

/// An amount of euro cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// Wraps a stored or computed amount. Amounts from clients go through
    /// [`Cents::positive`] instead.
    pub const fn new(cents: i64) -> Self {
        Self(cents)
    }

    /// A pledge, estimate, threshold or award as a client gives it: more than zero, at most
    /// [`MAX_CENTS`].
    pub fn positive(cents: i64) -> Result<Self, String> {
        if cents <= 0 {
            Err("must be a positive amount of cents".into())
        } else if cents > MAX_CENTS {
            Err(format!("must be at most {MAX_CENTS} cents"))
        } else {
            Ok(Self(cents))
        }
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// The integer inside, borrowed (what a database driver binds).
    pub const fn as_i64_ref(&self) -> &i64 {
        &self.0
    }

    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    /// Adds amounts, failing instead of wrapping.
    pub fn sum(amounts: impl IntoIterator<Item = Cents>) -> Option<Cents> {
        amounts.into_iter().try_fold(Cents::ZERO, Cents::checked_add)
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }
}

impl std::fmt::Display for Cents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} cents", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert!(Cents::positive(0).is_err());
        assert!(Cents::positive(-5).is_err());
        assert_eq!(Cents::positive(1), Ok(Cents::new(1)));
        assert_eq!(Cents::positive(MAX_CENTS), Ok(Cents::new(MAX_CENTS)));
        assert!(Cents::positive(MAX_CENTS + 1).is_err());
    }

    #[test]
    fn sum_detects_overflow() {
        assert_eq!(Cents::sum([1, 2, 3].map(Cents::new)), Some(Cents::new(6)));
        assert_eq!(Cents::sum([i64::MAX, 1].map(Cents::new)), None);
        assert_eq!(Cents::sum([]), Some(Cents::ZERO));
    }

    #[test]
    fn serialises_as_a_bare_integer() {
        assert_eq!(serde_json::to_string(&Cents::new(2500)).unwrap(), "2500");
    }
}
