// The preview page: listens for server-sent events, shows the problems of the input as it is now,
// and swaps in the newly paged package only once Paged.js has laid it out (no blank flash).
// Every text from the server is put in with textContent, never as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const frames = $("frames");
  let shown = null;     // render number in the visible frame
  let loading = null;   // render number being paged in a hidden frame
  let pages = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function excerpt(x) {
    const pre = el("pre", { class: "excerpt" });
    x.lines.forEach((text, i) => {
      const n = x.first + i;
      const row = el("span", { class: n === x.line ? "line hit" : "line" }, el("span", { class: "no" }, String(n)), text || " ");
      pre.append(row);
      if (n === x.line && x.column) {
        pre.append(el("span", { class: "line caret" }, el("span", { class: "no" }, ""), " ".repeat(x.column - 1) + "^"));
      }
    });
    return pre;
  }

  function showProblems(s) {
    const box = $("problems"), list = $("problem-list");
    list.replaceChildren();
    box.hidden = s.problems.length === 0;
    box.className = "problems" + (s.errors ? " has-errors" : "");
    $("problems-title").textContent = `${s.errors} 个错误，${s.warnings} 个警告`;
    const open = s.problems.length <= 3;
    for (const p of s.problems) {
      const item = el("li", { class: "problem " + p.severity },
        el("div", { class: "head" },
          el("span", { class: "sev" }, p.severity === "error" ? "错误" : "警告"), " ",
          el("code", { class: "rule" }, p.rule), " ",
          el("span", { class: "msg" }, p.message)));
      p.locations.forEach((loc, i) => {
        const where = el("code", { class: "where" }, (i ? "另见 " : "") + (loc.where || loc.file));
        if (loc.excerpt) {
          item.append(el("details", { class: "loc", open: open && i === 0 }, el("summary", {}, where), excerpt(loc.excerpt)));
        } else {
          item.append(el("div", { class: "loc" }, where));
        }
      });
      list.append(item);
    }
  }

  function showToc(s) {
    const list = $("toc");
    list.replaceChildren();
    for (const e of s.toc) {
      const a = el("a", { href: e.href }, e.text);
      a.addEventListener("click", (ev) => { ev.preventDefault(); jump(e.href.slice(1)); });
      list.append(el("li", { class: `l${e.level}` + (e.table ? " table" : "") }, a));
    }
  }

  let pendingJump = null;   // an anchor on a page not laid out yet
  function jump(id) {
    const frame = frames.querySelector("iframe.shown");
    const target = frame && frame.contentDocument && frame.contentDocument.getElementById(id);
    pendingJump = target ? null : id;
    if (target) target.scrollIntoView({ block: "start" });
  }

  function showDownloads(s) {
    const nav = $("downloads");
    nav.replaceChildren();
    for (const d of s.downloads) {
      nav.append(el("a", { href: d.url, class: "download", download: "", title: `下载 ${d.label}（按当前有效版本生成）` }, `下载 ${d.label}`));
    }
  }

  function showStatus(s) {
    if (s.title) { $("title").textContent = s.title; document.title = `预览 · ${s.title}`; }
    let text;
    if (s.render === null) text = `${s.checked_at || ""} 数据文件有错误，改正后自动显示`;
    else if (s.stale) text = `${s.checked_at} 有错误；下面是 ${s.rendered_at} 的最后有效版本`;
    else text = `已更新 ${s.rendered_at}` + (pages ? ` · 共 ${pages} 页` : "");
    $("status").textContent = text;
    $("status").className = "status" + (s.errors ? " bad" : "");
    const stale = $("stale");
    stale.hidden = !s.stale;
    stale.textContent = s.stale ? `数据文件目前有 ${s.errors} 个错误，预览保留 ${s.rendered_at} 的最后有效版本；下载的文件也是该版本。` : "";
    document.body.dataset.version = String(s.version);
  }

  // Where the reader is: the page at the top of the visible frame and how far down it they are.
  function position(frame) {
    const doc = frame && frame.contentDocument, win = frame && frame.contentWindow;
    if (!doc || !win) return { page: 0, offset: 0 };
    const sheets = doc.querySelectorAll(".pagedjs_page");
    for (let i = 0; i < sheets.length; i++) {
      const top = sheets[i].getBoundingClientRect().top + win.scrollY;
      if (top + sheets[i].offsetHeight > win.scrollY) return { page: i, offset: win.scrollY - top };
    }
    return { page: 0, offset: win.scrollY };
  }

  function restore(frame, where) {
    const doc = frame.contentDocument, win = frame.contentWindow;
    const sheet = doc && doc.querySelectorAll(".pagedjs_page")[where.page];
    if (sheet) win.scrollTo(0, sheet.getBoundingClientRect().top + win.scrollY + where.offset);
  }

  let pending = null;   // {frame, n, where}: the new version being laid out

  function load(n) {
    if (pending) pending.frame.remove();
    const frame = el("iframe", { class: "loading", title: "公开包预览", "data-render": n, src: `/render/${n}/` });
    pending = { frame, n, where: position(frames.querySelector("iframe.shown")) };
    loading = n;
    frames.append(frame);
    // If Paged.js cannot lay the package out, show it unpaged rather than not at all.
    setTimeout(() => { if (pending && pending.frame === frame) swap(); }, 20000);
  }

  // Show the pending frame: as soon as the page the reader was looking at (and the next) are laid out.
  function swap() {
    const { frame, where } = pending;
    pending = null;
    frame.classList.remove("loading");
    frame.classList.add("shown");
    restore(frame, where);
    for (const f of frames.querySelectorAll("iframe")) if (f !== frame) f.remove();
    shown = Number(frame.dataset.render);
    loading = null;
    pages = null;
    document.body.dataset.render = String(shown);
    if (state) showStatus(state);
  }

  window.addEventListener("message", (ev) => {
    if (ev.origin !== location.origin || !ev.data) return;
    if (pending && ev.source === pending.frame.contentWindow) {
      if (ev.data.type === "page" && ev.data.n >= pending.where.page + 2) swap();
      else if (ev.data.type === "paged") swap();
    }
    const current = frames.querySelector("iframe.shown");
    if (ev.data.type === "paged" && current && ev.source === current.contentWindow) {
      pages = ev.data.pages;
      document.body.dataset.paged = String(current.dataset.render);
      if (pendingJump) jump(pendingJump);
      if (state) showStatus(state);
    }
  });

  let state = null;
  async function update() {
    const r = await fetch("/state.json", { cache: "no-store" });
    if (!r.ok) return;
    state = await r.json();
    showStatus(state);
    showProblems(state);
    showToc(state);
    showDownloads(state);
    if (state.render !== null && state.render !== shown && state.render !== loading) load(state.render);
  }

  const events = new EventSource("/events");
  events.addEventListener("state", () => { update().catch(() => {}); });
  events.addEventListener("error", () => {
    if (events.readyState === EventSource.CLOSED) $("status").textContent = "与预览服务的连接已断开（discloser preview 已停止？）";
  });
})();
