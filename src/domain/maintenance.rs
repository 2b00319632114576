//! A period of upkeep of delivered software, as an officer asks for it: parsed once, for the
//! API's body and the pages' form alike.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    fields::{FieldError, FieldErrors},
    format,
    kinds::Locale,
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

/// The title a maintenance pool is stored with when the officer gives none (the API and
/// the open data carry it): `Maintenance (2027-01-01 – 2027-12-31) : <software>`, within
/// the 200 characters of a title. Pages and emails show it with [`title`] instead.
pub fn default_title(software: &str, start: NaiveDate, end: NaiveDate) -> String {
    format!("{}{software}", default_prefix(start, end)).chars().take(200).collect()
}

fn default_prefix(start: NaiveDate, end: NaiveDate) -> String {
    format!("Maintenance ({start} – {end}) : ")
}

/// The description a maintenance pool is stored with: see [`description`] for a reader.
pub fn default_description(
    delivered_id: i64,
    repository: Option<&str>,
    licence: Option<&str>,
    period: (NaiveDate, NaiveDate),
) -> String {
    format!(
        "{}{} ({}, licence {}), du {} au {} inclus.",
        DESCRIPTION_PREFIX,
        delivered_id,
        repository.unwrap_or("dépôt non renseigné"),
        licence.unwrap_or("libre"),
        period.0,
        period.1,
    )
}

const DESCRIPTION_PREFIX: &str = "Maintenance du logiciel livré par le pool n° ";

/// A maintenance pool's title in the reader's language, built from its period and the
/// software's title (`Onderhoud van 1 januari 2027 tot en met 31 december 2027: …`); a
/// title the officer wrote is the officer's words, shown as written.
pub fn title(stored: &str, period: Option<(NaiveDate, NaiveDate)>, locale: Locale) -> String {
    let Some((start, end)) = period else { return stored.to_owned() };
    match stored.strip_prefix(&default_prefix(start, end)) {
        Some(software) => {
            let when = period_words(start, end, locale);
            match locale {
                Locale::Fr => format!("Maintenance {when} : {software}"),
                Locale::Nl => format!("Onderhoud {when}: {software}"),
                Locale::De => format!("Wartung {when}: {software}"),
                Locale::En => format!("Maintenance {when}: {software}"),
            }
        }
        None => stored.to_owned(),
    }
}

/// A maintenance pool's description in the reader's language when it is the one the
/// platform wrote; an officer's own is shown as written.
pub fn description(stored: &str, delivered_id: i64, period: Option<(NaiveDate, NaiveDate)>, locale: Locale) -> String {
    let generated = stored.starts_with(&format!("{DESCRIPTION_PREFIX}{delivered_id} "));
    let Some((start, end)) = period.filter(|_| generated) else { return stored.to_owned() };
    let when = period_words(start, end, locale);
    match locale {
        Locale::Fr => format!("Maintenance du logiciel livré par le projet n° {delivered_id}, {when}."),
        Locale::Nl => format!("Onderhoud van de software opgeleverd door project nr. {delivered_id}, {when}."),
        Locale::De => format!("Wartung der Software, geliefert von Projekt Nr. {delivered_id}, {when}."),
        Locale::En => format!("Maintenance of the software delivered by pool no. {delivered_id}, {when}."),
    }
}

/// `du 1er janvier 2027 au 31 décembre 2027`, `van … tot en met …`, `vom … bis zum …`.
pub fn period_words(start: NaiveDate, end: NaiveDate, locale: Locale) -> String {
    let (s, e) = (format::date(start, locale), format::date(end, locale));
    match locale {
        Locale::Fr => format!("du {s} au {e}"),
        Locale::Nl => format!("van {s} tot en met {e}"),
        Locale::De => format!("vom {s} bis zum {e}"),
        Locale::En => format!("from {s} to {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_default_title_reads_in_each_language_and_an_officers_title_as_written() {
        let period = (day(2027, 1, 1), day(2027, 12, 31));
        let stored = default_title("Begraafplaatsregister", period.0, period.1);
        assert_eq!(stored, "Maintenance (2027-01-01 – 2027-12-31) : Begraafplaatsregister");
        assert_eq!(
            title(&stored, Some(period), Locale::Nl),
            "Onderhoud van 1 januari 2027 tot en met 31 december 2027: Begraafplaatsregister"
        );
        assert_eq!(
            title(&stored, Some(period), Locale::Fr),
            "Maintenance du 1er janvier 2027 au 31 décembre 2027 : Begraafplaatsregister"
        );
        assert_eq!(
            title(&stored, Some(period), Locale::De),
            "Wartung vom 1. Januar 2027 bis zum 31. Dezember 2027: Begraafplaatsregister"
        );
        assert_eq!(title("Onderhoud 2027", Some(period), Locale::Fr), "Onderhoud 2027");
        assert_eq!(title(&stored, None, Locale::Nl), stored);
    }

    #[test]
    fn a_default_description_reads_in_each_language() {
        let period = (day(2027, 1, 1), day(2027, 12, 31));
        let stored = default_description(7, Some("https://git.example.be/x"), Some("EUPL-1.2"), period);
        assert_eq!(
            description(&stored, 7, Some(period), Locale::Nl),
            "Onderhoud van de software opgeleverd door project nr. 7, van 1 januari 2027 tot en met 31 december 2027."
        );
        assert_eq!(description("Mon texte", 7, Some(period), Locale::Nl), "Mon texte");
        assert_eq!(description(&stored, 8, Some(period), Locale::Nl), stored, "another pool's words");
    }
}
