"""Secrets become placeholders on pull and are filled on push (issue 6)."""

from __future__ import annotations

import json

import pytest

from assistantgit import secrets
from assistantgit.errors import InputError
from testing.paths import SAMPLE_DIALOG
from testing.profile import examples

WEBHOOKS = [
    {
        "name": "main_webhook",
        "url": "https://x.example.com",
        "headers": [{"name": "Authorization", "value": "Basic abc"}, {"name": "X-Empty", "value": ""}],
    },
]


def test_header_values_and_credential_keys_become_placeholders():
    files = {
        "webhooks.yaml": WEBHOOKS,
        "dialog_nodes/a.yaml": {
            "dialog_node": "a",
            "context": {"private": {"my_creds": {"api_key": "k1", "user": "bob"}}},
            "actions": [{"name": "f", "credentials": "$private.my_creds"}],
        },
        "dialog_nodes/b.yaml": {"dialog_node": "b", "context": {"private": {"my_creds": {"api_key": "k2"}}}},
        "dialog_nodes/c.yaml": {"dialog_node": "c", "context": {"private": {"my_creds": {"api_key": "k1"}}}},
    }
    out = secrets.extract(files)
    assert out["webhooks.yaml"][0]["headers"] == [
        {"name": "Authorization", "value": "${ASSISTANTGIT_WEBHOOK_MAIN_WEBHOOK_AUTHORIZATION}"},
        {"name": "X-Empty", "value": ""},  # empty values are not secrets
    ]
    a, b, c = (out[f"dialog_nodes/{n}.yaml"] for n in "abc")
    assert a["context"]["private"]["my_creds"] == {"api_key": "${ASSISTANTGIT_SECRET_MY_CREDS_API_KEY}", "user": "bob"}
    assert a["actions"][0]["credentials"] == "$private.my_creds"  # a reference, not a secret
    assert b["context"]["private"]["my_creds"]["api_key"] == "${ASSISTANTGIT_SECRET_MY_CREDS_API_KEY_2}"
    assert c["context"]["private"]["my_creds"]["api_key"] == "${ASSISTANTGIT_SECRET_MY_CREDS_API_KEY}"
    assert files["webhooks.yaml"][0]["headers"][0]["value"] == "Basic abc"  # input untouched
    # filled back from the environment, the content is the original
    environ = {
        "ASSISTANTGIT_WEBHOOK_MAIN_WEBHOOK_AUTHORIZATION": "Basic abc",
        "ASSISTANTGIT_SECRET_MY_CREDS_API_KEY": "k1",
        "ASSISTANTGIT_SECRET_MY_CREDS_API_KEY_2": "k2",
    }
    assert secrets.fill(out, "tree", environ) == files


def test_extract_rendered_matches_extract():
    from assistantgit import canonical
    from assistantgit.pipeline import render_files

    files = {"webhooks.yaml": WEBHOOKS, "intents/reset.yaml": {"intent": "reset", "examples": ["my password token"]}}
    rendered = render_files(files)
    again = secrets.extract_rendered(files, rendered, lambda d: canonical.dumps(d).encode("utf-8"))
    assert again == render_files(secrets.extract(files))
    assert again["intents/reset.yaml"] is rendered["intents/reset.yaml"]  # text mentioning a password is not a key


def test_unset_placeholder_names_every_missing_variable():
    data = {"a": "${ASSISTANTGIT_ONE}", "b": ["${ASSISTANTGIT_TWO}", "${ASSISTANTGIT_ONE}"], "c": "${NOT_OURS}"}
    with pytest.raises(InputError, match="ASSISTANTGIT_ONE, ASSISTANTGIT_TWO; export these"):
        secrets.fill(data, "tree", {})
    assert secrets.fill(data, "tree", {"ASSISTANTGIT_ONE": "1", "ASSISTANTGIT_TWO": ""}) == {
        "a": "1",
        "b": ["", "1"],
        "c": "${NOT_OURS}",
    }
    assert secrets.fill({"x": "no secrets"}, "tree", {}) == {"x": "no secrets"}


@pytest.mark.slow  # a sweep of the shared corpus: in the full suite (our samples cover the same ground)
def test_dialog_corpus_round_trips_without_any_variable(shared_corpus, tmp_path, cli, monkeypatch):
    """The real corpus holds no literal secret: pull and push need no ASSISTANTGIT_* variable."""
    import json

    for name in [n for n in list(__import__("os").environ) if n.startswith("ASSISTANTGIT_")]:
        monkeypatch.delenv(name)
    for export in sorted((shared_corpus / "dialog").glob("*.json"))[:40]:
        tree, out = tmp_path / export.stem, tmp_path / f"{export.stem}.out.json"
        assert cli("pull", export, "--dir", tree).exit_code == 0
        assert cli("push", "--dir", tree, "--out", out).exit_code == 0, export.name
        assert "${ASSISTANTGIT_" not in out.read_text(encoding="utf-8")
        json.loads(out.read_bytes())


def test_quick_scan_finds_every_key_the_walk_would_replace():
    from assistantgit import canonical
    from assistantgit.pipeline import render_files

    keys = ["api_key", "apiKey", "APIKEY", "client_secret", "x-y_token", "Authorization", "My Password", "passwd"]
    for key in [*keys, "password hint", "tokens", "monkey"]:
        files = {"dialog_nodes/n.yaml": {"dialog_node": "n", "context": {"creds": {key: "literal"}}}}
        again = secrets.extract_rendered(files, render_files(files), lambda d: canonical.dumps(d).encode("utf-8"))
        expected = render_files(secrets.extract(files))
        assert again == expected, key
        assert (b"literal" in again["dialog_nodes/n.yaml"]) == (key not in keys), key


def _keys(value) -> set:
    if isinstance(value, list):
        return set().union(*map(_keys, value))
    if isinstance(value, dict):
        return set(value).union(*map(_keys, value.values()))
    return set()


def test_the_keys_of_a_whole_render_pick_the_files_to_scan():
    # pull passes every key it wrote with its written form (canonical.keys_written()): only files
    # holding the written form of `headers` or of a credential key are walked, none when no key is
    # one (issue 14); the result must be what the walk of every file gives
    from assistantgit import canonical
    from assistantgit.pipeline import render_files

    plain = {"intents/a.yaml": {"intent": "a", "examples": ["my password", "token", "headers: x"]}}
    hooks = {"webhooks.yaml": WEBHOOKS, "intents/b.yaml": {"intent": "b", "examples": ["headers"]}}
    cases = [plain, hooks, {**plain, "webhooks.yaml": [{"name": "w", "headers": [{"name": "X", "value": "v"}]}]}]
    for key in ("apiKey", "pwd", "my: token", 'say "token"'):
        cases.append({**plain, "dialog_nodes/n.yaml": {"dialog_node": "n", "context": {key: "literal"}}})
    for files in cases:
        rendered = render_files(files)
        keys = {key: canonical.write_string(key) + ":" for key in _keys(list(files.values()))}
        again = secrets.extract_rendered(files, rendered, lambda d: canonical.dumps(d).encode("utf-8"), keys=keys)
        assert again == render_files(secrets.extract(files)), files
    written = canonical.keys_written()
    assert written is not None
    assert written.keys() >= _keys(list(plain.values()))


# Issue 11: camelCase, kebab-case and upper-case spellings were missed, and numbers kept in clear.
CREDENTIAL_KEYS = [
    "accessToken",
    "access_token",
    "ACCESS-TOKEN",
    "clientSecret",
    "client-secret",
    "CLIENT_SECRET",
    "x-api-key",
    "X-API-Key",
    "apiKey",
    "APIKey",
    "api_key",
    "apikey",
    "API-KEY",
    "password",
    "PASSWORD",
    "Password",
    "db_password",
    "dbPassword",
    "PassWord",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "authToken",
    "auth-token",
    "refresh_token",
    "Authorization",
    "bearer",
    "privateKey",
    "private-key",
    "secret_key",
    "subscriptionKey",
    "Ocp-Apim-Subscription-Key",
    "credentials",
    "password2",
    "api_key_1",
]
NOT_CREDENTIALS = [
    "key",
    "keys",
    "keyword",
    "monkey",
    "token_type",
    "tokenUrl",
    "passwordHint",
    "password_policy",
    "secret_name",
    "client_id",
    "username",
    "user",
    "name",
    "value",
    "secrets_manager_url",
    "authorized",
    "keyboard",
]


@pytest.mark.parametrize("key", CREDENTIAL_KEYS)
def test_every_spelling_of_a_credential_key_is_one(key):
    assert secrets.is_secret_key(key)


@pytest.mark.parametrize("key", NOT_CREDENTIALS)
def test_keys_that_merely_contain_a_word_are_not_credentials(key):
    assert not secrets.is_secret_key(key)


def test_any_scalar_under_a_credential_key_becomes_a_placeholder_and_comes_back_with_its_type():
    data = {"context": {"password": 918273645, "pin_token": 12.5, "accessToken": "t0k", "apiKey": True, "secret": None}}
    out = secrets.extract({"dialog_nodes/n.yaml": data})["dialog_nodes/n.yaml"]
    assert out["context"] == {
        "password": "${ASSISTANTGIT_SECRET_CONTEXT_PASSWORD:number}",
        "pin_token": "${ASSISTANTGIT_SECRET_CONTEXT_PIN_TOKEN:number}",
        "accessToken": "${ASSISTANTGIT_SECRET_CONTEXT_ACCESSTOKEN}",
        "apiKey": True,  # true/false and null are no secret
        "secret": None,
    }
    environ = {
        "ASSISTANTGIT_SECRET_CONTEXT_PASSWORD": "918273645",
        "ASSISTANTGIT_SECRET_CONTEXT_PIN_TOKEN": "12.5",
        "ASSISTANTGIT_SECRET_CONTEXT_ACCESSTOKEN": "t0k",
    }
    assert secrets.placeholders(out) == sorted(environ)
    assert secrets.fill(out, "tree", environ) == data
    with pytest.raises(InputError, match="ASSISTANTGIT_SECRET_CONTEXT_PASSWORD must hold a number"):
        secrets.fill(out, "tree", {**environ, "ASSISTANTGIT_SECRET_CONTEXT_PASSWORD": "nine"})


def test_a_numeric_header_value_is_a_secret_too():
    hooks = [{"name": "w", "url": "https://x", "headers": [{"name": "X-Pin", "value": 1234}]}]
    out = secrets.extract({"webhooks.yaml": hooks})["webhooks.yaml"]
    assert out[0]["headers"][0]["value"] == "${ASSISTANTGIT_WEBHOOK_W_X_PIN:number}"


def test_quick_scan_never_misses_a_credential_key():
    """The byte-level prefilter of extract_rendered must be a superset of is_secret_key."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from assistantgit import canonical
    from assistantgit.pipeline import render_files

    words = st.sampled_from(["pass", "word", "api", "Key", "KEY", "token", "Token", "secret", "auth", "x", "my", "2"])
    separators = st.sampled_from(["", "_", "-", " ", ".", ":", '"'])
    key = st.lists(st.tuples(separators, words), min_size=1, max_size=4).map(
        lambda parts: "".join(a + b for a, b in parts)
    )

    @settings(max_examples=examples(300), deadline=None)
    @given(key, st.one_of(st.text(min_size=1, max_size=5), st.integers()))
    def check(name, value):
        files = {"dialog_nodes/n.yaml": {"dialog_node": "n", "context": {"a": [{name: value}]}}}
        again = secrets.extract_rendered(files, render_files(files), lambda d: canonical.dumps(d).encode("utf-8"))
        assert again == render_files(secrets.extract(files))

    check()


def test_push_fills_placeholders_and_refuses_unset_ones(tmp_path, monkeypatch):
    # push serializes once and fills only when the upload holds a placeholder (issue 14): the
    # same bytes as filling first, and an unset variable still stops it before any byte is written
    from assistantgit.exportjson import upload_bytes
    from assistantgit.pipeline import build_export, pull_file, push_file

    export = json.loads(SAMPLE_DIALOG.read_bytes())
    export["webhooks"] = [
        {
            "url": "https://example.com/h",
            "name": "main",
            "headers": [{"name": "Authorization", "value": "Basic s3cr3t"}],
        }
    ]
    source = tmp_path / "export.json"
    source.write_text(json.dumps(export), encoding="utf-8")
    tree, out = tmp_path / "tree", tmp_path / "up.json"
    pull_file(source, tree)
    (tree / ".assistantgit" / "secrets.env").unlink()  # as in CI: no local store, the environment only
    variable = "ASSISTANTGIT_WEBHOOK_MAIN_AUTHORIZATION"
    monkeypatch.delenv(variable, raising=False)
    with pytest.raises(InputError, match=variable):
        push_file(tree, out)
    assert not out.exists()
    monkeypatch.setenv(variable, "Basic filled")
    push_file(tree, out)
    pushed = json.loads(out.read_bytes())
    assert pushed["webhooks"][0]["headers"][0]["value"] == "Basic filled"
    _, data = build_export(tree)
    assert out.read_bytes() == upload_bytes(secrets.fill(data, tree), str(out))


def _extract_by_copying(value, namer, key):
    """extract's walk as it was before issue 14: every mapping and list copied."""
    if isinstance(value, list):
        return [_extract_by_copying(item, namer, key) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict = {}
    for k, v in value.items():
        if k == "headers" and isinstance(v, list):
            result[k] = [secrets._header(h, value.get("name"), namer) for h in v]
        elif secrets.is_secret_key(k) and secrets.is_secret_value(v):
            result[k] = namer.name_for(secrets.env_name("SECRET", key if isinstance(key, str) else "", k), v)
        else:
            result[k] = _extract_by_copying(v, namer, k)
    return result


def test_extract_gives_what_copying_every_value_gave():
    """extract hands back unchanged values themselves instead of copies (issue 14): the same
    files, placeholders and values as the copying walk, and its input left as it was."""
    import copy

    from hypothesis import given, settings
    from hypothesis import strategies as st

    keys = st.sampled_from(["name", "value", "headers", "apiKey", "password", "text", "x", "Authorization", "url"])
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.sampled_from(["", " ", "$ref", "s3cret", "<? x ?>", "v"])
    )
    values = st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=25
    )
    files = st.dictionaries(st.sampled_from(["a.yaml", "b.yaml", "c/d.yaml", "e.yaml"]), values, max_size=4)

    @settings(max_examples=examples(400), deadline=None)
    @given(files)
    def check(given_files):
        before = copy.deepcopy(given_files)
        taken: dict = {}
        got = secrets.extract(given_files, taken)
        namer = secrets._Namer()
        expected = {path: _extract_by_copying(data, namer, None) for path, data in sorted(before.items())}
        assert json.dumps(got) == json.dumps(expected)
        assert taken == namer.values
        assert given_files == before

    check()


def test_extract_hands_back_a_file_without_secrets_itself():
    data = {"intent": "i", "examples": [{"text": "a password here"}, {"text": "b"}], "tags": ["x"]}
    hooks = [{"name": "w", "headers": [{"name": "X", "value": "v"}], "other": {"k": [1]}}]
    out = secrets.extract({"intents/i.yaml": data, "webhooks.yaml": hooks})
    assert out["intents/i.yaml"] is data
    assert out["webhooks.yaml"][0]["other"] is hooks[0]["other"]
    assert out["webhooks.yaml"][0]["headers"][0]["value"] == "${ASSISTANTGIT_WEBHOOK_W_X}"
