"""The bundled policies, shipped as package data (`voile_policies` once installed), so that
`pip install voile` can serve with them from any directory. The YAML files beside this one
are what security teams copy and edit; this file only makes them installable."""
