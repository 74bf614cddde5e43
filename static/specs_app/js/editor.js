/*
 * SpecPortal's spec editor: live preview, diagnostics beside each field, the
 * gate's verdict, and preview scrolling that follows the field being edited.
 *
 * Progressive enhancement only: the form saves and previews without this
 * script. Nothing here changes what the author typed; if the preview endpoint
 * is missing or failing, the preview pane says so and the form works as before.
 *
 * The server assembles the spec, exactly as saving would: this script posts the
 * form's fields as they are (the same fields the Preview button posts) to the
 * editor's preview endpoint, which answers the rendered HTML, the diagnostics,
 * the gate, and where each field's text sits in the assembled text ("fields":
 * name, label, start line, heading line, blank lines dropped above the text).
 */
(function () {
  "use strict";

  var form = document.getElementById("spec-form");
  var preview = document.getElementById("preview");
  var status = document.getElementById("preview-status");
  if (!form || !preview || !window.fetch || !window.JSON || !window.FormData) {
    return;
  }

  var DEBOUNCE_MS = 300;
  var previewUrl = form.getAttribute("data-preview-url");
  var gateSummary = document.getElementById("gate-summary");
  var gateBadge = document.getElementById("gate-badge");
  var gateFindings = document.getElementById("gate-findings");

  var timer = null;
  var inFlight = null;
  var sequence = 0;
  var unavailable = false;
  var activeField = null;
  var lastLayout = null;
  // A page served after a preview, an error or a conflict holds unsaved text.
  var dirty = form.hasAttribute("data-unsaved");

  function field(name) {
    return form.elements.namedItem(name);
  }

  function valueOf(name) {
    var element = field(name);
    return element ? String(element.value).replace(/\r\n?/g, "\n") : "";
  }

  /* The field a line of the assembled text belongs to; layout.fields come from the server. */
  function fieldAt(layout, line) {
    var found = layout.fields[0];
    layout.fields.forEach(function (candidate) {
      var from = typeof candidate.heading === "number" ? candidate.heading : candidate.start;
      if (from <= line) {
        found = candidate;
      }
    });
    return found;
  }

  /* Where a line of the assembled text is, as the author sees it in the fields. */
  function describeLine(layout, line) {
    var target = fieldAt(layout, line);
    var within = line - target.start + 1;
    if (target.name === "title") {
      return { target: target, text: "Line " + line + " of the spec", within: null };
    }
    if (within < 1) {
      return { target: target, text: "Heading", within: null };
    }
    within += target.leading || 0;
    return { target: target, text: "Line " + within, within: within };
  }

  /* Put the caret on a line of a field, and the field in view. */
  function jumpTo(name, within) {
    var element = field(name);
    if (!element) {
      return;
    }
    element.focus();
    if (within && element.tagName === "TEXTAREA" && element.setSelectionRange) {
      var lines = element.value.split("\n");
      var offset = 0;
      for (var i = 0; i < within - 1 && i < lines.length; i += 1) {
        offset += lines[i].length + 1;
      }
      element.setSelectionRange(offset, offset + (lines[within - 1] || "").length);
      var lineHeight = parseFloat(window.getComputedStyle(element).lineHeight) || 20;
      element.scrollTop = Math.max(0, (within - 3) * lineHeight);
    }
    if (element.scrollIntoView) {
      element.scrollIntoView({ block: "nearest" });
    }
  }

  function setStatus(text, isError) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.toggle("preview-pane__status--error", Boolean(isError));
  }

  function showProblem(message, quiet) {
    // Keep the last good preview below the message so the author loses nothing.
    var box = preview.querySelector(".preview-pane__error");
    if (!box) {
      box = document.createElement("p");
      box.className = "preview-pane__error";
      box.setAttribute("role", "status");
      preview.insertBefore(box, preview.firstChild);
    }
    box.textContent = message;
    box.classList.toggle("preview-pane__error--info", Boolean(quiet));
    setStatus(quiet ? "" : "Preview not updated", !quiet);
  }

  function clearDiagnostics() {
    var lists = form.querySelectorAll("[data-diagnostics-for], [data-findings-for]");
    Array.prototype.forEach.call(lists, function (list) {
      list.textContent = "";
      list.hidden = true;
    });
  }

  function addItem(list, className, lineText, message, jump) {
    var item = document.createElement("li");
    item.className = className;
    if (lineText) {
      var where = document.createElement(jump ? "button" : "span");
      where.className = className.split(" ")[0] + "__line" + (jump ? " link-button" : "");
      where.textContent = lineText;
      if (jump) {
        where.type = "button";
        where.addEventListener("click", function () {
          if (gateSummary && gateSummary.contains(where)) {
            gateSummary.open = false;
          }
          jumpTo(jump.name, jump.within);
        });
      }
      item.appendChild(where);
      item.appendChild(document.createTextNode(" "));
    }
    item.appendChild(document.createTextNode(message));
    list.appendChild(item);
    return item;
  }

  function showDiagnostics(layout, diagnostics) {
    clearDiagnostics();
    (diagnostics || []).forEach(function (diagnostic) {
      var line = typeof diagnostic.line === "number" ? diagnostic.line : null;
      var where = line === null ? { target: layout.fields[0], text: "" } : describeLine(layout, line);
      var list = form.querySelector('[data-diagnostics-for="' + where.target.name + '"]');
      if (!list) {
        return;
      }
      var severity = String(diagnostic.severity || "warning").toLowerCase();
      addItem(list, "diagnostic diagnostic--" + severity, where.text, diagnostic.message || "", {
        name: where.target.name,
        within: where.within
      });
      list.hidden = false;
    });
  }

  /* A finding on a field's line also goes under that field, as its diagnostics do:
     the author sees a long line where they write it, not only in the gate summary. */
  function showFindingAtField(layout, finding, where) {
    var first = layout.fields[0];
    var firstLine = typeof first.heading === "number" ? first.heading : first.start;
    if (where.target === first && finding.line < firstLine) {
      return; // the licence header above the title is no field's text
    }
    var list = form.querySelector('[data-findings-for="' + where.target.name + '"]');
    if (!list) {
      return;
    }
    var severity = String(finding.severity || "error").toLowerCase() === "notice" ? "info" : "error";
    var className = "diagnostic diagnostic--" + severity + " diagnostic--finding";
    addItem(list, className, where.text, finding.message || "", {
      name: where.target.name,
      within: where.within
    });
    list.hidden = false;
  }

  function showGate(layout, gate) {
    if (!gateSummary || !gateBadge || !gateFindings) {
      return;
    }
    if (!gate || typeof gate.passed !== "boolean") {
      gateSummary.hidden = true;
      return;
    }
    var findings = gate.findings || [];
    gateSummary.hidden = false;
    gateBadge.className = "badge " + (gate.passed ? "badge--pass" : "badge--fail");
    gateBadge.textContent =
      (gate.passed ? "Gate passes" : "Gate fails") +
      (findings.length ? " · " + findings.length + " finding" + (findings.length === 1 ? "" : "s") : "");
    gateFindings.textContent = "";
    if (!findings.length) {
      addItem(gateFindings, "finding", "", "No findings.");
    }
    findings.forEach(function (finding) {
      var lineText = "";
      var jump = null;
      if (typeof finding.line === "number") {
        var where = describeLine(layout, finding.line);
        lineText = where.target.label + (where.text ? ", " + where.text.toLowerCase() : "");
        jump = { name: where.target.name, within: where.within };
        showFindingAtField(layout, finding, where);
      }
      var item = addItem(
        gateFindings,
        "finding finding--" + String(finding.severity || "error").toLowerCase(),
        lineText,
        finding.message || "",
        jump
      );
      if (finding.rule) {
        var rule = document.createElement("span");
        rule.className = "finding__rule";
        rule.textContent = finding.rule;
        item.appendChild(rule);
      }
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function scrollPreviewTo(name) {
    if (!lastLayout || !name) {
      return;
    }
    var target = null;
    lastLayout.fields.forEach(function (candidate) {
      if (candidate.name === name) {
        target = candidate;
      }
    });
    if (!target) {
      return;
    }
    var start = typeof target.heading === "number" ? target.heading : target.start;
    var elements = preview.querySelectorAll("[data-line]");
    for (var i = 0; i < elements.length; i += 1) {
      if (parseInt(elements[i].getAttribute("data-line"), 10) >= start) {
        var offset = elements[i].getBoundingClientRect().top - preview.getBoundingClientRect().top;
        preview.scrollTop += offset - 12;
        return;
      }
    }
  }

  function errorMessage(response, data) {
    if (data && typeof data.message === "string" && data.message) {
      return data.message;
    }
    if (response.status === 403) {
      return "The preview was refused (" + response.status + "). Reload the page to sign in again; your text is still here.";
    }
    if (response.status === 429) {
      return "Too many previews in a short time; the preview will catch up when you pause.";
    }
    return "The preview failed (" + response.status + " " + response.statusText + "). Your text is still here.";
  }

  function render() {
    if (unavailable || !previewUrl) {
      return;
    }
    if (inFlight) {
      inFlight.abort();
    }
    var controller = window.AbortController ? new AbortController() : null;
    inFlight = controller;
    sequence += 1;
    var mine = sequence;
    setStatus("Rendering…", false);

    // The form's own fields, as the Preview button would post them; the server assembles the spec.
    fetch(previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
        "X-Requested-With": "XMLHttpRequest"
      },
      body: new FormData(form),
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            return { response: response, data: data };
          });
      })
      .then(function (result) {
        if (mine !== sequence) {
          return; // a newer request is on its way
        }
        inFlight = null;
        var response = result.response;
        var data = result.data;
        if (response.status === 404 || response.status === 405) {
          unavailable = true;
          showProblem(
            (data && data.message) ||
              "Live preview is not available on this server; press Preview to render the spec.",
            true
          );
          return;
        }
        if (!response.ok || !data || typeof data.html !== "string" || !data.fields || !data.fields.length) {
          showProblem(response.ok ? "The preview came back empty." : errorMessage(response, data));
          return;
        }
        var layout = { fields: data.fields };
        preview.innerHTML = data.html; // sanitised by the server's renderer
        lastLayout = layout;
        showDiagnostics(layout, data.diagnostics);
        showGate(layout, data.gate);
        var count = (data.diagnostics || []).length;
        setStatus(count ? count + " message" + (count === 1 ? "" : "s") : "Up to date", false);
        if (activeField) {
          scrollPreviewTo(activeField);
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        if (mine === sequence) {
          inFlight = null;
          showProblem("The preview could not reach the server. Your text is still here; keep writing.");
        }
      });
  }

  function schedule() {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(render, DEBOUNCE_MS);
  }

  function fieldName(element) {
    var name = element && element.name;
    if (!name) {
      return null;
    }
    if (name === "title" || name === "intro" || /^section-\d+$/.test(name)) {
      return name;
    }
    return null;
  }

  form.addEventListener("input", function (event) {
    if (fieldName(event.target)) {
      dirty = true;
      schedule();
    }
  });

  form.addEventListener("focusin", function (event) {
    var name = fieldName(event.target);
    if (name) {
      activeField = name;
      scrollPreviewTo(name);
    }
  });

  document.addEventListener("click", function (event) {
    if (gateSummary && gateSummary.open && !gateSummary.contains(event.target)) {
      gateSummary.open = false;
    }
  });

  /*
   * Autosave: the fields' text is kept in this browser (localStorage, one key
   * per person and spec, so a shared browser never offers one person's text to
   * another) on every input, so a closed tab or a crash loses nothing. On
   * load, a kept draft that differs from the page is offered, never applied
   * silently: the server's text may be newer, and only the author can tell.
   * A save that went through (the spec's version moved on) clears it.
   *
   * The author may type before answering the offer. That text is kept too:
   * the stored record holds the page's text ("fields") and the offers still
   * unanswered ("offers"), each with what was typed since replayed onto it, so
   * a reload offers both back; restoring replays the typing onto the offered
   * text, discarding keeps the page as typed (and offers the next one, if any).
   */
  var draftKey = form.getAttribute("data-draft-key");
  var storage = null;
  try {
    storage = window.localStorage;
  } catch (error) {
    storage = null; // storage disabled: the editor works as before, without drafts
  }
  // Unanswered offers, the one in the banner first, and the page's text when they were first shown.
  var offers = [];
  var offerBase = null;

  function draftFields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return (
        (element.tagName === "TEXTAREA" || (element.tagName === "INPUT" && element.type === "text")) &&
        (fieldName(element) || element.name === "release") &&
        !element.readOnly
      );
    });
  }

  function normalised(text) {
    return String(text).replace(/\r\n?/g, "\n");
  }

  function pageFields() {
    var fields = {};
    draftFields().forEach(function (element) {
      fields[element.name] = normalised(element.value);
    });
    return fields;
  }

  function readDraft() {
    if (!storage || !draftKey) return null;
    try {
      var draft = JSON.parse(storage.getItem(draftKey) || "null");
      return draft && draft.fields ? draft : null;
    } catch (error) {
      return null;
    }
  }

  /*
   * Replay the author's edit of one field (base -> mine) onto other text
   * (theirs). The edit is one changed stretch, found again in theirs by the
   * text around it; where it cannot be found, what was typed is appended, so
   * nothing typed is ever dropped ("clash": the author should look).
   */
  var CONTEXT_TRIES = [64, 32, 16, 8];

  function replay(base, mine, theirs, separator) {
    if (mine === base || mine === theirs) return { text: theirs, clash: false };
    if (theirs === base) return { text: mine, clash: false };
    var limit = Math.min(base.length, mine.length);
    var head = 0;
    while (head < limit && base.charAt(head) === mine.charAt(head)) head++;
    var tail = 0;
    while (tail < limit - head && base.charAt(base.length - 1 - tail) === mine.charAt(mine.length - 1 - tail)) {
      tail++;
    }
    var removed = base.slice(head, base.length - tail);
    var inserted = mine.slice(head, mine.length - tail);
    for (var i = 0; i < CONTEXT_TRIES.length; i++) {
      var before = base.slice(Math.max(0, head - CONTEXT_TRIES[i]), head);
      var after = base.slice(base.length - tail, base.length - tail + CONTEXT_TRIES[i]);
      var needle = before + removed + after;
      if (!needle) break;
      var at = theirs.indexOf(needle);
      if (at !== -1 && theirs.indexOf(needle, at + 1) === -1) {
        var from = at + before.length;
        return { text: theirs.slice(0, from) + inserted + theirs.slice(from + removed.length), clash: false };
      }
    }
    if (!inserted.trim()) return { text: theirs, clash: false }; // only deletions: nothing typed to keep
    return { text: theirs.replace(/\s+$/, "") + separator + inserted.trim(), clash: true };
  }

  /* An offer with what was typed since offerBase replayed onto it, field by field. */
  function withTyping(offer) {
    var page = pageFields();
    var fields = {};
    var clashes = [];
    Object.keys(offer.fields).forEach(function (name) {
      var element = field(name);
      if (!element || !(name in page) || !offerBase || !(name in offerBase)) {
        fields[name] = offer.fields[name];
        return;
      }
      var separator = element.tagName === "INPUT" ? " " : "\n\n";
      var result = replay(offerBase[name], page[name], normalised(offer.fields[name]), separator);
      fields[name] = result.text;
      if (result.clash) clashes.push(element);
    });
    var typed = Object.keys(page).some(function (name) {
      return offerBase && name in offerBase && page[name] !== offerBase[name];
    });
    return {
      savedAt: offer.savedAt,
      version: offer.version,
      typed: Boolean(offer.typed || typed),
      alone: Boolean(offer.alone),
      fields: fields,
      clashes: clashes
    };
  }

  function writeDraft(submitted) {
    if (!storage || !draftKey) return;
    var record = {
      savedAt: new Date().toISOString(),
      version: valueOf("version"),
      submitted: Boolean(submitted),
      fields: pageFields()
    };
    if (offers.length) {
      record.offers = offers.map(function (offer) {
        var kept = withTyping(offer);
        delete kept.clashes;
        return kept;
      });
    }
    try {
      storage.setItem(draftKey, JSON.stringify(record));
    } catch (error) {
      // Storage full or refused: the author still has the page; nothing else to do.
    }
  }

  function clearDraft() {
    if (storage && draftKey) {
      try {
        storage.removeItem(draftKey);
      } catch (error) {
        // ignore: see writeDraft
      }
    }
  }

  function differsFromPage(draft) {
    return Object.keys(draft.fields).some(function (name) {
      var element = field(name);
      return element && normalised(element.value) !== normalised(draft.fields[name]);
    });
  }

  function describeTime(iso) {
    var when = new Date(iso);
    if (isNaN(when.getTime())) return "earlier";
    var sameDay = when.toDateString() === new Date().toDateString();
    var time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return sameDay ? time : when.toLocaleDateString() + " " + time;
  }

  function announce(text) {
    var live = document.getElementById("editor-announce");
    if (live) live.textContent = text;
  }

  function labelOf(element) {
    var label = element.id && form.querySelector('label[for="' + element.id + '"]');
    return label ? label.textContent.trim() : element.name;
  }

  function describeOffer(offer) {
    var versionNote =
      offer.version && offer.version !== valueOf("version")
        ? ", written on version " + offer.version + " (the spec is now at version " + valueOf("version") + ")"
        : "";
    if (offer.alone) {
      return (
        "This browser also kept what you typed on its own, without the text you discarded" +
        versionNote +
        ". The fields below show the saved spec."
      );
    }
    return (
      "This browser kept text you had not saved" +
      (offer.typed ? ", together with what you typed while this notice was shown" : "") +
      versionNote +
      ". The fields below show the saved spec."
    );
  }

  function showOffer() {
    var slot = document.getElementById("draft-slot");
    var old = document.getElementById("draft-banner");
    if (old) old.remove();
    if (!slot || !offers.length) return;
    var offer = offers[0];
    var banner = document.createElement("div");
    banner.className = "notice notice--warning draft-banner";
    banner.id = "draft-banner";
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", "Unsaved text kept by this browser");
    var text = document.createElement("p");
    text.textContent = describeOffer(withTyping(offer));
    var actions = document.createElement("div");
    actions.className = "draft-banner__actions";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button button--primary button--small";
    restore.textContent = "Restore unsaved text from " + describeTime(offer.savedAt);
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--small";
    discard.textContent = "Discard";
    actions.appendChild(restore);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(discard);
    banner.appendChild(text);
    banner.appendChild(actions);
    slot.appendChild(banner);

    restore.addEventListener("click", function () {
      var result = withTyping(offer);
      var first = null;
      Object.keys(result.fields).forEach(function (name) {
        var element = field(name);
        if (element && normalised(element.value) !== result.fields[name]) {
          element.value = result.fields[name];
          first = first || element;
        }
      });
      // Every later offer is part of this one (see startDrafts): nothing is left to offer.
      offers = [];
      banner.remove();
      dirty = true;
      writeDraft(false);
      schedule();
      if (result.clashes.length) {
        announce(
          "Restored your unsaved text. What you typed meanwhile in " +
            result.clashes.map(labelOf).join(", ") +
            " is at the end of that field; check it."
        );
        result.clashes[0].focus();
      } else {
        announce("Restored your unsaved text.");
        if (first) first.focus();
      }
    });
    discard.addEventListener("click", function () {
      offers.shift();
      banner.remove();
      if (offers.length) {
        writeDraft(false);
        showOffer();
        announce("Discarded that text; this browser kept more, shown above.");
        return;
      }
      clearDraft();
      // What was typed meanwhile, and from now on, is kept again, from the page's text.
      if (dirty || differsFromPage({ fields: offerBase || {} })) writeDraft(false);
      announce("Discarded the unsaved text.");
      var title = field("title");
      if (title) title.focus();
    });
  }

  (function startDrafts() {
    var record = readDraft();
    var unsaved = form.hasAttribute("data-unsaved");
    if (!record) {
      // The server sent back posted text (a preview, an error, a conflict): it is the newest there is.
      if (unsaved) writeDraft(false);
      return;
    }
    // Offers left unanswered by an earlier page come first; each already holds what was typed there.
    var queue = (record.offers || []).filter(function (offer) {
      return offer && offer.fields && differsFromPage(offer);
    });
    var saved = record.submitted && record.version !== valueOf("version");
    if (!unsaved && !saved && differsFromPage(record)) {
      // The page's own unsaved text: offered alone after the fuller offers, for an author who discards them.
      queue.push({ savedAt: record.savedAt, version: record.version, fields: record.fields, alone: queue.length > 0 });
    }
    if (!queue.length) {
      if (unsaved) writeDraft(false);
      else clearDraft();
      return;
    }
    offers = queue;
    offerBase = pageFields();
    showOffer();
    writeDraft(false);
  })();

  form.addEventListener("input", function (event) {
    if (draftFields().indexOf(event.target) !== -1) {
      writeDraft(false);
    }
  });

  form.addEventListener("submit", function (event) {
    dirty = false;
    // Marked, not cleared: if the save is refused, the draft must still be there.
    if (event.submitter && event.submitter.value === "save") {
      writeDraft(true);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  render();
})();
