//! Replays the three labelled dev sets (`tests/data/needs-dev.jsonl`,
//! `needs-dev2.jsonl`, `needs-dev3.jsonl`) the way the service does — search → decide →
//! join the merged pool or open a new one, each need posted by its own
//! organisation with the locale of its language — in shuffled orders, keeps
//! the duplicate candidates current with one `pool_candidates` call per post,
//! and simulates an officer working through the review queue (merge the true
//! pairs, dismiss the others, best score first).
//!
//! Run: `cargo run --release --example matcher_eval [-- MODE]`, MODE being
//! - `defaults` (default): every set at `Thresholds::default()`, and the
//!   review rule (below) applied at the default merge, margin and suggest;
//! - `cross`: each set measured with thresholds chosen on the other two (the
//!   rules below on each of them, combined as the defaults are: the higher
//!   merge and margin, the lower suggest, the higher review; a few minutes);
//! - `curves`: recall and false merges by merge threshold, review queue by
//!   review threshold, per set;
//! - `detail SET MERGE`: the different-cluster needs merged at MERGE, and the
//!   same-cluster pools left apart after review, with their pair scores.
//!
//! The orders are replayed on `MATCHER_EVAL_THREADS` threads (default 2). On
//! the shared 2-core machine, loaded by others, `cross` took about 32 minutes
//! (2026-12-07).
mod common;
use common::{Metrics, Need, Officer, SETS, Sim, baseline_found, finish, load, order, post_all, replay};
use mutua::domain::matching::{PoolPairs, Thresholds};
use std::collections::{BTreeSet, HashMap};

/// Shuffled orders replayed (fixed seeds).
const SEEDS: [u64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/// A merge threshold is acceptable only if no order shows a false merge at
/// it, above it, or less than this much below it on the training replays:
/// the boundary seen on a few dozen needs is not the boundary on unseen topics.
const SAFETY: f64 = 0.02;
/// Margins tried; the largest whose recall is within `MARGIN_TOLERANCE` of
/// the best is kept (a margin guards against near-ties between two pools).
const MARGINS: [f64; 5] = [0.0, 0.025, 0.05, 0.075, 0.1];
const MARGIN_TOLERANCE: f64 = 0.01;
/// `suggest` is half the largest threshold whose "found" stays within this of
/// the "found" of showing every ranked pool (suggestions are cheap, a missed
/// pool is not).
const FOUND_TOLERANCE: f64 = 0.01;
/// Share of reviews that must be merges, in every training order, at the
/// chosen review threshold and at every higher one: an officer's queue where
/// most pairs are true duplicates stays worth reading.
const REVIEW_PRECISION: f64 = 0.6;
/// An order whose queue holds fewer reviews than this of one kind (within
/// one language, across languages) says nothing of that kind's precision.
const REVIEW_MIN_COUNT: usize = 3;
/// The officer of the learning experiment reviews after every fifth of the set.
const REVIEW_ROUNDS: usize = 5;

/// Means over the seeds (false merges: worst seed and total).
#[derive(Clone, Copy, Debug, Default)]
struct Agg {
    worst_false: usize,
    total_false: usize,
    found: f64,
    auto_recall: f64,
    reviewed_recall: f64,
    reviews: f64,
    merges: f64,
    /// Worst seed's share of reviews that were merges.
    worst_precision: f64,
    /// The same for the pairs scored within one language, and across
    /// (orders with fewer than REVIEW_MIN_COUNT such reviews left out).
    worst_precision_same: f64,
    worst_precision_across: f64,
    reviews_across: f64,
    merges_across: f64,
    /// Worst seed's found, automatic and reviewed pair recall.
    worst_found: f64,
    worst_auto: f64,
    worst_reviewed: f64,
    /// Later needs joining their cluster's pool automatically, officer at the end.
    late_alone: f64,
    /// The same with an officer reviewing the queue every fifth of the set.
    late_reviewed: f64,
}

impl Agg {
    fn precision(&self) -> f64 {
        self.merges / self.reviews.max(f64::EPSILON)
    }
}

fn mean(v: &[Metrics], f: impl Fn(&Metrics) -> f64) -> f64 {
    v.iter().map(f).sum::<f64>() / v.len().max(1) as f64
}

/// `f` of every item, on up to `MATCHER_EVAL_THREADS` threads (default 2),
/// in the items' order.
fn par_map<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    let threads = std::env::var("MATCHER_EVAL_THREADS").ok().and_then(|v| v.parse().ok()).unwrap_or(2usize).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads).max(1))
            .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<T>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a replay thread")).collect()
    })
}

fn runs(needs: &[Need], t: &Thresholds, officer: Officer) -> Vec<Metrics> {
    par_map(&SEEDS, |&s| replay(needs, &order(needs.len(), s), t, officer).0)
}

/// Everything reported for one set at thresholds `t`.
fn measure(needs: &[Need], t: &Thresholds, learning: bool) -> Agg {
    let end = runs(needs, t, Officer::AtEnd);
    let every = if learning { runs(needs, t, Officer::Every(needs.len().div_ceil(REVIEW_ROUNDS))) } else { Vec::new() };
    aggregate(&end, &every)
}

/// The figures of replays whose officer reviewed at the end (`end`) and
/// every fifth of the set (`every`, may be empty).
fn aggregate(end: &[Metrics], every: &[Metrics]) -> Agg {
    let precision = |m: &Metrics| if m.reviews == 0 { 1.0 } else { m.review_merges as f64 / m.reviews as f64 };
    let of_kind = |reviews: usize, merges: usize| {
        if reviews < REVIEW_MIN_COUNT { 1.0 } else { merges as f64 / reviews as f64 }
    };
    Agg {
        worst_false: end.iter().map(|m| m.false_pairs).max().unwrap_or(0),
        total_false: end.iter().map(|m| m.false_pairs).sum(),
        found: mean(end, |m| m.found),
        auto_recall: mean(end, |m| m.auto_recall),
        reviewed_recall: mean(end, |m| m.reviewed_recall),
        reviews: mean(end, |m| m.reviews as f64),
        merges: mean(end, |m| m.review_merges as f64),
        worst_precision: end.iter().map(precision).fold(1.0, f64::min),
        worst_precision_same: end
            .iter()
            .map(|m| of_kind(m.reviews - m.reviews_across, m.review_merges - m.review_merges_across))
            .fold(1.0, f64::min),
        worst_precision_across: end
            .iter()
            .map(|m| of_kind(m.reviews_across, m.review_merges_across))
            .fold(1.0, f64::min),
        reviews_across: mean(end, |m| m.reviews_across as f64),
        merges_across: mean(end, |m| m.review_merges_across as f64),
        worst_found: end.iter().map(|m| m.found).fold(1.0, f64::min),
        worst_auto: end.iter().map(|m| m.auto_recall).fold(1.0, f64::min),
        worst_reviewed: end.iter().map(|m| m.reviewed_recall).fold(1.0, f64::min),
        late_alone: mean(end, |m| m.late_auto_join),
        late_reviewed: mean(every, |m| m.late_auto_join),
    }
}

/// Thresholds chosen on `needs` only (see the rules in the constants).
fn choose(needs: &[Need]) -> Thresholds {
    let absent = |t: Thresholds| runs(needs, &t, Officer::Absent);
    let grid: Vec<f64> = (25..=70).map(|m| m as f64 / 100.0).collect();
    let steps = (SAFETY * 100.0).round() as usize;
    let mut per_margin: Vec<(f64, f64, f64)> = Vec::new(); // (margin, merge, recall)
    for &margin in &MARGINS {
        let res: Vec<(usize, f64)> = grid
            .iter()
            .map(|&merge| {
                let r = absent(Thresholds { merge, margin, suggest: 1.0, review: 1.0, review_across: 1.0 });
                (r.iter().map(|m| m.false_pairs).max().unwrap_or(0), mean(&r, |m| m.auto_recall))
            })
            .collect();
        let safe = |i: usize| i >= steps && res[i - steps..].iter().all(|r| r.0 == 0);
        if let Some(i) = (0..grid.len()).find(|&i| safe(i)) {
            per_margin.push((margin, grid[i], res[i].1));
        }
    }
    let top = per_margin.iter().map(|x| x.2).fold(0.0, f64::max);
    let (margin, merge) = per_margin
        .iter()
        .filter(|x| x.2 + MARGIN_TOLERANCE >= top)
        .map(|x| (x.0, x.1))
        .next_back()
        .unwrap_or((0.0, 1.0));
    let mut t = Thresholds { merge, margin, suggest: 0.0, review: 1.0, review_across: 1.0 };
    let best_found = mean(&absent(t), |m| m.found);
    let s = (1..=40)
        .rev()
        .map(|s| s as f64 / 100.0)
        .find(|&s| mean(&absent(Thresholds { suggest: s, ..t }), |m| m.found) + FOUND_TOLERANCE >= best_found);
    t.suggest = (s.unwrap_or(0.0) * 50.0).round() / 100.0;
    (t.review, t.review_across) = review_rule(needs, &t);
    t
}

/// The review thresholds within one language and across languages, each
/// the lowest whose queue, and every shorter one, keeps the share of merges
/// among the reviews of its kind at REVIEW_PRECISION in every order, at the
/// merge, margin and suggest thresholds of `t` (what merges automatically
/// shapes the queue): first within one language (no pair across languages
/// queued), then across at that threshold.
fn review_rule(needs: &[Need], t: &Thresholds) -> (f64, f64) {
    // Posted once per order with every pair from `suggest` up queued, then
    // reviewed at each threshold tried (`Sim::at_review`).
    let low = Thresholds { review: t.suggest, review_across: t.suggest, ..*t };
    let posted: Vec<(Metrics, Sim)> =
        par_map(&SEEDS, |&s| post_all(needs, &order(needs.len(), s), &low, Officer::AtEnd));
    let reviewed = |at: &Thresholds| -> Agg {
        let end = par_map(&posted, |(m, sim)| finish(*m, &mut sim.at_review(at.review, at.review_across), true));
        aggregate(&end, &[])
    };
    let scan = |at: &dyn Fn(f64) -> Thresholds, worst: fn(&Agg) -> f64| {
        let mut review = t.merge;
        let mut r = ((t.merge - 0.01) * 100.0).round() as i64;
        while r as f64 / 100.0 >= t.suggest {
            if worst(&reviewed(&at(r as f64 / 100.0))) < REVIEW_PRECISION {
                break;
            }
            review = r as f64 / 100.0;
            r -= 1;
        }
        review
    };
    let same = scan(&|r| Thresholds { review: r, review_across: 1.0, ..*t }, |a| a.worst_precision_same);
    let across = scan(&|r| Thresholds { review: same, review_across: r, ..*t }, |a| a.worst_precision_across);
    (same, across)
}

fn show_thresholds(t: &Thresholds) -> String {
    format!(
        "merge {:.2}, margin {:.3}, suggest {:.2}, review {:.2} (across languages {:.2})",
        t.merge, t.margin, t.suggest, t.review, t.review_across
    )
}

fn header() {
    println!(
        "| set | false-merge pairs (worst order / all orders) | found (worst order) | automatic pair recall (worst) | pair recall after review (worst) | reviews | merges | merges / reviews (worst) | across languages: reviews, merges | later needs merged automatically: officer at the end → officer every fifth |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
}

fn row(name: &str, a: &Agg) {
    println!(
        "| {name} | {} / {} | {:.3} ({:.3}) | {:.3} ({:.3}) | {:.3} ({:.3}) | {:.1} | {:.1} | {:.2} ({:.2}) | {:.1}, {:.1} | {:.3} → {:.3} |",
        a.worst_false,
        a.total_false,
        a.found,
        a.worst_found,
        a.auto_recall,
        a.worst_auto,
        a.reviewed_recall,
        a.worst_reviewed,
        a.reviews,
        a.merges,
        a.precision(),
        a.worst_precision,
        a.reviews_across,
        a.merges_across,
        a.late_alone,
        a.late_reviewed
    );
}

fn defaults(sets: &[(&str, Vec<Need>)]) {
    let t = Thresholds::default();
    println!("== Thresholds::default(): {}; seeds {SEEDS:?}", show_thresholds(&t));
    header();
    for (name, needs) in sets {
        row(name, &measure(needs, &t, true));
    }
    for (name, needs) in sets {
        let (same, across) = review_rule(needs, &t);
        println!(
            "review rule at these merge, margin and suggest thresholds on {name}: {same:.2}, across languages {across:.2}"
        );
    }
    println!("\n| set | needs | clusters | trigram baseline found (pg_trgm >= 0.25, best 5) |\n|---|---|---|---|");
    for (name, needs) in sets {
        let clusters: BTreeSet<&str> = needs.iter().map(|n| n.cluster.as_str()).collect();
        let base = SEEDS.iter().map(|&s| baseline_found(needs, &order(needs.len(), s))).sum::<f64>() / 10.0;
        println!("| {name} | {} | {} | {base:.3} |", needs.len(), clusters.len());
    }
}

fn cross(sets: &[(&str, Vec<Need>)]) {
    let chosen: Vec<Thresholds> = sets
        .iter()
        .map(|(name, needs)| {
            let t = choose(needs);
            println!("tuned on {name} alone: {}", show_thresholds(&t));
            t
        })
        .collect();
    for (k, (test, test_needs)) in sets.iter().enumerate() {
        let others: Vec<usize> = (0..sets.len()).filter(|&i| i != k).collect();
        let t = combine(&others.iter().map(|&i| (sets[i].1.as_slice(), chosen[i])).collect::<Vec<_>>());
        let names: Vec<&str> = others.iter().map(|&i| sets[i].0).collect();
        println!("\n== tuned on {}: {}", names.join(" + "), show_thresholds(&t));
        header();
        for &i in &others {
            row(&format!("{} (training)", sets[i].0), &measure(&sets[i].1, &t, true));
        }
        row(&format!("{test} (held out)"), &measure(test_needs, &t, true));
    }
    let all = combine(&sets.iter().zip(&chosen).map(|((_, needs), t)| (needs.as_slice(), *t)).collect::<Vec<_>>());
    println!("\n== combined on every set (what Thresholds::default() should be): {}", show_thresholds(&all));
}

/// Thresholds chosen on several sets, each value on its safe side as the
/// defaults are: the higher merge and margin (a wrong merge is worse than a
/// missed one), the lower suggest (a missed pool is worse than one more
/// suggestion), and the review rule applied again at those on each set, the
/// higher (what merges automatically shapes the queue).
fn combine(training: &[(&[Need], Thresholds)]) -> Thresholds {
    let pick = |f: fn(&Thresholds) -> f64, start: f64, better: fn(f64, f64) -> f64| {
        training.iter().map(|(_, t)| f(t)).fold(start, better)
    };
    let mut t = Thresholds {
        merge: pick(|t| t.merge, 0.0, f64::max),
        margin: pick(|t| t.margin, 0.0, f64::max),
        suggest: pick(|t| t.suggest, 1.0, f64::min),
        review: 1.0,
        review_across: 1.0,
    };
    let rules: Vec<(f64, f64)> = training.iter().map(|(needs, _)| review_rule(needs, &t)).collect();
    t.review = rules.iter().map(|r| r.0).fold(0.0, f64::max);
    t.review_across = rules.iter().map(|r| r.1).fold(0.0, f64::max);
    t
}

fn curves(sets: &[(&str, Vec<Need>)]) {
    let t = Thresholds::default();
    for (name, needs) in sets {
        println!(
            "\n== {name}: worst-order false-merge pairs / automatic pair recall by merge threshold (margin {:.3})",
            t.margin
        );
        let line: Vec<String> = (25..=70)
            .step_by(2)
            .map(|m| {
                let r = runs(needs, &Thresholds { merge: m as f64 / 100.0, ..t }, Officer::Absent);
                let worst = r.iter().map(|m| m.false_pairs).max().unwrap_or(0);
                format!("{:.2}:{worst}/{:.2}", m as f64 / 100.0, mean(&r, |m| m.auto_recall))
            })
            .collect();
        println!("{}", line.join(" "));
        println!("== {name}: found by suggest threshold");
        let line: Vec<String> = (0..=20)
            .map(|s| {
                let r = runs(needs, &Thresholds { suggest: s as f64 / 100.0, ..t }, Officer::Absent);
                format!("{:.2}:{:.3}", s as f64 / 100.0, mean(&r, |m| m.found))
            })
            .collect();
        println!("{}", line.join(" "));
        println!("== {name}: review threshold → reviews, merges / reviews (worst order), recall after review");
        for r in (10..=40).step_by(2) {
            let a = measure(needs, &Thresholds { review: r as f64 / 100.0, ..t }, false);
            println!(
                "{:.2}: {:.1} reviews, {:.2} ({:.2}), recall {:.3}",
                r as f64 / 100.0,
                a.reviews,
                a.precision(),
                a.worst_precision,
                a.reviewed_recall
            );
        }
    }
}

fn detail(needs: &[Need], merge: f64) {
    let t = Thresholds { merge, ..Thresholds::default() };
    let mut wrong: HashMap<String, usize> = HashMap::new();
    let mut missed: HashMap<String, usize> = HashMap::new();
    for &seed in &SEEDS {
        let (_, sim) = replay(needs, &order(needs.len(), seed), &t, Officer::AtEnd);
        for (i, j) in sim.false_pairs() {
            *wrong.entry(format!("{} <> {}", needs[i].title, needs[j].title)).or_default() += 1;
        }
        let pools: BTreeSet<i64> = sim.pool.values().copied().collect();
        for &a in &pools {
            for &b in pools.range(a + 1..) {
                let cl = |p: i64| -> BTreeSet<&str> {
                    sim.pool.iter().filter(|x| *x.1 == p).map(|x| needs[*x.0].cluster.as_str()).collect()
                };
                if cl(a).is_disjoint(&cl(b)) {
                    continue;
                }
                let score = sim.ix.pool_candidates(a, 0.0).iter().find(|c| c.pool_id == b).map_or(0.0, |c| c.score);
                let title = |p: i64| sim.pool.iter().find(|x| *x.1 == p).map_or("", |x| needs[*x.0].title.as_str());
                let dismissed = if sim.dismissed.contains(a, b) { " (dismissed)" } else { "" };
                *missed.entry(format!("{score:.2}{dismissed} {} <> {}", title(a), title(b))).or_default() += 1;
            }
        }
    }
    let mut w: Vec<_> = wrong.into_iter().collect();
    w.sort();
    println!("== different needs merged at {merge:.2}");
    for (k, v) in w {
        println!("x{v} {k}");
    }
    let mut m: Vec<_> = missed.into_iter().collect();
    m.sort();
    println!("== same need, pools left apart after review (pair score)");
    for (k, v) in m {
        println!("x{v} {k}");
    }
    let _ = PoolPairs::new();
}

fn main() {
    let sets: Vec<(&str, Vec<Need>)> = SETS.iter().map(|&s| (s, load(s))).collect();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("defaults") => defaults(&sets),
        Some("cross") => cross(&sets),
        Some("curves") => curves(&sets),
        Some("detail") => {
            let set = args.get(1).and_then(|n| sets.iter().find(|s| s.0 == n)).expect("a set name");
            detail(&set.1, args.get(2).and_then(|m| m.parse().ok()).unwrap_or(Thresholds::default().merge));
        }
        Some(other) => eprintln!("unknown mode {other:?}: defaults, cross, curves or detail SET MERGE"),
    }
}
