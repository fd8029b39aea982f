"""Streamlit helpers shared by dashboard.py and views/: the frame, not the domain."""
