// Drag-and-drop reordering for tabular inlines marked "runcms-sortable".
// Rows are dragged by their grip; the position inputs stay the source of truth, so
// without JavaScript an editor can still type the numbers.
"use strict";
(function () {
  function hasContent(row) {
    if (row.classList.contains("has_original")) return true;
    return Array.from(row.querySelectorAll("td:not(.field-position) textarea, td:not(.field-position) input[type=text]"))
      .some(function (el) { return el.value.trim() !== ""; });
  }

  function renumber(tbody) {
    let position = 1;
    tbody.querySelectorAll("tr.form-row:not(.empty-form)").forEach(function (row) {
      const input = row.querySelector("td.field-position input");
      if (input && hasContent(row)) input.value = position++;
    });
  }

  function addGrip(row) {
    const cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".runcms-grip")) return;
    const grip = document.createElement("span");
    grip.className = "runcms-grip";
    grip.textContent = "⠿";
    grip.title = "Drag to reorder";
    grip.setAttribute("aria-hidden", "true");
    grip.addEventListener("mousedown", function () { row.draggable = true; });
    row.addEventListener("dragend", function () { row.draggable = false; });
    cell.prepend(grip);
  }

  function makeSortable(group) {
    const tbody = group.querySelector("tbody");
    if (!tbody) return;
    let dragged = null;
    tbody.addEventListener("dragstart", function (event) {
      dragged = event.target.closest ? event.target.closest("tr.form-row") : null;
      if (!dragged) return;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      dragged.classList.add("runcms-dragging");
    });
    tbody.addEventListener("dragover", function (event) {
      const target = event.target.closest ? event.target.closest("tr.form-row") : null;
      if (!dragged || !target || target === dragged || target.classList.contains("empty-form")) return;
      event.preventDefault();
      const rect = target.getBoundingClientRect();
      const after = event.clientY > rect.top + rect.height / 2;
      tbody.insertBefore(dragged, after ? target.nextSibling : target);
    });
    tbody.addEventListener("drop", function (event) { event.preventDefault(); });
    tbody.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("runcms-dragging");
      dragged = null;
      renumber(tbody);
    });
    function prepare() {
      tbody.querySelectorAll("tr.form-row:not(.empty-form)").forEach(addGrip);
    }
    prepare();
    new MutationObserver(prepare).observe(tbody, { childList: true });
    const form = group.closest("form");
    if (form) form.addEventListener("submit", function () { renumber(tbody); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".runcms-sortable").forEach(makeSortable);
  });
})();
