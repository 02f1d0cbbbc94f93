import ipaddress

import pytest
from django.test import RequestFactory

from core import ratelimit


def request_from(address: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_the_hit_after_the_limit_is_refused_and_other_addresses_are_not():
    hits = [
        ratelimit.hit(scope="t", key="192.0.2.1", limit=3, window=60, now=1000) for _ in range(4)
    ]
    assert hits == [False, False, False, True]
    assert ratelimit.hit(scope="t", key="192.0.2.2", limit=3, window=60, now=1000) is False
    assert ratelimit.hit(scope="other", key="192.0.2.1", limit=3, window=60, now=1000) is False


def test_a_new_window_starts_a_new_count():
    for _ in range(3):
        ratelimit.hit(scope="t", key="192.0.2.1", limit=3, window=60, now=1000)
    assert ratelimit.hit(scope="t", key="192.0.2.1", limit=3, window=60, now=1000) is True
    assert ratelimit.hit(scope="t", key="192.0.2.1", limit=3, window=60, now=1060) is False


def test_the_cache_key_does_not_contain_the_address():
    key = ratelimit._cache_key(scope="t", key="192.0.2.1", window=60, now=1000)
    assert "192.0.2.1" not in key


def test_client_address_is_the_connection_address_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request_from("192.0.2.1", "203.0.113.9")) == "192.0.2.1"


def test_client_address_behind_one_proxy_ignores_what_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client claims 198.51.100.7; the proxy appended the address it really saw.
    request = request_from("10.0.0.2", "198.51.100.7, 203.0.113.9")
    assert ratelimit.client_address(request) == "203.0.113.9"


def test_ipv6_clients_are_counted_per_64_block():
    one = ratelimit.client_address(request_from("2001:db8:1:2:aaaa::1"))
    other = ratelimit.client_address(request_from("2001:db8:1:2:bbbb::2"))
    assert one == other == "2001:db8:1:2::"


def test_ipv4_mapped_ipv6_clients_are_counted_as_their_ipv4_address():
    """A dual-stack server sees IPv4 clients as ::ffff:a.b.c.d; they are not one /64."""
    one = ratelimit.client_address(request_from("::ffff:192.0.2.1"))
    other = ratelimit.client_address(request_from("::ffff:198.51.100.7"))
    assert one == "192.0.2.1"
    assert other == "198.51.100.7"
    assert one == ratelimit.client_address(request_from("192.0.2.1"))


def test_a_mapped_address_from_the_proxy_is_unwrapped_too(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.2", "::ffff:203.0.113.9")
    assert ratelimit.client_address(request) == "203.0.113.9"


def test_an_address_with_a_port_is_the_address(settings):
    """Some proxies write the client's port too; it changes with every connection."""
    settings.TRUSTED_PROXY_COUNT = 1
    for forwarded, address in [
        ("203.0.113.9:51234", "203.0.113.9"),
        ("[2001:db8:1:2:aaaa::1]:443", "2001:db8:1:2::"),
    ]:
        assert ratelimit.client_address(request_from("10.0.0.2", forwarded)) == address


def test_unparseable_addresses_get_a_bucket_per_value_not_one_for_all(settings):
    """One client with an odd address must not use up the limit of everyone else's."""
    settings.TRUSTED_PROXY_COUNT = 1
    one = ratelimit.client_address(request_from("10.0.0.2", "unknown"))
    other = ratelimit.client_address(request_from("10.0.0.2", "_hidden"))
    empty = ratelimit.client_address(request_from(""))
    assert len({one, other, empty}) == 3
    assert one == ratelimit.client_address(request_from("10.0.0.3", "unknown"))
    # Never mistaken for a real address (or a real address for one of these).
    for bucket in (one, other, empty):
        with pytest.raises(ValueError):
            ipaddress.ip_address(bucket)


def test_unparseable_buckets_are_counted_apart():
    one = ratelimit.client_address(request_from("unknown"))
    other = ratelimit.client_address(request_from("not-an-address"))
    for _ in range(3):
        ratelimit.hit(scope="t", key=one, limit=3, window=60, now=1000)
    assert ratelimit.hit(scope="t", key=one, limit=3, window=60, now=1000) is True
    assert ratelimit.hit(scope="t", key=other, limit=3, window=60, now=1000) is False


def test_a_scoped_ipv6_address_does_not_fail():
    assert ratelimit.client_address(request_from("fe80::1%eth0")) == "fe80::"


def test_client_ip_for_axes_is_the_same_address_or_none(settings):
    """django-axes stores it in an IP address column: never an unparsed bucket."""
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request_from("10.0.0.2", "::ffff:203.0.113.9")) == "203.0.113.9"
    assert ratelimit.client_ip(request_from("10.0.0.2", "2001:db8:1:2::5")) == "2001:db8:1:2::"
    assert ratelimit.client_ip(request_from("10.0.0.2", "unknown")) is None
