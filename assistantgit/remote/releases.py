"""Releases and environments of a watsonx Assistant (the v2 API): publish the draft as
a release, deploy a release to an environment, say what each environment runs.

In the web UI a release is a "version"; the draft is where people build, and live
(staging, ... on larger plans) run a release. Every wait (publishing, deploying) is
polled with waiting.poll and bounded by `waits.timeout`.
"""

from __future__ import annotations

from ..errors import InputError, RemoteError
from .waiting import poll, status_errors

LATEST, PREVIOUS = "latest", "previous"
DESCRIPTION_LIMIT = 128  # the UI shows a line; the API does not document a limit


class Assistant:
    """The v2 assistant behind an environment of assistantgit.yaml."""

    def __init__(self, project, env, client=None):
        from .client import Client

        self.env = env
        self.assistant_id = env.require_assistant("publish, deploy or read releases")
        self.client = client or Client.unbound(project, env, api="v2")
        self.service = self.client.service
        self.interval, self.timeout = project.poll_interval, project.wait_timeout

    # -- environments -----------------------------------------------------------------------------
    def environments(self) -> list[dict]:
        return self.client.all_pages(
            "list the environments", self.service.list_environments, "environments", self.assistant_id
        )

    def environment(self, name: str, environments: list[dict] | None = None) -> dict:
        """An environment by its name, type or id (`live`, `staging`...), case aside."""
        environments = self.environments() if environments is None else environments
        wanted = name.casefold()
        for env in environments:
            if wanted in {str(env.get(k) or "").casefold() for k in ("name", "environment", "environment_id")}:
                return env
        known = ", ".join(str(e.get("name")) for e in environments) or "none"
        raise InputError(
            f"{self.env.name}: assistant {self.assistant_id} has no environment '{name}' (it has: {known})"
        )

    @staticmethod
    def running(environment: dict) -> str | None:
        """The release an environment runs (None: the draft, or nothing deployed yet)."""
        return (environment.get("release_reference") or {}).get("release")

    # -- releases ---------------------------------------------------------------------------------
    def releases(self) -> list[dict]:
        found = self.client.all_pages(
            "list the releases", self.service.list_releases, "releases", self.assistant_id, include_audit=True
        )
        return sorted(found, key=lambda r: _number_key(r.get("release")))

    def release(self, number: str) -> dict:
        return self.client.call(
            f"read release {number}", self.service.get_release, self.assistant_id, number, include_audit=True
        )

    def publish(self, description: str) -> dict:
        """Create a release from the draft and wait until it is available."""
        description = " ".join(description.split())[:DESCRIPTION_LIMIT]
        release = self.client.call(
            "create a release", self.service.create_release, self.assistant_id, description=description
        )
        number = str(release.get("release") or "")
        if not number:
            raise RemoteError(f"{self.env.name}: the service created a release without a number: {release}")

        def check():
            nonlocal release
            release = self.release(number)
            state = release.get("status") or "unknown"
            if state == "Failed":
                raise RemoteError(f"{self.env.name}: publishing release {number} failed: {status_errors(release)}")
            return state == "Available", state

        poll(self.client, f"publishing release {number}", check, self.interval, self.timeout)
        return release

    def resolve(self, spec: str, environment: dict) -> str:
        """A release number from N, `latest` (the newest available) or `previous` (the newest
        available one older than what `environment` runs: a rollback)."""
        spec = str(spec).strip()
        if spec not in (LATEST, PREVIOUS) and not spec.isdigit():
            raise InputError(f"--release {spec!r}: give a release number, '{LATEST}' or '{PREVIOUS}'")
        available = [r["release"] for r in self.releases() if r.get("status") == "Available"]
        if spec.isdigit():
            if spec not in available:
                raise RemoteError(
                    f"{self.env.name}: release {spec} is not an available release of assistant "
                    f"{self.assistant_id} (available: {', '.join(available) or 'none'})"
                )
            return spec
        if not available:
            raise RemoteError(
                f"{self.env.name}: assistant {self.assistant_id} has no available release; "
                f"publish one first (assistantgit publish --env {self.env.name})"
            )
        if spec == LATEST:
            return available[-1]
        current = self.running(environment)
        if current is None:
            raise RemoteError(f"{self.env.name}: {environment.get('name')} runs no release: there is no previous one")
        older = [n for n in available if _number_key(n) < _number_key(current)]
        if not older:
            raise RemoteError(
                f"{self.env.name}: no available release older than {current}, which {environment.get('name')} runs"
            )
        return older[-1]

    def deploy(self, number: str, environment: dict) -> dict:
        """Deploy a release and wait until the environment reports it."""
        name = environment.get("name")
        if environment.get("environment") == "draft":
            raise InputError(
                f"{self.env.name}: releases are not deployed to the draft; "
                f"`assistantgit push --env {self.env.name}` replaces it"
            )
        env_id = environment["environment_id"]
        self.client.call(
            f"deploy release {number} to {name}", self.service.deploy_release, self.assistant_id, number, env_id
        )
        result = environment

        def check():
            nonlocal result
            result = self.client.call(
                f"read environment {name}", self.service.get_environment, self.assistant_id, env_id
            )
            running = self.running(result)
            return running == number, f"running release {running}" if running else "running no release"

        poll(self.client, f"deploying release {number} to {name}", check, self.interval, self.timeout)
        return result


def _number_key(number) -> tuple:
    text = str(number or "")
    return (0, int(text), "") if text.isdigit() else (1, 0, text)
