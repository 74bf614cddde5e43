/* Inline comments on a rendered revision, without dependencies.
 *
 * Select text in the spec: a small box offers to comment on it. The box sends
 * the selected text, 32 characters of context either side, and the source line
 * range of the blocks the selection spans (from their data-line attributes);
 * the server finds the quote in the revision's .rst near those lines, or
 * answers 400 saying why. Threads in the margin are moved beside the block
 * they are about. Without this script, the line-range form does the same job.
 */
(function () {
  "use strict";

  var article = document.getElementById("review-document");
  if (!article) return;
  var CONTEXT = 32;

  function blockOf(node) {
    while (node && node !== article) {
      if (node.nodeType === 1 && node.hasAttribute("data-line")) return node;
      node = node.parentNode;
    }
    return null;
  }

  function allBlocks() {
    return Array.prototype.slice.call(article.querySelectorAll("[data-line]"));
  }

  // The source lines a selection covers: from its first block's line to just before the next block's.
  function lineRange(range) {
    var first = blockOf(range.startContainer);
    var last = blockOf(range.endContainer);
    if (!first || !last) return null;
    var start = parseInt(first.getAttribute("data-line"), 10);
    var end = parseInt(last.getAttribute("data-line"), 10);
    var blocks = allBlocks();
    for (var i = 0; i < blocks.length; i++) {
      var line = parseInt(blocks[i].getAttribute("data-line"), 10);
      if (line > end && !last.contains(blocks[i])) { end = line - 1; break; }
      if (i === blocks.length - 1) end = end + 200;
    }
    return { start: start, end: Math.max(start, end) };
  }

  function context(range) {
    var before = document.createRange();
    before.setStart(article, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(article, article.childNodes.length);
    var prefix = before.toString().replace(/\s+/g, " ");
    var suffix = after.toString().replace(/\s+/g, " ");
    return { prefix: prefix.slice(-CONTEXT), suffix: suffix.slice(0, CONTEXT) };
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  var box = null;
  function closeBox() {
    if (box) { box.remove(); box = null; }
  }

  function openBox(range) {
    closeBox();
    var lines = lineRange(range);
    var quote = range.toString().trim();
    if (!lines || !quote) return;
    var around = context(range);
    box = document.createElement("form");
    box.className = "comment-box";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Comment on the selected text");
    box.innerHTML =
      '<p class="comment-box__quote"></p>' +
      '<label class="visually-hidden" for="comment-box-body">Your comment</label>' +
      '<textarea id="comment-box-body" name="body" rows="3" required></textarea>' +
      '<p class="comment-box__error" role="alert" hidden></p>' +
      '<div class="comment-box__actions"><button type="submit" class="button button--primary button--small">Save draft comment</button> ' +
      '<button type="button" class="button button--quiet button--small" data-cancel>Cancel</button></div>';
    box.querySelector(".comment-box__quote").textContent =
      "Lines " + lines.start + "–" + lines.end + ": “" + (quote.length > 120 ? quote.slice(0, 117) + "…" : quote) + "”";
    var rect = range.getBoundingClientRect();
    box.style.top = window.scrollY + rect.bottom + 6 + "px";
    box.style.left = Math.max(8, window.scrollX + rect.left) + "px";
    document.body.appendChild(box);
    var textarea = box.querySelector("textarea");
    textarea.focus();
    box.querySelector("[data-cancel]").addEventListener("click", closeBox);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeBox();
    });
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken());
      data.append("revision", article.getAttribute("data-revision"));
      data.append("body", textarea.value);
      data.append("quote", quote);
      data.append("prefix", around.prefix);
      data.append("suffix", around.suffix);
      data.append("line_start", String(lines.start));
      data.append("line_end", String(lines.end));
      fetch(article.getAttribute("data-comment-url"), {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (result.ok) { window.location.reload(); return; }
          var error = box.querySelector(".comment-box__error");
          error.textContent = result.body.error || "The comment was not saved.";
          error.hidden = false;
        })
        .catch(function () {
          var error = box.querySelector(".comment-box__error");
          error.textContent = "The comment was not saved: the server could not be reached.";
          error.hidden = false;
        });
    });
  }

  if (article.hasAttribute("data-can-comment")) {
    // Mouse users select and release; keyboard users select with Shift+arrows and press Enter... or "c".
    article.addEventListener("mouseup", function () {
      var selection = window.getSelection();
      if (selection.rangeCount && !selection.isCollapsed && article.contains(selection.anchorNode)) {
        openBox(selection.getRangeAt(0));
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "c" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      var selection = window.getSelection();
      if (selection.rangeCount && !selection.isCollapsed && article.contains(selection.anchorNode)) {
        event.preventDefault();
        openBox(selection.getRangeAt(0));
      }
    });
  }

  // Mark each commented block, and let a click on it bring its thread into view.
  var margin = document.querySelector(".review-margin");
  if (!margin) return;
  var blocks = allBlocks();
  Array.prototype.forEach.call(margin.querySelectorAll(".thread[data-line-start]"), function (thread) {
    var line = parseInt(thread.getAttribute("data-line-start"), 10);
    var target = null;
    blocks.forEach(function (block) {
      if (parseInt(block.getAttribute("data-line"), 10) <= line) target = block;
    });
    if (!target) return;
    target.classList.add("has-comments");
    if (!target.id) target.id = "line-" + target.getAttribute("data-line");
    var link = document.createElement("a");
    link.className = "comment-marker";
    link.href = "#" + thread.id;
    link.textContent = "¶";
    link.setAttribute("aria-label", "Comment on this passage");
    link.addEventListener("click", function () { thread.focus(); });
    target.insertBefore(link, target.firstChild);
  });
})();
