//! `Index::search`: candidate generation over postings, exact scoring with
//! approximate term matches, pool aggregation.

use super::analyze::{Analysed, analyse};
use super::desk::{APART_FACTOR, Explanation, Via, WordMatch};
use super::fxhash::FxMap;
use super::index::{Doc, Index};
use super::query::{Query, QueryTerm};
use super::score::title_factor;
use super::{NeedText, PoolScore};
use std::cell::RefCell;

/// Title postings read at most per search (the query's title terms, rarest
/// first): finds same-titled needs even when all their words are common.
const TITLE_BUDGET: usize = 1_000;
/// Postings read at most per search (all query terms, rarest first). Both
/// budgets bound the cost of a search whatever the index size (bench: 10 000
/// needs cost ~1.3-1.5x 1 000 needs).
const POSTING_BUDGET: usize = 1_500;
/// Candidates scored exactly per search.
const EXACT_CANDIDATES: usize = 150;
/// Members of a pool used for its centroid (the best-scoring ones).
const CENTROID_MEMBERS: usize = 16;
/// Members of a pool scored by [`Index::score_in_pool`] (the first ones):
/// bounds the cost for pools that merged very many needs.
const POOL_SCORED_MEMBERS: usize = 64;

/// The score of one indexed need for a query.
#[derive(Clone, Copy)]
pub(super) struct Hit {
    score: f64,
    /// The score without the relations the desk taught (see
    /// [`PoolScore::unaided`]).
    unaided: f64,
    /// They share a specific object (see [`PoolScore::grounded`]).
    grounded: bool,
    /// They are written in different languages.
    across: bool,
}

impl Index {
    /// IDF of a term, memoised for the current search in the scratch table
    /// (candidates share most of their terms).
    fn idf_cached(&self, t: u32, sc: &mut Scratch) -> f64 {
        let g = sc.generation;
        let e = &mut sc.idf[t as usize];
        if e.0 != g {
            *e = (g, self.idf_of(t) as f32);
        }
        f64::from(e.1)
    }

    /// IDF-weighted vector of a need (sorted by term) and its norm.
    fn vector(&self, doc: &Doc, sc: &mut Scratch) -> (Vec<(u32, f64)>, f64) {
        let v: Vec<(u32, f64)> = doc.terms.iter().map(|&(t, w)| (t, f64::from(w) * self.idf_cached(t, sc))).collect();
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        (v, norm)
    }

    /// Pools ranked by similarity to `text`, best first, at most `limit`.
    ///
    /// A need's score is the cosine of IDF-weighted term vectors, where a
    /// query term missing from the need may match a typo, derivation or
    /// cognate of itself at reduced weight, weighed by how much of either
    /// title the other need says (`score::title_factor`). A pool's score is
    /// the best of its needs' scores or, when higher, the cosine with the
    /// pool's centroid (a need consistently close to several members of a
    /// pool). All scores are in [0, 1].
    pub fn search(&self, text: &NeedText, limit: usize) -> Vec<PoolScore> {
        self.search_analysed(&analyse(text), limit)
    }

    /// [`Index::search`] for a need already analysed ([`analyse`]): a caller that guards
    /// the index with a lock analyses the text before taking it.
    pub fn search_analysed(&self, a: &Analysed, limit: usize) -> Vec<PoolScore> {
        if limit == 0 || self.is_empty() {
            return Vec::new();
        }
        let query = self.query_of_text(a);
        self.search_query(&query, limit, &|_| true)
    }

    /// [`Index::search`] for an analysed query, over the pools `keep` accepts.
    pub(super) fn search_query(&self, query: &Query, limit: usize, keep: &dyn Fn(i64) -> bool) -> Vec<PoolScore> {
        if limit == 0 || !query.can_match() {
            return Vec::new();
        }
        let exact = query.exact();
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let sc = &mut *scratch;
            sc.start(self.docs.len(), self.terms.len());
            let title: Vec<(u32, f64)> =
                query.terms.iter().filter(|q| q.in_title).filter_map(|q| q.tid.map(|t| (t, q.weight))).collect();
            let slots = self.candidates(&title, query, sc);
            let need_scores = self.score_slots(query, &exact, slots, sc);
            self.rank_pools(&need_scores, sc, limit, keep)
        })
    }

    /// The score `pool` would have in a search for `query` (`None` when
    /// unknown or nothing matches).
    pub(super) fn score_in_pool(&self, query: &Query, pool: i64) -> Option<PoolScore> {
        self.score_pools(query, &[pool]).pop()
    }

    /// The scores `pools` (sorted) would have in a search for `query`, those
    /// that match, best first: one pass over their needs.
    pub(super) fn score_pools(&self, query: &Query, pools: &[i64]) -> Vec<PoolScore> {
        if !query.can_match() {
            return Vec::new();
        }
        let members = pools
            .iter()
            .filter_map(|pool| self.pools.get(pool))
            .flat_map(|members| members.iter().take(POOL_SCORED_MEMBERS).copied());
        let exact = query.exact();
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let sc = &mut *scratch;
            sc.start(self.docs.len(), self.terms.len());
            let need_scores = self.score_slots(query, &exact, members, sc);
            self.rank_pools(&need_scores, sc, pools.len(), &|p| pools.binary_search(&p).is_ok())
        })
    }

    /// Why pools `a` and `b` make a pair: the pair of their needs (the first
    /// [`super::PAIR_QUERY_NEEDS`] of each, each posted again as a query
    /// against the other's, both ways, as `Index::pool_candidates` does)
    /// that scores best, and the words that made its score, traced by the
    /// scoring itself ([`Index::score_doc`]). `None` when either pool is not
    /// indexed or nothing matches.
    pub fn explain_pair(&self, a: i64, b: i64) -> Option<Explanation> {
        let side = |p: i64| -> Option<Vec<u32>> {
            Some(self.pools.get(&p)?.iter().take(super::PAIR_QUERY_NEEDS).copied().collect())
        };
        let (of_a, of_b) = (side(a)?, side(b)?);
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let sc = &mut *scratch;
            sc.start(self.docs.len(), self.terms.len());
            // (score, query slot, need slot, the query is of `a`)
            let mut best: Option<(f64, u32, u32, bool)> = None;
            for (queries, needs, from_a) in [(&of_a, &of_b, true), (&of_b, &of_a, false)] {
                for &q in queries {
                    let Some(query) = self.query_of_doc(q) else { continue };
                    let exact = query.exact();
                    let fuzzy: Vec<&QueryTerm> = query.terms.iter().filter(|t| !t.near.is_empty()).collect();
                    for &n in needs.iter().take(POOL_SCORED_MEMBERS) {
                        let Some(doc) = self.doc(n) else { continue };
                        let Some(hit) = self.score_doc(&query, &exact, &fuzzy, doc, sc, None) else { continue };
                        if best.is_none_or(|b| hit.score > b.0) {
                            best = Some((hit.score, q, n, from_a));
                        }
                    }
                }
            }
            let (score, q, n, from_a) = best?;
            let (query, doc, asked) = (self.query_of_doc(q)?, self.doc(n)?, self.doc(q)?);
            let exact = query.exact();
            let fuzzy: Vec<&QueryTerm> = query.terms.iter().filter(|t| !t.near.is_empty()).collect();
            let mut trace = Vec::new();
            self.score_doc(&query, &exact, &fuzzy, doc, sc, Some(&mut trace));
            let name = |t: u32| self.terms[t as usize].name.to_string();
            let mut words: Vec<WordMatch> = trace
                .into_iter()
                .map(|(own, other, via, weight)| {
                    let (left, right) = if from_a { (own, other) } else { (other, own) };
                    WordMatch { left: name(left), right: name(right), via, weight }
                })
                .collect();
            words.sort_by(|x, y| y.weight.total_cmp(&x.weight).then_with(|| x.left.cmp(&y.left)));
            let (first, second) = if from_a { (asked, doc) } else { (doc, asked) };
            Some(Explanation {
                needs: [first.need_id, second.need_id],
                langs: [first.lang, second.lang],
                score,
                words,
                set_apart: self.set_apart(&query, doc),
            })
        })
    }

    /// Exact scores of the given needs against the query.
    fn score_slots(
        &self,
        query: &Query,
        exact: &FxMap<u32, f64>,
        slots: impl IntoIterator<Item = u32>,
        sc: &mut Scratch,
    ) -> FxMap<u32, Hit> {
        // Only query terms with neighbours can match approximately.
        let fuzzy: Vec<&QueryTerm> = query.terms.iter().filter(|q| !q.near.is_empty()).collect();
        let mut need_scores: FxMap<u32, Hit> = FxMap::default();
        for slot in slots {
            let Some(doc) = self.doc(slot) else { continue };
            if let Some(hit) = self.score_doc(query, exact, &fuzzy, doc, sc, None) {
                need_scores.insert(slot, hit);
            }
        }
        need_scores
    }

    /// The score of one need for the query; with `trace`, the words that
    /// matched and their share of the dot product are written there, so an
    /// explanation is this very computation ([`Index::explain_pair`]).
    pub(super) fn score_doc(
        &self,
        query: &Query,
        exact: &FxMap<u32, f64>,
        fuzzy: &[&QueryTerm],
        doc: &Doc,
        sc: &mut Scratch,
        mut trace: Option<&mut Vec<(u32, u32, Via, f64)>>,
    ) -> Option<Hit> {
        let (mut dot, mut taught, mut norm2) = (0.0, 0.0, 0.0);
        for &(t, w) in &doc.terms {
            let iw = f64::from(w) * self.idf_cached(t, sc);
            norm2 += iw * iw;
            if let Some(qw) = exact.get(&t) {
                dot += qw * iw;
                if let Some(trace) = trace.as_deref_mut() {
                    trace.push((t, t, Via::Same, qw * iw));
                }
            }
        }
        let has = |t: u32| doc.terms.binary_search_by_key(&t, |x| x.0).ok().map(|i| doc.terms[i].1);
        for q in fuzzy {
            if q.tid.and_then(has).is_some() {
                continue;
            }
            let best = q
                .near
                .iter()
                .filter(|n| n.applies(query.lang, doc.lang))
                .filter_map(|n| has(n.tid).map(|w| (n, n.similarity * f64::from(w) * self.idf_of(n.tid))))
                .reduce(|a, b| if b.1 > a.1 { b } else { a });
            if let Some((n, value)) = best {
                dot += q.weight * value;
                if n.via == Via::Desk {
                    taught += q.weight * value;
                }
                if let (Some(trace), Some(tid)) = (trace.as_deref_mut(), q.tid) {
                    trace.push((tid, n.tid, n.via, q.weight * value));
                }
            }
        }
        if norm2 <= 0.0 {
            return None;
        }
        let norms = query.norm * norm2.sqrt();
        let (coverage, unaided_coverage) = self.title_coverage(query, exact, doc, sc);
        let apart = query.apart.iter().any(|&(own, other)| {
            doc.title.binary_search(&other).is_ok() && own.and_then(has).is_none() && !exact.contains_key(&other)
        });
        let factor = if apart { APART_FACTOR } else { 1.0 };
        let score = (dot / norms).clamp(0.0, 1.0) * title_factor(coverage) * factor;
        let unaided = ((dot - taught) / norms).clamp(0.0, 1.0) * title_factor(unaided_coverage) * factor;
        Some(Hit {
            score,
            unaided: unaided.min(score),
            grounded: self.grounded(query, exact, doc),
            across: query.lang != doc.lang,
        })
    }

    /// Whether the titles of the query and of a need differ by words an
    /// officer's dismissal set apart.
    pub(super) fn set_apart(&self, query: &Query, doc: &Doc) -> bool {
        let exact = query.exact();
        let has = |t: u32| doc.terms.binary_search_by_key(&t, |x| x.0).is_ok();
        query.apart.iter().any(|&(own, other)| {
            doc.title.binary_search(&other).is_ok() && !own.is_some_and(has) && !exact.contains_key(&other)
        })
    }

    /// How much of either title the other need's text says, the better of
    /// the two: the share of the query title's weight found in the need
    /// (approximate matches at their similarity), and the share of the
    /// need title's IDF found in the query.
    /// The second value leaves out what the desk taught.
    fn title_coverage(&self, query: &Query, exact: &FxMap<u32, f64>, doc: &Doc, sc: &mut Scratch) -> (f64, f64) {
        let has = |t: u32| doc.terms.binary_search_by_key(&t, |x| x.0).is_ok();
        let (mut total, mut found, mut unaided) = (0.0, 0.0, 0.0);
        for q in query.terms.iter().filter(|q| q.in_title) {
            total += q.weight;
            if q.tid.is_some_and(has) {
                found += q.weight;
                unaided += q.weight;
                continue;
            }
            let near = |desk: bool| {
                q.near
                    .iter()
                    .filter(|n| (desk || n.via != Via::Desk) && n.applies(query.lang, doc.lang) && has(n.tid))
                    .map(|n| n.similarity)
                    .fold(0.0, f64::max)
            };
            found += q.weight * near(true);
            unaided += q.weight * near(false);
        }
        let share = |found: f64| if total > 0.0 { found / total } else { 0.0 };
        let (of_query, of_query_unaided) = (share(found), share(unaided));
        let (mut total, mut found) = (0.0, 0.0);
        for &t in &doc.title {
            let w = self.idf_cached(t, sc);
            total += w;
            found += if exact.contains_key(&t) { w } else { 0.0 };
        }
        let of_doc = if total > 0.0 { found / total } else { 0.0 };
        (of_query.max(of_doc), of_query_unaided.max(of_doc))
    }

    /// Whether the query and the need share a specific object: some
    /// specific title term of either is found in the other (exactly, or
    /// through a typo, cognate or translation that applies between their
    /// languages), or neither title has one.
    fn grounded(&self, query: &Query, exact: &FxMap<u32, f64>, doc: &Doc) -> bool {
        let has = |t: u32| doc.terms.binary_search_by_key(&t, |x| x.0).is_ok();
        let near_of_query = |t: u32| {
            query
                .terms
                .iter()
                .any(|q| q.near.iter().any(|n| n.tid == t && n.grounds() && n.applies(query.lang, doc.lang)))
        };
        let mut named = false;
        for q in query.terms.iter().filter(|q| q.in_title && q.specific) {
            named = true;
            if q.tid.is_some_and(has)
                || q.near.iter().any(|n| n.grounds() && n.applies(query.lang, doc.lang) && has(n.tid))
            {
                return true;
            }
        }
        for &t in doc.title.iter().filter(|&&t| self.terms[t as usize].specific) {
            named = true;
            if exact.contains_key(&t) || near_of_query(t) {
                return true;
            }
        }
        !named
    }

    /// Add `weight × posting` of the given terms' lists, rarest first, to the
    /// accumulator until `budget` postings have been read.
    fn accumulate(
        &self,
        terms: &[(u32, f64)],
        list: impl Fn(&super::index::Term) -> &Vec<(u32, f32)>,
        budget: usize,
        sc: &mut Scratch,
    ) {
        let mut order: Vec<(u32, f64)> = terms.to_vec();
        order.sort_by_key(|&(t, _)| (list(&self.terms[t as usize]).len(), t));
        let g = sc.generation;
        let mut left = budget;
        for (tid, qw) in order {
            let postings = list(&self.terms[tid as usize]);
            if left < postings.len() && left < budget {
                break;
            }
            let weight = (qw * self.idf_cached(tid, sc)) as f32;
            for &(slot, w) in postings.iter().take(left) {
                let e = &mut sc.acc[slot as usize];
                if e.0 != g {
                    *e = (g, 0.0);
                    sc.touched.push(slot);
                }
                e.1 += weight * w;
            }
            left = left.saturating_sub(postings.len());
            if left == 0 {
                break;
            }
        }
    }

    /// Best need per pool, or the pool centroid when higher; sorted, cut.
    /// A pool shares a specific object with the query when any of its
    /// needs does; it is scored across languages when its best need is.
    fn rank_pools(
        &self,
        need_scores: &FxMap<u32, Hit>,
        sc: &mut Scratch,
        limit: usize,
        keep: &dyn Fn(i64) -> bool,
    ) -> Vec<PoolScore> {
        let mut pools: FxMap<i64, PoolScore> = FxMap::default();
        for (&slot, h) in need_scores {
            if let Some(doc) = self.doc(slot).filter(|d| keep(d.pool_id)) {
                let e = pools.entry(doc.pool_id).or_insert(PoolScore {
                    pool_id: doc.pool_id,
                    score: h.score,
                    unaided: h.unaided,
                    grounded: h.grounded,
                    across: h.across,
                });
                if h.score > e.score {
                    (e.score, e.across) = (h.score, h.across);
                }
                e.unaided = e.unaided.max(h.unaided);
                e.grounded |= h.grounded;
            }
        }
        for (pool, p) in pools.iter_mut() {
            if let Some(c) = self.centroid_score(*pool, need_scores, sc) {
                // Without a lesson in play the centroid counts for both; with one, the
                // merge rule keeps to the best need's unaided score.
                if p.unaided >= p.score {
                    p.unaided = p.unaided.max(c);
                }
                p.score = p.score.max(c);
            }
        }
        let mut ranked: Vec<PoolScore> = pools.into_values().collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.pool_id.cmp(&b.pool_id)));
        ranked.truncate(limit);
        ranked
    }

    /// Cosine between the query and the sum of the pool's normalised need
    /// vectors: Σ cos(q, d_m) / sqrt(Σ_m Σ_m' cos(d_m, d_m')).
    fn centroid_score(&self, pool: i64, need_scores: &FxMap<u32, Hit>, sc: &mut Scratch) -> Option<f64> {
        let mut members: Vec<(u32, f64)> =
            self.pools.get(&pool)?.iter().map(|&s| (s, need_scores.get(&s).map_or(0.0, |h| h.score))).collect();
        if members.len() < 2 {
            return None;
        }
        // Bound the quadratic cost on huge pools: the best members decide.
        members.sort_by(|a, b| b.1.total_cmp(&a.1));
        members.truncate(CENTROID_MEMBERS);
        let vecs: Vec<(Vec<(u32, f64)>, f64)> =
            members.iter().filter_map(|&(s, _)| self.doc(s)).map(|d| self.vector(d, sc)).collect();
        let mut gram = 0.0;
        for (i, (vi, ni)) in vecs.iter().enumerate() {
            gram += 1.0;
            for (vj, nj) in &vecs[i + 1..] {
                gram += 2.0 * sparse_dot(vi, vj) / (ni * nj).max(f64::EPSILON);
            }
        }
        let sum: f64 = members.iter().map(|m| m.1).sum();
        Some((sum / gram.sqrt().max(f64::EPSILON)).clamp(0.0, 1.0))
    }

    /// Slots sharing informative terms with the query: postings of the
    /// rarest terms first until the budget is spent, accumulated in a
    /// per-thread dense array; the best partial cosines are kept.
    fn candidates(&self, title: &[(u32, f64)], query: &Query, sc: &mut Scratch) -> Vec<u32> {
        sc.touched.clear();
        // Exact terms, and the approximate neighbours of the others at their
        // similarity: a need sharing only a typo or a derivation of a rare
        // word is still found.
        let mut weights: FxMap<u32, f64> = FxMap::default();
        for q in &query.terms {
            let exact = q.tid.map(|t| (t, q.weight));
            for (t, w) in exact.into_iter().chain(q.near.iter().map(|n| (n.tid, q.weight * n.similarity))) {
                let e = weights.entry(t).or_insert(0.0);
                *e = e.max(w);
            }
        }
        let all: Vec<(u32, f64)> = weights.into_iter().collect();
        self.accumulate(title, |t| &t.title_postings, TITLE_BUDGET, sc);
        self.accumulate(&all, |t| &t.postings, POSTING_BUDGET, sc);
        let mut cands: Vec<(u32, f32)> = sc.touched.iter().map(|&s| (s, sc.acc[s as usize].1)).collect();
        if cands.len() > EXACT_CANDIDATES {
            cands.select_nth_unstable_by(EXACT_CANDIDATES, |a, b| b.1.total_cmp(&a.1));
            cands.truncate(EXACT_CANDIDATES);
        }
        cands.into_iter().map(|c| c.0).collect()
    }
}

/// Per-thread scratch space of a search: one (generation, value) cell per
/// document slot (candidate accumulator) and per term (IDF memo), valid only
/// when stamped with the current generation, so nothing is cleared between
/// searches.
#[derive(Default)]
pub(super) struct Scratch {
    acc: Vec<(u32, f32)>,
    idf: Vec<(u32, f32)>,
    touched: Vec<u32>,
    generation: u32,
}

impl Scratch {
    /// Begin a search over `docs` slots and `terms` terms.
    fn start(&mut self, docs: usize, terms: usize) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Stamps wrapped around: old cells could look current.
            self.acc.iter_mut().for_each(|e| *e = (0, 0.0));
            self.idf.iter_mut().for_each(|e| *e = (0, 0.0));
            self.generation = 1;
        }
        if self.acc.len() < docs {
            self.acc.resize(docs, (0, 0.0));
        }
        if self.idf.len() < terms {
            self.idf.resize(terms, (0, 0.0));
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Dot product of two term-sorted sparse vectors.
fn sparse_dot(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}
