// The room board's page: live updates over Server-Sent Events (never a reload), what is new
// highlighted, the focus view (arrows, 1-9, Esc, ?q=Q2) and a plain word when the board is stale.
(() => {
  "use strict";
  const body = document.body;
  const main = document.getElementById("board");
  const statusLine = document.getElementById("status");
  const live = body.dataset.live === "1";
  const interval = parseFloat(body.dataset.interval) || 10;
  const HIGHLIGHT_MS = 8000;
  let status = JSON.parse(document.getElementById("board-status").textContent || "{}");
  // The status line's words, in the session's language (the page carries its locale pack's).
  const words = JSON.parse(document.getElementById("board-texts").textContent || "{}");
  const say = (key, values = {}) =>
    (words[key] || "").replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  let statusAt = Date.now();
  let connected = false;
  let focus = new URLSearchParams(location.search).get("q") || body.dataset.focus || null;

  const columns = () => Array.from(main.querySelectorAll("thead th.q"), (th) => th.dataset.q);

  function applyFocus() {
    const all = columns();
    if (focus !== null && !all.includes(focus)) focus = null;
    if (focus === null) delete body.dataset.focus;
    else body.dataset.focus = focus;
    for (const el of main.querySelectorAll("[data-q]")) {
      el.classList.toggle("focused", el.dataset.q === focus);
    }
    const url = new URL(location.href);
    if (focus === null) url.searchParams.delete("q");
    else url.searchParams.set("q", focus);
    if (url.href !== location.href) {
      try {
        history.replaceState(null, "", url.href);
      } catch (_) {
        // A file opened from disk may refuse a new address; the view changes all the same.
      }
    }
  }

  function step(delta) {
    // The cycle is: all questions, Q1, Q2, ..., the online discussion, and round again.
    const all = [null, ...columns()];
    const at = Math.max(0, all.indexOf(focus));
    focus = all[(at + delta + all.length) % all.length];
    applyFocus();
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "ArrowRight") step(1);
    else if (event.key === "ArrowLeft") step(-1);
    else if (event.key === "Escape" || event.key === "Home") {
      focus = null;
      applyFocus();
    } else if (/^[1-9]$/.test(event.key) && columns()[Number(event.key) - 1]) {
      focus = columns()[Number(event.key) - 1];
      applyFocus();
    } else return;
    event.preventDefault();
  });

  main.addEventListener("click", (event) => {
    const link = event.target.closest("a.qlink");
    if (!link) return;
    event.preventDefault();
    const q = link.closest("th").dataset.q;
    focus = focus === q ? null : q;
    applyFocus();
  });

  const cardKeys = () =>
    new Set(Array.from(main.querySelectorAll(".card"), (li) => `${li.dataset.id}:${li.dataset.v}`));
  const cellCounts = () => {
    const counts = new Map();
    for (const td of main.querySelectorAll("td.cell")) {
      counts.set(`${td.parentElement.dataset.group}|${td.dataset.q}`, td.dataset.count);
    }
    return counts;
  };

  function showBoard(html) {
    const before = cardKeys();
    const counts = cellCounts();
    main.innerHTML = html;
    applyFocus();
    const marked = [];
    for (const li of main.querySelectorAll(".card")) {
      if (!before.has(`${li.dataset.id}:${li.dataset.v}`)) {
        li.classList.add("new");
        marked.push(li);
      }
    }
    for (const td of main.querySelectorAll("td.cell")) {
      const key = `${td.parentElement.dataset.group}|${td.dataset.q}`;
      if (counts.has(key) && counts.get(key) !== td.dataset.count) {
        td.classList.add("bumped");
        marked.push(td);
      }
    }
    setTimeout(() => marked.forEach((el) => el.classList.remove("new", "bumped")), HIGHLIGHT_MS);
  }

  function renderStatus() {
    const asOf = status.as_of ? say("status.as_of", { time: status.as_of }) : "";
    let text;
    let stale = true;
    if (!live) {
      text = say("status.snapshot", { time: status.as_of || "" });
      statusLine.className = "status snapshot";
      statusLine.textContent = text;
      return;
    }
    const age = status.age == null ? null : status.age + (Date.now() - statusAt) / 1000;
    if (!connected) {
      text = say("status.lost", { as_of: asOf });
    } else if (status.state === "error" || status.state === "waiting") {
      text = say("status.error", { message: status.message, as_of: asOf });
    } else if (status.state === "starting") {
      text = say("status.starting");
    } else if (age !== null && age > 2 * interval + 5) {
      text = say("status.not_updated", { seconds: Math.round(age), as_of: asOf });
    } else {
      text = say("status.live", { time: status.as_of || "" });
      stale = false;
    }
    const className = stale ? "status stale" : "status";
    // Only real changes: a screen reader announces every new text of this live region.
    if (statusLine.textContent !== text) statusLine.textContent = text;
    if (statusLine.className !== className) statusLine.className = className;
  }

  function connect() {
    const source = new EventSource("events");
    source.addEventListener("open", () => {
      connected = true;
      renderStatus();
    });
    source.addEventListener("error", () => {
      connected = false;
      renderStatus();
      // EventSource retries by itself after a dropped connection; after a refused answer it
      // gives up, so start again (the board server may be restarting).
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
    });
    source.addEventListener("board", (event) => showBoard(JSON.parse(event.data).html));
    source.addEventListener("status", (event) => {
      status = JSON.parse(event.data);
      statusAt = Date.now();
      renderStatus();
    });
  }

  applyFocus();
  renderStatus();
  if (live) {
    connect();
    setInterval(renderStatus, 1000);
  }
})();
