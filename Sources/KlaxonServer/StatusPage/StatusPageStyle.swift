/// The status page's stylesheet, served from `/ui/klaxon.css` so the page's Content-Security-
/// Policy can forbid inline styles and scripts altogether. The charts are styled here too: the
/// SVG carries no colours of its own.
enum StatusPageStyle {
    static let path = "/ui/klaxon.css"

    static let css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5rem 2rem;color:#1c1c1c;background:#fafafa}
        header{display:flex;align-items:baseline;gap:1rem;border-bottom:2px solid #333;margin-bottom:1rem}
        h1{font-size:1.5rem;margin:.6rem 0}h1 a{color:inherit;text-decoration:none}
        h2{font-size:1.15rem;margin:1.4rem 0 .4rem}h3{font-size:1rem;margin:.8rem 0 .3rem}
        a{color:#1f5fa8}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
        th{background:#eee;font-weight:600}code{font-size:12px;overflow-wrap:anywhere}
        table.alerts td{vertical-align:middle}td.since,td.time{white-space:nowrap}
        tr.severity th{background:#f4f4f4;border-top:1px solid #ccc;font-size:1rem}
        tr.group th{background:#f4f4f4;font-weight:600;border-top:1px solid #ccc}
        table.details{width:auto;min-width:40%}table.details th{background:none;color:#555;font-weight:500}
        .P0{color:#b00020}.P1{color:#c55a00}.P2{color:#8a6d00}.P3{color:#35618f}
        .state{font-weight:600;white-space:nowrap}.state-firing{color:#b00020}
        .state-acked,.state-silenced,.state-inhibited{color:#666;font-weight:400}
        .failing{color:#b00020;font-weight:600}.muted{color:#666;font-weight:400}
        svg.chart{display:block;background:#fbfbfb;border:1px solid #e4e4e4}
        svg.chart polyline{fill:none;stroke:#1f5fa8;stroke-width:1.5;stroke-linejoin:round}
        svg.chart circle{fill:#1f5fa8}
        svg.chart line.threshold{stroke:#b00020;stroke-width:1;stroke-dasharray:4 3}
        .chart-large svg.chart{width:480px;height:96px;margin:.5rem 0}
        .chart-empty{color:#888;font-size:12px;white-space:nowrap}
        a.action{white-space:nowrap}
        form.filters,form.action{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.3rem 0 .6rem}
        form.filters label,form.action label{display:flex;flex-direction:column;font-size:12px}
        form.action small{color:#888}
        form.action button{padding:.3rem .9rem;font-weight:600}
        .problem p.failing{font-size:1.05rem}
        """
}
