//! Writes the sample report folders under `samples/` (committed, so the
//! sample works without running this): `cargo run --example make-samples`.
//!
//! A fictional province (Bình Sơn). Each folder is one function over the
//! shared data below; the figures are plain tables so that a test, or a
//! person, can recompute every total by hand.

use std::path::Path;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

type R = Result<(), Box<dyn std::error::Error>>;

#[path = "samples/hoi_nghi.rs"]
mod hoi_nghi;

/// (code, name, level as the registry writes it, population).
const UNITS: &[(&str, &str, &str, Option<u32>)] = &[
    ("BVDK", "Bệnh viện Đa khoa tỉnh", "tuyến tỉnh", None),
    ("BVYDCT", "Bệnh viện Y dược cổ truyền", "Tuyến tỉnh", None),
    ("BVSN", "Bệnh viện Sản - Nhi", "tỉnh", None),
    ("BVPHOI", "Bệnh viện Phổi", "tỉnh", None),
    ("BVTT", "Bệnh viện Tâm thần", "tỉnh", None),
    ("CDC", "Trung tâm Kiểm soát bệnh tật", "tỉnh", None),
    ("CCATTP", "Chi cục An toàn vệ sinh thực phẩm", "tỉnh", None),
    ("VPSYT", "Văn phòng Sở Y tế", "tỉnh", None),
    (
        "TTYT_AN_BINH",
        "Trung tâm Y tế huyện An Bình",
        "Tuyến huyện",
        Some(165_000),
    ),
    (
        "TTYT_PHU_LAM",
        "Trung tâm Y tế huyện Phú Lâm",
        "huyện",
        Some(185_000),
    ),
    (
        "TTYT_HOA_THANH",
        "Trung tâm Y tế thị xã Hòa Thành",
        "huyện",
        Some(230_000),
    ),
    (
        "TTYT_TAN_LOC",
        "Trung tâm Y tế huyện Tân Lộc",
        "huyện",
        Some(171_000),
    ),
    (
        "TTYT_DONG_SON",
        "Trung tâm Y tế huyện Đông Sơn",
        "huyện",
        Some(160_000),
    ),
    (
        "TTYT_SONG_MAY",
        "Trung tâm Y tế huyện Sông Mây",
        "huyện",
        Some(165_000),
    ),
    ("TYT_AN_PHU", "Trạm Y tế xã An Phú", "xã", None),
    ("TYT_TAN_HOA", "Trạm Y tế xã Tân Hòa", "Tuyến xã", None),
    ("TYT_PHU_HOA", "Trạm Y tế xã Phú Hòa", "xã", None),
    ("TYT_BINH_MINH", "Trạm Y tế xã Bình Minh", "xã", None),
];

/// Registered units that deliberately sent nothing.
const MISSING: &[&str] = &["BVPHOI", "TYT_PHU_HOA"];

/// (code, name, unit, group, how, numerator, denominator, factor, province plan).
type Ct = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<f64>,
    Option<f64>,
);

const KCB: &str = "Khám, chữa bệnh";
const NL: &str = "Nhân lực, cơ sở vật chất";
const DP: &str = "Y tế dự phòng, phòng chống dịch bệnh";
const ATTP: &str = "An toàn thực phẩm";
const SKSS: &str = "Dân số, sức khỏe sinh sản";
const BHYT: &str = "Bảo hiểm y tế, cải cách hành chính";

const CATALOGUE: &[Ct] = &[
    (
        "KCB_LUOT",
        "Tổng số lượt khám bệnh",
        "lượt",
        KCB,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "KCB_NOI_TRU",
        "Số lượt điều trị nội trú",
        "lượt",
        KCB,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "KCB_NGAY_DT",
        "Tổng số ngày điều trị nội trú",
        "ngày",
        KCB,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "KCB_NGAY_GIUONG",
        "Số ngày giường kế hoạch",
        "ngày giường",
        KCB,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "KCB_CONG_SUAT",
        "Công suất sử dụng giường bệnh",
        "%",
        KCB,
        "ty-le",
        "KCB_NGAY_DT",
        "KCB_NGAY_GIUONG",
        Some(100.0),
        None,
    ),
    (
        "KCB_PHAU_THUAT",
        "Số ca phẫu thuật",
        "ca",
        KCB,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "NL_BAC_SI",
        "Số bác sĩ",
        "người",
        NL,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "NL_BS_VAN_DAN",
        "Số bác sĩ/vạn dân",
        "bác sĩ/vạn dân",
        NL,
        "ty-le",
        "NL_BAC_SI",
        "DAN_SO",
        Some(10_000.0),
        Some(9.5),
    ),
    (
        "NL_GIUONG",
        "Số giường bệnh thực kê",
        "giường",
        NL,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "NL_GIUONG_VAN_DAN",
        "Số giường bệnh/vạn dân",
        "giường/vạn dân",
        NL,
        "ty-le",
        "NL_GIUONG",
        "DAN_SO",
        Some(10_000.0),
        Some(25.0),
    ),
    (
        "XA_DAT_CHUAN",
        "Số xã đạt Bộ tiêu chí quốc gia về y tế xã",
        "xã",
        NL,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "TCMR_DU_MUI",
        "Số trẻ dưới 1 tuổi được tiêm chủng đầy đủ",
        "trẻ",
        DP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "TCMR_DOI_TUONG",
        "Số trẻ dưới 1 tuổi thuộc đối tượng tiêm chủng",
        "trẻ",
        DP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "TCMR_TY_LE",
        "Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ",
        "%",
        DP,
        "ty-le",
        "TCMR_DU_MUI",
        "TCMR_DOI_TUONG",
        Some(100.0),
        Some(95.0),
    ),
    (
        "SXH_MAC",
        "Số ca mắc sốt xuất huyết",
        "ca",
        DP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "TCM_MAC",
        "Số ca mắc tay chân miệng",
        "ca",
        DP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "COVID_MAC",
        "Số ca mắc COVID-19",
        "ca",
        DP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "ATTP_VU",
        "Số vụ ngộ độc thực phẩm",
        "vụ",
        ATTP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "ATTP_NGUOI_MAC",
        "Số người mắc ngộ độc thực phẩm",
        "người",
        ATTP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "ATTP_KIEM_TRA",
        "Số lượt cơ sở được kiểm tra",
        "cơ sở",
        ATTP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "ATTP_DAT",
        "Số lượt cơ sở đạt yêu cầu",
        "cơ sở",
        ATTP,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "ATTP_TY_LE_DAT",
        "Tỷ lệ cơ sở đạt yêu cầu an toàn thực phẩm",
        "%",
        ATTP,
        "ty-le",
        "ATTP_DAT",
        "ATTP_KIEM_TRA",
        Some(100.0),
        None,
    ),
    (
        "SKSS_TRE_SINH",
        "Số trẻ sinh ra sống",
        "trẻ",
        SKSS,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "SKSS_SANG_LOC_SS",
        "Số trẻ sơ sinh được sàng lọc",
        "trẻ",
        SKSS,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "SKSS_TL_SANG_LOC_SS",
        "Tỷ lệ trẻ sơ sinh được sàng lọc",
        "%",
        SKSS,
        "ty-le",
        "SKSS_SANG_LOC_SS",
        "SKSS_TRE_SINH",
        Some(100.0),
        None,
    ),
    (
        "SKSS_BA_ME",
        "Số bà mẹ mang thai được quản lý",
        "người",
        SKSS,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "SKSS_SANG_LOC_TS",
        "Số bà mẹ mang thai được sàng lọc trước sinh",
        "người",
        SKSS,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "SKSS_TL_SANG_LOC_TS",
        "Tỷ lệ bà mẹ mang thai được sàng lọc trước sinh",
        "%",
        SKSS,
        "ty-le",
        "SKSS_SANG_LOC_TS",
        "SKSS_BA_ME",
        Some(100.0),
        None,
    ),
    (
        "BHYT_THAM_GIA",
        "Số người tham gia bảo hiểm y tế",
        "người",
        BHYT,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "BHYT_BAO_PHU",
        "Tỷ lệ bao phủ bảo hiểm y tế",
        "%",
        BHYT,
        "ty-le",
        "BHYT_THAM_GIA",
        "DAN_SO",
        Some(100.0),
        Some(93.5),
    ),
    (
        "TTHC_TIEP_NHAN",
        "Số hồ sơ thủ tục hành chính tiếp nhận",
        "hồ sơ",
        BHYT,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "TTHC_DUNG_HAN",
        "Số hồ sơ giải quyết đúng hạn",
        "hồ sơ",
        BHYT,
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "TTHC_TY_LE",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "%",
        BHYT,
        "ty-le",
        "TTHC_DUNG_HAN",
        "TTHC_TIEP_NHAN",
        Some(100.0),
        None,
    ),
];

/// A unit's figures: (indicator, plan, result, same period). `-1` writes
/// `-` (not applicable); absent rows stay empty (not reported).
type Fig = (&'static str, Option<f64>, Option<f64>, Option<f64>);

const fn f(c: &'static str, kh: f64, th: f64, ck: f64) -> Fig {
    (c, Some(kh), Some(th), Some(ck))
}
const fn t(c: &'static str, th: f64, ck: f64) -> Fig {
    (c, None, Some(th), Some(ck))
}

/// District figures in one table: per district, in UNITS order.
const DISTRICTS: [&str; 6] = [
    "TTYT_AN_BINH",
    "TTYT_PHU_LAM",
    "TTYT_HOA_THANH",
    "TTYT_TAN_LOC",
    "TTYT_DONG_SON",
    "TTYT_SONG_MAY",
];

fn figures(unit: &str) -> Vec<Fig> {
    match unit {
        "BVDK" => vec![
            f("KCB_LUOT", 210_000.0, 98_512.0, 95_300.0),
            f("KCB_NOI_TRU", 38_000.0, 18_420.0, 17_650.0),
            t("KCB_NGAY_DT", 132_480.0, 127_180.0),
            t("KCB_NGAY_GIUONG", 145_600.0, 145_600.0),
            f("KCB_PHAU_THUAT", 14_000.0, 6_850.0, 6_400.0),
            t("NL_BAC_SI", 312.0, 298.0),
            t("NL_GIUONG", 850.0, 820.0),
        ],
        "BVYDCT" => vec![
            f("KCB_LUOT", 45_000.0, 21_305.0, 20_100.0),
            f("KCB_NOI_TRU", 5_000.0, 2_310.0, 2_250.0),
            t("KCB_NGAY_DT", 22_110.0, 21_300.0),
            t("KCB_NGAY_GIUONG", 27_300.0, 27_300.0),
            t("NL_BAC_SI", 58.0, 55.0),
            t("NL_GIUONG", 160.0, 150.0),
        ],
        "BVSN" => vec![
            f("KCB_LUOT", 68_037.0, 32_116.0, 30_800.0),
            f("KCB_NOI_TRU", 13_000.0, 6_580.0, 6_200.0),
            t("KCB_NGAY_DT", 52_300.0, 50_900.0),
            t("KCB_NGAY_GIUONG", 54_600.0, 54_600.0),
            f("KCB_PHAU_THUAT", 6_000.0, 2_940.0, 2_800.0),
            t("NL_BAC_SI", 96.0, 90.0),
            t("NL_GIUONG", 320.0, 300.0),
        ],
        "BVTT" => vec![
            f("KCB_LUOT", 14_000.0, 6_420.0, 6_100.0),
            f("KCB_NOI_TRU", 1_800.0, 890.0, 870.0),
            t("KCB_NGAY_DT", 17_900.0, 17_400.0),
            t("KCB_NGAY_GIUONG", 21_840.0, 21_840.0),
            ("KCB_PHAU_THUAT", None, Some(-1.0), None),
            t("NL_BAC_SI", 31.0, 30.0),
            t("NL_GIUONG", 120.0, 120.0),
        ],
        "CDC" => vec![
            f("KCB_LUOT", 20_000.0, 8_740.0, 8_200.0),
            t("NL_BAC_SI", 42.0, 40.0),
        ],
        "CCATTP" => vec![
            t("NL_BAC_SI", 5.0, 5.0),
            t("ATTP_VU", 2.0, 4.0),
            t("ATTP_NGUOI_MAC", 35.0, 88.0),
            f("ATTP_KIEM_TRA", 2_400.0, 1_250.0, 1_180.0),
            t("ATTP_DAT", 1_130.0, 1_050.0),
        ],
        "VPSYT" => vec![
            t("TTHC_TIEP_NHAN", 1_846.0, 1_620.0),
            t("TTHC_DUNG_HAN", 1_839.0, 1_598.0),
        ],
        "TYT_AN_PHU" => vec![
            f("KCB_LUOT", 7_000.0, 3_215.0, 3_050.0),
            t("NL_BAC_SI", 1.0, 1.0),
            t("NL_GIUONG", 5.0, 5.0),
        ],
        "TYT_TAN_HOA" => vec![
            f("KCB_LUOT", 6_000.0, 2_870.0, 2_900.0),
            t("NL_BAC_SI", 1.0, 1.0),
            t("NL_GIUONG", 5.0, 5.0),
        ],
        "TYT_BINH_MINH" => vec![
            f("KCB_LUOT", 8_500.0, 4_102.0, 3_880.0),
            t("NL_BAC_SI", 2.0, 1.0),
            t("NL_GIUONG", 6.0, 6.0),
        ],
        d => match DISTRICTS.iter().position(|x| *x == d) {
            Some(i) => district(i),
            None => Vec::new(),
        },
    }
}

/// Columns: one value per district (DISTRICTS order).
fn district(i: usize) -> Vec<Fig> {
    let col = |v: [f64; 6]| v[i];
    let mut figs = vec![
        f(
            "KCB_LUOT",
            col([52_000.0, 59_500.0, 67_000.0, 57_467.0, 48_000.0, 53_000.0]),
            col([24_110.0, 27_845.0, 31_502.0, 26_988.0, 22_407.0, 24_413.0]),
            col([23_400.0, 26_900.0, 30_100.0, 26_500.0, 21_900.0, 23_800.0]),
        ),
        f(
            "KCB_NOI_TRU",
            col([6_500.0, 7_200.0, 8_600.0, 7_000.0, 5_800.0, 6_200.0]),
            col([3_120.0, 3_560.0, 4_210.0, 3_400.0, 2_750.0, 3_030.0]),
            col([2_980.0, 3_400.0, 4_050.0, 3_300.0, 2_600.0, 2_900.0]),
        ),
        t(
            "KCB_NGAY_DT",
            col([23_900.0, 26_700.0, 33_100.0, 24_500.0, 19_300.0, 23_050.0]),
            col([22_800.0, 25_900.0, 31_700.0, 23_900.0, 18_800.0, 22_400.0]),
        ),
        t(
            "KCB_NGAY_GIUONG",
            col([27_300.0, 30_940.0, 36_400.0, 29_120.0, 23_660.0, 27_300.0]),
            col([27_300.0, 30_940.0, 36_400.0, 29_120.0, 23_660.0, 27_300.0]),
        ),
        f(
            "KCB_PHAU_THUAT",
            col([900.0, 820.0, 1_100.0, 950.0, 650.0, 740.0]),
            col([410.0, 380.0, 520.0, 450.0, 300.0, 350.0]),
            col([395.0, 360.0, 498.0, 430.0, 310.0, 335.0]),
        ),
        t(
            "NL_BAC_SI",
            col([64.0, 71.0, 88.0, 69.0, 52.0, 60.0]),
            col([60.0, 68.0, 85.0, 66.0, 50.0, 57.0]),
        ),
        t(
            "NL_GIUONG",
            col([160.0, 180.0, 210.0, 165.0, 140.0, 150.0]),
            col([150.0, 170.0, 200.0, 160.0, 130.0, 150.0]),
        ),
        f(
            "XA_DAT_CHUAN",
            col([14.0, 16.0, 20.0, 12.0, 11.0, 13.0]),
            col([12.0, 14.0, 18.0, 11.0, 10.0, 12.0]),
            col([11.0, 13.0, 16.0, 10.0, 9.0, 11.0]),
        ),
        f(
            "TCMR_DU_MUI",
            col([2_380.0, 2_700.0, 3_350.0, 2_470.0, 2_250.0, 2_400.0]),
            col([1_180.0, 1_350.0, 1_650.0, 1_240.0, 1_120.0, 1_190.0]),
            col([1_150.0, 1_310.0, 1_600.0, 1_200.0, 1_080.0, 1_160.0]),
        ),
        f(
            "TCMR_DOI_TUONG",
            col([2_500.0, 2_840.0, 3_520.0, 2_600.0, 2_360.0, 2_520.0]),
            col([1_250.0, 1_420.0, 1_760.0, 1_300.0, 1_180.0, 1_260.0]),
            col([1_240.0, 1_400.0, 1_720.0, 1_290.0, 1_170.0, 1_250.0]),
        ),
        t(
            "SXH_MAC",
            col([85.0, 120.0, 143.0, 67.0, 54.0, 98.0]),
            col([140.0, 210.0, 190.0, 110.0, 95.0, 160.0]),
        ),
        t(
            "TCM_MAC",
            col([23.0, 31.0, 40.0, 18.0, 12.0, 26.0]),
            col([30.0, 25.0, 52.0, 20.0, 15.0, 22.0]),
        ),
        t(
            "COVID_MAC",
            col([12.0, 9.0, 15.0, 8.0, 6.0, 8.0]),
            col([520.0, 410.0, 610.0, 380.0, 290.0, 301.0]),
        ),
        f(
            "ATTP_KIEM_TRA",
            col([420.0, 480.0, 600.0, 440.0, 360.0, 400.0]),
            col([210.0, 240.0, 300.0, 220.0, 180.0, 200.0]),
            col([200.0, 228.0, 285.0, 214.0, 172.0, 190.0]),
        ),
        t(
            "ATTP_DAT",
            col([190.0, 215.0, 270.0, 200.0, 160.0, 182.0]),
            col([178.0, 200.0, 251.0, 190.0, 150.0, 168.0]),
        ),
        t(
            "SKSS_TRE_SINH",
            col([1_240.0, 1_400.0, 1_730.0, 1_290.0, 1_170.0, 1_250.0]),
            col([1_230.0, 1_380.0, 1_700.0, 1_280.0, 1_160.0, 1_240.0]),
        ),
        t(
            "SKSS_SANG_LOC_SS",
            col([1_050.0, 1_190.0, 1_520.0, 1_100.0, 960.0, 1_060.0]),
            col([980.0, 1_120.0, 1_430.0, 1_040.0, 900.0, 1_000.0]),
        ),
        t(
            "SKSS_BA_ME",
            col([1_500.0, 1_700.0, 2_100.0, 1_560.0, 1_400.0, 1_510.0]),
            col([1_480.0, 1_690.0, 2_060.0, 1_540.0, 1_390.0, 1_500.0]),
        ),
        t(
            "SKSS_SANG_LOC_TS",
            col([1_180.0, 1_320.0, 1_690.0, 1_230.0, 1_050.0, 1_180.0]),
            col([1_100.0, 1_240.0, 1_600.0, 1_160.0, 990.0, 1_110.0]),
        ),
        t(
            "BHYT_THAM_GIA",
            col([
                151_000.0, 168_500.0, 212_000.0, 160_900.0, 146_000.0, 151_200.0,
            ]),
            col([
                147_000.0, 165_000.0, 205_000.0, 158_000.0, 142_000.0, 148_500.0,
            ]),
        ),
    ];
    // Real folders are not clean: Đông Sơn left its same-period surgeries
    // blank, Tân Lộc its same-period count of children to vaccinate. Those
    // comparisons are made over the other units, and the report says so.
    let blank = |figs: &mut Vec<Fig>, code: &str| {
        if let Some(x) = figs.iter_mut().find(|x| x.0 == code) {
            x.3 = None;
        }
    };
    match DISTRICTS[i] {
        "TTYT_DONG_SON" => blank(&mut figs, "KCB_PHAU_THUAT"),
        "TTYT_TAN_LOC" => blank(&mut figs, "TCMR_DOI_TUONG"),
        _ => {}
    }
    figs
}

/// What each unit wrote in its NoiDung sheet.
fn narrative(unit: &str) -> Vec<(&'static str, &'static str)> {
    match unit {
        "BVDK" => vec![
            (KCB, "Triển khai bệnh án điện tử tại 12/28 khoa lâm sàng; thực hiện thành công 45 ca can thiệp tim mạch."),
            ("TON_TAI", "Tình trạng quá tải tại khoa Nhi và khoa Hồi sức tích cực vẫn còn, công suất sử dụng giường bệnh có thời điểm trên 110%."),
            ("KIEN_NGHI", "Đề nghị bổ sung kinh phí mua sắm máy chụp cắt lớp vi tính 128 lát cắt."),
        ],
        "BVSN" => vec![
            (KCB, "Duy trì đơn nguyên sơ sinh, cứu sống 36 trẻ sinh non nhẹ cân dưới 1.500 gam."),
            ("PHUONG_HUONG", "Triển khai kỹ thuật sàng lọc sơ sinh mở rộng 5 bệnh."),
        ],
        "CDC" => vec![
            (DP, "Giám sát chặt chẽ dịch bệnh truyền nhiễm; tổ chức 3 đợt chiến dịch diệt lăng quăng tại các huyện có số ca mắc sốt xuất huyết cao."),
            ("TON_TAI", "Nguồn vắc xin trong Chương trình Tiêm chủng mở rộng có thời điểm cung ứng chưa kịp thời."),
        ],
        "CCATTP" => vec![(ATTP, "Tổ chức Tháng hành động vì an toàn thực phẩm; xử phạt 45 cơ sở vi phạm với tổng số tiền 312 triệu đồng.")],
        "TTYT_HOA_THANH" => vec![
            (DP, "Số ca mắc sốt xuất huyết giảm 24,7% so với cùng kỳ nhờ triển khai sớm các đợt diệt lăng quăng."),
            ("KIEN_NGHI", "Đề nghị bổ sung 05 biên chế bác sĩ cho tuyến xã."),
        ],
        "TTYT_AN_BINH" => vec![(SKSS, "Duy trì tư vấn, khám sức khỏe tiền hôn nhân tại 100% xã, thị trấn.")],
        "VPSYT" => vec![(BHYT, "100% thủ tục hành chính được tiếp nhận, trả kết quả qua dịch vụ công trực tuyến toàn trình.")],
        _ => Vec::new(),
    }
}

fn fixed_props(wb: &mut Workbook) -> Result<(), XlsxError> {
    let when = ExcelDateTime::from_ymd(2024, 7, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&when)
            .set_author("Sở Y tế tỉnh Bình Sơn"),
    );
    Ok(())
}

/// `Cách so sánh` where it is not the default (per cent): the office
/// writes the fall of COVID-19 cases in cases too.
const SO_SANH: &[(&str, &str)] = &[("COVID_MAC", "cả hai")];

fn write_danh_muc(path: &Path) -> R {
    let mut wb = Workbook::new();
    fixed_props(&mut wb)?;
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name("DonVi")?;
    for (c, h) in ["Mã đơn vị", "Tên đơn vị", "Tuyến", "Dân số"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (i, (ma, ten, tuyen, ds)) in UNITS.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *ma)?;
        ws.write_string(r, 1, *ten)?;
        ws.write_string(r, 2, *tuyen)?;
        if let Some(d) = ds {
            ws.write_number(r, 3, *d as f64)?;
        }
    }
    ws.write_string(
        UNITS.len() as u32 + 2,
        0,
        "Ghi chú: dân số của trạm y tế xã đã tính trong dân số của huyện, nên để trống.",
    )?;
    for (c, w) in [18.0, 38.0, 14.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
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
        "Kế hoạch tỉnh",
        "Cách so sánh",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (i, ct) in CATALOGUE.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in [ct.0, ct.1, ct.2, ct.3, ct.4, ct.5, ct.6]
            .iter()
            .enumerate()
        {
            ws.write_string(r, c as u16, *v)?;
        }
        if let Some(h) = ct.7 {
            ws.write_number(r, 7, h)?;
        }
        if let Some(k) = ct.8 {
            ws.write_number(r, 8, k)?;
        }
        if let Some((_, v)) = SO_SANH.iter().find(|(c, _)| *c == ct.0) {
            ws.write_string(r, 9, *v)?;
        }
    }
    for (c, w) in [22.0, 50.0, 14.0, 36.0, 14.0, 18.0, 18.0, 8.0, 12.0, 14.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    wb.save(path)?;
    Ok(())
}

/// A unit workbook in the standard layout; `value_right` puts the header
/// values in the next cell instead of after the colon.
/// Indicators that are stocks (counted at a date), not flows over the period.
fn is_stock(code: &str) -> bool {
    code.starts_with("NL_") || code == "XA_DAT_CHUAN" || code == "BHYT_THAM_GIA"
}

#[allow(clippy::too_many_arguments)]
fn write_unit(
    path: &Path,
    ma: &str,
    ten: &str,
    ky: &str,
    th_label: &str,
    value_right: bool,
    scale: f64,
) -> R {
    let mut wb = Workbook::new();
    fixed_props(&mut wb)?;
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.##");
    let group = Format::new().set_bold().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name("BaoCao")?;
    ws.write_string_with_format(0, 0, "SỞ Y TẾ TỈNH BÌNH SƠN", &bold)?;
    ws.merge_range(
        1,
        0,
        1,
        7,
        &format!(
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {}",
            ky.to_uppercase()
        ),
        &title,
    )?;
    let lines = [("Tên đơn vị", ten), ("Mã đơn vị", ma), ("Kỳ báo cáo", ky)];
    for (i, (label, value)) in lines.iter().enumerate() {
        let r = 3 + i as u32;
        if value_right {
            ws.write_string_with_format(r, 0, format!("{label}:"), &bold)?;
            ws.write_string(r, 2, *value)?;
        } else {
            ws.write_string_with_format(r, 0, format!("{label}: {value}"), &bold)?;
        }
    }
    let heads = [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch năm",
        th_label,
        "Cùng kỳ năm trước",
        "Ghi chú",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(7, c as u16, *h, &head)?;
    }
    let figs = figures(ma);
    let mut r = 8u32;
    let groups = [KCB, NL, DP, ATTP, SKSS, BHYT];
    for (gi, g) in groups.iter().enumerate() {
        ws.write_string_with_format(r, 0, roman(gi + 1), &group)?;
        ws.write_blank(r, 1, &group)?;
        ws.write_string_with_format(r, 2, *g, &group)?;
        for c in 3..8 {
            ws.write_blank(r, c, &group)?;
        }
        r += 1;
        for (i, ct) in CATALOGUE.iter().filter(|c| c.3 == *g).enumerate() {
            ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
            ws.write_string_with_format(r, 1, ct.0, &cell)?;
            ws.write_string_with_format(r, 2, ct.1, &cell)?;
            ws.write_string_with_format(r, 3, ct.2, &cell)?;
            let fig = figs.iter().find(|x| x.0 == ct.0);
            // A longer period has proportionally more of every flow.
            let k = if is_stock(ct.0) { 1.0 } else { scale };
            // The plan is a year's; a period of several years (scale is in
            // half-years) has that many years of plan.
            let kp = if is_stock(ct.0) || scale <= 2.0 {
                1.0
            } else {
                scale / 2.0
            };
            let values = match fig {
                Some(x) => [
                    x.1.map(|v| (v * kp).round()),
                    x.2.map(|v| if v < 0.0 { v } else { (v * k).round() }),
                    x.3.map(|v| (v * k).round()),
                ],
                None if ct.4 == "ty-le" => own_rate(&figs, ct),
                None => [None, None, None],
            };
            for (k, v) in values.iter().enumerate() {
                match v {
                    Some(x) if *x < 0.0 => {
                        ws.write_string_with_format(r, 4 + k as u16, "-", &cell)?
                    }
                    Some(x) => ws.write_number_with_format(r, 4 + k as u16, *x, &num)?,
                    None => ws.write_blank(r, 4 + k as u16, &cell)?,
                };
            }
            ws.write_blank(r, 7, &cell)?;
            r += 1;
        }
    }
    ws.write_string_with_format(r + 1, 2, "Người lập biểu", &bold)?;
    ws.write_string_with_format(r + 1, 5, "Thủ trưởng đơn vị", &bold)?;
    for (c, w) in [6.0, 20.0, 48.0, 13.0, 14.0, 14.0, 14.0, 14.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    let nd = wb.add_worksheet();
    nd.set_name("NoiDung")?;
    nd.write_string_with_format(0, 0, "Mục", &head)?;
    nd.write_string_with_format(0, 1, "Nội dung", &head)?;
    for (i, (muc, text)) in narrative(ma).iter().enumerate() {
        nd.write_string(i as u32 + 1, 0, *muc)?;
        nd.write_string(i as u32 + 1, 1, *text)?;
    }
    nd.set_column_width(0, 36.0)?;
    nd.set_column_width(1, 110.0)?;
    wb.save(path)?;
    Ok(())
}

/// A unit's own rate, as units fill it in (the program recomputes rates
/// from numerator and denominator anyway).
fn own_rate(figs: &[Fig], ct: &Ct) -> [Option<f64>; 3] {
    let get = |code: &str, k: usize| {
        figs.iter()
            .find(|x| x.0 == code)
            .and_then(|x| [x.1, x.2, x.3][k])
    };
    let mut out = [None, None, None];
    for (k, slot) in out.iter_mut().enumerate().skip(1) {
        if let (Some(n), Some(d)) = (get(ct.5, k), get(ct.6, k)) {
            if d > 0.0 {
                *slot = Some((n * ct.7.unwrap_or(1.0) / d * 10.0).round() / 10.0);
            }
        }
    }
    out
}

fn roman(n: usize) -> String {
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
        .get(n - 1)
        .unwrap_or(&"")
        .to_string()
}

/// The file name a unit's office gave its workbook (as found in the inbox).
fn file_name(ma: &str) -> String {
    match ma {
        "BVDK" => "BVDK_6thang2024.xlsx".into(),
        "TTYT_AN_BINH" => "TTYT An Binh - bao cao 6T.xlsx".into(),
        "CCATTP" => "ChiCuc ATTP 6 thang.xlsx".into(),
        m if m.starts_with("TYT_") => format!("tuyen-xa/{}.xlsx", m.to_lowercase()),
        m => format!("{}_BC6T_2024.xlsx", m.to_lowercase()),
    }
}

const SETTINGS_6T: &str = r#"# Báo cáo sơ kết 6 tháng đầu năm 2024 của Sở Y tế tỉnh Bình Sơn (tỉnh giả định).

[bao_cao]
loai = "so-ket-6-thang"   # so-ket-quy | so-ket-6-thang | so-ket-9-thang | tong-ket-nam
nam = 2024
linh_vuc = "y tế"

[co_quan]
kieu = "hanh-chinh"       # hanh-chinh (Quốc hiệu, Nghị định 30) | dang
chu_quan = "UBND TỈNH BÌNH SƠN"
ban_hanh = "SỞ Y TẾ"
dia_danh = "Bình Sơn"

[van_ban]
so = "123/BC-SYT"
ngay = 2024-07-08
trich_yeu = ""            # để trống: tự viết theo loại báo cáo và năm
noi_nhan = [
  "UBND tỉnh (để b/c)",
  "Bộ Y tế (để b/c)",
  "Giám đốc, các PGĐ Sở",
  "Các đơn vị trực thuộc",
  "Lưu: VT, KHTC",
]

[ky]
quyen_han = "KT. GIÁM ĐỐC"
chuc_vu = "PHÓ GIÁM ĐỐC"
ho_ten = "Lê Thị Minh Hạnh"
"#;

const NOI_DUNG_6T: &str = r#"<!-- Lời văn của văn phòng Sở cho báo cáo sơ kết 6 tháng đầu năm 2024. -->

## Chỉ đạo, điều hành

Ngay từ đầu năm, Sở Y tế đã tham mưu UBND tỉnh ban hành Kế hoạch thực hiện nhiệm vụ phát triển sự nghiệp y tế năm 2024; giao chỉ tiêu kế hoạch cho 100% đơn vị trực thuộc và tổ chức ký kết giao ước thi đua.

## Ưu điểm

- Các chỉ tiêu chuyên môn cơ bản đạt tiến độ kế hoạch; công tác khám bệnh, chữa bệnh được duy trì ổn định, nhiều kỹ thuật mới được triển khai tại tuyến tỉnh.
- Dịch bệnh truyền nhiễm được kiểm soát, không để dịch lớn xảy ra; số ca mắc COVID-19 giảm sâu.
- Cải cách hành chính được đẩy mạnh, tỷ lệ hồ sơ giải quyết đúng hạn đạt cao.

## Tồn tại, hạn chế

- Tỷ lệ bao phủ bảo hiểm y tế chưa đạt mục tiêu được giao.
- Nhân lực bác sĩ tại tuyến huyện, tuyến xã còn thiếu; số bác sĩ/vạn dân thấp hơn kế hoạch.

## Phương hướng, nhiệm vụ

- Tiếp tục nâng cao chất lượng khám bệnh, chữa bệnh; phấn đấu hoàn thành các chỉ tiêu kế hoạch năm 2024.
- Chủ động giám sát, phòng chống dịch bệnh mùa mưa, nhất là sốt xuất huyết và tay chân miệng.
- Phối hợp Bảo hiểm xã hội tỉnh vận động người dân tham gia bảo hiểm y tế.

## Đề xuất, kiến nghị

- Đề nghị UBND tỉnh quan tâm bố trí kinh phí đầu tư trang thiết bị cho Trung tâm Y tế các huyện.
- Đề nghị Bộ Y tế sớm cung ứng đầy đủ vắc xin trong Chương trình Tiêm chủng mở rộng.
"#;

const README_6T: &str = r#"# Mẫu: sơ kết 6 tháng đầu năm 2024 (tỉnh giả định Bình Sơn)

Thư mục báo cáo đầy đủ để thử `baocao`: `baocao.toml` (thiết lập),
`danh-muc.xlsx` (18 đơn vị ở ba tuyến, 33 chỉ tiêu trong 6 nhóm),
`noi-dung.md` (lời văn của văn phòng), `don-vi/` (bảng tính của 16 đơn vị).
Hai đơn vị cố ý chưa gửi báo cáo: Bệnh viện Phổi (BVPHOI) và Trạm Y tế xã
Phú Hòa (TYT_PHU_HOA). Dân số của trạm y tế xã đã tính trong dân số huyện
nên để trống. Hai ô cố ý để trống: cùng kỳ số ca phẫu thuật của TTYT huyện
Đông Sơn và cùng kỳ số trẻ thuộc đối tượng tiêm chủng của TTYT huyện Tân Lộc;
báo cáo so sánh các chỉ tiêu đó với cùng kỳ trên các đơn vị có đủ số liệu và
ghi rõ điều đó.

A complete report folder for trying `baocao`: 18 registered units over three
levels, 33 indicators in 6 groups, 16 unit workbooks; two registered units
(BVPHOI, TYT_PHU_HOA) deliberately missing, and two same-period cells
deliberately blank (so the report shows a comparison over the units that gave
both figures). Generated by
`cargo run --example make-samples`; all figures are fictional.

```sh
cargo run --release -- build samples/so-ket-6-thang-2024
```
"#;

/// One sample folder: its settings, the office's text, and how the
/// units name and scale the period.
struct Spec {
    dir: &'static str,
    settings: String,
    noi_dung: String,
    readme: String,
    ky: &'static str,
    th_label: &'static str,
    scale: f64,
}

fn make_folder(root: &Path, spec: &Spec) -> R {
    let dir = root.join(spec.dir);
    if dir.join("don-vi").exists() {
        std::fs::remove_dir_all(dir.join("don-vi"))?;
    }
    std::fs::create_dir_all(dir.join("don-vi/tuyen-xa"))?;
    std::fs::write(dir.join("baocao.toml"), &spec.settings)?;
    std::fs::write(dir.join("noi-dung.md"), &spec.noi_dung)?;
    std::fs::write(dir.join("README.md"), &spec.readme)?;
    write_danh_muc(&dir.join("danh-muc.xlsx"))?;
    for (ma, ten, _, _) in UNITS.iter() {
        if MISSING.contains(ma) {
            continue;
        }
        // Two offices put the header values in the next cell.
        let value_right = matches!(*ma, "BVYDCT" | "TTYT_TAN_LOC");
        write_unit(
            &dir.join("don-vi").join(file_name(ma)),
            ma,
            ten,
            spec.ky,
            spec.th_label,
            value_right,
            spec.scale,
        )?;
    }
    Ok(())
}

fn so_ket_6_thang(root: &Path) -> R {
    make_folder(
        root,
        &Spec {
            dir: "so-ket-6-thang-2024",
            settings: SETTINGS_6T.into(),
            noi_dung: NOI_DUNG_6T.into(),
            readme: README_6T.into(),
            ky: "6 tháng đầu năm 2024",
            th_label: "Thực hiện 6 tháng",
            scale: 1.0,
        },
    )
}

/// A quarterly review (Quý II 2024): the same units, a quarter's flows.
fn so_ket_quy(root: &Path) -> R {
    make_folder(
        root,
        &Spec {
            dir: "so-ket-quy-2-2024",
            settings: SETTINGS_6T
                .replace("sơ kết 6 tháng đầu năm 2024", "sơ kết Quý II năm 2024")
                .replace("loai = \"so-ket-6-thang\"", "loai = \"so-ket-quy\"")
                .replace("nam = 2024\n", "nam = 2024\nquy = 2\n")
                .replace("123/BC-SYT", "98/BC-SYT")
                .replace("ngay = 2024-07-08", "ngay = 2024-07-05"),
            noi_dung: NOI_DUNG_6T.replace("6 tháng đầu năm 2024", "Quý II năm 2024"),
            readme: README_6T
                .replace("sơ kết 6 tháng đầu năm 2024", "sơ kết Quý II năm 2024")
                .replace("so-ket-6-thang-2024", "so-ket-quy-2-2024"),
            ky: "Quý II năm 2024",
            th_label: "Thực hiện quý II",
            scale: 0.5,
        },
    )
}

/// A year review (2023): the same units, a whole year's flows.
fn tong_ket_nam(root: &Path) -> R {
    make_folder(
        root,
        &Spec {
            dir: "tong-ket-nam-2023",
            settings: SETTINGS_6T
                .replace(
                    "Báo cáo sơ kết 6 tháng đầu năm 2024",
                    "Báo cáo tổng kết năm 2023",
                )
                .replace("loai = \"so-ket-6-thang\"", "loai = \"tong-ket-nam\"")
                .replace("nam = 2024", "nam = 2023")
                .replace("123/BC-SYT", "05/BC-SYT")
                .replace("ngay = 2024-07-08", "ngay = 2024-01-05"),
            // The year reviewed is 2023; its tasks are for 2024.
            noi_dung: NOI_DUNG_6T
                .replace("sơ kết 6 tháng đầu năm 2024", "tổng kết năm 2023")
                .replace("sự nghiệp y tế năm 2024", "sự nghiệp y tế năm 2023"),
            readme: README_6T
                .replace("sơ kết 6 tháng đầu năm 2024", "tổng kết năm 2023")
                .replace("so-ket-6-thang-2024", "tong-ket-nam-2023"),
            ky: "Năm 2023",
            th_label: "Thực hiện năm 2023",
            scale: 2.0,
        },
    )
}

const NOI_DUNG_DANG: &str = r#"<!-- Lời văn của Văn phòng Đảng ủy Sở Y tế. -->

## Chỉ đạo, điều hành

Đảng ủy Sở Y tế ban hành Nghị quyết lãnh đạo thực hiện nhiệm vụ chính trị năm 2024; chỉ đạo các chi bộ xây dựng chương trình hành động cụ thể, gắn với nhiệm vụ chuyên môn của từng đơn vị.

## Công tác xây dựng Đảng

- Tổ chức học tập, quán triệt các nghị quyết, chỉ thị của Đảng cho 100% cán bộ, đảng viên.
- Kết nạp 12 đảng viên mới; công nhận chính thức 9 đảng viên dự bị.
- Thực hiện kiểm tra, giám sát theo chương trình tại 6 chi bộ; không có đảng viên vi phạm phải xử lý kỷ luật.

## Ưu điểm

- Các chi bộ phát huy tốt vai trò lãnh đạo, các chỉ tiêu chuyên môn cơ bản đạt tiến độ.

## Tồn tại, hạn chế

- Sinh hoạt chuyên đề ở một số chi bộ chưa thường xuyên, nội dung chưa phong phú.

## Phương hướng, nhiệm vụ

- Tiếp tục lãnh đạo hoàn thành các chỉ tiêu kế hoạch năm 2024; chuẩn bị tốt đại hội chi bộ nhiệm kỳ 2025 - 2027.

## Đề xuất, kiến nghị

- Đề nghị Đảng ủy Khối quan tâm mở lớp bồi dưỡng nghiệp vụ công tác đảng cho cấp ủy viên các chi bộ.
"#;

/// A Party committee's six-month review (Đảng ủy Sở Y tế).
fn dang_uy(root: &Path) -> R {
    make_folder(
        root,
        &Spec {
            dir: "dang-uy-6-thang-2024",
            settings: SETTINGS_6T
                .replace("# Báo cáo sơ kết 6 tháng đầu năm 2024 của Sở Y tế", "# Báo cáo sơ kết 6 tháng đầu năm 2024 của Đảng ủy Sở Y tế")
                .replace("kieu = \"hanh-chinh\"       # hanh-chinh (Quốc hiệu, Nghị định 30) | dang", "kieu = \"dang\"             # hanh-chinh | dang (tiêu đề của Đảng, Hướng dẫn 36-HD/VPTW)")
                .replace("chu_quan = \"UBND TỈNH BÌNH SƠN\"", "chu_quan = \"ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH\"")
                .replace("ban_hanh = \"SỞ Y TẾ\"", "ban_hanh = \"ĐẢNG ỦY SỞ Y TẾ\"\nten_goi = \"Đảng ủy Sở Y tế\"")
                .replace("123/BC-SYT", "12-BC/ĐU")
                .replace("quyen_han = \"KT. GIÁM ĐỐC\"", "quyen_han = \"T/M ĐẢNG ỦY\"")
                .replace("chuc_vu = \"PHÓ GIÁM ĐỐC\"", "chuc_vu = \"BÍ THƯ\"")
                .replace("ho_ten = \"Lê Thị Minh Hạnh\"", "ho_ten = \"Trần Văn Bình\"")
                // A Party committee reports to the Party committee above it.
                .replace(
                    "  \"UBND tỉnh (để b/c)\",\n  \"Bộ Y tế (để b/c)\",\n  \"Giám đốc, các PGĐ Sở\",\n  \"Các đơn vị trực thuộc\",\n  \"Lưu: VT, KHTC\",",
                    "  \"Đảng ủy Khối các cơ quan tỉnh (để b/c)\",\n  \"Các chi bộ trực thuộc\",\n  \"Lưu: VPĐU\",",
                ),
            noi_dung: NOI_DUNG_DANG.into(),
            readme: README_6T.replace("sơ kết 6 tháng đầu năm 2024", "sơ kết 6 tháng đầu năm 2024 của Đảng ủy Sở Y tế").replace("so-ket-6-thang-2024", "dang-uy-6-thang-2024"),
            ky: "6 tháng đầu năm 2024",
            th_label: "Thực hiện 6 tháng",
            scale: 1.0,
        },
    )
}

/// The grassroots-network conference: a thematic report over 2016-2020
/// (the units' figures for the five years), with its handout's inputs.
fn hoi_nghi_co_so(root: &Path) -> R {
    let spec = Spec {
        dir: "hoi-nghi-y-te-co-so-2016-2020",
        settings: hoi_nghi::SETTINGS.into(),
        noi_dung: hoi_nghi::NOI_DUNG.into(),
        readme: hoi_nghi::README.into(),
        ky: "Giai đoạn 2016-2020",
        th_label: "Thực hiện giai đoạn 2016-2020",
        scale: 10.0,
    };
    make_folder(root, &spec)?;
    hoi_nghi::extras(&root.join(spec.dir))
}

fn main() -> R {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    hoi_nghi_co_so(&root)?;
    so_ket_6_thang(&root)?;
    so_ket_quy(&root)?;
    tong_ket_nam(&root)?;
    dang_uy(&root)?;
    // Totals a reader can check against the report.
    for code in ["KCB_LUOT", "COVID_MAC", "NL_BAC_SI", "BHYT_THAM_GIA"] {
        let mut by_level = std::collections::BTreeMap::new();
        for (ma, _, tuyen, _) in UNITS.iter().filter(|u| !MISSING.contains(&u.0)) {
            if let Some(v) = figures(ma).iter().find(|x| x.0 == code).and_then(|x| x.2) {
                *by_level
                    .entry(tuyen.to_lowercase().replace("tuyến ", ""))
                    .or_insert(0.0) += v;
            }
        }
        println!(
            "{code}: {by_level:?} total {}",
            by_level.values().sum::<f64>()
        );
    }
    let pop: u32 = UNITS.iter().filter_map(|u| u.3).sum();
    println!("population {pop}");
    Ok(())
}
