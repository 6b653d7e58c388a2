// On a phone, admin.css stacks the rows of tabular inlines: one field under another, the
// column headings hidden. This gives each cell its column's heading (data-label), which
// the stylesheet shows above the field. Rows added later are copies of a labelled row.
"use strict";
(function () {
    function label(table) {
        const headings = new Map();
        const row = table.tHead && table.tHead.rows[0];
        if (!row) {
            return;
        }
        for (const heading of row.cells) {
            const column = Array.from(heading.classList).find((name) => name.startsWith("column-"));
            if (column) {
                headings.set("field-" + column.slice("column-".length), heading.textContent.trim());
            }
        }
        const deleteHeading = row.cells[row.cells.length - 1].textContent.trim();
        for (const cell of table.querySelectorAll("tbody td")) {
            const field = Array.from(cell.classList).find((name) => headings.has(name));
            const text = field ? headings.get(field) : cell.classList.contains("delete") && deleteHeading;
            if (text) {
                cell.dataset.label = text;
            }
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll(".inline-group .tabular table").forEach(label);
    });
})();
