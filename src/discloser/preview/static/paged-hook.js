// Runs inside the package frame, before Paged.js: reports to the preview page each page laid out
// (so the page can show the new version as soon as the part being looked at is ready) and the end;
// scales the sheets down when the widest one (a landscape table) is wider than the frame.
"use strict";
(function () {
  const tell = (message) => {
    if (window.parent !== window) window.parent.postMessage(message, location.origin);
  };
  let widest = 0;
  function fit() {
    const sheets = document.querySelector(".pagedjs_pages");
    if (!sheets) return;
    const room = document.documentElement.clientWidth - 24;
    sheets.style.zoom = widest > room ? String(room / widest) : "";
  }
  window.addEventListener("resize", fit);
  window.PagedConfig = {
    auto: true,
    before: function () {
      window.PagedPolyfill.chunker.on("renderedPage", function (page) {
        const zoom = Number(document.querySelector(".pagedjs_pages").style.zoom || 1);
        const width = page.element.getBoundingClientRect().width / zoom;
        if (width > widest + 1) { widest = width; fit(); }
        tell({ type: "page", n: page.position + 1 });
      });
    },
    after: function (flow) {
      document.documentElement.dataset.paged = String(flow.total);
      tell({ type: "paged", pages: flow.total });
    },
  };
})();
