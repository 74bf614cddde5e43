"""OpenAPI schema adjustments that drf-spectacular cannot infer."""

from __future__ import annotations

from typing import Any

# drf-spectacular makes every field of a PATCH body optional, as DRF's partial
# validation does; these PATCH bodies still need some of them.
REQUIRED_IN_PATCH = {
    # Even a partial change names the version it starts from.
    "PatchedSpecUpdateRequest": ["version"],
    # PATCH of a section is the same write as PUT: the whole body, and its version.
    "PatchedSectionWriteRequest": ["text", "version"],
}


def require_fields_in_patch(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    for name, fields in REQUIRED_IN_PATCH.items():
        if name in schemas:
            schemas[name]["required"] = sorted(set(schemas[name].get("required", [])) | set(fields))
    refs = {f"#/components/schemas/{name}" for name in REQUIRED_IN_PATCH}
    for operations in result.get("paths", {}).values():
        body = operations.get("patch", {}).get("requestBody")
        if body and any(
            media.get("schema", {}).get("$ref") in refs for media in body.get("content", {}).values()
        ):
            body["required"] = True
    return result
