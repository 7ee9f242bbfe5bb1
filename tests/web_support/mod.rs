//! For the web tests: the real `baocao serve` started on a free port over
//! a copy of a sample folder, and a plain HTTP/1.1 client on std::net (so
//! that a test can send exactly the bytes it means: any `Host`, a
//! traversal file name, a lying `Content-Length`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The sample folder the web tests work on.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024")
}

/// Copy a folder (without `ket-qua/`) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let name = e.file_name();
        if name == "ket-qua" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

/// A temporary copy of the sample folder at `tmp/a/b/bao-cao` (two levels
/// down, so that a traversal `../../x` would land inside `tmp`).
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/bao-cao");
    copy_dir(&sample(), &dir);
    (tmp, dir)
}

/// A running `baocao serve`.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The port.
    pub port: u16,
    out: Option<BufReader<ChildStdout>>,
}

/// Run `baocao serve` with `args` (`--no-open` added) and `env`; the
/// first line it prints is the address.
pub fn start(args: &[&str], env: &[(&str, &str)], cwd: Option<&Path>) -> Result<Server, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baocao"));
    cmd.arg("serve").args(args).arg("--no-open");
    cmd.env_remove("BAOCAO_MAT_KHAU");
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut line = String::new();
        let n = out.read_line(&mut line).unwrap_or(0);
        let _ = tx.send((n, line));
        out
    });
    let (n, line) = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server printed its address within a minute");
    let out = reader.join().unwrap();
    if n == 0 {
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        return Err(format!("{status}: {err}"));
    }
    let url = line
        .trim()
        .strip_prefix("Đang phục vụ tại http://")
        .unwrap_or_else(|| panic!("address line: {line:?}"))
        .to_string();
    let port = url.rsplit(':').next().unwrap().parse().unwrap();
    Ok(Server {
        child,
        addr: format!("127.0.0.1:{port}"),
        port,
        out: Some(out),
    })
}

/// Serve `dir` on loopback, any free port.
pub fn serve(dir: &Path) -> Server {
    start(
        &[dir.to_str().unwrap(), "--listen", "127.0.0.1:0"],
        &[],
        None,
    )
    .unwrap()
}

impl Server {
    /// `GET path` with our `Host`.
    pub fn get(&self, path: &str) -> Resp {
        http(&self.addr, "GET", path, &[], &[])
    }

    /// The page's token, read from the office page.
    pub fn token(&self) -> String {
        let page = self.get("/").text();
        let needle = r#"<meta name="baocao-token" content=""#;
        let at = page.find(needle).expect("token meta");
        let rest = &page[at + needle.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// The process, to signal it.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Wait for the process to end (up to `secs`); its status and the
    /// rest of what it printed.
    pub fn wait_end(&mut self, secs: u64) -> (std::process::ExitStatus, String) {
        for _ in 0..secs * 10 {
            if let Some(st) = self.child.try_wait().unwrap() {
                let mut rest = String::new();
                if let Some(mut o) = self.out.take() {
                    o.read_to_string(&mut rest).unwrap();
                }
                return (st, rest);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the server did not stop within {secs} s");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One request over a new connection. `Host` is `addr` unless `headers`
/// give one; `Content-Length` is the body's unless given.
pub fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    let has = |n: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
    if !has("host") {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    if !has("content-length") && (method != "GET" || !body.is_empty()) {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (and close) before the whole body is sent.
    let _ = s.write_all(body);
    read_response(&mut s)
}

/// Read one answer: the head, then the body by its length, its chunks, or
/// to the end (a server may keep the connection open after the answer).
fn read_response(s: &mut TcpStream) -> Resp {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let head_end = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = s.read(&mut buf).unwrap_or(0);
        assert!(
            n > 0,
            "connection closed before an HTTP head: {:?}",
            String::from_utf8_lossy(&raw)
        );
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let rest = std::io::Cursor::new(raw[head_end + 4..].to_vec());
    let mut src = BufReader::new(rest.chain(s));
    let mut body = Vec::new();
    if let Some(len) = get("content-length").and_then(|v| v.parse::<u64>().ok()) {
        let _ = (&mut src).take(len).read_to_end(&mut body);
    } else if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut line = String::new();
            if src.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let size =
                usize::from_str_radix(line.split(';').next().unwrap().trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            if src.read_exact(&mut chunk).is_err() {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        let _ = src.read_to_end(&mut body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// A multipart/form-data body with one `tep` part per file: its content
/// type and bytes.
pub fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----baocao-kiem-thu-7d1f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `POST /api/tep` with the token and the files.
pub fn upload(server: &Server, token: &str, files: &[(&str, &[u8])]) -> Resp {
    let (kind, body) = multipart(files);
    http(
        &server.addr,
        "POST",
        "/api/tep",
        &[("Content-Type", &kind), ("X-Baocao-Token", token)],
        &body,
    )
}

/// Every file under `dir`, as paths relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}
