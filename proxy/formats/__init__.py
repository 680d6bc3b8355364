"""Wire formats: where the text lives in each provider's requests and answers."""
