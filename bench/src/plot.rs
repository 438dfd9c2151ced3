//! `latest.svg`: kakaorm and each peer as ×raw, per workload and backend.

use std::path::Path;

use plotters::prelude::*;
use protocol::{Backend, Workload};

use crate::cells::CellResult;
use crate::stats::{CellStats, cell_stats};

fn short(w: Workload, n: usize) -> String {
    let n = if n >= 1000 && n.is_multiple_of(1000) { format!("{}k", n / 1000) } else { n.to_string() };
    match w {
        Workload::SelectAll => format!("select {n}"),
        Workload::GetByPk => "get_by_pk".into(),
        Workload::InsertOne => "insert_one".into(),
        Workload::BulkInsert => format!("bulk {n}"),
        Workload::UpdateByPk => "update".into(),
        Workload::MediumJoin => format!("join {n}"),
        Workload::Aggregate => format!("agg {n}"),
        Workload::EagerLoad => format!("eager {n}"),
        Workload::EagerLoadNested => format!("nested {n}"),
        Workload::Concurrent => format!("pooled {n}"),
        Workload::BulkUpdate => format!("bulk upd {n}"),
        Workload::Stream1m => format!("stream {n}"),
    }
}

const ORDER: &[&str] =
    &["kakaorm", "kakaorm-inline", "sqlx", "sea-orm", "diesel", "diesel-async", "raw-rusqlite-thread"];

fn color(name: &str) -> RGBColor {
    match name {
        "kakaorm" => RGBColor(214, 39, 40),
        "kakaorm-inline" => RGBColor(227, 119, 194),
        "sqlx" => RGBColor(31, 119, 180),
        "sea-orm" => RGBColor(44, 160, 44),
        "diesel" => RGBColor(148, 103, 189),
        "diesel-async" => RGBColor(255, 127, 14),
        _ => RGBColor(127, 127, 127),
    }
}

fn panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    b: Backend,
    stats: &[CellStats<'_>],
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<_>| e.to_string();
    let k = stats.len();
    let labels: Vec<String> = stats.iter().map(|s| short(s.cell.workload, s.cell.n)).collect();
    let shown = |name: &str| ORDER.contains(&name);
    let (mut lo, mut hi) = (0.8f64, 2.0f64);
    for st in stats {
        for r in st.rows.iter().filter(|r| shown(r.name())) {
            lo = lo.min(r.ratio.q1 * 0.9);
            hi = hi.max(r.ratio.q3 * 1.15);
        }
    }
    let mut chart = ChartBuilder::on(area)
        .caption(format!("{b}: time ÷ fastest raw floor (median, bar = IQR; log scale)"), ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(-0.5f64..(k as f64 - 0.5), (lo..hi).log_scale())
        .map_err(e)?;
    let fmt = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .x_labels(4 * k)
        .x_label_formatter(&fmt)
        .disable_x_mesh()
        .y_desc("× raw")
        .y_label_formatter(&|y| format!("{y:.2}"))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(vec![(-0.5, 1.0), (k as f64 - 0.5, 1.0)], BLACK.stroke_width(1)))
        .map_err(e)?
        .label("raw floor = 1")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK));
    let present: Vec<&str> =
        ORDER.iter().copied().filter(|n| stats.iter().any(|s| s.rows.iter().any(|r| r.name() == *n))).collect();
    let m = present.len().max(1) as f64;
    for (ci, name) in present.iter().enumerate() {
        let c = color(name);
        let offset = (ci as f64 - (m - 1.0) / 2.0) * (0.7 / m);
        let mut points = Vec::new();
        for (i, st) in stats.iter().enumerate() {
            if let Some(r) = st.rows.iter().find(|r| r.name() == *name) {
                points.push((i as f64 + offset, r.ratio.median, r.ratio.q1, r.ratio.q3));
            }
        }
        chart
            .draw_series(
                points.iter().map(|&(x, _, q1, q3)| PathElement::new(vec![(x, q1), (x, q3)], c.stroke_width(2))),
            )
            .map_err(e)?;
        let size = if *name == "kakaorm" { 5 } else { 4 };
        chart
            .draw_series(points.iter().map(|&(x, y, _, _)| Circle::new((x, y), size, c.filled())))
            .map_err(e)?
            .label(*name)
            .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;
    Ok(())
}

pub fn svg(path: &Path, cells: &[CellResult]) -> Result<(), String> {
    let backends: Vec<Backend> = Backend::ALL.into_iter().filter(|b| cells.iter().any(|c| c.backend == *b)).collect();
    if backends.is_empty() {
        return Ok(());
    }
    let root = SVGBackend::new(path, (1280, 430 * backends.len() as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let areas = root.split_evenly((backends.len(), 1));
    for (area, b) in areas.iter().zip(&backends) {
        let stats: Vec<CellStats<'_>> = cells.iter().filter(|c| c.backend == *b).map(cell_stats).collect();
        panel(area, *b, &stats)?;
    }
    root.present().map_err(|e| e.to_string())
}
