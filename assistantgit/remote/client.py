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
from ..errors import RemoteError, RemoteSetupError

RETRYABLE = {429, 500, 502, 503, 504}
MAX_WAIT = 30.0
CONNECT_TIMEOUT = 10.0  # a host that does not accept a connection within this is down for us
TOKEN_TIMEOUT = 20.0  # a token endpoint answers in well under a second when it answers at all


class Client:
    """Calls SDK methods for one environment: `client.call("export", svc.get_workspace, ...)`.

    A failing call is bounded twice: `attempts` tries, and `deadline` seconds from its first
    try (each request's own timeout is cut to what is left), so an unreachable host costs
    the deadline at most, not attempts x the SDK's 60 s timeouts.
    """

    def __init__(
        self,
        env,
        attempts: int,
        backoff: float,
        sleep=time.sleep,
        deadline: float = 90.0,
        timeout: float = 60.0,
        api: str | None = None,
    ):
        self.env = env
        self.api = api or ("v1" if env.kind == "dialog" else "v2")
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.deadline = deadline
        self.timeout = timeout
        self.service = self._build()
        self._configs = self._http_configs()

    @classmethod
    def for_project(cls, project, env) -> Client:
        env.require_target()
        return cls.unbound(project, env)

    @classmethod
    def unbound(cls, project, env, api: str | None = None) -> Client:
        """A client for the environment's service instance, even without a workspace or assistant id;
        `api="v2"` for the assistant-level calls (releases, environments) of a dialog environment too."""
        return cls(env, project.attempts, project.backoff, deadline=project.deadline, timeout=project.timeout, api=api)

    # -- construction -------------------------------------------------------------------------
    def _build(self):
        from ibm_cloud_sdk_core import get_authenticator_from_environment
        from ibm_cloud_sdk_core.utils import read_external_sources

        env, prefix = self.env, self.env.credentials
        env.refuse_placeholders()
        config = read_external_sources(prefix)
        if not any(config.get(k) for k in ("APIKEY", "AUTH_TYPE", "AUTHTYPE", "BEARER_TOKEN", "USERNAME")):
            raise RemoteSetupError(
                f"{env.name}: no credentials: set {prefix}_APIKEY (and {prefix}_AUTH_TYPE if not IAM) in the "
                "environment or in an ibm-credentials.env file"
            )
        try:
            authenticator = get_authenticator_from_environment(prefix)
        except ValueError as error:
            raise RemoteSetupError(f"{env.name}: unusable credentials in {prefix}_*: {error}") from None
        if authenticator is None:
            raise RemoteSetupError(
                f"{env.name}: {prefix}_AUTH_TYPE={config.get('AUTH_TYPE')!r} is not an authentication "
                f"type the IBM SDK knows, or {prefix}_APIKEY is missing"
            )
        version = env.version
        if self.api == "v1":
            from ibm_watson import AssistantV1 as Service
        else:
            from ibm_watson import AssistantV2 as Service

            if env.kind == "dialog":  # the environment's version date is one of the v1 API
                from ..project.config import DEFAULT_VERSIONS

                version = DEFAULT_VERSIONS["actions"]
        try:  # configure_service (inside) applies <PREFIX>_URL, _DISABLE_SSL, _ENABLE_GZIP...
            service = Service(version=version, authenticator=authenticator, service_name=prefix)
        except ValueError as error:
            raise RemoteSetupError(f"{env.name}: {error}") from None
        url = config.get("URL") or env.url
        if not url:
            raise RemoteSetupError(f"{env.name}: no service URL: set url in assistantgit.yaml or {prefix}_URL")
        if not config.get("URL"):
            try:
                service.set_service_url(url)
            except ValueError as error:
                raise RemoteSetupError(f"{env.name}: url {url!r}: {error}") from None
        self.url = service.service_url
        return service

    # -- calls --------------------------------------------------------------------------------
    def call(self, what: str, method, *args, **kwargs):
        """Run an SDK method and return its JSON result, retrying connection errors, 429 and 5xx."""
        return self.call_raw(what, method, *args, **kwargs).get_result()

    def all_pages(self, what: str, method, key: str, *args, **kwargs) -> list:
        """Every item of a paginated listing (`pagination.next_cursor`), e.g. list_releases -> releases."""
        items: list = []
        cursor = None
        for _ in range(10_000):
            page = self.call(what, method, *args, cursor=cursor, **kwargs) or {}
            items.extend(page.get(key) or [])
            cursor = (page.get("pagination") or {}).get("next_cursor")
            if not cursor:
                return items
        raise RemoteError(f"{self.env.name}: {what}: the listing does not end (more than 10,000 pages)")

    def call_raw(self, what: str, method, *args, **kwargs):
        """call(), returning the SDK's DetailedResponse (for a download that is not JSON)."""
        import requests
        from ibm_cloud_sdk_core import ApiException

        started = time.monotonic()
        end = started + self.deadline
        for attempt in range(1, self.attempts + 1):
            self._set_timeouts(end)
            try:
                return method(*args, **kwargs)
            except ApiException as error:
                code = _status(error)
                if code in RETRYABLE and self._retry(attempt, what, f"{code}", _retry_after(error), end):
                    continue
                failure = self._api_error(what, error, attempt)
                failure.status = code  # lets a caller choose another route (413: the async export)
                raise failure from None
            except (requests.ConnectionError, requests.Timeout) as error:
                reason = _network_reason(error, self._timeout_of(error))
                if self._retry(attempt, what, reason, None, end):
                    continue
                raise self._network_error(what, error, reason, attempt, time.monotonic() - started) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _http_configs(self) -> tuple[dict, dict | None]:
        """The SDK's own HTTP settings of the service and of its token manager (proxies...)."""
        manager = getattr(self.service.authenticator, "token_manager", None)
        return dict(self.service.http_config), (dict(manager.http_config) if manager is not None else None)

    def _set_timeouts(self, end: float) -> None:
        """(connect, read) timeouts for the next try, never past the call's deadline."""
        left = max(0.05, end - time.monotonic())
        connect = min(CONNECT_TIMEOUT, self.timeout, left)
        service_config, manager_config = self._configs
        self.service.http_config = {**service_config, "timeout": (connect, min(self.timeout, left))}
        if manager_config is not None:
            self.service.authenticator.token_manager.http_config = {
                **manager_config,
                "timeout": (connect, min(TOKEN_TIMEOUT, self.timeout, left)),
            }

    def _retry(self, attempt: int, what: str, reason: str, retry_after: float | None, end: float) -> bool:
        """Wait before the next try and return True, or False when tries or time are used up."""
        delay = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
        delay = min(MAX_WAIT, delay) * (1 + random.random() / 10)
        if attempt >= self.attempts or time.monotonic() + delay >= end:
            return False
        if attempt == 1:
            until = time.strftime("%H:%M:%S", time.localtime(time.time() + end - time.monotonic()))
            out.info(
                f"{self.env.name}: {what}: {reason}; retrying until {until} at the latest "
                f"({self.deadline:g} s, retries.deadline)"
            )
        out.info(f"{self.env.name}: {what}: {reason}, retrying in {delay:.1f}s (try {attempt + 1} of {self.attempts})")
        self._forget_failed_token_request()
        self.sleep(delay)
        return True

    def _forget_failed_token_request(self) -> None:
        """The SDK paces token requests between threads: after a failed one, the next caller
        waits up to 60 s for it to finish (it never will). We are one thread; a retry is a
        new request, not a waiter."""
        manager = getattr(self.service.authenticator, "token_manager", None)
        if manager is not None and hasattr(manager, "request_time"):
            manager.request_time = 0

    def _token_failed(self, error) -> str | None:
        """The URL of the token endpoint when that is what `error` (from requests) failed to reach."""
        failed = getattr(getattr(error, "request", None), "url", None) or ""
        return failed if failed and not _is_service_url(failed, self.url) else None

    def _timeout_of(self, error):
        manager = getattr(self.service.authenticator, "token_manager", None)
        config = manager.http_config if manager is not None and self._token_failed(error) else self.service.http_config
        return config.get("timeout")

    def _network_error(self, what: str, error, reason: str, attempt: int, elapsed: float) -> RemoteError:
        """One line naming the host that failed: the token endpoint is not the service."""
        failed = self._token_failed(error)
        tries = f"after {attempt} tr{'y' if attempt == 1 else 'ies'} in {elapsed:.1f} s"
        if failed:
            origin = _origin(failed)
            return RemoteError(
                f"{self.env.name}: {what}: cannot reach the token endpoint {origin} ({reason}) {tries}; "
                f"check {self.env.credentials}_AUTH_URL and your network"
            )
        return RemoteError(
            f"{self.env.name}: cannot reach {self.url} to {what} ({reason}) {tries}; check the url and your network"
        )

    def _api_error(self, what: str, error, attempt: int) -> RemoteError:
        env, prefix, code = self.env, self.env.credentials, _status(error)
        detail = service_message(error)
        url = getattr(error.http_response, "url", "") or ""
        if url and not _is_service_url(url, self.url):  # the token endpoint (IAM, CP4D...), not the service
            return (RemoteError if code in RETRYABLE else RemoteSetupError)(
                f"{env.name}: could not get an access token ({code}: {detail}): check {prefix}_APIKEY "
                f"and {prefix}_AUTH_URL"
            )
        if code in (401, 403):
            return RemoteSetupError(
                f"{env.name}: {what}: access denied ({code}: {detail}): check {prefix}_APIKEY and that it has "
                "access to this service instance"
            )
        if code == 404:
            field = "workspace_id" if env.kind == "dialog" else "assistant_id"
            return RemoteSetupError(
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
        return max(0.0, float(headers.get("Retry-After")))  # type: ignore[arg-type]  # None: TypeError
    except (TypeError, ValueError):
        return None


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else url


def _network_reason(error, timeout) -> str:
    import requests

    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    if isinstance(error, requests.ConnectTimeout):
        return f"no connection within {connect:.3g} s"
    if isinstance(error, requests.Timeout):
        return f"no answer within {read:.3g} s"
    if "refused" in str(error).lower():
        return "connection refused"
    return type(error).__name__


def _is_service_url(url: str, service_url: str | None) -> bool:
    """Whether a failed request went to the Assistant API (not to an authentication endpoint)."""
    if not service_url or not url.startswith(service_url):
        return False
    return url[len(service_url) :].startswith(("/v1/", "/v2/"))
