"""Content-Security-Policy for built pages: a meta tag with the hashes of the
theme's own inline scripts and nothing else.

Hashing every inline script found would also bless an injected one, so only
scripts that start like the theme's known snippets are hashed; any other inline
script fails the build.
"""

from __future__ import annotations

import base64
import hashlib
import re

THEME_SCRIPTS = (
    "__md_scope=new URL(",
    'var palette=__md_get("__palette")',
    "var target=document.getElementById(location.hash.slice(1))",
)
"""How Material for MkDocs' inline scripts start (9.x)."""

POLICY = (
    "default-src 'none'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)


class PolicyError(ValueError):
    """A page holds an inline script that is not the theme's."""


def protect(html: str, where: str, wasm: bool = False) -> str:
    """Insert the CSP meta tag right after `<meta charset>` (it governs what follows).

    Raises:
        PolicyError: if an inline script is not one of the theme's, or the page
            has no `<meta charset>` to anchor the policy.
    """
    hashes = []
    for match in _SCRIPT.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if re.search(r"\bsrc\s*=", attributes, re.I) or _DATA_TYPE.search(attributes):
            continue
        if not body.startswith(THEME_SCRIPTS):
            raise PolicyError(f"{where}: inline script not from the theme: {body[:60]!r}")
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        token = f"'sha256-{digest}'"
        if token not in hashes:
            hashes.append(token)
    charset = _CHARSET.search(html)
    if charset is None:
        raise PolicyError(f"{where}: no <meta charset> to put the security policy after")
    if wasm:  # Pagefind's search runs WebAssembly
        hashes.append("'wasm-unsafe-eval'")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=" ".join(hashes))}">'
    return html[: charset.end()] + meta + html[charset.end() :]
