// Language tabs for translated fields. The server puts each translated field's inputs together
// (the default language's, then one per other language; a column each in inlines), every input
// marked with data-runcms-lang. This script adds a row of tabs above the form: the tab of the
// default language shows its inputs only; another language's tab shows that language's inputs
// beside the default language's text, read-only, as the source to translate from. Fields that are
// not translated always show. Without JavaScript every input shows, labelled with its language.
"use strict";
(function () {
  const MARKED = "[data-runcms-lang]";
  const STORE = "runcms-translation-tab";

  function holder(control) {
    // The box showing one input: its table cell in an inline, else its row of the form.
    return control.closest("td, .fieldBox, .form-row");
  }

  function header(cell) {
    // An inline column's heading: <th class="column-text_de"> above <td class="field-text_de">.
    if (!cell || cell.tagName !== "TD") return null;
    const name = Array.from(cell.classList).find(function (c) { return c.indexOf("field-") === 0; });
    const table = cell.closest("table");
    return name && table ? table.querySelector("thead th.column-" + name.slice(6)) : null;
  }

  function suffix(code) {
    return "_" + code.replace(/-/g, "_");  // as django-modeltranslation names columns
  }

  // The input of the same field in language `code`: steps-0-text_de → steps-0-text_zh_hans.
  function sibling(control, code, source) {
    const own = control.hasAttribute("data-runcms-source") ? "" : suffix(control.dataset.runcmsLang);
    const base = own ? control.name.slice(0, -own.length) : control.name;
    return document.getElementsByName(code === source ? base : base + suffix(code))[0];
  }

  // An empty translation shows, greyed, the text readers get instead (its fallback).
  function showFallback(control, source) {
    const chain = (control.dataset.runcmsFallbacks || "").split(" ").filter(Boolean);
    const text = chain.map(function (code) {
      const other = sibling(control, code, source);
      return other ? other.value.trim() : "";
    }).find(Boolean) || "";
    control.placeholder = text.length > 200 ? text.slice(0, 199) + "…" : text;
  }

  // "source, read-only here" after the label (or column heading) of a default-language input.
  function markSource(box) {
    const label = box.tagName === "TD" ? null : box.querySelector("label");
    const target = box.tagName === "TH" ? box : label;
    if (!target || target.querySelector(".runcms-lang-source-note")) return;
    const note = document.createElement("span");
    note.className = "runcms-lang-source-note";
    note.textContent = " (source, read-only here)";
    target.appendChild(note);
  }

  function select(form, code, source) {
    form.querySelectorAll(MARKED).forEach(function (control) {
      const lang = control.dataset.runcmsLang;
      const isSource = control.hasAttribute("data-runcms-source");
      const shown = lang === code || isSource;
      const asSource = isSource && code !== source;
      [holder(control), header(holder(control))].forEach(function (box) {
        if (!box) return;
        box.classList.toggle("runcms-lang-hidden", !shown);
        box.classList.toggle("runcms-lang-source", asSource);
        box.classList.toggle("runcms-lang-target", lang === code && !isSource);
        if (asSource) markSource(box);
      });
      if (isSource) control.readOnly = asSource;
      else if (lang === code) showFallback(control, source);
    });
    form.querySelectorAll(".runcms-lang-tabs button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.runcmsTab === code));
    });
    form.dataset.runcmsOpenTab = code;
    try { sessionStorage.setItem(STORE, code); } catch (error) { /* storage off: start on the default */ }
  }

  function statuses() {
    const found = {};
    document.querySelectorAll(".runcms-translation-status [data-runcms-status]").forEach(function (item) {
      found[item.dataset.runcmsTranslation] = item.dataset.runcmsStatus;
    });
    return found;
  }

  function tabs(form, found, source) {
    const bar = document.createElement("div");
    bar.className = "runcms-lang-tabs";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Language of the text to edit");
    const status = statuses();
    Object.keys(found).forEach(function (code) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.runcmsTab = code;
      button.textContent = found[code];
      if (code === source) {
        button.appendChild(note(" · source", "source"));
      } else if (status[code]) {
        button.appendChild(note(" · " + status[code], status[code].replace(/ /g, "-")));
      }
      button.addEventListener("click", function () { select(form, code, source); });
      bar.appendChild(button);
    });
    const first = form.querySelector("fieldset");
    first.parentNode.insertBefore(bar, first);
  }

  function note(text, kind) {
    const span = document.createElement("span");
    span.className = "runcms-lang-note runcms-lang-note-" + kind;
    span.textContent = text;
    return span;
  }

  function start() {
    const form = document.querySelector("#content-main form");
    if (!form) return;
    const found = {};
    let source = null;
    form.querySelectorAll(MARKED).forEach(function (control) {
      found[control.dataset.runcmsLang] = control.dataset.runcmsLanguageName || control.dataset.runcmsLang;
      if (control.hasAttribute("data-runcms-source")) source = control.dataset.runcmsLang;
    });
    if (!source || Object.keys(found).length < 2) return;
    // The default language first, then the others in the order of the form.
    const ordered = {};
    ordered[source] = found[source];
    Object.keys(found).forEach(function (code) { ordered[code] = found[code]; });
    tabs(form, ordered, source);
    // Open the tab of a language whose input has an error, else the one last used.
    let initial = null;
    form.querySelectorAll(MARKED).forEach(function (control) {
      const box = holder(control);
      if (!initial && box && box.querySelector(".errorlist")) initial = control.dataset.runcmsLang;
    });
    if (!initial) {
      try { initial = sessionStorage.getItem(STORE); } catch (error) { initial = null; }
    }
    select(form, ordered[initial] ? initial : source, source);
    // Rows added to an inline are copies of its blank row: show them in the open tab.
    document.addEventListener("formset:added", function () { select(form, form.dataset.runcmsOpenTab, source); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
