/* draft.js: the live word count of the drafting form.  Optional: the
 * server counts again and refuses more than the limit.  Counts as the
 * House does (src/core/words.h): runs of non-space characters holding at
 * least one letter or digit, over the whereas clauses and the prayer. */
(function () {
  "use strict";
  var out = document.getElementById("word-count");
  if (!out) return;
  var max = parseInt(out.getAttribute("data-max"), 10) || 250;
  var label = out.textContent.replace(/\s*\d+\s*$/, "");
  var boxes = document.querySelectorAll("textarea[name^='grievance_'], textarea[name='prayer']");
  var wordish = /[\p{L}\p{N}]/u;
  function count() {
    var n = 0;
    boxes.forEach(function (b) {
      b.value.split(/[\s\u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u).forEach(function (w) {
        if (wordish.test(w)) n++;
      });
    });
    out.textContent = label + " " + n + " / " + max;
    out.classList.toggle("over", n > max);
  }
  boxes.forEach(function (b) { b.addEventListener("input", count); });
  count();
})();
