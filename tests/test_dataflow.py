"""Dataflow, offline: the graph translates into the job Dataflow would receive; the Flex
Template's parameters, the container's requirements and its base image cannot drift
from ``kiyome run``'s options and pyproject.toml."""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from kiyome.pipeline.cli import build_parser
from kiyome.pipeline.dataflow_job import describe_job
from kiyome.pipeline.graph import RunConfig
from kiyome.policies.policy import load_policy

ROOT = Path(__file__).resolve().parent.parent
DATAFLOW = ROOT / "dataflow"
IMAGE = "asia-northeast1-docker.pkg.dev/acme-corpus/kiyome/kiyome-worker:0123abcd"
SUBNETWORK = "regions/asia-northeast1/subnetworks/kiyome-private"
ACCOUNT = "kiyome-worker@acme-corpus.iam.gserviceaccount.com"
KMS_KEY = "projects/acme-corpus/locations/asia-northeast1/keyRings/kiyome/cryptoKeys/temp"
FLAGS = [
    "--project=acme-corpus", "--region=asia-northeast1",
    "--temp_location=gs://acme-corpus-tmp/kiyome", f"--sdk_container_image={IMAGE}",
    "--sdk_location=container", "--no_use_public_ips", f"--subnetwork={SUBNETWORK}",
    f"--service_account_email={ACCOUNT}", f"--dataflow_kms_key={KMS_KEY}",
    "--machine_type=n2-highmem-4", "--max_num_workers=20",
]
STAGES = ("InputFiles", "Ingest", "Normalize", "LanguageId", "Boilerplate", "Quality",
          "ExactDedup", "NearDedup",
          "MaskPii", "WriteAudit", "WriteShards", "WrittenIds", "WriteSignatures",
          "AllRejected", "WriteRejected")


def _module(name: str):
    """A script of dataflow/ (not a package: the images copy it on its own)."""
    spec = importlib.util.spec_from_file_location(f"dataflow_{name}", DATAFLOW / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _config(**changes) -> RunConfig:
    return RunConfig(input_paths=("gs://acme-corpus-in/docs/memo.txt",),
                     output_dir="gs://acme-corpus-out/2026-12", policy=load_policy("strict"),
                     num_shards=8, **changes)


@pytest.fixture(scope="module")
def job():
    return describe_job(_config(), FLAGS)


def test_job_has_every_stage_in_graph_order(job):
    assert job.steps == STAGES
    assert job.job["type"] == "JOB_TYPE_BATCH"
    assert job.environment["version"]["job_type"] == "FNAPI_BATCH"


def test_skipped_stages_are_not_in_the_job():
    steps = describe_job(_config(skip=frozenset({"langid", "dedup"})), FLAGS).steps
    assert steps == ("InputFiles", "Ingest", "Normalize", "Boilerplate", "Quality", "MaskPii",
                     "WriteAudit",
                     "WriteShards", "AllRejected", "WriteRejected")


def test_workers_run_the_kiyome_image_in_the_private_subnetwork(job):
    (pool,) = job.environment["workerPools"]
    assert pool["workerHarnessContainerImage"] == IMAGE
    assert [image["containerImage"] for image in pool["sdkHarnessContainerImages"]] == [IMAGE]
    assert pool["ipConfiguration"] == "WORKER_IP_PRIVATE"
    assert pool["subnetwork"] == SUBNETWORK
    assert pool["machineType"] == "n2-highmem-4"
    assert pool["autoscalingSettings"]["maxNumWorkers"] == 20
    assert not pool.get("packages")  # nothing staged for workers to install


def test_job_runs_as_the_dedicated_account_with_the_customer_key(job):
    assert job.environment["serviceAccountEmail"] == ACCOUNT
    assert job.environment["serviceKmsKeyName"] == KMS_KEY
    assert job.environment["tempStoragePrefix"].startswith(
        "storage.googleapis.com/acme-corpus-tmp/kiyome/")


def test_pipeline_options_reach_the_workers(job):
    options = job.options
    assert options["sdk_container_image"] == IMAGE
    assert options["sdk_location"] == "container"
    assert options["use_public_ips"] is False
    assert options["subnetwork"] == SUBNETWORK
    assert options["service_account_email"] == ACCOUNT
    assert options["dataflow_kms_key"] == KMS_KEY
    assert options["project"] == "acme-corpus"
    assert options["region"] == "asia-northeast1"
    assert options["temp_location"].startswith("gs://acme-corpus-tmp/kiyome/")
    assert options["pipelineUrl"].endswith("/pipeline.pb")


def test_the_policy_travels_inside_the_job(job):
    policy = load_policy("strict")
    worker_policy = job.do_fn("MaskPii/DetectAndMask/ParDo(_MaskDoFn)")._policy
    assert worker_policy.content_hash == policy.content_hash
    assert worker_policy.name == policy.name


def _run_actions() -> dict[str, argparse.Action]:
    commands = next(action for action in build_parser()._actions
                    if isinstance(action, argparse._SubParsersAction))
    return {action.dest: action for action in commands.choices["run"]._actions
            if action.option_strings and action.dest != "help"}


def _parameters() -> dict[str, dict]:
    metadata = json.loads((DATAFLOW / "metadata.json").read_text(encoding="utf-8"))
    return {parameter["name"]: parameter for parameter in metadata["parameters"]}


def test_template_parameters_are_exactly_the_run_options():
    parameters, actions = _parameters(), _run_actions()
    assert sorted(parameters) == sorted(actions)
    for name, parameter in parameters.items():
        assert parameter["isOptional"] is not actions[name].required, name
        assert parameter["label"] and len(parameter["helpText"]) > 20, name
        assert parameter["regexes"], name


def _as_parameter(value) -> str | None:
    """An argparse default as the template parameter would spell it (None: no value)."""
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, frozenset):
        return ",".join(sorted(value))
    return str(value)


def test_parameter_regexes_accept_defaults_and_choices_and_refuse_garbage():
    parameters, actions = _parameters(), _run_actions()
    for name, action in actions.items():
        (pattern,) = parameters[name]["regexes"]
        accepted = [_as_parameter(action.default), *(action.choices or ())]
        for value in filter(None, accepted):
            assert re.fullmatch(pattern, value), (name, value)
        assert not re.fullmatch(pattern, "1; rm -rf /"), name
    assert re.fullmatch(parameters["input"]["regexes"][0], "gs://b/a/**.jsonl,gs://b/c")
    assert not re.fullmatch(parameters["input"]["regexes"][0], "/home/me/corpus")
    assert not re.fullmatch(parameters["near_dup_threshold"]["regexes"][0], "0")
    assert not re.fullmatch(parameters["near_dup_threshold"]["regexes"][0], "1.5")
    shipped = [path.stem for path in (ROOT / "policies").glob("*.yaml")]
    assert shipped and all(re.fullmatch(parameters["policy"]["regexes"][0], name)
                           for name in [*shipped, "gs://b/policies/company.yaml"])


def test_launcher_turns_template_parameters_into_the_run_command():
    main = _module("main")
    values = {"input": "gs://b/a,gs://b/c", "output": "gs://b/out", "policy": "strict",
              "languages": "ja,en", "skip": "langid", "num_shards": "4",
              "shard_size_mb": "256", "row_group_mb": "64", "partition_by": "lang",
              "validation_fraction": "0.05", "near_dup_threshold": "0.9",
              "near_dup_keep": "newest", "dedup_against": "gs://b/old1,gs://b/old2",
              "text_column": "body", "id_column": "doc_id", "max_file_mb": "100",
              "max_chars": "1000", "split_mb": "32", "overwrite": "true", "quiet": "false",
              "log_format": "json", "min_ja_ratio": "0.5", "quality_profile": "web",
              "config": "kiyome.yaml", "strict": "true", "num_perm": "64", "ngram": "4",
              "bands": "8", "rows": "8", "cc_rounds": "10", "max_bucket": "500"}
    assert sorted(values) == sorted(_parameters())
    argv = [f"--{name}={value}" for name, value in values.items()] + ["--project=p"]
    args, rest = build_parser().parse_known_args(main.to_cli(argv, worker_image=IMAGE))
    assert args.input == ["gs://b/a", "gs://b/c"]
    assert args.dedup_against == ["gs://b/old1", "gs://b/old2"]
    assert args.skip == ["langid"] and args.overwrite is True
    assert args.log_format == "json" and args.quiet is False and args.strict is True
    assert (args.min_ja_ratio, args.quality_profile) == (0.5, "web")
    assert args.languages == frozenset({"ja", "en"})
    assert (args.num_shards, args.near_dup_threshold, args.near_dup_keep) == (4, 0.9, "newest")
    assert (args.text_column, args.id_column, args.partition_by) == ("body", "doc_id", "lang")
    assert (args.num_perm, args.ngram, args.bands, args.rows) == (64, 4, 8, 8)
    assert (args.cc_rounds, args.max_bucket) == (10, 500)
    assert rest == ["--project=p", "--runner=DataflowRunner",
                    f"--sdk_container_image={IMAGE}", "--sdk_location=container"]
    switched_off = main.to_cli(["--overwrite=false", "--runner=DirectRunner"])
    assert switched_off == ["run", "--runner=DirectRunner"]


def test_container_requirements_are_pyprojects_pins():
    requirements = _module("requirements")
    text = (DATAFLOW / "requirements.txt").read_text(encoding="utf-8")
    assert text == requirements.render(), "run: make dataflow-requirements"
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert any(line.startswith("apache-beam[gcp]==") for line in lines)  # GCS + Dataflow
    assert not any(line.startswith("apache-beam==") for line in lines)


def test_worker_image_is_the_sdk_image_of_the_pinned_beam_and_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    beam = next(line.split("==")[1] for line in project["dependencies"]
                if line.startswith("apache-beam=="))
    python = re.search(r">=(\d+\.\d+)", project["requires-python"]).group(1)
    dockerfile = (DATAFLOW / "Dockerfile").read_text(encoding="utf-8")
    (base,) = re.findall(r"^FROM (\S+)", dockerfile, flags=re.M)
    assert base == f"apache/beam_python{python}_sdk:{beam}"
    launcher = (DATAFLOW / "launcher.Dockerfile").read_text(encoding="utf-8")
    assert f"python{python.replace('.', '')}-template-launcher-base" in launcher
    for name in ("kiyome", "pipeline", "transforms", "policies", "schemas"):
        assert f"COPY {name}/ {name}/" in dockerfile and f"COPY {name}/ {name}/" in launcher


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def test_make_refuses_to_build_without_a_project():
    for target in ("dataflow-image", "dataflow-launcher", "dataflow-template"):
        completed = _make(target, "PROJECT=")
        assert completed.returncode != 0, target
        assert "set PROJECT=" in completed.stderr, target
        assert "docker" not in completed.stdout, target


def test_make_template_builds_both_images_and_the_spec():
    completed = _make("-n", "dataflow-template", "PROJECT=acme", "BUCKET=acme-templates",
                      "TAG=t1")
    assert completed.returncode == 0, completed.stderr
    commands = completed.stdout
    worker = "asia-northeast1-docker.pkg.dev/acme/kiyome/kiyome-worker:t1"
    launcher = "asia-northeast1-docker.pkg.dev/acme/kiyome/kiyome-launcher:t1"
    assert f"docker build -f dataflow/Dockerfile -t {worker} ." in commands
    assert f"--build-arg WORKER_IMAGE={worker} -t {launcher} ." in commands
    assert f"docker push {worker}" in commands and f"docker push {launcher}" in commands
    assert re.search(r"gcloud dataflow flex-template build gs://acme-templates/templates/"
                     r"kiyome-t1\.json --project acme\s+\\?\s*--image " + re.escape(launcher)
                     + r" --sdk-language PYTHON --metadata-file dataflow/metadata.json",
                     commands)
