// Drag-and-drop reordering for tabular inlines marked "runcms-sortable".
// The position inputs stay the source of truth, so it degrades to typing numbers.
"use strict";
(function () {
  function renumber(tbody) {
    let position = 1;
    tbody.querySelectorAll("tr.form-row:not(.empty-form)").forEach(function (row) {
      const input = row.querySelector("td.field-position input");
      const hasContent = Array.from(row.querySelectorAll("td:not(.field-position) input, td:not(.field-position) textarea, td:not(.field-position) select"))
        .some(function (el) { return el.type !== "hidden" && el.type !== "checkbox" && el.value; });
      if (input && hasContent) {
        input.value = position++;
      }
    });
  }

  function makeSortable(group) {
    const tbody = group.querySelector("tbody");
    if (!tbody) return;
    let dragged = null;
    tbody.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("tr.form-row");
      if (dragged) event.dataTransfer.effectAllowed = "move";
    });
    tbody.addEventListener("dragover", function (event) {
      const target = event.target.closest("tr.form-row");
      if (!dragged || !target || target === dragged) return;
      event.preventDefault();
      const rect = target.getBoundingClientRect();
      const after = event.clientY > rect.top + rect.height / 2;
      tbody.insertBefore(dragged, after ? target.nextSibling : target);
    });
    tbody.addEventListener("drop", function (event) {
      event.preventDefault();
      renumber(tbody);
      dragged = null;
    });
    function prepare() {
      tbody.querySelectorAll("tr.form-row:not(.empty-form)").forEach(function (row) {
        if (row.draggable) return;
        row.draggable = true;
        row.classList.add("runcms-draggable");
        row.title = "Drag to reorder";
      });
    }
    prepare();
    new MutationObserver(prepare).observe(tbody, { childList: true });
    group.closest("form").addEventListener("submit", function () { renumber(tbody); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".runcms-sortable").forEach(makeSortable);
  });
})();
