// A read cannot call a function that writes.
async fn read_then_write(db: mutua::db::Db) {
    let _ = db.read(mutua::db::System, |tx, _| Ok(mutua::db::models::outbox::requeue(tx, 1, mutua::db::now())?)).await;
}

fn main() {}
