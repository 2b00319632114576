//! The forms of a pool's page: a member's pledge, the officers' decisions and procurement
//! steps. Each runs the API's service function in one unit of work and answers `303` back
//! to the pool, or the pool's page again with the error beside the form's field and the
//! values typed kept.

use std::collections::HashMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode, web};
use chrono::{NaiveDate, Utc};

use super::{
    confirm::{self, Question},
    id_of, pools,
};
use crate::{
    auth::WebUser,
    db::{WriteTx, models::pool::Pool},
    domain::{
        council::{self, Confirmation, Refusal},
        delivery, format,
        kinds::{DecidedBy, Locale},
        maintenance::{self, OpenMaintenance},
        money::Cents,
        pool_state::PoolState,
        text,
    },
    error::{ApiError, ApiResult},
    service::{self, pool_view::PoolPage, pools::Step, redaction::RedactInput},
    state::AppState,
    web::{
        forms::{FormErrors, shown_with_the_form},
        i18n,
        page::{Page, PageError},
    },
};

/// A form's fields as posted.
type Fields = web::Form<HashMap<String, String>>;

/// One form of a pool's page.
struct Form<A> {
    /// The form's name: the prefix of its fields' ids.
    name: &'static str,
    /// Where an error that belongs to no field is shown.
    first_field: &'static str,
    /// The API's names of fields whose form names differ.
    renamed: &'static [(&'static str, &'static str)],
    /// What the fields ask for, or the errors of each field, in a language.
    parse: fn(&HashMap<String, String>, Locale) -> Result<A, FormErrors>,
    /// The service call, in the unit of work; returns the pool to go back to. It takes the
    /// capability the service asks for from the person ([`WebUser::officer`],
    /// [`WebUser::member`]), which refuses the other role as the API does.
    run: fn(&mut WriteTx, &WebUser, i64, A, &AppState) -> ApiResult<Pool>,
    /// What the pool's page then says was done (a name of [`crate::web::page::FLASHES`]).
    flash: &'static str,
    /// For a destructive or binding action: the question it asks first, given the pool as
    /// it is, what was asked and the person's organisation (`None`: nothing to confirm).
    ask: Option<Ask<A>>,
}

/// The question an action asks before it is done, if it asks one.
type Ask<A> = fn(&PoolPage, &A, i64, Locale) -> Option<Question>;

impl<A: Send + 'static> Form<A> {
    /// Checks the token, parses, runs the service in one unit of work for the signed-in
    /// person, and answers `303` to the pool; or the pool's page with the errors.
    async fn submit(self, page: Page, raw_id: &str, fields: Fields) -> Result<HttpResponse, PageError> {
        let mut values = fields.into_inner();
        let token = values.remove("csrf_token").unwrap_or_default();
        page.check_csrf(&token)?;
        let confirmed = values.remove(confirm::FIELD).is_some_and(|v| v == confirm::YES);
        let id = id_of(&page, raw_id)?;
        let parse = self.parse;
        let action = match parse(&values, page.form_lang().await?) {
            Ok(action) => action,
            Err(_) => {
                let kept = values.clone();
                let errors = move |lang| parse(&values, lang).err().unwrap_or_default();
                return pools::again(&page, id, kept, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        };
        if let (Some(ask), false) = (self.ask, confirmed) {
            let (user, found) = page.read(move |tx, _| service::pool_view::page(tx, id)).await?;
            // Only the role that may act is asked (the other is refused as the API does).
            let allowed = if officer_step(self.name) { user.officer().map(drop) } else { user.member().map(drop) };
            allowed.map_err(|refused| page.fail(Some(&user), refused))?;
            let lang = page.lang(Some(&user));
            if let Some(question) = ask(&found, &action, user.auth.organisation_id, lang) {
                let back = format!("/pools/{id}");
                return confirm::page(&page, &user, question, page.here_action(), values, &back);
            }
        }
        let (run, state) = (self.run, page.state.clone());
        let outcome = page.attempt(move |tx, user| run(tx, user, id, action, &state)).await;
        match outcome {
            Ok((_, pool)) => Ok(page.done(&format!("/pools/{}", pool.id), self.flash)),
            Err(refused) if shown_with_the_form(&refused) => {
                let status = refused.status_code();
                let (name, first, renamed) = (self.name, self.first_field, self.renamed);
                let errors = move |lang| FormErrors::refused(lang, name, first, renamed, &refused);
                pools::again(&page, id, values, errors, status).await
            }
            Err(other) => Err(page.fail(None, other)),
        }
    }
}

fn field<'a>(values: &'a HashMap<String, String>, name: &str) -> &'a str {
    values.get(name).map_or("", String::as_str)
}

fn nothing(_: &HashMap<String, String>, _: Locale) -> Result<(), FormErrors> {
    Ok(())
}

/// `POST /pools/{id}/pledge` (members): field `amount`, in euros as people write them.
pub async fn pledge(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    Form {
        name: "pledge",
        first_field: "amount",
        renamed: &[("amount_cents", "amount")],
        parse: |values, lang| {
            let mut errors = FormErrors::new("pledge");
            errors.amount(lang, "amount", field(values, "amount")).ok_or(errors)
        },
        run: |tx, user, id, amount: Cents, _| service::pledges::set(tx, user.member()?, id, amount),
        flash: "pledge-set",
        ask: Some(|found, amount, organisation, lang| {
            let pool = &found.view.pool;
            // A pledge the service refuses (above the cost, or no cost yet) asks nothing: the
            // refusal comes at once, with the form.
            crate::domain::pledge_rules::check_amount(pool.target_cents, *amount).ok()?;
            let threshold = pool.effective_threshold().filter(|_| pool.state == PoolState::Open)?;
            let own = own_pledge(found, organisation).unwrap_or(Cents::ZERO);
            let after = pool.pledged_cents.get().saturating_sub(own.get()).saturating_add(amount.get());
            (after >= threshold.get()).then(|| {
                let amount = format::money(*amount, lang);
                Question {
                    text: i18n::fill(
                        lang,
                        "confirm.pledge_funds",
                        &[
                            ("amount", &amount),
                            ("pool", &title(found, lang)),
                            ("threshold", &format::money(threshold, lang)),
                        ],
                    ),
                    submit: i18n::fill(lang, "confirm.pledge_funds.submit", &[("amount", &amount)]),
                    warning: false,
                }
            })
        }),
    }
    .submit(page, &path, fields)
    .await
}

/// `POST /pools/{id}/pledge/withdraw` (members): withdraws the organisation's pledge while
/// the pool is open; with the fields `decision_ref` and `decision_date` (the refusal form),
/// records that the council refused the provisional pledge, even of a funded pool (the API's
/// `DELETE …/pledge` with a body).
pub async fn withdraw_pledge(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    if fields.contains_key("decision_ref") || fields.contains_key("decision_date") {
        return Form {
            name: "refuse",
            first_field: "decision_ref",
            renamed: &[],
            parse: |values, lang| {
                let mut errors = FormErrors::new("refuse");
                let (reference, date) = decision(&mut errors, values, lang);
                match (reference, date) {
                    (Some(reference), Some(date)) => Ok(Refusal { reference, date }),
                    _ => Err(errors),
                }
            },
            run: |tx, user, id, refusal, _| service::pledges::refuse(tx, user.member()?, id, refusal),
            flash: "pledge-refused",
            ask: Some(|found, refusal: &Refusal, organisation, lang| {
                let amount = format::money(own_pledge(found, organisation)?, lang);
                let words =
                    [("decision", refusal.reference.as_str()), ("pool", &title(found, lang)), ("amount", &amount)];
                Some(Question::warning(lang, "confirm.refuse", &words))
            }),
        }
        .submit(page, &path, fields)
        .await;
    }
    Form {
        name: "withdraw",
        first_field: "submit",
        renamed: &[],
        parse: nothing,
        run: |tx, user, id, (), _| service::pledges::withdraw(tx, user.member()?, id),
        flash: "pledge-withdrawn",
        ask: Some(|found, (), organisation, lang| {
            let amount = format::money(own_pledge(found, organisation)?, lang);
            Some(Question::warning(
                lang,
                "confirm.withdraw_pledge",
                &[("amount", &amount), ("pool", &title(found, lang))],
            ))
        }),
    }
    .submit(page, &path, fields)
    .await
}

/// The reference and date of a council's decision, as typed: the reference as in the
/// minutes, the date as people write it, not in the future.
fn decision(
    errors: &mut FormErrors,
    values: &HashMap<String, String>,
    lang: Locale,
) -> (Option<String>, Option<NaiveDate>) {
    let reference = errors.text(
        lang,
        "decision_ref",
        "field.decision_ref.invalid",
        text::decision_ref(field(values, "decision_ref")),
    );
    let date = errors.day(lang, "decision_date", field(values, "decision_date")).and_then(|date| {
        errors.check(lang, "decision_date", "field.decision_date.future", council::decision_date(date, Utc::now()))
    });
    (reference, date)
}

/// `POST /pools/{id}/pledge/confirm` (members): fields `decision_ref`, `decision_date` and
/// `decided_by`, the council decision that confirms the organisation's pledge.
pub async fn confirm_pledge(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    Form {
        name: "confirm",
        first_field: "decision_ref",
        renamed: &[],
        parse: |values, lang| {
            let mut errors = FormErrors::new("confirm");
            let (reference, date) = decision(&mut errors, values, lang);
            let decided_by = errors.check(
                lang,
                "decided_by",
                "field.decided_by.invalid",
                DecidedBy::parse(field(values, "decided_by")),
            );
            match (reference, date, decided_by) {
                (Some(reference), Some(date), Some(decided_by)) => Ok(Confirmation { reference, date, decided_by }),
                _ => Err(errors),
            }
        },
        run: |tx, user, id, decision, _| service::pledges::confirm(tx, user.member()?, id, decision),
        flash: "pledge-confirmed",
        ask: None,
    }
    .submit(page, &path, fields)
    .await
}

/// An officer's step that needs no field.
fn step_form(
    name: &'static str,
    parse: fn(&HashMap<String, String>, Locale) -> Result<Step, FormErrors>,
) -> Form<Step> {
    let first_field = match name {
        "reject" | "cancel" => "reason",
        "award" => "supplier",
        "deliver" => "repository_url",
        _ => "submit",
    };
    let flash = match name {
        "approve" => "approved",
        "reject" => "rejected",
        "cancel" => "cancelled",
        "award" => "awarded",
        _ => "delivered",
    };
    Form {
        name,
        first_field,
        renamed: &[("amount_cents", "amount")],
        parse,
        run: |tx, user, id, step, _| service::pools::step(tx, user.officer()?, id, step),
        flash,
        ask: Some(|found, step, _, lang| {
            let pool = title(found, lang);
            match step {
                Step::Approve => Some(Question::plain(lang, "confirm.approve", &[("pool", &pool)])),
                Step::Reject { reason } => {
                    Some(Question::warning(lang, "confirm.reject", &[("pool", &pool), ("reason", reason)]))
                }
                Step::Cancel { reason } => {
                    Some(Question::warning(lang, "confirm.cancel", &[("pool", &pool), ("reason", reason)]))
                }
                _ => None,
            }
        }),
    }
}

/// Whether the form `name` is an officer's (the others are a member's).
fn officer_step(name: &str) -> bool {
    matches!(name, "approve" | "reject" | "cancel" | "award" | "deliver" | "merge" | "maintenance")
}

/// The organisation's pledge to the pool, if it has one.
fn own_pledge(found: &PoolPage, organisation: i64) -> Option<Cents> {
    found
        .view
        .participants
        .iter()
        .find(|p| p.organisation_id == organisation)
        .map(|p| p.pledged_cents)
        .filter(|c| c.is_positive())
}

/// The pool's title as its page shows it.
fn title(found: &PoolPage, lang: Locale) -> String {
    let pool = &found.view.pool;
    maintenance::title(&pool.title, pool.period_start.zip(pool.period_end), lang)
}

fn reason(values: &HashMap<String, String>, lang: Locale, form: &str) -> Result<String, FormErrors> {
    let mut errors = FormErrors::new(form);
    errors.check(lang, "reason", "field.reason.invalid", text::reason(field(values, "reason"))).ok_or(errors)
}

/// `POST /pools/{id}/approve` (officers; the pool is funded).
pub async fn approve(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    step_form("approve", |_, _| Ok(Step::Approve)).submit(page, &path, fields).await
}

/// `POST /pools/{id}/reject` (officers): field `reason`.
pub async fn reject(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    step_form("reject", |v, lang| reason(v, lang, "reject").map(|reason| Step::Reject { reason }))
        .submit(page, &path, fields)
        .await
}

/// `POST /pools/{id}/cancel` (officers): field `reason`.
pub async fn cancel(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    step_form("cancel", |v, lang| reason(v, lang, "cancel").map(|reason| Step::Cancel { reason }))
        .submit(page, &path, fields)
        .await
}

/// `POST /pools/{id}/award` (officers): fields `supplier` and `amount` (euros).
pub async fn award(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    step_form("award", |values, lang| {
        let mut errors = FormErrors::new("award");
        let supplier = errors.check(lang, "supplier", "field.supplier.invalid", text::name(field(values, "supplier")));
        let amount = errors.amount(lang, "amount", field(values, "amount"));
        match (supplier, amount) {
            (Some(supplier), Some(amount_cents)) => Ok(Step::Award { supplier, amount_cents }),
            _ => Err(errors),
        }
    })
    .submit(page, &path, fields)
    .await
}

/// `POST /pools/{id}/deliver` (officers): fields `repository_url` and `licence`.
pub async fn deliver(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    step_form("deliver", |values, lang| {
        let mut errors = FormErrors::new("deliver");
        let url = errors.check(
            lang,
            "repository_url",
            "field.repository_url.invalid",
            delivery::repository_url(field(values, "repository_url")),
        );
        let licence =
            errors.check(lang, "licence", "field.licence.invalid", delivery::licence(field(values, "licence")));
        match (url, licence) {
            (Some(repository_url), Some(licence)) => Ok(Step::Deliver { repository_url, licence }),
            _ => Err(errors),
        }
    })
    .submit(page, &path, fields)
    .await
}

/// `POST /pools/{id}/merge` (officers): field `into_pool_id`; `303` to the surviving pool.
pub async fn merge(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    Form {
        name: "merge",
        first_field: "into_pool_id",
        renamed: &[],
        parse: |values, lang| {
            let mut errors = FormErrors::new("merge");
            let raw = field(values, "into_pool_id").trim().trim_start_matches('#');
            errors.check(lang, "into_pool_id", "field.into_pool_id.invalid", raw.parse::<i64>()).ok_or(errors)
        },
        run: |tx, user, id, into, state| service::pools::merge(tx, &state.matcher, user.officer()?, id, into),
        flash: "merged",
        ask: None,
    }
    .submit(page, &path, fields)
    .await
}

/// `POST /pools/{id}/maintenance` (officers; the pool is delivered): fields `period_start`,
/// `period_end`, `target` (euros), and optionally `threshold` (euros), `deadline` and
/// `title`; `303` to the new maintenance pool. The API's rules of a period apply
/// (`OpenMaintenance::parse`), their errors beside the fields.
pub async fn maintenance(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    Form {
        name: "maintenance",
        first_field: "period_start",
        renamed: MAINTENANCE_FIELDS,
        parse: |values, lang| {
            let mut errors = FormErrors::new("maintenance");
            let start = errors.day(lang, "period_start", field(values, "period_start"));
            let end = errors.day(lang, "period_end", field(values, "period_end"));
            let target = errors.amount(lang, "target", field(values, "target"));
            let threshold = errors.optional_amount(lang, "threshold", field(values, "threshold"));
            let deadline = errors.optional_day(lang, "deadline", field(values, "deadline"));
            let title = Some(field(values, "title").trim()).filter(|t| !t.is_empty()).map(str::to_owned);
            let (Some(period_start), Some(period_end), Some(target), Ok(threshold), Ok(deadline)) =
                (start, end, target, threshold, deadline)
            else {
                return Err(errors);
            };
            let asked = OpenMaintenance {
                period_start,
                period_end,
                target_cents: target.get(),
                threshold_cents: threshold.map(Cents::get),
                deadline,
                title,
            };
            asked
                .parse(Utc::now().date_naive())
                .map_err(|refused| FormErrors::fields(lang, "maintenance", MAINTENANCE_FIELDS, &refused))
        },
        // The one conflict a delivered development pool can meet: the period overlaps
        // another's, which the person fixes in the period's fields.
        run: |tx, user, id, input, _| {
            service::maintenance::open(tx, user.officer()?, id, input).map_err(|refused| match refused {
                ApiError::Conflict(_) => ApiError::invalid("period_start", "overlaps another maintenance period"),
                other => other,
            })
        },
        flash: "maintenance-opened",
        ask: None,
    }
    .submit(page, &path, fields)
    .await
}

/// `POST /pools/{id}/cost` (officers; the pool is open): field `target`, in euros; the
/// API's `PATCH` of `target_cents`. Until a pool has a cost no one can pledge to it.
pub async fn cost(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    Form {
        name: "cost",
        first_field: "target",
        renamed: &[("target_cents", "target")],
        parse: |values, lang| {
            let mut errors = FormErrors::new("cost");
            errors.amount(lang, "target", field(values, "target")).ok_or(errors)
        },
        run: |tx, user, id, target: Cents, _| {
            let edit = service::pools::PoolEdit { target_cents: Some(Some(target)), ..Default::default() };
            service::pools::edit(tx, user.officer()?, id, edit)
        },
        flash: "cost-set",
        ask: None,
    }
    .submit(page, &path, fields)
    .await
}

/// The API's names of the maintenance form's fields that differ.
const MAINTENANCE_FIELDS: &[(&str, &str)] = &[("target_cents", "target"), ("threshold_cents", "threshold")];

/// `POST /pools/{id}/redact` (officers): fields `title` and `description` (left empty: kept
/// as they are), `reason`, and the box `confirm`, without which nothing is replaced.
pub async fn redact(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    Form {
        name: "redact",
        first_field: "title",
        renamed: &[],
        parse: |values, lang| {
            let given = |name| Some(field(values, name)).filter(|v| !v.trim().is_empty());
            let (title, description) = (given("title"), given("description"));
            let mut errors = FormErrors::new("redact");
            if title.is_none() && description.is_none() {
                errors.add("title", i18n::text(lang, "redact.nothing"));
            }
            let parsed = RedactInput::parse(title, description, field(values, "reason"));
            if let Err(ApiError::Validation(problems)) = &parsed {
                let nothing_given = !errors.is_empty();
                let found = FormErrors::fields(lang, "redact", &[], problems);
                for problem in found.problems.into_iter().filter(|p| !nothing_given || p.field != "title") {
                    errors.add(&problem.field, problem.message);
                }
            }
            if field(values, "confirm") != "yes" {
                errors.add("confirm", i18n::text(lang, "redact.confirm.missing"));
            }
            match parsed {
                Ok(input) if errors.is_empty() => Ok(input),
                _ => Err(errors),
            }
        },
        run: |tx, user, id, input, state| service::redaction::redact(tx, &state.matcher, user.officer()?, id, input),
        flash: "redacted",
        ask: None,
    }
    .submit(page, &path, fields)
    .await
}
