//! Posting, reading, withdrawing and moving needs.

use super::{
    duplicates,
    matcher::{IndexChange, Matcher, Outcome, Ranking, SimilarPool},
    pool_view::{self, PoolView},
};
use crate::{
    auth::{AuthUser, Member},
    db::{
        self, Tx, WriteTx,
        models::{
            duplicate, event,
            need::{self, Need, NeedFilter, NewNeed},
            organisation,
            pool::{self, NewPool, Pool},
        },
    },
    domain::{
        events::{DomainEvent, NeedMove, NeedPosted, NeedRef, PoolCreated},
        kinds::{Locale, NeedStatus, PoolKind},
        matching::NeedText,
        need::NeedInput,
        pool_state::PoolState,
    },
    error::{ApiError, ApiResult},
    ratelimit::UserBudget,
};
use chrono::Duration;

/// What posting a need did.
#[derive(Clone, Debug)]
pub struct Posted {
    pub need: Need,
    pub pool: Pool,
    pub merged: bool,
    pub similar: Vec<SimilarPool>,
    /// The name of the posting organisation, the one participant of a pool the post opened.
    organisation_name: String,
}

impl Posted {
    /// The pool as clients see it, in the post's transaction: read with its participants
    /// when the need joined it; when the post opened it, without reading it back.
    pub fn view(&self, tx: &mut Tx) -> ApiResult<PoolView> {
        if self.merged {
            pool_view::with_participants(tx, self.pool.clone())
        } else {
            Ok(pool_view::opened(self.pool.clone(), self.need.organisation_id, self.organisation_name.clone()))
        }
    }
}

/// Ranks the pools a need could join, in a read before the transaction that posts it, when
/// that helps ([`crate::service::matcher::Posting::rank_beforehand`]): the search (the
/// costly part of matching) then runs beside the writer, which scores again only the pools
/// changed in between.
pub fn prepare(tx: &mut Tx, matcher: &Matcher, actor: &Member, input: &NeedInput) -> ApiResult<Ranking> {
    let locale = organisation::locale_of(tx, actor.organisation_id)?;
    matcher.rank(tx, &text_of(input, locale))
}

fn text_of(input: &NeedInput, locale: Locale) -> NeedText<'_> {
    NeedText { title: &input.title, description: &input.description, locale_hint: locale.as_str() }
}

/// Posts a need for the caller's organisation: it joins the pool of the same need, or
/// opens its own; similar pools are returned as suggestions. `prepared` is the ranking
/// [`prepare`] made before the transaction, if any.
///
/// Where writers run side by side (PostgreSQL), the post ranks in its transaction (unless
/// `prepared`), and one that the ranking says opens a pool opens it before taking its
/// locks, and writes its need in the statement that takes them ([`open_ahead`]).
/// It locks only its need's conflict keys ([`WriteTx::lock_for_post`]: the words two
/// needs must share for one to join the other's pool), so posts of unrelated needs run side
/// by side, and holds them to see the posts committed since the ranking, record the
/// `need.posted` event and store the likely duplicates. If one of those posts is the same
/// need (the decision is now to join its pool), what was opened ahead is deleted and
/// the post joins, all under the keys: never two pools for one need.
pub fn post(
    tx: &mut WriteTx,
    matcher: &Matcher,
    actor: &Member,
    input: NeedInput,
    max_per_day: u32,
    prepared: Option<Ranking>,
) -> ApiResult<Posted> {
    check_daily_cap(tx, Counted::NeedsPosted, actor.organisation_id, max_per_day)?;
    let (organisation_name, locale) = organisation::name_and_locale(tx, actor.organisation_id)?;
    let prepared = match prepared {
        Some(ranking) => ranking,
        None if tx.beside_other_writers() => matcher.rank_as_is(tx, &text_of(&input, locale))?,
        None => matcher.analysed(&text_of(&input, locale)),
    };
    let keys = prepared.conflict_keys();
    let ahead = if prepared.is_ranked() && tx.beside_other_writers() {
        open_ahead(tx, matcher, actor, &input, max_per_day, (&prepared, &keys))?
    } else {
        None
    };
    if ahead.is_none() {
        tx.lock_for_post(&keys)?;
    }
    let mut ranking = matcher.current(tx, &text_of(&input, locale), Some(prepared))?;
    let mut outcome = matcher.decide_ranked(&ranking);
    if let Some(Ahead { opened: Opened { pool, created }, need, similar }) = ahead {
        if outcome.merge_into.is_none() {
            let pairs = duplicates::posted(tx, matcher, pool.id, true, &ranking)?;
            record_posted(tx, matcher, actor, (&need, &ranking), (None, Some(created)), &similar, pairs)?;
            matcher.opening(tx, &pool);
            return Ok(Posted { need, pool, merged: false, similar, organisation_name });
        }
        // A post committed since the ranking is the same need: join its pool instead.
        tracing::info!(opened = pool.id, "the same need was posted meanwhile: the pool opened ahead is taken back");
        need::delete_unseen(tx, need.id)?;
        pool::delete_unseen(tx, pool.id)?;
    }
    let mut target = lock_target(tx, &outcome)?;
    while let Some(ended) = target.as_ref().filter(|pool| !pool.state.accepts_needs()) {
        // The ranking read the pools' states before the lock, or from memory, which hears
        // of another process's change a moment after it: the pool to join has ended since.
        // Rank again, with the state read under the lock (each turn leaves out one more
        // pool, locked as ended).
        matcher.saw(ended);
        ranking = matcher.rank(tx, &text_of(&input, locale))?;
        outcome = matcher.decide_ranked(&ranking);
        target = lock_target(tx, &outcome)?;
    }
    let (pool, merged, score, created) = match (target, &outcome.merge_into) {
        (Some(pool), Some(best)) => (pool, true, Some(best.score), None),
        _ => {
            let Opened { pool, created } = open_pool(tx, &input, actor, max_per_day)?;
            (pool, false, None, Some(created))
        }
    };
    let need = insert_need(tx, actor, &input, pool.id, &outcome.similar)?;
    let pairs = duplicates::posted(tx, matcher, pool.id, !merged, &ranking)?;
    record_posted(tx, matcher, actor, (&need, &ranking), (score, created), &outcome.similar, pairs)?;
    if !merged {
        matcher.opening(tx, &pool);
    }
    Ok(Posted { need, pool, merged, similar: outcome.similar, organisation_name })
}

/// The pool the outcome says to join, locked.
fn lock_target(tx: &mut WriteTx, outcome: &Outcome) -> ApiResult<Option<Pool>> {
    Ok(match &outcome.merge_into {
        Some(best) => Some(pool::lock(tx, best.pool_id)?),
        None => None,
    })
}

/// A pool opened, and the need written into it, before the matching lock.
struct Ahead {
    opened: Opened,
    need: Need,
    /// The suggestions of the ranking made before the transaction, as the need stores them.
    similar: Vec<SimilarPool>,
}

/// Opens the need's pool and writes the need (without recording either: a post that joins
/// another pool after all deletes both, [`post`]) when `ranking` says the need joins none,
/// taking the post's locks on its conflict `keys` in the same statement
/// ([`need::insert_opening_locking_for_post`]); `None` when it joins one, or when the
/// organisation may open no more pools today (the post then takes its locks and decides
/// under them, where joining a pool posted meanwhile is still allowed). Nothing of it is
/// visible to others before the commit, and the pool, new, takes no lock another writer
/// waits for while holding the matching lock.
fn open_ahead(
    tx: &mut WriteTx,
    matcher: &Matcher,
    actor: &Member,
    input: &NeedInput,
    max_per_day: u32,
    (ranking, keys): (&Ranking, &[u32]),
) -> ApiResult<Option<Ahead>> {
    let outcome = matcher.decide_ranked(ranking);
    if outcome.merge_into.is_some() {
        return Ok(None);
    }
    match check_daily_cap(tx, Counted::PoolsOpened, actor.organisation_id, max_per_day) {
        Ok(()) => {}
        // Refused before anything was written.
        Err(ApiError::TooManyRequests { .. }) => return Ok(None),
        Err(other) => return Err(other),
    }
    let similar = similar_json(&outcome.similar)?;
    // The need's pool is the one opened with it.
    let new = new_need(actor, input, 0, &similar);
    let (pool, need) = need::insert_opening_locking_for_post(tx, &new_pool(input, actor), &new, keys)?;
    Ok(Some(Ahead { opened: Opened::new(pool), need, similar: outcome.similar }))
}

/// Writes the need into `pool_id`.
fn insert_need(
    tx: &mut WriteTx,
    actor: &Member,
    input: &NeedInput,
    pool_id: i64,
    similar: &[SimilarPool],
) -> ApiResult<Need> {
    Ok(need::insert(tx, &new_need(actor, input, pool_id, &similar_json(similar)?))?)
}

/// The suggestions a need stores, as JSON.
fn similar_json(similar: &[SimilarPool]) -> ApiResult<String> {
    serde_json::to_string(similar).map_err(|e| ApiError::Internal(e.into()))
}

fn new_need<'a>(actor: &Member, input: &'a NeedInput, pool_id: i64, similar_json: &'a str) -> NewNeed<'a> {
    NewNeed {
        organisation_id: actor.organisation_id,
        pool_id,
        posted_by_user_id: actor.id,
        title: &input.title,
        description: &input.description,
        cpv_code: input.cpv_code.as_deref(),
        estimated_cost_cents: input.estimated_cost_cents,
        status: NeedStatus::Active,
        similar_pools: similar_json,
        created_at: db::now(),
    }
}

/// Records `need.posted` (after the `pool.created` of the pool the post `opened`), with the
/// likely-duplicate `pairs` the post found ([`duplicates::posted`]), in one statement on
/// PostgreSQL: the event the matcher's index follows, so written holding the need's
/// conflict keys. The need goes into the index at once, read from no database and analysed
/// once, for its `ranking` ([`Matcher::posted`]). `score`: the one of the pool joined.
fn record_posted(
    tx: &mut WriteTx,
    matcher: &Matcher,
    actor: &Member,
    (need, ranking): (&Need, &Ranking),
    (score, opened): (Option<f64>, Option<DomainEvent>),
    similar: &[SimilarPool],
    pairs: duplicate::Pairs,
) -> ApiResult<()> {
    let posted = DomainEvent::NeedPosted(NeedPosted {
        need_id: need.id,
        organisation_id: need.organisation_id,
        title: need.title.clone(),
        estimated_cost_cents: need.estimated_cost_cents,
        merged: score.is_some(),
        score,
        similar_pools: similar.to_vec(),
    });
    let pool = Some(need.pool_id);
    let events: Vec<(Option<i64>, &DomainEvent)> = opened.iter().chain([&posted]).map(|e| (pool, e)).collect();
    let recorded = event::record_all_raising(tx, &events, Some(actor.id), pairs)?;
    let posted_id =
        recorded.last().map(|e| e.id).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no event recorded")))?;
    matcher.posted(tx, posted_id, need, ranking.analysis());
    Ok(())
}

/// What the daily cap counts, each against `MUTUA_MAX_NEEDS_PER_DAY` on its own.
#[derive(Clone, Copy)]
enum Counted {
    /// Needs posted, whether they joined a pool or opened one.
    NeedsPosted,
    /// Pools opened, by posting a need that joins none or by moving a need to a pool of its
    /// own: each may be funded and email every officer, so moving must not be a way around
    /// the cap.
    PoolsOpened,
}

/// Refuses what would take an organisation past its daily allowance (a rolling 24 hours).
fn check_daily_cap(tx: &mut Tx, counted: Counted, organisation_id: i64, max_per_day: u32) -> ApiResult<()> {
    if max_per_day == 0 {
        return Ok(());
    }
    let since = db::now() - Duration::hours(24);
    let done = match counted {
        Counted::NeedsPosted => need::count_since(tx, organisation_id, since)?,
        Counted::PoolsOpened => pool::opened_since(tx, organisation_id, since)?,
    };
    if done >= i64::from(max_per_day) {
        return Err(ApiError::TooManyRequests { retry_after_seconds: 3600 });
    }
    Ok(())
}

/// Opens a pool from a need of the caller's organisation, within its daily cap.
fn open_pool(tx: &mut WriteTx, input: &NeedInput, actor: &AuthUser, max_per_day: u32) -> ApiResult<Opened> {
    check_daily_cap(tx, Counted::PoolsOpened, actor.organisation_id, max_per_day)?;
    Ok(Opened::new(pool::insert(tx, &new_pool(input, actor))?))
}

/// A pool opened by a need: its title, description, CPV code, and its estimate as the
/// target. The need that opens a pool is the only one that sets its target; afterwards only
/// an officer changes it.
fn new_pool<'a>(input: &'a NeedInput, actor: &AuthUser) -> NewPool<'a> {
    let now = db::now();
    NewPool {
        title: &input.title,
        description: &input.description,
        cpv_code: input.cpv_code.as_deref(),
        state: PoolState::Open,
        currency: "EUR",
        target_cents: input.estimated_cost_cents,
        opened_by_organisation_id: Some(actor.organisation_id),
        created_at: now,
        updated_at: now,
    }
}

/// A pool just opened, and its `pool.created`, which the caller records (a post with its
/// `need.posted`, in one statement).
struct Opened {
    pool: Pool,
    created: DomainEvent,
}

impl Opened {
    /// A pool opened by a need, and its `pool.created`.
    fn new(pool: Pool) -> Self {
        let created = DomainEvent::PoolCreated(PoolCreated {
            title: pool.title.clone(),
            description: Some(pool.description.clone()),
            cpv_code: pool.cpv_code.clone(),
            target_cents: pool.target_cents,
            maintenance: None,
        });
        Self { pool, created }
    }
}

/// A need the caller may see: its organisation's (officers: any); 404 otherwise.
pub fn visible(tx: &mut Tx, actor: &AuthUser, need_id: i64) -> ApiResult<Need> {
    let need = need::find(tx, need_id)?;
    if need.organisation_id == actor.organisation_id || actor.is_officer() { Ok(need) } else { Err(ApiError::NotFound) }
}

/// Needs the caller may see: its organisation's whatever the filter asks; officers any.
pub fn list(
    tx: &mut Tx,
    actor: &AuthUser,
    mut filter: NeedFilter,
    limit: i64,
    offset: i64,
) -> ApiResult<(Vec<Need>, i64)> {
    if !actor.is_officer() {
        filter.organisation_id = Some(actor.organisation_id);
    }
    Ok(need::list(tx, &filter, limit, offset)?)
}

/// Withdraws a need of the caller's organisation. Its pledge, if any, stays until withdrawn
/// on its own: money and needs are separate decisions. An open pool left with no need and
/// no pledge is cancelled (`pool.emptied`).
pub fn withdraw(tx: &mut WriteTx, matcher: &Matcher, actor: &Member, need_id: i64) -> ApiResult<Need> {
    tx.lock_matching()?;
    matcher.catch_up(tx)?;
    let need = visible(tx, actor, need_id)?;
    if need.status != NeedStatus::Active {
        return Err(ApiError::Conflict("the need is already withdrawn".into()));
    }
    let need = need::withdraw(tx, need.id, db::now())?;
    let withdrawn = DomainEvent::NeedWithdrawn(NeedRef { need_id: need.id, organisation_id: need.organisation_id });
    event::record(tx, Some(need.pool_id), &withdrawn, Some(actor.id))?;
    duplicates::refresh(tx, matcher, vec![IndexChange::Remove(need.id)], &[need.pool_id])?;
    let pool = pool::lock(tx, need.pool_id)?;
    super::lifecycle::close_if_emptied(tx, pool, Some(actor.id))?;
    Ok(need)
}

/// Moves a need into another pool, or into a new pool of its own (`to = None`, which counts
/// toward the daily cap). A need leaves only an open pool: once funded, what the pool's
/// participants decide on is fixed. The pool joined keeps its target: a need that joins
/// never sets it. When the target was among the pools suggested at posting, the event says
/// so: a commune agreeing with a suggestion is evidence a later matcher can learn from.
pub fn move_to(
    tx: &mut WriteTx,
    matcher: &Matcher,
    actor: &Member,
    need_id: i64,
    to: Option<i64>,
    max_per_day: u32,
) -> ApiResult<(Need, Pool)> {
    tx.lock_matching()?;
    matcher.catch_up(tx)?;
    let need = visible(tx, actor, need_id)?;
    if need.status != NeedStatus::Active {
        return Err(ApiError::Conflict("a withdrawn need cannot move".into()));
    }
    let from = pool::lock(tx, need.pool_id)?;
    if from.state != PoolState::Open {
        return Err(ApiError::wrong_state(from.state.as_str(), "a need moves only out of an open pool"));
    }
    let target = match to {
        Some(pool_id) if pool_id == need.pool_id => {
            return Err(ApiError::Conflict("the need is already in that pool".into()));
        }
        Some(pool_id) => {
            let target = pool::lock(tx, pool_id).map_err(|e| match e {
                diesel::result::Error::NotFound => ApiError::invalid("pool_id", "no such pool"),
                other => other.into(),
            })?;
            if target.kind == PoolKind::Maintenance {
                // Upkeep of delivered software is not a need for new software: a need goes
                // to the development (delivered or not), which lists its maintenance pools.
                return Err(ApiError::invalid("pool_id", "a maintenance pool takes no needs"));
            }
            if !target.state.accepts_needs() {
                return Err(ApiError::wrong_state(target.state.as_str(), "this pool no longer takes needs"));
            }
            target
        }
        None => {
            let input = NeedInput {
                title: need.title.clone(),
                description: need.description.clone(),
                cpv_code: need.cpv_code.clone(),
                estimated_cost_cents: need.estimated_cost_cents,
            };
            let Opened { pool, created } = open_pool(tx, &input, actor, max_per_day)?;
            event::record(tx, Some(pool.id), &created, Some(actor.id))?;
            pool
        }
    };
    let suggested: Vec<SimilarPool> = serde_json::from_str(&need.similar_pools).unwrap_or_default();
    let suggestion = suggested.iter().find(|s| s.pool_id == target.id);
    let moved = need::set_pool(tx, need.id, target.id)?;
    let data = NeedMove {
        need_id: need.id,
        organisation_id: need.organisation_id,
        from_pool_id: need.pool_id,
        to_pool_id: target.id,
        was_suggested: suggestion.is_some(),
        suggested_score: suggestion.map(|s| s.score),
    };
    event::record(tx, Some(need.pool_id), &DomainEvent::NeedMovedOut(data.clone()), Some(actor.id))?;
    event::record(tx, Some(target.id), &DomainEvent::NeedMoved(data), Some(actor.id))?;
    let locale = organisation::locale_of(tx, moved.organisation_id)?;
    duplicates::refresh(tx, matcher, vec![IndexChange::Upsert((moved.clone(), locale))], &[need.pool_id, target.id])?;
    // The pool left behind closes if nothing is left in it (SPEC §15).
    super::lifecycle::close_if_emptied(tx, from, Some(actor.id))?;
    Ok((moved, target))
}

/// Pools close to a need not yet posted, for the caller to look at before posting. Each
/// search spends one of the caller's `budget` (`MUTUA_SIMILAR_PER_MINUTE`; 429 when it is
/// spent), whichever door asks: the API, the pages' search, the need form's preview.
pub fn similar(
    tx: &mut Tx,
    matcher: &Matcher,
    budget: &UserBudget,
    actor: &AuthUser,
    input: &NeedInput,
) -> ApiResult<Vec<SimilarPool>> {
    budget.check(actor.id)?;
    let locale = organisation::locale_of(tx, actor.organisation_id)?;
    matcher.similar(tx, &text_of(input, locale))
}

/// What would become of a need not yet posted: the pool it would join, if any, and the
/// pools close to it (the need form's preview; the same budget as [`similar`]).
pub fn preview(
    tx: &mut Tx,
    matcher: &Matcher,
    budget: &UserBudget,
    actor: &AuthUser,
    input: &NeedInput,
) -> ApiResult<super::matcher::Outcome> {
    budget.check(actor.id)?;
    let locale = organisation::locale_of(tx, actor.organisation_id)?;
    matcher.decide(tx, &text_of(input, locale))
}

/// A need as its page shows it: the need, its pool, and the pools suggested when it was
/// posted that it may still join (with their state now).
pub struct NeedPage {
    pub need: Need,
    pub pool: Pool,
    pub suggestions: Vec<(SimilarPool, PoolState)>,
    /// Whether other active needs share its pool (it joined them, or they joined it): the
    /// page offers to open a separate project when they are not the same need.
    pub shared: bool,
}

/// The page of a need the caller may see (its organisation's; officers any).
pub fn page(tx: &mut Tx, actor: &AuthUser, need_id: i64) -> ApiResult<NeedPage> {
    let need = visible(tx, actor, need_id)?;
    let pool = pool::find(tx, need.pool_id)?;
    let suggested: Vec<SimilarPool> = serde_json::from_str(&need.similar_pools).unwrap_or_default();
    let ids: Vec<i64> = suggested.iter().map(|s| s.pool_id).collect();
    let now = pool::states(tx, &ids)?;
    let suggestions = suggested
        .into_iter()
        .filter(|s| s.pool_id != need.pool_id)
        .filter_map(|s| {
            let (_, state, title) = now.iter().find(|(id, _, _)| *id == s.pool_id)?;
            state.accepts_needs().then(|| (SimilarPool { title: title.clone(), ..s }, *state))
        })
        .collect();
    let shared = need::active_in_pool(tx, pool.id)?.iter().any(|(other, _)| other.id != need.id);
    Ok(NeedPage { need, pool, suggestions, shared })
}
