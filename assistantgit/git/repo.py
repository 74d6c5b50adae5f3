"""Opening the repository a path is in, and naming things inside it (gitpython)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def open_repo(path: Path):
    """The git repository that holds `path`, or an error saying there is none."""
    import git

    try:
        return git.Repo(Path(path).resolve(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise InputError(f"{path}: not inside a git repository; run 'git init' first") from None


def repo_relative(repo, folder: Path) -> str:
    """The path of `folder` inside the repository ('' for its top), with '/'."""
    top = Path(repo.working_tree_dir).resolve()
    try:
        rel = Path(folder).resolve().relative_to(top)
    except ValueError:
        raise InputError(f"{folder}: is outside the git repository at {top}") from None
    return "" if str(rel) == "." else rel.as_posix()


def resolve_object(repo, spec: str):
    """A revision ('HEAD~1', 'main') -> its commit; 'REV:path' -> that blob or tree; None if unknown."""
    if isinstance(repo, PlainRepo):
        try:
            return repo.rev_parse(spec)
        except ValueError:
            return None
    import git

    try:
        return repo.rev_parse(spec)
    except (git.BadName, git.BadObject, ValueError, IndexError, KeyError):
        return None


def read_blobs(repo, shas: list[str]) -> list[bytes | None]:
    """The contents of many blobs (hex ids) from one `git cat-file --batch` run, in order;
    None for an id that is not a blob of the repository (or for all, if git fails)."""
    import subprocess

    done = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=repo.git_dir,
        capture_output=True,
        input="".join(sha + "\n" for sha in shas).encode("ascii"),
    )
    if done.returncode != 0:
        return [None] * len(shas)
    found: list[bytes | None] = []
    output, start = done.stdout, 0
    for sha in shas:
        header_end = output.index(b"\n", start)
        header = output[start:header_end].split(b" ")
        if len(header) != 3:  # "<id> missing"
            found.append(None)
            start = header_end + 1
            continue
        size = int(header[2])
        found.append(
            output[header_end + 1 : header_end + 1 + size]
            if header[1] == b"blob" and header[0] == sha.encode()
            else None
        )
        start = header_end + 1 + size + 1
    return found


def list_blobs(repo, tree_sha: str) -> list[tuple[str, int, bytes]] | None:
    """(path inside the tree, mode, binary id) of every file below a tree object, from one
    `git ls-tree -r -z` run: gitpython's traversal of a 5,000-file tree took 0.4 s. None if
    git fails (the caller then walks the tree with gitpython)."""
    import subprocess

    done = subprocess.run(["git", "ls-tree", "-r", "-z", tree_sha], cwd=repo.git_dir, capture_output=True)
    if done.returncode != 0:
        return None
    return [
        (path, mode, bytes.fromhex(sha))
        for path, mode, kind, sha in _tree_entries(done.stdout)
        if kind == "blob"  # not a submodule's commit
    ]


def _tree_entries(output: bytes):
    """(path, mode, type, hex id) of each record of `git ls-tree -z` output."""
    for record in output.split(b"\0"):
        meta, tab, path = record.partition(b"\t")
        if tab:
            mode, kind, sha = meta.split(b" ")
            yield path.decode("utf-8", "surrogateescape"), int(mode, 8), kind.decode("ascii"), sha.decode("ascii")


# --- the few things diff reads, through git's own commands ------------------------------------
# gitpython's import and start (about 0.1 s) were a quarter of `diff HEAD~1 HEAD` (issue 14);
# diff needs only object names, tree listings and blob contents, each one `git` run.


def open_plain(path: Path) -> PlainRepo:
    """The repository that holds `path` (a folder), read through git's own commands, or an
    error saying there is none, as open_repo's."""
    import subprocess

    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel", "--absolute-git-dir"], cwd=Path(path), capture_output=True
    )
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) != 2:
        raise InputError(f"{path}: not inside a git repository; run 'git init' first")
    return PlainRepo(lines[0], lines[1])


class PlainRepo:
    """What revisions.py reads of a repository, with gitpython's names (working_tree_dir,
    git_dir, rev_parse, head.is_valid, odb.stream), each answer from one `git` run."""

    def __init__(self, top: str, git_dir: str):
        self.working_tree_dir = top
        self.git_dir = git_dir
        self.head = _Head(self)
        self.odb = _Odb(self)
        self._listings: dict[str, dict[str, tuple[int, str, str]]] = {}

    def git(self, *args: str, stdin: bytes | None = None) -> bytes | None:
        """git's output, or None when it fails."""
        import subprocess

        done = subprocess.run(["git", *args], cwd=self.git_dir, capture_output=True, input=stdin)
        return done.stdout if done.returncode == 0 else None

    def rev_parse(self, spec: str) -> GitObject:
        """The object a name stands for ('HEAD~1', 'main', 'v1', 'REV:path'); ValueError if none."""
        if "\n" in spec or "\r" in spec or not spec:
            raise ValueError(spec)
        output = self.git("cat-file", "--batch-check", stdin=spec.encode("utf-8", "surrogateescape") + b"\n")
        fields = (output or b"").split()
        if len(fields) != 3 or len(fields[0]) not in (40, 64):
            raise ValueError(spec)
        return GitObject(self, fields[0].decode("ascii"), fields[1].decode("ascii"))

    def listing(self, tree_sha: str) -> dict[str, tuple[int, str, str]]:
        """name -> (mode, type, id) of a tree's own entries (one `git ls-tree -z`, kept)."""
        found = self._listings.get(tree_sha)
        if found is None:
            output = self.git("ls-tree", "-z", tree_sha)
            if output is None:
                raise InputError(f"{self.working_tree_dir}: git cannot list tree {tree_sha}")
            found = {name: (mode, kind, sha) for name, mode, kind, sha in _tree_entries(output)}
            self._listings[tree_sha] = found
        return found


class GitObject:
    """A commit, tree, blob or tag of a PlainRepo, with the gitpython attributes revisions.py uses."""

    def __init__(self, repo: PlainRepo, hexsha: str, type: str, path: str = "", mode: int = 0):
        self.repo, self.hexsha, self.type, self.path, self.mode = repo, hexsha, type, path, mode
        self.binsha = bytes.fromhex(hexsha)

    @property
    def tree(self) -> GitObject:
        """A commit's tree."""
        return self.repo.rev_parse(self.hexsha + "^{tree}")

    @property
    def object(self) -> GitObject:
        """What a tag points to (one level, as gitpython's TagObject.object)."""
        head = (self.repo.git("cat-file", "tag", self.hexsha) or b"").split(b"\n\n", 1)[0]
        fields = dict(line.split(b" ", 1) for line in head.split(b"\n") if b" " in line)
        if b"object" not in fields or b"type" not in fields:
            raise InputError(f"{self.hexsha}: a git tag git cannot read")
        return GitObject(self.repo, fields[b"object"].decode("ascii"), fields[b"type"].decode("ascii"))

    def __truediv__(self, path: str) -> GitObject:
        """The entry at `path` below this tree; KeyError when there is none (as gitpython)."""
        found: GitObject = self
        for name in path.split("/"):
            if found.type != "tree":
                raise KeyError(path)
            entry = self.repo.listing(found.hexsha).get(name)
            if entry is None:
                raise KeyError(path)
            mode, kind, sha = entry
            found = GitObject(self.repo, sha, kind, f"{found.path}/{name}" if found.path else name, mode)
        return found

    @property
    def data_stream(self):
        import io

        return io.BytesIO(self.repo.odb.stream(self.binsha).read())


class _Head:
    def __init__(self, repo: PlainRepo):
        self.repo = repo

    def is_valid(self) -> bool:
        """True when HEAD names a commit (not on a branch without commits yet)."""
        try:
            return self.repo.rev_parse("HEAD").type == "commit"
        except ValueError:
            return False


class _Odb:
    def __init__(self, repo: PlainRepo):
        self.repo = repo

    def stream(self, binsha: bytes):
        import io

        content = self.repo.git("cat-file", "blob", binsha.hex())
        if content is None:
            raise InputError(f"{self.repo.working_tree_dir}: git cannot read blob {binsha.hex()}")
        return io.BytesIO(content)
