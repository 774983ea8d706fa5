"""Keep channels and playlists current: list each again, add new uploads, re-index changed captions.

Each upload is its own atomic ingest (the catalog switches generations in one transaction), so a sync
that stops part-way loses nothing: the next one lists again, finds what is already there unchanged, and
goes on with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from yt_transcript.ingest import errors
from yt_transcript.ingest.cleaning import clean_snippets
from yt_transcript.ingest.metadata import meta_from_info
from yt_transcript.ingest.models import SyncOutcome, SyncReport, VideoRecord
from yt_transcript.ingest.pipeline import IngestOptions, Ingestor
from yt_transcript.ingest.sources import Source


def sync(ingestor: Ingestor, *, since: str | None = None, limit: int | None = None, dry_run: bool = False,
         on_outcome: Callable[[str, SyncOutcome], None] | None = None) -> SyncReport:
    """Sync every remembered listing. `since` (YYYY-MM-DD) skips older uploads; `limit` takes the newest N."""
    storage, youtube = ingestor.storage, ingestor.youtube
    report = SyncReport(dry_run=dry_run)
    tell = on_outcome or (lambda listing, outcome: None)
    if not dry_run:
        storage.check_writable()
    for source, kind, title, _, languages, translate in storage.listings():
        options = IngestOptions(languages=languages.split(",") if languages else None, translate=translate)
        entry = {"source": source, "kind": kind, "title": title, "error": None}
        report.listings.append(entry)
        try:
            entry["title"], video_ids = youtube.list_videos(Source(kind, source, source), limit)
        except errors.YtTranscriptError as exc:
            entry["error"] = str(exc)
            continue
        known = {r.meta.video_id: r for r in storage.records()}
        for video_id in video_ids:
            outcome = _sync_video(ingestor, video_id, known.get(video_id), options, since, dry_run)
            report.outcomes.append(outcome)
            tell(title, outcome)
        if not dry_run:
            storage.mark_synced(source)
    return report


def _sync_video(ingestor: Ingestor, video_id: str, record: VideoRecord | None, options: IngestOptions,
                since: str | None, dry_run: bool) -> SyncOutcome:
    try:
        info = None
        if record is None and since:
            info = ingestor.youtube.fetch_info(video_id)  # its date decides before any transcript is fetched
        date = record.meta.upload_date if record else (meta_from_info(info).upload_date if info else None)
        if since and date and date < since:
            return SyncOutcome(video_id, "skipped", f"uploaded {date}, before {since}")
        # A video transcribed locally before stays so (from the transcript cache: no download) unless the user
        # chose a mode for that.
        whispered = record is not None and record.meta.caption_kind.startswith("whisper:")
        keep = "auto" if whispered and ingestor.settings.ingest.whisper == "never" else None
        transcript, detail = ingestor.fetch_youtube(video_id, replace(options, whisper=keep), info)
        if record is not None:
            stored = ingestor.storage.transcript(video_id).snippets
            if clean_snippets(transcript.snippets) == stored:
                return SyncOutcome(video_id, "unchanged")
        action = "added" if record is None else "updated"
        if dry_run:
            return SyncOutcome(video_id, {"added": "would add", "updated": "would update"}[action], detail)
        result = ingestor.add(video_id, lambda: (transcript, detail))
        if not result.ok:
            return SyncOutcome(video_id, "failed", result.detail)
        return SyncOutcome(video_id, action, f"{result.chunks} passages ({detail})")
    except errors.YtTranscriptError as exc:
        return SyncOutcome(video_id, "failed", str(exc))
