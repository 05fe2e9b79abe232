#!/usr/bin/env python3
"""A stand-in for Ollama and OpenAI-compatible servers (llama.cpp server, vLLM), for Assay's tests.

It answers POST /api/chat (Ollama: streamed NDJSON or one JSON object) and POST
/v1/chat/completions (OpenAI: JSON with `usage`; with llama.cpp's `timings` when the model name
contains "llamacpp"), in those servers' wire formats.

The answer is read from the user message: a marker `expect:LABEL` makes the server answer
"Label [the text says so]"; `expect-choice:X` answers "The answer is X."; `expect-code:B64[,B64...]`
answers with a decoded program in a ```python block, the one at the request's seed modulo their
number (so that samples drawn with seeds 0, 1, 2 ... differ); no marker answers "I cannot tell.".

The requested model name picks a failure to reproduce:
  missing    404 unknown model, with each server's error body
  error500   HTTP 500 on every request
  flaky      HTTP 503 on the first two requests, then normal answers
  malformed  200 with a body that is not JSON
  truncated  Ollama: a stream cut off mid-transfer; OpenAI: a body shorter than Content-Length
  nodone     Ollama: a stream that ends cleanly but without its final "done": true line
  slow       waits 3 s before answering (tests set a shorter client timeout)

--fail-after N makes the whole server start failing mid-run: after its first N requests,
every later one gets HTTP 503 (one server of a fleet going bad).

Usage: fake_llm_server.py [--delay SECONDS] [--log FILE] [--fail-after N]
Prints "PORT <n>" on stdout once it listens on 127.0.0.1 (a free port).
"""
import argparse
import base64
import json
import re
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
COUNTS = {}
LOCK = threading.Lock()


def answer_for(messages, seed=0):
    user = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
    code = re.search(r"expect-code:([A-Za-z0-9+/=,]+)", user)
    if code:
        programs = code.group(1).split(",")
        return "Here it is:\n```python\n%s\n```" % base64.b64decode(programs[seed % len(programs)]).decode()
    choice = re.search(r"expect-choice:([A-Z])", user)
    if choice:
        return "The answer is %s." % choice.group(1)
    label = re.search(r"expect:([a-z_]+)", user)
    if label:
        return "%s [the text says so]" % label.group(1).capitalize()
    return "I cannot tell."


def count(model):
    with LOCK:
        COUNTS[model] = COUNTS.get(model, 0) + 1
        return COUNTS[model]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_raw(self, status, body, length=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        if ARGS.log:
            with LOCK, open(ARGS.log, "a") as log:
                log.write(json.dumps({"path": self.path, "body": request,
                                      "authorization": self.headers.get("Authorization")}) + "\n")
        if ARGS.delay:
            time.sleep(ARGS.delay)
        model = request.get("model", "")
        ollama = self.path == "/api/chat"
        if ARGS.fail_after is not None and count("\0answered") > ARGS.fail_after:
            return self.send_json(503, {"error": "server is shutting down"} if ollama
                                  else {"error": {"message": "server is shutting down", "type": "server_error", "code": 503}})
        if not ollama and self.path != "/v1/chat/completions":
            return self.send_json(404, {"error": "no route %s" % self.path})
        if model == "missing":
            if ollama:
                return self.send_json(404, {"error": 'model "missing" not found, try pulling it first'})
            return self.send_json(404, {"error": {"message": "The model `missing` does not exist",
                                                  "type": "invalid_request_error", "code": "model_not_found"}})
        if model == "error500":
            return self.send_json(500, {"error": "llama runner process has terminated"} if ollama
                                  else {"error": {"message": "internal server error", "type": "server_error", "code": 500}})
        if model == "flaky" and count(model) <= 2:
            return self.send_json(503, {"error": "server busy"} if ollama
                                  else {"error": {"message": "server busy", "type": "server_error", "code": 503}})
        if model == "slow":
            time.sleep(3)
        if model == "malformed":
            return self.send_raw(200, b'{"model": "malformed", "message": {"content": "Positive')
        seed = request.get("seed", (request.get("options") or {}).get("seed", 0))
        text = answer_for(request.get("messages", []), int(seed or 0))
        if ollama:
            return self.ollama(request, model, text)
        return self.openai(request, model, text)

    def ollama(self, request, model, text):
        final = {
            "model": model, "created_at": "2024-11-22T05:00:00.000000Z",
            "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
            "total_duration": 5043500667, "load_duration": 5025959, "prompt_eval_count": 26,
            "prompt_eval_duration": 325953000, "eval_count": 7, "eval_duration": 4709213000,
        }
        if not request.get("stream", True):
            final["message"]["content"] = text
            return self.send_json(200, final)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        pieces = re.findall(r"\S+\s*", text)
        lines = [{"model": model, "created_at": "2024-11-22T05:00:00.000000Z",
                  "message": {"role": "assistant", "content": piece}, "done": False} for piece in pieces]
        if model in ("truncated", "nodone"):
            lines = lines[:2]
        else:
            lines.append(final)
        for line in lines:
            data = (json.dumps(line) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        if model == "truncated":
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")

    def openai(self, request, model, text):
        body = {
            "id": "chatcmpl-test", "object": "chat.completion", "created": 1732251600, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 31, "completion_tokens": 7, "total_tokens": 38},
        }
        if "llamacpp" in model:
            body["timings"] = {"prompt_n": 31, "prompt_ms": 114.8, "prompt_per_token_ms": 3.70,
                               "prompt_per_second": 270.0, "predicted_n": 7, "predicted_ms": 68.6,
                               "predicted_per_token_ms": 9.8, "predicted_per_second": 102.0}
        data = json.dumps(body).encode()
        if model == "truncated":
            self.send_raw(200, data[: len(data) // 3], length=len(data))
            self.close_connection = True
            return
        self.send_raw(200, data)


def main():
    global ARGS
    # A test runner's worker thread may have blocked every signal; the mask is inherited, and the
    # tests stop this server with SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--log")
    parser.add_argument("--fail-after", type=int)
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
