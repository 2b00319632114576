//! Shared by the examples: dev-set loading, the replay of a set through the
//! matcher with an officer working through the duplicate queue, metrics, and
//! the pg_trgm baseline.
#![allow(dead_code)]

use mutua::domain::matching::{Index, NeedText, PoolPairs, Thresholds, decide};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The labelled dev sets, in `tests/data/`.
pub const SETS: [&str; 3] = ["needs-dev", "needs-dev2", "needs-dev3"];

/// One line of a dev set.
#[derive(Deserialize, Clone, Debug)]
pub struct Need {
    pub id: String,
    pub cluster: String,
    pub lang: String,
    pub title: String,
    pub description: String,
}

impl Need {
    /// The need as posted by an organisation whose locale is the need's language.
    pub fn text(&self) -> NeedText<'_> {
        NeedText { title: &self.title, description: &self.description, locale_hint: &self.lang }
    }
}

/// Load `tests/data/{name}.jsonl`.
pub fn load(name: &str) -> Vec<Need> {
    let path = format!("{}/tests/data/{name}.jsonl", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    raw.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("json line")).collect()
}

/// Shuffled order of indices with a fixed seed.
pub fn order(n: usize, seed: u64) -> Vec<usize> {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    let mut v: Vec<usize> = (0..n).collect();
    v.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    v
}

/// When the simulated officer works through the duplicate queue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Officer {
    /// Never: the matcher alone.
    Absent,
    /// Once, after every need is posted.
    AtEnd,
    /// After every `n` posts, and at the end.
    Every(usize),
}

/// One replay: posts needs in order the way the service does (search →
/// decide → join the merged pool or open a new one), keeps the candidate
/// pairs current with one `pool_candidates` call per post, and lets an
/// officer merge true pairs and dismiss the others, best score first.
#[derive(Clone)]
pub struct Sim<'a> {
    needs: &'a [Need],
    t: Thresholds,
    pub ix: Index,
    /// Pool of each posted need (index in the set).
    pub pool: HashMap<usize, i64>,
    members: HashMap<i64, Vec<usize>>,
    next_pool: i64,
    /// Candidate pairs at `t.review` (`t.review_across` across languages):
    /// their scores and whether they were scored across languages.
    pub queue: BTreeMap<(i64, i64), (f64, bool)>,
    pub dismissed: PoolPairs,
    /// For each need whose cluster already had a posted need: (position in
    /// the replay, right pool merged or in the top 5, merged automatically
    /// into a pool of its cluster).
    pub outcomes: Vec<(usize, bool, bool)>,
    pub reviews: usize,
    pub review_merges: usize,
    /// Reviews of pairs scored across languages, and how many were merges.
    pub reviews_across: usize,
    pub review_merges_across: usize,
    posted: usize,
    track_pairs: bool,
}

/// What one replay measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Metrics {
    /// Pairs of needs of different clusters in one pool by automatic merges.
    pub false_pairs: usize,
    /// Same-cluster pairs in one pool after the automatic merges.
    pub auto_recall: f64,
    /// The right pool merged or among the top 5 suggestions.
    pub found: f64,
    /// Same-cluster pairs in one pool once the officer is done.
    pub reviewed_recall: f64,
    /// False pairs once the officer is done (the officer never merges one).
    pub reviewed_false_pairs: usize,
    pub reviews: usize,
    pub review_merges: usize,
    pub reviews_across: usize,
    pub review_merges_across: usize,
    /// Automatic joins among the needs of the second half of the replay whose
    /// cluster already had a need.
    pub late_auto_join: f64,
}

impl<'a> Sim<'a> {
    pub fn new(needs: &'a [Need], t: Thresholds, track_pairs: bool) -> Self {
        Sim {
            needs,
            t,
            ix: Index::new(),
            pool: HashMap::new(),
            members: HashMap::new(),
            next_pool: 1000,
            queue: BTreeMap::new(),
            dismissed: PoolPairs::new(),
            outcomes: Vec::new(),
            reviews: 0,
            review_merges: 0,
            reviews_across: 0,
            review_merges_across: 0,
            posted: 0,
            track_pairs,
        }
    }

    /// Post need `i`.
    pub fn post(&mut self, i: usize) {
        let n = &self.needs[i];
        let d = decide(&self.ix.search(&n.text(), 20), &self.t);
        let cluster_pools: HashSet<i64> =
            self.pool.iter().filter(|(j, _)| self.needs[**j].cluster == n.cluster).map(|(_, p)| *p).collect();
        if !cluster_pools.is_empty() {
            let auto = d.merge_into.is_some_and(|p| cluster_pools.contains(&p));
            let hit = auto || d.similar.iter().take(5).any(|p| cluster_pools.contains(&p.pool_id));
            self.outcomes.push((self.posted, hit, auto));
        }
        let pool = d.merge_into.unwrap_or_else(|| {
            self.next_pool += 1;
            self.next_pool
        });
        self.ix.upsert(i as i64, pool, &n.text());
        self.pool.insert(i, pool);
        self.members.entry(pool).or_default().push(i);
        self.posted += 1;
        if self.track_pairs {
            self.refresh(pool);
        }
    }

    /// The same replay, its queue and its later refreshes at other review
    /// thresholds: a pair's score does not depend on them, so a replay posted
    /// with low review thresholds, its queue filtered, is the replay posted
    /// with higher ones.
    pub fn at_review(&self, review: f64, review_across: f64) -> Self {
        let t = Thresholds { review, review_across, ..self.t };
        assert!(review >= self.t.review && review_across >= self.t.review_across, "only higher thresholds");
        let mut sim = self.clone();
        sim.t = t;
        sim.queue.retain(|_, (score, across)| *score >= t.review_for(*across));
        sim
    }

    /// Recompute the candidate pairs of `pool` (what the service does when a
    /// pool changes).
    fn refresh(&mut self, pool: i64) {
        self.queue.retain(|k, _| k.0 != pool && k.1 != pool);
        let (dismissed, t) = (&self.dismissed, self.t);
        for c in self.ix.pool_candidates_where(pool, |a| t.review_for(a), |q| !dismissed.contains(pool, q)) {
            self.queue.insert(PoolPairs::key(pool, c.pool_id), (c.score, c.across));
        }
    }

    fn clusters(&self, pool: i64) -> HashSet<&str> {
        self.members.get(&pool).into_iter().flatten().map(|&i| self.needs[i].cluster.as_str()).collect()
    }

    /// The officer empties the queue, best score first: a pair whose pools
    /// hold the same need is merged (into the older pool), the others are
    /// dismissed and never proposed again.
    pub fn review(&mut self) {
        while let Some((&(a, b), &(_, across))) =
            self.queue.iter().max_by(|x, y| x.1.0.total_cmp(&y.1.0).then(y.0.cmp(x.0)))
        {
            self.queue.remove(&(a, b));
            self.reviews += 1;
            self.reviews_across += usize::from(across);
            if self.clusters(a).is_disjoint(&self.clusters(b)) {
                self.dismissed.insert(a, b);
            } else {
                self.review_merges += 1;
                self.review_merges_across += usize::from(across);
                self.merge(a, b);
            }
        }
    }

    /// Officer merge: every need of `from` moves to `into`.
    fn merge(&mut self, into: i64, from: i64) {
        for i in self.members.remove(&from).unwrap_or_default() {
            self.ix.move_need(i as i64, into);
            self.pool.insert(i, into);
            self.members.entry(into).or_default().push(i);
        }
        self.queue.retain(|k, _| k.0 != from && k.1 != from);
        self.refresh(into);
    }

    /// (false pairs, same-cluster pairs together, same-cluster pairs).
    pub fn pair_stats(&self) -> (usize, usize, usize) {
        let idx: Vec<usize> = self.pool.keys().copied().collect();
        let (mut wrong, mut merged, mut same) = (0, 0, 0);
        for (a, &i) in idx.iter().enumerate() {
            for &j in &idx[a + 1..] {
                let together = self.pool[&i] == self.pool[&j];
                if self.needs[i].cluster == self.needs[j].cluster {
                    same += 1;
                    merged += usize::from(together);
                } else if together {
                    wrong += 1;
                }
            }
        }
        (wrong, merged, same)
    }

    /// Different-cluster needs sharing a pool, for diagnostics.
    pub fn false_pairs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (&i, p) in &self.pool {
            for (&j, q) in &self.pool {
                if i < j && p == q && self.needs[i].cluster != self.needs[j].cluster {
                    out.push((i, j));
                }
            }
        }
        out
    }
}

/// Replay `needs` in `order` with thresholds `t` and the officer's habit.
/// `false_pairs` and `auto_recall` are measured before the last review, so
/// they are the matcher's own only when the officer is `Absent` or `AtEnd`.
pub fn replay<'a>(needs: &'a [Need], order: &[usize], t: &Thresholds, officer: Officer) -> (Metrics, Sim<'a>) {
    let (m, mut sim) = post_all(needs, order, t, officer);
    let m = finish(m, &mut sim, officer != Officer::Absent);
    (m, sim)
}

/// The posts of a replay (and the reviews of an `Every` officer), measured
/// before the last review.
pub fn post_all<'a>(needs: &'a [Need], order: &[usize], t: &Thresholds, officer: Officer) -> (Metrics, Sim<'a>) {
    let mut sim = Sim::new(needs, *t, officer != Officer::Absent);
    for (k, &i) in order.iter().enumerate() {
        sim.post(i);
        if let Officer::Every(n) = officer
            && (k + 1) % n == 0
        {
            sim.review();
        }
    }
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    let (wrong, merged, same) = sim.pair_stats();
    let outcomes = &sim.outcomes;
    let late: Vec<bool> = outcomes.iter().filter(|o| o.0 >= order.len() / 2).map(|o| o.2).collect();
    let m = Metrics {
        false_pairs: wrong,
        auto_recall: ratio(merged, same),
        found: ratio(outcomes.iter().filter(|o| o.1).count(), outcomes.len()),
        late_auto_join: ratio(late.iter().filter(|x| **x).count(), late.len()),
        ..Metrics::default()
    };
    (m, sim)
}

/// The last review of a replay posted by [`post_all`] (when `review`), and
/// what it measured.
pub fn finish(mut m: Metrics, sim: &mut Sim, review: bool) -> Metrics {
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    if review {
        sim.review();
    }
    let (wrong, merged, same) = sim.pair_stats();
    m.reviewed_false_pairs = wrong;
    m.reviewed_recall = ratio(merged, same);
    m.reviews = sim.reviews;
    m.review_merges = sim.review_merges;
    m.reviews_across = sim.reviews_across;
    m.review_merges_across = sim.review_merges_across;
    m
}

/// PostgreSQL pg_trgm `similarity`: words are runs of alphanumerics,
/// lowercased, padded with two spaces before and one after; trigrams as a set.
pub fn trigrams(s: &str) -> HashSet<[char; 3]> {
    let mut set = HashSet::new();
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let padded: Vec<char> = "  ".chars().chain(w.chars().flat_map(char::to_lowercase)).chain(" ".chars()).collect();
        for t in padded.windows(3) {
            set.insert([t[0], t[1], t[2]]);
        }
    }
    set
}

pub fn similarity(a: &HashSet<[char; 3]>, b: &HashSet<[char; 3]>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count() as f64;
    shared / (a.len() as f64 + b.len() as f64 - shared)
}

/// Decidim's baseline: greatest(sim(titles), sim(descriptions)) >= 0.25, best
/// 5, never merges. The share of needs whose cluster was seen that find it.
pub fn baseline_found(needs: &[Need], order: &[usize]) -> f64 {
    type Trigrams = HashSet<[char; 3]>;
    let tri: Vec<(Trigrams, Trigrams)> = needs.iter().map(|n| (trigrams(&n.title), trigrams(&n.description))).collect();
    let mut seen: Vec<usize> = Vec::new();
    let (mut found, mut findable) = (0, 0);
    for &i in order {
        if seen.iter().any(|&j| needs[j].cluster == needs[i].cluster) {
            let mut scored: Vec<(f64, usize)> = seen
                .iter()
                .map(|&j| (similarity(&tri[i].0, &tri[j].0).max(similarity(&tri[i].1, &tri[j].1)), j))
                .filter(|x| x.0 >= 0.25)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            findable += 1;
            found += usize::from(scored.iter().take(5).any(|&(_, j)| needs[j].cluster == needs[i].cluster));
        }
        seen.push(i);
    }
    found as f64 / findable.max(1) as f64
}
