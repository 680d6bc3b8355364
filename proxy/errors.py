"""Every way a request can be refused, mapped to HTTP in one place.

Each error knows its HTTP status, a stable machine-readable `code` and the OpenAI-style error
`type`; the wire format turns it into the provider's own error shape so that SDKs raise their
usual exceptions. Messages name entity *types*, fields and limits — never a value.
"""

from __future__ import annotations

from audit.events import Decision


class VoileError(Exception):
    status = 500
    code = "internal_error"
    error_type = "api_error"
    decision = Decision.FAILED

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


class BadRequest(VoileError):
    status = 400
    code = "invalid_request"
    error_type = "invalid_request_error"
    decision = Decision.REJECTED


class MalformedJson(BadRequest):
    code = "invalid_json"


class UnsupportedField(BadRequest):
    """A field Voile does not know: it cannot tell whether it carries personal data, so it
    refuses rather than forwarding it unscanned."""

    code = "unsupported_field"


class RefusedField(UnsupportedField):
    """A field Voile knows and refuses on purpose; the message says why (the field tables
    list each such field with its reason, `proxy.formats.fields.refused`)."""


class ThreadUnsupported(RefusedField):
    """An Anthropic request with `thread`: the provider would keep the conversation and later
    turns would send only what is new, so Voile could neither scan what the model is given
    nor restore what it answers from it. Refused in the shape the Anthropic SDKs take for
    "this request cannot be threaded" (`error.details.error_code`
    `thread_unsupported_request`), on which their tool runners resend the whole conversation
    without a thread by themselves."""

    code = "thread_unsupported_request"
    unsupported: tuple[str, ...] = ()
    """The request fields or settings to blame (`error.details.unsupported`): none, because
    it is Voile, not a field of the request, that cannot thread it."""


class UnscannableContent(BadRequest):
    """An image, audio or file part that detection cannot read and the policy does not allow."""

    code = "unscannable_content"


class BodyTooLarge(VoileError):
    status = 413
    code = "request_too_large"
    error_type = "invalid_request_error"
    decision = Decision.REJECTED


class AuthenticationFailed(VoileError):
    status = 401
    code = "invalid_api_key"
    error_type = "authentication_error"
    decision = Decision.REJECTED


class NotFound(VoileError):
    status = 404
    code = "not_found"
    error_type = "invalid_request_error"
    decision = Decision.REJECTED


class MethodNotAllowed(VoileError):
    status = 405
    code = "method_not_allowed"
    error_type = "invalid_request_error"
    decision = Decision.REJECTED


class PolicyBlocked(VoileError):
    """The policy forbids some of the personal data in the request from leaving.

    400 like OpenAI's own content-policy refusals, so SDKs raise BadRequestError and do not
    retry; the distinct `code` lets an app tell it apart from a malformed request.
    """

    status = 400
    code = "pii_blocked"
    error_type = "invalid_request_error"
    decision = Decision.BLOCKED


class DestinationNotAllowed(VoileError):
    """The app's policy does not let it use this provider (`destinations`): refused before
    the body is read, and audited. 403, so SDKs raise their permission error."""

    status = 403
    code = "destination_not_allowed"
    error_type = "permission_error"
    decision = Decision.BLOCKED


class DetectionUnavailable(VoileError):
    """Fail closed: without a complete detection nothing may be forwarded."""

    status = 503
    code = "detection_unavailable"
    error_type = "api_error"


class AuditUnavailable(VoileError):
    status = 503
    code = "audit_unavailable"
    error_type = "api_error"


class UpstreamUnreachable(VoileError):
    status = 502
    code = "upstream_unreachable"
    error_type = "api_error"


class UpstreamTimeout(VoileError):
    status = 504
    code = "upstream_timeout"
    error_type = "api_error"


class UpstreamProtocolError(VoileError):
    """The provider answered something that is not its own format: we cannot restore it, so
    we do not pass it on."""

    status = 502
    code = "upstream_bad_response"
    error_type = "api_error"


class InvalidPath(BadRequest):
    """A path segment that is not a plain name (`..`, an encoded `/`, `?`, `#`, `%`, a control
    character…): paths are built from validated segments only, so it cannot be relayed."""

    code = "invalid_path"


class UnsupportedQuery(BadRequest):
    """A query parameter the route does not take, or a value outside its grammar: the query
    string the provider sees is rebuilt from validated pairs, never copied."""

    code = "unsupported_query_parameter"


class InvalidModel(BadRequest):
    """A model name outside the grammar of model ids: it would reach the provider, the logs
    and the audit trail unscanned, so only identifier-like names are accepted."""

    code = "invalid_model"


class TooManyAttempts(VoileError):
    """Too many requests without a valid app key from one client address."""

    status = 429
    code = "too_many_unauthenticated_requests"
    error_type = "rate_limit_error"
    decision = Decision.REJECTED


class InvalidHeader(BadRequest):
    """A forwarded header whose value is outside its grammar (see `proxy.upstream`)."""

    code = "invalid_header"


class JsonTooDeep(BadRequest):
    """A request body nested deeper than `limits.max_json_depth`: refused before it is parsed,
    so that no parser (ours, the JSON decoder, the provider's) recurses on caller input."""

    code = "json_too_deep"


class InvalidUnicode(BadRequest):
    """A string that is not valid Unicode (a lone UTF-16 surrogate such as `\\ud800`): it can
    be neither scanned nor encoded for the provider, so the field is named and refused."""

    code = "invalid_unicode"


class UpstreamAnswerBroken(UpstreamProtocolError):
    """The provider's answer broke off or cannot be read (connection closed or reset mid-body,
    invalid chunked encoding, a body that is not what its headers promised). The request
    itself was forwarded — its intent is in the trail — so the outcome says so."""

    decision = Decision.FORWARDED


class UpstreamAnswerTimeout(UpstreamTimeout):
    """The provider went silent in the middle of its answer: forwarded, then timed out."""

    decision = Decision.FORWARDED


class GeneratedBlocked(VoileError):
    """The model's answer holds personal data the request did not carry, and the policy's
    `generated` setting is `block`: the answer is withheld (a stream is cut with an error
    event). 422, so SDKs raise without retrying; the request was forwarded, so the outcome
    says so."""

    status = 422
    code = "generated_pii_blocked"
    error_type = "invalid_request_error"
    decision = Decision.FORWARDED


class UpstreamAnswerTooLarge(VoileError):
    """A whole answer larger than `limits.max_answer_bytes`: reading stopped at the limit and
    nothing of it is passed on. The request was forwarded, so the outcome says so."""

    status = 502
    code = "upstream_answer_too_large"
    error_type = "api_error"
    decision = Decision.FORWARDED
