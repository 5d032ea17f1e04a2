# syntax=docker/dockerfile:1
# Kiyome's Flex Template launcher: builds the Beam graph (policy read and validated,
# inputs listed) and hands the job to Dataflow, whose workers run the worker image
# (dataflow/Dockerfile, passed as sdk_container_image). The launcher needs Kiyome
# importable to build the graph, so it installs the same pinned set.
# Build from the repository root: make dataflow-launcher PROJECT=...
# LAUNCHER_TAG: pin a dated tag of the base image for reproducible launchers
# (make dataflow-launcher LAUNCHER_TAG=...); latest follows Google's releases.
ARG LAUNCHER_TAG=latest
FROM gcr.io/dataflow-templates-base/python311-template-launcher-base:${LAUNCHER_TAG}

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""

WORKDIR /opt/kiyome-src

COPY dataflow/requirements.txt dataflow/requirements.txt
RUN pip install --no-cache-dir -r dataflow/requirements.txt

COPY pyproject.toml README.md ./
COPY kiyome/ kiyome/
COPY pipeline/ pipeline/
COPY transforms/ transforms/
COPY policies/ policies/
COPY schemas/ schemas/
COPY dataflow/main.py /template/main.py
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf /opt/kiyome-src
WORKDIR /template

# The launcher runs main.py; workers get everything from the worker image, so the
# launcher must not stage requirements or a setup file for them (no
# FLEX_TEMPLATE_PYTHON_REQUIREMENTS_FILE / _SETUP_FILE), and PIP_NO_DEPS keeps it
# from resolving anything at launch.
# WORKER_IMAGE (the worker image built from the same commit) becomes the jobs'
# default sdk_container_image; a launch can still pass its own.
ARG WORKER_IMAGE=""
ENV FLEX_TEMPLATE_PYTHON_PY_FILE=/template/main.py \
    PIP_NO_DEPS=True \
    KIYOME_WORKER_IMAGE=${WORKER_IMAGE}
