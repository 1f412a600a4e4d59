"""Where a redirect may go."""

from urllib.parse import urlsplit


def is_safe_path(target: str | None) -> bool:
    """Whether `target` is a path on this site, so `?next=` cannot send anyone elsewhere.

    Browsers treat `//host`, `/\\host` and URLs with control characters as other sites, so
    only a plain absolute path passes.
    """
    if not target or not target.startswith("/") or len(target) > 2000:
        return False
    if target.startswith(("//", "/\\")) or "\\" in target:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
