/* Inline comments, without dependencies: on a rendered revision, and on the "to" side of a comparison.
 *
 * Select text: a small box offers to comment on it. The box sends the selected
 * text, 32 characters of context either side, and the source line range the
 * selection spans (from the data-line attributes of the rendered blocks, or of
 * the compared lines); the server finds the quote in the revision's .rst near
 * those lines, or answers 400 saying why. Without this script, the line-range
 * form on the revision page does the same job.
 *
 * On the revision page each thread's passage is highlighted (<mark>, found by
 * the passage's text near its lines) and, where the margin sits beside the
 * text, the thread is moved level with its passage, pushed down so threads
 * never overlap, again whenever anything changes size. Hovering or focusing a
 * thread emphasises its passage, and the other way round. Where the margin is
 * below the text (narrow screens), the threads stay a list in the page's order.
 */
(function () {
  "use strict";

  var CONTEXT = 32;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  /* ---- Where a selection can be commented on: "sources" ---- */

  // The rendered revision: blocks carry the source line they start on.
  function renderedSource(article) {
    function blockOf(node) {
      while (node && node !== article) {
        if (node.nodeType === 1 && node.hasAttribute("data-line")) return node;
        node = node.parentNode;
      }
      return null;
    }

    // The source lines a selection covers: from its first block's line to just before the next block's.
    function lineRange(range) {
      var first = blockOf(range.startContainer);
      var last = blockOf(range.endContainer);
      if (!first || !last) return null;
      var start = parseInt(first.getAttribute("data-line"), 10);
      var end = parseInt(last.getAttribute("data-line"), 10);
      var blocks = toArray(article.querySelectorAll("[data-line]"));
      for (var i = 0; i < blocks.length; i++) {
        var line = parseInt(blocks[i].getAttribute("data-line"), 10);
        if (line > end && !last.contains(blocks[i])) {
          end = line - 1;
          break;
        }
        if (i === blocks.length - 1) end = end + 200;
      }
      return { start: start, end: Math.max(start, end) };
    }

    return {
      root: article,
      blockOf: blockOf,
      selection: function (range) {
        var lines = lineRange(range);
        var quote = range.toString().trim();
        if (!lines || !quote) return null;
        var before = document.createRange();
        before.setStart(article, 0);
        before.setEnd(range.startContainer, range.startOffset);
        var after = document.createRange();
        after.setStart(range.endContainer, range.endOffset);
        after.setEnd(article, article.childNodes.length);
        return {
          lines: lines,
          quote: quote,
          prefix: before.toString().replace(/\s+/g, " ").slice(-CONTEXT),
          suffix: after.toString().replace(/\s+/g, " ").slice(0, CONTEXT),
        };
      },
      saved: function () {
        window.location.reload();
      },
    };
  }

  // The compare page: each line of the "to" revision is a .diff__line with its line number.
  function diffSource(container) {
    var lines = toArray(container.querySelectorAll(".diff__line[data-line]"));

    // Labels for screen readers inside a line ("added: " of a word change) are not the revision's text.
    function textNodes(element) {
      var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          return node.parentNode.closest(".visually-hidden") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        },
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      return nodes;
    }

    function textOf(element) {
      return textNodes(element)
        .map(function (node) {
          return node.data;
        })
        .join("");
    }

    function offsetIn(element, node, offset) {
      var range = document.createRange();
      range.selectNodeContents(element);
      range.setEnd(node, offset);
      var length = 0;
      textNodes(element).forEach(function (text) {
        if (text === node) length += offset;
        else if (range.intersectsNode(text)) length += text.data.length;
      });
      return length;
    }

    return {
      root: container,
      selection: function (range) {
        var picked = [];
        lines.forEach(function (line, index) {
          if (!range.intersectsNode(line)) return;
          var text = textOf(line);
          var from = line.contains(range.startContainer) ? offsetIn(line, range.startContainer, range.startOffset) : 0;
          var to = line.contains(range.endContainer) ? offsetIn(line, range.endContainer, range.endOffset) : text.length;
          picked.push({ index: index, text: text, from: from, to: to });
        });
        // Lines touched only at their edge (a selection ending at the start of the next row) are not selected.
        function blank(part) {
          return !part.text.slice(part.from, part.to).trim();
        }
        while (picked.length && blank(picked[0])) picked.shift();
        while (picked.length && blank(picked[picked.length - 1])) picked.pop();
        if (!picked.length) return null; // only the older side was selected
        var quote = picked
          .map(function (part) {
            return part.text.slice(part.from, part.to);
          })
          .join("\n")
          .trim();
        if (!quote) return null;
        var first = picked[0];
        var last = picked[picked.length - 1];
        var before = lines
          .slice(Math.max(0, first.index - 3), first.index)
          .map(textOf)
          .concat([first.text.slice(0, first.from)])
          .join("\n");
        var after = [last.text.slice(last.to)]
          .concat(
            lines.slice(last.index + 1, last.index + 4).map(textOf)
          )
          .join("\n");
        return {
          lines: {
            start: parseInt(lines[first.index].getAttribute("data-line"), 10),
            end: parseInt(lines[last.index].getAttribute("data-line"), 10),
          },
          quote: quote,
          prefix: before.slice(-CONTEXT),
          suffix: after.slice(0, CONTEXT),
        };
      },
      saved: function (box) {
        // The compare page lists no threads: say where the comment went.
        box.innerHTML =
          '<p class="comment-box__done" role="status"></p>' +
          '<div class="comment-box__actions"><a class="button button--small"></a> ' +
          '<button type="button" class="button button--quiet button--small" data-cancel>Close</button></div>';
        box.querySelector(".comment-box__done").textContent =
          "Saved as a draft comment on revision " +
          container.getAttribute("data-revision") +
          "; publish your review to post it.";
        var link = box.querySelector("a");
        link.href = container.getAttribute("data-revision-url");
        link.textContent = "See it beside its passage";
        box.querySelector("[data-cancel]").addEventListener("click", closeBox);
        link.focus();
      },
    };
  }

  /* ---- The comment box ---- */

  var box = null;
  function closeBox() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  function openBox(source, range) {
    closeBox();
    var picked = source.selection(range);
    if (!picked) return;
    var root = source.root;
    var lines = picked.lines;
    var quote = picked.quote;
    box = document.createElement("form");
    box.className = "comment-box";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Comment on the selected text");
    box.innerHTML =
      '<p class="comment-box__quote"></p>' +
      '<label class="visually-hidden" for="comment-box-body">Your comment</label>' +
      '<textarea id="comment-box-body" name="body" rows="3" required></textarea>' +
      '<label class="review-form__check"><input type="checkbox" name="requires_verification" value="1"> Ask me to verify its resolution</label>' +
      // A suggested edit: replacement text for the selection, which the authors apply in one click.
      '<label class="review-form__check"><input type="checkbox" name="suggest" value="1"> Suggest an edit</label>' +
      '<div class="comment-box__suggestion" hidden><label for="comment-box-suggestion">Replace the selected text with</label>' +
      '<textarea id="comment-box-suggestion" name="suggestion" rows="3"></textarea></div>' +
      '<p class="comment-box__error" role="alert" hidden></p>' +
      '<div class="comment-box__actions"><button type="submit" class="button button--primary button--small">Save draft comment</button> ' +
      '<button type="button" class="button button--quiet button--small" data-cancel>Cancel</button></div>';
    box.querySelector(".comment-box__quote").textContent =
      "Lines " +
      lines.start +
      "–" +
      lines.end +
      ": “" +
      (quote.length > 120 ? quote.slice(0, 117) + "…" : quote) +
      "”";
    var rect = range.getBoundingClientRect();
    box.style.top = window.scrollY + rect.bottom + 6 + "px";
    document.body.appendChild(box);
    // Kept inside the viewport's width: on a narrow screen a box past the edge widens the page.
    var room = document.documentElement.clientWidth - box.offsetWidth - 8;
    box.style.left = window.scrollX + Math.max(8, Math.min(rect.left, room)) + "px";
    var form = box;
    var textarea = box.querySelector("textarea");
    textarea.focus();
    var suggest = box.querySelector("[name=suggest]");
    var suggestion = box.querySelector("[name=suggestion]");
    // Starts as the selected text, to edit in place.
    suggestion.value = quote;
    suggest.addEventListener("change", function () {
      suggestion.parentNode.hidden = !suggest.checked;
      if (suggest.checked) suggestion.focus();
    });
    box.querySelector("[data-cancel]").addEventListener("click", closeBox);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeBox();
    });
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken());
      data.append("revision", root.getAttribute("data-revision"));
      data.append("body", textarea.value);
      if (form.querySelector("[name=requires_verification]").checked) data.append("requires_verification", "1");
      if (suggest.checked) {
        data.append("suggest", "1");
        data.append("suggestion", suggestion.value);
      }
      data.append("quote", quote);
      data.append("prefix", picked.prefix);
      data.append("suffix", picked.suffix);
      data.append("line_start", String(lines.start));
      data.append("line_end", String(lines.end));
      function refused(message) {
        var error = form.querySelector(".comment-box__error");
        error.textContent = message;
        error.hidden = false;
      }
      fetch(root.getAttribute("data-comment-url"), {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          if (result.ok) source.saved(form);
          else refused(result.body.error || "The comment was not saved.");
        })
        .catch(function () {
          refused("The comment was not saved: the server could not be reached.");
        });
    });
  }

  function offerComments(source) {
    var root = source.root;
    if (!root.hasAttribute("data-can-comment")) return;
    function selected() {
      var selection = window.getSelection();
      if (selection.rangeCount && !selection.isCollapsed && root.contains(selection.anchorNode)) {
        return selection.getRangeAt(0);
      }
      return null;
    }
    // Mouse users select and release; keyboard users select with Shift+arrows and press "c".
    root.addEventListener("mouseup", function () {
      var range = selected();
      if (range) openBox(source, range);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "c" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      var range = selected();
      if (range) {
        event.preventDefault();
        openBox(source, range);
      }
    });
  }

  /* ---- Highlighting a thread's passage ---- */

  // Inline markup the rendered text hides (as rst/anchors.py's _INLINE_MARKUP): dropped on both sides.
  var MARKUP = /[*`_|\\]/;
  var SPACE = /\s/;
  // Whitespace between these elements' children is layout, not text: never wrapped in a <mark>.
  var CONTAINERS = /^(UL|OL|DL|TABLE|THEAD|TBODY|TFOOT|TR|SECTION|DIV|BLOCKQUOTE|ARTICLE)$/;

  function normalise(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var character = text.charAt(i);
      if (SPACE.test(character)) {
        if (out && out.charAt(out.length - 1) !== " ") out += " ";
      } else if (!MARKUP.test(character)) {
        out += character;
      }
    }
    return out.trim();
  }

  // The article's text normalised as above, and the text node and offset of each of its characters.
  function textMap(root) {
    var text = "";
    var where = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentNode.closest(".comment-marker") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      for (var i = 0; i < node.data.length; i++) {
        var character = node.data.charAt(i);
        if (SPACE.test(character)) {
          if (text && text.charAt(text.length - 1) !== " ") {
            text += " ";
            where.push([node, i]);
          }
        } else if (!MARKUP.test(character)) {
          text += character;
          where.push([node, i]);
        }
      }
    }
    return { text: text, where: where };
  }

  function wrap(root, start, end, threadId) {
    var nodes = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    walker.currentNode = start[0];
    for (var node = start[0]; node; node = walker.nextNode()) {
      nodes.push(node);
      if (node === end[0]) break;
    }
    var marks = [];
    nodes.forEach(function (node) {
      var from = node === start[0] ? start[1] : 0;
      var to = node === end[0] ? end[1] : node.data.length;
      if (from >= to) return;
      if (!node.data.slice(from, to).trim() && CONTAINERS.test(node.parentNode.nodeName)) return;
      var target = node;
      if (to < target.data.length) target.splitText(to);
      if (from > 0) target = target.splitText(from);
      var mark = document.createElement("mark");
      mark.className = "comment-mark";
      mark.setAttribute("data-thread", threadId);
      target.parentNode.insertBefore(mark, target);
      mark.appendChild(target);
      marks.push(mark);
    });
    if (marks.length) marks[0].setAttribute("aria-details", threadId);
    return marks;
  }

  /* Mark a passage's words: of its occurrences, the one in the block nearest its first line. */
  function markPassage(source, passage, line, threadId) {
    var needle = normalise(passage);
    if (!needle) return [];
    var map = textMap(source.root);
    var best = -1;
    var bestScore = Infinity;
    for (var at = map.text.indexOf(needle); at !== -1; at = map.text.indexOf(needle, at + 1)) {
      var block = source.blockOf(map.where[at][0]);
      var blockLine = block ? parseInt(block.getAttribute("data-line"), 10) : 0;
      // A block's data-line is its first line, at or above the passage's (docutils is off by one at times).
      var score = blockLine <= line + 2 ? line - blockLine : 1000 + blockLine - line;
      if (score < bestScore) {
        best = at;
        bestScore = score;
      }
    }
    if (best === -1) return [];
    var end = map.where[best + needle.length - 1];
    return wrap(source.root, map.where[best], [end[0], end[1] + 1], threadId);
  }

  /* ---- Threads beside their passages ---- */

  var GAP = 8; // px between threads pushed down by the one above

  function placeThreads(source, holder) {
    var article = source.root;
    var blocks = toArray(article.querySelectorAll("[data-line]"));
    var items = toArray(holder.querySelectorAll(".thread[data-line-start]")).map(function (thread) {
      var line = parseInt(thread.getAttribute("data-line-start"), 10);
      var block = null;
      blocks.forEach(function (candidate) {
        if (parseInt(candidate.getAttribute("data-line"), 10) <= line) block = candidate;
      });
      var passage = thread.getAttribute("data-passage");
      var marks = passage ? markPassage(source, passage, line, thread.id) : [];
      return { thread: thread, block: block, marks: marks };
    });

    items.forEach(function (item) {
      var block = item.block;
      if (!block) return;
      block.classList.add("has-comments");
      if (!block.id) block.id = "line-" + block.getAttribute("data-line");
      var link = document.createElement("a");
      link.className = "comment-marker";
      link.href = "#" + item.thread.id;
      link.textContent = "¶";
      link.setAttribute("aria-label", "Comment on this passage");
      link.addEventListener("click", function () {
        item.thread.focus();
      });
      block.insertBefore(link, block.firstChild);
      item.marker = link;
    });

    /* Hovering or focusing a thread, its passage, or the passage's marker emphasises both. */
    function emphasise(item, on) {
      item.thread.classList.toggle("thread--active", on);
      var passage = item.marks.length ? item.marks : item.block ? [item.block] : [];
      passage.forEach(function (element) {
        element.classList.toggle("is-active", on);
      });
    }
    function follow(element, item) {
      element.addEventListener("mouseenter", function () {
        emphasise(item, true);
      });
      element.addEventListener("mouseleave", function () {
        emphasise(item, false);
      });
      element.addEventListener("focusin", function () {
        emphasise(item, true);
      });
      element.addEventListener("focusout", function (event) {
        if (!element.contains(event.relatedTarget)) emphasise(item, false);
      });
    }
    items.forEach(function (item) {
      follow(item.thread, item);
      if (item.marker) follow(item.marker, item);
      item.marks.forEach(function (mark) {
        follow(mark, item);
        mark.addEventListener("click", function () {
          if (window.getSelection().isCollapsed) item.thread.focus();
        });
      });
      if (!item.marks.length && item.block) follow(item.block, item);
    });

    function passageTop(item) {
      var element = item.marks.length ? item.marks[0] : item.block;
      return element ? element.getBoundingClientRect().top : Infinity;
    }

    function layout() {
      var beside = holder.getBoundingClientRect().left >= article.getBoundingClientRect().right - 1;
      holder.classList.toggle("placed-threads--beside", beside);
      if (!beside) {
        items.forEach(function (item) {
          item.thread.style.top = "";
        });
        holder.style.height = "";
        return;
      }
      var origin = holder.getBoundingClientRect().top;
      var next = 0;
      items
        .map(function (item) {
          return { item: item, top: passageTop(item) };
        })
        .sort(function (a, b) {
          return a.top - b.top;
        })
        .forEach(function (entry) {
          var wanted = entry.top === Infinity ? next : Math.round(entry.top - origin);
          var top = Math.max(wanted, next);
          entry.item.thread.style.top = top + "px";
          next = top + entry.item.thread.offsetHeight + GAP;
        });
      holder.style.height = Math.max(0, next - GAP) + "px";
    }

    var queued = false;
    function relayout() {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        layout();
      });
    }
    layout();
    // A link to a thread (#thread-12) scrolled to where the thread was before it moved beside its passage.
    var linked = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (linked && holder.contains(linked)) linked.scrollIntoView({ block: "center" });
    window.addEventListener("resize", relayout);
    window.addEventListener("load", relayout);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(relayout);
    if (window.ResizeObserver) {
      // A reply opened, the text reflowed, a panel above folded: sizes change without a resize.
      var observer = new ResizeObserver(relayout);
      observer.observe(article);
      items.forEach(function (item) {
        observer.observe(item.thread);
      });
    }
  }

  /* ---- Start ---- */

  var article = document.getElementById("review-document");
  if (article) {
    var rendered = renderedSource(article);
    offerComments(rendered);
    var holder = document.getElementById("placed-threads");
    if (holder) placeThreads(rendered, holder);
  }
  var compared = document.getElementById("compare-diff");
  if (compared) offerComments(diffSource(compared));
})();
