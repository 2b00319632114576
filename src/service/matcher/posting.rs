//! Whether a post ranks the pools before its write ([`Posting::rank_beforehand`]).

use std::sync::atomic::{AtomicUsize, Ordering};

/// A post in progress in this process ([`super::Matcher::posting`]).
pub struct Posting<'a>(&'a AtomicUsize, bool);

impl<'a> Posting<'a> {
    pub(super) fn begin(count: &'a AtomicUsize, parallel_writers: bool) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Self(count, parallel_writers)
    }

    /// Whether to rank the pools in a read before the write
    /// ([`crate::service::needs::prepare`]): where one writer runs at a time (SQLite) and no
    /// other post of this process is in progress. The search then runs beside the writer,
    /// which scores again only the pools changed in between
    /// ([`super::Matcher::current`]). While others post, every post committed before this
    /// one's turn is such a change, and the reads compete with the writer for the cores:
    /// measured, 1,480 posts a second against 1,790 when the writer searches itself. Where
    /// writers run side by side (PostgreSQL) a post ranks in its write transaction, before
    /// its locks: a read of its own would cost its round trips for nothing.
    pub fn rank_beforehand(&self) -> bool {
        !self.1 && self.alone()
    }

    /// Whether no other post of this process is in progress.
    fn alone(&self) -> bool {
        self.0.load(Ordering::Acquire) == 1
    }
}

impl Drop for Posting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::Posting;

    #[test]
    fn a_post_ranks_beforehand_only_alone_and_only_where_one_writer_runs_at_a_time() {
        let count = AtomicUsize::new(0);
        let first = Posting::begin(&count, false);
        assert!(first.rank_beforehand());
        let second = Posting::begin(&count, false);
        assert!(!first.rank_beforehand() && !second.rank_beforehand());
        drop(second);
        assert!(first.rank_beforehand());
        drop(first);
        assert!(!Posting::begin(&count, true).rank_beforehand(), "side by side, a post ranks in its write");
        assert_eq!(count.into_inner(), 0);
    }
}
