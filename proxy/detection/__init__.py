"""Finding personal data in text: Presidio in worker processes, off the event loop.

- `types`: the contract with the relay (`Detector`, `Analysis`, `Finding`, `DetectionError`).
- `settings`: the `detection:` configuration section.
- `pool`: `PresidioDetector`, the production `Detector` (worker processes, timeouts,
  recovery, memory bound); `chunking`: long texts cut into bounded pieces and merged back;
  `scheduler`: `FairQueue`, which request's batch a free worker takes next.
- `worker`: the worker process (`python -m proxy.detection.worker`), which dies with the proxy.
- `engine`: what runs in a worker; `entities`: the entity types it produces, for policies.
- `normalise`: NFKC, invisible characters, look-alikes, spaced digits, written-out e-mails,
  with the map back to the original offsets.
- `language`: which candidate language a text (or each segment of it) is analysed in.
- `custom`: a policy's own recognizers, deny-lists and allow-list (validated at load).
- `analyzer`, `nlp`, `recognizers`, `identifiers`, `people`, `addresses`, `context`: how the
  Presidio engine is built (workers only); `french_ids`, `names`, `context_words`,
  `regex_limits`: plain data and functions they use.
"""
