/* count.js: the live signature count on the page of a petition that takes
 * signatures (or confirmations).  Optional: the page shows the counts of
 * the moment it was drawn and works the same without it.
 *
 * Every 5 seconds while the tab is visible, it asks the count endpoint
 * named by data-count-url (JSON: {"total": n, "by_region": {"ON": n, ...}})
 * and writes the numbers into the element marked data-count-total, the
 * total row of the regions table and the cells marked data-region="ON"
 * etc., formatted for the page's language as the server
 * does ("1,234"; "1 234" with a no-break space).  It revalidates
 * (cache: "no-cache"), so the browser sends If-None-Match and an unchanged
 * count costs a 304.  A failed request changes nothing; the next one is
 * tried on time. */
(function () {
  "use strict";
  var box = document.querySelector("[data-count-url]");
  if (!box || !window.fetch || !window.Intl) return;
  var url = box.getAttribute("data-count-url");
  var PERIOD_MS = 5000;
  var locale = document.documentElement.lang === "fr" ? "fr-CA" : "en-CA";
  var format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var timer = null;
  var busy = false;

  /* Some ICU versions group French digits with a narrow no-break space
   * (U+202F); the server writes U+00A0: keep the page consistent. */
  function text(n) {
    return format.format(n).replace(/\u202f/g, "\u00a0");
  }

  function write(el, n) {
    if (typeof n !== "number" || !isFinite(n) || n < 0) return;
    var t = text(n);
    if (el.textContent !== t) el.textContent = t;
  }

  function show(counts) {
    if (!counts || typeof counts.total !== "number") return;
    var regions = counts.by_region || {};
    document.querySelectorAll("[data-count-total], table.regions tfoot td").forEach(function (el) {
      write(el, counts.total);
    });
    document.querySelectorAll("[data-region]").forEach(function (el) {
      write(el, regions[el.getAttribute("data-region")]);
    });
  }

  function schedule() {
    if (timer === null && !busy && !document.hidden) timer = setTimeout(poll, PERIOD_MS);
  }

  function poll() {
    timer = null;
    if (document.hidden) return;
    busy = true;
    fetch(url, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(show)
      .catch(function () { /* offline or refused: keep what is shown */ })
      .then(function () {
        busy = false;
        schedule();
      });
  }

  /* Nothing while the tab is hidden; on its return, catch up at once. */
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    } else if (timer === null && !busy) {
      poll();
    }
  });
  schedule();
})();
