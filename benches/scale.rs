//! `baocao` at a ministry's scale: report folders of 100, 1,000 (and on
//! request 10,000) standard unit workbooks of 60 indicators, a tenth of
//! them messy, timed as whole processes (`baocao check`, `baocao build`)
//! beside a floor that only reads the same files with calamine, in the
//! same run. Prints the medians, the per-workbook cost at each size, the
//! peak memory, and the ratios check/floor and build/check (taken run by
//! run, then the median). `docs/performance.md` has the figures.
//!
//! ```text
//! cargo bench --bench scale                  # 100 and 1,000 workbooks
//! cargo bench --bench scale -- 100 1000 10000
//! BAOCAO_BENCH_SIZES=10000 BAOCAO_BENCH_RUNS=3 cargo bench --bench scale
//! ```
//!
//! Folders are generated once under `target/tmp/scale/` (or
//! `BAOCAO_BENCH_DIR`) and reused; delete them when done (10,000
//! workbooks take about 100 MB).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use calamine::{Data, Reader, Xlsx};
use rayon::prelude::*;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

type R<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Changes whenever the generated folders would differ: stale ones are
/// written again.
const GENERATOR: &str = "scale-bench 1";
const GROUPS: usize = 6;
const PER_GROUP: usize = 10;

fn main() -> R {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `scale floor DIR`: this binary as the floor (a process like the others).
    // This binary's own steps, each in a process of its own, so that this
    // process stays small: a child's peak memory counts its parent's at
    // the start (the kernel records the copy it replaces).
    match args.first().map(String::as_str) {
        Some("floor") => {
            let dir = PathBuf::from(args.get(1).ok_or("floor DIR")?);
            let (files, sum) = floor(&dir)?;
            println!("{files} workbooks, sum {sum}");
            return Ok(());
        }
        Some("generate") | Some("verify") => {
            let dir = PathBuf::from(args.get(1).ok_or("DIR")?);
            let n: usize = args.get(2).ok_or("N")?.parse()?;
            if args[0] == "generate" {
                generate(&dir, n)?;
            } else {
                verify(Path::new(env!("CARGO_BIN_EXE_baocao")), &dir, n)?;
            }
            return Ok(());
        }
        _ => {}
    }
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = match std::env::var("BAOCAO_BENCH_SIZES") {
            Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
            Err(_) => vec![100, 1000],
        };
    }
    let runs: usize = std::env::var("BAOCAO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let base = std::env::var_os("BAOCAO_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale"));
    let baocao = PathBuf::from(env!("CARGO_BIN_EXE_baocao"));
    let me = std::env::current_exe()?;
    println!(
        "baocao at scale: {} processors, load average {}, {runs} runs per size (medians)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load()
    );
    let mut rows = Vec::new();
    for &n in &sizes {
        let dir = base.join(n.to_string());
        let t = Instant::now();
        let step = |what: &str| -> R {
            let ok = Command::new(&me)
                .arg(what)
                .arg(&dir)
                .arg(n.to_string())
                .status()?
                .success();
            if ok {
                Ok(())
            } else {
                Err(format!("{what} {} failed", dir.display()).into())
            }
        };
        step("generate")?;
        println!(
            "{n} workbooks ready in {:.1} s ({})",
            t.elapsed().as_secs_f64(),
            dir.display()
        );
        step("verify")?;
        let floor_cmd = |c: &mut Command| {
            c.arg("floor").arg(&dir);
        };
        let check_cmd = |c: &mut Command| {
            c.arg("check").arg(&dir);
        };
        let build_cmd = |c: &mut Command| {
            c.arg("build").arg(&dir);
        };
        // One warm-up of each, so the files are in the page cache.
        run(&me, floor_cmd)?;
        run(&baocao, check_cmd)?;
        let mut samples = Vec::new();
        for _ in 0..runs {
            let f = run(&me, floor_cmd)?;
            let c = run(&baocao, check_cmd)?;
            let b = run(&baocao, build_cmd)?;
            samples.push((f, c, b));
        }
        let row = Row::of(n, &samples);
        row.print();
        rows.push(row);
    }
    println!();
    println!("| workbooks | floor | check | build | check/floor | build/check | check per workbook | build per workbook | peak check | peak build |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in &rows {
        println!(
            "| {} | {:.3} s | {:.3} s | {:.3} s | {:.2}× | {:.2}× | {:.3} ms | {:.3} ms | {} | {} |",
            r.n,
            r.floor.wall,
            r.check.wall,
            r.build.wall,
            r.check_floor,
            r.build_check,
            r.check.wall * 1000.0 / r.n as f64,
            r.build.wall * 1000.0 / r.n as f64,
            mib(r.check.peak),
            mib(r.build.peak),
        );
    }
    println!(
        "load average after: {}; this process's own peak (a floor under every peak above): {}",
        load(),
        mib(own_peak())
    );
    Ok(())
}

/// One timed process: wall and CPU seconds, peak resident memory (bytes).
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    wall: f64,
    cpu: f64,
    peak: Option<u64>,
}

/// The medians of one size.
struct Row {
    n: usize,
    floor: Sample,
    check: Sample,
    build: Sample,
    check_floor: f64,
    build_check: f64,
}

impl Row {
    fn of(n: usize, s: &[(Sample, Sample, Sample)]) -> Row {
        let med = |pick: &dyn Fn(&(Sample, Sample, Sample)) -> Sample| Sample {
            wall: median(s.iter().map(|x| pick(x).wall).collect()),
            cpu: median(s.iter().map(|x| pick(x).cpu).collect()),
            peak: s.iter().filter_map(|x| pick(x).peak).max(),
        };
        Row {
            n,
            floor: med(&|x| x.0),
            check: med(&|x| x.1),
            build: med(&|x| x.2),
            check_floor: median(s.iter().map(|x| x.1.wall / x.0.wall).collect()),
            build_check: median(s.iter().map(|x| x.2.wall / x.1.wall).collect()),
        }
    }
    fn print(&self) {
        for (name, s) in [
            ("floor", self.floor),
            ("check", self.check),
            ("build", self.build),
        ] {
            println!(
                "{:>6} workbooks  {name:<5}  wall {:>7.3} s  cpu {:>7.3} s  {:>7.3} ms/workbook  peak {}",
                self.n,
                s.wall,
                s.cpu,
                s.wall * 1000.0 / self.n as f64,
                mib(s.peak)
            );
        }
        println!(
            "{:>6} workbooks  check/floor {:.2}×  build/check {:.2}×",
            self.n, self.check_floor, self.build_check
        );
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn mib(b: Option<u64>) -> String {
    b.map_or("–".into(), |b| format!("{} MiB", b / (1024 * 1024)))
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Run a program to its end, its output thrown away; exit code 2 (the
/// folder is unusable) stops the benchmark.
fn run(program: &Path, args: impl Fn(&mut Command)) -> R<Sample> {
    let mut cmd = Command::new(program);
    args(&mut cmd);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn()?;
    let (code, cpu, peak) = wait(child)?;
    let wall = start.elapsed().as_secs_f64();
    if !matches!(code, Some(0) | Some(1)) {
        return Err(format!("{cmd:?} ended with {code:?}").into());
    }
    Ok(Sample { wall, cpu, peak })
}

/// Wait for a child: exit code, CPU seconds and peak memory from the
/// system's accounting of that one child.
#[cfg(unix)]
fn wait(child: std::process::Child) -> R<(Option<i32>, f64, Option<u64>)> {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a plain system call on our own child, with valid out-pointers.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    if r != pid {
        return Err(std::io::Error::last_os_error().into());
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux gives kilobytes.
    let peak = ru.ru_maxrss as u64 * 1024;
    Ok((code, secs(ru.ru_utime) + secs(ru.ru_stime), Some(peak)))
}

/// This process's peak resident memory.
#[cfg(unix)]
fn own_peak() -> Option<u64> {
    // SAFETY: a plain system call with a valid out-pointer.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    (unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } == 0)
        .then(|| ru.ru_maxrss as u64 * 1024)
}

#[cfg(not(unix))]
fn own_peak() -> Option<u64> {
    None
}

#[cfg(not(unix))]
fn wait(mut child: std::process::Child) -> R<(Option<i32>, f64, Option<u64>)> {
    let s = child.wait()?;
    Ok((s.code(), f64::NAN, None))
}

/// The floor: open each workbook with calamine, read its first sheet, sum
/// its numbers; in parallel, as `check` reads.
fn floor(dir: &Path) -> R<(usize, f64)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("don-vi"))?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let sum = files
        .par_iter()
        .map(|p| -> R<f64> {
            let bytes = std::fs::read(p)?;
            let mut wb = Xlsx::new(Cursor::new(bytes))?;
            let range = wb.worksheet_range_at(0).ok_or("no sheet")??;
            Ok(range
                .used_cells()
                .map(|(_, _, d)| match d {
                    Data::Float(f) => *f,
                    Data::Int(i) => *i as f64,
                    _ => 0.0,
                })
                .sum())
        })
        .collect::<R<Vec<f64>>>()?
        .into_iter()
        .sum();
    Ok((files.len(), sum))
}

/// `check --json` once, untimed: every unit must be read and compiled.
fn verify(baocao: &Path, dir: &Path, n: usize) -> R {
    let out = Command::new(baocao)
        .arg("check")
        .arg("--json")
        .arg(dir)
        .output()?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let da_nop = &v["context"]["don_vi"]["da_nop"];
    if da_nop != n {
        return Err(format!("{}: {da_nop} of {n} units read", dir.display()).into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The folders.

/// What the tenth messy workbook does differently.
#[derive(Debug, Clone, Copy)]
enum Mess {
    /// Figures typed as text the Vietnamese way (`1.234`, `46,8`).
    TextNumbers,
    /// A blank result and a `-` (not applicable).
    Blanks,
    /// No `Mã chỉ tiêu` column: rows matched by name.
    NoCodeColumn,
    /// Labels, names and the unit's name in TCVN3 under a `.VnTime` font.
    Legacy,
    /// No `Mã đơn vị` line: the unit matched by its name.
    NoUnitCode,
    /// Header values in the next cell, a two-row header, a code the
    /// catalogue does not have.
    Layout,
}

const MESSES: [Mess; 6] = [
    Mess::TextNumbers,
    Mess::Blanks,
    Mess::NoCodeColumn,
    Mess::Legacy,
    Mess::NoUnitCode,
    Mess::Layout,
];

fn mess(i: usize) -> Option<Mess> {
    (i % 10 == 9).then(|| MESSES[(i / 10) % MESSES.len()])
}

fn code(g: usize, k: usize) -> String {
    format!("N{}_{:02}", g + 1, k + 1)
}

const GROUP_NAMES: [&str; GROUPS] = [
    "Khám, chữa bệnh",
    "Y tế dự phòng",
    "Chăm sóc sức khỏe sinh sản",
    "An toàn thực phẩm",
    "Dân số",
    "Bảo hiểm y tế",
];

/// One catalogue row: (code, name, unit, how, numerator, denominator, factor).
struct Ind {
    ma: String,
    ten: String,
    dvt: &'static str,
    cach: &'static str,
    tu: String,
    mau: String,
    he_so: Option<f64>,
}

/// Ten indicators a group: eight counts, a % of two of them, and a rate
/// per 10,000 people.
fn catalogue() -> Vec<Ind> {
    let mut v = Vec::new();
    for (g, group) in GROUP_NAMES.iter().enumerate() {
        for k in 0..PER_GROUP {
            let (dvt, cach, tu, mau, he_so) = match k {
                8 => ("%", "ty-le", code(g, 1), code(g, 0), Some(100.0)),
                9 => (
                    "/vạn dân",
                    "ty-le",
                    code(g, 2),
                    "DAN_SO".into(),
                    Some(10000.0),
                ),
                _ => ("lượt", "tong", String::new(), String::new(), None),
            };
            v.push(Ind {
                ma: code(g, k),
                ten: format!("Chỉ tiêu {} số {} của nhóm {}", group, k + 1, g + 1),
                dvt,
                cach,
                tu,
                mau,
                he_so,
            });
        }
    }
    v
}

fn level(i: usize, n: usize) -> &'static str {
    if i < n.div_ceil(50) {
        "tỉnh"
    } else if i < n.div_ceil(8) {
        "huyện"
    } else {
        "xã"
    }
}

fn unit_code(i: usize) -> String {
    format!("DV{i:05}")
}

fn unit_name(i: usize, n: usize) -> String {
    match level(i, n) {
        "tỉnh" => format!("Bệnh viện Đa khoa Hòa Bình số {i}"),
        "huyện" => format!("Trung tâm Y tế huyện Sông Mây số {i}"),
        _ => format!("Trạm Y tế xã Phú Lâm số {i}"),
    }
}

/// Write the folder unless a complete one of this generator is there.
fn generate(dir: &Path, n: usize) -> R {
    let stamp = dir.join(".generated");
    let want = format!("{GENERATOR} {n}");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir.join("don-vi"))?;
    std::fs::write(
        dir.join("baocao.toml"),
        "[bao_cao]\nloai = \"so-ket-6-thang\"\nnam = 2024\nlinh_vuc = \"y tế\"\n\
         [co_quan]\nchu_quan = \"BỘ Y TẾ\"\nban_hanh = \"VỤ KẾ HOẠCH - TÀI CHÍNH\"\ndia_danh = \"Hà Nội\"\n\
         [van_ban]\nso = \"123/BC-KHTC\"\nngay = 2024-07-08\nnoi_nhan = [\"Bộ trưởng (để b/c)\", \"Lưu: VT\"]\n\
         [ky]\nquyen_han = \"KT. VỤ TRƯỞNG\"\nchuc_vu = \"PHÓ VỤ TRƯỞNG\"\nho_ten = \"Nguyễn Văn A\"\n",
    )?;
    write_danh_muc(&dir.join("danh-muc.xlsx"), n)?;
    let cat = catalogue();
    (0..n)
        .into_par_iter()
        .try_for_each(|i| write_unit(&dir.join("don-vi"), i, n, &cat))?;
    std::fs::write(stamp, want)?;
    Ok(())
}

fn write_danh_muc(path: &Path, n: usize) -> R {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("DonVi")?;
    for (c, h) in ["Mã đơn vị", "Tên đơn vị", "Tuyến", "Dân số"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for i in 0..n {
        let r = i as u32 + 1;
        ws.write_string(r, 0, unit_code(i))?;
        ws.write_string(r, 1, unit_name(i, n))?;
        ws.write_string(r, 2, level(i, n))?;
        ws.write_number(r, 3, 8_000.0 + (i % 97) as f64 * 100.0)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("ChiTieu")?;
    let heads = [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Nhóm",
        "Cách tổng hợp",
        "Tử số",
        "Mẫu số",
        "Hệ số",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, ct) in catalogue().iter().enumerate() {
        let r = i as u32 + 1;
        let g = i / PER_GROUP;
        ws.write_string(r, 0, &ct.ma)?;
        ws.write_string(r, 1, &ct.ten)?;
        ws.write_string(r, 2, ct.dvt)?;
        ws.write_string(r, 3, GROUP_NAMES[g])?;
        ws.write_string(r, 4, ct.cach)?;
        ws.write_string(r, 5, &ct.tu)?;
        ws.write_string(r, 6, &ct.mau)?;
        if let Some(h) = ct.he_so {
            ws.write_number(r, 7, h)?;
        }
    }
    wb.save(path)?;
    Ok(())
}

/// TCVN3 bytes (as the code points a cell holds) for Vietnamese text,
/// found through the library's own decoder.
fn tcvn3(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            (0xA1u32..=0xFF)
                .filter_map(char::from_u32)
                .find(|b| baocao::vi::legacy::decode_tcvn3(&b.to_string(), false) == c.to_string())
                .unwrap_or(c)
        })
        .collect()
}

/// A unit's figures: (plan, result, same period) of indicator `k` of group `g`.
fn figures(i: usize, g: usize, k: usize) -> (f64, f64, f64) {
    let base = 100.0 + ((i * 7 + g * 13 + k * 31) % 500) as f64;
    match k {
        // Numerator below its denominator (k 1 over k 0).
        1 => (base * 1.5, base * 0.8, base * 0.75),
        0 => (base * 2.0, base * 1.2, base),
        _ => (base * 2.0, base, base * 0.9),
    }
}

fn write_unit(dir: &Path, i: usize, n: usize, cat: &[Ind]) -> R {
    let m = mess(i);
    let legacy = matches!(m, Some(Mess::Legacy));
    let t = |s: &str| if legacy { tcvn3(s) } else { s.to_string() };
    let mut wb = Workbook::new();
    let font = if legacy {
        Format::new().set_font_name(".VnTime")
    } else {
        Format::new()
    };
    let bold = font.clone().set_bold();
    let cell = font.clone().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.##");
    let ws = wb.add_worksheet();
    ws.set_name("BaoCao")?;
    ws.write_string_with_format(0, 0, t("BỘ Y TẾ"), &bold)?;
    ws.write_string_with_format(
        1,
        0,
        t("BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2024"),
        &bold,
    )?;
    let mut lines = vec![
        ("Tên đơn vị", unit_name(i, n)),
        ("Mã đơn vị", unit_code(i)),
        ("Kỳ báo cáo", "6 tháng đầu năm 2024".to_string()),
    ];
    if matches!(m, Some(Mess::NoUnitCode)) {
        lines.remove(1);
    }
    for (r, (label, value)) in lines.iter().enumerate() {
        let r = 3 + r as u32;
        if matches!(m, Some(Mess::Layout)) {
            ws.write_string_with_format(r, 0, format!("{}:", t(label)), &bold)?;
            ws.write_string_with_format(r, 2, t(value), &font)?;
        } else {
            ws.write_string_with_format(r, 0, t(&format!("{label}: {value}")), &bold)?;
        }
    }
    let no_code = matches!(m, Some(Mess::NoCodeColumn));
    let heads: Vec<&str> = [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch năm",
        "Thực hiện 6 tháng",
        "Cùng kỳ năm trước",
        "Ghi chú",
    ]
    .into_iter()
    .filter(|h| !(no_code && *h == "Mã chỉ tiêu"))
    .collect();
    let col = |name: &str| heads.iter().position(|h| *h == name).map(|c| c as u16);
    let mut r = 7u32;
    if matches!(m, Some(Mess::Layout)) {
        // A group label over the three figure columns, its parts below.
        ws.merge_range(r, 4, r, 6, "Kết quả", &cell)?;
        r += 1;
    }
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, t(h), &cell)?;
    }
    r += 1;
    let (ma_c, ten_c, dvt_c) = (col("Mã chỉ tiêu"), col("Tên chỉ tiêu"), col("Đơn vị tính"));
    let value_cols = [
        col("Kế hoạch năm"),
        col("Thực hiện 6 tháng"),
        col("Cùng kỳ năm trước"),
    ];
    for g in 0..GROUPS {
        ws.write_string_with_format(r, 0, ["I", "II", "III", "IV", "V", "VI"][g], &bold)?;
        if let Some(c) = ten_c {
            ws.write_string_with_format(r, c, t(GROUP_NAMES[g]), &bold)?;
        }
        r += 1;
        for k in 0..PER_GROUP {
            let ct = &cat[g * PER_GROUP + k];
            ws.write_number_with_format(r, 0, (k + 1) as f64, &cell)?;
            if let Some(c) = ma_c {
                ws.write_string_with_format(r, c, &ct.ma, &cell)?;
            }
            if let Some(c) = ten_c {
                ws.write_string_with_format(r, c, t(&ct.ten), &cell)?;
            }
            if let Some(c) = dvt_c {
                ws.write_string_with_format(r, c, t(ct.dvt), &cell)?;
            }
            // Rates are the program's to compute: left blank, as the form says.
            if ct.cach == "tong" {
                let (kh, th, ck) = figures(i, g, k);
                for (j, v) in [kh, th, ck].into_iter().enumerate() {
                    let Some(c) = value_cols[j] else { continue };
                    match m {
                        Some(Mess::TextNumbers) => {
                            let v = v + (k % 2) as f64 * 0.5;
                            let s = baocao::vi::number::format_decimal_dp(
                                rust_decimal::Decimal::try_from(v).unwrap_or_default(),
                                1,
                            );
                            ws.write_string_with_format(r, c, s, &cell)?
                        }
                        Some(Mess::Blanks) if g == 1 && k == 3 && j == 1 => {
                            ws.write_blank(r, c, &cell)?
                        }
                        Some(Mess::Blanks) if g == 2 && k == 4 && j == 2 => {
                            ws.write_string_with_format(r, c, "-", &cell)?
                        }
                        _ => ws.write_number_with_format(r, c, v, &num)?,
                    };
                }
            }
            r += 1;
        }
    }
    if matches!(m, Some(Mess::Layout)) {
        ws.write_string_with_format(r, 1, "N9_99", &cell)?;
        ws.write_string_with_format(r, 2, "Chỉ tiêu riêng của đơn vị", &cell)?;
        ws.write_number_with_format(r, 5, 12.0, &num)?;
        r += 1;
    }
    ws.write_string_with_format(r + 1, 2, t("Người lập biểu"), &bold)?;
    ws.write_string_with_format(r + 1, 5, t("Thủ trưởng đơn vị"), &bold)?;
    let nd = wb.add_worksheet();
    nd.set_name("NoiDung")?;
    nd.write_string(0, 0, "Mục")?;
    nd.write_string(0, 1, "Nội dung")?;
    // Most units leave the narrative blank; one in a hundred writes.
    if i % 100 == 42 {
        nd.write_string(1, 0, "Ưu điểm")?;
        nd.write_string(
            1,
            1,
            format!("Đơn vị {i} hoàn thành các chỉ tiêu chuyên môn đúng tiến độ."),
        )?;
    }
    save(wb, &dir.join(format!("dv{i:05}.xlsx")))
}

fn save(mut wb: Workbook, path: &Path) -> R {
    wb.save(path).map_err(|e: XlsxError| e.into())
}
