//! What changed in an index since a given point: the pools whose needs changed. A ranking
//! made earlier is brought up to date by scoring those pools again ([`Index::rescore`])
//! rather than by searching the whole index: a post ranks before its write, and the write,
//! which holds what other posts wait for, only has to look at what was posted meanwhile.

use std::collections::VecDeque;

use super::analyze::Analysed;
use super::{Index, PoolScore};

/// Changes remembered: far more than the posts that commit between a ranking and its write.
const KEPT: usize = 4096;

/// The changes of an index, numbered (its *generation*).
#[derive(Clone, Default)]
pub(super) struct Journal {
    generation: u64,
    /// (generation after the change, the pool whose needs changed; `None`: any score may
    /// have changed, as after a lesson of the desk).
    entries: VecDeque<(u64, Option<i64>)>,
}

impl Journal {
    /// Records a change of `pool`'s needs (`None`: of any score).
    pub(super) fn record(&mut self, pool: Option<i64>) {
        self.generation += 1;
        if self.entries.len() == KEPT {
            self.entries.pop_front();
        }
        self.entries.push_back((self.generation, pool));
    }

    /// The pools changed since `generation`, sorted, each once; `None` when the journal no
    /// longer reaches back that far, or when a change since may have moved every score.
    fn pools_since(&self, generation: u64) -> Option<Vec<i64>> {
        if generation > self.generation {
            return None;
        }
        let mut pools = Vec::new();
        let mut reached = generation == self.generation;
        for &(at, pool) in self.entries.iter().rev() {
            if at <= generation {
                break;
            }
            pools.push(pool?);
            reached = at == generation + 1;
        }
        if !reached {
            return None;
        }
        pools.sort_unstable();
        pools.dedup();
        Some(pools)
    }
}

impl Index {
    /// How many changes the index has seen: what [`Index::rescore`] starts from.
    pub fn generation(&self) -> u64 {
        self.journal.generation
    }

    /// `ranked`, the best pools for `query` found by a search (at most `limit`) when the
    /// index was at `generation`, as they rank now: the pools whose needs changed since
    /// are scored again (a pool left with no need leaves the ranking, a new one enters it
    /// if it scores), the others keep their score. `None` when the changes since are not
    /// known pool by pool (search again).
    ///
    /// The scores kept were computed with the term weights of then: a few needs more or
    /// less move them by a few thousandths on an index of hundreds of needs, and the
    /// decision is made again on the scores that count, those of the pools that changed.
    pub fn rescore(
        &self,
        query: &Analysed,
        ranked: &[PoolScore],
        generation: u64,
        limit: usize,
    ) -> Option<Vec<PoolScore>> {
        let changed = self.journal.pools_since(generation)?;
        if changed.is_empty() {
            return Some(ranked.to_vec());
        }
        let query = self.query_of_text(query);
        let mut now: Vec<PoolScore> =
            ranked.iter().filter(|s| changed.binary_search(&s.pool_id).is_err()).copied().collect();
        now.extend(self.score_pools(&query, &changed).into_iter().filter(|s| s.score > 0.0));
        now.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.pool_id.cmp(&b.pool_id)));
        now.truncate(limit);
        Some(now)
    }
}

#[cfg(test)]
mod tests {
    use super::Journal;
    use crate::domain::matching::{Index, NeedText, analyze::analyse};

    fn text(title: &str) -> NeedText<'_> {
        NeedText { title, description: "", locale_hint: "fr" }
    }

    #[test]
    fn the_journal_names_the_pools_changed_since_a_generation_each_once() {
        let mut journal = Journal::default();
        journal.record(Some(7));
        let at = journal.generation;
        assert_eq!(journal.pools_since(at), Some(vec![]));
        journal.record(Some(9));
        journal.record(Some(3));
        journal.record(Some(9));
        assert_eq!(journal.pools_since(at), Some(vec![3, 9]));
        assert_eq!(journal.pools_since(0), Some(vec![3, 7, 9]));
        assert_eq!(journal.pools_since(at + 10), None, "a generation the journal never had");
        journal.record(None);
        assert_eq!(journal.pools_since(at), None, "a lesson may move every score");
    }

    #[test]
    fn the_journal_says_when_it_no_longer_reaches_back() {
        let mut journal = Journal::default();
        for pool in 0..(super::KEPT as i64 + 5) {
            journal.record(Some(pool));
        }
        assert_eq!(journal.pools_since(2), None);
        assert_eq!(journal.pools_since(journal.generation - 2).map(|p| p.len()), Some(2));
    }

    #[test]
    fn a_ranking_rescored_is_the_ranking_a_new_search_makes() {
        let mut index = Index::new();
        index.upsert(1, 10, &text("Gestion des concessions de cimetière"));
        index.upsert(2, 20, &text("Réservation des salles communales"));
        let query = analyse(&text("Logiciel de gestion des cimetières et concessions"));
        let before = index.search_analysed(&query, 30);
        let at = index.generation();
        // Posted meanwhile: a pool of the same need, another of nothing alike; a need leaves.
        index.upsert(3, 30, &text("Concessions de cimetière: gestion des sépultures"));
        index.upsert(4, 40, &text("Prêt de vélos"));
        index.remove(2);
        let rescored = index.rescore(&query, &before, at, 30).expect("the journal reaches back");
        let searched = index.search_analysed(&query, 30);
        let pools = |r: &[crate::domain::matching::PoolScore]| r.iter().map(|s| s.pool_id).collect::<Vec<_>>();
        assert_eq!(pools(&rescored), pools(&searched));
        assert!(pools(&rescored).contains(&30), "the pool posted meanwhile enters the ranking");
        assert!(!pools(&before).contains(&30));
        for (a, b) in rescored.iter().zip(&searched) {
            assert!((a.score - b.score).abs() < 0.05, "{} vs {}", a.score, b.score);
        }
        index.learn(&text("Cimetières"), &text("Sépultures"), crate::domain::matching::Verdict::Same);
        assert!(index.rescore(&query, &searched, index.generation() - 1, 30).is_none());
    }
}
