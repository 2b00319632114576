//! The tables of mutua, written by hand to match both migration folders
//! (`migrations/sqlite` and `migrations/postgres`). Only types both backends share.

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        nis_code -> Nullable<Text>,
        population -> Nullable<BigInt>,
        locale -> Text,
        contact_email -> Nullable<Text>,
        created_at -> Timestamp,
        bce -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        token_version -> Integer,
        status -> Text,
        locale -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    account_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        kind -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        replaced_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    pools (id) {
        id -> BigInt,
        title -> Text,
        description -> Text,
        cpv_code -> Nullable<Text>,
        state -> Text,
        currency -> Text,
        target_cents -> Nullable<BigInt>,
        threshold_cents -> Nullable<BigInt>,
        pledged_cents -> BigInt,
        deadline -> Nullable<Date>,
        reason -> Nullable<Text>,
        supplier -> Nullable<Text>,
        award_cents -> Nullable<BigInt>,
        repository_url -> Nullable<Text>,
        licence -> Nullable<Text>,
        merged_into_pool_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        funded_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        rejected_at -> Nullable<Timestamp>,
        awarded_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        expired_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        merged_at -> Nullable<Timestamp>,
        kind -> Text,
        maintains_pool_id -> Nullable<BigInt>,
        period_start -> Nullable<Date>,
        period_end -> Nullable<Date>,
        opened_by_organisation_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    needs (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        pool_id -> BigInt,
        posted_by_user_id -> BigInt,
        title -> Text,
        description -> Text,
        cpv_code -> Nullable<Text>,
        estimated_cost_cents -> Nullable<BigInt>,
        status -> Text,
        similar_pools -> Text,
        created_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    pledges (id) {
        id -> BigInt,
        pool_id -> BigInt,
        organisation_id -> BigInt,
        amount_cents -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        status -> Text,
        decision_ref -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        decided_by -> Nullable<Text>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        pool_id -> Nullable<BigInt>,
        #[sql_name = "type"]
        event_type -> Text,
        actor_user_id -> Nullable<BigInt>,
        at -> Timestamp,
        data -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        event_id -> BigInt,
        recipient_user_id -> BigInt,
        recipient_email -> Text,
        event_type -> Text,
        locale -> Text,
        context -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        request_hash -> Text,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
        stored_bytes -> Integer,
    }
}

diesel::table! {
    web_sessions (id_hash) {
        id_hash -> Text,
        user_id -> BigInt,
        token_version -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oidc_logins (state_hash) {
        state_hash -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        next_path -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    duplicate_candidates (pool_low, pool_high) {
        pool_low -> BigInt,
        pool_high -> BigInt,
        score -> Double,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    duplicate_dismissals (pool_low, pool_high) {
        pool_low -> BigInt,
        pool_high -> BigInt,
        reason -> Nullable<Text>,
        dismissed_by -> BigInt,
        dismissed_at -> Timestamp,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(web_sessions -> users (user_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(needs -> pools (pool_id));
diesel::joinable!(needs -> organisations (organisation_id));
diesel::joinable!(pledges -> pools (pool_id));
diesel::joinable!(pledges -> organisations (organisation_id));
diesel::joinable!(events -> pools (pool_id));
diesel::joinable!(outbox -> events (event_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    pools,
    needs,
    pledges,
    events,
    outbox,
    idempotency_keys,
    web_sessions,
    oidc_logins,
    duplicate_candidates,
    duplicate_dismissals,
    account_tokens
);
