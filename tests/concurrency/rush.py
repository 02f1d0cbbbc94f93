"""Fire many real sign-ups at once at a running server: GET the form, then POST together."""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signup_rush(*, base_url: str, event_path: str, attempts: int) -> Counter[int]:
    """Return how many POSTs ended with each HTTP status.

    Every client first loads the event page (cookie + form token) on its own session,
    then all wait at a barrier and submit at the same moment.
    """
    barrier = threading.Barrier(attempts, timeout=60)

    def one(number: int) -> int:
        with requests.Session() as session:
            page = session.get(base_url + event_path, timeout=60)
            page.raise_for_status()
            token = TOKEN.search(page.text)
            assert token, "the event page has no sign-up form"
            barrier.wait()
            response = session.post(
                base_url + event_path + "aanmelden/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "name": f"Bewoner {number}",
                    "email": f"bewoner{number}@example.org",
                    "consent": "on",
                },
                headers={"Referer": base_url + event_path},
                allow_redirects=False,
                timeout=60,
            )
            return response.status_code

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        return Counter(pool.map(one, range(attempts)))
