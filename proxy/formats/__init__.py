"""Wire formats: where the text lives in each provider's requests and answers.

The registry is an explicit literal: a provider's `format` in the config names one of these.
"""

from __future__ import annotations

from proxy.formats.anthropic import AnthropicFormat
from proxy.formats.azure import AzureOpenAIFormat
from proxy.formats.base import WireFormat
from proxy.formats.openai import OpenAIFormat

FORMATS: dict[str, WireFormat] = {
    "openai": OpenAIFormat(),
    "anthropic": AnthropicFormat(),
    "azure": AzureOpenAIFormat(),
}
DEFAULT_FORMAT = FORMATS["openai"]  # for errors before a provider is known
