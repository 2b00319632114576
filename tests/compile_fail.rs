//! Mistakes the types of the unit of work make impossible (`src/db/unit.rs`), each checked
//! to fail to compile for its own reason: a case's `.stderr` snapshot is the error it must
//! give, so a case that breaks for another reason (a renamed function, a missing import)
//! fails here instead of passing unnoticed. Checked on stable with `trybuild`; after a
//! change of wording in a new compiler, `TRYBUILD=overwrite cargo test --test compile_fail`
//! rewrites the snapshots, to be read before they are committed.

#[test]
fn the_unit_of_work_refuses_its_mistakes() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
