"""The shared frontier's moves on a real redis-server: leases, requeues, and claims that follow
the lease whose callback made them."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from spiders.frontier import RedisFrontier
from spiders.memory import Claim


@pytest.fixture
def pair(redis_url: str, request: pytest.FixtureRequest) -> Iterator[tuple[RedisFrontier, RedisFrontier]]:
    """Two workers of one crawl; the first one's leases expire at once (it is as good as dead)."""
    crawl_id = request.node.name
    dead = RedisFrontier(redis_url, crawl_id, "dead", lease_seconds=0)
    alive = RedisFrontier(redis_url, crawl_id, "alive", lease_seconds=60)
    yield dead, alive
    alive.delete()
    dead.close()
    alive.close()


def test_an_expired_lease_is_fetched_again_by_another_worker(pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    first = dead.push(b"listing", 0)
    held = dead.lease()
    assert held is not None and held.request_id == first
    taken = alive.lease()
    assert taken is not None and (taken.request_id, taken.data) == (first, b"listing")
    assert alive.counter("requeued") == 1
    assert alive.leases_of("alive") == [first] and alive.leases_of("dead") == []
    assert not dead.ack(first)  # the dead worker's late ack does not take it back
    assert alive.ack(first) and alive.pending() == 0


def test_claims_of_an_expired_lease_are_released_unless_their_request_was_queued(
        pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    dead.push(b"listing", 0)
    lease = dead.lease()
    assert lease is not None
    for url in ("/queued", "/lost", "/row"):
        assert dead.claim(url, url != "/row", None, lease.request_id) == "new"
    assert dead.claim("/start", True, None) == "new"  # no lease: kept for good at once
    dead.push(b"queued", 0, claim=("/queued", lease.request_id))
    assert dead.counter("pages") == 3

    again = alive.lease()  # requeues the dead lease, releasing what its callback left undone
    assert again is not None and again.request_id == lease.request_id
    assert alive.claim("/queued", True, None, again.request_id) == "seen"
    assert alive.claim("/start", True, None, again.request_id) == "seen"
    assert alive.counter("pages") == 2  # /lost's page is back in the budget
    assert alive.claim("/lost", True, None, again.request_id) == "new"
    assert alive.claim("/row", False, None, again.request_id) == "new"
    assert alive.counter("pages") == 3


def test_claims_of_an_acknowledged_lease_are_kept(pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    alive.push(b"listing", 0)
    lease = alive.lease()
    assert lease is not None
    assert alive.claim("/reject-row", False, None, lease.request_id) == "new"
    assert alive.ack(lease.request_id)
    assert not alive.redis.exists(alive.key(f"claims:{lease.request_id}"))
    dead.lease()  # a requeue pass: nothing of the acknowledged lease comes back
    assert alive.claim("/reject-row", False, None) == "seen"


def test_held_back_writes_reach_redis_with_the_next_round_trip_or_a_flush(
        pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    _, alive = pair
    alive.push_later(b"first", 0)
    alive.push_later(b"second", 5)
    assert alive.redis.zcard(alive.key("queue")) == 0  # not sent yet
    lease = alive.lease()  # sent ahead of the lease, in the same round trip
    assert lease is not None and lease.data == b"second" and not lease.retake
    assert alive.acquire_slot("site", "t1", 1, 0, 60) and not alive.acquire_slot("site", "t2", 1, 0, 60)
    alive.release_slot("site", "t1")
    alive.ack_later(lease.request_id)
    assert alive.acquire_slot("site", "t2", 1, 0, 60)  # the release went first
    alive.flush()
    assert alive.counter("acked") == 1 and alive.pending() == 1


def test_requests_are_leased_several_at_a_time_and_given_back_in_place(
        pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    for n, priority in ((1, 0), (2, 5), (3, 0), (4, 9)):
        alive.push(f"r{n}".encode(), priority)
    taken = alive.lease_many(3)
    assert [lease.data for lease in taken] == [b"r4", b"r2", b"r1"]  # best first, then in order
    assert alive.leases_of("alive") == sorted(lease.request_id for lease in taken)
    assert alive.give_back(taken[1:]) == 2  # never started: back where they were, at once
    assert [lease.data for lease in dead.lease_many(5)] == [b"r2", b"r1", b"r3"]
    assert dead.counter("requeued") == 0 and not alive.held - {taken[0].request_id}


def test_claims_are_decided_in_one_round_trip(pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    assert dead.claim("/a", True, None) == "new"
    before = alive.round_trips
    assert alive.claimed_among(["/a", "/b", "/a"]) == {"/a"}
    outcomes = alive.claim_many([Claim("/b", True, 2), Claim("/c", True, 2), Claim("/b", True, 2),
                                 Claim("/off", False, 2)])
    assert outcomes == ["new", "max", "seen", "new"]  # /a and /b spend the budget of 2
    assert alive.round_trips - before == 2
    assert alive.claimed_among(["/a", "/b", "/off"]) == {"/a", "/b", "/off"}
    assert alive.round_trips - before == 2  # all three known to this worker now


def test_requests_of_one_priority_are_taken_in_turns_by_site(pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    _, alive = pair
    for n in range(3):  # one site's sitemap, queued in one go
        alive.push(f"a{n}".encode(), 0, site="a:80")
    alive.push(b"b0", 0, site="b:80")
    alive.push(b"b1", 0, site="b:80")
    alive.push(b"robots", 30, site="b:80")
    taken = [lease.data for lease in alive.lease_many(6)]
    assert taken == [b"robots", b"a0", b"b0", b"a1", b"b1", b"a2"]


def test_a_lease_takes_its_sites_slot_when_one_is_free(pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    for n in range(3):
        alive.push(f"a{n}".encode(), 0, site="a:80")
    alive.push(b"nowhere", 0)  # no site recorded: no slot
    assert alive.acquire_slot("a:80", "busy", 3, 0, 60)  # one of a:80's 3 slots is in use
    taken = alive.lease_many(4, slot_cap=3, slot_seconds=60)
    assert [lease.data for lease in taken] == [b"a0", b"nowhere", b"a1", b"a2"]  # sites in turns
    assert [lease.slot for lease in taken] == [("a:80", f"alive:lease:{taken[0].request_id}"), None,
                                               ("a:80", f"alive:lease:{taken[2].request_id}"), None]
    assert not dead.acquire_slot("a:80", "other", 3, 0, 60)  # the cap holds across workers
    alive.give_back(taken[:1])  # a stopping worker's look-ahead frees its slot too
    assert dead.acquire_slot("a:80", "other", 3, 0, 60)
    alive.push(b"a3", 0, site="a:80")
    assert [lease.slot for lease in alive.lease_many(1)] == [None]  # no cap given: no slot taken


def test_a_page_request_stages_on_its_leases_reservation_with_no_round_trip(
        pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    alive.push(b"page", 0, stages="/k")
    alive.push(b"listing", 0, stages="/listing")
    page, listing = alive.lease_many(2)
    assert (page.reserved, listing.reserved) == ("/k", "/listing")
    assert dead.is_staged("/k") and not dead.stage("/k", "a redirect that lands on /k")
    assert not alive.is_staged("/k", page.request_id)  # reserved by itself, so by no other
    before = alive.round_trips
    assert alive.stage("/k", page.request_id) and alive.round_trips == before
    alive.ack_later(page.request_id)
    alive.ack_later(listing.request_id)  # its page was no article: the reservation goes
    alive.flush()
    assert alive.redis.hgetall(alive.key("staged")) == {b"/k": page.request_id.encode()}
    assert dead.stage("/listing", "another page") and not dead.stage("/k", "another page")


def test_a_reservation_goes_with_a_redirect_and_stays_with_a_requeued_lease(
        pair: tuple[RedisFrontier, RedisFrontier]) -> None:
    dead, alive = pair
    alive.push(b"moved", 0, stages="/moved")
    alive.push(b"killed", 0, stages="/killed")
    moved = alive.lease()
    killed = dead.lease()
    assert moved is not None and killed is not None and killed.reserved == "/killed"
    alive.push(b"next hop", 0, replaces=moved.request_id)  # a redirect: no reservation of its own
    assert not alive.is_staged("/moved")
    again = alive.lease_many(2)  # the dead worker's lease expired: requeued first
    assert [(lease.data, lease.retake, lease.reserved) for lease in again] == \
        [(b"killed", True, "/killed"), (b"next hop", False, "")]
    assert alive.stage("/killed", killed.request_id)
