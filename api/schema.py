"""Schema post-processing: every operation documents the error answers it can give, so that
clients (and schemathesis) know a 400, 401, 403, 404 or 429 is part of the contract."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "`detail` says why; for invalid input, each field names its problems.",
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input: the fields and what is wrong with each.",
    "401": "No valid token or session.",
    "403": "Your role may not do this.",
    "404": "Not found, or not yours to see.",
    "429": "Too many requests: slow down (see Retry-After).",
}


def document_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                # Ids are positive whole numbers: the URLs match nothing else (Django's <int:>).
                if (
                    parameter.get("in") == "path"
                    and parameter.get("schema", {}).get("type") == "integer"
                ):
                    parameter["schema"]["minimum"] = 1
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
            if method in {"post", "put", "patch"}:
                responses.setdefault(
                    "503",
                    {
                        "description": "A service Ladder needs (the report queue) is unavailable.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
