"""Kafka plumbing shared by the relay, the consumer runner and the launcher."""

from __future__ import annotations

import asyncio
import contextlib
import random

import structlog

log = structlog.get_logger()
DEFAULT_PARTITIONS = 3


def backoff_delay(failures: int, initial: float = 0.2, cap: float = 5.0) -> float:
    """Exponential backoff with jitter: 0.2, 0.4, 0.8 … capped at `cap` seconds."""
    base = min(cap, initial * (2 ** max(0, failures - 1)))
    return base * (0.5 + random.random() / 2)


def topic_settings(settings) -> dict:
    """ensure_topics keyword arguments from the GOVPM_KAFKA_* settings."""
    return {
        "partitions": settings.kafka_partitions,
        "replication_factor": settings.kafka_replication_factor,
        "min_insync_replicas": settings.kafka_min_insync_replicas,
    }


async def ensure_topics(
    bootstrap: str,
    topics: list[str],
    partitions: int = DEFAULT_PARTITIONS,
    replication_factor: int = 1,
    min_insync_replicas: int = 1,
) -> list[str]:
    """Create the topics that are missing; returns the ones created (a reset broker has none).
    With acks=all a publish needs `min_insync_replicas` in-sync copies: on three brokers use
    replication 3 and min ISR 2 (GOVPM_KAFKA_REPLICATION_FACTOR / GOVPM_KAFKA_MIN_INSYNC_REPLICAS)."""
    if min_insync_replicas > replication_factor:
        raise ValueError(
            f"min.insync.replicas {min_insync_replicas} > replication factor {replication_factor}: "
            "every acks=all publish would fail"
        )
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if missing:
            try:
                configs = {"min.insync.replicas": str(min_insync_replicas)} if min_insync_replicas > 1 else None
                await admin.create_topics(
                    [
                        NewTopic(
                            t, num_partitions=partitions, replication_factor=replication_factor, topic_configs=configs
                        )
                        for t in missing
                    ]
                )
            except TopicAlreadyExistsError:
                pass
            log.info("topics_created", topics=missing)
        return missing
    finally:
        await admin.close()


async def broker_ok(bootstrap: str) -> bool:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=2000)
    try:
        await admin.start()
        await admin.list_topics()
        return True
    except Exception:  # noqa: BLE001 - any failure means not reachable
        return False
    finally:
        with contextlib.suppress(Exception):
            await admin.close()


async def bounded(coro, timeout: float):
    """`coro`'s result, or TimeoutError after `timeout` s. Unlike asyncio.wait_for it does not wait for
    the cancelled work to finish: aiokafka's start() and stop() can go on retrying a broker that restarted
    empty, ignoring the cancellation, for ever."""
    task = asyncio.ensure_future(coro)
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if not done:
        task.cancel()
        task.add_done_callback(lambda t: t.cancelled() or t.exception())  # retrieved: no warning
        raise TimeoutError(f"broker step did not finish within {timeout:.0f} s")
    return task.result()
