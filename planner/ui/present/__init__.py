"""Present mode (workshop): full-screen slides a room can read and edit together."""
