//! The officers' pages of SPEC §14 over plain HTTP, as a browser without JavaScript uses
//! them: a pool's settings (`/pools/{id}/settings`), the CSV import with its preview
//! (`/organisations/import`, fed the sample file of docs/OPERATIONS.md), and the invitation
//! form and re-invite button of an organisation's page, the emails read from the real SMTP
//! server. Each calls the API's service function, so the API's checks hold here too.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    accounts::app_with_mail,
    helpers::{OFFICER_EMAIL, TestApp, spawn_app},
    process::SmtpSink,
    web_client::{Page, WebClient},
};

/// The sample file of docs/OPERATIONS.md, "Onboarding an office from a CSV".
pub const ONBOARDING: &str = include_str!("../../docs/examples/onboarding.csv");

async fn organisations(app: &TestApp) -> Value {
    app.get("/api/v1/organisations?limit=100", &app.officer_token).await.json().await.unwrap()
}

async fn users_of(app: &TestApp, organisation: i64) -> Vec<(String, String, String)> {
    let users: Value =
        app.get(&format!("/api/v1/organisations/{organisation}/users"), &app.officer_token).await.json().await.unwrap();
    users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["email"].as_str().unwrap().into(),
                u["role"].as_str().unwrap().into(),
                u["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// The verdict of each line of a preview: `(line, verdict)` as the table's rows say them.
fn verdicts(page: &Page) -> Vec<(u64, String)> {
    page.body
        .split(r#"<tr id="line-"#)
        .skip(1)
        .map(|row| {
            let line = row[..row.find('"').unwrap()].parse().unwrap();
            let class = &row[row.find("verdict-").unwrap() + "verdict-".len()..];
            (line, class[..class.find('"').unwrap()].to_owned())
        })
        .collect()
}

#[tokio::test]
async fn an_officer_edits_a_pools_settings_and_bad_input_is_refused_beside_its_field() {
    let app = spawn_app().await;
    let (_, member) = app.commune("Gembloux").await;
    let pool = app.open_pool(&member, "Gestion des concessions du cimetière", 3_000_000).await;
    let web = WebClient::with_language(&app, "fr");
    web.sign_in(OFFICER_EMAIL).await;
    let settings = format!("/pools/{pool}/settings");

    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(&format!(r#"href="{settings}""#)), "the pool's page links to its settings");
    let form = web.get(&settings).await;
    assert_eq!(form.status, StatusCode::OK);
    let cost = &form.body[form.body.find(r#"id="settings-target""#).unwrap()..];
    assert!(cost.contains(r#"value="30 000,00""#), "the cost as a person writes it: {}", &cost[..150]);

    let bad = [
        ("title", "ab"),
        ("description", "Contact : marie.dupont@gembloux.be"),
        ("target", "douze mille"),
        ("threshold", "12,000"),
        ("deadline", "31/2/2030"),
    ];
    let refused = web.submit(&form, &settings, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.main_text();
    for words in ["Indiquez un intitulé de 3 à 200 caractères", "Les données personnelles", "Cette date n'existe pas"]
    {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    for field in ["title", "description", "target", "threshold", "deadline"] {
        assert!(refused.body.contains(&format!(r#"id="settings-{field}-error""#)), "{field}'s error beside it");
    }
    assert!(refused.body.contains(r#"value="douze mille""#), "typed text kept");
    let past = [
        ("title", "Concessions"),
        ("description", ""),
        ("target", "45.000"),
        ("threshold", ""),
        ("deadline", "1/1/2020"),
    ];
    let refused = web.submit(&form, &settings, &past).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.main_text().contains("L'échéance doit être aujourd'hui ou plus tard"), "{}", refused.main_text());
    assert_eq!(app.pool(pool).await["title"], "Gestion des concessions du cimetière", "nothing saved");

    let deadline = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
    let typed_deadline = deadline.format("%-d/%-m/%Y").to_string();
    let good = [
        ("title", "Concessions et plan du cimetière"),
        ("description", "Registre numérique des concessions, rappels d'échéance."),
        ("target", "45.000"),
        ("threshold", "40 000,50"),
        ("deadline", typed_deadline.as_str()),
    ];
    let saved = web.submit(&form, &settings, &good).await;
    assert_eq!(saved.status, StatusCode::OK);
    assert!(saved.main_text().contains("Les paramètres du projet sont enregistrés."), "{}", saved.main_text());
    let read = app.pool(pool).await;
    assert_eq!(read["title"], "Concessions et plan du cimetière");
    assert_eq!(read["description"], "Registre numérique des concessions, rappels d'échéance.");
    assert_eq!((read["target_cents"].as_i64(), read["threshold_cents"].as_i64()), (Some(4_500_000), Some(4_000_050)));
    assert_eq!(read["deadline"], deadline.to_string());
    assert!(app.event_types(pool).await.contains(&"pool.updated".to_owned()));

    // The same values again change nothing: no second event.
    let before = app.event_types(pool).await.len();
    web.submit(&saved, &settings, &good).await;
    assert_eq!(app.event_types(pool).await.len(), before);

    // An office that reads Dutch, in a browser asking for English: the page is in the
    // officer's language, and amounts are read in it (`46.000`, as the Dutch hint says,
    // which English would refuse as ambiguous).
    let me: Value = app.get("/api/v1/me", &app.officer_token).await.json().await.unwrap();
    let central = me["user"]["organisation_id"].as_i64().unwrap();
    let mut office: Value =
        app.get(&format!("/api/v1/organisations/{central}"), &app.officer_token).await.json().await.unwrap();
    let office = json!({"name": office["name"].take(), "kind": "central_purchasing", "locale": "nl", "contact_email": office["contact_email"].take()});
    let dutch = app.put(&format!("/api/v1/organisations/{central}"), &app.officer_token, &office).await;
    assert_eq!(dutch.status(), StatusCode::OK);
    let english = WebClient::with_language(&app, "en");
    english.sign_in(OFFICER_EMAIL).await;
    let shown = english.get(&settings).await;
    assert!(shown.body.contains(r#"value="45.000,00""#), "{}", shown.main_text());
    let value = |name: &str| {
        let at = shown.body.find(&format!(r#"name="{name}""#)).unwrap();
        let rest = &shown.body[at..];
        let rest = &rest[rest.find("value=\"").unwrap() + 7..];
        rest[..rest.find('"').unwrap()].to_owned()
    };
    let (threshold, deadline) = (value("threshold"), value("deadline"));
    let kept = [
        ("title", "Concessions et plan du cimetière"),
        ("description", "Registre numérique des concessions, rappels d'échéance."),
        ("target", "46.000"),
        ("threshold", threshold.as_str()),
        ("deadline", deadline.as_str()),
    ];
    let again = english.submit(&shown, &settings, &kept).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.main_text());
    assert!(again.main_text().contains("De instellingen van het project zijn opgeslagen."), "{}", again.main_text());
    assert_eq!(app.pool(pool).await["target_cents"], 4_600_000);

    // Members: refused, as by the API.
    let other = WebClient::with_language(&app, "fr");
    other.sign_in("gembloux@example.be").await;
    assert_eq!(other.get(&settings).await.status, StatusCode::FORBIDDEN);
    let home = other.get("/").await;
    let post = other.post(&settings, &[("title", "Pris"), ("csrf_token", &home.csrf())]).await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    assert_eq!(app.pool(pool).await["title"], "Concessions et plan du cimetière");
    assert!(!other.get(&format!("/pools/{pool}")).await.body.contains(&settings), "no link for a member");
}

/// A funded pool's money no longer changes; its title still can be corrected from the same
/// form, which then sends its cost, threshold and deadline unchanged.
#[tokio::test]
async fn a_funded_pools_title_is_corrected_and_its_money_cannot_change() {
    let app = spawn_app().await;
    let (_, member) = app.commune("Gembloux").await;
    let pool = app.open_pool(&member, "Gestion des concessions du cimetière", 1_200_000).await;
    assert_eq!(app.pledge(&member, pool, 1_200_000).await.status(), StatusCode::OK);
    assert_eq!(app.pool(pool).await["state"], "funded");
    let web = WebClient::with_language(&app, "fr");
    web.sign_in(OFFICER_EMAIL).await;
    let settings = format!("/pools/{pool}/settings");
    let form = web.get(&settings).await;
    assert!(!form.body.contains(r#"id="settings-target""#), "no cost field once funded");
    assert!(form.main_text().contains("Le projet n'est plus ouvert"), "{}", form.main_text());

    let fields = |target: &'static str| {
        [
            ("title", "Concessions du cimetière"),
            ("description", ""),
            ("target", target),
            ("threshold", ""),
            ("deadline", ""),
        ]
    };
    let saved = web.submit(&form, &settings, &fields("12 000,00")).await;
    assert!(saved.main_text().contains("Les paramètres du projet sont enregistrés."), "{}", saved.main_text());
    let read = app.pool(pool).await;
    assert_eq!(
        (read["title"].as_str(), read["target_cents"].as_i64()),
        (Some("Concessions du cimetière"), Some(1_200_000))
    );

    let refused = web.submit(&saved, &settings, &fields("15 000")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains(r#"id="settings-title-error""#), "{}", refused.main_text());
    assert_eq!(app.pool(pool).await["target_cents"], 1_200_000);
}

#[tokio::test]
async fn the_import_page_previews_then_applies_all_or_nothing_and_invites_once() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let web = WebClient::with_language(&app, "fr");
    web.sign_in(OFFICER_EMAIL).await;
    let list = web.get("/organisations").await;
    assert!(list.body.contains(r#"href="/organisations/import""#), "the list links to the import");
    let form = web.get("/organisations/import").await;
    assert_eq!(form.status, StatusCode::OK);

    // The preview: a verdict per line with its number, nothing changed.
    let preview = web.submit(&form, "/organisations/import", &[("csv", ONBOARDING)]).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.main_text());
    let created: Vec<(u64, String)> = (2..=6).map(|l| (l, "create".to_owned())).collect();
    assert_eq!(verdicts(&preview), created);
    assert!(preview.main_text().contains("5 à créer, 0 à mettre à jour, 0 inchangées, 0 en erreur"));
    assert!(preview.body.contains(r#"name="confirmed" value="yes""#), "a file without error may be confirmed");
    assert_eq!(organisations(&app).await["total"], 1, "only the central purchasing office");

    // A file with errors: its lines named, no confirmation offered, and forcing one
    // changes nothing.
    let wrong = format!(
        "{ONBOARDING}Ciney;commune;fr;;0207.446.773;91030;;;\r\nAndenne;commune;fr;;;92003;{OFFICER_EMAIL};Intrus;member\r\n"
    );
    let refused = web.submit(&form, "/organisations/import", &[("csv", &wrong)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.main_text();
    assert!(text.contains("Lignes en erreur : 7, 8. Rien n'est importé."), "{text}");
    assert!(text.contains("bce : indiquez un numéro d'entreprise de dix chiffres valide"), "{text}");
    assert!(text.contains("user_email : officer@"), "{text}");
    assert!(text.contains("est déjà un utilisateur d'une autre organisation, « "), "{text}");
    assert!(!text.contains("must be") && !text.contains("en anglais"), "nothing in English: {text}");
    assert_eq!(verdicts(&refused)[5..], [(7, "error".to_owned()), (8, "error".to_owned())]);
    assert!(!refused.body.contains(r#"name="confirmed""#), "no confirmation for a file with errors");
    assert!(refused.body.contains("Andenne;commune"), "the file kept in its field");
    let forced = web.submit(&form, "/organisations/import", &[("csv", &wrong), ("confirmed", "yes")]).await;
    assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(organisations(&app).await["total"], 1, "nothing imported");

    // Confirmed: everything at once, each created user invited by email.
    let done = web.submit(&preview, "/organisations/import", &[("csv", ONBOARDING), ("confirmed", "yes")]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.main_text().contains("Le fichier est importé"), "{}", done.main_text());
    let listed = organisations(&app).await;
    assert_eq!(listed["total"], 5);
    let namur = listed["items"].as_array().unwrap().iter().find(|o| o["name"] == "Ville de Namur").unwrap().clone();
    assert_eq!(namur["bce"], "0207446772");
    assert_eq!(
        users_of(&app, namur["id"].as_i64().unwrap()).await,
        [
            ("anne.lambert@namur.example".into(), "manager".into(), "invited".into()),
            ("bruno.dubois@namur.example".into(), "member".into(), "invited".into())
        ]
    );
    let mails = sink.wait_for(4, Duration::from_secs(20)).await;
    let mut invited: Vec<(String, String)> = mails.iter().map(|m| (m.to.clone(), m.event.clone())).collect();
    invited.sort();
    let expected: Vec<(String, String)> = [
        "anne.lambert@namur.example",
        "bruno.dubois@namur.example",
        "claire.henrard@cpas-namur.example",
        "pieter.devos@gent.example",
    ]
    .iter()
    .map(|to| (to.to_string(), "user.invited".to_owned()))
    .collect();
    assert_eq!(invited, expected);

    // The same file again: every line unchanged; applying it changes and sends nothing.
    let again = web.submit(&done, "/organisations/import", &[("csv", ONBOARDING)]).await;
    let unchanged: Vec<(u64, String)> = (2..=6).map(|l| (l, "unchanged".to_owned())).collect();
    assert_eq!(verdicts(&again), unchanged);
    let listed_before = app.get("/api/v1/organisations?limit=100", &app.officer_token).await.text().await.unwrap();
    let reapplied = web.submit(&again, "/organisations/import", &[("csv", ONBOARDING), ("confirmed", "yes")]).await;
    assert!(reapplied.main_text().contains("Le fichier est importé"));
    let listed_after = app.get("/api/v1/organisations?limit=100", &app.officer_token).await.text().await.unwrap();
    assert_eq!(listed_before, listed_after, "organisations unchanged");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.messages().len(), 4, "nothing more sent");

    // An empty or unreadable file is said beside the field.
    let empty = web.submit(&form, "/organisations/import", &[("csv", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains(r#"id="import-csv-error""#), "{}", empty.main_text());

    // An officer who reads Dutch, in a browser asking for French: the reasons in Dutch,
    // each with the data it needs (the line, the organisation found).
    let dutch =
        app.request(Method::PATCH, "/api/v1/me", Some(&app.officer_token), Some(&json!({"locale": "nl"}))).await;
    assert_eq!(dutch.status(), StatusCode::OK);
    let reader = WebClient::with_language(&app, "fr");
    reader.sign_in(OFFICER_EMAIL).await;
    let form = reader.get("/organisations/import").await;
    let clashes = format!("{wrong}Ville de Namur;cpas;fr;;;;;;\r\nHuy;commune;fr;;;61031;a@huy.example;Anne;mayor\r\n");
    let refused = reader.submit(&form, "/organisations/import", &[("csv", &clashes)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.main_text();
    for reason in [
        "Regels met een fout: 7, 8, 9, 10.",
        "bce: vul een geldig ondernemingsnummer van tien cijfers in",
        "user_email: officer@",
        "is al een gebruiker van een andere organisatie, ‘",
        "Deze regel beschrijft ‘Ville de Namur’ anders dan regel 2.",
        "user_role: vul een van de rollen member, manager, officer in",
    ] {
        assert!(text.contains(reason), "{reason}: {text}");
    }
    assert!(!text.contains("must be") && !text.contains("Engels"), "nothing in English: {text}");
    // A file that cannot be read at all says why, in Dutch too.
    let unreadable = reader.submit(&form, "/organisations/import", &[("csv", "naam;kind\nNamur;commune\n")]).await;
    assert_eq!(unreadable.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = unreadable.main_text();
    assert!(text.contains("De eerste regel moet de kolommen name,kind,locale,"), "{text}");
    assert!(
        text.contains(
            "ontbrekend: name, locale, contact_email, bce, nis_code, user_email, user_name, user_role; onbekend: naam"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn invitations_and_reinvitations_from_the_organisation_page_send_their_email() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let namur = app.create_organisation("Ville de Namur", "fr").await;
    let ciney = app.create_organisation("Commune de Ciney", "fr").await;
    app.create_with_role(namur, "chef@namur.be", "manager").await;
    app.create_member(namur, "membre@namur.be").await;
    let outsider = app
        .post(
            &format!("/api/v1/organisations/{ciney}/users"),
            &app.officer_token,
            &json!({"email": "invite@ciney.be", "name": "Invité de Ciney", "role": "member"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    sink.wait_for(1, Duration::from_secs(20)).await;

    // An officer invites; a bad address and a taken one are said beside the field.
    let officer = WebClient::with_language(&app, "fr");
    officer.sign_in(OFFICER_EMAIL).await;
    let path = format!("/organisations/{namur}");
    let page = officer.get(&path).await;
    assert!(page.body.contains(r#"action="/organisations/"#) && page.body.contains(r#"id="invite-email""#));
    let invite = format!("{path}/users");
    let bad = officer.submit(&page, &invite, &[("email", "anne@"), ("name", "Anne Lambert"), ("role", "member")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(r#"id="invite-email-error""#), "{}", bad.main_text());
    assert!(bad.main_text().contains("Indiquez une adresse e-mail valide"), "{}", bad.main_text());
    assert!(bad.body.contains(r#"value="Anne Lambert""#), "typed name kept");
    let taken =
        officer.submit(&page, &invite, &[("email", "chef@namur.be"), ("name", "Chef"), ("role", "member")]).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.main_text().contains("Un utilisateur a déjà cette adresse e-mail"), "{}", taken.main_text());
    let done = officer
        .submit(&page, &invite, &[("email", "anne.lambert@namur.be"), ("name", "Anne Lambert"), ("role", "member")])
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.main_text().contains("L'invitation a été envoyée par courriel."), "{}", done.main_text());
    let mails = sink.wait_for(2, Duration::from_secs(20)).await;
    assert!(mails.iter().any(|m| m.to == "anne.lambert@namur.be" && m.event == "user.invited"));
    let anne = users_of(&app, namur).await;
    assert!(anne.contains(&("anne.lambert@namur.be".into(), "member".into(), "invited".into())), "{anne:?}");

    // The manager re-invites her from its own organisation's page: a second email.
    let manager = WebClient::with_language(&app, "fr");
    manager.sign_in("chef@namur.be").await;
    let own = manager.get(&path).await;
    let listed: Value =
        app.get(&format!("/api/v1/organisations/{namur}/users"), &app.officer_token).await.json().await.unwrap();
    let anne_id = listed.as_array().unwrap().iter().find(|u| u["email"] == "anne.lambert@namur.be").unwrap()["id"]
        .as_i64()
        .unwrap();
    let reinvite = format!("{path}/users/{anne_id}/invite");
    assert!(own.body.contains(&format!(r#"action="{reinvite}""#)), "a re-invite button for an invited user");
    let again = manager.submit(&own, &reinvite, &[]).await;
    assert!(again.main_text().contains("L'invitation a été envoyée par courriel."), "{}", again.main_text());
    let mails = sink.wait_for(3, Duration::from_secs(20)).await;
    assert_eq!(mails.iter().filter(|m| m.to == "anne.lambert@namur.be" && m.event == "user.invited").count(), 2);

    // The manager invites in its own organisation, never an officer, never elsewhere.
    assert!(!own.body.contains(r#"value="officer""#), "the role officer is not offered");
    let bruno = [("email", "bruno@namur.be"), ("name", "Bruno Dubois"), ("role", "manager")];
    let done = manager.submit(&own, &invite, &bruno).await;
    assert!(done.main_text().contains("L'invitation a été envoyée par courriel."), "{}", done.main_text());
    sink.wait_for(4, Duration::from_secs(20)).await;
    let as_officer =
        manager.submit(&own, &invite, &[("email", "x@namur.be"), ("name", "X"), ("role", "officer")]).await;
    assert_eq!(as_officer.status, StatusCode::FORBIDDEN);
    let elsewhere = [("email", "y@ciney.be"), ("name", "Y"), ("role", "member")];
    assert_eq!(
        manager.submit(&own, &format!("/organisations/{ciney}/users"), &elsewhere).await.status,
        StatusCode::NOT_FOUND
    );
    let foreign = manager.submit(&own, &format!("/organisations/{ciney}/users/{outsider}/invite"), &[]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let smuggled = manager.submit(&own, &format!("{path}/users/{outsider}/invite"), &[]).await;
    assert_eq!(smuggled.status, StatusCode::NOT_FOUND, "another organisation's user under its own path");
    assert_eq!(manager.get("/organisations/import").await.status, StatusCode::FORBIDDEN);
    let forced_import =
        manager.submit(&own, "/organisations/import", &[("csv", ONBOARDING), ("confirmed", "yes")]).await;
    assert_eq!(forced_import.status, StatusCode::FORBIDDEN);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.messages().len(), 4, "nothing sent by the refused forms");
    assert_eq!(users_of(&app, ciney).await.len(), 1);

    // A member: none of these pages or forms.
    let member = WebClient::with_language(&app, "fr");
    let home = member.sign_in("membre@namur.be").await;
    assert_eq!(member.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.get("/organisations/import").await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.submit(&home, &invite, &bruno).await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.submit(&home, &reinvite, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        member.submit(&home, "/organisations/import", &[("csv", ONBOARDING)]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(organisations(&app).await["total"], 3, "nothing imported by anyone but an officer");

    // Signed out: sent to sign in.
    let nobody = WebClient::new(&app);
    for page in ["/organisations/import", "/pools/1/settings"] {
        let answer = nobody.get(page).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{page}");
        assert!(answer.location().unwrap().starts_with("/login"), "{page}");
    }
}
