"""The Dataflow job a run would submit, described offline: no credentials, no network.

Beam's ``--dry_run=True`` stops ``DataflowRunner`` right after it has translated
the graph into the portable pipeline proto and the ``Job`` wrapper, before it
creates an API client (``--template_location`` and ``--dataflow_job_file`` both
stage the pipeline proto to ``gs://`` first, and option validation probes the
bucket unless it is a dry run). The worker environment is then added by the
runner's own ``apiclient.Environment``, the code ``create_job_description`` runs
before submitting, so the description holds what Dataflow would receive: worker
pool (container image, IP configuration, subnetwork), service account, KMS key,
temp storage and every pipeline option. Only the staged artifacts are missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import apache_beam as beam
from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions

from kiyome.pipeline import graph
from kiyome.pipeline.graph import RunConfig


@dataclass(frozen=True)
class JobDescription:
    """A Dataflow job as JSON (the v1b3 ``Job`` message) and the portable pipeline it runs."""

    job: dict
    #: The portable pipeline proto Dataflow would fetch from ``pipelineUrl``.
    pipeline: Any

    @property
    def environment(self) -> dict:
        return self.job["environment"]

    @property
    def options(self) -> dict:
        """The pipeline options the workers receive (``sdkPipelineOptions.options``)."""
        return self.environment["sdkPipelineOptions"]["options"]

    @property
    def steps(self) -> tuple[str, ...]:
        """Top-level transform names (Ingest, MaskPii, …), in graph order."""
        transforms = self.pipeline.components.transforms
        return tuple(transforms[child].unique_name
                     for root in self.pipeline.root_transform_ids  # one wrapper
                     for child in transforms[root].subtransforms)

    def do_fn(self, unique_name: str):
        """The DoFn object a worker unpickles for the ParDo named ``unique_name``."""
        from apache_beam.internal import pickler
        from apache_beam.portability.api import beam_runner_api_pb2

        for transform in self.pipeline.components.transforms.values():
            if transform.unique_name == unique_name:
                payload = beam_runner_api_pb2.ParDoPayload.FromString(transform.spec.payload)
                return pickler.loads(payload.do_fn.payload)[0]
        raise KeyError(unique_name)


def _dry_run_flags(flags: list[str]) -> list[str]:
    """``flags`` with the runner forced to Dataflow and submission turned off."""
    kept = [flag for flag in flags
            if not flag.startswith(("--runner", "--dry_run", "--no_auth"))]
    return ["--runner=DataflowRunner", "--dry_run=True", "--no_auth", *kept]


def describe_job(config: RunConfig, flags: list[str]) -> JobDescription:
    """Translate the Kiyome graph for ``config`` into the Dataflow job ``flags`` would submit."""
    from apache_beam.runners.dataflow.internal import apiclient
    from apache_beam.runners.internal import names

    pipeline = beam.Pipeline(options=PipelineOptions(_dry_run_flags(flags)))
    graph.build(pipeline, config)
    job = pipeline.run().job
    staging = job.options.view_as(GoogleCloudOptions).staging_location  # temp_location/job-…
    job.proto.environment = apiclient.Environment(
        packages=[], options=job.options,
        environment_version=apiclient._FNAPI_ENVIRONMENT_MAJOR_VERSION,
        proto_pipeline_staged_url=f"{staging.rstrip('/')}/{names.STAGED_PIPELINE_FILENAME}",
        proto_pipeline=job.proto_pipeline).proto
    return JobDescription(job=json.loads(job.json()), pipeline=job.proto_pipeline)
