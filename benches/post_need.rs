//! Posting a need at 1 000, 10 000 and 100 000 distinct pools: median and p99 latency of
//! `POST /api/v1/needs` through HTTP (matching, pool, need, event, all committed), and the
//! resident memory of the service. A benchmark, not a test: `cargo bench --bench post_need`
//! (sizes can be chosen with `SIZES=1000,10000`).
//!
//! Each size runs in its own process (this program re-runs itself), on a fresh SQLite
//! database filled directly with synthetic needs, each in its own pool; the service loads
//! its matcher index on the first post (a warm-up, not timed), then 300 distinct needs are
//! posted one after the other.

use std::{collections::HashMap, time::Instant};

use mutua::{
    Application,
    config::Config,
    db::{
        self, System,
        models::{
            need::{self, NewNeed},
            organisation::{self, NewOrganisation},
            pool::{self, NewPool},
            user::{self, NewUser},
        },
    },
    domain::{
        kinds::{Locale, NeedStatus, OrganisationKind, Role, UserStatus},
        pool_state::PoolState,
    },
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::{Value, json};

const POSTS: usize = 300;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(size) = args.iter().position(|a| a == "--size").and_then(|i| args.get(i + 1)) {
        let size: usize = size.parse().expect("a size");
        tokio::runtime::Runtime::new().expect("runtime").block_on(run(size));
        return;
    }
    let sizes = std::env::var("SIZES").unwrap_or_else(|_| "1000,10000,100000".into());
    println!("| pools | median | p99 | resident memory |");
    println!("|---:|---:|---:|---:|");
    for size in sizes.split(',') {
        let status =
            std::process::Command::new(&args[0]).args(["--bench", "--size", size]).status().expect("run a size");
        assert!(status.success(), "size {size} failed");
    }
}

async fn run(size: usize) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = dir.path().join("bench.db").to_string_lossy().into_owned();
    let vars: HashMap<&str, String> = [
        ("MUTUA_DATABASE_URL", url),
        ("MUTUA_BIND", "127.0.0.1:0".into()),
        ("MUTUA_JWT_SECRET", "benchmark secret of at least thirty-two bytes".into()),
        ("MUTUA_RATE_LIMIT_PER_MINUTE", "0".into()),
        ("MUTUA_MAX_NEEDS_PER_DAY", "0".into()),
        ("MUTUA_OUTBOX_DIR", dir.path().join("outbox").to_string_lossy().into_owned()),
        ("MUTUA_LOG", "error".into()),
    ]
    .into_iter()
    .collect();
    let config = Config::from_lookup(|k| vars.get(k).cloned(), || Err("no secret".into())).expect("config");
    let app = Application::build(config).await.expect("app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    let password = "benchmark member password";
    fill(&state.db, size, password).await;
    tokio::spawn(app.run_until_stopped());

    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{address}/api/v1/auth/login"))
        .json(&json!({"email": "bench@example.be", "password": password}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("token");
    let token = login["access_token"].as_str().expect("a token").to_owned();
    let mut generator = Gen::new(7);
    let post = async |title: String, description: String| {
        let started = Instant::now();
        let response = client
            .post(format!("{address}/api/v1/needs"))
            .bearer_auth(&token)
            .json(&json!({"title": title, "description": description}))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 201);
        started.elapsed().as_secs_f64() * 1000.0
    };
    let (title, description) = generator.need();
    post(title, description).await; // loads the index: not timed
    let mut millis = Vec::with_capacity(POSTS);
    for _ in 0..POSTS {
        let (title, description) = generator.need();
        millis.push(post(title, description).await);
    }
    millis.sort_by(f64::total_cmp);
    let at = |p: f64| millis[((millis.len() - 1) as f64 * p).round() as usize];
    println!("| {size} | {:.2} ms | {:.2} ms | {} MiB |", at(0.5), at(0.99), rss_mib());
}

/// `size` pools, each opened by one synthetic need, written straight to the database.
async fn fill(db: &db::Db, size: usize, password: &str) {
    let now = db::now();
    let hash = mutua::auth::password::hash(password).expect("hash");
    let (org, member) = db
        .write(System, move |tx, _| {
            let org = organisation::insert(
                tx,
                &NewOrganisation {
                    name: "Commune de Benchmark",
                    kind: OrganisationKind::Commune,
                    nis_code: None,
                    population: None,
                    locale: Locale::Fr,
                    contact_email: None,
                    bce: None,
                    created_at: now,
                },
            )?;
            let member = user::insert(
                tx,
                &NewUser {
                    organisation_id: org.id,
                    email: "bench@example.be",
                    name: "Bench",
                    role: Role::Member,
                    password_hash: Some(&hash),
                    status: UserStatus::Active,
                    created_at: now,
                },
            )?;
            Ok((org.id, member.id))
        })
        .await
        .expect("organisation");
    let mut generator = Gen::new(1);
    let started = Instant::now();
    for chunk in 0..size.div_ceil(5_000) {
        let count = 5_000.min(size - chunk * 5_000);
        let needs: Vec<(String, String)> = (0..count).map(|_| generator.need()).collect();
        db.write(System, move |tx, _| {
            for (title, description) in &needs {
                let p = pool::insert(
                    tx,
                    &NewPool {
                        title,
                        description,
                        cpv_code: None,
                        state: PoolState::Open,
                        currency: "EUR",
                        target_cents: None,
                        opened_by_organisation_id: Some(org),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                need::insert(
                    tx,
                    &NewNeed {
                        organisation_id: org,
                        pool_id: p.id,
                        posted_by_user_id: member,
                        title,
                        description,
                        cpv_code: None,
                        estimated_cost_cents: None,
                        status: NeedStatus::Active,
                        similar_pools: "[]",
                        created_at: now,
                    },
                )?;
            }
            Ok(())
        })
        .await
        .expect("fill");
    }
    eprintln!("filled {size} pools in {:.1} s", started.elapsed().as_secs_f64());
}

fn rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    kib / 1024
}

// Synthetic needs: random combinations of French administrative and IT words, Zipf-like
// so that common words have long posting lists, plus rare local names.
const ACTIONS: &str = "gestion suivi planification inventaire registre réservation inscription paiement facturation délivrance contrôle publication digitalisation remplacement centralisation encodage archivage recensement attribution monitoring";
const OBJECTS: &str = "archives cimetières concessions permis urbanisme taxes redevances subsides primes associations salles sports piscine bibliothèque écoles crèches repas garderie stages plaines jeunesse seniors logements loyers baux travaux voirie chantiers éclairage égouts déchets conteneurs recyparc véhicules carburant stock magasin marchés fournisseurs factures budget comptabilité salaires congés absences formations recrutement candidatures évaluations courrier délibérations collège conseil mandataires jetons signatures parapheur documents population étatcivil passeports naissances mariages décès domicile étrangers élections plaintes sanctions amendes caméras stationnement horodateurs riverains vélos mobilité arbres espaces plantations inspections aires jeux énergie compteurs consommations chauffage bâtiments patrimoine assurances sinistres contrats helpdesk téléphonie réseau serveurs sauvegardes licences ordinateurs tablettes imprimantes site portail application formulaires guichet rendez-vous agenda notifications alertes newsletter tourisme hébergements événements festivités culture musée patrimoine location matériel prêts bénévoles quartiers participation budgetparticipatif pétitions enquêtes plaintes objets trouvés animaux chiens chats agriculture forêts bois chasse pêche eau égouttage cadastre cartographie plans adresses rues numérotation";
const QUALIFIERS: &str = "en ligne communal communale mobile électronique numérique centralisé partagé sécurisé automatique mensuel annuel hebdomadaire public privé social scolaire sportif culturel technique administratif financier juridique urgent temporaire permanent interne externe régional provincial local";
const FILLERS: &str = "nous voulons souhaitons cherchons un outil une application logiciel plateforme pour les des agents citoyens habitants avec historique statistiques export tableau de bord rappel par courriel sms validation workflow accès droits rôles recherche filtre carte photo tablette terrain papier excel actuellement remplacer permettre suivre gérer encoder consulter imprimer signer valider transmettre planifier calculer alerter";
const SYLLABLES: &str = "ba be bi bo bu la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi vo wa we ger hou mont val bois ville court sart fon";

struct Gen {
    rng: StdRng,
    actions: Vec<&'static str>,
    objects: Vec<&'static str>,
    qualifiers: Vec<&'static str>,
    fillers: Vec<&'static str>,
    syllables: Vec<&'static str>,
}

impl Gen {
    fn new(seed: u64) -> Self {
        let w = |s: &'static str| s.split_whitespace().collect::<Vec<_>>();
        Gen {
            rng: StdRng::seed_from_u64(seed),
            actions: w(ACTIONS),
            objects: w(OBJECTS),
            qualifiers: w(QUALIFIERS),
            fillers: w(FILLERS),
            syllables: w(SYLLABLES),
        }
    }

    /// Zipf-like pick: index ~ n^u, so early words are much more frequent.
    fn zipf<'a>(&mut self, v: &[&'a str]) -> &'a str {
        let u: f64 = self.rng.random();
        let i = ((v.len() as f64).powf(u) - 1.0) as usize;
        v[i.min(v.len() - 1)]
    }

    /// A rare proper name (village, product, vendor) — the long tail.
    fn name(&mut self) -> String {
        let n = self.rng.random_range(2..4);
        (0..n).map(|_| *self.syllables.get(self.rng.random_range(0..self.syllables.len())).unwrap_or(&"x")).collect()
    }

    fn need(&mut self) -> (String, String) {
        let (objects, actions, qualifiers, fillers) =
            (self.objects.clone(), self.actions.clone(), self.qualifiers.clone(), self.fillers.clone());
        let title = format!(
            "{} des {} {} {}",
            self.zipf(&actions),
            self.zipf(&objects),
            self.zipf(&objects),
            self.zipf(&qualifiers)
        );
        let mut desc: Vec<String> = Vec::new();
        for _ in 0..self.rng.random_range(15..35) {
            let r: f64 = self.rng.random();
            desc.push(if r < 0.45 {
                self.zipf(&fillers).to_string()
            } else if r < 0.8 {
                self.zipf(&objects).to_string()
            } else if r < 0.95 {
                self.zipf(&qualifiers).to_string()
            } else {
                self.name()
            });
        }
        (title, desc.join(" "))
    }
}
