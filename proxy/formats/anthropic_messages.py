"""Anthropic Messages: where the text is in requests, answers and stream events.

Requests are checked against a table of the fields and content block types of the Messages
API (as the official SDK declares them, request and answer shapes both, since apps send
answers back as history): every value is type-checked, then scanned, or passed if it cannot
hold free text (sampling parameters, cache settings, ids in the id grammar). A field or block
type we do not know, or a value of another type, may carry text we would not scan, so it is
refused (400 `unsupported_field`, naming the field) instead of forwarded. Tool definitions
are scanned like the rest (see `proxy.formats.fields` for ids, names and schemas).

Three decisions worth knowing:

* **Thinking blocks** (`thinking`, `redacted_thinking`) are the model's own words about the
  masked conversation, protected by a signature that Anthropic checks when they are sent back.
  Editing one byte invalidates it, so they are neither restored in answers (the app sees the
  placeholders the model saw) nor scanned in requests (they go back byte-identical). They are
  accepted in assistant turns only. The price: a client that forges one sends text Voile did
  not scan (Anthropic then rejects the bad signature, but the text has left).
* **Documents** are text when their source is `text` (plain text) or `content` (text blocks):
  scanned like any text. PDF sources (base64, URL, file id) cannot be scanned: refused unless
  the policy allows `file`. Titles and contexts are scanned either way.
* **Citations** quote the cited document (`cited_text`). Answers are restored, so an app sends
  the quote back in clear with its history: it is scanned, like the titles and URLs next to it.
* **Threads** (`thread`, the beta in which the provider keeps the conversation and later
  turns send only what is new) are refused, in the shape the SDKs take for "this request
  cannot be threaded" (`ThreadUnsupported`): their tool runners then resend the whole
  conversation without a thread, which Voile scans and restores as any other. Relaying
  threads would mean answers drawn from a history Voile never sees in the request.
* Beta features that make the provider keep or call something Voile cannot see (MCP servers,
  the advisor model, compaction and context edits, fallbacks) are refused, each with its
  reason in the table (`refused`); their blocks in a history are refused alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from proxy.body import where
from proxy.errors import BadRequest, ThreadUnsupported
from proxy.formats.base import (
    MAX_END_USER_ID,
    PLAIN,
    AnswerText,
    Endpoint,
    EventRestorer,
    RestoreCount,
    Usage,
    compact_json,
    finish_reasons,
    restore_json,
)
from proxy.formats.document import Document, JsonPath
from proxy.formats.fields import (
    BOOLEAN,
    COUNT,
    DOMAINS,
    FREE_JSON,
    ID,
    JSON_SCHEMA,
    NAME,
    PASSED,
    STRING,
    TEXT,
    TIMESTAMP,
    Check,
    Fields,
    Scan,
    all_of,
    array,
    check_fields,
    either,
    enum,
    grammar,
    integer,
    invalid,
    mapping,
    nullable,
    number,
    obj,
    refused,
    tagged,
    unscannable,
    unsupported,
    within,
)
from proxy.formats.openai_chat import MODEL
from proxy.policy import Part, Policy, UnscannableKind
from proxy.restore import Lookup, Restorer, TextKind, restorer_for
from proxy.sse import SSEEvent

# ----------------------------------------------------------------------------- requests
# Every field of a request, as the official SDK declares it, and what is done with it (see
# `proxy.formats.fields` for the checks and the decisions on ids, names and schemas).

# Signature-protected model output: accepted unchanged, in assistant turns only.
_THINKING = frozenset({"thinking", "redacted_thinking"})

_CACHE = nullable(obj({"type": enum("ephemeral"), "ttl": enum("5m", "1h")}))
_CITATIONS_CONFIG = nullable(obj({"enabled": BOOLEAN}))
_ERROR_CODE = grammar(r"[a-z_]{1,64}", "an error code")
# Who called a tool: the model directly, or code it runs (a dated code-execution tool).
_CALLER = nullable(
    obj({"type": grammar(r"direct|[a-z_]{1,64}_[0-9]{8}", "a caller type"), "tool_id": ID})
)
_ALLOWED_CALLERS = array(grammar(r"direct|[a-z_]{1,64}_[0-9]{8}", "a caller type"))


def _tool_input(scan: Scan, path: JsonPath, value: Any) -> None:
    """A tool call's `input`: an object of any depth, every string (and key) scanned."""
    if not isinstance(value, dict):
        raise invalid(path, "an object")
    FREE_JSON(scan, path, value)


_CITATION_SHARED: Fields = {
    "cited_text": TEXT,
    "document_index": COUNT,
    "document_title": nullable(TEXT),
    "file_id": nullable(ID),
}
_CITATION = tagged(
    {  # quotes and titles are the cited document's text: scanned
        "char_location": {**_CITATION_SHARED, "start_char_index": COUNT, "end_char_index": COUNT},
        "page_location": {**_CITATION_SHARED, "start_page_number": COUNT, "end_page_number": COUNT},
        "content_block_location": {
            **_CITATION_SHARED,
            "start_block_index": COUNT,
            "end_block_index": COUNT,
        },
        "web_search_result_location": {
            "cited_text": TEXT,
            "title": nullable(TEXT),
            "url": TEXT,
            "encrypted_index": STRING,
        },
        "search_result_location": {
            "cited_text": TEXT,
            "title": nullable(TEXT),
            "source": TEXT,
            "search_result_index": COUNT,
            "start_block_index": COUNT,
            "end_block_index": COUNT,
        },
    },
    "citation type",
)
_TEXT_BLOCK: Fields = {
    "text": TEXT,
    "cache_control": _CACHE,
    "citations": nullable(array(_CITATION)),
}
_IMAGE_BLOCK = all_of(
    unscannable(UnscannableKind.IMAGE, "image content"),
    obj(
        {
            "type": PASSED,
            "cache_control": _CACHE,
            "source": tagged(
                {
                    "base64": {
                        "data": STRING,
                        "media_type": grammar(r"image/[a-z0-9.+-]{1,32}", "an image media type"),
                    },
                    "url": {"url": STRING},
                    "file": {"file_id": ID},
                },
                "image source type",
            ),
            "transformations": nullable(obj({"oversized_image": enum("downsize", "error")})),
        }
    ),
)


def content(blocks: Mapping[str, Fields | Check]) -> Check:
    """Content: a string (shorthand for one text block), null, or an array of `blocks`."""
    return nullable(
        either(
            "a string or an array of content blocks",
            string=TEXT,
            array=array(tagged(blocks, "content block type")),
        )
    )


# Documents: plain text and text blocks are scanned; a PDF or a provider-held file cannot be,
# so it is refused unless the policy allows files. Titles and contexts are scanned either way.
_PDF_SOURCES = ("base64", "url", "file")
_DOCUMENT_FIELDS = obj(
    {
        "type": PASSED,
        "cache_control": _CACHE,
        "citations": _CITATIONS_CONFIG,
        "context": nullable(TEXT),
        "title": nullable(TEXT),
        "source": tagged(
            {
                "text": {"data": TEXT, "media_type": enum("text/plain")},
                "content": {"content": content({"text": _TEXT_BLOCK, "image": _IMAGE_BLOCK})},
                "base64": {"data": STRING, "media_type": enum("application/pdf")},
                "url": {"url": STRING},
                "file": {"file_id": ID},
            },
            "document source type",
            name_tag=False,
        ),
    }
)
_REFUSE_PDF = unscannable(UnscannableKind.FILE, "a PDF or file document")


def _document(scan: Scan, path: JsonPath, block: Any) -> None:
    source = block.get("source") if isinstance(block, dict) else None
    if isinstance(source, dict) and source.get("type") in _PDF_SOURCES:
        _REFUSE_PDF(scan, path, block)
    _DOCUMENT_FIELDS(scan, path, block)


_SEARCH_RESULT: Fields = {
    "content": array(tagged({"text": _TEXT_BLOCK}, "content block type")),
    "source": TEXT,
    "title": TEXT,
    "cache_control": _CACHE,
    "citations": _CITATIONS_CONFIG,
}
_TOOL_USE: Fields = {  # a call the model made: `input` scanned, id and name as decided
    "id": ID,
    "name": NAME,
    "input": _tool_input,
    "cache_control": _CACHE,
    "caller": _CALLER,
    "toolset_name": nullable(NAME),
}
_TOOL_REFERENCE: Fields = {"tool_name": NAME, "cache_control": _CACHE}
_BROWSER_STATE: Fields = {
    "tabs": array(obj({"tab_id": ID, "title": TEXT, "url": TEXT, "active": BOOLEAN})),
    "state_changes": nullable(
        array(
            tagged(
                {
                    "tab_opened": {"tab_id": ID},
                    "download_started": {"download_id": ID, "url": TEXT},
                    "download_completed": {
                        "download_id": ID,
                        "url": TEXT,
                        "path": nullable(TEXT),
                        "size_bytes": nullable(COUNT),
                    },
                    "download_failed": {"download_id": ID, "url": TEXT, "error": nullable(TEXT)},
                },
                "browser state change type",
            )
        )
    ),
    "cache_control": _CACHE,
}
_TOOL_RESULT: Fields = {
    "tool_use_id": ID,
    "is_error": nullable(BOOLEAN),
    "cache_control": _CACHE,
    "toolset_name": nullable(NAME),
    "content": content(
        {
            "text": _TEXT_BLOCK,
            "image": _IMAGE_BLOCK,
            "document": _document,
            "search_result": _SEARCH_RESULT,
            "tool_reference": _TOOL_REFERENCE,
            "browser_state": _BROWSER_STATE,
        }
    ),
}


def _server_result(results: Mapping[str, Fields]) -> Fields:
    """A result of the provider's own (server) tools, sent back as history: output files are
    ids, encrypted output is opaque to all but the provider, the rest is scanned."""
    return {
        "tool_use_id": ID,
        "cache_control": _CACHE,
        "caller": _CALLER,
        "content": tagged(results, "server tool result type"),
    }


def _outputs(kind: str) -> Check:
    return array(obj({"type": enum(kind), "file_id": ID}))


_EXECUTION: Fields = {"return_code": integer(), "stderr": TEXT, "stdout": TEXT}
_SERVER_TOOL_RESULTS: Mapping[str, Fields | Check] = {
    "web_search_tool_result": {
        "tool_use_id": ID,
        "cache_control": _CACHE,
        "caller": _CALLER,
        "content": either(
            "an array of results or an error",
            array=array(
                tagged(
                    {
                        "web_search_result": {
                            "encrypted_content": STRING,
                            "title": TEXT,
                            "url": TEXT,
                            "page_age": nullable(TEXT),
                        },
                    },
                    "web search result type",
                )
            ),
            obj=tagged(
                {
                    "web_search_tool_result_error": {"error_code": _ERROR_CODE},
                },
                "web search result type",
            ),
        ),
    },
    "web_fetch_tool_result": _server_result(
        {
            "web_fetch_tool_result_error": {"error_code": _ERROR_CODE},
            "web_fetch_result": {
                "url": TEXT,
                "retrieved_at": nullable(TIMESTAMP),
                "content": tagged({"document": _document}, "fetched content type"),
            },
        }
    ),
    "code_execution_tool_result": _server_result(
        {
            "code_execution_tool_result_error": {"error_code": _ERROR_CODE},
            "code_execution_result": {**_EXECUTION, "content": _outputs("code_execution_output")},
            "encrypted_code_execution_result": {
                "encrypted_stdout": STRING,
                "return_code": integer(),
                "stderr": TEXT,
                "content": _outputs("code_execution_output"),
            },
        }
    ),
    "bash_code_execution_tool_result": _server_result(
        {
            "bash_code_execution_tool_result_error": {"error_code": _ERROR_CODE},
            "bash_code_execution_result": {
                **_EXECUTION,
                "content": _outputs("bash_code_execution_output"),
            },
        }
    ),
    "text_editor_code_execution_tool_result": _server_result(
        {
            "text_editor_code_execution_tool_result_error": {
                "error_code": _ERROR_CODE,
                "error_message": nullable(TEXT),
            },
            "text_editor_code_execution_view_result": {
                "content": TEXT,
                "file_type": enum("text", "image", "pdf"),
                "num_lines": nullable(COUNT),
                "start_line": nullable(COUNT),
                "total_lines": nullable(COUNT),
            },
            "text_editor_code_execution_create_result": {"is_file_update": BOOLEAN},
            "text_editor_code_execution_str_replace_result": {
                "lines": nullable(array(TEXT)),
                "new_lines": nullable(integer()),
                "new_start": nullable(integer()),
                "old_lines": nullable(integer()),
                "old_start": nullable(integer()),
            },
        }
    ),
    "tool_search_tool_result": _server_result(
        {
            "tool_search_tool_result_error": {
                "error_code": _ERROR_CODE,
                "error_message": nullable(TEXT),
            },
            "tool_search_tool_search_result": {
                "tool_references": array(
                    tagged({"tool_reference": _TOOL_REFERENCE}, "tool reference type")
                )
            },
        }
    ),
}
# Beta blocks of features Voile refuses (see the `MESSAGES_FIELDS` entries that enable them).
_MCP = "the provider would send the conversation to an MCP server, a third party Voile cannot see"
_REFUSED_BLOCKS: Mapping[str, Check] = {
    "mcp_tool_use": refused(_MCP + "."),
    "mcp_tool_result": refused(_MCP + "."),
    "mcp_tool_listing": refused(_MCP + "."),
    "advisor_tool_result": refused("the advisor model's results are not walked yet."),
    "compaction": refused(
        "compaction summaries are signed or encrypted by the provider, and are not walked yet."
    ),
    "fallback": refused("fallback models are not relayed."),
    "tool_addition": refused("tool changes in the middle of a conversation are not walked yet."),
    "tool_removal": refused("tool changes in the middle of a conversation are not walked yet."),
}
_SIGNED = refused(
    "thinking is signed model output, accepted in assistant turns only (where "
    "it is passed back unchanged)."
)
_MESSAGE_BLOCKS: Mapping[str, Fields | Check] = {
    "text": _TEXT_BLOCK,
    "image": _IMAGE_BLOCK,
    "document": _document,
    "search_result": _SEARCH_RESULT,
    "tool_use": within(Part.TOOL_ARGUMENTS, _TOOL_USE),
    "server_tool_use": within(Part.TOOL_ARGUMENTS, _TOOL_USE),
    "tool_result": within(Part.TOOL_RESULTS, _TOOL_RESULT),
    "container_upload": all_of(
        unscannable(UnscannableKind.FILE, "a file"),
        obj({"type": PASSED, "file_id": ID, "cache_control": _CACHE}),
    ),
    **{kind: within(Part.TOOL_RESULTS, result) for kind, result in _SERVER_TOOL_RESULTS.items()},
    **_REFUSED_BLOCKS,
}
_ASSISTANT_BLOCKS: Mapping[str, Fields | Check] = {
    **_MESSAGE_BLOCKS,
    "thinking": {"thinking": STRING, "signature": STRING},  # passed byte-identical
    "redacted_thinking": {"data": STRING},  # encrypted by the provider; passed
}
_USER_BLOCKS: Mapping[str, Fields | Check] = {
    **_MESSAGE_BLOCKS,
    "thinking": _SIGNED,
    "redacted_thinking": _SIGNED,
}
_SYSTEM_BLOCKS: Mapping[str, Fields | Check] = {
    "text": _TEXT_BLOCK,
    "tool_addition": _REFUSED_BLOCKS["tool_addition"],
    "tool_removal": _REFUSED_BLOCKS["tool_removal"],
}
_EFFORT = nullable(enum("low", "medium", "high", "xhigh", "max"))
_DISPLAY = nullable(enum("summarized", "omitted", "updates"))
_BLOCK_BINDING = nullable(obj({"prefix_mismatch_behavior": nullable(enum("error", "drop_block"))}))
_MESSAGE = tagged(
    {
        "user": within(Part.USER, {"content": content(_USER_BLOCKS)}),
        "assistant": within(Part.ASSISTANT, {"content": content(_ASSISTANT_BLOCKS)}),
        "system": within(
            Part.SYSTEM,
            {
                "content": content(_SYSTEM_BLOCKS),  # beta: system turns in the history
                "clear_at": nullable(enum("next_user_message", "never")),
                "output_config": nullable(obj({"effort": _EFFORT})),
            },
        ),
    },
    "message role",
    tag="role",
    name_tag=True,
)

# Tools: the app's own definitions (name, description, schema scanned, see `fields`) and the
# provider's server tools, whose versions are dated (`web_search_20250305`).
_CUSTOM_TOOL = obj(
    {
        "type": nullable(enum("custom")),
        "name": NAME,
        "description": TEXT,
        "input_schema": JSON_SCHEMA,
        "cache_control": _CACHE,
        "strict": BOOLEAN,
        "eager_input_streaming": nullable(BOOLEAN),
        "input_examples": array(_tool_input),
        "defer_loading": BOOLEAN,
        "allowed_callers": _ALLOWED_CALLERS,
    }
)
_SERVER_TOOL_TYPE = re.compile(
    r"(bash|code_execution|computer|text_editor|web_search|web_fetch|memory|browser_toolset|"
    r"computer_toolset|tool_search_tool_bm25|tool_search_tool_regex)(_[0-9]{8})?"
)
_TOOL_REFERENCES: Fields = {
    "tools": array(tagged({"tool_reference": {"name": NAME}}, "tool reference type"))
}
_URL_SOURCE = tagged(
    {"all": {}, "none": {}, "only": _TOOL_REFERENCES, "except": _TOOL_REFERENCES}, "URL source type"
)
_SERVER_TOOL = obj(
    {  # every option any server tool version takes
        "type": PASSED,
        "name": NAME,
        "cache_control": _CACHE,
        "strict": BOOLEAN,
        "defer_loading": BOOLEAN,
        "allowed_callers": _ALLOWED_CALLERS,
        "input_examples": array(_tool_input),
        "allowed_domains": nullable(DOMAINS),
        "blocked_domains": nullable(DOMAINS),
        "max_uses": nullable(COUNT),
        "max_content_tokens": nullable(COUNT),
        "max_characters": nullable(COUNT),
        "citations": _CITATIONS_CONFIG,
        "use_cache": BOOLEAN,
        "response_inclusion": enum("full", "excluded"),
        "user_location": nullable(
            obj(
                {
                    "type": enum("approximate"),
                    "city": nullable(TEXT),
                    "country": nullable(TEXT),
                    "region": nullable(TEXT),
                    "timezone": nullable(TEXT),
                }
            )
        ),
        "url_sources": nullable(
            obj(
                {
                    "client_tool_results": _URL_SOURCE,
                    "server_tool_results": _URL_SOURCE,
                    "user_input": _URL_SOURCE,
                }
            )
        ),
        "configs": nullable(
            mapping(
                nullable(obj({"enabled": nullable(BOOLEAN), "defer_loading": nullable(BOOLEAN)})),
                keys=r"[a-z_]{1,64}",
            )
        ),
        "display_width_px": COUNT,
        "display_height_px": COUNT,
        "display_number": nullable(COUNT),
        "enable_zoom": BOOLEAN,
    }
)


# Beta tools refused on purpose: an MCP server's tools, and a second model the provider
# consults with the conversation.
_REFUSED_TOOLS = (
    (re.compile(r"mcp_toolset"), refused(_MCP + ".")),
    (
        re.compile(r"advisor_[0-9]{8}"),
        refused(
            "the advisor tool hands the conversation to "
            "another model whose results are not walked "
            "yet."
        ),
    ),
)


def _tool(scan: Scan, path: JsonPath, tool: Any) -> None:
    kind = tool.get("type") if isinstance(tool, dict) else None
    if kind is None or kind == "custom":
        _CUSTOM_TOOL(scan, path, tool)
    elif isinstance(kind, str) and _SERVER_TOOL_TYPE.fullmatch(kind):
        _SERVER_TOOL(scan, path, tool)
    elif isinstance(kind, str) and (
        check := next((c for t, c in _REFUSED_TOOLS if t.fullmatch(kind)), None)
    ):
        check(scan, path, tool)
    else:
        raise unsupported(path, f"tool type {kind!r} at")


def _thread(scan: Scan, path: JsonPath, value: Any) -> None:
    """`thread`: refused so that SDKs fall back to sending the whole conversation (module
    docstring)."""
    raise ThreadUnsupported(
        f"'{where(path)}': Voile does not relay message threads, in which the provider keeps "
        "the conversation: it can only scan and restore what each request carries. Send the "
        "whole conversation without 'thread' (the SDKs' tool runners do so by themselves).",
        param=where(path),
    )


MESSAGES_FIELDS: Fields = {
    "model": MODEL,
    "messages": array(_MESSAGE, nonempty=True),
    "system": within(Part.SYSTEM, content(_SYSTEM_BLOCKS)),
    "metadata": nullable(obj({"user_id": nullable(TEXT)})),  # often an e-mail address
    # A stop sequence is the app's own text (and, masked, still matches what the model
    # writes, since the model writes placeholders).
    "stop_sequences": nullable(array(TEXT)),
    "max_tokens": COUNT,
    "stream": nullable(BOOLEAN),
    # Gone from the newest SDK but still accepted by older models.
    "temperature": nullable(number(0, 1)),
    "top_k": nullable(COUNT),
    "top_p": nullable(number(0, 1)),
    "tools": within(Part.TOOL_DEFINITIONS, array(_tool)),
    "tool_choice": tagged(
        {
            "auto": {"disable_parallel_tool_use": BOOLEAN},
            "any": {"disable_parallel_tool_use": BOOLEAN},
            "tool": {"name": NAME, "disable_parallel_tool_use": BOOLEAN},
            "none": {},
        },
        "tool choice type",
    ),
    "thinking": tagged(
        {
            "enabled": {
                "budget_tokens": COUNT,
                "display": _DISPLAY,
                "block_binding": _BLOCK_BINDING,
            },
            "disabled": {},
            "between_tools": {},
            "adaptive": {"display": _DISPLAY, "block_binding": _BLOCK_BINDING},
        },
        "thinking type",
    ),
    "service_tier": enum("auto", "standard_only"),
    "cache_control": _CACHE,
    "container": nullable(
        either(
            "a container id or object",
            string=ID,
            obj=obj(
                {
                    "id": nullable(ID),
                    "skills": nullable(
                        array(
                            obj(
                                {"skill_id": ID, "type": enum("anthropic", "custom"), "version": ID}
                            )
                        )
                    ),
                }
            ),
        )
    ),
    "diagnostics": nullable(obj({"previous_message_id": nullable(ID)})),
    "inference_geo": nullable(grammar(r"[a-z0-9_-]{1,32}", "a region name")),
    "output_config": obj(
        {
            "effort": _EFFORT,
            "format": nullable(
                tagged({"json_schema": {"schema": JSON_SCHEMA}}, "output format type")
            ),
            "task_budget": nullable(
                obj({"type": enum("tokens"), "total": COUNT, "remaining": nullable(COUNT)})
            ),
        }
    ),
    # The structured-outputs beta's earlier spelling, still sent by LiteLLM; same check.
    "output_format": nullable(
        tagged({"json_schema": {"schema": JSON_SCHEMA}}, "output format type")
    ),
    "speed": nullable(enum("fast", "standard")),
    "user_profile_id": ID,
    "workspace_id": ID,
    # Beta (`/v1/messages?beta=true`; `betas` travel in the anthropic-beta header).
    "billing_policy": nullable(
        obj({"type": enum("billing_policy"), "bill_to": enum("self", "user_profile")})
    ),
    "thread": _thread,
    "mcp_servers": refused(_MCP + "."),
    "compaction": refused(
        "server-side compaction answers with signed summary blocks that are not walked yet."
    ),
    "context_management": refused(
        "server-side context edits change a history Voile "
        "scanned into one it has not; not relayed yet."
    ),
    "fallbacks": refused("fallback models are not relayed; name the model to use."),
    "fallback_credit_token": refused("fallback models are not relayed."),
}
# `POST /v1/messages/count_tokens` takes a subset (no max_tokens, metadata, stream…).
COUNT_FIELDS: Fields = {
    name: MESSAGES_FIELDS[name]
    for name in (
        "model",
        "messages",
        "system",
        "tools",
        "tool_choice",
        "thinking",
        "cache_control",
        "output_config",
        "speed",
        "user_profile_id",
        "workspace_id",
        "billing_policy",
        "mcp_servers",
        "compaction",
        "context_management",
    )
}


def messages_request_texts(
    body: dict[str, Any], policy: Policy, fields: Fields = MESSAGES_FIELDS
) -> Document:
    """Every text of a Messages (or count_tokens) request, or an error naming the first
    field it refuses."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadRequest("'messages' must be a non-empty array", param="messages")
    doc = Document(body)
    scan = Scan(doc, policy)
    if "thread" in body and "thread" in fields:  # first: it is the SDKs' cue to fall back
        fields["thread"](scan, ("thread",), body["thread"])
    check_fields(scan, (), body, fields)
    return doc


# ------------------------------------------------------------------------------ answers


def messages_usage(body: Any) -> Usage:
    if not isinstance(body, dict):
        return Usage()
    usage = body.get("usage")
    reasons = finish_reasons((body.get("stop_reason"),))
    if not isinstance(usage, dict):
        return Usage(finish_reasons=reasons)
    prompt, completion = usage.get("input_tokens"), usage.get("output_tokens")
    return Usage(
        prompt if isinstance(prompt, int) else None,
        completion if isinstance(completion, int) else None,
        reasons,
    )


def _text_block(part: Mapping[str, Any]) -> str | None:
    """The answer text of a message: its text blocks' `text`."""
    return "text" if part.get("type") == "text" else None


# Structured outputs (`output_config.format`, what `messages.parse` sends): the text blocks of
# the answer are a JSON document, so restored values are JSON-escaped (`proxy.restore`).
_JSON_FORMATS = frozenset({"json_schema"})


def restore_block(
    block: Any, lookup: Lookup, count: RestoreCount, answer: AnswerText = PLAIN
) -> Any:
    """One content block of an answer. Thinking stays as the model wrote it (signed); tool
    `input` is a parsed object, so its strings take values as they are; text is restored as
    `answer` says."""
    if isinstance(block, dict) and block.get("type") in _THINKING:
        return block
    return restore_json(block, lookup, count, answer=answer)


def restore_message(
    body: Any, lookup: Lookup, count: RestoreCount, answer: AnswerText = PLAIN
) -> Any:
    """A whole answer (a `message`) or a provider error, which may quote the prompt."""
    if not (isinstance(body, dict) and isinstance(body.get("content"), list)):
        return restore_json(body, lookup, count)
    restored = {k: restore_json(v, lookup, count) for k, v in body.items() if k != "content"}
    restored["content"] = [restore_block(block, lookup, count, answer) for block in body["content"]]
    return {key: restored[key] for key in body}  # the provider's key order


class Messages(Endpoint):
    name = "messages"
    answer = AnswerText(key_of=_text_block)

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return messages_request_texts(body, policy)

    def answer_kind(self, body: dict[str, Any]) -> TextKind:
        config = body.get("output_config")
        output_format = config.get("format") if isinstance(config, dict) else None
        output_format = output_format or body.get("output_format")  # the beta's spelling
        asked = isinstance(output_format, dict) and output_format.get("type") in _JSON_FORMATS
        return TextKind.JSON if asked else TextKind.SNIFF

    def restore(self, body: Any, lookup: Lookup, count: RestoreCount) -> Any:
        return restore_message(body, lookup, count, self.answer)

    def usage(self, body: Any) -> Usage:
        return messages_usage(body)

    def stream_restorer(self, lookup: Lookup) -> EventRestorer:
        return MessagesStreamRestorer(lookup, self.answer.in_stream())

    def end_user(self, body: dict[str, Any], headers: Mapping[str, str], header: str) -> str | None:
        """Anthropic's end-user id is `metadata.user_id` (masked before forwarding; read here
        first, for the audit trail's per-user keys and erasure)."""
        metadata = body.get("metadata")
        user_id = metadata.get("user_id") if isinstance(metadata, dict) else None
        value = headers.get(header) or (user_id if isinstance(user_id, str) else None)
        return value if value and len(value) <= MAX_END_USER_ID else None


class CountTokens(Endpoint):
    """`{"input_tokens": N}` holds nothing to restore (errors still are) and never streams.
    The count is not usage: nothing was generated, so no tokens are recorded."""

    name = "messages.count_tokens"

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return messages_request_texts(body, policy, COUNT_FIELDS)

    def wants_stream(self, body: dict[str, Any]) -> bool:
        return False

    def usage(self, body: Any) -> Usage:
        return Usage()


# ------------------------------------------------------------------------------ streams

# Incremental text per content block: delta type -> (its text key, the kind of text, None for
# the answer text, whose kind the request decides). `partial_json` is JSON text cut anywhere:
# a value lands inside a string literal.
_STREAMED: dict[str, tuple[str, TextKind | None]] = {
    "text_delta": ("text", None),
    "input_json_delta": ("partial_json", TextKind.JSON),
}


class MessagesStreamRestorer(EventRestorer):
    """Restores a Messages stream event by event, one Restorer per content block index (and
    delta kind).

    Held-back text of a block is released in a synthetic `content_block_delta` of the same
    kind just before the block's `content_block_stop` (or before `message_stop`, or at the end
    of the stream, if the provider never stopped the block). Events that need no change are
    passed as received; changed ones are re-encoded compactly, as Anthropic writes them.

    Text blocks are the answer, restored as `answer` says (JSON-escaped values for structured
    outputs); their text in `content_block_start` goes through the block's restorer too.
    """

    def __init__(self, lookup: Lookup, answer: AnswerText = PLAIN) -> None:
        super().__init__(lookup)
        self.answer = answer
        self._restorers: dict[tuple[int, str], Restorer] = {}
        # Each handler restores its event's payload in place and says whether it changed.
        self._handlers: dict[str, Callable[[dict[str, Any]], bool]] = {
            "message_start": self._message_start,
            "content_block_start": self._block_start,
            "content_block_delta": self._block_delta,
            "message_delta": self._message_delta,
            "error": self._error,
        }

    def on_event(self, event: SSEEvent, payload: dict[str, Any]) -> list[SSEEvent]:
        kind = payload.get("type")
        if not isinstance(kind, str):
            return [event]
        # Held text goes out before its block, the message or the stream is closed.
        held = (
            self._release(payload.get("index"))
            if kind == "content_block_stop"
            else self.finish()
            if kind in ("message_stop", "error")
            else []
        )
        handler = self._handlers.get(kind)
        if handler is not None and handler(payload):  # else: ping, events to come, no change
            event = SSEEvent(event=event.event, id=event.id, data=compact_json(payload))
        return [*held, event]

    def finish(self) -> list[SSEEvent]:
        return [out for index, _ in list(self._restorers) for out in self._release(index)]

    def _message_start(self, payload: dict[str, Any]) -> bool:
        message = payload.get("message")
        if not isinstance(message, dict):
            return False
        self._take_usage(message.get("usage"))
        restored = restore_message(message, self.lookup, self.count, self.answer)
        payload["message"] = restored
        return bool(restored != message)

    def _block_start(self, payload: dict[str, Any]) -> bool:
        index, block = payload.get("index"), payload.get("content_block")
        if not isinstance(index, int) or not isinstance(block, dict):
            return False
        kind = block.get("type")
        if kind in _THINKING:
            self.transcript.add(f"{index}.thinking", block.get("thinking"))
            return False
        changed = False
        if kind == "text" and isinstance(block.get("text"), str):
            # Odd but valid: a text block may start with text, which later deltas continue.
            out = self._feed(index, "text_delta", block["text"])
            changed, block["text"] = out != block["text"], out
        rest = {k: v for k, v in block.items() if not (kind == "text" and k == "text")}
        # Complete values (tool `input`, usually {}; server tool results): restored whole.
        restored = restore_json(rest, self.lookup, self.count)
        if restored != rest:
            block.update(restored)
            changed = True
        return changed

    def _block_delta(self, payload: dict[str, Any]) -> bool:
        index, delta = payload.get("index"), payload.get("delta")
        if not isinstance(index, int) or not isinstance(delta, dict):
            return False
        kind = delta.get("type")
        if kind in _STREAMED:
            key, _kind = _STREAMED[kind]
            if not isinstance(delta.get(key), str):
                return False
            out = self._feed(index, kind, delta[key])
            changed, delta[key] = out != delta[key], out
            return bool(changed)
        if kind == "citations_delta":  # a whole citation: its quote holds placeholders
            citation = delta.get("citation")
            restored = restore_json(citation, self.lookup, self.count)
            delta["citation"] = restored
            return bool(restored != citation)
        if kind == "thinking_delta":  # signed: passed as the model wrote it
            self.transcript.add(f"{index}.thinking", delta.get("thinking"))
        return False

    def _message_delta(self, payload: dict[str, Any]) -> bool:
        self._take_usage(payload.get("usage"))
        delta = payload.get("delta")
        if not isinstance(delta, dict):
            return False
        self.finish_reasons.append(delta.get("stop_reason"))
        restored = restore_json(delta, self.lookup, self.count)  # stop_sequence: app's text
        payload["delta"] = restored
        return bool(restored != delta)

    def _error(self, payload: dict[str, Any]) -> bool:
        restored = restore_json(payload, self.lookup, self.count)  # may quote the prompt
        changed = restored != payload
        payload.clear()
        payload.update(restored)
        return bool(changed)

    def _take_usage(self, usage: Any) -> None:
        """Input tokens come in `message_start`; output tokens (cumulative) in
        `message_delta`, which may also restate the input."""
        if not isinstance(usage, dict):
            return
        prompt, completion = usage.get("input_tokens"), usage.get("output_tokens")
        self.usage = Usage(
            prompt if isinstance(prompt, int) else self.usage.input_tokens,
            completion if isinstance(completion, int) else self.usage.output_tokens,
        )

    def _feed(self, index: int, kind: str, text: str) -> str:
        slot = (index, kind)
        restorer = self._restorers.get(slot)
        if restorer is None:
            text_kind = _STREAMED[kind][1]
            restorer = self._restorers[slot] = restorer_for(
                self.lookup, self.answer.kind if text_kind is None else text_kind
            )
        return self.restore_stream(restorer, f"{index}.{_STREAMED[kind][0]}", text)

    def _release(self, index: Any) -> list[SSEEvent]:
        """Synthetic deltas carrying what a block's restorers still hold."""
        events = []
        for slot in [s for s in self._restorers if s[0] == index]:
            held = self._restorers.pop(slot).flush()
            if held:
                key = _STREAMED[slot[1]][0]
                events.append(
                    SSEEvent(
                        event="content_block_delta",
                        data=compact_json(
                            {
                                "type": "content_block_delta",
                                "index": index,
                                "delta": {"type": slot[1], key: held},
                            }
                        ),
                    )
                )
        return events
