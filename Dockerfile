# Ladder's production image: one image for web (gunicorn), worker and beat (celery).

# --- Front end: the NHS.UK frontend compiled from its Sass sources --------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build-assets.mjs scripts/
COPY static/ static/
RUN node scripts/build-assets.mjs

# --- Application -----------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
# WeasyPrint needs Pango; Liberation Sans is metric-compatible with Arial, the NHS fallback font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 ladder
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/build ./build
# collectstatic needs settings to load; these throwaway values never reach a running container.
RUN SECRET_KEY=collectstatic-only-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput
USER ladder
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
