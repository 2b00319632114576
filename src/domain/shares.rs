//! Who pays what: the amount due, split pro rata to pledges with largest-remainder rounding.

use super::money::Cents;

/// What the participants pay together: what they pledged, capped by the target cost. A pool
/// without a target (no estimate yet) is paid up to what was pledged.
pub fn payable(pledged: Cents, target: Option<Cents>) -> Cents {
    target.map_or(pledged, |target| pledged.min(target)).max(Cents::ZERO)
}

/// Splits `total` between `pledges`, in proportion to each pledge, in whole cents.
///
/// Each participant first gets the floor of its exact share; the cents left over go one by
/// one to the largest fractional remainders, ties to the earlier entry (callers order
/// participants by organisation id), so the result is deterministic. The shares sum to
/// exactly `min(total, sum(pledges))` and no share exceeds its pledge.
pub fn split(total: Cents, pledges: &[Cents]) -> Vec<Cents> {
    let total = total.get();
    let pledged: i128 = pledges.iter().map(|p| i128::from(p.get().max(0))).sum();
    if pledged == 0 || total <= 0 {
        return vec![Cents::ZERO; pledges.len()];
    }
    let total = i128::from(total).min(pledged);
    let mut shares = Vec::with_capacity(pledges.len());
    let mut remainders = Vec::with_capacity(pledges.len());
    for (index, pledge) in pledges.iter().enumerate() {
        let exact = total * i128::from(pledge.get().max(0));
        shares.push(exact / pledged);
        remainders.push((exact % pledged, index));
    }
    let left: i128 = total - shares.iter().sum::<i128>();
    // Largest remainder first; equal remainders keep their order.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, index) in remainders.iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[index] += 1;
    }
    // Every share is at most its pledge, which fits in i64.
    shares.into_iter().map(|s| Cents::new(i64::try_from(s).unwrap_or(i64::MAX))).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Cents;

    /// The functions on plain integers, to keep the examples readable.
    fn split(total: i64, pledges: &[i64]) -> Vec<i64> {
        let pledges: Vec<Cents> = pledges.iter().copied().map(Cents::new).collect();
        super::split(Cents::new(total), &pledges).into_iter().map(Cents::get).collect()
    }

    fn payable(pledged: i64, target: Option<i64>) -> i64 {
        super::payable(Cents::new(pledged), target.map(Cents::new)).get()
    }

    #[test]
    fn examples() {
        assert_eq!(split(60, &[30, 20, 40]), vec![20, 13, 27]);
        assert_eq!(split(100, &[1, 1, 1]), vec![1, 1, 1]);
        assert_eq!(split(10, &[1, 1, 1]), vec![1, 1, 1]);
        assert_eq!(split(2, &[1, 1, 1]), vec![1, 1, 0]);
        assert_eq!(split(0, &[5, 5]), vec![0, 0]);
        assert_eq!(split(7, &[]), Vec::<i64>::new());
        assert_eq!(split(5, &[0, 10]), vec![0, 5]);
        assert_eq!(payable(90, Some(60)), 60);
        assert_eq!(payable(50, Some(60)), 50);
        assert_eq!(payable(50, None), 50);
    }

    proptest! {
        #[test]
        fn shares_sum_exactly_and_never_exceed_pledges(
            pledges in proptest::collection::vec(0i64..=1_000_000_000_000, 0..40),
            target in 0i64..=1_000_000_000_000,
        ) {
            let pledged: i64 = pledges.iter().sum();
            let total = payable(pledged, Some(target));
            let shares = split(total, &pledges);
            prop_assert_eq!(shares.len(), pledges.len());
            prop_assert_eq!(shares.iter().sum::<i64>(), total);
            for (share, pledge) in shares.iter().zip(&pledges) {
                prop_assert!(*share >= 0 && share <= pledge);
                // Within one cent of the exact pro-rata amount.
                let exact = i128::from(total) * i128::from(*pledge);
                let share = i128::from(*share) * i128::from(pledged);
                prop_assert!((share - exact).abs() < i128::from(pledged));
            }
            prop_assert_eq!(split(total, &pledges), shares);
        }

        #[test]
        fn a_larger_pledge_never_pays_less(
            pledges in proptest::collection::vec(1i64..=1_000_000, 2..20),
            target in 1i64..=10_000_000,
        ) {
            let total = payable(pledges.iter().sum(), Some(target));
            let shares = split(total, &pledges);
            for i in 0..pledges.len() {
                for j in 0..pledges.len() {
                    if pledges[i] > pledges[j] {
                        prop_assert!(shares[i] >= shares[j]);
                    }
                }
            }
        }
    }
}
