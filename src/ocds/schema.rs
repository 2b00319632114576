//! The parts of the OCDS 1.1 release package schema that mutua fills, as typed structs.
//!
//! Field names follow the standard (camelCase); empty lists and unknown values are left
//! out rather than written as `null` or `[]`, as the OCDS guidance prefers. The one field
//! outside the core schema is `Budget::budget_breakdown`, from the budget breakdown
//! extension that the package declares in `extensions`.

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer, ser::Error as _};
use utoipa::ToSchema;

/// The OCDS schema version of the package.
pub const VERSION: &str = "1.1";

/// The budget breakdown extension, for each authority's pledge.
pub const BUDGET_BREAKDOWN_EXTENSION: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_budget_breakdown_extension/master/extension.json";

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage {
    /// This page's URL.
    #[schema(example = "https://mutua.example.be/api/v1/ocds/releases?limit=100&offset=0")]
    pub uri: String,
    #[schema(example = "1.1")]
    pub version: String,
    #[schema(example = json!([BUDGET_BREAKDOWN_EXTENSION]))]
    pub extensions: Vec<String>,
    /// The date of the newest release in the package.
    #[schema(example = "2026-03-04T16:20:00Z")]
    pub published_date: DateTime<Utc>,
    pub publisher: Publisher,
    pub releases: Vec<Release>,
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
    #[schema(example = "ocds-mutua-12")]
    pub ocid: String,
    #[schema(example = "ocds-mutua-12-funded-1767225600000000")]
    pub id: String,
    #[schema(example = "2026-01-01T00:00:00Z")]
    pub date: DateTime<Utc>,
    pub tag: Vec<Tag>,
    #[schema(example = "tender")]
    pub initiation_type: String,
    #[schema(example = "fr")]
    pub language: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer: Option<OrganizationReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planning: Option<Planning>,
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
    Tender,
    TenderUpdate,
    TenderCancellation,
    Award,
    Contract,
    Implementation,
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
    /// Codes of the open partyRole codelist: buyer, funder, procuringEntity, supplier.
    #[schema(example = json!(["buyer", "funder"]))]
    pub roles: Vec<String>,
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
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MonetaryValue {
    #[schema(value_type = f64, example = 12500.5)]
    pub amount: Amount,
    #[schema(example = "EUR")]
    pub currency: String,
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

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tender {
    #[schema(example = "ocds-mutua-12-tender")]
    pub id: String,
    #[schema(example = "Gestion des concessions du cimetière")]
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Registre numérique des concessions, rappels d'échéance, plan du cimetière.")]
    pub description: Option<String>,
    pub status: TenderStatus,
    /// The estimated cost of the development.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<MonetaryValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procuring_entity: Option<OrganizationReference>,
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
}

/// Codes of the closed tenderStatus codelist that mutua uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum TenderStatus {
    Planning,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-09-15T10:00:00Z")]
    pub date_published: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Award {
    #[schema(example = "ocds-mutua-12-award")]
    pub id: String,
    /// Always `active`: mutua records an award once it is made.
    #[schema(example = "active")]
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-05-12T14:00:00Z")]
    pub date: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<MonetaryValue>,
    pub suppliers: Vec<OrganizationReference>,
    pub items: Vec<Item>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    #[schema(example = "ocds-mutua-12-contract")]
    pub id: String,
    #[serde(rename = "awardID")]
    #[schema(example = "ocds-mutua-12-award")]
    pub award_id: String,
    /// `terminated`: the software was delivered, the contract has come to its end.
    #[schema(example = "terminated")]
    pub status: String,
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
    #[schema(example = "2026-09-15T10:00:00Z")]
    pub end_date: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Implementation {
    pub documents: Vec<Document>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedProcess {
    #[schema(example = "merged-into")]
    pub id: String,
    /// Codes of the OCDS `relatedProcess` codelist (`prior` for a maintenance pool's link to
    /// the delivered pool it maintains).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["prior"]))]
    pub relationship: Vec<String>,
    #[schema(example = "Mise en commun fusionnée : ses besoins et promesses y ont été transférés")]
    pub title: String,
    /// `ocid`: `identifier` is the open contracting id of the related process.
    #[schema(example = "ocid")]
    pub scheme: String,
    #[schema(example = "ocds-mutua-7")]
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
