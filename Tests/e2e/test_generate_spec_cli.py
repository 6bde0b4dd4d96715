"""`scaffold ROUTES --generate-spec --output FILE` end to end with the release binary.

Routes folders of Express, Fastify and Koa code become OpenAPI 3.1 documents; a project scaffold
generated reads back to the operations it came from; bad outputs exit 2 with a clear message.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
ROUTES = ROOT / "Tests/ScaffoldTests/Fixtures/routes"
OUTPUT_SCHEMA = json.loads((ROOT / "schemas/scaffold.output.json").read_text())


def run(*arguments: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "scaffold", *arguments], capture_output=True, timeout=60, cwd=cwd)


def generate(folder: pathlib.Path | str, output: pathlib.Path | str, *extra: str,
             cwd: pathlib.Path | None = None) -> dict:
    done = run(str(folder), "--generate-spec", "--output", str(output), "--json", *extra, cwd=cwd)
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    jsonschema.validate(result, OUTPUT_SCHEMA)
    assert result["source"] == "generate_spec"
    return result


def test_express_folder_becomes_a_yaml_spec_with_every_route(tmp_path):
    # The documented spelling: a relative routes folder and a relative output file.
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    for source in (ROUTES / "express").rglob("*"):
        if source.is_file():
            target = project / "src" / source.relative_to(ROUTES / "express")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    result = generate("src", "x.yaml", cwd=project)
    spec = yaml.safe_load((project / "x.yaml").read_text())
    assert spec["openapi"] == "3.1.0"
    found = sorted(f"{entry['method']} {entry['path']}" for entry in result["operations"])
    assert len(found) == 27
    documented = sorted(f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item)
    assert documented == found
    assert spec["paths"]["/books/{bookId}"]["get"]["parameters"][0]["schema"] == {"type": "integer"}
    assert spec["paths"]["/users/{id}/profile"]["patch"]["operationId"] == "updateProfile"
    assert any(warning.startswith("app.js:50: ALL /everything") for warning in result["warnings"])
    assert result["files"] == [{"path": "x.yaml", "action": "created", "generated": False}]


def test_fastify_and_koa_folders_become_json_specs(tmp_path):
    fastify = generate(ROUTES / "fastify", tmp_path / "fastify.json")
    assert fastify["framework"] == "fastify"
    spec = json.loads((tmp_path / "fastify.json").read_text())
    assert spec["paths"]["/items"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"] == ["name"]
    koa = generate(ROUTES / "koa", tmp_path / "koa.json")
    assert sorted(entry["path"] for entry in koa["operations"]) == [
        "/api", "/api/articles", "/api/articles", "/api/articles/{slug}", "/api/articles/{slug}", "/api/status"]


def test_a_scaffolded_project_reads_back_to_its_spec(tmp_path):
    spec = ROOT / "Tests/ScaffoldTests/Fixtures/petstore-expanded.yaml"
    project = tmp_path / "petstore"
    done = subprocess.run([BIN, "scaffold", str(spec), "--output", str(project), "--json"], capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    scaffolded = json.loads(done.stdout)
    result = generate(project / "src", tmp_path / "again.yaml")
    assert result["warnings"] == []
    assert [(entry["method"], entry["path"], entry["operation_id"]) for entry in result["operations"]] == [
        (entry["method"], entry["path"], entry["operation_id"]) for entry in scaffolded["operations"]]
    again = yaml.safe_load((tmp_path / "again.yaml").read_text())
    original = yaml.safe_load(spec.read_text())
    assert sorted(again["components"]["schemas"]) == sorted(original["components"]["schemas"])
    assert again["servers"] == [{"url": "/v2"}]


def test_dry_run_writes_nothing_and_bad_outputs_exit_2(tmp_path):
    result = generate(ROUTES / "koa", tmp_path / "dry.yaml", "--dry-run")
    assert result["status"] == "dry_run"
    assert not (tmp_path / "dry.yaml").exists()
    for output, message in [(tmp_path / "spec.txt", ".yaml, .yml"), ("../outside.yaml", "'..'")]:
        done = run(str(ROUTES / "koa"), "--generate-spec", "--output", str(output))
        assert done.returncode == 2, done
        assert message in (done.stdout + done.stderr).decode()
    done = run(str(tmp_path / "missing"), "--generate-spec", "--output", str(tmp_path / "x.yaml"))
    assert done.returncode != 0
    assert "does not exist" in (done.stdout + done.stderr).decode()
