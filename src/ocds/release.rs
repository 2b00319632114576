//! A snapshot of a pool ([`super::fold`]) as an OCDS release (the table of the module
//! documentation of [`crate::ocds`]).

use chrono::{NaiveDate, NaiveDateTime};

use super::{
    fold::{PoolFacts, Snapshot, Standing, Step},
    prefix::OcidPrefix,
    schema::*,
};
use crate::{
    db::models::organisation::Organisation,
    domain::{cpv::CpvCode, format, kinds::Locale, money::Cents, pool_state::PoolState, shares},
};

/// Pools are in euros (SPEC section 3); the events do not repeat it.
const CURRENCY: &str = "EUR";

/// What the releases of one export share.
pub struct Publication<'a> {
    pub prefix: &'a OcidPrefix,
    /// The organisation of kind `central_purchasing`, if there is one.
    pub central: Option<&'a Organisation>,
    /// The organisations the snapshots name, as they are now (their names and NIS codes).
    pub organisations: &'a [Organisation],
}

impl Publication<'_> {
    fn name(&self, organisation: i64) -> String {
        self.organisation(organisation).map_or_else(|| format!("Organisation n° {organisation}"), |o| o.name.clone())
    }

    fn organisation(&self, organisation: i64) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == organisation)
    }

    fn reference(&self, organisation: i64) -> OrganizationReference {
        OrganizationReference { id: org_id(organisation), name: self.name(organisation) }
    }
}

/// The release of one event of a pool.
pub fn release(snapshot: &Snapshot, publication: &Publication) -> Release {
    let facts = &snapshot.facts;
    let ocid = publication.prefix.ocid(facts.pool_id);
    let central = publication.central.map(|c| OrganizationReference { id: org_id(c.id), name: c.name.clone() });
    Release {
        id: format!("{ocid}-{}", snapshot.event_id),
        date: instant(snapshot.at),
        tag: snapshot.tags.clone(),
        initiation_type: "tender".to_owned(),
        language: "fr".to_owned(),
        parties: parties(facts, publication),
        buyer: central.clone(),
        planning: planning(facts, publication),
        tender: Tender {
            id: format!("{ocid}-tender"),
            title: facts.title.clone(),
            description: description(facts),
            status: status(facts.state),
            value: estimate(facts),
            procuring_entity: central,
            items: vec![item(facts)],
            documents: cancellation(facts).into_iter().collect(),
            amendments: amendments(facts),
            contract_period: period(facts),
        },
        awards: award(&ocid, facts).into_iter().collect(),
        contracts: contract(&ocid, facts).into_iter().collect(),
        related_processes: related(publication.prefix, facts),
        ocid,
    }
}

/// The redactions of the pool's text, oldest first: the text of every release of the
/// process was replaced, and this says when and why (never what was there).
fn amendments(facts: &PoolFacts) -> Vec<Amendment> {
    facts
        .redactions
        .iter()
        .enumerate()
        .map(|(i, redacted)| Amendment {
            id: format!("redaction-{}", i + 1),
            date: instant(redacted.at),
            rationale: redacted.reason.clone(),
            description: format!(
                "Texte remplacé dans toutes les publications de ce processus ({}) ; le texte retiré n'est plus publié.",
                redacted.fields
            ),
        })
        .collect()
}

fn instant(at: NaiveDateTime) -> Instant {
    Instant(at.and_utc())
}

fn org_id(organisation_id: i64) -> String {
    format!("org-{organisation_id}")
}

fn money(cents: i64) -> MonetaryValue {
    MonetaryValue { amount: Some(Amount(cents)), currency: Some(CURRENCY) }
}

/// The tender status of each pool state.
fn status(state: PoolState) -> TenderStatus {
    match state {
        PoolState::Open => TenderStatus::Planning,
        PoolState::Funded => TenderStatus::Planned,
        PoolState::Approved => TenderStatus::Active,
        PoolState::Awarded | PoolState::Delivered => TenderStatus::Complete,
        PoolState::Rejected | PoolState::Cancelled | PoolState::Merged => TenderStatus::Cancelled,
        PoolState::Expired => TenderStatus::Unsuccessful,
    }
}

/// The description; `null` once emptied after being given.
fn description(facts: &PoolFacts) -> Option<Option<String>> {
    match facts.description.as_deref() {
        Some(d) if !d.is_empty() => Some(Some(d.to_owned())),
        _ if facts.described => Some(None),
        _ => None,
    }
}

/// The estimated cost; amount and currency `null` once cleared after being given.
fn estimate(facts: &PoolFacts) -> Option<MonetaryValue> {
    match facts.estimate() {
        Some(cents) => Some(money(cents)),
        None if facts.estimated => Some(MonetaryValue { amount: None, currency: None }),
        None => None,
    }
}

/// Every organisation that took part stays a party: `buyer` (its budget pays) while it
/// has a need or a pledge, `funder` while it pledges, `interestedParty` once it no longer
/// takes part. The central purchasing office buys for all of them.
fn parties(facts: &PoolFacts, publication: &Publication) -> Vec<Party> {
    let mut parties: Vec<Party> = Vec::new();
    let mut add = |id: String, name: String, known: Option<&Organisation>, roles: &[&'static str]| {
        // One party per organisation, whatever it does: roles add up.
        let index = parties.iter().position(|p| p.id == id).unwrap_or_else(|| {
            let scheme = |scheme: &str, code: &str| Identifier {
                scheme: scheme.into(),
                id: code.into(),
                legal_name: name.clone(),
            };
            parties.push(Party {
                id,
                identifier: known.and_then(|o| o.bce.as_deref()).map(|bce| scheme("BE-BCE_KBO", bce)),
                additional_identifiers: known
                    .and_then(|o| o.nis_code.as_deref())
                    .map(|code| scheme("BE-NIS", code))
                    .into_iter()
                    .collect(),
                name,
                roles: Vec::new(),
            });
            parties.len() - 1
        });
        for role in roles {
            if !parties[index].roles.contains(role) {
                parties[index].roles.push(role);
            }
        }
    };
    if let Some(central) = publication.central {
        add(org_id(central.id), central.name.clone(), Some(central), &["buyer", "procuringEntity"]);
    }
    for &organisation in &facts.organisations {
        let roles: &[&str] = match (facts.takes_part(organisation), facts.pledged(organisation) > 0) {
            (true, true) => &["buyer", "funder"],
            (true, false) => &["buyer"],
            (false, _) => &["interestedParty"],
        };
        add(org_id(organisation), publication.name(organisation), publication.organisation(organisation), roles);
    }
    if let Some(supplier) = supplier(facts) {
        add(supplier.id, supplier.name, None, &["supplier"]);
    }
    parties
}

/// Suppliers are names, not organisations of mutua: their party id is the pool's.
fn supplier(facts: &PoolFacts) -> Option<OrganizationReference> {
    let name = facts.awarded.as_ref()?.text.clone()?;
    Some(OrganizationReference { id: format!("supplier-{}", facts.pool_id), name })
}

/// The budget is the money the authorities put up: their pledges add up to it, one
/// breakdown entry each (kept at zero once withdrawn). Shares are split as the pool's
/// participants are (SPEC section 4).
fn planning(facts: &PoolFacts, publication: &Publication) -> Planning {
    let participants: Vec<i64> = facts.organisations.iter().copied().filter(|o| facts.takes_part(*o)).collect();
    let amounts: Vec<Cents> = participants.iter().map(|o| Cents::new(facts.pledged(*o))).collect();
    let pledged = amounts.iter().fold(0i64, |sum, a| sum.saturating_add(a.get()));
    let payable = shares::payable(Cents::new(pledged), facts.target_cents.map(Cents::new));
    let split = shares::split(payable, &amounts);
    let share = |organisation: i64| participants.iter().position(|o| *o == organisation).map_or(0, |i| split[i].get());
    let budget_breakdown = facts
        .pledges
        .iter()
        .map(|(&organisation, pledge)| {
            let name = publication.name(organisation);
            let pays = format!("part à payer : {}", format::money(Cents::new(share(organisation)), Locale::Fr));
            let description = match &pledge.standing {
                Standing::Pledged => format!("Promesse de financement de {name} (plafond) ; {pays}"),
                Standing::Confirmed { decision_ref, decision_date, decided_by } => format!(
                    "Promesse de financement de {name} (plafond), confirmée par décision {}{}{} ; {pays}",
                    body(decided_by.as_deref()),
                    decision_date.as_deref().map(|d| format!(" du {d}")).unwrap_or_default(),
                    decision_ref.as_deref().map(|r| format!(" (réf. {r})")).unwrap_or_default(),
                ),
                Standing::Withdrawn => format!("Promesse de financement de {name} retirée"),
                Standing::Dropped { reason } => {
                    format!("Promesse de financement de {name} retirée par la centrale d'achat : {reason}")
                }
                Standing::Refused { decision_ref, decision_date } => format!(
                    "Promesse de financement de {name} refusée par décision{}{}",
                    decision_date.as_deref().map(|d| format!(" du {d}")).unwrap_or_default(),
                    decision_ref.as_deref().map(|r| format!(" (réf. {r})")).unwrap_or_default(),
                ),
                Standing::MovedTo(into) => format!(
                    "Promesse de financement de {name} transférée à la mise en commun {}",
                    into.map_or_else(|| "qui a reçu celle-ci".to_owned(), |into| publication.prefix.ocid(into))
                ),
            };
            BudgetBreakdown {
                id: format!("pledge-{}", org_id(organisation)),
                description,
                amount: money(pledge.amount_cents),
                source_party: publication.reference(organisation),
            }
        })
        .collect();
    Planning {
        budget: Budget {
            description: "Promesses de financement des autorités participantes. Chacune paie au plus sa promesse : \
                le coût estimé est réparti au prorata des promesses."
                .to_owned(),
            project: facts.title.clone(),
            amount: money(pledged),
            budget_breakdown,
        },
    }
}

/// The body that decided, as a council decision names it.
fn body(decided_by: Option<&str>) -> &'static str {
    match decided_by {
        Some("college") => "du collège",
        Some("conseil") => "du conseil",
        Some("bureau_permanent") => "du bureau permanent",
        Some("zone_council") => "du conseil de zone",
        _ => "de l'organe compétent",
    }
}

/// The pool's one item, classified by its CPV code when it has one. OCDS data uses the
/// eight digits of a CPV code without its check digit (`48000000`), as TED notices do.
fn item(facts: &PoolFacts) -> Item {
    let classification = facts.cpv_code.as_deref().map(|code| Classification {
        scheme: "CPV".to_owned(),
        id: code.split('-').next().unwrap_or(code).to_owned(),
        description: CpvCode::label(code, Locale::En).unwrap_or(code).to_owned(),
    });
    Item { id: "1".to_owned(), description: facts.title.clone(), classification }
}

/// Why the office rejected or cancelled the pool.
fn cancellation(facts: &PoolFacts) -> Option<Document> {
    let ended = facts.ended.as_ref()?;
    let title = if facts.state == PoolState::Rejected { "Motif du rejet" } else { "Motif de l'annulation" };
    Some(Document {
        id: "cancellation".to_owned(),
        document_type: "cancellationDetails".to_owned(),
        title: title.to_owned(),
        description: ended.text.clone()?,
        url: None,
        date_published: instant(ended.at),
    })
}

/// The period of upkeep of a maintenance pool, first and last day included.
fn period(facts: &PoolFacts) -> Option<Period> {
    let day = |d: NaiveDate, h, m, s| d.and_hms_opt(h, m, s).map(instant);
    match facts.period {
        (Some(start), Some(end)) => Some(Period { start_date: day(start, 0, 0, 0), end_date: day(end, 23, 59, 59) }),
        _ => None,
    }
}

fn award(ocid: &str, facts: &PoolFacts) -> Option<Award> {
    let awarded = facts.awarded.as_ref()?;
    Some(Award {
        id: format!("{ocid}-award"),
        status: "active",
        date: instant(awarded.at),
        value: awarded.amount_cents.map(money),
        suppliers: supplier(facts).into_iter().collect(),
        items: vec![item(facts)],
    })
}

/// The delivered development: the contract has come to its end, and its implementation
/// points to the repository of the free software every member may reuse.
fn contract(ocid: &str, facts: &PoolFacts) -> Option<Contract> {
    let delivered: &Step = facts.delivered.as_ref()?;
    let licence = delivered.licence.as_deref().unwrap_or("libre");
    Some(Contract {
        id: format!("{ocid}-contract"),
        award_id: format!("{ocid}-award"),
        status: "terminated",
        value: facts.awarded.as_ref().and_then(|a| a.amount_cents).map(money),
        items: vec![item(facts)],
        period: Some(Period { start_date: None, end_date: Some(instant(delivered.at)) }),
        implementation: Implementation {
            documents: vec![Document {
                id: "repository".to_owned(),
                document_type: "completionCertificate".to_owned(),
                title: "Code source livré".to_owned(),
                description: format!(
                    "Dépôt du logiciel livré, sous licence {licence} : chaque membre peut le réutiliser."
                ),
                url: delivered.text.clone(),
                date_published: instant(delivered.at),
            }],
        },
    })
}

/// The pools this one went into, received, or maintains.
fn related(prefix: &OcidPrefix, facts: &PoolFacts) -> Vec<RelatedProcess> {
    let process = |id: String, relationship: Vec<&'static str>, title: &str, pool: i64| RelatedProcess {
        id,
        relationship,
        title: title.to_owned(),
        scheme: "ocid",
        identifier: prefix.ocid(pool),
    };
    let mut related = Vec::new();
    if let Some(into) = facts.merged_into {
        let title = "Mise en commun fusionnée : ses besoins et promesses y ont été transférés";
        related.push(process("merged-into".to_owned(), Vec::new(), title, into));
    }
    for &from in &facts.merged_from {
        let title = "Mise en commun fusionnée dans celle-ci : ses besoins et promesses y ont été transférés";
        related.push(process(format!("merged-from-{from}"), Vec::new(), title, from));
    }
    if let Some(delivered) = facts.maintains {
        // `prior`: this process renews, for a new period, the delivered process's commitment
        // to the same software (relatedProcess codelist).
        // Events recorded before the delivered pool's title was noted fall back to a phrase.
        let title = facts
            .maintains_title
            .as_deref()
            .unwrap_or("Logiciel livré dont cette mise en commun finance la maintenance");
        related.push(process("maintains".to_owned(), vec!["prior"], title, delivered));
    }
    related
}
