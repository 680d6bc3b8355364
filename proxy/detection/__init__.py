"""Finding personal data in text: Presidio in worker processes, off the event loop."""
