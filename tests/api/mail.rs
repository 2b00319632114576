//! Emails through a real SMTP server on loopback (aiosmtpd in its own process).

use std::{collections::HashSet, time::Duration};

use diesel::prelude::*;
use mutua::{
    db::schema::pools,
    domain::{format, kinds::Locale, money::Cents},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{PASSWORD, TestApp, TestDb, spawn_app, spawn_app_with, test_vars},
    process::{Server, SmtpSink},
};

/// An organisation with `users` members in `locale`; returns (id, tokens, emails).
async fn organisation(app: &TestApp, name: &str, locale: &str, users: usize) -> (i64, Vec<String>, Vec<String>) {
    let id = app.create_organisation(name, locale).await;
    let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    let (mut tokens, mut emails) = (Vec::new(), Vec::new());
    for i in 0..users {
        let email = format!("user{i}@{slug}.be");
        tokens.push(app.create_member(id, &email).await);
        emails.push(email);
    }
    (id, tokens, emails)
}

async fn second_officer(app: &TestApp) -> String {
    let me: Value = app.get("/api/v1/me", &app.officer_token).await.json().await.unwrap();
    let central = me["organisation"]["id"].as_i64().unwrap();
    let response = app
        .post(
            &format!("/api/v1/organisations/{central}/users"),
            &app.officer_token,
            &json!({"email": "second.officer@centrale.be", "name": "Second Officer", "password": PASSWORD, "role": "officer"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    "second.officer@centrale.be".into()
}

fn outbox_count(app: &TestApp) -> i64 {
    use mutua::db::schema::outbox;
    let mut conn = app.state().db.raw_connection().unwrap();
    outbox::table.count().get_result(&mut *conn).unwrap()
}

#[tokio::test]
async fn funding_and_approval_email_every_participant_once_in_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_SMTP_URL".into(), sink.url());
    })
    .await;
    let officer2 = second_officer(&app).await;
    let (_, namur, namur_emails) = organisation(&app, "Namur", "fr", 2).await;
    let (_, eupen, eupen_emails) = organisation(&app, "Eupen", "de", 1).await;
    let (_, gent, gent_emails) = organisation(&app, "Gent", "nl", 1).await;
    let pool = app.open_pool(&namur[0], "Gestion des concessions du cimetière", 6_000).await;
    app.pledge(&namur[1], pool, 3_000).await;
    app.pledge(&eupen[0], pool, 2_000).await;
    assert_eq!(outbox_count(&app), 0, "no email is due before the threshold");
    let funded_at = std::time::SystemTime::now();
    let funded: Value = app.pledge(&gent[0], pool, 4_000).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");

    let participants: Vec<String> = [namur_emails, eupen_emails, gent_emails].concat();
    let officers = vec![crate::helpers::OFFICER_EMAIL.to_owned(), officer2];
    let mails = sink.wait_for(participants.len() + officers.len(), Duration::from_secs(20)).await;
    let mut recipients: Vec<String> = mails.iter().map(|m| m.to.clone()).collect();
    recipients.sort();
    let mut expected: Vec<String> = participants.iter().chain(&officers).cloned().collect();
    expected.sort();
    assert_eq!(recipients, expected, "one pool.funded email per participant user and per officer");
    assert!(mails.iter().all(|m| m.event == "pool.funded"));
    assert_eq!(mails.iter().map(|m| &m.message_id).collect::<HashSet<_>>().len(), mails.len());
    assert!(mails.iter().all(|m| m.subject.contains("Gestion des concessions du cimetière")));
    let to = |email: &str| mails.iter().find(|m| m.to == email).unwrap().clone();
    let german = to("user0@eupen.be");
    assert!(german.text.contains("Sehr geehrte"), "{}", german.text);
    assert!(german.html.contains("Sehr geehrte"), "an HTML alternative too");
    assert!(german.text.contains(&format::money(Cents::new(1_333), Locale::De)), "Eupen's share: {}", german.text);
    let dutch = to("user0@gent.be");
    assert!(dutch.text.contains("Geachte"), "{}", dutch.text);
    assert!(dutch.text.contains(&format::money(Cents::new(2_667), Locale::Nl)), "Gent's share: {}", dutch.text);
    assert!(to("user0@namur.be").text.contains("Madame, Monsieur"));
    assert!(
        !to(crate::helpers::OFFICER_EMAIL).text.contains(&format::money(Cents::new(2_000), Locale::Fr)),
        "officers have no share"
    );
    latency_note(&sink, funded_at);

    for pledger in [&namur[1], &eupen[0], &gent[0]] {
        assert_eq!(app.confirm_pledge(pledger, pool).await.status(), StatusCode::OK, "no email for a confirmation");
    }
    let approved = app.officer(pool, "approve", None).await;
    assert_eq!(approved.status(), StatusCode::OK);
    let all = sink.wait_for(mails.len() + participants.len(), Duration::from_secs(20)).await;
    let approvals: Vec<_> = all.iter().filter(|m| m.event == "pool.approved").collect();
    let mut approved_to: Vec<String> = approvals.iter().map(|m| m.to.clone()).collect();
    approved_to.sort();
    let mut participants = participants;
    participants.sort();
    assert_eq!(approved_to, participants, "one pool.approved email per participant user");
    assert_eq!(all.iter().map(|m| &m.message_id).collect::<HashSet<_>>().len(), all.len());
}

/// The emails of `event`, by recipient.
fn of_event<'a>(mails: &'a [crate::process::Mail], event: &str) -> Vec<&'a crate::process::Mail> {
    let mut found: Vec<_> = mails.iter().filter(|m| m.event == event).collect();
    found.sort_by(|a, b| a.to.cmp(&b.to));
    found
}

#[tokio::test]
async fn a_council_refusal_reopening_a_pool_is_emailed_once_to_each_participant_and_officer_in_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_SMTP_URL".into(), sink.url());
        vars.insert("MUTUA_PUBLIC_URL".into(), "https://mutua.example.be".into());
    })
    .await;
    let (_, namur, _) = organisation(&app, "Namur", "fr", 2).await;
    let (_, eupen, _) = organisation(&app, "Eupen", "de", 1).await;
    let (_, gent, _) = organisation(&app, "Gent", "nl", 1).await;
    let pool = app.open_pool(&namur[0], "Gestion des concessions du cimetière", 6_000).await;
    app.pledge(&namur[1], pool, 3_000).await;
    app.pledge(&eupen[0], pool, 2_000).await;
    assert_eq!(app.confirm_pledge(&eupen[0], pool).await.status(), StatusCode::OK);
    app.pledge(&gent[0], pool, 4_000).await;
    // Funded: three members and Gent's, and the officer.
    let mails = sink.wait_for(5, Duration::from_secs(20)).await;
    let funded = of_event(&mails, "pool.funded");
    let to = |mails: &[&crate::process::Mail], email: &str| (*mails.iter().find(|m| m.to == email).unwrap()).clone();
    let gent_funded = to(&funded, "user0@gent.be");
    assert!(
        gent_funded.text.contains("bevoegd orgaan"),
        "a provisional pledge waits for its council\n{}",
        gent_funded.text
    );
    assert!(gent_funded.text.contains("https://mutua.example.be/pools/"), "{}", gent_funded.text);
    assert!(gent_funded.text.contains("/pledge/confirm"), "{}", gent_funded.text);
    assert!(!to(&funded, "user0@eupen.be").text.contains("/pledge/confirm"), "Eupen's council has decided");

    assert_eq!(app.refuse_pledge(&gent[0], pool).await.json::<Value>().await.unwrap()["state"], "open");
    // Gent, with no need and no pledge left, no longer takes part.
    let expected = ["officer@centrale.be", "user0@eupen.be", "user0@namur.be", "user1@namur.be"];
    let mails = sink.wait_for(5 + expected.len(), Duration::from_secs(20)).await;
    let reopened = of_event(&mails, "pool.reopened");
    assert_eq!(reopened.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(), expected, "once each");
    let german = to(&reopened, "user0@eupen.be");
    assert!(german.subject.contains("wieder offen für Zusagen"), "{}", german.subject);
    assert!(german.text.contains("Sehr geehrte") && german.html.contains("Sehr geehrte"), "{}", german.text);
    assert!(german.text.contains(&format::money(Cents::new(1_000), Locale::De)), "what is missing: {}", german.text);
    let french = to(&reopened, "user0@namur.be");
    assert!(french.subject.contains("de nouveau ouvert aux engagements"), "{}", french.subject);
    let officer = to(&reopened, crate::helpers::OFFICER_EMAIL);
    assert!(officer.subject.contains("Plus de décision attendue"), "the officers' version: {}", officer.subject);

    // The next crossing is a new funding, emailed again: another event, other Message-IDs.
    // Gent waits a day after its council's refusal (SPEC §15): Dinant crosses it.
    let (_, dinant, _) = organisation(&app, "Dinant", "fr", 1).await;
    assert_eq!(app.pledge(&dinant[0], pool, 4_000).await.json::<Value>().await.unwrap()["state"], "funded");
    let mails = sink.wait_for(5 + expected.len() + 5, Duration::from_secs(20)).await;
    assert_eq!(of_event(&mails, "pool.funded").len(), 10);
    assert_eq!(mails.iter().map(|m| &m.message_id).collect::<HashSet<_>>().len(), mails.len());
}

#[tokio::test]
async fn maintenance_invitations_reach_every_user_of_the_software_once_in_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_SMTP_URL".into(), sink.url());
    })
    .await;
    let (_, namur, _) = organisation(&app, "Namur", "fr", 2).await;
    let (_, eupen, _) = organisation(&app, "Eupen", "de", 1).await;
    let (_, gent, _) = organisation(&app, "Gent", "nl", 1).await;
    let pool = app.delivered_pool(&namur[0], "Gestion des concessions du cimetière", 2_000).await;
    app.post_need(&gent[0], "Gestion des concessions du cimetière", "").await;
    app.post_need(&eupen[0], "Réservation des salles communales", "").await;
    // Funded (two members, the officer) and approved (two members).
    let before = sink.wait_for(5, Duration::from_secs(20)).await.len();

    let body = json!({"period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 800_000});
    let opened = app.post(&format!("/api/v1/pools/{pool}/maintenance"), &app.officer_token, &body).await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let mails = sink.wait_for(before + 3, Duration::from_secs(20)).await;
    let invitations = of_event(&mails, "pool.maintenance_opened");
    let recipients: Vec<&str> = invitations.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(recipients, ["user0@gent.be", "user0@namur.be", "user1@namur.be"], "Gent joined after delivery");
    let dutch = invitations[0];
    assert!(dutch.subject.contains("Onderhoud") && dutch.text.contains("Geachte"), "{}\n{}", dutch.subject, dutch.text);
    assert!(
        dutch.text.contains("1 januari 2027") && dutch.text.contains("https://git.example.be/logiciel"),
        "{}",
        dutch.text
    );
    let french = invitations[1];
    assert!(french.subject.contains("Maintenance") && french.text.contains("Madame, Monsieur"), "{}", french.text);
    assert!(french.html.contains("1er janvier 2027"), "an HTML alternative too");
    assert_eq!(mails.iter().map(|m| &m.message_id).collect::<HashSet<_>>().len(), mails.len());
}

/// Prints the delivery latency from funding to SMTP acceptance (the file's time).
fn latency_note(sink: &SmtpSink, since: std::time::SystemTime) {
    let mut millis: Vec<u128> = std::fs::read_dir(&sink.dir)
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
        .filter_map(|t| t.duration_since(since).ok())
        .map(|d| d.as_millis())
        .collect();
    millis.sort_unstable();
    if let Some(median) = millis.get(millis.len() / 2) {
        eprintln!("delivery latency, funding to SMTP acceptance: median {median} ms over {} emails", millis.len());
    }
}

#[tokio::test]
async fn without_smtp_a_funded_pool_writes_eml_files() {
    let outbox = tempfile::tempdir().unwrap();
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_OUTBOX_DIR".into(), outbox.path().to_string_lossy().into_owned());
    })
    .await;
    let (_, namur, _) = organisation(&app, "Namur", "fr", 2).await;
    let pool = app.open_pool(&namur[0], "Parapheur électronique", 1_000).await;
    app.pledge(&namur[0], pool, 1_000).await;
    let expected = 3; // two members and the officer
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let files: Vec<_> = std::fs::read_dir(outbox.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .collect();
        if files.len() >= expected {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let again = std::fs::read_dir(outbox.path()).unwrap().count();
            assert_eq!(again, expected, "no more than one file per email");
            let mail = crate::process::Mail::parse(&std::fs::read(files[0].path()).unwrap());
            assert_eq!(mail.event, "pool.funded");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{} of {expected} .eml files", files.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn smtp_down_then_sigkill_then_restart_loses_and_doubles_nothing() {
    let (db, url) = TestDb::create();
    let mail_dir = tempfile::tempdir().unwrap();
    let mut sink = SmtpSink::stopped(mail_dir.path());
    let mut vars = test_vars(&url);
    vars.insert("MUTUA_SMTP_URL".into(), sink.url());
    vars.insert("MUTUA_MAIL_RETRY_MAX_SECONDS".into(), "1".into());
    let server = Server::start(&vars);
    let app = TestApp::remote(server.address()).await;
    let (_, namur, _) = organisation(&app, "Namur", "fr", 2).await;
    let (_, ciney, _) = organisation(&app, "Ciney", "fr", 1).await;
    let pool = app.open_pool(&namur[0], "Gestion des salles communales", 2_000).await;
    app.pledge(&namur[0], pool, 1_000).await;
    app.pledge(&ciney[0], pool, 1_000).await;
    // The worker tries while the mail server is down, and fails.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(sink.messages().is_empty());
    server.kill();

    sink.start();
    let restarted = Server::start(&vars);
    let expected = 4; // three members and the officer
    let mails = sink.wait_for(expected, Duration::from_secs(30)).await;
    let distinct: HashSet<_> = mails.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!((mails.len(), distinct.len()), (expected, expected), "every email once");
    drop(restarted);
    drop(db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_send_each_email_once() {
    let (db, url) = TestDb::create();
    let mail_dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(mail_dir.path());
    let mut vars = test_vars(&url);
    vars.insert("MUTUA_SMTP_URL".into(), sink.url());
    let first = Server::start(&vars);
    let second = Server::start(&vars);
    let a = std::sync::Arc::new(TestApp::remote(first.address()).await);
    let b = std::sync::Arc::new(TestApp::remote(second.address()).await);
    let mut members = Vec::new();
    for i in 0..10 {
        let (_, tokens, _) = organisation(&a, &format!("Commune {i}"), "fr", 1).await;
        members.push(tokens[0].clone());
    }
    let mut expected = 0;
    let titles =
        ["Gestion du cimetière communal", "Parapheur électronique du collège", "Inventaire du patrimoine arboré"];
    for (round, title) in titles.into_iter().enumerate() {
        let pool = a.open_pool(&members[round], title, 5_000).await;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(members.len()));
        let mut tasks = Vec::new();
        for (i, token) in members.iter().enumerate() {
            let (app, token, barrier) =
                (if i % 2 == 0 { a.clone() } else { b.clone() }, token.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                // Together exactly the cost: the last of the ten funds the pool, whichever
                // server takes it (latecomers are welcome since SPEC §15, so a pool funded
                // earlier would take the rest too, after its emails were sent).
                app.pledge(&token, pool, 500).await.status()
            }));
        }
        let mut accepted = 0;
        for task in tasks {
            if task.await.unwrap() == StatusCode::OK {
                accepted += 1;
            }
        }
        assert_eq!(accepted, 10);
        // Participants: the ten that pledged, the one whose need opened the pool among them.
        let participants = a.pool(pool).await["participants"].as_array().unwrap().len();
        expected += participants + 1;
    }
    let mails = sink.wait_for(expected, Duration::from_secs(30)).await;
    let distinct: HashSet<_> = mails.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!((mails.len(), distinct.len()), (expected, expected), "each recipient gets each email once");
    drop((first, second, db));
}

#[tokio::test]
async fn permanent_refusals_end_dead_visible_and_requeueable() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_SMTP_URL".into(), sink.url());
        vars.insert("MUTUA_MAIL_MAX_ATTEMPTS".into(), "2".into());
        vars.insert("MUTUA_MAIL_RETRY_MAX_SECONDS".into(), "1".into());
    })
    .await;
    let org = app.create_organisation("Namur", "fr").await;
    let token = app.create_member(org, "ok@namur.be").await;
    app.create_member(org, "reject@namur.be").await;
    let pool = app.open_pool(&token, "Gestion du cimetière", 1_000).await;
    app.pledge(&token, pool, 1_000).await;
    let dead = loop_until(|| async {
        let page: Value = app.get("/api/v1/outbox?status=dead", &app.officer_token).await.json().await.unwrap();
        (page["total"] == 1).then_some(page)
    })
    .await;
    assert_eq!(dead["items"][0]["recipient_email"], "reject@namur.be");
    assert_eq!(dead["items"][0]["attempts"], 2);
    assert!(dead["items"][0]["last_error"].as_str().unwrap().contains("550"));
    assert_eq!(sink.messages().len(), 2, "the others were delivered");
    let id = dead["items"][0]["id"].as_i64().unwrap();
    let member = app.post(&format!("/api/v1/outbox/{id}/requeue"), &token, &json!({})).await;
    assert_eq!(member.status(), StatusCode::FORBIDDEN);
    let requeued = app.post(&format!("/api/v1/outbox/{id}/requeue"), &app.officer_token, &json!({})).await;
    assert_eq!(requeued.status(), StatusCode::OK);
    let again = app.post(&format!("/api/v1/outbox/{id}/requeue"), &app.officer_token, &json!({})).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "no longer dead");
}

async fn loop_until<T, F, Fut>(mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(std::time::Instant::now() < deadline, "condition not met in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn open_pools_past_their_deadline_expire_with_their_emails() {
    let app = spawn_app().await;
    let (_, namur, _) = organisation(&app, "Namur", "fr", 1).await;
    let pool = app.open_pool(&namur[0], "Gestion du cimetière", 10_000).await;
    app.pledge(&namur[0], pool, 1_000).await;
    let past = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/pools/{pool}"),
            Some(&app.officer_token),
            Some(&json!({"deadline": "2020-01-01"})),
        )
        .await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY, "a deadline in the past is refused");
    let yesterday = chrono::Utc::now().date_naive().pred_opt().unwrap();
    {
        let mut conn = app.state().db.raw_connection().unwrap();
        diesel::update(pools::table.find(pool)).set(pools::deadline.eq(Some(yesterday))).execute(&mut *conn).unwrap();
    }
    app.state().mailer.housekeeping().await;
    assert_eq!(app.pool(pool).await["state"], "expired");
    assert!(app.event_types(pool).await.contains(&"pool.expired".to_owned()));
    // The app's own worker delivers it, to the memory transport.
    let mail = loop_until(|| async {
        let sent = app.state().mailer.transport().sent();
        sent.last().map(|raw| crate::process::Mail::parse(raw)).filter(|m| m.event == "pool.expired")
    })
    .await;
    assert_eq!(mail.to, "user0@namur.be", "the member is told");
    assert_eq!(app.state().mailer.transport().sent().len(), 1);
}
