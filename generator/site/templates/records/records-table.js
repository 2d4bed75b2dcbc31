/* Sorting and filtering of the record index tables. Self-hosted, no dependency.
   Without this script the tables are complete and readable; the filter form stays hidden. */
(function () {
  "use strict";

  function cellValue(row, col) {
    var cell = row.cells[col];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return (v !== null ? v : cell.textContent).trim();
  }

  var NUMBER = /^-?\d+(\.\d+)?$/;

  function compare(a, b, lang) {
    var emptyA = a === "" || a === "\u2014", emptyB = b === "" || b === "\u2014";
    if (emptyA || emptyB) return emptyA === emptyB ? 0 : (emptyA ? 1 : -1);
    if (NUMBER.test(a) && NUMBER.test(b)) return parseFloat(a) - parseFloat(b);
    return a.localeCompare(b, lang, { numeric: true, sensitivity: "base" });
  }

  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) return;
    var lang = document.documentElement.lang || "en";
    var prefix = table.getAttribute("data-sort-label") || "";
    /* an attribute, not a class: mkdocs-material styles only tables without a class (a class unstyled the
       indexes on a desktop, reader re-try); on a phone its header row becomes a labelled row of buttons */
    table.setAttribute("data-sortable", "");
    Array.prototype.forEach.call(head.cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "records-sort";
      button.setAttribute("aria-label", prefix + th.textContent.trim());
      while (th.firstChild) button.appendChild(th.firstChild);
      var mark = document.createElement("span");
      mark.className = "records-sort-mark";
      mark.setAttribute("aria-hidden", "true");
      button.appendChild(mark);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.cells, function (other) {
          other.removeAttribute("aria-sort");
          var m = other.querySelector(".records-sort-mark");
          if (m) m.textContent = "";
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        mark.textContent = ascending ? " \u25B2" : " \u25BC";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(cellValue(r1, col), cellValue(r2, col), lang);
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function makeFilterable(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table || !table.tBodies[0]) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var output = form.querySelector(".records-count");
    var template = form.getAttribute("data-count") || "{shown} / {total}";

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = selects.every(function (select) {
          if (!select.value) return true;
          var have = (row.getAttribute("data-" + select.name) || "").split(" ");
          return have.indexOf(select.value) !== -1;
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (output) {
        output.textContent = template.replace("{shown}", String(shown)).replace("{total}", String(rows.length));
      }
    }

    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-records-index]"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("form.records-filter"), makeFilterable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
