//! Pools as Open Contracting Data Standard (OCDS 1.1) releases: a pure mapping, no I/O.
//!
//! One contracting process per pool (`ocid` = `{prefix}-{pool id}`), published as one
//! release that describes the pool as it is now: its `id` carries the state and the
//! instant of the last change, so every change gives a new release id and a release never
//! changes once published.
//!
//! | pool state | `tag` | `tender.status` |
//! |---|---|---|
//! | open, funded | planning | planning |
//! | approved | tender | active |
//! | awarded | award | complete (+ `awards`) |
//! | delivered | contract, implementation | complete (+ `awards`, `contracts` with the repository) |
//! | rejected, cancelled | tenderCancellation | cancelled (+ the reason as a cancellationDetails document) |
//! | expired | tenderUpdate | unsuccessful: funding did not reach the threshold in time |
//! | merged | tenderCancellation | cancelled (+ `relatedProcesses` naming the pool it went into) |
//!
//! Merged pools are published, not left out: a harvester that saw the pool while it was
//! open must learn that it ended and where its needs and pledges went.
//!
//! A maintenance pool (SPEC section 10) names the delivered pool it maintains in
//! `relatedProcesses`, with the relationship `prior` of the OCDS 1.1 `relatedProcess`
//! codelist: "this contracting process is the renewal or replacement of the related prior
//! process". Upkeep renews, for a new period, the delivered process's commitment to the same
//! software, which is what `prior` says from the later process's side. The other codes say
//! something else: `framework` (call-offs of a framework agreement), `planning` (the
//! process that planned this one), `parent` (this one is a sub-contract), `unsuccessfulProcess`
//! (the earlier one failed; the development was delivered), and `subContract`,
//! `replacementProcess`, `renewalProcess` are written on the earlier process about a later
//! one. The codelist is open, but a code of our own would mean nothing to the tools that
//! read OCDS.
//!
//! Money. Every release carries `planning.budget`: `amount` is what the authorities pledged
//! in all and `budgetBreakdown` (the budget breakdown extension, declared in the package)
//! has one entry per pledging authority, its pledge as `amount` and the authority as
//! `sourceParty`. The budget is the money put up, so it is the pledges that add up to it;
//! the estimated cost (the pool's target) is `tender.value`.
//!
//! Parties. The central purchasing office buys on behalf of all the authorities: it is the
//! release's `buyer` and the tender's `procuringEntity`. Each participating authority is a
//! party with role `buyer` (its budget pays), and `funder` when it pledged. Belgian NIS
//! codes are not a scheme of the org-id.guide list that `identifier` expects, so they go in
//! `additionalIdentifiers` with the scheme `BE-NIS`.

mod schema;

use chrono::{DateTime, NaiveDateTime, Utc};

pub use schema::*;

use crate::{
    db::models::{organisation::Organisation, pool::Pool},
    domain::{cpv::CpvCode, money::Cents, pool_state::PoolState},
    mail::templates::format_money,
    service::pool_view::PoolView,
};

/// A pool and when anything about it last changed (its row, or any event recorded for it,
/// such as a need joining).
pub struct PoolSnapshot {
    pub view: PoolView,
    pub last_change: NaiveDateTime,
}

/// What every release of one package shares.
pub struct Publication<'a> {
    pub prefix: &'a str,
    /// The organisation of kind `central_purchasing`, if there is one.
    pub central: Option<&'a Organisation>,
    /// The participating organisations of the pools, for their NIS codes.
    pub organisations: &'a [Organisation],
    /// `(id, title)` of the delivered pools that the maintenance pools of the package
    /// maintain: a related process is named by its tender's title.
    pub maintained: &'a [(i64, String)],
}

/// The package of `releases`, dated by the newest of them (OCDS: a package made on demand
/// carries the date of the last change to its contents).
pub fn package(
    uri: String,
    public_url: &str,
    central: Option<&Organisation>,
    releases: Vec<Release>,
) -> ReleasePackage {
    ReleasePackage {
        uri,
        version: VERSION.to_owned(),
        extensions: vec![BUDGET_BREAKDOWN_EXTENSION.to_owned()],
        published_date: releases.iter().map(|r| r.date).max().unwrap_or_else(Utc::now),
        publisher: Publisher {
            name: central.map_or_else(|| "mutua".to_owned(), |c| c.name.clone()),
            uri: Some(public_url.to_owned()),
        },
        releases,
    }
}

pub fn release(snapshot: &PoolSnapshot, publication: &Publication) -> Release {
    let pool = &snapshot.view.pool;
    let state = pool.state;
    let ocid = format!("{}-{}", publication.prefix, pool.id);
    let date = snapshot.last_change.and_utc();
    let (tag, status) = stage(state);
    let central = publication.central.map(|c| OrganizationReference { id: org_id(c.id), name: c.name.clone() });
    let delivered = state == PoolState::Delivered;
    let awarded = delivered || state == PoolState::Awarded;
    Release {
        id: format!("{ocid}-{state}-{}", date.timestamp_micros()),
        date,
        tag,
        initiation_type: "tender".to_owned(),
        language: "fr".to_owned(),
        parties: parties(&snapshot.view, publication, awarded),
        buyer: central.clone(),
        planning: (state != PoolState::Merged).then(|| planning(&snapshot.view)),
        tender: Tender {
            id: format!("{ocid}-tender"),
            title: pool.title.clone(),
            description: Some(pool.description.clone()).filter(|d| !d.is_empty()),
            status,
            value: pool.target_cents.or(pool.threshold_cents).map(|cents| value(cents, pool)),
            procuring_entity: central,
            items: vec![item(pool)],
            documents: cancellation(pool, state).into_iter().collect(),
        },
        awards: if awarded { vec![award(&ocid, pool)] } else { Vec::new() },
        contracts: if delivered { vec![contract(&ocid, pool)] } else { Vec::new() },
        related_processes: merged_into(publication.prefix, pool)
            .into_iter()
            .chain(maintains(publication, pool))
            .collect(),
        ocid,
    }
}

/// The release tag and tender status of each pool state (see the table above).
fn stage(state: PoolState) -> (Vec<Tag>, TenderStatus) {
    match state {
        PoolState::Open | PoolState::Funded => (vec![Tag::Planning], TenderStatus::Planning),
        PoolState::Approved => (vec![Tag::Tender], TenderStatus::Active),
        PoolState::Awarded => (vec![Tag::Award], TenderStatus::Complete),
        PoolState::Delivered => (vec![Tag::Contract, Tag::Implementation], TenderStatus::Complete),
        PoolState::Rejected | PoolState::Cancelled | PoolState::Merged => {
            (vec![Tag::TenderCancellation], TenderStatus::Cancelled)
        }
        PoolState::Expired => (vec![Tag::TenderUpdate], TenderStatus::Unsuccessful),
    }
}

fn org_id(organisation_id: i64) -> String {
    format!("org-{organisation_id}")
}

/// Suppliers are names, not organisations of mutua: their party id is the pool's.
fn supplier(pool: &Pool) -> Option<OrganizationReference> {
    pool.supplier.as_ref().map(|name| OrganizationReference { id: format!("supplier-{}", pool.id), name: name.clone() })
}

fn value(cents: Cents, pool: &Pool) -> MonetaryValue {
    MonetaryValue { amount: Amount(cents.get()), currency: pool.currency.clone() }
}

fn parties(view: &PoolView, publication: &Publication, awarded: bool) -> Vec<Party> {
    let mut parties: Vec<Party> = Vec::new();
    let mut add = |id: String, name: &str, nis_code: Option<&str>, roles: &[&str]| {
        // One party per organisation, whatever it does: roles add up.
        let index = parties.iter().position(|p| p.id == id).unwrap_or_else(|| {
            parties.push(Party {
                id,
                name: name.to_owned(),
                additional_identifiers: nis_code
                    .map(|code| Identifier { scheme: "BE-NIS".into(), id: code.into(), legal_name: name.into() })
                    .into_iter()
                    .collect(),
                roles: Vec::new(),
            });
            parties.len() - 1
        });
        let party = &mut parties[index];
        for role in roles {
            if !party.roles.iter().any(|r| r == role) {
                party.roles.push((*role).to_owned());
            }
        }
    };
    if let Some(central) = publication.central {
        add(org_id(central.id), &central.name, central.nis_code.as_deref(), &["buyer", "procuringEntity"]);
    }
    for participant in &view.participants {
        let nis_code = publication
            .organisations
            .iter()
            .find(|o| o.id == participant.organisation_id)
            .and_then(|o| o.nis_code.as_deref());
        let roles: &[&str] = if participant.pledged_cents.is_positive() { &["buyer", "funder"] } else { &["buyer"] };
        add(org_id(participant.organisation_id), &participant.name, nis_code, roles);
    }
    if let Some(supplier) = supplier(&view.pool).filter(|_| awarded) {
        add(supplier.id, &supplier.name, None, &["supplier"]);
    }
    parties
}

fn planning(view: &PoolView) -> Planning {
    let pool = &view.pool;
    let budget_breakdown = view
        .participants
        .iter()
        .filter(|p| p.pledged_cents.is_positive())
        .map(|p| BudgetBreakdown {
            id: format!("pledge-{}", org_id(p.organisation_id)),
            description: format!(
                "Promesse de financement de {} (plafond) ; part à payer : {}",
                p.name,
                format_money(p.share_cents.get(), "fr")
            ),
            amount: value(p.pledged_cents, pool),
            source_party: OrganizationReference { id: org_id(p.organisation_id), name: p.name.clone() },
        })
        .collect();
    Planning {
        budget: Budget {
            description: "Promesses de financement des autorités participantes. Chacune paie au plus sa promesse : \
                le coût estimé est réparti au prorata des promesses."
                .to_owned(),
            project: pool.title.clone(),
            amount: value(pool.pledged_cents, pool),
            budget_breakdown,
        },
    }
}

/// The pool's one item, classified by its CPV code when it has one. OCDS data uses the
/// eight digits of a CPV code without its check digit (`48000000`), as TED notices do.
fn item(pool: &Pool) -> Item {
    let classification = pool.cpv_code.as_deref().map(|code| Classification {
        scheme: "CPV".to_owned(),
        id: code.split('-').next().unwrap_or(code).to_owned(),
        description: CpvCode::label(code).unwrap_or(code).to_owned(),
    });
    Item { id: "1".to_owned(), description: pool.title.clone(), classification }
}

fn utc(at: Option<NaiveDateTime>) -> Option<DateTime<Utc>> {
    at.map(|at| at.and_utc())
}

/// Why the office rejected or cancelled the pool.
fn cancellation(pool: &Pool, state: PoolState) -> Option<Document> {
    let (title, at) = match state {
        PoolState::Rejected => ("Motif du rejet", pool.rejected_at),
        PoolState::Cancelled => ("Motif de l'annulation", pool.cancelled_at),
        _ => return None,
    };
    Some(Document {
        id: "cancellation".to_owned(),
        document_type: "cancellationDetails".to_owned(),
        title: title.to_owned(),
        description: pool.reason.clone()?,
        url: None,
        date_published: utc(at),
    })
}

fn award(ocid: &str, pool: &Pool) -> Award {
    Award {
        id: format!("{ocid}-award"),
        status: "active".to_owned(),
        date: utc(pool.awarded_at),
        value: pool.award_cents.map(|cents| value(cents, pool)),
        suppliers: supplier(pool).into_iter().collect(),
        items: vec![item(pool)],
    }
}

/// The delivered development: the contract has come to its end, and its implementation
/// points to the repository of the free software every member may reuse.
fn contract(ocid: &str, pool: &Pool) -> Contract {
    let licence = pool.licence.as_deref().unwrap_or("libre");
    Contract {
        id: format!("{ocid}-contract"),
        award_id: format!("{ocid}-award"),
        status: "terminated".to_owned(),
        value: pool.award_cents.map(|cents| value(cents, pool)),
        items: vec![item(pool)],
        period: utc(pool.delivered_at).map(|end_date| Period { end_date }),
        implementation: Implementation {
            documents: vec![Document {
                id: "repository".to_owned(),
                document_type: "completionCertificate".to_owned(),
                title: "Code source livré".to_owned(),
                description: format!(
                    "Dépôt du logiciel livré, sous licence {licence} : chaque membre peut le réutiliser."
                ),
                url: pool.repository_url.clone(),
                date_published: utc(pool.delivered_at),
            }],
        },
    }
}

fn merged_into(prefix: &str, pool: &Pool) -> Option<RelatedProcess> {
    let into = pool.merged_into_pool_id?;
    Some(RelatedProcess {
        id: "merged-into".to_owned(),
        relationship: Vec::new(),
        title: "Mise en commun fusionnée : ses besoins et promesses y ont été transférés".to_owned(),
        scheme: "ocid".to_owned(),
        identifier: format!("{prefix}-{into}"),
    })
}

/// The delivered pool a maintenance pool maintains (see the module documentation for the
/// relationship code).
fn maintains(publication: &Publication, pool: &Pool) -> Option<RelatedProcess> {
    let delivered = pool.maintains_pool_id?;
    let title = publication.maintained.iter().find(|(id, _)| *id == delivered).map(|(_, title)| title.clone());
    Some(RelatedProcess {
        id: "maintains".to_owned(),
        relationship: vec!["prior".to_owned()],
        title: title.unwrap_or_else(|| format!("Pool n° {delivered}")),
        scheme: "ocid".to_owned(),
        identifier: format!("{}-{delivered}", publication.prefix),
    })
}
