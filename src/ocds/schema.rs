//! The parts of the OCDS 1.1 release and record package schemas that mutua fills, as
//! typed structs.
//!
//! Field names follow the standard (camelCase); empty lists and unknown values are left
//! out rather than written as `null` or `[]`, as the OCDS guidance prefers. A `null` is
//! written only to remove what an earlier release of the same process said (the merge
//! routine removes a field set to `null`). Fields outside the core schema come from the
//! extensions the packages declare in `extensions`: `Budget::budget_breakdown` (budget
//! breakdown) and the packages' `links` (pagination).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer, ser::Error as _};
use utoipa::ToSchema;

use super::merge::Json;

/// The OCDS schema version of the packages.
pub const VERSION: &str = "1.1";

/// The budget breakdown extension, for each authority's pledge.
pub const BUDGET_BREAKDOWN_EXTENSION: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_budget_breakdown_extension/master/extension.json";

/// The pagination extension, for the packages' `links` (in the core schema from OCDS 1.2).
pub const PAGINATION_EXTENSION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_pagination_extension/master/extension.json";

/// An instant, written with microseconds and `Z` (`2026-03-04T16:20:00.848314Z`): always the
/// same width, so that dates sort as text the way they sort in time, which is how the
/// merge routine orders releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ToSchema)]
#[schema(value_type = String, format = DateTime, example = "2026-03-04T16:20:00.848314Z")]
pub struct Instant(pub DateTime<Utc>);

impl Instant {
    pub fn text(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Micros, true)
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage {
    /// This page's URL.
    #[schema(example = "https://mutua.example.be/api/v1/ocds/releases?limit=100")]
    pub uri: String,
    #[schema(example = "1.1")]
    pub version: String,
    #[schema(example = json!([BUDGET_BREAKDOWN_EXTENSION, PAGINATION_EXTENSION]))]
    pub extensions: Vec<String>,
    /// The date of the newest release in the package (of the whole export when the page is
    /// empty).
    pub published_date: Instant,
    pub publisher: Publisher,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    pub releases: Vec<Release>,
}

/// The pages of an export (pagination extension).
#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    /// The next page: the releases (records) after the last of this page. Given whenever the
    /// page is not empty; a harvester follows it until a page comes back empty, and may keep
    /// it to ask later for what was published since.
    #[schema(example = "https://mutua.example.be/api/v1/ocds/releases?limit=100&after=57")]
    pub next: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordPackage {
    /// This page's URL.
    #[schema(example = "https://mutua.example.be/api/v1/ocds/records?limit=20")]
    pub uri: String,
    #[schema(example = "1.1")]
    pub version: String,
    #[schema(example = json!([BUDGET_BREAKDOWN_EXTENSION, PAGINATION_EXTENSION]))]
    pub extensions: Vec<String>,
    /// The date of the newest release in the package (of the whole export when the page is
    /// empty).
    pub published_date: Instant,
    pub publisher: Publisher,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    pub records: Vec<Record>,
}

/// One contracting process (one pool): all its releases, oldest first, and what they
/// compile to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    #[schema(example = "ocds-mutua0-12")]
    pub ocid: String,
    pub releases: RecordReleases,
    /// The releases merged by the OCDS merge routine: the latest value of every field,
    /// `tag: ["compiled"]`.
    #[schema(schema_with = compiled_release_schema)]
    pub compiled_release: Json,
    /// Every value every field had, each with the release it came from.
    #[schema(schema_with = versioned_release_schema)]
    pub versioned_release: Json,
}

/// A record's releases: embedded when there are at most [`crate::ocds::EMBEDDED`],
/// otherwise every one linked (the record schema takes a list of one kind or the other,
/// never both), so that a record's size does not grow with its releases' size.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum RecordReleases {
    Embedded(Vec<Release>),
    Linked(Vec<LinkedRelease>),
}

/// Where a release is published: a release package holding it, with the release `id` as
/// the fragment.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedRelease {
    #[schema(example = "https://mutua.example.be/api/v1/ocds/releases?limit=1&after=56#ocds-mutua0-12-57")]
    pub url: String,
    pub date: Instant,
    pub tag: Vec<Tag>,
}

/// A release-shaped object, documented by the OCDS schemas rather than here.
fn free_object(description: &str, example: serde_json::Value) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Object)
        .description(Some(description))
        .examples([example])
        .build()
}

fn compiled_release_schema() -> utoipa::openapi::Object {
    free_object(
        "The releases merged by the OCDS merge routine: the latest value of every field, `tag: [\"compiled\"]`.",
        serde_json::json!({
            "tag": ["compiled"], "id": "ocds-mutua0-12-2026-03-04T16:20:00.848314Z",
            "date": "2026-03-04T16:20:00.848314Z", "ocid": "ocds-mutua0-12", "initiationType": "tender",
            "tender": {"id": "ocds-mutua0-12-tender", "title": "Gestion des concessions du cimetière", "status": "active"}
        }),
    )
}

fn versioned_release_schema() -> utoipa::openapi::Object {
    let version = |id: &str, date: &str, tag: &str, value: &str| serde_json::json!({"releaseID": id, "releaseDate": date, "releaseTag": [tag], "value": value});
    free_object(
        "Every value every field had, each with the release it came from (`ocid` and the `id` of objects in lists stay plain).",
        serde_json::json!({
            "ocid": "ocds-mutua0-12",
            "tender": {"status": [
                version("ocds-mutua0-12-1", "2026-03-01T09:00:00.000000Z", "planning", "planning"),
                version("ocds-mutua0-12-57", "2026-03-04T16:20:00.848314Z", "tender", "active"),
            ]}
        }),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Publisher {
    #[schema(example = "Centrale d'achat")]
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "https://mutua.example.be")]
    pub uri: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    #[schema(example = "ocds-mutua0-12")]
    pub ocid: String,
    /// `{ocid}-{id of the audit event}`: one release per event, never rewritten.
    #[schema(example = "ocds-mutua0-12-57")]
    pub id: String,
    /// When the event was recorded.
    pub date: Instant,
    pub tag: Vec<Tag>,
    #[schema(example = "tender")]
    pub initiation_type: String,
    #[schema(example = "fr")]
    pub language: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer: Option<OrganizationReference>,
    pub planning: Planning,
    pub tender: Tender,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<Contract>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_processes: Vec<RelatedProcess>,
}

/// Codes of the closed releaseTag codelist that mutua uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Tag {
    Planning,
    PlanningUpdate,
    Tender,
    TenderUpdate,
    TenderCancellation,
    Award,
    AwardUpdate,
    Contract,
    Implementation,
    ImplementationUpdate,
    ContractTermination,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    #[schema(example = "org-3")]
    pub id: String,
    #[schema(example = "Commune de Ciney")]
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_identifiers: Vec<Identifier>,
    /// Codes of the open partyRole codelist: buyer, funder, procuringEntity, supplier,
    /// interestedParty (an authority that took part and no longer does).
    #[schema(example = json!(["buyer", "funder"]))]
    pub roles: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Identifier {
    #[schema(example = "BE-NIS")]
    pub scheme: String,
    #[schema(example = "92094")]
    pub id: String,
    #[schema(example = "Commune de Namur")]
    pub legal_name: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrganizationReference {
    #[schema(example = "org-3")]
    pub id: String,
    #[schema(example = "Commune de Ciney")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Planning {
    pub budget: Budget,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    #[schema(
        example = "Promesses de financement des autorités participantes. Chacune paie au plus sa promesse : le coût estimé est réparti au prorata des promesses."
    )]
    pub description: String,
    /// The pool's title: the shared project the authorities fund.
    #[schema(example = "Gestion des concessions du cimetière")]
    pub project: String,
    /// What the authorities pledged in all: the sum of the breakdown.
    pub amount: MonetaryValue,
    /// One entry per pledging authority (budget breakdown extension).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub budget_breakdown: Vec<BudgetBreakdown>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BudgetBreakdown {
    #[schema(example = "pledge-org-3")]
    pub id: String,
    #[schema(
        example = "Promesse de financement de Commune de Ciney (plafond) ; part à payer : 16\u{202F}000,00\u{A0}€"
    )]
    pub description: String,
    pub amount: MonetaryValue,
    pub source_party: OrganizationReference,
}

// Not named `Value`, as OCDS names it: utoipa takes any type of that name for
// `serde_json::Value` and documents it as "anything".
/// An amount of money (the OCDS `Value` object): decimal euros with exactly two decimals.
/// Both are `null` only to remove an amount an earlier release gave (an estimate cleared).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MonetaryValue {
    #[schema(value_type = Option<f64>, example = 12500.5)]
    pub amount: Option<Amount>,
    #[schema(example = "EUR")]
    pub currency: Option<&'static str>,
}

/// Integer cents written as a decimal JSON number (`123450` → `1234.50`): the digits are
/// placed as text, so no float ever holds the amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount(pub i64);

impl Amount {
    pub fn decimal(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.decimal()).map_err(S::Error::custom)?.serialize(serializer)
    }
}

/// A change to what earlier releases said: here, a redaction of the pool's text.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Amendment {
    #[schema(example = "redaction-1")]
    pub id: String,
    pub date: Instant,
    #[schema(example = "Adresse e-mail personnelle retirée à la demande de la personne concernée")]
    pub rationale: String,
    #[schema(
        example = "Texte remplacé dans toutes les publications de ce processus (description) ; le texte retiré n'est plus publié."
    )]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tender {
    #[schema(example = "ocds-mutua0-12-tender")]
    pub id: String,
    #[schema(example = "Gestion des concessions du cimetière")]
    pub title: String,
    /// `null` when an officer emptied a description an earlier release gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "Registre numérique des concessions, rappels d'échéance, plan du cimetière.")]
    pub description: Option<Option<String>>,
    pub status: TenderStatus,
    /// The estimated cost of the development.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<MonetaryValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procuring_entity: Option<OrganizationReference>,
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// Each redaction of the pool's text (`pool.redacted`): when and why, never the text
    /// replaced.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<Amendment>,
    /// The period of upkeep a maintenance pool funds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_period: Option<Period>,
}

/// Codes of the closed tenderStatus codelist that mutua uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum TenderStatus {
    Planning,
    Planned,
    Active,
    Complete,
    Cancelled,
    Unsuccessful,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Item {
    #[schema(example = "1")]
    pub id: String,
    #[schema(example = "Gestion des concessions du cimetière")]
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Classification {
    #[schema(example = "CPV")]
    pub scheme: String,
    /// The CPV code's eight digits, without its check digit.
    #[schema(example = "48000000")]
    pub id: String,
    #[schema(example = "Software package and information systems")]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    #[schema(example = "repository")]
    pub id: String,
    /// A code of the open documentType codelist.
    #[schema(example = "completionCertificate")]
    pub document_type: String,
    #[schema(example = "Code source livré")]
    pub title: String,
    #[schema(example = "Dépôt du logiciel livré, sous licence GPL-3.0-or-later : chaque membre peut le réutiliser.")]
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "https://git.example.be/mutua/cimetiere")]
    pub url: Option<String>,
    pub date_published: Instant,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Award {
    #[schema(example = "ocds-mutua0-12-award")]
    pub id: String,
    /// Always `active`: mutua records an award once it is made.
    #[schema(example = "active")]
    pub status: &'static str,
    pub date: Instant,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<MonetaryValue>,
    pub suppliers: Vec<OrganizationReference>,
    pub items: Vec<Item>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    #[schema(example = "ocds-mutua0-12-contract")]
    pub id: String,
    #[serde(rename = "awardID")]
    #[schema(example = "ocds-mutua0-12-award")]
    pub award_id: String,
    /// `terminated`: the software was delivered, the contract has come to its end.
    #[schema(example = "terminated")]
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<MonetaryValue>,
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    pub implementation: Implementation,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Instant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Instant>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Implementation {
    pub documents: Vec<Document>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedProcess {
    #[schema(example = "merged-into")]
    pub id: String,
    /// Codes of the relatedProcess codelist: `prior` for a maintenance pool's link to the
    /// delivered pool it maintains.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["prior"]))]
    pub relationship: Vec<&'static str>,
    #[schema(example = "Mise en commun fusionnée : ses besoins et promesses y ont été transférés")]
    pub title: String,
    /// `ocid`: `identifier` is the open contracting id of the related process.
    #[schema(example = "ocid")]
    pub scheme: &'static str,
    #[schema(example = "ocds-mutua0-7")]
    pub identifier: String,
}

#[cfg(test)]
mod tests {
    use super::Amount;

    #[test]
    fn amounts_are_decimal_text_with_two_digits() {
        assert_eq!(Amount(0).decimal(), "0.00");
        assert_eq!(Amount(5).decimal(), "0.05");
        assert_eq!(Amount(123_450).decimal(), "1234.50");
        assert_eq!(Amount(-1).decimal(), "-0.01");
        // Past 2^53 a float could not hold it exactly; the text can.
        assert_eq!(Amount(9_007_199_254_740_993).decimal(), "90071992547409.93");
        assert_eq!(Amount(i64::MIN).decimal(), "-92233720368547758.08");
    }

    #[test]
    fn amounts_serialise_as_json_numbers() {
        let json = serde_json::to_string(&[Amount(100_000), Amount(7)]).unwrap();
        assert_eq!(json, "[1000.00,0.07]");
        let back: Vec<f64> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec![1000.0, 0.07]);
    }
}
