"""Finding personal data in text: Presidio in worker processes, off the event loop.

- `types`: the contract with the relay (`Detector`, `Analysis`, `Finding`, `DetectionError`).
- `settings`: the `detection:` configuration section.
- `pool`: `PresidioDetector`, the production `Detector` (process pool, timeouts, recovery).
- `engine`: what runs in a worker; `SUPPORTED_ENTITIES` for policies.
- `analyzer`, `nlp`, `recognizers`, `context`, `context_words`, `french_ids`: how the
  Presidio engine is built (workers only, except the plain `french_ids` and `context_words`).
- `language`: which candidate language a text is analysed in.
"""
