// Live preview for the article body: the server renders the Markdown through the
// same pipeline and templates as the public page; the result is shown in a
// sandboxed frame, where no script can run.
"use strict";

(function () {
    const DELAY_MS = 300;

    function setUp(editor) {
        const textarea = editor.querySelector("textarea");
        const frame = editor.querySelector(".markdown-editor__frame");
        const status = editor.querySelector(".markdown-editor__status");
        const problems = editor.querySelector(".markdown-editor__problems");
        const form = textarea.form;
        let timer = null;
        let latest = 0;

        function field(name) {
            const input = form && form.elements.namedItem(name);
            return input && "value" in input ? input.value : "";
        }

        function showProblems(messages) {
            problems.replaceChildren(...messages.map(function (message) {
                const item = document.createElement("li");
                item.textContent = message;
                return item;
            }));
            problems.hidden = messages.length === 0;
        }

        async function refresh() {
            const request = ++latest;
            const data = new FormData();
            data.append("body", textarea.value);
            data.append("title", field("title"));
            data.append("summary", field("summary"));
            data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken"));
            status.textContent = "Updating the preview…";
            try {
                const response = await fetch(editor.dataset.previewUrl, {
                    method: "POST", body: data, credentials: "same-origin",
                });
                const result = await response.json();
                if (request !== latest) {
                    return;  // the editor typed on; a newer preview is on its way
                }
                if (!response.ok) {
                    status.textContent = result.detail || "The preview is not available right now.";
                    return;
                }
                frame.srcdoc = result.html;
                showProblems(result.problems);
                status.textContent = result.problems.length
                    ? "Preview. Fix the embeds listed before saving:"
                    : "Preview: exactly as readers will see it.";
            } catch (error) {
                if (request === latest) {
                    status.textContent = "The preview is not available right now: " + error.message;
                }
            }
        }

        textarea.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(refresh, DELAY_MS);
        });
        for (const name of ["title", "summary"]) {
            const input = form && form.elements.namedItem(name);
            if (input) {
                input.addEventListener("change", refresh);
            }
        }
        refresh();
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll(".markdown-editor").forEach(setUp);
    });
})();
