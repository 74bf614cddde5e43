/*
 * Keyboard shortcuts on every page, and the help dialog that lists them.
 *
 * The keys are chosen not to clash with typing: "?" only acts when focus is
 * not in a text field, and the others use Alt+Shift (matched on event.code,
 * because Shift and Alt change event.key by layout and platform). Each
 * shortcut only does something on the pages that have what it needs, so the
 * same list is valid everywhere. Without JavaScript none of this exists, and
 * the "Keyboard shortcuts" button stays hidden.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("shortcuts-dialog");
  var openers = document.querySelectorAll("[data-shortcuts-open]");
  var canShowModal = dialog && typeof dialog.showModal === "function";
  var returnFocusTo = null;

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    if (/^(TEXTAREA|SELECT)$/.test(target.tagName)) return true;
    if (target.tagName !== "INPUT") return false;
    // Checkboxes, radios and buttons take no text: "?" there is still a shortcut.
    return !/^(checkbox|radio|button|submit|reset)$/.test(target.type);
  }

  function focusable() {
    return Array.prototype.filter.call(
      dialog.querySelectorAll("button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])"),
      function (element) {
        return !element.disabled && !element.hidden;
      }
    );
  }

  function openHelp() {
    if (!canShowModal || dialog.open) return;
    returnFocusTo = document.activeElement;
    // A modal <dialog> makes the page behind it inert and closes on Escape by itself.
    dialog.showModal();
    var first = focusable()[0];
    if (first) first.focus();
  }

  function closeHelp() {
    if (dialog && dialog.open) dialog.close();
  }

  if (canShowModal) {
    Array.prototype.forEach.call(openers, function (button) {
      button.hidden = false;
      button.addEventListener("click", openHelp);
    });
    dialog.querySelector("[data-shortcuts-close]").addEventListener("click", closeHelp);
    dialog.addEventListener("close", function () {
      if (returnFocusTo && document.contains(returnFocusTo) && returnFocusTo.focus) returnFocusTo.focus();
      returnFocusTo = null;
    });
    // Clicking the backdrop (the dialog element itself, outside its content) closes it too.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) closeHelp();
    });
    // Keep Tab inside the dialog: inert stops the page, but not a Tab out to the browser's toolbar.
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") return;
      var items = focusable();
      if (!items.length) return;
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
  }

  /* Alt+Shift+N: the next open, published thread after the one focused (or the first), wrapping round. */
  function nextUnresolved() {
    var threads = Array.prototype.filter.call(
      document.querySelectorAll(".thread:not(.thread--resolved):not(.thread--draft):not(.thread--outdated)"),
      function (thread) {
        return thread.offsetParent !== null;
      }
    );
    if (!threads.length) return false;
    var current = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".thread")
      : null;
    var index = threads.indexOf(current);
    var next = threads[(index + 1) % threads.length];
    next.scrollIntoView({ block: "center" });
    next.focus({ preventScroll: true });
    return true;
  }

  /* Alt+Shift+P: to the publish form's vote here, or to the spec page's review panel where it is. */
  function publishReview() {
    var form = document.querySelector(".review-form--publish");
    if (form) {
      var vote = form.querySelector("input[name=vote]:checked") || form.querySelector("input, textarea, button");
      form.scrollIntoView({ block: "center" });
      if (vote) vote.focus({ preventScroll: true });
      return true;
    }
    var link = document.querySelector('a[href$="#review"]');
    if (link) {
      window.location.href = link.href;
      return true;
    }
    return false;
  }

  /* Alt+Shift+V: the editor's preview, shown or hidden; the fields take the freed width. */
  function togglePreview() {
    var layout = document.querySelector(".editor-layout");
    var pane = layout && layout.querySelector(".preview-pane");
    if (!pane) return false;
    var hide = !pane.hidden;
    pane.hidden = hide;
    layout.classList.toggle("editor-layout--preview-hidden", hide);
    var status = document.getElementById("editor-announce");
    if (status) status.textContent = hide ? "Preview hidden" : "Preview shown";
    return true;
  }

  var ALT_SHIFT = { KeyN: nextUnresolved, KeyP: publishReview, KeyV: togglePreview };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
    if (event.altKey && event.shiftKey && ALT_SHIFT[event.code]) {
      if (dialog && dialog.open) return;
      if (ALT_SHIFT[event.code]()) event.preventDefault();
      return;
    }
    if (event.key === "?" && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      openHelp();
    }
  });
})();
