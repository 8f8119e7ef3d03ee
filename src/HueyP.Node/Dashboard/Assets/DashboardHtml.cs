namespace HueyP.Node.Dashboard.Assets;

/// <summary>The dashboard page; dashboard.js fills it from /api/dashboard/stream.</summary>
internal static class DashboardHtml
{
    public const string Content = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HueyP flight deck</title>
<link rel="icon" href="/assets/favicon.svg">
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body>
<a class="skip" href="#main">Skip to the panels</a>
<header class="topbar">
  <div class="brand"><strong>HueyP</strong> <span id="node-name">…</span></div>
  <div class="pill-wrap">
    <span id="mode-pill" class="pill na" data-testid="mode-pill" role="status" aria-live="polite"><span class="icon" aria-hidden="true">?</span> <span class="text">n/a</span></span>
    <button id="why-mode" type="button" class="link" aria-expanded="false" aria-controls="why-panel">Why?</button>
  </div>
  <div class="score" title="Overall score: the worst of the gate scores, 0..100">
    <svg id="gauge" viewBox="0 0 64 40" width="64" height="40" role="img" aria-label="overall score n/a"></svg>
    <svg id="sparkline" viewBox="0 0 120 32" width="120" height="32" role="img" aria-label="overall score over the last 15 minutes"></svg>
  </div>
  <span class="chip" id="risk-veto" data-testid="risk-veto">Risk veto: n/a</span>
  <span class="chip" id="cluster" data-testid="cluster">Cluster: n/a</span>
  <span class="chip" id="kill-state" data-testid="kill-state">Kill switch: n/a</span>
  <span class="chip" id="live" data-testid="live" role="status">connecting…</span>
  <form method="post" action="/logout" class="logout"><button type="submit">Log out</button></form>
</header>
<section id="why-panel" class="why" hidden aria-live="polite" data-testid="why-panel"></section>
<div id="slo-strip" class="slo" aria-label="Service level objectives" data-testid="slo-strip"></div>
<main id="main" class="grid">
  <section class="panel wide" aria-labelledby="h-topology">
    <h2 id="h-topology">Topology</h2>
    <svg id="topology" class="topology" role="group" aria-label="feeds, symbols, gates and agents, orders, broker; transports as edges"></svg>
    <div id="topology-detail" class="detail" aria-live="polite">Select a node or an edge (click, or Tab then Enter) for detail.</div>
  </section>
  <section class="panel" aria-labelledby="h-gates">
    <h2 id="h-gates">Gates</h2>
    <div id="gate-cards" class="cards"></div>
  </section>
  <section class="panel" aria-labelledby="h-incidents">
    <h2 id="h-incidents">Incidents</h2>
    <div id="runbook" class="runbook"></div>
    <ol id="timeline" class="timeline" data-testid="timeline"></ol>
  </section>
  <section class="panel" aria-labelledby="h-symbols">
    <h2 id="h-symbols">Symbols</h2>
    <table class="table"><thead><tr><th scope="col">Symbol</th><th scope="col">State</th><th scope="col" class="num">Ticks</th><th scope="col" class="num">Ticks/s</th><th scope="col" class="num">Signals</th><th scope="col" class="num">Intents</th></tr></thead>
      <tbody id="symbols"></tbody></table>
    <p id="ticks-total" class="muted"></p>
  </section>
  <section class="panel" aria-labelledby="h-router">
    <h2 id="h-router">Router and outbox</h2>
    <div id="router"></div>
  </section>
  <section class="panel" aria-labelledby="h-agents">
    <h2 id="h-agents">Agent consensus</h2>
    <div id="agents"></div>
  </section>
  <section class="panel" aria-labelledby="h-trading">
    <h2 id="h-trading">Positions, P&amp;L and equity</h2>
    <div id="nav" class="figures"></div>
    <svg id="equity" class="equity" viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-label="equity curve since this page opened"></svg>
    <table class="table"><thead><tr><th scope="col">Symbol</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Avg</th><th scope="col" class="num">Unrealized</th><th scope="col" class="num">Realized</th></tr></thead>
      <tbody id="positions"></tbody></table>
  </section>
  <section class="panel wide" aria-labelledby="h-blotter">
    <h2 id="h-blotter">Order blotter</h2>
    <div class="blotter-tools">
      <label for="blotter-filter">Filter</label>
      <input id="blotter-filter" type="search" placeholder="symbol, status, side or id" spellcheck="false">
      <span id="blotter-count" class="muted" aria-live="polite"></span>
    </div>
    <div class="blotter" role="table" aria-label="orders">
      <div class="blotter-row blotter-head" role="row"><span role="columnheader">Time (UTC)</span><span role="columnheader">Id</span><span role="columnheader">Symbol</span><span role="columnheader">Side</span><span role="columnheader" class="num">Qty</span><span role="columnheader" class="num">Filled</span><span role="columnheader" class="num">Avg</span><span role="columnheader">Status</span></div>
      <div id="blotter-viewport" class="blotter-viewport" tabindex="0" aria-label="order rows, scroll with the arrow keys">
        <div id="blotter-spacer" class="blotter-spacer"><div id="blotter-rows" class="blotter-rows"></div></div>
      </div>
    </div>
  </section>
  <section class="panel" aria-labelledby="h-decisions">
    <h2 id="h-decisions">Recent decisions</h2>
    <div id="decision-counts" class="muted"></div>
    <ol id="decisions" class="decisions"></ol>
  </section>
  <section class="panel" aria-labelledby="h-controls">
    <h2 id="h-controls">Controls</h2>
    <p class="muted">Read-only until you confirm: each control asks for a reason and is written to the audit log.</p>
    <div class="controls">
      <button type="button" class="danger" data-action="kill_switch" data-testid="kill-switch">Kill switch…</button>
      <button type="button" data-action="hold_entries" data-testid="hold-entries">Hold new entries…</button>
      <button type="button" data-action="force_transport" data-testid="force-transport">Force transport…</button>
      <button type="button" data-action="step_down" data-testid="step-down">Step down…</button>
    </div>
    <p id="control-result" role="status" aria-live="polite" data-testid="control-result"></p>
  </section>
  <section class="panel" aria-labelledby="h-actors">
    <h2 id="h-actors">Busiest mailboxes</h2>
    <table class="table"><thead><tr><th scope="col">Actor</th><th scope="col" class="num">Mailbox</th></tr></thead><tbody id="actors"></tbody></table>
  </section>
</main>
<dialog id="confirm" aria-labelledby="confirm-title" data-testid="confirm-dialog">
  <form id="confirm-form" method="dialog" novalidate>
    <h2 id="confirm-title">Confirm</h2>
    <p id="confirm-text"></p>
    <div id="confirm-extra"></div>
    <label for="confirm-reason">Reason (required; written to the audit log)</label>
    <textarea id="confirm-reason" rows="3" required minlength="3" data-testid="confirm-reason"></textarea>
    <p id="confirm-error" class="error" role="alert"></p>
    <div class="dialog-buttons">
      <button type="button" id="confirm-cancel">Cancel</button>
      <button type="submit" id="confirm-ok" class="danger" data-testid="confirm-ok">Confirm</button>
    </div>
  </form>
</dialog>
<script src="/assets/dashboard.js"></script>
</body>
</html>
""";
}
