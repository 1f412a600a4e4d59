"""Response headers that every page carries, and the characters no request may carry."""

from itertools import chain

from flask import abort, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def carries_nul(req) -> bool:
    """Whether a query or form value, a key or an uploaded file's name holds NUL (U+0000)."""
    texts = chain(req.args.keys(), chain.from_iterable(req.args.listvalues()))
    if req.method != "GET" and req.mimetype in ("application/x-www-form-urlencoded",
                                                "multipart/form-data"):
        texts = chain(texts, req.form.keys(), chain.from_iterable(req.form.listvalues()),
                      (upload.filename or "" for upload in req.files.values()))
    return any("\x00" in text for text in texts)


def init_app(app):
    production = app.config["ENV"] == "production"

    @app.before_request
    def refuse_nul():
        # PostgreSQL cannot keep NUL in text and no person types one, so a request with one is
        # refused whole (400: nothing changed) instead of failing in the database, in any form.
        if carries_nul(request):
            abort(400)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Pages of logged-in users hold personal data: keep them out of shared caches.
        if "Cache-Control" not in headers and response.mimetype == "text/html":
            headers["Cache-Control"] = "no-store"
        return response
