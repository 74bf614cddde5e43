"""Container health check: is gunicorn answering on :8000 without a server error?

Any answer below 500 counts (a 400 for a Host outside ALLOWED_HOSTS still proves the
worker is alive); a 5xx, a refused connection or a timeout does not.
"""

import sys
import urllib.error
import urllib.request

request = urllib.request.Request("http://127.0.0.1:8000/", headers={"X-Forwarded-Proto": "https"})
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        status = response.status
except urllib.error.HTTPError as error:
    status = error.code
except OSError as error:
    sys.exit(f"unhealthy: {error}")
sys.exit(0 if status < 500 else f"unhealthy: HTTP {status}")
