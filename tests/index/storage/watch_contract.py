"""What both backends' ``watches`` role must do: watches, alert claims, digests and the lease."""

from __future__ import annotations

import asyncio

from index.models import DigestSchedule
from index.storage.protocols import Storage


async def _watch(store: Storage, scope: str = "3000", query: str = "casualties in Tovuz") -> int:
    w = await store.watches.add_watch(
        scope, "4000", query, outlet=None, exclude_label="state media", created_by="9001", after_rowid=7
    )
    return w.id


class WatchesContract:
    async def test_a_watch_is_stored_listed_per_scope_and_removed(self, store: Storage) -> None:
        first = await _watch(store)
        second = await _watch(store, scope="3001", query="Wagner")
        mine = await store.watches.watches("3000")
        assert [(w.id, w.query, w.channel, w.after_rowid, w.exclude_label) for w in mine] == [
            (first, "casualties in Tovuz", "4000", 7, "state media")
        ]
        assert mine[0].enabled and mine[0].alerts == 0 and mine[0].created_by == "9001"
        assert [w.id for w in await store.watches.watches()] == [first, second]
        # Another server's watch can't be removed from here.
        assert not await store.watches.remove_watch("3000", second)
        assert await store.watches.remove_watch("3001", second)
        assert [w.id for w in await store.watches.watches()] == [first]

    async def test_the_checked_mark_never_moves_back(self, store: Storage) -> None:
        wid = await _watch(store)
        await store.watches.checked(wid, 12)
        await store.watches.checked(wid, 9)  # a slower process finishing an older batch
        assert (await store.watches.watches("3000"))[0].after_rowid == 12

    async def test_an_alert_is_claimed_once(self, store: Storage) -> None:
        wid = await _watch(store)
        other = await _watch(store, query="Wagner")
        assert await store.watches.claim_alerts(wid, ["a1", "a2", "a1"]) == ["a1", "a2"]
        assert await store.watches.claim_alerts(wid, ["a2", "a3"]) == ["a3"]
        assert await store.watches.claim_alerts(other, ["a1"]) == ["a1"]  # per watch
        await store.watches.alerted(wid)
        counted = (await store.watches.watches("3000"))[0]
        assert counted.alerts == 1 and counted.last_alert_at is not None

    async def test_claims_racing_from_two_callers_give_each_key_once(self, store: Storage) -> None:
        wid = await _watch(store)
        keys = [f"a{i}" for i in range(20)]
        one, two = await asyncio.gather(
            store.watches.claim_alerts(wid, keys), store.watches.claim_alerts(wid, keys[::-1])
        )
        assert sorted(one + two) == sorted(keys)

    async def test_a_disabled_watch_says_why(self, store: Storage) -> None:
        wid = await _watch(store)
        await store.watches.disable_watch(wid, "channel 4000 was deleted")
        (w,) = await store.watches.watches("3000")
        assert not w.enabled and w.disabled_reason == "channel 4000 was deleted"

    async def test_a_digest_is_set_replaced_sent_once_a_day_and_removed(self, store: Storage) -> None:
        await store.watches.set_digest(DigestSchedule("3000", "4000", "07:30", "Europe/Kyiv", "9001"))
        await store.watches.set_digest(DigestSchedule("3000", "4001", "08:00", "UTC", "9002"))
        assert await store.watches.digests() == [DigestSchedule("3000", "4001", "08:00", "UTC", "9002")]
        assert await store.watches.digest_sent("3000", "2026-12-06")
        assert not await store.watches.digest_sent("3000", "2026-12-06")  # another process was first
        assert not await store.watches.digest_sent("3000", "2026-12-05")
        assert await store.watches.digest_sent("3000", "2026-12-07")
        assert (await store.watches.digests())[0].last_sent == "2026-12-07"
        assert await store.watches.remove_digest("3000")
        assert not await store.watches.remove_digest("3000")
        assert await store.watches.digests() == []

    async def test_a_lease_has_one_holder_until_it_expires(self, store: Storage) -> None:
        assert await store.watches.hold_lease("watches", "shard-0", 30)
        assert await store.watches.hold_lease("watches", "shard-0", 30)  # renewed by its holder
        assert not await store.watches.hold_lease("watches", "shard-1", 30)
        assert await store.watches.hold_lease("digests", "shard-1", 30)  # another lease
        assert await store.watches.hold_lease("short", "shard-0", 0.05)
        await asyncio.sleep(0.2)
        assert await store.watches.hold_lease("short", "shard-1", 30)  # expired: taken over
        assert not await store.watches.hold_lease("short", "shard-0", 30)
