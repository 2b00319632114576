// A service cannot make a write handle: WriteTx has no public constructor.
fn sneaky(tx: mutua::db::Tx<'_>) {
    let _nested = mutua::db::WriteTx { tx, changes: Default::default() };
}

fn main() {}
