//! `baocao init` and `baocao forms`: a commented starting folder, and one
//! blank form per registry unit.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::catalog::{self, CachTongHop, Catalogue, ChiTieu, DonVi, Group, Level, MauSo, Registry};
use crate::folder::{self, write_atomic};
use crate::settings::Settings;
use crate::template::builtin::BUILTIN;
use crate::vi::fold::key;
use crate::vi::period::period_words;
use crate::write::forms;
use crate::Fatal;

/// Where `init` puts its example unit workbook (not `don-vi/`).
pub const EXAMPLE_DIR: &str = "vi-du";

const SETTINGS_TEXT: &str = r#"# Thiết lập của báo cáo. Các khóa giữ nguyên (chữ không dấu); giá trị viết tiếng Việt.
# Bảng tính của các đơn vị đặt vào don-vi/. Tệp vi-du/BVDK-vi-du.xlsx là một bảng tính
# đã điền để xem cách điền; nó không nằm trong don-vi/ nên không được tính là báo cáo.

[bao_cao]
loai = "so-ket-6-thang"   # so-ket-quy | so-ket-6-thang | so-ket-9-thang | tong-ket-nam | chuyen-de
nam = 2024
# quy = 2                 # chỉ dùng cho so-ket-quy: 1 đến 4
# chu_de = "Kết quả thực hiện Chương trình mục tiêu y tế - dân số"   # chỉ dùng cho chuyen-de
# giai_doan = "giai đoạn 2016-2020"   # chỉ dùng cho chuyen-de: thay cho "6 tháng đầu năm" ở mọi chỗ
linh_vuc = "y tế"         # lĩnh vực ghi trong tên báo cáo ("công tác y tế")
# mau = "mau/rieng.hbs"   # mẫu chính riêng thay cho mẫu có sẵn (các mẫu trong mau/ tự thay mẫu cùng tên)
# cung_ky_tu = "../so-ket-6-thang-2023"  # thư mục báo cáo cùng kỳ năm trước (hoặc tệp tong-hop.xlsx của nó):
#                         # ô cùng kỳ đơn vị để trống được lấy từ số đơn vị báo cáo năm trước
# han_nop = 2024-07-05    # hạn nộp của đơn vị (hoặc 2024-07-05 17:00); nộp sau hạn được đánh dấu muộn
# lien_he = "Phòng KHTC, 0251 3822 123"  # đơn vị hỏi ai khi cần (in trên biểu mẫu và trang nộp)

[co_quan]
kieu = "hanh-chinh"       # hanh-chinh (Quốc hiệu, Nghị định 30) | dang (tiêu đề của Đảng)
chu_quan = "UBND TỈNH ĐỒNG NAI"   # cơ quan chủ quản
ban_hanh = "SỞ Y TẾ"              # cơ quan ban hành
dia_danh = "Đồng Nai"             # địa danh ở dòng ngày tháng
# ten_goi = "Sở Y tế"             # tên cơ quan khi viết trong câu (mặc định suy từ ban_hanh)

[van_ban]
so = "123/BC-SYT"         # để "/BC-SYT" khi là dự thảo chưa có số
ngay = 2024-07-08
trich_yeu = ""            # để trống: tự viết theo loại và năm
# kinh_gui = "Ủy ban nhân dân tỉnh"
noi_nhan = ["UBND tỉnh (để b/c)", "Bộ Y tế (để b/c)", "Lưu: VT, KHTC"]

[ky]
quyen_han = "KT. GIÁM ĐỐC"
chuc_vu = "PHÓ GIÁM ĐỐC"  # để trống khi thủ trưởng ký
ho_ten = "Nguyễn Văn A"

# Hội nghị (không bắt buộc): cho tài liệu hội nghị (baocao build DIR --format handout,booklet):
# bìa, chương trình; danh sách khen thưởng ở khen-thuong.xlsx, tệp PDF ghép thêm ở tai-lieu/.
# [hoi_nghi]
# ten = "Hội nghị sơ kết công tác y tế 6 tháng đầu năm 2024"
# dia_diem = "Hội trường Sở Y tế"
# ngay = 2024-07-10
# chuong_trinh = [
#   { gio = "08:00", noi_dung = "Tuyên bố lý do, giới thiệu đại biểu", trinh_bay = "Văn phòng Sở" },
#   { gio = "08:15", noi_dung = "Báo cáo sơ kết 6 tháng đầu năm", trinh_bay = "Lãnh đạo Sở" },
# ]
"#;

const NOI_DUNG_TEXT: &str = r#"<!-- Lời văn của văn phòng. Mỗi tiêu đề cấp 2 (##) là một mục của báo cáo:
     tên một nhóm chỉ tiêu (như "Khám, chữa bệnh"), hoặc Chỉ đạo, điều hành;
     Ưu điểm; Tồn tại, hạn chế; Phương hướng, nhiệm vụ; Đề xuất, kiến nghị.
     Văn bản của văn phòng đứng trước văn bản các đơn vị gửi trong trang NoiDung. -->

## Chỉ đạo, điều hành

Sở Y tế đã ban hành kế hoạch triển khai nhiệm vụ năm và chỉ đạo các đơn vị thực hiện.

## Ưu điểm

- Các đơn vị hoàn thành phần lớn chỉ tiêu chuyên môn.

## Tồn tại, hạn chế

- Một số chỉ tiêu đạt thấp so với kế hoạch.

## Phương hướng, nhiệm vụ

- Tiếp tục thực hiện các chỉ tiêu kế hoạch năm.

## Đề xuất, kiến nghị

- Đề nghị UBND tỉnh quan tâm bố trí kinh phí.
"#;

fn starter_registry() -> Registry {
    let u = |ma: &str, ten: &str, tuyen: &str, ds: Option<i64>| DonVi {
        ma: ma.into(),
        ten: ten.into(),
        tuyen: tuyen.into(),
        dan_so: ds.map(Decimal::from),
    };
    Registry::new(
        vec![
            u("BVDK", "Bệnh viện Đa khoa tỉnh", "tinh", None),
            u("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh", "tinh", None),
            u("TTYT_A", "Trung tâm Y tế huyện A", "huyen", Some(120_000)),
            u("TYT_B", "Trạm Y tế xã B", "xa", None),
        ],
        ["tỉnh", "huyện", "xã"]
            .iter()
            .map(|t| Level {
                key: crate::vi::fold::level_key(t),
                ten: format!("tuyến {t}"),
            })
            .collect(),
    )
}

fn starter_catalogue() -> Catalogue {
    let ct = |ma: &str, ten: &str, dvt: &str, nhom: &str, cach: CachTongHop| ChiTieu {
        ma: ma.into(),
        ten: ten.into(),
        dvt: dvt.into(),
        nhom: nhom.into(),
        cach,
        ke_hoach_tinh: None,
        so_sanh: Default::default(),
        loi: None,
    };
    let (kcb, nl, dp) = ("Khám, chữa bệnh", "Nhân lực y tế", "Y tế dự phòng");
    let indicators = vec![
        ct(
            "KCB_LUOT",
            "Tổng số lượt khám bệnh",
            "lượt",
            kcb,
            CachTongHop::Tong,
        ),
        ct(
            "KCB_NOI_TRU",
            "Số lượt điều trị nội trú",
            "lượt",
            kcb,
            CachTongHop::Tong,
        ),
        ct("NL_BAC_SI", "Số bác sĩ", "người", nl, CachTongHop::Tong),
        ct(
            "NL_BS_VAN_DAN",
            "Số bác sĩ/vạn dân",
            "bác sĩ/vạn dân",
            nl,
            CachTongHop::TyLe {
                tu_so: "NL_BAC_SI".into(),
                mau_so: MauSo::DanSo,
                he_so: Decimal::from(10_000),
            },
        ),
        // Offices often write a disease's change in cases.
        ChiTieu {
            so_sanh: crate::catalog::CachSoSanh::SoTuyetDoi,
            ..ct(
                "SXH_MAC",
                "Số ca mắc sốt xuất huyết",
                "ca",
                dp,
                CachTongHop::Tong,
            )
        },
    ];
    let groups = [kcb, nl, dp]
        .iter()
        .map(|g| Group {
            ten: g.to_string(),
            khoa: key(g),
        })
        .collect();
    Catalogue::new(indicators, groups)
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true)
}

fn mkdir(p: &Path) -> Result<(), Fatal> {
    std::fs::create_dir_all(p)
        .map_err(|e| Fatal::Folder(format!("không tạo được thư mục {}: {e}", p.display())))
}

fn write_err(e: crate::write::WriteError) -> Fatal {
    Fatal::Folder(e.to_string())
}

/// Write a commented starting folder; refuses a non-empty one.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Fatal> {
    if dir.exists() && !is_empty_dir(dir) {
        return Err(Fatal::Folder(format!(
            "thư mục {} đã có tệp; `baocao init` chỉ ghi vào thư mục trống hoặc chưa có",
            dir.display()
        )));
    }
    mkdir(dir)?;
    let mut out = vec![
        write_atomic(dir, folder::SETTINGS, SETTINGS_TEXT.as_bytes())?,
        write_atomic(dir, folder::NOI_DUNG, NOI_DUNG_TEXT.as_bytes())?,
    ];
    let (reg, cat) = (starter_registry(), starter_catalogue());
    out.push(write_atomic(
        dir,
        folder::CATALOGUE,
        &crate::write::catalogue::danh_muc(&reg, &cat).map_err(write_err)?,
    )?);
    let units = dir.join(folder::UNITS_DIR);
    mkdir(&units)?;
    let example = |ma: &str| match ma {
        "KCB_LUOT" => [Some(200_000.0), Some(95_500.0), Some(90_210.0)],
        "KCB_NOI_TRU" => [Some(30_000.0), Some(14_800.0), Some(13_950.0)],
        "NL_BAC_SI" => [None, Some(320.0), Some(305.0)],
        _ => [None, None, None],
    };
    let w = period_words(crate::settings::Loai::SoKet6Thang, 2024, None);
    let text = forms::FormText {
        ky: w.ky.clone(),
        thuc_hien: w.thuc_hien.clone(),
        lien_he: "Sở Y tế".into(),
        ..Default::default()
    };
    let bytes = forms::unit_form(&reg.units[0], &cat, &text, &example).map_err(write_err)?;
    // The example stays out of don-vi/: it is no unit's report, and a fresh
    // folder has received none.
    let vi_du = dir.join(EXAMPLE_DIR);
    mkdir(&vi_du)?;
    out.push(write_atomic(&vi_du, "BVDK-vi-du.xlsx", &bytes)?);
    let mau = dir.join(folder::TEMPLATES_DIR);
    mkdir(&mau)?;
    for (name, text) in BUILTIN {
        out.push(write_atomic(&mau, &format!("{name}.hbs"), text.as_bytes())?);
    }
    Ok(out)
}

/// Whom units contact: the issuing body, with the office's own words
/// (`lien_he`) when set.
pub fn contact(settings: &Settings) -> String {
    let body = settings.co_quan.ten_goi();
    match settings.bao_cao.lien_he.trim() {
        "" => body,
        more => format!("{body} ({more})"),
    }
}

/// What `baocao forms` wrote, and what the user should know.
pub struct FormsWritten {
    /// The forms.
    pub written: Vec<PathBuf>,
    /// Why the forms carry no link although the folder has links.
    pub note: Option<String>,
}

/// One blank form per registry unit into `DIR/bieu-mau/`, each with its
/// unit's link when `baocao lien-ket` made links (read from
/// `lien-ket-nop.xlsx`, checked against the folder's hashes).
pub fn forms(dir: &Path) -> Result<FormsWritten, Fatal> {
    let f = folder::Folder::open(dir)?;
    let settings = Settings::parse(&f.read_text(folder::SETTINGS)?, folder::SETTINGS)?;
    let (reg, cat, diags) =
        catalog::read_danh_muc(f.read_bytes(folder::CATALOGUE)?, folder::CATALOGUE);
    if reg.units.is_empty() || cat.indicators.is_empty() {
        let first = diags
            .iter()
            .map(|d| d.to_string())
            .next()
            .unwrap_or_else(|| "trống".into());
        return Err(Fatal::Catalogue(first));
    }
    let (links, note) = match crate::submit::links::links_for_forms(dir) {
        Ok(l) => (l, None),
        Err(why) => (Default::default(), Some(why)),
    };
    let b = &settings.bao_cao;
    let w = crate::vi::period::period_words_of(b);
    let out_dir = dir.join("bieu-mau");
    mkdir(&out_dir)?;
    let mut out = Vec::new();
    for u in &reg.units {
        let text = forms::FormText {
            ky: w.ky.clone(),
            thuc_hien: w.thuc_hien.clone(),
            han_nop: b.han_nop.map(|h| h.words()),
            lien_ket: links.get(catalog::code_key(&u.ma).as_ref()).cloned(),
            lien_he: contact(&settings),
        };
        let bytes = forms::unit_form(u, &cat, &text, &|_| [None, None, None]).map_err(write_err)?;
        let name: String =
            u.ma.chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '_' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
        out.push(write_atomic(&out_dir, &format!("{name}.xlsx"), &bytes)?);
    }
    Ok(FormsWritten { written: out, note })
}
