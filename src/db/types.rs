//! How the domain's types are stored: each closed vocabulary as its text, money as a
//! `BIGINT` of cents. Mapped here, where rows are read and written, so that the rest of the
//! code only sees the types.
//!
//! A stored text outside a vocabulary is never defaulted: reading it fails with an error
//! naming the type and the value, which the error policy logs (with the row id where the
//! query names one, see [`super::models::in_row`]) and answers 500.

use diesel::{
    backend::Backend,
    deserialize::{self, FromSql, FromSqlRow},
    expression::AsExpression,
    serialize::{self, Output, ToSql},
    sql_types::{BigInt, Text},
};

use crate::domain::{
    kinds::{
        DecidedBy, Locale, NeedStatus, OrganisationKind, OutboxStatus, PledgeStatus, PoolKind, Role, TokenKind,
        UserStatus,
    },
    money::Cents,
    pool_state::PoolState,
};

/// Maps text enums (`as_str`, `parse`) to `TEXT` columns.
macro_rules! stored_as_text {
    ($($name:ident),+ $(,)?) => {$(
        const _: () = {
            // A proxy through which diesel's derives implement their traits for the enum
            // itself (`foreign_derive`), so that `domain` stays free of diesel.
            #[derive(AsExpression, FromSqlRow)]
            #[diesel(foreign_derive, sql_type = Text)]
            #[allow(dead_code)]
            struct Proxy($name);

            impl<DB: Backend> ToSql<Text, DB> for $name
            where
                str: ToSql<Text, DB>,
            {
                fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                    <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
                }
            }

            impl<DB: Backend> FromSql<Text, DB> for $name
            where
                String: FromSql<Text, DB>,
            {
                fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                    let raw = String::from_sql(bytes)?;
                    $name::parse(&raw)
                        .map_err(|_| format!("unknown {} {raw:?} in the database", stringify!($name)).into())
                }
            }
        };
    )+};
}

stored_as_text!(
    PoolState,
    NeedStatus,
    Role,
    OrganisationKind,
    Locale,
    OutboxStatus,
    PledgeStatus,
    DecidedBy,
    PoolKind,
    UserStatus,
    TokenKind,
);

const _: () = {
    #[derive(AsExpression, FromSqlRow)]
    #[diesel(foreign_derive, sql_type = BigInt)]
    #[allow(dead_code)]
    struct Proxy(Cents);

    impl<DB: Backend> ToSql<BigInt, DB> for Cents
    where
        i64: ToSql<BigInt, DB>,
    {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
            // `Cents` is a plain i64 inside; diesel needs a reference that lives as long as
            // the value, which the field is.
            <i64 as ToSql<BigInt, DB>>::to_sql(self.as_i64_ref(), out)
        }
    }

    impl<DB: Backend> FromSql<BigInt, DB> for Cents
    where
        i64: FromSql<BigInt, DB>,
    {
        fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
            i64::from_sql(bytes).map(Cents::new)
        }
    }
};
