//! Importing organisations and their users from a CSV file (SPEC §14): the same plan for
//! the preview, the dry run and the import, so that what is shown is what is done.
//!
//! Each line of the file ([`crate::domain::import`]) is judged against the database and
//! the lines before it: its organisation (matched by enterprise number, else by NIS code
//! among organisations of its kind, since a commune and its CPAS share one, else by name,
//! ignoring case) is created, updated or unchanged, and so is its user (matched by email).
//! An optional column left empty keeps what is recorded. Applying is all or nothing: a
//! plan with an error changes nothing. Created users are invited; a file imported again
//! changes nothing and sends nothing.

use crate::{
    auth::Officer,
    db::{
        Tx, WriteTx,
        models::{
            organisation::{self, Organisation},
            user::{self, User},
        },
    },
    domain::{
        import::{ImportLine, ImportUser, Reason},
        kinds::{OrganisationKind, Role},
        organisation::OrganisationInput,
    },
    error::ApiResult,
};

/// Who imports: an officer on the page, or the operator with `mutua import`.
#[derive(Clone, Copy, Debug)]
pub enum Importer<'a> {
    Officer(&'a Officer),
    CommandLine,
}

impl<'a> From<&'a Officer> for Importer<'a> {
    fn from(officer: &'a Officer) -> Self {
        Self::Officer(officer)
    }
}

impl Importer<'_> {
    /// The user recorded as the author of the events (none from the command line).
    fn actor(&self) -> Option<i64> {
        match self {
            Self::Officer(officer) => Some(officer.id),
            Self::CommandLine => None,
        }
    }
}

/// What a line does to one thing it describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Unchanged,
    Update,
    Create,
    Error,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unchanged => "unchanged",
            Self::Update => "update",
            Self::Create => "create",
            Self::Error => "error",
        }
    }
}

/// The verdict on one line: what happens to its organisation and its user, or why it
/// cannot be imported.
#[derive(Clone, Debug)]
pub struct LineVerdict {
    pub line: u64,
    pub action: Action,
    /// The organisation's name as the line gives it (empty when unreadable).
    pub organisation: String,
    pub organisation_action: Option<Action>,
    pub user: Option<String>,
    pub user_action: Option<Action>,
    pub reasons: Vec<Reason>,
}

/// The verdicts of a whole file, and whether it was applied.
#[derive(Clone, Debug)]
pub struct Report {
    pub lines: Vec<LineVerdict>,
    pub applied: bool,
    /// The users created (and invited) by applying it.
    pub invited: Vec<i64>,
}

impl Report {
    /// The numbers of the lines in error.
    pub fn error_lines(&self) -> Vec<u64> {
        self.lines.iter().filter(|l| l.action == Action::Error).map(|l| l.line).collect()
    }

    /// How many lines of each action.
    pub fn count(&self, action: Action) -> usize {
        self.lines.iter().filter(|l| l.action == action).count()
    }
}

/// One line of a report as the command line prints it (in English, as its other output).
pub fn describe(line: &LineVerdict) -> String {
    let mut text = format!("line {}: {}", line.line, line.action.as_str());
    if let Some(action) = line.organisation_action {
        text.push_str(&format!(" | organisation {:?}: {}", line.organisation, action.as_str()));
    }
    if let (Some(user), Some(action)) = (&line.user, line.user_action) {
        text.push_str(&format!(" | user {user}: {}", action.as_str()));
    }
    for reason in &line.reasons {
        text.push_str(&format!(" | {reason}"));
    }
    text
}

/// An organisation of the plan: its description once the file is applied.
struct PlannedOrganisation {
    target: OrganisationInput,
    existing: Option<Organisation>,
    line: u64,
}

struct PlannedUser {
    organisation: usize,
    user: ImportUser,
    existing: Option<User>,
}

#[derive(Default)]
struct Plan {
    organisations: Vec<PlannedOrganisation>,
    users: Vec<PlannedUser>,
    verdicts: Vec<LineVerdict>,
}

/// The verdicts, without changing anything (the preview and `--dry-run`).
pub fn preview(tx: &mut Tx, _: Importer<'_>, lines: &[ImportLine]) -> ApiResult<Report> {
    let plan = plan(tx, lines)?;
    Ok(Report { lines: plan.verdicts, applied: false, invited: Vec::new() })
}

/// Applies the file if no line is in error; otherwise changes nothing. Created users are
/// invited (one email each), in the same transaction.
pub fn apply(tx: &mut WriteTx, importer: Importer<'_>, lines: &[ImportLine]) -> ApiResult<Report> {
    let plan = plan(tx, lines)?;
    if plan.verdicts.iter().any(|v| v.action == Action::Error) {
        return Ok(Report { lines: plan.verdicts, applied: false, invited: Vec::new() });
    }
    let mut ids = Vec::with_capacity(plan.organisations.len());
    for planned in &plan.organisations {
        let id = match &planned.existing {
            None => super::organisations::insert_imported(tx, &planned.target)?.id,
            Some(existing) if changes(existing, &planned.target) => {
                super::organisations::update_imported(tx, existing.id, &planned.target)?.id
            }
            Some(existing) => existing.id,
        };
        ids.push(id);
    }
    let mut invited = Vec::new();
    for planned in &plan.users {
        let organisation_id = ids[planned.organisation];
        match &planned.existing {
            None => invited.push(super::users::invite_imported(tx, importer.actor(), organisation_id, &planned.user)?),
            Some(existing) => super::users::update_imported(tx, importer.actor(), existing, &planned.user)?,
        }
    }
    Ok(Report { lines: plan.verdicts, applied: true, invited })
}

fn plan(tx: &mut Tx, lines: &[ImportLine]) -> ApiResult<Plan> {
    let mut plan = Plan::default();
    for line in lines {
        let verdict = match &line.content {
            Err(reasons) => LineVerdict {
                line: line.line,
                action: Action::Error,
                organisation: String::new(),
                organisation_action: None,
                user: None,
                user_action: None,
                reasons: reasons.clone(),
            },
            Ok((organisation, user)) => judge(tx, &mut plan, line.line, organisation, user.as_ref())?,
        };
        plan.verdicts.push(verdict);
    }
    Ok(plan)
}

fn judge(
    tx: &mut Tx,
    plan: &mut Plan,
    line: u64,
    input: &OrganisationInput,
    user: Option<&ImportUser>,
) -> ApiResult<LineVerdict> {
    let mut reasons = Vec::new();
    let (index, organisation_action) = match plan.organisations.iter().position(|p| same(&p.target, input)) {
        Some(index) => {
            let earlier = &plan.organisations[index];
            if merged(earlier.existing.as_ref(), input) == earlier.target {
                (Some(index), Action::Unchanged)
            } else {
                reasons.push(Reason::DescribedOtherwise { name: earlier.target.name.clone(), line: earlier.line });
                (None, Action::Error)
            }
        }
        None => {
            let existing = find(tx, input)?;
            if let (Some(found), Some(bce)) = (&existing, &input.bce) {
                if let Some(recorded) = found.bce.as_deref().filter(|b| *b != bce.as_str()) {
                    reasons.push(Reason::OtherBce {
                        name: found.name.clone(),
                        id: found.id,
                        recorded: recorded.to_owned(),
                    });
                }
            }
            let target = merged(existing.as_ref(), input);
            reasons.extend(conflicts(tx, plan, existing.as_ref().map(|o| o.id), &target)?);
            let action = match &existing {
                None => Action::Create,
                Some(found) if changes(found, &target) => Action::Update,
                Some(_) => Action::Unchanged,
            };
            if reasons.is_empty() {
                plan.organisations.push(PlannedOrganisation { target, existing, line });
                (Some(plan.organisations.len() - 1), action)
            } else {
                (None, Action::Error)
            }
        }
    };
    let user_action = match user {
        None => None,
        Some(user) => Some(judge_user(tx, plan, index, input.kind, user, &mut reasons)?),
    };
    let action = if reasons.is_empty() {
        organisation_action.max(user_action.unwrap_or(Action::Unchanged))
    } else {
        Action::Error
    };
    Ok(LineVerdict {
        line,
        action,
        organisation: input.name.clone(),
        organisation_action: Some(organisation_action),
        user: user.map(|u| u.email.as_str().to_owned()),
        user_action,
        reasons,
    })
}

fn judge_user(
    tx: &mut Tx,
    plan: &mut Plan,
    organisation: Option<usize>,
    kind: OrganisationKind,
    user: &ImportUser,
    reasons: &mut Vec<Reason>,
) -> ApiResult<Action> {
    let before = reasons.len();
    if plan.users.iter().any(|u| u.user.email == user.email) {
        let line = plan.verdicts.iter().find(|v| v.user.as_deref() == Some(user.email.as_str())).map_or(0, |v| v.line);
        reasons.push(Reason::UserOnLine { email: user.email.as_str().to_owned(), line });
    }
    if (user.role == Role::Officer) != (kind == OrganisationKind::CentralPurchasing) {
        reasons.push(Reason::RoleMismatch);
    }
    let existing = user::find_by_email(tx, user.email.as_str())?;
    let own = organisation.and_then(|i| plan.organisations[i].existing.as_ref()).map(|o| o.id);
    if let Some(found) = &existing {
        if Some(found.organisation_id) != own {
            let other = organisation::find(tx, found.organisation_id)?;
            reasons.push(Reason::UserOfOther {
                email: user.email.as_str().to_owned(),
                organisation: other.name,
                id: other.id,
            });
        }
    }
    let Some(organisation) = organisation.filter(|_| reasons.len() == before) else {
        return Ok(Action::Error);
    };
    let action = match &existing {
        None => Action::Create,
        Some(found) if found.name != user.name || found.role != user.role => Action::Update,
        Some(_) => Action::Unchanged,
    };
    plan.users.push(PlannedUser { organisation, user: user.clone(), existing });
    Ok(action)
}

/// The organisation a line names: by enterprise number, else by NIS code among those of its
/// kind, else by name (ignoring case).
fn find(tx: &mut Tx, input: &OrganisationInput) -> ApiResult<Option<Organisation>> {
    if let Some(bce) = &input.bce {
        if let Some(found) = organisation::find_by_bce(tx, bce.as_str())? {
            return Ok(Some(found));
        }
    }
    if let Some(nis_code) = &input.nis_code {
        if let Some(found) = organisation::find_by_nis_code(tx, nis_code, input.kind)? {
            return Ok(Some(found));
        }
    }
    Ok(organisation::find_by_name(tx, &input.name)?)
}

/// Whether a planned organisation is the one a later line names (the same keys as [`find`]).
fn same(planned: &OrganisationInput, line: &OrganisationInput) -> bool {
    match (&line.bce, &line.nis_code) {
        (Some(bce), _) if planned.bce.as_ref() == Some(bce) => true,
        (_, Some(nis)) if planned.nis_code.as_ref() == Some(nis) && planned.kind == line.kind => true,
        _ => planned.name.to_lowercase() == line.name.to_lowercase(),
    }
}

/// The line's description over what is recorded: empty optional columns keep the recorded
/// value, and the population (not a column) is kept.
fn merged(existing: Option<&Organisation>, input: &OrganisationInput) -> OrganisationInput {
    let Some(existing) = existing else { return input.clone() };
    let keep = |given: &Option<String>, recorded: &Option<String>| given.clone().or_else(|| recorded.clone());
    OrganisationInput {
        nis_code: keep(&input.nis_code, &existing.nis_code),
        population: existing.population,
        contact_email: input
            .contact_email
            .clone()
            .or_else(|| existing.contact_email.as_deref().and_then(|e| crate::domain::email::Email::parse(e).ok())),
        bce: input.bce.clone().or_else(|| existing.bce.as_deref().and_then(|b| crate::domain::bce::Bce::parse(b).ok())),
        ..input.clone()
    }
}

/// Whether applying `target` changes what is recorded.
fn changes(existing: &Organisation, target: &OrganisationInput) -> bool {
    existing.name != target.name
        || existing.kind != target.kind
        || existing.locale != target.locale
        || existing.nis_code != target.nis_code
        || existing.contact_email.as_deref() != target.contact_email.as_ref().map(|e| e.as_str())
        || existing.bce.as_deref() != target.bce.as_ref().map(|b| b.as_str())
}

/// A name or an enterprise number taken by another organisation, recorded or planned.
fn conflicts(tx: &mut Tx, plan: &Plan, own: Option<i64>, target: &OrganisationInput) -> ApiResult<Vec<Reason>> {
    let mut reasons = Vec::new();
    if let Some(other) = organisation::find_by_name(tx, &target.name)?.filter(|o| Some(o.id) != own) {
        reasons.push(Reason::NameTaken { name: other.name, id: other.id });
    }
    if let Some(bce) = &target.bce {
        if let Some(other) = organisation::find_by_bce(tx, bce.as_str())?.filter(|o| Some(o.id) != own) {
            reasons.push(Reason::BceTaken { bce: bce.as_str().to_owned(), name: other.name, id: other.id });
        }
    }
    for planned in &plan.organisations {
        let other_id = planned.existing.as_ref().map(|o| o.id);
        if other_id.is_some() && other_id == own {
            continue;
        }
        if planned.target.name.to_lowercase() == target.name.to_lowercase() {
            reasons.push(Reason::NameOnLine { name: target.name.clone(), line: planned.line });
        } else if planned.target.bce.is_some() && planned.target.bce == target.bce {
            reasons.push(Reason::BceOnLine { line: planned.line });
        }
    }
    Ok(reasons)
}
