"""Routes for contracts."""
