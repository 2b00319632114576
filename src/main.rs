//! The `mutua` command: parse the command line, load the configuration, run.

use std::{io::Read, path::PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use mutua::{
    Application, bootstrap,
    config::{Config, MIN_JWT_SECRET_BYTES},
    db::{Db, System},
    domain::kinds::OutboxStatus,
    mail::worker::Mailer,
    metrics::EmailMetrics,
    service::{self, outbox::Keeper},
    telemetry,
};

#[derive(Parser)]
#[command(name = "mutua", version, about = "Pool the IT needs of local authorities and fund each development once")]
struct Cli {
    /// A file of KEY=VALUE lines adding to the environment (the environment wins).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API and the email worker.
    Serve {
        /// Development mode: without MUTUA_JWT_SECRET, use a random secret kept in
        /// `.mutua-dev-secret` in the working directory. Never in production.
        #[arg(long)]
        dev: bool,
    },
    /// Run only the email worker (deliveries, pool expiry), without the HTTP API.
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Inspect the email outbox.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Imports organisations and their users from a CSV file (docs/OPERATIONS.md): all or
    /// nothing; created users are invited by email.
    Import {
        /// The CSV file: UTF-8, `;` or `,` separated, with the header
        /// name,kind,locale,contact_email,bce,nis_code,user_email,user_name,user_role.
        file: PathBuf,
        /// Says what each line would do, and changes nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an officer of the central purchasing office; the password is read from stdin.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Name of the central purchasing organisation, created if it does not exist.
        #[arg(long, default_value = "Centrale d'achat")]
        organisation: String,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// List emails by status (dead ones by default).
    List {
        #[arg(long, default_value = "dead", value_parser = ["pending", "sent", "dead"])]
        status: String,
    },
    /// Put a dead email back in the queue.
    Requeue { id: i64 },
}

const DEV_SECRET_FILE: &str = ".mutua-dev-secret";

fn main() -> anyhow::Result<()> {
    keep_large_allocations_out_of_the_heap();
    let cli = Cli::parse();
    if let Some(path) = &cli.config {
        // Values already in the environment are kept: the environment wins.
        dotenvy::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    let env = |key: &str| std::env::var(key).ok();
    telemetry::init(
        &env("MUTUA_LOG").unwrap_or_else(|| "info".into()),
        &env("MUTUA_LOG_FORMAT").unwrap_or_else(|| "json".into()),
    );
    let dev = matches!(cli.command, Command::Serve { dev: true });
    let config = Config::from_lookup(env, || if dev { dev_secret() } else { Err(no_secret_message()) })
        .map_err(|message| anyhow::anyhow!(message))?;

    match cli.command {
        Command::Serve { .. } => serve(config),
        Command::Worker => worker(config),
        Command::Migrate => Db::new(&config.database_url, 1).migrate(std::time::Duration::from_secs(60)),
        Command::Mail { command } => mail(config, command),
        Command::Import { file, dry_run } => import(config, &file, dry_run),
        Command::User { command: UserCommand::Create { email, name, organisation } } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            let db = Db::new(&config.database_url, 1);
            db.migrate(std::time::Duration::from_secs(60))?;
            let user = runtime()?
                .block_on(bootstrap::create_officer(&db, &organisation, &email, &name, password, false))?
                .context("officer not created")?;
            println!("officer {} created with id {}", user.email, user.id);
            Ok(())
        }
    }
}

/// Every Argon2 hash allocates 19 MiB. glibc's allocator serves the first from `mmap` and
/// then raises its threshold, so later ones come from per-thread heaps that never give the
/// memory back: a fresh server reached 300 MB resident after a hundred logins. A fixed 1 MiB
/// threshold keeps such blocks in `mmap`, returned to the system when freed (30 MB after
/// the same logins). Measured with `scripts/bench.sh`; see docs/PERFORMANCE.md.
fn keep_large_allocations_out_of_the_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator; it is called once,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()
}

fn serve(config: Config) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let app = Application::build(config).await?;
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn worker(config: Config) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let db = Db::new(&config.database_url, config.database_pool_size);
        let migrating = db.clone();
        tokio::task::spawn_blocking(move || migrating.migrate(std::time::Duration::from_secs(60))).await??;
        let wake = std::sync::Arc::new(tokio::sync::Notify::new());
        // No HTTP server here: what the worker counts is not exposed.
        let metrics = std::sync::Arc::new(EmailMetrics::default());
        let mailer = std::sync::Arc::new(Mailer::new(db, config.mail, config.public_url, wake, metrics)?);
        tracing::info!("worker started");
        tokio::select! {
            () = mailer.run() => {}
            _ = tokio::signal::ctrl_c() => tracing::info!("worker stopped"),
        }
        Ok(())
    })
}

fn import(config: Config, file: &std::path::Path, dry_run: bool) -> anyhow::Result<()> {
    use mutua::service::import::{self, Importer};
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let lines = mutua::domain::import::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let db = Db::new(&config.database_url, 1);
    db.migrate(std::time::Duration::from_secs(60))?;
    let runtime = runtime()?;
    let report = if dry_run {
        runtime.block_on(db.read(System, move |tx, _| import::preview(tx, Importer::CommandLine, &lines)))?
    } else {
        runtime.block_on(db.write(System, move |tx, _| import::apply(tx, Importer::CommandLine, &lines)))?
    };
    for line in &report.lines {
        println!("{}", import::describe(line));
    }
    let errors = report.error_lines();
    if !errors.is_empty() {
        let lines: Vec<String> = errors.iter().map(u64::to_string).collect();
        anyhow::bail!("nothing imported: {} line(s) in error: {}", errors.len(), lines.join(", "));
    }
    let counts = |action| report.count(action);
    println!(
        "{}: {} line(s) create, {} update, {} unchanged; {} user(s) invited",
        if dry_run { "dry run, nothing changed" } else { "imported" },
        counts(import::Action::Create),
        counts(import::Action::Update),
        counts(import::Action::Unchanged),
        if dry_run { 0 } else { report.invited.len() },
    );
    Ok(())
}

fn mail(config: Config, command: MailCommand) -> anyhow::Result<()> {
    let db = Db::new(&config.database_url, 1);
    let runtime = runtime()?;
    match command {
        MailCommand::List { status } => {
            let status = OutboxStatus::parse(&status).map_err(|e| anyhow::anyhow!("--status {e}"))?;
            let (rows, total) = runtime.block_on(
                db.read(System, move |tx, _| service::outbox::list(tx, Keeper::CommandLine, status, 1_000, 0)),
            )?;
            println!("{total} {status} email(s)");
            for r in rows {
                println!(
                    "{}\t{}\t{}\tattempts={}\t{}",
                    r.id,
                    r.event_type,
                    r.recipient_email,
                    r.attempts,
                    r.last_error.unwrap_or_default()
                );
            }
        }
        MailCommand::Requeue { id } => {
            match runtime.block_on(db.write(System, move |tx, _| service::outbox::requeue(tx, Keeper::CommandLine, id)))
            {
                Err(mutua::error::ApiError::NotFound) => anyhow::bail!("no dead email with id {id}"),
                outcome => outcome?,
            }
            println!("email {id} queued again");
        }
    }
    Ok(())
}

fn no_secret_message() -> String {
    format!(
        "MUTUA_JWT_SECRET is not set. Set it to a random value of at least {MIN_JWT_SECRET_BYTES} bytes \
         (for example `openssl rand -base64 48`), or run `mutua serve --dev` on a development machine."
    )
}

/// The development secret: read from `.mutua-dev-secret`, or created there at random, so that
/// tokens survive a restart of a development server.
///
/// The file is never reached through a symbolic link (a link planted in a shared working
/// directory would otherwise make mutua write its secret, or read one, where the link points),
/// and it must be a regular file of this user that no one else may read (mode 0600): checked
/// at every start, which is refused otherwise.
fn dev_secret() -> Result<Vec<u8>, String> {
    tracing::warn!(
        "DEVELOPMENT MODE: MUTUA_JWT_SECRET is unset; using a random secret kept in {DEV_SECRET_FILE}. \
         Never run a production service like this."
    );
    eprintln!("*** mutua is running in DEVELOPMENT MODE (serve --dev): not for production ***");
    if let Some(existing) = private_file::read(DEV_SECRET_FILE)? {
        let existing = existing.trim().to_owned();
        if existing.len() < MIN_JWT_SECRET_BYTES {
            return Err(format!(
                "{DEV_SECRET_FILE} holds fewer than {MIN_JWT_SECRET_BYTES} bytes; delete it and a new secret is made"
            ));
        }
        return Ok(existing.into_bytes());
    }
    use rand::{Rng, distr::Alphanumeric};
    let secret: String = rand::rng().sample_iter(&Alphanumeric).take(64).map(char::from).collect();
    private_file::create(DEV_SECRET_FILE, &secret).map_err(|e| format!("cannot create {DEV_SECRET_FILE}: {e}"))?;
    Ok(secret.into_bytes())
}

/// Files only their owner may read, reached without following symbolic links.
#[cfg(unix)]
mod private_file {
    use std::{
        fs::OpenOptions,
        io::{ErrorKind, Read, Write},
        os::unix::fs::{MetadataExt, OpenOptionsExt},
    };

    /// The content of `path`, `None` if it does not exist; refused (with what to do) when it
    /// is a symbolic link, not a regular file, another user's, or readable by others.
    pub fn read(path: &str) -> Result<Option<String>, String> {
        let file = match OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(format!("{path} is a symbolic link; refusing to start. Remove it (a new secret is made)"));
            }
            Err(e) => return Err(format!("cannot open {path}: {e}")),
        };
        let meta = file.metadata().map_err(|e| format!("cannot read {path}: {e}"))?;
        if !meta.is_file() {
            return Err(format!("{path} is not a regular file; refusing to start. Remove it (a new secret is made)"));
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(format!("{path} belongs to another user (uid {}); refusing to start", meta.uid()));
        }
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "{path} has mode {mode:04o}: other users may read it; refusing to start. \
                 Run `chmod 600 {path}`, or delete it and a new secret is made"
            ));
        }
        let mut content = String::new();
        (&file).read_to_string(&mut content).map_err(|e| format!("cannot read {path}: {e}"))?;
        Ok(Some(content))
    }

    /// Creates `path` with mode 0600 and writes `content`; fails if anything (a file, a
    /// link) is already there, so nothing is overwritten and no link is followed.
    pub fn create(path: &str, content: &str) -> std::io::Result<()> {
        let mut file =
            OpenOptions::new().write(true).create_new(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(path)?;
        file.write_all(content.as_bytes())?;
        file.sync_all()
    }
}

#[cfg(not(unix))]
mod private_file {
    pub fn read(path: &str) -> Result<Option<String>, String> {
        match std::fs::read_to_string(path) {
            Ok(content) => Ok(Some(content)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {path}: {e}")),
        }
    }

    pub fn create(path: &str, content: &str) -> std::io::Result<()> {
        use std::io::Write;
        std::fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(content.as_bytes())
    }
}
