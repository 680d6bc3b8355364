"""Template sets, one module per language and part, written separately for each part: no
template of one part is a copy or a variant drawn from the other's."""
