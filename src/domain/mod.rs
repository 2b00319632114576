//! Pure domain logic: no actix, no diesel. Input is parsed here once into types that are
//! valid by construction, so the rest of the code never validates again.

pub mod amount;
pub mod cooling_off;
pub mod council;
pub mod cpv;
pub mod day;
pub mod delivery;
pub mod email;
pub mod events;
pub mod fields;
pub mod format;
pub mod kinds;
pub mod maintenance;
pub mod matching;
pub mod money;
pub mod need;
pub mod personal_data;
pub mod pool_state;
pub mod redaction;
pub mod shares;
pub mod text;
