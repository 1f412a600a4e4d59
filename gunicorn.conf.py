"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'portal:create_app()'`.

A request must never hold a worker for long: `timeout` restarts a sync worker that is stuck on
one request, and the request-line and header limits refuse oversized requests before the portal
sees them. The portal itself refuses long bodies before working on them (MAX_CONTENT_LENGTH,
Flask's MAX_FORM_MEMORY_SIZE, the story body's length before rendering).
"""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
# Sync workers, two per core and one more: requests wait on the database, not on the CPU alone.
workers = int(os.environ.get("PORTAL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# The slowest page (a 5,000-row chunk of a contracts import) takes about a second.
timeout = 30
graceful_timeout = 30
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
