//! Server-side SVG charts for the 工作台: horizontal bars (coverage % by community), stacked bars
//! (compounds by mode per street), a line over months (covered compounds and the target line)
//! and a donut (categories). Pure functions returning SVG text: no script, no fonts or files
//! from the internet, and they print.
//!
//! - Text width is estimated, not measured: a CJK or full-width character counts as one em, a
//!   Latin character as half an em. Labels longer than their column are cut with "…".
//! - Every text is XML-escaped; every chart has `role="img"`, an `aria-label` and a `<title>`.
//! - Numbers are grouped (12,345), percentages have one decimal (85.0 %), computed in integers.
//! - The palette steps through lightness as well as hue, so the series stay apart when printed
//!   in grayscale; bars also carry their value as text.
//! - Empty data draws a "暂无数据" box instead of failing.

use anju_core::Lang;
use anju_core::money::group_thousands;
use std::fmt::Write;

/// Fill colours, in order of use: dark, light, mid, very light, mid-dark, pale (grayscale
/// luminance roughly 20 %, 75 %, 45 %, 85 %, 35 %, 92 %).
pub const PALETTE: [&str; 6] = [
    "#0b3c5d", "#f2b134", "#3a7d44", "#a9c5e8", "#8e3b46", "#e4e4e4",
];

const FONT: &str = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\"";
const FS: f64 = 12.0;

/// XML-escapes text for an attribute or element.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Wide characters: CJK ideographs and punctuation, kana, Hangul, full-width forms.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Estimated width in pixels at font size `fs`: wide characters 1 em, others ½ em.
pub fn text_width(s: &str, fs: f64) -> f64 {
    s.chars()
        .map(|c| if is_wide(c) { fs } else { fs * 0.5 })
        .sum()
}

/// Cuts `s` so that it fits in `max` pixels, ending in "…" when cut.
pub fn truncate(s: &str, max: f64, fs: f64) -> String {
    if text_width(s, fs) <= max {
        return s.to_string();
    }
    let ell = fs; // "…" is drawn full-width by CJK fonts
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = if is_wide(c) { fs } else { fs * 0.5 };
        if w + cw + ell > max {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// "85.0 %" for 850/1000 (half-up, integers); "—" when `whole` is 0.
pub fn percent_label(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".to_string();
    }
    format!("{} %", anju_core::stats::percent(part, whole))
}

/// Bar length in pixels for `value` of `max` over `width`, in tenths of a pixel (integers, so
/// equal values draw equal bars).
fn scale(value: u64, max: u64, width: u64) -> f64 {
    if max == 0 {
        return 0.0;
    }
    let tenths = (u128::from(value) * u128::from(width) * 10) / u128::from(max);
    tenths as f64 / 10.0
}

fn open(out: &mut String, w: u32, h: u32, title: &str, desc: &str) {
    let t = escape(title);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {w} {h}\" \
         width=\"100%\" role=\"img\" aria-label=\"{t}\" {FONT} font-size=\"{FS}\">\
         <title>{t}</title><desc>{}</desc>",
        escape(desc)
    );
}

fn empty(title: &str, lang: Lang) -> String {
    let mut out = String::new();
    open(&mut out, 400, 80, title, lang.pick("暂无数据", "No data"));
    let _ = write!(
        out,
        "<rect x=\"0.5\" y=\"0.5\" width=\"399\" height=\"79\" fill=\"none\" stroke=\"#999\" \
         stroke-dasharray=\"4 3\"/><text x=\"200\" y=\"45\" text-anchor=\"middle\" fill=\"#555\">{}</text></svg>",
        lang.pick("暂无数据", "No data")
    );
    out
}

/// One bar: a label and a value; with `whole`, the bar shows `value / whole` as a percentage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub whole: Option<u64>,
}

const LABEL_W: f64 = 120.0;
const BAR_W: u64 = 220;
const ROW_H: u32 = 22;

/// Horizontal bars, one per row. Percent bars (with `whole`) scale to 100 %; count bars to the
/// largest value.
pub fn horizontal_bars(title: &str, bars: &[Bar], lang: Lang) -> String {
    if bars.is_empty() {
        return empty(title, lang);
    }
    let percent = bars.iter().all(|b| b.whole.is_some());
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let h = ROW_H * bars.len() as u32 + 10;
    let w = LABEL_W as u32 + BAR_W as u32 + 90;
    let desc = bars
        .iter()
        .map(|b| format!("{}：{}", b.label, bar_text(b)))
        .collect::<Vec<_>>()
        .join("；");
    let mut out = String::new();
    open(&mut out, w, h, title, &desc);
    for (i, b) in bars.iter().enumerate() {
        let y = 5 + ROW_H * i as u32;
        let len = match (percent, b.whole) {
            (true, Some(whole)) => scale(b.value.min(whole), whole, BAR_W),
            _ => scale(b.value, max, BAR_W),
        };
        let label = escape(&truncate(&b.label, LABEL_W - 8.0, FS));
        let _ = write!(
            out,
            "<g class=\"bar\"><title>{}：{}</title>\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{BAR_W}\" height=\"16\" fill=\"#f3f3f3\"/>\
             <rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{len}\" height=\"16\" fill=\"{c}\"/>\
             <text x=\"{vx}\" y=\"{ty}\">{v}</text></g>",
            escape(&b.label),
            escape(&bar_text(b)),
            lx = LABEL_W - 6.0,
            ty = y + 12,
            c = PALETTE[0],
            vx = LABEL_W + BAR_W as f64 + 6.0,
            v = escape(&bar_text(b)),
        );
    }
    out.push_str("</svg>");
    out
}

fn bar_text(b: &Bar) -> String {
    match b.whole {
        Some(w) => percent_label(b.value, w),
        None => group_thousands(b.value),
    }
}

/// Stacked horizontal bars: per row the values of each series, scaled to the largest row total;
/// a legend names the series.
pub fn stacked_bars(
    title: &str,
    series: &[String],
    rows: &[(String, Vec<u64>)],
    lang: Lang,
) -> String {
    let totals: Vec<u64> = rows.iter().map(|(_, v)| v.iter().sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    if rows.is_empty() || max == 0 {
        return empty(title, lang);
    }
    let legend_h = 22;
    let h = legend_h + ROW_H * rows.len() as u32 + 10;
    let w = LABEL_W as u32 + BAR_W as u32 + 90;
    let desc = rows
        .iter()
        .map(|(l, v)| {
            let parts = series
                .iter()
                .zip(v)
                .map(|(s, n)| format!("{s} {}", group_thousands(*n)))
                .collect::<Vec<_>>()
                .join("，");
            format!("{l}：{parts}")
        })
        .collect::<Vec<_>>()
        .join("；");
    let mut out = String::new();
    open(&mut out, w, h, title, &desc);
    let mut x = 4.0;
    for (i, s) in series.iter().enumerate() {
        let c = PALETTE[i % PALETTE.len()];
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{c}\" stroke=\"#333\" stroke-width=\"0.5\"/>\
             <text x=\"{tx}\" y=\"14\">{}</text>",
            escape(s),
            tx = x + 16.0
        );
        x += 16.0 + text_width(s, FS) + 12.0;
    }
    for (i, ((label, values), total)) in rows.iter().zip(&totals).enumerate() {
        let y = legend_h + 5 + ROW_H * i as u32;
        let _ = write!(
            out,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{}</text>",
            escape(&truncate(label, LABEL_W - 8.0, FS)),
            lx = LABEL_W - 6.0,
            ty = y + 12
        );
        // Cumulative ends, so rounding never leaves a gap or overlap between segments.
        let mut acc = 0u64;
        for (k, v) in values.iter().enumerate() {
            let x0 = scale(acc, max, BAR_W);
            acc += v;
            let x1 = scale(acc, max, BAR_W);
            if *v == 0 {
                continue;
            }
            let name = series.get(k).map(String::as_str).unwrap_or("");
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{wd:.1}\" height=\"16\" fill=\"{c}\" stroke=\"#fff\" \
                 stroke-width=\"0.5\"><title>{}：{} {}</title></rect>",
                escape(label),
                escape(name),
                group_thousands(*v),
                x = LABEL_W + x0,
                wd = x1 - x0,
                c = PALETTE[k % PALETTE.len()],
            );
        }
        let _ = write!(
            out,
            "<text x=\"{vx}\" y=\"{ty}\">{}</text>",
            group_thousands(*total),
            vx = LABEL_W + scale(*total, max, BAR_W) + 6.0,
            ty = y + 12
        );
    }
    out.push_str("</svg>");
    out
}

/// One line of a line chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
    /// Drawn dashed (a target line).
    pub dashed: bool,
}

/// Lines over the months in `x_labels` (e.g. "2022-07"); the y axis runs from 0 to the largest
/// value (or `y_max` when larger, e.g. the number of compounds).
pub fn line_chart(
    title: &str,
    x_labels: &[String],
    series: &[Series],
    y_max: Option<u64>,
    lang: Lang,
) -> String {
    let n = x_labels.len();
    if n == 0 || series.iter().all(|s| s.values.is_empty()) {
        return empty(title, lang);
    }
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .chain(y_max)
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, top, pw, ph) = (56.0, 28.0, 400.0, 160.0);
    let w = (left + pw + 20.0) as u32;
    let h = (top + ph + 36.0) as u32;
    let desc = series
        .iter()
        .map(|s| {
            let last = s.values.last().copied().unwrap_or(0);
            format!(
                "{}：{} {}",
                s.name,
                x_labels
                    .get(s.values.len().saturating_sub(1))
                    .map(String::as_str)
                    .unwrap_or(""),
                group_thousands(last)
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    let mut out = String::new();
    open(&mut out, w, h, title, &desc);
    let x_at = |i: usize| {
        if n == 1 {
            left + pw / 2.0
        } else {
            left + pw * i as f64 / (n - 1) as f64
        }
    };
    let y_at = |v: u64| top + ph - scale(v, max, ph as u64);
    // Axes and gridlines at 0, ½, max.
    for v in [0, max / 2, max] {
        let y = y_at(v);
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#ccc\"/>\
             <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{}</text>",
            group_thousands(v),
            x2 = left + pw,
            tx = left - 4.0,
            ty = y + 4.0
        );
    }
    // Month labels: at most ~8, always the first and the last.
    let step = n.div_ceil(8).max(1);
    for (i, l) in x_labels.iter().enumerate() {
        if i % step == 0 || i == n - 1 {
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\">{}</text>",
                escape(l),
                x = x_at(i),
                y = top + ph + 16.0
            );
        }
    }
    let mut lx = left;
    for (k, s) in series.iter().enumerate() {
        let c = PALETTE[k % PALETTE.len()];
        let dash = if s.dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let pts = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x_at(i), y_at(*v)))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(
            out,
            "<polyline class=\"series\" points=\"{pts}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\"{dash}>\
             <title>{}</title></polyline>",
            escape(&s.name)
        );
        if !s.dashed {
            for (i, v) in s.values.iter().enumerate() {
                let _ = write!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{c}\"><title>{} {}</title></circle>",
                    x_at(i),
                    y_at(*v),
                    escape(x_labels.get(i).map(String::as_str).unwrap_or("")),
                    group_thousands(*v)
                );
            }
        }
        let _ = write!(
            out,
            "<line x1=\"{lx}\" y1=\"12\" x2=\"{lx2}\" y2=\"12\" stroke=\"{c}\" stroke-width=\"2\"{dash}/>\
             <text x=\"{tx}\" y=\"16\">{}</text>",
            escape(&s.name),
            lx2 = lx + 18.0,
            tx = lx + 22.0
        );
        lx += 22.0 + text_width(&s.name, FS) + 14.0;
    }
    out.push_str("</svg>");
    out
}

/// A donut of shares, with a legend giving each slice's count and percentage.
pub fn donut(title: &str, slices: &[(String, u64)], lang: Lang) -> String {
    let total: u64 = slices.iter().map(|(_, v)| v).sum();
    if total == 0 {
        return empty(title, lang);
    }
    let (cx, cy, r, rin) = (80.0, 80.0, 70.0, 42.0);
    let h = (slices.len() as u32 * 20 + 16).max(170);
    let w = 400;
    let desc = slices
        .iter()
        .map(|(l, v)| {
            format!(
                "{l}：{}（{}）",
                group_thousands(*v),
                percent_label(*v, total)
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    let mut out = String::new();
    open(&mut out, w, h, title, &desc);
    let mut acc = 0u64;
    for (k, (label, v)) in slices.iter().enumerate() {
        let c = PALETTE[k % PALETTE.len()];
        let tip = format!(
            "{label}：{}（{}）",
            group_thousands(*v),
            percent_label(*v, total)
        );
        if *v == total {
            let _ = write!(
                out,
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{rm}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"{sw}\">\
                 <title>{}</title></circle>",
                escape(&tip),
                rm = (r + rin) / 2.0,
                sw = r - rin
            );
        } else if *v > 0 {
            let a0 = angle(acc, total);
            acc += v;
            let a1 = angle(acc, total);
            let large = if a1 - a0 > std::f64::consts::PI { 1 } else { 0 };
            let p = |a: f64, rr: f64| (cx + rr * a.sin(), cy - rr * a.cos());
            let (x0, y0) = p(a0, r);
            let (x1, y1) = p(a1, r);
            let (x2, y2) = p(a1, rin);
            let (x3, y3) = p(a0, rin);
            let _ = write!(
                out,
                "<path d=\"M{x0:.2},{y0:.2} A{r},{r} 0 {large} 1 {x1:.2},{y1:.2} L{x2:.2},{y2:.2} \
                 A{rin},{rin} 0 {large} 0 {x3:.2},{y3:.2} Z\" fill=\"{c}\" stroke=\"#fff\" stroke-width=\"1\">\
                 <title>{}</title></path>",
                escape(&tip)
            );
        }
    }
    let _ = write!(
        out,
        "<text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{}</text>",
        group_thousands(total),
        ty = cy + 6.0
    );
    for (k, (label, v)) in slices.iter().enumerate() {
        let y = 12 + 20 * k as u32;
        let text = format!(
            "{} {}（{}）",
            truncate(label, 130.0, FS),
            group_thousands(*v),
            percent_label(*v, total)
        );
        let _ = write!(
            out,
            "<rect x=\"180\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{c}\" stroke=\"#333\" stroke-width=\"0.5\"/>\
             <text x=\"198\" y=\"{ty}\">{}</text>",
            escape(&text),
            c = PALETTE[k % PALETTE.len()],
            ty = y + 10
        );
    }
    out.push_str("</svg>");
    out
}

/// Clockwise from 12 o'clock, in radians.
fn angle(part: u64, total: u64) -> f64 {
    std::f64::consts::TAU * part as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(svg: &str) -> Vec<f64> {
        // The value rects of horizontal bars: the second rect of each bar group.
        svg.split("<g class=\"bar\">")
            .skip(1)
            .map(|g| {
                let second = g.split("<rect").nth(2).expect("value rect");
                let w = second
                    .split("width=\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .expect("width");
                w.parse::<f64>().expect("number")
            })
            .collect()
    }

    #[test]
    fn escapes_text_and_has_accessible_title() {
        let svg = horizontal_bars(
            "覆盖率 <按社区> & \"街道\"",
            &[Bar {
                label: "A&B<script>".into(),
                value: 1,
                whole: Some(2),
            }],
            Lang::Zh,
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("A&amp;B&lt;script&gt;"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"覆盖率 &lt;按社区&gt; &amp; &quot;街道&quot;\""));
        assert!(svg.contains("<title>覆盖率 &lt;按社区&gt; &amp; &quot;街道&quot;</title>"));
        assert!(svg.contains("50.0 %"));
    }

    #[test]
    fn bar_lengths_are_proportional() {
        let bars = [("甲", 1, 4), ("乙", 2, 4), ("丙", 4, 4), ("丁", 0, 4)].map(|(l, v, w)| Bar {
            label: l.into(),
            value: v,
            whole: Some(w),
        });
        let w = widths(&horizontal_bars("t", &bars, Lang::Zh));
        assert_eq!(w, vec![55.0, 110.0, 220.0, 0.0]);
        // Counts scale to the largest.
        let bars = [("a", 10), ("b", 5)].map(|(l, v)| Bar {
            label: l.into(),
            value: v,
            whole: None,
        });
        let svg = horizontal_bars("t", &bars, Lang::Zh);
        assert_eq!(widths(&svg), vec![220.0, 110.0]);
        assert!(svg.contains(">10<") && svg.contains(">5<"));
    }

    #[test]
    fn numbers_group_and_percent_rounds_half_up() {
        let svg = horizontal_bars(
            "t",
            &[Bar {
                label: "x".into(),
                value: 12_345,
                whole: None,
            }],
            Lang::Zh,
        );
        assert!(svg.contains(">12,345<"));
        assert_eq!(percent_label(1, 3), "33.3 %");
        assert_eq!(percent_label(2, 3), "66.7 %");
        assert_eq!(percent_label(1, 2000), "0.1 %"); // 0.05 → 0.1, half-up
        assert_eq!(percent_label(0, 0), "—");
    }

    #[test]
    fn cjk_counts_double_and_long_names_are_cut() {
        assert_eq!(text_width("大沁他拉", 12.0), 48.0);
        assert_eq!(text_width("ab12", 12.0), 24.0);
        assert_eq!(text_width("A座（东）", 12.0), 54.0);
        assert_eq!(truncate("团结小区", 48.0, 12.0), "团结小区");
        let cut = truncate("奈曼旗大沁他拉街道团结社区第一小区", 72.0, 12.0);
        assert_eq!(cut, "奈曼旗大沁…");
        assert!(text_width(&cut, 12.0) <= 72.0);
    }

    #[test]
    fn empty_data_draws_a_placeholder() {
        for svg in [
            horizontal_bars("t", &[], Lang::Zh),
            stacked_bars("t", &["a".into()], &[], Lang::Zh),
            stacked_bars("t", &["a".into()], &[("x".into(), vec![0])], Lang::Zh),
            line_chart("t", &[], &[], None, Lang::Zh),
            donut("t", &[], Lang::Zh),
            donut("t", &[("一类".into(), 0)], Lang::Zh),
        ] {
            assert!(svg.contains("暂无数据"), "{svg}");
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        }
        assert!(donut("t", &[], Lang::En).contains("No data"));
    }

    #[test]
    fn stacked_segments_meet_and_total_is_labelled() {
        let svg = stacked_bars(
            "t",
            &["专业化物业".into(), "兜底".into(), "弃管".into()],
            &[
                ("甲街道".into(), vec![3, 1, 0]),
                ("乙街道".into(), vec![1, 1, 2]),
            ],
            Lang::Zh,
        );
        // Row 1: 3/4 and 1/4 of 220 px.
        assert!(svg.contains("x=\"120\" y=\"27\" width=\"165.0\""), "{svg}");
        assert!(svg.contains("x=\"285\" y=\"27\" width=\"55.0\""), "{svg}");
        assert!(svg.contains(">4<"));
        assert!(svg.contains("专业化物业"));
    }

    #[test]
    fn donut_with_one_slice_is_a_ring() {
        let svg = donut("类别", &[("一类".into(), 5)], Lang::Zh);
        assert!(svg.contains("<circle") && svg.contains("100.0 %"));
    }

    #[test]
    fn snapshots() {
        insta::assert_snapshot!(
            "hbar",
            horizontal_bars(
                "各社区覆盖率",
                &[
                    Bar {
                        label: "东城社区".into(),
                        value: 17,
                        whole: Some(20)
                    },
                    Bar {
                        label: "一个名字非常非常长的社区居民委员会".into(),
                        value: 3,
                        whole: Some(9)
                    },
                ],
                Lang::Zh
            )
        );
        insta::assert_snapshot!(
            "stacked",
            stacked_bars(
                "各街道管理方式",
                &[
                    "有物业企业".into(),
                    "兜底/后勤".into(),
                    "弃管（含自管）".into()
                ],
                &[("大沁他拉街道".into(), vec![74, 20, 57])],
                Lang::Zh
            )
        );
        insta::assert_snapshot!(
            "line",
            line_chart(
                "覆盖小区数",
                &["2022-10".into(), "2022-11".into(), "2022-12".into()],
                &[
                    Series {
                        name: "已覆盖".into(),
                        values: vec![90, 100, 120],
                        dashed: false
                    },
                    Series {
                        name: "目标".into(),
                        values: vec![140, 140, 140],
                        dashed: true
                    },
                ],
                Some(151),
                Lang::Zh
            )
        );
        insta::assert_snapshot!(
            "donut",
            donut(
                "小区类别",
                &[
                    ("一类".into(), 10),
                    ("二类".into(), 30),
                    ("三类".into(), 60)
                ],
                Lang::Zh
            )
        );
    }
}
