// What the class pages share: the server's clock (the page's `data-now`, unix seconds, set
// against this device's clock) with a deadline counted down on it, and table cells set with
// textContent (never as HTML).
window.Dojo = (function () {
  "use strict";
  function clock(serverNow) {
    const skew = Number(serverNow || 0) * 1000 - Date.now();
    const now = () => (Date.now() + skew) / 1000;
    return { now, left: (deadline) => Math.floor(deadline - now()) };
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  // "M:SS", or "H:MM:SS" from an hour up.
  function duration(left) {
    const h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    return (h ? h + ":" + two(m) : m) + ":" + two(s);
  }
  // The countdown as the projector and the trainer's page show it (both languages side by
  // side) in `el`; nothing without a deadline or once closed.
  function countdown(el, c, deadline, open) {
    el.className = "";
    if (!deadline || !open) { el.textContent = ""; return; }
    const left = c.left(deadline);
    if (left <= 0) { el.textContent = "时间到 time is up"; el.className = "over"; return; }
    el.textContent = "剩余 " + duration(left) + " left";
    el.className = left <= 120 ? "soon" : "";
  }
  function cell(row, text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  return { clock, duration, countdown, cell };
})();
