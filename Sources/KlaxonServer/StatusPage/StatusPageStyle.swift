/// The status page's stylesheet, served from `/ui/klaxon.css` so the page's Content-Security-
/// Policy can forbid inline styles and scripts altogether.
enum StatusPageStyle {
    static let path = "/ui/klaxon.css"

    static let css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5rem 2rem;color:#1c1c1c;background:#fafafa}
        header{display:flex;align-items:baseline;gap:1rem;border-bottom:2px solid #333;margin-bottom:1rem}
        h1{font-size:1.5rem;margin:.6rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .4rem}h3{font-size:1rem;margin:.8rem 0 .3rem}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
        th{background:#eee;font-weight:600}code{font-size:12px}
        .P0{color:#b00020}.P1{color:#c55a00}.P2{color:#8a6d00}.P3{color:#35618f}
        .state-firing{font-weight:600}.state-acked,.state-silenced,.state-inhibited{color:#666}
        .failing{color:#b00020;font-weight:600}.muted{color:#666}
        form.filters{display:flex;gap:.5rem;align-items:end;margin:.3rem 0 .6rem}
        form.filters label{display:flex;flex-direction:column;font-size:12px}
        """
}
