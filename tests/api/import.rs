//! `mutua import FILE.csv [--dry-run]` (SPEC §14) run as a process on the test database,
//! with the same configuration as the server; the invitations go through the real SMTP
//! server the other mail tests use.

use std::{collections::HashMap, process::Command, time::Duration};

use serde_json::Value;

use crate::{
    helpers::{TestApp, spawn_app_with},
    process::SmtpSink,
};

/// `mutua import` with the app's configuration: (success, stdout, stderr).
fn import(vars: &HashMap<String, String>, file: &str, dry_run: bool) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("import.csv");
    std::fs::write(&path, file).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_mutua"));
    command.arg("import").arg(&path).env_clear().envs(vars).env("MUTUA_LOG", "warn");
    if dry_run {
        command.arg("--dry-run");
    }
    let output = command.output().expect("run mutua import");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}

/// A semicolon-separated file with a byte order mark, as a spreadsheet saves it: Namur
/// (two users), its CPAS (the same NIS code, another kind), Ciney without users.
const OFFICE: &str = "\u{feff}name;kind;locale;contact_email;bce;nis_code;user_email;user_name;user_role\r\n\
Ville de Namur;commune;fr;informatique@ville.namur.be;BE 0207.446.772;92094;anne.lambert@ville.namur.be;Anne Lambert;manager\r\n\
Ville de Namur;commune;fr;informatique@ville.namur.be;BE 0207.446.772;92094;bruno.dubois@ville.namur.be;Bruno Dubois;\r\n\
CPAS de Namur;cpas;fr;;;92094;claire.henrard@cpasnamur.be;Claire Henrard;member\r\n\
Stad Gent;commune;nl;;;44021;;;\r\n";

async fn organisations(app: &TestApp) -> Value {
    app.get("/api/v1/organisations?limit=100", &app.officer_token).await.json().await.unwrap()
}

fn verdicts(stdout: &str) -> Vec<String> {
    stdout.lines().filter(|l| l.starts_with("line ")).map(|l| l.split(" | ").next().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn an_office_is_onboarded_from_a_csv_once() {
    let mail_dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(mail_dir.path());
    let mut vars = HashMap::new();
    let app = spawn_app_with(|v| {
        v.insert("MUTUA_SMTP_URL".into(), sink.url());
        vars = v.clone();
    })
    .await;

    // The dry run says what each line would do and changes nothing.
    let (ok, stdout, stderr) = import(&vars, OFFICE, true);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(verdicts(&stdout), ["line 2: create", "line 3: create", "line 4: create", "line 5: create"], "{stdout}");
    assert!(stdout.contains("dry run, nothing changed"), "{stdout}");
    assert_eq!(organisations(&app).await["total"], 1, "only the central purchasing office");

    // A file with errors changes nothing and names its lines.
    let wrong = format!(
        "{OFFICE}Ciney;commune;fr;;0207.446.773;91030;;;\nAndenne;commune;fr;;;;officer@centrale.be;Intrus;member\n"
    );
    let (ok, stdout, stderr) = import(&vars, &wrong, false);
    assert!(!ok, "{stdout}");
    assert!(stderr.contains("2 line(s) in error: 6, 7"), "{stderr}");
    assert!(
        stdout.contains("line 6: error") && stdout.contains("bce: must be a Belgian enterprise number"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 7: error") && stdout.contains("user of another organisation, \"Centrale"),
        "{stdout}"
    );
    assert_eq!(organisations(&app).await["total"], 1, "nothing imported");

    // Applied: the organisations, the enterprise number normalised, the users invited.
    let (ok, stdout, stderr) = import(&vars, OFFICE, false);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("3 user(s) invited"), "{stdout}");
    let listed = organisations(&app).await;
    assert_eq!(listed["total"], 4);
    let namur = listed["items"].as_array().unwrap().iter().find(|o| o["name"] == "Ville de Namur").unwrap().clone();
    assert_eq!((namur["bce"].as_str(), namur["nis_code"].as_str()), (Some("0207446772"), Some("92094")));
    let users: Value = app
        .get(&format!("/api/v1/organisations/{}/users", namur["id"]), &app.officer_token)
        .await
        .json()
        .await
        .unwrap();
    let users: Vec<(&str, &str, &str)> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["email"].as_str().unwrap(), u["role"].as_str().unwrap(), u["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        users,
        [("anne.lambert@ville.namur.be", "manager", "invited"), ("bruno.dubois@ville.namur.be", "member", "invited")]
    );
    let mails = sink.wait_for(3, Duration::from_secs(20)).await;
    let mut invited: Vec<(&str, &str)> = mails.iter().map(|m| (m.to.as_str(), m.event.as_str())).collect();
    invited.sort();
    assert_eq!(
        invited,
        [
            ("anne.lambert@ville.namur.be", "user.invited"),
            ("bruno.dubois@ville.namur.be", "user.invited"),
            ("claire.henrard@cpasnamur.be", "user.invited")
        ]
    );

    // The same file again: every line unchanged, nothing sent.
    let (ok, stdout, stderr) = import(&vars, OFFICE, false);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(verdicts(&stdout), ["line 2: unchanged", "line 3: unchanged", "line 4: unchanged", "line 5: unchanged"]);
    assert!(stdout.contains("0 user(s) invited"), "{stdout}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.messages().len(), 3, "nothing more sent");

    // A comma-separated file without BOM that changes a role and a contact: updates.
    let changed = "name,kind,locale,contact_email,bce,nis_code,user_email,user_name,user_role\n\
0207446772,commune,fr,,0207446772,,,,\n\
Ville de Namur,commune,fr,,0207446772,,bruno.dubois@ville.namur.be,Bruno Dubois,manager\n\
Stad Gent,commune,nl,ict@stad.gent,,44021,,,\n";
    let (ok, stdout, _) = import(&vars, changed, true);
    assert!(!ok, "line 2 renames Namur by its number while line 3 names it otherwise: {stdout}");
    assert!(stdout.contains("line 3: error") && stdout.contains("otherwise than line 2"), "{stdout}");
    let changed: String = changed.lines().enumerate().filter(|(i, _)| *i != 1).map(|(_, l)| format!("{l}\n")).collect();
    let (ok, stdout, stderr) = import(&vars, &changed, false);
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(verdicts(&stdout), ["line 2: update", "line 3: update"], "{stdout}");
    assert!(stdout.contains("user bruno.dubois@ville.namur.be: update"), "{stdout}");
    let gent =
        organisations(&app).await["items"].as_array().unwrap().iter().find(|o| o["name"] == "Stad Gent").cloned();
    assert_eq!(gent.unwrap()["contact_email"], "ict@stad.gent");
}

/// The sample file of docs/OPERATIONS.md ("Onboarding an office from a CSV"), imported from
/// where it is committed, as the guide says: a dry run, then the import, then once more.
#[tokio::test]
async fn the_operations_guides_sample_file_imports_as_the_guide_says() {
    let mut vars = HashMap::new();
    let app = spawn_app_with(|v| vars = v.clone()).await;
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/onboarding.csv");
    let run = |dry_run: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mutua"));
        command.arg("import").arg(&sample).env_clear().envs(&vars).env("MUTUA_LOG", "warn");
        if dry_run {
            command.arg("--dry-run");
        }
        let output = command.output().expect("run mutua import");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };

    let dry = run(true);
    let created: Vec<String> = (2..=6).map(|l| format!("line {l}: create")).collect();
    assert_eq!(verdicts(&dry), created, "{dry}");
    assert!(dry.contains("dry run, nothing changed: 5 line(s) create, 0 update, 0 unchanged; 0 user(s) invited"));
    assert_eq!(organisations(&app).await["total"], 1);

    let applied = run(false);
    assert!(applied.contains("imported: 5 line(s) create, 0 update, 0 unchanged; 4 user(s) invited"), "{applied}");
    assert_eq!(organisations(&app).await["total"], 5);

    let again = run(false);
    let unchanged: Vec<String> = (2..=6).map(|l| format!("line {l}: unchanged")).collect();
    assert_eq!(verdicts(&again), unchanged, "{again}");
    assert!(again.contains("0 user(s) invited"), "{again}");
}
