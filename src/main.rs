//! The `baocao` command line: argument parsing, progress bars, printing;
//! and the web page (`web/`), the other front end.

mod web;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use baocao::diagnostics::{has_errors, Diagnostic, Severity};
use baocao::{Checked, Fatal, Format, UnitState};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

/// Viết báo cáo sơ kết, tổng kết từ bảng tính của các đơn vị (DOCX và PDF).
#[derive(Parser)]
#[command(name = "baocao", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo một thư mục báo cáo mẫu có chú thích (thiết lập, danh mục, các mẫu; một bảng tính ví dụ ở vi-du/).
    Init {
        /// Thư mục mới (phải trống hoặc chưa có).
        dir: PathBuf,
    },
    /// Ghi biểu mẫu trống cho từng đơn vị vào DIR/bieu-mau/.
    Forms {
        /// Thư mục báo cáo.
        dir: PathBuf,
    },
    /// Cấp cho mỗi đơn vị một liên kết riêng để nộp bảng tính; ghi DIR/lien-ket-nop.xlsx để văn phòng gửi.
    #[command(name = "lien-ket")]
    LienKet {
        /// Thư mục báo cáo.
        dir: PathBuf,
        /// Địa chỉ các đơn vị dùng để vào máy chạy baocao serve (mặc định http://TÊN-MÁY:8686; giữ địa chỉ lần trước).
        #[arg(long, value_name = "ĐỊA-CHỈ")]
        url: Option<String>,
        /// Cấp liên kết mới (liên kết cũ hết dùng được): --moi cho mọi đơn vị, --moi=MÃ,MÃ chỉ cho các đơn vị đó.
        #[arg(long, value_name = "MÃ", num_args = 0..=1, require_equals = true, value_delimiter = ',')]
        moi: Option<Vec<String>>,
    },
    /// Khóa sổ: trang nộp của các đơn vị không nhận thêm bảng tính.
    Khoa {
        /// Thư mục báo cáo.
        dir: PathBuf,
    },
    /// Mở khóa sổ: trang nộp của các đơn vị nhận bảng tính trở lại.
    #[command(name = "mo-khoa")]
    MoKhoa {
        /// Thư mục báo cáo.
        dir: PathBuf,
    },
    /// Đọc và tổng hợp, không ghi gì; in tình trạng từng đơn vị và mọi cảnh báo.
    Check {
        /// Thư mục báo cáo.
        dir: PathBuf,
        /// In một tài liệu JSON: {"diagnostics": [...], "context": {...}}.
        #[arg(long)]
        json: bool,
    },
    /// Tạo báo cáo: bao-cao.docx, bao-cao.pdf, tong-hop.xlsx.
    Build {
        /// Thư mục báo cáo.
        dir: PathBuf,
        /// Thư mục ghi kết quả (mặc định DIR/ket-qua).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Các định dạng, cách nhau bởi dấu phẩy: docx,pdf,xlsx (md: văn bản Markdown sau khi điền mẫu).
        #[arg(long, value_delimiter = ',', default_value = "docx,pdf,xlsx")]
        format: Vec<String>,
    },
    /// Mở trang web của văn phòng cho thư mục báo cáo: nhận bảng tính, xem tình trạng, tạo báo cáo.
    Serve {
        /// Thư mục báo cáo (mặc định: thư mục hiện tại, nếu có baocao.toml).
        dir: Option<PathBuf>,
        /// Địa chỉ nghe (mặc định 127.0.0.1:8686, chỉ máy này); 0.0.0.0:8686 cho cả mạng cơ quan (cần mật khẩu).
        #[arg(long, value_name = "ĐỊA-CHỈ:CỔNG")]
        listen: Option<String>,
        /// Tệp chứa mật khẩu của trang (dòng đầu); hoặc đặt biến môi trường BAOCAO_MAT_KHAU.
        #[arg(long = "mat-khau-tu", value_name = "TỆP")]
        mat_khau_tu: Option<PathBuf>,
        /// Tên khác của máy này trong mạng cơ quan mà trình duyệt dùng (ngoài tên máy và địa chỉ IP).
        #[arg(long = "ten-may", value_name = "TÊN")]
        ten_may: Vec<String>,
        /// Không mở trình duyệt, chỉ in địa chỉ.
        #[arg(long)]
        no_open: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init { dir } => written(baocao::starter::init(&dir)),
        Command::Forms { dir } => match baocao::starter::forms(&dir) {
            Ok(f) => {
                if let Some(note) = &f.note {
                    emit_err(&format!("lưu ý: {note}\n"));
                }
                written(Ok(f.written))
            }
            Err(e) => fatal(e),
        },
        Command::LienKet { dir, url, moi } => links(&dir, url.as_deref(), moi),
        Command::Khoa { dir } => match baocao::submit::lock(&dir) {
            Ok(l) => {
                let when = l
                    .luc
                    .map(|t| t.format(" lúc %H:%M ngày %d/%m/%Y").to_string())
                    .unwrap_or_default();
                emit(&format!("Đã khóa sổ{when}: trang nộp của các đơn vị không nhận thêm bảng tính. Mở lại: baocao mo-khoa\n"));
                ExitCode::SUCCESS
            }
            Err(e) => fatal(e),
        },
        Command::MoKhoa { dir } => match baocao::submit::unlock(&dir) {
            Ok(true) => {
                emit("Đã mở khóa: các đơn vị nộp bảng tính được trở lại.\n");
                ExitCode::SUCCESS
            }
            Ok(false) => {
                emit("Sổ chưa khóa; không có gì thay đổi.\n");
                ExitCode::SUCCESS
            }
            Err(e) => fatal(e),
        },
        Command::Check { dir, json } => {
            let bar = progress_bar(!json);
            let r = baocao::check(&dir, &|done, total| update(&bar, done, total));
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            match r {
                Ok(c) => {
                    if json {
                        print_json(&c);
                    } else {
                        print_check(&c, &dir);
                    }
                    let code = exit_for(&c.diagnostics);
                    // The process ends now: freeing every unit's figures
                    // one by one is only time.
                    std::mem::forget(c);
                    code
                }
                Err(e) => fatal(e),
            }
        }
        Command::Serve {
            dir,
            listen,
            mat_khau_tu,
            ten_may,
            no_open,
        } => serve(dir, listen, mat_khau_tu, ten_may, no_open),
        Command::Build { dir, out, format } => {
            let mut formats = Vec::new();
            for f in &format {
                match f.trim().to_lowercase().as_str() {
                    "docx" => formats.push(Format::Docx),
                    "pdf" => formats.push(Format::Pdf),
                    "xlsx" => formats.push(Format::Xlsx),
                    "md" => formats.push(Format::Md),
                    "handout" => formats.push(Format::Handout),
                    "booklet" => formats.push(Format::Booklet),
                    other => {
                        emit_err(&format!(
                            "lỗi: định dạng “{other}” không có; dùng docx, pdf, xlsx, md, handout, booklet\n"
                        ));
                        return ExitCode::from(2);
                    }
                }
            }
            let bar = progress_bar(true);
            let r = baocao::build(&dir, out.as_deref(), &formats, &|done, total| {
                update(&bar, done, total)
            });
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            match r {
                Ok(b) => {
                    print_check(&b.checked, &dir);
                    for p in &b.written {
                        emit(&format!("Đã ghi {}\n", p.display()));
                    }
                    if b.written.iter().any(|p| p.ends_with("tai-lieu-a5.pdf")) {
                        emit(BOOKLET_HOW);
                    }
                    let code = exit_for(&b.checked.diagnostics);
                    std::mem::forget(b);
                    code
                }
                Err(e) => fatal(e),
            }
        }
    }
}

/// How to print the booklet, said after it is written.
const BOOKLET_HOW: &str = "Cách in tai-lieu-a5.pdf thành cuốn A5: in trên giấy A4, khổ ngang, cỡ thật (100%, không \"vừa trang\"), in hai mặt lật theo cạnh ngắn (Flip on short edge); xếp các tờ theo thứ tự in, gập đôi ở giữa rồi dập ghim ở nếp gấp.\n";

fn serve(
    dir: Option<PathBuf>,
    listen: Option<String>,
    password_file: Option<PathBuf>,
    names: Vec<String>,
    no_open: bool,
) -> ExitCode {
    let dir = match dir {
        Some(d) => d,
        None if std::path::Path::new(baocao::folder::SETTINGS).is_file() => PathBuf::from("."),
        None => {
            eprintln!(
                "Thư mục hiện tại không phải thư mục báo cáo (không có {}); chạy: baocao serve THƯ-MỤC-BÁO-CÁO",
                baocao::folder::SETTINGS
            );
            return ExitCode::from(2);
        }
    };
    let run = web::password_from(password_file.as_deref()).and_then(|password| {
        web::serve(web::Options {
            dir,
            listen,
            password,
            names,
            open_browser: !no_open,
        })
    });
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lỗi: {e}");
            ExitCode::from(2)
        }
    }
}

fn links(dir: &std::path::Path, url: Option<&str>, moi: Option<Vec<String>>) -> ExitCode {
    use baocao::submit::links::{make_links, Renew};
    let renew = match moi {
        None => Renew::Missing,
        Some(codes) if codes.is_empty() => Renew::All,
        Some(codes) => Renew::Units(codes),
    };
    let default_url = format!(
        "http://{}:{}",
        web::machine_name().unwrap_or_else(|| "127.0.0.1".into()),
        web::DEFAULT_PORT
    );
    match make_links(dir, url, &default_url, &renew) {
        Ok(m) => {
            let mut o = format!("Địa chỉ: {}\n", m.url);
            if !m.new.is_empty() {
                o.push_str(&format!(
                    "Liên kết mới: {} đơn vị ({})\n",
                    m.new.len(),
                    m.new.join(", ")
                ));
            }
            if !m.kept.is_empty() {
                o.push_str(&format!("Giữ liên kết cũ: {} đơn vị\n", m.kept.len()));
            }
            if !m.unknown.is_empty() {
                o.push_str(&format!(
                    "Giữ liên kết cũ nhưng không còn trong lien-ket-nop.xlsx (liên kết vẫn dùng được; cấp lại bằng --moi MÃ): {}\n",
                    m.unknown.join(", ")
                ));
            }
            if !m.removed.is_empty() {
                o.push_str(&format!(
                    "Bỏ liên kết của đơn vị không còn trong danh mục: {}\n",
                    m.removed.join(", ")
                ));
            }
            o.push_str(&format!(
                "Đã ghi {}: gửi cho mỗi đơn vị đúng liên kết của đơn vị đó. Chạy lại baocao forms để biểu mẫu mang liên kết.\n",
                m.path.display()
            ));
            if m.url.contains("127.0.0.1") || m.url.contains("localhost") {
                o.push_str("lưu ý: địa chỉ này chỉ mở được trên chính máy này; dùng --url http://TÊN-MÁY:8686 cho các đơn vị.\n");
            }
            emit(&o);
            ExitCode::SUCCESS
        }
        Err(e) => fatal(e),
    }
}

fn written(r: Result<Vec<PathBuf>, Fatal>) -> ExitCode {
    match r {
        Ok(paths) => {
            for p in paths {
                emit(&format!("Đã ghi {}\n", p.display()));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fatal(e),
    }
}

/// A progress bar on a terminal; nothing at all otherwise (not even a
/// hidden bar: updating one takes a lock, from every reading thread).
fn progress_bar(wanted: bool) -> Option<ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("Đang đọc bảng tính {bar:30} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn update(bar: &Option<ProgressBar>, done: usize, total: usize) {
    if let Some(bar) = bar {
        if done == 0 {
            bar.set_length(total as u64);
        }
        bar.set_position(done as u64);
    }
}

fn exit_for(diags: &[Diagnostic]) -> ExitCode {
    if has_errors(diags) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn fatal(e: Fatal) -> ExitCode {
    emit_err(&format!("lỗi: {e}\n"));
    ExitCode::from(2)
}

/// Text for a terminal: control characters (an escape sequence in a file
/// name or a cell would drive the terminal, a carriage return overwrite
/// its own line) are shown as `\u{1b}`; line breaks and tabs are kept.
fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(bad) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if bad(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Write to stdout; a closed pipe (`baocao check … | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(for_terminal(text).as_bytes())
        .and_then(|()| out.flush());
}

/// Write to stderr, made safe like [`emit`].
fn emit_err(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(for_terminal(text).as_bytes());
}

fn print_json(c: &Checked) {
    /// Serialised from borrowed parts: the context is not copied again.
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        diagnostics: &'a [Diagnostic],
        context: &'a serde_json::Value,
        don_vi: &'a [baocao::UnitStatus],
    }
    let context = c.full_context();
    let doc = Doc {
        diagnostics: &c.diagnostics,
        context: &context,
        don_vi: &c.units,
    };
    let json = serde_json::to_string_pretty(&doc).unwrap_or_default();
    // serde_json escapes C0 controls; DEL and C1 (U+009B starts an escape
    // sequence on some terminals) are escaped here, inside strings, where
    // alone they can appear.
    let c1 = |ch: char| ('\u{7f}'..='\u{9f}').contains(&ch);
    let json = if json.contains(c1) {
        json.chars()
            .map(|ch| {
                if c1(ch) {
                    format!("\\u{:04x}", ch as u32)
                } else {
                    ch.to_string()
                }
            })
            .collect()
    } else {
        json
    };
    emit(&format!("{json}\n"));
}

/// `2024-07-05T09:30:12` as `09:30 05/07/2024`.
fn short_time(iso: &str) -> String {
    match (
        iso.get(0..4),
        iso.get(5..7),
        iso.get(8..10),
        iso.get(11..16),
    ) {
        (Some(y), Some(m), Some(d), Some(hm)) => format!("{hm} {d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

fn print_check(c: &Checked, dir: &std::path::Path) {
    use std::fmt::Write;
    let mut o = String::new();
    let n = &c.compiled.completeness;
    let _ = writeln!(o, "Đơn vị: đã nộp {}/{}", n.tong.da_nop, n.tong.du_kien);
    if let Some(h) = &c.settings.bao_cao.han_nop {
        let late = c.units.iter().filter(|u| u.nop_muon).count();
        let _ = write!(o, "Hạn nộp: {}", h.words());
        if late > 0 {
            let _ = write!(o, "; {late} đơn vị nộp muộn");
        }
        let _ = writeln!(o);
    }
    if let Some(l) = baocao::submit::lock_state(dir) {
        let when = l
            .luc
            .map(|t| t.format(" lúc %H:%M ngày %d/%m/%Y").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "Đã khóa sổ{when}: trang nộp của các đơn vị không nhận thêm bảng tính"
        );
    }
    let w = c
        .units
        .iter()
        .map(|u| u.ten.chars().count())
        .max()
        .unwrap_or(10)
        .min(45);
    for u in &c.units {
        let state = match u.trang_thai {
            UnitState::DaNop => "đã nộp",
            UnitState::CoCanhBao => "đã nộp, có cảnh báo",
            UnitState::CoLoi => "đã nộp, có lỗi",
            UnitState::Thieu => "CHƯA NỘP",
        };
        let mut file = u.tep.clone().unwrap_or_default();
        if let Some(at) = &u.nop_luc {
            let _ = write!(file, " (nhận lúc {})", short_time(at));
        }
        if u.nop_muon {
            file.push_str(" · NỘP MUỘN");
        }
        if u.phien_ban.len() > 1 {
            let _ = write!(file, " · {} lần gửi", u.phien_ban.len());
        }
        let _ = writeln!(
            o,
            "  {:<12} {:<w$} {:<14} {:<20} {}",
            u.ma,
            u.ten,
            u.tuyen,
            state,
            file,
            w = w
        );
    }
    let count = |s: Severity| c.diagnostics.iter().filter(|d| d.severity == s).count();
    let _ = writeln!(
        o,
        "Chẩn đoán: {} lỗi, {} cảnh báo, {} thông tin",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    for d in &c.diagnostics {
        let _ = writeln!(o, "  {d}");
    }
    emit(&o);
}
