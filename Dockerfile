# One image for every Lagebild service: watcher, dashboard, Prefect server, Dask scheduler/workers.
# BASE_IMAGE: any image with Python 3.11+ whose `pip` installs into the Python on PATH.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# MALLOC_ARENA_MAX: two glibc malloc arenas from the first allocation on (lagebild/malloc.py; the
# watcher's peak 888–909 MB against 931 MB when only `lagebild` itself sets it, README "Memory").
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LAGEBILD_DATA_DIR=/data \
    PREFECT_SERVER_ANALYTICS_ENABLED=false

WORKDIR /app
# The pinned dependencies first: this layer is rebuilt only when requirements.lock changes.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY pyproject.toml README.md ./

COPY lagebild ./lagebild
COPY flows ./flows
COPY cli ./cli
COPY warehouse ./warehouse
COPY dashboard ./dashboard
COPY seeds ./seeds
RUN pip install --no-deps --no-build-isolation -e . \
    && useradd --create-home --uid 1000 lagebild \
    && mkdir -p /data/inbox /data/archive /data/warehouse \
    && chown -R lagebild:lagebild /data

USER lagebild
VOLUME ["/data/inbox", "/data/archive", "/data/warehouse"]
EXPOSE 4200 8501 8786 8787
CMD ["lagebild", "up", "--address", "0.0.0.0"]
