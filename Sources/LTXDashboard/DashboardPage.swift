/// The dashboard's page: plain HTML, a style sheet and a script, all served by the dashboard itself (no external
/// assets, so the Content-Security-Policy allows only this origin). The script polls `/api/summary` and three
/// slices of `/api/jobs` (under way and held, the latest archived, the latest of all) every two seconds and writes every value from the ledger as text (never as markup: a job's name comes from a
/// dropped file's name).
enum DashboardPage {
    /// Milliseconds between two refreshes of the page.
    static let refreshMilliseconds = 2_000

    /// The policy every answer carries: this origin's script, style, images and JSON only.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>ltxpipe</title>
    <link rel="stylesheet" href="/dashboard.css">
    <script src="/dashboard.js" defer></script>
    </head>
    <body>
    <header>
      <h1 id="pipeline">ltxpipe</h1>
      <p id="status">loading…</p>
    </header>
    <noscript><p>This page refreshes itself with JavaScript; without it, read <a href="/api/summary">/api/summary</a>,
    <a href="/api/jobs">/api/jobs</a> and <a href="/metrics">/metrics</a>.</p></noscript>
    <section id="cards" class="cards"></section>
    <section>
      <h2>Under way and held</h2>
      <table id="live"><thead><tr><th>name</th><th>state</th><th>progress</th><th>model</th><th>size</th><th>elapsed</th><th>in state</th><th class="num">estimate</th><th>reason</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <h2>Failures</h2>
      <table id="failures"><thead><tr><th>name</th><th>stage</th><th>reason</th><th>detail</th><th>folder</th><th>when (UTC)</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <h2>Archived</h2>
      <div id="posters" class="posters"></div>
    </section>
    <section>
      <h2>Latest jobs</h2>
      <table id="jobs"><thead><tr><th>id</th><th>state</th><th>reason</th><th>name</th><th>model</th><th class="num">cost</th><th>updated (UTC)</th></tr></thead><tbody></tbody></table>
    </section>
    <footer>read-only · <a href="/api/summary">/api/summary</a> · <a href="/api/jobs">/api/jobs</a> · <a href="/metrics">/metrics</a></footer>
    </body>
    </html>

    """

    static let css = """
    body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; background: #fafafa; }
    header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
    h1 { font-size: 1.4rem; margin: 0; }
    h2 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
    #status { color: #666; margin: 0; }
    #status.stale { color: #b00020; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: .6rem; margin-top: 1rem; }
    .card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5rem .7rem; }
    .card b { display: block; font-size: 1.3rem; }
    .card span { color: #666; font-size: .85rem; }
    table { border-collapse: collapse; width: 100%; background: #fff; }
    th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
    th { font-weight: 600; color: #444; background: #f2f2f2; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.empty { color: #888; font-style: italic; }
    .state-failed { color: #b00020; font-weight: 600; }
    .state-held { color: #9a6700; font-weight: 600; }
    .state-archived { color: #1a7f37; }
    progress { width: 7rem; }
    .posters { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .8rem; }
    .poster { background: #fff; border: 1px solid #ddd; border-radius: 6px; overflow: hidden; }
    .poster img { width: 100%; display: block; background: #222; aspect-ratio: 16 / 9; object-fit: contain; }
    .poster p { margin: .3rem .5rem; font-size: .85rem; overflow-wrap: anywhere; }
    footer { margin-top: 2rem; color: #666; font-size: .85rem; }

    """

    static let script = """
    "use strict";
    const refreshMilliseconds = \(refreshMilliseconds);
    const steps = 8;
    const liveStates = "detected,claimed,preflighted,submitted,generated,downloaded,verified,held";

    function money(value) { return value === null || value === undefined ? "–" : "$" + value.toFixed(2); }
    function duration(seconds) {
      if (seconds === null || seconds === undefined) { return "–"; }
      const s = Math.floor(seconds);
      if (s < 60) { return s + " s"; }
      if (s < 3600) { return Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s"; }
      return Math.floor(s / 3600) + " h " + String(Math.floor(s % 3600 / 60)).padStart(2, "0") + " min";
    }
    function when(iso) { return iso ? iso.replace("T", " ").replace("Z", "") : "–"; }
    function cell(row, text, className) {
      const td = document.createElement("td");
      td.textContent = text === null || text === undefined || text === "" ? "–" : String(text);
      if (className) { td.className = className; }
      row.appendChild(td);
      return td;
    }
    function fill(tableId, items, columns, emptyText) {
      const body = document.querySelector("#" + tableId + " tbody");
      const rows = [];
      for (const item of items) {
        const row = document.createElement("tr");
        columns(row, item);
        rows.push(row);
      }
      if (rows.length === 0) {
        const row = document.createElement("tr");
        const td = cell(row, emptyText, "empty");
        td.colSpan = document.querySelectorAll("#" + tableId + " thead th").length;
        rows.push(row);
      }
      body.replaceChildren(...rows);
    }
    function card(value, label) {
      const div = document.createElement("div");
      div.className = "card";
      const b = document.createElement("b");
      b.textContent = value;
      const span = document.createElement("span");
      span.textContent = label;
      div.append(b, span);
      return div;
    }
    function render(summary, live, archived, latest) {
      document.getElementById("pipeline").textContent = "ltxpipe · " + summary.pipeline;
      document.title = "ltxpipe · " + summary.pipeline;
      const estimate = summary.cost_basis === "estimate" ? " (price-table estimate)" : "";
      document.getElementById("cards").replaceChildren(
        card(String(summary.jobs), "jobs"),
        card(String(summary.under_way), "under way"),
        card(String(summary.by_state.held), "held"),
        card(String(summary.by_state.failed), "failed"),
        card(String(summary.by_state.archived), "archived"),
        card(money(summary.spent_today), "spent today (UTC)" + estimate),
        card(money(summary.spent), "spent in total" + estimate),
        card(money(summary.estimated), "estimated under way"),
        card(money(summary.held), "estimated held"),
        card(String(summary.submits), "submits accepted"),
        card(String(summary.verification_failures), "verification failures"));
      fill("live", live.jobs, (row, job) => {
        cell(row, job.name);
        cell(row, job.state, "state-" + job.state);
        const td = cell(row, "");
        td.textContent = "";
        if (job.step !== null) {
          const bar = document.createElement("progress");
          bar.max = steps;
          bar.value = job.step;
          bar.title = job.step + " of " + steps;
          td.appendChild(bar);
        }
        cell(row, job.model);
        cell(row, job.resolution ? job.resolution + " · " + job.duration : null);
        cell(row, duration(job.elapsed_seconds));
        cell(row, duration(job.in_state_seconds));
        cell(row, money(job.estimated_cost), "num");
        cell(row, job.reason ? job.reason + (job.detail ? ": " + job.detail : "") : null);
      }, "nothing under way");
      fill("failures", summary.failures, (row, failure) => {
        cell(row, failure.name);
        cell(row, failure.stage);
        cell(row, failure.reason, "state-failed");
        cell(row, failure.detail);
        cell(row, failure.failed_folder);
        cell(row, when(failure.at));
      }, "no failures");
      const posters = [];
      for (const job of archived.jobs.filter(job => job.poster)) {
        const figure = document.createElement("div");
        figure.className = "poster";
        const image = document.createElement("img");
        image.src = job.poster;
        image.alt = "poster of " + job.name;
        image.loading = "lazy";
        const caption = document.createElement("p");
        caption.textContent = job.name + " · " + (job.model || "") + " · " + (job.resolution || "") + " · " + money(job.cost);
        figure.append(image, caption);
        posters.push(figure);
      }
      document.getElementById("posters").replaceChildren(...posters);
      fill("jobs", latest.jobs, (row, job) => {
        cell(row, job.id);
        cell(row, job.state, "state-" + job.state);
        cell(row, job.reason);
        cell(row, job.name);
        cell(row, job.model);
        const paid = job.cost === null && job.prior_cost === null ? null : (job.cost || 0) + (job.prior_cost || 0);
        cell(row, paid !== null ? money(paid) : (job.estimated_cost !== null ? "(" + money(job.estimated_cost) + ")" : null), "num");
        cell(row, when(job.updated_at));
      }, "no jobs yet");
    }
    async function answer(path) {
      const response = await fetch(path, { cache: "no-store" });
      if (!response.ok) { throw new Error(path + ": HTTP " + response.status); }
      return response.json();
    }
    async function refresh() {
      const status = document.getElementById("status");
      try {
        const [summary, live, archived, latest] = await Promise.all([
          answer("/api/summary"), answer("/api/jobs?state=" + liveStates), answer("/api/jobs?state=archived&limit=24"), answer("/api/jobs?limit=200")]);
        render(summary, live, archived, latest);
        status.textContent = "updated " + when(summary.generated_at) + " UTC · run started " + when(summary.run_started_at) + " UTC";
        status.className = "";
      } catch (error) {
        status.textContent = "cannot reach the run (it may have stopped): " + error.message;
        status.className = "stale";
      }
      setTimeout(refresh, refreshMilliseconds);
    }
    refresh();

    """
}
