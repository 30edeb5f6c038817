"""A small OpenAI-compatible server for tests: answers from the request's JSON schema.

Run ``python tests/fake_llm_server.py --port 0``; it prints ``PORT <n>`` once ready.
The served model name picks the behaviour (the part after ``hosted_vllm/``):

* ``valid`` (or any other name): a schema-valid instance built from the schema;
* ``invalid-then-valid``: first answer per conversation breaks the schema, retries are valid;
* ``always-invalid``: never valid JSON;
* ``slow``: waits ``--slow-seconds`` before a valid answer.

Inspection endpoints: ``GET /_requests`` (bodies received), ``GET /_stats``
(``max_in_flight``), ``POST /_reset``.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def instance_from_schema(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """Build a minimal value that satisfies ``schema`` (the subset pydantic emits)."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return instance_from_schema(root.get("$defs", {})[name], root)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return instance_from_schema(options[0], root)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: instance_from_schema(v, root) for k, v in props.items()}
    if kind == "array":
        n = schema.get("minItems", 1)
        return [instance_from_schema(schema.get("items", {}), root) for _ in range(n)]
    if kind == "string":
        return "x" * max(schema.get("minLength", 0), 1)
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return float(schema.get("minimum", 0))
    if kind == "boolean":
        return True
    return None


class _State:
    def __init__(self, slow_seconds: float) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.slow_seconds = slow_seconds


def _schema_of(body: dict[str, Any]) -> dict[str, Any]:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]
    if fmt.get("type") == "json_object" and "schema" in fmt:
        return fmt["schema"]
    return {"type": "object", "properties": {}}


def _answer(body: dict[str, Any], state: _State) -> str:
    model = str(body.get("model", "valid"))
    retries = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
    if model == "always-invalid":
        return "this is not json"
    if model == "invalid-then-valid" and retries == 0:
        return json.dumps({"unexpected": "shape"})
    if model == "slow":
        time.sleep(state.slow_seconds)
    return json.dumps(instance_from_schema(_schema_of(body)))


def make_handler(state: _State) -> type[BaseHTTPRequestHandler]:
    """Request handler class bound to ``state``."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, code: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": "valid", "object": "model"}]})
            elif self.path == "/_requests":
                with state.lock:
                    self._send(200, list(state.requests))
            elif self.path == "/_stats":
                self._send(200, {"max_in_flight": state.max_in_flight})
            elif self.path in ("/health", "/healthz"):
                self._send(200, {"ok": True})
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path == "/_reset":
                with state.lock:
                    state.requests.clear()
                    state.max_in_flight = 0
                self._send(200, {"ok": True})
                return
            if not self.path.endswith("/chat/completions"):
                self._send(404, {"error": "not found"})
                return
            with state.lock:
                state.requests.append(body)
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                content = _answer(body, state)
            finally:
                with state.lock:
                    state.in_flight -= 1
            self._send(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "valid"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
                },
            )

    return Handler


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(_State(args.slow_seconds)))
    sys.stdout.write(f"PORT {server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
