"""The repository's automation: GitHub workflows, pre-commit hook, PR template, .editorconfig.

These files are not run here (no GitHub runner), so the tests check what can go wrong
silently: a workflow that is not valid YAML or never triggers, a `make` target that does
not exist, a system package that scripts/system_deps.py wants but CI never installs, a
pre-commit hook that does not run the checker, a PR checklist that lost an item.
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PR = WORKFLOWS / "pr.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
TEMPLATE = ROOT / ".github" / "pull_request_template.md"
PRECOMMIT = ROOT / ".pre-commit-config.yaml"
EDITORCONFIG = ROOT / ".editorconfig"
OWNED = [PR, DEPLOY, TEMPLATE, PRECOMMIT, EDITORCONFIG, Path(__file__).resolve()]

# Actions the workflows may use: checkout, Python, and finding/uploading/deploying the site.
ALLOWED_ACTIONS = {
    "actions/checkout",
    "actions/configure-pages",
    "actions/setup-python",
    "actions/upload-artifact",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
}


# --- helpers -------------------------------------------------------------------------


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level is not a mapping"
    return data


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    assert on is not None, "workflow has no 'on' triggers"
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_scripts(workflow: dict) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


def uses(workflow: dict) -> list[tuple[str, str, dict]]:
    """(action, ref, with) for every `uses:` step."""
    out = []
    for step in steps(workflow):
        if "uses" in step:
            action, _, ref = step["uses"].partition("@")
            out.append((action, ref, step.get("with") or {}))
    return out


def step_using(workflow: dict, action: str) -> dict:
    found = [w for a, _, w in uses(workflow) if a == action]
    assert found, f"no step uses {action}"
    return found[0]


def make_calls(script: str) -> list[str]:
    """The targets of every `make …` command in a shell script (options and VAR=value skipped)."""
    targets = []
    for line in script.splitlines():
        line = line.split("#", 1)[0]
        for command in re.split(r"&&|\|\||;|\|", line):
            words = shlex.split(command)
            while words and words[0] in {"sudo", "env", "time"}:
                words = words[1:]
            if words and words[0] == "make":
                targets += [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return targets


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets: set[str] = set()
    for line in text.splitlines():
        if line.startswith(("\t", "#")) or not line.strip():
            continue
        m = re.match(r"^([^:=#\s][^:=#]*?)\s*::?(?!=)(.*)$", line)
        if not m:
            continue
        names, rest = m.group(1), m.group(2)
        if names.strip() == ".PHONY":
            targets.update(rest.split())
            continue
        targets.update(n for n in names.split() if "$" not in n and not n.startswith("."))
    return targets


def workflow_make_calls(workflow: dict) -> list[str]:
    return [t for script in run_scripts(workflow) for t in make_calls(script)]


# --- the helpers themselves ----------------------------------------------------------


def test_make_call_parser():
    assert make_calls("make check") == ["check"]
    assert make_calls("sudo make -j2 system-deps && make test PYTHON=python3.11") == ["system-deps", "test"]
    assert make_calls("echo make-believe; cmake build") == []
    assert make_calls("make build  # and pdf") == ["build"]


def test_makefile_parser_sees_the_documented_targets():
    assert {"build", "serve", "check", "pdf", "test", "bench", "clean", "system-deps"} <= makefile_targets()
    assert "PY" not in makefile_targets() and "VENV" not in makefile_targets()


# --- workflows -----------------------------------------------------------------------


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_workflow_is_valid_yaml_with_jobs(path):
    workflow = load(path)
    assert workflow.get("name")
    assert workflow.get("jobs"), f"{path.name} has no jobs"
    for name, job in workflow["jobs"].items():
        assert "runs-on" in job, f"{path.name}: job {name} has no runs-on"
        assert job.get("steps"), f"{path.name}: job {name} has no steps"
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), f"{path.name}: step needs exactly one of run/uses: {step}"


def test_pr_workflow_runs_on_pull_requests():
    assert "pull_request" in triggers(load(PR))


def test_deploy_workflow_runs_on_push_to_main():
    on = triggers(load(DEPLOY))
    assert "push" in on
    assert on["push"]["branches"] == ["main"]
    assert "pull_request" not in on, "pull requests must never deploy"


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_every_make_target_called_exists(path):
    called = workflow_make_calls(load(path))
    assert called, f"{path.name} calls no make target"
    missing = sorted(set(called) - makefile_targets())
    assert not missing, f"{path.name} calls make targets the Makefile does not define: {missing}"


def test_pr_workflow_checks_tests_and_builds_in_order():
    called = workflow_make_calls(load(PR))
    for target in ("check", "test", "build"):
        assert target in called, f"pr.yml does not run make {target}"
    assert called.index("check") < called.index("test") < called.index("build")


def test_deploy_workflow_builds():
    assert "build" in workflow_make_calls(load(DEPLOY))


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_only_expected_actions(path):
    used = {action for action, _, _ in uses(load(path))}
    assert used <= ALLOWED_ACTIONS, f"unexpected actions: {sorted(used - ALLOWED_ACTIONS)}"
    for action, ref, _ in uses(load(path)):
        assert ref, f"{action} is not pinned to a version"


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_full_history_and_python_311(path):
    workflow = load(path)
    # git history feeds "last updated", translation status, the changelog and SOURCE_DATE_EPOCH
    assert step_using(workflow, "actions/checkout").get("fetch-depth") == 0
    assert str(step_using(workflow, "actions/setup-python").get("python-version")) == "3.11"


def _system_deps():
    spec = importlib.util.spec_from_file_location("_system_deps", ROOT / "scripts" / "system_deps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def jobs_running_make(workflow: dict) -> list[tuple[str, dict]]:
    return [(name, job) for name, job in workflow["jobs"].items()
            if any(make_calls(step.get("run", "")) for step in job.get("steps", []))]


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_system_packages_come_from_the_one_install_list_before_make(path):
    """Every job that runs make first runs scripts/system_deps.py as root (the runner user is not root, so
    `make` would only print the command), with --tests where it runs the tests; no job keeps a package list
    of its own that could drift from the script."""
    for name, job in jobs_running_make(load(path)):
        scripts = [step.get("run", "") for step in job["steps"]]
        install = [i for i, s in enumerate(scripts) if "sudo python3 scripts/system_deps.py" in s]
        assert install, f"{path.name}: job {name} does not run scripts/system_deps.py as root"
        first_make = next(i for i, s in enumerate(scripts) if make_calls(s))
        assert install[0] < first_make, f"{path.name}: job {name} runs make before installing system packages"
        runs_tests = any(t in ("test", "test-quick", "test-browser") for s in scripts for t in make_calls(s))
        assert ("--tests" in scripts[install[0]]) == runs_tests, f"{path.name}: job {name}"
        assert not any("apt-get install" in s for s in scripts), f"{path.name}: job {name} installs packages itself"
        if runs_tests:
            assert any("/usr/bin/chromium" in s for s in scripts[: install[0] + 1]), "no provision for /usr/bin/chromium"


def test_pr_workflow_uploads_a_preview_that_opens_from_disk_even_when_tests_fail():
    workflow = load(PR)
    preview = [job for _, job in jobs_running_make(workflow)
               if any("site-offline" in str(s.get("with", {}).get("path", "")) for s in job["steps"])]
    assert len(preview) == 1, "one job uploads the offline copy (make build makes it)"
    job = preview[0]
    assert "needs" not in job, "the preview must not wait for (or depend on) the tests"
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and str(uploads[0]["with"]["path"]).rstrip("/") == "site-offline"
    assert uploads[0].get("if") == "always()"
    order = [s.get("uses", s.get("run", "")) for s in job["steps"]]
    build_at = next(i for i, s in enumerate(order) if "build" in make_calls(s))
    assert build_at < order.index(uploads[0]["uses"])


def test_pr_workflow_uploads_the_test_screenshots_even_when_tests_fail():
    workflow = load(PR)
    for _, job in jobs_running_make(workflow):
        if any("test" in make_calls(s.get("run", "")) for s in job["steps"]):
            uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
            assert any(str(u["with"]["path"]).rstrip("/") == "test-artifacts" and u.get("if") == "always()"
                       for u in uploads)
            return
    pytest.fail("no job runs make test")


# --- hardening -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commit_shas_with_their_version_in_a_comment(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$", line), line


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_permissions_are_per_job_and_least(path):
    workflow = load(path)
    assert workflow.get("permissions") == {}, f"{path.name}: no permissions at the top level"
    for name, job in workflow["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict) and perms, f"{path.name}: job {name} says nothing of its permissions"
        deploys = any(s.get("uses", "").startswith("actions/deploy-pages@") for s in job["steps"])
        for scope, level in perms.items():
            if level == "write":
                assert deploys and scope in ("pages", "id-token"), f"{path.name}: job {name} may write {scope}"


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path):
    workflow = load(path)
    for _, job in workflow["jobs"].items():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"].get("persist-credentials") is False


def test_deploy_workflow_publishes_to_pages():
    workflow = load(DEPLOY)
    perms = workflow.get("permissions", {})
    for job in workflow["jobs"].values():
        perms = {**perms, **(job.get("permissions") or {})}
    assert perms.get("pages") == "write"
    assert perms.get("id-token") == "write"
    assert workflow.get("concurrency", {}).get("group"), "deployments need a concurrency group"

    assert str(step_using(workflow, "actions/upload-pages-artifact")["path"]).rstrip("/") == "site"
    deploy_jobs = [job for job in workflow["jobs"].values()
                   if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in job["steps"])]
    assert len(deploy_jobs) == 1
    env = deploy_jobs[0].get("environment")
    assert (env.get("name") if isinstance(env, dict) else env) == "github-pages"
    # the deploy job runs after the job that uploaded the artifact
    assert deploy_jobs[0].get("needs")


# --- pre-commit ----------------------------------------------------------------------


def test_pre_commit_hook_runs_the_checker():
    config = load(PRECOMMIT)
    local = [repo for repo in config["repos"] if repo["repo"] == "local"]
    assert local
    hooks = [hook for repo in local for hook in repo["hooks"]]
    checker = [hook for hook in hooks if "-m generator check" in hook["entry"]]
    assert len(checker) == 1, "one local hook must run `python -m generator check`"
    hook = checker[0]
    assert hook["id"] and hook["name"]
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False, "the checker checks the whole project, not single files"
    # the interpreter is the project's own environment, the one the Makefile creates
    exe = hook["entry"].split()[0]
    venv = re.search(r"^VENV\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert exe == f"{venv}/bin/python"
    files = re.compile(hook["files"])
    for path in ("content/ici-hcc/03-ici-monotherapy.md", "content/trials/imbrave150.yml", "refs.bib"):
        assert files.search(path), path
    for path in ("generator/cli.py", "tests/fixtures/bib/case.bib", "refs.bib.orig", "README.md"):
        assert not files.search(path), path


# --- pull request template -----------------------------------------------------------

CHECKLIST = [
    # (English marker, Chinese marker) that must stand on one checklist line
    ("Both languages", "中英文均已更新"),
    ("[@key]", "[@key]"),
    ("`make check`", "`make check`"),
    ("translation: pending", "翻译"),
    ("`make serve`", "`make serve`"),
]


def test_pr_template_has_the_bilingual_checklist():
    lines = [line for line in TEMPLATE.read_text(encoding="utf-8").splitlines() if line.startswith("- [ ] ")]
    assert len(lines) >= len(CHECKLIST)
    for english, chinese in CHECKLIST:
        assert any(english in line and chinese in line for line in lines), f"no checklist item for {english!r}"
    for line in lines:
        assert re.search(r"[A-Za-z]{3}", line) and re.search(r"[\u4e00-\u9fff]", line), \
            f"checklist item not in both languages: {line}"


# --- .editorconfig -------------------------------------------------------------------


def editorconfig() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string("[__preamble__]\n" + EDITORCONFIG.read_text(encoding="utf-8"))
    return parser


def test_editorconfig():
    ec = editorconfig()
    assert ec["__preamble__"]["root"] == "true"
    base = ec["*"]
    assert base["charset"] == "utf-8"
    assert base["end_of_line"] == "lf"
    assert base["insert_final_newline"] == "true"
    assert base["trim_trailing_whitespace"] == "true"
    assert ec["*.py"]["indent_size"] == "4"
    assert ec["*.{yml,yaml}"]["indent_size"] == "2"
    assert ec["Makefile"]["indent_style"] == "tab"


def test_makefile_recipes_use_tabs():
    for number, line in enumerate((ROOT / "Makefile").read_text(encoding="utf-8").splitlines(), 1):
        assert not re.match(r"^ {2,}\S", line), f"Makefile:{number}: recipe indented with spaces"


@pytest.mark.parametrize("path", OWNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_owned_files_follow_editorconfig(path):
    data = path.read_bytes()
    data.decode("utf-8")
    assert b"\r" not in data, "CRLF line ending"
    assert data.endswith(b"\n"), "no final newline"
    for number, line in enumerate(data.split(b"\n"), 1):
        assert line == line.rstrip(b" \t"), f"{path.name}:{number}: trailing whitespace"
    if path.suffix in {".yml", ".yaml"}:
        assert b"\t" not in data, "tab in YAML"


def test_deploy_workflow_gives_the_build_the_published_addresses():
    """mkdocs.yml takes site_url and repo_url from HCC_SITE_URL and HCC_REPO_URL: the deploy build sets them
    from GitHub's (configure-pages gives the Pages address without its final slash)."""
    steps = [s for job in load(DEPLOY)["jobs"].values() for s in job.get("steps", [])]
    build = next(s for s in steps if "make build" in s.get("run", ""))
    env = build.get("env") or {}
    assert env.get("HCC_SITE_URL", "").endswith("base_url }}/")
    assert "github.repository" in env.get("HCC_REPO_URL", "")
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!ENV [HCC_SITE_URL" in mkdocs_yml and "!ENV [HCC_REPO_URL" in mkdocs_yml
