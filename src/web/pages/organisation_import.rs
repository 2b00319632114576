//! Importing organisations and their users from a CSV file on a page (SPEC §14), for
//! officers: `/organisations/import` takes the file's text (pasted, or read from a chosen
//! file by a few lines of `static/mutua.js`: no upload format to parse), shows per line
//! what it would do (create, update, unchanged or error, with the line number and the
//! reason), and only once nothing is in error offers to apply it, all or nothing. The file
//! is read by `domain::import` and judged and applied by `service::import`, as `mutua
//! import` does: the preview is the command's dry run, its reasons in the officer's
//! language (`import_reasons`).

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    domain::{
        import::{self, ImportLine},
        kinds::Locale,
    },
    service::import::{self as importing, Action, Report},
    web::{
        forms::FormErrors,
        i18n,
        page::{Page, PageError},
        pages::import_reasons,
    },
};

type Fields = web::Form<HashMap<String, String>>;

/// The form's name: the prefix of its fields' ids.
const FORM: &str = "import";

/// What confirms the import, posted with the same file again.
const CONFIRMED: &str = "confirmed";

/// The largest form accepted (bytes): a file of [`import::MAX_BYTES`], percent-encoded
/// (up to three bytes for one), twice over for the field names and the token.
pub const MAX_FORM_BYTES: usize = 3 * import::MAX_BYTES + 4096;

#[derive(Serialize)]
struct LineView {
    line: u64,
    action: &'static str,
    organisation: String,
    organisation_action: Option<&'static str>,
    user: Option<String>,
    user_action: Option<&'static str>,
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct ReportView {
    lines: Vec<LineView>,
    create: usize,
    update: usize,
    unchanged: usize,
    error: usize,
    /// The numbers of the lines in error, for the summary.
    error_lines: String,
}

impl ReportView {
    /// The report, its reasons in `lang`.
    fn new(report: Report, lang: Locale) -> Self {
        let error_lines: Vec<String> = report.error_lines().iter().map(u64::to_string).collect();
        Self {
            create: report.count(Action::Create),
            update: report.count(Action::Update),
            unchanged: report.count(Action::Unchanged),
            error: report.count(Action::Error),
            error_lines: error_lines.join(", "),
            lines: report
                .lines
                .into_iter()
                .map(|l| LineView {
                    line: l.line,
                    action: l.action.as_str(),
                    organisation: l.organisation,
                    organisation_action: l.organisation_action.map(Action::as_str),
                    user: l.user,
                    user_action: l.user_action.map(Action::as_str),
                    reasons: l.reasons.iter().map(|r| import_reasons::words(lang, r)).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ImportView {
    /// The file's text, as given.
    csv: String,
    report: Option<ReportView>,
    errors: FormErrors,
    columns: String,
}

fn render(
    page: &Page,
    user: &crate::auth::WebUser,
    csv: String,
    report: Option<Report>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let lang = page.lang(Some(user));
    let report = report.map(|r| ReportView::new(r, lang));
    let view = ImportView { csv, report, errors, columns: import::COLUMNS.join(",") };
    page.render(Some(user), status, "organisations_import.html", view)
}

/// `GET /organisations/import` (officers): the form.
pub async fn form(page: Page) -> Result<HttpResponse, PageError> {
    let (user, ()) = page.read(|_, user| user.officer().map(|_| ())).await?;
    render(&page, &user, String::new(), None, FormErrors::default(), StatusCode::OK)
}

/// The file's lines, or the error shown beside the field when it cannot be read at all.
fn lines_of(csv: &str, lang: Locale) -> Result<Vec<ImportLine>, FormErrors> {
    let mut errors = FormErrors::new(FORM);
    if csv.trim().is_empty() {
        errors.add("csv", i18n::text(lang, "import.empty"));
        return Err(errors);
    }
    import::read(csv.as_bytes()).map_err(|unreadable| {
        errors.add("csv", import_reasons::file_words(lang, &unreadable));
        errors
    })
}

/// `POST /organisations/import` (officers), field `csv`: the preview, nothing changed; with
/// `confirmed=yes`, the import, all or nothing, then the list of organisations with a
/// message. A file with an error is shown again with its verdicts and changes nothing.
pub async fn import(page: Page, fields: Fields) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let csv = values.remove("csv").unwrap_or_default();
    let confirmed = values.get(CONFIRMED).is_some_and(|v| v == "yes");
    let lines = match lines_of(&csv, page.lang(None)) {
        Ok(lines) => lines,
        Err(_) => {
            let (user, ()) = page.read(|_, user| user.officer().map(|_| ())).await?;
            let errors = lines_of(&csv, page.lang(Some(&user))).err().unwrap_or_default();
            return render(&page, &user, csv, None, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (user, report) = if confirmed {
        page.write(move |tx, user| importing::apply(tx, user.officer()?.into(), &lines)).await?
    } else {
        page.read(move |tx, user| importing::preview(tx, user.officer()?.into(), &lines)).await?
    };
    if report.applied {
        return Ok(page.done("/organisations", "imported"));
    }
    let status = if report.error_lines().is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut errors = FormErrors::new(FORM);
    if !report.error_lines().is_empty() {
        let lang = page.lang(Some(&user));
        let numbers: Vec<String> = report.error_lines().iter().map(u64::to_string).collect();
        errors.add("csv", i18n::fill(lang, "import.has_errors", &[("lines", &numbers.join(", "))]));
    }
    render(&page, &user, csv, Some(report), errors, status)
}
