//! The routes: the office page, its JSON API, the outputs and the page's
//! files, all behind one guard (`Host`, token, password). Adding a page
//! (the units' `/nop/<token>`) is adding routes here; the guard and
//! `upload::accept_workbook` are shared.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use baocao::folder::{OUT_DIR, UNITS_DIR};
use baocao::Format;
use serde_json::{json, Value};
use tower_http::limit::RequestBodyLimitLayer;

use super::nop;
use super::page::{self, Pages};
use super::security::{Guard, Refusal};
use super::upload::{self, MAX_REQUEST_BYTES};
use super::work::{self, Work};

/// Everything a request handler needs.
pub struct App {
    /// The report folder and the library runs.
    pub work: Work,
    /// Host, token and password checks.
    pub guard: Guard,
    /// The page templates.
    pub pages: Pages,
    /// The folder's name as shown in the page.
    pub folder_name: String,
    /// Held while a unit's file is stamped and stored.
    pub submitting: tokio::sync::Mutex<()>,
}

/// The whole server.
pub fn router(app: Arc<App>) -> Router {
    let uploads = post(api_upload)
        .layer::<_, Infallible>(DefaultBodyLimit::disable())
        .layer::<_, Infallible>(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES));
    let unit_uploads = post(nop::unit_upload)
        .layer::<_, Infallible>(DefaultBodyLimit::disable())
        .layer::<_, Infallible>(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES));
    Router::new()
        .route("/", get(office_page))
        .route("/dang-nhap", get(login_page).post(log_in))
        .route("/api/trang-thai", get(api_status))
        .route("/api/dau-van", get(api_fingerprint))
        .route("/api/tep", uploads)
        .route("/api/bao-cao", post(api_build))
        .route("/api/khoa", post(nop::lock_api))
        .route("/nop/{token}", get(nop::unit_page))
        .route("/nop/{token}/tep", unit_uploads)
        .route("/ket-qua/{name}", get(output_file))
        .route("/tai-nguyen/{name}", get(asset))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Paths open without the password: the form itself, the files pages
/// use, and the units' pages (whose link is their key).
fn open_without_password(path: &str) -> bool {
    path == "/dang-nhap" || path.starts_with("/tai-nguyen/") || path.starts_with("/nop/")
}

async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let wants_json = path.starts_with("/api/") || req.method() != Method::GET;
    let checked = app
        .guard
        .check_request(req.method(), req.headers())
        .and_then(|()| {
            if open_without_password(&path) {
                Ok(())
            } else {
                app.guard.check_session(req.headers())
            }
        });
    let mut resp = match checked {
        Err(Refusal::NotLoggedIn) if !wants_json => Redirect::to("/dang-nhap").into_response(),
        Err(r) => refusal(&r, wants_json),
        Ok(()) => {
            let resp = next.run(req).await;
            if resp.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json(&resp) {
                // The request limit answers in English before any handler runs.
                fail(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &format!(
                        "gửi quá {} MB trong một lần, không nhận; hãy gửi ít tệp hơn mỗi lần",
                        MAX_REQUEST_BYTES / (1024 * 1024)
                    ),
                )
            } else {
                resp
            }
        }
    };
    let h = resp.headers_mut();
    for (k, v) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "SAMEORIGIN"),
        ("referrer-policy", "no-referrer"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

fn is_json(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn refusal(r: &Refusal, wants_json: bool) -> Response {
    let status = match r {
        Refusal::NotLoggedIn => StatusCode::UNAUTHORIZED,
        _ => StatusCode::FORBIDDEN,
    };
    if wants_json {
        fail(status, &r.message())
    } else {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            r.message(),
        )
            .into_response()
    }
}

/// A refusal or failure as JSON: `{"loi": message}`.
pub fn fail(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "loi": message }))).into_response()
}

async fn office_page(State(app): State<Arc<App>>) -> Response {
    let status = app.work.status().await;
    let scan = app.work.scan().await;
    let outputs = work::outputs(app.work.dir());
    let mut view = page::office_view(
        &status,
        &outputs,
        &app.guard.token,
        &app.folder_name,
        &scan.fingerprint(),
    );
    view["khoa"] = nop::lock_json(app.work.dir());
    Html(app.pages.render("trang", &view)).into_response()
}

async fn login_page(State(app): State<Arc<App>>) -> Response {
    if !app.guard.has_password() {
        return Redirect::to("/").into_response();
    }
    let view = page::login_view(&app.guard.token);
    Html(app.pages.render("dang-nhap", &view)).into_response()
}

async fn log_in(
    State(app): State<Arc<App>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    let typed = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("mat_khau").and_then(Value::as_str).map(String::from))
        .unwrap_or_default();
    match app.guard.log_in(from.ip(), &typed).await {
        Some(cookie) => (
            StatusCode::OK,
            [(header::SET_COOKIE, cookie)],
            Json(json!({"ok": true})),
        )
            .into_response(),
        None if !app.guard.has_password() => Redirect::to("/").into_response(),
        None => fail(StatusCode::UNAUTHORIZED, "mật khẩu không đúng"),
    }
}

/// The status with the outputs present now and the fingerprint.
async fn current_status(app: &App) -> Value {
    let status = app.work.status().await;
    let scan = app.work.scan().await;
    let mut v = (*status).clone();
    v["ket_qua"] = work::outputs(app.work.dir()).into();
    v["khoa"] = nop::lock_json(app.work.dir());
    v["dau"] = scan.fingerprint().into();
    v
}

async fn api_status(State(app): State<Arc<App>>) -> Response {
    Json(current_status(&app).await).into_response()
}

async fn api_fingerprint(State(app): State<Arc<App>>) -> Response {
    let scan = app.work.scan().await;
    Json(json!({ "dau": scan.fingerprint() })).into_response()
}

async fn api_upload(
    State(app): State<Arc<App>>,
    parts: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(parts) = parts else {
        return fail(
            StatusCode::BAD_REQUEST,
            "cần gửi tệp dạng multipart/form-data, mỗi tệp một phần tên “tep”",
        );
    };
    let received = match upload::receive(parts, app.work.dir().join(UNITS_DIR)).await {
        Ok(r) => r,
        Err(r) => return fail(r.status, &r.message),
    };
    let stored = received.iter().any(|r| r.result.is_ok());
    let status = if stored {
        Some(app.work.status().await)
    } else {
        None
    };
    let files: Vec<Value> = received
        .iter()
        .map(|r| match &r.result {
            Ok(name) => {
                let at = format!("{UNITS_DIR}/{name}");
                let st = status.as_deref().cloned().unwrap_or(Value::Null);
                let unit = st["don_vi"].as_array().and_then(|us| {
                    us.iter().find(|u| {
                        u["tep"] == at.as_str()
                            || u["tep_khac"]
                                .as_array()
                                .is_some_and(|o| o.iter().any(|f| f == at.as_str()))
                    })
                });
                let diags: Vec<Value> = st["diagnostics"]
                    .as_array()
                    .map(|ds| {
                        ds.iter()
                            .filter(|d| d["file"] == at.as_str())
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                json!({
                    "ten": r.sent_as,
                    "luu_tai": at,
                    "don_vi": unit.map(|u| json!({"ma": u["ma"], "ten": u["ten"]})),
                    "diagnostics": diags,
                })
            }
            Err(refused) => json!({
                "ten": r.sent_as,
                "luu_tai": null,
                "don_vi": null,
                "loi": refused.message,
                "diagnostics": [],
            }),
        })
        .collect();
    // Every file refused: the request failed, with the first reason's status.
    let code = match received.iter().find_map(|r| r.result.as_ref().err()) {
        Some(first) if !stored => first.status,
        _ => StatusCode::OK,
    };
    (code, Json(json!({ "tep": files }))).into_response()
}

async fn api_build(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let mut formats = vec![Format::Docx, Format::Pdf, Format::Xlsx];
    if !body.is_empty() {
        let Ok(v) = serde_json::from_slice::<Value>(&body) else {
            return fail(
                StatusCode::BAD_REQUEST,
                "cần JSON dạng {\"dinh_dang\": [\"docx\", \"pdf\", \"xlsx\"]}",
            );
        };
        if let Some(list) = v.get("dinh_dang").and_then(Value::as_array) {
            formats.clear();
            for f in list {
                let name = f.as_str().unwrap_or("").trim().to_lowercase();
                match Format::ALL
                    .into_iter()
                    .find(|x| x.file_name().rsplit('.').next() == Some(name.as_str()))
                {
                    Some(x) if !formats.contains(&x) => formats.push(x),
                    Some(_) => {}
                    None => {
                        return fail(
                            StatusCode::BAD_REQUEST,
                            &format!("định dạng “{name}” không có; dùng docx, pdf, xlsx, md"),
                        )
                    }
                }
            }
        }
    }
    match app.work.build(formats).await {
        Ok(b) => {
            let files: Vec<Value> = b
                .written
                .iter()
                .map(|n| json!({"ten": n, "duong_dan": format!("/{OUT_DIR}/{n}")}))
                .collect();
            Json(json!({"tep": files, "diagnostics": b.diagnostics})).into_response()
        }
        Err(e) => fail(StatusCode::UNPROCESSABLE_ENTITY, &e),
    }
}

/// `GET /ket-qua/<name>`: only the output files the library writes, from
/// the folder's `ket-qua/`; a download, or shown in the page (`?xem=1`,
/// the PDF only).
async fn output_file(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let Some(format) = Format::from_file_name(&name) else {
        return not_found().await;
    };
    let path = app.work.dir().join(OUT_DIR).join(format.file_name());
    let Ok(Ok(bytes)) = tokio::task::spawn_blocking(move || std::fs::read(path)).await else {
        return not_found().await;
    };
    let kind = match format {
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Pdf | Format::Handout | Format::Booklet => "application/pdf",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::Md => "text/markdown; charset=utf-8",
    };
    let inline = format == Format::Pdf
        && uri
            .query()
            .is_some_and(|q| q.split('&').any(|kv| kv == "xem=1"));
    let disposition = format!(
        "{}; filename=\"{}\"",
        if inline { "inline" } else { "attachment" },
        format.file_name()
    );
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from(bytes),
    )
        .into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    match page::asset(&name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.kind),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            a.bytes,
        )
            .into_response(),
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "không có trang này",
    )
        .into_response()
}
