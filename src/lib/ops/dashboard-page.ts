/**
 * The operations dashboard (GET /api/ops): one page of plain HTML, CSS and JavaScript, no external
 * script or font (the app has no CDN to reach and an operator's browser should not need one). It reads
 * GET /api/ops/state every 5 s and follows GET /api/ops/events (Server-Sent Events) for jobs; a `code`
 * query parameter (the admin key in Azure) is passed on to both.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TripGen AI — Operations</title>
<style>
  :root { --bg:#f5f6f8; --card:#fff; --ink:#1d2330; --muted:#6b7383; --ok:#1f9d55; --warn:#d97706; --bad:#dc2626; --bar:#3b82f6; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--ink); }
  header { display:flex; align-items:baseline; gap:16px; padding:14px 20px; background:#1d2330; color:#fff; }
  header h1 { margin:0; font-size:18px; } header span { color:#b8c0cc; font-size:12px; }
  main { display:grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap:14px; padding:14px; }
  section { background:var(--card); border-radius:8px; padding:12px 14px; box-shadow:0 1px 2px rgba(0,0,0,.08); }
  section.wide { grid-column: 1 / -1; }
  h2 { margin:0 0 8px; font-size:14px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
  table { width:100%; border-collapse:collapse; } th, td { text-align:left; padding:4px 6px; border-bottom:1px solid #eef0f3; font-size:13px; }
  th { color:var(--muted); font-weight:600; } td.num { text-align:right; font-variant-numeric: tabular-nums; }
  .badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; color:#fff; background:var(--muted); }
  .badge.queued { background:#64748b; } .badge.processing { background:var(--bar); } .badge.completed { background:var(--ok); }
  .badge.failed { background:var(--bad); } .badge.cancelled { background:var(--warn); }
  .progress { position:relative; height:14px; background:#e5e7eb; border-radius:7px; overflow:hidden; min-width:120px; }
  .progress > div { height:100%; background:var(--bar); transition: width .4s; }
  .progress.completed > div { background:var(--ok); } .progress.failed > div { background:var(--bad); }
  .progress > span { position:absolute; inset:0; font-size:10px; text-align:center; line-height:14px; color:#111; }
  .bad { color:var(--bad); font-weight:600; } .ok { color:var(--ok); font-weight:600; } .muted { color:var(--muted); }
  .reason { font-family: ui-monospace, monospace; font-size:12px; color:var(--bad); word-break:break-word; }
  .split { display:flex; height:18px; border-radius:4px; overflow:hidden; margin:4px 0 8px; font-size:11px; color:#fff; }
  .split div { display:flex; align-items:center; justify-content:center; }
  svg text { font-size:10px; fill:var(--muted); }
</style>
</head>
<body>
<header><h1>TripGen AI — Operations</h1><span id="updated">connecting…</span><span id="live" class="muted"></span></header>
<main>
  <section><h2>Jobs by workflow</h2><table id="counts"><thead><tr><th>Workflow</th><th>queued</th><th>processing</th><th>completed</th><th>failed</th><th>cancelled</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Queues</h2><table id="queues"><thead><tr><th>Queue</th><th class="num">Active</th><th class="num">Dead letters</th></tr></thead><tbody></tbody></table><div id="queues-error" class="reason"></div></section>
  <section class="wide"><h2>Live jobs</h2><table id="jobs"><thead><tr><th>Job</th><th>Workflow</th><th>Status</th><th>Step</th><th>Progress</th><th>Updated</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Last failures</h2><table id="failures"><thead><tr><th>Job</th><th>Workflow</th><th>Reason</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Redis health</h2><div id="redis"></div></section>
  <section><h2>Caches</h2><table id="caches"><thead><tr><th>Cache</th><th class="num">Hits</th><th class="num">Misses</th><th class="num">Hit ratio</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Models</h2><div id="models"></div></section>
  <section class="wide"><h2>Canary: online click-through by variant</h2><div id="chart"></div></section>
</main>
<script>
(() => {
  const code = new URLSearchParams(location.search).get('code');
  const withCode = (path) => code ? path + '?code=' + encodeURIComponent(code) : path;
  const $ = (id) => document.getElementById(id);
  const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&':'&amp;', '<':'&lt;', '>':'&gt;', '"':'&quot;', "'":'&#39;' }[c]));
  const pct = (x) => (x * 100).toFixed(1) + ' %';
  const jobs = new Map();

  function jobRow(job) {
    return '<tr data-job-id="' + esc(job.jobId) + '" data-status="' + esc(job.status) + '">' +
      '<td title="' + esc(job.jobId) + '">' + esc(job.jobId.length > 28 ? job.jobId.slice(0, 28) + '…' : job.jobId) + '</td>' +
      '<td>' + esc(job.workflow) + '</td>' +
      '<td><span class="badge ' + esc(job.status) + '">' + esc(job.status) + '</span></td>' +
      '<td>' + esc(job.step) + (job.error ? '<div class="reason" data-reason>' + esc(job.error) + '</div>' : '') + '</td>' +
      '<td><div class="progress ' + esc(job.status) + '" data-progress="' + job.progress + '"><div style="width:' + job.progress + '%"></div><span>' + job.progress + ' %</span></div></td>' +
      '<td class="muted">' + esc(new Date(job.updatedAt).toLocaleTimeString()) + '</td></tr>';
  }
  function renderJobs() {
    const list = [...jobs.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 50);
    $('jobs').tBodies[0].innerHTML = list.map(jobRow).join('') || '<tr><td colspan="6" class="muted">No jobs seen yet.</td></tr>';
    const counts = {};
    for (const j of jobs.values()) { counts[j.workflow] ??= {}; counts[j.workflow][j.status] = (counts[j.workflow][j.status] ?? 0) + 1; }
    $('counts').tBodies[0].innerHTML = Object.keys(counts).sort().map((w) => '<tr data-workflow="' + esc(w) + '"><td>' + esc(w) + '</td>' +
      ['queued','processing','completed','failed','cancelled'].map((s) => '<td class="num" data-count="' + s + '">' + (counts[w][s] ?? 0) + '</td>').join('') + '</tr>').join('');
  }
  function renderFailures(failures) {
    $('failures').tBodies[0].innerHTML = failures.map((f) => '<tr data-failed-job="' + esc(f.jobId) + '"><td>' + esc(f.jobId) + '</td><td>' + esc(f.workflow) + '</td><td class="reason">' + esc(f.reason) + '</td></tr>').join('') ||
      '<tr><td colspan="3" class="muted">None.</td></tr>';
  }
  function renderQueues(panel) {
    $('queues-error').textContent = panel.ok ? '' : panel.error;
    $('queues').tBodies[0].innerHTML = (panel.ok ? panel.value : []).map((q) => '<tr data-queue="' + esc(q.queue) + '"><td>' + esc(q.queue) + '</td><td class="num" data-active>' + q.active +
      '</td><td class="num ' + (q.deadLetter > 0 ? 'bad' : '') + '" data-dead-letters>' + q.deadLetter + '</td></tr>').join('');
  }
  function renderRedis(panel) {
    if (!panel.ok) { $('redis').innerHTML = '<div class="reason">' + esc(panel.error) + '</div>'; return; }
    const r = panel.value, t = r.thresholds;
    $('redis').innerHTML = '<div class="' + (r.healthy ? 'ok' : 'bad') + '" data-redis-healthy="' + r.healthy + '">' + (r.healthy ? 'Healthy' : 'Degraded') + '</div>' +
      '<table><thead><tr><th>Node</th><th class="num">Memory (≤ ' + t.memoryPercent + ' %)</th><th class="num">Clients (≤ ' + t.connectedClients + ')</th><th class="num">ops/s (≤ ' + t.operationsPerSecond + ')</th><th class="num">Ping</th></tr></thead><tbody>' +
      r.nodes.map((n) => '<tr><td>' + esc(n.node) + '</td><td class="num">' + (n.memoryPercent === null ? '<span class="muted">no limit</span>' : n.memoryPercent.toFixed(1) + ' %') +
        '</td><td class="num">' + n.connectedClients + '</td><td class="num">' + n.opsPerSecond + '</td><td class="num">' + n.pingMs.toFixed(1) + ' ms</td></tr>').join('') + '</tbody></table>' +
      r.warnings.map((w) => '<div class="reason">' + esc(w) + '</div>').join('');
  }
  function renderCaches(caches) {
    $('caches').tBodies[0].innerHTML = Object.entries(caches.counters).map(([name, c]) => '<tr><td>' + esc(name) + '</td><td class="num">' + c.hits + '</td><td class="num">' + c.misses +
      '</td><td class="num ' + (c.hits + c.misses > 0 && c.hitRatio < caches.targetHitRatio ? 'bad' : '') + '">' + pct(c.hitRatio) + '</td></tr>').join('') ||
      '<tr><td colspan="4" class="muted">No cache reads yet (target hit ratio ' + pct(caches.targetHitRatio) + ').</td></tr>';
  }
  function metricText(metrics) {
    return Object.entries(metrics ?? {}).filter(([, v]) => typeof v === 'number').slice(0, 4).map(([k, v]) => esc(k) + ' ' + v.toFixed(3)).join(', ');
  }
  function renderModels(panel) {
    if (!panel.ok) { $('models').innerHTML = '<div class="reason">' + esc(panel.error) + '</div>'; return; }
    if (panel.value.length === 0) { $('models').innerHTML = '<div class="muted">No model registered yet.</div>'; return; }
    $('models').innerHTML = panel.value.map((m) => {
      const canary = m.canaryVersion === null ? 0 : m.canaryPercent;
      return '<div data-model="' + esc(m.modelName) + '"><b>' + esc(m.modelName) + '</b>' +
        '<div class="split"><div style="width:' + (100 - canary) + '%;background:var(--ok)">v' + esc(m.productionVersion ?? '–') + ' ' + (100 - canary) + ' %</div>' +
        (canary > 0 ? '<div style="width:' + canary + '%;background:var(--warn)">v' + esc(m.canaryVersion) + ' ' + canary + ' %</div>' : '') + '</div>' +
        '<table><thead><tr><th>Version</th><th>Status</th><th>Algorithm</th><th>Offline metrics</th></tr></thead><tbody>' +
        m.versions.slice(-6).reverse().map((v) => '<tr><td>v' + v.version + '</td><td>' + esc(v.status) + '</td><td>' + esc(v.algorithm) + '</td><td>' + metricText(v.metrics) + '</td></tr>').join('') +
        '</tbody></table></div>';
    }).join('');
  }
  function renderChart(points) {
    const el = $('chart');
    if (points.length === 0) { el.innerHTML = '<div class="muted">No recommendations served yet.</div>'; return; }
    const minutes = [...new Set(points.map((p) => p.minute))].sort();
    const variants = [...new Set(points.map((p) => p.variant))].sort();
    const colors = ['#1f9d55', '#d97706', '#3b82f6', '#9333ea'];
    const W = 900, H = 220, L = 44, B = 28, T = 10;
    const maxY = Math.max(0.05, ...points.map((p) => p.clickThrough)) * 1.15;
    const x = (i) => L + (minutes.length === 1 ? (W - L) / 2 : (i * (W - L - 10)) / (minutes.length - 1));
    const y = (v) => T + (H - T - B) * (1 - v / maxY);
    let svg = '<svg viewBox="0 0 ' + W + ' ' + H + '" width="100%" height="' + H + '" role="img" aria-label="click-through by variant">';
    for (let k = 0; k <= 4; k++) { const v = (maxY * k) / 4; svg += '<line x1="' + L + '" x2="' + W + '" y1="' + y(v) + '" y2="' + y(v) + '" stroke="#eef0f3"/><text x="4" y="' + (y(v) + 3) + '">' + pct(v) + '</text>'; }
    minutes.forEach((m, i) => { if (i % Math.ceil(minutes.length / 8) === 0) svg += '<text x="' + (x(i) - 14) + '" y="' + (H - 8) + '">' + esc(new Date(m).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })) + '</text>'; });
    variants.forEach((variant, vi) => {
      const series = minutes.map((m, i) => { const p = points.find((q) => q.minute === m && q.variant === variant); return p ? [x(i), y(p.clickThrough)] : null; }).filter(Boolean);
      svg += '<polyline fill="none" stroke-width="2" stroke="' + colors[vi % 4] + '" points="' + series.map((p) => p.join(',')).join(' ') + '"/>';
      series.forEach((p) => { svg += '<circle r="3" cx="' + p[0] + '" cy="' + p[1] + '" fill="' + colors[vi % 4] + '"/>'; });
    });
    svg += '</svg>';
    const last = minutes[minutes.length - 1];
    const legend = variants.map((v, vi) => { const p = points.find((q) => q.minute === last && q.variant === v);
      return '<span style="color:' + colors[vi % 4] + '">■</span> ' + esc(v) + (p ? ' — share ' + pct(p.share) + ', CTR ' + pct(p.clickThrough) : ''); }).join(' &nbsp; ');
    el.innerHTML = svg + '<div data-chart-legend>' + legend + '</div>';
  }
  async function refresh() {
    try {
      const state = await (await fetch(withCode('ops/state'))).json();
      for (const job of state.jobs) { const known = jobs.get(job.jobId); if (!known || known.updatedAt <= job.updatedAt) jobs.set(job.jobId, job); }
      renderJobs(); renderFailures(state.failures); renderQueues(state.queues); renderRedis(state.redis);
      renderCaches(state.caches); renderModels(state.models); renderChart(state.serving);
      $('updated').textContent = 'updated ' + new Date(state.at).toLocaleTimeString();
    } catch (error) { $('updated').textContent = 'state unavailable: ' + error; }
  }
  const events = new EventSource(withCode('ops/events'));
  events.addEventListener('job', (e) => { const job = JSON.parse(e.data); jobs.set(job.jobId, job); renderJobs(); if (job.status === 'failed') refresh(); });
  events.onopen = () => { $('live').textContent = '● live'; };
  events.onerror = () => { $('live').textContent = 'reconnecting…'; };
  refresh();
  setInterval(refresh, 5000);
})();
</script>
</body>
</html>
`;
