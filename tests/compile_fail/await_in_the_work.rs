// The work of a transaction is synchronous: a second transaction cannot be awaited in it.
async fn nested(db: mutua::db::Db) {
    let _ = db
        .write(mutua::db::System, |_tx, _| db.write(mutua::db::System, |_tx, _| Ok(())).await)
        .await;
}

fn main() {}
