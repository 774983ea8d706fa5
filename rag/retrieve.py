"""Rank passages for a query across the library or within chosen videos."""

from __future__ import annotations

from ingest.embedding import Embedder
from ingest.errors import ChannelNotIndexed, EmbeddingModelMismatch, VideoNotIndexed
from ingest.library import Library
from ingest.models import SearchHit


def search(
    library: Library,
    embedder: Embedder,
    query: str,
    *,
    video_ids: list[str] | None = None,
    channel: str | None = None,
    k: int = 5,
) -> list[SearchHit]:
    """The k passages most similar to the query, best first, each with its moment."""
    records = {r.meta.video_id: r for r in library.records()}
    for video_id in video_ids or []:
        if video_id not in records:
            raise VideoNotIndexed(video_id)
    wanted = set(video_ids) if video_ids else set(records)
    if channel:
        name = channel.casefold().lstrip("@")
        wanted = {v for v in wanted if records[v].meta.channel.casefold().lstrip("@") == name}
        if not wanted:
            raise ChannelNotIndexed(channel, sorted({r.meta.channel for r in records.values() if r.meta.channel}))
    searchable = {v for v in wanted if records[v].embed_model == embedder.name}
    if wanted and not searchable:
        raise EmbeddingModelMismatch(
            f"these videos were embedded with {records[next(iter(wanted))].embed_model!r}, not {embedder.name!r}"
        )
    if not searchable or not query.strip():
        return []
    # Without filters, search everything and drop stale chunks afterwards: an unfiltered
    # Chroma query is far cheaper than a `where` filter. Over-fetch to make room for them.
    restrict = None if searchable == set(records) else sorted(searchable)
    vector = embedder.embed_query(query)
    hits: list[SearchHit] = []
    for chunk, score in library.vectors(embedder.name).query(vector, k * 2 + 10, restrict):
        record = records.get(chunk.video_id)
        if record is None or record.generation != chunk.generation or chunk.video_id not in searchable:
            continue  # an unfinished or superseded ingest
        hits.append(
            SearchHit(chunk.video_id, record.meta.title, record.meta.channel, chunk.start_s, chunk.end_s,
                      chunk.text, score, chunk.chapter)
        )
        if len(hits) == k:
            break
    return hits
