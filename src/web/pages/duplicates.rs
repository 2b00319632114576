//! The duplicate review (SPEC section 9), for officers: `GET /duplicates` shows each
//! candidate pair side by side (title, state, participants, pledged, needs) with its score,
//! to merge one into the other (the pool's merge form, `POST /pools/{id}/merge`) or to
//! dismiss (`POST /duplicates/dismiss`, with an optional reason). Each pair says why it was
//! proposed: the words that matched, and how (the same word, a near spelling, a dictionary
//! translation between two languages, or what an officer's earlier merge taught), as the
//! matcher's scoring counted them (`Matcher::explain`). The API's
//! `GET /api/v1/duplicates` and `POST /api/v1/duplicates/dismiss`, in the same services.

use std::collections::HashMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::WebUser,
    domain::{
        format,
        kinds::Locale,
        matching::{Explanation, Via, surface},
        merge_direction, text,
    },
    error::ApiError,
    service::{
        self,
        duplicates::{Pair, PoolSummary},
    },
    web::{
        forms::{FormErrors, shown_with_the_form},
        i18n,
        page::{Page, PageError},
    },
};

/// Pairs per page of the review.
const PER_PAGE: i64 = 20;

/// `pair-7-12`: where a pair stands on the review page (the lower pool id first).
pub fn anchor(a: i64, b: i64) -> String {
    format!("pair-{}-{}", a.min(b), a.max(b))
}

/// One pool of a pair, as the review shows it.
#[derive(Serialize)]
pub struct Side {
    id: i64,
    title: String,
    state: &'static str,
    needs_count: i64,
    pledged: String,
    organisations: Vec<String>,
    needs: Vec<NeedSide>,
}

/// A need of a pool of a pair: enough to tell whether the two pools are the same need.
#[derive(Serialize)]
struct NeedSide {
    title: String,
    description: String,
    organisation: String,
    estimate: Option<String>,
}

/// A merge the review offers, `from` moving into `into`: its confirmation page.
#[derive(Serialize)]
struct MergeLink {
    from: i64,
    into: i64,
}

/// Why a pair was proposed, in words a reader recognises.
#[derive(Serialize)]
struct WhyView {
    words: Vec<WordView>,
    /// The titles differ by words an earlier dismissal set apart (the score was halved).
    set_apart: bool,
}

/// Two words that matched: `right` is absent when both needs use the same word.
#[derive(Serialize)]
struct WordView {
    left: String,
    left_lang: &'static str,
    right: Option<String>,
    right_lang: &'static str,
    /// How they met, in the page's language.
    how: String,
}

/// Words shown per pair, the weightiest first.
const WHY_WORDS: usize = 6;

impl WhyView {
    fn new(why: &Explanation, pools: [&PoolSummary; 2], lang: Locale) -> Self {
        let text_of = |side: usize| {
            pools[side]
                .needs
                .iter()
                .find(|(need, _)| need.id == why.needs[side])
                .map(|(need, _)| (need.title.as_str(), need.description.as_str()))
                .unwrap_or_default()
        };
        let (left_text, right_text) = (text_of(0), text_of(1));
        let [left_lang, right_lang] = why.langs;
        let mut words: Vec<WordView> = Vec::new();
        for word in &why.words {
            let left = surface(left_text.0, left_text.1, left_lang, &word.left).unwrap_or_else(|| word.left.clone());
            let right =
                surface(right_text.0, right_text.1, right_lang, &word.right).unwrap_or_else(|| word.right.clone());
            let (from, to) = (left_lang.as_str().to_uppercase(), right_lang.as_str().to_uppercase());
            let right = (!right.eq_ignore_ascii_case(&left)).then_some(right);
            let how = match word.via {
                // One term of the analysis written two ways: a concept of the lexicon.
                Via::Same if right.is_some() => i18n::text(lang, "duplicates.why.concept"),
                Via::Same => i18n::text(lang, "duplicates.why.same"),
                Via::Near => i18n::text(lang, "duplicates.why.near"),
                Via::Dictionary { through: false } => {
                    i18n::fill(lang, "duplicates.why.dictionary", &[("from", &from), ("to", &to)])
                }
                Via::Dictionary { through: true } => {
                    i18n::fill(lang, "duplicates.why.dictionary_through", &[("from", &from), ("to", &to)])
                }
                Via::Desk => i18n::text(lang, "duplicates.why.desk"),
            };
            // One line per pair of words: a term matched twice (title and parts) shows once.
            if words.iter().any(|w| w.left.eq_ignore_ascii_case(&left) && w.right == right) {
                continue;
            }
            words.push(WordView { left, left_lang: left_lang.as_str(), right, right_lang: right_lang.as_str(), how });
            if words.len() == WHY_WORDS {
                break;
            }
        }
        Self { words, set_apart: why.set_apart }
    }
}

/// A candidate pair, its two pools side by side.
#[derive(Serialize)]
pub struct PairView {
    anchor: String,
    /// The name of the pair's dismissal form (the prefix of its fields' ids).
    form: String,
    /// How alike the matcher finds them, in whole percent.
    percent: u32,
    pools: [Side; 2],
    /// The merge proposed (SPEC §15: a funded or approved pool never moves; otherwise the
    /// pool with fewer participants), and the other way when it is allowed.
    proposed: Option<MergeLink>,
    other_way: Option<MergeLink>,
    /// Why the matcher proposed them (the review page only).
    why: Option<WhyView>,
}

impl PairView {
    pub fn new(pair: &Pair, lang: Locale) -> Self {
        let [a, b] = &pair.pools;
        let side = |p: &PoolSummary| Side {
            id: p.id,
            title: p.title.clone(),
            state: p.state.as_str(),
            needs_count: p.needs_count,
            pledged: format::money(p.pledged_cents, lang),
            organisations: p.organisations.clone(),
            needs: p
                .needs
                .iter()
                .map(|(need, organisation)| NeedSide {
                    title: need.title.clone(),
                    description: need.description.clone(),
                    organisation: organisation.clone(),
                    estimate: need.estimated_cost_cents.map(|c| format::money(c, lang)),
                })
                .collect(),
        };
        let direction =
            |p: &PoolSummary| merge_direction::Side { id: p.id, state: p.state, participants: p.organisations.len() };
        let proposed = merge_direction::proposed(direction(a), direction(b));
        let other_way = proposed.and_then(|(from, into)| {
            let (from_state, into_state) = if from == a.id { (b.state, a.state) } else { (a.state, b.state) };
            merge_direction::may_move(from_state, into_state).then_some(MergeLink { from: into, into: from })
        });
        let anchor = anchor(a.id, b.id);
        Self {
            form: format!("dismiss-{}-{}", a.id.min(b.id), a.id.max(b.id)),
            anchor,
            // Scores are in [0, 1]; the cast cannot lose anything that matters.
            percent: (pair.score.clamp(0.0, 1.0) * 100.0).round() as u32,
            pools: [side(a), side(b)],
            proposed: proposed.map(|(from, into)| MergeLink { from, into }),
            other_way,
            why: None,
        }
    }

    /// The pair with why it was proposed.
    fn explained(pair: &Pair, why: Option<&Explanation>, lang: Locale) -> Self {
        let why = why.map(|why| WhyView::new(why, [&pair.pools[0], &pair.pools[1]], lang));
        Self { why, ..Self::new(pair, lang) }
    }
}

#[derive(Serialize)]
struct ReviewView {
    pairs: Vec<PairView>,
    total: i64,
    page: i64,
    previous: Option<i64>,
    next: Option<i64>,
    errors: FormErrors,
    /// What was typed into the refused form's reason.
    reason: String,
}

#[derive(Deserialize)]
pub struct ReviewQuery {
    /// Text, so that a page number typed wrong shows the first page.
    page: Option<String>,
}

fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000)
}

/// `GET /duplicates?page=`: the pairs to review, best score first.
pub async fn review(page: Page, query: web::Query<ReviewQuery>) -> Result<HttpResponse, PageError> {
    let number = page_number(query.page.as_deref());
    show(&page, number, |_| FormErrors::default(), String::new(), StatusCode::OK).await
}

/// The review's page `number`; `errors` of a refused dismissal are worded once the page's
/// language is known, `reason` is what was typed.
async fn show(
    page: &Page,
    number: i64,
    errors: impl FnOnce(Locale) -> FormErrors,
    reason: String,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let offset = (number - 1) * PER_PAGE;
    let app = page.state.clone();
    let (user, listed) = page
        .read(move |tx, user| {
            let (pairs, total) = service::duplicates::list(tx, user.officer()?, PER_PAGE, offset)?;
            let ids: Vec<(i64, i64)> = pairs.iter().map(|p| (p.pools[0].id, p.pools[1].id)).collect();
            let why = app.matcher.explain(tx, &ids)?;
            Ok((pairs, why, total))
        })
        .await?;
    let (pairs, why, total) = listed;
    let lang = page.lang(Some(&user));
    let view = ReviewView {
        pairs: pairs.iter().zip(&why).map(|(p, why)| PairView::explained(p, why.as_ref(), lang)).collect(),
        total,
        page: number,
        previous: (number > 1).then_some(number - 1),
        next: (offset + PER_PAGE < total).then_some(number + 1),
        errors: errors(lang),
        reason,
    };
    page.render(Some(&user), status, "duplicates.html", view)
}

/// `POST /duplicates/dismiss` (officers): fields `pool_a`, `pool_b`, and optionally `reason`
/// and `page` (the review's page to come back to). The pair is never proposed again.
pub async fn dismiss(page: Page, fields: web::Form<HashMap<String, String>>) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let id = |name: &str| values.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    let (Some(a), Some(b)) = (id("pool_a"), id("pool_b")) else {
        return Err(page.fail(None, ApiError::NotFound));
    };
    let number = page_number(values.get("page").map(String::as_str));
    let back = format!("/duplicates?page={number}#{}", anchor(a, b));
    let form = format!("dismiss-{}-{}", a.min(b), a.max(b));
    let typed = values.get("reason").map(|r| r.trim().to_owned()).unwrap_or_default();
    let reason = if typed.is_empty() { Ok(None) } else { text::reason(&typed).map(Some) };
    let Ok(reason) = reason else {
        let errors = move |lang| {
            let mut errors = FormErrors::new(&form);
            errors.add("reason", i18n::text(lang, "field.reason.invalid"));
            errors
        };
        return show(&page, number, errors, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let outcome =
        page.attempt(move |tx, user: &WebUser| service::duplicates::dismiss(tx, user.officer()?, a, b, reason)).await;
    match outcome {
        Ok(_) => Ok(page.done(&back, "dismissed")),
        Err(refused) if shown_with_the_form(&refused) && !matches!(refused, ApiError::NotFound) => {
            let status = refused.status_code();
            let errors = move |lang| FormErrors::refused(lang, &form, "reason", &[], &refused);
            show(&page, number, errors, typed, status).await
        }
        Err(other) => Err(page.fail(None, other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{money::Cents, pool_state::PoolState};

    fn summary(id: i64, state: PoolState) -> PoolSummary {
        PoolSummary {
            id,
            title: format!("Projet {id}"),
            state,
            needs_count: 1,
            pledged_cents: Cents::new(100),
            organisations: vec!["Namur".into()],
            needs: Vec::new(),
        }
    }

    /// A merge as `(from, into)`.
    type Link = Option<(i64, i64)>;

    fn links(view: &PairView) -> (Link, Link) {
        let pair = |l: &Option<MergeLink>| l.as_ref().map(|l| (l.from, l.into));
        (pair(&view.proposed), pair(&view.other_way))
    }

    #[test]
    fn a_pair_offers_only_the_merges_the_states_allow() {
        let pair = Pair { pools: [summary(12, PoolState::Open), summary(7, PoolState::Delivered)], score: 0.874 };
        let view = PairView::new(&pair, Locale::Fr);
        assert_eq!((view.anchor.as_str(), view.form.as_str(), view.percent), ("pair-7-12", "dismiss-7-12", 87));
        assert_eq!(links(&view), (None, None), "a delivered pool neither receives nor moves");
        let pair = Pair { pools: [summary(3, PoolState::Funded), summary(4, PoolState::Approved)], score: 0.5 };
        let view = PairView::new(&pair, Locale::Fr);
        assert_eq!(links(&view), (None, None), "an approved pool is decided");
        let pair = Pair { pools: [summary(3, PoolState::Funded), summary(4, PoolState::Open)], score: 0.5 };
        let view = PairView::new(&pair, Locale::Fr);
        assert_eq!(links(&view), (Some((4, 3)), None), "a funded pool never moves");
        let pair = Pair { pools: [summary(3, PoolState::Open), summary(4, PoolState::Open)], score: 0.5 };
        let view = PairView::new(&pair, Locale::Fr);
        assert_eq!(links(&view), (Some((4, 3)), Some((3, 4))), "one proposed, the other way offered");
    }
}
