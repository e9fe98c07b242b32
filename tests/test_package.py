"""The package's shape: the `govsite` command line, the declared stage order, the layers, `govsite init`."""

from __future__ import annotations

import ast
import inspect
import random
import tomllib
from pathlib import Path

import pytest

import tasks
from govsite import cli, extras, stages
from govsite.init_group import init_group
from govsite.registry import load_group

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "govsite"


def run_cli(capsys, *argv) -> tuple[int, str]:
    """`govsite ARGV` in this process: (exit code, stdout + stderr)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse's usage errors and --help
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


# --- the command line --------------------------------------------------------------------------


def test_help_lists_every_job_the_issue_names(capsys):
    code, text = run_cli(capsys, "--help")
    assert code == 0
    for command in ("init", "validate", "build", "serve", "check", "check-links", "lifecycle", "migrate",
                    "archive", "verify-archive", "verify-deploy", "replay", "annual-report", "manifest-keygen"):
        assert f"    {command} " in text, command


@pytest.mark.parametrize("command", sorted(cli.OPTIONS))
def test_every_subcommand_has_help_for_every_option(capsys, command):
    code, text = run_cli(capsys, command, "--help")
    text = " ".join(text.split())  # argparse wraps lines
    assert code == 0 and cli.SUMMARIES[command] in text
    for flags, kwargs in cli.OPTIONS[command]:
        assert kwargs["help"] and flags[-1].lstrip("-") in text


@pytest.mark.parametrize("argv, named", [
    (("build", "--today", "2026-13-01"), "--today '2026-13-01': expected a day YYYY-MM-DD"),
    (("build", "--workers", "0"), "--workers '0': expected a whole number of at least 1"),
    (("build", "--shard", "3/2"), "--shard"),
    (("serve", "--port", "70000"), "--port '70000': expected a port number from 1 to 65535"),
    (("annual-report", "portal", "26"), "'26': expected a four-digit year"),
    (("inspect", "--quarter", "2026Q5"), "--quarter '2026Q5': expected a quarter YYYYQN"),
    (("manifest-keygen", "--algorithm", "rsa"), "invalid choice: 'rsa'"),
    (("nonsense",), "invalid choice: 'nonsense'"),
])
def test_bad_usage_exits_2_naming_the_option(capsys, argv, named):
    code, text = run_cli(capsys, *argv)
    assert code == 2 and named in text and "Traceback" not in text


def test_check_without_a_built_site_is_a_usage_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, text = run_cli(capsys, "check")
    assert code == 2 and "govsite check" in text and "no built site in output/" in text


def test_validate_an_invalid_group_exits_1_naming_the_file(capsys, tmp_path):
    (tmp_path / "city").mkdir()
    (tmp_path / "city" / "site.toml").write_text('kind = "portal"\n', "utf-8")
    code, text = run_cli(capsys, "validate", "--content", str(tmp_path))
    assert code == 1 and "city/site.toml" in text and "Traceback" not in text


def test_invoke_tasks_take_their_help_from_the_command_line():
    """One implementation: every task with a `govsite` twin documents each parameter with its words."""
    for command in cli.OPTIONS:
        body = getattr(tasks, command.replace("-", "_")).body
        parameters = list(inspect.signature(body).parameters)[1:]
        assert set(cli.help_of(command)) == set(parameters), command


def test_a_missing_extra_names_its_pip_install(capsys, monkeypatch):
    monkeypatch.setitem(extras.EXTRAS, "replay", ("govsite_no_such_module",))
    code, text = run_cli(capsys, "replay", "archives")
    assert code == 2
    assert "pip install 'govsite[replay]'" in text and "govsite_no_such_module" in text


def test_extras_in_pyproject_provide_what_the_commands_require():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = project["optional-dependencies"]
    assert set(extras.EXTRAS) <= set(declared)
    assert project["scripts"]["govsite"] == "govsite.cli:main"
    core = " ".join(project["dependencies"]).lower()
    for extra, modules in extras.EXTRAS.items():
        assert not missing_in(core, modules), f"{extra}'s modules must not be core dependencies"


def missing_in(requirements: str, modules) -> list[str]:
    return [m for m in modules if m.replace("_", "-").lower() in requirements]


# --- stages ------------------------------------------------------------------------------------


def test_every_plugin_module_is_a_declared_stage_and_has_a_namespace_plugin():
    modules = {p.stem for p in (PACKAGE / "plugins").glob("*.py") if p.stem != "__init__"}
    assert modules == set(stages.STAGES)
    shims = {p.name for p in (ROOT / "pelican" / "plugins").iterdir() if (p / "__init__.py").is_file()}
    assert shims == {f"govsite_{stage}" for stage in stages.STAGES} | {"govsite"}


def test_receivers_run_in_the_declared_order_whatever_the_registration_order():
    from importlib import import_module

    names = list(stages.STAGES)
    random.Random(7).shuffle(names)
    for name in names:
        import_module(f"govsite.plugins.{name}").register()
    for signal in ("initialized", "article_generator_pretaxonomy", "article_generator_finalized", "finalized"):
        order = [stage for stage, _ in stages.receivers_of(signal)]
        assert order == sorted(order, key=stages.STAGES.index), signal
    finalized = [stage for stage, _ in stages.receivers_of("finalized")]
    assert finalized.index("lifecycle") < finalized.index("links") < finalized.index("compliance") \
        < finalized.index("search") < finalized.index("a11y_gate")


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stage 'gallery'"):
        stages.connect("gallery", {"finalized": print})


# --- layers ------------------------------------------------------------------------------------

#: Front-ends: the command lines, the build driver, the settings file. Nothing below imports them.
DRIVERS = {"govsite.build", "govsite.console", "govsite.cli", "govsite.__main__", "govsite.init_group",
           "govsite.serve", "govsite.lifecycle_cli", "govsite.annual_report_cli", "govsite.inspection_cli",
           "govsite.defaults",
           "govsite.checks.cli", "govsite.checks.links_cli", "govsite.checks.__main__", "govsite.archive.console",
           "govsite.migrate.console", "govsite.group_template.pelicanconf"}
SUBSYSTEMS = ("govsite.checks", "govsite.compliance", "govsite.archive", "govsite.migrate", "govsite.annual_report",
              "govsite.interaction", "govsite.inspection", "govsite.supervision_report")


def layer(module: str) -> int:
    """0 the site model, 1 the subsystems on it, 2 the Pelican plugins and their stages, 3 the drivers."""
    if module in DRIVERS:
        return 3
    if module.startswith("govsite.plugins") or module == "govsite.stages":
        return 2
    if module.startswith(SUBSYSTEMS):
        return 1
    return 0


def govsite_imports(path: Path, module: str) -> set[str]:
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            candidates = [name] + [f"{name}.{alias.name}" for alias in node.names]
            found.update(c for c in candidates if c.startswith("govsite") and module_exists(c))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("govsite"))
    return found


def module_exists(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_the_site_model_is_below_the_drivers_that_use_it():
    """A module imports only from its own layer or below (docs/architecture.md draws the layers)."""
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for imported in govsite_imports(path, module):
            if layer(imported) > layer(module):
                upward.append(f"{module} (layer {layer(module)}) imports {imported} (layer {layer(imported)})")
    assert not upward, "\n".join(upward)


# --- govsite init ------------------------------------------------------------------------------


def test_init_writes_a_valid_group_with_todo_marked_values(tmp_path):
    folder = init_group(tmp_path / "g", "city", "jyj")
    group = load_group(folder / "content")
    assert sorted(group.sites) == ["city", "jyj"]
    assert group.sites["jyj"].parent == "city" and group.sites["jyj"].domain.endswith(group.sites["city"].domain[4:])
    for site in ("city", "jyj"):
        toml = (folder / "content" / site / "site.toml").read_text("utf-8")
        for key in ("name", "domain", "site_code", "icp", "police_filing"):
            line = next(line for line in toml.splitlines() if line.startswith(f"{key} "))
            assert "# TODO" in line, line
    for name in (".gitignore", ".github/workflows/govsite.yml", ".gitlab-ci.yml", "pelicanconf.py",
                 "content/_records/README.md"):
        assert (folder / name).is_file(), name
    assert "{{" not in "".join(p.read_text("utf-8") for p in folder.rglob("*") if p.is_file())
    assert "/output/" in (folder / ".gitignore").read_text("utf-8")


def test_init_ci_templates_are_valid_yaml_that_build_with_the_gate(tmp_path):
    yaml = pytest.importorskip("yaml")
    folder = init_group(tmp_path / "g")
    github = yaml.safe_load((folder / ".github/workflows/govsite.yml").read_text("utf-8"))
    gitlab = yaml.safe_load((folder / ".gitlab-ci.yml").read_text("utf-8"))
    steps = " ".join(step.get("run", "") for step in github["jobs"]["build"]["steps"])
    assert "chromium-driver" in steps and "govsite build" in steps
    assert "govsite build" in " ".join(gitlab["govsite-build"]["script"])


@pytest.mark.parametrize("args, named", [
    (("g", "Portal", "dept"), "--portal 'Portal': expected a site id"),
    (("g", "city", "_x"), "--department '_x'"),
    (("g", "same", "same"), "both 'same'"),
])
def test_init_refuses_bad_ids(tmp_path, capsys, args, named):
    code, text = run_cli(capsys, "init", str(tmp_path / args[0]), "--portal", args[1], "--department", args[2])
    assert code == 2 and named in text
    assert not (tmp_path / "g").exists()


def test_init_never_overwrites(tmp_path, capsys):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", "utf-8")
    code, text = run_cli(capsys, "init", str(folder))
    assert code == 2 and "never overwrites" in text
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_validate_checks_the_data_files_as_the_build_does(capsys, group):
    assert run_cli(capsys, "validate", "--content", str(group.root))[0] == 0
    group.write("city/letters/2026-11.toml", '[[letter]]\nid = "CH-1"\nsubjct = "x"\n')
    group.write("dept/guides/bad.toml", 'name = "<b>x</b>"\n')
    group.write("city/surveys/s.toml", 'title = 3\n')
    code, text = run_cli(capsys, "validate", "--content", str(group.root))
    assert code == 1 and "Traceback" not in text, text
    for named in ("letters/2026-11.toml", "letter[0].subjct", "guides/bad.toml", "basis", "surveys/s.toml", "title"):
        assert named in text, (named, text)
