use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    in_row,
    pool::{NewPool, Pool},
};
use crate::{
    db::{
        DbConnection, Tx, WriteTx,
        schema::{needs, organisations, pools},
    },
    domain::{kinds::Locale, kinds::NeedStatus, money::Cents},
};

#[derive(Clone, Debug, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = needs)]
pub struct Need {
    pub id: i64,
    pub organisation_id: i64,
    pub pool_id: i64,
    pub posted_by_user_id: i64,
    pub title: String,
    pub description: String,
    pub cpv_code: Option<String>,
    pub estimated_cost_cents: Option<Cents>,
    pub status: NeedStatus,
    /// JSON `[{pool_id, title, score}]`: what the matcher suggested at posting time.
    pub similar_pools: String,
    pub created_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
}

#[derive(Clone, Copy, Insertable)]
#[diesel(table_name = needs, treat_none_as_default_value = false)]
pub struct NewNeed<'a> {
    pub organisation_id: i64,
    pub pool_id: i64,
    pub posted_by_user_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub cpv_code: Option<&'a str>,
    pub estimated_cost_cents: Option<Cents>,
    pub status: NeedStatus,
    pub similar_pools: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(tx: &mut WriteTx, new: &NewNeed) -> QueryResult<Need> {
    tx.touch_pool(new.pool_id);
    diesel::insert_into(needs::table).values(new).returning(needs::all_columns).get_result(tx.conn())
}

/// Opens a pool with its first need and takes a post's locks ([`WriteTx::lock_for_post`]):
/// on PostgreSQL in one statement, two round trips less a post that opens its pool ahead of
/// its locks (`service::needs::post`). The need goes into the pool opened, whatever
/// `need.pool_id` says. Neither is anyone else's to see until the commit, so writing them
/// as the locks are taken changes nothing for the posts that wait for them, and the pool,
/// new, holds no lock another post waits for.
pub fn insert_opening_locking_for_post(
    tx: &mut WriteTx,
    pool: &NewPool,
    need: &NewNeed,
    keys: &[u32],
) -> QueryResult<(Pool, Need)> {
    use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamp};
    #[derive(QueryableByName)]
    struct Inserted {
        #[diesel(embed)]
        pool: Pool,
        #[diesel(embed)]
        need: Prefixed,
        #[diesel(sql_type = Text)]
        xid: String,
    }
    static STATEMENT: std::sync::LazyLock<&'static str> = std::sync::LazyLock::new(|| {
        format!(
            "WITH pool AS (INSERT INTO pools (title, description, cpv_code, state, currency, target_cents, \
             opened_by_organisation_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *), \
             inserted AS (INSERT INTO needs (organisation_id, pool_id, posted_by_user_id, title, description, \
             cpv_code, estimated_cost_cents, status, similar_pools, created_at) \
             SELECT ?, pool.id, ?, ?, ?, ?, ?, ?, ?, ? FROM pool RETURNING *) \
             SELECT pool.*, {}, locked.xid FROM pool, inserted, ({}) locked",
            Prefixed::COLUMNS,
            crate::db::LOCK_FOR_POST
        )
        .leak()
    });
    if !tx.beside_other_writers() {
        let pool = super::pool::insert(tx, pool)?;
        let need = insert(tx, &NewNeed { pool_id: pool.id, ..*need })?;
        tx.lock_for_post(keys)?;
        return Ok((pool, need));
    }
    let (matching, class, keys) = crate::db::post_lock_parameters(keys);
    let DbConnection::Postgres(pg) = tx.conn() else { unreachable!("beside other writers: PostgreSQL") };
    let inserted: Inserted = crate::db::prepared(*STATEMENT)
        .bind::<Text, _>(pool.title)
        .bind::<Text, _>(pool.description)
        .bind::<Nullable<Text>, _>(pool.cpv_code)
        .bind::<Text, _>(pool.state)
        .bind::<Text, _>(pool.currency)
        .bind::<Nullable<BigInt>, _>(pool.target_cents)
        .bind::<Nullable<BigInt>, _>(pool.opened_by_organisation_id)
        .bind::<Timestamp, _>(pool.created_at)
        .bind::<Timestamp, _>(pool.updated_at)
        .bind::<BigInt, _>(need.organisation_id)
        .bind::<BigInt, _>(need.posted_by_user_id)
        .bind::<Text, _>(need.title)
        .bind::<Text, _>(need.description)
        .bind::<Nullable<Text>, _>(need.cpv_code)
        .bind::<Nullable<BigInt>, _>(need.estimated_cost_cents)
        .bind::<Text, _>(need.status)
        .bind::<Text, _>(need.similar_pools)
        .bind::<Timestamp, _>(need.created_at)
        .bind::<BigInt, _>(matching)
        .bind::<Integer, _>(class)
        .bind::<Array<Integer>, _>(keys)
        .get_result(pg)?;
    tx.touch_pool(inserted.pool.id);
    tx.locked_for_post(&inserted.xid)?;
    Ok((inserted.pool, inserted.need.0))
}

/// A need read beside another table's row, each of its columns named `need_` and its own
/// name ([`Prefixed::COLUMNS`], from a relation named `inserted`).
struct Prefixed(Need);

impl Prefixed {
    const COLUMNS: &str = "inserted.id AS need_id, inserted.organisation_id AS need_organisation_id, \
         inserted.pool_id AS need_pool_id, inserted.posted_by_user_id AS need_posted_by_user_id, \
         inserted.title AS need_title, inserted.description AS need_description, inserted.cpv_code AS need_cpv_code, \
         inserted.estimated_cost_cents AS need_estimated_cost_cents, inserted.status AS need_status, \
         inserted.similar_pools AS need_similar_pools, inserted.created_at AS need_created_at, \
         inserted.withdrawn_at AS need_withdrawn_at";
}

impl diesel::deserialize::QueryableByName<diesel::pg::Pg> for Prefixed {
    fn build<'a>(row: &impl diesel::row::NamedRow<'a, diesel::pg::Pg>) -> diesel::deserialize::Result<Self> {
        use diesel::{
            row::NamedRow,
            sql_types::{BigInt, Nullable, Text, Timestamp},
        };
        Ok(Self(Need {
            id: NamedRow::get::<BigInt, _>(row, "need_id")?,
            organisation_id: NamedRow::get::<BigInt, _>(row, "need_organisation_id")?,
            pool_id: NamedRow::get::<BigInt, _>(row, "need_pool_id")?,
            posted_by_user_id: NamedRow::get::<BigInt, _>(row, "need_posted_by_user_id")?,
            title: NamedRow::get::<Text, _>(row, "need_title")?,
            description: NamedRow::get::<Text, _>(row, "need_description")?,
            cpv_code: NamedRow::get::<Nullable<Text>, _>(row, "need_cpv_code")?,
            estimated_cost_cents: NamedRow::get::<Nullable<BigInt>, _>(row, "need_estimated_cost_cents")?,
            status: NamedRow::get::<Text, _>(row, "need_status")?,
            similar_pools: NamedRow::get::<Text, _>(row, "need_similar_pools")?,
            created_at: NamedRow::get::<Timestamp, _>(row, "need_created_at")?,
            withdrawn_at: NamedRow::get::<Nullable<Timestamp>, _>(row, "need_withdrawn_at")?,
        }))
    }
}

/// Deletes a need this unit of work inserted and nothing recorded: a post's need written
/// ahead of its locks, into a pool opened ahead, when the post joins another pool after
/// all (`pool::delete_unseen`). No one else saw it.
pub fn delete_unseen(tx: &mut WriteTx, id: i64) -> QueryResult<()> {
    diesel::delete(needs::table.find(id)).execute(tx.conn()).map(drop)
}

pub fn find(tx: &mut Tx, id: i64) -> QueryResult<Need> {
    needs::table.find(id).select(Need::as_select()).first(tx.conn()).map_err(in_row("needs", id))
}

pub fn set_pool(tx: &mut WriteTx, id: i64, pool_id: i64) -> QueryResult<Need> {
    tx.touch_pool(pool_id);
    diesel::update(needs::table.find(id))
        .set(needs::pool_id.eq(pool_id))
        .returning(needs::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("needs", id))
}

pub fn withdraw(tx: &mut WriteTx, id: i64, at: NaiveDateTime) -> QueryResult<Need> {
    diesel::update(needs::table.find(id))
        .set((needs::status.eq(NeedStatus::Withdrawn), needs::withdrawn_at.eq(Some(at))))
        .returning(needs::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("needs", id))
}

/// Moves every need of one pool to another; returns how many moved.
pub fn move_all(tx: &mut WriteTx, from_pool: i64, to_pool: i64) -> QueryResult<usize> {
    tx.touch_pool(from_pool);
    tx.touch_pool(to_pool);
    diesel::update(needs::table.filter(needs::pool_id.eq(from_pool))).set(needs::pool_id.eq(to_pool)).execute(tx.conn())
}

/// Needs an organisation posted since `since`, for the daily cap.
pub fn count_since(tx: &mut Tx, organisation_id: i64, since: NaiveDateTime) -> QueryResult<i64> {
    needs::table
        .filter(needs::organisation_id.eq(organisation_id))
        .filter(needs::created_at.ge(since))
        .count()
        .get_result(tx.conn())
}

/// Filters of the need list.
#[derive(Default)]
pub struct NeedFilter {
    pub organisation_id: Option<i64>,
    pub pool_id: Option<i64>,
    pub status: Option<NeedStatus>,
}

pub fn list(tx: &mut Tx, filter: &NeedFilter, limit: i64, offset: i64) -> QueryResult<(Vec<Need>, i64)> {
    let query = || {
        let mut q = needs::table.into_boxed();
        if let Some(org) = filter.organisation_id {
            q = q.filter(needs::organisation_id.eq(org));
        }
        if let Some(pool) = filter.pool_id {
            q = q.filter(needs::pool_id.eq(pool));
        }
        if let Some(status) = filter.status {
            q = q.filter(needs::status.eq(status));
        }
        q
    };
    let items =
        query().order(needs::id.desc()).limit(limit).offset(offset).select(Need::as_select()).load(tx.conn())?;
    let total = query().count().get_result(tx.conn())?;
    Ok((items, total))
}

/// The organisations with an active need in a pool: `(id, name)`.
pub fn organisations_in_pool(tx: &mut Tx, pool_id: i64) -> QueryResult<Vec<(i64, String)>> {
    needs::table
        .inner_join(organisations::table)
        .filter(needs::pool_id.eq(pool_id))
        .filter(needs::status.eq(NeedStatus::Active))
        .select((organisations::id, organisations::name))
        .load(tx.conn())
}

/// What the matcher indexes: an active need and the locale of the organisation that
/// posted it.
pub type IndexedNeed = (Need, Locale);

type Backend = <DbConnection as diesel::Connection>::Backend;
type ActiveNeeds = diesel::dsl::IntoBoxed<'static, diesel::dsl::InnerJoin<needs::table, organisations::table>, Backend>;

/// Active needs with their locale, by id; callers add filters.
fn active() -> ActiveNeeds {
    needs::table
        .inner_join(organisations::table)
        .into_boxed()
        .filter(needs::status.eq(NeedStatus::Active))
        .order(needs::id)
}

fn load_active(tx: &mut Tx, query: ActiveNeeds) -> QueryResult<Vec<IndexedNeed>> {
    query.select((Need::as_select(), organisations::locale)).load(tx.conn())
}

/// A pool's title and the locale of the organisation whose need bears that title (the
/// earliest, in the pool or in the pool it was merged into; else any need of the pool; else
/// French): how the matcher reads two pools an officer merged or dismissed, at the time or
/// when it loads again. `None` for an unknown pool.
pub fn pool_title_and_locale(tx: &mut Tx, pool_id: i64) -> QueryResult<Option<(String, Locale)>> {
    let Some((title, merged_into)) = pools::table
        .find(pool_id)
        .select((pools::title, pools::merged_into_pool_id))
        .first::<(String, Option<i64>)>(tx.conn())
        .optional()?
    else {
        return Ok(None);
    };
    let homes: Vec<i64> = [Some(pool_id), merged_into].into_iter().flatten().collect();
    let of = |titled: bool, tx: &mut Tx| {
        let mut query =
            needs::table.inner_join(organisations::table).into_boxed().filter(needs::pool_id.eq_any(homes.clone()));
        if titled {
            query = query.filter(needs::title.eq(title.clone()));
        }
        query.order(needs::id).select(organisations::locale).first::<Locale>(tx.conn()).optional()
    };
    let locale = match of(true, tx)? {
        Some(locale) => locale,
        None => of(false, tx)?.unwrap_or(Locale::Fr),
    };
    Ok(Some((title, locale)))
}

/// Up to `limit` active needs with an id above `after`: the matcher's first load, in batches.
pub fn active_after(tx: &mut Tx, after: i64, limit: i64) -> QueryResult<Vec<IndexedNeed>> {
    load_active(tx, active().filter(needs::id.gt(after)).limit(limit))
}

/// The active needs of one pool.
pub fn active_in_pool(tx: &mut Tx, pool_id: i64) -> QueryResult<Vec<IndexedNeed>> {
    load_active(tx, active().filter(needs::pool_id.eq(pool_id)))
}

/// One need, if it is active.
pub fn active_by_id(tx: &mut Tx, need_id: i64) -> QueryResult<Option<IndexedNeed>> {
    Ok(load_active(tx, active().filter(needs::id.eq(need_id)))?.into_iter().next())
}

/// Those of the given needs that are active, in one statement (a need not returned is
/// withdrawn, or was never committed).
pub fn active_by_ids(tx: &mut Tx, need_ids: &[i64]) -> QueryResult<Vec<IndexedNeed>> {
    if need_ids.is_empty() {
        return Ok(Vec::new());
    }
    load_active(tx, active().filter(needs::id.eq_any(need_ids.to_vec())))
}

/// The pools in which an organisation has an active need.
pub fn pools_of_organisation(tx: &mut Tx, organisation_id: i64) -> QueryResult<Vec<i64>> {
    needs::table
        .filter(needs::organisation_id.eq(organisation_id))
        .filter(needs::status.eq(NeedStatus::Active))
        .select(needs::pool_id)
        .distinct()
        .load(tx.conn())
}

/// Every need of a pool, whatever its status (a redaction replaces the text of all).
pub fn all_in_pool(tx: &mut Tx, pool_id: i64) -> QueryResult<Vec<Need>> {
    needs::table.filter(needs::pool_id.eq(pool_id)).order(needs::id).select(Need::as_select()).load(tx.conn())
}

/// Needs whose suggestions (`similar_pools`) may name `pool_id`: a first sieve on the
/// stored JSON, which the caller reads to be sure.
pub fn suggesting(tx: &mut Tx, pool_id: i64) -> QueryResult<Vec<Need>> {
    needs::table
        .filter(needs::similar_pools.like(format!("%\"pool_id\":{pool_id},%")))
        .order(needs::id)
        .select(Need::as_select())
        .load(tx.conn())
}

/// Replaces a need's text and suggestions (a redaction); the need's pool is forgotten by
/// the caches.
pub fn set_text(tx: &mut WriteTx, need: &Need) -> QueryResult<usize> {
    tx.touch_pool(need.pool_id);
    diesel::update(needs::table.find(need.id))
        .set((
            needs::title.eq(&need.title),
            needs::description.eq(&need.description),
            needs::similar_pools.eq(&need.similar_pools),
        ))
        .execute(tx.conn())
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use diesel::connection::InstrumentationEvent;

    use super::*;
    use crate::{
        db::models::{
            organisation::{self, NewOrganisation},
            pool::{self, NewPool},
            scratch,
            user::{self, NewUser},
        },
        domain::{
            kinds::{OrganisationKind, Role, UserStatus},
            pool_state::PoolState,
        },
    };

    /// A post that opens its pool ahead writes the pool and the need in the statement that
    /// takes the post's locks, on PostgreSQL: one round trip for the three, the locks held
    /// and the transaction's id read as [`WriteTx::lock_for_post`] does.
    #[test]
    fn a_pool_opened_with_its_need_and_the_posts_locks_is_one_statement_on_postgres() {
        let (mut conn, _dropped) = scratch::database();
        let statements = Arc::new(AtomicUsize::new(0));
        let counted = statements.clone();
        let count = move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                counted.fetch_add(1, Ordering::AcqRel);
            }
        };
        let postgres = match &mut conn {
            DbConnection::Postgres(pg) => {
                // Advisory locks of a transaction: held until it ends.
                diesel::connection::SimpleConnection::batch_execute(pg, "BEGIN").unwrap();
                pg.set_instrumentation(count);
                true
            }
            DbConnection::Sqlite(sqlite) => {
                sqlite.set_instrumentation(count);
                false
            }
        };
        let now = crate::db::now();
        let mut tx = WriteTx::new(&mut conn);
        let organisation = organisation::insert(
            &mut tx,
            &NewOrganisation {
                name: "Eupen",
                kind: OrganisationKind::Commune,
                nis_code: None,
                population: None,
                locale: Locale::De,
                contact_email: None,
                created_at: now,
                bce: None,
            },
        )
        .unwrap();
        let member = user::insert(
            &mut tx,
            &NewUser {
                organisation_id: organisation.id,
                email: "mitglied@eupen.be",
                name: "Mitglied",
                role: Role::Member,
                password_hash: None,
                status: UserStatus::Active,
                created_at: now,
            },
        )
        .unwrap();
        let new_pool = NewPool {
            title: "Pachtverwaltung",
            description: "",
            cpv_code: None,
            state: PoolState::Open,
            currency: "EUR",
            target_cents: Some(Cents::new(1_000_000)),
            opened_by_organisation_id: Some(organisation.id),
            created_at: now,
            updated_at: now,
        };
        let new = NewNeed {
            organisation_id: organisation.id,
            pool_id: 0,
            posted_by_user_id: member.id,
            title: "Pachtverwaltung",
            description: "Verträge und Pachtzinsen",
            cpv_code: Some("48000000"),
            estimated_cost_cents: Some(Cents::new(1_000_000)),
            status: NeedStatus::Active,
            similar_pools: "[]",
            created_at: now,
        };
        let before = statements.load(Ordering::Acquire);
        let (pool, need) = insert_opening_locking_for_post(&mut tx, &new_pool, &new, &[7, 3, 7]).unwrap();
        let ran = statements.load(Ordering::Acquire) - before;
        let stored_pool = pool::find(&mut tx, pool.id).unwrap();
        assert_eq!(
            (
                stored_pool.title.as_str(),
                stored_pool.state,
                stored_pool.target_cents,
                stored_pool.opened_by_organisation_id
            ),
            ("Pachtverwaltung", PoolState::Open, Some(Cents::new(1_000_000)), Some(organisation.id))
        );
        assert_eq!(
            (pool.kind, pool.pledged_cents, pool.created_at),
            (stored_pool.kind, stored_pool.pledged_cents, now)
        );
        let stored = find(&mut tx, need.id).unwrap();
        assert_eq!(
            (stored.title.as_str(), stored.pool_id, stored.cpv_code.as_deref()),
            ("Pachtverwaltung", pool.id, Some("48000000"))
        );
        assert_eq!(
            (need.title, need.estimated_cost_cents, need.status),
            (stored.title, stored.estimated_cost_cents, stored.status)
        );
        if postgres {
            assert_eq!(ran, 1, "the need and the locks in one statement");
            assert_ne!(tx.index_position(0), 0, "the transaction's id is read");
            let DbConnection::Postgres(pg) = tx.conn() else { unreachable!() };
            #[derive(QueryableByName)]
            struct Held {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                locks: i64,
            }
            let held: Held = diesel::sql_query(
                "SELECT count(*) AS locks FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted",
            )
            .get_result(pg)
            .unwrap();
            assert_eq!(held.locks, 3, "the shared matching lock and the two keys");
        }
    }
}
