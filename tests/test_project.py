"""The project's own files: the demo generator, environment.yml, the notebooks, the Makefile."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import papermill
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_demo_data_is_what_the_generator_writes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "data" / "make_demo.py"), str(tmp_path)], check=True)
    committed = sorted(p.name for p in (ROOT / "data" / "demo").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "demo" / name).read_bytes(), name


def test_environment_yml_in_step_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = [d for d in env["dependencies"] if isinstance(d, str)]
    listed += next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_names = {"duckdb": "python-duckdb"}  # conda-forge's name for the same package
    for requirement in wanted:
        name = requirement.split(">")[0].split("=")[0]
        renamed = requirement.replace(name, conda_names.get(name, name), 1)
        assert requirement in listed or renamed in listed, requirement


def test_notebooks_are_clean_parameterised_course_material():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [p.name for p in notebooks] == [
        "account_plan.ipynb",
        "competitor_analysis.ipynb",
        "customer_segmentation.ipynb",
        "industry_selection.ipynb",
    ]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code)
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1
        for cell in code:
            tree = ast.parse(cell.source)
            assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in ast.walk(tree))
            imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
            assert all(
                (getattr(n, "module", None) or "kamlib").split(".")[0] == "kamlib" for n in imports
            )
            assert not any(isinstance(n, ast.For | ast.While) for n in ast.walk(tree))
            assert all(
                a.name.split(".")[0] == "kamlib"
                for n in imports
                for a in n.names
                if isinstance(n, ast.Import)
            )
        md = [c for c in nb.cells if c.cell_type == "markdown"]
        tags = [set(c.metadata.get("tags", [])) & {"zh", "en", "course"} for c in md]
        assert all(len(t) == 1 for t in tags)
        assert sum("zh" in t for t in tags) == sum("en" in t for t in tags)
        params = papermill.inspect_notebook(str(path))
        assert params["engagement"]["inferred_type_name"] == "str"
        assert params["engagement"]["help"].startswith("engagement folder")
    plan = papermill.inspect_notebook(str(ROOT / "notebooks" / "account_plan.ipynb"))
    assert (plan["customer_id"]["inferred_type_name"], plan["customer_id"]["help"]) == (
        "str",
        "the account to plan",
    )


def test_makefile_targets_have_help_and_readme_opens_with_the_two_commands():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z-]+):", makefile, flags=re.M)
    documented = re.findall(r"^([a-z-]+):.*## ", makefile, flags=re.M)
    assert set(targets) == set(documented) and {"report", "test", "lab", "setup"} <= set(targets)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.S)
    assert blocks[0].strip().splitlines() == ["make report", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_a_regular_install_renders_the_demo_from_another_folder(tmp_path):
    """``pip install .`` (not editable) carries the notebooks and templates: the installed package
    renders the demo with another working directory, into ./reports/ there."""
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    assert (site / "kamlib" / "notebooks" / "industry_selection.ipynb").is_file()
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import kamlib; print(kamlib.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    done = subprocess.run(
        [sys.executable, "-m", "kamlib.cli", "render", str(ROOT / "data" / "demo")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    report = work / "reports" / "demo"
    assert sorted(p.name for p in report.glob("*.html")) == [
        "competitor_analysis.html",
        "customer_segmentation.html",
        "index.html",
        "industry_selection.html",
    ]
    assert not list(site.rglob("reports"))  # nothing written into the installed package


def test_readme_documents_every_limit_with_its_default():
    from kamlib.core.io import LIMITS, fmt_count

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for limit in LIMITS:
        assert f"| `{limit.variable}` | {fmt_count(limit.default).replace(',', '')} |" in readme
