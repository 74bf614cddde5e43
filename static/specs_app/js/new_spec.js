// The new-spec form: show where the spec's file will go as the author types.
// The server fills in the same path when the page is rendered; this only keeps it current.
(function () {
  "use strict";
  const preview = document.getElementById("spec-file-path");
  const release = document.getElementById("id_release");
  const blueprint = document.getElementById("id_blueprint_url");
  if (!preview || !release || !blueprint) return;
  const code = preview.querySelector("code");
  const pattern = preview.dataset.pattern;
  const blueprintName = /^https?:\/\/blueprints\.launchpad\.net\/[A-Za-z0-9][A-Za-z0-9._+-]*\/\+spec\/([A-Za-z0-9][A-Za-z0-9._+-]*)\/?$/;

  function update() {
    const match = blueprint.value.trim().match(blueprintName);
    const values = { release: release.value.trim() || "<release>", name: match ? match[1] : "<name>" };
    code.textContent = pattern.replace(/\{(release|name)\}/g, (_, field) => values[field]);
  }
  release.addEventListener("input", update);
  blueprint.addEventListener("input", update);
  update();
})();
