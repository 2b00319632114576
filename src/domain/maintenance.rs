//! A period of upkeep of delivered software, as an officer asks for it: parsed once, for the
//! API's body and the pages' form alike.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    fields::{FieldError, FieldErrors},
    money::Cents,
    text,
};

/// A period of upkeep as asked: the API's body, and what the pages' form fills in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenMaintenance {
    /// First day of the period of upkeep.
    #[schema(example = "2027-01-01")]
    pub period_start: NaiveDate,
    /// Last day of the period (included); after `period_start`.
    #[schema(example = "2027-12-31")]
    pub period_end: NaiveDate,
    /// What the upkeep of the period costs, in euro cents.
    #[schema(example = 800000, minimum = 1, maximum = 1000000000000_i64)]
    pub target_cents: i64,
    /// What must be pledged before it is funded; the target when left out.
    #[schema(example = 600000, minimum = 1, maximum = 1000000000000_i64)]
    pub threshold_cents: Option<i64>,
    /// After this date the pool expires if it is still open.
    #[schema(example = "2026-11-30")]
    pub deadline: Option<NaiveDate>,
    /// The pool's title; by default `Maintenance (start – end) : ` and the delivered pool's.
    #[schema(example = "Maintenance 2027 du registre des concessions", min_length = 3, max_length = 200)]
    pub title: Option<String>,
}

/// A period of upkeep as an officer asks for it, parsed.
#[derive(Clone, Debug)]
pub struct MaintenanceInput {
    /// First and last day of the period, both included; `period_end` is after `period_start`.
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub target_cents: Cents,
    pub threshold_cents: Option<Cents>,
    pub deadline: Option<NaiveDate>,
    pub title: Option<String>,
}

impl OpenMaintenance {
    /// The period asked, or every invalid field: the end after the start, amounts above 0,
    /// a deadline not before `today`, a title like a pool's.
    pub fn parse(self, today: NaiveDate) -> Result<MaintenanceInput, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        if self.period_end <= self.period_start {
            errors.push("period_end", "must be after period_start");
        }
        let target_cents = errors.check("target_cents", Cents::positive(self.target_cents));
        let threshold_cents = self.threshold_cents.and_then(|c| errors.check("threshold_cents", Cents::positive(c)));
        if self.deadline.is_some_and(|d| d < today) {
            errors.push("deadline", "must be today or later");
        }
        let title = self.title.as_deref().and_then(|t| errors.check("title", text::title(t)));
        let input = target_cents.map(|target_cents| MaintenanceInput {
            period_start: self.period_start,
            period_end: self.period_end,
            target_cents,
            threshold_cents,
            deadline: self.deadline,
            title,
        });
        errors.finish(input)
    }
}
