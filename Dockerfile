# Stalking casework: one image for web (gunicorn), worker and beat (celery) and the migrate step.
# Build: docker build -t stalking-casework .   Run: see docker-compose.yml.
FROM python:3.11-slim-bookworm

# PYTHONPATH: the settings' BASE_DIR must be /app (templates, static, var/), so the source tree goes
# ahead of the installed copy, which `pip install .` makes without templates (no package data declared).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    EVIDENCE_ROOT=/data/evidence \
    VAR_DIR=/app/var

# WeasyPrint's runtime libraries and fonts (PDF packs are rendered by the worker).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first (cached while only the code changes): install the project's declared
# dependencies from pyproject.toml, then the project itself once the code is copied.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-cache-dir . \
    && rm -rf build *.egg-info

# Static files are collected at build time; the key and VAR_DIR here exist for this step only.
RUN DEBUG=0 SECRET_KEY=build-time-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
        VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var

# Writable places for the unprivileged user: var/ (beat schedule) and the evidence store, which is
# outside the web root and served only through the application's audited view. Named volumes
# mounted here start with this ownership.
RUN mkdir -p /app/var /data/evidence \
    && chown -R app:app /app/var /data/evidence \
    && chmod 0750 /data/evidence

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
