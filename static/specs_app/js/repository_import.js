/*
 * Importing a repository with progress: the upload's (XMLHttpRequest's upload
 * events), then the import's, which the server streams as JSON lines
 * (specs_app/transfer/progress.py) when asked with Accept: application/x-ndjson.
 * At the end the page's <main> becomes the report page the server rendered, the
 * same page a plain form post gets. A refusal (400, 403, 413) is a page too, and
 * takes the same way. Without JavaScript the form simply posts.
 */
(function () {
  "use strict";

  var NDJSON = "application/x-ndjson";

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function part(form, name) {
    return form.querySelector("[data-" + name + "]");
  }

  function showPage(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var main = page.querySelector("main");
    if (!main) return false;
    var current = document.querySelector("main");
    current.replaceWith(document.adoptNode(main));
    document.title = page.title;
    window.scrollTo(0, 0);
    main.focus();
    return true;
  }

  function start(form) {
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    var error = part(form, "import-error");
    var panel = part(form, "import-progress");
    var uploadBar = part(form, "upload-bar");
    var uploadDetail = part(form, "upload-detail");
    var importBar = part(form, "import-bar");
    var importDetail = part(form, "import-detail");
    var button = form.querySelector("button[type=submit]");
    var limit = Number(form.getAttribute("data-max-bytes"));

    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      panel.hidden = true;
      button.disabled = false;
    }

    error.hidden = true;
    if (file && limit && file.size > limit) {
      fail(
        "The archive is " + megabytes(file.size) + "; an uploaded repository may have at most " +
          form.getAttribute("data-max-size") + "."
      );
      return;
    }

    var data = new FormData(form);
    var request = new XMLHttpRequest();
    var read = 0; // how much of the streamed answer has been handled
    var finished = false;

    uploadBar.value = 0;
    uploadDetail.textContent = file ? "0 of " + megabytes(file.size) : "";
    importBar.value = 0;
    importDetail.textContent = "Waits for the upload.";
    panel.hidden = false;
    button.disabled = true;

    function handle(event) {
      if (event.event === "progress") {
        importBar.max = event.total;
        importBar.value = event.done;
        importDetail.textContent = event.done + " of " + event.total + " files: " + event.path + " " + event.outcome;
      } else if (event.event === "done") {
        finished = true;
        if (!showPage(event.html)) fail(event.summary);
      } else if (event.event === "error") {
        finished = true;
        fail(event.message);
      }
    }

    function readLines() {
      var text = request.responseText;
      var end = text.lastIndexOf("\n");
      if (end < read) return;
      text.slice(read, end).split("\n").forEach(function (line) {
        if (line.trim()) handle(JSON.parse(line));
      });
      read = end + 1;
    }

    function streaming() {
      return (request.getResponseHeader("Content-Type") || "").indexOf(NDJSON) === 0;
    }

    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      uploadBar.value = Math.round((event.loaded / event.total) * 100);
      uploadDetail.textContent = megabytes(event.loaded) + " of " + megabytes(event.total);
    });
    request.upload.addEventListener("load", function () {
      uploadBar.value = 100;
      importBar.removeAttribute("value"); // moving, without a measure, until the first file is done
      importDetail.textContent = "Unpacking the archive…";
    });
    request.addEventListener("progress", function () {
      if (streaming()) readLines();
    });
    request.addEventListener("load", function () {
      if (streaming()) {
        readLines();
        if (!finished) {
          fail("The connection closed before the import finished. It may still be running: " +
            "the project's specs page shows what has come in.");
        }
      } else if (!showPage(request.responseText)) {
        fail("The server answered " + request.status + " " + request.statusText + ". Try again.");
      }
    });
    request.addEventListener("error", function () {
      fail("The upload stopped: the connection to the server was lost. Try again.");
    });

    request.open("POST", form.action);
    request.setRequestHeader("Accept", NDJSON + ", text/html;q=0.9");
    request.send(data);
  }

  // On the document, so that the form of a report page shown in place works the same.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-repository-import]")) return;
    if (typeof FormData === "undefined" || typeof DOMParser === "undefined") return;
    event.preventDefault();
    start(form);
  });
})();
