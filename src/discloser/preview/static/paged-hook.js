// Runs inside the package frame, before Paged.js: reports to the preview page each page laid out
// (so the page can show the new version as soon as the part being looked at is ready) and the end.
"use strict";
(function () {
  const tell = (message) => {
    if (window.parent !== window) window.parent.postMessage(message, location.origin);
  };
  window.PagedConfig = {
    auto: true,
    before: function () {
      window.PagedPolyfill.chunker.on("renderedPage", function (page) {
        tell({ type: "page", n: page.position + 1 });
      });
    },
    after: function (flow) {
      document.documentElement.dataset.paged = String(flow.total);
      tell({ type: "paged", pages: flow.total });
    },
  };
})();
