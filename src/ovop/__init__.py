"""ovop — One Village One Product programme management for Indonesia's sentra IKM."""
