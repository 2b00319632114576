//! What templates receive: plain values, amounts and dates already written in the page's
//! language, never database rows.

use serde::Serialize;

use crate::domain::{format, kinds::Locale, maintenance};
use crate::{domain::money::Cents, service::pool_view::PoolView};

/// A pool in a list: its title, state and money, and the viewer's organisation's pledge
/// and share when it takes part.
#[derive(Serialize)]
pub struct PoolLine {
    pub id: i64,
    pub title: String,
    pub state: &'static str,
    pub pledged: String,
    pub threshold: Option<String>,
    pub target: Option<String>,
    /// Pledged as a percentage of the threshold, 0 to 100, for the progress bar.
    pub progress: u8,
    pub participants: usize,
    pub own_pledge: Option<String>,
    pub own_share: Option<String>,
    pub repository_url: Option<String>,
    pub licence: Option<String>,
    pub organisations: Vec<String>,
}

impl PoolLine {
    pub fn new(view: &PoolView, lang: Locale, own_organisation: Option<i64>) -> Self {
        let pool = &view.pool;
        let own = own_organisation.and_then(|org| view.participants.iter().find(|p| p.organisation_id == org));
        let threshold = pool.effective_threshold();
        Self {
            id: pool.id,
            title: maintenance::title(&pool.title, pool.period_start.zip(pool.period_end), lang),
            state: pool.state.as_str(),
            pledged: format::money(pool.pledged_cents, lang),
            threshold: threshold.map(|t| format::money(t, lang)),
            target: pool.target_cents.map(|t| format::money(t, lang)),
            progress: progress(pool.pledged_cents, threshold),
            participants: view.participants.len(),
            own_pledge: own.filter(|p| p.pledged_cents.is_positive()).map(|p| format::money(p.pledged_cents, lang)),
            own_share: own.map(|p| format::money(p.share_cents, lang)),
            repository_url: pool.repository_url.clone(),
            licence: pool.licence.clone(),
            organisations: view.participants.iter().map(|p| p.name.clone()).collect(),
        }
    }
}

/// `pledged / threshold` in whole percent, at most 100.
pub fn progress(pledged: Cents, threshold: Option<Cents>) -> u8 {
    match threshold {
        Some(t) if t.is_positive() => {
            let percent = i128::from(pledged.get()) * 100 / i128::from(t.get());
            u8::try_from(percent.clamp(0, 100)).unwrap_or(100)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_bounded() {
        assert_eq!(progress(Cents::new(50), Some(Cents::new(200))), 25);
        assert_eq!(progress(Cents::new(500), Some(Cents::new(200))), 100);
        assert_eq!(progress(Cents::new(500), None), 0);
    }
}
