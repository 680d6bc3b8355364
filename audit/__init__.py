"""Voile's audit trail: encrypted, chained records for compliance officers.

This package never imports `proxy`: the proxy hands it plain values (`AuditEvent`).
"""
