"""User interfaces: the yt-transcript command line (and later the Streamlit app)."""
