/* Story form: live preview (rendered by the server, by the code that publishes) and a copy of
   unsaved text in this browser, offered back when the page is opened again (e.g. after the
   session expired). Without JavaScript the "Voorbeeld" button does the preview. */
(function () {
  "use strict";

  var PREFIX = "portal:story-form:";
  var FIELDS = ["title", "summary", "body", "target_group", "placement_kind", "people_count",
                "municipality"];

  function forgetSaved() {
    var marker = document.querySelector("[data-autosave-forget]");
    if (marker) {
      try { window.localStorage.removeItem(PREFIX + marker.getAttribute("data-autosave-forget")); }
      catch (e) { /* storage unavailable: nothing kept, nothing to forget */ }
    }
  }

  function values(form) {
    var result = {};
    FIELDS.forEach(function (name) {
      if (form.elements[name]) { result[name] = form.elements[name].value; }
    });
    return result;
  }

  function same(a, b) {
    return FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, ms);
    };
  }

  function setUpPreview(form) {
    var body = form.elements.body;
    var target = document.getElementById("story-preview");
    if (!body || !target || !window.fetch) { return null; }
    var url = form.getAttribute("data-preview-url");
    var token = form.elements.csrf_token ? form.elements.csrf_token.value : "";
    var refresh = function () {
      var data = new FormData();
      data.append("csrf_token", token);
      data.append("body", body.value);
      window.fetch(url, { method: "POST", body: data, credentials: "same-origin",
                          headers: { "X-CSRFToken": token } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (json) {
          // Sanitised by the server, exactly as the published story will be.
          if (json && typeof json.html === "string") { target.innerHTML = json.html; }
        })
        .catch(function () { /* offline: the preview button still works */ });
    };
    body.addEventListener("input", debounce(refresh, 400));
    return refresh;
  }

  function setUpAutosave(form, refreshPreview) {
    var key = PREFIX + form.getAttribute("data-autosave");
    var storage;
    try { storage = window.localStorage; storage.getItem(key); } catch (e) { return; }
    var kept = null;
    try { kept = JSON.parse(storage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && kept.values && !same(kept.values, values(form))) {
      offer(form, kept, function () {
        FIELDS.forEach(function (name) {
          if (form.elements[name] && name in kept.values) {
            form.elements[name].value = kept.values[name];
          }
        });
        if (refreshPreview) { refreshPreview(); }
      }, function () { storage.removeItem(key); });
    } else if (kept) {
      storage.removeItem(key);
    }
    var save = debounce(function () {
      try {
        storage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(),
                                              values: values(form) }));
      } catch (e) { /* storage full or refused: the server copy is what counts */ }
    }, 800);
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }

  function offer(form, kept, restore, discard) {
    var box = document.createElement("div");
    box.className = "notice autosave-offer";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    var when = new Date(kept.savedAt);
    text.textContent = form.getAttribute("data-autosave-text") + " " +
      (isNaN(when) ? "" : when.toLocaleString(document.documentElement.lang || "nl"));
    var use = document.createElement("button");
    use.type = "button";
    use.textContent = form.getAttribute("data-autosave-restore");
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "secondary";
    drop.textContent = form.getAttribute("data-autosave-discard");
    use.addEventListener("click", function () { restore(); box.remove(); });
    drop.addEventListener("click", function () { discard(); box.remove(); });
    box.appendChild(text);
    box.appendChild(use);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(drop);
    var editor = form.parentNode;
    editor.parentNode.insertBefore(box, editor);
  }

  document.addEventListener("DOMContentLoaded", function () {
    forgetSaved();
    var form = document.querySelector("form[data-autosave]");
    if (!form) { return; }
    setUpAutosave(form, setUpPreview(form));
  });
}());
