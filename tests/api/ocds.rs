//! The OCDS export: pools in every state, validated against the official OCDS 1.1.5
//! schemas (kept in `tests/data/ocds`, no network), and what the releases say.

use diesel::prelude::*;
use mutua::db::schema::pools;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_with};

const RELEASE_SCHEMA_URL: &str = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json";
const BUDGET_BREAKDOWN: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_budget_breakdown_extension/master/extension.json";

/// Validators of the package and of one release, `format` included. The release schema is
/// registered under the URL by which the package schema refers to it.
struct Schemas {
    package: jsonschema::Validator,
    release: jsonschema::Validator,
}

impl Schemas {
    fn load() -> Self {
        let read = |name: &str| -> Value {
            let path = format!("{}/tests/data/ocds/{name}", env!("CARGO_MANIFEST_DIR"));
            serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("schema is JSON")
        };
        let release = read("release-schema-1.1.5.json");
        let package = read("release-package-schema-1.1.5.json");
        let registry = jsonschema::Registry::new().add(RELEASE_SCHEMA_URL, release.clone()).unwrap().prepare().unwrap();
        let options = || jsonschema::options().offline().should_validate_formats(true);
        Schemas {
            package: options().with_registry(&registry).build(&package).expect("package schema"),
            release: options().build(&release).expect("release schema"),
        }
    }

    fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
    }

    /// Asserts the package and each of its releases valid.
    fn assert_valid(&self, package: &Value) {
        let errors = Self::errors(&self.package, package);
        assert!(errors.is_empty(), "package invalid: {errors:#?}");
        for release in package["releases"].as_array().unwrap() {
            let errors = Self::errors(&self.release, release);
            assert!(errors.is_empty(), "release {} invalid: {errors:#?}", release["id"]);
        }
    }
}

/// A commune with a NIS code and one member: `(organisation id, member token)`.
async fn authority(app: &TestApp, name: &str, nis_code: &str) -> (i64, String) {
    let body = json!({"name": name, "kind": "commune", "locale": "fr", "nis_code": nis_code});
    let response = app.post("/api/v1/organisations", &app.officer_token, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    (id, app.create_member(id, &format!("{slug}@example.be")).await)
}

/// A need that opens its own pool; returns the pool id.
async fn new_pool(app: &TestApp, token: &str, title: &str, cpv: Option<&str>, target_cents: i64) -> i64 {
    let mut body = json!({"title": title, "description": "Besoin partagé.", "estimated_cost_cents": target_cents});
    if let Some(cpv) = cpv {
        body["cpv_code"] = json!(cpv);
    }
    let posted = app.post_need_with(token, &body).await;
    assert_eq!(posted["merged"], false, "{title} opens its own pool");
    posted["pool"]["id"].as_i64().unwrap()
}

/// The same need from another authority: it joins the pool.
async fn join(app: &TestApp, token: &str, pool: i64, title: &str, cpv: Option<&str>) {
    let mut body = json!({"title": title, "description": "Besoin partagé."});
    if let Some(cpv) = cpv {
        body["cpv_code"] = json!(cpv);
    }
    let joined = app.post_need_with(token, &body).await;
    assert_eq!((joined["merged"].as_bool(), joined["pool"]["id"].as_i64()), (Some(true), Some(pool)), "{title}");
}

async fn ok(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// A pool funded by one pledge of its whole target, confirmed by its council.
async fn funded(app: &TestApp, token: &str, title: &str) -> i64 {
    let pool = new_pool(app, token, title, None, 1_000).await;
    assert_eq!(ok(app.pledge(token, pool, 1_000).await).await["state"], "funded");
    ok(app.confirm_pledge(token, pool).await).await;
    pool
}

/// The export's body as parsed JSON and as text, and its `Link` header.
async fn export(app: &TestApp, token: &str, query: &str) -> (Value, String, Option<String>) {
    let response = app.get(&format!("/api/v1/ocds/releases{query}"), token).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let link = response.headers().get("link").map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    (serde_json::from_str(&text).unwrap(), text, link)
}

fn release<'a>(package: &'a Value, ocid: &str) -> &'a Value {
    package["releases"].as_array().unwrap().iter().find(|r| r["ocid"] == ocid).unwrap_or_else(|| panic!("{ocid}"))
}

fn party<'a>(release: &'a Value, id: &str) -> &'a Value {
    release["parties"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("party {id}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect()
}

#[tokio::test]
async fn pools_in_every_state_are_valid_ocds_with_buyers_pledges_award_and_repository() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_OCDS_PREFIX".into(), "ocds-t3st".into());
    })
    .await;
    let schemas = Schemas::load();
    let (namur_id, namur) = authority(&app, "Namur", "92094").await;
    let (ciney_id, ciney) = authority(&app, "Ciney", "91030").await;
    let (andenne_id, andenne) = authority(&app, "Andenne", "92003").await;
    let me: Value = ok(app.get("/api/v1/me", &app.officer_token).await).await;
    let central = format!("org-{}", me["organisation"]["id"]);

    // Open: two pledges and one authority with a need but no pledge.
    let open = new_pool(&app, &namur, "Gestion des concessions du cimetière", Some("48000000-8"), 10_000).await;
    ok(app.pledge(&namur, open, 3_000).await).await;
    ok(app.pledge(&ciney, open, 2_500).await).await;
    join(&app, &andenne, open, "Gestion des concessions du cimetière", Some("48000000-8")).await;

    let funded_pool = new_pool(&app, &namur, "Réservation des salles communales", None, 1_000).await;
    ok(app.pledge(&namur, funded_pool, 600).await).await;
    assert_eq!(ok(app.pledge(&ciney, funded_pool, 400).await).await["state"], "funded");
    let approved = funded(&app, &namur, "Parapheur électronique pour le collège").await;
    ok(app.officer(approved, "approve", None).await).await;
    let rejected = funded(&app, &namur, "Inventaire du patrimoine arboré").await;
    ok(app.officer(rejected, "reject", Some(&json!({"reason": "Couvert par un marché existant."}))).await).await;
    let awarded = funded(&app, &namur, "Gestion des ressources humaines").await;
    ok(app.officer(awarded, "approve", None).await).await;
    let award = json!({"supplier": "Coopérative du Libre", "amount_cents": 900});
    ok(app.officer(awarded, "award", Some(&award)).await).await;
    let delivered = funded(&app, &namur, "Registre des permis d'urbanisme").await;
    ok(app.officer(delivered, "approve", None).await).await;
    ok(app.officer(delivered, "award", Some(&award)).await).await;
    let delivery = json!({"repository_url": "https://git.example.be/urbanisme", "licence": "GPL-3.0-or-later"});
    ok(app.officer(delivered, "deliver", Some(&delivery)).await).await;
    let cancelled = new_pool(&app, &ciney, "Cartes de stationnement pour riverains", None, 5_000).await;
    ok(app.officer(cancelled, "cancel", Some(&json!({"reason": "Besoin abandonné."}))).await).await;
    let expired = new_pool(&app, &ciney, "Plateforme de participation citoyenne", None, 5_000).await;
    ok(app.pledge(&ciney, expired, 100).await).await;
    let yesterday = chrono::Utc::now().date_naive().pred_opt().unwrap();
    {
        let mut conn = app.state().db.raw_connection().unwrap();
        diesel::update(pools::table.find(expired))
            .set(pools::deadline.eq(Some(yesterday)))
            .execute(&mut *conn)
            .unwrap();
    }
    app.state().mailer.housekeeping().await;
    assert_eq!(app.pool(expired).await["state"], "expired");
    let survivor = new_pool(&app, &ciney, "Suivi des interventions de voirie", None, 8_000).await;
    let merged = new_pool(&app, &namur, "Prêt de matériel aux associations", None, 8_000).await;
    ok(app.officer(merged, "merge", Some(&json!({"into_pool_id": survivor}))).await).await;

    let (package, text, link) = export(&app, &andenne, "").await;
    schemas.assert_valid(&package);
    assert_eq!(link, None, "one page holds them all");
    assert_eq!(package["version"], "1.1");
    assert_eq!(strings(&package["extensions"]), vec![BUDGET_BREAKDOWN]);
    assert_eq!(package["publisher"]["name"], me["organisation"]["name"]);
    assert_eq!(package["releases"].as_array().unwrap().len(), 10);
    let ocid = |pool: i64| format!("ocds-t3st-{pool}");
    let org = |id: i64| format!("org-{id}");
    for r in package["releases"].as_array().unwrap() {
        let ocid = r["ocid"].as_str().unwrap();
        let pool_id = ocid.strip_prefix("ocds-t3st-").expect("the configured prefix").parse().unwrap();
        let state = app.pool(pool_id).await["state"].as_str().unwrap().to_owned();
        assert!(r["id"].as_str().unwrap().starts_with(&format!("{ocid}-{state}-")), "{}", r["id"]);
        assert_eq!((r["initiationType"].as_str(), r["language"].as_str()), (Some("tender"), Some("fr")));
        assert_eq!((&r["buyer"]["id"], &r["tender"]["procuringEntity"]["id"]), (&json!(central), &json!(central)));
        assert_eq!(strings(&party(r, &central)["roles"]), vec!["buyer", "procuringEntity"]);
    }

    // Open: each buyer's pledge in the budget breakdown, the estimate as the tender value.
    let r = release(&package, &ocid(open));
    assert_eq!(strings(&r["tag"]), vec!["planning"]);
    assert_eq!(r["tender"]["status"], "planning");
    assert_eq!(r["tender"]["value"], json!({"amount": 100.0, "currency": "EUR"}));
    let budget = &r["planning"]["budget"];
    assert_eq!(budget["amount"], json!({"amount": 55.0, "currency": "EUR"}));
    let breakdown: Vec<(&str, f64)> = budget["budgetBreakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["sourceParty"]["id"].as_str().unwrap(), b["amount"]["amount"].as_f64().unwrap()))
        .collect();
    assert_eq!(breakdown, vec![(org(namur_id).as_str(), 30.0), (org(ciney_id).as_str(), 25.0)]);
    assert!(text.contains(r#"{"amount":55.00,"currency":"EUR"}"#), "amounts are written with two decimals");
    let namur_party = party(r, &org(namur_id));
    assert_eq!(strings(&namur_party["roles"]), vec!["buyer", "funder"]);
    assert_eq!(
        namur_party["additionalIdentifiers"],
        json!([{"scheme": "BE-NIS", "id": "92094", "legalName": "Namur"}])
    );
    assert_eq!(strings(&party(r, &org(andenne_id))["roles"]), vec!["buyer"], "a need, no pledge");
    assert_eq!(
        r["tender"]["items"][0]["classification"],
        json!({"scheme": "CPV", "id": "48000000", "description": "Software package and information systems"})
    );

    let r = release(&package, &ocid(funded_pool));
    assert_eq!(
        (strings(&r["tag"]), r["planning"]["budget"]["amount"]["amount"].as_f64()),
        (vec!["planning"], Some(10.0))
    );
    assert_eq!(r["planning"]["budget"]["budgetBreakdown"].as_array().unwrap().len(), 2);

    let r = release(&package, &ocid(approved));
    assert_eq!((strings(&r["tag"]), r["tender"]["status"].as_str()), (vec!["tender"], Some("active")));
    assert_eq!(r["tender"]["value"]["amount"], 10.0);

    for (pool, reason) in [(rejected, "Couvert par un marché existant."), (cancelled, "Besoin abandonné.")] {
        let r = release(&package, &ocid(pool));
        assert_eq!(
            (strings(&r["tag"]), r["tender"]["status"].as_str()),
            (vec!["tenderCancellation"], Some("cancelled"))
        );
        assert_eq!(r["tender"]["documents"][0]["documentType"], "cancellationDetails");
        assert_eq!(r["tender"]["documents"][0]["description"], reason);
    }
    let r = release(&package, &ocid(expired));
    assert_eq!((strings(&r["tag"]), r["tender"]["status"].as_str()), (vec!["tenderUpdate"], Some("unsuccessful")));

    let r = release(&package, &ocid(awarded));
    assert_eq!((strings(&r["tag"]), r["tender"]["status"].as_str()), (vec!["award"], Some("complete")));
    let award = &r["awards"][0];
    assert_eq!((award["status"].as_str(), award["value"]["amount"].as_f64()), (Some("active"), Some(9.0)));
    let supplier = &award["suppliers"][0];
    assert_eq!(
        (supplier["id"].as_str(), supplier["name"].as_str()),
        (Some(&*format!("supplier-{awarded}")), Some("Coopérative du Libre"))
    );
    assert_eq!(strings(&party(r, supplier["id"].as_str().unwrap())["roles"]), vec!["supplier"]);
    assert!(r.get("contracts").is_none());

    let r = release(&package, &ocid(delivered));
    assert_eq!(strings(&r["tag"]), vec!["contract", "implementation"]);
    let contract = &r["contracts"][0];
    assert_eq!((&contract["awardID"], contract["status"].as_str()), (&r["awards"][0]["id"], Some("terminated")));
    let repository = &contract["implementation"]["documents"][0];
    assert_eq!(repository["url"], "https://git.example.be/urbanisme");
    assert!(repository["description"].as_str().unwrap().contains("GPL-3.0-or-later"), "{repository}");

    let r = release(&package, &ocid(merged));
    assert_eq!((strings(&r["tag"]), r["tender"]["status"].as_str()), (vec!["tenderCancellation"], Some("cancelled")));
    assert_eq!(r["relatedProcesses"][0]["identifier"], ocid(survivor));
    assert!(r.get("planning").is_none(), "its pledges moved to the surviving pool");
}

#[tokio::test]
async fn a_maintenance_release_names_the_delivered_pool_as_its_prior_process() {
    let app = spawn_app().await;
    let schemas = Schemas::load();
    let (_, namur) = authority(&app, "Namur", "92094").await;
    let delivered = app.delivered_pool(&namur, "Registre des permis d'urbanisme", 1_000).await;
    let body = json!({"period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 500});
    let opened = app.post(&format!("/api/v1/pools/{delivered}/maintenance"), &app.officer_token, &body).await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let maintenance = opened.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let (package, _, _) = export(&app, &namur, "").await;
    schemas.assert_valid(&package);
    let r = release(&package, &format!("ocds-mutua-{maintenance}"));
    assert_eq!(
        r["relatedProcesses"],
        json!([{
            "id": "maintains",
            "relationship": ["prior"],
            "title": "Registre des permis d'urbanisme",
            "scheme": "ocid",
            "identifier": format!("ocds-mutua-{delivered}"),
        }])
    );
    assert_eq!(r["tender"]["items"][0]["classification"]["id"], "72267000", "software maintenance services");
    assert!(release(&package, &format!("ocds-mutua-{delivered}")).get("relatedProcesses").is_none());
}

#[tokio::test]
async fn the_schemas_catch_what_they_should() {
    // Guards the validation above against a validator that would accept anything.
    let app = spawn_app().await;
    let (_, namur) = authority(&app, "Namur", "92094").await;
    new_pool(&app, &namur, "Gestion des concessions du cimetière", Some("48000000-8"), 10_000).await;
    let (package, _, _) = export(&app, &namur, "").await;
    let schemas = Schemas::load();
    schemas.assert_valid(&package);
    let broken = |path: &str, value: Value| {
        let mut copy = package.clone();
        *copy.pointer_mut(path).unwrap() = value;
        copy
    };
    for (path, value) in [
        ("/releases/0/tag", json!(["bogus"])),
        ("/releases/0/date", json!("yesterday")),
        ("/releases/0/planning/budget/amount/amount", json!("55.00")),
        ("/releases/0/planning/budget/amount/currency", json!("EURO")),
        ("/uri", json!("not a uri")),
    ] {
        assert!(!Schemas::errors(&schemas.package, &broken(path, value.clone())).is_empty(), "{path} = {value}");
    }
    let mut release = package["releases"][0].clone();
    release.as_object_mut().unwrap().remove("ocid");
    assert!(!Schemas::errors(&schemas.release, &release).is_empty());
}

#[tokio::test]
async fn since_and_paging_select_the_changed_pools() {
    let app = spawn_app().await;
    let (_, namur) = authority(&app, "Namur", "92094").await;
    let (_, ciney) = authority(&app, "Ciney", "91030").await;
    let first = new_pool(&app, &namur, "Gestion des concessions du cimetière", None, 10_000).await;
    let (before, _, _) = export(&app, &namur, "").await;
    let first_release = before["releases"][0].clone();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let second = new_pool(&app, &namur, "Réservation des salles communales", None, 10_000).await;
    let third = new_pool(&app, &namur, "Parapheur électronique pour le collège", None, 10_000).await;

    let ids = |package: &Value| -> Vec<String> {
        package["releases"].as_array().unwrap().iter().map(|r| r["ocid"].as_str().unwrap().to_owned()).collect()
    };
    let ocid = |pool: i64| format!("ocds-mutua-{pool}");
    let (changed, _, _) = export(&app, &namur, &format!("?since={since}")).await;
    assert_eq!(ids(&changed), vec![ocid(second), ocid(third)]);
    // The same instant with an offset, escaped as a query string needs.
    let paris = chrono::DateTime::parse_from_rfc3339(&since)
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap());
    let escaped = paris.to_rfc3339_opts(chrono::SecondsFormat::Micros, false).replace('+', "%2B");
    assert_eq!(ids(&export(&app, &namur, &format!("?since={escaped}")).await.0), vec![ocid(second), ocid(third)]);

    // Another authority joining the first pool changes its parties: a new release.
    join(&app, &ciney, first, "Gestion des concessions du cimetière", None).await;
    let (changed, _, _) = export(&app, &namur, &format!("?since={since}")).await;
    assert_eq!(ids(&changed), vec![ocid(first), ocid(second), ocid(third)]);
    let now = release(&changed, &ocid(first));
    assert_ne!(now["id"], first_release["id"], "a changed pool is a new release");
    assert!(now["date"].as_str().unwrap() > first_release["date"].as_str().unwrap());
    assert_eq!(now["parties"].as_array().unwrap().len(), first_release["parties"].as_array().unwrap().len() + 1);

    let (page, _, link) = export(&app, &namur, "?limit=2").await;
    assert_eq!(ids(&page), vec![ocid(first), ocid(second)]);
    let link = link.expect("a next page");
    assert!(link.ends_with("/api/v1/ocds/releases?limit=2&offset=2>; rel=\"next\""), "{link}");
    let (last, _, link) = export(&app, &namur, "?limit=2&offset=2").await;
    assert_eq!((ids(&last), link), (vec![ocid(third)], None));

    let future = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (nothing, _, _) = export(&app, &namur, &format!("?since={future}")).await;
    assert_eq!(nothing["releases"], json!([]), "nothing changed since");
}

#[tokio::test]
async fn the_export_needs_a_token_and_valid_parameters() {
    let app = spawn_app().await;
    let anonymous = app.request(reqwest::Method::GET, "/api/v1/ocds/releases", None, None).await;
    assert_eq!(anonymous.headers().get("www-authenticate").map(|v| v.to_str().unwrap()), Some("Bearer"));
    assert_problem(anonymous, StatusCode::UNAUTHORIZED).await;
    for (query, field) in [
        ("since=yesterday", "since"),
        ("since=2026-01-31", "since"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("offset=-1", "offset"),
        ("colour=blue", "query"),
    ] {
        let response = app.get(&format!("/api/v1/ocds/releases?{query}"), &app.officer_token).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
    let (package, _, _) = export(&app, &app.officer_token, "?limit=200").await;
    assert_eq!(package["releases"], json!([]));
}

#[tokio::test]
async fn the_openapi_document_describes_the_export() {
    let app = spawn_app().await;
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let operation = &doc["paths"]["/api/v1/ocds/releases"]["get"];
    let statuses: Vec<&String> = operation["responses"].as_object().expect("the export is documented").keys().collect();
    assert_eq!(statuses, ["200", "401", "422"]);
    let params: Vec<&str> =
        operation["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, ["since", "limit", "offset"]);
    assert!(doc["components"]["schemas"]["ReleasePackage"].is_object());
}
