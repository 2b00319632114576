//! Pure domain logic: no actix, no diesel. Input is parsed here once into types that are
//! valid by construction, so the rest of the code never validates again.

pub mod amount;
pub mod bce;
pub mod cooling_off;
pub mod council;
pub mod cpv;
pub mod day;
pub mod delivery;
pub mod email;
pub mod events;
pub mod fields;
pub mod format;
pub mod import;
pub mod kinds;
pub mod maintenance;
pub mod matching;
pub mod merge_direction;
pub mod money;
pub mod need;
pub mod organisation;
pub mod personal_data;
pub mod pledge_rules;
pub mod pool_state;
pub mod profile;
pub mod redaction;
pub mod shares;
pub mod text;
