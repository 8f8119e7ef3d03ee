namespace HueyP.Node.Dashboard.Assets;

/// <summary>The dashboard's styles: a grid that fits 1280×800 and fills a 1920×1080 wall screen; state is never colour alone.</summary>
internal static class DashboardCss
{
    public const string Content = """
:root {
  --bg: #f4f5f7; --panel: #fff; --ink: #1a202c; --muted: #5a6472; --line: #d5dae1;
  --green: #1f7a4a; --green-bg: #e3f4ea; --amber: #8a5a00; --amber-bg: #fff3d6; --red: #b42318; --red-bg: #fde4e1;
  --na: #5a6472; --na-bg: #eceff3; --focus: #1d4ed8; --accent: #2b6cb0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
.muted { color: var(--muted); }
.error { color: var(--red); font-weight: 600; }
code { background: var(--na-bg); padding: 1px 4px; border-radius: 3px; }
button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
button:hover { border-color: var(--accent); }
button.danger { border-color: var(--red); color: var(--red); font-weight: 600; }
button.link { border: none; background: none; color: var(--accent); text-decoration: underline; padding: 2px 4px; }
button[aria-disabled="true"] { opacity: .6; cursor: not-allowed; }

.topbar { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; align-items: center; gap: 10px 14px;
  padding: 8px 14px; background: #111827; color: #f9fafb; }
.topbar .brand { font-size: 16px; }
.topbar .chip { padding: 3px 8px; border-radius: 12px; background: #374151; white-space: nowrap; }
.topbar .chip.bad { background: var(--red); color: #fff; font-weight: 700; }
.topbar .chip.warn { background: #b7791f; color: #fff; }
.topbar .logout { margin-left: auto; }
.topbar .link { color: #93c5fd; }
.pill-wrap { display: flex; align-items: center; gap: 4px; }
.pill { display: inline-flex; gap: 6px; align-items: center; padding: 4px 12px; border-radius: 16px; font-weight: 700; letter-spacing: .03em; border: 2px solid transparent; }
.pill.normal { background: var(--green-bg); color: var(--green); border-color: var(--green); }
.pill.degraded { background: var(--amber-bg); color: var(--amber); border-color: var(--amber); }
.pill.safe { background: var(--red-bg); color: var(--red); border-color: var(--red); }
.pill.na { background: var(--na-bg); color: var(--na); }
.score { display: flex; align-items: center; gap: 6px; }
.score svg text { fill: #f9fafb; font-size: 13px; font-weight: 700; }

.why { margin: 0; padding: 10px 14px; background: var(--amber-bg); border-bottom: 1px solid var(--line); }
.why h3 { margin: 0 0 4px; font-size: 14px; }
.why ul { margin: 4px 0; padding-left: 20px; }
.slo { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 6px 14px; background: #e5e7eb; border-bottom: 1px solid var(--line); font-size: 13px; }
.slo b { font-weight: 600; }

.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 12px; padding: 12px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; overflow-x: auto; }
.panel.wide { grid-column: span 2; }
@media (max-width: 900px) { .panel.wide { grid-column: span 1; } }
@media (min-width: 1800px) { .grid { grid-template-columns: repeat(4, 1fr); } }
.panel h2 { margin: 0 0 8px; font-size: 15px; }
.table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
.table th, .table td { text-align: left; padding: 3px 5px; border-bottom: 1px solid var(--line); }
.num { text-align: right !important; }

.band { display: inline-flex; align-items: center; gap: 4px; font-weight: 700; padding: 1px 6px; border-radius: 4px; }
.band.green { color: var(--green); background: var(--green-bg); }
.band.amber { color: var(--amber); background: var(--amber-bg); }
.band.red { color: var(--red); background: var(--red-bg); }
.band.na { color: var(--na); background: var(--na-bg); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; }
.card { border: 1px solid var(--line); border-left-width: 5px; border-radius: 4px; padding: 6px 8px; }
.card.green { border-left-color: var(--green); } .card.amber { border-left-color: var(--amber); }
.card.red { border-left-color: var(--red); } .card.na { border-left-color: var(--na); }
.card h3 { margin: 0; font-size: 13px; }
.card .value { font-size: 22px; font-weight: 700; }
.card ul { margin: 4px 0; padding-left: 16px; font-size: 12px; }
.card .next { font-size: 12px; color: var(--muted); }

.timeline { list-style: none; margin: 0; padding: 0; max-height: 320px; overflow: auto; }
.timeline li { padding: 4px 0; border-bottom: 1px solid var(--line); }
.timeline .sev { font-weight: 700; margin-right: 4px; }
.timeline .sev.warning { color: var(--amber); } .timeline .sev.critical { color: var(--red); } .timeline .sev.info { color: var(--green); }
.timeline .causes { margin: 4px 0 0 18px; }
.runbook ol { margin: 0 0 8px; padding-left: 20px; }
.runbook .done::marker { color: var(--green); }

.topology { width: 100%; height: auto; min-height: 220px; }
.topology .node rect { fill: #fff; stroke: #4a5568; stroke-width: 1.5; rx: 6; }
.topology .node text { font-size: 12px; fill: var(--ink); }
.topology .node text.sub { font-size: 10px; fill: var(--muted); }
.topology .node:focus rect, .topology .node.selected rect { stroke: var(--focus); stroke-width: 3; }
.topology .edge { fill: none; stroke: #a0aec0; stroke-width: 1.5; }
.topology .edge.transport { stroke-width: 3; cursor: pointer; }
.topology .edge.active { stroke: var(--green); stroke-width: 5; }
.topology .edge.standby { stroke: #cbd5e0; stroke-dasharray: 6 4; }
.topology .edge.na { stroke: #cbd5e0; stroke-dasharray: 2 4; }
.topology .edge-label { font-size: 11px; fill: var(--muted); }
.topology .edge-label.active { fill: var(--green); font-weight: 700; }
.topology g.transport-edge:focus .edge { stroke: var(--focus); }
.detail { font-size: 13px; background: var(--na-bg); padding: 6px 8px; border-radius: 4px; margin-top: 6px; white-space: pre-wrap; }

.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 6px; margin-bottom: 6px; }
.figures div { background: var(--na-bg); border-radius: 4px; padding: 4px 6px; }
.figures b { display: block; font-size: 16px; }
.equity { width: 100%; height: 60px; background: #fafbfc; border: 1px solid var(--line); }
.equity polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }

.blotter-tools { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
.blotter { border: 1px solid var(--line); border-radius: 4px; font-variant-numeric: tabular-nums; font-size: 13px; }
.blotter-row { display: grid; grid-template-columns: 140px minmax(180px, 2fr) 70px 50px 70px 70px 80px 1fr; gap: 6px; align-items: center; height: 24px; padding: 0 6px; white-space: nowrap; overflow: hidden; }
.blotter-row span { overflow: hidden; text-overflow: ellipsis; }
.blotter-head { font-weight: 600; background: var(--na-bg); border-bottom: 1px solid var(--line); }
.blotter-viewport { height: 300px; overflow-y: auto; position: relative; }
.blotter-spacer { position: relative; }
.blotter-rows { position: absolute; left: 0; right: 0; top: 0; }
.blotter-row:nth-child(even) { background: #fafbfc; }

.decisions { margin: 0; padding-left: 18px; max-height: 300px; overflow: auto; font-size: 13px; }
.decisions li { margin-bottom: 3px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; }

dialog { border: 1px solid var(--line); border-radius: 8px; padding: 16px; max-width: 480px; width: 90vw; }
dialog::backdrop { background: rgba(17, 24, 39, .5); }
dialog textarea { width: 100%; font: inherit; }
dialog label { display: block; margin: 8px 0 4px; font-weight: 600; }
.dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 8px; }

.login-page { display: flex; justify-content: center; align-items: flex-start; min-height: 100vh; padding-top: 12vh; }
.login { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 24px 28px; width: min(460px, 92vw); }
.login h1 { margin-top: 0; font-size: 20px; }
.login label { display: block; font-weight: 600; margin-bottom: 4px; }
.login input { width: 100%; font: inherit; padding: 6px 8px; margin-bottom: 10px; }
.login .hint { color: var(--muted); font-size: 12px; }
""";
}
