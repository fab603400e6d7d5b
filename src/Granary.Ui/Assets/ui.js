// Granary UI: search as you type, and "/" to search. Everything works without this file:
// the search box is a plain form that submits to the search page.
(function () {
  "use strict";
  var base = document.body.getAttribute("data-base");
  var box = document.getElementById("search-box");
  var panel = document.getElementById("search-results");
  if (!base || !box || !panel) { return; }
  var timer = 0;
  var asked = "";

  function close() { panel.hidden = true; }
  function links() { return Array.prototype.slice.call(panel.querySelectorAll("a")); }

  function suggest() {
    var query = box.value.trim();
    if (query === asked) { return; }
    asked = query;
    if (!query) { panel.innerHTML = ""; close(); return; }
    fetch(base + "/search?fragment=1&q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (query !== asked) { return; } // a stale answer
        panel.setAttribute("data-query", query);
        // The same list again is left as it is: replacing it would drop the keyboard focus inside it.
        if (html !== panel.innerHTML) { panel.innerHTML = html; }
        panel.hidden = html === "";
      })
      .catch(function () { close(); });
  }

  box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(suggest, 120); });
  box.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && !panel.hidden && links().length) { e.preventDefault(); links()[0].focus(); }
    if (e.key === "Escape") { close(); }
  });
  panel.addEventListener("keydown", function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i >= 0 && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) { all[i - 1].focus(); } else { box.focus(); } }
    if (e.key === "Escape") { close(); box.focus(); }
  });
  document.addEventListener("click", function (e) { if (!box.form.contains(e.target)) { close(); } });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (e.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA" && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); box.focus(); box.select(); }
  });
})();
