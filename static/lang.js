/* lang.js: switching language in the middle of a form keeps what was typed.
 *
 * When the other language's link is followed from a page whose forms hold
 * typed values, the values (not passwords, not hidden fields) are kept in
 * this tab's sessionStorage, under the form's address without its
 * language (/en/petitions/e-1/sign and /fr/petitions/e-1/sign are one
 * form); the other language's page puts them back in the same form and
 * forgets them.  They are kept ten minutes at most and never leave the
 * browser.  Without JavaScript the link is a plain link to the other
 * language's page. */
(function () {
  "use strict";
  var KEY = "petitiond.carry";
  var MAX_AGE_MS = 10 * 60 * 1000;

  function formKey(form) {
    var path;
    try {
      path = new URL(form.action, document.baseURI).pathname;
    } catch (e) {
      return null;
    }
    return path.replace(/^\/(en|fr)(?=\/|$)/, "");
  }

  function carried(el) {
    if (!el.name || el.disabled)
      return false;
    var t = (el.type || "").toLowerCase();
    return ["hidden", "password", "submit", "button", "reset", "file", "image"].indexOf(t) < 0;
  }

  function filled(el) {
    var t = (el.type || "").toLowerCase();
    return el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && t !== "checkbox" && t !== "radio");
  }

  function changed(el) {
    var t = (el.type || "").toLowerCase();
    if (t === "checkbox" || t === "radio")
      return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT")
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    return el.value !== el.defaultValue;
  }

  function save() {
    var forms = {};
    var any = false;
    Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
      var key = formKey(form);
      if (!key)
        return;
      /* A form typed in, or shown again with what was sent. */
      var fields = Array.prototype.filter.call(form.elements, carried);
      if (!fields.some(function (el) { return changed(el) || (filled(el) && el.defaultValue !== undefined && el.value !== ""); }))
        return;
      var values = {};
      fields.forEach(function (el) {
        var t = (el.type || "").toLowerCase();
        if (t === "checkbox")
          values[el.name] = el.checked ? "\u0001on" : "\u0001off";
        else if (t === "radio") {
          if (el.checked)
            values[el.name] = el.value;
        } else
          values[el.name] = el.value;
      });
      forms[key] = values;
      any = true;
    });
    try {
      if (any)
        sessionStorage.setItem(KEY, JSON.stringify({ at: Date.now(), forms: forms }));
      else
        sessionStorage.removeItem(KEY);
    } catch (e) {
      /* Storage refused (private mode): the link works as without us. */
    }
  }

  function restore() {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (e) {
      return;
    }
    if (!saved || !saved.forms || Date.now() - saved.at > MAX_AGE_MS)
      return;
    Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
      var values = saved.forms[formKey(form)];
      if (!values)
        return;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!carried(el) || !Object.prototype.hasOwnProperty.call(values, el.name))
          return;
        var v = values[el.name];
        var t = (el.type || "").toLowerCase();
        if (t === "checkbox")
          el.checked = v === "\u0001on";
        else if (t === "radio")
          el.checked = el.value === v;
        else
          el.value = v;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  restore();
  Array.prototype.forEach.call(document.querySelectorAll("a[hreflang]"), function (a) {
    a.addEventListener("click", save);
  });
})();
