namespace HueyP.Node.Dashboard.Assets;

/// <summary>
/// The dashboard's script: one Server-Sent Events stream (/api/dashboard/stream) redraws every panel; the blotter and
/// the decision list are polled; controls go through a confirmation dialog to /api/dashboard/control.
/// </summary>
internal static class DashboardJs
{
    public const string Content = """"
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const num = (v, digits = 0) => (v === null || v === undefined || !isFinite(v)) ? 'n/a' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const pct = (v, digits = 2) => (v === null || v === undefined || !isFinite(v)) ? 'n/a' : (v * 100).toFixed(digits) + '%';
  const time = (iso) => iso ? new Date(iso).toISOString().substring(11, 19) : 'n/a';
  const BAND = { green: ['✓', 'OK'], amber: ['⚠', 'WARN'], red: ['✖', 'FAIL'], na: ['–', 'n/a'] };
  const state = { frame: null, equity: [], selected: null, orders: [], ordersTotal: 0, ordersAvailable: false, whyOpen: false, lastFrameAt: 0 };

  // ---------- live stream ----------
  function connect() {
    const source = new EventSource('/api/dashboard/stream');
    source.addEventListener('snapshot', (e) => {
      state.lastFrameAt = Date.now();
      try { render(JSON.parse(e.data)); } catch (err) { console.error(err); }
    });
    source.onerror = async () => {
      $('live').textContent = 'reconnecting…';
      $('live').className = 'chip warn';
      // A 401 means the session ended (node restarted, expired): back to the login page.
      try { const r = await fetch('/api/dashboard/state'); if (r.status === 401) location.reload(); } catch (_) { /* node down: EventSource retries */ }
    };
  }

  setInterval(() => {
    if (!state.lastFrameAt) return;
    const age = (Date.now() - state.lastFrameAt) / 1000;
    if (age > 3) { $('live').textContent = `no update for ${age.toFixed(0)} s`; $('live').className = 'chip bad'; }
  }, 1000);

  function render(frame) {
    state.frame = frame;
    $('node-name').textContent = `${frame.node} · ${frame.node_mode} · ${frame.role}`;
    const s = frame.snapshot;
    $('live').textContent = s ? `live · ${time(s.as_of)} UTC` : 'telemetry off';
    $('live').className = s ? 'chip' : 'chip warn';
    renderPill(s);
    renderWhy(s);
    renderScore(s);
    renderChips(frame, s);
    renderSlo(s);
    renderTopology(s);
    renderCards(s);
    renderTimeline(s);
    renderSymbols(s);
    renderRouter(s);
    renderAgents(s);
    renderTrading(s);
    renderDecisionCounts(s);
    renderActors(s);
    renderControls(frame);
  }

  function renderPill(s) {
    const mode = s?.mode?.mode;
    const pill = $('mode-pill');
    let cls = 'na', icon = '?';
    if (mode === 'NORMAL') { cls = 'normal'; icon = '✓'; }
    else if (mode === 'SAFE_MODE') { cls = 'safe'; icon = '✖'; }
    else if (mode) { cls = 'degraded'; icon = '⚠'; }
    pill.className = 'pill ' + cls;
    pill.querySelector('.icon').textContent = icon;
    pill.querySelector('.text').textContent = mode ?? 'n/a';
    pill.title = mode ? `engine mode ${mode}` : 'this node has no mode ladder';
  }

  function renderWhy(s) {
    const panel = $('why-panel');
    const m = s?.mode;
    let html = '';
    if (!m) html = '<p>No mode ladder on this node: nothing to explain.</p>';
    else {
      if (m.conditions.length === 0) html += `<h3>${esc(m.mode)}: no active condition</h3>`;
      else html += `<h3>${esc(m.mode)} because:</h3><ul>` + m.conditions.map((c) =>
        `<li><b>${esc(c.mode)}</b> (${esc(c.kind)}${c.path ? ', ' + esc(c.path) : ''}) since ${time(c.since)}: ${esc(c.cause)}</li>`).join('') + '</ul>';
      if (m.last_transition) html += `<p>Last change ${time(m.last_transition.at)}: ${esc(m.last_transition.from)} → ${esc(m.last_transition.to)}: ${m.last_transition.causes.map(esc).join('; ')}</p>`;
      if (m.recovery_eta) html += `<p>Expected back to NORMAL at ${time(m.recovery_eta)} UTC (dwell ${num(m.dwell_remaining_s)} s left).</p>`;
    }
    panel.innerHTML = html;
    panel.hidden = !state.whyOpen;
  }

  $('why-mode').addEventListener('click', () => {
    state.whyOpen = !state.whyOpen;
    $('why-mode').setAttribute('aria-expanded', String(state.whyOpen));
    $('why-panel').hidden = !state.whyOpen;
  });

  function renderScore(s) {
    const score = s?.scores?.overall;
    const gauge = $('gauge');
    const v = (score === null || score === undefined) ? null : Math.max(0, Math.min(100, score));
    const band = v === null ? 'na' : v >= 85 ? 'green' : v >= 70 ? 'amber' : 'red';
    const colour = { green: '#48bb78', amber: '#ecc94b', red: '#f56565', na: '#718096' }[band];
    const angle = Math.PI * (1 - (v ?? 0) / 100);
    const x = 32 + 26 * Math.cos(angle), y = 34 - 26 * Math.sin(angle);
    gauge.innerHTML = `<path d="M6 34 A26 26 0 0 1 58 34" stroke="#4a5568" stroke-width="6" fill="none"/>` +
      (v === null ? '' : `<path d="M6 34 A26 26 0 0 1 ${x.toFixed(1)} ${y.toFixed(1)}" stroke="${colour}" stroke-width="6" fill="none"/>`) +
      `<text x="32" y="36" text-anchor="middle">${v === null ? 'n/a' : v.toFixed(0)}</text>`;
    gauge.setAttribute('aria-label', `overall score ${v === null ? 'n/a' : v.toFixed(0)} (${BAND[band][1]})`);
    const points = (s?.scores?.history ?? []).filter((p) => p.score !== null);
    const spark = $('sparkline');
    if (points.length < 2) { spark.innerHTML = '<text x="2" y="20" style="font-size:10px;fill:#cbd5e0">collecting…</text>'; return; }
    const t0 = Date.parse(points[0].at), t1 = Date.parse(points[points.length - 1].at) || t0 + 1;
    const line = points.map((p) => `${(((Date.parse(p.at) - t0) / Math.max(1, t1 - t0)) * 118 + 1).toFixed(1)},${(31 - p.score * 0.3).toFixed(1)}`).join(' ');
    spark.innerHTML = `<line x1="0" x2="120" y1="${31 - 85 * 0.3}" y2="${31 - 85 * 0.3}" stroke="#4a5568" stroke-dasharray="2 2"/><polyline points="${line}" fill="none" stroke="${colour}" stroke-width="1.5"/>`;
  }

  function renderChips(frame, s) {
    const veto = s?.mode?.conditions?.find((c) => c.kind === 'RiskVeto');
    const riskChip = $('risk-veto');
    if (!s?.mode) { riskChip.textContent = 'Risk veto: n/a'; riskChip.className = 'chip'; }
    else if (veto) { riskChip.textContent = '✖ Risk veto: ACTIVE — ' + veto.cause; riskChip.className = 'chip bad'; }
    else { riskChip.textContent = '✓ Risk veto: none'; riskChip.className = 'chip'; }
    const cluster = s?.cluster;
    $('cluster').textContent = cluster ? `Cluster: ${cluster.role} · epoch ${cluster.epoch}` : `Cluster: ${frame.role} · epoch n/a`;
    $('cluster').className = cluster && cluster.role !== 'active' ? 'chip warn' : 'chip';
    const kill = $('kill-state');
    if (!s?.kill_switch) { kill.textContent = 'Kill switch: n/a'; kill.className = 'chip'; }
    else if (s.kill_switch.active) { kill.textContent = '✖ Kill switch: ON'; kill.className = 'chip bad'; }
    else { kill.textContent = '✓ Kill switch: off'; kill.className = 'chip'; }
  }

  function renderSlo(s) {
    const slo = s?.slo ?? {};
    // Sub-millisecond figures (tick to decision is often tens of microseconds) keep three decimals.
    const item = (id, label, v, unit) => `<span data-testid="slo-${id}"><b>${label}</b> ${v === null || v === undefined ? 'n/a' : num(v, v < 1 ? 3 : 1) + ' ' + unit}</span>`;
    $('slo-strip').innerHTML = item('tick', 'tick→decision p99', slo.tick_to_decision_p99_ms, 'ms') + item('ack', 'order ack p99', slo.order_ack_p99_ms, 'ms') +
      item('journal', 'journal write p99', slo.journal_write_p99_ms, 'ms') + item('bridge', 'bridge round trip', slo.bridge_round_trip_ms, 'ms') +
      `<span data-testid="slo-budget"><b>error budget left</b> ${pct(slo.error_budget_left_frac, 1)}</span>` +
      `<span><b>time in NORMAL</b> ${pct(s?.kpis?.time_in_normal_frac, 1)}</span>`;
  }

  // ---------- topology ----------
  function renderTopology(s) {
    const svg = $('topology');
    const symbols = s?.symbols ?? [];
    const router = s?.router;
    const rows = Math.max(1, symbols.length);
    const height = Math.max(230, rows * 50 + 60);
    svg.setAttribute('viewBox', `0 0 900 ${height}`);
    const mid = height / 2;
    const box = (id, x, y, w, title, sub) =>
      `<g class="node${state.selected === id ? ' selected' : ''}" tabindex="0" role="button" data-id="${esc(id)}" aria-label="${esc(title + ': ' + sub)}">` +
      `<rect x="${x}" y="${y}" width="${w}" height="40"/><text x="${x + 8}" y="${y + 17}">${esc(title)}</text><text class="sub" x="${x + 8}" y="${y + 32}">${esc(sub)}</text></g>`;
    let edges = '', nodes = '';
    const ticks = s?.ticks_total ?? 0;
    nodes += box('feeds', 10, mid - 20, 110, 'Feeds', `${num(ticks)} ticks`);
    symbols.forEach((sym, i) => {
      const y = 30 + i * 50 + (height - 60 - rows * 50) / 2;
      edges += `<path class="edge" d="M120 ${mid} C150 ${mid} 150 ${y + 20} 180 ${y + 20}"/>`;
      edges += `<path class="edge" d="M310 ${y + 20} C330 ${y + 20} 330 ${mid} 350 ${mid}"/>`;
      nodes += box('symbol:' + sym.symbol, 180, y, 130, sym.symbol, `${num(sym.ticks_per_s, 1)} ticks/s · ${sym.state}`);
    });
    if (symbols.length === 0) { edges += `<path class="edge na" d="M120 ${mid} L350 ${mid}"/>`; }
    const d = s?.decisions;
    nodes += box('gates', 350, mid - 20, 140, 'Gates + agents', d ? `${num(d.signals)} signals` : 'n/a');
    edges += `<path class="edge" d="M490 ${mid} L530 ${mid}"/>`;
    const orders = s?.orders_by_state ? Object.values(s.orders_by_state).reduce((a, b) => a + b, 0) : null;
    nodes += box('orders', 530, mid - 20, 120, 'Orders', orders === null ? (d ? `${num(d.intents)} intents` : 'n/a') : `${num(orders)} orders`);
    nodes += box('broker', 780, mid - 20, 110, 'Broker', s?.kill_switch?.active ? 'kill switch ON' : (s?.nav?.nav_total != null ? 'NAV ' + num(s.nav.nav_total, 0) : 'paper'));
    const transports = router?.transports ?? [];
    transports.forEach((t, i) => {
      const offset = (i - (transports.length - 1) / 2) * 36;
      const cls = router.active_transport === null || router.active_transport === undefined ? 'na' : (t.active ? 'active' : 'standby');
      const path = `M650 ${mid} C700 ${mid + offset} 730 ${mid + offset} 780 ${mid}`;
      edges += `<g class="transport-edge" tabindex="0" role="button" data-id="transport:${esc(t.name)}" data-transport="${esc(t.name)}" data-state="${cls}" aria-label="transport ${esc(t.name)}: ${cls}">` +
        `<title>${esc(t.name)}: ${esc(t.status)}, latency ${num(t.latency_ms, 1)} ms, drop ${pct(t.drop_rate)}, failures ${t.failures ?? 'n/a'}, in ${num(t.received_per_s, 1)}/s</title>` +
        `<path class="edge transport ${cls}" d="${path}"/><text class="edge-label ${cls}" x="715" y="${mid + offset * 0.75 - 4}" text-anchor="middle">${esc(t.name)}${t.active ? ' ●' : ''}` +
        `${t.latency_ms != null ? ' ' + num(t.latency_ms, 1) + ' ms' : ''}${t.drop_rate ? ' ' + pct(t.drop_rate, 1) + ' drop' : ''}</text></g>`;
    });
    if (transports.length === 0) edges += `<path class="edge na" d="M650 ${mid} L780 ${mid}"/>`;
    svg.innerHTML = edges + nodes;
    if (state.selected) showDetail(state.selected);
  }

  function showDetail(id) {
    const s = state.frame?.snapshot;
    let text = '';
    if (id === 'feeds') text = `Feeds: ${num(s?.ticks_total)} ticks in total.`;
    else if (id.startsWith('symbol:')) {
      const sym = s?.symbols.find((x) => 'symbol:' + x.symbol === id);
      text = sym ? `${sym.symbol}: state ${sym.state}, ${num(sym.quotes)} ticks (${num(sym.ticks_per_s, 1)}/s), ${num(sym.signals)} signals, ${num(sym.intents)} intents, ${sym.restarts} restarts, last quote ${sym.last_quote_utc ?? 'n/a'}` : 'gone';
    } else if (id === 'gates') {
      const d = s?.decisions;
      text = d ? `Decisions: ${num(d.signals)} signals, ${num(d.intents)} intents; rejections: ` + Object.entries(d.rejections_by_reason).map(([k, v]) => `${k} ${v}`).join(', ') : 'no decision recorder';
    } else if (id === 'orders') text = s?.orders_by_state ? 'Orders by state: ' + Object.entries(s.orders_by_state).map(([k, v]) => `${k} ${v}`).join(', ') : 'no order side on this node';
    else if (id === 'broker') text = s?.kill_switch ? `Kill switch ${s.kill_switch.active ? 'ON' : 'off'}${s.kill_switch.reason ? ' — ' + s.kill_switch.reason : ''}` : 'no order side on this node';
    else if (id.startsWith('transport:')) {
      const t = s?.router?.transports.find((x) => 'transport:' + x.name === id);
      text = t ? `${t.name}: ${t.status}; latency ${num(t.latency_ms, 1)} ms, drop ${pct(t.drop_rate)}, failures ${t.failures ?? 'n/a'}, received ${num(t.received_per_s, 1)}/s${t.last_error ? ', last error: ' + t.last_error : ''}` : 'gone';
    }
    $('topology-detail').textContent = text;
  }

  function selectTopology(target) {
    const el = target.closest('[data-id]');
    if (!el) return;
    state.selected = el.getAttribute('data-id');
    document.querySelectorAll('#topology .node').forEach((n) => n.classList.toggle('selected', n.getAttribute('data-id') === state.selected));
    showDetail(state.selected);
  }
  $('topology').addEventListener('click', (e) => selectTopology(e.target));
  $('topology').addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectTopology(e.target); } });

  // ---------- panels ----------
  function renderCards(s) {
    const cards = s?.scores?.cards ?? [];
    $('gate-cards').innerHTML = cards.map((c) => {
      const [icon, word] = BAND[c.band] ?? BAND.na;
      return `<div class="card ${c.band}" data-testid="gate-${esc(c.name.toLowerCase().replace(/ /g, '-'))}"><h3>${esc(c.name)}</h3>` +
        `<div><span class="value">${c.score === null ? 'n/a' : num(c.score)}</span> <span class="band ${c.band}"><span aria-hidden="true">${icon}</span> ${word}</span></div>` +
        `<ul>${c.key_metrics.map((m) => `<li>${esc(m)}</li>`).join('')}${c.failing.map((f) => `<li class="error">✖ ${esc(f)}</li>`).join('')}</ul>` +
        `<div class="next">Next: ${esc(c.next_step)}</div></div>`;
    }).join('') + (s ? `<p class="muted">scores from ${esc(s.scores.source)}; green ≥ 85, amber 70–84, red &lt; 70</p>` : '');
  }

  const openCauses = new Set();
  function renderTimeline(s) {
    const m = s?.mode;
    const steps = m?.runbook ?? [];
    $('runbook').innerHTML = steps.length === 0 ? '' : '<h3>Repair</h3><ol>' + steps.map((r) =>
      `<li class="${r.state}">${r.state === 'done' ? '✓' : r.state === 'running' ? '…' : '○'} ${esc(r.step)}</li>`).join('') + '</ol>' +
      (m.recovery_eta ? `<p>Estimated recovery ${time(m.recovery_eta)} UTC</p>` : '<p class="muted">Recovery estimate: once every gate is good the dwell starts.</p>');
    const events = s?.timeline ?? [];
    if (events.length === 0) { $('timeline').innerHTML = '<li class="muted">No incidents since the node started.</li>'; return; }
    $('timeline').innerHTML = events.map((e, i) => {
      const key = e.at + e.kind + e.summary;
      const open = openCauses.has(key);
      const why = (e.why ?? []).length > 0
        ? ` <button type="button" class="link why-event" data-key="${esc(key)}" aria-expanded="${open}">Why?</button>` +
          (open ? `<ul class="causes">${e.why.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '')
        : '';
      const icon = e.severity === 'critical' ? '✖' : e.severity === 'warning' ? '⚠' : '✓';
      return `<li data-kind="${esc(e.kind)}"><span class="sev ${esc(e.severity)}">${icon} ${esc(e.severity)}</span> ${time(e.at)} ${esc(e.summary)}${why}</li>`;
    }).join('');
  }
  $('timeline').addEventListener('click', (e) => {
    const button = e.target.closest('.why-event');
    if (!button) return;
    const key = button.getAttribute('data-key');
    if (openCauses.has(key)) openCauses.delete(key); else openCauses.add(key);
    renderTimeline(state.frame?.snapshot);
  });

  function renderSymbols(s) {
    const symbols = s?.symbols ?? [];
    $('symbols').innerHTML = symbols.length === 0 ? '<tr><td colspan="6" class="muted">n/a</td></tr>' : symbols.map((x) =>
      `<tr data-symbol="${esc(x.symbol)}" title="${x.restarts} restart(s)"><th scope="row">${esc(x.symbol)}</th><td>${esc(x.state)}</td><td class="num" data-testid="ticks-${esc(x.symbol)}">${num(x.quotes)}</td>` +
      `<td class="num">${num(x.ticks_per_s, 1)}</td><td class="num">${num(x.signals)}</td><td class="num">${num(x.intents)}</td></tr>`).join('');
    $('ticks-total').textContent = s ? `${num(s.ticks_total)} ticks in total` : '';
  }

  function renderRouter(s) {
    const r = s?.router;
    if (!r) { $('router').innerHTML = '<p class="muted">n/a</p>'; return; }
    const rows = r.transports.map((t) => `<tr data-transport-row="${esc(t.name)}"><th scope="row">${esc(t.name)}</th><td>${t.active ? '● active' : esc(t.status)}</td><td class="num">${num(t.latency_ms, 1)}</td><td class="num">${pct(t.drop_rate)}</td><td class="num">${t.failures ?? 'n/a'}</td><td class="num">${num(t.received_per_s, 1)}</td></tr>`).join('');
    const errors = r.transports.filter((t) => t.last_error).map((t) => `<li>${esc(t.name)}: ${esc(t.last_error)}</li>`).join('');
    const ob = r.outbox;
    $('router').innerHTML = `<p>Route: <b data-testid="active-transport">${esc(r.active_transport ?? 'n/a')}</b> (primary ${esc(r.primary_transport)})` +
      `${r.on_fallback ? ' — <span class="band amber">⚠ on fallback</span>' : ''}; on fallback ${pct(r.fallback_ratio, 1)} of uptime.</p>` +
      (r.last_change ? `<p>Last change ${time(r.last_change.at)}: ${esc(r.last_change.from ?? 'none')} → ${esc(r.last_change.to ?? 'none')}: ${esc(r.last_change.reason)}</p>` : '') +
      `<table class="table"><thead><tr><th scope="col">Transport</th><th scope="col">Status</th><th scope="col" class="num">Latency ms</th><th scope="col" class="num">Drop</th><th scope="col" class="num">Failures</th><th scope="col" class="num">In/s</th></tr></thead><tbody>${rows}</tbody></table>` +
      (errors ? `<p>Last errors:</p><ul>${errors}</ul>` : '') +
      `<p>Outbox: depth ${ob?.depth ?? 'n/a'}, oldest ${ob?.oldest_age_s == null ? 'n/a' : num(ob.oldest_age_s, 1) + ' s'}, in ${ob?.enqueue_per_s == null ? 'n/a' : num(ob.enqueue_per_s, 1) + '/s'}, out ${ob?.dequeue_per_s == null ? 'n/a' : num(ob.dequeue_per_s, 1) + '/s'}</p>` +
      (s.breakers.length ? '<h3>Breakers</h3><ul>' + s.breakers.map((b) => `<li>${b.status === 'closed' ? '✓' : '✖'} ${esc(b.dependency)}: ${esc(b.status)}${b.last_cause ? ' — ' + esc(b.last_cause) : ''}</li>`).join('') + '</ul>' : '');
  }

  function renderAgents(s) {
    const agents = s?.agents;
    if (!agents || agents.length === 0) { $('agents').innerHTML = '<p class="muted">No votes yet.</p>'; return; }
    const symbols = [...new Set(agents.flatMap((a) => a.latest.map((v) => v.symbol)))].sort();
    const head = '<tr><th scope="col">Agent</th>' + symbols.map((x) => `<th scope="col">${esc(x)}</th>`).join('') + '</tr>';
    const rows = agents.map((a) => `<tr><th scope="row">${esc(a.agent)}</th>` + symbols.map((sym) => {
      const v = a.latest.find((x) => x.symbol === sym);
      if (!v) return '<td class="muted">–</td>';
      return `<td title="${esc(v.reason)}" class="${v.veto ? 'error' : ''}">${v.veto ? '✖ ' : ''}${esc(v.action)} ${num(v.confidence, 2)}</td>`;
    }).join('') + '</tr>').join('');
    $('agents').innerHTML = `<table class="table"><thead>${head}</thead><tbody>${rows}</tbody></table><p class="muted">✖ = veto (HOLD or EMERGENCY_STOP); hover for the reason.</p>`;
  }

  function renderTrading(s) {
    const nav = s?.nav;
    const risk = s?.risk;
    const fig = (label, value) => `<div>${label}<b>${value}</b></div>`;
    $('nav').innerHTML = fig('NAV', nav?.nav_total == null ? 'n/a' : num(nav.nav_total, 2) + (nav.stale ? ' ⚠ stale' : '')) + fig('Cash', num(nav?.cash, 2)) +
      fig('Unrealized', num(nav?.unrealized_pnl, 2)) + fig('Realized', num(nav?.realized_pnl, 2)) + fig('Daily P&amp;L', num(nav?.daily_pnl, 2)) +
      fig('Drawdown', pct(risk?.dd_frac)) + fig('Fills', s?.kpis?.fills ?? 'n/a');
    if (nav?.nav_total != null) {
      const last = state.equity[state.equity.length - 1];
      if (!last || last.at !== nav.nav_at) state.equity.push({ at: nav.nav_at, v: nav.nav_total });
      if (state.equity.length > 900) state.equity.shift();
    }
    const eq = state.equity;
    if (eq.length >= 2) {
      const min = Math.min(...eq.map((p) => p.v)), max = Math.max(...eq.map((p) => p.v));
      const span = max - min || 1;
      $('equity').innerHTML = `<polyline points="${eq.map((p, i) => `${(i / (eq.length - 1) * 300).toFixed(1)},${(58 - (p.v - min) / span * 56).toFixed(1)}`).join(' ')}"/>`;
    } else $('equity').innerHTML = '<text x="4" y="34" style="font-size:11px;fill:#5a6472">equity curve: n/a</text>';
    const positions = s?.positions?.positions;
    $('positions').innerHTML = !positions ? '<tr><td colspan="5" class="muted">n/a (no ledger on this node)</td></tr>'
      : positions.length === 0 ? '<tr><td colspan="5" class="muted">flat</td></tr>'
      : positions.map((p) => `<tr><th scope="row">${esc(p.symbol)}</th><td class="num">${num(p.quantity)}</td><td class="num">${num(p.average_price, 5)}</td><td class="num">${num(p.unrealized_pnl, 2)}</td><td class="num">${num(p.realized_pnl, 2)}</td></tr>`).join('');
  }

  function renderDecisionCounts(s) {
    const d = s?.decisions;
    $('decision-counts').textContent = d ? `${num(d.signals)} signals, ${num(d.intents)} intents; ` +
      (Object.entries(d.rejections_by_reason).map(([k, v]) => `${k}: ${v}`).join(', ') || 'no rejections') : 'n/a';
  }

  function renderActors(s) {
    const actors = s?.busiest_actors ?? [];
    $('actors').innerHTML = actors.length === 0 ? '<tr><td colspan="2" class="muted">n/a</td></tr>' : actors.slice(0, 8).map((a) =>
      `<tr><td title="${esc(a.type)}">${esc(a.path.replace(/^akka:\/\/[^/]+/, ''))}</td><td class="num">${a.mailbox}</td></tr>`).join('');
  }

  function renderControls(frame) {
    document.querySelectorAll('.controls button').forEach((b) => {
      const c = frame.controls?.[b.getAttribute('data-action')];
      const available = c?.available === true;
      b.setAttribute('aria-disabled', String(!available));
      b.title = available ? '' : (c?.why ?? 'not available');
    });
    const kill = document.querySelector('[data-action="kill_switch"]');
    kill.textContent = frame.snapshot?.kill_switch?.active ? 'Release kill switch…' : 'Kill switch…';
    document.querySelector('[data-action="hold_entries"]').textContent = frame.snapshot?.mode?.hold ? 'Release hold on entries…' : 'Hold new entries…';
  }

  // ---------- decisions and blotter (polled) ----------
  async function pollDecisions() {
    if (document.hidden) return;
    try {
      const r = await fetch('/api/decisions/tail?n=15');
      if (!r.ok) return;
      const body = await r.json();
      const records = (body.records ?? []).slice().reverse();
      $('decisions').innerHTML = records.length === 0 ? '<li class="muted">none yet</li>' : records.map((rec) => {
        const intent = rec.order_intent ?? rec.OrderIntent;
        const verdict = rec.policy?.verdict ?? (intent ? 'APPROVE' : 'REJECT');
        const reasons = (rec.policy?.reasons ?? []).map((x) => x.code ?? x.message).filter(Boolean).join(', ');
        return `<li>${esc(rec.symbol ?? '')} ${esc(rec.decision_time_utc ?? rec.time ?? '')}: <b>${esc(verdict)}</b>${reasons ? ' — ' + esc(reasons) : ''}</li>`;
      }).join('');
    } catch (_) { /* next poll */ }
  }

  const ROW = 24;
  async function pollOrders() {
    if (document.hidden) return;
    try {
      const filter = encodeURIComponent($('blotter-filter').value.trim());
      const r = await fetch(`/api/dashboard/orders?filter=${filter}`);
      if (!r.ok) return;
      const body = await r.json();
      state.orders = body.orders; state.ordersTotal = body.total; state.ordersAvailable = body.available;
      $('blotter-count').textContent = body.available ? `${num(body.orders.length)} shown of ${num(body.total)}` : 'n/a (no order side on this node)';
      $('blotter-spacer').style.height = (state.orders.length * ROW) + 'px';
      drawRows();
    } catch (_) { /* next poll */ }
  }

  // Only the rows in view exist in the page: 10,000+ orders scroll as smoothly as ten.
  function drawRows() {
    const viewport = $('blotter-viewport');
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 5);
    const count = Math.ceil(viewport.clientHeight / ROW) + 10;
    const slice = state.orders.slice(first, first + count);
    const rows = $('blotter-rows');
    rows.style.top = (first * ROW) + 'px';
    rows.innerHTML = slice.map((o) => `<div class="blotter-row" role="row" title="${esc(o.reason ?? '')}"><span>${esc(String(o.decision_time_utc).substring(0, 19).replace('T', ' '))}</span>` +
      `<span>${esc(o.id)}</span><span>${esc(o.symbol)}</span><span>${esc(o.side)}</span><span class="num">${num(o.quantity)}</span><span class="num">${num(o.filled)}</span>` +
      `<span class="num">${o.avg_price === null ? '' : num(o.avg_price, 5)}</span><span>${esc(o.status)}</span></div>`).join('');
  }
  $('blotter-viewport').addEventListener('scroll', drawRows, { passive: true });
  let filterTimer = 0;
  $('blotter-filter').addEventListener('input', () => { clearTimeout(filterTimer); filterTimer = setTimeout(pollOrders, 200); });

  // ---------- guarded controls ----------
  const CONTROL_TEXT = {
    kill_switch: (on) => on
      ? ['Release the kill switch?', 'New orders will be accepted again.', 'kill_switch_off']
      : ['Engage the kill switch?', 'The order intake refuses every new order until the switch is released. Working orders are not canceled.', 'kill_switch_on'],
    hold_entries: (held) => held
      ? ['Release the hold on new entries?', 'New positions may be opened again once the health ladder allows it.', 'release_entries']
      : ['Hold new entries?', 'No new positions are opened (DEGRADED_EXEC at least) until released; exits, stops and take-profits are still managed. Journaled: it survives a restart.', 'hold_entries'],
    force_transport: () => ['Force a transport?', 'The bridge router sends every message over the transport chosen below (auto: the router chooses again, best healthy path first).', 'force_transport'],
    step_down: () => ['Step down?', 'This node gives up the active role; the standby takes over.', 'step_down'],
  };
  let pending = null;

  document.querySelectorAll('.controls button').forEach((b) => b.addEventListener('click', () => {
    const kind = b.getAttribute('data-action');
    const on = kind === 'kill_switch' ? state.frame?.snapshot?.kill_switch?.active === true
      : kind === 'hold_entries' ? !!state.frame?.snapshot?.mode?.hold : false;
    const [title, text, action] = CONTROL_TEXT[kind](on);
    pending = { action, button: b };
    $('confirm-title').textContent = title;
    const c = state.frame?.controls?.[kind];
    $('confirm-text').textContent = text + (c && !c.available ? ` (Not available on this node: ${c.why}.)` : '');
    // The transports the bridge reports (socket, pipe, spool when it runs none yet); the name goes to the server as `transport`.
    const names = (state.frame?.snapshot?.router?.transports ?? []).map((t) => t.name).filter(Boolean);
    const priority = ['socket', 'pipe', 'spool'];
    const rank = (t) => priority.indexOf(t) < 0 ? priority.length : priority.indexOf(t);
    // Best first, as the router fails over.
    const transports = (names.length > 0 ? names : priority).slice().sort((a, b) => rank(a) - rank(b));
    $('confirm-extra').innerHTML = kind === 'force_transport'
      ? '<label for="confirm-transport">Transport</label><select id="confirm-transport" data-testid="confirm-transport">' +
        [...transports, 'auto'].map((t) => `<option value="${esc(t)}">${esc(t)}</option>`).join('') + '</select>' : '';
    $('confirm-reason').value = '';
    $('confirm-error').textContent = '';
    $('confirm').showModal();
    $('confirm-reason').focus();
  }));

  $('confirm-cancel').addEventListener('click', () => { pending = null; $('confirm').close(); });

  $('confirm-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const reason = $('confirm-reason').value.trim();
    if (reason.length < 3) { $('confirm-error').textContent = 'Say why (at least 3 characters): the audit log keeps it.'; return; }
    if (!pending) return;
    const body = { action: pending.action, reason, confirm: true, transport: $('confirm-transport')?.value ?? null };
    const headers = { 'Content-Type': 'application/json', 'X-HueyP-Dashboard': '1' };
    // Headers carry ASCII only; the body always has the reason as typed.
    headers['X-HueyP-Reason'] = /^[\x20-\x7e]*$/.test(reason) ? reason : encodeURIComponent(reason);
    const button = pending.button;
    pending = null;
    $('confirm').close();
    try {
      const r = await fetch('/api/dashboard/control', { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await r.json().catch(() => ({}));
      $('control-result').textContent = r.ok ? `✓ ${body.action} done (audited).` : `✖ ${body.action} refused (${r.status}): ${answer.error ?? 'no detail'} — the attempt is in the audit log.`;
      $('control-result').className = r.ok ? '' : 'error';
    } catch (err) {
      $('control-result').textContent = `✖ ${body.action} failed: ${err}`;
    }
    button.focus();
  });

  connect();
  pollOrders();
  pollDecisions();
  setInterval(pollOrders, 2000);
  setInterval(pollDecisions, 5000);
})();
"""";
}
