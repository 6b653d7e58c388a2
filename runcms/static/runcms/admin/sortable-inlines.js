// Reordering for tabular inlines marked "runcms-sortable": drag a row by its grip, or
// focus the grip and press the up and down arrow keys. The position inputs stay the
// source of truth, so without JavaScript an editor can still type the numbers (and the
// server puts a new row left at 0 last).
"use strict";
(function () {
  const ROWS = "tr.form-row:not(.empty-form)";

  function positionInput(row) {
    return row.querySelector("td.field-position input");
  }

  function isBookkeeping(control) {
    // Fields the editor does not fill in to give a row its content.
    return control.type === "hidden" || /-(position|DELETE)$/.test(control.name || "");
  }

  function selectChanged(select) {
    const options = Array.from(select.options);
    if (select.multiple) {
      return options.some(function (option) { return option.selected !== option.defaultSelected; });
    }
    const marked = options.find(function (option) { return option.defaultSelected; });
    // An autocomplete starts with nothing chosen (no option, or an empty one): an option
    // with a value was picked by the editor. A plain select with no option marked
    // selected shows its first option by default.
    let initial = "";
    if (marked) initial = marked.value;
    else if (!select.classList.contains("admin-autocomplete") && options.length) initial = options[0].value;
    return select.value !== initial;
  }

  function changedFromDefault(control) {
    if (control.tagName === "SELECT") return selectChanged(control);
    if (control.type === "checkbox" || control.type === "radio") return control.checked !== control.defaultChecked;
    return control.value !== control.defaultValue;
  }

  // A row counts when it is already saved or the editor changed one of its fields. An
  // untouched extra row must stay untouched (a cue's "kind" has a default), or Django
  // would validate it and report its required fields.
  function hasContent(row) {
    if (row.classList.contains("has_original")) return true;
    return Array.from(row.querySelectorAll("input, select, textarea"))
      .some(function (control) { return !isBookkeeping(control) && changedFromDefault(control); });
  }

  function isDeleted(row) {
    const box = row.querySelector("input[type=checkbox][name$='-DELETE']");
    return Boolean(box && box.checked);
  }

  function contentRows(tbody) {
    return Array.from(tbody.querySelectorAll(ROWS)).filter(hasContent);
  }

  // After a move, the screen order is the order: number every row from 1.
  function renumber(tbody) {
    contentRows(tbody).forEach(function (row, index) {
      const input = positionInput(row);
      if (input) input.value = index + 1;
    });
  }

  // Without a move, keep the numbers as typed; a new row without one goes after the others.
  function numberNewRows(tbody) {
    const rows = contentRows(tbody).filter(function (row) { return !isDeleted(row); });
    let highest = rows.reduce(function (max, row) {
      const input = positionInput(row);
      return Math.max(max, (input && parseInt(input.value, 10)) || 0);
    }, 0);
    rows.forEach(function (row) {
      const input = positionInput(row);
      if (!row.classList.contains("has_original") && input && !parseInt(input.value, 10)) {
        input.value = ++highest;
      }
    });
  }

  function neighbour(row, direction) {
    let other = direction < 0 ? row.previousElementSibling : row.nextElementSibling;
    while (other && !other.matches(ROWS)) {
      other = direction < 0 ? other.previousElementSibling : other.nextElementSibling;
    }
    return other;
  }

  function makeSortable(group) {
    const tbody = group.querySelector("tbody");
    if (!tbody) return;
    let moved = false;
    let dragged = null;
    const status = document.createElement("span");
    status.className = "runcms-sr-only";
    status.setAttribute("aria-live", "polite");
    group.append(status);

    function afterMove(row) {
      moved = true;
      renumber(tbody);
      const rows = Array.from(tbody.querySelectorAll(ROWS));
      status.textContent = "Moved to place " + (rows.indexOf(row) + 1) + " of " + rows.length + ".";
    }

    function moveWithKeys(event, row, grip) {
      const direction = { ArrowUp: -1, ArrowDown: 1 }[event.key];
      if (!direction) return;
      event.preventDefault();
      const other = neighbour(row, direction);
      if (!other) return;
      tbody.insertBefore(row, direction < 0 ? other : other.nextElementSibling);
      grip.focus();  // moving the row took the focus away
      afterMove(row);
    }

    function addGrip(row) {
      const cell = row.querySelector("td.field-position");
      if (!cell || cell.querySelector(".runcms-grip")) return;
      const grip = document.createElement("button");
      grip.type = "button";
      grip.className = "runcms-grip";
      grip.textContent = "⠿";
      grip.title = "Drag to reorder, or press the up and down arrow keys";
      grip.setAttribute("aria-label", "Move this row: press the up or down arrow key");
      grip.addEventListener("mousedown", function () { row.draggable = true; });
      grip.addEventListener("keydown", function (event) { moveWithKeys(event, row, grip); });
      row.addEventListener("dragend", function () { row.draggable = false; });
      cell.prepend(grip);
    }

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
      if (!dragged) return;
      dragged.classList.remove("runcms-dragging");
      afterMove(dragged);
      dragged = null;
    });

    function prepare() {
      tbody.querySelectorAll(ROWS).forEach(addGrip);
    }
    prepare();
    new MutationObserver(prepare).observe(tbody, { childList: true });
    const form = group.closest("form");
    if (form) {
      form.addEventListener("submit", function () {
        // A row filled in after the move is numbered by its place on the screen too.
        if (moved) renumber(tbody); else numberNewRows(tbody);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".runcms-sortable").forEach(makeSortable);
  });
})();
