"""An ibm-watson SDK client for one environment, with bounded retries and errors
a user can act on.

Credentials follow the SDK's external configuration: the environment's prefix
(`ASSISTANT_DEV`) is the SDK service name, so `ASSISTANT_DEV_APIKEY`,
`ASSISTANT_DEV_AUTH_TYPE`, `ASSISTANT_DEV_AUTH_URL`, `ASSISTANT_DEV_URL`,
`ASSISTANT_DEV_DISABLE_SSL`... come from an ibm-credentials.env file or the
environment, exactly as for any IBM SDK program. `<PREFIX>_URL` wins over `url`.
"""

from __future__ import annotations

import json
import random
import time

from ..console import out
from ..errors import RemoteError

RETRYABLE = {429, 500, 502, 503, 504}
MAX_WAIT = 30.0


class Client:
    """Calls SDK methods for one environment: `client.call("export", svc.get_workspace, ...)`."""

    def __init__(self, env, attempts: int, backoff: float, sleep=time.sleep):
        self.env = env
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.service = self._build()

    # -- construction -------------------------------------------------------------------------
    def _build(self):
        from ibm_cloud_sdk_core import get_authenticator_from_environment
        from ibm_cloud_sdk_core.utils import read_external_sources

        env, prefix = self.env, self.env.credentials
        config = read_external_sources(prefix)
        if not any(config.get(k) for k in ("APIKEY", "AUTH_TYPE", "AUTHTYPE", "BEARER_TOKEN", "USERNAME")):
            raise RemoteError(
                f"{env.name}: no credentials: set {prefix}_APIKEY (and {prefix}_AUTH_TYPE if not IAM) in the "
                "environment or in an ibm-credentials.env file"
            )
        try:
            authenticator = get_authenticator_from_environment(prefix)
        except ValueError as error:
            raise RemoteError(f"{env.name}: unusable credentials in {prefix}_*: {error}") from None
        if authenticator is None:
            raise RemoteError(
                f"{env.name}: {prefix}_AUTH_TYPE={config.get('AUTH_TYPE')!r} is not an authentication "
                f"type the IBM SDK knows, or {prefix}_APIKEY is missing"
            )
        if env.kind == "dialog":
            from ibm_watson import AssistantV1 as Service
        else:
            from ibm_watson import AssistantV2 as Service
        try:  # configure_service (inside) applies <PREFIX>_URL, _DISABLE_SSL, _ENABLE_GZIP...
            service = Service(version=env.version, authenticator=authenticator, service_name=prefix)
        except ValueError as error:
            raise RemoteError(f"{env.name}: {error}") from None
        url = config.get("URL") or env.url
        if not url:
            raise RemoteError(f"{env.name}: no service URL: set url in assistantgit.yaml or {prefix}_URL")
        if not config.get("URL"):
            try:
                service.set_service_url(url)
            except ValueError as error:
                raise RemoteError(f"{env.name}: url {url!r}: {error}") from None
        self.url = service.service_url
        return service

    # -- calls --------------------------------------------------------------------------------
    def call(self, what: str, method, *args, **kwargs):
        """Run an SDK method and return its JSON result, retrying connection errors, 429 and 5xx."""
        import requests
        from ibm_cloud_sdk_core import ApiException

        for attempt in range(1, self.attempts + 1):
            try:
                return method(*args, **kwargs).get_result()
            except ApiException as error:
                code = _status(error)
                if code in RETRYABLE and attempt < self.attempts:
                    self._wait(attempt, what, f"{code}", _retry_after(error))
                    continue
                failure = self._api_error(what, error, attempt)
                failure.status = code  # lets a caller choose another route (413: the async export)
                raise failure from None
            except (requests.ConnectionError, requests.Timeout) as error:
                if attempt < self.attempts:
                    self._wait(attempt, what, type(error).__name__, None)
                    continue
                raise RemoteError(
                    f"{self.env.name}: cannot reach {self.url} to {what} ({type(error).__name__}) after "
                    f"{attempt} tries; check the url and your network"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int, what: str, reason: str, retry_after: float | None) -> None:
        delay = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
        delay = min(MAX_WAIT, delay) * (1 + random.random() / 10)
        out.info(f"{self.env.name}: {what}: {reason}, retrying in {delay:.1f}s (try {attempt + 1} of {self.attempts})")
        self.sleep(delay)

    def _api_error(self, what: str, error, attempt: int) -> RemoteError:
        env, prefix, code = self.env, self.env.credentials, _status(error)
        detail = service_message(error)
        url = getattr(error.http_response, "url", "") or ""
        if url and not _is_service_url(url, self.url):  # the token endpoint (IAM, CP4D...), not the service
            return RemoteError(
                f"{env.name}: could not get an access token ({code}: {detail}): check {prefix}_APIKEY "
                f"and {prefix}_AUTH_URL"
            )
        if code in (401, 403):
            return RemoteError(
                f"{env.name}: {what}: access denied ({code}: {detail}): check {prefix}_APIKEY and that it has "
                "access to this service instance"
            )
        if code == 404:
            field = "workspace_id" if env.kind == "dialog" else "assistant_id"
            return RemoteError(
                f"{env.name}: {what}: {env.target} not found at {self.url} (404): check {field} in "
                f"assistantgit.yaml and the url / {prefix}_URL"
            )
        if code in RETRYABLE:
            return RemoteError(
                f"{env.name}: {what}: the service answered {code} ({detail}) {attempt} times; gave up, try again later"
            )
        return RemoteError(f"{env.name}: {what}: the service rejected the request ({code}): {detail}")


def service_message(error) -> str:
    """The service's own words: `error` plus each `errors[].message` with its path."""
    response = error.http_response
    try:
        body = response.json() if response is not None else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        text = (response.text if response is not None else "") or error.message or "no details"
        return " ".join(str(text).split())[:300]
    parts = []
    head = body.get("error") or body.get("errorMessage") or body.get("message")
    if head:
        parts.append(str(head))
    for item in (body.get("errors") or [])[:3]:
        if isinstance(item, dict):
            message = item.get("message") or json.dumps(item)
            parts.append(f"{item['path']}: {message}" if item.get("path") else str(message))
    extra = len(body.get("errors") or []) - 3
    text = "; ".join(parts) or json.dumps(body)[:300]
    return text + (f" (+{extra} more)" if extra > 0 else "")


def _status(error) -> int | None:
    """The HTTP status of an ApiException (`status_code` since ibm-cloud-sdk-core 3.16, `code` before)."""
    status = getattr(error, "status_code", None)
    return status if status is not None else error.__dict__.get("code")


def _retry_after(error) -> float | None:
    headers = getattr(error.http_response, "headers", None) or {}
    try:
        return max(0.0, float(headers.get("Retry-After")))
    except (TypeError, ValueError):
        return None


def _is_service_url(url: str, service_url: str | None) -> bool:
    """Whether a failed request went to the Assistant API (not to an authentication endpoint)."""
    if not service_url or not url.startswith(service_url):
        return False
    return url[len(service_url) :].startswith(("/v1/", "/v2/"))
