//! mutua as a separate process (the built binary), for tests that kill it, restart it, or
//! run two of them on one database; and an SMTP server as a separate process.

use std::{
    collections::HashMap,
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A port free at the time of asking.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `mutua serve` in its own process; killed (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(vars: &HashMap<String, String>) -> Server {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_mutua"));
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(vars)
            .env("MUTUA_BIND", format!("127.0.0.1:{port}"))
            .env("MUTUA_LOG", std::env::var("MUTUA_TEST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdout(Stdio::null());
        let child = command.spawn().expect("start mutua serve");
        wait_for_port(port, "mutua serve");
        Server { child, port }
    }

    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The process's resident memory now, in bytes (`VmRSS` of `/proc/PID/status`).
    pub fn resident_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("/proc status");
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
        let kib: u64 = line.split_whitespace().nth(1).and_then(|k| k.parse().ok()).expect("VmRSS in kB");
        kib * 1024
    }

    /// SIGKILL: no graceful shutdown, no chance to finish anything.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL mutua");
        self.child.wait().expect("reap mutua");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `mutua serve` on a database of its own, writing its emails as `.eml` files to a directory
/// of its own; both go when it is dropped.
pub struct FreshServer {
    pub server: Server,
    pub outbox: tempfile::TempDir,
    _db: crate::helpers::TestDb,
}

impl FreshServer {
    pub fn start() -> FreshServer {
        let (db, database_url) = crate::helpers::TestDb::create();
        let outbox = tempfile::tempdir().unwrap();
        let mut vars = crate::helpers::test_vars(&database_url);
        vars.insert("MUTUA_OUTBOX_DIR".into(), outbox.path().to_string_lossy().into_owned());
        FreshServer { server: Server::start(&vars), outbox, _db: db }
    }
}

/// An SMTP server (aiosmtpd, `tests/support/smtp_sink.py`) writing what it receives to a
/// directory; killed when dropped. The directory outlives restarts on the same port.
pub struct SmtpSink {
    child: Option<Child>,
    pub port: u16,
    pub dir: PathBuf,
}

impl SmtpSink {
    /// A sink that is not running yet: its URL can be configured before it starts.
    pub fn stopped(dir: &Path) -> SmtpSink {
        SmtpSink { child: None, port: free_port(), dir: dir.to_path_buf() }
    }

    pub fn started(dir: &Path) -> SmtpSink {
        let mut sink = SmtpSink::stopped(dir);
        sink.start();
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn start(&mut self) {
        let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support");
        let python = std::env::var("MUTUA_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-c", "smtp_sink.Sink"])
            .arg(&self.dir)
            .args(["-l", &format!("127.0.0.1:{}", self.port)])
            .env("PYTHONPATH", support)
            .stdout(Stdio::null())
            .spawn()
            .expect("start aiosmtpd (pip install aiosmtpd)");
        self.child = Some(child);
        wait_for_port(self.port, "aiosmtpd");
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .map(|p| Mail::parse(&std::fs::read(p).unwrap()))
            .collect()
    }

    /// Waits until `count` messages arrived (or fails after `patience`), then a little more
    /// to catch any duplicate, and returns them.
    pub async fn wait_for(&self, count: usize, patience: Duration) -> Vec<Mail> {
        let deadline = Instant::now() + patience;
        while self.messages().len() < count {
            assert!(Instant::now() < deadline, "{} of {count} emails arrived", self.messages().len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        self.messages()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What a test reads of an email.
#[derive(Debug, Clone)]
pub struct Mail {
    pub message_id: String,
    pub event: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    pub fn parse(raw: &[u8]) -> Mail {
        let message = mail_parser::MessageParser::default().parse(raw).expect("an email");
        let header = |name: &str| message.header_raw(name).unwrap_or_default().trim().to_owned();
        Mail {
            message_id: header("Message-ID"),
            event: header("X-Mutua-Event"),
            to: message.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_owned(),
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message.body_text(0).unwrap_or_default().into_owned(),
            html: message.body_html(0).unwrap_or_default().into_owned(),
        }
    }
}

/// Whether `program` runs. When it does not, a test in CI (`CI` set) fails saying what to
/// install; elsewhere the test is skipped with a notice.
pub fn tool_or_skip(program: &str, install: &str) -> bool {
    let runs = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !runs {
        assert!(std::env::var_os("CI").is_none(), "{program} is required in CI and was not found: {install}");
        eprintln!("SKIPPED: {program} is not installed ({install}); CI runs this test");
    }
    runs
}

/// What a finished command printed.
pub struct Finished {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` with its output in files of `dir` (a browser's page can be larger than a
/// pipe), killing it after `limit`.
pub fn run_with_timeout(command: &mut Command, limit: Duration, dir: &Path) -> Finished {
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = command
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let finished = Finished { success: status.is_some_and(|s| s.success()), stdout: read(&out), stderr: read(&err) };
    assert!(
        status.is_some(),
        "{:?} did not finish within {limit:?}\n--- stdout\n{}\n--- stderr\n{}",
        command.get_program(),
        finished.stdout,
        finished.stderr
    );
    finished
}
