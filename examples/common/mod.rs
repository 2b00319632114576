//! Shared by the examples: dev-set loading, replay, metrics, pg_trgm baseline.
#![allow(dead_code)]

use mutua::domain::matching::{Index, NeedText, Thresholds, decide};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// One line of needs-dev.jsonl.
#[derive(Deserialize, Clone, Debug)]
pub struct Need {
    pub id: String,
    pub cluster: String,
    pub lang: String,
    pub cpv_code: Option<String>,
    pub title: String,
    pub description: String,
}

impl Need {
    pub fn text(&self) -> NeedText<'_> {
        NeedText {
            title: &self.title,
            description: &self.description,
            cpv_code: self.cpv_code.as_deref(),
            locale_hint: &self.lang,
        }
    }
}

pub fn load() -> Vec<Need> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/needs-dev.jsonl");
    let raw = std::fs::read_to_string(path).expect("dev set");
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

/// Result of one replay.
#[derive(Default, Clone, Debug)]
pub struct Outcome {
    /// Final pool of each replayed need (by index in the dev set).
    pub pool: HashMap<usize, i64>,
    /// For each need whose cluster already had a need: was it found?
    pub found: Vec<(usize, bool)>,
    /// Merge events (need, pool) for diagnostics.
    pub merges: Vec<(usize, i64)>,
}

/// Replay needs in `order` the way the service does.
pub fn replay(needs: &[Need], order: &[usize], t: &Thresholds) -> Outcome {
    let mut ix = Index::new();
    let mut out = Outcome::default();
    let mut next_pool = 1000;
    for &i in order {
        let n = &needs[i];
        let ranked = ix.search(&n.text(), 20);
        let d = decide(&ranked, t);
        let cluster_pools: HashSet<i64> =
            out.pool.iter().filter(|(j, _)| needs[**j].cluster == n.cluster).map(|(_, p)| *p).collect();
        if !cluster_pools.is_empty() {
            let hit = d.merge_into.is_some_and(|p| cluster_pools.contains(&p))
                || d.similar.iter().take(5).any(|p| cluster_pools.contains(&p.pool_id));
            out.found.push((i, hit));
        }
        let pool = match d.merge_into {
            Some(p) => {
                out.merges.push((i, p));
                p
            }
            None => {
                next_pool += 1;
                next_pool
            }
        };
        ix.upsert(i as i64, pool, &n.text());
        out.pool.insert(i, pool);
    }
    out
}

/// (false-merge pairs, same-cluster pairs merged, same-cluster pairs) over
/// pairs where `keep(i) || keep(j)`.
pub fn pair_stats(needs: &[Need], o: &Outcome, keep: &dyn Fn(usize) -> bool) -> (usize, usize, usize) {
    let idx: Vec<usize> = o.pool.keys().copied().collect();
    let (mut wrong, mut merged, mut same) = (0, 0, 0);
    for a in 0..idx.len() {
        for b in a + 1..idx.len() {
            let (i, j) = (idx[a], idx[b]);
            if !(keep(i) || keep(j)) {
                continue;
            }
            let together = o.pool[&i] == o.pool[&j];
            if needs[i].cluster == needs[j].cluster {
                same += 1;
                merged += together as usize;
            } else if together {
                wrong += 1;
            }
        }
    }
    (wrong, merged, same)
}

pub fn found_rate(o: &Outcome, keep: &dyn Fn(usize) -> bool) -> (usize, usize) {
    let f: Vec<bool> = o.found.iter().filter(|(i, _)| keep(*i)).map(|x| x.1).collect();
    (f.iter().filter(|x| **x).count(), f.len())
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
/// 5, never merges. Returns found flags for needs whose cluster was seen.
pub fn baseline(needs: &[Need], order: &[usize]) -> Vec<(usize, bool)> {
    type Trigrams = HashSet<[char; 3]>;
    let tri: Vec<(Trigrams, Trigrams)> = needs.iter().map(|n| (trigrams(&n.title), trigrams(&n.description))).collect();
    let mut seen: Vec<usize> = Vec::new();
    let mut found = Vec::new();
    for &i in order {
        if seen.iter().any(|&j| needs[j].cluster == needs[i].cluster) {
            let mut scored: Vec<(f64, usize)> = seen
                .iter()
                .map(|&j| (similarity(&tri[i].0, &tri[j].0).max(similarity(&tri[i].1, &tri[j].1)), j))
                .filter(|x| x.0 >= 0.25)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            found.push((i, scored.iter().take(5).any(|&(_, j)| needs[j].cluster == needs[i].cluster)));
        }
        seen.push(i);
    }
    found
}
