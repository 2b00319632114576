//! Databases for unit tests of queries.

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use diesel_migrations::MigrationHarness;

use crate::db::{DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// A database of its own for the test: PostgreSQL when `MUTUA_TEST_DATABASE_URL` names
/// a server (a database created here, dropped by the guard), SQLite in memory otherwise.
pub fn database() -> (DbConnection, Option<impl Drop>) {
    struct Dropped(String, String);
    impl Drop for Dropped {
        fn drop(&mut self) {
            if let Ok(mut admin) = PgConnection::establish(&self.0) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.1)).execute(&mut admin);
            }
        }
    }
    match std::env::var("MUTUA_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let name = format!("mutua_unit_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
            let mut conn = PgConnection::establish(&admin).unwrap();
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).unwrap();
            let (base, query) = admin.split_once('?').map_or((admin.as_str(), ""), |(b, q)| (b, q));
            let url = format!(
                "{}/{name}{}{query}",
                base.rsplit_once('/').unwrap().0,
                if query.is_empty() { "" } else { "?" }
            );
            let mut pg = PgConnection::establish(&url).unwrap();
            pg.run_pending_migrations(POSTGRES_MIGRATIONS).unwrap();
            (DbConnection::Postgres(pg), Some(Dropped(admin.clone(), name)))
        }
        _ => {
            let mut sqlite = SqliteConnection::establish(":memory:").unwrap();
            sqlite.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
            (DbConnection::Sqlite(sqlite), None)
        }
    }
}
