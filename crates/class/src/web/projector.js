// Live updates for the projector page. Every name is set with textContent, never as HTML.
(function () {
  "use strict";
  const codeEl = document.getElementById("code");
  if (!codeEl) return;
  const code = codeEl.dataset.code;
  const clock = Dojo.clock(codeEl.dataset.now);
  const cell = Dojo.cell;
  let deadline = Number(codeEl.dataset.deadline || 0) || null;
  let open = true;
  const outcomes = {
    paid_in_full: ["全额回款", "paid in full"],
    partial: ["部分回款", "partial payment"],
    commitment: ["付款承诺", "commitment"],
    no_deal: ["未达成", "no deal"],
    walk_out: ["对方离席", "walked out"],
    escalated: ["转法务", "escalated"],
  };

  function bilingual(row, zh, en, cls) {
    const td = cell(row, zh + " ", cls);
    const small = document.createElement("small");
    small.textContent = en;
    td.appendChild(small);
  }
  function mean(m) {
    return m === null || m === undefined ? "–" : m.toFixed(1);
  }

  // Many trainees: the board flows into columns (3 at most) so a class of 40 fits one screen.
  function layout(n) {
    const cols = n > 26 ? 3 : n > 12 ? 2 : 1;
    document.body.dataset.cols = String(cols);
    document.body.style.setProperty("--per-col", String(Math.max(1, Math.ceil(n / cols))));
  }

  function room(r) {
    const counts = document.getElementById("room-counts");
    counts.textContent = "已加入 " + r.joined + " joined · 进行中 " + r.playing.length +
      " playing · 已完成 " + r.finished + " finished";
    const shown = r.playing.slice(0, 24).map(function (p) {
      const li = document.createElement("li");
      li.textContent = p.trainee + " " + p.turn + "/" + p.max_turns;
      return li;
    });
    if (r.playing.length > shown.length) {
      const li = document.createElement("li");
      li.textContent = "+" + (r.playing.length - shown.length);
      shown.push(li);
    }
    document.getElementById("playing").replaceChildren(...shown);
  }

  function tick() {
    Dojo.countdown(document.getElementById("countdown"), clock, deadline, open);
  }
  setInterval(tick, 1000);

  function render(board) {
    layout(board.rows.length);
    if (board.room) room(board.room);
    deadline = board.deadline || deadline;
    open = board.open;
    tick();
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
