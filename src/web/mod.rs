//! `baocao serve`: the office's web page for one report folder. A front
//! end like the command line: it turns requests into calls of the
//! library's `check()` and `build()` and files in the folder, and holds no
//! report logic (it lives in the binary, so it can use only the library's
//! public API).
//!
//! axum on tokio with tower-http's body limit, features cut to what is
//! used (HTTP/1, JSON, multipart): the ecosystem's well-kept stack, and
//! small enough to build on two cores.

mod nop;
mod page;
mod routes;
mod security;
mod upload;
mod work;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use routes::App;
use security::{url_ip, Guard, HostPolicy};

/// The port tried first.
pub const DEFAULT_PORT: u16 = 8686;
/// How many ports after the first are tried when it is taken.
const PORTS_TRIED: u16 = 20;
/// The environment variable that may hold the office page's password.
pub const PASSWORD_ENV: &str = "BAOCAO_MAT_KHAU";

/// How `baocao serve` was asked to run.
pub struct Options {
    /// The report folder.
    pub dir: PathBuf,
    /// `--listen ADDR[:PORT]`; loopback port 8686 when absent.
    pub listen: Option<String>,
    /// The office page's password, if any.
    pub password: Option<String>,
    /// Other names of this machine accepted in `Host` (`--ten-may`).
    pub names: Vec<String>,
    /// Open the browser at the page.
    pub open_browser: bool,
}

/// The password from `--mat-khau-tu FILE` (its first line) or else the
/// environment variable; `None` when neither is given.
pub fn password_from(file: Option<&Path>) -> Result<Option<String>, String> {
    if let Some(f) = file {
        let text = std::fs::read_to_string(f)
            .map_err(|e| format!("không đọc được tệp mật khẩu {}: {e}", f.display()))?;
        let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
        if first.trim().is_empty() {
            return Err(format!(
                "tệp mật khẩu {} trống; ghi mật khẩu vào dòng đầu",
                f.display()
            ));
        }
        return Ok(Some(first.to_string()));
    }
    Ok(std::env::var(PASSWORD_ENV)
        .ok()
        .filter(|p| !p.trim().is_empty()))
}

/// The address to listen on: `ADDR:PORT`, `ADDR` (port 8686) or a name.
fn parse_listen(listen: Option<&str>) -> Result<SocketAddr, String> {
    let Some(text) = listen.map(str::trim) else {
        return Ok(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            DEFAULT_PORT,
        ));
    };
    if let Ok(a) = text.parse::<SocketAddr>() {
        return Ok(a);
    }
    if let Ok(ip) = text.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, DEFAULT_PORT));
    }
    let with_port = if text.contains(':') {
        text.to_string()
    } else {
        format!("{text}:{DEFAULT_PORT}")
    };
    with_port
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            format!("địa chỉ “{text}” không dùng được; viết dạng 127.0.0.1:8686 hoặc 0.0.0.0:8686")
        })
}

/// Bind `addr`, or the next free port after it (port 0: any free port).
fn bind_next_free(addr: SocketAddr) -> Result<TcpListener, String> {
    let last = if addr.port() == 0 {
        0
    } else {
        addr.port().saturating_add(PORTS_TRIED)
    };
    let mut port = addr.port();
    loop {
        match TcpListener::bind(SocketAddr::new(addr.ip(), port)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port < last => port += 1,
            Err(e) => {
                return Err(format!(
                    "không mở được cổng {} trên {} ({e}); thử --listen với cổng khác",
                    port,
                    addr.ip()
                ))
            }
        }
    }
}

/// This machine's name on the network, when the system says it.
pub fn machine_name() -> Option<String> {
    #[cfg(windows)]
    let name = std::env::var("COMPUTERNAME").ok();
    #[cfg(not(windows))]
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok());
    name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty())
}

/// Print a line; a closed output is not a reason to stop serving.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// Open the page in the user's browser. A command per system rather than
/// a crate: the crates that do this pull a URL parser with Unicode tables
/// (a long build on two cores) for one process start.
fn open_browser(url: &str) {
    #[cfg(windows)]
    let cmd = std::process::Command::new("rundll32")
        .args(["url.dll,FileProtocolHandler", url])
        .spawn();
    #[cfg(target_os = "macos")]
    let cmd = std::process::Command::new("open").arg(url).spawn();
    #[cfg(not(any(windows, target_os = "macos")))]
    let cmd = std::process::Command::new("xdg-open")
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match cmd {
        // Reap the opener when it ends, off the server's threads.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => say("Không mở được trình duyệt; hãy mở trình duyệt và vào địa chỉ trên."),
    }
}

/// Run the server until Ctrl-C. Errors are one Vietnamese sentence.
pub fn serve(o: Options) -> Result<(), String> {
    baocao::folder::Folder::open(&o.dir).map_err(|e| e.to_string())?;
    let requested = parse_listen(o.listen.as_deref())?;
    let on_loopback = requested.ip().is_loopback();
    if !on_loopback && o.password.is_none() {
        return Err(format!(
            "phục vụ ra mạng ({}) cần mật khẩu cho trang văn phòng: dùng --mat-khau-tu TỆP (mật khẩu ở dòng đầu) hoặc biến môi trường {PASSWORD_ENV}; không có mật khẩu thì chỉ phục vụ trên máy này (bỏ --listen)",
            requested.ip()
        ));
    }
    let listener = bind_next_free(requested)?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("không mở được cổng: {e}"))?;
    let mut hosts = HostPolicy::new(addr);
    let name = machine_name();
    if !on_loopback {
        // The name in the units' links (`baocao lien-ket --url`) is ours too.
        let links_host = baocao::submit::links::Store::load(&o.dir)
            .ok()
            .flatten()
            .and_then(|s| s.host());
        for n in name.iter().chain(&o.names).chain(&links_host) {
            hosts.allow_name(n);
        }
    }
    let guard = Guard::new(hosts, o.password)?;
    let folder_name = std::path::absolute(&o.dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| o.dir.display().to_string());
    let app = Arc::new(App {
        work: work::Work::new(o.dir.clone()),
        guard,
        pages: page::Pages::new()?,
        folder_name,
        submitting: tokio::sync::Mutex::new(()),
    });
    let shown = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        url_ip(addr.ip())
    };
    let url = format!("http://{shown}:{}", addr.port());
    say(&format!("Đang phục vụ tại {url}"));
    if !on_loopback {
        let who = name.as_deref().unwrap_or("TÊN-MÁY");
        say(&format!(
            "Máy khác trong mạng cơ quan vào http://{who}:{} (hoặc địa chỉ IP của máy này); trang hỏi mật khẩu.",
            addr.port()
        ));
    }
    say("Nhấn Ctrl-C để dừng.");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("không khởi động được máy chủ: {e}"))?;
    rt.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("không mở được cổng: {e}"))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("không mở được cổng: {e}"))?;
        // Read the folder now, so that the first page comes at once.
        let warm = app.clone();
        tokio::spawn(async move { warm.work.status().await });
        if o.open_browser {
            open_browser(&format!("{url}/"));
        }
        let service =
            routes::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service)
            .with_graceful_shutdown(stop_signal(app))
            .await
            .map_err(|e| format!("máy chủ dừng vì lỗi: {e}"))
    })?;
    say("Đã dừng.");
    Ok(())
}

/// Resolves on Ctrl-C. Open requests then finish; should some not within
/// a few seconds (a page left open keeps its connection), or on a second
/// Ctrl-C, the process ends once no build is writing.
async fn stop_signal(app: Arc<App>) {
    if tokio::signal::ctrl_c().await.is_err() {
        // No signal handling on this system: serve until killed.
        std::future::pending::<()>().await;
    }
    say("Đang dừng…");
    let end = |app: Arc<App>| async move {
        app.work.idle().await;
        say("Đã dừng.");
        std::process::exit(0);
    };
    let (a, b) = (app.clone(), app);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        end(a).await
    });
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        end(b).await
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses() {
        assert_eq!(
            parse_listen(None).unwrap(),
            "127.0.0.1:8686".parse().unwrap()
        );
        assert_eq!(
            parse_listen(Some("0.0.0.0")).unwrap(),
            "0.0.0.0:8686".parse().unwrap()
        );
        assert_eq!(
            parse_listen(Some("192.168.1.5:9000")).unwrap(),
            "192.168.1.5:9000".parse().unwrap()
        );
        assert_eq!(
            parse_listen(Some("[::1]")).unwrap(),
            "[::1]:8686".parse().unwrap()
        );
        assert!(parse_listen(Some("không phải địa chỉ")).is_err());
    }

    #[test]
    fn a_taken_port_moves_to_the_next() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let next = bind_next_free(taken.local_addr().unwrap()).unwrap();
        assert_ne!(next.local_addr().unwrap().port(), port);
    }

    #[test]
    fn password_file_first_line() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("mk.txt");
        std::fs::write(&f, "bí mật 1\r\nthừa\n").unwrap();
        assert_eq!(
            password_from(Some(&f)).unwrap().as_deref(),
            Some("bí mật 1")
        );
        std::fs::write(&f, "\n").unwrap();
        assert!(password_from(Some(&f)).is_err());
        assert!(password_from(Some(&d.path().join("khong-co"))).is_err());
    }
}
