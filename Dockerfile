# Production-like image: gunicorn serving the app, whitenoise serving static files.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY examprep examprep
COPY questions questions
COPY attempts attempts
RUN pip install .
COPY . .
RUN DJANGO_DEBUG=0 python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_blueprint && python manage.py import_questions fixtures/bank && exec gunicorn examprep.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
