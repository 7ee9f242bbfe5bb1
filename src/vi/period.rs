//! Period words for the four report kinds: the period reported on, the
//! next one, the same period last year, and the appendix column's label.

use crate::settings::Loai;
use crate::vi::fold::fold;

/// The words for a report's period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeriodWords {
    /// "6 tháng đầu năm 2024" | "Quý I năm 2023" | "9 tháng đầu năm 2024" | "năm 2020".
    pub ky: String,
    /// Without the year where natural: "6 tháng đầu năm" | "Quý I" | "9 tháng đầu năm" | "năm 2020".
    pub ky_ngan: String,
    /// The next period: "6 tháng cuối năm 2024" | "Quý II năm 2023" | "3 tháng cuối năm 2024" | "năm 2021".
    pub ky_toi: String,
    /// "6 tháng cuối năm" | "Quý II" | "3 tháng cuối năm" | "năm 2021".
    pub ky_toi_ngan: String,
    /// "cùng kỳ năm 2023".
    pub cung_ky: String,
    /// Appendix column: "Thực hiện 6 tháng" | "Thực hiện quý I" | "Thực hiện 9 tháng" | "Thực hiện năm 2020".
    pub thuc_hien: String,
    /// "Sơ kết" | "Tổng kết".
    pub so_ket: String,
}

/// Roman numerals of the quarters.
const QUY: [&str; 4] = ["I", "II", "III", "IV"];

fn quy_name(q: u8) -> &'static str {
    QUY[(q.clamp(1, 4) - 1) as usize]
}

/// Words for a period. `quy` is used only for `so-ket-quy` (1–4).
pub fn period_words(loai: Loai, nam: i32, quy: Option<u8>) -> PeriodWords {
    let cung_ky = format!("cùng kỳ năm {}", nam - 1);
    match loai {
        Loai::SoKetQuy => {
            let q = quy.unwrap_or(1).clamp(1, 4);
            let (nq, ny) = if q == 4 { (1, nam + 1) } else { (q + 1, nam) };
            PeriodWords {
                ky: format!("Quý {} năm {nam}", quy_name(q)),
                ky_ngan: format!("Quý {}", quy_name(q)),
                ky_toi: format!("Quý {} năm {ny}", quy_name(nq)),
                ky_toi_ngan: format!("Quý {}", quy_name(nq)),
                cung_ky,
                thuc_hien: format!("Thực hiện quý {}", quy_name(q)),
                so_ket: "Sơ kết".into(),
            }
        }
        Loai::SoKet6Thang => PeriodWords {
            ky: format!("6 tháng đầu năm {nam}"),
            ky_ngan: "6 tháng đầu năm".into(),
            ky_toi: format!("6 tháng cuối năm {nam}"),
            ky_toi_ngan: "6 tháng cuối năm".into(),
            cung_ky,
            thuc_hien: "Thực hiện 6 tháng".into(),
            so_ket: "Sơ kết".into(),
        },
        Loai::SoKet9Thang => PeriodWords {
            ky: format!("9 tháng đầu năm {nam}"),
            ky_ngan: "9 tháng đầu năm".into(),
            ky_toi: format!("3 tháng cuối năm {nam}"),
            ky_toi_ngan: "3 tháng cuối năm".into(),
            cung_ky,
            thuc_hien: "Thực hiện 9 tháng".into(),
            so_ket: "Sơ kết".into(),
        },
        // Only a fallback: a thematic report's words come from its
        // settings (`period_words_of`).
        Loai::ChuyenDe => thematic(&format!("năm {nam}")),
        Loai::TongKetNam => PeriodWords {
            ky: format!("năm {nam}"),
            ky_ngan: format!("năm {nam}"),
            ky_toi: format!("năm {}", nam + 1),
            ky_toi_ngan: format!("năm {}", nam + 1),
            cung_ky,
            thuc_hien: format!("Thực hiện năm {nam}"),
            so_ket: "Tổng kết".into(),
        },
    }
}

/// Words for a thematic report over `giai_doan` (`giai đoạn 2016-2020`):
/// no review period anywhere; the comparison is with the period before.
fn thematic(giai_doan: &str) -> PeriodWords {
    PeriodWords {
        ky: giai_doan.to_string(),
        ky_ngan: giai_doan.to_string(),
        ky_toi: "thời gian tới".into(),
        ky_toi_ngan: "thời gian tới".into(),
        cung_ky: "giai đoạn trước".into(),
        thuc_hien: format!("Thực hiện {giai_doan}"),
        so_ket: "Báo cáo".into(),
    }
}

/// The period words of a report's settings: [`period_words`], or for
/// `chuyen-de` the settings' own `giai_doan`.
pub fn period_words_of(b: &crate::settings::BaoCao) -> PeriodWords {
    match b.loai {
        Loai::ChuyenDe => thematic(b.giai_doan.trim()),
        _ => period_words(b.loai, b.nam, b.quy),
    }
}

/// The default subject of a report's settings: for `chuyen-de`,
/// `chu_de` followed by `giai_doan`.
pub fn trich_yeu_of(b: &crate::settings::BaoCao) -> String {
    match b.loai {
        Loai::ChuyenDe => {
            let (c, g) = (b.chu_de.trim(), b.giai_doan.trim());
            if c.to_lowercase().contains(&g.to_lowercase()) {
                c.to_string()
            } else {
                format!("{c} {g}")
            }
        }
        _ => trich_yeu_mac_dinh(b.loai, b.nam, b.quy, &b.linh_vuc),
    }
}

/// The default subject (trích yếu):
/// "Sơ kết công tác y tế 6 tháng đầu năm, phương hướng, nhiệm vụ 6 tháng cuối năm 2024",
/// "Tổng kết công tác y tế năm 2020, phương hướng, nhiệm vụ năm 2021",
/// "Sơ kết công tác y tế Quý I năm 2023, phương hướng, nhiệm vụ Quý II năm 2023".
pub fn trich_yeu_mac_dinh(loai: Loai, nam: i32, quy: Option<u8>, linh_vuc: &str) -> String {
    let w = period_words(loai, nam, quy);
    match loai {
        // Within one year the year is said once, at the end.
        Loai::SoKet6Thang | Loai::SoKet9Thang => format!(
            "{} công tác {linh_vuc} {}, phương hướng, nhiệm vụ {}",
            w.so_ket, w.ky_ngan, w.ky_toi
        ),
        _ => format!(
            "{} công tác {linh_vuc} {}, phương hướng, nhiệm vụ {}",
            w.so_ket, w.ky, w.ky_toi
        ),
    }
}

/// Read a unit's "Kỳ báo cáo": "6 tháng đầu năm 2024", "6 THÁNG 2024",
/// "Quý II/2024", "quý 2 năm 2024", "Q2/2024", "9 tháng năm 2024",
/// "Năm 2024", "cả năm 2024"; None when it names no period.
pub fn parse_period(text: &str) -> Option<(Loai, i32, Option<u8>)> {
    let f = fold(text);
    let words: Vec<&str> = f.split(' ').collect();
    let year = words
        .iter()
        .rev()
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| (1990..=2100).contains(y))?;
    let quarter = |w: &str| -> Option<u8> {
        match w {
            "i" | "1" => Some(1),
            "ii" | "2" => Some(2),
            "iii" | "3" => Some(3),
            "iv" | "4" => Some(4),
            _ => None,
        }
    };
    for (i, w) in words.iter().enumerate() {
        if *w == "quy" {
            if let Some(q) = words.get(i + 1).and_then(|n| quarter(n)) {
                return Some((Loai::SoKetQuy, year, Some(q)));
            }
        }
        if let Some(q) = w.strip_prefix('q').and_then(quarter) {
            return Some((Loai::SoKetQuy, year, Some(q)));
        }
        if *w == "thang" && i > 0 {
            match words[i - 1] {
                "6" => return Some((Loai::SoKet6Thang, year, None)),
                "9" => return Some((Loai::SoKet9Thang, year, None)),
                "12" => return Some((Loai::TongKetNam, year, None)),
                _ => {}
            }
        }
    }
    if words.contains(&"nam") {
        return Some((Loai::TongKetNam, year, None));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_every_kind() {
        let q1 = period_words(Loai::SoKetQuy, 2023, Some(1));
        assert_eq!(
            (q1.ky.as_str(), q1.ky_toi.as_str()),
            ("Quý I năm 2023", "Quý II năm 2023")
        );
        let q4 = period_words(Loai::SoKetQuy, 2023, Some(4));
        assert_eq!(q4.ky_toi, "Quý I năm 2024");
        assert_eq!(q4.thuc_hien, "Thực hiện quý IV");
        let h = period_words(Loai::SoKet6Thang, 2024, None);
        assert_eq!(
            (h.ky.as_str(), h.ky_toi.as_str(), h.cung_ky.as_str()),
            (
                "6 tháng đầu năm 2024",
                "6 tháng cuối năm 2024",
                "cùng kỳ năm 2023"
            )
        );
        let n = period_words(Loai::SoKet9Thang, 2024, None);
        assert_eq!(
            (n.ky.as_str(), n.ky_toi.as_str()),
            ("9 tháng đầu năm 2024", "3 tháng cuối năm 2024")
        );
        let y = period_words(Loai::TongKetNam, 2020, None);
        assert_eq!(
            (y.ky.as_str(), y.ky_toi.as_str(), y.so_ket.as_str()),
            ("năm 2020", "năm 2021", "Tổng kết")
        );
    }

    #[test]
    fn default_subjects() {
        assert_eq!(
            trich_yeu_mac_dinh(Loai::SoKet6Thang, 2024, None, "y tế"),
            "Sơ kết công tác y tế 6 tháng đầu năm, phương hướng, nhiệm vụ 6 tháng cuối năm 2024"
        );
        assert_eq!(
            trich_yeu_mac_dinh(Loai::TongKetNam, 2020, None, "y tế"),
            "Tổng kết công tác y tế năm 2020, phương hướng, nhiệm vụ năm 2021"
        );
        assert_eq!(
            trich_yeu_mac_dinh(Loai::SoKetQuy, 2023, Some(1), "y tế"),
            "Sơ kết công tác y tế Quý I năm 2023, phương hướng, nhiệm vụ Quý II năm 2023"
        );
    }

    #[test]
    fn reads_units_period_texts() {
        assert_eq!(
            parse_period("6 tháng đầu năm 2024"),
            Some((Loai::SoKet6Thang, 2024, None))
        );
        assert_eq!(
            parse_period("6 THANG 2024"),
            Some((Loai::SoKet6Thang, 2024, None))
        );
        assert_eq!(
            parse_period("Quý II/2024"),
            Some((Loai::SoKetQuy, 2024, Some(2)))
        );
        assert_eq!(
            parse_period("quý 2 năm 2024"),
            Some((Loai::SoKetQuy, 2024, Some(2)))
        );
        assert_eq!(
            parse_period("Q2/2024"),
            Some((Loai::SoKetQuy, 2024, Some(2)))
        );
        assert_eq!(
            parse_period("9 tháng năm 2024"),
            Some((Loai::SoKet9Thang, 2024, None))
        );
        assert_eq!(
            parse_period("Năm 2024"),
            Some((Loai::TongKetNam, 2024, None))
        );
        assert_eq!(
            parse_period("cả năm 2024"),
            Some((Loai::TongKetNam, 2024, None))
        );
        assert_eq!(parse_period("báo cáo tháng"), None);
    }
}
