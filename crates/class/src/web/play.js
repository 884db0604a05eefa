// The trainee's page (/j/CODE): join, prepare, negotiate, debrief. The server keeps no meeting:
// this script keeps the inputs (preparations, and each line with the seconds it took) and sends
// them all every turn to /replay, which answers with the scene to show. The result goes to
// /results, where the server replays it again and stores the engine's score.
// Every text is set with textContent, never as HTML; both languages are in the page and the
// stylesheet shows the chosen one, so switching language needs no request.
(function () {
  "use strict";
  const app = document.getElementById("app");
  if (!app) return;
  const code = app.dataset.code;
  const budget = Number(app.dataset.budget || 0);
  const SVG = "http://www.w3.org/2000/svg";

  // ---- Words of the page itself (case content comes from the server in both languages).
  const T = {
    you: ["你", "You"],
    speaking: ["对方正在说话……", "The debtor is speaking…"],
    prompt: ["你要怎么说？（数字键，或方向键加回车；也可以直接点）", "What do you say? (number keys, or arrows and Enter; or tap a line)"],
    excuse: ["桌上的借口", "Excuse on the table"],
    excuseRaised: ["（对方提出了一个借口）", "(an excuse is on the table)"],
    mood: ["心情", "Mood"],
    face: ["面子", "Face"],
    trust: ["信任", "Trust"],
    patience: ["耐心", "Patience"],
    willingness: ["付款意愿", "Willingness"],
    moodIs: ["情绪：", "Mood: "],
    turn: ["轮次", "Turn"],
    score: ["得分", "Score"],
    recovered: ["回款", "Recovered"],
    rank: ["全班排名：第 {rank} 名（共 {of} 名学员，按各人最好成绩）", "Class rank: {rank} of {of} {trainees} (by each one's best)"],
    board: ["看全班排行榜", "See the class board"],
    sending: ["正在提交成绩……", "Submitting your result…"],
    notRecorded: ["这次成绩没有记入课堂：", "This result was not recorded for the class: "],
    retry: ["重试", "Try again"],
    again: ["再来一次（重新准备）", "Play again (prepare again)"],
    rubric: ["评分细则", "Rubric"],
    curve: ["每一轮后的对方状态", "The debtor after each turn"],
    transcript: ["逐句回顾", "Line by line"],
    coaching: ["教练建议", "Coaching"],
    youSaid: ["你说的：", "You said: "],
    better: ["更好的一句：", "A better line: "],
    thenScore: ["（这样说，再按课程谈下去，得分约 {s}）", " (said instead, with the course's way after it: about {s})"],
    retryTurn: ["从第 {t} 轮重来", "Retry from turn {t}"],
    noCoaching: ["没有哪一步明显拖了后腿。", "No single turn cost you much."],
    seconds: ["秒", "s"],
    connection: ["连不上课堂服务器，请检查网络后重试。", "Cannot reach the class server; check the network and try again."],
    budgetFull: ["最多选 {n} 项准备。", "Pick at most {n} preparations."],
    tokenLost: ["课堂服务器不认识这个设备的加入凭证了，请重新加入。", "The class server no longer knows this device's join token; please join again."],
    nameTaken: ["这个名字已经在别的设备上加入了，请换一个名字。", "That name has already joined on another device; choose another."],
    nameBad: ["这个名字不能用：", "That name cannot be used: "],
    classFull: ["课堂人数已满，请联系培训师。", "The class is full; ask your trainer."],
    tooFast: ["请求太频繁，请稍等几秒再试。", "Too many requests; wait a few seconds and try again."],
    closed: ["培训师已经关闭了这个课堂，不再接受成绩。", "The trainer has closed this class; it takes no more results."],
    deadline: ["课堂的截止时间已到，会谈到此为止，不再接受成绩。", "The class's deadline has passed: the meeting stops here and no more results are taken."],
    left: ["剩余 {t}", "{t} left"],
    timeUp: ["时间到", "Time is up"],
  };
  const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));
  const txt = (key, vars) => ({ zh: fill(T[key][0], vars || {}), en: fill(T[key][1], vars || {}) });

  // ---- Building elements.
  function el(tag, cls, kids) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const k of kids || []) e.append(k);
    return e;
  }
  function bi(t) {
    const f = document.createDocumentFragment();
    const zh = el("span", "zh");
    zh.lang = "zh-CN";
    zh.textContent = t.zh;
    const en = el("span", "en");
    en.lang = "en";
    en.textContent = t.en;
    f.append(zh, en);
    return f;
  }
  const say = (key, vars) => bi(txt(key, vars));
  function clear(id) {
    const e = document.getElementById(id);
    e.replaceChildren();
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  // ---- What this device remembers: the language, its join token, and the attempt in play.
  const store = {
    get(k) {
      try { return JSON.parse(localStorage.getItem(k)); } catch (_) { return null; }
    },
    set(k, v) {
      try { localStorage.setItem(k, JSON.stringify(v)); } catch (_) { /* private mode */ }
    },
    drop(k) {
      try { localStorage.removeItem(k); } catch (_) { /* private mode */ }
    },
  };
  const ME = "dd:" + code + ":me";
  const ATTEMPT = "dd:" + code + ":attempt";
  let me = store.get(ME);
  let attempt = store.get(ATTEMPT);
  let scene = null;
  let shownAt = 0;
  let busy = false;
  let cursor = 0;

  // ---- Language.
  function setLang(ui) {
    document.documentElement.dataset.ui = ui;
    document.documentElement.lang = ui === "en" ? "en" : "zh-CN";
    store.set("dd:lang", ui);
  }
  const asked = new URLSearchParams(location.search).get("lang");
  setLang(asked === "en" || asked === "zh" ? asked : store.get("dd:lang") || document.documentElement.dataset.ui);
  document.getElementById("lang").addEventListener("click", () =>
    setLang(document.documentElement.dataset.ui === "en" ? "zh" : "en"));

  // ---- Steps.
  function show(step) {
    for (const s of document.querySelectorAll(".step")) s.hidden = s.id !== "step-" + step;
    document.body.dataset.step = step;
    window.scrollTo(0, 0);
  }
  function who() {
    const w = clear("who");
    if (me) w.textContent = me.trainee;
  }

  // ---- Talking to the server.
  async function call(path, body, token) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    let res;
    try {
      res = await fetch("/api/sessions/" + code + path, { method: "POST", headers, body: JSON.stringify(body) });
    } catch (_) {
      return { status: 0, error: txt("connection") };
    }
    let data = null;
    try { data = await res.json(); } catch (_) { /* not JSON */ }
    if (res.ok) return { status: res.status, data };
    return {
      status: res.status,
      reason: data && data.reason,
      detail: (data && data.error) || res.statusText,
      detailZh: data && data.error_zh,
    };
  }
  // A refusal in the trainee's language: by the kind the server names, else in the server's
  // own words (it sends Chinese too for what a trainee meets), else by the status.
  function refusal(r) {
    if (r.error) return r.error;
    const byReason = {
      closed: "closed", deadline: "deadline", full: "classFull", name_taken: "nameTaken",
      not_joined: "tokenLost", wrong_token: "tokenLost",
    };
    if (r.reason && byReason[r.reason]) return txt(byReason[r.reason]);
    if (r.reason && r.detailZh) return { zh: r.detailZh, en: r.detail };
    const detail = { zh: r.detailZh || r.detail, en: r.detail };
    if (r.status === 409 && /already joined/.test(r.detail)) return txt("nameTaken");
    if (r.status === 401 || (r.status === 403 && /token|joined/.test(r.detail))) return txt("tokenLost");
    if (r.status === 429) return txt("tooFast");
    if (r.status === 410 || /closed|deadline/.test(r.detail)) return txt("closed");
    if (r.status === 422) return { zh: T.nameBad[0] + r.detail, en: T.nameBad[1] + r.detail };
    return detail;
  }
  // A problem is shown where the trainee is looking: the message is scrolled into view.
  function problem(id, t) {
    const e = clear(id);
    if (!t) return;
    e.append(bi(t));
    e.scrollIntoView({ block: "nearest" });
  }

  // ---- Step 1: join.
  const form = document.getElementById("join-form");
  if (form) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const name = document.getElementById("name").value.trim();
      if (!name) return;
      problem("join-error", null);
      const r = await call("/join", { trainee: name });
      if (!r.data) return problem("join-error", refusal(r));
      me = { trainee: r.data.trainee, token: r.data.token };
      store.set(ME, me);
      who();
      toPrep();
    });
  }

  // ---- Step 2: preparations within the budget.
  const boxes = Array.from(document.querySelectorAll("input[name=prep]"));
  function picked() {
    return boxes.filter((b) => b.checked).map((b) => b.value);
  }
  function countPicks() {
    const n = picked().length;
    document.getElementById("picked").textContent = String(n);
    for (const b of boxes) b.disabled = !b.checked && n >= budget;
  }
  for (const b of boxes) b.addEventListener("change", countPicks);
  function toPrep() {
    const last = attempt ? attempt.preparations : [];
    for (const b of boxes) b.checked = last.includes(b.value);
    countPicks();
    show("prep");
  }
  document.getElementById("start").addEventListener("click", () => {
    const preps = picked();
    if (preps.length > budget) return problem("prep-error", txt("budgetFull", { n: budget }));
    attempt = { preparations: preps, choices: [], key: newKey(), receipt: null };
    store.set(ATTEMPT, attempt);
    show("meet");
    replay();
  });
  function newKey() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  // ---- Step 3: the meeting. Every turn replays all the inputs so far.
  async function replay() {
    busy = true;
    drawPrompt();
    const r = await call("/replay", {
      trainee: me.trainee, preparations: attempt.preparations, choices: attempt.choices,
    }, me.token);
    busy = false;
    if (!r.data) {
      if (r.status === 401 || r.reason === "not_joined" || r.reason === "wrong_token") return lostToken();
      if (r.reason === "deadline" || r.reason === "closed") return stopped(r);
      if (attempt.choices.length) attempt.choices.pop();
      store.set(ATTEMPT, attempt);
      problem("meet-error", refusal(r));
      if (scene) drawScene(); else show("prep");
      return;
    }
    problem("meet-error", null);
    scene = r.data;
    if (scene.end) return finish();
    drawScene();
  }
  // The class closed or its deadline passed mid-meeting: the meeting stops, and says why.
  function stopped(r) {
    document.getElementById("menu").replaceChildren();
    clear("prompt");
    problem("meet-error", refusal(r));
  }
  function lostToken() {
    store.drop(ME);
    me = null;
    who();
    show("join");
    problem("join-error", txt("tokenLost"));
  }
  function choose(id) {
    if (busy || !scene || scene.end) return;
    const seconds = Math.round((performance.now() - shownAt) / 100) / 10;
    attempt.choices.push({ line: id, seconds });
    store.set(ATTEMPT, attempt);
    replay();
  }
  function lines() {
    return scene ? scene.menu.flatMap((g) => g.lines) : [];
  }

  function drawScene() {
    show("meet");
    drawStages();
    drawDebtor();
    drawDialogue();
    cursor = 0;
    drawMenu();
    drawPrompt();
    // Each turn opens at the top of its lines; on a phone the debtor (meters and excuse) stays
    // pinned above them.
    document.getElementById("choices").scrollTop = 0;
    const debtor = document.getElementById("debtor");
    document.documentElement.style.setProperty("--pinned", debtor.offsetHeight + "px");
    if (window.innerWidth <= 900 && scene.turn > 0) {
      document.getElementById("dialogue").scrollIntoView({ block: "start" });
    }
    shownAt = performance.now();
  }
  function drawStages() {
    const ol = clear("stages");
    scene.stages.forEach((s, i) => {
      const li = el("li", i < scene.stage ? "done" : i === scene.stage ? "now" : "");
      li.append(bi(s));
      ol.append(li);
    });
    const t = el("li", "turns");
    t.append(say("turn"), " " + scene.turn + " / " + scene.max_turns);
    ol.append(t);
  }
  function drawDebtor() {
    clear("face").append(faceSvg(scene.pad, scene.mood_key));
    clear("contact").append(bi(scene.contact));
    clear("persona").append(bi(scene.persona));
    const mood = clear("mood");
    mood.className = "mood " + scene.mood_key;
    mood.append(say("moodIs"), bi(scene.mood));
    const m = clear("meters");
    for (const k of ["mood", "face", "trust", "patience"]) {
      const bar = el("div", "bar", [el("i")]);
      const row = el("div", "meter " + k, [el("span", "label", [say(k)]), bar, el("span", "value")]);
      row.dataset.key = k;
      m.append(row);
    }
    setMeters(0);
    const ex = clear("excuse");
    ex.hidden = !scene.excuse;
    if (scene.excuse) ex.append(el("h4", "", [say("excuse")]), el("p", "", [bi(scene.excuse)]));
    if (scene.excuse && scene.excuse_standing) ex.append(el("p", "note", [bi(scene.excuse_standing)]));
  }
  // Patience drains while the trainee thinks, as the engine will charge it.
  function hesitation(s) {
    const h = scene.hesitation;
    const x = Math.max(Math.min(s, h.max) - h.grace, 0);
    if (h.ramp <= 0) return x * h.cost;
    if (x < h.ramp) return h.cost * x * x / (2 * h.ramp);
    return h.cost * (x - h.ramp / 2);
  }
  function setMeters(thinking) {
    if (!scene) return;
    const v = Object.assign({}, scene.meters);
    v.patience = Math.min(1, Math.max(0, v.patience - hesitation(thinking)));
    for (const row of document.querySelectorAll("#meters .meter")) {
      const x = v[row.dataset.key];
      row.querySelector("i").style.width = (x * 100).toFixed(1) + "%";
      row.querySelector(".value").textContent = Math.round(x * 100) + "%";
      row.classList.toggle("low", x < 0.3);
    }
  }
  setInterval(() => {
    if (scene && !scene.end && !busy && document.body.dataset.step === "meet") {
      setMeters((performance.now() - shownAt) / 1000);
    }
  }, 250);

  function bubble(who, t, mine, fresh) {
    const b = el("div", "bubble " + (mine ? "mine" : "theirs") + (fresh ? " fresh" : ""));
    b.append(el("small", "", [who]), el("p", "", [bi(t)]));
    return b;
  }
  function drawDialogue() {
    const d = clear("dialogue");
    const last = scene.dialogue.length - 1;
    scene.dialogue.forEach((x, i) => {
      if (x.said) {
        const b = bubble(say("you"), x.said, true, false);
        if (x.tactic) b.append(el("span", "tag", [bi(x.tactic)]));
        d.append(b);
        for (const n of x.notes) d.append(el("p", "note", [bi(n)]));
      }
      if (x.reply) d.append(bubble(bi(scene.contact), x.reply, false, i === last));
      if (x.excuse && i === last) d.append(el("p", "note bad", [say("excuseRaised")]));
    });
    d.scrollTop = d.scrollHeight;
  }
  // Lines in the engine's order, under their group, with a heading per run of one tactic.
  function drawMenu() {
    const menu = clear("menu");
    let k = 0;
    for (const g of scene.menu) {
      const group = el("div", "group" + (g.counters ? " counters" : ""), [el("h4", "", [bi(g.title)])]);
      let tactic = null;
      for (const line of g.lines) {
        if (line.tactic !== tactic) {
          tactic = line.tactic;
          group.append(el("h5", "", [bi(line.tactic_name)]));
        }
        const n = k++;
        const btn = el("button", "line", [el("b", "key", [n < 9 ? String(n + 1) : "·"]), el("span", "", [bi(line.text)])]);
        btn.type = "button";
        btn.setAttribute("role", "option");
        btn.dataset.line = line.id;
        btn.dataset.index = String(n);
        btn.addEventListener("click", () => choose(line.id));
        group.append(btn);
      }
      menu.append(group);
    }
    markCursor();
  }
  function markCursor() {
    for (const b of document.querySelectorAll("#menu .line")) {
      const on = Number(b.dataset.index) === cursor;
      b.classList.toggle("cursor", on);
      b.setAttribute("aria-selected", on ? "true" : "false");
    }
  }
  function drawPrompt() {
    const p = clear("prompt");
    p.append(say(busy ? "speaking" : "prompt"));
    document.getElementById("menu").classList.toggle("waiting", busy);
  }
  document.addEventListener("keydown", (ev) => {
    if (document.body.dataset.step !== "meet" || ev.target.tagName === "INPUT") return;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const open = lines();
    if (!open.length) return;
    if (/^[1-9]$/.test(ev.key)) {
      const line = open[Number(ev.key) - 1];
      if (line) choose(line.id);
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      cursor = (cursor + (ev.key === "ArrowDown" ? 1 : open.length - 1)) % open.length;
      markCursor();
      const b = document.querySelector("#menu .line.cursor");
      if (b) b.scrollIntoView({ block: "nearest" });
    } else if (ev.key === "Enter") {
      if (ev.target.tagName === "BUTTON" && ev.target.classList.contains("line")) return;
      choose(open[cursor].id);
    } else {
      return;
    }
    ev.preventDefault();
  });

  // ---- Step 4: the result, submitted for the class, and the debrief.
  async function finish() {
    show("debrief");
    drawDebrief();
    if (attempt.receipt) return drawRank();
    const r = clear("rank");
    r.append(el("p", "muted", [say("sending")]));
    const res = await call("/results", {
      idempotency_key: attempt.key, trainee: me.trainee,
      preparations: attempt.preparations, choices: attempt.choices,
    }, me.token);
    if (res.data) {
      attempt.receipt = res.data;
      store.set(ATTEMPT, attempt);
      return drawRank();
    }
    const card = clear("rank");
    card.append(el("p", "error", [say("notRecorded"), bi(refusal(res))]));
    if (res.status === 0 || res.status >= 500 || res.status === 429) {
      const again = el("button", "", [say("retry")]);
      again.type = "button";
      again.addEventListener("click", finish);
      card.append(again);
    }
  }
  function drawRank() {
    const r = clear("rank");
    const x = attempt.receipt;
    const place = el("p", "place", [say("rank", {
      rank: x.rank, of: x.of, trainees: x.of === 1 ? "trainee" : "trainees",
    })]);
    const link = el("a", "", [say("board")]);
    link.href = "/s/" + code;
    link.target = "_blank";
    link.rel = "noopener";
    r.append(place, link);
  }
  function drawDebrief() {
    const e = scene.end;
    const res = clear("result");
    res.append(
      el("div", "grade", [e.grade]),
      el("div", "total", [el("b", "", [e.score.toFixed(1)]), " / 100"]),
      el("p", "label", [bi(e.grade_label)]),
      el("p", "outcome", [bi(e.outcome)]),
      el("p", "muted", [say("recovered"), ": ¥" + e.recovered.toLocaleString("en-US")]));
    drawReview(e.review);
    drawCurve(e.curve);
    drawRubric(e.items);
    drawTranscript();
    const again = clear("again");
    again.append(say("again"));
  }
  document.getElementById("again").addEventListener("click", () => {
    scene = null;
    if (attempt) {
      attempt.done = true;
      store.set(ATTEMPT, attempt);
    }
    toPrep();
  });
  // The turn-by-turn review: the accuracy and every turn's mark, then each coached turn with
  // the better line and a way to retry from it (a new practice attempt with the turns before).
  function drawReview(r) {
    const box = clear("coaching");
    box.append(el("h3", "", [say("coaching")]));
    if (!r) return box.append(el("p", "muted", [say("noCoaching")]));
    box.append(el("p", "head", [bi(r.summary)]));
    const marks = el("p", "marks");
    for (const t of r.turns) {
      marks.append(el("span", "mark " + t.mark, [String(t.turn) + " ", bi(t.mark_name)]));
    }
    box.append(marks);
    if (!r.coached.length) box.append(el("p", "muted", [say("noCoaching")]));
    for (const c of r.coached) {
      const again = el("button", "retry", [say("retryTurn", { t: c.turn })]);
      again.type = "button";
      again.addEventListener("click", () => retryFrom(c.turn));
      box.append(el("div", "coached", [
        el("p", "head", [bi(c.heading)]),
        el("p", "", [say("youSaid"), bi(c.said)]),
        el("p", "better", [say("better"), bi(c.better),
          say("thenScore", { s: c.better_score.toFixed(1) })]),
        el("p", "principle", [bi(c.principle)]),
        again,
      ]));
    }
  }
  function retryFrom(turn) {
    attempt = {
      preparations: attempt.preparations,
      choices: attempt.choices.slice(0, turn - 1),
      key: newKey(),
      receipt: null,
    };
    store.set(ATTEMPT, attempt);
    scene = null;
    show("meet");
    replay();
  }
  function drawRubric(items) {
    const box = clear("rubric");
    box.append(el("h3", "", [say("rubric")]));
    for (const it of items) {
      const mark = !it.arose ? "–" : it.missed ? "×" : "✓";
      const cls = !it.arose ? "na" : it.missed ? "miss" : "pass";
      box.append(el("div", "item card " + cls, [
        el("div", "head", [el("b", "mark", [mark]), el("span", "name", [bi(it.name)]),
          el("span", "pts", [it.points.toFixed(1) + " / " + it.max])]),
        el("p", "", [bi(it.note)]),
        el("p", "principle", [bi(it.principle)]),
      ]));
    }
  }
  // The debtor's mood, trust, face, patience and willingness after each turn.
  function drawCurve(points) {
    const box = clear("curve");
    box.append(el("h3", "", [say("curve")]));
    const W = 460, H = 200, L = 34, B = 24, n = Math.max(points.length - 1, 1);
    const s = svg("svg", { viewBox: "0 0 " + W + " " + (H + B + 6), class: "plot", role: "img" });
    const x = (i) => L + (i / n) * (W - L - 8);
    const y = (v) => 6 + (1 - v) * H;
    for (const v of [0, 0.5, 1]) {
      s.append(svg("line", { x1: L, x2: W - 8, y1: y(v), y2: y(v), class: "grid" }));
      const t = svg("text", { x: L - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" });
      t.textContent = String(v * 100);
      s.append(t);
    }
    const step = Math.max(1, Math.ceil(n / 10));
    for (let i = 0; i <= n; i += step) {
      const t = svg("text", { x: x(i), y: H + B, class: "axis", "text-anchor": "middle" });
      t.textContent = String(i);
      s.append(t);
    }
    const keys = ["mood", "trust", "face", "patience", "willingness"];
    keys.forEach((k, j) => {
      const pts = points.map((p, i) => x(i).toFixed(1) + "," + y(p[j]).toFixed(1)).join(" ");
      s.append(svg("polyline", { points: pts, class: "series " + k }));
    });
    const legend = el("p", "legend");
    keys.forEach((k) => legend.append(el("span", "key " + k, [say(k)])));
    box.append(s, legend);
  }
  function drawTranscript() {
    const box = clear("transcript");
    box.append(el("h3", "", [say("transcript")]));
    const ol = el("ol", "lines");
    scene.dialogue.forEach((x, i) => {
      const li = el("li");
      if (x.said) {
        const secs = attempt.choices[i - 1] ? attempt.choices[i - 1].seconds : 0;
        li.append(el("p", "you", [el("b", "", [String(i) + ". "]), bi(x.said),
          el("small", "", [" (" + secs.toFixed(1) + " ", say("seconds"), ")"])]));
        for (const n of x.notes) li.append(el("p", "note", [bi(n)]));
      }
      if (x.reply) li.append(el("p", "them", [bi(x.reply)]));
      ol.append(li);
    });
    box.append(ol);
  }

  // ---- Faces: the game's portrait, drawn in SVG from pleasure, arousal and dominance.
  const MOOD_COLOURS = {
    hostile: "#aa3c37", anxious: "#be8c32", disdainful: "#785a96", bored: "#5f646e",
    exuberant: "#5aaa64", dependent: "#6496b4", relaxed: "#469682", docile: "#78a0be", calm: "#506e8c",
  };
  function faceSvg(pad, key) {
    const [pl, ar, dm] = pad;
    const size = 160, r = size / 2, cx = r, cy = r, dark = "#2d2623";
    const s = svg("svg", { viewBox: "0 0 160 160", class: "face", role: "img" });
    s.append(svg("circle", { cx, cy, r, fill: MOOD_COLOURS[key] || "#506e8c", "fill-opacity": 0.55 }));
    s.append(svg("circle", { cx, cy: cy - r * 0.08, r: r * 0.66, fill: dark }));
    s.append(svg("ellipse", { cx, cy: cy + r * 0.05, rx: r * 0.56, ry: r * 0.64, fill: "#ecc8a5" }));
    s.append(svg("ellipse", { cx, cy: cy + r * 1.02, rx: r * 0.9, ry: r * 0.38, fill: "#323c50" }));
    const eyeH = Math.max(r * 0.07 * (1 + ar * 0.6 - Math.max(dm, 0) * Math.max(-pl, 0) * 0.6), r * 0.02);
    const tilt = -pl * (dm - 0.2) * 0.25 - Math.max(ar, 0) * Math.max(-pl, 0) * Math.max(1 - dm, 0) * 0.1;
    for (const side of [-1, 1]) {
      const ex = cx + side * r * 0.22, ey = cy - r * 0.05;
      s.append(svg("ellipse", { cx: ex, cy: ey, rx: r * 0.08, ry: eyeH, fill: "#fff" }));
      s.append(svg("circle", { cx: ex, cy: ey, r: r * 0.04, fill: dark }));
      s.append(svg("line", {
        x1: ex - side * r * 0.1, y1: ey - r * 0.15 + tilt * r,
        x2: ex + side * r * 0.12, y2: ey - r * 0.15 - tilt * r * 0.4,
        stroke: dark, "stroke-width": r * 0.045, "stroke-linecap": "round",
      }));
    }
    const my = cy + r * 0.33, w = r * 0.22, bend = pl * r * 0.14;
    const pts = [];
    for (let i = 0; i <= 12; i++) {
      const t = -1 + i / 6;
      pts.push([cx + t * w, my + bend * (1 - t * t) - bend * 0.4]);
    }
    const line = (p) => p.map((q) => q[0].toFixed(1) + "," + q[1].toFixed(1)).join(" ");
    if (ar > 0.45) {
      const lower = pts.slice().reverse().map((q) => [q[0], q[1] + r * 0.07 * ar]);
      s.append(svg("polygon", { points: line(pts.concat(lower)), fill: "#782828" }));
    }
    s.append(svg("polyline", { points: line(pts), fill: "none", stroke: "#8c3c37", "stroke-width": r * 0.04, "stroke-linecap": "round" }));
    if (key === "anxious") s.append(svg("circle", { cx: cx + r * 0.45, cy: cy - r * 0.2, r: r * 0.05, fill: "#96c8f0" }));
    return s;
  }

  // ---- The deadline, counted down on the server's clock.
  const clock = Dojo.clock(app.dataset.now);
  const deadline = Number(app.dataset.deadline || 0);
  function tick() {
    const c = document.getElementById("countdown");
    if (!c || !deadline) return;
    const left = clock.left(deadline);
    c.replaceChildren();
    c.className = left <= 120 ? "soon" : "";
    if (left <= 0) return c.append(say("timeUp"));
    c.append(say("left", { t: Dojo.duration(left) }));
  }
  tick();
  setInterval(tick, 1000);

  // ---- Start where this device left off.
  who();
  if (!form && !me) {
    show("join");
  } else if (!me) {
    show("join");
    document.getElementById("name").focus();
  } else if (attempt && attempt.choices && !attempt.done) {
    // Mid-meeting, or on the debrief: replaying the inputs brings back either (a finished
    // meeting's debrief is drawn again with its stored receipt).
    show("meet");
    replay();
  } else {
    toPrep();
  }
})();
