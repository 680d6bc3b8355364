"""The relay's per-event loop alone, before and after a change: CPU to decode, restore and
re-encode one streamed answer, in process (issue 13, target 5 and target 2's main-process
share).

    .venv/bin/python bench/stream_loop.py [--base COMMIT] [--pairs 3] [--cut BYTES]
        [--format openai|anthropic]

The answer is what the echoing fake (`tests.fakes.openai_provider`, as `bench/stream.py`
drives it) sends back for a 1 KB prompt holding 15 placeholders: ~260 chat chunks of 4
characters (`--format anthropic`: the same text as a Messages stream, every event typed).
It is fed to `SSEDecoder` → the format's stream restorer → `encode_event` as
`proxy.relay.stream_back` does, in network chunks of 8 whole events ("aligned") and in
chunks of `--cut` bytes that end anywhere, mid-line included ("cut": what a loaded machine
reads). Each side runs in its own process (the base's code unpacked by
`servers.source_copy`, first on PYTHONPATH), taking turns, `--pairs` times; a side's figure
is the least CPU time (`time.process_time`) per answer over 7 rounds of 50 answers. Both
sides must give the same bytes and the same summary, or the bench stops.

Sans-I/O and single-threaded: it measures the Python work per event, not aiohttp, the
sockets or the audit (`bench/stream.py` measures the whole process).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROUNDS, ANSWERS = 7, 50


def answer_frames(wire: str) -> tuple[list[bytes], Any]:
    """The fake's stream for a masked 1 KB prompt, and the lookup that restores it."""
    from proxy.placeholders import Vault  # noqa: PLC0415 - from the side's own code

    vault = Vault(b"k" * 32)
    words = [
        vault.token_for("PERSON", f"Jean {i}") if i % 4 == 0 else "lorem ipsum dolor sit"
        for i in range(60)
    ]
    text = " ".join(words)[:1024]
    if wire == "anthropic":
        return anthropic_frames(text), vault.value_of

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        data = {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "bench",
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        return f"data: {json.dumps(data, separators=(',', ':'))}\n\n".encode()

    frames = [chunk({"role": "assistant", "content": "", "refusal": None})]
    frames += [chunk({"content": text[i : i + 4]}) for i in range(0, len(text), 4)]
    frames += [chunk({}, "stop"), b"data: [DONE]\n\n"]
    return frames, vault.value_of


def anthropic_frames(text: str) -> list[bytes]:
    """A Messages stream of `text` in 4-character `text_delta`s (every event typed)."""

    def event(kind: str, data: dict[str, Any]) -> bytes:
        return f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n".encode()

    message = {"id": "msg_bench", "type": "message", "role": "assistant", "content": []}
    frames = [
        event("message_start", {"message": {**message, "model": "bench", "stop_reason": None}}),
        event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
    ]
    frames += [
        event(
            "content_block_delta",
            {"index": 0, "delta": {"type": "text_delta", "text": text[i : i + 4]}},
        )
        for i in range(0, len(text), 4)
    ]
    return [
        *frames,
        event("content_block_stop", {"index": 0}),
        event(
            "message_delta", {"delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 9}}
        ),
        event("message_stop", {}),
    ]


def child(cut: int, wire: str) -> dict[str, Any]:
    """This process's side: least CPU ms per answer, aligned and cut, and a digest of
    what it sent."""
    from proxy.formats.anthropic_messages import MessagesStreamRestorer  # noqa: PLC0415
    from proxy.formats.openai_chat import ChatStreamRestorer  # noqa: PLC0415
    from proxy.sse import SSEDecoder, encode_event  # noqa: PLC0415

    restorers = {"openai": ChatStreamRestorer, "anthropic": MessagesStreamRestorer}
    frames, lookup = answer_frames(wire)
    whole = b"".join(frames)
    chunkings = {
        "aligned": [b"".join(frames[i : i + 8]) for i in range(0, len(frames), 8)],
        "cut": [whole[i : i + cut] for i in range(0, len(whole), cut)],
    }

    def relay(chunks: list[bytes]) -> bytes:
        decoder = SSEDecoder()
        restorer = restorers[wire](lookup)
        out = []
        for piece in chunks:
            events = decoder.feed(piece)
            out.append(b"".join(encode_event(e) for ev in events for e in restorer.feed(ev)))
        for event in decoder.finish():
            out.append(b"".join(encode_event(e) for e in restorer.feed(event)))
        out.append(b"".join(encode_event(e) for e in restorer.finish()))
        summary = restorer.summary()
        return b"".join(out) + repr((summary.restored, summary.transcript)).encode()

    result: dict[str, Any] = {"events": len(frames)}
    for name, chunks in chunkings.items():
        result[f"{name}_digest"] = hashlib.sha256(relay(chunks)).hexdigest()
        best = float("inf")
        for _ in range(ROUNDS):
            started = time.process_time()
            for _ in range(ANSWERS):
                relay(chunks)
            best = min(best, (time.process_time() - started) / ANSWERS * 1000)
        result[name] = best
    return result


def run_side(source: Path, cut: int, wire: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    script = str(Path(__file__).resolve())
    command = [sys.executable, script, "--child", "--cut", str(cut), "--format", wire]
    done = subprocess.run(command, env=env, capture_output=True, check=True, timeout=600)
    return dict(json.loads(done.stdout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="the commit measured as 'before'")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--cut", type=int, default=1000, help="bytes per network chunk")
    parser.add_argument("--format", choices=("openai", "anthropic"), default="openai")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        # bench/ itself is not a place to import from: its audit.py would shadow the package.
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
        print(json.dumps(child(args.cut, args.format)))
        return 0
    sys.path.insert(0, str(ROOT))
    from bench import servers  # noqa: PLC0415

    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="voile-stream-loop-") as tmp:
        base = servers.source_copy(args.base, Path(tmp) / "base")
        rows = []
        for pair in range(args.pairs):
            sides = [("before", base), ("after", ROOT)]
            if pair % 2:
                sides.reverse()
            got = {name: run_side(source, args.cut, args.format) for name, source in sides}
            for key in ("aligned_digest", "cut_digest"):
                if got["before"][key] != got["after"][key]:
                    print(f"the two sides sent different bytes ({key})", file=sys.stderr)
                    return 1
            rows.append(got)
    print(f"load average {os.getloadavg()[0]:.2f}; {rows[0]['after']['events']} events")
    print("| pair | aligned, before → after (ms) | cut, before → after (ms) |")
    print("|---|---:|---:|")
    for number, got in enumerate(rows, 1):
        before, after = got["before"], got["after"]
        print(
            f"| {number} | {before['aligned']:.2f} → {after['aligned']:.2f} "
            f"({after['aligned'] / before['aligned'] - 1:+.0%}) | {before['cut']:.2f} → "
            f"{after['cut']:.2f} ({after['cut'] / before['cut'] - 1:+.0%}) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
