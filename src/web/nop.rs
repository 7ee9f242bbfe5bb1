//! The units' own pages (`/nop/<token>`): one unit's name, period,
//! deadline and what it has sent, and a box to send its workbook, which is
//! checked at once. The token is compared by its hash with the folder's
//! links; unknown tokens are 404 and slowed down per address. A unit's
//! page shows nothing of any other unit. The office's lock (`/api/khoa`)
//! is here too: it is what stops these pages taking files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use baocao::catalog::code_key;
use baocao::submit::{self, links::Store, versions, Whose};
use serde_json::{json, Value};

use super::page;
use super::routes::{fail, App};
use super::upload::{self, Refused};

/// Most versions one unit may send (each is kept): a bound on what a
/// link can put on the office's disk (a unit sends a handful).
pub const MAX_VERSIONS: usize = 100;

/// The unit a link's token belongs to (its registry code), after the
/// wait earlier misses from `from` ask; a miss is counted.
async fn unit_for(app: &App, from: SocketAddr, token: &str) -> Option<String> {
    app.guard.slow_down(from.ip()).await;
    let dir = app.work.dir().to_path_buf();
    let token = token.to_string();
    let found = tokio::task::spawn_blocking(move || {
        Store::load(&dir)
            .ok()
            .flatten()
            .and_then(|s| s.unit_of(&token).map(|e| e.ma.clone()))
    })
    .await
    .ok()
    .flatten();
    if found.is_none() {
        app.guard.missed(from.ip());
    }
    found
}

/// The folder cannot be used at all (a broken setting, catalogue): say so
/// without its details, which are the office's.
fn not_ready(status: &Value) -> Option<Response> {
    status["loi"].as_str()?;
    Some(fail(
        StatusCode::SERVICE_UNAVAILABLE,
        "trang nộp báo cáo tạm thời chưa dùng được (văn phòng đang sửa thiết lập); hãy thử lại sau hoặc báo văn phòng",
    ))
}

fn unknown_link() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Liên kết không đúng hoặc đã hết hiệu lực. Hãy kiểm tra lại liên kết văn phòng đã gửi, hoặc hỏi văn phòng.",
    )
        .into_response()
}

/// The unit's entry in the status, if it is still in the registry.
fn unit_in<'a>(status: &'a Value, ma: &str) -> Option<&'a Value> {
    status["don_vi"].as_array()?.iter().find(|u| {
        u["ma"]
            .as_str()
            .is_some_and(|m| code_key(m) == code_key(ma))
    })
}

/// A version's name as the unit sent it (without the time of receipt).
fn sent_name(tep: &str) -> String {
    let name = tep.rsplit('/').next().unwrap_or(tep);
    match versions::stamp_of(name) {
        Some(_) => name[18..].to_string(),
        None => name.to_string(),
    }
}

/// What the unit's page shows: only this unit.
fn unit_view(app: &App, status: &Value, unit: &Value, token: &str) -> Value {
    let lock = submit::lock_state(app.work.dir());
    let list = unit["phien_ban"].as_array().cloned().unwrap_or_default();
    let n = list.len();
    let history: Vec<Value> = list
        .iter()
        .enumerate()
        .map(|(i, v)| {
            json!({
                "lan": n - i,
                "luc_hien": v["nhan_luc"].as_str().map(page::time_to_second),
                "ten": v["tep"].as_str().map(sent_name),
                "muon": v["muon"],
                "moi_nhat": i == 0,
            })
        })
        .collect();
    let newest = list.first().and_then(|v| v["tep"].as_str());
    let result = newest.map(|f| own_result(status, unit, f));
    json!({
        "token": app.guard.token,
        "tieu_de": format!("Nộp báo cáo · {}", unit["ten"].as_str().unwrap_or("")),
        "nhan_hieu": "Nộp báo cáo",
        "so_lan": n,
        "ten": unit["ten"],
        "ky": status["bao_cao"]["ky"],
        "co_quan": status["co_quan"]["ban_hanh"],
        "han_nop": status["han_nop"],
        "lien_he": status["lien_he"],
        "khoa": lock.is_some(),
        "gui_toi": format!("/nop/{token}/tep"),
        "lich_su": history,
        "ket_qua": result,
    })
}

/// The check of the unit's newest file: its state and its diagnostics,
/// at `sheet › cell`.
fn own_result(status: &Value, unit: &Value, file: &str) -> Value {
    let diags: Vec<Value> = status["diagnostics"]
        .as_array()
        .map(|ds| ds.iter().filter(|d| d["file"] == file).cloned().collect())
        .unwrap_or_default();
    let used = unit["tep"] == file;
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    let warnings = diags.iter().filter(|d| d["severity"] == "warning").count();
    let (nhan, lop) = match (errors, warnings) {
        (0, 0) => ("Không có lỗi", "ok"),
        (0, _) => ("Có cảnh báo", "warn"),
        _ => ("Có lỗi", "err"),
    };
    json!({
        "nhan": nhan,
        "lop": lop,
        "so_loi": errors,
        "so_canh_bao": warnings,
        "dung": used,
        "diagnostics": diags,
        "chan_doan": diags.iter().map(page::unit_diag_view).collect::<Vec<_>>(),
    })
}

/// `GET /nop/<token>`.
pub async fn unit_page(
    State(app): State<Arc<App>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Response {
    let Some(ma) = unit_for(&app, from, &token).await else {
        return unknown_link();
    };
    let status = app.work.status().await;
    if let Some(r) = not_ready(&status) {
        return r;
    }
    let Some(unit) = unit_in(&status, &ma) else {
        return unknown_link();
    };
    let view = unit_view(&app, &status, unit, &token);
    Html(app.pages.render("nop", &view)).into_response()
}

/// Whom to contact, for refusals.
fn contact(status: &Value) -> String {
    status["lien_he"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("văn phòng")
        .to_string()
}

/// `POST /nop/<token>/tep`: one workbook, checked, stored as a new version.
pub async fn unit_upload(
    State(app): State<Arc<App>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    parts: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(ma) = unit_for(&app, from, &token).await else {
        return unknown_link();
    };
    let status = app.work.status().await;
    if let Some(r) = not_ready(&status) {
        return r;
    }
    let Some(unit) = unit_in(&status, &ma).cloned() else {
        return unknown_link();
    };
    if let Some(r) = locked(&app, &status) {
        return r;
    }
    let Ok(parts) = parts else {
        return fail(
            StatusCode::BAD_REQUEST,
            "cần gửi tệp dạng multipart/form-data, phần tên “tep”",
        );
    };
    let (sent_as, bytes) = match one_file(parts).await {
        Ok(f) => f,
        Err(r) => return fail(r.status, &r.message),
    };
    let dir = app.work.dir().to_path_buf();
    let name = unit["ten"].as_str().unwrap_or("").to_string();
    let (m, s) = (ma.clone(), sent_as.clone());
    let checked =
        tokio::task::spawn_blocking(move || check_for_unit(&dir, &m, &name, &s, bytes)).await;
    let (ext, bytes) = match checked {
        Ok(Ok(ok)) => ok,
        Ok(Err((refused, diags))) => {
            return (
                refused.status,
                Json(json!({"loi": refused.message, "diagnostics": diags})),
            )
                .into_response()
        }
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "lỗi bất ngờ khi đọc tệp"),
    };
    // One unit's versions are stamped one at a time, so names sort in order.
    let stored = {
        let _one = app.submitting.lock().await;
        if let Some(r) = locked(&app, &status) {
            return r;
        }
        let folder = submit::submissions_path(app.work.dir(), &ma);
        let safe = upload::safe_name(&sent_as, ext);
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&folder).map_err(|_| false)?;
            let stamps = versions::stamps_in(&folder);
            if stamps.len() >= MAX_VERSIONS {
                return Err(true);
            }
            let stamp = versions::next_stamp(submit::now(), stamps);
            let name = versions::version_name(stamp, &safe);
            upload::store_named(&folder, &name, &bytes)
                .map(|n| (n, stamp))
                .map_err(|_| false)
        })
        .await
    };
    if let Ok(Err(true)) = stored {
        return fail(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "đơn vị đã gửi {MAX_VERSIONS} lần, trang không nhận thêm; hãy liên hệ {}",
                contact(&status)
            ),
        );
    }
    let Ok(Ok((name, stamp))) = stored else {
        return fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!(
                "máy chủ không lưu được tệp; hãy thử lại sau ít phút hoặc báo {}",
                contact(&status)
            ),
        );
    };
    let at = format!(
        "{}/{}/{name}",
        baocao::folder::UNITS_DIR,
        submit::unit_dir(&ma)
    );
    let status = app.work.status().await;
    let unit = unit_in(&status, &ma).cloned().unwrap_or(unit);
    let view = unit_view(&app, &status, &unit, &token);
    let late = unit["phien_ban"]
        .as_array()
        .and_then(|l| l.iter().find(|v| v["tep"] == at.as_str()))
        .map(|v| v["muon"].clone())
        .unwrap_or(Value::Bool(false));
    Json(json!({
        "tep": {
            "ten": sent_as,
            "luu_tai": at,
            "nhan_luc": super::work::with_offset(&stamp.format("%Y-%m-%dT%H:%M:%S").to_string()),
            "muon": late,
        },
        "ket_qua": view["ket_qua"],
        "diagnostics": view["ket_qua"]["diagnostics"],
        "lich_su": view["lich_su"],
    }))
    .into_response()
}

/// The refusal while the office has locked submissions.
fn locked(app: &App, status: &Value) -> Option<Response> {
    let lock = submit::lock_state(app.work.dir())?;
    let when = lock
        .luc
        .map(|t| t.format(" lúc %H:%M ngày %d/%m/%Y").to_string())
        .unwrap_or_default();
    Some(fail(
        StatusCode::LOCKED,
        &format!(
            "Văn phòng đã khóa sổ kỳ báo cáo này{when}: trang không nhận thêm bảng tính. Cần gửi bổ sung hay sửa số liệu, hãy liên hệ {}.",
            contact(status)
        ),
    ))
}

/// The one `tep` part of a unit's request, bounded like the office's.
async fn one_file(mut parts: Multipart) -> Result<(String, Vec<u8>), Refused> {
    let mut found: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match parts.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(upload::broken(e.status(), &e.body_text())),
        };
        if field.name() != Some(upload::FIELD) {
            continue;
        }
        if found.is_some() {
            return Err(Refused::new(
                StatusCode::BAD_REQUEST,
                "mỗi lần chỉ gửi một bảng tính (bảng tính của đơn vị)",
            ));
        }
        let sent_as = field.file_name().unwrap_or_default().to_string();
        match upload::read_bounded(field).await? {
            Some(bytes) => found = Some((sent_as, bytes)),
            None => return Err(upload::too_large()),
        }
    }
    found.ok_or_else(|| {
        Refused::new(
            StatusCode::BAD_REQUEST,
            "yêu cầu không có tệp nào (cần phần “tep” kiểu multipart/form-data)",
        )
    })
}

type Checked = Result<(&'static str, Vec<u8>), (Refused, Vec<Value>)>;

/// The office page's content checks, then whose the workbook is: only
/// this unit's is taken. Nothing is stored here.
fn check_for_unit(
    dir: &std::path::Path,
    ma: &str,
    name: &str,
    sent_as: &str,
    bytes: Vec<u8>,
) -> Checked {
    let ext = upload::check_workbook(&bytes).map_err(|r| (r, vec![]))?;
    let shown = upload::safe_name(sent_as, ext);
    let refuse = |msg: String| {
        (
            Refused::new(StatusCode::UNPROCESSABLE_ENTITY, msg),
            Vec::<Value>::new(),
        )
    };
    let whose = submit::whose(dir, bytes.clone(), &shown).map_err(|_| {
        refuse(
            "máy chủ chưa đọc được danh mục của văn phòng; hãy thử lại sau hoặc báo văn phòng"
                .into(),
        )
    })?;
    match whose {
        Whose::Unit { ma: m, .. } if code_key(&m) == code_key(ma) => Ok((ext, bytes)),
        Whose::Unit { by_name: false, .. } | Whose::UnknownCode(_) => {
            let written = match &whose {
                Whose::Unit { ma, .. } | Whose::UnknownCode(ma) => ma.clone(),
                _ => String::new(),
            };
            Err(refuse(format!(
                "Bảng tính này ghi “Mã đơn vị: {}”, không phải mã của {name} ({ma}); không nhận. Hãy gửi bảng tính của đơn vị mình (biểu mẫu của đơn vị ghi “Mã đơn vị: {ma}”).",
                baocao::sheet::short(&written, 40)
            )))
        }
        Whose::Unit { by_name: true, .. } => Err(refuse(format!(
            "Bảng tính này không ghi mã đơn vị và ghi tên một đơn vị khác; không nhận. Hãy gửi bảng tính của {name} (biểu mẫu ghi “Mã đơn vị: {ma}”)."
        ))),
        Whose::Nobody => Err(refuse(format!(
            "Bảng tính này không ghi “Mã đơn vị: {ma}” ở đầu trang BaoCao nên không biết là của đơn vị nào; không nhận. Hãy dùng biểu mẫu của đơn vị."
        ))),
        Whose::Unreadable(diags) => {
            let first = diags
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_else(|| "không đọc được bảng tính".into());
            let shown: Vec<Value> = diags
                .iter()
                .filter_map(|d| serde_json::to_value(d).ok())
                .collect();
            Err((
                Refused::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("Không nhận bảng tính này: {first}"),
                ),
                shown,
            ))
        }
    }
}

/// `POST /api/khoa` (the office page): `{"khoa": true}` locks the units'
/// submissions, `{"khoa": false}` opens them again.
pub async fn lock_api(State(app): State<Arc<App>>, body: axum::body::Bytes) -> Response {
    let Some(want) = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("khoa").and_then(Value::as_bool))
    else {
        return fail(
            StatusCode::BAD_REQUEST,
            "cần JSON dạng {\"khoa\": true} hoặc {\"khoa\": false}",
        );
    };
    let dir: PathBuf = app.work.dir().to_path_buf();
    let done = tokio::task::spawn_blocking(move || {
        if want {
            submit::lock(&dir).map(|_| ())
        } else {
            submit::unlock(&dir).map(|_| ())
        }
    })
    .await;
    match done {
        Ok(Ok(())) => Json(lock_json(app.work.dir())).into_response(),
        Ok(Err(e)) => fail(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "lỗi bất ngờ"),
    }
}

/// `{"khoa": bool, "khoa_luc": …}` for the office page.
pub fn lock_json(dir: &std::path::Path) -> Value {
    match submit::lock_state(dir) {
        Some(l) => json!({
            "khoa": true,
            "khoa_luc": l.luc.map(|t| super::work::with_offset(&t.format("%Y-%m-%dT%H:%M:%S").to_string())),
        }),
        None => json!({"khoa": false, "khoa_luc": null}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_shown_by_the_name_it_was_sent_as() {
        assert_eq!(
            sent_name("don-vi/BVDK/2024-07-05_093012_BC 6T.xlsx"),
            "BC 6T.xlsx"
        );
        assert_eq!(sent_name("don-vi/BVDK/ghi-tay.xlsx"), "ghi-tay.xlsx");
    }
}
