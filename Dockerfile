# The web app: gunicorn + whitenoise, run by scripts/serve-production (migrate,
# collectstatic, gunicorn). docker-compose.yml builds it and puts nginx in front.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_MANIFEST=1
WORKDIR /app

# git (and ssh for deploy keys) for the specs repositories: SpecPortal runs real git.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git openssh-client \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them (psycopg[binary]
# ships its own libpq: no compiler or system packages needed).
COPY requirements.txt .
RUN pip install -r requirements.txt

# An unprivileged user owns only what it must write: staticfiles/ (collectstatic at start)
# and the working copies of the specs repositories.
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin specportal \
    && mkdir -p /app/staticfiles /var/lib/specportal/git \
    && chown specportal /app/staticfiles /var/lib/specportal/git
COPY . .
USER specportal

EXPOSE 8000
# Compose and orchestrators use this; nginx itself does not check health.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
CMD ["sh", "scripts/serve-production"]
