"""Talking to one environment through the official ibm-watson SDK.

- dialog skills (v1 workspaces): `message(workspace_id, input, context)`; the context
  the service returns is sent back on the next turn, as any client does.
- actions (v2 assistants): `message_stateless(assistant_id, environment_id, ...)` with
  `options.debug` so the answer says which actions and steps ran; the environment id of
  `draft` (default) or `live` comes from `list_environments`.
- intent classification: `bulk_classify` in batches where the plan offers it (Enterprise
  with Data Isolation), else one `message` per utterance with alternate intents.

Every call goes through remote.client.Client: connection errors, 429 (with Retry-After)
and 5xx are retried with its backoff. A Target is shared by the runner's threads: the
SDK's session and token manager are thread-safe.
"""

from __future__ import annotations

from ..console import out
from ..errors import InputError, RemoteError
from .replies import from_v1, from_v2

IRRELEVANT_BELOW = 0.2  # the service treats an input whose top intent is below 0.2 as irrelevant
BULK_BATCH = 50
NO_BULK = {400, 403, 404, 405, 501}  # bulk_classify refused: not on this plan or this API version


def open_target(project, env, environment: str = "draft"):
    """A Target for the environment of assistantgit.yaml named by `env` (an Environment)."""
    from ..remote.client import Client

    if environment not in ("draft", "live"):
        raise InputError(f"--environment must be draft or live, not {environment!r}")
    if env.kind == "dialog" and environment != "draft":
        raise InputError(
            f"{env.name}: --environment {environment}: a dialog skill (v1 workspace) has one version, "
            "its workspace; --environment applies to actions assistants"
        )
    client = Client.for_project(project, env)
    return DialogTarget(client) if env.kind == "dialog" else ActionsTarget(client, environment)


class DialogTarget:
    kind = "dialog"

    def __init__(self, client):
        self.client, self.service, self.env = client, client.service, client.env
        self.label = f"{self.env.name} ({self.env.target})"

    def start(self, variables: dict):
        """The context of a conversation's first message."""
        return dict(variables) if variables else None

    def send(self, text: str, context):
        result = self.client.call(
            "send a message",
            self.service.message,
            self.env.workspace_id,
            input={"text": text},
            context=context,
            nodes_visited_details=True,
        )
        return from_v1(result), result.get("context")

    def classify_one(self, text: str) -> list:
        result = self.client.call(
            "classify an utterance",
            self.service.message,
            self.env.workspace_id,
            input={"text": text},
            alternate_intents=True,
        )
        return from_v1(result).intents

    def classify_batch(self, texts: list) -> list:
        result = self.client.call(
            "classify utterances", self.service.bulk_classify, self.env.workspace_id, input=[{"text": t} for t in texts]
        )
        return _bulk_intents(result, len(texts))


class ActionsTarget:
    kind = "actions"

    def __init__(self, client, environment: str):
        self.client, self.service, self.env = client, client.service, client.env
        listing = client.call("list the environments", self.service.list_environments, self.env.assistant_id)
        found = [
            e
            for e in listing.get("environments") or []
            if isinstance(e, dict) and environment in (e.get("environment"), e.get("name"))
        ]
        if not found or not found[0].get("environment_id"):
            raise RemoteError(f"{self.env.name}: assistant {self.env.assistant_id} has no {environment} environment")
        self.environment_id = str(found[0]["environment_id"])
        self.skill_id = next(
            (
                r.get("skill_id")
                for r in found[0].get("skill_references") or []
                if isinstance(r, dict) and r.get("type") == "action"
            ),
            None,
        )
        self.label = f"{self.env.name} (assistant {self.env.assistant_id}, {environment})"

    def start(self, variables: dict):
        return {"skills": {"actions skill": {"skill_variables": dict(variables)}}} if variables else None

    def _message(self, what: str, text: str, context, **options):
        return self.client.call(
            what,
            self.service.message_stateless,
            self.env.assistant_id,
            self.environment_id,
            input={"message_type": "text", "text": text, "options": options},
            context=context,
        )

    def send(self, text: str, context):
        result = self._message("send a message", text, context, debug=True)
        return from_v2(result), result.get("context")

    def classify_one(self, text: str) -> list:
        return from_v2(self._message("classify an utterance", text, None, alternate_intents=True)).intents

    def classify_batch(self, texts: list) -> list:
        if not self.skill_id:  # bulk_classify takes a skill id: the environment must name its action skill
            raise NoBulk(f"{self.label}: the environment lists no action skill")
        result = self.client.call(
            "classify utterances", self.service.bulk_classify, self.skill_id, input=[{"text": t} for t in texts]
        )
        return _bulk_intents(result, len(texts))


class NoBulk(RemoteError):
    """bulk_classify cannot be used here; one message per utterance will do."""

    status = None


def _bulk_intents(result: dict, count: int) -> list:
    answers = result.get("output") if isinstance(result, dict) else None
    if not isinstance(answers, list) or len(answers) != count:
        raise RemoteError(
            f"bulk_classify answered {len(answers) if isinstance(answers, list) else 'no'} results "
            f"for {count} utterances"
        )
    return [[(str(i.get("intent")), float(i.get("confidence") or 0)) for i in a.get("intents") or []] for a in answers]


def predicted(intents: list) -> str | None:
    """The intent the assistant acts on: the top one, unless the service would call the input irrelevant."""
    if not intents or intents[0][1] < IRRELEVANT_BELOW:
        return None
    return intents[0][0]


def classify(target, texts: list, jobs: int, progress=None) -> list:
    """Intents of every utterance: bulk_classify in batches, or one message each when the plan lacks it."""
    from .runner import parallel_map

    batches = [texts[i : i + BULK_BATCH] for i in range(0, len(texts), BULK_BATCH)]
    try:
        first = target.classify_batch(batches[0]) if batches else []
    except RemoteError as error:
        if not isinstance(error, NoBulk) and getattr(error, "status", None) not in NO_BULK:
            raise
        status = getattr(error, "status", None)
        why = status if status is not None else error.message.split(": ", 1)[-1]
        out.info(f"{target.label}: bulk_classify is not available ({why}); classifying with one message per utterance")
        return parallel_map(target.classify_one, texts, jobs, progress)
    done = [first]
    rest = parallel_map(
        target.classify_batch,
        batches[1:],
        jobs,
        (lambda n, _: progress(min(len(texts), (n + 1) * BULK_BATCH), len(texts))) if progress else None,
    )
    return [intents for batch in done + rest for intents in batch]
