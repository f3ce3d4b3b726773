"""The shared frontier of a multi-worker crawl: one request queue, leases, and the crawl's
memory (canonical URLs requested, articles staged, robots.txt bodies, per-site slots) in Redis.

The design follows scrapy-redis (a Scrapy scheduler whose queue and dupefilter live in Redis,
keys namespaced per crawl) with browsertrix-crawler's fix for its gap: a request handed to a
worker is *leased*, not popped. Its entry stays in Redis with a lease expiry until the worker
acknowledges it (the callback's output is fully scheduled and staged); a worker that dies stops
renewing its leases, and the next `lease` call puts expired ones back at the front of the queue,
so another worker fetches them once. Every move between queue and leases is one Lua script, so
two workers never take the same entry.

All keys are `clippings:<crawl id>:<name>`; `delete()` removes them when the crawl is loaded.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import redis
from redis.commands.core import Script

from spiders.memory import Claim

# Requeued (expired) leases go to the front of the queue: they were due before anything newer.
REQUEUED_SCORE = -1e15

# Gives up the staging reservation of lease `id` if it is still unconfirmed (see LEASE), and
# forgets which URL the request would stage.
UNRESERVE = """local page = redis.call('HGET', %(reserves)s, %(id)s)
if page then
  if redis.call('HGET', %(staged)s, page) == '?' .. %(id)s then redis.call('HDEL', %(staged)s, page) end
  redis.call('HDEL', %(reserves)s, %(id)s)
end"""

# KEYS: queue, requests, leases, owners, sequence, claims of the lease that asked for it, the
# site's turns, sites, reserves, staged. ARGV: score, data, replaced id or "", canonical URL it
# was claimed for or "", site (host:port) or "", canonical URL its page would stage or "".
# Stores a request (its site and the URL it would stage too, for LEASE) under a new id; a
# redirect or retry hands its lease over in the same step, and gives up the staging reservation
# the replaced lease took (see LEASE).
# The claim its request was made for is kept for good from now: the URL is in the queue.
# Within a priority, requests are taken in turns by site (the nth request of every site before
# the n+1th of any), first come first served within a site: a sitemap of one site queued in one
# go would otherwise fill every worker with that site's requests, each waiting for one of its
# few politeness slots while the other sites' slots stood idle.
PUSH = """
local id = redis.call('INCR', KEYS[5])
local turn = redis.call('INCR', KEYS[7])
redis.call('HSET', KEYS[2], id, ARGV[2])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[8], id, ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[9], id, ARGV[6]) end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + turn * 1e-9, id)
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[6], ARGV[4]) end
if ARGV[3] ~= '' then
  if redis.call('ZREM', KEYS[3], ARGV[3]) == 1 then
    redis.call('HDEL', KEYS[2], ARGV[3])
    redis.call('HDEL', KEYS[4], ARGV[3])
    redis.call('HDEL', KEYS[8], ARGV[3])
    %(unreserve_replaced)s
  end
end
return id
""" % {"unreserve_replaced": UNRESERVE % {"reserves": "KEYS[9]", "staged": "KEYS[10]", "id": "ARGV[3]"}}

# KEYS: queue, requests, leases, owners, requeued counter, seen, pages, sites, reserves, staged.
# ARGV: now, lease expiry, worker, key prefix, how many, a site's slot cap (0: no slots here),
# slot expiry.
# Requeue every expired lease, then lease up to `how many` of the best queued requests to this
# worker, each with one of its site's politeness slots if one is free (as ACQUIRE_SLOT takes
# them, in the same step): the worker then starts it with no round trip of its own for the
# slot, which was one of the two round trips every page cost. The canonical URLs a dead lease's
# callback claimed but whose outcome never reached Redis (request pushed) or the lease's ack
# (rows staged) are released, so the worker that fetches it again claims them again; otherwise
# every later link to them would find them claimed and they would be lost.
# A page request (fetched from its own URL, not a redirect) also reserves the canonical URL it
# would stage, unless another request staged it already: its worker can then stage the page
# with no round trip (STAGE's answer is known), and confirms it with a held-back write. The
# reservation ('?' and the id in `staged`) counts as staged for every other request, and goes
# when the lease is acknowledged unconfirmed (not an article, canonical elsewhere, an error) or
# handed over (a redirect or retry); a requeued lease keeps it, as the same id is fetched again.
# Returns id, data, retake (1: a dead worker held it), score, site, slot token ("" for none),
# reserved canonical URL ("" for none), per lease.
LEASE = """
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  redis.call('ZADD', KEYS[1], %(requeued)s, id)
  redis.call('INCR', KEYS[5])
  local claims_key = ARGV[4] .. 'claims:' .. id
  local claims = redis.call('HGETALL', claims_key)
  for i = 1, #claims, 2 do
    redis.call('SREM', KEYS[6], claims[i])
    if claims[i + 1] == '1' then redis.call('DECR', KEYS[7]) end
  end
  redis.call('DEL', claims_key)
end
local leased = {}
local wanted = tonumber(ARGV[5])
local cap = tonumber(ARGV[6])
while #leased < wanted * 7 do  -- seven fields a lease
  local popped = redis.call('ZPOPMIN', KEYS[1])
  if #popped == 0 then break end
  local id = popped[1]
  local data = redis.call('HGET', KEYS[2], id)
  if data then
    redis.call('ZADD', KEYS[3], ARGV[2], id)
    redis.call('HSET', KEYS[4], id, ARGV[3])
    local retake = 0
    if tonumber(popped[2]) <= %(requeued)s / 2 then retake = 1 end
    table.insert(leased, id)
    table.insert(leased, data)
    table.insert(leased, retake)
    table.insert(leased, popped[2])
    local site = redis.call('HGET', KEYS[8], id) or ''
    local slot = ''
    if cap > 0 and site ~= '' then
      local slots = ARGV[4] .. 'slots:' .. site
      redis.call('ZREMRANGEBYSCORE', slots, '-inf', ARGV[1])
      if redis.call('ZCARD', slots) < cap then
        slot = ARGV[3] .. ':lease:' .. id
        redis.call('ZADD', slots, ARGV[7], slot)
      end
    end
    table.insert(leased, site)
    table.insert(leased, slot)
    local reserved = ''
    local page = redis.call('HGET', KEYS[9], id)
    if page then
      local owner = redis.call('HGET', KEYS[10], page)
      if not owner then
        redis.call('HSET', KEYS[10], page, '?' .. id)
        reserved = page
      elseif owner == id or owner == '?' .. id then
        reserved = page
      end
    end
    table.insert(leased, reserved)
  end
end
return leased
""" % {"requeued": REQUEUED_SCORE}

# KEYS: queue, leases, owners. ARGV: worker, (id, score)... Leases this worker took but never
# started (it is stopping) go back to the queue where they were, for another worker at once.
RETURN = """
local returned = 0
for i = 2, #ARGV, 2 do
  if redis.call('HGET', KEYS[3], ARGV[i]) == ARGV[1] then
    redis.call('ZREM', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
    returned = returned + 1
  end
end
return returned
"""

# KEYS: requests, leases, owners, acked counter, claims of this lease, sites, reserves, staged.
# ARGV: id, worker. The lease's whole output is scheduled and staged: its claims are kept for
# good, and a staging reservation it did not confirm is given up.
ACK = """
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
%(unreserve_acked)s
redis.call('DEL', KEYS[5])
redis.call('INCR', KEYS[4])
return 1
""" % {"unreserve_acked": UNRESERVE % {"reserves": "KEYS[7]", "staged": "KEYS[8]", "id": "ARGV[1]"}}

# KEYS: leases, owners. ARGV: expiry, worker, ids... Extends the leases this worker still holds.
RENEW = """
local renewed = 0
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[2] then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i])
    renewed = renewed + 1
  end
end
return renewed
"""

# KEYS: seen, pages, claims of the lease whose callback claims it.
# ARGV: canonical URL, counts as a page (1/0), max pages (0: no limit), lease id or "".
# A claim made under a lease is recorded with it until the request it led to is pushed or the
# lease is acknowledged; claims under no lease (start pages) are kept for good at once.
CLAIM = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 'seen' end
if ARGV[2] == '1' then
  local limit = tonumber(ARGV[3])
  if limit > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= limit then return 'max' end
  redis.call('INCR', KEYS[2])
end
redis.call('SADD', KEYS[1], ARGV[1])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) end
return 'new'
"""

# KEYS: staged. ARGV: canonical URL, owner (the frontier id of the request that parsed it).
# The same request leased again after its worker died may stage what that worker claimed, and a
# request stages what its lease reserved.
STAGE = """
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if not owner then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end
if ARGV[2] ~= '' and (owner == ARGV[2] or owner == '?' .. ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
"""

# KEYS: slot holders (zset), next start time. ARGV: token, now, expiry, cap, delay.
# One of a site's `cap` concurrent slots, and no start sooner than `delay` after the last one.
ACQUIRE_SLOT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
local delay = tonumber(ARGV[5])
if delay > 0 then
  local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
  if tonumber(ARGV[2]) < next_start then return 0 end
  redis.call('SET', KEYS[2], tonumber(ARGV[2]) + delay)
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
"""


# Writes whose answer a worker does not wait for (pushes, acks, slot releases) are held back and
# sent in the same round trip as its next command that needs an answer, or by the scheduler's
# wake-up within 50 ms: a local Redis answers in microseconds, but each round trip blocks the
# worker's event loop, and on a busy machine costs a context switch or two. Held back at most:
MAX_HELD_BACK = 200
# Canonical URLs this worker knows are claimed (links repeat across pages: most checks are
# answered here). Bounded, so memory stays flat in the site's size.
CLAIMED_CACHE = 10_000

Command = tuple[Any, ...]  # one Redis command's words: ("EVALSHA", sha, number of keys, ...)


@dataclass(frozen=True)
class Lease:
    request_id: str
    data: bytes
    retake: bool = False  # requeued after its worker died
    score: float = 0.0  # its place in the queue, should it go back unstarted
    slot: tuple[str, str] | None = None  # (site, token): a politeness slot taken with the lease
    reserved: str = ""  # the canonical URL this request's page may stage with no round trip


class RedisFrontier:
    """One crawl's shared state in Redis, seen from one worker."""

    def __init__(self, url: str, crawl_id: str, worker_id: str, lease_seconds: float = 30.0) -> None:
        self.redis = redis.Redis.from_url(url)
        self.crawl_id = crawl_id
        self.worker_id = worker_id
        self.lease_seconds = lease_seconds
        self.prefix = f"clippings:{crawl_id}:"
        self.held: set[str] = set()  # ids this worker leased and has not acknowledged yet
        self.retakes: set[str] = set()  # held ids a dead worker held before
        self._claimed: dict[str, None] = {}  # insertion-ordered: the oldest go first
        self._reserved: dict[str, str] = {}  # held lease id -> canonical URL it reserved (LEASE)
        self.reserved_stages = 0  # pages staged on their lease's reservation (crawl stats)
        self._later: list[Command] = []
        self._connection = self.redis.connection_pool.make_connection()  # this worker's own
        self.round_trips, self.round_trip_seconds = 0, 0.0  # what the frontier cost (crawl stats)
        self._push = self.redis.register_script(PUSH)
        self._lease = self.redis.register_script(LEASE)
        self._return = self.redis.register_script(RETURN)
        self._ack = self.redis.register_script(ACK)
        self._renew = self.redis.register_script(RENEW)
        self._claim = self.redis.register_script(CLAIM)
        self._stage = self.redis.register_script(STAGE)
        self._acquire = self.redis.register_script(ACQUIRE_SLOT)
        self._scripts = [self._push, self._lease, self._return, self._ack, self._renew, self._claim, self._stage,
                         self._acquire]
        self._load_scripts()

    def _load_scripts(self) -> None:
        """Load every script at once: held-back writes run them by hash in a pipeline, where a
        missing one would fail while the others ran (see _run)."""
        with self.redis.pipeline(transaction=False) as pipe:
            for script in self._scripts:
                pipe.script_load(script.script)
            pipe.execute()

    def key(self, name: str) -> str:
        return self.prefix + name

    def _keys(self, *names: str) -> list[str]:
        return [self.key(n) for n in names]

    # -- round trips -------------------------------------------------------------------------
    @staticmethod
    def _script(script: Script, keys: list[str], args: list[Any]) -> Command:
        return ("EVALSHA", script.sha, len(keys), *keys, *args)

    def _run(self, command: Command | None) -> Any:
        """Send the held-back writes, then `command`, in one round trip; return its answer."""
        answers = self._run_all([command] if command else [])
        return answers[-1] if answers else None

    def _run_all(self, commands: list[Command]) -> list[Any]:
        """Send the held-back writes, then `commands`, in one round trip; return their answers.

        On this worker's own connection, packed and read by redis-py's connection (hiredis
        parses the replies) without its client and pipeline layers: they cost more CPU than
        the round trip itself, several times a page, on the worker's event loop."""
        later, self._later = self._later, []
        sent = later + commands
        if not sent:
            return []
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                answers = self._round_trip(sent)
                self.round_trips += 1
                self.round_trip_seconds += time.perf_counter() - started
                return answers[len(later):]
            except redis.exceptions.NoScriptError:  # a Redis that has not seen (or forgot) them
                if attempt == 2:
                    raise
                self._load_scripts()  # the server lost them all (a restart): none of them ran
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                if attempt == 2:  # as redis-py's client: one reconnection, then the error
                    raise
                self._connection.disconnect()  # type: ignore[no-untyped-call]
        return []

    def _round_trip(self, commands: list[Command]) -> list[Any]:
        connection = self._connection
        connection.send_packed_command(connection.pack_commands(commands))  # type: ignore[no-untyped-call]
        answers: list[Any] = []
        failed: redis.exceptions.ResponseError | None = None
        for _ in commands:  # every reply is read, so the connection stays in step
            try:
                answers.append(connection.read_response())
            except redis.exceptions.ResponseError as error:
                failed = failed or error
                answers.append(error)
        if failed is not None:
            raise failed
        return answers

    def _later_write(self, command: Command) -> None:
        self._later.append(command)
        if len(self._later) >= MAX_HELD_BACK:
            self.flush()

    def flush(self) -> None:
        """Send the held-back writes now (the scheduler's wake-up calls it)."""
        self._run(None)

    # -- the queue ---------------------------------------------------------------------------
    def _forget(self, request_id: str) -> None:
        self.held.discard(request_id)
        self.retakes.discard(request_id)
        self._reserved.pop(request_id, None)

    def _push_command(self, data: bytes, priority: int, replaces: str | None,
                      claim: tuple[str, str] | None, site: str, stages: str) -> Command:
        url, lease = claim or ("", "")
        keys = self._keys("queue", "requests", "leases", "owners", "sequence", f"claims:{lease}",
                          f"turns:{site}", "sites", "reserves", "staged")
        if replaces:
            self._forget(replaces)
        return self._script(self._push, keys, [-priority, data, replaces or "", url, site, stages])

    def push(self, data: bytes, priority: int, replaces: str | None = None,
             claim: tuple[str, str] | None = None, site: str = "", stages: str = "") -> str:
        """Queue a request (higher priority first, then in turns by `site`, its host:port);
        `replaces` hands that lease over; `claim` is the (canonical URL, lease id) it was claimed
        under, now kept for good; `stages` is the canonical URL its page would stage, if it is a
        page fetched from its own URL (its lease reserves it). Returns its id."""
        return str(self._run(self._push_command(data, priority, replaces, claim, site, stages)))

    def push_later(self, data: bytes, priority: int, replaces: str | None = None,
                   claim: tuple[str, str] | None = None, site: str = "", stages: str = "") -> None:
        """`push`, sent with this worker's next round trip (the scheduler's way)."""
        self._later_write(self._push_command(data, priority, replaces, claim, site, stages))

    def lease(self) -> Lease | None:
        leases = self.lease_many(1)
        return leases[0] if leases else None

    def lease_many(self, count: int, slot_cap: int = 0, slot_seconds: float = 0.0) -> list[Lease]:
        """Lease up to `count` of the best queued requests in one round trip, best first; with a
        `slot_cap`, each also takes one of its site's slots if fewer than that are held (for
        `slot_seconds` at most, as acquire_slot's `hold_seconds`)."""
        now = time.time()
        keys = self._keys("queue", "requests", "leases", "owners", "requeued", "seen", "pages", "sites",
                          "reserves", "staged")
        found = self._run(self._script(self._lease, keys, [now, now + self.lease_seconds, self.worker_id,
                                                           self.prefix, count, slot_cap, now + slot_seconds]))
        leases = []
        for at in range(0, len(found or ()), 7):
            request_id, retake, token = found[at].decode(), bool(found[at + 2]), found[at + 5].decode()
            self.held.add(request_id)
            if retake:
                self.retakes.add(request_id)
            if reserved := found[at + 6].decode():
                self._reserved[request_id] = reserved
            slot = (found[at + 4].decode(), token) if token else None
            leases.append(Lease(request_id, found[at + 1], retake, float(found[at + 3]), slot, reserved))
        return leases

    def give_back(self, leases: list[Lease]) -> int:
        """Return leases this worker took but never started to the queue, in their places (a
        stopping worker's look-ahead): another worker takes them at once, not after they expire."""
        if not leases:
            return 0
        for lease in leases:
            self._forget(lease.request_id)  # its reservation stays in Redis: the same id comes back
            if lease.slot:
                self.release_slot(*lease.slot)  # sent first, in the same round trip
        places = [v for lease in leases for v in (lease.request_id, repr(lease.score))]
        return int(self._run(self._script(self._return, self._keys("queue", "leases", "owners"),
                                          [self.worker_id, *places])))

    def _ack_command(self, request_id: str) -> Command:
        self._forget(request_id)
        keys = self._keys("requests", "leases", "owners", "acked", f"claims:{request_id}", "sites", "reserves",
                          "staged")
        return self._script(self._ack, keys, [request_id, self.worker_id])

    def ack(self, request_id: str) -> bool:
        return bool(self._run(self._ack_command(request_id)))

    def ack_later(self, request_id: str) -> None:
        """`ack`, sent with this worker's next round trip. A worker killed first leaves the
        lease to expire: the request is fetched again, as any unacknowledged one is."""
        self._later_write(self._ack_command(request_id))

    def renew(self) -> int:
        """Extend the leases this worker holds (called every third of the lease time)."""
        if not self.held:
            self.flush()
            return 0
        expiry = time.time() + self.lease_seconds
        return int(self._run(self._script(self._renew, self._keys("leases", "owners"),
                                          [expiry, self.worker_id, *sorted(self.held)])))

    def pending(self) -> int:
        """Requests queued or leased by any worker: the crawl is over when this is 0."""
        self.flush()
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.zcard(self.key("queue"))
            pipe.zcard(self.key("leases"))
            queued, leased = pipe.execute()
        return int(queued) + int(leased)

    def leases_of(self, worker_id: str) -> list[str]:
        """Request ids a worker holds right now (tests and the crawl summary use it)."""
        owners: dict[bytes, bytes] = self.redis.hgetall(self.key("owners"))  # type: ignore[assignment]
        return sorted(k.decode() for k, v in owners.items() if v.decode() == worker_id)

    def counter(self, name: str) -> int:
        return int(self.redis.get(self.key(name)) or 0)

    # -- the crawl's memory ------------------------------------------------------------------
    def fingerprint_seen(self, fingerprint: str) -> bool:
        """The scrapy-redis dupefilter: True when this fingerprint was already scheduled."""
        return not self._run(("SADD", self.key("fingerprints"), fingerprint))

    def _remember_claimed(self, canonical_url: str) -> None:
        self._claimed[canonical_url] = None
        if len(self._claimed) > CLAIMED_CACHE:
            del self._claimed[next(iter(self._claimed))]

    def _claim_command(self, claim: Claim) -> Command:
        return self._script(self._claim, self._keys("seen", "pages", f"claims:{claim.lease}"),
                            [claim.canonical_url, int(claim.page), claim.max_pages or 0, claim.lease])

    def claim(self, canonical_url: str, page: bool, max_pages: int | None, lease: str = "") -> str:
        """'new' (and remembered), 'seen', or 'max' when the crawl's page budget is spent.
        `lease` is the request whose callback claims it: if that lease expires unacknowledged
        before the claim's request is pushed, the claim is released (see LEASE)."""
        return self.claim_many([Claim(canonical_url, page, max_pages, lease)])[0]

    def claim_many(self, claims: list[Claim]) -> list[str]:
        """`claim` each, in order, in one round trip (a sitemap's or a page's links)."""
        if not claims:
            return []
        outcomes = [answer.decode() for answer in self._run_all([self._claim_command(c) for c in claims])]
        for claim, outcome in zip(claims, outcomes):
            if outcome != "max":
                self._remember_claimed(claim.canonical_url)
        return outcomes

    def _known_claimed(self, canonical_url: str, lease: str) -> bool:
        """Answered from this worker's cache. A claim, once made, is only ever released for the
        callback of a lease a dead worker held, which therefore always asks Redis (`retakes`);
        every other callback may skip a URL that callback will claim again."""
        return canonical_url in self._claimed and lease not in self.retakes

    def was_claimed(self, canonical_url: str, lease: str = "") -> bool:
        return canonical_url in self.claimed_among([canonical_url], lease)

    def claimed_among(self, canonical_urls: list[str], lease: str = "") -> set[str]:
        """Those of `canonical_urls` that are claimed: from the cache, the rest in one round trip."""
        claimed = {url for url in canonical_urls if self._known_claimed(url, lease)}
        ask = [url for url in dict.fromkeys(canonical_urls) if url not in claimed]
        if ask:
            answers = self._run(("SMISMEMBER", self.key("seen"), *ask))
            for url, answer in zip(ask, answers):
                if answer:
                    claimed.add(url)
                    self._remember_claimed(url)
        return claimed

    def _reserves(self, owner: str, canonical_url: str) -> bool:
        """Whether lease `owner`, held by this worker, reserved `canonical_url` (see LEASE)."""
        return bool(owner) and self._reserved.get(owner) == canonical_url

    def stage(self, canonical_url: str, owner: str) -> bool:
        """True if `owner` (a lease id) stages `canonical_url`: no other request did, or will.
        Answered here when the lease reserved that URL (see LEASE), confirmed with the next round
        trip; a worker killed before that leaves the reservation to the same request, fetched
        again."""
        if self._reserves(owner, canonical_url):
            self.reserved_stages += 1
            self._later_write(("HSET", self.key("staged"), canonical_url, owner))
            return True
        return bool(self._run(self._script(self._stage, self._keys("staged"), [canonical_url, owner])))

    def is_staged(self, canonical_url: str, owner: str = "") -> bool:
        """Whether a request other than `owner` staged (or reserved) `canonical_url`."""
        if self._reserves(owner, canonical_url):
            return False  # reserved by `owner` itself, so by no other
        return bool(self._run(("HEXISTS", self.key("staged"), canonical_url)))

    def once(self, name: str) -> bool:
        """True for the first worker that asks: one-time steps of the whole crawl."""
        return bool(self.redis.set(self.key(f"once:{name}"), self.worker_id, nx=True))

    # -- robots.txt, fetched by one worker for all -------------------------------------------
    def robots_body(self, netloc: str) -> bytes | None:
        body = self.redis.hget(self.key("robots"), netloc)
        return body if isinstance(body, bytes) else None

    def claim_robots(self, netloc: str) -> bool:
        return bool(self.redis.hsetnx(self.key("robots-fetcher"), netloc, self.worker_id))

    def save_robots(self, netloc: str, body: bytes) -> None:
        self.redis.hset(self.key("robots"), netloc, body)

    # -- politeness across workers -----------------------------------------------------------
    def acquire_slot(self, netloc: str, token: str, cap: int, delay: float, hold_seconds: float) -> bool:
        now = time.time()
        keys = self._keys(f"slots:{netloc}", f"next-start:{netloc}")
        return bool(self._run(self._script(self._acquire, keys, [token, now, now + hold_seconds, cap, delay])))

    def release_slot(self, netloc: str, token: str) -> None:
        """Sent with the next round trip: the slot is held a little longer, never shorter."""
        self._later_write(("ZREM", self.key(f"slots:{netloc}"), token))

    # -- the end -----------------------------------------------------------------------------
    def delete(self) -> int:
        """Remove every key of this crawl (after it is loaded)."""
        keys = list(self.redis.scan_iter(match=self.prefix + "*", count=1000))
        return int(self.redis.delete(*keys)) if keys else 0

    def close(self) -> None:
        self.flush()
        self._connection.disconnect()  # type: ignore[no-untyped-call]
        self.redis.close()
