"""Errors a user can act on. `str()` is always one line; the CLI maps them to exit codes."""

from __future__ import annotations

from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
)

from apigw_cockpit.errors import CockpitError

NO_REGION = "no AWS region: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION, or a profile region)"

# The profile the credentials come from, for the `aws sso login --profile X` hint (set by the
# client factory; errors raised deep in botocore do not carry it).
_profile_hint = ""


def set_profile_hint(profile: str) -> None:
    global _profile_hint
    _profile_hint = profile


def _login_hint() -> str:
    return f"aws sso login --profile {_profile_hint}" if _profile_hint else "aws sso login"


class CockpitAwsError(CockpitError):
    """An AWS-side failure: a one-line message (whitespace collapsed) and its exit code."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class AwsAccessError(CockpitAwsError):
    """No credentials, expired token, endpoint unreachable, denied up front (exit 3)."""

    exit_code = 3


class ReadOnlyViolation(CockpitAwsError):
    """A call the read-only guard refused. Raised before anything leaves the process."""

    exit_code = 3


# Error codes that mean "your credentials are bad", not "this one part is denied".
CREDENTIAL_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "AuthFailure",
        "MissingAuthenticationToken",
        "IncompleteSignature",
    }
)
# Temporary credentials past their expiry: the fix is to log in again, not to fix a policy.
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
# botocore's SSO failures (botocore.exceptions): the cached SSO token is gone or expired.
SSO_ERRORS = frozenset({"SSOError", "SSOTokenLoadError", "UnauthorizedSSOTokenError"})
DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "AuthorizationError",
        "Forbidden",
        "ForbiddenException",
    }
)
THROTTLE_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "LimitExceededException",
        "SlowDown",
        "ProvisionedThroughputExceededException",
    }
)
NOT_FOUND_CODES = frozenset(
    {
        "NotFoundException",
        "ResourceNotFoundException",
        "NoSuchEntity",
        "LoadBalancerNotFound",
        "TargetGroupNotFound",
        "InvalidGroup.NotFound",
    }
)


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "") or "")
    return ""


def short(exc: BaseException) -> str:
    """One line for a status bar: 'ThrottlingException: Rate exceeded'."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = err.get("Code", "") or type(exc).__name__
        msg = err.get("Message", "") or ""
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        text = f"{code}: {msg}" if msg else str(code)
        if status and not msg:
            text += f" (HTTP {status})"
        return " ".join(text.split())[:200]
    text = str(exc) or type(exc).__name__
    return " ".join(f"{type(exc).__name__}: {text}".split())[:200]


def is_denied(exc: BaseException) -> bool:
    return error_code(exc) in DENIED_CODES


def is_throttle(exc: BaseException) -> bool:
    return error_code(exc) in THROTTLE_CODES


def is_not_found(exc: BaseException) -> bool:
    return error_code(exc) in NOT_FOUND_CODES


def raise_if_fatal(exc: BaseException) -> None:
    """Re-raise what no caller may swallow into a partial answer: the read-only guard's refusal,
    and the credential/endpoint failures that make every call fail (one AwsAccessError line)."""
    if isinstance(exc, ReadOnlyViolation):
        raise exc
    access = as_access_error(exc)
    if access is not None:
        raise access from None


def as_access_error(exc: BaseException) -> AwsAccessError | None:
    """The credential/endpoint failures that make every call fail, as one line; else None."""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return AwsAccessError("no AWS credentials found (set AWS_PROFILE, --profile, or AWS_ACCESS_KEY_ID)")
    if isinstance(exc, ProfileNotFound):
        return AwsAccessError(f"AWS profile not found: {exc.kwargs.get('profile', '')}")
    if isinstance(exc, NoRegionError):
        return AwsAccessError(NO_REGION)
    if isinstance(exc, EndpointConnectionError):
        return AwsAccessError(f"AWS endpoint unreachable: {exc.kwargs.get('endpoint_url', '')}")
    code = error_code(exc)
    if code in EXPIRED_CODES:
        fix = f"refresh them, e.g. `{_login_hint()}`"
        return AwsAccessError(f"AWS credentials rejected: expired ({code}); {fix}")
    if code in CREDENTIAL_CODES:
        return AwsAccessError(f"AWS credentials rejected ({short(exc)})")
    name = type(exc).__name__
    sso_token = name == "TokenRetrievalError" and "sso" in str(getattr(exc, "kwargs", {}).get("provider", ""))
    if name in SSO_ERRORS or sso_token:
        return AwsAccessError(f"AWS SSO session expired or missing: run `{_login_hint()}`")
    if name in {"TokenRetrievalError", "CredentialRetrievalError"}:
        first = (str(exc).splitlines() or [""])[0]
        return AwsAccessError(f"AWS credentials unavailable: {first}"[:300])
    return None
