"use strict";
// The focal-point picker of the media form: clicking the picture (or pressing the arrow
// keys on it) sets the focal x/y inputs, which stay editable by hand. The marker is placed
// through element.style (CSSOM), which the Content-Security-Policy allows; a style
// attribute written into the markup would be blocked.
(function () {
    const STEP = 0.05;

    function clamp(value) {
        return Math.min(1, Math.max(0, value));
    }

    function setUp(picker) {
        let image = picker.querySelector("img");
        if (!image) {
            // Nothing to show yet: the page has no <img> without a source (invalid HTML),
            // so the picture a file input will fill is made here.
            image = document.createElement("img");
            image.className = "runcms-focal-image";
            image.alt = picker.dataset.focalAlt;
            image.tabIndex = 0;
            picker.prepend(image);
        }
        const marker = picker.querySelector(".runcms-focal-marker");
        const inputX = document.getElementById("id_focal_x");
        const inputY = document.getElementById("id_focal_y");
        if (!image || !marker || !inputX || !inputY) {
            return;
        }

        function current() {
            return [parseFloat(inputX.value), parseFloat(inputY.value)];
        }

        // Placed in pixels over the picture itself, measured each time, so the marker is
        // where the editor clicked whatever the window width (the picture is scaled to fit)
        // and whatever box surrounds it; redrawn whenever the picture changes size.
        function showMarker() {
            const [x, y] = current();
            marker.hidden = !(Number.isFinite(x) && Number.isFinite(y));
            if (marker.hidden) {
                return;
            }
            marker.style.left = image.offsetLeft + clamp(x) * image.offsetWidth + "px";
            marker.style.top = image.offsetTop + clamp(y) * image.offsetHeight + "px";
        }

        function choose(x, y) {
            inputX.value = clamp(x).toFixed(3);
            inputY.value = clamp(y).toFixed(3);
            inputX.dispatchEvent(new Event("change", {bubbles: true}));
            inputY.dispatchEvent(new Event("change", {bubbles: true}));
            showMarker();
        }

        image.addEventListener("click", function (event) {
            const box = image.getBoundingClientRect();
            choose((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
        });

        image.addEventListener("keydown", function (event) {
            const moves = {ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP]};
            const move = moves[event.key];
            if (!move) {
                return;
            }
            event.preventDefault();
            const [x, y] = current().map(function (value) {
                return Number.isFinite(value) ? value : 0.5;
            });
            choose(x + move[0], y + move[1]);
        });

        inputX.addEventListener("input", showMarker);
        inputY.addEventListener("input", showMarker);
        image.addEventListener("load", showMarker);
        window.addEventListener("resize", showMarker);
        if (window.ResizeObserver) {
            new ResizeObserver(showMarker).observe(image);
        }

        // A file chosen in this form is shown from the browser's own copy, so the point
        // can be set before the first save. A video's poster wins over the video itself.
        let localUrl = null;
        function showChosen() {
            const chosen = ["id_poster", "id_file"]
                .map(function (id) {
                    const input = document.getElementById(id);
                    return input && input.files && input.files[0];
                })
                .find(function (file) {
                    return file && file.type.startsWith("image/");
                });
            if (!chosen) {
                return;
            }
            if (localUrl) {
                URL.revokeObjectURL(localUrl);
            }
            localUrl = URL.createObjectURL(chosen);
            image.removeAttribute("width");
            image.removeAttribute("height");
            image.src = localUrl;
            document.querySelectorAll(".runcms-focal-empty").forEach(function (element) {
                element.classList.remove("runcms-focal-empty");
            });
            document.querySelectorAll(".runcms-focal-waiting").forEach(function (element) {
                element.hidden = true;
            });
        }
        ["id_file", "id_poster"].forEach(function (id) {
            const input = document.getElementById(id);
            if (input) {
                input.addEventListener("change", showChosen);
            }
        });

        showMarker();
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("[data-focal-picker]").forEach(setUp);
    });
})();
