//! The OCDS export, public: a release per change, records compiled by the merge routine,
//! checked with the official schemas and the Open Contracting Partnership's own tools
//! (`ocds_tools`), paged for harvesters, with conditional requests.

use diesel::prelude::*;
use mutua::db::schema::pools;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, assert_problem, spawn_app, spawn_app_with},
    ocds_tools::{Schemas, libcoveocds, ocdsmerge, reference_tools},
};

const BUDGET_BREAKDOWN: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_budget_breakdown_extension/master/extension.json";
const PAGINATION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_pagination_extension/master/extension.json";

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

/// A page of the export as someone with no account gets it: its body parsed and as text,
/// and its `Link` and `ETag` headers.
struct Page {
    body: Value,
    text: String,
    link: Option<String>,
    etag: String,
}

async fn public(app: &TestApp, path: &str) -> Page {
    let response = app.request(Method::GET, path, None, None).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    let (link, etag) = (header("link"), header("etag").expect("an ETag"));
    assert_eq!(header("cache-control").as_deref(), Some("public, no-cache"));
    let text = response.text().await.unwrap();
    Page { body: serde_json::from_str(&text).unwrap(), text, link, etag }
}

/// Every item of an export (`releases` or `records`), following `links.next` from the
/// first page until a page comes back empty; checks that the `Link` header says the same.
async fn harvest(app: &TestApp, what: &str, limit: usize) -> (Vec<Value>, Vec<Page>) {
    let mut path = format!("/api/v1/ocds/{what}?limit={limit}");
    let (mut items, mut pages) = (Vec::new(), Vec::new());
    loop {
        let page = public(app, &path).await;
        let these = page.body[what].as_array().unwrap().clone();
        assert!(these.len() <= limit);
        let next = page.body["links"]["next"].as_str().map(str::to_owned);
        assert_eq!(page.link, next.as_ref().map(|n| format!("<{n}>; rel=\"next\"")), "the Link header is links.next");
        pages.push(page);
        if these.is_empty() {
            assert_eq!(next, None, "an empty page has no next page");
            return (items, pages);
        }
        items.extend(these);
        path = local(&next.expect("a page with items has a next page"));
    }
}

/// The path of an export URL (the configured public URL of a test app has port 0).
fn local(url: &str) -> String {
    url[url.find("/api/").expect("an API URL")..].to_owned()
}

fn of<'a>(items: &'a [Value], ocid: &str) -> Vec<&'a Value> {
    items.iter().filter(|r| r["ocid"] == ocid).collect()
}

fn party<'a>(release: &'a Value, id: &str) -> &'a Value {
    release["parties"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("party {id}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect()
}

fn tags(releases: &[&Value]) -> Vec<String> {
    releases.iter().map(|r| strings(&r["tag"]).join("+")).collect()
}

/// The pools of [`every_state`].
struct States {
    open: i64,
    funded: i64,
    approved: i64,
    rejected: i64,
    awarded: i64,
    delivered: i64,
    cancelled: i64,
    expired: i64,
    survivor: i64,
    merged: i64,
    reopened: i64,
    maintenance: i64,
    namur: i64,
    ciney: i64,
    andenne: i64,
}

/// Pools in every state a pool can be in: open (with a withdrawn pledge and a need without
/// pledge), funded, approved, rejected, awarded, delivered, cancelled, expired, merged and
/// the pool it went into; one funded then reopened by a council's refusal, and a
/// maintenance pool of the delivered one.
async fn every_state(app: &TestApp) -> States {
    let (namur, namur_token) = authority(app, "Namur", "92094").await;
    let (ciney, ciney_token) = authority(app, "Ciney", "91030").await;
    let (andenne, andenne_token) = authority(app, "Andenne", "92003").await;
    let open = new_pool(app, &namur_token, "Gestion des concessions du cimetière", Some("48000000-8"), 10_000).await;
    ok(app.pledge(&namur_token, open, 3_000).await).await;
    ok(app.pledge(&ciney_token, open, 2_500).await).await;
    ok(app.pledge(&andenne_token, open, 1_000).await).await;
    ok(app.delete(&format!("/api/v1/pools/{open}/pledge"), &andenne_token).await).await;
    join(app, &andenne_token, open, "Gestion des concessions du cimetière", Some("48000000-8")).await;

    let funded_pool = new_pool(app, &namur_token, "Réservation des salles communales", None, 1_000).await;
    ok(app.pledge(&namur_token, funded_pool, 600).await).await;
    assert_eq!(ok(app.pledge(&ciney_token, funded_pool, 400).await).await["state"], "funded");
    let approved = funded(app, &namur_token, "Parapheur électronique pour le collège").await;
    ok(app.officer(approved, "approve", None).await).await;
    let rejected = funded(app, &namur_token, "Inventaire du patrimoine arboré").await;
    ok(app.officer(rejected, "reject", Some(&json!({"reason": "Couvert par un marché existant."}))).await).await;
    let awarded = funded(app, &namur_token, "Gestion des ressources humaines").await;
    ok(app.officer(awarded, "approve", None).await).await;
    let award = json!({"supplier": "Coopérative du Libre", "amount_cents": 900});
    ok(app.officer(awarded, "award", Some(&award)).await).await;
    let delivered = funded(app, &namur_token, "Registre des permis d'urbanisme").await;
    ok(app.officer(delivered, "approve", None).await).await;
    ok(app.officer(delivered, "award", Some(&award)).await).await;
    let delivery = json!({"repository_url": "https://git.example.be/urbanisme", "licence": "GPL-3.0-or-later"});
    ok(app.officer(delivered, "deliver", Some(&delivery)).await).await;
    let cancelled = new_pool(app, &ciney_token, "Cartes de stationnement pour riverains", None, 5_000).await;
    ok(app.officer(cancelled, "cancel", Some(&json!({"reason": "Besoin abandonné."}))).await).await;
    let expired = new_pool(app, &ciney_token, "Plateforme de participation citoyenne", None, 5_000).await;
    ok(app.pledge(&ciney_token, expired, 100).await).await;
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
    let survivor = new_pool(app, &ciney_token, "Suivi des interventions de voirie", None, 8_000).await;
    ok(app.pledge(&ciney_token, survivor, 500).await).await;
    let merged = new_pool(app, &namur_token, "Prêt de matériel aux associations", None, 8_000).await;
    ok(app.pledge(&namur_token, merged, 700).await).await;
    ok(app.pledge(&ciney_token, merged, 900).await).await;
    ok(app.officer(merged, "merge", Some(&json!({"into_pool_id": survivor}))).await).await;
    let reopened = new_pool(app, &namur_token, "Gestion des archives communales", None, 1_000).await;
    ok(app.pledge(&namur_token, reopened, 600).await).await;
    ok(app.pledge(&ciney_token, reopened, 400).await).await;
    ok(app.confirm_pledge(&namur_token, reopened).await).await;
    assert_eq!(ok(app.refuse_pledge(&ciney_token, reopened).await).await["state"], "open");
    let period = json!({"period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 2_000});
    let opened = app.post(&format!("/api/v1/pools/{delivered}/maintenance"), &app.officer_token, &period).await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let maintenance = opened.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    ok(app.pledge(&namur_token, maintenance, 1_500).await).await;
    States {
        open,
        funded: funded_pool,
        approved,
        rejected,
        awarded,
        delivered,
        cancelled,
        expired,
        survivor,
        merged,
        reopened,
        maintenance,
        namur,
        ciney,
        andenne,
    }
}

#[tokio::test]
async fn pools_in_every_state_pass_the_schemas_and_the_reference_tools() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_OCID_PREFIX".into(), "ocds-t3st00".into());
    })
    .await;
    let s = every_state(&app).await;
    let schemas = Schemas::load();
    let (releases, pages) = harvest(&app, "releases", 200).await;
    schemas.assert_valid(&pages[0].body);
    let (records, record_pages) = harvest(&app, "records", 100).await;
    schemas.assert_valid(&record_pages[0].body);
    assert_eq!((pages.len(), record_pages.len()), (2, 2), "one page holds them all, then an empty one");
    assert_eq!(records.len(), 12);

    // No personal data: no user's email or name, no actor of an event.
    for page in pages.iter().chain(&record_pages) {
        assert!(!page.text.contains('@') && !page.text.contains("Test Member"), "{}", page.text);
        assert!(!page.text.contains("actor") && !page.text.contains("Bootstrap officer"));
    }

    let me: Value = ok(app.get("/api/v1/me", &app.officer_token).await).await;
    let central = format!("org-{}", me["organisation"]["id"]);
    let package = &pages[0].body;
    assert_eq!(package["version"], "1.1");
    assert_eq!(strings(&package["extensions"]), vec![BUDGET_BREAKDOWN, PAGINATION]);
    assert_eq!(package["publisher"]["name"], me["organisation"]["name"]);
    let ocid = |pool: i64| format!("ocds-t3st00-{pool}");
    let org = |id: i64| format!("org-{id}");
    let compiled = |pool: i64| -> &Value {
        &records.iter().find(|r| r["ocid"] == ocid(pool)).expect("a record")["compiledRelease"]
    };
    for r in &releases {
        assert!(r["ocid"].as_str().unwrap().starts_with("ocds-t3st00-"), "the configured prefix");
        assert_eq!((r["initiationType"].as_str(), r["language"].as_str()), (Some("tender"), Some("fr")));
        assert_eq!((&r["buyer"]["id"], &r["tender"]["procuringEntity"]["id"]), (&json!(central), &json!(central)));
        assert_eq!(strings(&party(r, &central)["roles"]), vec!["buyer", "procuringEntity"]);
    }
    let mut ids: Vec<&str> = releases.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), releases.len(), "release ids are unique");

    // Open: each buyer's pledge in the budget breakdown (a withdrawn one at zero), the
    // estimate as the tender value.
    let r = compiled(s.open);
    assert_eq!((r["tender"]["status"].as_str(), strings(&r["tag"])), (Some("planning"), vec!["compiled"]));
    assert_eq!(r["tender"]["value"], json!({"amount": 100.0, "currency": "EUR"}));
    let budget = &r["planning"]["budget"];
    assert_eq!(budget["amount"], json!({"amount": 55.0, "currency": "EUR"}));
    let breakdown: Vec<(&str, f64)> = budget["budgetBreakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["sourceParty"]["id"].as_str().unwrap(), b["amount"]["amount"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        breakdown,
        vec![(org(s.namur).as_str(), 30.0), (org(s.ciney).as_str(), 25.0), (org(s.andenne).as_str(), 0.0)]
    );
    assert!(budget["budgetBreakdown"][2]["description"].as_str().unwrap().contains("retirée"));
    let open_releases = of(&releases, &ocid(s.open));
    assert!(pages[0].text.contains(r#""amount":{"amount":55.00,"currency":"EUR"}"#), "amounts have two decimals");
    let namur = party(r, &org(s.namur));
    assert_eq!(strings(&namur["roles"]), vec!["buyer", "funder"]);
    assert_eq!(namur["additionalIdentifiers"], json!([{"scheme": "BE-NIS", "id": "92094", "legalName": "Namur"}]));
    assert_eq!(strings(&party(r, &org(s.andenne))["roles"]), vec!["buyer"], "a need, no pledge any more");
    assert_eq!(
        r["tender"]["items"][0]["classification"],
        json!({"scheme": "CPV", "id": "48000000", "description": "Software package and information systems"})
    );
    assert_eq!(
        tags(&open_releases),
        [
            "planning",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate"
        ],
        "created, need, three pledges, a withdrawal, a need"
    );

    let r = compiled(s.funded);
    assert_eq!(
        (r["tender"]["status"].as_str(), r["planning"]["budget"]["amount"]["amount"].as_f64()),
        (Some("planned"), Some(10.0))
    );
    assert_eq!(tags(&of(&releases, &ocid(s.funded))).last().unwrap(), "planningUpdate");

    let r = compiled(s.approved);
    assert_eq!(r["tender"]["status"], "active");
    assert_eq!(tags(&of(&releases, &ocid(s.approved))).last().unwrap(), "tender");

    for (pool, reason) in [(s.rejected, "Couvert par un marché existant."), (s.cancelled, "Besoin abandonné.")] {
        let r = compiled(pool);
        assert_eq!(r["tender"]["status"], "cancelled");
        assert_eq!(tags(&of(&releases, &ocid(pool))).last().unwrap(), "tenderCancellation");
        assert_eq!(r["tender"]["documents"][0]["documentType"], "cancellationDetails");
        assert_eq!(r["tender"]["documents"][0]["description"], reason);
    }
    assert_eq!(compiled(s.expired)["tender"]["status"], "unsuccessful");
    assert_eq!(tags(&of(&releases, &ocid(s.expired))).last().unwrap(), "tenderUpdate");

    let r = compiled(s.awarded);
    assert_eq!(r["tender"]["status"], "complete");
    let award = &r["awards"][0];
    assert_eq!((award["status"].as_str(), award["value"]["amount"].as_f64()), (Some("active"), Some(9.0)));
    let supplier = &award["suppliers"][0];
    let supplier_id = format!("supplier-{}", s.awarded);
    assert_eq!(
        (supplier["id"].as_str(), supplier["name"].as_str()),
        (Some(&*supplier_id), Some("Coopérative du Libre"))
    );
    assert_eq!(strings(&party(r, &supplier_id)["roles"]), vec!["supplier"]);
    assert!(r.get("contracts").is_none());

    let r = compiled(s.delivered);
    assert_eq!(tags(&of(&releases, &ocid(s.delivered))).last().unwrap(), "contract+implementation+contractTermination");
    let contract = &r["contracts"][0];
    assert_eq!((&contract["awardID"], contract["status"].as_str()), (&r["awards"][0]["id"], Some("terminated")));
    let repository = &contract["implementation"]["documents"][0];
    assert_eq!(repository["url"], "https://git.example.be/urbanisme");
    assert!(repository["description"].as_str().unwrap().contains("GPL-3.0-or-later"), "{repository}");

    // Merged: its pledges moved (at zero here), the pool it went into named; the survivor
    // took them and names where they came from.
    let r = compiled(s.merged);
    assert_eq!(r["tender"]["status"], "cancelled");
    assert_eq!(tags(&of(&releases, &ocid(s.merged))).last().unwrap(), "tenderCancellation");
    assert_eq!(r["relatedProcesses"][0]["identifier"], ocid(s.survivor));
    assert_eq!(r["planning"]["budget"]["amount"]["amount"], 0.0);
    assert!(strings(&party(r, &org(s.namur))["roles"]) == ["interestedParty"]);
    let r = compiled(s.survivor);
    assert_eq!(
        r["planning"]["budget"]["amount"]["amount"], 16.0,
        "500 + the larger of Ciney's 500 and 900, and Namur's 700"
    );
    assert_eq!(r["relatedProcesses"][0]["identifier"], ocid(s.merged));
    assert_eq!(strings(&party(r, &org(s.namur))["roles"]), vec!["buyer", "funder"], "its need and pledge came along");

    // Reopened: funded, then open again once a council refused; what was refused stays at
    // zero in the budget.
    let r = compiled(s.reopened);
    assert_eq!(r["tender"]["status"], "planning");
    assert_eq!(r["planning"]["budget"]["amount"]["amount"], 6.0);
    let statuses: Vec<&str> =
        of(&releases, &ocid(s.reopened)).iter().map(|r| r["tender"]["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"planned") && statuses.last() == Some(&"planning"), "{statuses:?}");

    // Maintenance: the delivered pool is its prior process.
    let r = compiled(s.maintenance);
    assert_eq!(r["relatedProcesses"][0]["relationship"], json!(["prior"]));
    assert_eq!(r["relatedProcesses"][0]["identifier"], ocid(s.delivered));
    assert_eq!(r["relatedProcesses"][0]["title"], "Registre des permis d'urbanisme");

    if !reference_tools() {
        return;
    }
    for package in [&pages[0].body, &record_pages[0].body] {
        let review = libcoveocds(package);
        assert_eq!(review.validation_errors(), &json!([]), "libcoveocds validation errors");
        assert_eq!(review.conformance_errors(), json!({}), "libcoveocds conformance errors");
        assert_eq!(review.undeclared_fields(), Vec::<String>::new(), "fields no schema or declared extension defines");
        assert_eq!(review.additional_checks(), &json!({}), "libcoveocds additional checks (empty fields)");
    }
    let merged = ocdsmerge(&record_pages[0].body);
    assert_eq!(merged.len(), records.len());
    for (ours, reference) in records.iter().zip(&merged) {
        assert_eq!(ours["ocid"], reference["ocid"]);
        assert_eq!(ours["compiledRelease"], reference["compiledRelease"], "compiled release of {}", ours["ocid"]);
        assert_eq!(ours["versionedRelease"], reference["versionedRelease"], "versioned release of {}", ours["ocid"]);
    }
}

#[tokio::test]
async fn a_harvester_with_no_account_gets_every_release_of_a_delivered_pool() {
    let app = spawn_app().await;
    let (_, namur) = authority(&app, "Namur", "92094").await;
    let (_, ciney) = authority(&app, "Ciney", "91030").await;
    let pool = new_pool(&app, &namur, "Registre des permis d'urbanisme", Some("48000000-8"), 10_000).await;
    ok(app.pledge(&namur, pool, 6_000).await).await;
    ok(app.pledge(&ciney, pool, 4_000).await).await;
    ok(app.confirm_pledge(&namur, pool).await).await;
    ok(app.confirm_pledge(&ciney, pool).await).await;
    ok(app.officer(pool, "approve", None).await).await;
    ok(app.officer(pool, "award", Some(&json!({"supplier": "Coopérative du Libre", "amount_cents": 9_500}))).await)
        .await;
    let delivery = json!({"repository_url": "https://git.example.be/urbanisme", "licence": "GPL-3.0-or-later"});
    ok(app.officer(pool, "deliver", Some(&delivery)).await).await;

    let (releases, _) = harvest(&app, "releases", 3).await;
    let ocid = format!("ocds-mutua0-{pool}");
    let mine = of(&releases, &ocid);
    assert_eq!(
        tags(&mine),
        [
            "planning",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate",
            "planningUpdate",
            "tender",
            "award",
            "contract+implementation+contractTermination"
        ],
        "created, need posted, two pledges, funded, two council decisions, approved, awarded, delivered"
    );
    let statuses: Vec<&str> = mine.iter().map(|r| r["tender"]["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        [
            "planning", "planning", "planning", "planning", "planned", "planned", "planned", "active", "complete",
            "complete"
        ]
    );
    let events: Value = ok(app.get(&format!("/api/v1/pools/{pool}/events"), &app.officer_token).await).await;
    let expected: Vec<String> =
        events["items"].as_array().unwrap().iter().map(|e| format!("{ocid}-{}", e["id"])).collect();
    let ids: Vec<&str> = mine.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, expected, "one release per event, named by it");
    let dates: Vec<&str> = mine.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|d| d[0] <= d[1]) && dates.iter().all(|d| d.len() == 27), "{dates:?}");

    let (records, record_pages) = harvest(&app, "records", 1).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["releases"].as_array().unwrap().len(), mine.len());
    let compiled = &records[0]["compiledRelease"];
    assert_eq!(compiled["id"], format!("{ocid}-{}", dates.last().unwrap()));
    assert_eq!(compiled["contracts"][0]["implementation"]["documents"][0]["url"], "https://git.example.be/urbanisme");
    let versions = &records[0]["versionedRelease"]["tender"]["status"];
    let history: Vec<&str> = versions.as_array().unwrap().iter().map(|v| v["value"].as_str().unwrap()).collect();
    assert_eq!(history, ["planning", "planned", "active", "complete"]);
    if reference_tools() {
        let merged = ocdsmerge(&record_pages[0].body);
        assert_eq!(compiled, &merged[0]["compiledRelease"]);
        assert_eq!(&records[0]["versionedRelease"], &merged[0]["versionedRelease"]);
    }
}

#[tokio::test]
async fn releases_are_never_rewritten() {
    let app = spawn_app().await;
    let (_, namur) = authority(&app, "Namur", "92094").await;
    let (_, ciney) = authority(&app, "Ciney", "91030").await;
    let pool = new_pool(&app, &namur, "Gestion des concessions du cimetière", None, 10_000).await;
    ok(app.pledge(&namur, pool, 3_000).await).await;
    let count = public(&app, "/api/v1/ocds/releases").await.body["releases"].as_array().unwrap().len();
    let page = format!("/api/v1/ocds/releases?limit={count}");
    let before = public(&app, &page).await;

    // Everything that follows changes the pool, its participants and its money.
    join(&app, &ciney, pool, "Gestion des concessions du cimetière", None).await;
    ok(app.pledge(&namur, pool, 4_000).await).await;
    ok(app.pledge(&ciney, pool, 6_000).await).await;
    ok(app.confirm_pledge(&namur, pool).await).await;
    ok(app.confirm_pledge(&ciney, pool).await).await;
    ok(app.officer(pool, "approve", None).await).await;
    let (path, title) = (format!("/api/v1/pools/{pool}"), json!({"title": "Concessions funéraires"}));
    let patched = app.request(Method::PATCH, &path, Some(&app.officer_token), Some(&title)).await;
    assert_eq!(patched.status(), StatusCode::OK);

    // The page that held them holds the same bytes: same releases, same date, same links.
    let after = public(&app, &page).await;
    assert_eq!((after.text, after.etag), (before.text, before.etag));
    let first = public(&app, "/api/v1/ocds/releases").await;
    assert_eq!(
        first.body["releases"].as_array().unwrap().len(),
        count + 8,
        "need, 2 pledges, funded, 2 decisions, approved, edit"
    );
    let last = first.body["releases"].as_array().unwrap().last().unwrap();
    assert_eq!(last["tender"]["title"], "Concessions funéraires");
    assert_eq!(last["tag"], json!(["tenderUpdate"]));
}

#[tokio::test]
async fn harvesters_page_by_cursor_and_since_and_download_nothing_unchanged() {
    let app = spawn_app().await;
    let (_, namur) = authority(&app, "Namur", "92094").await;
    let first = new_pool(&app, &namur, "Gestion des concessions du cimetière", None, 10_000).await;
    let second = new_pool(&app, &namur, "Réservation des salles communales", None, 10_000).await;
    ok(app.pledge(&namur, first, 1_000).await).await;
    // pool.created, need.posted, twice, and a pledge: five releases, in event order.
    let (all, pages) = harvest(&app, "releases", 2).await;
    assert_eq!(pages.iter().map(|p| p.body["releases"].as_array().unwrap().len()).collect::<Vec<_>>(), [2, 2, 1, 0]);
    let ocids: Vec<String> =
        all.iter().map(|r| r["ocid"].as_str().unwrap().rsplit('-').next().unwrap().to_owned()).collect();
    let (a, b) = (first.to_string(), second.to_string());
    assert_eq!(ocids, [&a, &a, &b, &b, &a].map(String::as_str));
    assert!(pages[1].link.as_deref().unwrap().contains("/api/v1/ocds/releases?limit=2&after="));

    // The end of the harvest, asked again later with the ETag: 304 while nothing changed.
    let tail = pages.last().unwrap();
    let tail_url = local(tail.body["uri"].as_str().unwrap());
    let conditional = |url: String, etag: String| {
        let request = app.client.get(app.url(&url)).header("if-none-match", etag);
        async move { request.send().await.unwrap() }
    };
    let unchanged = conditional(tail_url.clone(), tail.etag.clone()).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()["etag"].to_str().unwrap(), tail.etag);
    assert!(unchanged.text().await.unwrap().is_empty());
    let weak = conditional(tail_url.clone(), format!("\"other\", W/{}", tail.etag)).await;
    assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);
    // The records too.
    let records = public(&app, "/api/v1/ocds/records").await;
    assert_eq!(
        conditional("/api/v1/ocds/records".into(), records.etag.clone()).await.status(),
        StatusCode::NOT_MODIFIED
    );

    // A change: the tail now holds it, and the earlier pages are unchanged.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    ok(app.pledge(&namur, second, 2_000).await).await;
    let changed = conditional(tail_url.clone(), tail.etag.clone()).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["releases"].as_array().unwrap().len(), 1);
    assert_eq!(changed["releases"][0]["ocid"].as_str().unwrap().rsplit('-').next(), Some(b.as_str()));
    let first_url = local(pages[0].body["uri"].as_str().unwrap());
    assert_eq!(conditional(first_url, pages[0].etag.clone()).await.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(conditional("/api/v1/ocds/records".into(), records.etag).await.status(), StatusCode::OK);

    // since: what was recorded at or after an instant; a link to the next page keeps it.
    let recent = public(&app, &format!("/api/v1/ocds/releases?since={since}")).await;
    assert_eq!(recent.body["releases"].as_array().unwrap().len(), 1);
    let paris = chrono::DateTime::parse_from_rfc3339(&since)
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap());
    let escaped = paris.to_rfc3339_opts(chrono::SecondsFormat::Micros, false).replace('+', "%2B");
    let same = public(&app, &format!("/api/v1/ocds/releases?since={escaped}")).await;
    assert_eq!(same.body["releases"], recent.body["releases"]);
    assert!(recent.body["links"]["next"].as_str().unwrap().contains("&since="));
    let records_since = public(&app, &format!("/api/v1/ocds/records?since={since}")).await;
    let records_since = records_since.body["records"].as_array().unwrap();
    assert_eq!(records_since.len(), 1, "the record with a release since");
    assert_eq!(records_since[0]["releases"].as_array().unwrap().len(), 3, "with all its releases");
    let future = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let nothing = public(&app, &format!("/api/v1/ocds/releases?since={future}")).await;
    assert_eq!((&nothing.body["releases"], nothing.body.get("links")), (&json!([]), None));
    assert_eq!(
        nothing.body["publishedDate"],
        all.iter()
            .chain(changed["releases"].as_array().unwrap())
            .map(|r| r["date"].clone())
            .max_by_key(|d| d.as_str().unwrap().to_owned())
            .unwrap()
    );
}

#[tokio::test]
async fn the_export_is_public_and_checks_its_parameters() {
    let app = spawn_app().await;
    let empty = public(&app, "/api/v1/ocds/releases").await;
    assert_eq!(
        (&empty.body["releases"], &empty.body["publishedDate"]),
        (&json!([]), &json!("1970-01-01T00:00:00.000000Z"))
    );
    // A token, even a bad one, changes nothing: the export asks for none.
    let with_bad_token = app.request(Method::GET, "/api/v1/ocds/records", Some("not-a-token"), None).await;
    assert_eq!(with_bad_token.status(), StatusCode::OK);
    for (query, field) in [
        ("releases?since=yesterday", "since"),
        ("releases?since=2026-01-31", "since"),
        ("releases?limit=0", "limit"),
        ("releases?limit=201", "limit"),
        ("records?limit=101", "limit"),
        ("releases?after=-1", "after"),
        ("records?after=abc", "after"),
        ("releases?offset=10", "query"),
    ] {
        let response = app.request(Method::GET, &format!("/api/v1/ocds/{query}"), None, None).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
    public(&app, "/api/v1/ocds/releases?limit=200").await;
    public(&app, "/api/v1/ocds/records?limit=100&after=5").await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_export_as_public() {
    let app = spawn_app().await;
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    for (path, schema) in [("/api/v1/ocds/releases", "ReleasePackage"), ("/api/v1/ocds/records", "RecordPackage")] {
        let operation = &doc["paths"][path]["get"];
        let statuses: Vec<&String> = operation["responses"].as_object().expect("documented").keys().collect();
        assert_eq!(statuses, ["200", "304", "422", "429"], "{path}");
        let params: Vec<&str> =
            operation["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(params, ["since", "limit", "after"]);
        assert!(operation.get("security").is_none(), "{path} asks for no token");
        assert!(doc["components"]["schemas"][schema].is_object());
    }
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

    let (releases, pages) = harvest(&app, "releases", 200).await;
    // The last page is empty, which the package schema (at least one release) does not foresee.
    for page in pages.iter().filter(|p| !p.body["releases"].as_array().unwrap().is_empty()) {
        schemas.assert_valid(&page.body);
    }
    let ocid = |pool: i64| format!("ocds-mutua0-{pool}");
    let upkeep = of(&releases, &ocid(maintenance));
    assert!(!upkeep.is_empty(), "the maintenance pool is published");
    for r in &upkeep {
        assert_eq!(
            r["relatedProcesses"],
            json!([{
                "id": "maintains",
                "relationship": ["prior"],
                "title": "Registre des permis d'urbanisme",
                "scheme": "ocid",
                "identifier": ocid(delivered),
            }])
        );
        assert_eq!(r["tender"]["items"][0]["classification"]["id"], "72267000", "software maintenance services");
    }
    assert!(of(&releases, &ocid(delivered)).iter().all(|r| r.get("relatedProcesses").is_none()));
}

#[tokio::test]
async fn the_schemas_catch_what_they_should() {
    // Guards the validation above against a validator that would accept anything.
    let app = spawn_app().await;
    let (_, namur) = authority(&app, "Namur", "92094").await;
    new_pool(&app, &namur, "Gestion des concessions du cimetière", Some("48000000-8"), 10_000).await;
    let package = public(&app, "/api/v1/ocds/releases").await.body;
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
        assert!(
            !Schemas::errors(&schemas.release_package, &broken(path, value.clone())).is_empty(),
            "{path} = {value}"
        );
    }
    let mut release = package["releases"][0].clone();
    release.as_object_mut().unwrap().remove("ocid");
    assert!(!Schemas::errors(&schemas.release, &release).is_empty());
    let records = public(&app, "/api/v1/ocds/records").await.body;
    schemas.assert_valid(&records);
    let mut broken = records.clone();
    broken["records"][0]["compiledRelease"]["tag"] = json!(["nonsense"]);
    assert!(!Schemas::errors(&schemas.record_package, &broken).is_empty());
}

#[test]
fn a_malformed_ocid_prefix_stops_the_service_at_start() {
    for (variable, value) in [("MUTUA_OCID_PREFIX", "ocds-mutua"), ("MUTUA_OCDS_PREFIX", "ocds-213czf")] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_mutua"))
            .arg("serve")
            .env_clear()
            .env("MUTUA_JWT_SECRET", "test secret of at least thirty-two bytes!")
            .env("MUTUA_DATABASE_URL", "/nonexistent/never-created.db")
            .env(variable, value)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{variable}={value} started");
        assert!(stderr.contains("MUTUA_OCID_PREFIX") && stderr.contains("six lowercase letters or digits"), "{stderr}");
    }
}
