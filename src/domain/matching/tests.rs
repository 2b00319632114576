//! Tests of the public interface: scoring, index maintenance, decide().

use super::*;

fn need<'a>(title: &'a str, description: &'a str) -> NeedText<'a> {
    NeedText { title, description, cpv_code: None, locale_hint: "fr" }
}

fn ps(pool_id: i64, score: f64) -> PoolScore {
    PoolScore { pool_id, score }
}

const ARCHIVES: (&str, &str) =
    ("Gestion des archives communales", "Inventaire des boîtes du dépôt, tableau de tri et éliminations.");
const PARKING: (&str, &str) =
    ("Paiement du stationnement par smartphone", "Les automobilistes paient en zone payante via une application.");
const WEDDINGS: (&str, &str) =
    ("Réservation des salles communales", "Les associations réservent les salles en ligne avec un calendrier.");

fn small_index() -> Index {
    let mut ix = Index::new();
    ix.upsert(1, 10, &need(ARCHIVES.0, ARCHIVES.1));
    ix.upsert(2, 20, &need(PARKING.0, PARKING.1));
    ix.upsert(3, 30, &need(WEDDINGS.0, WEDDINGS.1));
    ix
}

#[test]
fn identical_text_scores_high_even_at_cold_start() {
    let ix = small_index();
    let r = ix.search(&need(ARCHIVES.0, ARCHIVES.1), 5);
    assert_eq!(r[0].pool_id, 10);
    assert!(r[0].score > 0.99, "{r:?}");
    let d = decide(&r, &Thresholds::default());
    assert_eq!(d.merge_into, Some(10));
}

#[test]
fn rewritten_text_ranks_first() {
    let ix = small_index();
    let r = ix.search(
        &need(
            "ARCHIVES COMMUNALES : inventaire",
            "Nous voulons inventorier les boites d'archives et gerer les eliminations.",
        ),
        5,
    );
    assert_eq!(r[0].pool_id, 10);
    assert!(r[0].score > 0.4, "{r:?}");
}

#[test]
fn unrelated_text_scores_low() {
    let ix = small_index();
    let r =
        ix.search(&need("Inventaire des arbres", "Essences, élagages et état sanitaire des arbres d'alignement."), 5);
    assert!(r.iter().all(|p| p.score < 0.2), "{r:?}");
    let r = ix.search(&need("Formation du personnel", "Plan de formation des agents."), 5);
    assert!(r.iter().all(|p| p.score < 0.1), "{r:?}");
}

#[test]
fn scores_are_in_unit_interval_and_sorted() {
    let ix = small_index();
    let r = ix.search(&need("Gestion des salles et des archives", "Réservation en ligne"), 10);
    assert!(r.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(r.iter().all(|p| (0.0..=1.0).contains(&p.score)));
    assert!(ix.search(&need("", ""), 5).is_empty());
    assert!(Index::new().search(&need(ARCHIVES.0, ARCHIVES.1), 5).is_empty());
    assert!(ix.search(&need(ARCHIVES.0, ARCHIVES.1), 0).is_empty());
}

#[test]
fn pool_score_is_best_need_of_pool() {
    let mut ix = small_index();
    ix.upsert(4, 20, &need(ARCHIVES.0, ARCHIVES.1));
    let r = ix.search(&need(ARCHIVES.0, ARCHIVES.1), 5);
    assert_eq!(r.len(), 2.min(r.len()).max(r.len()));
    assert!(r.iter().any(|p| p.pool_id == 20 && p.score > 0.99));
    assert!(r.iter().filter(|p| p.pool_id == 20).count() == 1);
}

#[test]
fn upsert_replaces_move_and_remove() {
    let mut ix = small_index();
    assert_eq!(ix.len(), 3);
    ix.upsert(1, 10, &need(WEDDINGS.0, WEDDINGS.1));
    assert_eq!(ix.len(), 3);
    let r = ix.search(&need(ARCHIVES.0, ARCHIVES.1), 5);
    assert!(r.iter().all(|p| p.score < 0.3), "old text must be gone: {r:?}");
    ix.move_need(2, 99);
    assert_eq!(ix.pool_of(2), Some(99));
    let r = ix.search(&need(PARKING.0, PARKING.1), 1);
    assert_eq!(r[0].pool_id, 99);
    ix.remove(2);
    ix.remove(2);
    assert_eq!(ix.len(), 2);
    assert!(ix.search(&need(PARKING.0, PARKING.1), 5).iter().all(|p| p.pool_id != 99));
    ix.upsert(5, 50, &need(PARKING.0, PARKING.1));
    assert_eq!(ix.search(&need(PARKING.0, PARKING.1), 1)[0].pool_id, 50);
    ix.move_need(12345, 1);
}

#[test]
fn cross_language_acronyms_match() {
    let mut ix = Index::new();
    ix.upsert(
        1,
        1,
        &NeedText {
            title: "Logiciel de médiation de dettes du CPAS",
            description: "",
            cpv_code: None,
            locale_hint: "fr",
        },
    );
    ix.upsert(2, 2, &need(PARKING.0, PARKING.1));
    let r = ix.search(
        &NeedText { title: "Software voor schuldbemiddeling OCMW", description: "", cpv_code: None, locale_hint: "nl" },
        5,
    );
    assert_eq!(r[0].pool_id, 1, "{r:?}");
}

#[test]
fn cpv_only_nudges() {
    let mut ix = Index::new();
    let with = |c| NeedText { title: "Gestion des cimetières", description: "", cpv_code: c, locale_hint: "fr" };
    ix.upsert(1, 1, &with(Some("48311000-1")));
    let same = ix.search(&with(Some("48311000-1")), 1)[0].score;
    let other = ix.search(
        &NeedText { title: "Logiciel de paie", description: "", cpv_code: Some("48311000-1"), locale_hint: "fr" },
        1,
    );
    assert!(same > 0.99);
    assert!(other.first().is_none_or(|p| p.score < 0.1), "CPV alone must not match: {other:?}");
}

#[test]
fn decide_merges_only_with_score_and_margin() {
    let t = Thresholds { merge: 0.6, margin: 0.1, suggest: 0.2 };
    let d = decide(&[ps(1, 0.8), ps(2, 0.5), ps(3, 0.1)], &t);
    assert_eq!(d.merge_into, Some(1));
    assert_eq!(d.similar, vec![ps(2, 0.5)]);
    let d = decide(&[ps(1, 0.8), ps(2, 0.75)], &t);
    assert_eq!(d.merge_into, None, "margin too small");
    assert_eq!(d.similar, vec![ps(1, 0.8), ps(2, 0.75)]);
    let d = decide(&[ps(1, 0.59)], &t);
    assert_eq!(d.merge_into, None);
    assert_eq!(d.similar, vec![ps(1, 0.59)]);
    let d = decide(&[ps(7, 0.9)], &t);
    assert_eq!(d, Decision { merge_into: Some(7), similar: vec![] });
}

#[test]
fn decide_edge_cases() {
    let t = Thresholds::default();
    assert_eq!(decide(&[], &t), Decision { merge_into: None, similar: vec![] });
    // Unsorted input, NaN, duplicates, out-of-range scores.
    let d = decide(&[ps(2, 0.3), ps(1, f64::NAN), ps(3, 1.7), ps(2, 0.35)], &t);
    assert_eq!(d.merge_into, Some(3));
    assert_eq!(d.similar, vec![ps(2, 0.35)]);
    let many: Vec<PoolScore> = (0..30).map(|i| ps(i, 0.3 - i as f64 * 0.001)).collect();
    let d = decide(&many, &t);
    assert_eq!(d.merge_into, None);
    assert_eq!(d.similar.len(), MAX_SIMILAR);
    assert_eq!(d.similar[0].pool_id, 0);
    // Equal best scores never merge (margin 0 < required margin).
    let d = decide(&[ps(1, 0.95), ps(2, 0.95)], &t);
    assert_eq!(d.merge_into, None);
}

#[test]
fn typos_still_match() {
    let mut ix = small_index();
    ix.upsert(
        4,
        40,
        &need("Extraits de casier judiciaire en ligne", "Délivrance électronique des extraits de casier judiciaire."),
    );
    let typo = ix.search(&need("Extrait de casier judiciare", "Demande en ligne d'un extrait de casier judicaire."), 5);
    assert_eq!(typo[0].pool_id, 40, "{typo:?}");
    let mut plain = Index::new();
    plain.upsert(
        4,
        40,
        &need("Extraits de casier judiciaire en ligne", "Délivrance électronique des extraits de casier judiciaire."),
    );
    plain.upsert(1, 10, &need(ARCHIVES.0, ARCHIVES.1));
    let exact = plain
        .search(&need("Extrait de casier judiciaire", "Demande en ligne d'un extrait de casier judiciaire."), 1)[0]
        .score;
    assert!(typo[0].score > 0.5 * exact, "typo {} vs exact {exact}", typo[0].score);
}

#[test]
fn pool_centroid_and_moves() {
    let mut ix = small_index();
    // Two needs of one pool; moving one away leaves the other alone.
    ix.upsert(4, 10, &need("Inventaire des archives", "Localisation des boîtes d'archives et éliminations."));
    let r = ix.search(&need("Archives communales", "Inventaire et éliminations des archives"), 5);
    assert_eq!(r[0].pool_id, 10);
    assert_eq!(r.iter().filter(|p| p.pool_id == 10).count(), 1, "one entry per pool");
    ix.move_need(4, 77);
    let r = ix.search(&need("Archives communales", "Inventaire et éliminations des archives"), 5);
    assert!(r.iter().any(|p| p.pool_id == 77) && r.iter().any(|p| p.pool_id == 10));
    ix.remove(4);
    ix.remove(1);
    let r = ix.search(&need("Archives communales", "Inventaire et éliminations des archives"), 5);
    assert!(r.iter().all(|p| p.pool_id != 10 && p.pool_id != 77), "{r:?}");
}

#[test]
fn same_need_in_dutch_and_german_is_found() {
    let mut ix = small_index();
    ix.upsert(
        4,
        40,
        &NeedText {
            title: "Online-Anmeldung für die Kinderkrippe",
            description: "Eltern melden ihr Kind online an, mit Warteliste.",
            cpv_code: None,
            locale_hint: "de",
        },
    );
    let r = ix.search(
        &NeedText {
            title: "Inscription en ligne à la crèche",
            description: "Les parents inscrivent leur enfant en ligne, avec liste d'attente.",
            cpv_code: None,
            locale_hint: "fr",
        },
        5,
    );
    assert_eq!(r[0].pool_id, 40, "{r:?}");
}

#[test]
fn index_is_shareable_between_threads() {
    fn check<T: Send + Sync>() {}
    check::<Index>();
}

#[test]
fn many_needs_still_find_the_rare_match() {
    // Candidate generation is bounded; the rare shared word must still win.
    let mut ix = Index::new();
    for i in 0..3000 {
        ix.upsert(
            i,
            i,
            &need(
                "Gestion des salles communales",
                "Réservation des salles par les associations avec un agenda en ligne.",
            ),
        );
    }
    ix.upsert(
        9999,
        9999,
        &need("Gestion des horodateurs", "Remplacement des horodateurs et paiement du stationnement."),
    );
    let r = ix.search(&need("Horodateurs : paiement", "Nos horodateurs sont vétustes, paiement par application."), 3);
    assert_eq!(r[0].pool_id, 9999, "{r:?}");
}
