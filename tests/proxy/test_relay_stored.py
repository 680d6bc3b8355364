"""What the provider stores, read back through Voile with the official `openai` SDK (issue 10,
item 6): stored and `background` responses (retrieved, streamed again, input items, cancel,
delete), `input_tokens`, conversations and their items (what openai-agents'
`OpenAIConversationsSession` calls), stored chat completions.

The provider only ever holds placeholders; answers quoting them are restored from the
conversation vault under the object's id, for the app and end user that created it, and
deleting the object forgets its entry. Every exchange is audited under the route's template.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestServer
from openai.types.chat import completion_update_params
from openai.types.conversations import (
    conversation_create_params,
    conversation_update_params,
    item_create_params,
)
from openai.types.responses import input_token_count_params

from proxy.config import Config
from proxy.formats.fields import PASSED, Fields
from proxy.formats.openai_stored import (
    CHAT_UPDATE_FIELDS,
    CONVERSATION_CREATE_FIELDS,
    CONVERSATION_UPDATE_FIELDS,
    INPUT_TOKENS_FIELDS,
    ITEMS_CREATE_FIELDS,
)
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import APP_KEY
from tests.proxy.support import assert_not_leaked, records, settled_records
from tests.proxy.test_sdk_fields import gaps

EMAIL = "jean.dupont@orange.fr"
PHONE = "06 12 34 56 78"
OTHER_EMAIL = "marie.curie@sorbonne.fr"
ASK = f"Écrivez-moi à {EMAIL}, merci."
CALL = f"Ou appelez-moi au {PHONE}, s'il vous plaît."
HEADER = "x-voile-end-user"


def vault_refs(config: Config) -> set[str]:
    """The provider ids the conversation vault holds entries under (any scope)."""
    path = config.data_dir / "conversations.db"
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT ref FROM voile_conversation_tokens").fetchall()
    connection.close()
    return {ref for (ref,) in rows}


def outcome(config: Config) -> Any:
    return records(config)[-1]


async def raw_get(
    server: TestServer, path: str, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            server.make_url(f"/openai/v1/{path}"),
            headers={"Authorization": f"Bearer {APP_KEY}", **(headers or {})},
        ) as response,
    ):
        return response.status, await response.json()


# ------------------------------------------------------------------------- responses


async def test_a_background_response_is_polled_and_restored_from_the_vault(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    fake_openai.replies.append(Reply(response_id="resp_bg1"))
    queued = await client.responses.create(model="gpt-4.1", input=ASK, background=True)
    assert (queued.id, queued.status) == ("resp_bg1", "queued")
    assert_not_leaked(fake_openai, [EMAIL])

    done = await client.responses.retrieve("resp_bg1")
    assert done.status == "completed"
    assert done.output_text == ASK  # the provider's echo of the placeholder, restored
    assert fake_openai.calls[-1][:2] == ("GET", "/v1/responses/resp_bg1")
    record = outcome(make_config())
    assert (record.route, record.decision, record.status) == (
        "/v1/responses/{response_id}",
        "forwarded",
        200,
    )
    assert record.unresolved_placeholders == 0


async def test_a_stored_response_streams_again_restored_with_its_query(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    """`retrieve(stream=True)` replays the events; a placeholder cut across deltas is still
    restored, and the SDK's query parameters reach the provider in their grammar."""
    fake_openai.replies.append(Reply(response_id="resp_bg2", chunk_sizes=[3]))
    await client.responses.create(model="gpt-4.1", input=ASK, background=True)
    text = ""
    stream = await client.responses.retrieve(
        "resp_bg2",
        stream=True,
        starting_after=0,
        include=["message.output_text.logprobs"],
        include_obfuscation=False,
    )
    async for event in stream:
        if event.type == "response.output_text.delta":
            text += event.delta
    assert text == ASK
    method, path, query = fake_openai.calls[-1]
    assert (method, path) == ("GET", "/v1/responses/resp_bg2")
    assert sorted(query.split("&")) == [
        "include[]=message.output_text.logprobs",
        "include_obfuscation=false",
        "starting_after=0",
        "stream=true",
    ]
    # The create and the streamed read: the read's outcome lands once its last byte is sent.
    record = (await settled_records(make_config(), 2))[-1]
    assert (record.route, record.status, record.unresolved_placeholders) == (
        "/v1/responses/{response_id}",
        200,
        0,
    )
    # Reading remembers nothing: the entry is still the one the create left.
    assert vault_refs(make_config()) == {"resp_bg2"}


async def test_input_items_cancel_and_delete(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    fake_openai.replies.append(Reply(response_id="resp_bg3", content="Noted."))
    await client.responses.create(
        model="gpt-4.1",
        background=True,
        input=[
            {"role": "user", "content": ASK},
            {"role": "user", "content": [{"type": "input_text", "text": CALL}]},
        ],
    )
    assert_not_leaked(fake_openai, [EMAIL, PHONE])

    items = [
        item
        async for item in client.responses.input_items.list(
            "resp_bg3", order="asc", limit=10, include=["message.input_image.image_url"]
        )
    ]
    texts = [part.text for item in items for part in item.content]  # type: ignore[union-attr]
    assert texts == [ASK, CALL]
    assert outcome(make_config()).route == "/v1/responses/{response_id}/input_items"

    cancelled = await client.responses.cancel("resp_bg3")
    assert cancelled.status == "cancelled"
    assert outcome(make_config()).route == "/v1/responses/{response_id}/cancel"

    assert "resp_bg3" in vault_refs(make_config())
    assert await client.responses.delete("resp_bg3") is None
    assert fake_openai.calls[-1][:2] == ("DELETE", "/v1/responses/resp_bg3")
    assert "resp_bg3" not in vault_refs(make_config())  # forgotten with the response
    assert outcome(make_config()).route == "/v1/responses/{response_id}"


async def test_another_end_user_polling_gets_placeholders_not_values(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    fake_openai.replies.append(Reply(response_id="resp_alice"))
    await client.responses.create(
        model="gpt-4.1", input=ASK, background=True, extra_headers={HEADER: "alice"}
    )
    raw = await client.responses.with_raw_response.retrieve(
        "resp_alice", extra_headers={HEADER: "bob"}
    )
    answer = raw.parse()
    assert EMAIL not in answer.output_text
    assert TOKEN_PATTERN.search(answer.output_text)
    assert raw.headers["x-voile-unresolved"] == "1"
    assert outcome(make_config()).unresolved_placeholders == 1

    mine = await client.responses.retrieve("resp_alice", extra_headers={HEADER: "alice"})
    assert mine.output_text == ASK


async def test_input_tokens_count_the_masked_input(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    counted = await client.responses.input_tokens.count(
        model="gpt-4.1", input=ASK, instructions=f"The user is {OTHER_EMAIL}."
    )
    assert counted.input_tokens > 0
    sent = fake_openai.last
    assert TOKEN_PATTERN.search(sent["input"])
    assert_not_leaked(fake_openai, [EMAIL, OTHER_EMAIL])
    record = outcome(make_config())
    assert (record.route, record.prompt_tokens) == (
        "/v1/responses/input_tokens",
        counted.input_tokens,
    )
    assert record.entity_counts.get("EMAIL_ADDRESS") == 2


# ---------------------------------------------------------------------- conversations


async def test_a_conversation_and_its_items_through_their_whole_life(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    """The calls of openai-agents' `OpenAIConversationsSession` and more: every text the
    app sends is masked, every answer restored, the entry forgotten with the conversation."""
    conversation = await client.conversations.create(
        items=[{"type": "message", "role": "user", "content": ASK}], metadata={"owner": OTHER_EMAIL}
    )
    assert conversation.metadata == {"owner": OTHER_EMAIL}
    assert_not_leaked(fake_openai, [EMAIL, OTHER_EMAIL])
    token = TOKEN_PATTERN.search(json.dumps(fake_openai.last["items"]))
    assert token is not None
    cid = conversation.id

    # A response in the conversation quotes a token minted when it was created.
    fake_openai.replies.append(
        Reply(content=f"Your address is {token.group()}.", response_id="resp_conv1")
    )
    answer = await client.responses.create(
        model="gpt-4.1", input="What is my address?", conversation=cid
    )
    assert answer.output_text == f"Your address is {EMAIL}."

    added = await client.conversations.items.create(
        cid,
        items=[{"type": "message", "role": "user", "content": CALL}],
        include=["message.input_image.image_url"],
    )
    assert added.data[0].content[0].text == CALL  # type: ignore[union-attr]
    assert_not_leaked(fake_openai, [EMAIL, OTHER_EMAIL, PHONE])

    items = [item async for item in client.conversations.items.list(cid, order="asc", limit=2)]
    texts = [part.text for item in items for part in item.content]  # type: ignore[union-attr]
    assert texts == [ASK, "What is my address?", f"Your address is {EMAIL}.", CALL]
    one = await client.conversations.items.retrieve(items[0].id, conversation_id=cid)
    assert one.content[0].text == ASK  # type: ignore[union-attr]

    updated = await client.conversations.update(cid, metadata={"owner": OTHER_EMAIL, "phone": CALL})
    assert updated.metadata == {"owner": OTHER_EMAIL, "phone": CALL}
    assert_not_leaked(fake_openai, [EMAIL, OTHER_EMAIL, PHONE])
    after_delete = await client.conversations.items.delete(items[1].id, conversation_id=cid)
    assert after_delete.metadata == {"owner": OTHER_EMAIL, "phone": CALL}
    again = await client.conversations.retrieve(cid)
    assert again.metadata == {"owner": OTHER_EMAIL, "phone": CALL}

    routes = {record.route for record in records(make_config())}
    assert {
        "/v1/conversations",
        "/v1/conversations/{conversation_id}",
        "/v1/conversations/{conversation_id}/items",
        "/v1/conversations/{conversation_id}/items/{item_id}",
    } <= routes
    assert cid in vault_refs(make_config())
    deleted = await client.conversations.delete(cid)
    assert deleted.deleted is True
    assert cid not in vault_refs(make_config())
    assert all(
        r.unresolved_placeholders == 0 for r in records(make_config()) if r.kind == "outcome"
    )


# ------------------------------------------------------------ stored chat completions


async def test_stored_chat_completions_are_listed_retrieved_and_updated_restored(
    client: openai.AsyncOpenAI,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    fake_openai.replies.append(Reply(completion_id="chatcmpl-one"))
    await client.chat.completions.create(
        model="gpt-4o-mini",
        store=True,
        metadata={"topic": "billing"},
        messages=[{"role": "user", "content": ASK}],
    )
    fake_openai.replies.append(Reply(completion_id="chatcmpl-two", chunk_sizes=[2]))
    stream = await client.chat.completions.create(
        model="gpt-4o-mini", store=True, stream=True, messages=[{"role": "user", "content": CALL}]
    )
    assert "".join([c.choices[0].delta.content or "" async for c in stream if c.choices]) == CALL
    assert_not_leaked(fake_openai, [EMAIL, PHONE])
    assert {"chatcmpl-one", "chatcmpl-two"} <= vault_refs(make_config())

    listed = [
        c async for c in client.chat.completions.list(limit=10, order="asc", model="gpt-4o-mini")
    ]
    assert [c.choices[0].message.content for c in listed] == [ASK, CALL]
    assert outcome(make_config()).route == "/v1/chat/completions"
    assert outcome(make_config()).unresolved_placeholders == 0

    one = await client.chat.completions.retrieve("chatcmpl-one")
    assert one.choices[0].message.content == ASK
    messages = [m async for m in client.chat.completions.messages.list("chatcmpl-one", limit=5)]
    assert [m.content for m in messages] == [ASK]
    assert outcome(make_config()).route == "/v1/chat/completions/{completion_id}/messages"

    updated = await client.chat.completions.update("chatcmpl-one", metadata={"owner": OTHER_EMAIL})
    assert updated.metadata == {"owner": OTHER_EMAIL}
    assert updated.choices[0].message.content == ASK
    assert_not_leaked(fake_openai, [EMAIL, PHONE, OTHER_EMAIL])

    deleted = await client.chat.completions.delete("chatcmpl-one")
    assert deleted.deleted is True
    assert "chatcmpl-one" not in vault_refs(make_config())
    assert "chatcmpl-two" in vault_refs(make_config())


# -------------------------------------------------------------- paths and query strings


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("GET", "responses/resp_1?limit=3", "unsupported_query_parameter"),
        ("GET", "responses/resp_1?stream=yes", "unsupported_query_parameter"),
        ("GET", "responses/resp_1/input_items?order=sideways", "unsupported_query_parameter"),
        (
            "GET",
            "responses/resp_1/input_items?after=jean.dupont%40orange.fr",
            "unsupported_query_parameter",
        ),
        (
            "GET",
            "responses/resp_1/input_items?include%5B%5D=Jean%20Dupont",
            "unsupported_query_parameter",
        ),
        ("GET", "chat/completions?metadata%5Bowner%5D=jean", "unsupported_query_parameter"),
        ("GET", "chat/completions/chatcmpl-1?after=x", "unsupported_query_parameter"),
        ("GET", "responses/resp.1", "invalid_path"),
        ("GET", "conversations/conv_1/items/jean@x", "invalid_path"),
        ("GET", "chat/completions/" + "a" * 129, "invalid_path"),
        ("PUT", "responses/resp_1", "method_not_allowed"),
        ("GET", "responses/resp_1/cancel", "method_not_allowed"),
        ("DELETE", "conversations/conv_1/items", "method_not_allowed"),
        ("POST", "responses/compact", "not_found"),
        ("GET", "responses/resp_1/input_items/x", "not_found"),
    ],
)
async def test_paths_and_queries_outside_the_grammar_are_refused(
    method: str,
    path: str,
    code: str,
    voile: TestServer,
    fake_openai: FakeOpenAI,
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.request(
            method,
            voile.make_url(f"/openai/v1/{path}"),
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        answer = await response.json()
    assert answer["error"]["code"] == code
    assert fake_openai.calls == []


async def test_repeated_includes_pass_in_their_grammar(
    voile: TestServer,
    fake_openai: FakeOpenAI,
    client: openai.AsyncOpenAI,
) -> None:
    fake_openai.replies.append(Reply(response_id="resp_inc"))
    await client.responses.create(model="gpt-4.1", input="Bonjour", background=True)
    status, answer = await raw_get(
        voile,
        "responses/resp_inc/input_items?include[]=message.input_image.image_url"
        "&include[]=file_search_call.results&limit=1",
    )
    assert status == 200
    assert answer["data"][0]["content"][0]["text"] == "Bonjour"
    assert fake_openai.calls[-1][2] == (
        "include[]=message.input_image.image_url&include[]=file_search_call.results&limit=1"
    )


async def test_a_body_sent_to_a_route_without_one_is_not_forwarded(
    voile: TestServer,
    fake_openai: FakeOpenAI,
    client: openai.AsyncOpenAI,
) -> None:
    fake_openai.replies.append(Reply(response_id="resp_body"))
    await client.responses.create(model="gpt-4.1", input="Bonjour", background=True)
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            voile.make_url("/openai/v1/responses/resp_body/cancel"),
            json={"note": f"from {EMAIL}"},
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        assert response.status == 200
    assert_not_leaked(fake_openai, [EMAIL])
    assert fake_openai.calls[-1][:2] == ("POST", "/v1/responses/resp_body/cancel")


# ------------------------------------------------------------------- the SDK's fields


@pytest.mark.parametrize(
    ("params", "table"),
    [
        (input_token_count_params.InputTokenCountParams, INPUT_TOKENS_FIELDS),
        (conversation_create_params.ConversationCreateParams, CONVERSATION_CREATE_FIELDS),
        (conversation_update_params.ConversationUpdateParams, CONVERSATION_UPDATE_FIELDS),
        (item_create_params.ItemCreateParams, {**ITEMS_CREATE_FIELDS, "include": PASSED}),
        (completion_update_params.CompletionUpdateParams, CHAT_UPDATE_FIELDS),
    ],
    ids=[
        "input_tokens",
        "conversations.create",
        "conversations.update",
        "items.create",
        "chat.completions.update",
    ],
)
def test_every_field_the_sdk_sends_to_stored_objects_is_in_a_table(
    params: type, table: Fields
) -> None:
    """As `sdk_fields` does for the creating routes. (`include` of items.create is a query
    parameter, not a body field.)"""
    count, found = gaps(params, table)
    assert count > 0
    assert not found, found
