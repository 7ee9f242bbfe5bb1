//! What every request must pass: a `Host` that is ours (against DNS
//! rebinding), the page's token on every `POST` (against other sites'
//! forms and scripts), and, when the office set a password, the session
//! cookie. Shared by every page the server has (the office page now, the
//! units' pages of `/nop/<token>` later).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, Method};
use subtle::ConstantTimeEq;

/// The header every `POST` carries.
pub const TOKEN_HEADER: &str = "x-baocao-token";
/// The session cookie set by the password form.
pub const SESSION_COOKIE: &str = "baocao_phien";

/// A secret from the operating system's CSPRNG, as 64 hex digits.
pub fn random_token() -> Result<String, String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b)
        .map_err(|e| format!("không lấy được số ngẫu nhiên của hệ điều hành: {e}"))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// Equal in time independent of where the inputs differ.
pub fn same_secret(given: &str, expected: &str) -> bool {
    bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// Which `Host` headers are ours: the port we serve, and a name or address
/// that reaches this machine. A page of another site that a hostile DNS
/// points at us carries that site's name, so it is refused.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    port: u16,
    listen: IpAddr,
    names: Vec<String>,
}

impl HostPolicy {
    /// For a server listening at `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        HostPolicy {
            port: addr.port(),
            listen: addr.ip(),
            names: vec!["localhost".into()],
        }
    }

    /// Also accept `name` (this machine's name on the office network).
    pub fn allow_name(&mut self, name: &str) {
        let n = name.trim().trim_end_matches('.').to_ascii_lowercase();
        if !n.is_empty() && !self.names.contains(&n) {
            self.names.push(n);
        }
    }

    /// True when `host` (a `Host` header's value) is ours.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        match name.parse::<IpAddr>() {
            // An address typed by hand cannot be a rebinding attack; on an
            // unspecified listen address (0.0.0.0) any of this machine's
            // addresses may be used, and only those reach us.
            Ok(ip) => ip.is_loopback() || ip == self.listen || self.listen.is_unspecified(),
            Err(_) => {
                let n = name.trim_end_matches('.').to_ascii_lowercase();
                self.names.contains(&n) && (n == "localhost" || !self.listen.is_loopback())
            }
        }
    }

    /// The addresses to show in a refusal.
    pub fn describe(&self) -> String {
        let ip = if self.listen.is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            url_ip(self.listen)
        };
        format!("http://{ip}:{}", self.port)
    }
}

/// An IP address as written in a URL (`[::1]` for IPv6).
pub fn url_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// `name:port`, `[v6]:port` or a bare name (port 80).
fn split_host(host: &str) -> Option<(&str, u16)> {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => 80,
            None => return None,
        };
        return Some((ip, port));
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, port.parse().ok()?)),
        None => Some((host, 80)),
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `Host` is not ours (403).
    ForeignHost(String),
    /// A `POST` without the right token (403).
    NoToken,
    /// A password is set and the request has no valid session (401).
    NotLoggedIn,
}

impl Refusal {
    /// The Vietnamese message.
    pub fn message(&self) -> String {
        match self {
            Refusal::ForeignHost(ours) => format!(
                "địa chỉ không đúng: máy chủ báo cáo này chỉ trả lời tại {ours} (hoặc tên, địa chỉ IP của máy này trong mạng cơ quan)"
            ),
            Refusal::NoToken => "yêu cầu không có mã của trang (X-Baocao-Token) hoặc mã sai; hãy tải lại trang rồi làm lại".into(),
            Refusal::NotLoggedIn => "cần đăng nhập bằng mật khẩu của văn phòng".into(),
        }
    }
}

/// The secrets of one server run.
pub struct Guard {
    /// The page token (`X-Baocao-Token`).
    pub token: String,
    /// Accepted `Host` headers.
    pub hosts: HostPolicy,
    password: Option<String>,
    session: String,
    throttle: Throttle,
}

impl Guard {
    /// New secrets for a server at `hosts`, with an optional password.
    pub fn new(hosts: HostPolicy, password: Option<String>) -> Result<Self, String> {
        Ok(Guard {
            token: random_token()?,
            session: random_token()?,
            hosts,
            password,
            throttle: Throttle::default(),
        })
    }

    /// True when the office page asks for a password.
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// Check `Host` and, for anything but GET/HEAD, the token. Every route.
    pub fn check_request(&self, method: &Method, headers: &HeaderMap) -> Result<(), Refusal> {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !self.hosts.allows(host) {
            return Err(Refusal::ForeignHost(self.hosts.describe()));
        }
        if method != Method::GET && method != Method::HEAD {
            let given = headers
                .get(TOKEN_HEADER)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            if !same_secret(given, &self.token) {
                return Err(Refusal::NoToken);
            }
        }
        Ok(())
    }

    /// With a password, the request must carry the session cookie.
    pub fn check_session(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        if self.password.is_none() {
            return Ok(());
        }
        let found = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .any(|(k, v)| k == SESSION_COOKIE && same_secret(v, &self.session));
        if found {
            Ok(())
        } else {
            Err(Refusal::NotLoggedIn)
        }
    }

    /// Wait as long as earlier wrong secrets from `from` ask.
    pub async fn slow_down(&self, from: IpAddr) {
        tokio::time::sleep(self.throttle.delay(from)).await;
    }

    /// Count a wrong secret (an unknown unit link) from `from`.
    pub fn missed(&self, from: IpAddr) {
        self.throttle.failed(from);
    }

    /// Check a password typed into the form; slowed down after failures
    /// from the same address. `Some(cookie header value)` when right.
    pub async fn log_in(&self, from: IpAddr, typed: &str) -> Option<String> {
        let expected = self.password.as_deref()?;
        tokio::time::sleep(self.throttle.delay(from)).await;
        if same_secret(typed, expected) {
            self.throttle.forget(from);
            Some(format!(
                "{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                self.session
            ))
        } else {
            self.throttle.failed(from);
            None
        }
    }
}

/// Slows down repeated wrong secrets from one address: each failure adds
/// half a second before the next answer, up to five seconds. Remembers at
/// most [`Throttle::MAX_ADDRESSES`] addresses (the oldest forgotten first),
/// each for fifteen minutes.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl Throttle {
    const STEP: Duration = Duration::from_millis(500);
    const MAX_STEPS: u32 = 10;
    const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
    /// Most addresses remembered (a few hundred bytes each at most).
    pub const MAX_ADDRESSES: usize = 4096;

    /// How long to wait before answering `from`.
    pub fn delay(&self, from: IpAddr) -> Duration {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (_, at)| at.elapsed() < Self::FORGET_AFTER);
        let n = map.get(&from).map_or(0, |(n, _)| *n);
        Self::STEP * n.min(Self::MAX_STEPS)
    }

    /// Count a wrong secret from `from`.
    pub fn failed(&self, from: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= Self::MAX_ADDRESSES && !map.contains_key(&from) {
            map.retain(|_, (_, at)| at.elapsed() < Self::FORGET_AFTER);
            if map.len() >= Self::MAX_ADDRESSES {
                let oldest = map.iter().min_by_key(|(_, (_, at))| *at).map(|(ip, _)| *ip);
                if let Some(ip) = oldest {
                    map.remove(&ip);
                }
            }
        }
        let e = map.entry(from).or_insert((0, Instant::now()));
        e.0 = e.0.saturating_add(1);
        e.1 = Instant::now();
    }

    /// A right secret clears the count.
    pub fn forget(&self, from: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(addr: &str) -> HostPolicy {
        HostPolicy::new(addr.parse().unwrap())
    }

    #[test]
    fn loopback_server_accepts_only_loopback_names() {
        let p = policy("127.0.0.1:8686");
        assert!(p.allows("127.0.0.1:8686"));
        assert!(p.allows("localhost:8686"));
        assert!(p.allows("LOCALHOST:8686"));
        assert!(p.allows("[::1]:8686"));
        assert!(!p.allows("127.0.0.1:8687"));
        assert!(!p.allows("127.0.0.1"));
        assert!(!p.allows("evil.example:8686"));
        assert!(!p.allows("192.168.1.5:8686"));
        assert!(!p.allows(""));
        assert!(!p.allows("localhost:8686:1"));
    }

    #[test]
    fn office_server_accepts_addresses_and_its_names() {
        let mut p = policy("0.0.0.0:8686");
        p.allow_name("May-Chu");
        assert!(p.allows("192.168.1.5:8686"));
        assert!(p.allows("may-chu:8686"));
        assert!(p.allows("MAY-CHU.:8686"));
        assert!(!p.allows("may-chu.evil.example:8686"));
        assert!(!p.allows("evil.example:8686"));
        let p = policy("192.168.1.5:8686");
        assert!(p.allows("192.168.1.5:8686"));
        assert!(!p.allows("192.168.1.6:8686"));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc"));
        assert!(!same_secret("ab", "abc"));
        assert!(!same_secret("", "abc"));
        let t = random_token().unwrap();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_token().unwrap());
    }

    #[test]
    fn throttle_grows_and_resets() {
        let th = Throttle::default();
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(th.delay(ip), Duration::ZERO);
        th.failed(ip);
        th.failed(ip);
        assert_eq!(th.delay(ip), Duration::from_secs(1));
        for _ in 0..50 {
            th.failed(ip);
        }
        assert_eq!(th.delay(ip), Duration::from_secs(5));
        th.forget(ip);
        assert_eq!(th.delay(ip), Duration::ZERO);
    }

    #[test]
    fn throttle_memory_is_bounded() {
        let th = Throttle::default();
        let first: IpAddr = "10.0.0.1".parse().unwrap();
        th.failed(first);
        for i in 0..(Throttle::MAX_ADDRESSES as u32 + 100) {
            th.failed(IpAddr::V4(std::net::Ipv4Addr::from(0x0b00_0000 + i)));
        }
        let len = th.failures.lock().unwrap().len();
        assert_eq!(len, Throttle::MAX_ADDRESSES);
        assert_eq!(th.delay(first), Duration::ZERO, "the oldest was forgotten");
    }
}
