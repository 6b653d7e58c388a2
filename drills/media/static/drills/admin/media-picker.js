// The media picker (drills.media.picker): Django's autocomplete, whose choices show the
// media's thumbnail (or its kind, for audio) beside its whole title. The autocomplete
// endpoint sends `thumbnail` and `kind` with each result; the chosen option carries them
// as data attributes. Loaded after Django's autocomplete.js, which it extends.
"use strict";
{
    const $ = django.jQuery;
    const plain = $.fn.djangoAdminSelect2;

    function choice(item) {
        if (!item.id) {
            return item.text;  // the placeholder, "Searching…" and other messages
        }
        const data = item.element ? item.element.dataset : {};
        const thumbnail = item.thumbnail !== undefined ? item.thumbnail : data.thumbnail;
        const kind = item.kind !== undefined ? item.kind : data.kind;
        const row = document.createElement("span");
        row.className = "runcms-pick";
        let picture = null;
        if (thumbnail) {
            picture = document.createElement("img");
            picture.src = thumbnail;
            picture.alt = "";
            picture.width = picture.height = 40;
        } else if (kind) {
            picture = document.createElement("span");
            picture.textContent = kind;
        }
        // Media just added in the "+" window comes without either: its title alone.
        const title = document.createElement("span");
        title.className = "runcms-pick-title";
        title.textContent = item.text;
        if (picture) {
            picture.classList.add("runcms-pick-thumb");
            row.append(picture);
        }
        row.append(title);
        return row;
    }

    $.fn.djangoAdminSelect2 = function() {
        plain.call(this.not("[data-media-picker]"));
        this.filter("[data-media-picker]").each(function(i, element) {
            $(element).select2({
                ajax: {
                    // As Django's autocomplete.js asks.
                    data: (params) => ({
                        term: params.term,
                        page: params.page,
                        app_label: element.dataset.appLabel,
                        model_name: element.dataset.modelName,
                        field_name: element.dataset.fieldName
                    })
                },
                templateResult: choice,
                templateSelection: choice
            });
        });
        return this;
    };
}
