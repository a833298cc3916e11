"""Writing coaching: programmes and activities, Bimtek events, indicators."""
