"""The repository stands on its own and README says what the code does: no reference to a
document outside the repository, one statement of the default engine, and one kernel that
README, the notebooks and ``make setup`` agree on and that runs the notebooks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kamlib.render import execute as report

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Documents that are not in the repository: the methods summary and the source texts it was
# written from, and the folder they sat in beside the repository.
OUTSIDE = re.compile(
    "|".join(
        (
            r"METHODS\.md",
            r"(?i:\bseeds?[-_ ]?0\d\d)",  # seed 002, seed-003, SEED003_COUNTS
            r"(?i:\bseed doc)",
            r"(?i:\bthe seed\b)",
            r"种子文档",
            r"\.\./shared",
            r"/work/shared",
            r"shared/seeds",
        )
    )
)


def repository_files() -> list[Path]:
    """Every file of the checkout that git would commit (tracked or not, ignored ones left out)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def test_no_reference_to_documents_outside_the_repository() -> None:
    found = []
    for path in repository_files():
        if path == Path(__file__).resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "details in METHODS.md §3",
        "the seed-002 table",
        "Seed 003: 40 customers",
        "SEED003_COUNTS = {}",
        "as the seed document says",
        "the seed stars 金融",
        "与种子文档相同",
        "see ../shared/seeds/",
    ],
)
def test_the_reference_check_catches(line: str) -> None:
    assert OUTSIDE.search(line)


@pytest.mark.parametrize(
    "line",
    ["seed: 0  # random seed", "samples=200, seed=3", "docs/methods.md §1", "seeded generator"],
)
def test_the_reference_check_lets_pass(line: str) -> None:
    assert not OUTSIDE.search(line)


def test_readme_states_the_default_engine_once_and_truly() -> None:
    statements = [
        s for s in re.split(r"(?<=[.)])\s+", " ".join(README.split())) if "default engine" in s
    ]
    assert len(statements) == 1, statements
    said = re.search(
        r"default engine is `(\w+)` on systems that can fork .*?, else .*?`(\w+)`", statements[0]
    )
    assert said, statements[0]
    forking, other = said.groups()
    assert report.DEFAULT_ENGINE == (forking if hasattr(os, "fork") else other)
    assert (forking, other) == ("kamfork", "nbclient")
    # every other mention of a default near an engine name points at that statement
    for mention in re.finditer(r"[^.]*\bdefault\b[^.]*\b(?:kamfork|nbclient)\b[^.]*", README):
        assert "default engine is" in mention[0], mention[0]
    cli = (ROOT / "kamlib" / "cli.py").read_text(encoding="utf-8")
    helps = re.findall(r'"--engine", help="([^"]+)"', cli)
    assert helps and set(helps) == {f"papermill engine (default: {forking} on POSIX, else {other})"}


def makefile_kernel() -> tuple[str, str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    said = re.search(r'ipykernel install .*--name (\S+) --display-name "([^"]+)"', makefile)
    assert said, "make setup installs no kernel"
    return said[1], said[2]


def test_notebooks_readme_and_make_setup_agree_on_the_kernel() -> None:
    name, display = makefile_kernel()
    assert (name, display) == ("kam", "Python (kam)")
    for path in NOTEBOOKS:
        spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert (spec["name"], spec["display_name"], spec["language"]) == (
            name,
            display,
            "python",
        ), path.name
    flat = " ".join(README.split())
    assert f"a Jupyter kernel named `{name}`" in flat
    assert f'name `{name}`, shown as "{display}"' in flat
    assert f"`{display}` kernel it declares" in flat


def installed_kernel() -> dict:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    name, _ = makefile_kernel()
    try:
        return KernelSpecManager().get_kernel_spec(name).to_dict()
    except NoSuchKernel:
        pytest.skip(f"the {name} kernel is not installed (make setup installs it)")


def test_kam_render_uses_the_declared_kernel_when_installed() -> None:
    installed_kernel()
    assert report._kernel_name() == makefile_kernel()[0]


def test_the_declared_kernel_runs_a_notebook_as_jupyterlab_would(tmp_path) -> None:
    """The kernel named in the notebook's metadata (as JupyterLab starts it, no name given)
    imports kamlib and runs the industry notebook on a copy of the demo's industries."""
    import papermill as pm

    spec = installed_kernel()
    assert spec["display_name"] == makefile_kernel()[1]
    engagement = tmp_path / "eng"
    engagement.mkdir()
    for name in ("engagement.yaml", "industries.csv", "criteria.csv"):
        shutil.copyfile(ROOT / "data" / "demo" / name, engagement / name)
    out = tmp_path / "out.ipynb"
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        pm.execute_notebook(
            str(ROOT / "notebooks" / "industry_selection.ipynb"),
            str(out),
            parameters={"engagement": str(engagement)},
            engine_name="nbclient",
            progress_bar=False,
            cwd=str(tmp_path),
        )
    executed = json.loads(out.read_text(encoding="utf-8"))
    assert executed["metadata"]["kernelspec"]["name"] == makefile_kernel()[0]
    assert executed["metadata"]["papermill"]["exception"] is None
    text = json.dumps(executed, ensure_ascii=False)
    assert "电信业" in text  # the demo's industries reached the kernel's output
    # the kernel is the Python that has kamlib, as JupyterLab starts it
    probe = subprocess.run(
        [*spec["argv"][:1], "-c", "import kamlib, sys; print(sys.prefix)"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert probe.returncode == 0, probe.stderr
    assert Path(probe.stdout.strip()).resolve() == Path(sys.prefix).resolve()
