/// The stylesheet and script the pages load, served from the binary (`/ui/assets/…`). The script is the
/// project's own and small: pages read without it; it asks before buttons marked `data-confirm`, and keeps a
/// page marked `data-live` current by fetching it again every few seconds.
public enum DashboardAssets {
    public static let files: [String: (contentType: String, text: String)] = [
        "dashboard.css": ("text/css; charset=utf-8", style), "dashboard.js": ("text/javascript; charset=utf-8", script),
        "favicon.svg": ("image/svg+xml", icon),
    ]

    /// A wall with a gap: the mark in the browser's tab.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1" y="2" width="5" height="12" fill="#1d232b"/><rect x="10" y="2" width="5" height="12" fill="#1d232b"/><rect x="6" y="7" width="4" height="2" fill="#0b57d0"/></svg>

        """

    static let style = """
        :root { --ink: #1d232b; --muted: #5b6572; --line: #d5dae0; --paper: #ffffff; --tint: #f3f5f7; --accent: #0b57d0;
          --bad: #a50e0e; --good: #146c2e; --warn: #8a5300; font-family: system-ui, sans-serif; color: var(--ink); }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--paper); line-height: 1.45; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 8px; top: 8px; background: var(--paper); padding: 4px 8px; }
        .top { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 10px 20px; border-bottom: 1px solid var(--line); background: var(--tint); }
        .brand { font-weight: 700; text-decoration: none; color: var(--ink); }
        .top nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
        .top nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
        .identity { margin-left: auto; display: flex; gap: 8px; align-items: center; }
        main { padding: 16px 20px 48px; max-width: 1280px; }
        h1 { font-size: 1.5rem; margin: 8px 0 16px; }
        h2 { font-size: 1.15rem; margin-top: 28px; }
        .muted { color: var(--muted); }
        .branch { font-family: ui-monospace, monospace; font-size: 0.9em; }
        code { font-family: ui-monospace, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 0.85rem; color: var(--muted); }
        tr.dismissed td { color: var(--muted); text-decoration: line-through; }
        .badge { display: inline-block; padding: 0 6px; border: 1px solid currentColor; border-radius: 4px; font-size: 0.85rem; white-space: nowrap; }
        .state-satisfied, .risk-low { color: var(--good); }
        .state-denied, .state-rejected, .risk-critical, .risk-high { color: var(--bad); }
        .state-pending, .risk-medium { color: var(--warn); }
        .provenance-ai-assisted, .provenance-ai-authored { border-style: dashed; }
        .filters { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin-bottom: 16px; }
        .stacked { display: grid; gap: 8px; max-width: 520px; }
        .actions { display: flex; flex-wrap: wrap; gap: 8px; }
        input, select, textarea, button { font: inherit; padding: 4px 8px; }
        button { border: 1px solid var(--ink); background: var(--paper); border-radius: 4px; cursor: pointer; }
        button.danger { border-color: var(--bad); color: var(--bad); }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; }
        .problem, .refusal { border-left: 4px solid var(--bad); padding: 4px 10px; background: var(--tint); }
        .notice { border-left: 4px solid var(--good); padding: 4px 10px; background: var(--tint); }
        .empty { color: var(--muted); }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        .phase-promoted, .verdict-pass { color: var(--good); }
        .phase-rolled_back, .verdict-fail { color: var(--bad); }
        .phase-paused, .verdict-inconclusive { color: var(--warn); }
        .live { margin-left: 8px; font-size: 0.85rem; font-weight: 700; color: var(--good); }
        .live::before { content: "● "; }
        .steps li.current { font-weight: 700; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 16px; }
        figure { margin: 0; }
        figcaption { font-weight: 600; margin-bottom: 4px; }
        svg.chart { width: 100%; height: auto; font-size: 11px; }
        svg.chart .grid { stroke: var(--line); stroke-width: 1; }
        svg.chart .axis { stroke: var(--ink); stroke-width: 1; }
        svg.chart .tick, svg.chart .legend, svg.chart .label { fill: var(--ink); }
        svg.chart .unit { fill: var(--muted); }
        svg.chart .threshold { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 10 4 2 4; }
        svg.chart .event { stroke: var(--warn); stroke-width: 2; stroke-dasharray: 4 2; }
        svg.chart .series polyline, svg.chart .series line { stroke-width: 2; fill: none; }
        svg.chart .series-0 polyline, svg.chart .series-0 line { stroke: #0b57d0; }
        svg.chart .series-0 .marker { fill: #0b57d0; }
        svg.chart .series-1 polyline, svg.chart .series-1 line { stroke: #5b6572; }
        svg.chart .series-1 .marker { fill: #5b6572; }
        svg.chart .series-2 polyline, svg.chart .series-2 line { stroke: #8a5300; }
        svg.chart .series-2 .marker { fill: #8a5300; }
        svg.chart .bar { fill: #0b57d0; }
        svg.chart .pattern-ground { fill: var(--paper); }
        svg.chart .pattern-ink { stroke: var(--ink); stroke-width: 1.5; }
        svg.chart .pattern-dot { fill: var(--ink); }
        svg.chart .bar-diagonal, svg.chart .bar-dots, svg.chart .bar-cross { stroke: var(--ink); stroke-width: 1; }
        @media (max-width: 600px) { .facts { grid-template-columns: 1fr; } .identity { margin-left: 0; } main { padding: 12px; } }

        """

    static let script = """
        "use strict";
        // Buttons marked data-confirm ask before their form is sent.
        document.addEventListener("click", (event) => {
          const button = event.target.closest("button[data-confirm]");
          if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
        });
        // A live page is fetched again and its content swapped in, until it is no longer live (the rollout ended)
        // or the session ends (the answer is the sign-in page).
        const refreshLive = async () => {
          const marker = document.querySelector("[data-live]");
          if (!marker) { return; }
          const seconds = Number(marker.dataset.live) || 2;
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
          try {
            const answer = await fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } });
            if (!answer.ok || answer.redirected) { return; }
            const page = new DOMParser().parseFromString(await answer.text(), "text/html");
            const fresh = page.querySelector("main");
            const main = document.querySelector("main");
            if (fresh && main && !main.contains(document.activeElement.closest("form textarea, form input[type=text]"))) {
              main.innerHTML = fresh.innerHTML;
            }
          } catch (error) {
            marker.textContent = "live updates paused: " + error.message;
            return;
          }
          refreshLive();
        };
        refreshLive();

        """
}
