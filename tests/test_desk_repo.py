"""A desk's own repository (issue 12, item 5): what briefgen ships for it, run for real.

- `.pre-commit-hooks.yaml`: pre-commit clones a copy of this checkout, installs briefgen
  into its own environment from the package index, and refuses a commit of invalid notes
  in a scratch git repository holding the sample workspace.
- `docs/ci/`: the workflows are parsed for their structure (a job per topic, check before
  build, the brief kept as an artifact), and the shell they run is run on the sample.
- `Dockerfile`: tests/test_desk_repo_docker.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from conftest import DATA, REPO, edit, pdf_text, sample_copy

BIN = Path(sys.executable).parent
W03 = Path("sources/nk-russia/2025-W03.yaml")
W08 = Path("sources/nk-russia/2025-W08.yaml")


def line_of(path: Path, text: str) -> int:
    """The 1-based line where `text` first occurs in `path`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A command's result, stdout and stderr together (pre-commit prints to both)."""
    return subprocess.run(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=300,
    )  # fmt: skip


# --- pre-commit ---------------------------------------------------------------------------


def test_the_hook_manifest_is_valid_and_matches_notes_only() -> None:
    manifest = REPO / ".pre-commit-hooks.yaml"
    result = run([sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)],
                 REPO, dict(os.environ))  # fmt: skip
    assert result.returncode == 0, result.stdout
    hooks = {hook["id"]: hook for hook in yaml.safe_load(manifest.read_text())}
    check, build = hooks["briefgen-check"], hooks["briefgen-build"]
    assert (check["entry"], check["language"]) == ("briefgen check", "python")
    assert check["pass_filenames"] is False and build["pass_filenames"] is False
    assert build["stages"] == ["manual"] and build["entry"] == "briefgen build"
    notes = ["sources/nk-russia/2025-W04.yaml", "sources/x/sources.yml", "sources/x/texts/a.txt",
             "briefgen.toml"]  # fmt: skip
    others = ["README.md", "output/2025-01-26-nk-russia.pdf", "templates/brief.css",
              "notes/sources/a.yaml", "sources/x/scan.pdf"]  # fmt: skip
    for hook in (check, build):
        assert all(re.search(hook["files"], path) for path in notes)
        assert not any(re.search(hook["files"], path) for path in others)


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's package and hook manifest as they are in
    the work tree (not as last committed), and the sha pre-commit is to pin."""
    root = tmp_path_factory.mktemp("briefgen-hooks")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("briefgen", "templates"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, root / name)
    env = git_env(tmp_path_factory.mktemp("pre-commit-home"))
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "briefgen"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, env=env, check=True,
                         capture_output=True, text=True).stdout.strip()  # fmt: skip
    return root, sha


def git_env(pre_commit_home: Path) -> dict[str, str]:
    """git and pre-commit isolated from the user's configuration and caches."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.pop("SKIP", None)  # pre-commit skips the hook ids listed in $SKIP
    return env | {
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Analyst",
        "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "Analyst",
        "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "PRE_COMMIT_HOME": str(pre_commit_home),
        "PRE_COMMIT_COLOR": "never",
        "PIP_NO_COMPILE": "1",  # the hook's environment, made once: skip its .pyc (~15 % of it)
    }


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One pre-commit home for the module: briefgen is installed into it once."""
    return git_env(tmp_path_factory.mktemp("pre-commit-cache"))


@dataclass
class Desk:
    """A desk's notes repository with the hooks installed."""

    root: Path
    env: dict[str, str]

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run(["git", *args], self.root, self.env)

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        self.git("add", "-A")
        return self.git("commit", "-m", message)

    def commits(self) -> int:
        return int(self.git("rev-list", "--count", "HEAD").stdout)


@pytest.fixture
def desk(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hooks_repo: tuple[Path, str],
    hook_env: dict[str, str],
) -> Desk:
    """The sample workspace as a git repository using briefgen's hooks, first commit made."""
    root = sample_copy(tmp_path, monkeypatch)
    hooks, sha = hooks_repo
    build = {"id": "briefgen-build", "args": ["--latest", "-f", "pdf"]}  # one PDF is proof enough
    config = {
        "repos": [{"repo": str(hooks), "rev": sha, "hooks": [{"id": "briefgen-check"}, build]}]
    }
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / ".gitignore").write_text("output/\n", encoding="utf-8")
    desk = Desk(root, hook_env)
    assert desk.git("init", "-q").returncode == 0
    installed = run([sys.executable, "-m", "pre_commit", "install"], root, hook_env)
    assert installed.returncode == 0, installed.stdout
    first = desk.commit("Sample notes")
    assert first.returncode == 0, first.stdout
    assert re.search(r"briefgen check.*\.+Passed", first.stdout), first.stdout
    return desk


def test_a_commit_of_invalid_notes_is_refused_naming_file_and_line(desk: Desk) -> None:
    line = line_of(desk.root / W08, "likelihood: likely")
    edit(desk.root / W08, "likelihood: likely", "likelihood: maybe")
    refused = desk.commit("Outlook: maybe")
    assert refused.returncode != 0
    assert re.search(r"briefgen check.*\.+Failed", refused.stdout), refused.stdout
    assert f"{W08}:{line}: outlook[0].likelihood: 'maybe'" in refused.stdout
    assert "Traceback" not in refused.stdout
    assert desk.commits() == 1
    assert "likelihood: maybe" in (desk.root / W08).read_text()  # the edit is kept

    edit(desk.root / W08, "likelihood: maybe", "likelihood: probable")  # ICD 203 row 2
    accepted = desk.commit("Outlook: probable")
    assert accepted.returncode == 0, accepted.stdout
    assert desk.commits() == 2


def test_a_registry_change_rechecks_the_editions_that_cite_it(desk: Desk) -> None:
    """Why pass_filenames is false: the commit touches sources.yaml only, and what it
    breaks is an edition."""
    line = line_of(desk.root / W03, "source: kyiv-independent-2024-12-19")
    registry = desk.root / "sources/nk-russia/sources.yaml"
    edit(registry, "- id: kyiv-independent-2024-12-19", "- id: kyiv-independent-2024-12-91")
    refused = desk.commit("Registry: renamed a source")
    assert refused.returncode != 0
    assert f"{W03}:{line}:" in refused.stdout
    assert "kyiv-independent-2024-12-19" in refused.stdout
    assert desk.commits() == 1


def test_other_files_skip_the_check_and_the_build_runs_on_request(desk: Desk) -> None:
    edit(desk.root / W08, "likelihood: likely", "likelihood: maybe")
    assert desk.commit("Broken, on purpose").returncode != 0
    desk.git("commit", "-q", "--no-verify", "-m", "Broken, past the hook")
    (desk.root / "README.md").write_text("Korea desk\n", encoding="utf-8")
    readme = desk.commit("README")
    assert readme.returncode == 0, readme.stdout
    assert re.search(r"briefgen check.*\(no files to check\)Skipped", readme.stdout)

    edit(desk.root / W08, "likelihood: maybe", "likelihood: likely")
    desk.commit("Fixed")
    built = run([sys.executable, "-m", "pre_commit", "run", "briefgen-build", "--all-files",
                 "--hook-stage", "manual"], desk.root, desk.env)  # fmt: skip
    assert built.returncode == 0, built.stdout
    briefs = [p.name for p in (desk.root / "output").iterdir() if not p.name.startswith(".")]
    assert briefs == ["2025-02-23-nk-russia.pdf"]
    assert "North Korean" in pdf_text(desk.root / "output" / briefs[0])


# --- CI workflows -------------------------------------------------------------------------

GITHUB = REPO / "docs" / "ci" / "github-actions.yml"
GITLAB = REPO / "docs" / "ci" / "gitlab-ci.yml"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def step_index(steps: list[dict[str, Any]], pattern: str) -> int:
    """The index of the one step whose `uses` or `run` matches `pattern`."""
    found = [i for i, s in enumerate(steps) if re.search(pattern, s.get("run", s.get("uses", "")))]
    assert len(found) == 1, (pattern, found)
    return found[0]


def sh(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a workflow's shell as GitHub runs a `shell: bash` step (-e, pipefail)."""
    path = f"{BIN}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=cwd, env=os.environ | {"PATH": path} | env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


@pytest.fixture
def two_topics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample workspace plus the small demo topic, a folder that is no topic (no
    sources.yaml) and a stray file."""
    root = sample_copy(tmp_path, monkeypatch)
    shutil.copytree(DATA / "ws" / "sources" / "demo", root / "sources" / "demo")
    (root / "sources" / "drafts").mkdir()
    (root / "sources" / "drafts" / "idea.yaml").write_text("title: later\n")
    (root / "sources" / "README.txt").write_text("one folder per topic\n")
    return root


def test_github_workflow_runs_one_job_per_topic_checking_before_building() -> None:
    workflow = load(GITHUB)
    triggers = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))[True]  # YAML 1.1: on = true
    assert "push" in triggers
    topics, brief = workflow["jobs"]["topics"], workflow["jobs"]["brief"]
    assert topics["outputs"]["topics"] == "${{ steps.list.outputs.topics }}"
    assert brief["needs"] == "topics"
    assert brief["strategy"]["matrix"]["topic"] == "${{ fromJSON(needs.topics.outputs.topics) }}"
    assert brief["strategy"]["fail-fast"] is False
    steps = brief["steps"]
    install = step_index(steps, r"pip install -r requirements\.txt")
    check, build = step_index(steps, r"briefgen check"), step_index(steps, r"briefgen build")
    upload = step_index(steps, r"^actions/upload-artifact@")
    assert install < check < build < upload
    artifact = steps[upload]["with"]
    assert artifact["name"] == "brief-${{ matrix.topic }}" and artifact["path"] == "output/"
    scripts = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]
    assert not any("${{" in script for script in scripts), "expressions pasted into a shell"


def test_github_topic_listing_prints_the_topics_as_json(two_topics: Path) -> None:
    (listing,) = [s for s in load(GITHUB)["jobs"]["topics"]["steps"] if s.get("id") == "list"]
    output = two_topics / "github-output"
    result = sh(listing["run"], two_topics, GITHUB_OUTPUT=str(output))
    assert result.returncode == 0, result.stderr
    (line,) = output.read_text().splitlines()
    assert line.startswith("topics=")
    assert json.loads(line.removeprefix("topics=")) == ["demo", "nk-russia"]

    shutil.rmtree(two_topics / "sources")
    (two_topics / "sources").mkdir()
    output.unlink()
    assert sh(listing["run"], two_topics, GITHUB_OUTPUT=str(output)).returncode == 0
    assert output.read_text().strip() == "topics=[]"  # and the matrix job's `if` skips


def test_github_topic_job_checks_every_edition_and_builds_the_latest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_copy(tmp_path, monkeypatch)
    steps = load(GITHUB)["jobs"]["brief"]["steps"]
    check = steps[step_index(steps, r"briefgen check")]["run"]
    build = steps[step_index(steps, r"briefgen build")]["run"]
    line = line_of(root / W03, "source: reaction-2025-01-13")
    edit(root / W03, "source: reaction-2025-01-13", "source: reaction-2025-01-31")
    refused = sh(check, root, TOPIC="nk-russia")
    assert refused.returncode != 0
    assert f"{W03}:{line}:" in refused.stderr  # an old edition, not only the latest

    edit(root / W03, "source: reaction-2025-01-31", "source: reaction-2025-01-13")
    assert sh(check, root, TOPIC="nk-russia").returncode == 0
    built = sh(build, root, TOPIC="nk-russia")
    assert built.returncode == 0, built.stderr
    briefs = sorted(p.name for p in (root / "output").iterdir() if not p.name.startswith("."))
    assert briefs == ["2025-02-23-nk-russia.docx", "2025-02-23-nk-russia.pdf"]
    assert "North Korean" in pdf_text(root / "output" / briefs[1])
    assert docx.Document(str(root / "output" / briefs[0])).paragraphs


def gitlab_child(root: Path) -> dict[str, Any]:
    """Run the GitLab `topics` job's script in `root`; the child pipeline it wrote."""
    for script in load(GITLAB)["topics"]["script"]:
        result = sh(script, root)
        assert result.returncode == 0, result.stderr
    return load(root / "topics-pipeline.yml")


def test_gitlab_pipeline_writes_one_job_per_topic_that_checks_and_builds(two_topics: Path) -> None:
    parent = load(GITLAB)
    assert parent["topics"]["artifacts"]["paths"] == ["topics-pipeline.yml"]
    assert parent["briefs"]["trigger"]["include"] == [
        {"artifact": "topics-pipeline.yml", "job": "topics"}
    ]
    child = gitlab_child(two_topics)
    assert sorted(child) == ["brief:demo", "brief:nk-russia"]
    for topic in ("demo", "nk-russia"):
        job = child[f"brief:{topic}"]
        assert job["variables"] == {"TOPIC": topic}
        assert job["artifacts"]["name"] == "brief-$TOPIC"
        assert job["artifacts"]["paths"] == ["output/"]
        assert "pip install -r requirements.txt" in " ".join(job["before_script"])
        check, build = job["script"]
        assert "briefgen check" in check and build.startswith("briefgen build")
    job = child["brief:demo"]
    for script in job["script"]:
        result = sh(script, two_topics, TOPIC="demo")
        assert result.returncode == 0, result.stderr
    assert (two_topics / "output" / "2025-01-19-demo.pdf").stat().st_size > 0


def test_gitlab_pipeline_without_topics_still_has_a_job(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    assert list(gitlab_child(tmp_path)) == ["no-topics"]


def test_a_hostile_topic_name_reaches_the_shell_as_data(two_topics: Path) -> None:
    """A folder name is input: it must not run as a command in either CI's jobs."""
    topic = 'demo $(touch pwned) "; touch pwned; "'
    shutil.copytree(two_topics / "sources" / "demo", two_topics / "sources" / topic)
    steps = load(GITHUB)["jobs"]["brief"]["steps"]
    scripts = [steps[step_index(steps, r"briefgen check")]["run"]]
    scripts.append(gitlab_child(two_topics)[f"brief:{topic}"]["script"][0])
    for script in scripts:
        result = sh(script, two_topics, TOPIC=topic)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "1 edition valid."
    assert not (two_topics / "pwned").exists()


def test_the_configs_in_the_desk_guide_are_valid(tmp_path: Path) -> None:
    guide = (REPO / "docs" / "desk-repo.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", guide, re.S) if "repos:" in b]
    assert len(blocks) == 2
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for number, block in enumerate(blocks):
        config = tmp_path / f"config-{number}.yaml"
        config.write_text(block, encoding="utf-8")
        result = run([sys.executable, "-m", "pre_commit", "validate-config", str(config)],
                     tmp_path, dict(os.environ))  # fmt: skip
        assert result.returncode == 0, result.stdout
    (local,) = [h for r in yaml.safe_load(blocks[1])["repos"] for h in r["hooks"]]
    assert local["files"] == manifest[0]["files"]  # the local hook sees the same files
