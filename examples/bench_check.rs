//! Benchmark: read and compile N unit workbooks (default 300) of 30
//! indicators each, as `baocao check` does. Run in release:
//! `cargo run --release --example bench_check -- 300`.

use std::time::Instant;

use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    std::fs::create_dir_all(root.join("don-vi"))?;
    std::fs::write(
        root.join("baocao.toml"),
        "[bao_cao]\nloai = \"so-ket-6-thang\"\nnam = 2024\n[co_quan]\nchu_quan = \"UBND TỈNH\"\nban_hanh = \"SỞ Y TẾ\"\ndia_danh = \"Tỉnh\"\n[van_ban]\nngay = 2024-07-08\n[ky]\nho_ten = \"A\"\n",
    )?;
    let codes: Vec<String> = (0..30).map(|i| format!("CT_{i:02}")).collect();
    // Catalogue and registry.
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
        ws.write_string(r, 0, format!("DV{i:04}"))?;
        ws.write_string(r, 1, format!("Đơn vị {i}"))?;
        ws.write_string(r, 2, ["tỉnh", "huyện", "xã"][i % 3])?;
        ws.write_number(r, 3, 10_000.0 + i as f64)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("ChiTieu")?;
    for (c, h) in [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Nhóm",
        "Cách tổng hợp",
        "Tử số",
        "Mẫu số",
        "Hệ số",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, code) in codes.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, code)?;
        ws.write_string(r, 1, format!("Chỉ tiêu số {i}"))?;
        ws.write_string(r, 2, "lượt")?;
        ws.write_string(r, 3, format!("Nhóm {}", i / 6))?;
        ws.write_string(r, 4, "tong")?;
    }
    wb.save(root.join("danh-muc.xlsx"))?;
    // Unit workbooks.
    let t0 = Instant::now();
    for i in 0..n {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("BaoCao")?;
        ws.write_string(1, 0, format!("Tên đơn vị: Đơn vị {i}"))?;
        ws.write_string(2, 0, format!("Mã đơn vị: DV{i:04}"))?;
        ws.write_string(3, 0, "Kỳ báo cáo: 6 tháng đầu năm 2024")?;
        for (c, h) in [
            "STT",
            "Mã chỉ tiêu",
            "Tên chỉ tiêu",
            "Đơn vị tính",
            "Kế hoạch năm",
            "Thực hiện 6 tháng",
            "Cùng kỳ năm trước",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(5, c as u16, *h)?;
        }
        for (k, code) in codes.iter().enumerate() {
            let r = 6 + k as u32;
            ws.write_number(r, 0, (k + 1) as f64)?;
            ws.write_string(r, 1, code)?;
            ws.write_string(r, 2, format!("Chỉ tiêu số {k}"))?;
            ws.write_number(r, 4, 1000.0 + (i * k) as f64)?;
            ws.write_number(r, 5, 400.0 + (i + k) as f64)?;
            ws.write_number(r, 6, 380.0 + k as f64)?;
        }
        wb.save(root.join("don-vi").join(format!("dv{i:04}.xlsx")))?;
    }
    eprintln!("wrote {n} workbooks in {:.2?}", t0.elapsed());
    let runs = 5;
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let c = baocao::check(root, &|_, _| {})?;
        let secs = t.elapsed().as_secs_f64();
        best = best.min(secs);
        assert_eq!(c.compiled.completeness.tong.da_nop, n);
    }
    println!(
        "check: {n} workbooks × {} indicators: best of {runs} runs {:.3} s ({:.2} ms per workbook, {} threads)",
        codes.len(),
        best,
        best * 1000.0 / n as f64,
        rayon::current_num_threads()
    );
    Ok(())
}
