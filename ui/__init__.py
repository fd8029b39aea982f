"""Streamlit helpers shared by dashboard.py and pages/: the frame, not the domain."""
