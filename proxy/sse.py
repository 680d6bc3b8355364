"""Server-sent events: a sans-I/O decoder and an encoder for the provider streams Voile relays.

The relay must open each streamed event, restore placeholders in its JSON, and send it on,
without the app noticing. So this module follows the WHATWG "event stream" parsing rules
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
for everything a client could observe, and departs from them only where a *proxy* must see
more than a browser does:

* Comment lines (``: keep-alive``) are surfaced as events with a ``comment``, because
  keep-alives are what stop idle-timeouts between the app and Voile during a long
  "thinking" pause; a browser drops them, a proxy has to forward them.
* A block is surfaced if it carried any field at all (``id`` or ``retry`` alone change the
  client's state, even though a browser dispatches no ``message`` for them).
* ``event``, ``id`` and ``retry`` are what *this* block said, not the browser's sticky
  "last event id": re-encoding must not invent lines the provider never sent.
* At end of stream, an event missing its final blank line is still surfaced (see
  `SSEDecoder.finish`).

The decoder works on bytes and splits lines *before* decoding UTF-8. That is safe because the
bytes of CR and LF never occur inside a multi-byte UTF-8 sequence, and it makes a character
split across two network chunks a non-issue: only complete lines are ever decoded. It is also
what lets the size bounds be stated in bytes, the unit memory is spent in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "DEFAULT_MAX_EVENT_BYTES",
    "DEFAULT_MAX_LINE_BYTES",
    "SSEDecoder",
    "SSEEvent",
    "SSEProtocolError",
    "encode_event",
]

DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"\r\n|\r|\n")
_TEXT_LINE_END = re.compile(r"\r\n|\r|\n")
_DIGITS = re.compile(r"[0-9]+")
_MAX_RETRY_DIGITS = 100


class SSEProtocolError(ValueError):
    """The upstream stream cannot be decoded within Voile's bounds.

    A `ValueError` so that callers treating "bad upstream data" generically still catch it;
    the relay maps it to a provider-shaped 502 and ends the stream.
    """


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One block of an event stream, or one comment line.

    A field is ``None`` when the block did not carry it, so that encoding gives back the
    provider's framing and nothing more (``data: {...}`` stays ``data: {...}``, no
    ``event: message`` is added). ``data`` is the block's data lines joined with ``\\n``;
    ``data == ""`` is a real (empty) message, unlike ``data is None``.

    A comment event has only ``comment`` set: comments are not part of the event they sit
    in, they are forwarded on their own as soon as they are read.
    """

    event: str | None = None
    data: str | None = None
    id: str | None = None
    retry: int | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        if (
            self.id is None
            and self.retry is None
            and self.comment is None
            and self.data is not None
        ):
            # Data, perhaps with a type: the shape of nearly every event. Only the type can
            # be wrong then, as the checks below would find.
            event = self.event
            if event is None or ("\n" not in event and "\r" not in event):
                return
        # Validating here rather than in `encode_event` means a malformed event cannot even be
        # built, so a bug upstream of the encoder cannot smuggle a line break into the
        # framing (an injected "\n\ndata: ..." would forge a whole event for the client).
        for name, value in (("event", self.event), ("id", self.id), ("comment", self.comment)):
            if value is not None and ("\n" in value or "\r" in value):
                msg = f"SSE field {name!r} cannot contain a line break"
                raise ValueError(msg)
        if self.id is not None and "\x00" in self.id:
            msg = "SSE field 'id' cannot contain NUL (clients ignore such ids)"
            raise ValueError(msg)
        if self.retry is not None and self.retry < 0:
            msg = "SSE field 'retry' must be a non-negative number of milliseconds"
            raise ValueError(msg)
        has_fields = (self.event, self.data, self.id, self.retry) != (None, None, None, None)
        if self.comment is not None and has_fields:
            msg = "an SSE comment event carries no other field"
            raise ValueError(msg)
        if self.comment is None and not has_fields:
            msg = "an SSE event needs at least one field or a comment"
            raise ValueError(msg)

    @property
    def is_comment(self) -> bool:
        return self.comment is not None

    @property
    def event_type(self) -> str:
        """The type a client dispatches under: ``message`` when the block named none."""
        return self.event or "message"


def encode_event(event: SSEEvent) -> bytes:
    """Serialise one event so that decoding the bytes gives `event` back.

    Order and spelling follow what providers and common servers write (``event: x`` then
    ``data: {...}``, one space after the colon, ``\\n`` line ends, a blank line to close), so
    that an event Voile did not change goes out byte for byte as it came in. An empty value
    is written without the space (``data:``), which decodes the same and leaves no trailing
    whitespace. Data containing CR is split into ``data:`` lines exactly where a client would
    have split it; the decoder never produces such data.
    """
    data = event.data
    if (
        data  # the common shapes, written at once: ``data: {...}`` and ``event: x`` + data
        and event.id is None
        and event.retry is None
        and "\n" not in data
        and "\r" not in data
    ):
        if event.event is None:
            return f"data: {data}\n\n".encode()
        if event.event:
            return f"event: {event.event}\ndata: {data}\n\n".encode()
    if event.comment is not None:
        return _line("", event.comment) + b"\n"
    lines: list[bytes] = []
    if event.id is not None:
        lines.append(_line("id", event.id))
    if event.event is not None:
        lines.append(_line("event", event.event))
    if event.data is not None:
        lines.extend(_line("data", part) for part in _TEXT_LINE_END.split(event.data))
    if event.retry is not None:
        lines.append(_line("retry", str(event.retry)))
    lines.append(b"\n")
    return b"".join(lines)


def _line(field: str, value: str) -> bytes:
    text = f"{field}: {value}\n" if value else f"{field}:\n"
    return text.encode("utf-8")


class SSEDecoder:
    """Incremental event-stream decoder: feed it network chunks, get whole events back.

    Sans-I/O on purpose: the relay owns the sockets and the timing, this class owns only the
    grammar, so every framing corner case is a table test with no server involved.

    Memory is bounded: a line longer than `max_line_bytes`, or an event whose lines add up to
    more than `max_event_bytes`, raises `SSEProtocolError` instead of buffering without end
    (a misbehaving or hostile upstream must not be able to exhaust the proxy). The verdict
    does not depend on how the stream was cut into chunks.
    """

    def __init__(
        self,
        *,
        max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
    ) -> None:
        if max_line_bytes < 1 or max_event_bytes < 1:
            msg = "SSE size limits must be positive"
            raise ValueError(msg)
        self._max_line_bytes = max_line_bytes
        self._max_event_bytes = max_event_bytes
        self._buffer = bytearray()
        self._scanned = 0  # bytes of `_buffer` already known to hold no line end
        self._at_start = True  # a leading BOM may still be (partly) in the buffer
        self._after_cr = False  # last line ended on a CR: a LF that follows belongs to it
        self._finished = False
        self._reset_block()

    def _reset_block(self) -> None:
        self._event: str | None = None
        self._data: list[str] | None = None
        self._id: str | None = None
        self._retry: int | None = None
        self._block_bytes = 0

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Consume one chunk; return the events and comments it completed, in stream order.

        Work is proportional to the chunk: bytes already scanned for a line end are never
        scanned again, so a long line arriving in many small chunks stays linear.
        """
        if self._finished:
            msg = "SSEDecoder.feed() called after finish()"
            raise RuntimeError(msg)
        if not chunk:
            return []
        if self._after_cr:
            self._after_cr = False
            if chunk[:1] == b"\n":  # the second half of a CRLF split across chunks
                chunk = chunk[1:]
        if not self._at_start and b"\r" not in chunk and (not self._buffer or b"\n" in chunk):
            if self._buffer:
                # A line cut by the network (common under load) ends in this chunk: joined
                # once, so the line's bytes are still copied once, when it is complete. What
                # is buffered holds no CR: a CR ends a line wherever it is read.
                chunk = bytes(self._buffer) + chunk
                self._buffer.clear()
                self._scanned = 0
            return self._feed_lines(chunk)
        self._buffer += chunk
        if self._at_start:
            if len(self._buffer) < len(_BOM) and _BOM.startswith(self._buffer):
                return []  # could still be a BOM cut short: wait for more
            if self._buffer.startswith(_BOM):
                del self._buffer[: len(_BOM)]
            self._at_start = False

        events: list[SSEEvent] = []
        start = 0
        for match in _LINE_END.finditer(self._buffer, self._scanned):
            self._take_line(bytes(self._buffer[start : match.start()]), events)
            start = match.end()
            if match.end() == len(self._buffer) and match.group() == b"\r":
                self._after_cr = True
        del self._buffer[:start]
        self._scanned = len(self._buffer)
        if len(self._buffer) > self._max_line_bytes:
            raise self._line_too_long()
        return events

    def _feed_lines(self, chunk: bytes) -> list[SSEEvent]:
        """`feed` for the common case, only LF line ends (and nothing buffered: the caller
        puts it in front): the chunk is split once, and ``data:`` and ``event:`` lines skip
        the general field parsing. Same events, same bounds, same verdicts as the general
        path."""
        events: list[SSEEvent] = []
        lines = chunk.split(b"\n")
        rest = lines.pop()  # after the last LF: the start of a line still to come
        for raw in lines:
            if raw[:6] == b"data: " and len(raw) <= self._max_line_bytes:
                self._block_bytes += len(raw)
                if self._block_bytes > self._max_event_bytes:
                    raise self._event_too_large()
                if self._data is None:
                    self._data = []
                self._data.append(raw[6:].decode("utf-8", errors="replace"))
            elif raw[:7] == b"event: " and len(raw) <= self._max_line_bytes:
                self._block_bytes += len(raw)
                if self._block_bytes > self._max_event_bytes:
                    raise self._event_too_large()
                self._event = raw[7:].decode("utf-8", errors="replace")
            elif not raw:  # the blank line that ends an event
                self._dispatch(events)
            else:
                self._take_line(raw, events)
        if rest:
            self._buffer += rest
            self._scanned = len(self._buffer)
            if len(self._buffer) > self._max_line_bytes:
                raise self._line_too_long()
        return events

    def finish(self) -> list[SSEEvent]:
        """End of stream: return what the last chunks left pending.

        The spec says a browser drops an event whose closing blank line never came. A proxy
        that dropped it too would silently eat the provider's last words (some servers close
        right after ``data: [DONE]\\n``), so an unterminated last line is read as a line and a
        pending event is surfaced; re-encoded, it reaches the app properly closed.
        """
        if self._finished:
            return []
        self._finished = True
        events: list[SSEEvent] = []
        if self._buffer:
            self._take_line(bytes(self._buffer), events)
            self._buffer.clear()
        self._dispatch(events)
        return events

    def _take_line(self, raw: bytes, events: list[SSEEvent]) -> None:
        if len(raw) > self._max_line_bytes:
            raise self._line_too_long()
        if not raw:
            self._dispatch(events)
            return
        # Decoding per line equals decoding the stream: line ends are ASCII and cannot sit
        # inside a multi-byte character. "replace" is what the spec's UTF-8 decode does.
        line = raw.decode("utf-8", errors="replace")
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if not name:
            if colon:  # a comment; a line that is empty was handled above
                events.append(SSEEvent(comment=value))
            return
        self._block_bytes += len(raw)
        if self._block_bytes > self._max_event_bytes:
            raise self._event_too_large()
        self._take_field(name, value)

    def _take_field(self, name: str, value: str) -> None:
        match name:
            case "data":
                if self._data is None:
                    self._data = []
                self._data.append(value)
            case "event":
                self._event = value
            case "id" if "\x00" not in value:  # the spec ignores ids with NUL
                self._id = value
            # The spec ignores a retry that is not all ASCII digits. Python refuses to convert
            # numbers of thousands of digits (a ValueError); no client could honour one either.
            case "retry" if _DIGITS.fullmatch(value) and len(value) <= _MAX_RETRY_DIGITS:
                self._retry = int(value)
            case _:
                pass  # unknown fields and ignored values, as the spec requires

    def _dispatch(self, events: list[SSEEvent]) -> None:
        lines = self._data
        if lines is not None and self._id is None and self._retry is None:
            # Data, perhaps typed (nearly every provider event): the same event, built directly.
            text = lines[0] if len(lines) == 1 else "\n".join(lines)
            events.append(SSEEvent(event=self._event, data=text))
            self._event = self._data = None
            self._block_bytes = 0
            return
        data = None if lines is None else "\n".join(lines)
        if (self._event, data, self._id, self._retry) != (None, None, None, None):
            events.append(SSEEvent(event=self._event, data=data, id=self._id, retry=self._retry))
        self._reset_block()

    def _line_too_long(self) -> SSEProtocolError:
        return SSEProtocolError(
            f"SSE line exceeds {self._max_line_bytes} bytes without a line break; "
            "refusing to buffer more of it"
        )

    def _event_too_large(self) -> SSEProtocolError:
        return SSEProtocolError(
            f"SSE event exceeds {self._max_event_bytes} bytes without a blank line; "
            "refusing to buffer more of it"
        )
