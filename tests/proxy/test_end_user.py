"""Which end-user id each format reports to the audit trail (read before masking)."""

from __future__ import annotations

from proxy.formats.anthropic_messages import Messages
from proxy.formats.openai_chat import ChatCompletions

HEADER = "x-voile-end-user"


def test_openai_reads_the_header_then_safety_identifier_then_user() -> None:
    chat = ChatCompletions()
    body = {"user": "u-user", "safety_identifier": "u-safety"}
    assert chat.end_user(body, {HEADER: "u-header"}, HEADER) == "u-header"
    assert chat.end_user(body, {}, HEADER) == "u-safety"
    assert chat.end_user({"user": "u-user"}, {}, HEADER) == "u-user"
    assert chat.end_user({}, {}, HEADER) is None


def test_anthropic_reads_the_header_then_metadata_user_id() -> None:
    messages = Messages()
    body = {"metadata": {"user_id": "u-meta"}}
    assert messages.end_user(body, {HEADER: "u-header"}, HEADER) == "u-header"
    assert messages.end_user(body, {}, HEADER) == "u-meta"
    assert messages.end_user({"metadata": {"user_id": 5}}, {}, HEADER) is None
    assert messages.end_user({"metadata": {"user_id": "x" * 10_000}}, {}, HEADER) is None
