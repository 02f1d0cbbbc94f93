"""Fire many real form posts at once at a running server: GET each form, then POST together."""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class FormPost:
    """Load ``page`` (for the cookie and form token), then post ``data`` to ``action``."""

    page: str
    action: str
    data: dict = field(default_factory=dict)


def post_together(*, base_url: str, posts: list[FormPost]) -> Counter[int]:
    """Return how many POSTs ended with each HTTP status.

    Every client first loads its page on its own session, then all wait at a barrier and
    submit at the same moment.
    """
    barrier = threading.Barrier(len(posts), timeout=60)

    def one(post: FormPost) -> int:
        with requests.Session() as session:
            page = session.get(base_url + post.page, timeout=60)
            page.raise_for_status()
            token = TOKEN.search(page.text)
            assert token, f"{post.page} has no form"
            barrier.wait()
            response = session.post(
                base_url + post.action,
                data={"csrfmiddlewaretoken": token.group(1), **post.data},
                headers={"Referer": base_url + post.page},
                allow_redirects=False,
                timeout=60,
            )
            return response.status_code

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return Counter(pool.map(one, posts))


def signup_post(event_path: str, number: int) -> FormPost:
    return FormPost(
        page=event_path,
        action=event_path + "aanmelden/",
        data={
            "name": f"Bewoner {number}",
            "email": f"bewoner{number}@example.org",
            "consent": "on",
        },
    )


def signup_rush(*, base_url: str, event_path: str, attempts: int) -> Counter[int]:
    return post_together(
        base_url=base_url, posts=[signup_post(event_path, number) for number in range(attempts)]
    )
