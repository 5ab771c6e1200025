//! Headless Chromium, as a person would look: open a page, let a script written into it
//! measure what is drawn, read its findings back from the page (`--dump-dom`), and keep a
//! screenshot under `target/tmp/erd-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Chromium binary (`CHROMIUM`, else `chromium` on PATH); `None` outside CI when there
/// is none (the caller skips, loudly). In CI a missing browser fails the test.
pub fn chromium() -> Option<PathBuf> {
    let candidate = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| find_on_path("chromium"))
        .or_else(|| find_on_path("chromium-browser"));
    if candidate.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Chromium (.ci/run installs the Debian package `chromium`)"
        );
        eprintln!("\n==================== SKIPPED: no chromium on PATH (set CHROMIUM) ====================\n");
    }
    candidate
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("erd-screenshots");
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}

/// Runs Chromium on `page` with `extra` flags; its stdout.
fn run(chromium: &Path, page: &Path, extra: &[String]) -> String {
    let profile = tempfile::tempdir().expect("empty profile");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts chromium");
    // Read while it runs: a page's DOM is more than a pipe holds.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let started = Instant::now();
    loop {
        if child.try_wait().expect("chromium runs").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().expect("stdout reader")
}

/// The JSON a page's script wrote into `<pre id="erd-test-result">`.
pub fn findings(chromium: &Path, page: &Path, budget_ms: u32) -> serde_json::Value {
    let dom = run(
        chromium,
        page,
        &[
            "--window-size=1600,1200".to_string(),
            format!("--virtual-time-budget={budget_ms}"),
            "--dump-dom".to_string(),
        ],
    );
    let start = dom
        .rfind("<pre id=\"erd-test-result\">")
        .unwrap_or_else(|| panic!("the page wrote no result:\n{}", &dom[..dom.len().min(3000)]))
        + "<pre id=\"erd-test-result\">".len();
    let end = start + dom[start..].find("</pre>").expect("end of the result");
    let text = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("result is not JSON ({e}): {text}"))
}

pub fn screenshot(chromium: &Path, page: &Path, png: &Path, size: &str) {
    run(
        chromium,
        page,
        &[
            format!("--window-size={size}"),
            format!("--screenshot={}", png.display()),
        ],
    );
    assert!(png.is_file(), "no screenshot at {}", png.display());
}
