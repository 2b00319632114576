//! Which way a merge of two pools goes (SPEC §15): a funded or approved pool never moves
//! (its participants' councils decide on it); otherwise the pool with fewer participants
//! moves into the other, so that fewer organisations see their project change.

use super::pool_state::PoolState;

/// One pool of a pair, as far as the direction of a merge cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    pub id: i64,
    pub state: PoolState,
    pub participants: usize,
}

/// Whether a pool in state `from` may move into a pool in state `into`: only an open pool
/// moves, into an open or funded one.
pub fn may_move(from: PoolState, into: PoolState) -> bool {
    from == PoolState::Open && into.receives_merges()
}

/// The merge to propose for a pair, as `(from, into)` ids; `None` when neither way is
/// allowed. When both are, the pool with fewer participants moves; on a tie, the newer one
/// (the higher id).
pub fn proposed(a: Side, b: Side) -> Option<(i64, i64)> {
    match (may_move(a.state, b.state), may_move(b.state, a.state)) {
        (true, true) => {
            let a_moves = (a.participants, std::cmp::Reverse(a.id)) < (b.participants, std::cmp::Reverse(b.id));
            Some(if a_moves { (a.id, b.id) } else { (b.id, a.id) })
        }
        (true, false) => Some((a.id, b.id)),
        (false, true) => Some((b.id, a.id)),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PoolState::*;

    fn side(id: i64, state: PoolState, participants: usize) -> Side {
        Side { id, state, participants }
    }

    #[test]
    fn a_funded_or_approved_pool_never_moves() {
        assert_eq!(proposed(side(1, Funded, 1), side(2, Open, 5)), Some((2, 1)));
        assert_eq!(proposed(side(1, Open, 1), side(2, Funded, 5)), Some((1, 2)));
        assert_eq!(proposed(side(1, Approved, 1), side(2, Open, 5)), None, "an approved pool receives nothing");
        assert_eq!(proposed(side(1, Funded, 1), side(2, Funded, 5)), None);
        assert!(!may_move(Funded, Open) && !may_move(Approved, Open) && may_move(Open, Funded));
    }

    #[test]
    fn otherwise_the_pool_with_fewer_participants_moves_and_on_a_tie_the_newer() {
        assert_eq!(proposed(side(1, Open, 3), side(2, Open, 1)), Some((2, 1)));
        assert_eq!(proposed(side(1, Open, 1), side(2, Open, 3)), Some((1, 2)));
        assert_eq!(proposed(side(1, Open, 2), side(2, Open, 2)), Some((2, 1)));
        assert_eq!(proposed(side(7, Open, 2), side(3, Open, 2)), Some((7, 3)));
    }
}
