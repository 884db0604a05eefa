// The trainer's page (/t/CODE#token=ADMIN-TOKEN): who joined, who is mid-meeting and on which
// turn, who finished; rename, reset and remove a trainee; download the exports. The admin token
// stays in the address's fragment (never sent to the server in a URL) and this tab's storage;
// every call sends it as `Authorization: Bearer`. Names are set with textContent only.
(function () {
  "use strict";
  const codeEl = document.getElementById("code");
  if (!codeEl) return;
  const code = codeEl.dataset.code;
  const api = "/api/sessions/" + encodeURIComponent(code);
  const clock = Dojo.clock(codeEl.dataset.now);
  const cell = Dojo.cell;
  const KEY = "dd:" + code + ":admin";
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  let token = fromHash || sessionStorage.getItem(KEY);
  let view = null;

  const STATES = {
    waiting: ["等待开始", "waiting"],
    playing: ["进行中", "playing"],
    finished: ["已完成", "finished"],
  };

  function button(label, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }
  function say(text, bad) {
    const p = document.getElementById("action-result");
    p.textContent = text;
    p.className = bad ? "error" : "ok";
  }

  async function call(method, path, body) {
    const headers = { Authorization: "Bearer " + token };
    if (body) headers["Content-Type"] = "application/json";
    let res;
    try {
      res = await fetch(api + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    } catch (_) {
      return { ok: false, status: 0, error: "连不上课堂服务器 Cannot reach the class server" };
    }
    if (res.ok) return { ok: true, res };
    let error = res.statusText;
    try {
      const j = await res.json();
      error = (j.error_zh ? j.error_zh + " · " : "") + j.error;
    } catch (_) { /* not JSON */ }
    return { ok: false, status: res.status, error };
  }

  function row(t) {
    const tr = document.createElement("tr");
    tr.dataset.state = t.state;
    cell(tr, t.trainee, "name");
    const s = STATES[t.state] || [t.state, t.state];
    let state = s[0] + " " + s[1];
    if (t.state === "playing") {
      state += " · " + t.turn + "/" + t.max_turns;
      // Stuck? No turn for two minutes or more.
      const idle = Math.floor((clock.now() - t.last_seen) / 60);
      if (idle >= 2) state += " · " + idle + " 分钟无动作 idle " + idle + " min";
    }
    cell(tr, state, "state");
    cell(tr, t.best === null || t.best === undefined ? "–" : t.best.toFixed(1), "n");
    cell(tr, t.grade || "–", "grade");
    cell(tr, String(t.attempts), "n");
    cell(tr, t.id, "id");
    const td = cell(tr, "", "actions");
    td.append(
      button("改名 Rename", () => rename(t.trainee)),
      button("重置 Reset", () => reset(t.trainee)),
      button("移除 Remove", () => remove(t.trainee)),
    );
    return tr;
  }

  function render(v) {
    view = v;
    // Mid-meeting first (the trainer's attention), then those yet to start, then the finished.
    const order = { playing: 0, waiting: 1, finished: 2 };
    const sorted = v.trainees.slice().sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3));
    const rows = sorted.map(row);
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      cell(tr, "还没有人加入 Nobody has joined yet", "empty").colSpan = 7;
      rows.push(tr);
    }
    document.getElementById("trainees").replaceChildren(...rows);
    const n = (st) => v.trainees.filter((t) => t.state === st).length;
    document.getElementById("room-counts").textContent =
      "已加入 " + v.trainees.length + " joined · 进行中 " + n("playing") + " playing · 已完成 " +
      (v.trainees.length - n("playing") - n("waiting")) + " finished · 等待 " + n("waiting") + " waiting";
    const status = document.getElementById("status");
    status.className = v.open ? "open" : "closed";
    status.textContent = v.open ? "开放中 open" : "已截止 closed";
    document.body.dataset.live = "1";
    tick();
  }

  function tick() {
    if (view) Dojo.countdown(document.getElementById("countdown"), clock, view.deadline, view.open);
  }
  setInterval(tick, 1000);

  async function refresh() {
    const r = await call("GET", "/room");
    if (r.ok) return render(await r.res.json());
    if (r.status === 401 || r.status === 403) return askToken(r.error);
    say(r.error, true);
  }
  function poll() {
    refresh().finally(() => setTimeout(poll, 3000));
  }

  const seg = (name) => "/trainees/" + encodeURIComponent(name);
  async function rename(name) {
    const to = window.prompt("“" + name + "”的新名字 New name for \"" + name + "\"", name);
    if (!to || to === name) return;
    const r = await call("POST", seg(name) + "/rename", { to });
    say(r.ok ? "已改名 Renamed: " + name + " → " + to : r.error, !r.ok);
    refresh();
  }
  async function reset(name) {
    if (!window.confirm("让“" + name + "”用同一个名字重新加入？ Let \"" + name + "\" join again with the same name?")) return;
    const r = await call("POST", seg(name) + "/reset", {});
    say(r.ok ? "已重置：" + name + " 可以在任何设备上重新加入 · Reset: " + name + " may join again from any device" : r.error, !r.ok);
    refresh();
  }
  async function remove(name) {
    if (!window.confirm("移除“" + name + "”及其成绩？ Remove \"" + name + "\" and their results?")) return;
    const r = await call("DELETE", seg(name));
    say(r.ok ? "已移除 Removed: " + name : r.error, !r.ok);
    refresh();
  }

  async function download(path, file) {
    const r = await call("GET", path);
    if (!r.ok) return say(r.error, true);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(await r.res.blob());
    a.download = file;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.getElementById("csv").addEventListener("click", () => download("/results.csv", "class-" + code + ".csv"));
  document.getElementById("xapi").addEventListener("click", () => download("/statements", "class-" + code + "-xapi.json"));

  // ---- The class debrief: what the class missed, the rules it broke and where, each
  // trainee's costliest turn with the better line, and the tactics against the score.
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function both(t) {
    const f = el("span", "", t.zh + " ");
    f.append(el("small", "", t.en));
    return f;
  }
  // A labelled bar: `share` of the track filled, `label` after it.
  function bar(share, label, cls) {
    const track = el("span", "track " + (cls || ""));
    const fill = el("i");
    fill.style.width = (Math.max(0, Math.min(1, share)) * 100).toFixed(1) + "%";
    track.append(fill);
    const wrap = el("span", "barcell");
    wrap.append(track, el("span", "barlabel", label));
    return wrap;
  }
  function table(heads, rows) {
    const t = el("table", "chart");
    const tr = el("tr");
    for (const h of heads) tr.append(el("th", "", h));
    const thead = el("thead");
    thead.append(tr);
    const tbody = el("tbody");
    for (const r of rows) {
      const row = el("tr");
      for (const c of r) {
        const td = el("td");
        td.append(c);
        row.append(td);
      }
      tbody.append(row);
    }
    t.append(thead, tbody);
    return t;
  }
  function drawDebrief(d) {
    const box = document.getElementById("class-debrief");
    if (d.trainees === 0) {
      box.replaceChildren(el("p", "sub", "还没有成绩 No results yet"));
      return;
    }
    const head = el("p", "sub", d.trainees + " 名学员（按各人最好成绩）· " + d.attempts +
      " 次尝试 · 平均 " + d.mean + " · " + d.trainees + " trainees (each by their best), " +
      d.attempts + " attempts, mean " + d.mean);
    const items = table(["评分项 Rubric item", "做到的学员 Trainees who earned it", "平均分 Mean points"],
      d.items.map((i) => [both(i.name),
        bar(i.passed / d.trainees, i.passed + "/" + d.trainees, i.passed / d.trainees < 0.5 ? "low" : ""),
        document.createTextNode(i.mean_points + " / " + i.max)]));
    const rules = d.rules.length
      ? table(["课程规则 Course rule", "违反的学员 Trainees who broke it", "次数 Times", "通常在 Usually on"],
        d.rules.map((r) => [both({ zh: r.section + " " + r.name.zh, en: r.name.en }),
          bar(r.trainees / d.trainees, r.trainees + "/" + d.trainees, "bad"),
          document.createTextNode(String(r.times)),
          document.createTextNode("第 " + r.usual_turn + " 轮 turn " + r.usual_turn)]))
      : el("p", "sub", "没有人违反课程规则 Nobody broke a course rule");
    const tactics = table(["策略 Tactic", "用者均分 Mean with", "未用均分 Mean without"],
      d.tactics.map((t) => [both(t.name),
        bar((t.mean_with || 0) / 100, t.mean_with === null ? "–" : t.mean_with.toFixed(1) + " (" + t.attempts + ")", "with"),
        bar((t.mean_without || 0) / 100, t.mean_without === null ? "–" : t.mean_without.toFixed(1), "without")]));
    const costly = d.costliest.length
      ? table(["学员 Trainee", "得分 Score", "轮次 Turn", "少得 Lost", "说的 Said", "更好的一句 A better line"],
        d.costliest.map((c) => [document.createTextNode(c.trainee),
          document.createTextNode(c.score.toFixed(1)),
          document.createTextNode(String(c.turn)),
          bar(c.lost / 50, "−" + c.lost.toFixed(1), "bad"),
          both(c.said),
          both(c.better)]))
      : el("p", "sub", "没有哪一轮明显失分 No turn cost much");
    box.replaceChildren(head,
      el("h3", "", "评分项 What the class earned"), items,
      el("h3", "", "违反最多的课程规则 Course rules broken most"), rules,
      el("h3", "", "每人失分最多的一轮 Each trainee's costliest turn"), costly,
      el("h3", "", "策略与得分 Tactics against the score"), tactics);
    document.body.dataset.debrief = "1";
  }
  let lastDebrief = null;
  async function loadDebrief() {
    const box = document.getElementById("class-debrief");
    box.replaceChildren(el("p", "sub", "正在复盘每位学员的最好成绩…… Replaying each trainee's best attempt…"));
    const r = await call("GET", "/debrief");
    if (!r.ok) return box.replaceChildren(el("p", "error", r.error));
    lastDebrief = await r.res.json();
    drawDebrief(lastDebrief);
  }
  document.getElementById("load-debrief").addEventListener("click", loadDebrief);
  document.getElementById("save-debrief").addEventListener("click", () =>
    download("/debrief", "class-" + code + "-debrief.json"));

  function askToken(error) {
    document.getElementById("need-token").hidden = false;
    document.getElementById("token-error").textContent = error || "";
  }
  document.getElementById("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    token = document.getElementById("token").value.trim();
    sessionStorage.setItem(KEY, token);
    document.getElementById("need-token").hidden = true;
    refresh();
    loadDebrief();
  });

  if (token) {
    sessionStorage.setItem(KEY, token);
    // The token leaves the address bar (and so the history and a projected screen).
    if (fromHash) history.replaceState(null, "", location.pathname);
    poll();
    loadDebrief();
  } else {
    askToken("");
  }
})();
