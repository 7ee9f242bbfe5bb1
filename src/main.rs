//! The `baocao` command line: argument parsing, progress bars, printing;
//! and the web page (`web/`), the other front end.

mod web;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use baocao::diagnostics::{has_errors, Diagnostic, Severity};
use baocao::{Checked, Fatal, Format, UnitState};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
        Command::Forms { dir } => written(baocao::starter::forms(&dir)),
        Command::Check { dir, json } => {
            let bar = progress_bar(!json);
            let r = baocao::check(&dir, &|done, total| update(&bar, done, total));
            bar.finish_and_clear();
            match r {
                Ok(c) => {
                    if json {
                        print_json(&c);
                    } else {
                        print_check(&c);
                    }
                    exit_for(&c.diagnostics)
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
                    other => {
                        emit_err(&format!(
                            "lỗi: định dạng “{other}” không có; dùng docx, pdf, xlsx, md\n"
                        ));
                        return ExitCode::from(2);
                    }
                }
            }
            let bar = progress_bar(true);
            let r = baocao::build(&dir, out.as_deref(), &formats, &|done, total| {
                update(&bar, done, total)
            });
            bar.finish_and_clear();
            match r {
                Ok(b) => {
                    print_check(&b.checked);
                    for p in &b.written {
                        emit(&format!("Đã ghi {}\n", p.display()));
                    }
                    exit_for(&b.checked.diagnostics)
                }
                Err(e) => fatal(e),
            }
        }
    }
}

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

/// A progress bar on a terminal; nothing at all otherwise.
fn progress_bar(wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("Đang đọc bảng tính {bar:30} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn update(bar: &ProgressBar, done: usize, total: usize) {
    bar.set_length(total as u64);
    bar.set_position(done as u64);
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
    let doc = serde_json::json!({"diagnostics": c.diagnostics, "context": c.context});
    // serde_json escapes C0 controls; DEL and C1 (U+009B starts an escape
    // sequence on some terminals) are escaped here, inside strings, where
    // alone they can appear.
    let json: String = serde_json::to_string_pretty(&doc)
        .unwrap_or_default()
        .chars()
        .map(|ch| {
            if ('\u{7f}'..='\u{9f}').contains(&ch) {
                format!("\\u{:04x}", ch as u32)
            } else {
                ch.to_string()
            }
        })
        .collect();
    emit(&format!("{json}\n"));
}

fn print_check(c: &Checked) {
    use std::fmt::Write;
    let mut o = String::new();
    let n = &c.compiled.completeness;
    let _ = writeln!(o, "Đơn vị: đã nộp {}/{}", n.tong.da_nop, n.tong.du_kien);
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
        let _ = writeln!(
            o,
            "  {:<12} {:<w$} {:<14} {:<20} {}",
            u.ma,
            u.ten,
            u.tuyen,
            state,
            u.tep.as_deref().unwrap_or(""),
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
