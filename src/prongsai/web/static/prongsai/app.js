// prongsai: on a phone, a table too wide for its card becomes a stack of cards (app.css, "the phone"): each cell
// is labelled here with its column's heading, so that no template repeats its headings, and a table that fits
// (rank, indicator, score) stays a table.
(function () {
  "use strict";
  var PHONE = window.matchMedia("(max-width: 640px)");

  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (heads.length < 3) return false;
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var heading = heads[column] || "";
        if (heading && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heading);
        if (!cell.textContent.trim() && !cell.querySelector("input, select, button, img, svg")) cell.classList.add("blank");
        column += cell.colSpan || 1;
      });
    });
    return true;
  }

  function fit(table) {
    table.classList.remove("cards");
    if (!PHONE.matches || !table.parentElement) return;
    if (table.scrollWidth > table.parentElement.clientWidth + 1) table.classList.add("cards");
  }

  function all(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table.table"), function (table) {
      if (label(table)) fit(table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { all(document); });
  document.addEventListener("htmx:afterSettle", function (event) { all(event.target); });
  PHONE.addEventListener("change", function () { all(document); });
  window.addEventListener("orientationchange", function () { all(document); });
})();
