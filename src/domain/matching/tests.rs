//! Tests of the public interface: scoring, index maintenance, decide().

use super::*;

fn need<'a>(title: &'a str, description: &'a str) -> NeedText<'a> {
    in_lang(title, description, "fr")
}

fn in_lang<'a>(title: &'a str, description: &'a str, hint: &'a str) -> NeedText<'a> {
    NeedText { title, description, locale_hint: hint }
}

fn ps(pool_id: i64, score: f64) -> PoolScore {
    PoolScore { pool_id, score, unaided: score, grounded: true, across: false }
}

const ARCHIVES: (&str, &str) =
    ("Gestion des archives communales", "Inventaire des boîtes du dépôt, tableau de tri et éliminations.");
const PARKING: (&str, &str) =
    ("Paiement du stationnement par smartphone", "Les automobilistes paient en zone payante via une application.");
const ROOMS: (&str, &str) =
    ("Réservation des salles communales", "Les associations réservent les salles en ligne avec un calendrier.");

fn small_index() -> Index {
    let mut ix = Index::new();
    ix.upsert(1, 10, &need(ARCHIVES.0, ARCHIVES.1));
    ix.upsert(2, 20, &need(PARKING.0, PARKING.1));
    ix.upsert(3, 30, &need(ROOMS.0, ROOMS.1));
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
    // Pool 20 now holds the parking need and a copy of the archives need.
    ix.upsert(4, 20, &need(ARCHIVES.0, ARCHIVES.1));
    let r = ix.search(&need(ARCHIVES.0, ARCHIVES.1), 5);
    let top: Vec<i64> = r.iter().take(2).map(|p| p.pool_id).collect();
    assert!(top.contains(&10) && top.contains(&20), "both pools holding the text come first: {r:?}");
    assert!(r[1].score > 0.99, "pool 20 scores as its best need, not as its average: {r:?}");
    assert_eq!(r.iter().filter(|p| p.pool_id == 20).count(), 1, "one entry per pool");
}

#[test]
fn upsert_replaces_move_and_remove() {
    let mut ix = small_index();
    assert_eq!(ix.len(), 3);
    ix.upsert(1, 10, &need(ROOMS.0, ROOMS.1));
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
    // Moving an unknown need changes nothing.
    let before = ix.search(&need(ARCHIVES.0, ARCHIVES.1), 5);
    ix.move_need(12345, 1);
    assert_eq!(ix.pool_of(12345), None);
    assert_eq!(ix.len(), 3);
    assert_eq!(ix.search(&need(ARCHIVES.0, ARCHIVES.1), 5), before);
    assert!(ix.pool_ids().all(|p| p != 1), "no pool appears for an unknown need");
}

#[test]
fn cross_language_acronyms_match() {
    let mut ix = Index::new();
    ix.upsert(1, 1, &need("Logiciel de gestion des archives du CPAS", ""));
    ix.upsert(2, 2, &need(PARKING.0, PARKING.1));
    let r = ix.search(&in_lang("Software voor archiefbeheer OCMW", "", "nl"), 5);
    assert_eq!(r[0].pool_id, 1, "{r:?}");
    assert!(r.iter().all(|p| p.pool_id != 2), "nothing shared with the parking need: {r:?}");
}

#[test]
fn decide_merges_only_with_score_and_margin() {
    let t = Thresholds { merge: 0.6, margin: 0.1, suggest: 0.2, review: 0.4, review_across: 0.4 };
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
        &in_lang("Online-Anmeldung für die Kinderkrippe", "Eltern melden ihr Kind online an, mit Warteliste.", "de"),
    );
    let r = ix.search(
        &need("Inscription en ligne à la crèche", "Les parents inscrivent leur enfant en ligne, avec liste d'attente."),
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

const ARCHIVES_AGAIN: (&str, &str) = (
    "ARCHIVES COMMUNALES : inventaire des boîtes",
    "Inventorier les boîtes d'archives du dépôt et planifier les éliminations.",
);

/// Pools 10 and 11 hold the same need written twice, 20 and 30 others.
fn pairs_index() -> Index {
    let mut ix = small_index();
    ix.upsert(4, 11, &need(ARCHIVES_AGAIN.0, ARCHIVES_AGAIN.1));
    ix
}

fn score_of(c: &[PoolScore], pool: i64) -> Option<f64> {
    c.iter().find(|p| p.pool_id == pool).map(|p| p.score)
}

#[test]
fn pool_candidates_find_the_twin_pool_and_not_the_others() {
    let ix = pairs_index();
    let t = Thresholds::default();
    let c = ix.pool_candidates(10, t.review);
    assert_eq!(c.first().map(|p| p.pool_id), Some(11), "{c:?}");
    assert!(c.iter().all(|p| p.pool_id != 10), "never the pool itself");
    assert!(c.iter().all(|p| p.score >= t.review && p.score <= 1.0), "{c:?}");
    assert!(score_of(&c, 20).is_none() && score_of(&c, 30).is_none(), "unrelated pools are no candidates: {c:?}");
    assert!(ix.pool_candidates(999, 0.0).is_empty(), "an unknown pool has no candidates");
    assert!(c.windows(2).all(|w| w[0].score >= w[1].score), "best first");
}

#[test]
fn pool_to_pool_scores_are_symmetric() {
    let mut ix = pairs_index();
    ix.upsert(5, 11, &need("Localisation des archives", "Prêt interne des dossiers archivés aux services."));
    for (a, b) in [(10, 11), (10, 20), (11, 30)] {
        let ab = score_of(&ix.pool_candidates(a, 0.0), b).unwrap_or(0.0);
        let ba = score_of(&ix.pool_candidates(b, 0.0), a).unwrap_or(0.0);
        assert!((ab - ba).abs() < 1e-9, "{a} {b}: {ab} vs {ba}");
    }
}

#[test]
fn pools_that_would_merge_are_candidates_at_the_merge_score() {
    let mut ix = Index::new();
    ix.upsert(1, 10, &need(ARCHIVES.0, ARCHIVES.1));
    ix.upsert(2, 20, &need(PARKING.0, PARKING.1));
    ix.upsert(3, 11, &need(ARCHIVES_AGAIN.0, ARCHIVES_AGAIN.1));
    // What pool 10 scores for that need posted now (pool 11 aside)...
    let posted = score_of(&ix.search(&need(ARCHIVES_AGAIN.0, ARCHIVES_AGAIN.1), 5), 10).unwrap();
    // ...is at most the pair's score: the pair is the best of both directions.
    let pair = score_of(&ix.pool_candidates(11, 0.0), 10).unwrap();
    assert!(pair >= posted - 1e-6, "{pair} vs {posted}");
    assert!(posted >= Thresholds::default().merge, "the two texts would merge: {posted}");
}

#[test]
fn dismissed_pairs_are_left_out_without_hiding_others() {
    let mut ix = pairs_index();
    ix.upsert(5, 12, &need(ARCHIVES.0, ARCHIVES.1));
    let mut dismissed = PoolPairs::new();
    assert!(dismissed.insert(12, 10));
    assert!(!dismissed.insert(10, 12), "the same pair in the other order");
    assert!(dismissed.contains(10, 12) && dismissed.contains(12, 10) && !dismissed.contains(10, 11));
    assert_eq!(dismissed.len(), 1);
    let c = ix.pool_candidates_where(10, |_| 0.1, |other| !dismissed.contains(10, other));
    assert!(score_of(&c, 12).is_none(), "{c:?}");
    assert!(score_of(&c, 11).is_some(), "{c:?}");
}

#[test]
fn an_officer_merge_gives_the_survivor_both_vocabularies() {
    let mut ix = Index::new();
    ix.upsert(1, 10, &need(ARCHIVES.0, ARCHIVES.1));
    ix.upsert(2, 20, &need("Prêt interne des dossiers archivés", "Les services empruntent des dossiers au dépôt."));
    ix.upsert(3, 30, &need(PARKING.0, PARKING.1));
    let query = need("Prêt des dossiers archivés aux services", "Suivi des emprunts de dossiers.");
    let before = score_of(&ix.search(&query, 5), 10).unwrap_or(0.0);
    // The officer merges pool 20 into pool 10.
    ix.move_need(2, 10);
    let after = ix.search(&query, 5);
    assert_eq!(after[0].pool_id, 10, "{after:?}");
    assert!(after[0].score > before, "the survivor now speaks of loans too: {before} -> {after:?}");
    assert!(score_of(&after, 20).is_none(), "the merged pool is gone");
    assert!(ix.pool_candidates(20, 0.0).is_empty());
    assert!(score_of(&ix.pool_candidates(10, 0.0), 20).is_none());
}

#[test]
fn the_review_threshold_lies_between_suggest_and_merge() {
    let t = Thresholds::default();
    assert!(t.suggest < t.review && t.review < t.merge, "{t:?}");
    // A pool pair below `review` is no candidate, at or above it is one.
    let ix = pairs_index();
    let twin = score_of(&ix.pool_candidates(10, 0.0), 11).unwrap();
    assert!(twin >= t.review, "{twin}");
    assert!(ix.pool_candidates(10, twin + 1e-9).iter().all(|p| p.pool_id != 11));
    assert!(ix.pool_candidates(10, twin).iter().any(|p| p.pool_id == 11));
}

#[test]
fn three_communes_one_need_merge_at_the_defaults_and_another_topic_stays_apart() {
    // The scenario of tests/api/matching.rs, without the service around it.
    let cemetery = [
        (
            "Gestion des concessions du cimetière",
            "Nous souhaitons un registre numérique des concessions de nos cimetières, avec les échéances et le plan des parcelles.",
        ),
        ("gestion des concessions de cimetiere", "registre des concessions du cimetiere et rappel des echeances"),
        (
            "CIMETIÈRES : GESTION DES CONCESSIONS",
            "Registre informatisé des concessions funéraires : plan interactif des cimetières, rappels automatiques avant \
             l'échéance des concessions, export pour le service population et historique des défunts par parcelle.",
        ),
    ];
    let t = Thresholds::default();
    let mut ix = Index::new();
    ix.upsert(1, 1, &need(cemetery[0].0, cemetery[0].1));
    for (i, (title, description)) in cemetery.iter().enumerate().skip(1) {
        let d = decide(&ix.search(&need(title, description), 10), &t);
        assert_eq!(d.merge_into, Some(1), "need {i}: {d:?}");
        ix.upsert(i as i64 + 1, 1, &need(title, description));
    }
    let rooms = need("Réservation en ligne des salles communales", "Calendrier des salles et paiement en ligne.");
    assert_eq!(decide(&ix.search(&rooms, 10), &t).merge_into, None);
    let sport = need("Gestion des salles de sport", "Planning des clubs dans les halls sportifs.");
    let mut ix = Index::new();
    ix.upsert(1, 1, &need("Gestion des salles communales", "Réservation des salles de la commune."));
    let d = decide(&ix.search(&sport, 10), &t);
    assert_eq!(d.merge_into, None, "{d:?}");
    assert_eq!(d.similar.len(), 1, "a close pool is suggested at the default threshold: {d:?}");
}

#[test]
fn the_object_of_a_need_meets_its_translation_across_languages() {
    // No lexicon entry names dogs or their owners: the dictionary does.
    let mut ix = Index::new();
    ix.upsert(1, 10, &in_lang("Registratie van de honden", "De eigenaars melden hun hond online aan.", "nl"));
    ix.upsert(2, 20, &in_lang("Registratie van de fietsen", "De eigenaars melden hun fiets online aan.", "nl"));
    let dogs =
        ix.search(&in_lang("Enregistrement des chiens", "Les propriétaires déclarent leur chien en ligne.", "fr"), 5);
    assert_eq!(dogs[0].pool_id, 10, "{dogs:?}");
    assert!(dogs[0].score > dogs.get(1).map_or(0.0, |p| p.score), "{dogs:?}");
    let hunde = ix.search(&in_lang("Anmeldung der Hunde", "Die Halter melden ihren Hund online an.", "de"), 5);
    assert_eq!(hunde[0].pool_id, 10, "{hunde:?}");
}

#[test]
fn a_dictionary_synonym_is_not_used_within_one_language() {
    // "hond" in a need analysed as Dutch translates "chien"; the same word in
    // a need analysed as French is a foreign word, and matches only itself.
    let dutch = in_lang("Registratie van de honden", "De eigenaars melden hun hond online aan.", "nl");
    let french = in_lang("Le registre hond", "Les propriétaires déclarent hond en ligne.", "fr");
    let query = in_lang("Enregistrement des chiens", "Les propriétaires déclarent leur chien en ligne.", "fr");
    let score = |n: &NeedText| {
        let mut ix = Index::new();
        ix.upsert(1, 10, n);
        ix.search(&query, 5).first().map_or(0.0, |p| p.score)
    };
    let (from_dutch, from_french) = (score(&dutch), score(&french));
    assert!(from_dutch > from_french + 0.1, "{from_dutch} vs {from_french}");
}

#[test]
fn generic_words_alone_never_merge() {
    // Two short titles sharing only "voor inwoners" and a generic IT word:
    // their own objects (unknown compounds) differ.
    let mut ix = Index::new();
    ix.upsert(1, 10, &in_lang("Boomkaart voor inwoners", "", "nl"));
    let r = ix.search(&in_lang("Deelplatform voor inwoners", "", "nl"), 5);
    assert!(r.iter().all(|p| !p.grounded), "{r:?}");
    let t = Thresholds { merge: 0.0, margin: 0.0, ..Thresholds::default() };
    assert_eq!(decide(&r, &t).merge_into, None, "never merged, whatever the threshold: {r:?}");
    // The same object named by both is grounded.
    let r = ix.search(&in_lang("Boomkaart", "Een kaart van de bomen voor inwoners.", "nl"), 5);
    assert!(r[0].grounded, "{r:?}");
    // Two titles naming no object of their own are not held back either.
    let mut ix = Index::new();
    ix.upsert(1, 10, &need("Gestion des archives", ""));
    let r = ix.search(&need("Archives communales", ""), 5);
    assert!(r[0].grounded, "{r:?}");
}

#[test]
fn pairs_across_languages_have_their_own_review_threshold() {
    let mut ix = Index::new();
    ix.upsert(1, 10, &need("Réservation des vélos partagés", "Les habitants réservent un vélo."));
    ix.upsert(2, 20, &in_lang("Reservatie van deelfietsen", "Inwoners reserveren een fiets.", "nl"));
    let all = ix.pool_candidates(10, 0.0);
    let across = all.iter().find(|p| p.pool_id == 20).expect("the Dutch pool is a candidate");
    assert!(across.across, "{all:?}");
    let t = Thresholds { review: across.score + 0.01, review_across: across.score - 0.01, ..Thresholds::default() };
    assert!(ix.pool_candidates_where(10, |a| t.review_for(a), |_| true).iter().any(|p| p.pool_id == 20));
    let t = Thresholds { review: across.score - 0.01, review_across: across.score + 0.01, ..t };
    assert!(ix.pool_candidates_where(10, |a| t.review_for(a), |_| true).iter().all(|p| p.pool_id != 20));
}

#[test]
fn a_score_that_leans_on_the_desk_never_merges() {
    let t = Thresholds::default();
    let taught = PoolScore { pool_id: 1, score: 0.6, unaided: 0.2, grounded: true, across: true };
    assert_eq!(decide(&[taught], &t).merge_into, None, "the lesson alone would merge");
    assert_eq!(decide(&[PoolScore { unaided: 0.6, ..taught }], &t).merge_into, Some(1));
}

#[test]
fn a_merge_relates_two_titles_words_and_the_explanation_traces_it() {
    let (fr, nl) = (in_lang("Cadastre solaire des toitures", "", "fr"), in_lang("Zonnekaart voor inwoners", "", "nl"));
    let mut ix = Index::new();
    ix.upsert(1, 10, &nl);
    ix.upsert(2, 20, &need(ARCHIVES.0, ARCHIVES.1));
    let before = ix.search(&fr, 5).into_iter().find(|p| p.pool_id == 10).map_or(0.0, |p| p.score);
    ix.learn(&fr, &nl, Verdict::Same);
    let after = ix.search(&fr, 5).into_iter().find(|p| p.pool_id == 10).expect("found through the lesson");
    assert!(after.score > before + 0.1, "{before} -> {after:?}");
    assert!(after.unaided <= before + 1e-9, "the unaided score ignores the lesson: {before} -> {after:?}");
    assert_eq!(decide(&[after], &Thresholds { merge: 0.0, ..Thresholds::default() }).merge_into, None);
    ix.upsert(3, 30, &fr);
    let why = ix.explain_pair(10, 30).expect("a pair to explain");
    assert!(why.words.iter().any(|w| w.via == Via::Desk), "{why:?}");
    assert_eq!(why.needs, [1, 3]);
    // A later dismissal of the same words undoes the relation.
    ix.learn(&nl, &fr, Verdict::Different);
    let undone = ix.search(&fr, 5).into_iter().find(|p| p.pool_id == 10).map_or(0.0, |p| p.score);
    assert!(undone <= before + 1e-9, "{before} -> {undone}");
}

#[test]
fn a_dismissal_halves_a_later_pair_with_the_same_differing_words() {
    let (trees, benches) = (need("Inventaire des arbres remarquables", ""), need("Inventaire des bancs publics", ""));
    let mut ix = Index::new();
    ix.upsert(1, 10, &benches);
    let before = ix.search(&trees, 5)[0].score;
    ix.learn(&trees, &benches, Verdict::Different);
    let after = ix.search(&trees, 5)[0].score;
    assert!((after - before * 0.5).abs() < 1e-9, "{before} -> {after}");
    ix.upsert(2, 20, &trees);
    assert!(ix.explain_pair(10, 20).is_some_and(|why| why.set_apart));
}

#[test]
fn likely_duplicates_are_the_best_few_at_their_languages_threshold() {
    let score = |pool_id, score, across| PoolScore { pool_id, score, unaided: score, across, grounded: true };
    let scored: Vec<PoolScore> = (0..30).map(|i| score(i, 0.2 + i as f64 / 100.0, i % 2 == 0)).collect();
    let kept = likely_duplicates(scored, |across| if across { 0.3 } else { 0.2 });
    assert_eq!(kept.len(), PAIRS_KEPT);
    assert_eq!(kept.first().map(|p| p.pool_id), Some(29), "best first");
    assert!(kept.windows(2).all(|w| w[0].score >= w[1].score));
    // Under its threshold across languages, a pair is left out however many places are free.
    let few = likely_duplicates([score(1, 0.25, true), score(2, 0.25, false)], |across| if across { 0.3 } else { 0.2 });
    assert_eq!(few.iter().map(|p| p.pool_id).collect::<Vec<_>>(), [2]);
}
