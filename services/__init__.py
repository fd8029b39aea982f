"""The domain: plain functions over a SQLAlchemy Session. No Streamlit here."""
