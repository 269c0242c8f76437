"""`govkit.db.optimistic`: an optimistic version goes up by one per transaction that changes the row,
however many flushes it makes; a row inserted in the transaction keeps its first version; `touch`
bumps a row whose columns did not change; a write over a version changed meanwhile is refused."""

import pytest
from sqlalchemy import Integer, String
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from govkit.db import make_sessionmaker, optimistic, touch


class _Base(DeclarativeBase):
    pass


class Thing(_Base):
    __tablename__ = "things"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = optimistic(version)


@pytest.fixture
async def sessions(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")  # deferred BEGIN: two sessions at once
    async with engine.begin() as conn:
        await conn.run_sync(_Base.metadata.create_all)
    yield make_sessionmaker(engine, "test")
    await engine.dispose()


async def test_one_bump_per_transaction_however_many_flushes(sessions):
    async with sessions() as s:
        s.add(Thing(id=1, name="a"))
        await s.flush()
        (await s.get(Thing, 1)).name = "b"  # changed again in the inserting transaction
        await s.flush()
        await s.commit()
        assert (await s.get(Thing, 1)).version == 1
    async with sessions() as s:
        t = await s.get(Thing, 1)
        t.name = "c"
        assert t.version == 2  # at once: what a use case returns right after the change is the new ETag
        await s.flush()
        t.name = "d"
        await s.flush()
        await s.commit()
        assert t.version == 2
    async with sessions() as s:
        t = await s.get(Thing, 1)
        t.name = "d"  # the same value: no change, no bump
        await s.commit()
        assert t.version == 2
        touch(t)
        await s.commit()
        assert t.version == 3
        t.name = "e"
        await s.commit()
        assert t.version == 4  # a new transaction, a new bump


async def test_a_write_over_a_version_changed_meanwhile_is_refused(sessions):
    async with sessions() as s:
        s.add(Thing(id=1, name="a"))
        await s.commit()
    async with sessions() as first, sessions() as second:
        a, b = await first.get(Thing, 1), await second.get(Thing, 1)
        a.name = "from first"
        await first.commit()
        b.name = "from second"
        with pytest.raises(StaleDataError):
            await second.commit()
    async with sessions() as s:
        t = await s.get(Thing, 1)
        assert (t.name, t.version) == ("from first", 2)


def test_no_service_bumps_an_etag_version_by_hand():
    """Every ETag version is `optimistic` (AGENTS.md): a hand-written `version += 1` would add a second
    bump in the same transaction. (Oversight's read model counts the events it applied in a column
    named `version`: no ETag, not optimistic.)"""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    bump = re.compile(r"\.version\s*\+=\s*1|\.version\s*=\s*\(?\s*\w+\.version\b.*\+\s*1")
    found = [
        f"{p.relative_to(root)}:{n}"
        for base in ("services", "gateway")
        for p in (root / base).rglob("src/**/*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if bump.search(line) and not p.match("oversight/projects/projection.py")
    ]
    assert found == []
