"""The settings object: grouped fields, flat names, the environment, and a README table that lists them all."""

import re

import pytest

from yt_transcript import Library, Settings
from yt_transcript.ingest import errors
from yt_transcript.ingest.settings import GROUPS, env_names

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
ERRORS_SOURCE = (REPO / "ingest" / "errors.py").read_text(encoding="utf-8")
TEST_ONLY = {"YT_TRANSCRIPT_SHARED_DATA", "YT_TRANSCRIPT_TEST_CHROMA_URL"}  # read by the tests, not the tool


def all_env_names() -> set[str]:
    """Every environment variable a setting reads."""
    return {name for kind in (Settings, *GROUPS.values()) for field, info in kind.model_fields.items()
            if field not in GROUPS for name in env_names(field, info)}


def _readme_table() -> set[str]:
    section = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])}


def test_readme_table_lists_every_setting():
    missing = set(all_env_names()) - _readme_table()
    assert not missing, f"add these to the README's settings table: {sorted(missing)}"


def test_readme_and_advice_name_only_real_settings():
    real = set(all_env_names()) | TEST_ONLY
    named = set(re.findall(r"YT_TRANSCRIPT_[A-Z_]+", README + ERRORS_SOURCE))
    assert named <= real, sorted(named - real)


def test_advice_names_no_flag_that_does_not_exist():
    from click.testing import CliRunner

    from yt_transcript.ui.cli import cli

    flags = set()
    for command in [None, *cli.commands]:
        args = ["--help"] if command is None else [command, "--help"]
        flags |= set(re.findall(r"--[a-z][a-z-]+", CliRunner().invoke(cli, args).output))
    others = {"--write-subs", "--path", "--host", "--port"}  # flags of the yt-dlp and `chroma run` commands named
    assert set(re.findall(r"--[a-z][a-z-]+", ERRORS_SOURCE)) <= flags | others


def test_groups_read_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("YT_TRANSCRIPT_LANGUAGES", "de,en")
    monkeypatch.setenv("YT_TRANSCRIPT_LLM_TIMEOUT_S", "7")
    monkeypatch.setenv("YT_TRANSCRIPT_RETRIES", "5")
    monkeypatch.setenv("YT_TRANSCRIPT_ASK_PASSAGES", "9")
    s = Settings.load(home=tmp_path, base_url="http://127.0.0.1:1/v1")
    assert s.ingest.language_list == ["de", "en"] and s.ingest.retries == 5
    assert s.llm.llm_timeout_s == 7 and s.llm.llm_retries == 2  # YT_TRANSCRIPT_RETRIES is YouTube's, not the model's
    assert s.retrieval.ask_passages == 9 and s.llm.base_url == "http://127.0.0.1:1/v1"


def test_flat_names_go_to_their_group_and_keep_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("YT_TRANSCRIPT_PROXY", "http://proxy:3128")
    s = Settings.load(home=tmp_path, retries=1, llm_retries=4, model="openai:m", api_key="sk-x")
    assert s.ingest.retries == 1 and s.ingest.proxy == "http://proxy:3128"
    assert s.llm.llm_retries == 4 and s.llm.model == "openai:m" and s.llm.key == "sk-x"
    changed = s.with_values(model="openai:other", languages="fr")
    assert changed.llm.model == "openai:other" and changed.ingest.languages == "fr" and changed.llm.key == "sk-x"
    assert s.llm.model == "openai:m"  # the original is untouched


@pytest.mark.parametrize("values, message", [
    ({"modle": "openai:x"}, "unknown setting 'modle'"),
    ({"retries": "many"}, "setting retries"),
    ({"ask_passages": 0}, "setting ask_passages"),
])
def test_bad_names_and_values_are_one_input_error(tmp_path, values, message):
    with pytest.raises(errors.InvalidSetting, match=message) as info:
        Library.open(tmp_path, **values)
    assert isinstance(info.value, errors.InputError) and "\n" not in str(info.value)


def test_languages_setting_reaches_ingest(monkeypatch, library, tmp_path):
    """IngestOptions no longer hard-codes English: the setting is the default priority."""
    from yt_transcript.ingest.pipeline import IngestOptions, Ingestor

    seen = []

    class Client:
        def fetch_transcript(self, video_id, languages, translate=None):
            seen.append(languages)
            raise errors.TranscriptsDisabled(f"{video_id}: none")

    ingestor = Ingestor(library.settings.with_values(languages="de,fr"), library.storage, lambda: None, Client())
    ingestor.ingest("dQw4w9WgXcQ", IngestOptions())
    assert seen == [["de", "fr"]]


def test_an_unrelated_api_key_variable_is_not_the_model_key(monkeypatch, tmp_path):
    monkeypatch.setenv("API_KEY", "leaked-elsewhere")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("YT_TRANSCRIPT_API_KEY", raising=False)
    s = Settings.load(home=tmp_path)
    assert s.llm.key is None
    assert Settings.load(home=tmp_path, api_key="sk-given").llm.key == "sk-given"


@pytest.mark.parametrize("values, message", [
    ({"languages": " , "}, "at least one language"),
    ({"ask_passages": 0}, "ask_passages"),
    ({"retries": "many"}, "retries"),
])
def test_with_values_checks_values_too(tmp_path, values, message):
    with pytest.raises(errors.InvalidSetting, match=message):
        Settings.load(home=tmp_path).with_values(**values)
    assert Settings.load(home=tmp_path).with_values(home="~/talks").home == Settings.load(home="~/talks").home
