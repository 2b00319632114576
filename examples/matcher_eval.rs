//! Replays the dev set the way the service will (search → decide → upsert
//! into the merged pool or a new one) and reports false-merge pairs, same-need
//! pair merge recall and "found", against Decidim's pg_trgm baseline.
//! Also shows how the default thresholds are chosen, with leave-clusters-out.
//!
//! Run: `cargo run --release --example matcher_eval` (about a minute; `QUICK=1` for
//! the default-threshold table only, `DETAIL=0.38` to list the needs of
//! different clusters that a given merge threshold puts together).
mod common;
use common::{Need, baseline, found_rate, load, order, pair_stats, replay};
use mutua::domain::matching::Thresholds;
use std::collections::{BTreeSet, HashMap};

/// Shuffled orders replayed (fixed seeds).
const SEEDS: [u64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/// Leave-clusters-out folds.
const FOLDS: usize = 4;
/// A merge threshold is acceptable only if no order shows a false merge at
/// it, above it, or less than this much below it on the training replays:
/// the boundary seen on a few dozen needs is not the boundary on unseen topics.
const SAFETY: f64 = 0.02;
/// "found" wanted on the training replays when choosing `suggest`; the
/// largest such threshold is then halved (suggestions are cheap, a missed
/// pool is not).
const FOUND_TARGET: f64 = 0.98;
/// Margins tried; the largest whose recall is within `MARGIN_TOLERANCE` of
/// the best is kept (a margin guards against near-ties between two pools).
const MARGINS: [f64; 5] = [0.0, 0.025, 0.05, 0.075, 0.1];
const MARGIN_TOLERANCE: f64 = 0.01;

#[derive(Clone, Copy, Default)]
struct Metrics {
    wrong: usize,
    recall: f64,
    found: f64,
}

/// Replays every seed; `wrong` is the worst seed, the rates are means.
fn run(needs: &[Need], t: &Thresholds, keep: &dyn Fn(usize) -> bool) -> (Metrics, Vec<Metrics>) {
    let per: Vec<Metrics> = SEEDS
        .iter()
        .map(|&s| {
            let o = replay(needs, &order(needs.len(), s), t);
            let (wrong, merged, same) = pair_stats(needs, &o, keep);
            let (f, n) = found_rate(&o, keep);
            Metrics { wrong, recall: merged as f64 / same.max(1) as f64, found: f as f64 / n.max(1) as f64 }
        })
        .collect();
    let k = per.len() as f64;
    let agg = Metrics {
        wrong: per.iter().map(|m| m.wrong).max().unwrap_or(0),
        recall: per.iter().map(|m| m.recall).sum::<f64>() / k,
        found: per.iter().map(|m| m.found).sum::<f64>() / k,
    };
    (agg, per)
}

/// Merge thresholds tried (0.30 … 0.60).
fn merge_grid() -> Vec<f64> {
    (30..=60).map(|m| m as f64 / 100.0).collect()
}

/// Thresholds chosen on `needs` only (see SAFETY, MARGINS, FOUND_TARGET).
fn choose(needs: &[Need]) -> Thresholds {
    let all = |_: usize| true;
    let grid = merge_grid();
    let mut best: Option<(f64, Thresholds)> = None;
    let mut per_margin: Vec<(f64, f64, f64)> = Vec::new(); // (margin, merge, recall)
    for &margin in &MARGINS {
        let res: Vec<Metrics> =
            grid.iter().map(|&merge| run(needs, &Thresholds { merge, margin, suggest: 1.0 }, &all).0).collect();
        let steps = (SAFETY * 100.0).round() as usize;
        let ok = |i: usize| {
            i + 1 >= steps && (i + 1 - steps..=i).all(|j| res[j].wrong == 0) && res[i..].iter().all(|m| m.wrong == 0)
        };
        if let Some(i) = (0..grid.len()).find(|&i| ok(i)) {
            per_margin.push((margin, grid[i], res[i].recall));
        }
    }
    let top = per_margin.iter().map(|x| x.2).fold(0.0, f64::max);
    for &(margin, merge, recall) in &per_margin {
        if recall + MARGIN_TOLERANCE >= top && best.as_ref().is_none_or(|b| margin > b.1.margin) {
            best = Some((recall, Thresholds { merge, margin, suggest: 0.0 }));
        }
    }
    let mut t = best.map_or(Thresholds { merge: 1.0, margin: 0.0, suggest: 0.0 }, |b| b.1);
    let s = (1..=40)
        .rev()
        .map(|s| s as f64 / 100.0)
        .find(|&s| run(needs, &Thresholds { suggest: s, ..t }, &all).0.found >= FOUND_TARGET);
    t.suggest = (s.unwrap_or(0.02) * 50.0).round() / 100.0;
    t
}

fn main() {
    let needs = load();
    let clusters: BTreeSet<&str> = needs.iter().map(|n| n.cluster.as_str()).collect();
    println!("{} needs, {} clusters, seeds {:?}", needs.len(), clusters.len(), SEEDS);

    let t = Thresholds::default();
    println!("\n== Thresholds::default(): merge {:.2}, margin {:.3}, suggest {:.2}", t.merge, t.margin, t.suggest);
    println!("seed | false-merge pairs | pair merge recall | found | baseline found (pg_trgm >= 0.25, best 5)");
    let (agg, per) = run(&needs, &t, &|_| true);
    let mut base_mean = 0.0;
    for (m, &seed) in per.iter().zip(&SEEDS) {
        let b = baseline(&needs, &order(needs.len(), seed));
        let bf = b.iter().filter(|x| x.1).count() as f64 / b.len().max(1) as f64;
        base_mean += bf / SEEDS.len() as f64;
        println!("{seed:>4} | {:>17} | {:>17.3} | {:.3} | {bf:.3}", m.wrong, m.recall, m.found);
    }
    let total_wrong: usize = per.iter().map(|m| m.wrong).sum();
    println!(
        "mean | {:>17.1} | {:>17.3} | {:.3} | {base_mean:.3}",
        total_wrong as f64 / SEEDS.len() as f64,
        agg.recall,
        agg.found
    );

    if let Some(m) = std::env::var("DETAIL").ok().and_then(|v| v.parse::<f64>().ok()) {
        // Diagnostic: which different-cluster needs end up together.
        let mut wrong: HashMap<String, usize> = HashMap::new();
        for &seed in &SEEDS {
            let o = replay(&needs, &order(needs.len(), seed), &Thresholds { merge: m, ..t });
            for (i, p) in &o.pool {
                for (j, q) in &o.pool {
                    if i < j && p == q && needs[*i].cluster != needs[*j].cluster {
                        *wrong.entry(format!("{} <> {}", needs[*i].title, needs[*j].title)).or_default() += 1;
                    }
                }
            }
        }
        for (k, v) in wrong {
            println!("x{v} {k}");
        }
        return;
    }
    if std::env::var("QUICK").is_ok() {
        return;
    }
    println!("\n== recall / worst-seed false merges by merge threshold (margin {:.3})", t.margin);
    let line: Vec<String> = merge_grid()
        .iter()
        .step_by(2)
        .map(|&merge| {
            let m = run(&needs, &Thresholds { merge, ..t }, &|_| true).0;
            format!("{merge:.2}:{}/{:.2}", m.wrong, m.recall)
        })
        .collect();
    println!("{}", line.join(" "));

    println!("\n== leave-clusters-out: thresholds chosen without a fold's clusters, judged on that fold");
    println!("(full replay of all needs; pairs/needs involving the held-out clusters)");
    let fold_of: HashMap<&str, usize> = clusters.iter().enumerate().map(|(k, c)| (*c, k % FOLDS)).collect();
    for f in 0..FOLDS {
        let train: Vec<Need> = needs.iter().filter(|n| fold_of[n.cluster.as_str()] != f).cloned().collect();
        let ft = choose(&train);
        let held = |i: usize| fold_of[needs[i].cluster.as_str()] == f;
        let (m, per) = run(&needs, &ft, &held);
        let wrong: usize = per.iter().map(|m| m.wrong).sum();
        println!(
            "fold {f}: merge {:.2} margin {:.3} suggest {:.2} | held-out false-merge pairs (all seeds) {wrong}, recall {:.3}, found {:.3}",
            ft.merge, ft.margin, ft.suggest, m.recall, m.found
        );
    }
    let ta = choose(&needs);
    println!("same rule on all clusters: merge {:.2} margin {:.3} suggest {:.2}", ta.merge, ta.margin, ta.suggest);
}
