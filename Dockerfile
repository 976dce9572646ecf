# Production-like image: gunicorn serving the app, whitenoise serving static files.
FROM python:3.11-slim
# Production, said explicitly (it is also the settings' default): no debug, HTTPS redirect on.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_DEBUG=0
WORKDIR /app
# Exact versions with hashes (make lock): the image never picks up an unreviewed release.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY examprep examprep
COPY accounts accounts
COPY questions questions
COPY attempts attempts
RUN pip install --no-deps .
COPY . .
RUN python manage.py collectstatic --noinput
EXPOSE 8000
# Migrations and the blueprint only: the question bank is seeded once, on purpose
# (`docker compose run --rm migrate python manage.py import_questions fixtures/bank`), never on
# start, so a restart cannot touch what instructors changed in the admin.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_blueprint && exec gunicorn examprep.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
