"""User interfaces over `yt_transcript.Library`: the command line (`cli.py`) and the Streamlit study room (`app.py`)."""
