// Live updates for the projector page. Every name is set with textContent, never as HTML.
(function () {
  "use strict";
  const codeEl = document.getElementById("code");
  if (!codeEl) return;
  const code = codeEl.dataset.code;
  const outcomes = {
    paid_in_full: ["全额回款", "paid in full"],
    partial: ["部分回款", "partial payment"],
    commitment: ["付款承诺", "commitment"],
    no_deal: ["未达成", "no deal"],
    walk_out: ["对方离席", "walked out"],
    escalated: ["转法务", "escalated"],
  };

  function cell(row, text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function bilingual(row, zh, en, cls) {
    const td = cell(row, zh + " ", cls);
    const small = document.createElement("small");
    small.textContent = en;
    td.appendChild(small);
  }
  function mean(m) {
    return m === null || m === undefined ? "–" : m.toFixed(1);
  }

  function render(board) {
    const rows = document.getElementById("rows");
    const fresh = [];
    for (const r of board.rows) {
      const tr = document.createElement("tr");
      cell(tr, String(r.rank), "rank");
      cell(tr, r.trainee, "name");
      cell(tr, r.score.toFixed(1), "score");
      cell(tr, r.grade, "grade");
      const o = outcomes[r.outcome] || ["未完成", "unfinished"];
      bilingual(tr, o[0], o[1], "outcome");
      cell(tr, String(r.attempts), "n");
      fresh.push(tr);
    }
    if (fresh.length === 0) {
      const tr = document.createElement("tr");
      const td = cell(tr, "等待第一份成绩…… Waiting for the first result…", "empty");
      td.colSpan = 6;
      fresh.push(tr);
    }
    rows.replaceChildren(...fresh);

    const tactics = document.getElementById("tactics");
    const trs = board.tactics.map(function (t) {
      const tr = document.createElement("tr");
      bilingual(tr, t.name.zh, t.name.en);
      cell(tr, t.attempts + "/" + board.attempts, "n");
      cell(tr, String(t.uses), "n");
      cell(tr, mean(t.mean_with), "n");
      cell(tr, mean(t.mean_without), "n");
      return tr;
    });
    tactics.replaceChildren(...trs);
    document.getElementById("attempts").textContent = String(board.attempts);
    const status = document.getElementById("status");
    status.className = board.open ? "open" : "closed";
    status.textContent = board.open ? "开放中 open" : "已截止 closed";
    document.body.dataset.live = "1";
  }

  function poll() {
    fetch("/api/sessions/" + encodeURIComponent(code) + "/leaderboard")
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) { if (b) render(b); })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 3000); });
  }

  // `?poll` polls instead of streaming, for proxies that hold server-sent events back.
  const wantPoll = new URLSearchParams(window.location.search).has("poll");
  if (window.EventSource && !wantPoll) {
    const es = new EventSource("/api/sessions/" + encodeURIComponent(code) + "/events");
    es.addEventListener("board", function (e) { render(JSON.parse(e.data)); });
    es.onerror = function () {
      // The browser reconnects by itself; if it gives up, fall back to polling.
      if (es.readyState === EventSource.CLOSED) poll();
    };
  } else {
    poll();
  }
})();
